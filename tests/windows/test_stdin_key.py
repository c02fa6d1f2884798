"""`--key-stdin` as Windows feeds it: UTF-16 or UTF-8 with a byte-order mark, CRLF, the ANSI
code page; and the windowed program, which has no standard input at all."""

from __future__ import annotations

import argparse
import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from app.keyinput import decode_line
from app.security.keys import normalize_recovery_key
from tests.integration._cli import Cli, one_sentence

KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF16_LE + (KEY + "\r\n").encode("utf-16-le")[:-1],  # readline stops at \n
        codecs.BOM_UTF16_BE + (KEY + "\r\n").encode("utf-16-be"),
        codecs.BOM_UTF8 + (KEY + "\r\n").encode("utf-8"),
        (KEY + "\r\n").encode("cp1252"),
        ("  " + KEY.lower() + "\n").encode("cp1252"),
    ],
)
def test_decode_line_by_its_mark(raw: bytes) -> None:
    assert normalize_recovery_key(decode_line(raw)) == KEY


def test_bytes_that_are_not_utf8_are_read_in_the_locale_code_page() -> None:
    assert decode_line("sleutel é\n".encode("cp1252")).startswith("sleutel ")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str, str]:
    cli = Cli(tmp_path_factory.mktemp("stdin"))
    data_dir = str(cli.base / "data")
    run = cli("--data-dir", data_dir, "init", "--school", "BOM College", "--key-mode", "ask")
    assert run.code == 0, run.err
    return cli, data_dir, run.out.strip()


def _run(cli: Cli, args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], input=stdin, capture_output=True,
        cwd=str(cli.cwd), env=cli.env, timeout=120, check=False,
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be-bom"])
def test_a_key_file_written_by_powershell_or_notepad_is_accepted(
    store: tuple[Cli, str, str], encoding: str
) -> None:
    cli, data_dir, key = store
    text = key + "\r\n"
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)  # "utf-16" writes a BOM, as PowerShell 5 does
    done = _run(cli, ["--data-dir", data_dir, "--key-stdin", "status"], data)
    assert done.returncode == 0, done.stderr.decode()
    assert "BOM College" in done.stdout.decode()


def test_no_standard_input_at_all_is_one_dutch_sentence(store: tuple[Cli, str, str]) -> None:
    cli, data_dir, _key = store
    code = (
        "import sys; sys.stdin = None; from app.cli import main; "
        f"raise SystemExit(main(['--data-dir', {data_dir!r}, '--key-stdin', 'status']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=str(cli.cwd),
                          env=cli.env, timeout=120, check=False)
    err = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in err
    assert "geen standaardinvoer" in one_sentence(err)


def test_the_demo_shortcut_reopens_the_demo_through_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The windowed program's demo shortcut: the demo store exists, there is no stdin; the
    window (keyring or its unlock dialog) opens it, nothing reads standard input."""
    from app.commands import setup

    (tmp_path / "vertrouwd.db").write_bytes(b"x" * 4096)
    started: list[bool] = []
    monkeypatch.setattr(sys, "stdin", None)
    monkeypatch.setattr(setup, "start_gui", lambda args, *, demo=False, session=None:
                        started.append(demo and session is None) or 0)
    args = argparse.Namespace(data_dir=str(tmp_path), key_stdin=False, no_gui=False, years=1,
                              seed=1, key_mode="keyring")
    assert setup.cmd_demo(args) == 0
    assert started == [True]
