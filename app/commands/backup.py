"""`backup [--to DIR]`, `verify FILE` and `restore FILE`: the command-line face of
app/services/backup.py (for Windows Task Scheduler and for scripts)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from app.cli import UserError, data_dir_of, get_provider, open_session, read_key
from app.clock import SystemClock
from app.commands import add
from app.config import ConfigError, load_config
from app.i18n import _
from app.paths import STORE_NAME
from app.security.keys import KeyProblem
from app.services.backup import (
    JOURNAL_TABLES,
    BackupError,
    VerifyReport,
    backup_message,
    make_backup,
    read_manifest,
    restore_backup,
    verify_file,
)
from app.store.settings import load_settings


def register(sub: Any) -> None:
    backup = add(sub, "backup", _("make a checked, encrypted backup of the data file"), cmd_backup)
    backup.add_argument("--to", metavar="DIR", help=_("backup folder (default: the one in the "
                                                      "settings)"))
    verify = add(sub, "verify", _("check a data file or backup with its recovery key"), cmd_verify)
    verify.add_argument("file", metavar="FILE", help=_("the data file or backup to check"))
    verify.add_argument(
        "--journal-code",
        metavar="CODE",
        help=_("also check the journal against the check code printed on an annual report"),
    )
    restore = add(sub, "restore", _("put a backup back in place of the data file"), cmd_restore)
    restore.add_argument("file", metavar="FILE", help=_("the backup to put back"))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y %H:%M") if moment else _("unknown")


def _print_counts(counts: dict[str, int]) -> None:
    for table in JOURNAL_TABLES:
        if table in counts:
            print(_("Records in {table}: {count}").format(table=table, count=counts[table]))


def _known_key(file: Path) -> str | None:
    """The key from the keyring when the file's store id is known (manifest or config)."""
    store_id: object = None
    manifest = read_manifest(file)
    if manifest is not None:
        store_id = manifest.get("store_id")
    elif file.name == STORE_NAME:
        with contextlib.suppress(ConfigError):
            config = load_config(file.parent)
            store_id = config.store_id if config and config.key_mode == "keyring" else None
    if not isinstance(store_id, str) or not store_id:
        return None
    provider = get_provider()
    try:
        return provider.get(store_id) if provider.available() else None
    except KeyProblem:
        return None


def _key_for(args: argparse.Namespace, file: Path) -> str:
    if not args.key_stdin:
        known = _known_key(file)
        if known:
            return known
    return read_key(args)


def cmd_backup(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    session = open_session(args, data_dir)
    try:
        settings = load_settings(session.store)
        folder_text = args.to or settings.backup_dir
        if not folder_text:
            raise UserError(backup_message("no_backup_folder"))
        folder = Path(folder_text).expanduser()
        try:
            result = make_backup(
                session, folder, clock=SystemClock(), generations=settings.backup_generations
            )
        except BackupError as error:
            raise UserError(backup_message(error.reason)) from None
    finally:
        session.lock()
    print(_("Backup made and checked: {path}").format(path=result.path))
    _print_counts(result.counts)
    if result.pruned:
        print(_("Older backups removed: {count}").format(count=len(result.pruned)))
    return 0


def _print_report(report: VerifyReport) -> None:
    ok, problem = _("OK"), _("PROBLEM")
    print(_("File: {path}").format(path=report.path))
    if report.created_at is not None:
        print(_("Backup made on: {when}").format(when=_when(report.created_at)))
    if not report.opened:
        return
    print(_("Schema version: {version}").format(version=report.schema_version))
    print(_("Encryption check (cipher_integrity_check): {result}").format(
        result=ok if report.cipher_ok else problem))
    print(_("Structure check (integrity_check): {result}").format(
        result=ok if report.integrity_ok else problem))
    if not report.manifest_found:
        print(_("No manifest beside this file: the checksum was not compared."))
    elif report.checksum_ok:
        print(_("Checksum: matches the manifest."))
    else:
        print(_("Checksum: does NOT match the manifest."))
    _print_counts(report.counts)


def cmd_verify(args: argparse.Namespace) -> int:
    file = Path(args.file).expanduser().absolute()
    if not file.is_file():
        raise UserError(backup_message("file_missing"))
    code = args.journal_code
    report = verify_file(file, _key_for(args, file), code)
    _print_report(report)
    if report.reason is not None:
        raise UserError(backup_message(report.reason))
    print(_("The file is intact and opens with this key."))
    if code is not None:
        return _journal_code_result(code, report.journal_code)
    return 0


def _journal_code_result(code: str, result: str | None) -> int:
    """Say what the journal check against a printed report code found (0: it matches)."""
    if result == "match":
        print(
            _(
                "The journal matches the check code {code}: nothing in it up to that point "
                "has changed since the report was printed."
            ).format(code=code.strip().upper())
        )
        return 0
    messages = {
        "bad code": _(
            "“{code}” is not a check code of the journal; it looks like 137-3FA9C2D1 (the last "
            "page of the annual report)."
        ),
        "missing": _(
            "The journal does NOT match the check code {code}: the entry it names is gone, so "
            "entries were removed after the report was printed (or the code belongs to "
            "another data file)."
        ),
        "changed": _(
            "The journal does NOT match the check code {code}: it was changed after the "
            "report was printed (or the code belongs to another data file)."
        ),
    }
    text = messages.get(result or "", messages["changed"])
    raise UserError(text.format(code=code.strip()))


def cmd_restore(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    file = Path(args.file).expanduser().absolute()
    if not file.is_file():
        raise UserError(backup_message("file_missing"))
    key = _key_for(args, file)
    try:
        report = restore_backup(data_dir, file, key, clock=SystemClock())
    except BackupError as error:
        raise UserError(backup_message(error.reason)) from None
    print(_("The backup of {when} has been restored.").format(when=_when(report.backup_time)))
    _print_counts(report.counts)
    if report.migrated:
        print(_("The backup was updated to this version of Vertrouwd."))
    if report.safety_copy is not None:
        print(_("The previous data file was kept as {path}.").format(path=report.safety_copy))
    if report.reapplied.events:
        from app.services.erasure_ledger import reapplied_message

        print(reapplied_message(report.reapplied))
    if report.key_mode == "keyring" and report.key_changed:
        provider = get_provider()
        try:
            provider.put(report.store_id, key)
        except KeyProblem as problem:
            print(backup_message(problem.reason), file=sys.stderr)
    return 0
