"""The escalation wizard, the obligations panel, the completion dialog and the meldcode tracker,
driven with pytest-qt on a real store and a real main window.

The walk: a case (opened with `casework.open_case`) -> the escalation check -> the decision
record reads back (answers, motivations, rule version) -> obligations marked done -> meldcode
step 1 and an afweging to "melden" -> the case closed. Bad input: a wizard cancelled halfway
(nothing recorded, the draft resumes), a contradictory answer (an adult pupil answered as a
minor: the answer is trusted and its consequence shown), no motivation for "no escalation" or
for a doubt, an obligation marked done without a date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget, QWizard

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.i18n import _
from app.rules.escalation import RULES_VERSION
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.services import casework, drafts
from app.services.escalation import (
    case_obligations,
    decisions,
    get_obligation,
    open_obligations,
)
from app.services.meldcode import route, routes_for_case
from app.store.settings import Settings
from ui.dialogs.obligation import CompleteObligationDialog
from ui.main_window import MainWindow
from ui.views.meldcode import MeldcodeDialog
from ui.views.obligations import ObligationsPanel
from ui.wizards.escalation import EscalationWizard, draft_kind

NOW = datetime(2026, 5, 22, 14, 0)  # a Friday
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A modal box would hang the test: record what would have been shown instead."""
    shown: list[tuple[str, str]] = []

    def record(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return shown


class WindowClock:
    def __init__(self) -> None:
        self.moment = NOW

    def __call__(self) -> datetime:
        return self.moment


class Env:
    def __init__(self, window: MainWindow, session: Session, case_id: int, key: str,
                 data_dir: Path, provider: MemoryProvider, clock: WindowClock) -> None:
        self.window = window
        self.session = session
        self.case_id = case_id
        self.key = key
        self.data_dir = data_dir
        self.provider = provider
        self.clock = clock

    @property
    def store(self):  # type: ignore[no-untyped-def]
        assert self.window.session is not None
        return self.window.session.store


def _open_case(session: Session, *, minor: bool) -> int:
    intake = Intake(
        opened_on=TODAY,
        confidentiality_explained_at=NOW - timedelta(minutes=30),
        categories=("kindermishandeling",),
        taken_up_by="vp",
        source="leerling_zelf",
        pupil=PupilData(name="Sam Voorbeeld", class_name="3B", year_group=3, minor=minor),
        story="Vertelt over spanningen thuis.",
    )
    return casework.open_case(session.store, FixedClock(NOW), intake).id


def _make_env(qtbot, tmp_path: Path, *, minor: bool) -> Env:  # type: ignore[no-untyped-def]
    provider = MemoryProvider()
    key = generate_recovery_key()
    data_dir = tmp_path / "data"
    session = create_store(data_dir, Settings(school="Testschool"), key, key_mode="ask",
                           provider=provider)
    case_id = _open_case(session, minor=minor)
    clock = WindowClock()
    window = MainWindow(session, provider, now=clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return Env(window, session, case_id, key, data_dir, provider, clock)


@pytest.fixture
def env(qtbot, tmp_path: Path) -> Iterator[Env]:  # type: ignore[no-untyped-def]
    """An ADULT pupil on record: the wizard's `minor` answer contradicts it on purpose."""
    made = _make_env(qtbot, tmp_path, minor=False)
    yield made
    made.window.close()


def _wizard(qtbot, env: Env) -> EscalationWizard:  # type: ignore[no-untyped-def]
    wizard = EscalationWizard(env.window, env.case_id)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _click(wizard: QWizard, which: QWizard.WizardButton) -> None:
    wizard.button(which).click()


def _answer(wizard: EscalationWizard, **answers: str) -> None:
    for qid, answer in answers.items():
        row = wizard.questions_page.rows[qid]
        assert row.isVisible(), f"{qid} is not shown"
        row.radios[answer].click()


def _texts(widget: QWidget) -> str:
    """Every visible label text under `widget`, for "is it shown" checks."""
    return "\n".join(
        lab.text() for lab in widget.findChildren(QLabel) if lab.isVisible() and lab.text()
    )


def test_walk_from_the_check_to_a_closed_case(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, env)
    page = wizard.questions_page
    rows = page.rows

    # The pupil is an adult on record, so `minor` starts at "no"; the VP answers "yes" and is
    # trusted: the consequence of "yes" is shown with its article, and a note says it differs.
    assert rows["minor"].answer() == "no"
    rows["minor"].radios["yes"].click()
    assert rows["minor"].consequence.isVisible()
    assert "protocol 1d, 3b" in rows["minor"].consequence.text()
    assert rows["minor"].note.isVisible()
    assert _("an adult") in rows["minor"].note.text()

    # by_staff is asked only when there is a suspicion of a sexual offence.
    assert not rows["by_staff"].isVisible()
    _answer(wizard, sexual_offence="yes")
    assert rows["by_staff"].isVisible()
    _answer(wizard, by_staff="yes")
    _answer(wizard, sexual_offence="no")
    assert not rows["by_staff"].isVisible()
    assert "by_staff" not in wizard.answers()  # a hidden answer is not recorded

    # family_perpetrator is asked only after a yes or doubt on child abuse (among others).
    assert not rows["family_perpetrator"].isVisible()
    _answer(wizard, acute_danger="no", pupil_witness="no", child_abuse="yes",
            family_perpetrator="doubt", staff_relationship="no", criminal_offence="no",
            self_endangerment="no")
    assert "protocol 1b, 5d" in rows["child_abuse"].consequence.text()
    # complaint unanswered, and the doubt has no motivation yet: Next is refused
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is page
    assert page.error.isVisible()
    assert rows["complaint"].error.isVisible()
    assert rows["family_perpetrator"].motivation.isVisible()
    assert rows["family_perpetrator"].error.text() == _("Write down why you are not sure.")
    _answer(wizard, complaint="no")
    rows["family_perpetrator"].motivation.setPlainText("Onduidelijk wie er slaat.")
    _click(wizard, QWizard.WizardButton.NextButton)

    # The duties: a card with the title, the deadline in words, consent, and the basis.
    assert wizard.currentPage() is wizard.duties_page
    assert [d.code for d in wizard.duties_page.duties] == ["MELDCODE"]
    shown = _texts(wizard.duties_page)
    assert "Meldcode huiselijk geweld en kindermishandeling starten" in shown
    assert _("Goes before the pupil's consent") in shown
    assert _("Basis: {basis}").format(
        basis="protocol 1b, 5d; Wet verplichte meldcode huiselijk geweld en kindermishandeling"
    ) in shown
    assert _("Today, by {time} at the latest").format(time="17:00") in shown
    wizard.duties_page.motivation.setPlainText("Meldcode gestart; ouders nog niet inlichten.")
    _click(wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.confirm_page
    assert RULES_VERSION in wizard.confirm_page.summary.text()
    assert decisions(env.store, env.case_id) == []  # nothing written before "Vastleggen"
    _click(wizard, QWizard.WizardButton.CommitButton)

    # Recorded: the decision reads back with the answers, motivations and the rule version.
    assert wizard.currentPage() is wizard.recorded_page
    (record,) = decisions(env.store, env.case_id)
    assert record.answers == {
        "acute_danger": "no",
        "minor": "yes",
        "pupil_witness": "no",
        "child_abuse": "yes",
        "family_perpetrator": "doubt",
        "sexual_offence": "no",
        "staff_relationship": "no",
        "criminal_offence": "no",
        "self_endangerment": "no",
        "complaint": "no",
    }
    assert record.motivations == {"family_perpetrator": "Onduidelijk wie er slaat."}
    assert record.general_motivation == "Meldcode gestart; ouders nog niet inlichten."
    assert record.rules_version == RULES_VERSION
    assert record.decided_at == NOW
    assert record.duties == ("MELDCODE",)
    (obligation,) = case_obligations(env.store, env.case_id, NOW)
    assert obligation.duty_code == "MELDCODE"
    assert obligation.due_at == datetime(2026, 5, 22, 17, 0)
    recorded_text = _texts(wizard.recorded_page)
    assert obligation.title in recorded_text
    assert _("By {moment} at the latest").format(moment="vrijdag 22 mei 2026, 17:00") in (
        recorded_text
    )
    assert wizard.recorded_page.route_button is not None
    _click(wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert drafts.load_draft(env.store, draft_kind(env.case_id)) is None

    # The obligations panel of the case file: the duty, its basis, and the route button.
    panel = ObligationsPanel(env.window, env.case_id)
    qtbot.addWidget(panel)
    panel.show()
    assert obligation.id in panel.complete_buttons
    assert "protocol 1b, 5d" in _texts(panel)
    assert not panel.route_button.isHidden()

    # Marked done without a date: refused, inline; with a date: done.
    panel.complete_buttons[obligation.id].click()
    dialog = panel.dialog
    assert isinstance(dialog, CompleteObligationDialog)
    dialog.save_button.click()
    assert dialog.error.isVisible()
    assert dialog.error.text() == _("Fill in the date on which you did this.")
    assert get_obligation(env.store, obligation.id).done_on is None
    dialog.done_on.today_button.click()
    dialog.pupil_told.setChecked(True)
    dialog.note.setPlainText("Stap 1 gezet.")
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    done = get_obligation(env.store, obligation.id)
    assert done.done_on == TODAY
    assert done.pupil_told_first is True
    assert done.note == "Stap 1 gezet."
    assert obligation.id not in panel.complete_buttons  # the panel refreshed

    # The meldcode tracker: step 1, then the afwegingskader to "melden".
    (route_info,) = routes_for_case(env.store, env.case_id)
    panel.open_route(route_info.id)
    tracker = panel.dialog
    assert isinstance(tracker, MeldcodeDialog)
    tracker.steps_tab.record_buttons[1].click()
    step = tracker.step_dialog
    assert step is not None
    step.save_button.click()  # no date
    assert step.error.isVisible()
    step.on_date.edit.setText("22-05-2026")
    step.note.setPlainText("Blauwe plekken op de arm gezien.")
    step.save_button.click()
    assert step.result() == QDialog.DialogCode.Accepted
    (recorded_step,) = route(env.store, route_info.id).steps
    assert (recorded_step.step, recorded_step.on_date) == (1, TODAY)
    assert 1 not in tracker.steps_tab.record_buttons

    tracker.tabs.setCurrentWidget(tracker.afweging_tab)
    walk = tracker.afweging_tab
    assert walk.current == 1
    walk.radios["yes"].click()
    walk.next_button.click()  # no motivation
    assert walk.error.isVisible() and walk.current == 1
    walk.motivation.setPlainText("Signalen en gesprek wijzen op kindermishandeling.")
    walk.next_button.click()
    assert walk.current == 2
    walk.radios["doubt"].click()
    assert walk.doubt_note.isVisible()  # "Twijfel telt als ja: melden bij Veilig Thuis."
    walk.motivation.setPlainText("Niet duidelijk of het thuis veilig is.")
    walk.next_button.click()
    assert walk.current is None
    assert walk.outcome_box.isVisible()
    assert "Melden bij Veilig Thuis" in walk.outcome_title.text()
    assert "0800-2000" in walk.outcome_text.text()
    walk.save_button.click()
    assert walk.result is not None and walk.result.outcome == "melden"
    afweging = route(env.store, route_info.id).afwegingen[-1]
    assert afweging.answers == {1: "yes", 2: "doubt"}
    assert afweging.motivations[2] == "Niet duidelijk of het thuis veilig is."
    tracker.accept()

    # The melding is an obligation that informs someone: whom and how are required.
    (melding,) = open_obligations(env.store, NOW, case_id=env.case_id)
    assert melding.duty_code == "VEILIG_THUIS_MELDING"
    assert melding.id in panel.complete_buttons
    panel.complete(melding.id)
    dialog = panel.dialog
    assert isinstance(dialog, CompleteObligationDialog)
    dialog.done_on.edit.setText("22-05-2026")
    dialog.save_button.click()
    assert dialog.error.text() == _("Fill in whom you informed.")
    dialog.whom.setText("Veilig Thuis (meldlijn)")
    dialog.how.setCurrentText(_("by phone"))
    dialog.pupil_told.setChecked(True)
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    done = get_obligation(env.store, melding.id)
    assert (done.done_on, done.informed_whom, done.informed_how) == (
        TODAY, "Veilig Thuis (meldlijn)", _("by phone")
    )

    # Nothing open: the case closes, and reads back closed.
    assert open_obligations(env.store, NOW, case_id=env.case_id) == []
    casework.close_case(env.store, FixedClock(NOW), env.case_id, closed_on=TODAY,
                        reason="doorverwezen", text="Veilig Thuis neemt het over.", force=True)
    case = casework.get_case(env.store, env.case_id)
    assert case.closed and case.closed_on == TODAY
    panel.refresh()
    assert panel.complete_buttons == {}


def test_no_escalation_needs_a_motivation(qtbot, env: Env, no_message_boxes) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, env)
    _answer(wizard, minor="yes", acute_danger="no", pupil_witness="no", child_abuse="no",
            sexual_offence="no", staff_relationship="no", criminal_offence="no",
            self_endangerment="no", complaint="no")
    _click(wizard, QWizard.WizardButton.NextButton)
    duties = wizard.duties_page
    assert wizard.currentPage() is duties
    assert duties.consent_only
    assert _("No escalation: share only with consent") in _texts(duties)
    assert duties.motivation_label.text() == _("No escalation, because … *")

    _click(wizard, QWizard.WizardButton.NextButton)  # no motivation: blocked
    assert wizard.currentPage() is duties
    assert duties.error.isVisible()

    duties.motivation.setPlainText("Geen escalatie, omdat het om pesten in de klas gaat.")
    _click(wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.confirm_page

    # Should the motivation vanish before "Vastleggen", the service refuses and the wizard
    # stays where it is, with the reason in a message box.
    duties.motivation.setPlainText("")
    _click(wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is wizard.confirm_page
    assert no_message_boxes and no_message_boxes[-1][0] == "warning"
    assert decisions(env.store, env.case_id) == []

    duties.motivation.setPlainText("Geen escalatie, omdat het om pesten in de klas gaat.")
    _click(wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentPage() is wizard.recorded_page
    (record,) = decisions(env.store, env.case_id)
    assert record.duties == ("CONSENT_ONLY",)
    assert not record.escalates
    assert record.general_motivation.startswith("Geen escalatie, omdat")
    assert case_obligations(env.store, env.case_id) == []
    _click(wizard, QWizard.WizardButton.FinishButton)

    # A later check adds a record; the first one stays as it was.
    second = _wizard(qtbot, env)
    _answer(second, minor="yes", acute_danger="no", pupil_witness="no", child_abuse="no",
            sexual_offence="no", staff_relationship="no", criminal_offence="no",
            self_endangerment="yes", parents_risk="no", complaint="no")
    _click(second, QWizard.WizardButton.NextButton)
    assert [d.code for d in second.duties_page.duties] == ["INFORM_PARENTS", "CONSULT_EXPERT"]
    _click(second, QWizard.WizardButton.NextButton)
    _click(second, QWizard.WizardButton.CommitButton)
    first, later = decisions(env.store, env.case_id)
    assert first.duties == ("CONSENT_ONLY",) and first.general_motivation.startswith("Geen")
    assert later.duties == ("INFORM_PARENTS", "CONSULT_EXPERT")


def test_cancelled_halfway_nothing_is_recorded_and_the_draft_resumes(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, env)
    _answer(wizard, minor="yes", acute_danger="no", child_abuse="doubt")
    wizard.questions_page.rows["child_abuse"].motivation.setPlainText("Vage signalen.")
    _click(wizard, QWizard.WizardButton.CancelButton)
    assert wizard.result() == QDialog.DialogCode.Rejected
    assert decisions(env.store, env.case_id) == []
    assert case_obligations(env.store, env.case_id) == []
    assert routes_for_case(env.store, env.case_id) == []
    assert drafts.load_draft(env.store, draft_kind(env.case_id)) is not None

    again = _wizard(qtbot, env)
    rows = again.questions_page.rows
    assert again.questions_page.resume.isVisible()
    assert rows["child_abuse"].answer() == "doubt"
    assert rows["child_abuse"].motivation.toPlainText() == "Vage signalen."
    assert rows["acute_danger"].answer() == "no"
    assert rows["sexual_offence"].answer() is None

    again.questions_page.restart_button.click()
    assert not again.questions_page.resume.isVisible()
    assert rows["child_abuse"].answer() is None
    assert drafts.load_draft(env.store, draft_kind(env.case_id)) is None
    _click(again, QWizard.WizardButton.CancelButton)
    assert drafts.load_draft(env.store, draft_kind(env.case_id)) is None  # nothing but minor


def test_locking_keeps_the_draft(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, env)
    _answer(wizard, minor="yes", acute_danger="yes")
    env.window.lock()
    assert env.window.is_locked
    assert not wizard.isVisible()
    session = unlock(env.data_dir, env.provider, env.key)
    try:
        draft = drafts.load_draft(session.store, draft_kind(env.case_id))
        assert draft is not None
        assert draft["answers"] == {"minor": "yes", "acute_danger": "yes"}
        assert decisions(session.store, env.case_id) == []
    finally:
        session.lock()


def test_help_term_then_question_five(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    wizard = _wizard(qtbot, env)
    _answer(wizard, minor="yes", acute_danger="no", pupil_witness="no", child_abuse="yes",
            family_perpetrator="yes", sexual_offence="no", staff_relationship="no",
            criminal_offence="no", self_endangerment="no", complaint="no")
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.NextButton)
    _click(wizard, QWizard.WizardButton.CommitButton)
    assert wizard.record_result is not None
    (route_id,) = wizard.record_result.route_ids
    _click(wizard, QWizard.WizardButton.FinishButton)

    tracker = MeldcodeDialog(env.window, route_id)
    qtbot.addWidget(tracker)
    tracker.show()
    walk = tracker.afweging_tab
    tracker.tabs.setCurrentWidget(walk)
    for answer in ("yes", "no", "yes", "yes"):
        walk.radios[answer].click()
        walk.motivation.setPlainText(f"Motivering bij {answer}.")
        walk.next_button.click()
    assert walk.current is None
    assert walk.term_row.isVisible()  # "Hulp bieden of organiseren" asks the end of the term
    walk.save_button.click()
    assert walk.error.isVisible()  # no term date yet
    # back and forth keeps the answers given
    walk.outcome_back.click()
    assert walk.current == 4 and walk.chosen() == "yes"
    walk.next_button.click()
    walk.term_until.edit.setText("03-07-2026")
    walk.save_button.click()
    assert walk.result is not None and walk.result.outcome == "start_help"
    (term,) = [o for o in open_obligations(env.store, NOW, case_id=env.case_id)
               if o.duty_code == "MELDCODE_TERM"]
    assert term.due_at == datetime(2026, 7, 3, 17, 0)
    tracker.accept()

    # After the term: the walk continues with question 5 only.
    env.clock.moment = datetime(2026, 7, 3, 10, 0)
    follow = MeldcodeDialog(env.window, route_id)
    qtbot.addWidget(follow)
    follow.show()
    walk = follow.afweging_tab
    follow.tabs.setCurrentWidget(walk)
    assert walk.current == 5
    walk.radios["yes"].click()
    walk.motivation.setPlainText("Het gaat weer goed thuis; mentor volgt het.")
    walk.next_button.click()
    assert "monitoring" in walk.outcome_title.text()
    walk.save_button.click()
    assert walk.result is not None and walk.result.outcome == "close_with_monitoring"
    closed = route(env.store, route_id)
    assert closed.closed_on == date(2026, 7, 3)
    assert closed.afwegingen[-1].answers[5] == "yes"
