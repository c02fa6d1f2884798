"""The annual report end to end on real encrypted stores (PRODUCT job 6; QUALITY R6, R7).

A demo store (3 school years, fixed seed, fixed today) with escalation checks on top is
counted with `compute`, written as data file, CSV and PDF, and read back (json, csv, pypdf).
Expected numbers come from this file's own queries on the store (plain SELECTs of the rows,
counted in Python), not from annual.py.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.domain import lists as L
from app.i18n import _
from app.reports import annual, grouping
from app.reports.annual import COPIES, AnnualFigures, ReportError, compute, to_data_file
from app.reports.data_file import DUTY_CODES, WITH_TOTAL, parse, to_csv, to_json
from app.reports.narrative import headline, in_numbers, key_meaning
from app.reports.pdf import (
    SECTIONS,
    _role_text,
    concept_note,
    discussed_line,
    grouping_note,
    key_figures_title,
    render_annual_pdf,
    suppression_note,
)
from app.reports.suppression import TOTAL_ROW, is_safe
from app.services.demo import generate
from app.services.escalation import complete_obligation, record_check
from app.store.db import Store
from app.store.settings import Settings, load_settings, save_settings

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
TODAY = date(2026, 6, 15)
YEAR = "2025-2026"
SCHOOL = "Demoschool De Linde"
TEXTS = {
    "activities": "Klassenbezoeken in alle eerste klassen.\n\nPosters bij de kantine.",
    "signals": "Meer vragen over online pesten & groepsdruk <in de onderbouw>.",
    "advice": "Een rustige gespreksruimte bij de mediatheek.",
}
PATTERNS: list[tuple[dict[str, str], dict[str, str], str]] = [
    ({"minor": "yes", "self_endangerment": "yes"}, {}, ""),
    ({"minor": "yes", "child_abuse": "yes"}, {}, ""),
    (
        {"minor": "yes", "child_abuse": "doubt"},
        {"child_abuse": "Uitleg over de plekken klopt niet."},
        "",
    ),
    ({"complaint": "yes"}, {}, ""),
    ({"minor": "yes", "criminal_offence": "yes"}, {}, ""),
    ({"staff_relationship": "yes"}, {}, ""),
    ({"minor": "yes"}, {}, "Geen escalatie, omdat de leerling veilig is en hulp heeft."),
]


def new_store(path: Path, *, school: str = SCHOOL, location: str = "Helmond-Noord") -> Store:
    store = Store.open(path, TEST_KEY, create=True)
    save_settings(store, Settings(school=school, location=location, vp_name="M. de Vries"))
    return store


def add_escalations(store: Store, rng: random.Random, today: date, limit: int) -> None:
    """Escalation checks on open cases, half of the obligations marked done."""
    cases = store.query(
        "SELECT id, opened_on FROM case_file WHERE closed_on IS NULL ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    for index, (case_id, opened_on) in enumerate(cases):
        answers, motivations, general = PATTERNS[index % len(PATTERNS)]
        opened = date.fromisoformat(opened_on)
        day = opened + timedelta(days=rng.randint(0, max(0, (today - opened).days)))
        record_check(
            store,
            int(case_id),
            answers,
            motivations,
            general,
            now=datetime(day.year, day.month, day.day, 10, 0),
            settings=Settings(),
        )
    rows = store.query("SELECT id, created_at FROM obligation WHERE done_on IS NULL ORDER BY id")
    for obligation_id, created_at in rows[::2]:
        complete_obligation(
            store,
            int(obligation_id),
            done_on=date.fromisoformat(created_at[:10]),
            informed_whom="Mentor en ouders",
            informed_how="Telefonisch",
            pupil_told_first=True,
            note="Besproken met moeder, afspraak volgende week.",
            today=today,
        )


# --------------------------------------------------------------------------- expectations


def expected_counts(store: Store, school_year: str) -> dict[str, Counter[str]]:
    """The raw counts of one school year, from plain SELECTs counted in Python."""
    first = int(school_year[:4])
    start, end = date(first, 8, 1).isoformat(), date(first + 1, 7, 31).isoformat()

    def in_year(text: str | None) -> bool:
        return text is not None and start <= text[:10] <= end

    t: dict[str, Counter[str]] = {}
    requests = [
        r[0] for r in store.query("SELECT received_at, source FROM request") if in_year(r[0])
    ]
    t["referral_sources"] = Counter(
        r[1] for r in store.query("SELECT received_at, source FROM request") if in_year(r[0])
    )
    cases = store.query("SELECT id, pupil_id, opened_on, closed_on FROM case_file")
    active = [c for c in cases if c[2] <= end and (c[3] is None or c[3] >= start)]
    active_ids = {c[0] for c in active}
    pupils = {c[1] for c in active}
    years = dict(store.query("SELECT id, year_group FROM pupil"))
    t["year_groups"] = Counter(L.year_group_band(years[p]) for p in pupils)
    t["categories"] = Counter()
    in_group: dict[str, set[int]] = {}
    for case_id, category in store.query("SELECT case_id, category FROM case_category"):
        if case_id in active_ids:
            t["categories"][category] += 1
            group = grouping.group_of("categories", category) or "school_overig"
            in_group.setdefault(group, set()).add(case_id)
    t["category_groups"] = Counter({g: len(ids) for g, ids in in_group.items()})
    entries = store.query("SELECT id, kind, on_date, supersedes FROM entry")
    superseded = {e[3] for e in entries if e[3] is not None}
    counted = [e for e in entries if e[0] not in superseded and in_year(e[2])]
    t["months"] = Counter(e[2][:7] for e in counted if e[1] == "conversation")
    t["duties"] = Counter(
        r[0]
        for r in store.query("SELECT duty_code, created_at, source FROM obligation")
        if r[2] == "duty" and in_year(r[1])
    )
    consent_only = 0
    for decided_at, duties in store.query("SELECT decided_at, duties FROM escalation"):
        if in_year(decided_at) and json.loads(duties) == ["CONSENT_ONLY"]:
            consent_only += 1
    t["duties"]["CONSENT_ONLY"] = consent_only
    routes = Counter(
        r[0] for r in store.query("SELECT kind, started_on FROM meldcode_route") if in_year(r[1])
    )
    t["totals"] = Counter(
        {
            "requests": len(requests),
            "new_cases": sum(1 for c in active if c[2] >= start),
            "carried_over": sum(1 for c in active if c[2] < start),
            "conversations": sum(1 for e in counted if e[1] == "conversation"),
            "pupils": len(pupils),
            "consultations": sum(1 for e in counted if e[1] == "consultation"),
            "routes_meldcode": routes["MELDCODE"],
            "routes_veilig_thuis_advies": routes["VEILIG_THUIS_ADVICE"],
        }
    )
    return t


def assert_agrees(
    shown: Mapping[str, Mapping[str, Any]], raw: Mapping[str, Counter[str]], threshold: int = 5
) -> None:
    """Every visible cell equals the true count; every "<5" stands for 1..4."""
    checked = 0
    for table, detail in raw.items():
        if table not in shown:  # left out (even its groups were mostly small), or not a table
            assert table == "category_groups" or table != "totals", table
            continue
        rows = shown[table]
        expected = detail
        if any(row in grouping.group_ids(table) for row in rows):  # published at group level
            expected = (
                raw["category_groups"]
                if table == "categories"
                else Counter(grouping.roll_up(table, detail))
            )
        for row, cell in rows.items():
            true = sum(expected.values()) if row == TOTAL_ROW else expected.get(row, 0)
            if cell == f"<{threshold}":
                assert 1 <= true <= threshold - 1, (table, row, true)
            else:
                assert cell == true, (table, row, cell, true)
                checked += 1
    assert checked > 0


def assert_safe(tables: Mapping[str, Mapping[str, Any]], threshold: int = 5) -> None:
    for table, rows in tables.items():
        for row, cell in rows.items():
            assert cell == f"<{threshold}" or (
                isinstance(cell, int) and (cell == 0 or cell >= threshold)
            ), (table, row, cell)
        assert is_safe(rows, threshold), table
    totals = tables["totals"]
    for table, copy in COPIES.items():
        if table not in tables:  # left out: nothing to compare the copy with
            continue
        body = {r: c for r, c in tables[table].items() if r != TOTAL_ROW}
        if copy in totals:
            assert tables[table].get(TOTAL_ROW) == totals[copy]
            assert is_safe(body, threshold, known_total=totals[copy]), table
        else:
            assert TOTAL_ROW not in tables[table], table


# --------------------------------------------------------------------------- PDF reading


def pdf_text(pdf: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    return "\n".join(pages), pages


def pdf_streams(pdf: bytes) -> bytes:
    """The decompressed content streams of every page."""
    reader = PdfReader(io.BytesIO(pdf))
    return b"\n".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]


def _norm(text: str) -> str:
    return " ".join(text.split())


def table_cells_in_pdf(text: str, figures: AnnualFigures, table: str) -> dict[str, list[str]]:
    """The cells printed in the PDF's table of ``table`` (label followed by one value per year)."""
    flat = _norm(text)
    title = key_figures_title() if table == "totals" else annual.table_title(table)
    position = flat.index(_norm(title))
    columns = 1 + (figures.previous is not None)
    rows = list(figures.rows(table)) + ([TOTAL_ROW] if table in WITH_TOTAL else [])
    found: dict[str, list[str]] = {}
    for row in rows:
        label = _norm(annual.row_label(table, row, with_year=False))
        if table == "totals":  # each key figure is followed by what it means
            label += " " + _norm(key_meaning(row))
        position = flat.index(label + " ", position) + len(label) + 1
        values = flat[position:].split(" ")[:columns]
        found[row] = values
    return found


