"""The annual-report wizard's questions to the store: which years, what is unfinished, and
whether a pupil's name slipped into the VP's own texts (app.services.report_checks)."""

from __future__ import annotations

from datetime import date, datetime

from app.services import demo
from app.services.escalation import insert_obligation
from app.services.report_checks import check_year, names_in_texts, report_years
from app.store.db import Store

TODAY = date(2026, 3, 4)
NOW = datetime(2026, 3, 4, 10, 0)


def _case_without_category(store: Store, opened_on: str, name: str) -> int:
    """The intake refuses a case without a category; older or imported data may have one."""
    with store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES (?, ?)", (name, opened_on + "T09:00:00")
        ).lastrowid
        case_id = conn.execute(
            "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, ?)", (pupil, opened_on)
        ).lastrowid
    return int(case_id)


def _obligation(store: Store, case_id: int, created: datetime, due: datetime) -> int:
    with store.transaction() as conn:
        return insert_obligation(
            conn,
            case_id=case_id,
            source="duty",
            duty_code="INFORM_PARENTS",
            title="Ouders informeren",
            basis="protocol 5d",
            instruction="",
            deadline="P1D",
            overrides_consent=True,
            due_at=due,
            created_at=created,
        )


def test_an_empty_store_offers_the_running_year_only(store: Store) -> None:
    assert report_years(store, TODAY) == [("2025-2026", False)]
    checks = check_year(store, "2025-2026", NOW)
    assert checks.complete and checks.count == 0


def test_years_with_data_newest_first_and_never_a_future_year(store: Store) -> None:
    demo.generate(store, years=3, seed=3, today=TODAY)
    years = report_years(store, TODAY)
    assert years == [("2025-2026", True), ("2024-2025", True), ("2023-2024", True)]
    # On 31 July the running year is still 2025-2026; a day later 2026-2027 is offered
    # (open cases carry over into it, so it already has data).
    assert report_years(store, date(2026, 7, 31))[0][0] == "2025-2026"
    assert report_years(store, date(2026, 8, 1))[:2] == [("2026-2027", True), ("2025-2026", True)]


def test_unfinished_items_of_one_year(store: Store) -> None:
    demo.generate(store, years=2, seed=4, today=TODAY)
    in_year = _case_without_category(store, "2025-10-01", "Fleur Zonder Categorie")
    _case_without_category(store, "2023-10-01", "Old Case")  # closed before both years
    with store.transaction() as conn:
        conn.execute("UPDATE case_file SET closed_on = '2024-07-01' WHERE opened_on = '2023-10-01'")
    older = _obligation(store, in_year, datetime(2025, 11, 1, 9), datetime(2025, 11, 3, 9))
    later = _obligation(store, in_year, datetime(2026, 9, 1, 9), datetime(2026, 9, 2, 9))
    checks = check_year(store, "2025-2026", NOW)
    assert [c.ref_id for c in checks.cases_without_category] == [in_year]
    assert checks.cases_without_category[0].pupil == "Fleur Zonder Categorie"
    # The demo has open obligations of its own; the planted one of this year is listed, the
    # one created in the next school year is not.
    listed = {o.ref_id: o for o in checks.open_obligations}
    assert older in listed and later not in listed
    open_in_year = store.scalar(
        "SELECT count(*) FROM obligation o JOIN case_file c ON c.id = o.case_id "
        "WHERE o.done_on IS NULL AND c.closed_on IS NULL "
        "AND o.created_at < '2026-08-01'"
    )
    assert len(listed) == open_in_year
    assert listed[older].overdue and listed[older].case_id == in_year
    assert listed[older].pupil == "Fleur Zonder Categorie"
    received = [r.on for r in checks.open_requests]
    assert received and all(date(2025, 8, 1) <= d <= TODAY for d in received)
    assert any(r.overdue for r in checks.open_requests)
    open_in_db = store.scalar(
        "SELECT count(*) FROM request WHERE answered_on IS NULL AND received_at >= '2025-08-01'"
    )
    assert len(checks.open_requests) == open_in_db
    assert checks.count == 1 + len(listed) + len(received) and not checks.complete
    # The year before: no case without category, and only the demo's own open obligations of
    # that year (the planted ones arose after its end).
    before = check_year(store, "2024-2025", NOW)
    assert before.cases_without_category == ()
    open_before = store.scalar(
        "SELECT count(*) FROM obligation o JOIN case_file c ON c.id = o.case_id "
        "WHERE o.done_on IS NULL AND c.closed_on IS NULL "
        "AND o.created_at >= '2024-08-01' AND o.created_at < '2025-08-01'"
    )
    assert len(before.open_obligations) == open_before
    assert not {older, later} & {o.ref_id for o in before.open_obligations}
    assert all(r.on < date(2025, 8, 1) for r in before.open_requests)


def test_names_in_texts(store: Store) -> None:
    _case_without_category(store, "2025-10-01", "Fleur van Dijk")
    _case_without_category(store, "2025-10-02", "Sem")  # one word: not looked for
    texts = {
        "activities": "Klassenbezoeken in alle brugklassen.",
        "signals": "Veel pesten; FLEUR VAN DIJK kwam drie keer. Sem ook.",
        "advice": "",
    }
    assert names_in_texts(store, texts) == ["Fleur van Dijk"]
    assert names_in_texts(store, {"signals": "Fleur van Dijkstra"}) == []
    assert names_in_texts(store, {"advice": ""}) == []
