"""A handover that leaves nothing behind (DOMAIN.md "When the VP leaves"; issue 13 item 6).

After `app.services.handover.handover` has made the successor's store (the open cases; the
program reminds the VP to tell those pupils), the departing VP's remaining CLOSED files — those
still within the retention period — must not stay with a former VP, nor go into the
successor's daily view:

* `archive_closed` copies them, with everything hanging off them, into a separate encrypted
  store (its own recovery key, shown once, a recovery sheet for the school board), in a
  folder of the VP's choosing; the archive's journal records `handover`;
* or `destroy_closed` destroys them for good (through the erasure ledger, like a retention
  purge). A file on hold cannot be destroyed: then the archive is the only way.

`wipe_departing` then removes, after the VP typed the confirmation word (`CONFIRM_WORD`),
everything of the departing VP's store: the store file (overwritten with zeros first), its
hot journal, the safety copies, the erasure ledger, the config beside it, the keyring entry,
and every backup of this store (by store id in the manifest) in the configured backup folder
with its manifest. Backups on other media the program does not know about are named in the
closing message. A former VP keeps nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from app import journal
from app.domain.dates import moment_to_db
from app.i18n import _
from app.paths import config_path, store_path
from app.security.keys import KeyProblem, KeyProvider, generate_recovery_key
from app.security.vault import Session
from app.services.copies import safety_copies, wipe_file
from app.services.erasure_ledger import ledger_path, remember
from app.services.handover import HandoverError, _selection, make_copy
from app.services.retention import compact_after, erase
from app.store.settings import load_settings

__all__ = [
    "CONFIRM_WORD",
    "WipeReport",
    "archive_closed",
    "closed_count",
    "destroy_closed",
    "wipe_departing",
]

CONFIRM_WORD = "WISSEN"


def closed_count(session: Session) -> tuple[int, int]:
    """(closed cases left in the store, of which on hold)."""
    store = session.store
    closed = int(store.scalar("SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL") or 0)
    held = int(store.scalar(
        "SELECT count(DISTINCT c.id) FROM case_file c JOIN case_hold h ON h.case_id = c.id "
        "WHERE c.closed_on IS NOT NULL AND h.lifted_on IS NULL") or 0)
    return closed, held


def archive_closed(
    session: Session, target_dir: Path, *, now: datetime, new_key: str | None = None
) -> tuple[Path, str, int]:
    """The closed cases into a new encrypted archive in `target_dir` under a new key: its
    path, its key (show once; sheet for the school board) and the number of cases."""
    store = session.store
    target_dir = Path(target_dir).expanduser().absolute()
    if store_path(target_dir).exists() or (target_dir.is_dir() and any(target_dir.iterdir())):
        raise HandoverError(_("Choose an empty folder for the archive; nothing has been "
                              "changed."))
    if target_dir.resolve() == Path(session.data_dir).resolve():
        raise HandoverError(_("The archive cannot be made in the current data folder. Choose "
                              "another folder; nothing has been changed."))
    key = new_key or generate_recovery_key()
    settings = replace(load_settings(store), vp_name="")
    chosen = _selection(store, now, archive=True)
    copied = make_copy(store, target_dir, settings, key, chosen, now)
    journal.append(store, moment_to_db(now), "handover", archived=copied["case_file"])
    return store_path(target_dir), key, copied["case_file"]


def destroy_closed(session: Session, *, now: datetime) -> int:
    """Destroy every closed case for good (the VP chose this instead of the archive).
    HandoverError when a closed file is on hold: it must go into the archive."""
    store = session.store
    _closed, held = closed_count(session)
    if held:
        raise HandoverError(_(
            "{count} closed file(s) are on hold because a procedure is still running; they "
            "cannot be destroyed. Put the closed files in an archive for the school board "
            "instead.").format(count=held))
    chosen = _selection(store, now, archive=True)
    with store.transaction() as conn:
        remember(conn, store.path, event="destroyed", at=now, case_ids=chosen["cases"],
                 request_ids=chosen["requests"], pupil_ids=chosen["pupils"])
        counts = erase(conn, chosen["cases"], request_ids=chosen["requests"],
                       pupil_ids=chosen["pupils"])
        journal.record(conn, moment_to_db(now), "destroyed", cases=counts.cases,
                       pupils=counts.pupils, requests=counts.requests)
    compact_after(store, counts.cases)
    return counts.cases


@dataclass
class WipeReport:
    removed: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    keyring_cleared: bool = False

    def message(self) -> str:
        text = _(
            "Your data file, its backups in the backup folder and its safety copies have been "
            "removed ({count} file(s)). Copies you made yourself elsewhere, for example on "
            "another USB stick, are not known to Vertrouwd: delete those too.").format(
                count=len(self.removed))
        if self.failed:
            text += " " + _(
                "These files could not be removed; delete them yourself: {files}").format(
                    files=", ".join(str(p) for p in self.failed))
        return text


def wipe_departing(
    session: Session, provider: KeyProvider, *, typed: str, backup_dir: str | None = None
) -> WipeReport:
    """Remove the departing VP's store and its copies (see the module docstring). Refused
    (HandoverError, nothing removed) unless `typed` is the confirmation word. Closes the
    session."""
    if typed.strip().upper() != CONFIRM_WORD:
        raise HandoverError(_("Type {word} to confirm; nothing has been removed.").format(
            word=CONFIRM_WORD))
    store = session.store
    data_dir = Path(session.data_dir)
    settings = load_settings(store)
    folder = backup_dir if backup_dir is not None else settings.backup_dir
    store_id = session.config.store_id
    main = store_path(data_dir)
    session.lock()
    targets = [main, main.with_name(main.name + "-journal")]
    targets += [c.path for c in safety_copies(data_dir)]
    targets += [ledger_path(main), config_path(data_dir)]
    if folder and store_id:
        from app.services.backup import list_backups, manifest_path_for

        with contextlib.suppress(OSError):
            for backup in list_backups(Path(folder), store_id):
                targets += [backup, manifest_path_for(backup)]
    report = WipeReport()
    for path in targets:
        if not path.exists():
            continue
        try:
            wipe_file(path)
            report.removed.append(path)
        except OSError:
            report.failed.append(path)
    if store_id:
        with contextlib.suppress(KeyProblem):
            provider.delete(store_id)
            report.keyring_cleared = True
    return report
