"""Issue 12, item 1, window side: saving a sheet or an export goes through the output guard."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_window_save_refuses_the_store(qtbot: object, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from ui.printing import save_bytes

    data = tmp_path / "data"
    data.mkdir()
    store = data / "vertrouwd.db"
    store.write_bytes(b"\x02" * 64)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    parent = QWidget()
    assert not save_bytes(parent, store, b"%PDF-1.4 sheet")
    assert not save_bytes(parent, data / "herstelblad.pdf", b"%PDF-1.4 sheet")
    assert store.read_bytes() == b"\x02" * 64 and len(shown) == 2
    assert save_bytes(parent, tmp_path / "herstelblad.pdf", b"%PDF-1.4 sheet")
