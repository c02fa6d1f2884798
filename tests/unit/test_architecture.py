"""The one layering rule: nothing under app/ imports Qt (ARCHITECTURE.md). Checked with `ast`
here, at run time in a clean interpreter, and by ruff's banned-api rule in pyproject.toml."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_ROOTS = {"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6"}


def imported_names(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import in `source`, nested and dynamic ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _violations(roots: set[str]) -> list[str]:
    problems = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for line, name in imported_names(path.read_text(encoding="utf-8")):
            if name.split(".")[0] in roots:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    return problems


def test_app_never_imports_qt() -> None:
    assert len(list((ROOT / "app").rglob("*.py"))) > 10
    problems = _violations(QT_ROOTS)
    assert problems == [], "app/ must not import Qt:\n" + "\n".join(problems)


def test_the_check_sees_nested_and_dynamic_imports() -> None:
    source = (
        "import os\n"
        "def f():\n"
        "    from PySide6.QtWidgets import QWidget\n"
        "    import PySide6.QtCore as core\n"
        "    importlib.import_module('PySide6.QtGui')\n"
        "    __import__('PySide6')\n"
    )
    names = [name for _line, name in imported_names(source)]
    assert sorted(n for n in names if n.split(".")[0] in QT_ROOTS) == sorted(
        ["PySide6.QtWidgets", "PySide6.QtCore", "PySide6.QtGui", "PySide6"]
    )


def test_importing_all_of_app_loads_no_qt() -> None:
    """Transitive imports count too: import every app module in a clean interpreter."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import app\n"
        "for info in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if info.name == 'app.__main__':\n"
        "        continue\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(QT_ROOTS)!r})\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_ruff_bans_pyside6_outside_ui() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    banned = lint["flake8-tidy-imports"]["banned-api"]
    assert "PySide6" in banned and banned["PySide6"].get("msg")
    assert any(code in lint["select"] for code in ("TID", "TID251"))
    for pattern, codes in lint.get("per-file-ignores", {}).items():
        if "TID251" in codes or "TID" in codes:
            assert not pattern.startswith("app"), f"{pattern} may not be exempt from the ban"


def test_no_stdlib_sqlite3_in_app() -> None:
    """ARCHITECTURE: never let the standard `sqlite3` module near the data (it writes
    plaintext); the store talks to SQLCipher only."""
    assert _violations({"sqlite3"}) == []
