"""The one guard in front of every file Vertrouwd writes for the user (issue 12).

A report PDF, a data file and its CSV, an access export, a recovery sheet: each is written at
a place the user typed or clicked. `check_output` refuses, before anything is written, a target
that would destroy something:

- the store (`vertrouwd.db`), its config (`vertrouwd.json`), a backup or its manifest, a safety
  copy, a pre-migration copy, a half-made restore or set-up file, the lock file — by name,
  anywhere, and by identity (the same file under another name, a hard link);
- anything inside a data folder (a folder holding a store or a config, or a data folder this
  program knows of): the program puts only its own files there;
- a symbolic link, a device, a folder, a pipe: anything that is not a regular file;
- an existing file that is not of the kind being written (a PDF may replace a PDF, a data file
  a data file, a CSV a text file): a renamed backup or store is never overwritten.

`check_internal` is the smaller guard for the program's own files in the data folder (config,
manifest, lock, restore target): a symbolic link or a non-regular file there is refused.
Every refusal is an `OutputRefused` with one Dutch sentence; nothing has been touched then.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from app.i18n import _
from app.paths import CONFIG_NAME, STORE_NAME

#: Kinds of user output and what an existing file must look like to be replaced.
KINDS = ("pdf", "json", "csv")

#: Names that belong to a store or its backups, wherever they are.
PROTECTED_RE = re.compile(
    r"^(vertrouwd\.db(\..*)?|vertrouwd\.db-journal|vertrouwd\.json(\..*)?|vertrouwd\.lock(\..*)?"
    r"|\.?vertrouwd-backup-.*|vertrouwd-erased\.json)$",
    re.IGNORECASE,
)

_known: set[Path] = set()
_SNIFF = 64 * 1024


class OutputRefused(Exception):
    """A write the guard refused; `message` is the Dutch sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def safe_resolve(path: Path) -> Path:
    """`path.resolve()`, or the absolute path when it cannot be resolved (a symbolic link
    loop raises RuntimeError on Python 3.11, OSError later; a pulled-out drive OSError)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path).absolute()


def remember_data_dir(folder: Path) -> None:
    """Make `folder` a protected data folder for the rest of this process."""
    _known.add(safe_resolve(folder))


def _known_data_dirs() -> set[Path]:
    folders = set(_known)
    env = os.environ.get("VERTROUWD_HOME")
    if env:
        folders.add(safe_resolve(Path(env).expanduser()))
    return folders


def _is_data_folder(folder: Path) -> bool:
    return (folder / STORE_NAME).exists() or (folder / CONFIG_NAME).exists()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _refuse(text: str, path: Path) -> OutputRefused:
    return OutputRefused(text.format(path=path))


def _same_as_store(target: Path, folders: Iterable[Path]) -> bool:
    for folder in folders:
        for name in (STORE_NAME, CONFIG_NAME):
            other = folder / name
            try:
                if other.exists() and os.path.samefile(target, other):
                    return True
            except OSError:
                continue
    return False


def _looks_like(path: Path, kind: str, size: int) -> bool:
    """True when the existing file at `path` is of `kind` (an empty file is of any kind)."""
    if size == 0:
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return False
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        if len(head) < _SNIFF:
            return False
    if kind == "csv":
        return True
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(raw, dict):
        return False
    marker = raw.get("format")
    return isinstance(marker, str) and marker.startswith("vertrouwd-") and "store_id" not in raw


def check_output(path: Path, kind: str, *, data_dirs: Iterable[Path] = ()) -> Path:
    """Refuse (OutputRefused) to write a user file of `kind` at `path`; else return it absolute."""
    target = Path(path).expanduser().absolute()
    if PROTECTED_RE.match(target.name):
        raise _refuse(_(
            "{path} is a file of Vertrouwd itself (data file, settings or backup). Choose "
            "another name; nothing has been saved."), target)
    try:
        info = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        info = None  # the folder check of the writer words a missing folder
    except OSError:
        raise _refuse(_(
            "{path} cannot be checked (is the drive still connected?); nothing has been "
            "saved."), target) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise _refuse(_(
            "{path} is a shortcut (symbolic link) to another file. Choose an ordinary file "
            "name; nothing has been saved."), target)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _refuse(_(
            "{path} is not an ordinary file (a folder or a device). Choose a file name; "
            "nothing has been saved."), target)
    folder = safe_resolve(target.parent)
    known = _known_data_dirs() | {Path(d).absolute() for d in data_dirs}
    if _is_data_folder(folder) or any(_inside(folder, d) for d in known):
        raise _refuse(_(
            "{path} is in the folder of the data file. Vertrouwd keeps only its own files "
            "there; save it in another folder (for example Documents). Nothing has been "
            "saved."), target)
    if info is not None:
        if _same_as_store(target, known | {folder}):
            raise _refuse(_(
                "{path} is the data file of Vertrouwd under another name. Choose another "
                "name; nothing has been saved."), target)
        if not _looks_like(target, kind, info.st_size):
            raise _refuse(_(
                "{path} already exists and is not a file of this kind (it may be a data file "
                "or a backup). Vertrouwd does not overwrite it; choose another name. Nothing "
                "has been saved."), target)
    return target


def kind_of(data: bytes) -> str:
    """The kind of output `data` is (used where only the bytes are known)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    stripped = data.lstrip()
    return "json" if stripped.startswith(b"{") else "csv"


def check_internal(path: Path) -> None:
    """Refuse a symbolic link or a non-regular file where the program keeps its own file."""
    try:
        info = Path(path).lstat()
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:
        raise _refuse(_(
            "{path} cannot be checked (is the drive still connected?); nothing has been "
            "changed."), Path(path)) from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise _refuse(_(
            "{path} is not an ordinary file (a link, a folder or a device). Vertrouwd does not "
            "write there; remove it or choose another data folder. Nothing has been changed."),
            Path(path))
