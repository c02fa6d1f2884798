"""The Windows installer script (packaging/vertrouwd.iss) keeps its promises, checked as text
(Inno Setup only runs on Windows): per-user without administrator rights, the PyInstaller
folder as a whole, Dutch, and an uninstaller that never touches the data folder and says where
it is, the same folder the program uses (platformdirs on Windows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "vertrouwd.iss"


def sections() -> dict[str, list[str]]:
    """Section name (lower case) -> its lines without comments and blank lines."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1).lower()
            found.setdefault(current, [])
            continue
        found.setdefault(current, []).append(line)
    return found


def setup_value(name: str) -> str:
    for line in sections()["setup"]:
        key, _sep, value = line.partition("=")
        if key.strip().lower() == name.lower():
            return value.strip()
    raise AssertionError(f"{name} not in [Setup]")


def test_per_user_by_default_and_all_users_on_request() -> None:
    """Per user needs no administrator; AppLocker's default rules block running programs from
    %LOCALAPPDATA%, so an install for all users in Program Files is offered (dialog or
    /ALLUSERS), and {autopf} follows the choice."""
    assert setup_value("PrivilegesRequired") == "lowest"
    assert setup_value("PrivilegesRequiredOverridesAllowed") == "dialog commandline"
    assert setup_value("DefaultDirName") == r"{autopf}\{#AppName}"
    assert "{commonpf}" not in ISS.read_text(encoding="utf-8")


def test_icon_and_signing_hook() -> None:
    assert setup_value("SetupIconFile") == r"..\resources\icons\vertrouwd.ico"
    assert (ROOT / "resources" / "icons" / "vertrouwd.ico").read_bytes()[:4] == b"\0\0\1\0"
    text = ISS.read_text(encoding="utf-8")
    hook = text[text.index("#ifdef SignToolName"):]
    assert hook.splitlines()[1:4] == ["SignTool={#SignToolName}", "SignedUninstaller=yes",
                                      "#endif"]


def test_the_whole_pyinstaller_folder_is_installed() -> None:
    files = sections()["files"]
    assert any(r'"{#DistDir}\*"' in line and "recursesubdirs" in line for line in files)
    text = ISS.read_text(encoding="utf-8")
    assert r'#define DistDir AddBackslash(SourcePath) + "..\dist\vertrouwd"' in text
    assert '#define GuiExe "vertrouwd-gui.exe"' in text


def test_version_comes_from_a_define() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert "#ifndef AppVersion" in text
    assert setup_value("AppVersion") == "{#AppVersion}"


def test_dutch_start_menu_and_uninstall_entry() -> None:
    assert any('compiler:Languages\\Dutch.isl' in line for line in sections()["languages"])
    icons = sections()["icons"]
    assert any(line.startswith('Name: "{group}\\{#AppName}"') and "{#GuiExe}" in line
               for line in icons)
    assert any("{uninstallexe}" in line for line in icons)


def test_the_uninstaller_leaves_the_data_folder_alone() -> None:
    deletes = sections().get("uninstalldelete", [])
    assert deletes, "an [UninstallDelete] section that only tidies the program folder"
    for line in deletes:
        target = re.search(r'Name:\s*"([^"]+)"', line)
        assert target is not None
        assert target.group(1).startswith("{app}"), line
    code = "\n".join(sections()["code"])
    assert "CurUninstallStepChanged" in code and "usPostUninstall" in code
    assert "DelTree" not in code and "DeleteFile" not in code and "RemoveDir" not in code
    messages = "\n".join(sections()["custommessages"])
    assert "niet aangeraakt" in messages and "NIET verwijderd" in messages


@pytest.mark.parametrize("demo", [False, True])
def test_the_data_folder_named_is_the_one_the_program_uses(
    demo: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app.paths on Windows: platformdirs' user_data_dir("Vertrouwd", appauthor=False,
    roaming=False) = %LOCALAPPDATA%\\Vertrouwd; the demo beside it."""
    from platformdirs import windows

    local = r"C:\Users\vp\AppData\Local"
    monkeypatch.setattr(windows, "get_win_folder",
                        lambda csidl: local if csidl == "CSIDL_LOCAL_APPDATA" else r"C:\x")
    folder = windows.Windows("Vertrouwd", appauthor=False, roaming=False).user_data_dir
    assert folder.replace("/", "\\") == local + r"\Vertrouwd"
    code = "\n".join(sections()["code"])
    name = "Vertrouwd-demo" if demo else "Vertrouwd"
    assert f"ExpandConstant('{{localappdata}}\\{name}')" in code