def visible_numbers(text: str, figures: AnnualFigures) -> list[int]:
    """Every number left in the PDF text after labels, titles and fixed sentences are removed."""
    flat = _norm(text)
    # The activities are not about pupils and are shown exactly: leave their table out.
    start = flat.index(_norm(annual.table_title("activities")))
    flat = flat[:start] + flat[flat.index(_norm(_("About this report")), start) :]
    fixed = [
        _role_text(),
        suppression_note(figures.threshold),
        grouping_note(figures.threshold),
        concept_note(figures),
        discussed_line(""),
        in_numbers(figures),
        _("Signals and advice for school policy (protocol 4c)"),
        *(_("Term {n}").format(n=n) for n in range(1, 5)),
    ]
    for table in ("totals", *SECTIONS):
        fixed += [annual.table_title(table), annual.table_explanation(table)]
        fixed.append(headline(figures, table))
        for row in [*figures.rows(table), TOTAL_ROW]:
            fixed += [annual.row_label(table, row), annual.row_label(table, row, with_year=False)]
            fixed.append(key_meaning(row) if table == "totals" else "")
    for phrase in sorted({_norm(f) for f in fixed if f}, key=len, reverse=True):
        flat = flat.replace(phrase, " ")
    flat = re.sub(r"Pagina \d+ van \d+", " ", flat)
    return [int(n) for n in re.findall(r"(?<![\d-])\d+(?![\d-])", flat)]


