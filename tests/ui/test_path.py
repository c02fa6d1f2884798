"""The confidant's whole path through the real main window (issue 11), driven only by what a
user can do: menu actions and shortcuts, toolbar and button clicks, double-clicks, keys.

(a) request -> intake -> category "relation with a staff member" with a suspicion of sexual
    abuse by a staff member -> escalation check -> duties -> one marked done through the case
    file's "Afronden…" -> close; (b) the dashboard's obligation row opens the completion form
    and the case file's meldcode section opens the tracker; (c) the pupil's chronology across
    cases, and the intake that offers to continue an open case. A real encrypted store, a
    standing clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
    QWizard,
)

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.i18n import _
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store
from app.services import casework, escalation
from app.services.meldcode import record_step, routes_for_case
from app.store.settings import Settings, load_settings
from tests.ui.test_views import double_click, session, template  # noqa: F401 - fixtures
from ui.dialogs.obligation import CompleteObligationDialog
from ui.dialogs.request import RegisterRequestDialog
from ui.main_window import MainWindow
from ui.views import entry_form
from ui.views.case_file import CaseFileView
from ui.views.cases import CasesView
from ui.views.dashboard import DashboardView
from ui.views.meldcode import MeldcodeDialog
from ui.views.pupil import PupilView
from ui.wizards.escalation import EscalationWizard
from ui.wizards.intake import IntakeWizard

NOW = datetime(2026, 3, 4, 10, 0)  # a Wednesday; the demo data runs up to this day
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Ok

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record))
    monkeypatch.setattr(entry_form, "ask", lambda *a, **k: True)
    return shown


def show(qtbot: Any, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


@pytest.fixture
def fresh(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """An empty store, its window on a standing clock."""
    opened = create_store(tmp_path / "data", Settings(school="Testschool"),
                          generate_recovery_key(), key_mode="ask", provider=MemoryProvider())
    window = show(qtbot, MainWindow(opened, MemoryProvider(), now=lambda: NOW))
    yield window
    window.close()


@pytest.fixture
def demo_window(qtbot: Any, session: Session) -> Iterator[MainWindow]:  # noqa: F811
    window = show(qtbot, MainWindow(session, MemoryProvider(), now=lambda: NOW))
    yield window
    window.close()


def expect(kind: type[QWidget], handle: Callable[[Any], None], timeout_ms: int = 5000) -> list[Any]:
    """Handle the next visible `kind` window once it is up (modal or not); the list it returns
    holds it afterwards. Scheduled BEFORE the click that opens it (the click may block)."""
    seen: list[Any] = []
    waited = [0]

    def poll() -> None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.isVisible() and w not in seen]
        if not found:
            waited[0] += 10
            if waited[0] < timeout_ms:
                QTimer.singleShot(10, poll)
            return
        seen.append(found[0])
        try:
            handle(found[0])
        except BaseException:
            for widget in QApplication.topLevelWidgets():  # never leave a modal loop hanging
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.done(0)
            raise

    QTimer.singleShot(0, poll)
    return seen


def tick(qtbot: Any, box: QAbstractButton) -> None:
    """A click on the indicator of a check box or radio button (its left edge)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def tab_of(window: MainWindow, kind: type[QWidget]) -> Any:
    for index in range(window.tabs.count()):
        if isinstance(window.tabs.widget(index), kind):
            window.tabs.setCurrentIndex(index)
            return window.tabs.widget(index)
    raise AssertionError(f"no {kind.__name__} tab")


def visible_texts(widget: QWidget) -> list[str]:
    QApplication.processEvents()  # widgets added to a shown layout appear on the next turn
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget) and w.text()]


def timeline_kinds(view: CaseFileView) -> list[str]:
    return [view.tree.topLevelItem(i).text(1) for i in range(view.tree.topLevelItemCount())]


