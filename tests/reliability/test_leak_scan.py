"""QUALITY R6: the plaintext scan. A scripted session plants 50 unique pupil names and note
phrases through the services (intake, conversations, notes, an escalation check and a
completed obligation, a draft, the annual report with its data file and CSV, a backup, a lock,
a writer killed mid-transaction), the command line (`status`, `report`, `backup`, `verify`)
and the GUI (the main window opened offscreen on the store, then closed). Then every file under
the data folder, the backup folder, the temp folder, HOME (settings, logs, caches) and the
report folder (PDFs and data files) is searched for every planted string: UTF-8 and UTF-16-LE,
case-insensitive, in the file's bytes, inside the PDFs' compressed streams, and in the file
names. Zero hits. (The explicit access export, the one place names may leave the store, is not
part of this session.)

Positive controls: the planted strings are really in the store (read back with the key), and
the scanner finds them in a plaintext file, a UTF-16 file and a compressed PDF stream.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.paths import store_path
from app.reports.annual import compute
from app.reports.export import save_annual
from app.reports.pdf import render_annual_pdf
from app.security.keys import MemoryProvider
from app.security.vault import create_store, unlock
from app.services import casework as cw
from app.services import escalation
from app.services.backup import make_backup
from app.services.demo import SCHOOL, generate
from app.services.drafts import save_draft
from app.store.db import Store
from app.store.settings import Settings, load_settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and HOME are POSIX here")

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("_writer_child.py")
KEY = "VRTRW-DSCAN-PRVCY-TSTKY-ABCDE-FGHJK"
NOW = datetime(2026, 10, 15, 10, 0)  # a Thursday in the school year 2026-2027
TODAY = NOW.date()
YEAR = "2026-2027"
NAMES = tuple(f"Zyxwor{i:02d} Plantnaam{i:02d}" for i in range(25))
PHRASES = tuple(f"fluweelkrekel-zin-{i:02d}" for i in range(25))
PLANTED = NAMES + PHRASES
# The VP's own report texts (not planted: they are meant to be in the report).
TEXTS = {
    "activities": "Klassenbezoeken in de eerste klassen.",
    "signals": "Meer vragen over de groepsapp.",
    "advice": "Een vaste gespreksruimte.",
}


def needles() -> list[str]:
    """Every planted string, and the parts a partial leak (or an FTS token) would show."""
    words = {w for text in PLANTED for w in re.split(r"[\s]+", text)}
    return sorted({*PLANTED, *words, "fluweelkrekel"})


def _pdf_texts(path: Path) -> list[bytes]:
    """What a PDF shows and holds beyond its raw bytes: every stream decoded through its
    filters (reportlab writes ASCII85 + Flate), the extracted page text and the metadata."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    parts: list[bytes] = []
    try:
        reader = PdfReader(str(path))
        numbers = {(n, gen) for gen, table in reader.xref.items() for n in table}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        for number, generation in sorted(numbers):
            obj = IndirectObject(number, generation, reader).get_object()
            if isinstance(obj, StreamObject):
                try:
                    parts.append(obj.get_data())
                except Exception:  # noqa: BLE001 - an undecodable stream stays raw
                    continue
        parts.append("\n".join(page.extract_text() or "" for page in reader.pages).encode())
        parts.append(repr(dict(reader.metadata or {})).encode())
    except Exception as error:  # noqa: BLE001 - an unreadable PDF must fail loudly
        raise AssertionError(f"cannot read {path} as PDF: {error}") from None
    return parts


@dataclass
class Scan:
    files: int = 0
    bytes: int = 0
    hits: list[tuple[str, str, str]] = field(default_factory=list)


def scan(roots: list[Path], words: list[str] | None = None) -> Scan:
    """Every file under `roots` searched for `words` (default: the planted strings)."""
    words = needles() if words is None else words
    forms: list[tuple[str, str, bytes]] = []
    for needle in words:
        low = needle.lower()
        forms.append((needle, "utf-8", low.encode("utf-8")))
        forms.append((needle, "utf-16-le", low.encode("utf-16-le")))
    result = Scan()
    seen: set[Path] = set()
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                real = path.resolve()
                if real in seen:
                    continue
                seen.add(real)
                for needle in words:
                    if needle.lower() in name.lower():
                        result.hits.append((str(path), needle, "file name"))
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                result.files += 1
                result.bytes += len(data)
                blobs = [data]
                if data.startswith(b"%PDF"):
                    blobs += _pdf_texts(path)
                for blob in blobs:
                    low = blob.lower()
                    for needle, encoding, form in forms:
                        if form in low:
                            result.hits.append((str(path), needle, encoding))
    return result


# -- the scripted session ----------------------------------------------------------------------
@dataclass
class Places:
    base: Path
    data: Path
    backups: Path
    tmp: Path
    home: Path
    reports: Path
    kill_scan: Scan | None = None
    hot_journal_scanned: bool = False
    cli_outputs: list[str] = field(default_factory=list)

    def roots(self) -> list[Path]:
        return [self.data, self.backups, self.tmp, self.home, self.reports]


