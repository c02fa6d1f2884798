"""Tour scenes of issue 13 (privacy rights), started from an open case file: the access export
for parents with its safety question, putting the file on hold, and the erasure refused while
the file is needed (`access-export-parents`, `hold`, `erase-refused`)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu

from tests.tour.driver import Tour, TourError, plain

Steps = Generator[Any, Any, None]


def _case_file(t: Tour) -> Steps:
    """The open case file, or the first one of the Case files tab (opened by a double-click)."""
    from ui.views.case_file import CaseFileView

    tabs = t.window.tabs
    view = tabs.currentWidget()
    if not isinstance(view, CaseFileView):
        yield t.tab(tabs, plain(tabs.tabText(1)))
        cases = tabs.currentWidget()
        yield t.until("the case files", lambda: cases.table.rowCount() > 0)
        yield t.double_click(cases.table, 0, "dubbelklik het eerste dossier")
        yield t.until("the case file", lambda: isinstance(tabs.currentWidget(), CaseFileView))
        view = tabs.currentWidget()
    return view


def _privacy(t: Tour, view: Any, action: QAction, what: str) -> Steps:
    """Privacy button › `action`; yields the dialog it opens."""
    yield t.click(view.privacy_button)
    menu = yield t.popup()
    if not isinstance(menu, QMenu):
        raise TourError("the Privacy button opened no menu")
    menu.setActiveAction(action)
    yield t.key(menu, Qt.Key.Key_Return, f"kies “{plain(action.text())}”")
    dialog = yield t.modal(QDialog, what)
    return dialog


def privacy_rights(t: Tour) -> Steps:
    from app.i18n import _
    from app.services.erasure import requester_label
    from app.services.holds import hold_label

    view = yield from _case_file(t)
    dialog = yield from _privacy(t, view, view.export_action, "the access export")
    yield t.choose(dialog.requester, requester_label("parent_authority"))
    yield t.choose(dialog.under_16, _("Yes"))
    yield t.choose(dialog.safety, _("Yes"))
    yield t.shot("access-export-parents")
    yield t.key(dialog, Qt.Key.Key_Escape, "Esc")
    yield t.gone(dialog)

    dialog = yield from _privacy(t, view, view.hold_action, "putting the file on hold")
    yield t.choose(dialog.reason, hold_label("complaint"))
    yield t.write(dialog.note, "Klacht ingediend bij de klachtencommissie.")
    yield t.shot("hold")
    buttons = dialog.findChild(QDialogButtonBox)
    yield t.click(buttons.button(QDialogButtonBox.StandardButton.Save))
    yield t.gone(dialog)
    yield t.until("the hold in the case file", lambda: not view.hold_label.isHidden())

    dialog = yield from _privacy(t, view, view.erase_action, "the erasure")
    yield t.until("the refusal", lambda: not dialog.refusal.isHidden())
    yield t.shot("erase-refused")
    yield t.key(dialog, Qt.Key.Key_Escape, "Esc")
    yield t.gone(dialog)