def complete_in_dialog(qtbot: Any, dialog: CompleteObligationDialog) -> None:
    """Fill the completion form as the VP would and save it."""
    qtbot.mouseClick(dialog.done_on.today_button, LEFT)
    qtbot.keyClicks(dialog.whom, "de directeur")
    line = dialog.how.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "telefonisch")
    qtbot.mouseClick(dialog.save_button, LEFT)


# -- (a) the whole path ------------------------------------------------------------------------
def answer_check(qtbot: Any, wizard: EscalationWizard) -> None:
    """Yes to a sexual offence by a staff member and to minor, No to the rest; then on to the
    duties, record, and close the wizard."""
    yes = {"minor", "sexual_offence", "by_staff"}
    for _round in range(3):  # a Yes may bring a follow-up question into view
        for qid, row in wizard.questions_page.rows.items():
            if row.isVisible() and row.answer() is None:
                tick(qtbot, row.radios["yes" if qid in yes else "no"])
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    assert wizard.currentPage() is wizard.duties_page
    duties = [d.code for d in wizard.duties_page.duties]
    assert duties, "a sexual offence by a staff member brings duties"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    assert wizard.currentPage() is wizard.confirm_page
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), LEFT)
    assert wizard.currentPage() is wizard.recorded_page
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)


def walk_intake(qtbot: Any, wizard: IntakeWizard) -> None:
    """The intake as started from the saved request: nothing retyped, a category that calls
    for the escalation check, and Save."""
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    page = wizard.pupil_page
    assert page.name.text() == "Noor Jansen"  # from the request
    assert not page.source.isVisibleTo(wizard)  # the request said through whom
    tick(qtbot, page.minor)
    qtbot.mouseClick(nxt, LEFT)
    tick(qtbot, wizard.confidentiality_page.tick)
    qtbot.mouseClick(nxt, LEFT)
    assert wizard.story_page.story.text() == "Wil praten over een docent."  # the note
    qtbot.mouseClick(nxt, LEFT)
    tick(qtbot, wizard.category_page.boxes["relatie_personeel"])
    assert wizard.category_page.notice.isVisible()
    qtbot.mouseClick(nxt, LEFT)
    qtbot.mouseClick(nxt, LEFT)  # who takes it up: the VP (already chosen)
    qtbot.mouseClick(nxt, LEFT)  # consent: not asked
    assert wizard.currentPage() is wizard.summary_page
    assert wizard.summary_page.escalation.isVisible()
    expect(EscalationWizard, lambda check: answer_check(qtbot, check))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)


