"""Put a case file on hold, or lift the hold (issue 13 item 2; DOMAIN.md "Retention").

Reached from the case file's Privacy button ("Put on hold…" / "Lift the hold…"). The case
file shows the active hold under its status (`show_hold`). `HoldDialog` asks the reason (a
complaint, the police, the board, Veilig Thuis, other), an explanation and an optional date
to look at it again; `LiftHoldDialog` asks why the hold ends. Both call `app.services.holds`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFormLayout, QPlainTextEdit, QVBoxLayout, QWidget

from app.domain.errors import ValidationError
from app.i18n import _
from app.services.holds import HOLD_REASONS, active_hold, hold_label, hold_line, lift_hold
from app.services.holds import place_hold as place
from app.store.db import StoreError
from ui.style import label
from ui.views.entry_form import (
    DateField,
    choice_box,
    dialog_buttons,
    error_label,
    show_error,
    window_clock,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.views.case_file import CaseFileView


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * 4 + 14)
    return box


class HoldDialog(QDialog):
    def __init__(self, window: MainWindow, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.case_id = case_id
        self.setWindowTitle(_("Put the file on hold"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Put the file on hold"), "title"))
        layout.addWidget(label(_(
            "While a complaint, a police investigation or a report to the school board or "
            "Veilig Thuis is still running, this file may be needed. A file on hold is never "
            "offered for destruction and cannot be erased on request. Lift the hold when the "
            "procedure has ended.")))
        form = QFormLayout()
        self.reason = choice_box([(r, hold_label(r)) for r in HOLD_REASONS],
                                 empty=_("— choose —"))
        form.addRow(_("Why *"), self.reason)
        self.note = _text_box(_("For example: complaint filed with the complaints committee on "
                                "12 March; write no more than needed."))
        form.addRow(_("Explanation"), self.note)
        self.review = DateField()
        form.addRow(_("Look at it again on"), self.review)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Put on hold"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        session = self.window_.session
        if session is None:
            return
        try:
            place(session.store, self.case_id, reason=str(self.reason.currentData() or ""),
                  note=self.note.toPlainText(), review_on=self.review.optional_value("review_on"),
                  now=window_clock(self.window_).now())
        except ValidationError as error:
            show_error(self.error, error.message)
            return
        except StoreError:
            show_error(self.error, _("The hold could not be saved. Try again."))
            return
        self.accept()


class LiftHoldDialog(QDialog):
    def __init__(self, window: MainWindow, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.case_id = case_id
        self.setWindowTitle(_("Lift the hold"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Lift the hold"), "title"))
        assert window.session is not None
        hold = active_hold(window.session.store, case_id)
        if hold is not None:
            layout.addWidget(label(hold_line(hold), "subtitle"))
        layout.addWidget(label(_(
            "After the hold ends, the normal retention period of the school applies again.")))
        self.note = _text_box(_("Why does the hold end? For example: the complaint has been "
                                "decided."))
        layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Lift the hold"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        session = self.window_.session
        if session is None:
            return
        try:
            lift_hold(session.store, self.case_id, note=self.note.toPlainText(),
                      now=window_clock(self.window_).now())
        except ValidationError as error:
            show_error(self.error, error.message)
            return
        except StoreError:
            show_error(self.error, _("The hold could not be saved. Try again."))
            return
        self.accept()


def run_hold(view: CaseFileView) -> None:
    """Open the hold dialog (or the lift dialog when the file is on hold) for the view's case."""
    window = view.window_
    if window.session is None or view.case is None:
        return
    held = active_hold(window.session.store, view.case_id) is not None
    dialog = (LiftHoldDialog(window, view.case_id, view) if held
              else HoldDialog(window, view.case_id, view))
    if dialog.exec():
        window.refresh()


def show_hold(view: CaseFileView) -> None:
    """Fill the case file's hold line and the Privacy menu's hold action."""
    session = view.window_.session
    if session is None:
        return
    hold = active_hold(session.store, view.case_id)
    view.hold_label.setText(hold_line(hold) if hold is not None else "")
    view.hold_label.setVisible(hold is not None)
    view.hold_action.setText(_("Lift the hold…") if hold is not None else _("Put on hold…"))
