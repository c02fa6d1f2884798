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


def store_path(data_dir: Path) -> Path:
    return data_dir / STORE_NAME


def config_path(data_dir: Path) -> Path:
    return data_dir / CONFIG_NAME


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) readable by the owner only."""
    from app.winfs import protect

    folder.mkdir(parents=True, exist_ok=True)
    protect(folder, folder=True)


SYNCED_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "nextcloud",
                  "owncloud", "box sync", "sharepoint")


def shared_or_synced(folder: Path) -> bool:
    """True when `folder` looks like a network share or a cloud-synced folder (QUALITY R18).

    SQLite's locking is unreliable there and a sync client may copy a half-written file.
    """
    text = str(folder).replace("\\", "/").lower()
    if text.startswith("//") or text.startswith("/mnt/smb") or text.startswith("/run/user/"):
        return True
    if any(marker in text for marker in SYNCED_MARKERS):
        return True
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    best, kind = "", ""
    resolved = str(folder.absolute())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind in {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "davfs", "fuse.rclone"}
