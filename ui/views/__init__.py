"""The main window's views: dashboard, cases, search, activities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def build_tabs(window: MainWindow) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(label(_("Overview"), "title"))
    layout.addWidget(label(_("Requests, actions and deadlines will appear here."), "subtitle"))
    layout.addStretch(1)
    window.tabs.addTab(page, _("Overview"))
