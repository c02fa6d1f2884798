"""Issue 10 on screen, from the main window: the meldcode route of 2026.2 (step 2 with the
aandachtsfunctionaris, step 3 never with the parents when a parent may be the perpetrator, an
acute melding due now and shown "nu", Veilig Thuis' decision, questions 3-5 with Veilig Thuis),
a cancelled check on the dashboard until waived, and the re-check prompt for 2026.1 decisions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel

from app.services.check_reminders import open_reminders
from app.services.escalation import open_obligations, record_check
from app.services.meldcode import route
from app.store.settings import Settings
from tests.ui.test_escalation_ui import (  # noqa: F401  (no_message_boxes is an autouse fixture)
    NOW,
    TODAY,
    Env,
    _make_env,
    _wizard,
    no_message_boxes,
)
from tests.ui.test_views import view_of
from ui.views.case_file import CaseFileView
from ui.views.dashboard import NOW as NOW_COLOUR
from ui.views.dashboard import DashboardView
from ui.views.meldcode import MeldcodeDialog


@pytest.fixture
def env(qtbot, tmp_path: Path) -> Iterator[Env]:  # type: ignore[no-untyped-def]
    made = _make_env(qtbot, tmp_path, minor=True)
    yield made
    made.window.close()


def _texts(widget) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(lab.text() for lab in widget.findChildren(QLabel) if lab.text())


def _obligation_rows(env: Env) -> list[tuple[str, ...]]:
    env.window.refresh()
    dashboard = view_of(env.window, DashboardView)
    return [
        tuple(item.text(c) for c in range(item.columnCount()))
        for item in dashboard.obligations.rows()
    ]


def test_meldcode_route_2026_2_on_screen(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    stepfather = {"minor": "yes", "sexual_offence": "yes", "family_perpetrator": "yes"}
    record = record_check(env.store, env.case_id, stepfather, {}, "", now=NOW, settings=Settings())
    (route_id,) = record.route_ids
    tracker = MeldcodeDialog(env.window, route_id)
    qtbot.addWidget(tracker)
    tracker.show()

    # Step 2: with whom; without the aandachtsfunctionaris or ondersteuningscoördinator refused.
    tracker.steps_tab.record_buttons[2].click()
    step = tracker.step_dialog
    assert step is not None and set(step.consulted) == {
        "aandachtsfunctionaris", "ondersteuningscoordinator", "veilig_thuis", "letselduiding"
    }
    step.on_date.edit.setText("22-05-2026")
    step.consulted["letselduiding"].setChecked(True)
    step.save_button.click()
    assert step.error.isVisible() and "aandachtsfunctionaris" in step.error.text()
    step.consulted["aandachtsfunctionaris"].setChecked(True)
    step.save_button.click()
    assert step.result() == QDialog.DialogCode.Accepted
    assert route(env.store, route_id).steps[0].consulted == (
        "aandachtsfunctionaris", "letselduiding"
    )

    # Step 3: a parent may be the perpetrator, so "with the parents" cannot be ticked.
    tracker.steps_tab.record_buttons[3].click()
    step = tracker.step_dialog
    assert step is not None and step.with_parents is not None
    assert not step.with_parents.isEnabled()
    assert "Een ouder of ander gezinslid is mogelijk de pleger." in _texts(step)
    step.on_date.edit.setText("22-05-2026")
    step.save_button.click()
    assert route(env.store, route_id).steps[1].with_parents is False

    # The afweging: acute unsafety, an acute melding due now.
    tracker.tabs.setCurrentWidget(tracker.afweging_tab)
    walk = tracker.afweging_tab
    for answer, why in (("yes", "Vermoeden blijft."), ("yes", "Acuut onveilig thuis.")):
        walk.radios[answer].click()
        walk.motivation.setPlainText(why)
        walk.next_button.click()
    assert walk.current is None and walk.acute.isVisible()
    walk.acute.setChecked(True)
    walk.save_button.click()
    assert walk.result is not None and walk.result.outcome == "melden"
    melding = next(
        o for o in open_obligations(env.store, NOW, case_id=env.case_id)
        if o.duty_code == "VEILIG_THUIS_MELDING"
    )
    assert (melding.due_at, melding.status) == (NOW, "now")

    # The dashboard shows it as "nu" in orange, not as "te laat".
    dashboard = view_of(env.window, DashboardView)
    env.window.refresh()
    row = next(i for i in dashboard.obligations.rows() if "Acuut melden" in i.text(2))
    assert row.text(3).startswith("nu") and "te laat" not in row.text(3)
    assert row.foreground(0).color() == NOW_COLOUR

    # After the melding: Veilig Thuis' decision, then questions 3-5 with Veilig Thuis.
    tracker.reload()
    assert walk.vt_box.isVisible() and walk.with_vt
    walk.vt_decision.setCurrentIndex(walk.vt_decision.findData("school_helpt"))
    walk.vt_date.edit.setText("22-05-2026")
    walk.vt_save.click()
    (decision,) = route(env.store, route_id).vt_decisions
    assert (decision.decision, decision.decided_on) == ("school_helpt", TODAY)
    walk.restart()
    assert walk.current == 3
    assert "samen met Veilig Thuis" in walk.intro.text()
    tracker.accept()


def test_a_cancelled_check_stays_on_the_dashboard_until_waived(  # type: ignore[no-untyped-def]
    qtbot, env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = _wizard(qtbot, env)
    wizard.reject()
    (reminder,) = open_reminders(env.store)
    rows = _obligation_rows(env)
    assert any(r[2] == "Escalatiecontrole niet afgemaakt" for r in rows)
    dashboard = view_of(env.window, DashboardView)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("", True))
    )
    dashboard.waive_check(reminder.id)  # no reason: refused
    assert open_reminders(env.store)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText",
        staticmethod(lambda *a, **k: ("Verkeerde categorie gekozen.", True)),
    )
    dashboard.waive_check(reminder.id)
    assert open_reminders(env.store) == []
    assert not any(r[2] == "Escalatiecontrole niet afgemaakt" for r in _obligation_rows(env))


def test_a_2026_1_decision_asks_to_check_again(qtbot, env: Env) -> None:  # type: ignore[no-untyped-def]
    record_check(
        env.store, env.case_id, {"minor": "yes", "criminal_offence": "yes"}, {}, "",
        now=NOW, settings=Settings(), rules_version="2026.1",
    )
    rows = _obligation_rows(env)
    assert any(r[2] == "Controleer opnieuw: de regels zijn verbeterd" for r in rows)
    env.window.open_case(env.case_id)
    view = view_of(env.window, CaseFileView)
    assert "Controleer opnieuw: de regels zijn verbeterd" in _texts(view.obligation_box)
