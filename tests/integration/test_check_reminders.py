"""Reminders for a cancelled escalation check and the re-check prompt (issue 10, DOMAIN.md).

A cancelled check stays on the dashboard until a check is recorded or it is waived with a
reason; an open case whose last check ran under 2026.1 shows "Controleer opnieuw: de regels
zijn verbeterd"; a re-check adds a decision and the old one reads back with its own texts.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.services.check_reminders import (
    dashboard_items,
    needs_recheck,
    open_reminders,
    recheck_cases,
    remind_check,
    waive_reminder,
)
from app.services.escalation import decisions, question_texts, record_check
from app.store.db import Store
from app.store.settings import Settings

NOW = datetime(2026, 9, 14, 10, 0)


def make_case(store: Store, closed: bool = False) -> int:
    with store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES ('Lotte Test', '2026-09-01T09:00:00')"
        ).lastrowid
        case_id = conn.execute(
            "INSERT INTO case_file(pupil_id, opened_on, closed_on) VALUES (?, '2026-09-01', ?)",
            (pupil, "2026-09-10" if closed else None),
        ).lastrowid
    return int(case_id)


def test_a_cancelled_check_stays_until_a_check_is_recorded(store: Store) -> None:
    case_id = make_case(store)
    first = remind_check(store, case_id, now=NOW)
    assert first is not None
    assert remind_check(store, case_id, now=NOW) is None  # one open reminder per case
    (reminder,) = open_reminders(store)
    assert (reminder.case_id, reminder.reason, reminder.pupil_name) == (
        case_id, "cancelled", "Lotte Test"
    )
    items = dashboard_items(store)
    assert [(i.kind, i.case_id, i.title) for i in items] == [
        ("check_reminder", case_id, "Escalatiecontrole niet afgemaakt")
    ]
    record = record_check(
        store, case_id, {"complaint": "yes"}, {}, "", now=NOW, settings=Settings()
    )
    assert open_reminders(store) == []
    row = store.query("SELECT done_at, escalation_id FROM check_reminder WHERE id = ?", (first,))
    assert tuple(row[0]) == ("2026-09-14T10:00:00", record.id)


def test_waived_only_with_a_reason(store: Store) -> None:
    case_id = make_case(store)
    reminder_id = remind_check(store, case_id, now=NOW)
    assert reminder_id is not None
    with pytest.raises(ValidationError) as caught:
        waive_reminder(store, reminder_id, "   ", now=NOW)
    assert caught.value.field == "reason_text"
    assert "waarom" in caught.value.message
    assert len(open_reminders(store)) == 1
    waive_reminder(store, reminder_id, "Categorie per vergissing gekozen.", now=NOW)
    assert open_reminders(store) == []
    assert store.scalar(
        "SELECT count(*) FROM note WHERE body = 'Categorie per vergissing gekozen.'"
    ) == 1
    with pytest.raises(ValidationError):
        waive_reminder(store, reminder_id, "nog eens", now=NOW)
    with pytest.raises(NotFoundError):
        waive_reminder(store, 999, "x", now=NOW)


def test_closed_cases_are_not_reminded(store: Store) -> None:
    assert remind_check(store, make_case(store, closed=True), now=NOW) is None
    case_id = make_case(store)
    remind_check(store, case_id, now=NOW)
    with store.transaction() as conn:
        conn.execute("UPDATE case_file SET closed_on = '2026-09-15' WHERE id = ?", (case_id,))
    assert open_reminders(store) == [] and dashboard_items(store) == ()
    with pytest.raises(NotFoundError):
        remind_check(store, 12345, now=NOW)


def test_an_open_case_checked_under_2026_1_asks_to_check_again(store: Store) -> None:
    case_id = make_case(store)
    stepfather = {"minor": "yes", "sexual_offence": "yes"}
    old = record_check(
        store, case_id, stepfather, {}, "", now=NOW, settings=Settings(), rules_version="2026.1"
    )
    # Under 2026.1 this told the parents: the error issue 10 is about.
    assert old.rules_version == "2026.1"
    assert old.duties == ("INFORM_PARENTS", "ADVISE_REPORT_POLICE")
    assert recheck_cases(store) == [(case_id, "2026.1")] and needs_recheck(store, case_id)
    assert [i.title for i in dashboard_items(store)] == [
        "Controleer opnieuw: de regels zijn verbeterd"
    ]
    # The old decision reads back with the texts of 2026.1, never re-evaluated.
    (read,) = decisions(store, case_id)
    assert read.duties == ("INFORM_PARENTS", "ADVISE_REPORT_POLICE")
    assert question_texts(read.rules_version)["minor"] == (
        "Is de leerling minderjarig (jonger dan 18)?"
    )
    assert question_texts("2026.2")["minor"] == (
        "Is de leerling om wie het gaat minderjarig (jonger dan 18)?"
    )
    # The re-check adds a decision; the first one stays as it was.
    later = datetime(2026, 9, 15, 9, 0)
    new = record_check(
        store, case_id, {**stepfather, "family_perpetrator": "yes"}, {}, "", now=later,
        settings=Settings(),
    )
    assert new.duties == ("MELDCODE",)
    first, second = decisions(store, case_id)
    assert (first.id, first.rules_version, first.duties) == (
        old.id, "2026.1", ("INFORM_PARENTS", "ADVISE_REPORT_POLICE")
    )
    assert (second.rules_version, second.duties) == ("2026.2", ("MELDCODE",))
    assert not needs_recheck(store, case_id) and recheck_cases(store) == []


def test_a_closed_case_is_not_asked_to_check_again(store: Store) -> None:
    case_id = make_case(store)
    record_check(
        store, case_id, {"complaint": "yes"}, {}, "", now=NOW, settings=Settings(),
        rules_version="2026.1",
    )
    assert needs_recheck(store, case_id)
    with store.transaction() as conn:
        conn.execute("UPDATE case_file SET closed_on = '2026-09-20' WHERE id = ?", (case_id,))
    assert not needs_recheck(store, case_id)
