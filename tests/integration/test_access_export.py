"""Right of access and erasure (job 8): the PDF of everything about one pupil, marked as
personal data on every page, and the erasure of one pupil without a trace in the file."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from app import journal
from app.clock import FixedClock
from app.domain.errors import NotFoundError, ValidationError
from app.domain.models import Intake, PupilData
from app.services import access_export
from app.services.access_export import pupil_export_pdf, unlinked_requests_like
from app.services.cases import get_case, open_case
from app.services.demo import generate
from app.services.erasure import ErasureRequest, erase_on_request
from app.services.requests import register_request
from app.store.db import Store
from app.store.settings import Settings, save_settings
from tests.integration._privacy_support import (
    decrypted_pages,
    found_in,
    fts_terms,
    marked_case,
    plaintext_export,
)

pypdf = pytest.importorskip("pypdf")

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
TODAY = date(2025, 9, 1)
NOW = datetime(2025, 9, 1, 12, 0)
MARKING = "Persoonsgegevens — vertrouwelijk (inzage AVG art. 15)"


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Store, Path]:
    path = tmp_path / "a.db"
    store = Store.open(path, KEY, create=True)
    save_settings(store, Settings(school="Inzagecollege", location="Eindhoven"))
    generate(store, years=2, seed=5, today=TODAY)
    yield store, path
    store.close()


def pages_text(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_export_holds_everything_about_the_pupil_and_is_marked(
    filled: tuple[Store, Path],
) -> None:
    store, _path = filled
    one = marked_case(store, "ex", opened_on=date(2024, 3, 11), closed_on=date(2024, 4, 15))
    other = marked_case(store, "ot", opened_on=date(2024, 5, 13), closed_on=None)
    # A second, open case of the same pupil.
    second = open_case(
        store,
        FixedClock(datetime(2025, 3, 3, 10, 0)),
        Intake(
            opened_on=date(2025, 3, 3),
            confidentiality_explained_at=datetime(2025, 3, 3, 10, 0),
            categories=("pesten",),
            taken_up_by="vp",
            source="mentor_coach",
            story="Tweede verhaal zqexsecond.",
            pupil_id=one.pupil_id,
        ),
    )

    pdf = pupil_export_pdf(store, one.pupil_id, made_by="M. de Vries", now=NOW)

    assert pdf.startswith(b"%PDF")
    texts = pages_text(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert MARKING in text, f"page {number} lacks the marking"
        assert f"Pagina {number} van {len(texts)}" in text
    whole = flat(" ".join(texts))
    assert one.pupil_name in whole
    assert "M. de Vries" in whole and "Inzagecollege" in whole
    # Who may receive it, and that the VP decides about limiting it.
    assert "jonger dan 16" in whole and "vanaf 16" in whole
    # Every text, the superseded entry and the correction included.
    missing = [m for m in [*one.markers, "zqexsecond"] if m not in whole.lower()]
    assert missing == []
    assert "vervangen door een correctie" in whole
    assert f"Dossier {one.case_id}" in whole and f"Dossier {second.id}" in whole
    # Nothing about the other pupil.
    assert other.pupil_name not in whole
    assert not [m for m in other.markers if m in whole.lower()]

    at, event, detail = journal.entries(store, 1)[0]
    assert event == "exported" and at == "2025-09-01T12:00:00"
    assert detail["kind"] == "access" and detail["cases"] == 2 and detail["pages"] == len(texts)
    assert all(isinstance(v, int) for k, v in detail.items() if k != "kind")
    assert journal.verify(store) == []


def test_the_export_of_an_unknown_pupil_is_refused(filled: tuple[Store, Path]) -> None:
    store, _path = filled
    with pytest.raises(NotFoundError):
        pupil_export_pdf(store, 999_999, made_by="VP", now=NOW)


def test_names_outside_latin_1_print_when_a_wide_font_exists(filled: tuple[Store, Path]) -> None:
    if access_export._fonts()[0] == "Helvetica":
        pytest.skip("no TrueType font with wide coverage on this machine")
    store, _path = filled
    clock = FixedClock(datetime(2025, 3, 3, 10, 0))
    case = open_case(
        store,
        clock,
        Intake(
            opened_on=date(2025, 3, 3),
            confidentiality_explained_at=clock.now(),
            categories=("pesten",),
            taken_up_by="vp",
            source="leerling_zelf",
            pupil=PupilData(name="Łukasz Şahinoğlu"),
        ),
    )
    whole = flat(" ".join(pages_text(pupil_export_pdf(store, case.pupil_id, made_by="", now=NOW))))
    assert "Łukasz Şahinoğlu" in whole


def test_erasure_leaves_no_trace_of_the_pupil(filled: tuple[Store, Path], tmp_path: Path) -> None:
    store, path = filled
    gone = marked_case(store, "er", opened_on=date(2024, 9, 9), closed_on=None)
    kept = marked_case(store, "st", opened_on=date(2024, 9, 16), closed_on=date(2024, 10, 1))
    # A later request registered with only the pupil's name: found as a candidate, erased too.
    loose = register_request(
        store,
        FixedClock(datetime(2025, 8, 29, 10, 0)),
        received_at=datetime(2025, 8, 29, 9, 0),
        source="ouder",
        pupil_label=gone.pupil_name.upper(),
        note="Moeder belt opnieuw zqerloose.",
    ).request
    assert [r.id for r in unlinked_requests_like(store, gone.pupil_id)] == [loose.id]
    markers = [*gone.markers, gone.pupil_name, "zqerloose"]
    cases_before = int(store.scalar("SELECT count(*) FROM case_file"))

    # The marked case's meldcode route is still open: erasure is refused until it is closed.
    asked = ErasureRequest("pupil", False, date(2025, 8, 30), "not_needed",
                           reason="Leerling wil dat alles weg is; open dossier afgesloten.")
    with pytest.raises(ValidationError, match="meldcoderoute loopt nog"):
        erase_on_request(store, gone.pupil_id, asked, now=NOW)
    with store.transaction() as conn:
        conn.execute("UPDATE meldcode_route SET closed_on = '2025-08-31' WHERE case_id = ?",
                     (gone.case_id,))
        conn.execute("UPDATE obligation SET done_on = '2025-08-31' WHERE case_id = ? AND "
                     "duty_code IN ('MELDCODE', 'REPORT_BOARD')", (gone.case_id,))
    assert erase_on_request(store, gone.pupil_id, asked, now=NOW, also_requests=[loose.id]) == 1

    with pytest.raises(NotFoundError):
        get_case(store, gone.case_id)
    assert store.scalar("SELECT count(*) FROM pupil WHERE id = ?", (gone.pupil_id,)) == 0
    assert (
        store.scalar("SELECT count(*) FROM request WHERE id IN (?, ?)", (gone.request_id, loose.id))
        == 0
    )
    assert int(store.scalar("SELECT count(*) FROM case_file")) == cases_before - 1
    assert get_case(store, kept.case_id).closed_on == date(2024, 10, 1)
    assert fts_terms(store, "zqer") == []
    _at, event, detail = journal.entries(store, 1)[0]
    assert event == "erased"
    assert detail == {"cases": 1, "pupils": 1, "requests": 2, "entries": detail["entries"],
                      "ground": "not_needed", "requester": "pupil"}
    assert journal.verify(store) == []
    assert store.integrity_problems() == []
    plain = plaintext_export(store, tmp_path / "plain.db")
    assert found_in(plain, markers) == []
    assert found_in(plain, kept.markers) == kept.markers
    store.close()
    pages = decrypted_pages(path, KEY)
    assert found_in(pages, markers) == []
    assert found_in(pages, [kept.pupil_name]) == [kept.pupil_name]
    store.conn = Store.open(path, KEY).conn  # the fixture closes it


def test_erasing_an_unknown_pupil_changes_nothing(filled: tuple[Store, Path]) -> None:
    store, _path = filled
    before = store.table_counts()
    with pytest.raises(NotFoundError):
        erase_on_request(store, 999_999, ErasureRequest("pupil", False, TODAY, "not_needed"),
                         now=NOW)
    assert store.table_counts() == before
