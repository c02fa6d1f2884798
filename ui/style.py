"""Calm, readable looks shared by every window: one light palette, one style sheet and a few
widget helpers.

The palette is explicit: Windows 11 in dark mode hands Qt a dark palette, and our light
backgrounds (the recovery key, warnings) would then carry white text. Every colour pair a
widget uses is set here, so the program looks the same in light and dark mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
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
             color: #102030; background: #f4f7fa; border: 1px solid #b8c6d4;
             border-radius: 4px; padding: 10px; }
QWidget#cover { background: #eef2f5; color: #1b1f24; }
QLabel#coverTitle { font-size: 20pt; color: #1f3b57; }
QListWidget::item, QTreeWidget::item { padding: 3px; }
"""


# (role, colour) for the active and inactive groups; disabled text is set apart below.
LIGHT = {
    QPalette.ColorRole.Window: "#f3f4f6",
    QPalette.ColorRole.WindowText: "#1b1f24",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f0f3f6",
    QPalette.ColorRole.Text: "#1b1f24",
    QPalette.ColorRole.PlaceholderText: "#6a737d",
    QPalette.ColorRole.Button: "#e9ecef",
    QPalette.ColorRole.ButtonText: "#1b1f24",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#fffbe6",
    QPalette.ColorRole.ToolTipText: "#1b1f24",
    QPalette.ColorRole.Highlight: "#2f6fb0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1f5fa0",
    QPalette.ColorRole.LinkVisited: "#6a3fa0",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#e2e6ea",
    QPalette.ColorRole.Mid: "#b8c0c8",
    QPalette.ColorRole.Dark: "#8a949e",
    QPalette.ColorRole.Shadow: "#50585f",
}
DISABLED_TEXT = "#8a929a"


def light_palette() -> QPalette:
    palette = QPalette()
    for role, colour in LIGHT.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    return palette


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: do not follow the system's dark mode
        hints.setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(light_palette())
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
