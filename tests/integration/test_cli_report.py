"""`vertrouwd report` and `vertrouwd report merge` as real processes (PRODUCT §Command line):
exit codes, one Dutch sentence per error, files that parse, nothing half-written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.reports.data_file import load, parse
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.services.demo import generate
from app.store.db import connect
from app.store.settings import Settings
from tests.integration._cli import Cli, Run, one_sentence
from tests.tools.readonly import unwritable_folder

TODAY = date(2026, 6, 15)  # the demo data's today; the command itself runs on the real date


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class School:
    data: Path
    key: str

    def run(self, cli: Cli, *args: str) -> Run:
        return cli("--data-dir", str(self.data), "--key-stdin", *args, stdin=self.key)


def make_school(folder: Path, name: str, seed: int) -> School:
    key = generate_recovery_key()
    session = create_store(
        folder,
        Settings(school=name, location="Helmond", vp_name="A. Jansen"),
        key,
        key_mode="ask",
        provider=MemoryProvider(),
    )
    try:
        generate(session.store, years=3, seed=seed, today=TODAY)
    finally:
        session.lock()
    return School(folder, key)


@pytest.fixture(scope="module")
def schools(tmp_path_factory: pytest.TempPathFactory) -> tuple[School, School]:
    base = tmp_path_factory.mktemp("schools")
    return make_school(base / "a", "De Linde", 1), make_school(base / "b", "Het Carolus", 2)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def journal(school: School) -> list[tuple[str, dict[str, object]]]:
    conn = connect(school.data / "vertrouwd.db", school.key)
    try:
        rows = conn.execute("SELECT event, detail FROM journal ORDER BY id").fetchall()
        return [(str(r[0]), json.loads(r[1])) for r in rows]
    finally:
        conn.close()


def test_year_report_with_data_file(
    cli: Cli, schools: tuple[School, School], tmp_path: Path
) -> None:
    school = schools[0]
    out = tmp_path / "uit"
    out.mkdir()
    run = school.run(
        cli,
        "report",
        "--school-year",
        "2025-2026",
        "--out",
        str(out / "a.pdf"),
        "--data",
        str(out / "a.json"),
    )
    assert run.code == 0, run.err
    assert "Jaarverslag opgeslagen" in run.out and "a.csv" in run.out
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "a.json", "a.pdf"]
    data = load(out / "a.json")
    assert data.school == "De Linde" and data.school_year == "2025-2026"
    assert isinstance(data.tables["totals"]["requests"], int)
    assert data.tables["totals"]["requests"] > 100
    csv_lines = (out / "a.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "table,row,value,level"
    assert data.status == "final"  # the command runs on the real date, after the school year
    assert len(csv_lines) - 1 == sum(len(rows) for rows in data.tables.values())
    reader = PdfReader(io.BytesIO((out / "a.pdf").read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Jaarverslag vertrouwenspersoon voor leerlingen" in " ".join(text.split())
    assert f"Pagina 1 van {len(reader.pages)}" in text and "De Linde" in text
    events = journal(school)
    made = [detail for event, detail in events if event == "report_made"]
    assert made and made[-1] == {
        "school_year": "2025-2026",
        "tables": 7,
        "data_file": 1,
        "empty": 0,
    }


def test_pdf_only_and_an_empty_year(
    cli: Cli, schools: tuple[School, School], tmp_path: Path
) -> None:
    run = schools[1].run(
        cli, "report", "--school-year", "2019-2020", "--out", str(tmp_path / "x.pdf")
    )
    assert run.code == 0, run.err
    assert "geen contacten geregistreerd" in run.out
    reader = PdfReader(str(tmp_path / "x.pdf"))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert "Er zijn in dit schooljaar geen contacten geregistreerd." in text
    assert not list(tmp_path.glob("*.json"))


def test_missing_output_folder_writes_nothing(
    cli: Cli, schools: tuple[School, School], tmp_path: Path
) -> None:
    school = schools[0]
    ok = tmp_path / "ok"
    ok.mkdir()
    before = tree(school.data)
    run = school.run(
        cli, "report", "--school-year", "2025-2026", "--out", str(tmp_path / "weg" / "a.pdf")
    )
    assert run.code == 1
    assert "bestaat niet" in one_sentence(run.err)
    # The PDF's folder exists but the data file's does not: still nothing at all is written.
    run = school.run(
        cli,
        "report",
        "--school-year",
        "2025-2026",
        "--out",
        str(ok / "a.pdf"),
        "--data",
        str(tmp_path / "weg" / "a.json"),
    )
    assert run.code == 1
    assert "bestaat niet" in one_sentence(run.err)
    assert list(ok.iterdir()) == []
    assert tree(school.data) == before  # refused before the store was even opened


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_output_folder(cli: Cli, schools: tuple[School, School], tmp_path: Path) -> None:
    with unwritable_folder(tmp_path / "alleen-lezen") as locked:
        run = schools[0].run(
            cli, "report", "--school-year", "2025-2026", "--out", str(locked / "a.pdf")
        )
        assert run.code == 1
        assert "mag niet worden geschreven" in one_sentence(run.err)
        assert list(locked.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--school-year", "2099-2100", "--out", "{d}/a.pdf"), "nog niet begonnen"),
        (("--school-year", "2025", "--out", "{d}/a.pdf"), "2025-2026"),
        (("--out", "{d}/a.pdf"), "--school-year"),
        (("--school-year", "2025-2026"), "--out"),
        (("--school-year", "2025-2026", "--out", "{d}/a.pdf", "--data", "{d}/a.pdf"), "namen"),
        (("samenvoegen", "a.json", "--out", "{d}/a.pdf"), "report merge"),
    ],
)
def test_bad_input_is_one_dutch_sentence(
    cli: Cli, schools: tuple[School, School], tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    run = schools[0].run(cli, "report", *(a.format(d=tmp_path) for a in args))
    assert run.code == 1
    assert words in one_sentence(run.err)
    assert not list(tmp_path.glob("a.*"))


@pytest.fixture(scope="module")
def data_files(
    schools: tuple[School, School], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("data")
    cli = Cli(tmp_path_factory.mktemp("cli"))
    paths = []
    for name, school in zip("ab", schools, strict=True):
        run = school.run(
            cli,
            "report",
            "--school-year",
            "2025-2026",
            "--out",
            str(folder / f"{name}.pdf"),
            "--data",
            str(folder / f"{name}.json"),
        )
        assert run.code == 0, run.err
        paths.append(folder / f"{name}.json")
    return paths[0], paths[1]


def test_merge(cli: Cli, data_files: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = data_files
    run = cli("report", "merge", str(a), str(b), "--out", str(tmp_path / "groep.pdf"))
    assert run.code == 0, run.err
    assert "Groepsverslag opgeslagen" in run.out
    text = "\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "groep.pdf")).pages)
    assert "De Linde" in text and "Het Carolus" in text

    run = cli(
        "report",
        "merge",
        str(a),
        str(b),
        "--out",
        str(tmp_path / "g.pdf"),
        "--data",
        str(tmp_path / "g.json"),
    )
    assert run.code == 0, run.err
    group = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert group["format"] == "vertrouwd-groepscijfers" and group["version"] == 2
    assert set(group["levels"]) == set(group["tables"])
    assert group["school_year"] == "2025-2026"
    assert [s["school"] for s in group["schools"]] == ["De Linde", "Het Carolus"]
    one, two = load(a), load(b)
    requests = group["tables"]["totals"]["requests"]
    expected = one.tables["totals"]["requests"] + two.tables["totals"]["requests"]  # type: ignore[operator]
    assert requests == {"low": expected, "high": expected, "display": str(expected)}
    for rows in group["tables"].values():
        for cell in rows.values():
            assert cell["low"] <= cell["high"]
            assert not (cell["low"] >= 1 and cell["high"] <= 4) or cell["display"] == "<5"
    csv_head = (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()[0]
    assert csv_head == "table,row,low,high,display"


def test_merge_refuses_duplicates_and_other_formats(
    cli: Cli, data_files: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = data_files
    copy = tmp_path / "kopie.json"
    shutil.copyfile(a, copy)
    run = cli("report", "merge", str(a), str(copy), "--out", str(tmp_path / "g.pdf"))
    assert run.code == 1
    assert "twee keer" in one_sentence(run.err)

    newer = tmp_path / "nieuwer.json"
    document = json.loads(a.read_text(encoding="utf-8"))
    document["version"] = 3
    newer.write_text(json.dumps(document), encoding="utf-8")
    run = cli("report", "merge", str(newer), str(b), "--out", str(tmp_path / "g.pdf"))
    assert run.code == 1
    assert "versie 3" in one_sentence(run.err)

    other = tmp_path / "anders.json"
    other.write_text('{"format": "iets-anders", "version": 1}', encoding="utf-8")
    run = cli("report", "merge", str(other), str(b), "--out", str(tmp_path / "g.pdf"))
    assert run.code == 1
    assert "geen jaarcijferbestand" in one_sentence(run.err)

    run = cli("report", "merge", "--out", str(tmp_path / "g.pdf"))
    assert run.code == 1 and "report merge" in one_sentence(run.err)

    run = cli("report", "merge", str(a), str(b), "--out", str(tmp_path / "weg" / "g.pdf"))
    assert run.code == 1 and "bestaat niet" in one_sentence(run.err)

    run = cli("report", "merge", str(a), str(b), "--out", str(tmp_path / "g.pdf"), "--data", str(b))
    assert run.code == 1 and len(one_sentence(run.err)) > 10
    assert parse(b.read_text(encoding="utf-8")).school == "Het Carolus"  # not overwritten
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == []


def test_running_year_is_a_concept_and_merge_refuses_it(
    cli: Cli, schools: tuple[School, School], data_files: tuple[Path, Path], tmp_path: Path
) -> None:
    """Issue 14: a report of the running school year says CONCEPT on every page and in its
    data file, and `report merge` refuses that file; a finished year's report does not."""
    today = date.today()
    running = f"{today.year - (today.month < 8)}-{today.year - (today.month < 8) + 1}"
    run = schools[0].run(
        cli,
        "report",
        "--school-year",
        running,
        "--out",
        str(tmp_path / "c.pdf"),
        "--data",
        str(tmp_path / "c.json"),
    )
    assert run.code == 0, run.err
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "c.pdf")).pages]
    assert pages and all("CONCEPT" in page for page in pages)
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["status"] == "concept"
    run = cli("report", "merge", str(tmp_path / "c.json"), str(data_files[1]), "--out",
              str(tmp_path / "g.pdf"))
    assert run.code == 1
    sentence = one_sentence(run.err)
    assert "concept" in sentence and "De Linde" in sentence and running in sentence
    assert not (tmp_path / "g.pdf").exists()
    final = [p.extract_text() for p in PdfReader(str(data_files[0].with_suffix(".pdf"))).pages]
    assert not any("CONCEPT" in page for page in final)
    assert json.loads(data_files[0].read_text(encoding="utf-8"))["status"] == "final"


