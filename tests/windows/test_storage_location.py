"""Where the store lives, judged as Windows sees it (drive type, file system, OneDrive and
SharePoint folders, FSLogix profiles) and as Linux does (/proc/mounts); the overview warns on
every open, not only at set-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import storage_location as loc
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import create_store
from app.store.settings import Settings


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(loc, "IS_WINDOWS", True)
    drives = {"C:\\": 3, "H:\\": loc.DRIVE_REMOTE, "E:\\": 2}
    systems = {"C:\\": "NTFS", "H:\\": "NTFS", "E:\\": "exFAT"}
    monkeypatch.setattr(loc, "drive_type", lambda root: drives.get(root))
    monkeypatch.setattr(loc, "filesystem_name", lambda root: systems.get(root))
    monkeypatch.setattr(loc, "sharepoint_mount_points",
                        lambda: ["C:\\Users\\Jöran\\Stichting Scholen\\Leerlingzaken - Documenten"])
    monkeypatch.setattr(loc, "fslogix_profile", lambda: False)
    for name in loc.ONEDRIVE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OneDriveCommercial", "C:\\Users\\Jöran\\OneDrive - Stichting Scholen")
    monkeypatch.setenv("USERPROFILE", "C:\\Users\\Jöran")
    return monkeypatch


@pytest.mark.parametrize(
    ("folder", "risks"),
    [
        ("C:\\Users\\Jöran\\AppData\\Local\\Vertrouwd", set()),
        ("C:\\Vertrouwd", set()),
        ("H:\\Vertrouwd", {"network"}),  # a mapped home drive
        ("\\\\fileserver\\home$\\joran\\Vertrouwd", {"network"}),
        ("E:\\Vertrouwd", {"fat"}),  # a USB stick
        ("C:\\Users\\Jöran\\OneDrive - Stichting Scholen\\Vertrouwd", {"synced"}),
        ("C:\\Users\\Jöran\\Stichting Scholen\\Leerlingzaken - Documenten\\VP", {"synced"}),
    ],
)
def test_windows_locations(windows: pytest.MonkeyPatch, folder: str, risks: set[str]) -> None:
    assert set(loc.location_risks(Path(folder))) == risks


def test_an_fslogix_profile_is_a_network_disk(windows: pytest.MonkeyPatch) -> None:
    windows.setattr(loc, "fslogix_profile", lambda: True)
    assert loc.location_risks(Path("C:\\Users\\Jöran\\AppData\\Local\\Vertrouwd")) == {"network"}
    assert loc.location_risks(Path("C:\\Vertrouwd")) == frozenset()


def test_a_failing_windows_api_means_no_risk_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loc, "IS_WINDOWS", True)  # ctypes.windll does not exist here
    for name in loc.ONEDRIVE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert loc.location_risks(Path("D:\\Vertrouwd")) == frozenset()


def test_linux_mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "//nas/home /mnt/home cifs rw 0 0\n"
        "/dev/sdb1 /media/stick vfat rw 0 0\n", encoding="utf-8")
    monkeypatch.setattr(loc, "IS_WINDOWS", False)
    monkeypatch.setattr(loc, "MOUNTS", mounts)
    assert loc.location_risks(Path("/home/vp/.local/share/Vertrouwd")) == frozenset()
    assert loc.location_risks(Path("/mnt/home/vp/Vertrouwd")) == {"network"}
    assert loc.location_risks(Path("/media/stick/Vertrouwd")) == {"fat"}
    assert loc.location_risks(Path("/media/sticky/Vertrouwd")) == frozenset()


def test_the_messages_are_dutch() -> None:
    assert "netwerk- of cloudmap" in loc.risk_message(frozenset({"synced"}))
    assert "USB-stick" in loc.risk_message(frozenset({"fat"}))
    assert loc.risk_message(frozenset()) == ""


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from ui.main_window import MainWindow

    mounts = tmp_path / "mounts"  # the data folder is on a FAT stick
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 {tmp_path} vfat rw 0 0\n",
                      encoding="utf-8")
    monkeypatch.setattr(loc, "IS_WINDOWS", False)
    monkeypatch.setattr(loc, "MOUNTS", mounts)
    session = create_store(tmp_path / "data", Settings(school="Stickschool"),
                           generate_recovery_key(), key_mode="ask", provider=MemoryProvider())
    win = MainWindow(session, MemoryProvider())
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_the_overview_warns_each_time_the_window_opens(window: Any) -> None:
    from ui.views.dashboard import DashboardView

    view = window.findChild(DashboardView)
    assert view is not None
    view.refresh()
    assert "FAT- of exFAT-schijf" in view.backup_label.text()
    assert view.backup_label.objectName() == "warning"
