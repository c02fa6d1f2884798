"""The message-box recorder of the window tests cannot be fooled: an error nobody expected
fails, an expected one is taken with its text (tests/tools/message_boxes.py)."""

from __future__ import annotations

import pytest

from tests.tools.message_boxes import MessageBoxes


def test_an_unexpected_error_fails_and_a_taken_one_passes(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    boxes = MessageBoxes(monkeypatch)
    QMessageBox.critical(None, "Vertrouwd", "Het gegevensbestand is beschadigd.")
    QMessageBox.information(None, "Vertrouwd", "Opgeslagen.")
    with pytest.raises(AssertionError, match="beschadigd"):
        boxes.check()
    QMessageBox.warning(None, "Vertrouwd", "De map bestaat niet.")
    assert boxes.take("warning") == "De map bestaat niet."
    boxes.check()
    assert QMessageBox.question(None, "Vertrouwd", "Zeker?") == QMessageBox.StandardButton.No
    with pytest.raises(AssertionError, match="no critical"):
        boxes.take("critical")
