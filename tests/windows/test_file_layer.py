"""Windows file semantics simulated on any system: a scanner or viewer holding a file (winerror
32/33/5) is waited out, then reported in Dutch; owner-only ACLs are set with icacls."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path, PureWindowsPath
from typing import Any

import pytest

from app import winfs


def _held(winerror: int) -> PermissionError:
    error = PermissionError(errno.EACCES, "The process cannot access the file")
    error.winerror = winerror  # type: ignore[attr-defined]
    return error


class Flaky:
    """`os.replace`/`os.unlink` that another program blocks for the first `times` calls."""

    def __init__(self, real: Any, times: int, winerror: int = 32) -> None:
        self.real, self.times, self.winerror, self.calls = real, times, winerror, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.calls <= self.times:
            raise _held(self.winerror)
        return self.real(*args)


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(winfs.time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize("winerror", [32, 33, 5])
def test_replace_waits_out_a_file_held_briefly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_wait: list[float], winerror: int
) -> None:
    source, target = tmp_path / "new", tmp_path / "old"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    flaky = Flaky(os.replace, 3, winerror)
    monkeypatch.setattr(winfs.os, "replace", flaky)
    winfs.replace(source, target)
    assert target.read_bytes() == b"new" and not source.exists()
    assert flaky.calls == 4 and len(no_wait) == 3


def test_replace_held_too_long_says_so_in_dutch_and_touches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_wait: list[float]
) -> None:
    source, target = tmp_path / "new", tmp_path / "verslag.pdf"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    monkeypatch.setattr(winfs.os, "replace", Flaky(os.replace, 1000))
    with pytest.raises(winfs.FileInUseError) as caught:
        winfs.replace(source, target)
    assert "verslag.pdf" in str(caught.value.strerror)
    assert "geopend in een ander programma" in str(caught.value.strerror)
    assert target.read_bytes() == b"old" and source.read_bytes() == b"new"
    assert 1.5 <= sum(no_wait) <= 3.5  # about two seconds of patience, no more


def test_other_errors_are_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_wait: list[float]
) -> None:
    def full(*_: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(winfs.os, "replace", full)
    with pytest.raises(OSError) as caught:
        winfs.replace(tmp_path / "a", tmp_path / "b")
    assert caught.value.errno == errno.ENOSPC and no_wait == []


def test_unlink_retries_and_accepts_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_wait: list[float]
) -> None:
    path = tmp_path / "stale.partial"
    path.write_bytes(b"x")
    monkeypatch.setattr(winfs.os, "unlink", Flaky(os.unlink, 2, 32))
    winfs.unlink(path)
    assert not path.exists()
    winfs.unlink(path)  # already gone: fine
    with pytest.raises(FileNotFoundError):
        winfs.unlink(path, missing_ok=False)


def test_a_plain_permission_error_off_windows_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_wait: list[float]
) -> None:
    def denied(*_: Any) -> None:
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(winfs, "IS_WINDOWS", False)
    monkeypatch.setattr(winfs.os, "replace", denied)
    with pytest.raises(PermissionError) as caught:
        winfs.replace(tmp_path / "a", tmp_path / "b")
    assert not isinstance(caught.value, winfs.FileInUseError) and no_wait == []


# -- owner-only ACLs ---------------------------------------------------------------------------
class FakeWindowsCommands:
    def __init__(self, user: str, sid: str, icacls_rc: int = 0) -> None:
        self.user, self.sid, self.icacls_rc = user, sid, icacls_rc
        self.calls: list[list[str]] = []

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        self.calls.append(command)
        assert kwargs.get("creationflags") == winfs.CREATE_NO_WINDOW  # no console flash
        if command[0] == "whoami":
            line = f'"{self.user}","{self.sid}"\r\n'.encode()
            return subprocess.CompletedProcess(command, 0, line, b"")
        return subprocess.CompletedProcess(command, self.icacls_rc, b"", b"")


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeWindowsCommands:
    fake = FakeWindowsCommands("SCHOOL\\jöran.van.der.ƶee", "S-1-5-21-111-222-333-1001")
    monkeypatch.setattr(winfs, "IS_WINDOWS", True)
    monkeypatch.setattr(winfs.subprocess, "run", fake)
    winfs.current_user_sid.cache_clear()
    yield fake
    winfs.current_user_sid.cache_clear()


@pytest.mark.parametrize(
    "folder",
    [PureWindowsPath("C:/Vertrouwd"), PureWindowsPath("//fileserver/home$/jöran/Vertrouwd"),
     PureWindowsPath("C:/Users/Jöran Ünal/AppData/Local/Vertrouwd")],
)
def test_data_folder_gets_a_protected_acl_for_owner_and_system(
    windows: FakeWindowsCommands, folder: PureWindowsPath
) -> None:
    assert winfs.protect(folder, folder=True)
    assert windows.calls[0][0] == "whoami"
    assert windows.calls[-1] == [
        "icacls", str(folder), "/inheritance:r",
        "/grant:r", "*S-1-5-21-111-222-333-1001:(OI)(CI)F",
        "/grant:r", "*S-1-5-18:(OI)(CI)F",
    ]


def test_a_file_gets_the_same_without_inheritance_flags_and_the_sid_is_asked_once(
    windows: FakeWindowsCommands,
) -> None:
    store = PureWindowsPath("D:/Vertrouwd/vertrouwd.db")
    assert winfs.protect(store, folder=False)
    assert winfs.protect(store, folder=False)
    assert [c[0] for c in windows.calls] == ["whoami", "icacls", "icacls"]
    assert windows.calls[-1][-4:] == [
        "/grant:r", "*S-1-5-21-111-222-333-1001:F", "/grant:r", "*S-1-5-18:F",
    ]


def test_icacls_failure_is_reported_not_raised(windows: FakeWindowsCommands) -> None:
    windows.icacls_rc = 5
    assert winfs.protect(PureWindowsPath("E:/"), folder=True) is False


def test_make_private_dir_protects_the_folder_it_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.paths import make_private_dir

    seen: list[tuple[Path, bool]] = []
    monkeypatch.setattr(winfs, "protect", lambda p, *, folder: seen.append((p, folder)) or True)
    make_private_dir(tmp_path / "data")
    assert (tmp_path / "data").is_dir() and seen == [(tmp_path / "data", True)]


def test_off_windows_protect_is_chmod(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir(mode=0o777)
    assert winfs.protect(folder, folder=True)
    assert folder.stat().st_mode & 0o777 == 0o700
