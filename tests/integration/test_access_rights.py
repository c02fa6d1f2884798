"""A complete access export (issue 13 item 5, AVG art. 15): who asks is checked, a parent's
request needs the child-safety answer, parts may be left out with a recorded reason (the PDF
says so, not which), and the PDF — read back with pypdf — holds every art. 15(1) item, the
answer term, the board as controller and the unfinished drafts. The term is tracked."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.domain.errors import ValidationError
from app.services.access_export import text_choices
from app.services.access_rights import (
    AccessRequest,
    export_on_request,
    extend_request,
    open_requests,
    record_access_request,
)
from app.store.db import Store
from app.store.settings import Settings, save_settings
from tests.integration._privacy_support import marked_case

pypdf = pytest.importorskip("pypdf")

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
NOW = datetime(2025, 9, 1, 12, 0)
BOARD = "Stichting Katholiek Onderwijs Peelland"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "a.db", KEY, create=True)
    save_settings(opened, Settings(school="Inzagecollege", board_name=BOARD, retention_years=2,
                                   retention_years_meldcode=7))
    yield opened
    opened.close()


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_export_holds_every_article_15_item(store: Store) -> None:
    case = marked_case(store, "ar", opened_on=date(2025, 3, 3), closed_on=None, drafts=True)
    request = AccessRequest("parent_authority", True, date(2025, 8, 25), safety_concern=False)

    whole = text_of(export_on_request(store, case.pupil_id, request, made_by="VP", now=NOW))

    items = {
        "controller (the board)": f"{BOARD} (het schoolbestuur)",
        "purposes (a)": "Doelen",
        "categories (b)": "Soorten gegevens",
        "recipients (c)": "Volgens dit dossier zijn gegevens gedeeld met: Mentor of coach",
        "retention period (d)": "2 jaar na het einde van dat schooljaar",
        "meldcode retention (d)": "meldcoderoute na 7 jaar",
        "rectification (e)": "rectificatie, artikel 16",
        "erasure (e)": "te wissen (artikel 17)",
        "restriction (e)": "beperking, artikel 18",
        "objection (e)": "bezwaar maken (artikel 21)",
        "complaint to the AP (f)": "Autoriteit Persoonsgegevens",
        "source (g)": "Herkomst",
        "automated decisions (h)": "Geautomatiseerde besluiten",
        "who asked": "een ouder of verzorger met gezag",
        "received": "25-08-2025",
        "answer term": "uiterlijk 25-09-2025",
        "extension": "twee maanden worden verlengd",
        "drafts": "Onafgemaakte concepten",
    }
    missing = [name for name, text in items.items() if text not in whole]
    assert missing == []
    assert "zqarwhy" in whole  # the escalation draft's text (and the check's motivation)
    assert "Sommige delen van het dossier" not in whole
    row = store.query("SELECT kind, requester, under_16, safety_concern, withheld, done_on, "
                      "due_on FROM privacy_request")[0]
    assert tuple(row) == ("access", "parent_authority", 1, 0, 0, "2025-09-01", "2025-09-25")
    assert journal.entries(store, 1)[0][1] == "privacy_request"


def test_parts_left_out_are_not_named(store: Store) -> None:
    case = marked_case(store, "wh", opened_on=date(2025, 3, 3), closed_on=None, drafts=False)
    choices = text_choices(store, case.pupil_id)
    keys = {key for key, _caption, _text in choices}
    assert f"case:{case.case_id}:story" in keys
    story = next(t for k, _c, t in choices if k == f"case:{case.case_id}:story")
    parent = AccessRequest("parent_authority", True, date(2025, 8, 25), safety_concern=True,
                           withheld=frozenset({f"case:{case.case_id}:story", "sources"}))
    with pytest.raises(ValidationError, match="waarom je delen weglaat"):
        export_on_request(store, case.pupil_id, parent, made_by="VP", now=NOW)
    with pytest.raises(ValidationError, match="gevaar thuis"):
        export_on_request(store, case.pupil_id, AccessRequest(
            "parent_authority", True, date(2025, 8, 25)), made_by="VP", now=NOW)
    with pytest.raises(ValidationError, match="zonder gezag"):
        export_on_request(store, case.pupil_id, AccessRequest(
            "parent_no_authority", True, date(2025, 8, 25), safety_concern=False),
            made_by="VP", now=NOW)
    reasoned = AccessRequest(parent.requester, True, parent.received_on, True, parent.withheld,
                             reason="Gevaar thuis: het verhaal blijft buiten de inzage.")
    whole = text_of(export_on_request(store, case.pupil_id, reasoned, made_by="VP", now=NOW))
    assert "zqwhstory" in story and "zqwhstory" not in whole
    assert "zqwhtalk" in whole  # the rest is there
    assert "Sommige delen van het dossier zijn in dit document weggelaten" in whole
    assert "Aangemeld via" not in whole and "Het verhaal van de leerling" not in whole


def test_the_answer_term_is_tracked(store: Store) -> None:
    case = marked_case(store, "tr", opened_on=date(2025, 3, 3), closed_on=None, drafts=False)
    waiting = record_access_request(store, case.pupil_id, "pupil", False, date(2025, 8, 30),
                                    now=NOW)
    assert waiting.due_on == date(2025, 9, 30) and waiting.answer_by == date(2025, 9, 30)
    with pytest.raises(ValidationError):
        extend_request(store, waiting.id, date(2025, 12, 31), "Veel stukken.", now=NOW)
    with pytest.raises(ValidationError):
        extend_request(store, waiting.id, date(2025, 11, 1), "", now=NOW)
    extend_request(store, waiting.id, date(2025, 11, 30), "Veel stukken na te lezen.", now=NOW)
    assert open_requests(store, case.pupil_id)[0].answer_by == date(2025, 11, 30)
    whole = text_of(export_on_request(
        store, case.pupil_id, AccessRequest("pupil", False, date(2025, 8, 30)),
        made_by="VP", now=NOW))
    assert "30-11-2025 (verlengd)" in whole
    assert open_requests(store, case.pupil_id) == []
    assert store.scalar("SELECT count(*) FROM privacy_request") == 1


def test_the_dashboard_reminds_of_waiting_requests_and_holds(store: Store) -> None:
    from app.services.access_rights import privacy_reminders
    from app.services.holds import place_hold

    case = marked_case(store, "rm", opened_on=date(2025, 3, 3), closed_on=None, drafts=False)
    assert privacy_reminders(store, NOW.date()) == []
    record_access_request(store, case.pupil_id, "pupil", False, date(2025, 8, 30), now=NOW)
    place_hold(store, case.case_id, reason="police", note="", review_on=date(2025, 9, 10),
               now=NOW)
    assert privacy_reminders(store, NOW.date()) == [
        "1 privacyverzoek(en) wachten op antwoord; het eerste uiterlijk 30-09-2025."]
    late = privacy_reminders(store, date(2025, 10, 1))
    assert "had op 30-09-2025 beantwoord moeten zijn" in late[0]
    assert "opnieuw te bekijken" in late[1]
