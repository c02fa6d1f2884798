"""Where the data folder is: `--data-dir`, else `VERTROUWD_HOME`, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

STORE_NAME = "vertrouwd.db"
CONFIG_NAME = "vertrouwd.json"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Vertrouwd", appauthor=False, roaming=False))


def demo_data_dir() -> Path:
    """The demo store lives beside the normal one, never in it."""
    normal = default_data_dir()
    return normal.parent / (normal.name + "-demo")


def resolve_data_dir(cli_value: str | None, *, demo: bool = False) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().absolute()
    env = os.environ.get("VERTROUWD_HOME")
    if env and not demo:
        return Path(env).expanduser().absolute()
    if env and demo:
        return Path(env).expanduser().absolute().parent / (Path(env).name + "-demo")
    return demo_data_dir() if demo else default_data_dir()


def drive_present(folder: Path) -> bool:
    """False when the drive of `folder` is gone (a USB stick pulled out): not a first run."""
    return not folder.anchor or Path(folder.anchor).exists()


def store_path(data_dir: Path) -> Path:
    return data_dir / STORE_NAME


def config_path(data_dir: Path) -> Path:
    return data_dir / CONFIG_NAME


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) readable by the owner only."""
    from app.winfs import protect

    folder.mkdir(parents=True, exist_ok=True)
    protect(folder, folder=True)


def shared_or_synced(folder: Path) -> bool:
    """True when `folder` is a network share or a cloud-synced folder (QUALITY R18)."""
    from app.storage_location import location_risks

    return bool(location_risks(folder) & {"network", "synced"})
