"""The demo generator: reproducible, realistic, and using every list id and entry kind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain import lists
from app.services.dashboard import dashboard
from app.services.demo import SCHOOL, DemoStats, Profile, fill_demo, generate
from app.services.search import search
from app.store.db import Store
from app.store.settings import load_settings

from .conftest import TEST_KEY

TODAY = date(2026, 11, 29)


def build(path: Path, seed: int, years: int = 2) -> tuple[Store, DemoStats]:
    store = Store.open(path, TEST_KEY, create=True)
    return store, generate(store, years=years, seed=seed, today=TODAY)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, DemoStats]:
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