# --------------------------------------------------------------------------- fixtures


@dataclass
class Report:
    store: Store
    figures: AnnualFigures
    json_text: str
    csv_text: str
    pdf: bytes
    text: str
    pages: list[str]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Report]:
    folder = tmp_path_factory.mktemp("annual")
    store = new_store(folder / "demo.db")
    generate(store, years=3, seed=11, today=TODAY)
    add_escalations(store, random.Random(5), TODAY, limit=60)
    figures = compute(store, YEAR, threshold=5, today=TODAY)
    data_file = to_data_file(figures)
    out = folder / "jaarverslag.pdf"
    pdf = render_annual_pdf(figures, TEXTS, out)
    assert out.read_bytes() == pdf
    text, pages = pdf_text(pdf)
    try:
        yield Report(store, figures, to_json(data_file), to_csv(data_file), pdf, text, pages)
    finally:
        store.close()


# --------------------------------------------------------------------------- tests


def test_figures_agree_with_the_store(report: Report) -> None:
    figures = report.figures
    assert not figures.empty and figures.partial and figures.through_month == "2026-06"
    assert_agrees(figures.tables, expected_counts(report.store, YEAR))
    assert figures.previous is not None and figures.previous.school_year == "2024-2025"
    assert_agrees(figures.previous.tables, expected_counts(report.store, "2024-2025"))
    # The demo store is big enough that the headline figures are all shown.
    for row in ("requests", "new_cases", "conversations", "pupils"):
        assert isinstance(figures.tables["totals"][row], int)
        assert figures.tables["totals"][row] >= 5
    # The escalation checks on top of the demo data are counted.
    assert sum(1 for c in figures.tables["duties"].values() if c != 0) >= 5


