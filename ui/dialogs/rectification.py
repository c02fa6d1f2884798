"""Record a request for rectification and what was done with it (AVG art. 16; issue 13).

Reached from the case file's Privacy button. The correction itself is made with "Correct…"
in the timeline; this dialog records who asked (checked), when, the child-safety answer when
a parent asks, the outcome and the reason (`app.services.rectification`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QVBoxLayout

from app.domain.errors import ValidationError
from app.i18n import _
from app.services.erasure import REQUESTERS, requester_label
from app.services.rectification import RectificationRequest, record_rectification
from app.store.db import StoreError
from ui.dialogs.access_export import _PupilDialog
from ui.style import label
from ui.views.entry_form import DateField, choice_box, dialog_buttons, error_label, show_error

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class RectificationDialog(_PupilDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window, pupil_id)
        self.recorded: int | None = None
        self.setWindowTitle(_("Request for correction"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_("Request for correction: {name}").format(
            name=self.pupil.name), "title"))
        layout.addWidget(label(_(
            "Make the correction itself with \"Correct…\" in the timeline: the old text stays "
            "visible as replaced. Here you record the request and what you did with it.")))
        form = QFormLayout()
        self.requester = choice_box([(r, requester_label(r)) for r in REQUESTERS],
                                    empty=_("— choose —"))
        form.addRow(_("Who asks? *"), self.requester)
        self.under_16 = choice_box([("yes", _("Yes")), ("no", _("No"))], empty=_("— choose —"))
        form.addRow(_("Is the pupil younger than 16? *"), self.under_16)
        self.received = DateField(window.now().date())
        form.addRow(_("Request received on *"), self.received)
        self.safety = choice_box([("yes", _("Yes")), ("no", _("No"))], empty=_("— choose —"))
        form.addRow(label(_(
            "Does the file concern possible danger at home, or has the pupil said they do not "
            "want the parents involved? *")), self.safety)
        self.outcome = choice_box([("corrected", _("Corrected")), ("refused", _("Refused"))],
                                  empty=_("— choose —"))
        form.addRow(_("What did you do? *"), self.outcome)
        self.form = form
        layout.addLayout(form)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("Your reason (write no names)."))
        self.reason.setMaximumHeight(80)
        layout.addWidget(self.reason)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Record"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.requester.currentIndexChanged.connect(lambda *_a: self._update())
        self._update()

    def _asks_parent(self) -> bool:
        return self.requester.currentData() in ("parent_authority", "parent_no_authority")

    def _update(self) -> None:
        self.form.setRowVisible(self.safety, self._asks_parent())

    @staticmethod
    def _yes(value: object) -> bool | None:
        return None if not value else value == "yes"

    def save(self) -> None:
        try:
            request = RectificationRequest(
                requester=str(self.requester.currentData() or ""),
                under_16=self._yes(self.under_16.currentData()),
                received_on=self.received.value("received_on"),
                outcome=str(self.outcome.currentData() or ""),
                safety_concern=(self._yes(self.safety.currentData()) if self._asks_parent()
                                else None),
                reason=self.reason.toPlainText(),
            )
            self.recorded = record_rectification(self.store(), self.pupil_id, request,
                                                 now=self.window_.now())
        except ValidationError as error:
            show_error(self.error, error.message)
            return
        except StoreError:
            show_error(self.error, _("The request could not be recorded. Try again."))
            return
        self.accept()
