"""Mark an obligation done: the date, whom you informed, how, and whether the pupil was told
beforehand (PRODUCT.md job 5). Saving calls `escalation.complete_obligation`; a refused input
(no date, a date in the future, whom/how missing where someone had to be informed) shows its
Dutch sentence in the dialog, which stays open with everything as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.services.escalation import (
    INFORMING_DUTIES,
    Obligation,
    complete_obligation,
    get_obligation,
)
from app.services.validation import MAX_SHORT_CHARS
from ui.help import install_help
from ui.style import label
from ui.views.obligations import CARD_STYLE, DateField, card, due_short, fit_height, pill, plain

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def informed_how_options() -> list[str]:
    """Suggestions for "how"; the VP may also type something else."""
    return [
        _("by phone"),
        _("in a conversation in person"),
        _("by e-mail"),
        _("by letter"),
        _("in a meeting"),
    ]


class CompleteObligationDialog(QDialog):
    """The form that marks one obligation done; `saved` holds the result once stored."""

    def __init__(self, window: MainWindow, obligation_id: int) -> None:
        super().__init__(window)
        self.main_window = window
        self.obligation_id = obligation_id
        self.saved: Obligation | None = None
        assert window.session is not None
        self.store = window.session.store
        self.obligation = get_obligation(self.store, obligation_id, window.now())
        self.informing = self.obligation.duty_code in INFORMING_DUTIES
        self.setWindowTitle(_("Mark an obligation as done"))
        install_help(self, "obligation")
        self.setMinimumWidth(600)
        self.setStyleSheet(CARD_STYLE)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(label(_("Mark as done"), "title"))

        box, inner = card()
        inner.addWidget(plain(self.obligation.title, "cardTitle"))
        tags = QHBoxLayout()
        tags.addWidget(pill(due_short(self.obligation)))
        if self.obligation.overrides_consent:
            tags.addWidget(pill(_("Goes before the pupil's consent"), "pillConsent"))
        tags.addStretch(1)
        inner.addLayout(tags)
        inner.addWidget(label(self.obligation.instruction))
        inner.addWidget(label(_("Basis: {basis}").format(basis=self.obligation.basis), "basis"))
        layout.addWidget(box)

        today = window.now().date()
        self.done_on = DateField(today)
        self.whom = QLineEdit()
        self.whom.setMaxLength(MAX_SHORT_CHARS)
        self.whom.setPlaceholderText(_("for example: mother and father, the director"))
        self.how = QComboBox()
        self.how.setEditable(True)
        self.how.addItem("")
        self.how.addItems(informed_how_options())
        self.how.setCurrentIndex(0)
        line_edit = self.how.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(MAX_SHORT_CHARS)
            line_edit.setPlaceholderText(_("choose or type"))
        self.pupil_told = QCheckBox(_("The pupil was told beforehand"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.note.setPlaceholderText(_("a few words (may stay empty)"))

        form = QFormLayout()
        form.setVerticalSpacing(8)
        star = " *" if self.informing else ""
        form.addRow(_("Done on *"), self.done_on)
        form.addRow(_("Whom you informed") + star, self.whom)
        form.addRow(_("How") + star, self.how)
        form.addRow("", self.pupil_told)
        form.addRow("", label(
            _(
                "Good practice: tell the pupil before you inform anyone else, also when their "
                "consent is not needed."
            ),
            "muted",
        ))
        form.addRow(_("Note"), self.note)
        layout.addLayout(form)

        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(_("Mark as done"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.resize(self.minimumWidth(), self.height())
        fit_height(self)
        if self.obligation.done_on is not None:
            self._show_error(_("This obligation was already marked done."))
            self.save_button.setEnabled(False)
        elif self.obligation.case_closed:
            self._show_error(_("This case is closed; its obligations can no longer be changed."))
            self.save_button.setEnabled(False)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        fit_height(self)

    def save(self) -> None:
        if self.main_window.session is None:
            self.reject()
            return
        fields = {
            "done_on": self.done_on.edit,
            "informed_whom": self.whom,
            "informed_how": self.how,
            "note": self.note,
        }
        try:
            self.saved = complete_obligation(
                self.main_window.session.store,
                self.obligation_id,
                done_on=self.done_on.value("done_on"),
                informed_whom=self.whom.text().strip(),
                informed_how=self.how.currentText().strip(),
                pupil_told_first=self.pupil_told.isChecked(),
                note=self.note.toPlainText().strip(),
                today=self.main_window.now().date(),
            )
        except ValidationError as error:
            self._show_error(error.message)
            widget = fields.get(error.field)
            if widget is not None:
                widget.setFocus()
            return
        self.accept()
