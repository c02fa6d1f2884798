"""The sub-commands of `vertrouwd`; each module adds its own parsers through `register`."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    from app.commands import backup, info, report, setup

    for module in (setup, info, backup, report):
        module.register(sub)


def add(sub: Any, name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser
