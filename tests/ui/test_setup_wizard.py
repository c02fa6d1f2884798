"""The first-run wizard, driven with pytest-qt: it can be completed, it guards its pages, and
nothing is written before Finish."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from app.config import load_config
from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key, normalize_recovery_key
from app.security.vault import create_store, unlock
from app.store.settings import Settings, load_settings
from tests.integration._support import files_containing
from ui.wizards.setup import SetupWizard


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A modal box would hang the test: record what would have been shown instead."""
    shown: list[tuple[str, str]] = []

    def record(kind: str):
        def show(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return shown


def _wizard(qtbot, data_dir: Path, provider=None) -> SetupWizard:
    wizard = SetupWizard(data_dir, provider or MemoryProvider())
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _next_enabled(wizard: SetupWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def _to_confirm_page(wizard: SetupWizard, school: str = "Basisschool De Regenboog") -> None:
    wizard.next()  # intro -> school
    assert wizard.currentPage() is wizard.school_page
    wizard.school_page.school.setText(school)
    wizard.school_page.location.setText("Stiphout")
    wizard.school_page.vp_name.setText("PLANTED-NAME-XYZ")
    wizard.next()  # -> storage
    assert wizard.currentPage() is wizard.storage_page
    wizard.next()  # -> key mode
    assert wizard.currentPage() is wizard.key_page
    wizard.next()  # -> recovery key
    assert wizard.currentPage() is wizard.sheet_page
    assert wizard.sheet_page.key_label.text() == wizard.recovery_key
    assert not _next_enabled(wizard)  # the "printed" box is not ticked yet
    wizard.sheet_page.done_box.setChecked(True)
    assert _next_enabled(wizard)
    wizard.next()  # -> confirm
    assert wizard.currentPage() is wizard.confirm_page


def _type_groups(wizard: SetupWizard, first: str | None = None, second: str | None = None) -> None:
    groups = wizard.recovery_key.split("-")
    a, b = wizard.confirm_groups
    wizard.confirm_page.first.setText(groups[a] if first is None else first)
    wizard.confirm_page.second.setText(groups[b] if second is None else second)


def _click_next(wizard: SetupWizard) -> None:
    """What the VP can do: click Next (a disabled button ignores the click)."""
    wizard.button(QWizard.WizardButton.NextButton).click()


def _finish(wizard: SetupWizard) -> bool:
    button = wizard.button(QWizard.WizardButton.FinishButton)
    if not button.isEnabled():
        return False
    button.click()
    return True


def test_wizard_can_be_completed(qtbot, tmp_path: Path, no_message_boxes) -> None:
    data_dir = tmp_path / "data"
    provider = MemoryProvider()
    wizard = _wizard(qtbot, data_dir, provider)
    key = wizard.recovery_key
    assert normalize_recovery_key(key) == key
    a, b = wizard.confirm_groups
    assert 0 <= a < b < 6
    _to_confirm_page(wizard)
    assert not data_dir.exists() or not store_path(data_dir).exists()  # nothing written yet
    _type_groups(wizard)
    assert wizard.confirm_page.isComplete()
    assert _finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert no_message_boxes == []

    session = wizard.session
    assert session is not None
    assert session.store.conn is not None  # the session is open
    assert session.key == key
    settings = load_settings(session.store)
    assert settings.school == "Basisschool De Regenboog"
    assert settings.location == "Stiphout"
    assert settings.vp_name == "PLANTED-NAME-XYZ"
    assert store_path(data_dir).exists()
    config = load_config(data_dir)
    assert config is not None and config.key_mode == "keyring"
    assert provider.keys == {config.store_id: key}
    session.lock()
    unlock(data_dir, provider).lock()  # remembered: opens without typing
    assert files_containing(tmp_path, key) == []


def test_wizard_in_ask_mode_with_lowercase_groups(qtbot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    provider = MemoryProvider(available=False)
    wizard = _wizard(qtbot, data_dir, provider)
    _to_confirm_page(wizard)
    assert wizard.key_mode() == "ask"
    groups = wizard.recovery_key.split("-")
    a, b = wizard.confirm_groups
    _type_groups(wizard, f" {groups[a].lower()} ", groups[b].lower())
    assert _finish(wizard)
    assert wizard.session is not None
    assert wizard.session.config.key_mode == "ask"
    wizard.session.lock()
    unlock(data_dir, provider, wizard.recovery_key).lock()


def test_next_is_disabled_until_the_school_is_named(qtbot, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, tmp_path / "data")
    wizard.next()
    assert wizard.currentPage() is wizard.school_page
    assert not _next_enabled(wizard)
    wizard.school_page.school.setText("X")
    assert _next_enabled(wizard)
    wizard.school_page.school.setText("")
    assert not _next_enabled(wizard)
    _click_next(wizard)
    assert wizard.currentPage() is wizard.school_page  # did not move
    wizard.school_page.school.setText("Y")
    _click_next(wizard)
    assert wizard.currentPage() is wizard.storage_page


def test_confirm_page_stays_incomplete_with_wrong_groups(qtbot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    wizard = _wizard(qtbot, data_dir)
    _to_confirm_page(wizard)
    groups = wizard.recovery_key.split("-")
    a, b = wizard.confirm_groups
    other = next(g for i, g in enumerate(groups) if i not in (a, b))
    for first, second in (("", ""), (groups[a], ""), (groups[a], other), (groups[b], groups[a]),
                          (groups[a][:-1], groups[b]), (other, groups[b])):
        if first == groups[a] and second == groups[b]:
            continue
        _type_groups(wizard, first, second)
        assert not wizard.confirm_page.isComplete(), (first, second)
        assert not _finish(wizard)
    assert not store_path(data_dir).exists()
    assert wizard.session is None
    _type_groups(wizard)
    assert wizard.confirm_page.isComplete()


def test_folder_with_a_store_blocks_the_storage_page(qtbot, tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    key = generate_recovery_key()
    create_store(taken, Settings(school="Er Al"), key, key_mode="ask",
                 provider=MemoryProvider()).lock()
    before = store_path(taken).read_bytes()
    wizard = _wizard(qtbot, tmp_path / "fresh")
    wizard.next()
    wizard.school_page.school.setText("Nieuw")
    wizard.next()
    page = wizard.storage_page
    assert wizard.currentPage() is page
    assert page.isComplete() and _next_enabled(wizard)
    page.folder.setText(str(taken))
    assert not page.isComplete()
    assert not _next_enabled(wizard)
    assert page.notice.isVisibleTo(wizard)
    _click_next(wizard)
    assert wizard.currentPage() is page
    page.folder.setText(str(tmp_path / "fresh"))
    assert page.isComplete() and _next_enabled(wizard)
    assert store_path(taken).read_bytes() == before


def test_finish_refuses_when_a_store_appeared_meanwhile(qtbot, tmp_path: Path,
                                                          no_message_boxes) -> None:
    """Someone made a store in the folder after the storage page: Finish must not replace it."""
    data_dir = tmp_path / "data"
    wizard = _wizard(qtbot, data_dir)
    _to_confirm_page(wizard)
    _type_groups(wizard)
    other_key = generate_recovery_key()
    create_store(data_dir, Settings(school="Eerder"), other_key, key_mode="ask",
                 provider=MemoryProvider()).lock()
    before = store_path(data_dir).read_bytes()
    _finish(wizard)
    assert wizard.session is None
    assert wizard.result() != QWizard.DialogCode.Accepted
    assert [kind for kind, _text in no_message_boxes] == ["warning"]
    assert store_path(data_dir).read_bytes() == before
    unlock(data_dir, MemoryProvider(), other_key).lock()
