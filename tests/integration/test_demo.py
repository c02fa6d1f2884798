"""The demo generator: reproducible, realistic, and using every list id and entry kind."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.domain import lists
from app.domain.dates import school_year_of
from app.rules.escalation import DUTY_CODES
from app.services.dashboard import dashboard
from app.services.demo import SCHOOL, DemoStats, Profile, fill_demo, generate
from app.services.demo_escalation import PER_YEAR
from app.services.escalation import CONSENT_ONLY, open_obligations
from app.services.meldcode import routes_for_case
from app.services.search import search
from app.store.db import Store
from app.store.settings import load_settings

from .conftest import TEST_KEY

TODAY = date(2026, 11, 29)


def build(path: Path, seed: int, years: int = 2) -> tuple[Store, DemoStats]:
    store = Store.open(path, TEST_KEY, create=True)
    return store, generate(store, years=years, seed=seed, today=TODAY)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoStats]]:
    store, stats = build(tmp_path_factory.mktemp("demo") / "demo.db", seed=7)
    yield store, stats
    store.close()


def column(store: Store, sql: str) -> set[str]:
    return {str(r[0]) for r in store.query(sql)}


def test_same_seed_same_data(tmp_path: Path, demo: tuple[Store, DemoStats]) -> None:
    store, stats = demo
    again, stats_again = build(tmp_path / "again.db", seed=7)
    try:
        assert stats_again == stats
        assert again.table_counts() == store.table_counts()
        for sql in (
            "SELECT name, class_name FROM pupil ORDER BY id",
            "SELECT body FROM note ORDER BY id",
            "SELECT * FROM entry ORDER BY id",
            "SELECT * FROM request ORDER BY id",
            "SELECT * FROM escalation ORDER BY id",
            "SELECT * FROM obligation ORDER BY id",
            "SELECT * FROM meldcode_route ORDER BY id",
            "SELECT * FROM meldcode_step ORDER BY route_id, step",
            "SELECT * FROM afweging ORDER BY id",
            "SELECT id, closed_on, close_reason, close_note_id FROM case_file ORDER BY id",
        ):
            assert [tuple(r) for r in again.query(sql)] == [tuple(r) for r in store.query(sql)]
    finally:
        again.close()
    other, other_stats = build(tmp_path / "other.db", seed=8)
    try:
        names = "SELECT name FROM pupil ORDER BY id LIMIT 50"
        assert [r[0] for r in other.query(names)] != [r[0] for r in store.query(names)]
    finally:
        other.close()
    assert other_stats != stats
    assert (stats.escalations, stats.obligations, stats.routes) == (
        stats_again.escalations,
        stats_again.obligations,
        stats_again.routes,
    )
    assert stats.escalations > 0 and stats.obligations > 0 and stats.routes > 0
    assert stats.escalations == store.scalar("SELECT count(*) FROM escalation")
    assert stats.obligations == store.scalar("SELECT count(*) FROM obligation")
    assert stats.routes == store.scalar("SELECT count(*) FROM meldcode_route")


def test_rates_of_the_school_profile(demo: tuple[Store, DemoStats]) -> None:
    _store, stats = demo
    # Two school years up to 29 November: one full year and a third of the current one.
    share = 1 + (TODAY - date(2026, 8, 1)).days / 365 + 1 / 365
    assert stats.requests == pytest.approx(SCHOOL.requests_per_year * share, rel=0.05)
    assert stats.conversations == pytest.approx(SCHOOL.conversations_per_year * share, rel=0.05)
    assert stats.cases == pytest.approx(SCHOOL.cases_per_year * share, rel=0.05)


def test_every_list_id_is_used(demo: tuple[Store, DemoStats]) -> None:
    store, _stats = demo
    used = {
        lists.CATEGORIES: column(store, "SELECT category FROM case_category"),
        lists.REFERRAL_SOURCES: column(store, "SELECT source FROM request"),
        lists.RECIPIENTS: column(store, "SELECT recipient FROM entry WHERE kind = 'consent'"),
        lists.ACTION_TYPES: column(
            store, "SELECT action_type FROM entry WHERE action_type IS NOT NULL"
        ),
        lists.EXTERNAL_HELP: column(store, "SELECT referral FROM entry WHERE kind = 'referral'"),
        lists.LEVELS: column(store, "SELECT level FROM pupil"),
        lists.TAKEN_UP_BY: column(store, "SELECT taken_up_by FROM case_file"),
        lists.ENTRY_KINDS: column(store, "SELECT kind FROM entry"),
        lists.ACTIVITY_KINDS: column(store, "SELECT kind FROM activity"),
        lists.CLOSE_REASONS: column(
            store, "SELECT close_reason FROM case_file WHERE closed_on IS NOT NULL"
        ),
    }
    for choices, values in used.items():
        assert values == set(choices), f"{choices}: {values ^ set(choices)}"
    bands = {
        lists.year_group_band(None if r[0] is None else int(r[0]))
        for r in store.query("SELECT year_group FROM pupil")
    }
    assert bands == set(lists.YEAR_GROUP_BANDS)


def test_the_demo_shows_every_situation(demo: tuple[Store, DemoStats]) -> None:
    store, _stats = demo
    board = dashboard(store, TODAY, load_settings(store))
    assert any(i.overdue for i in board.requests)
    assert any(not i.overdue for i in board.requests)
    assert any(i.overdue for i in board.plan_steps)
    assert board.no_contact
    assert store.scalar("SELECT count(*) FROM entry WHERE supersedes IS NOT NULL") > 0
    assert store.scalar("SELECT count(*) FROM entry WHERE kind = 'consent' AND consent = 0") > 0
    assert store.scalar("SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL") > 0
    assert store.scalar("SELECT count(*) FROM case_file WHERE closed_on IS NULL") > 0
    assert store.scalar("SELECT count(*) FROM pupil WHERE minor = 0") > 0
    assert store.scalar("SELECT max(on_date) FROM entry") <= TODAY.isoformat()
    assert store.scalar("SELECT min(opened_on) FROM case_file") >= "2025-08-01"
    assert store.integrity_problems() == []
    assert search(store, "pesten")
    classes = column(store, "SELECT class_name FROM pupil WHERE class_name <> ''")
    assert any(len(c) == 2 for c in classes) and any(len(c) == 3 for c in classes)


def test_escalation_checks_fit_the_cases(demo: tuple[Store, DemoStats]) -> None:
    store, _stats = demo
    rows = store.query(
        "SELECT e.case_id, e.decided_at, e.answers, e.duties, c.opened_on, "
        "(SELECT group_concat(category) FROM case_category k WHERE k.case_id = c.id) "
        "FROM escalation e JOIN case_file c ON c.id = e.case_id"
    )
    per_year: Counter[str] = Counter()
    for case_id, decided_at, answers_json, duties_json, opened_on, categories in rows:
        # At the opening moment, 10:00-15:00.
        assert decided_at[:10] == opened_on and "10:00" <= decided_at[11:16] <= "15:00"
        per_year[school_year_of(date.fromisoformat(opened_on))] += 1
        answers, duties = json.loads(answers_json), json.loads(duties_json)
        cats = set(categories.split(","))
        if "zelfbeschadiging" in cats:
            assert answers["self_endangerment"] == "yes"
        if "kindermishandeling" in cats:
            assert answers["child_abuse"] in ("yes", "doubt")
            assert {"MELDCODE", "VEILIG_THUIS_ADVICE"} & set(duties)
        if "strafbaar_feit" in cats:
            assert answers["criminal_offence"] == "yes"
            # 2026.2: no police advice for the offender or a witness (their own track instead)
            assert "ADVISE_REPORT_POLICE" in duties or "yes" in (
                answers.get("pupil_offender"),
                answers.get("pupil_witness"),
            )
        if "relatie_personeel" in cats:
            assert "REPORT_DIRECTOR" in duties
        if duties == [CONSENT_ONLY]:  # no escalation: motivated
            assert store.scalar(
                "SELECT count(*) FROM escalation WHERE case_id = ? AND motivation_note_id "
                "IS NOT NULL",
                (case_id,),
            )
    assert per_year and max(per_year.values()) <= PER_YEAR
    # Every duty code shows up (an acute danger or a report to the board may not).
    found = {c for r in rows for c in json.loads(r[3])}
    assert set(DUTY_CODES) - {"REPORT_BOARD", "ACT_NOW"} <= found
    obligation_codes = column(store, "SELECT duty_code FROM obligation WHERE source = 'duty'")
    assert set(DUTY_CODES) - {"REPORT_BOARD", "ACT_NOW", CONSENT_ONLY} <= obligation_codes


def test_obligations_done_open_and_overdue(demo: tuple[Store, DemoStats]) -> None:
    store, _stats = demo
    done, still_open = (
        store.scalar(f"SELECT count(*) FROM obligation WHERE done_on IS {x} NULL")
        for x in ("NOT", "")
    )
    assert done > still_open > 0
    # Closed cases were closed with every obligation done, each with a date not before the
    # obligation arose, and whom/how where the duty informs someone.
    assert not store.scalar(
        "SELECT count(*) FROM obligation o JOIN case_file c ON c.id = o.case_id "
        "WHERE c.closed_on IS NOT NULL AND (o.done_on IS NULL OR o.done_on > c.closed_on)"
    )
    assert not store.scalar(
        "SELECT count(*) FROM obligation WHERE done_on < substr(created_at, 1, 10) OR done_on > ?",
        (TODAY.isoformat(),),
    )
    assert not store.scalar(
        "SELECT count(*) FROM obligation WHERE done_on IS NOT NULL AND duty_code IN "
        "('INFORM_PARENTS', 'REPORT_DIRECTOR', 'VEILIG_THUIS_ADVICE', 'VEILIG_THUIS_MELDING') "
        "AND (informed_whom = '' OR informed_how = '')"
    )
    # A help term is met by answering question 5 (no one is told): only the others say it.
    told = column(
        store,
        "SELECT pupil_told_first FROM obligation WHERE done_on IS NOT NULL "
        "AND duty_code <> 'MELDCODE_TERM'",
    )
    assert told == {"0", "1"}
    pending = open_obligations(store, TODAY)
    assert any(o.overdue for o in pending)
    assert all(not o.case_closed for o in pending)


def test_meldcode_routes_with_steps_and_afwegingen(demo: tuple[Store, DemoStats]) -> None:
    store, stats = demo
    case_ids = [int(r[0]) for r in store.query("SELECT DISTINCT case_id FROM meldcode_route")]
    routes = [r for case_id in case_ids for r in routes_for_case(store, case_id)]
    assert len(routes) == stats.routes > 0
    assert {r.kind for r in routes} == {"MELDCODE", "VEILIG_THUIS_ADVICE"}
    assert any([s.step for s in r.steps] == [1, 2, 3] for r in routes)
    for r in routes:
        days = [s.on_date for s in r.steps]
        assert days == sorted(days) and all(r.started_on <= d <= TODAY for d in days)
        if r.afwegingen:
            assert [s.step for s in r.steps] == [1, 2, 3]
    outcomes = {a.outcome for r in routes for a in r.afwegingen}
    assert {"start_help", "melden"} <= outcomes
    # A help term is an obligation (answer question 5 after it).
    assert store.scalar("SELECT count(*) FROM obligation WHERE duty_code = 'MELDCODE_TERM'")
    assert store.scalar("SELECT count(*) FROM obligation WHERE duty_code = 'VEILIG_THUIS_MELDING'")


def test_note_ids_follow_the_dates(demo: tuple[Store, DemoStats]) -> None:
    store, _stats = demo
    dates = [
        r[0]
        for r in store.query(
            "SELECT e.on_date FROM entry e WHERE e.note_id IS NOT NULL ORDER BY e.note_id"
        )
    ]
    assert dates == sorted(dates)


def test_fill_demo_adds_to_a_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d.db", TEST_KEY, create=True)
    try:
        fill_demo(store, years=1, seed=3, today=TODAY)
        first = store.table_counts()
        tiny = Profile(40, 20, 60, activities_per_year=6)
        generate(store, years=1, seed=4, today=TODAY, profile=tiny)
        second = store.table_counts()
        assert second["case_file"] > first["case_file"] > 0
        assert store.integrity_problems() == []
        assert store.scalar("PRAGMA foreign_key_check") is None
    finally:
        store.close()


def test_checks_under_2026_2_and_a_few_old_ones_to_check_again(
    demo: tuple[Store, DemoStats],
) -> None:
    """Issue 10: the demo checks under the current rules, and keeps a few 2026.1 decisions on
    open cases so that "Controleer opnieuw: de regels zijn verbeterd" shows."""
    from app.services.check_reminders import dashboard_items, recheck_cases

    store, _stats = demo
    versions = [r[0] for r in store.query("SELECT rules_version FROM escalation")]
    assert set(versions) == {"2026.1", "2026.2"}
    assert versions.count("2026.1") <= 3 < versions.count("2026.2")
    again = recheck_cases(store)
    assert again and all(version == "2026.1" for _case, version in again)
    open_ids = {int(r[0]) for r in store.query("SELECT id FROM case_file WHERE closed_on IS NULL")}
    assert {case_id for case_id, _version in again} <= open_ids
    prompts = [i for i in dashboard_items(store) if i.kind == "recheck"]
    assert [p.title for p in prompts] == ["Controleer opnieuw: de regels zijn verbeterd"] * len(
        again
    )