def test_superseded_entries_and_derived_action_types(tmp_path: Path) -> None:
    store = new_store(tmp_path / "small.db")
    try:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO pupil(id, name, year_group, created_at) "
                "VALUES (1, 'Sanne Voorbeeld', 3, '2025-09-01T09:00:00')"
            )
            conn.execute(
                "INSERT INTO case_file(id, pupil_id, opened_on) VALUES (1, 1, '2025-09-01')"
            )
            for entry, day in enumerate(range(1, 8), start=1):  # the 7th corrected twice
                conn.execute(
                    "INSERT INTO entry(id, case_id, kind, on_date, created_at, supersedes) "
                    "VALUES (?, 1, 'conversation', ?, '2025-10-01T09:00:00', NULL)",
                    (entry, f"2025-10-{day:02d}"),
                )
            conn.execute(
                "INSERT INTO entry(id, case_id, kind, on_date, created_at, supersedes) "
                "VALUES (100, 1, 'conversation', '2025-10-07', 'x', 7)"
            )
            conn.execute(
                "INSERT INTO entry(id, case_id, kind, on_date, created_at, supersedes) "
                "VALUES (101, 1, 'conversation', '2025-10-07', 'x', 100)"
            )
            for i in range(5):
                conn.execute(
                    "INSERT INTO entry(case_id, kind, on_date, created_at, referral) "
                    "VALUES (1, 'referral', '2025-11-03', 'x', 'klachtencommissie')"
                )
                conn.execute(
                    "INSERT INTO entry(case_id, kind, on_date, created_at, referral) "
                    "VALUES (1, 'referral', '2025-11-03', 'x', 'huisarts')"
                )
                conn.execute(
                    "INSERT INTO entry(case_id, kind, on_date, created_at) "
                    "VALUES (1, 'consultation', '2025-11-04', 'x')"
                )
                conn.execute(
                    "INSERT INTO activity(kind, on_date) VALUES ('beleidsadvies', '2026-02-02')"
                )
                conn.execute(
                    "INSERT INTO obligation(case_id, source, duty_code, deadline, due_at, "
                    "created_at, done_on) VALUES (1, 'duty', 'INFORM_PARENTS', 'same_day', "
                    "'2025-11-05T17:00:00', '2025-11-05T10:00:00', ?)",
                    ("2025-11-05" if i < 4 else None,),
                )
                conn.execute(
                    "INSERT INTO obligation(case_id, source, duty_code, deadline, due_at, "
                    "created_at, done_on) VALUES (1, 'meldcode_melding', 'VEILIG_THUIS_MELDING', "
                    "'same_day', '2026-01-05T17:00:00', '2026-01-05T10:00:00', '2026-01-05')"
                )
        figures = compute(store, YEAR, threshold=5, today=TODAY)
        totals, actions = figures.tables["totals"], figures.tables["action_types"]
        assert figures.tables["months"]["2025-10"] == 7
        assert totals["conversations"] == 7 and totals["consultations"] == 5
        assert actions["klachtverwijzing"] == 5 and actions["verwijzing_extern"] == 5
        assert actions["consultatie_anoniem"] == 5
        # Policy advice is an activity, shown exactly with the activities, not an action type.
        assert actions["beleidsadvies"] == 0 and figures.activities["beleidsadvies"] == (5, 0)
        assert actions["ouders_geinformeerd"] == "<5"  # 4 of the 5 obligations are done
        assert actions["veilig_thuis_melding"] == 5
        assert figures.tables["duties"]["INFORM_PARENTS"] == 5
        assert "VEILIG_THUIS_MELDING" not in figures.tables["duties"]
        assert figures.previous is None
    finally:
        store.close()