def _env(places: Places) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "VERTROUWD_"))}
    env.update(
        HOME=str(places.home),
        XDG_DATA_HOME=str(places.home / ".local" / "share"),
        XDG_CONFIG_HOME=str(places.home / ".config"),
        XDG_CACHE_HOME=str(places.home / ".cache"),
        XDG_STATE_HOME=str(places.home / ".local" / "state"),
        XDG_RUNTIME_DIR=str(places.tmp),
        TMPDIR=str(places.tmp),
        QT_QPA_PLATFORM="offscreen",
        VERTROUWD_LANG="nl",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _services(places: Places) -> None:
    """Everything a VP does in a session, through the services, with planted text."""
    clock = FixedClock(NOW)
    session = create_store(
        places.data,
        Settings(school="Lekschool", location="Veldhoven", vp_name="A. Vertrouwens",
                 backup_dir=str(places.backups)),
        KEY, key_mode="ask", provider=MemoryProvider(), clock=clock,
    )
    store = session.store
    generate(store, years=2, seed=6, profile=SCHOOL, today=TODAY)  # a school's ordinary data
    settings = load_settings(store)
    cases: list[int] = []
    for i in range(12):
        request = cw.register_request(
            store, clock, received_at=datetime(2026, 10, 13, 9, i), source="mentor_coach",
            pupil_label=NAMES[12 + i], note=f"Aanmelding: {PHRASES[i]}.", settings=settings,
        ).request
        case = cw.open_case(store, clock, Intake(
            opened_on=TODAY,
            confidentiality_explained_at=datetime(2026, 10, 15, 9, 0),
            categories=("pesten", "thuissituatie") if i % 2 else ("welbevinden",),
            taken_up_by="vp",
            story=f"{NAMES[i]} vertelt: {PHRASES[i]} in de pauze.",
            help_question=f"Wil dat {PHRASES[(i + 5) % 12]} stopt.",
            pupil=PupilData(NAMES[i], PHRASES[12 + i], 2, "havo"),
            request_id=request.id,
            consents={"mentor_coach": True, "ouders": i % 3 == 0},
            minutes=30,
            with_whom="leerling",
        ))
        cases.append(case.id)
        cw.add_conversation(
            store, clock, case.id, on_date=TODAY, with_whom="leerling", minutes=20,
            text=f"Gesprek over {NAMES[(i + 1) % 12]} en {PHRASES[(i + 3) % 12]}.",
        )
        cw.add_note(store, clock, case.id, on_date=TODAY,
                    text=f"Notitie: {PHRASES[(i + 7) % 12]}, klas {PHRASES[12 + i]}.")
    record = escalation.record_check(
        store, cases[0], {"minor": "yes", "child_abuse": "doubt"},
        {"child_abuse": f"Twijfel: {PHRASES[20]} bij {NAMES[0]}."},
        f"Afweging: {PHRASES[21]}.", now=NOW, settings=settings,
    )
    assert record.obligations, "the check should give an obligation"
    obligation = record.obligations[0]
    escalation.complete_obligation(
        store, obligation.id, done_on=TODAY, informed_whom="Veilig Thuis",
        informed_how="telefonisch", pupil_told_first=True,
        note=f"Gebeld over {PHRASES[22]} ({NAMES[1]}).", today=TODAY,
    )
    save_draft(store, "intake", {"pupil": NAMES[23], "story": PHRASES[23]}, now=NOW)
    # The annual report: the PDF, the data file and its CSV.
    figures = compute(store, YEAR, threshold=settings.report_threshold, today=TODAY)
    pdf = render_annual_pdf(figures, TEXTS, None)
    save_annual(store, figures, pdf, places.reports / "jaarverslag.pdf",
                places.reports / "jaarcijfers.json", now=NOW)
    previous = compute(store, "2025-2026", threshold=settings.report_threshold, today=TODAY)
    render_annual_pdf(previous, {}, places.reports / "jaarverslag-vorig.pdf")
    make_backup(session, places.backups, clock=clock, generations=3)
    session.lock()
    # Unlock again (as after the inactivity lock) and write once more.
    again = unlock(places.data, MemoryProvider(), KEY, clock=clock)
    try:
        cw.add_conversation(again.store, clock, cases[1], on_date=TODAY,
                            text=f"Na het slot: {PHRASES[(1 + 9) % 12]}.")
    finally:
        again.lock()


def _kill_mid_write(places: Places, env: dict[str, str]) -> None:
    """A writer with planted text, killed inside a transaction when the timing allows; the
    folders are scanned at once, hot journal and all."""
    journal = Path(str(store_path(places.data)) + "-journal")
    rng = random.Random(6)
    for attempt in range(8):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(places.data), str(attempt),
             f"{NAMES[24]} {PHRASES[24]}"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write((KEY + "\n").encode())
        child.stdin.close()
        assert child.stdout.readline().strip() == b"ready"
        assert child.stdout.readline().startswith(b"request "), "no write acknowledged"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        if journal.exists():
            places.hot_journal_scanned = True
            break
    places.kill_scan = scan(places.roots())


def _cli(places: Places, env: dict[str, str]) -> None:
    data = ["--data-dir", str(places.data), "--key-stdin"]
    commands = [
        [*data, "status"],
        [*data, "report", "--school-year", YEAR, "--out", str(places.reports / "cli.pdf"),
         "--data", str(places.reports / "cli.json")],
        [*data, "backup", "--to", str(places.backups)],
    ]
    for args in commands:
        proc = subprocess.run([sys.executable, "-m", "app", *args], input=KEY + "\n",
                              capture_output=True, text=True, env=env, cwd=str(ROOT),
                              timeout=180)
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        places.cli_outputs.append(proc.stdout + proc.stderr)
    backups = sorted(places.backups.glob("vertrouwd-backup-*.db"))
    assert backups, "no backup was made"
    proc = subprocess.run([sys.executable, "-m", "app", "--key-stdin", "verify", str(backups[-1])],
                          input=KEY + "\n", capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=180)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    places.cli_outputs.append(proc.stdout + proc.stderr)


def _gui(places: Places, env: dict[str, str]) -> None:
    """The main window opened offscreen on the store (dashboard and lists with the planted
    names on screen), then closed: Qt and the program must leave no settings with content."""
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(places.data), "--key-stdin"],
        input=KEY + "\n", capture_output=True, text=True, cwd=str(ROOT), timeout=180,
        env=dict(env, VERTROUWD_EXIT_AFTER_SHOW="1"),
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    places.cli_outputs.append(proc.stdout + proc.stderr)


