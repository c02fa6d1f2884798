"""One clear Dutch sentence per failure reason, shared by the GUI and the command line."""

from __future__ import annotations

from app.i18n import _


def reason_message(reason: str) -> str:
    messages = {
        "missing": _(
            "The data file was not found in this folder. If it was moved or lost, you can "
            "restore it from a backup."
        ),
        "wrong_key": _(
            "This recovery key does not fit this data file. Check the key on your recovery "
            "sheet and try again; nothing has been changed."
        ),
        "wrong_key_or_damaged": _(
            "The data file could not be opened with this key. Either the key is wrong or the "
            "file is damaged. Check the key on your recovery sheet; if it is right, restore a "
            "backup."
        ),
        "damaged": _(
            "The key is right, but the data file is damaged. Restore the most recent backup; "
            "the damaged file is left as it is."
        ),
        "newer_version": _(
            "This data file was made by a newer version of Vertrouwd. Install the newest "
            "version; the file has not been changed."
        ),
        "older_version": _("This data file needs to be updated before it can be used."),
        "not_encrypted": _(
            "This file is not an encrypted Vertrouwd data file. It has not been opened."
        ),
        "no_cipher": _(
            "The encryption component of this installation is not working. Reinstall "
            "Vertrouwd; your data file has not been touched."
        ),
        "disk_full": _(
            "The disk is full. Nothing was saved; make room on the disk and try again."
        ),
        "io": _(
            "The data file could not be read or written. Check that the folder exists and "
            "that you may write in it."
        ),
        "locked": _(
            "The data file is in use by another copy of Vertrouwd. Close the other copy and "
            "try again."
        ),
        "exists": _(
            "There is already a data file in this folder. Vertrouwd never overwrites it; "
            "choose another folder or open the existing file."
        ),
        "ask": _("Type the recovery key to open the data file."),
        "keyring_unavailable": _(
            "This computer has no safe place to remember the key (no secure keyring). "
            "Vertrouwd will ask for the recovery key each time it starts."
        ),
        "keyring_untrusted": _(
            "The keyring on this computer is not a safe one (it may keep keys in a plain "
            "file), so Vertrouwd does not take the key from it. Type the recovery key from "
            "your recovery sheet."
        ),
        "keyring_failed": _(
            "The computer's keyring did not work. Vertrouwd will ask for the recovery key "
            "each time it starts."
        ),
        "keyring_refused": _(
            "Windows does not allow Vertrouwd to keep the key on this computer (a rule set by "
            "the school's IT department). Vertrouwd will ask for the recovery key each time it "
            "starts, and scheduled backups cannot run: make backups by hand, or ask IT to allow "
            "saved credentials."
        ),
        "keyring_empty": _(
            "The key is no longer remembered on this computer. Type the recovery key from "
            "your recovery sheet; Vertrouwd will remember it again."
        ),
        "keyring_changed": _(
            "The computer's keyring has changed since the key was stored, and the key is "
            "not there. Type the recovery key from your recovery sheet."
        ),
        "no_key": _(
            "The recovery key is needed. Give it on standard input with --key-stdin, or "
            "run the command in a terminal."
        ),
        "bad_key_format": _(
            "That is not a recovery key: it has 6 groups of 5 letters and digits, like "
            "ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678."
        ),
        "config": _("The settings file beside the data file is damaged."),
        "config_damaged": _(
            "The settings file beside the data file (vertrouwd.json) is damaged. Open "
            "Vertrouwd with the recovery key: it rebuilds the settings file from the data file "
            "(with the command line: --key-stdin)."
        ),
        "other_store": _(
            "This folder holds what is left of another data file (its settings or backups). "
            "Restore that data file from a backup, choose another folder, or, to start a new "
            "data file here all the same, use init --new-store."
        ),
    }
    return messages.get(reason, _("Something went wrong: {reason}.").format(reason=reason))


def io_reason(error: OSError) -> str:
    """Why a file could not be written, in a few plain Dutch words (never Python's English)."""
    import errno

    reasons = {
        errno.EACCES: _("you may not write in this folder"),
        errno.EPERM: _("you may not write in this folder"),
        errno.EROFS: _("this drive can only be read"),
        errno.ENOSPC: _("the drive is full"),
        errno.ENOENT: _("the folder does not exist"),
        errno.ENOTDIR: _("the folder does not exist"),
        errno.EISDIR: _("there is a folder with that name"),
        errno.ENAMETOOLONG: _("the name is too long"),
        errno.EINVAL: _("the name is not allowed here"),
        errno.EBUSY: _("the file is in use by another program"),
    }
    return reasons.get(error.errno or 0, _("the drive refused the file"))
