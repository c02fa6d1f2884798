"""Save dialogs start in Documents, not in the program folder; a file with pupil data headed
for OneDrive or a network drive is confirmed first; a PDF still open in a viewer is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import winfs
from ui import printing


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _answers(monkeypatch: pytest.MonkeyPatch, *paths: str) -> list[str]:
    asked: list[str] = []
    queue = list(paths)

    def dialog(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return (queue.pop(0) if queue else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    return asked


def test_the_dialog_starts_in_documents(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked = _answers(monkeypatch, str(tmp_path / "blad"))
    chosen = printing.ask_pdf_path(parent, "Opslaan", "herstelblad-vertrouwd.pdf", personal=True)
    assert chosen == tmp_path / "blad.pdf"
    assert asked == [str(printing.documents_folder() / "herstelblad-vertrouwd.pdf")]
    assert Path(asked[0]).parent != Path.cwd()


def test_a_synced_folder_is_confirmed_for_personal_files(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    synced = tmp_path / "OneDrive - School" / "inzage.pdf"
    local = tmp_path / "Documenten" / "inzage.pdf"
    asked = _answers(monkeypatch, str(synced), str(local))
    warnings: list[str] = []

    def warn(_parent: Any, _title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        warnings.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warn))
    assert printing.ask_pdf_path(parent, "Opslaan", "inzage.pdf", personal=True) == local
    assert len(asked) == 2 and len(warnings) == 1 and "cloud" in warnings[0]
    # The anonymous annual report may go there without a question.
    _answers(monkeypatch, str(synced))
    assert printing.ask_pdf_path(parent, "Opslaan", "jaarverslag.pdf", personal=False) == synced
    assert len(warnings) == 1


def test_a_pdf_open_in_a_viewer_is_named_not_called_a_folder_problem(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "jaarverslag.pdf"

    def held(path: Path, data: bytes, **_k: Any) -> None:
        raise winfs.FileInUseError(path)

    shown: list[str] = []
    monkeypatch.setattr(printing, "write_atomic", held)
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: shown.append(text)))
    assert printing.save_bytes(parent, target, b"%PDF-1.4\n") is False
    assert shown and "jaarverslag.pdf" in shown[0] and "ander programma" in shown[0]