@pytest.fixture(scope="module")
def session_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Places]:
    base = tmp_path_factory.mktemp("leak")
    places = Places(base, base / "data", base / "backups", base / "tmp", base / "home",
                    base / "reports")
    for folder in (places.backups, places.tmp, places.home, places.reports):
        folder.mkdir()
    env = _env(places)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TMPDIR"):
            patch.setenv(name, env[name])
        patch.setattr(tempfile, "tempdir", str(places.tmp))
        _services(places)
        _kill_mid_write(places, env)
        _cli(places, env)
        _gui(places, env)
    yield places


def test_no_planted_text_in_any_file(session_run: Places) -> None:
    places = session_run
    result = scan(places.roots())
    assert (places.reports / "jaarverslag.pdf").is_file()
    assert (places.reports / "jaarcijfers.csv").is_file()
    assert (places.reports / "cli.pdf").is_file() and (places.reports / "cli.json").is_file()
    assert list(places.backups.glob("vertrouwd-backup-*.db"))
    assert result.files >= 10, result
    print(f"\nR6: {result.files} files, {result.bytes / 1e6:.1f} MB scanned; "
          f"hot journal scanned: {places.hot_journal_scanned}")
    assert result.hits == []
    assert places.kill_scan is not None and places.kill_scan.hits == []
    # The scan reads the reports' content: the school's own name is found in them.
    control = scan([places.reports], ["Lekschool"])
    assert {Path(path).name for path, *_rest in control.hits} >= {
        "jaarverslag.pdf", "cli.pdf", "jaarcijfers.json", "cli.json"
    }


def test_command_output_shows_no_planted_text(session_run: Places) -> None:
    for output in session_run.cli_outputs:
        low = output.lower()
        assert not [n for n in needles() if n.lower() in low], output


def test_the_planted_text_is_really_in_the_store(session_run: Places) -> None:
    """Zero hits means something only if the strings were written: read them back."""
    store = Store.open(store_path(session_run.data), KEY)
    try:
        rows = store.query(
            "SELECT name || ' ' || class_name FROM pupil UNION ALL SELECT pupil_label FROM request "
            "UNION ALL SELECT body FROM note UNION ALL SELECT body FROM draft"
        )
    finally:
        store.close()
    text = "\n".join(str(r[0]) for r in rows)
    missing = [planted for planted in PLANTED if planted not in text]
    assert missing == []


def test_the_scanner_finds_plain_utf16_and_compressed_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"x {NAMES[3].upper()} y", encoding="utf-8")
    (tmp_path / "b.ini").write_text(f"name={PHRASES[4]}", encoding="utf-16-le")
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "c.pdf"), pageCompression=1)
    canvas.drawString(72, 720, NAMES[5])
    canvas.save()
    assert NAMES[5].encode() not in (tmp_path / "c.pdf").read_bytes()  # compressed
    (tmp_path / f"{PHRASES[6]}.tmp").write_bytes(b"")
    (tmp_path / "d.bin").write_bytes(b"Plantnaam07")  # a surname alone is a leak too
    hits = {(Path(path).name, needle, how) for path, needle, how in scan([tmp_path]).hits}
    assert ("a.txt", NAMES[3], "utf-8") in hits
    assert ("b.ini", PHRASES[4], "utf-16-le") in hits
    assert ("c.pdf", NAMES[5], "utf-8") in hits
    assert (f"{PHRASES[6]}.tmp", PHRASES[6], "file name") in hits
    assert ("d.bin", "Plantnaam07", "utf-8") in hits


def test_scan_date_is_inside_the_session_year() -> None:
    assert date(2026, 8, 1) <= TODAY <= date(2027, 7, 31)
