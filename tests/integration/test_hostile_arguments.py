"""Issue 12, item 4: no traceback anywhere. Every command of the command line is run against a
list of hostile arguments; any traceback, or an exit code other than 0/1/2, fails the test.

The matrix runs in one child process (tests/integration/_hostile_child.py, started through
tests/integration/_cli.py) so that it stays fast; the cases that need a real process of their
own (a broken pipe, bytes that are not UTF-8 in argv, a full disk during init, no display)
run on their own.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.services.backup import make_backup
from app.store.settings import Settings
from tests.integration._cli import ROOT, Cli, one_sentence


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    base = tmp_path_factory.mktemp("hostile")
    data, stick = base / "data", base / "stick"
    stick.mkdir()
    key = generate_recovery_key()
    session = create_store(data, Settings(school="De Linde"), key, key_mode="ask",
                           provider=MemoryProvider())
    try:
        backup = make_backup(session, stick, clock=FixedClock(datetime(2026, 3, 2)),
                             generations=3).path
    finally:
        session.lock()
    (base / "afile").write_text("x", encoding="utf-8")
    (base / "loop").symlink_to(base / "loop")
    (base / "cwd").mkdir()
    return {"base": base, "data": data, "stick": stick, "key": key, "backup": backup}


def hostile(base: Path, data: Path) -> list[str]:
    return [
        "", " ", "-", "--", "x" * 5000, "\u202eevil\u2066.pdf", "bad\udcffname",
        "../../../../../../etc/passwd", "/dev/null", str(base / "loop"), str(base / "afile"),
        str(base / "afile" / "below"), str(base / "no" / "such" / "folder"),
        str(data / "vertrouwd.db"), str(data / "vertrouwd.json"), str(data), "NUL", "CON:",
        "2025-2026\n", "-1", "99999999999999999999", "nan",
    ]


def jobs(p: dict[str, Path | str]) -> list[tuple[list[str], str]]:
    base, data, stick, key, backup = (p["base"], p["data"], p["stick"], p["key"], p["backup"])
    assert isinstance(base, Path) and isinstance(data, Path) and isinstance(key, str)
    d = ["--data-dir", str(data), "--key-stdin"]
    fresh = str(base / "fresh")
    out = str(base / "out.pdf")
    runs: list[tuple[list[str], str]] = [(["self-check"], ""), (["--help"], ""),
                                         (["report", "--help"], "")]
    for h in hostile(base, data):
        runs += [
            (["--data-dir", h, "status"], ""),
            (["--data-dir", h, "--key-stdin", "status"], key),
            ([*d, "status"], h),  # a hostile key line
            ([*d, "backup", "--to", h], key),
            ([*d, "verify", h], key),
            ([*d, "restore", h], "WRONG"),
            ([*d, "report", "--school-year", h, "--out", out], key),
            ([*d, "report", "--school-year", "2025-2026", "--out", h], key),
            ([*d, "report", "--school-year", "2025-2026", "--out", out, "--data", h], key),
            (["report", "merge", h, "--out", out], ""),
            (["report", h], ""),
            (["--data-dir", fresh, "init", "--school", h, "--key-mode", "ask"], ""),
            (["--data-dir", fresh, "init", "--school", "S", "--location", h, "--region", h], ""),
            (["--data-dir", h, "init", "--school", "S", "--key-mode", "ask"], ""),
            (["--data-dir", h, "demo", "--years", h, "--no-gui"], ""),
            ([h], ""),
            ([*d, h], key),
        ]
    runs += [([*d, "verify", str(backup)], key), ([*d, "backup", "--to", str(stick)], key)]
    return runs


def test_every_command_against_hostile_arguments(place: dict[str, Path | str]) -> None:
    started = time.monotonic()
    base = place["base"]
    assert isinstance(base, Path)
    cli = Cli(base / "run", module="tests.integration._hostile_child", cwd=base / "cwd")
    cli.env["VERTROUWD_EXIT_AFTER_SHOW"] = "1"
    todo = jobs(place)
    run = cli(stdin=json.dumps(todo))
    results = [json.loads(line) for line in run.out.splitlines() if line.startswith("{")]
    assert run.code == 0 and len(results) == len(todo), run.err[-3000:]
    bad = [r for r in results if r["escaped"] or r["code"] not in (0, 1, 2)
           or "Traceback" in r["err"] or "onverwachts" in r["err"]]
    assert not bad, json.dumps(bad[:3], indent=1)[:6000]
    # Errors are one sentence (argparse's usage lines aside).
    for r in results:
        if r["code"] == 1:
            assert r["err"].strip(), r
    print(f"{len(todo)} runs in {time.monotonic() - started:.1f} s")  # aim: well under 60 s


def test_status_into_a_closed_pipe(place: dict[str, Path | str]) -> None:
    data, key = place["data"], place["key"]
    cli = Cli(Path(str(place["base"])) / "pipe")
    proc = subprocess.run(
        f'"{sys.executable}" -m app --data-dir "{data}" --key-stdin status | head -1',
        shell=True, input=str(key).encode(), capture_output=True, cwd=str(ROOT), env=cli.env,
        timeout=120, check=False,
    )
    assert b"Traceback" not in proc.stderr and b"Exception ignored" not in proc.stderr
    assert proc.stderr.strip() == b"", proc.stderr
    assert proc.stdout.count(b"\n") == 1


def test_bytes_that_are_not_utf8_in_a_real_argv(place: dict[str, Path | str]) -> None:
    base = place["base"]
    assert isinstance(base, Path)
    cli = Cli(base / "bytes")
    for args in ([b"--data-dir", b"/tmp/\xff\xfe", b"status"],
                 [b"report", b"merge", b"\xff.json", b"--out", b"\xfe.pdf"]):
        proc = subprocess.run([sys.executable.encode(), b"-m", b"app", *args],
                              capture_output=True, cwd=str(base / "cwd"), env=cli.env,
                              stdin=subprocess.DEVNULL, timeout=120, check=False)
        assert proc.returncode == 1 and b"Traceback" not in proc.stderr, proc.stderr


def test_data_dir_that_is_a_file_or_unreachable(place: dict[str, Path | str]) -> None:
    base = place["base"]
    assert isinstance(base, Path)
    cli = Cli(base / "dirs")
    run = cli("--data-dir", str(base / "afile"), "init", "--school", "S", "--key-mode", "ask")
    assert run.code == 1 and "geen map" in one_sentence(run.err) and run.out == ""
    run = cli("--data-dir", "/proc/1/vertrouwd", "init", "--school", "S", "--key-mode", "ask")
    assert run.code == 1 and one_sentence(run.err) and run.out == ""


def test_a_full_disk_during_init_leaves_nothing_and_shows_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import app.cli
    import app.security.vault as vault

    provider = MemoryProvider()
    monkeypatch.setattr(app.cli, "PROVIDER_FACTORY", lambda: provider)

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vault, "save_settings", full)
    data = tmp_path / "data"
    code = app.cli.main(["--data-dir", str(data), "init", "--school", "S"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""  # no key shown for a store that was not made
    assert "schijf is vol" in one_sentence(captured.err)
    assert list(data.iterdir()) == []
    assert provider.keys == {}  # the keyring entry it had made is taken back
