"""The main window's views: dashboard, cases and search, activities; case files open as tabs.

Each view takes the main window, reads `window.session` (None while locked), and offers
`refresh()` (redraw from the store) and optionally `before_lock()` (save drafts first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def build_tabs(window: MainWindow) -> None:
    from ui.views.activities import ActivitiesView
    from ui.views.cases import CasesView
    from ui.views.dashboard import DashboardView

    window.tabs.addTab(DashboardView(window), _("Overview"))
    window.tabs.addTab(CasesView(window), _("Case files"))
    window.tabs.addTab(ActivitiesView(window), _("Activities"))
    window.fixed_tabs = window.tabs.count()
    bar = window.tabs.tabBar()
    for index in range(window.fixed_tabs):
        bar.setTabButton(index, bar.ButtonPosition.RightSide, None)
