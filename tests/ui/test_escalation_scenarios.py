"""Three escalation scenarios of issue 10, walked FROM THE MAIN WINDOW with real clicks and keys.

Each walk: the "Dossiers" tab -> the case row, opened with Enter -> the case file's
"Escalatiecheck…" button -> the (modal) wizard, answered by clicking Ja / Nee / Twijfel and
"Volgende", recorded with "Vastleggen" -> the recorded decision and obligations read back from
the store. Expected duties, visible questions and deadlines are written from DOMAIN.md
("Escalation rules, version 2026.2": the questions' "asked after" column and the duties table),
not derived from the rule engine:

* the stepfather: a 15-year-old tells that her stepfather abuses her; the VP ticks
  "zedendelict" but not "kindermishandeling" -> `family_perpetrator` is asked, yes -> MELDCODE
  (today), and the parents are NOT informed;
* a teacher's relationship with a 15-year-old -> REPORT_BOARD (immediately, to the board
  itself) and REPORT_DIRECTOR (today), no parents;
* a doubt about self-harm -> CONSULT_EXPERT today; never "keep it confidential".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTabBar, QWizard

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.services import casework
from app.services.escalation import case_obligations, decisions
from app.services.meldcode import routes_for_case
from app.store.settings import Settings
from ui.dialogs.obligation import CompleteObligationDialog
from ui.main_window import MainWindow
from ui.views.case_file import CaseFileView
from ui.views.cases import CasesView
from ui.views.duty_card import DutyCardWidget
from ui.views.obligations import ObligationsPanel
from ui.wizards.escalation import EscalationWizard

NOW = datetime(2026, 5, 22, 14, 0)  # Friday, a school day
TODAY_17 = datetime(2026, 5, 22, 17, 0)
BOARD = "Stichting Voorbeeldscholen"

# The questions DOMAIN.md asks always, in the order of its table (acute_danger first).
ALWAYS = ("acute_danger", "minor", "pupil_witness", "child_abuse", "sexual_offence",
          "staff_relationship", "criminal_offence", "self_endangerment", "complaint")


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def show(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(show))
    return shown


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    provider = MemoryProvider()
    key = generate_recovery_key()
    session = create_store(tmp_path / "data", Settings(school="Testschool", board_name=BOARD),
                           key, key_mode="ask", provider=provider)
    intake = Intake(
        opened_on=NOW.date(),
        confidentiality_explained_at=NOW - timedelta(minutes=30),
        categories=("thuissituatie",),
        taken_up_by="vp",
        source="leerling_zelf",
        pupil=PupilData(name="Lotte Voorbeeld", class_name="3B", year_group=3, minor=True),
        story="Vertelt iets ernstigs.",
    )
    casework.open_case(session.store, FixedClock(NOW), intake)
    made = MainWindow(session, provider, now=lambda: NOW)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    made.close()


def _store(window: MainWindow) -> Any:
    assert window.session is not None
    return window.session.store


def _open_the_case(qtbot: Any, window: MainWindow) -> CaseFileView:
    """Dossiers tab (a click on its tab), first row, Enter: the case file opens in a tab."""
    bar: QTabBar = window.tabs.tabBar()
    index = next(i for i in range(window.tabs.count())
                 if isinstance(window.tabs.widget(i), CasesView))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    cases = window.tabs.currentWidget()
    assert isinstance(cases, CasesView)
    qtbot.waitUntil(lambda: cases.table.rowCount() == 1)
    cases.table.setFocus()
    cases.table.selectRow(0)
    qtbot.keyClick(cases.table, Qt.Key.Key_Return)
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView)
    return view


def _run_wizard(qtbot: Any, view: CaseFileView, walk: Callable[[EscalationWizard], None]) -> None:
    """Click the case file's escalation button; `walk` drives the modal wizard once it is up.
    A failing walk closes the wizard (so the test cannot hang) and its error is raised here."""
    errors: list[BaseException] = []
    seen: list[EscalationWizard] = []

    def poll() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, EscalationWizard):
            QTimer.singleShot(20, poll)
            return
        seen.append(wizard)
        try:
            walk(wizard)
        except BaseException as error:  # noqa: BLE001 - re-raised below, after exec returns
            errors.append(error)
            wizard.done(0)

    QTimer.singleShot(0, poll)
    qtbot.mouseClick(view.escalation_button, Qt.MouseButton.LeftButton)
    assert seen, "the escalation check did not open"
    if errors:
        raise errors[0]


def _click(qtbot: Any, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _visible(wizard: EscalationWizard) -> list[str]:
    page = wizard.questions_page
    order = [page.rows_layout.itemAt(i).widget() for i in range(page.rows_layout.count())]
    return [qid for row in order for qid, r in page.rows.items()
            if r is row and r.isVisibleTo(page)]


def _answer(qtbot: Any, wizard: EscalationWizard, answers: dict[str, str],
            motivations: dict[str, str] | None = None) -> None:
    """Click each answer; a question must be shown before it is answered."""
    rows = wizard.questions_page.rows
    for qid, answer in answers.items():
        row = rows[qid]
        assert row.isVisibleTo(wizard.questions_page), f"{qid} is not asked"
        wizard.questions_page.area.ensureWidgetVisible(row)
        qtbot.mouseClick(row.radios[answer], Qt.MouseButton.LeftButton,
                         pos=row.radios[answer].rect().center())
        assert row.answer() == answer
        if answer == "doubt":
            row.motivation.setFocus()
            qtbot.keyClicks(row.motivation, (motivations or {})[qid])


def _cards(wizard: EscalationWizard) -> dict[str, DutyCardWidget]:
    return {c.code: c for c in wizard.duties_page.findChildren(DutyCardWidget)}


def _finish(qtbot: Any, wizard: EscalationWizard) -> None:
    """Duties page -> Controleren -> Vastleggen -> Sluiten."""
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.confirm_page
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is wizard.recorded_page, "the check was not recorded"
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def _start(qtbot: Any, wizard: EscalationWizard) -> None:
    """What every walk checks first: acute danger is the first question, minor is prefilled
    from the pupil's record (a minor), and only the always-asked questions are shown."""
    assert _visible(wizard)[0] == "acute_danger"
    assert wizard.questions_page.rows["minor"].answer() == "yes"
    assert _visible(wizard) == list(ALWAYS)


