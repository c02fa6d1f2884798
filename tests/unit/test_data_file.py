"""The school group's data file, the merge and the group PDF."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from app.reports.data_file import (
    TABLES,
    WITH_TOTAL,
    DataFile,
    DataFileError,
    check_writable,
    load,
    merge,
    parse,
    school_months,
    to_csv,
    to_json,
    write_atomic,
)
from app.reports.suppression import TOTAL_ROW, suppress_table


def make_file(
    school: str = "Het Zuiderlicht",
    location: str = "Helmond",
    school_year: str = "2025-2026",
    *,
    categories: dict[str, int] | None = None,
    referral: dict[str, int] | None = None,
) -> DataFile:
    months = dict.fromkeys(school_months(school_year), 0)
    months[f"{school_year[:4]}-09"] = 12
    months[f"{school_year[:4]}-10"] = 3
    months[f"{school_year[:4]}-11"] = 2
    tables = {
        "totals": suppress_table({"new_cases": 17, "conversations": 44}, with_total=False),
        "categories": suppress_table(
            categories or {"pesten": 12, "thuissituatie": 3, "overig": 0}, with_total=False
        ),
        "referral_sources": suppress_table(
            referral or {"leerling_zelf": 12, "ouder": 3, "mentor_coach": 2}, with_total=True
        ),
        "year_groups": suppress_table({"1": 9, "2": 8, "3": 0}, with_total=True),
        "action_types": suppress_table(
            {"luisteren_advies": 15, "meldcode_gestart": 1}, with_total=False
        ),
        "months": suppress_table(months, with_total=True),
        "duties": suppress_table({"MELDCODE": 1, "CONSENT_ONLY": 16}, with_total=False),
    }
    return DataFile(school, location, school_year, 5, tables)


# --------------------------------------------------------------------------- format


def test_json_exact_format_and_round_trip() -> None:
    df = make_file()
    text = to_json(df)
    document = json.loads(text)
    assert list(document) == [
        "format",
        "version",
        "school",
        "location",
        "school_year",
        "status",
        "threshold",
        "tables",
    ]
    assert document["format"] == "vertrouwd-jaarcijfers"
    assert document["version"] == 2
    assert document["school_year"] == "2025-2026"
    assert document["status"] == "final"
    assert document["threshold"] == 5
    assert list(document["tables"]) == list(TABLES)
    assert all(table["level"] == "detail" for table in document["tables"].values())
    tables = {name: table["rows"] for name, table in document["tables"].items()}
    assert tables["categories"] == {"pesten": 12, "thuissituatie": "<5", "overig": 0}
    assert tables["referral_sources"][TOTAL_ROW] == 17
    assert "2025-09" in tables["months"]
    for name, rows in tables.items():
        assert (TOTAL_ROW in rows) == (name in WITH_TOTAL and TOTAL_ROW in rows)
        for value in rows.values():
            assert value == "<5" or (isinstance(value, int) and (value == 0 or value >= 5))
    assert parse(text) == df


def test_json_keeps_non_ascii() -> None:
    df = make_file(school="Scholengemeenschap Sint-Joriscollege – Ëindhoven")
    text = to_json(df)
    assert "Ëindhoven" in text and "–" in text
    assert parse(text).school == df.school


def test_csv_has_the_same_cells() -> None:
    df = make_file()
    rows = list(csv.reader(io.StringIO(to_csv(df))))
    assert rows[0] == ["table", "row", "value", "level"]
    assert {level for *_cell, level in rows[1:]} == {"detail"}
    cells = {(t, r): v for t, r, v, _level in rows[1:]}
    expected = {(t, r): str(v) for t, tbl in df.tables.items() for r, v in tbl.items()}
    assert cells == expected
    assert cells[("categories", "thuissituatie")] == "<5"


def test_load_from_disk(tmp_path: Path) -> None:
    df = make_file()
    path = tmp_path / "jaarcijfers.json"
    write_atomic(path, to_json(df))
    assert load(path) == df


# --------------------------------------------------------------------------- bad input


def doc(**changes: object) -> str:
    """A version 1 document (still read) with ``changes``."""
    document = json.loads(to_json(make_file()))
    document["version"] = 1
    del document["status"]
    document["tables"] = {name: table["rows"] for name, table in document["tables"].items()}
    document.update(changes)
    return json.dumps(document)


def doc2(**changes: object) -> str:
    """A version 2 document with ``changes``."""
    document = json.loads(to_json(make_file()))
    document.update(changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"format": "iets-anders", "version": 1}', "geen jaarcijferbestand van Vertrouwd"),
        ("dit is geen json", "geen jaarcijferbestand van Vertrouwd"),
        ("[1, 2]", "geen jaarcijferbestand van Vertrouwd"),
        (doc(version=3), "versie 3; dit programma kent alleen de versies 1 en 2"),
        (doc(version="1"), "kent alleen de versies 1 en 2"),
        (doc2(status="klaar"), "status"),
        (doc2(tables={"categories": {"level": "fijn", "rows": {"pesten": 5}}}), "niveau"),
        (doc2(tables={"totals": {"level": "group", "rows": {}}}), "niveau"),
        (doc2(tables={"categories": {"pesten": 5}}), "ongeldig"),
        (
            doc2(tables={"categories": {"level": "detail", "rows": {"welzijn_gezondheid": 5}}}),
            "onbekende rij",
        ),
        (
            doc2(tables={"categories": {"level": "group", "rows": {"pesten": 5}}}),
            "onbekende rij",
        ),
        (doc(threshold=3), "ten minste 5"),
        (doc(school_year="2025-2027"), "schooljaar"),
        (doc(school=""), "naam van de school"),
        (doc(tables={"categories": {"pesten": 3}}), "toegestaan zijn 0"),
        (doc(tables={"categories": {"pesten": True}}), "toegestaan zijn 0"),
        (doc(tables={"categories": {"pesten": "<6"}}), "toegestaan zijn 0"),
        (doc(tables={"categories": {"pesten": 7.0}}), "toegestaan zijn 0"),
        (doc(tables={"categories": {"Jan Jansen": 7}}), "onbekende rij"),
        (doc(tables={"months": {"2025-09-14": 7}}), "onbekende rij"),
        (doc(tables={"months": {"2024-09": 7}}), "onbekende rij"),
        (doc(tables={"notities": {"x": 7}}), "onbekende tabel"),
        (doc(tables={"categories": {TOTAL_ROW: 7}}), "mag geen rij"),
        (doc(tables={"months": {"2025-09": 7, TOTAL_ROW: 9}}), "klopt het totaal niet"),
        (doc(extra="x"), "onbekend veld"),
        ('{"format": "vertrouwd-jaarcijfers", "format": "x"}', "twee keer"),
    ],
)
def test_bad_files_give_dutch_sentences(text: str, fragment: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse(text)
    assert fragment in info.value.message_nl
    assert isinstance(info.value, ValueError)


def test_version_1_is_still_read() -> None:
    old = parse(doc())
    assert old == make_file()  # every table at detail level, final
    assert old.status == "final" and all(old.level(t) == "detail" for t in TABLES)
    with pytest.raises(DataFileError, match='ontbreekt het veld "status"'):
        document = json.loads(doc2())
        del document["status"]
        parse(json.dumps(document))


def test_missing_field() -> None:
    document = json.loads(to_json(make_file()))
    del document["location"]
    with pytest.raises(DataFileError, match='ontbreekt het veld "location"'):
        parse(json.dumps(document))


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ander.json"
    path.write_text(doc(version=3), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load(path)
    assert info.value.message_nl.startswith("ander.json: Dit bestand heeft versie 3")
    with pytest.raises(DataFileError, match="bestaat niet"):
        load(tmp_path / "weg.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DataFileError, match="geen jaarcijferbestand"):
        load(tmp_path / "bin.json")


def test_unsafe_figures_are_not_written() -> None:
    df = DataFile(
        "S", "L", "2025-2026", 5, {"months": {"2025-09": 17, "2025-10": "<5", TOTAL_ROW: 20}}
    )
    with pytest.raises(DataFileError, match="niet veilig"):
        to_json(df)
    with pytest.raises(DataFileError, match="niet veilig"):
        to_csv(df)


# --------------------------------------------------------------------------- atomic writes


def test_write_atomic_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "bestaat-niet" / "cijfers.json"
    with pytest.raises(DataFileError) as info:
        write_atomic(target, "{}")
    assert "bestaat niet" in info.value.message_nl
    assert str(target.parent) in info.value.message_nl
    assert not target.parent.exists()
    with pytest.raises(DataFileError):
        check_writable(target)


def test_write_atomic_unwritable_folder(tmp_path: Path) -> None:
    # Tests run as root, where chmod does not stop writes: a "folder" that is a
    # regular file fails for everyone.
    blocker = tmp_path / "geen-map"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "cijfers.json"
    with pytest.raises(DataFileError) as info:
        write_atomic(target, "{}")
    assert str(blocker) in info.value.message_nl
    assert "niets opgeslagen" in info.value.message_nl
    with pytest.raises(DataFileError):
        check_writable(target)


def test_write_atomic_read_only_folder(tmp_path: Path) -> None:
    from tests.tools.readonly import unwritable_folder

    with unwritable_folder(tmp_path / "alleen-lezen") as folder:
        with pytest.raises(DataFileError, match="mag niet worden geschreven"):
            write_atomic(folder / "cijfers.json", "{}")
        assert list(folder.iterdir()) == []


def test_write_atomic_failure_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    target = tmp_path / "cijfers.json"
    write_atomic(target, "oud")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DataFileError, match="niets opgeslagen"):
        write_atomic(target, "nieuw")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cijfers.json"]


def test_write_atomic_onto_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="is een map"):
        write_atomic(tmp_path, "x")


# --------------------------------------------------------------------------- merge


def test_merge_sums_exact_and_ranges() -> None:
    a = make_file("Het Zuiderlicht", "Helmond")
    b = make_file("De Brug", "Helmond", categories={"pesten": 7, "thuissituatie": 0})
    c = make_file("De Brug", "Deurne", categories={"pesten": 0, "thuissituatie": 4})
    merged = merge([a, b, c])
    assert merged.schools == [
        ("Het Zuiderlicht", "Helmond"),
        ("De Brug", "Helmond"),
        ("De Brug", "Deurne"),
    ]
    assert merged.school_year == "2025-2026"
    assert merged.tables["categories"]["pesten"] == (19, 19)
    assert merged.display("categories", "pesten") == "19"
    # a: "<5", b: 0, c: "<5" -> 2..8
    assert merged.tables["categories"]["thuissituatie"] == (2, 8)
    assert merged.display("categories", "thuissituatie") == "2–8"
    # row absent in some files counts as 0; "overig" 0 everywhere
    assert merged.display("categories", "overig") == "0"
    # categories rows in DOMAIN.md order
    assert list(merged.tables["categories"]) == ["pesten", "thuissituatie", "overig"]
    # months: September 12 exact in all three
    assert merged.display("months", "2025-09") == "36"
    assert list(merged.tables["months"])[-1] == TOTAL_ROW


def test_merge_range_like_12_20() -> None:
    a = make_file("A", "X", categories={"pesten": 10})
    b = make_file("B", "X", categories={"pesten": 2})
    c = make_file("C", "X", categories={"pesten": 0})
    d = make_file("D", "X", categories={"pesten": 1})
    e = make_file("E", "X", categories={"pesten": 0})
    merged = merge([a, b, c, d, e])
    assert merged.display("categories", "pesten") == "12–18"
    f = make_file("F", "X", categories={"pesten": 3})
    g = make_file("G", "X", categories={"pesten": 0})
    assert merge([a, b, d, f, g]).display("categories", "pesten") == "13–22"


def test_merge_narrows_ranges_with_the_total() -> None:
    # referral: leerling_zelf 12, ouder "<5", mentor_coach "<5", total 17 -> both 1..4
    merged = merge([make_file("A", "X"), make_file("B", "X")])
    assert merged.tables["referral_sources"][TOTAL_ROW] == (34, 34)
    assert merged.display("referral_sources", TOTAL_ROW) == "34"
    # with total 20 and leerling_zelf 12: ouder + mentor_coach = 8 -> both exactly... not
    # allowed, so the total was hidden; the merged total becomes a range
    hidden = make_file("C", "X", referral={"leerling_zelf": 12, "ouder": 4, "mentor_coach": 4})
    assert TOTAL_ROW not in hidden.tables["referral_sources"]
    merged = merge([make_file("A", "X"), hidden])
    assert merged.tables["referral_sources"][TOTAL_ROW] == (17 + 14, 17 + 20)


def test_merge_reapplies_the_threshold() -> None:
    only = make_file("A", "X", categories={"thuissituatie": 3})
    merged = merge([only])
    assert merged.tables["categories"]["thuissituatie"] == (1, 4)
    assert merged.display("categories", "thuissituatie") == "<5"
    merged.tables["categories"]["thuissituatie"] = (3, 3)  # defensive: exact small sums
    assert merged.display("categories", "thuissituatie") == "<5"


def test_merge_refuses_the_same_school_twice() -> None:
    a = make_file("Het Zuiderlicht", "Helmond")
    again = make_file("het  zuiderlicht", "HELMOND")
    with pytest.raises(DataFileError) as info:
        merge([a, again])
    assert "twee keer gekozen" in info.value.message_nl
    # same school, other location is fine
    merge([a, make_file("Het Zuiderlicht", "Deurne")])


def test_merge_refuses_mixed_years_and_nothing() -> None:
    with pytest.raises(DataFileError, match="verschillende schooljaren"):
        merge([make_file("A", "X"), make_file("B", "X", "2024-2025")])
    with pytest.raises(DataFileError, match="ten minste één"):
        merge([])


def test_merge_notes_missing_tables() -> None:
    a = make_file("A", "X")
    b = DataFile("B", "Y", "2025-2026", 5, {"categories": {"pesten": 5}})
    merged = merge([a, b])
    assert merged.missing["duties"] == [("B", "Y")]
    assert merged.display("categories", "pesten") == "17"


# --------------------------------------------------------------------------- group PDF


def test_group_pdf_lists_schools_and_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from app.reports.merge_pdf import render_group_pdf

    merged = merge(
        [
            make_file("Het Zuiderlicht", "Helmond"),
            make_file("De Brug", "Deurne", categories={"pesten": 0, "thuissituatie": 4}),
        ]
    )
    out = tmp_path / "groep.pdf"
    render_group_pdf(merged, out)
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Het Zuiderlicht" in text and "De Brug" in text
    assert "Pagina 1" in text
    assert "samengevoegd" in text
    assert "2025-2026" in text
    assert "2–8" in text  # the thuissituatie range
    assert "<5" in text
    assert [p.name for p in tmp_path.iterdir()] == ["groep.pdf"]


def test_group_pdf_to_missing_folder_writes_nothing(tmp_path: Path) -> None:
    from app.reports.merge_pdf import render_group_pdf

    out = tmp_path / "nergens" / "groep.pdf"
    with pytest.raises(DataFileError, match="bestaat niet"):
        render_group_pdf(merge([make_file()]), out)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- issue 14


def grouped_file(school: str, location: str, **rows: int) -> DataFile:
    """A file whose categories are published at group level."""
    counts = {
        "veiligheid_grensoverschrijding": 0,
        "thuis_kindermishandeling": 0,
        "welzijn_gezondheid": 0,
        "school_overig": 0,
        **rows,
    }
    base = make_file(school, location)
    tables = dict(base.tables)
    tables["categories"] = suppress_table(counts, with_total=False)
    return DataFile(school, location, base.school_year, 5, tables, {"categories": "group"})


def test_group_level_round_trip_and_merge_rolls_detail_up() -> None:
    grouped = grouped_file("De Brug", "Deurne", welzijn_gezondheid=9, school_overig=3)
    assert parse(to_json(grouped)) == grouped
    assert json.loads(to_json(grouped))["tables"]["categories"]["level"] == "group"
    # detail: pesten 12 and thuissituatie "<5" (1..4); "overig" 0
    detail = make_file("Het Zuiderlicht", "Helmond")
    merged = merge([detail, grouped])
    assert merged.levels["categories"] == "group"
    assert merged.levels["months"] == "detail"
    assert list(merged.tables["categories"]) == [
        "veiligheid_grensoverschrijding",
        "thuis_kindermishandeling",
        "welzijn_gezondheid",
        "school_overig",
    ]
    assert merged.tables["categories"]["veiligheid_grensoverschrijding"] == (12, 12)
    assert merged.tables["categories"]["thuis_kindermishandeling"] == (1, 4)
    assert merged.tables["categories"]["welzijn_gezondheid"] == (9, 9)
    assert merged.tables["categories"]["school_overig"] == (1, 4)
    assert "pesten" not in merged.tables["categories"]  # no detail row survives a group merge


def test_category_groups_of_a_detail_file_are_ranges_of_distinct_cases() -> None:
    # pesten 7 and discriminatie 5 in one group: 7 to 12 distinct cases (a case can have both)
    detail = make_file("A", "X", categories={"pesten": 7, "discriminatie": 5})
    merged = merge([detail, grouped_file("B", "Y", school_overig=6)])
    assert merged.tables["categories"]["veiligheid_grensoverschrijding"] == (7, 12)
    assert merged.display("categories", "veiligheid_grensoverschrijding") == "7–12"


def test_merge_refuses_a_concept_and_a_running_year() -> None:
    final = make_file("A", "X")
    concept = DataFile("B", "Y", "2025-2026", 5, dict(final.tables), status="concept")
    assert json.loads(to_json(concept))["status"] == "concept"
    with pytest.raises(DataFileError) as info:
        merge([final, concept], today=date(2026, 12, 3))
    assert "B (Y) over 2025-2026 zijn een concept" in info.value.message_nl
    # A version 1 file (or any file) of a school year that has not ended is a concept too.
    running = parse(doc(school_year="2026-2027", tables={}))
    with pytest.raises(DataFileError, match="concept"):
        merge([running], today=date(2026, 12, 3))
    with pytest.raises(DataFileError, match="concept"):
        merge([final], today=date(2026, 7, 31))  # the last day of the year is not after it
    assert merge([final], today=date(2026, 8, 1)).schools == [("A", "X")]