def test_verify_checks_the_journal_against_the_printed_code(
    cli: Cli, schools: tuple[School, School], tmp_path: Path
) -> None:
    school = schools[1]
    run = school.run(cli, "report", "--school-year", "2025-2026", "--out", str(tmp_path / "r.pdf"))
    assert run.code == 0, run.err
    last = " ".join(PdfReader(str(tmp_path / "r.pdf")).pages[-1].extract_text().split())
    found = re.search(r"Controlecode van het logboek: (\d+-[0-9A-F]{8})", last)
    assert found is not None, last
    code = found.group(1)
    store = str(school.data / "vertrouwd.db")
    run = school.run(cli, "verify", store, "--journal-code", code)
    assert run.code == 0, run.err
    assert f"Het logboek klopt met de controlecode {code}" in run.out
    number, digest = code.split("-")
    wrong = f"{number}-{'0' if digest[0] != '0' else '1'}{digest[1:]}"
    run = school.run(cli, "verify", store, "--journal-code", wrong)
    assert run.code == 1 and "klopt NIET" in one_sentence(run.err)
    run = school.run(cli, "verify", store, "--journal-code", "99999-ABCDEF12")
    assert run.code == 1 and "verdwenen" in one_sentence(run.err)
    run = school.run(cli, "verify", store, "--journal-code", "onzin")
    assert run.code == 1 and "geen controlecode" in one_sentence(run.err)