# --- the stepfather ------------------------------------------------------------------------


def test_stepfather_goes_to_the_meldcode_and_not_to_the_parents(
    qtbot: Any, window: MainWindow
) -> None:
    view = _open_the_case(qtbot, window)

    def walk(wizard: EscalationWizard) -> None:
        _start(qtbot, wizard)
        _answer(qtbot, wizard, {"acute_danger": "no", "pupil_witness": "no",
                                "child_abuse": "no", "sexual_offence": "yes"})
        # "asked after": family_perpetrator, recent_assault, by_staff, victim_minor and
        # pupil_offender follow a yes on sexual_offence
        shown = _visible(wizard)
        for asked in ("family_perpetrator", "recent_assault", "by_staff", "victim_minor",
                      "pupil_offender"):
            assert asked in shown, asked
        _answer(qtbot, wizard, {"family_perpetrator": "yes", "recent_assault": "no",
                                "by_staff": "no", "staff_relationship": "no",
                                "victim_minor": "yes", "criminal_offence": "no",
                                "pupil_offender": "no", "self_endangerment": "no",
                                "complaint": "no"})
        # INFORM_PARENTS cannot apply with a family perpetrator: parents_risk is not asked
        assert "parents_risk" not in _visible(wizard)
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        assert wizard.currentPage() is wizard.duties_page
        cards = _cards(wizard)
        assert list(cards) == ["MELDCODE"]
        text = cards["MELDCODE"].texts()
        assert "0800-2000" in text and "aandachtsfunctionaris" in text
        assert "niet als een ouder of huisgenoot de pleger kan zijn" in text
        _finish(qtbot, wizard)

    _run_wizard(qtbot, view, walk)
    store = _store(window)
    (record,) = decisions(store, view.case_id)
    assert record.rules_version == "2026.2"
    assert record.duties == ("MELDCODE",)
    assert record.answers["family_perpetrator"] == "yes"
    assert record.answers["child_abuse"] == "no"
    obligations = case_obligations(store, view.case_id, NOW)
    assert [(o.duty_code, o.due_at) for o in obligations] == [("MELDCODE", TODAY_17)]
    assert "INFORM_PARENTS" not in {o.duty_code for o in obligations}
    assert [r.kind for r in routes_for_case(store, view.case_id)] == ["MELDCODE"]


# --- a teacher and a 15-year-old -----------------------------------------------------------


def test_staff_relationship_goes_to_the_board_itself_at_once(
    qtbot: Any, window: MainWindow
) -> None:
    view = _open_the_case(qtbot, window)

    def walk(wizard: EscalationWizard) -> None:
        _start(qtbot, wizard)
        _answer(qtbot, wizard, {"acute_danger": "no", "pupil_witness": "no",
                                "child_abuse": "no", "sexual_offence": "no",
                                "staff_relationship": "yes"})
        assert "victim_minor" in _visible(wizard)  # asked after staff_relationship
        assert "by_staff" not in _visible(wizard)  # only after a sexual offence
        _answer(qtbot, wizard, {"victim_minor": "yes", "criminal_offence": "no",
                                "self_endangerment": "no", "complaint": "no"})
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        cards = _cards(wizard)
        assert list(cards) == ["REPORT_BOARD", "REPORT_DIRECTOR"]
        board = cards["REPORT_BOARD"]
        assert board.when.objectName() == "pillNow"  # due now: orange, not "late"
        text = board.texts()
        assert BOARD in text  # the board's name from the settings
        assert "niet genoeg" in text  # the director alone is not enough
        assert "0900-111 3 111" in text
        assert board.how_box is not None and not board.how_box.isVisible()
        assert board.how_toggle is not None
        qtbot.mouseClick(board.how_toggle, Qt.MouseButton.LeftButton)
        assert board.how_box.isVisible()
        assert "Onderzoek het niet zelf" in text
        _finish(qtbot, wizard)

    _run_wizard(qtbot, view, walk)
    store = _store(window)
    (record,) = decisions(store, view.case_id)
    assert record.duties == ("REPORT_BOARD", "REPORT_DIRECTOR")
    assert record.answers["victim_minor"] == "yes"
    due = {o.duty_code: o.due_at for o in case_obligations(store, view.case_id, NOW)}
    assert due == {"REPORT_BOARD": NOW, "REPORT_DIRECTOR": TODAY_17}