def test_a_hidden_total_hides_its_copy_in_the_totals(tmp_path: Path) -> None:
    """August has 3 conversations, November to July 10 each: the month total would pin
    August, and so would the total of the terms (the first term holds August alone)."""
    store = new_store(tmp_path / "copy.db")
    try:
        with store.transaction() as conn:
            conn.execute("INSERT INTO pupil(id, name, created_at) VALUES (1, 'Sam Test', 'x')")
            conn.execute(
                "INSERT INTO case_file(id, pupil_id, opened_on) VALUES (1, 1, '2025-08-20')"
            )
            days = ["2025-08-25"] * 3 + [
                f"{2025 + (m < 8)}-{m:02d}-10"
                for m in (11, 12, 1, 2, 3, 4, 5, 6, 7)
                for _ in range(10)
            ]
            conn.executemany(
                "INSERT INTO entry(case_id, kind, on_date, created_at) "
                "VALUES (1, 'conversation', ?, 'x')",
                [(d,) for d in days],
            )
        figures = compute(store, YEAR, threshold=5, today=date(2026, 9, 1))
        assert figures.level("months") == "detail"
        assert figures.tables["months"]["2025-08"] == "<5"
        assert TOTAL_ROW not in figures.tables["months"]
        assert "conversations" not in figures.tables["totals"]
        assert figures.hidden("totals") == ["conversations"]
        assert_safe(figures.tables)
        # The data file and the PDF leave it out as well.
        data = json.loads(to_json(to_data_file(figures)))
        assert "conversations" not in data["tables"]["totals"]
        assert "_total" not in data["tables"]["months"]
        text, _pages = pdf_text(render_annual_pdf(figures, {}, None))
        cells = table_cells_in_pdf(text, figures, "totals")
        assert cells["conversations"] == ["—"]
        assert table_cells_in_pdf(text, figures, "months")[TOTAL_ROW] == ["—"]
        assert "niet getoond" in text
    finally:
        store.close()


def test_months_roll_up_to_terms_when_that_keeps_the_total(tmp_path: Path) -> None:
    """August 3, September to July 10 each: the month total would pin August, the terms'
    total does not (the first term is 23), so the table is shown per term with its total."""
    store = new_store(tmp_path / "terms.db")
    try:
        with store.transaction() as conn:
            conn.execute("INSERT INTO pupil(id, name, created_at) VALUES (1, 'Sam Test', 'x')")
            conn.execute(
                "INSERT INTO case_file(id, pupil_id, opened_on) VALUES (1, 1, '2025-08-20')"
            )
            days = ["2025-08-25"] * 3 + [
                f"{2025 + (m < 8)}-{m:02d}-10"
                for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)
                for _ in range(10)
            ]
            conn.executemany(
                "INSERT INTO entry(case_id, kind, on_date, created_at) "
                "VALUES (1, 'conversation', ?, 'x')",
                [(d,) for d in days],
            )
        figures = compute(store, YEAR, threshold=5, today=date(2026, 9, 1))
        assert figures.level("months") == "group"
        assert dict(figures.tables["months"]) == {
            "periode_1": 23, "periode_2": 30, "periode_3": 30, "periode_4": 30, TOTAL_ROW: 113
        }
        assert figures.tables["totals"]["conversations"] == 113
        assert not any(row.startswith("2025-") for row in figures.tables["months"])
        data = json.loads(to_json(to_data_file(figures)))
        assert data["tables"]["months"]["level"] == "group"
        text, _pages = pdf_text(render_annual_pdf(figures, {}, None))
        assert "1e periode (augustus–oktober)" in text and "4e periode (mei–juli)" in text
    finally:
        store.close()


