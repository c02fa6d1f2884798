"""Files on hold (issue 13 item 2) and the school's retention settings (item 7): a held file
is never offered for destruction, lifting is recorded, and a file with a meldcode route uses
the separate, longer retention setting."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.domain.errors import NotFoundError, ValidationError
from app.services import retention
from app.services.holds import active_hold, holds_for_case, lift_hold, place_hold
from app.store.db import Store
from app.store.settings import Settings
from tests.integration._privacy_support import marked_case, report_made

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
TODAY = date(2025, 9, 1)
NOW = datetime(2025, 9, 1, 12, 0)
SHORT = Settings(retention_years=1, retention_years_meldcode=1)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "h.db", KEY, create=True)
    yield opened
    opened.close()


def due_ids(store: Store, settings: Settings, today: date = TODAY) -> set[int]:
    return {i.case_id for i in retention.due_for_destruction(store, today, settings)}


def test_a_held_file_is_never_offered_for_destruction(store: Store) -> None:
    old = marked_case(store, "ho", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    assert old.case_id in due_ids(store, SHORT)

    hold = place_hold(store, old.case_id, reason="complaint", note="Klacht loopt nog.",
                      review_on=date(2025, 12, 1), now=NOW)
    assert hold.active and hold.reason == "complaint" and hold.review_on == date(2025, 12, 1)
    assert old.case_id not in due_ids(store, SHORT)
    assert old.case_id not in due_ids(store, SHORT, date(2040, 1, 1))
    overview = retention.retention_overview(store, TODAY, SHORT)
    assert [i.case_id for i in overview.held] == [old.case_id]
    assert overview.held[0].hold == "complaint"
    assert old.case_id not in {i.case_id for i in retention.dashboard_items(store, TODAY, SHORT)}
    with pytest.raises(ValidationError):
        retention.destroy_cases(store, [old.case_id], now=NOW, settings=SHORT)
    assert store.scalar("SELECT count(*) FROM case_file WHERE id = ?", (old.case_id,)) == 1

    lifted = lift_hold(store, old.case_id, note="Klacht afgehandeld.", now=NOW)
    assert not lifted.active and lifted.lift_note == "Klacht afgehandeld."
    assert active_hold(store, old.case_id) is None
    assert [h.lifted_on for h in holds_for_case(store, old.case_id)] == [TODAY]
    assert old.case_id in due_ids(store, SHORT)
    events = [e for _at, e, _d in journal.entries(store, 2)]
    assert events == ["hold_lifted", "hold_placed"]
    assert journal.entries(store, 2)[1][2] == {"reason": "complaint"}
    assert journal.verify(store) == []

    # Destroying takes the hold rows and their notes along.
    assert retention.destroy_cases(store, [old.case_id], now=NOW, settings=SHORT) == 1
    assert store.scalar("SELECT count(*) FROM case_hold") == 0
    assert store.scalar("SELECT count(*) FROM note WHERE body LIKE 'Klacht%'") == 0


def test_hold_input_is_checked(store: Store) -> None:
    case = marked_case(store, "hi", opened_on=date(2025, 3, 3), closed_on=None)
    with pytest.raises(ValidationError):
        place_hold(store, case.case_id, reason="", note="", review_on=None, now=NOW)
    with pytest.raises(ValidationError):
        place_hold(store, case.case_id, reason="other", note="  ", review_on=None, now=NOW)
    with pytest.raises(ValidationError):
        place_hold(store, case.case_id, reason="police", note="", review_on=date(2025, 8, 1),
                   now=NOW)
    with pytest.raises(NotFoundError):
        place_hold(store, 999_999, reason="police", note="", review_on=None, now=NOW)
    with pytest.raises(ValidationError):
        lift_hold(store, case.case_id, note="Klaar.", now=NOW)
    place_hold(store, case.case_id, reason="police", note="", review_on=None, now=NOW)
    with pytest.raises(ValidationError):
        place_hold(store, case.case_id, reason="board", note="", review_on=None, now=NOW)
    with pytest.raises(ValidationError):
        lift_hold(store, case.case_id, note="", now=NOW)
    assert len(holds_for_case(store, case.case_id)) == 1


def test_files_with_a_meldcode_route_use_the_longer_setting(store: Store) -> None:
    route = marked_case(store, "mr", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    report_made(store, "2023-2024", datetime(2024, 9, 20, 10, 0))
    longer = Settings(retention_years=1, retention_years_meldcode=3)
    assert route.case_id not in due_ids(store, longer)
    item = retention.retention_overview(store, date(2027, 7, 31), longer).due
    assert [i.case_id for i in item] == [route.case_id]
    assert item[0].meldcode and item[0].due_on == date(2027, 7, 31)
    assert route.case_id not in due_ids(store, longer, date(2027, 7, 30))
    # A case without a route keeps the normal setting.
    with store.transaction() as conn:
        conn.execute("DELETE FROM afweging")
        conn.execute("DELETE FROM meldcode_step")
        conn.execute("UPDATE obligation SET route_id = NULL")
        conn.execute("DELETE FROM meldcode_route")
    assert route.case_id in due_ids(store, longer)
