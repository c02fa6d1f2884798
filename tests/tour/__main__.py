"""`python -m tests.tour OUTDIR [--scale 1.5] [--quick]`: see `tests.tour`.

The screen: Qt's offscreen platform with one 1366x768 screen (a configuration file in the
temporary folder). `--scale 1.5` sets QT_SCALE_FACTOR=1.5, as Windows does at 150%: the
program then sees a 911x512 screen of logical pixels and the pictures are 1.5 times as large.
The window fills the screen less a 40-pixel task bar, as a maximised window on a laptop.
Exit 0 when every slug in `steps.SCENES` has its picture; 1 naming the slugs that could not
be reached (the slugs still waiting for other work are listed in `steps.PENDING`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

SCREEN = (1366, 768)
TASKBAR = 40
NOW = datetime(2026, 3, 4, 10, 0)  # a Wednesday; the demo data is made up to this day
SCHOOL = "Demoschool De Linde"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.tour",
                                     description="Screenshot tour of Vertrouwd.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="Windows display scaling as a factor (1.25, 1.5)")
    parser.add_argument("--quick", action="store_true",
                        help="one school year of demo data and short waits (CI)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the scenes with this name (repeatable)")
    return parser.parse_args(argv)


def set_up_screen(folder: Path, scale: float) -> None:
    """Before Qt loads: one offscreen 1366x768 screen, and the scale factor."""
    config = folder / "screen.json"
    width, height = SCREEN
    config.write_text(json.dumps({"windowFrameMargins": False, "screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = os.environ.get("TOUR_QPA") or f"offscreen:configfile={config}"
    os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    os.environ.setdefault("VERTROUWD_LANG", "nl")


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    outdir: Path = args.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="vertrouwd-tour-") as temp:
        folder = Path(temp)
        set_up_screen(folder, args.scale)
        return run(folder, outdir, quick=args.quick, only=args.only)


def run(folder: Path, outdir: Path, *, quick: bool, only: list[str]) -> int:
    import keyring

    from app.security.keys import KeyringProvider, generate_recovery_key
    from app.security.vault import create_store
    from app.services.demo import generate
    from app.store.settings import Settings
    from tests.tools.memory_keyring import MemoryKeyring
    from tests.tour import steps
    from tests.tour.driver import Tour
    from ui.main import make_app

    os.environ["HOME"] = str(folder / "home")  # nothing of the tour outside the temp folder
    ring = MemoryKeyring()
    keyring.set_keyring(ring.backend)
    provider = KeyringProvider(trusted=frozenset({ring.name}))
    key = generate_recovery_key()
    data_dir = folder / "data"
    (folder / "backups").mkdir()
    settings = Settings(school=SCHOOL, location="Helmond-Noord", region="zuid",
                        vp_name="M. de Vries (demo)", backup_dir=str(folder / "backups"))
    session = create_store(data_dir, settings, key, key_mode="ask", provider=provider,
                           demo=True)
    generate(session.store, years=1 if quick else 2, seed=1, today=NOW.date())

    app = make_app()
    from PySide6.QtWidgets import QApplication

    from ui.errors import install_store_error_hook
    from ui.main_window import MainWindow

    install_store_error_hook(data_dir)
    window = MainWindow(session, provider, now=lambda: NOW)
    free = QApplication.primaryScreen().availableGeometry()
    window.setGeometry(free.x(), free.y(), free.width(), free.height() - TASKBAR)
    window.show()
    window.activateWindow()  # keys go to the active window, as on a desktop
    scenes = [s for s in steps.SCENES if not only or s.name in only]
    expected = [slug for s in scenes for slug in s.slugs]
    tour = Tour(window, outdir, quick=quick, expected=expected)
    steps.CONTEXT.update(key=key, folder=folder)
    tour.start(scenes, lambda: QApplication.exit(0))
    app.exec()  # type: ignore[attr-defined]
    window.close()
    missing = tour.missing()
    for shot in tour.shots:
        for problem in shot.problems:
            print(f"{shot.png}: does not fit: {problem}", file=sys.stderr)
    print(f"{len(tour.shots)} pictures in {outdir}")
    print("seconds per scene: " + ", ".join(f"{k} {v}" for k, v in tour.timings.items()))
    if steps.PENDING:
        print("waiting for other work: " + ", ".join(sorted(steps.PENDING)))
    if missing:
        for slug, reason in missing.items():
            print(f"NOT REACHED {slug}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
