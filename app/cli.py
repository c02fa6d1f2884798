"""The `vertrouwd` command line (a contract: tests and scripts rely on it).

`vertrouwd [--data-dir DIR] [--key-stdin] [COMMAND]`; no command starts the GUI. Exit 0 on
success, 1 with one Dutch sentence on standard error for a user-facing error, 2 for bad usage.
The key is never an argument: it comes from the keyring, from standard input (`--key-stdin`),
or from a prompt when a terminal is attached.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.i18n import _
from app.instance_lock import InstanceLock, InstanceLocked
from app.keyinput import NoStandardInput, read_key_line
from app.messages import reason_message
from app.output_guard import OutputRefused, remember_data_dir
from app.paths import drive_present, make_private_dir, resolve_data_dir, store_path
from app.security.keys import KeyProvider, KeyringProvider, normalize_recovery_key
from app.security.vault import Session, UnlockNeeds, unlock
from app.store.db import StoreError


class UserError(Exception):
    """A problem the user can act on: printed as one sentence, exit code 1."""


def _provider() -> KeyProvider:
    return KeyringProvider()


PROVIDER_FACTORY: Callable[[], KeyProvider] = _provider


def get_provider() -> KeyProvider:
    """The key provider in force (tests replace `PROVIDER_FACTORY`)."""
    return PROVIDER_FACTORY()


def read_key(args: argparse.Namespace) -> str:
    if args.key_stdin:
        try:
            typed = read_key_line()
        except NoStandardInput as missing:
            raise UserError(str(missing)) from None
    elif sys.stdin is not None and sys.stdin.isatty():
        typed = getpass.getpass(_("Recovery key: "))
    else:
        raise UserError(reason_message("no_key"))
    key = normalize_recovery_key(typed)
    if key is None:
        raise UserError(reason_message("bad_key_format"))
    return key


def open_session(args: argparse.Namespace, data_dir: Path) -> Session:
    provider = get_provider()
    typed: str | None = read_key(args) if args.key_stdin else None
    try:
        return unlock(data_dir, provider, typed)
    except UnlockNeeds as needs:
        if typed is None and needs.can_type_key and needs.reason != "missing":
            try:
                key = read_key(args)
            except UserError as no_key:
                if needs.reason == "ask":
                    raise
                # Say why the key was not there (keyring empty, changed, untrusted; the
                # settings file damaged) before saying how to give it.
                raise UserError(f"{reason_message(needs.reason)} {no_key}") from None
            try:
                return unlock(data_dir, provider, key)
            except UnlockNeeds as again:
                raise UserError(reason_message(again.reason)) from None
        raise UserError(reason_message(needs.reason)) from None


def _argparse_words() -> dict[str, str]:
    """argparse's own sentences, each through the catalogue."""
    return {
        "usage: ": _("usage: "),
        "positional arguments": _("positional arguments"),
        "options": _("options"),
        "show this help message and exit": _("show this help message and exit"),
        "show program's version number and exit": _("show program's version number and exit"),
        "%(prog)s: error: %(message)s\n": _("%(prog)s: error: %(message)s\n"),
        "the following arguments are required: %s": _(
            "the following arguments are required: %s"),
        "unrecognized arguments: %s": _("unrecognized arguments: %s"),
        "invalid choice: %(value)r (choose from %(choices)s)": _(
            "invalid choice: %(value)r (choose from %(choices)s)"),
        "expected one argument": _("expected one argument"),
        "expected at most one argument": _("expected at most one argument"),
        "expected at least one argument": _("expected at least one argument"),
        "expected %s argument": _("expected %s argument"),
        "expected %s arguments": _("expected %s arguments"),
        "invalid %(type)s value: %(value)r": _("invalid %(type)s value: %(value)r"),
        "argument %(argument_name)s: %(message)s": _("argument %(argument_name)s: %(message)s"),
        "not allowed with argument %s": _("not allowed with argument %s"),
        "ignored explicit argument %r": _("ignored explicit argument %r"),
        "ambiguous option: %(option)s could match %(matches)s": _(
            "ambiguous option: %(option)s could match %(matches)s"),
        "one of the arguments %s is required": _("one of the arguments %s is required"),
        "unexpected option string: %s": _("unexpected option string: %s"),
    }


def _argparse_text(message: str) -> str:
    return _argparse_words().get(message, message)


def _argparse_plural(singular: str, plural: str, count: int) -> str:
    return _argparse_text(singular if count == 1 else plural)