def test_request_to_a_closed_case_through_the_window(qtbot: Any, fresh: MainWindow) -> None:
    window = fresh
    clicks: list[str] = []

    def register(dialog: RegisterRequestDialog) -> None:
        # the focus starts on "through whom"; one click there, then only typing
        qtbot.waitUntil(lambda: dialog.focusWidget() in dialog.source.buttons.values())
        tick(qtbot, dialog.source.buttons["leerling_zelf"])
        clicks.append("source")
        qtbot.keyClicks(dialog.pupil, "Noor Jansen")
        qtbot.keyClicks(dialog.note, "Wil praten over een docent.")
        qtbot.mouseClick(dialog.save_button, LEFT)
        clicks.append("save")
        assert dialog.pages.currentWidget() is dialog.done_page
        expect(IntakeWizard, lambda wizard: walk_intake(qtbot, wizard))
        qtbot.mouseClick(dialog.intake_button, LEFT)  # "Intakegesprek nu starten"

    expect(RegisterRequestDialog, register)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # the first "click": Ctrl+N
    clicks.insert(0, "ctrl+n")
    assert len(clicks) <= 3  # registering a request: at most three clicks, plus typing

    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView), "after the intake the new case file is shown"
    store = window.session.store
    case = casework.get_case(store, view.case_id)
    assert case.pupil_name == "Noor Jansen" and case.categories == ("relatie_personeel",)
    (request,) = casework.list_requests(store)
    assert request.case_id == case.id  # linked, answered by the intake
    assert _("Escalation check") in timeline_kinds(view)

    # the duties are on the case file, each with "Afronden…"
    panel = view.obligations_panel
    open_ones = escalation.open_obligations(store, NOW, case_id=case.id)
    assert open_ones and set(panel.complete_buttons) == {o.id for o in open_ones}
    assert all(b.text() == _("Mark as done…") for b in panel.complete_buttons.values())
    first = open_ones[0]
    qtbot.mouseClick(panel.complete_buttons[first.id], LEFT)
    dialog = panel.dialog
    assert isinstance(dialog, CompleteObligationDialog) and dialog.obligation_id == first.id
    complete_in_dialog(qtbot, dialog)
    assert escalation.get_obligation(store, first.id).done_on == NOW.date()
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView)
    assert _("Obligation done") in timeline_kinds(view)
    assert first.id not in view.obligations_panel.complete_buttons

    # a double-click on a card opens the same form (here: cancelled, nothing changes)
    rest = escalation.open_obligations(store, NOW, case_id=case.id)
    if rest:
        card = view.obligations_panel.complete_buttons[rest[0].id].parentWidget()
        qtbot.mouseDClick(card, LEFT)
        other = view.obligations_panel.dialog
        assert isinstance(other, CompleteObligationDialog)
        assert other.obligation_id == rest[0].id
        qtbot.mouseClick(other.cancel_button, LEFT)
        assert escalation.get_obligation(store, rest[0].id).done_on is None

    # close the case: with duties still open a written reason is needed
    def close(dialog: Any) -> None:
        dialog.reason.setCurrentIndex(dialog.reason.findData("doorverwezen"))
        dialog.note.edit.setFocus()
        qtbot.keyClicks(dialog.note.edit, "Bestuur is ingelicht; verder via het bestuur.")
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), LEFT)

    expect(entry_form.CloseCaseDialog, close)
    qtbot.mouseClick(view.close_button, LEFT)
    assert casework.get_case(store, case.id).closed
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView)
    assert timeline_kinds(view)[0] == _("Case closed")
    # a closed case shows no red "te laat", and no Afronden… any more
    panel = view.obligations_panel
    assert not panel.complete_buttons
    late = [w for w in panel.findChildren(QLabel) if w.objectName() == "overdue"]
    assert late == []
    if rest:
        assert _("Not done; the case is closed") in " ".join(visible_texts(panel))


def test_wizard_buttons_have_alt_mnemonics_and_ctrl_i_starts_the_intake(
    qtbot: Any, fresh: MainWindow
) -> None:
    seen: list[dict[str, str]] = []

    def look(wizard: IntakeWizard) -> None:
        texts = {which.name: wizard.button(which).text() for which in (
            QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
            QWizard.WizardButton.HelpButton)}
        seen.append(texts)
        wizard.activateWindow()
        qtbot.waitUntil(wizard.isActiveWindow)
        qtbot.keyClicks(wizard.pupil_page.name, "Ab")
        letter = texts["NextButton"][texts["NextButton"].index("&") + 1]
        qtbot.keyClick(wizard.pupil_page.name, getattr(Qt.Key, f"Key_{letter.upper()}"),
                       Qt.KeyboardModifier.AltModifier)
        # a mnemonic "animates" the click: it lands a moment later
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.confidentiality_page)
        wizard.discard_draft()
        wizard.done(0)

    expect(IntakeWizard, look)
    qtbot.keyClick(fresh, Qt.Key.Key_I, CTRL)
    (texts,) = seen
    letters = [t[t.index("&") + 1].casefold() for t in texts.values()]
    assert all("&" in t for t in texts.values()) and len(set(letters)) == len(letters)


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot: Any, fresh: MainWindow) -> None:
    qtbot.keyClick(fresh, Qt.Key.Key_F, CTRL)
    cases = fresh.tabs.currentWidget()
    assert isinstance(cases, CasesView)
    assert QApplication.focusWidget() is cases.search_box


