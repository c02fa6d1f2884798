"""Right of access and right to erasure for one pupil (PRODUCT.md job 8, AVG art. 15 and 17).

`AccessExportDialog` (in `ui.dialogs.access_request`) answers a request for access; the shared
pieces (`RequestPicker`: requests registered with only a name like this pupil's) live here.
`EraseDialog` erases on request within the limits of `app.services.erasure`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import show_date
from app.domain.errors import ValidationError
from app.domain.models import Pupil, Request
from app.i18n import _
from app.services import casework
from app.services.access_export import unlinked_requests_like
from app.services.copies import where_copies_text
from app.services.erasure import (
    ERASURE_GROUNDS,
    REQUESTERS,
    ErasureRequest,
    erase_on_request,
    erasure_check,
    ground_label,
    requester_label,
)
from app.services.pupils import fold
from app.services.retention import RetentionError
from app.store.db import Store, StoreError
from ui.help import install_help
from ui.style import label, scroll_area
from ui.views.entry_form import DateField, choice_box

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def close_case_tabs(window: MainWindow, case_ids: Iterable[int]) -> None:
    """Close the case file tabs of `case_ids` (they no longer exist)."""
    from ui.views.case_file import CaseFileView

    gone = {int(c) for c in case_ids}
    for index in reversed(range(window.tabs.count())):
        view = window.tabs.widget(index)
        if isinstance(view, CaseFileView) and view.case_id in gone:
            window.tabs.removeTab(index)
            view.deleteLater()


class RequestPicker(QGroupBox):
    """Requests registered with only a name that looks like this pupil's, to include."""

    def __init__(self, requests: list[Request], explanation: str) -> None:
        super().__init__(_("Requests registered with only a name"))
        layout = QVBoxLayout(self)
        layout.addWidget(label(explanation, "subtitle"))
        self.boxes: list[tuple[QCheckBox, int]] = []
        for request in requests:
            text = _("{name}, received {day}").format(
                name=request.pupil_label, day=show_date(request.received_at.date()))
            box = QCheckBox(text)
            layout.addWidget(box)
            self.boxes.append((box, request.id))
        self.setVisible(bool(requests))

    def chosen(self) -> tuple[int, ...]:
        return tuple(rid for box, rid in self.boxes if box.isChecked())


class _PupilDialog(QDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window)
        self.window_ = window
        self.pupil_id = pupil_id
        self.pupil: Pupil = casework.get_pupil(self.store(), pupil_id)

    def store(self) -> Store:
        session = self.window_.session
        if session is None:
            raise ValidationError(_("Vertrouwd is locked. Unlock it and try again."))
        return session.store