def dutch_argparse() -> None:
    """argparse's own words (usage, error, "the following arguments are required") through
    the catalogue: argparse looks its `_` and `ngettext` up in its module at each call."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_plural  # type: ignore[attr-defined]


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    dutch_argparse()
    parser = argparse.ArgumentParser(
        prog="vertrouwd",
        description=_("Vertrouwd: the case files of the school's confidential adviser."),
    )
    parser.add_argument("--version", action="version", version=f"Vertrouwd {__version__}")
    parser.add_argument("--data-dir", metavar=_("DIR"), help=_("folder of the data file"))
    parser.add_argument(
        "--key-stdin", action="store_true", help=_("read the recovery key from standard input")
    )
    if with_commands:
        from app.commands import register

        sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 still prints
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    words = list(sys.argv[1:] if argv is None else argv)
    # Starting the window needs none of the commands: skip importing them (start-up time).
    plain = [w for w in words if w != "--key-stdin"]
    window_only = (
        not plain
        or (len(plain) == 2 and plain[0] == "--data-dir")
        or (len(plain) == 1 and plain[0].startswith("--data-dir="))
    )
    args = build_parser(with_commands=not window_only).parse_args(words)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return start_gui(args)
        result = handler(args)
        return int(result or 0)
    except UserError as error:
        print(str(error), file=sys.stderr)
        return 1
    except StoreError as error:
        print(reason_message(error.reason), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `vertrouwd status | head -1`: the reader has what it wanted; no traceback, and no
        # second one when Python flushes standard output at exit.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (OutputRefused, InstanceLocked) as refused:
        print(refused.message, file=sys.stderr)
        return 1
    except OSError as error:  # a folder that is a file, read-only, full, or gone
        print(os_error_message(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return 1
    except Exception as error:  # the last net: never a traceback for the user (issue 12)
        print(unexpected_message(error), file=sys.stderr)
        return 1


def unexpected_message(error: BaseException) -> str:
    return _("Something unexpected went wrong ({kind}); the command stopped. Nothing more has "
             "been changed; please report this.").format(kind=type(error).__name__)


def no_display_reason() -> str | None:
    """One Dutch sentence when no window can be shown here (checked before Qt, which aborts
    the process, and before any store is made); None when a window can be shown."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform in {"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}:
        return None
    if platform == "wayland" and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if platform in {"", "xcb"} and os.environ.get("DISPLAY"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "Vertrouwd cannot open its window here: there is no screen (no graphical session). "
        "Start it from the desktop, or use the commands (vertrouwd --help); nothing has been "
        "changed."
    )


def start_gui(
    args: argparse.Namespace, *, demo: bool = False, session: Session | None = None
) -> int:
    """Start the window. The store is unlocked on a worker thread while Qt loads (the key
    derivation and Qt's start-up then overlap), from the keyring or from `--key-stdin`.

    Before anything: is there a screen, and is this store open in another window already
    (app.instance_lock: then the other window is asked to come forward, and exit code 1)."""
    from concurrent.futures import Future, ThreadPoolExecutor

    problem = no_display_reason()
    if problem is not None:
        if session is not None:
            session.lock()
        raise UserError(problem)
    data_dir = resolve_data_dir(args.data_dir, demo=demo)
    instance = _take_instance_lock(data_dir, session)
    try:
        pending: Future[Session] | None = None
        if session is None and store_exists(data_dir):
            typed = read_key(args) if getattr(args, "key_stdin", False) else None
            provider = get_provider()
            with ThreadPoolExecutor(max_workers=1) as pool:
                pending = pool.submit(unlock, data_dir, provider, typed)
                return _run_gui(data_dir, session, pending, demo, instance)
        return _run_gui(data_dir, session, pending, demo, instance)
    finally:
        if instance is not None:
            instance.release()


def _take_instance_lock(data_dir: Path, session: Session | None) -> InstanceLock | None:
    from app.instance_lock import acquire, request_raise

    if data_dir.exists() and not data_dir.is_dir():
        raise UserError(data_dir_problem(data_dir))
    try:
        if not data_dir.is_dir():
            if not drive_present(data_dir):
                return None  # the unlock dialog explains a pulled-out stick
            make_private_dir(data_dir)
        return acquire(data_dir)
    except InstanceLocked as locked:
        if session is not None:
            session.lock()
        request_raise(data_dir)
        with contextlib.suppress(ImportError):
            from ui.instance import show_already_open

            show_already_open(locked.message)
        raise
    except OSError:
        return None  # a read-only folder: the store cannot be changed from here anyway


def _run_gui(data_dir: Path, session: Session | None, pending: Any, demo: bool,
             instance: InstanceLock | None = None) -> int:
    try:
        from ui.main import run_gui
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise UserError(_("The window part of Vertrouwd is not installed ({name}).").format(
            name=exc.name)) from None
    return int(run_gui(data_dir, session=session, pending=pending, demo=demo,
                       provider=get_provider(), instance=instance))


def data_dir_of(args: argparse.Namespace, *, demo: bool = False) -> Path:
    folder = resolve_data_dir(args.data_dir, demo=demo)
    if folder.exists() and not folder.is_dir():
        raise UserError(data_dir_problem(folder))
    remember_data_dir(folder)  # the output guard refuses to write into it
    return folder


def data_dir_problem(folder: Path) -> str:
    return _("The data folder {folder} is a file, not a folder. Give a folder with "
             "--data-dir; nothing has been changed.").format(folder=folder)


def os_error_message(error: OSError) -> str:
    """One Dutch sentence for a file-system error that reached the command line."""
    import errno

    where = error.filename or ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return reason_message("disk_full")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Vertrouwd may not write in {folder} (read-only or no permission). Choose "
                 "another folder; nothing has been changed.").format(folder=where)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return _("The folder {folder} cannot be reached (was a USB stick removed?). Nothing "
                 "has been changed.").format(folder=where)
    return reason_message("io")


def store_exists(data_dir: Path) -> bool:
    return store_path(data_dir).exists()