def test_a_typed_date_is_not_changed_by_the_arrow_keys(qtbot: Any, fresh: MainWindow) -> None:
    def check(dialog: RegisterRequestDialog) -> None:
        field = dialog.received
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, "03-03-2026 08:15")
        for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp):
            qtbot.keyClick(field, key)
        assert field.text() == "03-03-2026 08:15"
        assert field.value() == datetime(2026, 3, 3, 8, 15)
        field.selectAll()
        qtbot.keyClicks(field, "3-3-2026 25:00")
        tick(qtbot, dialog.source.buttons["ouder"])
        qtbot.mouseClick(dialog.save_button, LEFT)
        assert dialog.error.isVisible()  # a clear Dutch sentence, nothing saved or lost
        assert dialog.error.text() == _("Write the time as hours:minutes, for example 14:05.")
        assert dialog.pages.currentWidget() is dialog.form_page
        dialog.reject()

    expect(RegisterRequestDialog, check)
    qtbot.mouseClick(tab_of(fresh, DashboardView).new_request_button, LEFT)
    assert casework.list_requests(fresh.session.store) == []


# -- (b) the dashboard's obligation row, the meldcode section ----------------------------------
def test_the_dashboard_obligation_row_opens_the_completion_form(
    qtbot: Any, demo_window: MainWindow
) -> None:
    window = demo_window
    dashboard = tab_of(window, DashboardView)
    rows = [item for item in dashboard.obligations.rows()
            if item.data(0, Qt.ItemDataRole.UserRole)[0] == "obligation"]
    assert rows, "the demo has open obligations"
    item = rows[0]
    _kind, obligation_id, case_id = item.data(0, Qt.ItemDataRole.UserRole)
    double_click(qtbot, dashboard.obligations.tree, item)
    dialog = dashboard.dialog
    assert isinstance(dialog, CompleteObligationDialog) and dialog.isVisible()
    assert dialog.obligation_id == obligation_id
    case_view = window.tabs.currentWidget()
    assert isinstance(case_view, CaseFileView) and case_view.case_id == case_id
    store = window.session.store
    complete_in_dialog(qtbot, dialog)
    assert escalation.get_obligation(store, obligation_id).done_on == NOW.date()
    ids = [r.data(0, Qt.ItemDataRole.UserRole)[1] for r in dashboard.obligations.rows()]
    assert obligation_id not in ids  # the overview redrew
    assert _("Obligation done") in timeline_kinds(case_view)


def test_the_case_file_has_the_meldcode_section_with_its_tracker(
    qtbot: Any, demo_window: MainWindow
) -> None:
    window = demo_window
    store = window.session.store
    case_id = next(
        c.id for c in casework.list_cases(store, status="open")
        if any(r.next_step is not None and not r.closed for r in routes_for_case(store, c.id))
    )
    route = next(r for r in routes_for_case(store, case_id) if r.next_step is not None)
    step = route.next_step
    cases = tab_of(window, CasesView)
    cases.run_search()
    row = next(r for r in range(cases.table.rowCount())
               if cases.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == case_id)
    double_click(qtbot, cases.table, cases.table.item(row, 0))
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView) and view.case_id == case_id
    section = view.meldcode_section
    assert section.isVisible() and route.id in section.route_buttons
    assert _("Meldcode route…") == section.route_buttons[route.id].text()
    qtbot.mouseClick(section.afweging_buttons[route.id], LEFT)
    tracker = section.dialog
    assert isinstance(tracker, MeldcodeDialog) and tracker.isVisible()
    assert tracker.tabs.currentWidget() is tracker.afweging_tab
    tracker.tabs.setCurrentWidget(tracker.steps_tab)
    qtbot.mouseClick(tracker.steps_tab.record_buttons[step], LEFT)
    step_dialog = tracker.step_dialog
    assert step_dialog is not None and step_dialog.isVisible()
    qtbot.mouseClick(step_dialog.on_date.today_button, LEFT)
    qtbot.keyClicks(step_dialog.note, "Collega geraadpleegd.")
    qtbot.mouseClick(step_dialog.save_button, LEFT)
    tracker.accept()
    view = window.tabs.currentWidget()
    assert _("Meldcode step {number}").format(number=step) in timeline_kinds(view)
    assert any(w.objectName() == f"meldcodeStep{step}" and w.text().startswith("✓")
               for w in view.meldcode_section.findChildren(QLabel))