def test_data_file_and_csv_hold_only_safe_cells(report: Report) -> None:
    data = json.loads(report.json_text)
    assert data["format"] == "vertrouwd-jaarcijfers" and data["version"] == 2
    assert data["school"] == SCHOOL and data["school_year"] == YEAR and data["threshold"] == 5
    assert data["status"] == "concept"  # TODAY lies inside the school year
    assert parse(report.json_text).tables == {k: dict(v) for k, v in report.figures.tables.items()}
    levels = {name: table["level"] for name, table in data["tables"].items()}
    assert levels == {name: report.figures.level(name) for name in report.figures.tables}
    tables = {name: table["rows"] for name, table in data["tables"].items()}
    assert_safe(tables)
    assert report.figures.previous is not None
    assert_safe(report.figures.previous.tables)
    rows = list(csv.reader(io.StringIO(report.csv_text)))
    assert rows[0] == ["table", "row", "value", "level"]
    from_csv = {(t, r): v for t, r, v, level in rows[1:] if level == levels[t]}
    assert len(from_csv) == len(rows) - 1
    from_json = {(t, r): str(v) for t, rs in tables.items() for r, v in rs.items()}
    assert from_csv == from_json
    for value in from_csv.values():
        assert value == "<5" or int(value) == 0 or int(value) >= 5


def test_pdf_shows_the_same_cells_and_no_small_count(report: Report) -> None:
    figures = report.figures
    previous = figures.previous
    assert previous is not None
    for table in ("totals", *SECTIONS):
        if figures.omitted(table):
            continue
        cells = table_cells_in_pdf(report.text, figures, table)
        prev_rows = [*previous.rows(table), TOTAL_ROW]
        same_level = previous.level(table) == figures.level(table) and not previous.omitted(table)
        for index, (row, values) in enumerate(cells.items()):
            now = figures.cell(table, row)
            if table == "months" and row[4:5] == "-" and row > figures.through_month:
                assert values[0] in ("", str(previous.cell(table, prev_rows[index])))
                continue
            if not same_level:  # the year before is left blank for this table
                assert values[0] == annual.show(now), (table, row, values)
                continue
            prev_row = prev_rows[index] if table == "months" else row
            assert values == [annual.show(now), annual.show(previous.cell(table, prev_row))], (
                table,
                row,
                values,
            )
    small = [n for n in visible_numbers(report.text, figures) if 1 <= n <= 4]
    assert small == []
    assert "<5" in report.text


def test_pdf_has_title_page_numbers_and_texts(report: Report) -> None:
    pages = report.pages
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
        assert SCHOOL in page
    first = _norm(pages[0])
    for part in (
        "Jaarverslag vertrouwenspersoon voor leerlingen",
        "Schooljaar 2025-2026",
        "Helmond-Noord",
        "M. de Vries",
        "juni 2026",
    ):
        assert part in first
    text = _norm(report.text)
    assert "Aantallen van 1 tot en met 4 staan als ‘<5’" in text
    assert "protocol 6j" in text
    assert "groepsdruk <in de onderbouw>" in text  # the VP's text, escaped, not swallowed
    assert "geïnformeerd" in text or "één" in text  # Dutch characters survive
    reader = PdfReader(io.BytesIO(report.pdf))
    assert reader.metadata is not None and "2025-2026" in str(reader.metadata.title)


