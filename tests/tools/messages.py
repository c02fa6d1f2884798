"""Find every user-facing message id: the string literals passed to `_()` in app/ and ui/.

`python -m tests.tools.messages` prints the ids missing from the Dutch catalogue as .po entries
(with an empty msgstr) so a translator can fill them in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def message_ids() -> dict[str, str]:
    """msgid -> first place it is used."""
    found: dict[str, str] = {}
    for folder in ("app", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "_"
                    and node.args
                ):
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.setdefault(arg.value, where)
    return found


def dynamic_calls() -> list[str]:
    """Places that pass something other than a literal to `_()` (not checkable)."""
    places = []
    for folder in ("app", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "_"
                    and node.args
                    and not (isinstance(node.args[0], ast.Constant)
                             and isinstance(node.args[0].value, str))
                ):
                    places.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return places


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from app.i18n import catalogue

    known = catalogue("nl")
    for msgid, where in message_ids().items():
        if not known.get(msgid):
            print(f"#: {where}\nmsgid {po_quote(msgid)}\nmsgstr \"\"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