# -- (c) one pupil, all cases --------------------------------------------------------------------
def two_cases(window: MainWindow) -> tuple[int, int, int]:
    """A pupil with a closed case (conversation, check, duty done, meldcode step) and a newer
    open one; made through the services (the set-up, not what is tested)."""
    store = window.session.store
    clock = FixedClock(NOW)
    first = casework.open_case(store, clock, Intake(
        opened_on=date(2026, 1, 5), confidentiality_explained_at=datetime(2026, 1, 5, 9, 0),
        categories=("kindermishandeling",), taken_up_by="vp", source="mentor_coach",
        pupil=PupilData(name="Lotte Bakker", class_name="2A", minor=True),
        story="Blauwe plekken gezien.", help_question="Wil dat het thuis stopt."))
    casework.add_conversation(store, clock, first.id, on_date=date(2026, 1, 7),
                              with_whom="Lotte", text="Tweede gesprek.")
    escalation.record_check(store, first.id, {"minor": "yes", "child_abuse": "yes"}, {}, "",
                            now=datetime(2026, 1, 7, 11, 0), settings=load_settings(store))
    (duty,) = escalation.open_obligations(store, NOW, case_id=first.id)
    escalation.complete_obligation(store, duty.id, done_on=date(2026, 1, 8), informed_whom="",
                                   informed_how="", pupil_told_first=True, note="",
                                   today=NOW.date())
    (route,) = routes_for_case(store, first.id)
    record_step(store, route.id, 1, date(2026, 1, 9), "Signalen vastgelegd.",
                now=datetime(2026, 1, 9, 12, 0))
    casework.close_case(store, clock, first.id, closed_on=date(2026, 1, 20),
                        reason="opgelost", text="Afgerond.", force=True)
    request = casework.register_request(
        store, FixedClock(NOW), received_at=datetime(2026, 2, 2, 8, 30), source="ouder",
        pupil_label="Lotte Bakker", note="Moeder belde.").request
    second = casework.open_case(store, FixedClock(NOW), Intake(
        opened_on=date(2026, 2, 3), confidentiality_explained_at=datetime(2026, 2, 3, 9, 0),
        categories=("pesten",), taken_up_by="vp", pupil_id=first.pupil_id,
        request_id=request.id, story="Wordt gepest."))
    return first.pupil_id, first.id, second.id


def test_the_pupil_page_lists_everything_across_cases_in_date_order(
    qtbot: Any, fresh: MainWindow
) -> None:
    window = fresh
    pupil_id, first_id, second_id = two_cases(window)
    cases = tab_of(window, CasesView)
    cases.run_search()
    row = next(r for r in range(cases.table.rowCount())
               if cases.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == first_id)
    qtbot.mouseClick(cases.table.viewport(), LEFT,
                     pos=cases.table.visualItemRect(cases.table.item(row, 0)).center())
    qtbot.mouseClick(cases.pupil_button, LEFT)  # "Leerling…"
    page = window.tabs.currentWidget()
    assert isinstance(page, PupilView) and page.pupil_id == pupil_id
    rows = page.rows()
    days = [datetime.strptime(r[0], "%d-%m-%Y").date() for r in rows]
    assert days == sorted(days), "oldest first"
    kinds = [r[2] for r in rows]
    for wanted in (_("Intake conversation (case opened)"), _("Escalation check"),
                   _("Obligation done"), _("Meldcode step {number}").format(number=1),
                   _("Case closed"), _("Request for contact")):
        assert wanted in kinds, wanted
    assert kinds.count(_("Intake conversation (case opened)")) == 2  # both cases
    assert page.cases.topLevelItemCount() == 2
    assert all("Blauwe" not in " ".join(r) for r in rows)  # no free text on the list
    # the selected line is read in full below; a double-click opens its case
    item = page.tree.topLevelItem(0)
    page.tree.setCurrentItem(item)
    assert "Blauwe plekken gezien." in page.detail.toPlainText()
    double_click(qtbot, page.tree, page.tree.topLevelItem(len(rows) - 1))
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView) and view.case_id == second_id
    # from the case file, "Leerling…" comes back to the same page (one tab per pupil)
    tabs_before = window.tabs.count()
    qtbot.mouseClick(view.pupil_button, LEFT)
    assert window.tabs.currentWidget() is page and window.tabs.count() == tabs_before


