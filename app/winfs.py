"""Windows file semantics in one place: retried replaces and deletes, owner-only ACLs.

On Windows an antivirus scanner, the search indexer, OneDrive, backup software or an open PDF
viewer holds a file for a moment; renaming over it or deleting it then fails with a sharing
violation (winerror 32 or 33) or "access denied" (winerror 5). `replace` and `unlink` retry for
about two seconds and then raise `FileInUseError`, whose message tells the user, in Dutch, that
another program has the file open. On other systems the same helpers simply do the operation.

`chmod` does nothing useful on Windows: `protect` gives a folder or file a protected ACL with
only the current user and SYSTEM (icacls, no inheritance from e.g. `C:\\` where "Authenticated
Users" may modify), and does the usual chmod elsewhere.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TypeVar

from app.i18n import _

IS_WINDOWS = os.name == "nt"
# Sharing violation, lock violation, access denied (a file being scanned or still mapped).
RETRY_WINERRORS = frozenset({32, 33, 5})
# Seconds to wait between tries: about two seconds in all.
RETRY_DELAYS: Sequence[float] = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.5)
SYSTEM_SID = "S-1-5-18"
CREATE_NO_WINDOW = 0x08000000
T = TypeVar("T")


class FileInUseError(PermissionError):
    """Another program keeps a file open; `strerror` is the Dutch sentence for the user."""

    def __init__(self, path: Path) -> None:
        message = _(
            "The file {name} is open in another program (for example a virus scanner, "
            "OneDrive, a backup program or a PDF viewer). Close that program, wait a moment "
            "and try again; nothing was lost."
        ).format(name=path.name)
        super().__init__(errno.EACCES, message, str(path))


def _held_by_other_program(error: OSError) -> bool:
    winerror = getattr(error, "winerror", None)
    if winerror is not None:
        return winerror in RETRY_WINERRORS
    return isinstance(error, PermissionError) and IS_WINDOWS


def retrying(action: Callable[[], T], path: Path) -> T:
    """Run `action`, retrying while Windows reports the file held by another program."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return action()
        except FileNotFoundError:
            raise
        except OSError as error:
            if not _held_by_other_program(error):
                raise
            if delay is None:
                raise FileInUseError(path) from error
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def replace(source: Path | str, target: Path | str) -> None:
    """`os.replace`, retried while the target (or source) is briefly held open."""
    retrying(lambda: os.replace(source, target), Path(target))


def unlink(path: Path | str, *, missing_ok: bool = True) -> None:
    """Delete a file, retried while it is briefly held open; a missing file is fine."""
    try:
        retrying(lambda: os.unlink(path), Path(path))
    except FileNotFoundError:
        if not missing_ok:
            raise


@lru_cache(maxsize=1)
def current_user_sid() -> str | None:
    """The SID of the user running the program (`whoami /user`), or None when unknown."""
    try:
        done = subprocess.run(
            ["whoami", "/user", "/fo", "csv", "/nh"], capture_output=True, timeout=10,
            creationflags=CREATE_NO_WINDOW if IS_WINDOWS else 0,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.decode("utf-8", "replace").strip()
    sid = text.rsplit(",", 1)[-1].strip().strip('"') if text else ""
    return sid if sid.startswith("S-1-") else None


def icacls_command(path: PurePath, sid: str, *, folder: bool) -> list[str]:
    """The icacls call that leaves `path` to its owner and SYSTEM only (no inherited rights)."""
    inherit = "(OI)(CI)" if folder else ""
    return [
        "icacls", str(path), "/inheritance:r",
        "/grant:r", f"*{sid}:{inherit}F",
        "/grant:r", f"*{SYSTEM_SID}:{inherit}F",
    ]


def protect(path: PurePath, *, folder: bool) -> bool:
    """Owner-only access to `path`; True when it was applied (best effort, never raises)."""
    if not IS_WINDOWS:
        try:
            os.chmod(path, 0o700 if folder else 0o600)
        except OSError:
            return False
        return True
    sid = current_user_sid()
    if sid is None:
        return False
    try:
        done = subprocess.run(
            icacls_command(path, sid, folder=folder), capture_output=True, timeout=30,
            creationflags=CREATE_NO_WINDOW,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0
