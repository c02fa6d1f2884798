"""Where copies of the data still exist, and safety copies that age out (issue 13 item 4).

Two kinds of *safety copy* sit beside the store in the data folder: the copy made before a
migration (`vertrouwd.db.vN-STAMP.bak`, `app.store.db.Store.copy_before_migration`) and the
copy of the replaced store made by a restore (`vertrouwd.db.before-restore-STAMP`,
`app.services.backup`). They are encrypted, but they still hold what was erased or destroyed
since, under the key of their time. So they age out:

* after the next verified backup (`make_backup` calls `prune_safety_copies` with the backup's
  time): every copy made before it is removed — the backup now covers that state;
* at the latest after `settings.safety_copy_days` (default and maximum 30) days: checked when
  the store is unlocked and after each backup;
* after a re-key, once the new key is proven (`app.services.rekey.apply_rekey`): all of them,
  because they would still open with the old key.

Removing overwrites the file with zeros first (a plain unlink leaves the old blocks on disk;
on an SSD this is best effort) and then deletes it.

`where_copies_exist` gives the Dutch lines the program shows after an erasure, a destruction
or a re-key: how many backups of this store are in the backup folder (until newer backups
replace them) and which safety copies remain and until when.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.dates import show_date
from app.files import fsync_dir
from app.i18n import _
from app.paths import STORE_NAME

__all__ = [
    "SafetyCopy",
    "prune_safety_copies",
    "remove_all_safety_copies",
    "safety_copies",
    "where_copies_exist",
    "where_copies_text",
    "wipe_file",
]

_STAMP = re.compile(r"(\d{8}-\d{6})")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SafetyCopy:
    path: Path
    made_at: datetime
    kind: str  # "migration" or "restore"


def _is_safety(name: str) -> str:
    if not name.startswith(STORE_NAME + "."):
        return ""
    rest = name[len(STORE_NAME):]
    if rest.startswith(".before-restore-"):
        return "restore"
    if re.match(r"^\.v\d+-\d{8}-\d{6}\.bak", rest):
        return "migration"
    return ""


def safety_copies(data_dir: Path) -> list[SafetyCopy]:
    """The safety copies in the data folder (their `-journal` and `.partial` files too)."""
    found: list[SafetyCopy] = []
    with contextlib.suppress(OSError):
        for path in Path(data_dir).iterdir():
            kind = _is_safety(path.name)
            if not kind or not path.is_file():
                continue
            match = _STAMP.search(path.name[len(STORE_NAME):])
            made = None
            if match:
                with contextlib.suppress(ValueError):
                    made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            if made is None:
                made = datetime.fromtimestamp(path.stat().st_mtime)
            found.append(SafetyCopy(path, made, kind))
    return sorted(found, key=lambda c: (c.made_at, c.path.name))


def wipe_file(path: Path) -> None:
    """Overwrite with zeros, flush, delete. Raises OSError when it cannot be deleted."""
    with contextlib.suppress(OSError):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            left = size
            zeros = bytes(min(_CHUNK, max(1, size)))
            while left > 0:
                handle.write(zeros[: min(left, len(zeros))])
                left -= len(zeros)
            handle.flush()
            os.fsync(handle.fileno())
    path.unlink()


def _remove(copies: list[SafetyCopy]) -> list[Path]:
    removed: list[Path] = []
    for copy in copies:
        try:
            wipe_file(copy.path)
        except FileNotFoundError:
            continue
        except OSError:
            continue
        removed.append(copy.path)
    if removed:
        fsync_dir(removed[0].parent)
    return removed


def prune_safety_copies(
    data_dir: Path, *, now: datetime, max_days: int, backed_up_at: datetime | None = None
) -> list[Path]:
    """Remove the safety copies made before `backed_up_at` (a verified backup) and those older
    than `max_days` (at most 30). Never raises for a file that cannot be removed."""
    days = max(1, min(30, int(max_days)))
    limit = now - timedelta(days=days)
    old = [
        c for c in safety_copies(data_dir)
        if c.made_at <= limit or (backed_up_at is not None and c.made_at <= backed_up_at)
    ]
    return _remove(old)


def remove_all_safety_copies(data_dir: Path) -> list[Path]:
    """After a re-key: every safety copy (they open with the old key only)."""
    return _remove(safety_copies(data_dir))


def where_copies_exist(
    data_dir: Path, backup_dir: str, store_id: str, *, max_days: int, generations: int
) -> list[str]:
    """Dutch lines: the backups of this store in the backup folder and the safety copies."""
    lines: list[str] = []
    backups: list[Path] = []
    if backup_dir:
        from app.services.backup import list_backups

        with contextlib.suppress(OSError):
            backups = list_backups(Path(backup_dir), store_id or None)
    if backups:
        lines.append(_(
            "{count} backup(s) in {folder} still contain the data, the oldest from {date}. A "
            "backup disappears when {keep} newer backups have been made; make a new backup "
            "now so that the oldest is replaced sooner.").format(
                count=len(backups), folder=backup_dir, keep=max(1, generations),
                date=show_date(datetime.fromtimestamp(backups[0].stat().st_mtime).date())))
    else:
        lines.append(_(
            "Backups made earlier (also on a USB stick or in another folder) still contain the "
            "data until newer backups replace them."))
    copies = safety_copies(data_dir)
    if copies:
        last = copies[0].made_at + timedelta(days=max(1, min(30, int(max_days))))
        lines.append(_(
            "{count} safety copy or copies in the data folder (made before an update or a "
            "restore) still contain the data. They are removed after the next backup, and at "
            "the latest on {date}.").format(count=len(copies), date=show_date(last.date())))
    return lines


def where_copies_text(session: Any) -> str:
    """`where_copies_exist` for an unlocked session (`app.security.vault.Session`), as one
    text; the general sentence when the settings cannot be read."""
    from app.store.db import StoreError
    from app.store.settings import load_settings

    try:
        settings = load_settings(session.store)
    except StoreError:
        return _(
            "Backups made earlier (also on a USB stick or in another folder) still contain the "
            "data until newer backups replace them.")
    return "\n".join(where_copies_exist(
        session.data_dir, settings.backup_dir, session.config.store_id,
        max_days=settings.safety_copy_days, generations=settings.backup_generations))
