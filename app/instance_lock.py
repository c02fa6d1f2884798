"""One program at a time per store (issue 12): the lock file `vertrouwd.lock` in the data folder.

The window takes the lock before it unlocks or sets up a store and gives it back when it
closes. The file holds the process id, the computer's name and when it was taken; the window
touches it every few seconds (`InstanceLock.refresh`). A lock is stale, and is taken over,
when its process no longer runs on this computer, or when it has not been touched for
`STALE_SECONDS` (a crash on another computer sharing the folder, a reused process id).

Commands that replace or rewrite the whole store (restore, re-key, handover, retention purge)
call `refuse_if_open`: while another process holds the lock they stop with one Dutch sentence.
A second window asks the first to come forward (`request_raise`: a small `vertrouwd.lock.raise`
file the first window looks for at its next refresh) and says "Vertrouwd is al geopend".

`replaced_under` tells a window that its store was swapped or re-keyed by someone else while it
was open (a different file under the name, or a key verifier in the config that no longer fits
its key); the window then locks itself and says so, instead of calling the file damaged.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _

LOCK_NAME = "vertrouwd.lock"
RAISE_SUFFIX = ".raise"
STALE_SECONDS = 120.0
REFRESH_SECONDS = 5.0


class InstanceLocked(Exception):
    """Another Vertrouwd has this store open; `message` is the Dutch sentence."""

    def __init__(self, message: str, holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.holder = holder or {}


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def pid_alive(pid: int) -> bool:
    """True when a process with `pid` runs on this computer."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_holder(data_dir: Path) -> dict[str, Any] | None:
    """What the lock file says, {} when it is unreadable, None when there is none."""
    path = lock_path(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def is_stale(data_dir: Path, holder: dict[str, Any]) -> bool:
    """A lock left by a crashed program (see the module doc)."""
    if _age(lock_path(data_dir)) > STALE_SECONDS:
        return True
    pid = holder.get("pid")
    if holder.get("host") == socket.gethostname() and isinstance(pid, int):
        return not pid_alive(pid)
    return False


def held_elsewhere(data_dir: Path) -> dict[str, Any] | None:
    """The holder when another living process holds the lock of `data_dir`, else None."""
    holder = read_holder(data_dir)
    if holder is None:
        return None
    if holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
        return None
    if is_stale(data_dir, holder):
        return None
    return holder


def already_open_message() -> str:
    return _(
        "Vertrouwd is already open. The window that is open comes to the front; if it does "
        "not, look for it in the taskbar."
    )


def open_elsewhere_message() -> str:
    return _(
        "Vertrouwd is open in another window on this data file. Close Vertrouwd there first "
        "and try again; nothing has been changed."
    )


def refuse_if_open(data_dir: Path) -> None:
    """Raise InstanceLocked while another process holds the lock of `data_dir`."""
    holder = held_elsewhere(data_dir)
    if holder is not None:
        raise InstanceLocked(open_elsewhere_message(), holder)


@dataclass
class InstanceLock:
    """The lock this process holds; `release` gives it back (only if it is still ours)."""

    data_dir: Path
    token: str

    def refresh(self) -> bool:
        """Touch the lock (keeps it fresh); False when it is no longer ours."""
        holder = read_holder(self.data_dir)
        if not holder or holder.get("token") != self.token:
            return False
        with contextlib.suppress(OSError):
            os.utime(lock_path(self.data_dir))
        return True

    def raise_requested(self) -> bool:
        """True (once) when a second window asked this one to come forward."""
        flag = lock_path(self.data_dir).with_name(LOCK_NAME + RAISE_SUFFIX)
        if not flag.exists():
            return False
        with contextlib.suppress(OSError):
            flag.unlink()
        return True

    def release(self) -> None:
        holder = read_holder(self.data_dir)
        if holder and holder.get("token") == self.token:
            with contextlib.suppress(OSError):
                lock_path(self.data_dir).unlink()


def acquire(data_dir: Path) -> InstanceLock:
    """Take the lock of `data_dir` (the folder must exist); InstanceLocked when another living
    program holds it. A stale lock is taken over."""
    path = lock_path(data_dir)
    token = secrets.token_hex(8)
    body = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "since": time.time(), "token": token}).encode("utf-8")
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            holder = read_holder(data_dir) or {}
            if not is_stale(data_dir, holder):
                raise InstanceLocked(already_open_message(), holder) from None
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        return InstanceLock(Path(data_dir), token)
    raise InstanceLocked(already_open_message())


def request_raise(data_dir: Path) -> None:
    """Ask the window that holds the lock to come forward (see the module doc)."""
    flag = lock_path(data_dir).with_name(LOCK_NAME + RAISE_SUFFIX)
    with contextlib.suppress(OSError):
        flag.write_bytes(b"")


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def store_fingerprint(path: Path) -> tuple[int, int] | None:
    """What identifies the store file on disk (device, inode): another file under the same
    name has another fingerprint."""
    return _file_id(path)


def replaced_under(data_dir: Path, store_path: Path, opened: tuple[int, int] | None,
                   key: str | None, store_id: str) -> bool:
    """True when the store this window opened was swapped or re-keyed by someone else."""
    if opened is not None and _file_id(store_path) not in (None, opened):
        return True
    if key is None or not store_id:
        return False
    from app.config import ConfigError, load_config
    from app.security.keys import key_check

    try:
        config = load_config(data_dir)
    except ConfigError:
        return False
    if config is None or not config.key_check or config.store_id != store_id:
        return config is not None and bool(config.store_id) and config.store_id != store_id
    return config.key_check != key_check(key, store_id)