# --- a doubt about self-harm ---------------------------------------------------------------


def test_a_doubt_about_self_harm_means_consulting_an_expert_today(
    qtbot: Any, window: MainWindow
) -> None:
    view = _open_the_case(qtbot, window)
    why = "Zegt soms dat ze er niet meer wil zijn, lacht het weg."

    def walk(wizard: EscalationWizard) -> None:
        _start(qtbot, wizard)
        _answer(qtbot, wizard,
                {"acute_danger": "no", "pupil_witness": "no", "child_abuse": "no",
                 "sexual_offence": "no", "staff_relationship": "no",
                 "criminal_offence": "no", "self_endangerment": "doubt", "complaint": "no"},
                {"self_endangerment": why})
        assert _visible(wizard) == list(ALWAYS)  # nothing else can change the outcome
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        cards = _cards(wizard)
        assert list(cards) == ["CONSULT_EXPERT"]
        card = cards["CONSULT_EXPERT"].duty_card
        assert card is not None
        assert len(card.topics) == 1 and "0800-0113" in card.topics[0]  # only self-harm
        _finish(qtbot, wizard)

    _run_wizard(qtbot, view, walk)
    store = _store(window)
    (record,) = decisions(store, view.case_id)
    assert record.duties == ("CONSULT_EXPERT",)
    assert "CONSENT_ONLY" not in record.duties
    assert record.motivations["self_endangerment"] == why
    due = {o.duty_code: o.due_at for o in case_obligations(store, view.case_id, NOW)}
    assert due == {"CONSULT_EXPERT": TODAY_17}


# --- completing REPORT_BOARD from the case file ---------------------------------------------


def test_report_board_is_completed_only_with_a_board_member(
    qtbot: Any, window: MainWindow
) -> None:
    """After the staff-relationship check: the case file's "Afronden…" on REPORT_BOARD opens
    the completion form with the duty card; "de directeur" is refused with the reason, an empty
    member too, and a named board member with role, time and way completes it."""
    view = _open_the_case(qtbot, window)

    def walk(wizard: EscalationWizard) -> None:
        _answer(qtbot, wizard, {"acute_danger": "no", "pupil_witness": "no",
                                "child_abuse": "no", "sexual_offence": "no",
                                "staff_relationship": "yes", "victim_minor": "yes",
                                "criminal_offence": "no", "self_endangerment": "no",
                                "complaint": "no"})
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
        _finish(qtbot, wizard)

    _run_wizard(qtbot, view, walk)
    store = _store(window)
    (board,) = [o for o in case_obligations(store, view.case_id, NOW)
                if o.duty_code == "REPORT_BOARD"]
    panel = view.findChild(ObligationsPanel)
    assert panel is not None, "the case file shows no obligations panel"
    panel.refresh()
    qtbot.mouseClick(panel.complete_buttons[board.id], Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, CompleteObligationDialog)
    qtbot.waitExposed(dialog)
    assert dialog.card.code == "REPORT_BOARD" and BOARD in dialog.card.texts()
    assert dialog.card.when.objectName() == "pillNow"

    qtbot.mouseClick(dialog.done_on.today_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.how.lineEdit(), "telefonisch")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no board member
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("Vul in welk lid van het schoolbestuur")
    qtbot.keyClicks(dialog.member_name, "de directeur")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("Alleen de directeur inlichten is niet genoeg")
    unchanged = {o.duty_code: o for o in case_obligations(store, view.case_id, NOW)}
    assert not unchanged["REPORT_BOARD"].done  # nothing stored
    assert unchanged["REPORT_BOARD"].informed_whom == ""

    dialog.director_involved.setFocus()
    qtbot.keyClick(dialog.director_involved, Qt.Key.Key_Space)
    assert dialog.director_route.isVisibleTo(dialog)
    assert "0900-111 3 111" in dialog.director_route.text()
    dialog.member_name.selectAll()
    qtbot.keyClicks(dialog.member_name, "A. Verbeek")
    qtbot.keyClicks(dialog.member_role.lineEdit(), "voorzitter college van bestuur")
    qtbot.keyClicks(dialog.time, "14:20")
    dialog.pupil_told.setFocus()
    qtbot.keyClick(dialog.pupil_told, Qt.Key.Key_Space)
    assert dialog.pupil_told.isChecked()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None, dialog.error.text()

    done = {o.duty_code: o for o in case_obligations(store, view.case_id, NOW)}["REPORT_BOARD"]
    assert done.done_on == NOW.date()
    assert done.informed_whom == "A. Verbeek (voorzitter college van bestuur)"
    assert done.informed_how == "telefonisch, om 14:20"
    assert done.pupil_told_first is True
    assert done.note.startswith("De directeur is mogelijk zelf betrokken")
