"""The Windows workflow (.github/workflows/windows.yml) is valid YAML and does what the issue
asks: install, run the unit/integration/UI tests on windows-latest, build the PyInstaller
folder, run the frozen self-check and a frozen demo start, compile and upload the installer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def _load() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_valid_yaml_on_windows_latest() -> None:
    data = _load()
    assert {"test", "build"} <= set(data["jobs"])
    for job in data["jobs"].values():
        assert job["runs-on"] == "windows-latest"
        assert all("uses" in step or "run" in step for step in job["steps"])


def test_the_tests_run_there() -> None:
    test = _load()["jobs"]["test"]
    runs = _runs(test)
    assert 'pip install -e ".[test]"' in runs
    for folder in ("tests/unit", "tests/integration", "tests/ui", "tests/windows"):
        assert folder in runs


def test_build_self_check_demo_installer_artifact() -> None:
    build = _load()["jobs"]["build"]
    assert build["needs"] == "test"
    runs = _runs(build)
    assert "pyinstaller packaging\\vertrouwd.spec" in runs
    assert "vertrouwd.exe self-check" in runs
    assert "vertrouwd-gui.exe" in runs and " demo" in runs
    assert "packaging\\vertrouwd.iss" in runs
    uploads = [s for s in build["steps"] if str(s.get("uses", "")).startswith(
        "actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "dist/installer/*.exe"


def test_signing_only_with_a_configured_certificate() -> None:
    build = _load()["jobs"]["build"]
    signing = [s for s in build["steps"] if "sign" in str(s.get("name", "")).lower()]
    assert signing and all(s.get("if") == "env.SIGN_CERT_PFX_BASE64 != ''" for s in signing)


def test_the_linux_ci_is_kept() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m pytest" in ci and "ruff check ." in ci and "\nmypy\n" in ci
