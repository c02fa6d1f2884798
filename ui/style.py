"""Calm, readable looks shared by every window: one style sheet and a few widget helpers."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QWidget

STYLE = """
QWidget { font-size: 10.5pt; }
QLabel#title { font-size: 15pt; font-weight: 600; color: #1f3b57; }
QLabel#subtitle { color: #4a5a6a; }
QLabel#warning { background: #fff4e0; border: 1px solid #e0b060; border-radius: 4px;
                 padding: 6px; color: #5a3d00; }
QLabel#error { background: #fdecea; border: 1px solid #e0a0a0; border-radius: 4px;
               padding: 6px; color: #7a1010; }
QLabel#key { font-family: monospace; font-size: 18pt; font-weight: 600; letter-spacing: 1px;
             background: #f4f7fa; border: 1px solid #b8c6d4; border-radius: 4px; padding: 10px; }
QWidget#cover { background: #eef2f5; }
QLabel#coverTitle { font-size: 20pt; color: #1f3b57; }
QListWidget::item, QTreeWidget::item { padding: 3px; }
"""


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE)


def label(text: str, name: str = "", wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    widget.setWordWrap(wrap)
    if name:
        widget.setObjectName(name)
    return widget


def scroll_area(content: QWidget) -> QScrollArea:
    """`content` in a frameless scroll area that resizes with the page."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