def test_the_intake_offers_to_continue_the_open_case(qtbot: Any, fresh: MainWindow) -> None:
    window = fresh
    pupil_id, _first, second_id = two_cases(window)

    def intake(wizard: IntakeWizard) -> None:
        page = wizard.pupil_page
        qtbot.keyClicks(page.name, "Lotte Bakker")
        page.search()  # the name search runs 250 ms after the last key
        item = page.match_list.item(0)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked)  # "this is the same pupil as …"
        assert page.open_case_box.isVisible()
        assert "03-02-2026" in page.open_case_line.text()
        qtbot.mouseClick(page.continue_button, LEFT)

    expect(IntakeWizard, intake)
    qtbot.mouseClick(tab_of(window, DashboardView).intake_button, LEFT)
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView) and view.case_id == second_id
    store = window.session.store
    assert len(casework.list_cases(store, pupil_id=pupil_id)) == 2  # no third case


# -- bad input on the way: a duty without a date, before its check, done twice ---------------
def test_bad_completion_input_says_so_in_dutch_and_keeps_what_was_typed(
    qtbot: Any, demo_window: MainWindow
) -> None:
    window = demo_window
    store = window.session.store
    dashboard = tab_of(window, DashboardView)
    item = next(i for i in dashboard.obligations.rows()
                if i.data(0, Qt.ItemDataRole.UserRole)[0] == "obligation")
    _kind, obligation_id, _case_id = item.data(0, Qt.ItemDataRole.UserRole)
    arisen = escalation.get_obligation(store, obligation_id).created_at.date()
    double_click(qtbot, dashboard.obligations.tree, item)
    dialog = dashboard.dialog
    assert isinstance(dialog, CompleteObligationDialog)
    qtbot.keyClicks(dialog.whom, "de directeur")
    line = dialog.how.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "telefonisch")
    dialog.done_on.edit.clear()
    qtbot.mouseClick(dialog.save_button, LEFT)  # no date
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == _("Fill in the date on which you did this.")
    before = arisen.replace(day=1) if arisen.day > 1 else arisen.replace(year=arisen.year - 1)
    qtbot.keyClicks(dialog.done_on.edit, before.strftime("%d-%m-%Y"))
    qtbot.mouseClick(dialog.save_button, LEFT)  # a date before the check
    assert dialog.isVisible()
    assert arisen.strftime("%d-%m-%Y") in dialog.error.text()
    assert (dialog.whom.text(), line.text()) == ("de directeur", "telefonisch")  # nothing lost
    assert escalation.get_obligation(store, obligation_id).done_on is None
    # meanwhile the duty is marked done elsewhere (another window of the same day)
    escalation.complete_obligation(store, obligation_id, done_on=NOW.date(),
                                   informed_whom="de directeur", informed_how="mondeling",
                                   pupil_told_first=True, note="", today=NOW.date())
    dialog.done_on.edit.clear()
    qtbot.mouseClick(dialog.done_on.today_button, LEFT)
    qtbot.mouseClick(dialog.save_button, LEFT)  # done twice
    assert dialog.isVisible()
    assert dialog.error.text() == _("This obligation was already marked done on {date}.").format(
        date=NOW.strftime("%d-%m-%Y"))
    assert escalation.get_obligation(store, obligation_id).informed_how == "mondeling"
    qtbot.mouseClick(dialog.cancel_button, LEFT)
