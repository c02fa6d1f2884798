"""Running `python -m app` as a user would, in a home folder of its own inside the test's
temp folder: one runner shared by the command-line tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    out: str
    err: str


class Cli:
    """`cli(*args, stdin=...)` runs the command with `base/home` as HOME and `base/tmp` as the
    temp folder, Qt offscreen, Dutch, and the given keyring backend as the default. Every run
    is checked for a traceback or a SQLCipher log line in what it printed."""

    def __init__(
        self,
        base: Path,
        *,
        keyring_backend: str = "keyring.backends.null.Keyring",
        cwd: Path = ROOT,
        module: str = "app",
    ) -> None:
        self.base = base
        self.module = module
        self.cwd = cwd
        home = base / "home"
        home.mkdir(parents=True, exist_ok=True)
        (base / "tmp").mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "VERTROUWD_"))}
        env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_RUNTIME_DIR=str(base / "tmp"),
            TMPDIR=str(base / "tmp"),
            QT_QPA_PLATFORM="offscreen",
            VERTROUWD_LANG="nl",
            PYTHON_KEYRING_BACKEND=keyring_backend,
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        )
        self.env = env

    def __call__(self, *args: str, stdin: str | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", self.module, *args],
            input=stdin.encode() if stdin is not None else None,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            cwd=str(self.cwd),
            env=self.env,
            timeout=120,
            check=False,
        )
        run = Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
        for text in (run.out, run.err):
            assert "Traceback" not in text, text
            assert "ERROR CORE" not in text, text
        return run


def one_sentence(err: str) -> str:
    """The single non-empty line of `err` (a user-facing error is one Dutch sentence)."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]
