"""Is the data folder a safe place for the store? Network drives, synced folders, FAT sticks.

SQLite's locking is unreliable on network drives, a sync client (OneDrive, SharePoint,
Dropbox) may copy a half-written file, and FAT/exFAT has no permissions at all and loses files
when a stick is pulled out (QUALITY R18). `location_risks` answers with codes:

- `network`: a UNC path, a mapped or remote drive (`GetDriveTypeW` = DRIVE_REMOTE), a roaming
  FSLogix profile container (registry), or a network file system in /proc/mounts;
- `synced`: under a OneDrive folder (its environment variables), a SharePoint library synced by
  OneDrive (the mount points in the registry), or a path naming a sync client;
- `fat`: a FAT/exFAT volume (`GetVolumeInformationW`, or vfat/exfat in /proc/mounts).

It is asked at set-up and each time the window opens (the overview shows the warning). Every
lookup is best effort: an API or registry that fails means "no risk found", never an error.
"""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath

from app.i18n import _

IS_WINDOWS = os.name == "nt"
DRIVE_REMOTE = 4
SYNCED_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "nextcloud",
                  "owncloud", "box sync", "sharepoint")
NETWORK_FS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "davfs", "fuse.rclone"}
FAT_FS = {"vfat", "exfat", "msdos", "fat", "fat32"}
MOUNTS = Path("/proc/mounts")
ONEDRIVE_VARIABLES = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def _under(folder: str, root: str) -> bool:
    a, b = folder.replace("\\", "/").lower().rstrip("/"), root.replace("\\", "/").lower()
    b = b.rstrip("/")
    return bool(b) and (a == b or a.startswith(b + "/"))


# -- Windows -----------------------------------------------------------------------------------
def drive_type(root: str) -> int | None:
    """`GetDriveTypeW` for a drive root such as `H:\\`, or None off Windows or on failure."""
    if not IS_WINDOWS:
        return None
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]
    except Exception:
        return None


def filesystem_name(root: str) -> str | None:
    """`GetVolumeInformationW`'s file-system name (NTFS, FAT32, exFAT), or None."""
    if not IS_WINDOWS:
        return None
    try:
        import ctypes

        name = ctypes.create_unicode_buffer(64)
        ok = ctypes.windll.kernel32.GetVolumeInformationW(  # type: ignore[attr-defined]
            root, None, 0, None, None, None, name, len(name))
        return name.value if ok else None
    except Exception:
        return None


def sharepoint_mount_points() -> list[str]:
    """Folders OneDrive syncs from SharePoint or Teams (HKCU\\Software\\SyncEngines)."""
    if not IS_WINDOWS:
        return []
    found: list[str] = []
    try:
        import winreg

        base = r"Software\SyncEngines\Providers\OneDrive"
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, base) as providers:  # type: ignore[attr-defined]
            index = 0
            while True:
                try:
                    name = winreg.EnumKey(providers, index)  # type: ignore[attr-defined]
                except OSError:
                    break
                index += 1
                try:
                    with winreg.OpenKey(providers, name) as entry:  # type: ignore[attr-defined]
                        value, _kind = winreg.QueryValueEx(entry, "MountPoint")  # type: ignore[attr-defined]
                        if isinstance(value, str) and value:
                            found.append(value)
                except OSError:
                    continue
    except Exception:
        return found
    return found


def fslogix_profile() -> bool:
    """True when FSLogix keeps the user profile in a container on a file share."""
    if not IS_WINDOWS:
        return False
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\FSLogix\Profiles") as key:  # type: ignore[attr-defined]
            value, _kind = winreg.QueryValueEx(key, "Enabled")  # type: ignore[attr-defined]
            return bool(int(value))
    except Exception:
        return False


def _windows_risks(text: str) -> set[str]:
    risks: set[str] = set()
    root = PureWindowsPath(text).anchor
    if root.startswith("\\\\"):
        risks.add("network")
    elif root:
        if drive_type(root) == DRIVE_REMOTE:
            risks.add("network")
        if (filesystem_name(root) or "").lower() in FAT_FS:
            risks.add("fat")
    for variable in ONEDRIVE_VARIABLES:
        if _under(text, os.environ.get(variable, "")):
            risks.add("synced")
    if any(_under(text, mount) for mount in sharepoint_mount_points()):
        risks.add("synced")
    profile = os.environ.get("USERPROFILE", "")
    if profile and _under(text, profile) and fslogix_profile():
        risks.add("network")
    return risks


# -- elsewhere ---------------------------------------------------------------------------------
def _mount_type(folder: Path) -> str:
    """The file-system type of the deepest mount point holding `folder` (/proc/mounts)."""
    try:
        mounts = MOUNTS.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    resolved = str(folder.absolute())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1]
        if (mount == "/" or _under(resolved, mount)) and len(mount) > len(best):
            best, kind = mount, parts[2]
    return kind


def location_risks(folder: Path) -> frozenset[str]:
    """The risks of keeping the store in `folder` (see the module docstring)."""
    text = str(folder)
    lowered = text.replace("\\", "/").lower()
    risks: set[str] = set()
    if lowered.startswith("//") or lowered.startswith("/mnt/smb") or lowered.startswith(
            "/run/user/"):
        risks.add("network")
    if any(marker in lowered for marker in SYNCED_MARKERS):
        risks.add("synced")
    if IS_WINDOWS:
        risks |= _windows_risks(text)
    else:
        kind = _mount_type(folder)
        if kind in NETWORK_FS:
            risks.add("network")
        if kind in FAT_FS:
            risks.add("fat")
    return frozenset(risks)


def risk_message(risks: frozenset[str]) -> str:
    """One Dutch paragraph for the risks found ("" when none)."""
    parts = []
    if "network" in risks or "synced" in risks:
        parts.append(_("The data file is in a network or cloud folder. Keep the data file on "
                       "this computer and put only backups there."))
    if "fat" in risks:
        parts.append(_("The data file is on a FAT or exFAT drive (often a USB stick): such a "
                       "drive cannot protect the file with permissions, and a stick pulled out "
                       "while Vertrouwd writes can damage it. Keep the data file on this "
                       "computer."))
    return " ".join(parts)
