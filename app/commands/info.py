"""`self-check` (is this installation usable?) and `status` (what is in the store, no content)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from app import __version__
from app.cli import data_dir_of, get_provider, open_session
from app.commands import add
from app.i18n import _
from app.security.keys import KeyProvider, KeyringProvider, generate_recovery_key
from app.store.db import Store, StoreError, is_plaintext_sqlite
from app.store.settings import load_settings


def register(sub: Any) -> None:
    add(sub, "self-check", _("check this installation (encryption, keyring, holidays, PDF)"),
        cmd_self_check)
    add(sub, "status", _("show what the data file holds (counts only, no content)"), cmd_status)


def _check(label: str, ok: bool, detail: str) -> bool:
    mark = _("OK") if ok else _("PROBLEM")
    print(f"[{mark}] {label}: {detail}")
    return ok


def cmd_self_check(args: argparse.Namespace) -> int:
    ok = True
    print(f"Vertrouwd {__version__}")
    try:
        import sqlcipher3

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "check.db"
            key = generate_recovery_key()
            store = Store.open(path, key, create=True)
            version = store.scalar("PRAGMA cipher_version")
            store.close()
            reopened = Store.open(path, key)
            reopened.close()
            encrypted = not is_plaintext_sqlite(path)
        ok &= _check(_("Encryption (SQLCipher)"), encrypted,
                     f"{version}, SQLite {sqlcipher3.sqlite_version}")
    except (ImportError, StoreError) as exc:
        ok &= _check(_("Encryption (SQLCipher)"), False, str(exc))
    provider = get_provider()
    label = provider.backend_label() if isinstance(provider, KeyringProvider) else provider.name
    if provider.available():
        _check(_("Keyring"), True, _keyring_probe(provider, label))
    else:
        _check(_("Keyring"), True, _("{backend} is not a secure keyring: the key will be asked "
                                      "at each start").format(backend=label))
    try:
        from datetime import date

        from app.rules.calendar import next_working_day

        day = next_working_day(date(2026, 5, 22))
        ok &= _check(_("Holidays"), day == date(2026, 5, 26), day.isoformat())
    except Exception as exc:
        ok &= _check(_("Holidays"), False, str(exc))
    try:
        import io

        from reportlab import Version
        from reportlab.pdfgen import canvas

        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer)
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 720, "Vertrouwd")
        pdf.save()
        ok &= _check(_("PDF and fonts (reportlab)"), buffer.getvalue().startswith(b"%PDF"),
                     Version)
    except Exception as exc:
        ok &= _check(_("PDF and fonts (reportlab)"), False, str(exc))
    print(_("This installation is usable.") if ok else _("This installation has a problem."))
    return 0 if ok else 1


def cmd_status(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    session = open_session(args, data_dir)
    try:
        store = session.store
        settings = load_settings(store)
        counts = store.table_counts()
        last_backup = store.scalar(
            "SELECT at FROM journal WHERE event = 'backed_up' ORDER BY id DESC LIMIT 1"
        )
        print(_("School: {school}").format(school=settings.school))
        print(_("Location: {location}").format(location=settings.location or "-"))
        print(_("Data file: {path}").format(path=store.path))
        print(_("Schema version: {version}").format(version=store.schema_version))
        mode = (_("remembered on this computer") if session.config.key_mode == "keyring"
                else _("asked at each start"))
        print(_("Key mode: {mode}").format(mode=mode))
        labels = {
            "pupil": _("Pupils"), "request": _("Requests"), "case_file": _("Case files"),
            "entry": _("Case entries"), "activity": _("Activities"), "journal": _("Journal events"),
        }
        for table, title in labels.items():
            if table in counts:
                print(f"{title}: {counts[table]}")
        when = _("none yet")
        if last_backup:
            from datetime import datetime

            when = datetime.fromisoformat(str(last_backup)).strftime("%d-%m-%Y %H:%M")
        print(_("Last backup: {when}").format(when=when))
    finally:
        session.lock()
    return 0


def _keyring_probe(provider: KeyProvider, label: str) -> str:
    """Write, read and remove a throw-away entry: says so when a policy refuses saved keys."""
    import secrets

    from app.messages import reason_message
    from app.security.keys import KeyProblem

    probe, secret = "self-check-" + secrets.token_hex(4), secrets.token_hex(8)
    try:
        provider.put(probe, secret)
        works = provider.get(probe) == secret
    except KeyProblem as problem:
        return f"{label}: {reason_message(problem.reason)}"
    finally:
        provider.delete(probe)
    return label if works else f"{label}: {reason_message('keyring_failed')}"

