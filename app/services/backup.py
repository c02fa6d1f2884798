"""Backup, verification and restore of the encrypted store (PRODUCT §7, QUALITY P6, R2, R3, R12).

A backup is made with SQLite's backup API from the open store into a new file keyed with the
same recovery key (`sqlcipher_export` would drop `user_version`; `ATTACH ... KEY ''` would write
plaintext). It is written as `.vertrouwd-backup-STAMP.db.partial`, flushed, reopened with the
key, checked (`cipher_integrity_check`, `integrity_check`, schema version, record counts equal
to the source's in the same read snapshot), given a manifest (`vertrouwd-backup-STAMP.json`:
time, program and schema version, SHA-256, counts, store id, key verifier; never the key or any
content) and only then renamed to `vertrouwd-backup-STAMP.db`. So a file under a final name is
always complete and verified; a kill leaves at most a stray `.partial` (removed by a later
backup once it is an hour old). Older generations of the same store (store id in the manifest)
beyond N are pruned; backups of other stores in the same folder are never touched.

A restore verifies the backup with its key first (a wrong key, a damaged file or a newer schema
changes nothing), refuses while another connection holds the store, copies the backup to
`vertrouwd.db.restoring`, verifies the copy, keeps the current store as
`vertrouwd.db.before-restore-STAMP`, swaps with one atomic rename, points the config beside the
store at the restored file (store id, key verifier) and reopens it (which migrates an older
backup, keeping its own pre-migration copy).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from app import __version__, journal, winfs
from app.clock import Clock
from app.config import ConfigError, StoreConfig, load_config, save_config
from app.files import fsync_dir, write_atomic
from app.i18n import _
from app.instance_lock import refuse_if_open
from app.messages import reason_message
from app.output_guard import OutputRefused, check_internal, safe_resolve
from app.paths import make_private_dir, store_path
from app.security.keys import key_check
from app.security.vault import Session
from app.services.erasure_ledger import Reapplied, reapply
from app.store.db import Store, StoreError, connect, is_plaintext_sqlite
from app.store.identity import read_store_id, settle_identity
from app.store.schema import SCHEMA_VERSION

PREFIX = "vertrouwd-backup-"
NAME_RE = re.compile(r"^vertrouwd-backup-(\d{8}-\d{6})(?:-(\d+))?\.db$")
MANIFEST_KIND = "vertrouwd-backup"
STALE_SECONDS = 3600
RESTORING_SUFFIX = ".restoring"
SAFETY_INFIX = ".before-restore-"
JOURNAL_TABLES = ("pupil", "case_file", "request", "entry", "activity", "note")
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup, verify or restore problem with a stable reason; `backup_message` words it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    created_at: datetime
    size: int
    sha256: str
    counts: dict[str, int]
    pruned: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    """What `verify_file` found. `reason` is None when the file is intact and usable."""

    path: Path
    reason: str | None = None
    opened: bool = False
    schema_version: int | None = None
    newer: bool = False
    cipher_ok: bool = False
    integrity_ok: bool = False
    problems: list[str] = field(default_factory=list)
    manifest_found: bool = False
    checksum_ok: bool | None = None
    counts_ok: bool | None = None
    journal_problems: list[str] = field(default_factory=list)
    sha256: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    created_at: datetime | None = None
    store_id: str | None = None
    app_version: str | None = None
    #: With a printed journal code: ``"match"``, or why not (:func:`app.journal.check_code`).
    journal_code: str | None = None

    @property
    def intact(self) -> bool:
        """Opens with the key, both integrity checks pass, matches its manifest if any."""
        return (
            self.opened and self.cipher_ok and self.integrity_ok
            and self.checksum_ok is not False and self.counts_ok is not False
        )

    @property
    def ok(self) -> bool:
        """Intact and usable by this program (not from a newer schema)."""
        return self.intact and not self.newer


@dataclass
class RestoreReport:
    backup: Path
    backup_time: datetime | None
    schema_version: int
    migrated: bool
    counts: dict[str, int]
    safety_copy: Path | None
    store_id: str
    key_mode: str
    key_changed: bool
    warnings: list[str] = field(default_factory=list)
    reapplied: Reapplied = field(default_factory=lambda: Reapplied())


# -- messages ----------------------------------------------------------------------------------
def backup_message(reason: str) -> str:
    """One Dutch sentence per reason; store reasons fall back to `reason_message`."""
    messages = {
        "no_backup_folder": _(
            "No backup folder has been chosen. Give one with --to or choose one in the settings."
        ),
        "folder_missing": _(
            "The backup folder does not exist (is the USB stick connected?). No backup was made; "
            "the data file has not been changed."
        ),
        "folder_not_writable": _(
            "Vertrouwd may not write in the backup folder. No backup was made; choose another "
            "folder. The data file has not been changed."
        ),
        "backup_disk_full": _(
            "There is not enough room in the backup folder. No backup was made; make room or "
            "choose another folder. The data file has not been changed."
        ),
        "backup_io": _(
            "Writing the backup failed (was the USB stick removed?). The unfinished backup has "
            "been removed; earlier backups and the data file have not been changed."
        ),
        "file_in_use": _(
            "A file in the backup folder is open in another program (for example a virus "
            "scanner, OneDrive or a backup program). Close that program, wait a moment and try "
            "again; earlier backups and the data file have not been changed."
        ),
        "verify_failed": _(
            "The new backup did not pass its check and has been removed. Try again, or choose "
            "another backup folder; the data file has not been changed."
        ),
        "source_damaged": _(
            "The data file itself is damaged, so no backup was made. Restore the most recent "
            "backup; the data file has been left as it is."
        ),
        "source_unreadable": _(
            "The data file could not be read for the backup. Unlock Vertrouwd and try again; "
            "nothing has been changed."
        ),
        "file_missing": _("The file was not found. Check the name and the folder."),
        "folder_is_data_folder": _(
            "The backup folder is the folder of the data file itself. Choose another folder, "
            "preferably on a USB stick or another disk; no backup was made."
        ),
        "target_not_regular": _(
            "In the data folder there is a link, folder or device where the data file should "
            "be. Vertrouwd does not write there; nothing has been changed."
        ),
        "file_not_encrypted": _(
            "This file is not an encrypted Vertrouwd data file or backup. Nothing has been "
            "changed."
        ),
        "file_wrong_key": _(
            "This recovery key does not fit this file. Use the recovery key that belonged to "
            "the data file when the backup was made; nothing has been changed."
        ),
        "file_wrong_key_or_damaged": _(
            "This file could not be opened with this key: either the key is wrong or the file "
            "is damaged. Nothing has been changed."
        ),
        "file_damaged": _(
            "This file is damaged and cannot be used. Try an earlier backup; nothing has been "
            "changed."
        ),
        "journal_tampered": _(
            "The file opens and is undamaged, but its journal of events was changed, shortened "
            "or reordered afterwards. Keep this file aside and tell your data protection officer."
        ),
        "checksum_mismatch": _(
            "This backup no longer matches its manifest: it was changed or damaged after it was "
            "made. Try an earlier backup; nothing has been changed."
        ),
        "file_newer": _(
            "This backup was made by a newer version of Vertrouwd. Install the newest version "
            "to restore it; nothing has been changed."
        ),
        "file_locked": _(
            "The file is in use by Vertrouwd. Close Vertrouwd and try again; nothing has been "
            "changed."
        ),
        "store_in_use": _(
            "The data file is in use by Vertrouwd. Close Vertrouwd first and try again; nothing "
            "has been changed."
        ),
        "same_file": _("This is the data file itself, not a backup. Choose a backup file."),
        "restore_disk_full": _(
            "The disk of the data folder is full, so the backup could not be put back. Make "
            "room and try again; the data file has not been changed."
        ),
        "restore_io": _(
            "The backup could not be put back because of a read or write error. The data file "
            "has not been changed."
        ),
    }
    text = messages.get(reason)
    return text if text is not None else reason_message(reason)


# -- small helpers -----------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            winfs.unlink(path)


def _journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _is_stale(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def _os_reason(exc: OSError, *, full: str, io: str) -> str:
    if isinstance(exc, winfs.FileInUseError):
        return "file_in_use"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return full
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "folder_not_writable" if full == "backup_disk_full" else io
    if exc.errno in (errno.ENOENT, errno.ENOTDIR) and full == "backup_disk_full":
        return "folder_missing"
    return io


def _sqlite_reason(exc: BaseException, *, full: str, io: str) -> str:
    text = str(exc).lower()
    if "full" in text:
        return full
    if "readonly" in text or "read-only" in text:
        return "folder_not_writable" if full == "backup_disk_full" else io
    return io


def manifest_path_for(path: Path) -> Path:
    return path.with_suffix(".json")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest beside a backup file, or None when there is none (or it is unreadable)."""
    target = manifest_path_for(path)
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("kind") != MANIFEST_KIND:
        return None
    return raw


