"""Entry point of the frozen program (PyInstaller): `vertrouwd` and `vertrouwd-gui`.

Both executables of the one-folder build run this script. It calls `app.cli:main`, the same
function as the `vertrouwd` console script; without a sub-command that starts the window.
"""

import io
import multiprocessing
import os
import sys


def _ensure_streams() -> io.StringIO | None:
    """A windowed Windows executable has no console: sys.stdout/sys.stderr are None, and
    argparse (`--help`, usage errors) writes to them. Standard output goes nowhere; what goes
    to standard error (the one Dutch sentence of a user error) is kept, to be shown in a
    message box when the program ends. Returns that buffer, or None with a console."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = io.StringIO()
        return sys.stderr
    return None


def _show_collected(collected: io.StringIO | None) -> None:
    """Show what a windowed run wrote to standard error, so a user error is never silent."""
    text = collected.getvalue().strip() if collected is not None else ""
    if not text or sys.platform != "win32":
        return
    import ctypes

    ctypes.windll.user32.MessageBoxW(None, text[:2000], "Vertrouwd", 0x10)  # MB_ICONERROR


def _prepare_qt() -> None:
    """The environment part of PyInstaller's PySide6 run-time hook, without importing Qt.

    vertrouwd.spec drops that hook (pyi_rth_pyside6): it imports PySide6.QtCore at every start,
    which costs 0.1-0.2 s on each command-line run that never touches Qt. The hook's other
    step, an embedded qt.conf, is not needed for the PyPI wheels: PySide6.QtCore registers its
    own qt.conf (prefix = the folder of the bundled Qt) when the window part imports it.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return
    if sys.platform == "win32":
        qt_dir = os.path.join(bundle, "PySide6")
        os.environ["PATH"] = bundle + os.pathsep + os.environ.get("PATH", "")
    else:
        qt_dir = os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_dir, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_dir, "qml")


if __name__ == "__main__":
    multiprocessing.freeze_support()
    collected = _ensure_streams()
    _prepare_qt()
    from app.cli import main

    try:
        code = main()
    finally:
        _show_collected(collected)
    raise SystemExit(code)
