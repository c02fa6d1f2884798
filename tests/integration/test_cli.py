"""The `vertrouwd` command line as a contract: exit codes, one Dutch sentence on stderr, the
key printed once and never taken as an argument. Runs `python -m app` as a real process."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.i18n import _
from app.messages import reason_message
from app.security.keys import generate_recovery_key, normalize_recovery_key
from app.store.schema import SCHEMA_VERSION
from tests.integration._cli import Cli, one_sentence
from tests.integration._support import files_containing


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    # A plaintext backend as the default keyring (as keyrings.alt makes it on this machine):
    # it must never be trusted, and nothing may end up in its file.
    return Cli(tmp_path_factory.mktemp("cli"),
               keyring_backend="keyrings.alt.file.PlaintextKeyring")


@pytest.fixture(scope="module")
def initialised(cli: Cli) -> tuple[str, str]:
    """(data dir, key) of a store made once with `init --key-mode ask`."""
    data_dir = str(cli.base / "data")
    run = cli("--data-dir", data_dir, "init", "--school", "CLI College", "--location",
              "Mierlo-Hout", "--key-mode", "ask")
    assert run.code == 0, run.err
    assert run.err.strip() == ""
    lines = run.out.splitlines()
    assert len(lines) == 1, run.out
    key = lines[0]
    assert normalize_recovery_key(key) == key
    assert len(key) == 35 and key.count("-") == 5
    return data_dir, key


def test_init_prints_exactly_the_key(initialised: tuple[str, str]) -> None:
    data_dir, _key = initialised
    assert (Path(data_dir) / "vertrouwd.db").exists()
    assert not (Path(data_dir) / "vertrouwd.db").read_bytes().startswith(b"SQLite format 3")


def test_init_twice_refuses_with_a_dutch_sentence(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, _key = initialised
    before = (Path(data_dir) / "vertrouwd.db").read_bytes()
    run = cli("--data-dir", data_dir, "init", "--school", "Ander", "--key-mode", "ask")
    assert run.code == 1
    assert run.out == ""  # no new key was printed
    assert one_sentence(run.err) == reason_message("exists")
    assert (Path(data_dir) / "vertrouwd.db").read_bytes() == before


def test_status_with_the_key_on_stdin(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, key = initialised
    run = cli("--data-dir", data_dir, "--key-stdin", "status", stdin=key + "\n")
    assert run.code == 0, run.err
    assert "CLI College" in run.out
    assert _("Schema version: {version}").format(version=SCHEMA_VERSION) in run.out
    assert _("School: {school}").format(school="CLI College") in run.out
    assert key not in run.out and key not in run.err


def test_status_accepts_a_sloppily_typed_key(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, key = initialised
    typed = "  " + " ".join(key.lower().split("-")) + "  \n"
    run = cli("--data-dir", data_dir, "--key-stdin", "status", stdin=typed)
    assert run.code == 0, run.err


def test_status_with_a_wrong_key(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, _key = initialised
    before = (Path(data_dir) / "vertrouwd.db").read_bytes()
    run = cli("--data-dir", data_dir, "--key-stdin", "status",
              stdin=generate_recovery_key() + "\n")
    assert run.code == 1
    assert one_sentence(run.err) == reason_message("wrong_key")
    assert (Path(data_dir) / "vertrouwd.db").read_bytes() == before


def test_status_with_something_that_is_not_a_key(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, _key = initialised
    run = cli("--data-dir", data_dir, "--key-stdin", "status", stdin="hallo\n")
    assert run.code == 1
    assert one_sentence(run.err) == reason_message("bad_key_format")


def test_status_without_stdin_or_terminal(cli: Cli, initialised: tuple[str, str]) -> None:
    data_dir, _key = initialised
    run = cli("--data-dir", data_dir, "status")
    assert run.code == 1
    assert one_sentence(run.err) == reason_message("no_key")


def test_status_without_a_store(cli: Cli) -> None:
    run = cli("--data-dir", str(cli.base / "empty"), "--key-stdin", "status",
              stdin=generate_recovery_key() + "\n")
    assert run.code == 1
    assert one_sentence(run.err) == reason_message("missing")
    assert not (cli.base / "empty" / "vertrouwd.db").exists()


def test_init_in_keyring_mode_with_a_plaintext_keyring_falls_back(cli: Cli) -> None:
    data_dir = cli.base / "plain"
    run = cli("--data-dir", str(data_dir), "init", "--school", "Plain", "--key-mode", "keyring")
    assert run.code == 0, run.err
    key = run.out.strip()
    assert normalize_recovery_key(key) == key
    assert one_sentence(run.err) == reason_message("keyring_unavailable")
    # The key was not remembered: status asks for it (and gets nothing without a terminal).
    assert cli("--data-dir", str(data_dir), "status").code == 1
    assert cli("--data-dir", str(data_dir), "--key-stdin", "status", stdin=key).code == 0
    assert files_containing(cli.base, key) == []


def test_self_check(cli: Cli) -> None:
    run = cli("self-check")
    assert run.code == 0, run.out + run.err
    assert "Vertrouwd" in run.out


@pytest.mark.parametrize(
    "args",
    [
        ("init",),  # --school is required
        ("init", "--school", "X", "--key-mode", "nergens"),
        ("no-such-command",),
        ("init", "--school", "X", "--key", "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678"),
    ],
)
def test_bad_usage_exits_2(cli: Cli, args: tuple[str, ...]) -> None:
    run = cli("--data-dir", str(cli.base / "usage"), *args)
    assert run.code == 2
    assert not (cli.base / "usage" / "vertrouwd.db").exists()


def test_demo_without_gui(cli: Cli) -> None:
    data_dir = cli.base / "demo"
    run = cli("--data-dir", str(data_dir), "demo", "--no-gui", "--key-mode", "ask",
              "--years", "1")
    assert run.code == 0, run.err
    key = run.out.strip().splitlines()[0]
    assert normalize_recovery_key(key) == key
    assert (data_dir / "vertrouwd.db").exists()
    status = cli("--data-dir", str(data_dir), "--key-stdin", "status", stdin=key + "\n")
    assert status.code == 0, status.err
    assert "Demoschool" in status.out


def test_the_key_is_in_no_file(cli: Cli, initialised: tuple[str, str]) -> None:
    _data_dir, key = initialised
    assert files_containing(cli.base, key) == []
