"""Windows 11 dark mode hands Qt a dark palette: the program's own light palette wins, so the
recovery key is never white on near-white (ui/style.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ui.style import apply_style, label

R = QPalette.ColorRole


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(
        colour.blue()
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def dark_system(qapp: QApplication) -> Iterator[QApplication]:
    before_palette, before_sheet = qapp.palette(), qapp.styleSheet()
    dark = QPalette()
    for role, colour in {R.Window: "#202020", R.WindowText: "#ffffff", R.Base: "#2b2b2b",
                         R.Text: "#ffffff", R.Button: "#333333", R.ButtonText: "#ffffff",
                         R.ToolTipBase: "#2b2b2b", R.ToolTipText: "#ffffff"}.items():
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    yield qapp
    qapp.setPalette(before_palette)
    qapp.setStyleSheet(before_sheet)


def test_every_colour_pair_is_readable_after_a_dark_system_palette(
    dark_system: QApplication,
) -> None:
    apply_style(dark_system)
    palette = dark_system.palette()
    for back, fore in ((R.Window, R.WindowText), (R.Base, R.Text), (R.Button, R.ButtonText),
                       (R.ToolTipBase, R.ToolTipText), (R.Highlight, R.HighlightedText),
                       (R.AlternateBase, R.Text)):
        ratio = contrast(palette.color(back), palette.color(fore))
        assert ratio >= 4.5, (back, fore, ratio)
    assert _luminance(palette.color(R.Base)) > 0.8  # a light program, as in light mode


def test_the_recovery_key_renders_dark_on_light(dark_system: QApplication, qtbot: object) -> None:
    apply_style(dark_system)
    widget = label("ABCDE-FGHJK-MNPQR-STUVW-XYZ23-45678", "key", wrap=False)
    widget.resize(widget.sizeHint())
    image = widget.grab().toImage()
    shades = [_luminance(image.pixelColor(x, y)) for x in range(0, image.width(), 2)
              for y in range(0, image.height(), 2)]
    background = max(set(shades), key=shades.count)
    assert background > 0.8, background  # the light key box
    assert min(shades) < 0.1  # the characters are dark