def _main_counts(counts: dict[str, int]) -> dict[str, int]:
    return {name: counts[name] for name in JOURNAL_TABLES if name in counts}


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


# -- backup ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Names:
    final: Path
    partial: Path
    manifest: Path


def _names(folder: Path, moment: datetime) -> _Names:
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    seq = 1
    while True:
        base = f"{PREFIX}{stamp}" + (f"-{seq}" if seq > 1 else "")
        final = folder / f"{base}.db"
        partial = folder / f".{base}.db.partial"
        manifest = folder / f"{base}.json"
        if not any(os.path.lexists(p) for p in (final, partial, manifest)):
            return _Names(final, partial, manifest)
        seq += 1


def _check_folder(folder: Path, needed: int) -> None:
    if not folder.is_dir():
        raise BackupError("folder_missing", str(folder))
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed + needed // 10 + (1 << 16):
        raise BackupError("backup_disk_full", f"{free}<{needed}")


def _check_not_data_folder(folder: Path, data_dir: Path) -> None:
    """A backup beside (or inside) the store is no backup, and the data folder holds only the
    program's own files (the output guard): refuse it."""
    here, data = safe_resolve(folder), safe_resolve(Path(data_dir))
    if here == data or data in here.parents:
        raise BackupError("folder_is_data_folder", str(folder))


