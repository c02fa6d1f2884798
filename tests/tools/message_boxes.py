"""Message boxes in window tests: recorded, answered, and never silently swallowed.

`boxes = MessageBoxes(monkeypatch)` replaces QMessageBox's static dialogs (no real modal
dialog can block a test). Every call is recorded as `Shown(kind, title, text)`; `question`
is answered with `boxes.answer` (No unless a test says otherwise). A test that expects a warning
or an error says so with `boxes.take("warning")`, which returns its text to assert on; at the
end, `boxes.check()` fails the test on every error or warning nobody took: an error dialog
that shows up unexpectedly is a failure, not a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

KINDS = ("critical", "warning", "information", "about", "question")
MUST_BE_TAKEN = ("critical", "warning")


@dataclass
class Shown:
    kind: str
    title: str
    text: str


@dataclass
class MessageBoxes:
    monkeypatch: pytest.MonkeyPatch
    shown: list[Shown] = field(default_factory=list)
    answer: Any = None

    def __post_init__(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.answer is None:
            self.answer = QMessageBox.StandardButton.No
        for kind in KINDS:
            self.monkeypatch.setattr(QMessageBox, kind, staticmethod(self._recorder(kind)))

    def _recorder(self, kind: str) -> Any:
        from PySide6.QtWidgets import QMessageBox

        def show(_parent: Any = None, title: str = "", text: str = "", *_a: Any,
                 **_k: Any) -> Any:
            self.shown.append(Shown(kind, str(title), str(text)))
            if kind == "question":
                return self.answer
            return QMessageBox.StandardButton.Ok

        return show

    def texts(self, kind: str) -> list[str]:
        return [s.text for s in self.shown if s.kind == kind]

    def take(self, kind: str) -> str:
        """The text of the first `kind` dialog shown, removed from the record (asserts one)."""
        for index, item in enumerate(self.shown):
            if item.kind == kind:
                del self.shown[index]
                return item.text
        raise AssertionError(f"no {kind} dialog was shown; shown: {self.shown}")

    def check(self) -> None:
        left = [s for s in self.shown if s.kind in MUST_BE_TAKEN]
        self.shown = [s for s in self.shown if s.kind not in MUST_BE_TAKEN]
        assert not left, f"unexpected dialogs: {left}"
