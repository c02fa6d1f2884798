"""Entry point of the frozen program (PyInstaller): `vertrouwd` and `vertrouwd-gui`.

Both executables of the one-folder build run this script. It calls `app.cli:main`, the same
function as the `vertrouwd` console script; without a sub-command that starts the window.
"""

import multiprocessing
import os
import sys


def _ensure_streams() -> None:
    # A windowed Windows executable has no console: sys.stdout/sys.stderr are None, and
    # argparse (`--help`, usage errors) writes to them. Send that output nowhere instead.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


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
    _ensure_streams()
    _prepare_qt()
    from app.cli import main

    raise SystemExit(main())
