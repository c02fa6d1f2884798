"""A folder nobody may write in, also for root (CI runs as root, where chmod means nothing).

As an ordinary user the folder is made read-only (mode 500). As root the folder gets the
immutable attribute (`chattr +i`): the kernel then refuses to create, rename or delete files in
it for every user, root included, with EPERM, a real refusal by the file system. Only when
neither works (no chattr, a file system without attributes) is the test skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _chattr(flag: str, folder: Path) -> bool:
    tool = shutil.which("chattr")
    if tool is None:
        return False
    done = subprocess.run([tool, flag, str(folder)], capture_output=True, check=False)
    return done.returncode == 0


@contextmanager
def unwritable_folder(folder: Path) -> Iterator[Path]:
    """Make `folder` (created when missing) unwritable for the duration of the block."""
    folder.mkdir(parents=True, exist_ok=True)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        if not _chattr("+i", folder):
            pytest.skip("running as root and chattr +i is not available here")
    else:
        folder.chmod(0o500)
    try:
        yield folder
    finally:
        if as_root:
            _chattr("-i", folder)
        else:
            folder.chmod(0o700)
