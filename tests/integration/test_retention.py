"""Retention (job 8, QUALITY R13, R14): which closed cases are due, and that destroying them
really removes them — from the tables, from the full-text index, and from every decrypted page
of the file (free pages and slack included), with only counts in the hash-chained journal."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.domain.errors import NotFoundError, ValidationError
from app.services import retention
from app.services.cases import get_case
from app.services.demo import generate
from app.services.drafts import load_draft, save_draft
from app.store.db import Store
from app.store.settings import Settings
from tests.integration._privacy_support import (
    decrypted_pages,
    found_in,
    fts_terms,
    marked_case,
    plaintext_export,
    report_made,
)

pytest.importorskip("cryptography")

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
TODAY = date(2025, 9, 1)  # school year 2025-2026 has just begun
NOW = datetime(2025, 9, 1, 12, 0)
# The marked cases have a meldcode route: the separate meldcode setting is set to 1 as well.
SETTINGS = Settings(school="Retentiecollege", retention_years=1, retention_years_meldcode=1)
CASE_TABLES = ("entry", "case_category", "escalation", "meldcode_route", "obligation", "note")


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "r.db"
    store = Store.open(path, KEY, create=True)
    generate(store, years=3, seed=11, today=TODAY)
    yield store, path
    store.close()


def test_a_closed_case_waits_for_its_annual_report(filled: tuple[Store, Path]) -> None:
    store, _path = filled
    old = marked_case(store, "wt", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    overview = retention.retention_overview(store, TODAY, SETTINGS)
    assert old.case_id not in {i.case_id for i in overview.due}
    waiting = {i.case_id: i for i in overview.waiting}
    assert old.case_id in waiting
    item = waiting[old.case_id]
    assert item.school_year == "2023-2024"
    assert item.due_on == date(2025, 7, 31)
    assert item.closed_on == date(2024, 4, 15)
    assert item.pupil_label == f"{old.pupil_name} (3H2)"
    assert not item.reported

    # An interim report made before the case was closed did not count it.
    report_made(store, "2023-2024", datetime(2024, 3, 1, 10, 0))
    assert old.case_id in {i.case_id for i in retention.waiting_for_report(store, TODAY, SETTINGS)}

    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    due = {i.case_id: i for i in retention.due_for_destruction(store, TODAY, SETTINGS)}
    assert due[old.case_id].reported
    # Not a day early; and a longer retention period moves the date.
    assert old.case_id not in {
        i.case_id for i in retention.due_for_destruction(store, date(2025, 7, 30), SETTINGS)
    }
    assert old.case_id in {
        i.case_id for i in retention.due_for_destruction(store, date(2025, 7, 31), SETTINGS)
    }
    two_years = Settings(retention_years=2, retention_years_meldcode=2)
    assert old.case_id not in {
        i.case_id for i in retention.due_for_destruction(store, TODAY, two_years)
    }
    items = retention.dashboard_items(store, TODAY, SETTINGS)
    assert {i.kind for i in items} == {"retention"}
    assert old.case_id in {i.ref_id for i in items}
    # Every due case is closed, counted, and past its date.
    for item in retention.due_for_destruction(store, TODAY, SETTINGS):
        assert item.closed_on <= date(2024, 7, 31) and item.due_on <= TODAY


def test_the_next_years_report_also_counts_a_case(filled: tuple[Store, Path]) -> None:
    """The report of 2024-2025 shows 2023-2024 beside it: the case has been counted."""
    store, _path = filled
    old = marked_case(store, "nx", opened_on=date(2024, 5, 6), closed_on=date(2024, 6, 10))
    report_made(store, "2024-2025", datetime(2025, 8, 20, 9, 0))
    assert old.case_id in {i.case_id for i in retention.due_for_destruction(store, TODAY, SETTINGS)}


def test_open_and_recent_cases_are_never_due(filled: tuple[Store, Path]) -> None:
    store, _path = filled
    for year in ("2023-2024", "2024-2025"):
        report_made(store, year, datetime(2025, 8, 25, 9, 0))
    due = {i.case_id for i in retention.due_for_destruction(store, TODAY, SETTINGS)}
    rows = store.query(
        "SELECT id FROM case_file WHERE closed_on IS NULL OR closed_on > '2024-07-31'"
    )
    assert due and not due & {int(r[0]) for r in rows}


def test_destroying_removes_everything_and_overwrites_the_pages(
    filled: tuple[Store, Path], tmp_path: Path
) -> None:
    """R13: after the purge the cases are gone and their text is in no decrypted page."""
    store, path = filled
    gone = marked_case(store, "gn", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    kept = marked_case(store, "kp", opened_on=date(2025, 3, 3), closed_on=date(2025, 5, 5))
    save_draft(store, "intake", {"pupil_id": gone.pupil_id, "story": "zqgnintake"}, now=NOW)
    save_draft(store, "elsewhere", {"x": 1}, now=NOW)
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    markers = [*gone.markers, gone.pupil_name, "zqgnintake"]

    # The test can see the texts before: the decryption works and the check means something.
    store.close()
    assert found_in(decrypted_pages(path, KEY), markers) == markers
    store = Store.open(path, KEY)
    try:
        due = [i.case_id for i in retention.due_for_destruction(store, TODAY, SETTINGS)]
        assert gone.case_id in due and kept.case_id not in due
        others_before = int(store.scalar("SELECT count(*) FROM case_file")) - len(due)
        outside = (
            "FROM {t} x JOIN meldcode_route r ON r.id = x.route_id "
            "WHERE r.case_id NOT IN (SELECT value FROM json_each(?))"
        )
        kept_rows = {
            t: int(store.scalar("SELECT count(*) " + outside.format(t=t), (json.dumps(due),)))
            for t in ("meldcode_step", "afweging")
        }
        kept_notes = int(
            store.scalar("SELECT count(*) FROM note WHERE case_id = ?", (kept.case_id,))
        )

        assert retention.destroy_cases(store, due, now=NOW, settings=SETTINGS) == len(due)

        # Gone from the tables.
        for case_id in [*due[:20], gone.case_id]:
            with pytest.raises(NotFoundError):
                get_case(store, case_id)
        marks = json.dumps(due)
        in_due = "case_id IN (SELECT value FROM json_each(?))"
        for table in CASE_TABLES:
            assert store.scalar(f"SELECT count(*) FROM {table} WHERE {in_due}", (marks,)) == 0, (
                table
            )
        assert store.scalar("SELECT count(*) FROM request WHERE id = ?", (gone.request_id,)) == 0
        assert store.scalar("SELECT count(*) FROM pupil WHERE id = ?", (gone.pupil_id,)) == 0
        for table, count in kept_rows.items():  # steps and afwegingen of other cases only
            assert store.scalar(f"SELECT count(*) FROM {table}") == count >= 1
        assert load_draft(store, f"escalation:{gone.case_id}") is None
        assert load_draft(store, "intake") is None
        assert load_draft(store, "elsewhere") == {"x": 1}
        assert load_draft(store, f"escalation:{kept.case_id}") is not None
        # Nothing else touched.
        assert int(store.scalar("SELECT count(*) FROM case_file")) == others_before
        assert get_case(store, kept.case_id).story.startswith("Verhaal zqkp")
        assert (
            store.scalar("SELECT count(*) FROM note WHERE case_id = ?", (kept.case_id,))
            == kept_notes
        )
        # Gone from the full-text index, its vocabulary included.
        assert store.query("SELECT rowid FROM note_fts WHERE note_fts MATCH 'zqgnstory'") == []
        assert fts_terms(store, "zqgn") == []
        assert fts_terms(store, "zqkp") != []
        assert store.query("SELECT rowid FROM note_fts WHERE note_fts MATCH 'zqkpstory'") != []
        assert store.integrity_problems() == []
        assert store.query("PRAGMA foreign_key_check") == []

        # The journal holds counts only, and its chain is intact.
        _at, event, detail = journal.entries(store, 1)[0]
        assert event == "destroyed"
        assert detail["cases"] == len(due) and set(detail) == {"cases", "pupils", "requests"}
        assert all(isinstance(v, int) for v in detail.values())
        assert journal.verify(store) == []

        # A plaintext copy of what is left holds none of it.
        plain = plaintext_export(store, tmp_path / "plain.db")
        assert found_in(plain, markers) == []
        assert found_in(plain, kept.markers) == kept.markers
    finally:
        store.close()
    # And no page of the file, decrypted, holds it: free pages and slack were overwritten.
    pages = decrypted_pages(path, KEY)
    assert found_in(pages, markers) == []
    assert found_in(pages, kept.markers) == kept.markers


def test_destroy_refuses_open_undue_and_unknown_cases(filled: tuple[Store, Path]) -> None:
    store, _path = filled
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    due = [i.case_id for i in retention.due_for_destruction(store, TODAY, SETTINGS)]
    open_case = int(store.scalar("SELECT id FROM case_file WHERE closed_on IS NULL LIMIT 1"))
    recent = int(store.scalar("SELECT id FROM case_file WHERE closed_on > '2024-07-31' LIMIT 1"))
    before = store.table_counts()
    for wrong in ([*due[:3], open_case], [recent]):
        with pytest.raises(ValidationError) as refused:
            retention.destroy_cases(store, wrong, now=NOW, settings=SETTINGS)
        assert str(wrong[-1]) in refused.value.message
    with pytest.raises(NotFoundError):
        retention.destroy_cases(store, [999_999], now=NOW)
    assert store.table_counts() == before
    assert retention.destroy_cases(store, [], now=NOW) == 0


@pytest.mark.parametrize("tamper", ["change", "remove", "reorder", "cut"])
def test_the_journal_shows_tampering_with_the_destroyed_entry(
    filled: tuple[Store, Path], tamper: str
) -> None:
    """R14: changing, removing or reordering the entry that records a purge is detected."""
    store, _path = filled
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    due = [i.case_id for i in retention.due_for_destruction(store, TODAY, SETTINGS)]
    retention.destroy_cases(store, due, now=NOW, settings=SETTINGS)
    journal.append(store, "2025-09-01T12:05:00", "locked")
    assert journal.verify(store) == []
    target = int(store.scalar("SELECT id FROM journal WHERE event = 'destroyed'"))
    with store.transaction() as conn:
        if tamper == "change":
            conn.execute(
                "UPDATE journal SET detail = ? WHERE id = ?",
                (json.dumps({"cases": 1, "pupils": 0, "requests": 0}, sort_keys=True), target),
            )
        elif tamper == "remove":
            conn.execute("DELETE FROM journal WHERE id = ?", (target,))
        elif tamper == "reorder":
            a = conn.execute("SELECT at, event, detail FROM journal WHERE id = ?", (target,))
            b = conn.execute("SELECT at, event, detail FROM journal WHERE id = ?", (target - 1,))
            first, second = a.fetchone(), b.fetchone()
            for row_id, row in ((target, second), (target - 1, first)):
                conn.execute(
                    "UPDATE journal SET at = ?, event = ?, detail = ? WHERE id = ?",
                    (*tuple(row), row_id),
                )
        else:
            conn.execute("DELETE FROM journal WHERE id >= ?", (target,))
    assert journal.verify(store) != []