def planted(store: Store) -> tuple[list[str], list[str], list[str]]:
    """Pupil names, class names and 50 note phrases from the store."""
    names = sorted(
        {str(r[0]) for r in store.query("SELECT name FROM pupil")}
        | {str(r[0]) for r in store.query("SELECT pupil_label FROM request") if " " in str(r[0])}
    )
    classes = sorted(
        {str(r[0]) for r in store.query("SELECT class_name FROM pupil WHERE class_name != ''")}
    )
    bodies = [str(r[0]) for r in store.query("SELECT body FROM note ORDER BY id")]
    rng = random.Random(3)
    phrases: list[str] = []
    for body in rng.sample(bodies, 200):
        phrase = body.split(". ")[0].strip()
        if len(phrase) >= 15 and phrase not in phrases:
            phrases.append(phrase)
        if len(phrases) == 50:
            break
    assert len(names) > 100 and len(classes) > 10 and len(phrases) == 50
    return names, classes, phrases


def test_no_name_class_or_note_leaves_the_program(report: Report) -> None:
    names, classes, phrases = planted(report.store)
    streams = pdf_streams(report.pdf)
    texts = {"pdf text": report.text, "json": report.json_text, "csv": report.csv_text}
    for needle in names + phrases:
        for label, text in texts.items():
            assert needle not in text, (label, needle)
        encoded = needle.encode("utf-8")
        assert encoded not in report.pdf and encoded not in streams, needle
        assert needle.encode("cp1252", "ignore") not in streams, needle
    for class_name in classes:
        pattern = re.compile(rf"(?<![\w-]){re.escape(class_name)}(?![\w-])")
        for label, text in texts.items():
            assert not pattern.search(text), (label, class_name)


def test_an_empty_year_says_so(report: Report) -> None:
    figures = compute(report.store, "2019-2020", threshold=5, today=TODAY)
    assert figures.empty and figures.previous is None
    assert all(v == 0 for rows in figures.tables.values() for v in rows.values())
    text, pages = pdf_text(render_annual_pdf(figures, {}, None))
    assert "Er zijn in dit schooljaar geen contacten geregistreerd." in _norm(text)
    assert f"Pagina 1 van {len(pages)}" in pages[0]
    tables = json.loads(to_json(to_data_file(figures)))["tables"]
    assert tables["totals"]["rows"]["requests"] == 0


@pytest.mark.parametrize(
    ("year", "today", "words"),
    [
        ("2026-2027", TODAY, "nog niet begonnen"),
        ("2025-2027", TODAY, "2025-2026"),
        ("vorig jaar", TODAY, "2025-2026"),
    ],
)
def test_a_year_that_cannot_be_reported(report: Report, year: str, today: date, words: str) -> None:
    with pytest.raises(ReportError) as caught:
        compute(report.store, year, threshold=5, today=today)
    assert words in caught.value.message_nl


def test_threshold_is_a_setting_of_at_least_5(report: Report) -> None:
    with pytest.raises(ReportError):
        compute(report.store, YEAR, threshold=4, today=TODAY)
    figures = compute(report.store, YEAR, threshold=10, today=TODAY)
    assert figures.threshold == 10
    assert_safe(figures.tables, threshold=10)
    assert_agrees(figures.tables, expected_counts(report.store, YEAR), threshold=10)
    assert load_settings(report.store).report_threshold == 5


def test_figures_are_frozen(report: Report) -> None:
    with pytest.raises(AttributeError):
        report.figures.school = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.figures.tables["totals"]["requests"] = 1  # type: ignore[index]