def _copy_into(store: Store, key: str, target_path: Path) -> tuple[dict[str, int], int]:
    """Copy the store into `target_path` with the backup API; the source's counts and schema
    version are read in the same read transaction, so they describe exactly what was copied."""
    try:
        target = connect(target_path, key)
    except StoreError as error:
        raise BackupError("backup_io", error.reason) from None
    source = store.conn
    try:
        try:
            source.execute("BEGIN")
            counts = store.table_counts()
            version = store.schema_version
        except (StoreError, sqlcipher3.Error) as exc:
            reason = exc.reason if isinstance(exc, StoreError) else "io"
            raise BackupError(
                "source_damaged" if reason == "damaged" else "source_unreadable", str(exc)
            ) from None
        try:
            source.backup(target)
        except sqlcipher3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", 0)
            if code in (11, 26):  # SQLITE_CORRUPT, SQLITE_NOTADB: the source could not be read
                raise BackupError("source_damaged", str(exc)) from None
            raise BackupError(
                _sqlite_reason(exc, full="backup_disk_full", io="backup_io"), str(exc)
            ) from None
    finally:
        with contextlib.suppress(sqlcipher3.Error):
            source.execute("COMMIT")
        target.close()
    return counts, version


def _verify_copy(path: Path, key: str, counts: dict[str, int], version: int) -> None:
    try:
        conn = connect(path, key)
    except StoreError as error:
        raise BackupError("verify_failed", error.reason) from None
    copy = Store(path, conn)
    try:
        problems = copy.integrity_problems()
        same = copy.table_counts() == counts and copy.schema_version == version
    except StoreError as error:
        raise BackupError("verify_failed", error.reason) from None
    finally:
        copy.close()
    if problems or not same:
        raise BackupError("verify_failed", "integrity" if problems else "counts")


def _source_damaged(store: Store) -> bool:
    try:
        return bool(store.integrity_problems())
    except StoreError:
        return True


