"""The dashboard lists for a fixed `today`: requests to answer, plan steps due, no contact."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.services import casework as cw
from app.services.dashboard import STEPS_AHEAD_DAYS, dashboard
from app.store.db import Store
from app.store.settings import Settings

TODAY = date(2026, 10, 15)  # the `clock` fixture's day


def new_case(store: Store, clock: FixedClock, name: str, opened: date) -> int:
    return cw.open_case(
        store,
        clock,
        Intake(
            opened_on=opened,
            confidentiality_explained_at=datetime.combine(opened, datetime.min.time()),
            categories=("welbevinden",),
            taken_up_by="vp",
            pupil=PupilData(name),
            source="leerling_zelf",
        ),
    ).id


def test_empty_store(store: Store) -> None:
    board = dashboard(store, TODAY, Settings())
    assert board.today == TODAY
    assert board.requests == board.plan_steps == board.no_contact == ()
    assert board.obligations == board.meldcode_steps == board.retention_due == ()
    assert board.backup_age_days is None


def test_requests_to_answer(store: Store, clock: FixedClock) -> None:
    late = cw.register_request(
        store, clock, received_at=datetime(2026, 10, 5, 9), source="ouder", pupil_label="Sem"
    ).request
    due_today = cw.register_request(
        store, clock, received_at=datetime(2026, 10, 14, 9), source="docent"
    ).request
    urgent = cw.register_request(
        store, clock, received_at=datetime(2026, 10, 13, 9), source="mentor_coach", urgent=True
    ).request
    answered = cw.register_request(
        store, clock, received_at=datetime(2026, 10, 1, 9), source="ouder"
    ).request
    cw.answer_request(store, clock, answered.id, answered_on=date(2026, 10, 2))
    items = dashboard(store, TODAY, Settings()).requests
    assert [i.ref_id for i in items] == [late.id, urgent.id, due_today.id]
    assert [i.overdue for i in items] == [True, True, False]
    assert items[0].due == date(2026, 10, 6) and items[0].title == "Sem"
    assert items[0].detail == "ouder" and items[0].kind == "request"
    assert items[2].due == TODAY


def test_plan_steps_due(store: Store, clock: FixedClock) -> None:
    case = new_case(store, clock, "Fleur Mosveen", date(2026, 9, 1))
    start = date(2026, 9, 10)

    def step(text: str, due: date) -> int:
        return cw.add_plan_step(store, clock, case, on_date=start, text=text, due_on=due).id

    overdue = step("Te laat", TODAY - timedelta(days=1))
    today = step("Vandaag", TODAY)
    soon = step("Binnen een week", TODAY + timedelta(days=STEPS_AHEAD_DAYS))
    step("Later", TODAY + timedelta(days=STEPS_AHEAD_DAYS + 1))
    done = step("Gedaan", TODAY - timedelta(days=3))
    cw.mark_step_done(store, clock, done, done_on=TODAY - timedelta(days=3))
    moved = step("Verzet", TODAY - timedelta(days=2))
    entry = cw.get_entry(store, moved)
    cw.correct_entry(store, clock, moved, replace(entry.data(), due_on=TODAY + timedelta(days=30)))

    items = dashboard(store, TODAY, Settings()).plan_steps
    assert [i.ref_id for i in items] == [overdue, today, soon]
    assert [i.overdue for i in items] == [True, False, False]
    assert items[0].detail == "Te laat" and items[0].title == "Fleur Mosveen"
    assert items[0].case_id == case

    other = new_case(store, clock, "Bram Duinhof", date(2026, 9, 1))
    cw.add_plan_step(store, clock, other, on_date=start, text="Open", due_on=TODAY)
    cw.close_case(store, clock, other, closed_on=TODAY, reason="opgelost", force=True)
    assert len(dashboard(store, TODAY, Settings()).plan_steps) == 3  # closed cases drop out


def test_cases_without_contact(store: Store, clock: FixedClock) -> None:
    quiet = new_case(store, clock, "Noor Rietstra", date(2026, 8, 24))
    talked = new_case(store, clock, "Liv Varenkamp", date(2026, 8, 24))
    cw.add_conversation(store, clock, talked, on_date=TODAY - timedelta(weeks=2))
    recent = new_case(store, clock, "Teun Wilgink", TODAY - timedelta(weeks=3))
    closed = new_case(store, clock, "Mees Kopersloot", date(2026, 8, 24))
    cw.close_case(store, clock, closed, closed_on=date(2026, 9, 1), reason="opgelost")
    consulted = new_case(store, clock, "Aya Brink", date(2026, 8, 24))
    cw.add_consultation(store, clock, consulted, on_date=TODAY, with_whom="GGD")

    items = dashboard(store, TODAY, Settings(no_contact_weeks=6)).no_contact
    assert [i.ref_id for i in items] == [quiet, consulted]  # only conversations count as contact
    assert items[0].due == date(2026, 8, 24) and items[0].overdue
    assert items[0].title == "Noor Rietstra" and items[0].case_id == quiet

    shorter = dashboard(store, TODAY, Settings(no_contact_weeks=1)).no_contact
    assert {i.ref_id for i in shorter} == {quiet, consulted, talked, recent}