def wipe(store: Store) -> None:
    """Empty every data table (one encrypted store reused: a new one costs its key derivation)."""
    tables = [
        str(r[0])
        for r in store.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'note_fts%' AND name NOT IN ('setting', 'journal')"
        )
    ]
    with store.transaction() as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            conn.execute(f'DELETE FROM "{table}"')


def test_small_random_schools_are_safe_end_to_end(tmp_path: Path) -> None:
    """R7 in small: 20 tiny synthetic schools, every table safe; every 4th also as PDF."""
    store = new_store(tmp_path / "small.db")
    try:
        for seed in range(20):
            rng = random.Random(seed)
            today = date(2026, rng.randint(1, 12), rng.randint(1, 28))
            wipe(store)
            save_settings(store, Settings(school=f"School {chr(65 + seed)}", location="Zuid"))
            generate(store, years=2, seed=seed, scale=rng.choice((0.01, 0.03, 0.08)), today=today)
            add_escalations(store, rng, today, limit=rng.randint(0, 8))
            first = today.year if today.month >= 8 else today.year - 1
            year = f"{first}-{first + 1}"
            figures = compute(store, year, threshold=5, today=today)
            assert_agrees(figures.tables, expected_counts(store, year))
            assert_safe(figures.tables)
            tables = json.loads(to_json(to_data_file(figures)))["tables"]
            assert_safe({name: table["rows"] for name, table in tables.items()})
            if figures.previous is not None:
                assert_safe(figures.previous.tables)
            if seed % 4 == 0:
                text, _pages = pdf_text(render_annual_pdf(figures, {}, None))
                assert [n for n in visible_numbers(text, figures) if 1 <= n <= 4] == []
    finally:
        store.close()


def test_duty_codes_are_the_data_file_rows(report: Report) -> None:
    figures = report.figures
    assert tuple(figures.tables["duties"]) == figures.rows("duties")
    if figures.level("duties") == "detail":
        assert figures.rows("duties") == DUTY_CODES
    # Every duty the rules can give has a row (issue 14: 2026.2 added three).
    from app.rules import escalation

    assert set(escalation.DUTY_CODES) <= set(DUTY_CODES)


def test_old_category_ids_and_scattered_entry_ids(tmp_path: Path) -> None:
    """An id no longer on the list counts as "overig", once per case; entries whose ids are
    far apart (back-filled data) are counted the same as entries added in order."""
    store = new_store(tmp_path / "old.db")
    try:
        with store.transaction() as conn:
            conn.execute("INSERT INTO pupil(id, name, created_at) VALUES (1, 'Sam Test', 'x')")
            for case_id, categories in enumerate(
                [["oude_categorie"]] * 3 + [["overig"]] * 2 + [["overig", "oude_categorie"]],
                start=1,
            ):
                conn.execute(
                    "INSERT INTO case_file(id, pupil_id, opened_on) VALUES (?, 1, '2025-09-01')",
                    (case_id,),
                )
                for category in categories:
                    conn.execute(
                        "INSERT INTO case_category(case_id, category) VALUES (?, ?)",
                        (case_id, category),
                    )
            for entry_id in range(1, 7):
                conn.execute(
                    "INSERT INTO entry(id, case_id, kind, on_date, created_at, action_type) "
                    "VALUES (?, 1, 'conversation', '2025-10-01', 'x', 'luisteren_advies')",
                    (entry_id,),
                )
        dense = compute(store, YEAR, threshold=5, today=TODAY)
        assert dense.tables["categories"]["overig"] == 6
        assert dense.tables["action_types"]["luisteren_advies"] == 6
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO entry(id, case_id, kind, on_date, created_at, action_type) "
                "VALUES (5000000, 1, 'action', '2025-10-02', 'x', 'luisteren_advies')"
            )
        sparse = compute(store, YEAR, threshold=5, today=TODAY)
        assert sparse.tables["action_types"]["luisteren_advies"] == 7
        assert sparse.tables["totals"]["conversations"] == 6
    finally:
        store.close()