class EraseDialog(_PupilDialog):
    """Erasure on request with its limits (app.services.erasure): refused while the file is
    needed for a legal duty or a running procedure; otherwise who asks, the ground, the
    child-safety question for a parent's request, open items with a reason, and the name."""

    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window, pupil_id)
        self.erased_cases: int | None = None
        self.setWindowTitle(_("Erase pupil"))
        self.resize(680, 720)
        store = self.store()
        self.case_ids = [int(r[0]) for r in store.query(
            "SELECT id FROM case_file WHERE pupil_id = ?", (pupil_id,))]
        self.check = erasure_check(store, pupil_id)
        outer = QVBoxLayout(self)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(label(_("Erase {name}").format(name=self.pupil.name), "title"))
        layout.addWidget(label(_(
            "On request (AVG article 17) everything about this pupil is erased: {count} case "
            "file(s) with every entry, check and obligation, the requests for contact and the "
            "pupil's details.").format(count=len(self.case_ids))))
        self.refusal = label(self.check.refusal() if self.check.refused else "", "error")
        self.refusal.setVisible(self.check.refused)
        layout.addWidget(self.refusal)
        self.form_box = QGroupBox(_("The request"))
        form = QFormLayout(self.form_box)
        self.requester = choice_box([(r, requester_label(r)) for r in REQUESTERS],
                                    empty=_("— choose —"))
        self.requester.currentIndexChanged.connect(lambda *_a: self._update())
        form.addRow(_("Who asks? *"), self.requester)
        self.under_16 = choice_box([("yes", _("Yes")), ("no", _("No"))], empty=_("— choose —"))
        form.addRow(_("Is the pupil younger than 16? *"), self.under_16)
        self.received = DateField(self.window_.now().date())
        form.addRow(_("Request received on *"), self.received)
        self.ground = choice_box([(g, ground_label(g)) for g in ERASURE_GROUNDS],
                                 empty=_("— choose —"))
        for box in (self.requester, self.ground):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)
        form.addRow(_("Ground (AVG art. 17(1)) *"), self.ground)
        self.safety = choice_box([("yes", _("Yes")), ("no", _("No"))], empty=_("— choose —"))
        self.safety_label = label(_(
            "Does the file concern possible danger at home, or has the pupil said they do not "
            "want the parents involved? *"))
        form.addRow(self.safety_label, self.safety)
        self.form = form
        self.safety.currentIndexChanged.connect(lambda *_a: self._update())
        layout.addWidget(self.form_box)
        self.safety_warning = label(_(
            "Then you may refuse the parents' request to protect the pupil (AVG article 23, "
            "UAVG article 41). If you erase anyway, write down why."), "warning")
        layout.addWidget(self.safety_warning)
        self.items_label = label(
            _("Still open — you decide, and write down why you erase anyway:") + "\n• "
            + "\n• ".join(self.check.open_items), "warning")
        self.items_label.setVisible(bool(self.check.open_items) and not self.check.refused)
        layout.addWidget(self.items_label)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("Your reason (write no names)."))
        self.reason.setMaximumHeight(80)
        layout.addWidget(self.reason)
        self.picker = RequestPicker(unlinked_requests_like(store, pupil_id), _(
            "These requests were registered with only a name like this pupil's. Tick the ones "
            "that are about this pupil to erase them too."))
        layout.addWidget(self.picker)
        session = self.window_.session
        assert session is not None
        self.copies_text = where_copies_text(session)
        layout.addWidget(label(_("This cannot be undone.") + " " + self.copies_text, "warning"))
        layout.addWidget(label(_("Type the pupil's name to confirm:")))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.pupil.name)
        self.name_edit.textChanged.connect(lambda *_a: self._update())
        layout.addWidget(self.name_edit)
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        outer.addWidget(scroll_area(content), 1)
        buttons = QDialogButtonBox()
        self.erase_button = QPushButton(_("Erase for good"))
        self.erase_button.clicked.connect(self.erase)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.clicked.connect(self.reject)
        outer.addWidget(buttons)
        for widget in (self.form_box, self.picker, self.name_edit, self.reason):
            widget.setEnabled(not self.check.refused)
        install_help(self, "erase")
        self._update()

    def _asks_parent(self) -> bool:
        return self.requester.currentData() in ("parent_authority", "parent_no_authority")

    def _update(self) -> None:
        parent = self._asks_parent()
        self.form.setRowVisible(self.safety, parent)
        concern = parent and self.safety.currentData() == "yes"
        self.safety_warning.setVisible(concern)
        self.reason.setVisible(not self.check.refused
                               and (bool(self.check.open_items) or concern))
        typed = fold(self.name_edit.text())
        self.erase_button.setEnabled(
            not self.check.refused and bool(typed) and typed == fold(self.pupil.name))

    def _yes_no(self, box: QComboBox) -> bool | None:
        value = box.currentData()
        return None if not value else value == "yes"

    def erase(self) -> None:
        if not self.erase_button.isEnabled():
            return
        try:
            request = ErasureRequest(
                requester=str(self.requester.currentData() or ""),
                under_16=self._yes_no(self.under_16),
                received_on=self.received.value("received_on"),
                ground=str(self.ground.currentData() or ""),
                safety_concern=(self._yes_no(self.safety) if self._asks_parent() else None),
                reason=self.reason.toPlainText() if self.reason.isVisibleTo(self) else "",
            )
            count = erase_on_request(self.store(), self.pupil_id, request,
                                     now=self.window_.now(), also_requests=self.picker.chosen())
        except RetentionError as error:
            count = error.count
            QMessageBox.warning(self, self.windowTitle(), error.message)
        except ValidationError as error:
            self.error.setText(error.message)
            self.error.show()
            return
        except StoreError:
            self.error.setText(_(
                "The pupil could not be erased; nothing has been deleted. Try again later."))
            self.error.show()
            return
        self.erased_cases = count
        close_case_tabs(self.window_, self.case_ids)
        self.window_.refresh()
        QMessageBox.information(self, self.windowTitle(), _(
            "The pupil has been erased, with {count} case file(s).").format(count=count)
            + "\n\n" + self.copies_text)
        self.accept()


def run_for_pupil(window: MainWindow, pupil_id: int, kind: str, parent: QWidget | None = None
                  ) -> None:
    """Open the access export ("export"), erasure ("erase") or correction-request ("rectify")
    dialog for a pupil."""
    if window.session is None:
        return
    try:
        dialog: QDialog
        if kind == "rectify":
            from ui.dialogs.rectification import RectificationDialog

            dialog = RectificationDialog(window, pupil_id)
        else:
            dialog = (AccessExportDialog(window, pupil_id) if kind == "export"
                      else EraseDialog(window, pupil_id))
    except ValidationError as error:
        QMessageBox.warning(parent or window, _("Vertrouwd"), error.message)
        return
    dialog.exec()


from ui.dialogs.access_request import AccessExportDialog  # noqa: E402  (uses the classes above)