def make_backup(
    session: Session, folder: Path, *, clock: Clock, generations: int
) -> BackupResult:
    """Make a verified backup of the open store in `folder`; keep the last `generations`.

    Raises BackupError; on any failure no file is left under a final name and the store is
    unchanged (the journal records only successful backups).
    """
    store, key = session.store, session.key
    if key is None or store.conn is None:
        raise BackupError("source_unreadable", "locked")
    folder = Path(folder).absolute()
    try:
        needed = store.path.stat().st_size
    except OSError as exc:
        raise BackupError("source_unreadable", str(exc)) from None
    _check_folder(folder, needed)
    _check_not_data_folder(folder, session.data_dir)
    try:
        store_id = read_store_id(store) or session.config.store_id
    except StoreError as error:
        raise BackupError("source_unreadable", error.reason) from None
    _remove_stale(folder)
    moment = clock.now()
    names = _names(folder, moment)
    try:
        fd = os.open(names.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        reason = _os_reason(exc, full="backup_disk_full", io="backup_io")
        raise BackupError(reason, str(exc)) from None
    try:
        counts, version = _copy_into(store, key, names.partial)
        _fsync_file(names.partial)
        try:
            _verify_copy(names.partial, key, counts, version)
        except BackupError:
            # Honest diagnosis: when the store itself is damaged, say so (not "choose another
            # backup folder").
            if _source_damaged(store):
                raise BackupError("source_damaged", "integrity") from None
            raise
        size = names.partial.stat().st_size
        digest = sha256_file(names.partial)
        manifest = {
            "kind": MANIFEST_KIND,
            "format": 1,
            "file": names.final.name,
            "created_at": moment.isoformat(),
            "app_version": __version__,
            "schema_version": version,
            "store_id": store_id,
            "key_check": key_check(key, store_id),
            "size": size,
            "sha256": digest,
            "counts": counts,
        }
        data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        write_atomic(names.manifest, data)
        winfs.replace(names.partial, names.final)
    except BaseException as exc:
        _remove(names.partial, _journal_of(names.partial), names.manifest)
        if isinstance(exc, OSError):
            reason = _os_reason(exc, full="backup_disk_full", io="backup_io")
            raise BackupError(reason, str(exc)) from None
        if isinstance(exc, sqlcipher3.Error):
            reason = _sqlite_reason(exc, full="backup_disk_full", io="backup_io")
            raise BackupError(reason, str(exc)) from None
        raise
    fsync_dir(folder)
    result = BackupResult(names.final, names.manifest, moment, size, digest, counts)
    try:
        result.pruned = prune(folder, store_id, generations, just_made=names.final)
    except OSError as exc:
        result.warnings.append(f"prune: {exc.strerror}")
    result.pruned += _prune_safety_copies(session, moment)
    try:
        journal.append(
            store, moment.isoformat(), "backed_up", file=names.final.name[:40],
            generations=max(1, generations), **_main_counts(counts),
        )
    except StoreError as error:
        result.warnings.append(error.reason)
    return result


def _prune_safety_copies(session: Session, moment: datetime) -> list[Path]:
    """The verified backup now covers the safety copies made before it (issue 13)."""
    from app.services.copies import prune_safety_copies
    from app.store.settings import load_settings

    try:
        days = load_settings(session.store).safety_copy_days
    except StoreError:
        days = 30
    return prune_safety_copies(session.data_dir, now=moment, max_days=days, backed_up_at=moment)


def _remove_stale(folder: Path) -> None:
    """Partial files, temp manifests and orphaned manifests left by a killed backup, once they
    are old."""
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            name = path.name
            if name.startswith("." + PREFIX) and (
                name.endswith((".partial", ".partial-journal", ".tmp"))
            ):
                if _is_stale(path):
                    _remove(path)
            elif (
                name.startswith(PREFIX) and name.endswith(".json")
                and not path.with_suffix(".db").exists() and _is_stale(path)
            ):
                _remove(path)


def _order(path: Path) -> tuple[str, int] | None:
    match = NAME_RE.match(path.with_suffix(".db").name)
    return (match.group(1), int(match.group(2) or 1)) if match else None


def list_backups(folder: Path, store_id: str | None = None) -> list[Path]:
    """Final backup files in `folder`, oldest first; only `store_id`'s when it is given
    (a backup without a readable manifest belongs to no store then)."""
    found: list[tuple[tuple[str, int], Path]] = []
    for path in folder.iterdir():
        order = _order(path)
        if order is None or path.suffix != ".db" or not path.is_file():
            continue
        if store_id is not None:
            manifest = read_manifest(path)
            if manifest is None or manifest.get("store_id") != store_id:
                continue
        found.append((order, path))
    return [path for _order_key, path in sorted(found)]


def _moment(manifest: dict[str, Any]) -> datetime | None:
    moment = _parse_time(manifest.get("created_at"))
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment


def _generations(folder: Path, store_id: str) -> list[tuple[datetime, tuple[str, int], Path]]:
    """This store's backups with a readable manifest and moment, oldest moment first. A backup
    without one belongs to no store and is never pruned."""
    found = []
    for path in folder.iterdir():
        order = _order(path)
        if order is None or path.suffix != ".db" or path.is_symlink() or not path.is_file():
            continue
        manifest = read_manifest(path)
        if manifest is None or manifest.get("store_id") != store_id:
            continue
        moment = _moment(manifest)
        if moment is not None:
            found.append((moment, order, path))
    return sorted(found)


def prune(
    folder: Path, store_id: str, generations: int, *, just_made: Path | None = None
) -> list[Path]:
    """Remove this store's oldest backups beyond `generations` (at least one is kept), each
    with its manifest, and this store's manifests whose backup is gone (a prune that was
    interrupted) when they are older than every kept backup.

    Store and order come from each backup's manifest (store id, moment made), never from the
    file name; the newest backup and `just_made` are never removed, whatever the clock did
    (a backup made while the clock was a year ahead does not push out the one just made)."""
    if not store_id:
        return []
    items = _generations(folder, store_id)
    keep = max(1, generations)
    protected = {items[-1][2]} if items else set()
    if just_made is not None:
        protected.add(just_made)
    removable = [item for item in items if item[2] not in protected]
    excess = max(0, len(items) - keep)
    removed: list[Path] = []
    for _moment_made, _order_key, path in removable[:excess]:
        winfs.unlink(path)
        _remove(manifest_path_for(path))
        removed.append(path)
    kept = [item for item in items if item[2] not in removed]
    oldest = kept[0][0] if kept else None
    for path in folder.glob(PREFIX + "*.json"):
        if oldest is None or path.with_suffix(".db").exists():
            continue
        manifest = read_manifest(path)
        if manifest is None or manifest.get("store_id") != store_id:
            continue
        moment = _moment(manifest)
        if moment is not None and moment < oldest:
            _remove(path)
    if removed:
        fsync_dir(folder)
    return removed


def last_backup(store: Store, folder: Path | str | None = None) -> datetime | None:
    """When the last successful backup was made: from the journal, and (with `folder`, the
    backup folder of the settings) from this store's backups found there. A restored data file
    does not hold the journal line of the backup it came from, yet that backup and later ones
    are still there: they belong to the store id, which the restore keeps."""
    at = store.scalar(
        "SELECT at FROM journal WHERE event = 'backed_up' ORDER BY id DESC LIMIT 1"
    )
    last = _parse_time(at)
    if last is not None and last.tzinfo is not None:
        last = last.astimezone().replace(tzinfo=None)
    if folder:
        from app.store.identity import read_store_id

        where = Path(folder)
        store_id = read_store_id(store)
        try:
            found = _generations(where, store_id) if store_id and where.is_dir() else []
        except OSError:
            found = []
        if found and (last is None or found[-1][0] > last):
            last = found[-1][0]
    return last


def backup_age_days(store: Store, today: date, folder: Path | str | None = None) -> int | None:
    """Whole days since the last backup; None when there never was one."""
    last = last_backup(store, folder)
    return None if last is None else (today - last.date()).days


# -- verify ------------------------------------------------------------------------------------
def verify_file(path: Path, key: str, journal_code: str | None = None) -> VerifyReport:
    """Check a store or backup with its key without changing it (no migration, no writes).

    With ``journal_code`` (printed on an annual report), also check the journal against it.
    """
    path = Path(path).absolute()
    report = VerifyReport(path=path)
    if not path.is_file():
        report.reason = "file_missing"
        return report
    manifest = read_manifest(path)
    try:
        report.sha256 = sha256_file(path)
    except OSError:
        report.reason = "file_missing"
        return report
    if manifest is not None:
        report.manifest_found = True
        report.checksum_ok = manifest.get("sha256") == report.sha256
        report.created_at = _parse_time(manifest.get("created_at"))
        store_id = manifest.get("store_id")
        report.store_id = store_id if isinstance(store_id, str) else None
        version = manifest.get("app_version")
        report.app_version = version if isinstance(version, str) else None
    if is_plaintext_sqlite(path):
        report.reason = "file_not_encrypted"
        return report
    try:
        conn = connect(path, key)
    except StoreError as error:
        report.reason = _open_failure(error.reason, report, manifest, key)
        return report
    report.opened = True
    store = Store(path, conn)
    try:
        _run_checks(store, report)
        if report.cipher_ok and report.integrity_ok and report.schema_version and not report.newer:
            report.journal_problems = journal.verify(store)  # R14: the hash chain
            if journal_code is not None:
                report.journal_code = journal.check_code(store, journal_code) or "match"
    finally:
        store.close()
    if manifest is not None and report.counts:
        report.counts_ok = manifest.get("counts") == report.counts
    if report.schema_version == 0 and report.cipher_ok and report.integrity_ok:
        report.reason = "file_not_encrypted"  # an empty file, or no Vertrouwd schema in it
    elif not report.cipher_ok or not report.integrity_ok:
        report.reason = "file_damaged"
    elif report.checksum_ok is False:
        report.reason = "checksum_mismatch"
    elif report.counts_ok is False:
        report.reason = "file_damaged"
    elif report.newer:
        report.reason = "file_newer"
    elif report.journal_problems:
        report.reason = "journal_tampered"
    return report


def _open_failure(
    reason: str, report: VerifyReport, manifest: dict[str, Any] | None, key: str
) -> str:
    if reason == "locked":
        return "file_locked"
    if reason != "wrong_key_or_damaged":
        return "file_damaged" if reason == "damaged" else reason
    if manifest is not None and isinstance(manifest.get("key_check"), str):
        right = key_check(key, str(manifest.get("store_id", ""))) == manifest["key_check"]
        return "file_damaged" if right else "file_wrong_key"
    if report.checksum_ok:
        return "file_wrong_key"
    return "file_damaged" if report.checksum_ok is False else "file_wrong_key_or_damaged"


def _run_checks(store: Store, report: VerifyReport) -> None:
    try:
        report.schema_version = store.schema_version
        report.newer = report.schema_version > SCHEMA_VERSION
    except (StoreError, sqlcipher3.Error) as exc:
        report.problems.append(str(exc)[:200])
        return
    try:
        cipher = [str(r[0]) for r in store.query("PRAGMA cipher_integrity_check")]
        report.cipher_ok = not cipher
        report.problems.extend(cipher[:20])
    except StoreError as error:
        report.problems.append(f"cipher_integrity_check: {error.reason}")
    try:
        result = [str(r[0]) for r in store.query("PRAGMA integrity_check")]
        report.integrity_ok = result == ["ok"]
        if not report.integrity_ok:
            report.problems.extend(result[:20])
    except StoreError as error:
        report.problems.append(f"integrity_check: {error.reason}")
    if report.cipher_ok and report.integrity_ok:
        with contextlib.suppress(StoreError):
            report.counts = store.table_counts()


# -- restore -----------------------------------------------------------------------------------
def _hold_store(path: Path, key: str) -> Any | None:
    """An exclusive lock on the current store while it is copied aside, or None when the key
    does not open it (another store, or damaged). Raises when another connection holds it."""
    if not path.exists():
        return None
    conn = sqlcipher3.connect(str(path), timeout=1.0, isolation_level=None,
                              check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA key = '" + key.replace("'", "''") + "'")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.Error as exc:
        conn.close()
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            raise BackupError("store_in_use") from None
        return None
    return conn


def _release(conn: Any | None) -> None:
    if conn is None:
        return
    with contextlib.suppress(sqlcipher3.Error):
        conn.execute("ROLLBACK")
    with contextlib.suppress(sqlcipher3.Error):
        conn.close()


def _copy_file(source: Path, target: Path) -> None:
    """Copy into a new owner-only file and flush it."""
    _remove(target)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, _CHUNK)
        out.flush()
        os.fsync(out.fileno())


def _safety_name(store: Path, moment: datetime) -> Path:
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    seq = 1
    while True:
        name = f"{store.name}{SAFETY_INFIX}{stamp}" + (f"-{seq}" if seq > 1 else "")
        candidate = store.with_name(name)
        if not candidate.exists():
            return candidate
        seq += 1


def _keep_safety_copy(store: Path, moment: datetime) -> Path:
    safety = _safety_name(store, moment)
    partial = safety.with_name(safety.name + ".partial")
    try:
        _copy_file(store, partial)
        hot = _journal_of(store)
        if hot.exists():  # a hot journal belongs with the file it can repair
            _copy_file(hot, _journal_of(partial))
            winfs.replace(_journal_of(partial), _journal_of(safety))
        winfs.replace(partial, safety)
    except BaseException:
        _remove(partial, _journal_of(partial))  # a failed restore leaves no .partial (issue 12)
        raise
    return safety


def settle_leftovers(data_dir: Path) -> list[Path]:
    """At start: remove what a restore killed half-way left in the data folder (the
    `.restoring` copy and a safety copy's `.partial`). The store itself is then either the old
    one (the swap had not happened) or the restored one (it had); the backup is unchanged, so
    the restore can simply be done again. Returns what was removed."""
    target = store_path(data_dir)
    found: list[Path] = []
    restoring = target.with_name(target.name + RESTORING_SUFFIX)
    candidates = [restoring, _journal_of(restoring)]
    with contextlib.suppress(OSError):
        candidates += [
            p for p in Path(data_dir).iterdir()
            if p.name.startswith(target.name + SAFETY_INFIX)
            and (p.name.endswith(".partial") or p.name.endswith(".partial-journal"))
        ]
    for path in candidates:
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                found.append(path)
    return found


def restore_backup(data_dir: Path, backup: Path, key: str, *, clock: Clock) -> RestoreReport:
    """Put `backup` in place of the store of `data_dir` (which may be fresh and empty).

    Leaves the keyring to the caller: when `report.key_mode` is "keyring" and
    `report.key_changed`, store `key` under `report.store_id`.
    """
    data_dir = Path(data_dir).absolute()
    backup = Path(backup).absolute()
    target = store_path(data_dir)
    if not backup.is_file():
        raise BackupError("file_missing", str(backup))
    refuse_if_open(data_dir)  # issue 12: never swap the store under an open window
    try:
        check_internal(target)
    except OutputRefused:
        raise BackupError("target_not_regular", str(target)) from None
    if target.exists() and os.path.samefile(backup, target):
        raise BackupError("same_file")
    found = verify_file(backup, key)
    if found.reason is not None:
        raise BackupError(found.reason, "; ".join(found.problems[:3]))
    make_private_dir(data_dir)
    restoring = target.with_name(target.name + RESTORING_SUFFIX)
    _remove(restoring, _journal_of(restoring))
    moment = clock.now()
    safety: Path | None = None
    holder = _hold_store(target, key)
    try:
        try:
            _copy_file(backup, restoring)
            if sha256_file(restoring) != found.sha256:
                raise BackupError("restore_io", "copy differs")
            again = verify_file(restoring, key)
            if again.reason is not None:
                raise BackupError("restore_io", again.reason)
            if target.exists():
                safety = _keep_safety_copy(target, moment)
        finally:
            _release(holder)
        _remove(_journal_of(target))  # never let an old hot journal meet the restored file
        winfs.replace(restoring, target)
    except BaseException as exc:
        _remove(restoring, _journal_of(restoring))
        if isinstance(exc, OSError):
            raise BackupError(
                _os_reason(exc, full="restore_disk_full", io="restore_io"), str(exc)
            ) from None
        raise
    fsync_dir(data_dir)
    config, key_changed = _point_config(data_dir, found.store_id, key)
    report = RestoreReport(
        backup=backup, backup_time=found.created_at, schema_version=found.schema_version or 0,
        migrated=(found.schema_version or 0) < SCHEMA_VERSION, counts={}, safety_copy=safety,
        store_id=config.store_id, key_mode=config.key_mode, key_changed=key_changed,
    )
    store = Store.open(target, key)
    try:
        with contextlib.suppress(OSError):  # the id inside the store wins over the manifest's
            settle_identity(store, data_dir, config, key)
        report.store_id = config.store_id
        report.counts = store.table_counts()
        stamp = found.created_at.strftime("%Y%m%d-%H%M%S") if found.created_at else ""
        try:
            journal.append(
                store, moment.isoformat(), "restored", backup_at=stamp,
                schema_from=report.schema_version, **_main_counts(report.counts),
            )
        except StoreError as error:
            report.warnings.append(error.reason)
        # Erasures and destructions made after this backup are applied again (issue 13).
        report.reapplied = reapply(store, now=moment)
        if report.reapplied.events:
            report.counts = store.table_counts()
    finally:
        store.close()
    return report


def _point_config(data_dir: Path, store_id: str | None, key: str) -> tuple[StoreConfig, bool]:
    """Make the config beside the store describe the restored file (store id, key verifier)."""
    try:
        config = load_config(data_dir)
    except ConfigError:
        config = None
    if config is None:
        config = StoreConfig(key_mode="ask")
    if store_id and store_id != config.store_id:
        config.store_id = store_id
    check = key_check(key, config.store_id)
    changed = check != config.key_check
    config.key_check = check
    save_config(data_dir, config)
    return config, changed
