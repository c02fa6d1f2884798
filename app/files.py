"""Small file helpers shared by the store, the config, the reports and the backups:
atomic writes (temp name, fsync, rename) and owner-only permissions (through `app.winfs`, which
also retries a rename or delete that another program briefly blocks on Windows)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from app import winfs


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes, *, private: bool = True) -> None:
    """Write `data` to `path` so that a reader sees the old file or the whole new one.

    A symbolic link, a device or a folder at `path` is refused (`OutputRefused`), untouched."""
    from app.output_guard import check_internal

    check_internal(path)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            winfs.protect(Path(tmp), folder=False)
        winfs.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            winfs.unlink(tmp)
        raise
    fsync_dir(path.parent)


def make_private(path: Path) -> None:
    """Owner-only access to a file (a protected ACL on Windows, mode 600 elsewhere)."""
    winfs.protect(path, folder=False)
