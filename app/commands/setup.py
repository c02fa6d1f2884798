"""`init` and `demo`: create a store without the GUI. The recovery key is printed once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli import (
    UserError,
    data_dir_of,
    get_provider,
    no_display_reason,
    open_session,
    start_gui,
    store_exists,
)
from app.commands import add
from app.domain.errors import ValidationError
from app.domain.names import check_name, check_settings_names
from app.i18n import _
from app.messages import reason_message
from app.security.keys import generate_recovery_key
from app.security.vault import Session, check_new_folder, create_store
from app.store.settings import REGIONS, Settings


def register(sub: Any) -> None:
    init = add(sub, "init", _("create a new data file; prints the recovery key once"), cmd_init)
    init.add_argument("--school", required=True, help=_("name of the school"))
    init.add_argument("--location", default="", help=_("school location (deelschool)"))
    init.add_argument("--region", choices=REGIONS, default="zuid", help=_("holiday region"))
    init.add_argument("--vp-name", default="", help=_("name of the confidential adviser"))
    init.add_argument("--key-mode", choices=("keyring", "ask"), default="keyring")
    init.add_argument("--new-store", action="store_true",
                      help=_("start a new data file in a folder that holds the settings or "
                             "backups of another one"))

    demo = add(sub, "demo", _("create and open a demo data file with invented pupils"), cmd_demo)
    demo.add_argument("--years", type=int, default=3, help=_("school years of demo data"))
    demo.add_argument("--seed", type=int, default=1, help=_("seed of the demo data"))
    demo.add_argument("--key-mode", choices=("keyring", "ask"), default="keyring")
    demo.add_argument("--no-gui", action="store_true", help=_("do not open the window"))


def _create(args: argparse.Namespace, settings: Settings, *, demo: bool) -> Session:
    data_dir = data_dir_of(args, demo=demo)
    if store_exists(data_dir):
        raise UserError(reason_message("exists"))
    new_store = bool(getattr(args, "new_store", False))
    check_new_folder(data_dir, new_store=new_store)
    key = generate_recovery_key()
    # The key is shown once the store is complete under its temporary name, before it takes
    # its final name (R15): a kill after leaves a store this key opens, a kill or a full disk
    # before leaves no store and shows no key (issue 12).
    session = create_store(
        data_dir, settings, key, key_mode=args.key_mode, provider=get_provider(), demo=demo,
        new_store=new_store, show_key=lambda: print(key, flush=True),
    )
    for warning in session.warnings:
        print(reason_message(warning), file=sys.stderr)
    return session


def cmd_init(args: argparse.Namespace) -> int:
    if not args.school.strip():
        raise UserError(_("Give the name of the school."))
    try:
        check_settings_names(args.school, args.location, "")
        check_name(args.vp_name, _("The name of the confidential adviser"))
    except ValidationError as error:
        raise UserError(error.message) from None
    settings = Settings(
        school=args.school.strip(),
        location=args.location.strip(),
        region=args.region,
        vp_name=args.vp_name.strip(),
    )
    session = _create(args, settings, demo=False)
    session.lock()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not 1 <= args.years <= 15:
        raise UserError(_("Choose between 1 and 15 school years of demo data."))
    if not args.no_gui and (problem := no_display_reason()) is not None:
        raise UserError(problem)  # before any store is made
    data_dir = data_dir_of(args, demo=True)
    if store_exists(data_dir) and not args.no_gui and not args.key_stdin:
        # The window unlocks it (keyring, or its unlock dialog): the demo shortcut of the
        # windowed program has no standard input to read a key from.
        return start_gui(args, demo=True)
    if store_exists(data_dir):
        session = open_session(args, data_dir)
    else:
        settings = Settings(
            school="Demoschool De Linde",
            location="Helmond-Noord",
            region="zuid",
            vp_name="M. de Vries (demo)",
        )
        session = _create(args, settings, demo=True)
        from app.services.demo import fill_demo

        fill_demo(session.store, years=args.years, seed=args.seed)
        print(_("Demo data file made in {folder}.").format(folder=data_dir), file=sys.stderr)
    if args.no_gui:
        session.lock()
        return 0
    return start_gui(args, demo=True, session=session)
