"""Issue 14: the annual report on the demo's school year reads like a report to the board.

The demo store (`vertrouwd demo`'s profile, a school of about 1,000 pupils) is built once with
the real services; the PDFs are read back with pypdf, the data file with the real parser, and
every published table is attacked by brute force (`tests.tools.attacker`).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app import journal
from app.domain.lists import CATEGORIES
from app.reports import annual, grouping
from app.reports.annual import COPIES, AnnualFigures, compute, report_duty_label, to_data_file
from app.reports.data_file import STATUS_CONCEPT, STATUS_FINAL, WITH_TOTAL, parse, to_json
from app.reports.pdf import SECTIONS, render_annual_pdf
from app.reports.suppression import TOTAL_ROW, suppress_table
from app.services.demo import DEMO, generate
from app.store.db import Store
from app.store.settings import Settings, save_settings
from tests.tools.attacker import brute_force_safe

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
TODAY = date(2026, 12, 3)
FINAL, RUNNING = "2025-2026", "2026-2027"
TEXTS = {
    "summary": "Dit jaar kwamen vooral brugklassers met vragen over online pesten.",
    "signals": "Groepsapps zijn vaak de plek waar het misgaat.",
    "advice": "Neem online pesten op in de mentorlessen van leerjaar 1.",
    "activities": "Alle eerste klassen bezocht in september.",
    "discussed_on": "2026-10-14",
}


@dataclass
class Made:
    figures: AnnualFigures
    pages: list[str]
    data: dict[str, Any]


@dataclass
class Demo:
    store: Store
    final: Made
    running: Made
    witness: tuple[str, str]


def make(store: Store, year: str, witness: tuple[str, str] | None) -> Made:
    figures = compute(store, year, threshold=5, today=TODAY)
    pdf = render_annual_pdf(figures, TEXTS, witness=witness)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    return Made(figures, pages, json.loads(to_json(to_data_file(figures))))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    path = tmp_path_factory.mktemp("board") / "demo.db"
    store = Store.open(path, TEST_KEY, create=True)
    save_settings(store, Settings(school="De Linde", location="Helmond", vp_name="A. Jansen"))
    generate(store, years=3, seed=1, today=TODAY, profile=DEMO)
    journal.append(store, "2026-12-03T10:00:00", "opened")
    witness = journal.witness(store)
    assert witness is not None
    try:
        yield Demo(store, make(store, FINAL, witness), make(store, RUNNING, witness), witness)
    finally:
        store.close()


def published(made: Made) -> dict[str, dict[str, Any]]:
    return {name: table["rows"] for name, table in made.data["tables"].items()}


# --------------------------------------------------------------------------- the demo's size


def test_the_demo_year_has_a_realistic_size(demo: Demo) -> None:
    start, end = "2025-08-01", "2026-07-31"
    new_cases = demo.store.scalar(
        "SELECT count(*) FROM case_file WHERE opened_on BETWEEN ? AND ?", (start, end)
    )
    assert 30 <= int(new_cases) <= 60


# --------------------------------------------------------------------------- anonymity


def test_at_most_half_of_the_non_zero_cells_are_small(demo: Demo) -> None:
    """In the data file and in the PDF (the same cells: read back from the PDF's text)."""
    for made in (demo.final, demo.running):
        figures = made.figures
        for name, rows in published(made).items():
            cells = [v for row, v in rows.items() if row != TOTAL_ROW and v != 0]
            small = [v for v in cells if v == "<5"]
            assert 2 * len(small) <= len(cells), (figures.school_year, name, rows)
            assert rows == dict(figures.tables[name])
    # No detailed table is published beside its groups; the categories are grouped here.
    assert demo.final.data["tables"]["categories"]["level"] == "group"
    assert not set(CATEGORIES) & set(published(demo.final)["categories"])
    text = " ".join(demo.final.pages)
    for category in ("Pesten (ook online)", "Kindermishandeling"):
        assert category not in text


def test_no_suppressed_value_can_be_recomputed(demo: Demo) -> None:
    """The brute-force reader, on every published table of both years, with each table's
    total also known from the key figures where it is printed there."""
    checked = 0
    for made in (demo.final, demo.running):
        figures = made.figures
        years = [figures] + ([figures.previous] if figures.previous is not None else [])
        for shown in years:
            totals = shown.tables["totals"]
            assert brute_force_safe(dict(totals), 5)
            for name, rows in shown.tables.items():
                table = dict(rows)
                copy = COPIES.get(name)
                if copy in totals and TOTAL_ROW not in table:
                    table[TOTAL_ROW] = totals[copy]
                assert brute_force_safe(table, 5), (shown.school_year, name, table)
                checked += 1
    assert checked >= 20


@settings(max_examples=300, deadline=None)
@given(
    table=st.sampled_from(["categories", "referral_sources", "action_types", "months", "duties"]),
    values=st.lists(st.one_of(st.integers(0, 4), st.integers(0, 12)), min_size=15, max_size=15),
)
def test_grouped_tables_stand_up_to_the_attacker(table: str, values: list[int]) -> None:
    """Random counts through the report's own level choice: one level is published, it is
    never mostly "<5", and the brute-force reader learns no suppressed value."""
    year = "2025-2026"
    rows = annual.row_order(table, year)
    counts = dict(zip(rows, values, strict=False))
    raw = {
        table: Counter(counts),
        # a stand-in for the distinct cases per category group: one category per case
        annual.CATEGORY_GROUPS: Counter(
            {g: sum(counts.get(m, 0) for m in ms) for g, ms in grouping.groups("categories")}
        ),
    }
    level = annual._level_counts(raw, table, year, 5)  # the report's own choice
    if level is None:  # left out: even the groups would be mostly small
        return
    chosen, exact = level
    assert list(exact) == list(rows if chosen == "detail" else grouping.group_ids(table))
    shown = suppress_table(exact, 5, with_total=table in WITH_TOTAL)
    body = [v for row, v in shown.items() if row != TOTAL_ROW and v != 0]
    assert 2 * sum(1 for v in body if v == "<5") <= len(body), (table, chosen, shown)
    if sum(1 for v in shown.values() if v == "<5") <= 6:
        assert brute_force_safe(shown, 5), (table, exact, shown)


# --------------------------------------------------------------------------- final or concept


def test_concept_on_every_page_and_in_the_data_file(demo: Demo) -> None:
    running, final = demo.running, demo.final
    assert running.figures.concept and not final.figures.concept
    assert all("CONCEPT" in page for page in running.pages)
    assert not any("CONCEPT" in page for page in final.pages)
    assert running.data["status"] == STATUS_CONCEPT and final.data["status"] == STATUS_FINAL
    assert parse(json.dumps(running.data)).status == STATUS_CONCEPT


# --------------------------------------------------------------------------- a report to the board


def test_page_one_is_the_advisers_own_summary_and_signals(demo: Demo) -> None:
    first = demo.final.pages[0]
    for text in (TEXTS["summary"], TEXTS["signals"], TEXTS["advice"]):
        assert text in first
    assert "Samenvatting van de vertrouwenspersoon" in first
    assert "Signalen en advies voor het beleid van de school (protocol 4c)" in first
    assert "Besproken met de directeur op 14 oktober 2026 (protocol 6j)." in first
    for table in SECTIONS:
        assert annual.table_title(table) not in first  # the tables come after
    second = demo.final.pages[1]
    assert second.startswith("De cijfers in het kort")
    assert "Hoe vaak een leerling, ouder of medewerker de vertrouwenspersoon" in second
    assert "Wat opvalt" in second and "Het ging het vaakst over:" in second


def test_without_a_date_page_one_has_a_line_to_fill_in(demo: Demo) -> None:
    pdf = render_annual_pdf(demo.final.figures, {**TEXTS, "discussed_on": ""})
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert re.search(r"Besproken met de directeur op …+ \(protocol 6j\)\.", first)


def test_each_chart_is_on_the_page_of_its_table(demo: Demo) -> None:
    figures = demo.final.figures
    for table in SECTIONS:
        title = annual.table_title(table) + " " + annual.table_explanation(table)[:40]
        pages = [page for page in demo.final.pages if title in page]
        assert len(pages) == 1, table
        if figures.omitted(table) or table == "months":
            continue
        for row in figures.rows(table):  # once in the table, once beside its bar
            label = annual.row_label(table, row, with_year=False)
            assert pages[0].count(label) >= 2, (table, label)


def test_duties_in_plain_dutch_and_no_jargon(demo: Demo) -> None:
    assert report_duty_label("MELDCODE") == "Meldcode gestart"
    assert report_duty_label("REPORT_BOARD") == "Bestuur geïnformeerd over een mogelijk zedendelict"
    text = " ".join(demo.final.pages + demo.running.pages)
    assert "Escalatiecheck" not in text and "plichten die golden" not in text
    assert "Wat de controles vroegen" in text
    assert "CONSENT_ONLY" not in text and "stap_nodig" not in text


def test_activities_by_kind_with_their_reach(demo: Demo) -> None:
    figures = demo.final.figures
    count, reach = figures.activities["klassenbezoek"]
    assert count >= 1 and reach >= 20
    page = next(p for p in demo.final.pages if "Activiteiten: klassenbezoeken" in p)
    assert re.search(rf"Klassenbezoek {count} {reach}\b", page)
    assert TEXTS["activities"] in page


def test_the_last_page_carries_the_journal_code(demo: Demo) -> None:
    code, at = demo.witness
    last = demo.final.pages[-1]
    assert f"Controlecode van het logboek: {code}" in last
    assert journal.check_code(demo.store, code) is None
    number, digest = code.split("-")
    other = "F" if digest[0] != "F" else "E"
    assert journal.check_code(demo.store, f"{number}-{other}{digest[1:]}") == "changed"
    assert journal.check_code(demo.store, "12") == "bad code"
    assert at[:4] == "2026"


def test_group_rows_have_dutch_labels_in_the_group_pdf(demo: Demo, tmp_path: Path) -> None:
    from app.reports.data_file import merge
    from app.reports.merge_pdf import render_group_pdf

    merged = merge([parse(json.dumps(demo.final.data))], today=TODAY)
    render_group_pdf(merged, tmp_path / "groep.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "groep.pdf")).pages)
    assert "Veiligheid en grensoverschrijding" in " ".join(text.split())


def test_terms_not_begun_are_blank_in_a_running_year(demo: Demo) -> None:
    figures = demo.running.figures  # 3 December 2026: terms 1 and 2 have begun
    assert not figures.not_yet("months", "periode_1")
    assert not figures.not_yet("months", "periode_2")
    assert figures.not_yet("months", "periode_3") and figures.not_yet("months", "periode_4")
    assert figures.not_yet("months", "2027-01") and not figures.not_yet("months", "2026-12")
    assert not demo.final.figures.not_yet("months", "periode_4")
    if figures.level("months") == "group":
        title = annual.table_title("months") + " " + annual.table_explanation("months")[:30]
        page = next(p for p in demo.running.pages if title in p)
        first = annual.show(figures.cell("months", "periode_1"))
        assert f"1e periode (augustus–oktober) {first}" in page
