"""The access export as the answer to a request (AVG art. 15; issue 13 item 5).

`AccessExportDialog` asks who asks (checked: for a pupil under 16 a parent with parental
authority, from 16 the pupil), when the request came in (the answer term is shown; a request
can be recorded now and answered later), and — when a parent asks — whether the file concerns
possible danger at home or the pupil's wish not to involve the parents. The VP can leave out
who raised the concern and any text of the file (about classmates, the accused, the person who
raised the concern), with a written reason; the PDF then says that parts were left out, not
which. `app.services.access_rights.export_on_request` makes and records it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.services.access_export import text_choices, unlinked_requests_like
from app.services.access_rights import (
    AccessRequest,
    export_on_request,
    open_requests,
    record_access_request,
)
from app.services.erasure import REQUESTERS, answer_due, requester_label
from app.store.db import StoreError
from app.store.settings import load_settings
from ui.dialogs.access_export import RequestPicker, _PupilDialog
from ui.help import install_help
from ui.style import label, scroll_area
from ui.views.entry_form import DateField, choice_box

if TYPE_CHECKING:
    from ui.main_window import MainWindow

KEY_ROLE = Qt.ItemDataRole.UserRole


def _yes_no() -> QComboBox:
    return choice_box([("yes", _("Yes")), ("no", _("No"))], empty=_("— choose —"))


class AccessExportDialog(_PupilDialog):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__(window, pupil_id)
        self.saved_to: Path | None = None
        self.recorded = False
        self.setWindowTitle(_("Access export"))
        self.resize(760, 760)
        store = self.store()
        outer = QVBoxLayout(self)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(label(_("Access export for {name}").format(name=self.pupil.name),
                               "title"))
        layout.addWidget(label(_(
            "Everything Vertrouwd holds about this pupil, as one PDF marked as personal data "
            "(right of access, AVG article 15), with the purposes, recipients, retention "
            "period, the pupil's rights and the school board as controller.")))

        self.request_box = QGroupBox(_("The request"))
        form = QFormLayout(self.request_box)
        self.requester = choice_box([(r, requester_label(r)) for r in REQUESTERS],
                                    empty=_("— choose —"))
        form.addRow(_("Who asks? *"), self.requester)
        self.under_16 = _yes_no()
        form.addRow(_("Is the pupil younger than 16? *"), self.under_16)
        self.received = DateField(self.window_.now().date())
        form.addRow(_("Request received on *"), self.received)
        self.term = label("", "subtitle")
        form.addRow("", self.term)
        self.safety_question = label(_(
            "Does the file concern possible danger at home, or has the pupil said they do not "
            "want the parents involved? *"))
        self.safety = _yes_no()
        form.addRow(self.safety_question, self.safety)
        self.form = form
        layout.addWidget(self.request_box)
        self.pending = open_requests(store, pupil_id)
        if self.pending:
            first = self.pending[0]
            self.requester.setCurrentIndex(self.requester.findData(first.requester))
            self.received.set_date(first.received_on)
        self.safety_warning = label(_(
            "Think before the parents see this file. To protect the pupil you may leave parts "
            "out or limit the access (AVG article 15(4) and 23, UAVG article 41); if needed, "
            "ask Veilig Thuis or the data protection officer for advice first."), "warning")
        layout.addWidget(self.safety_warning)

        self.withhold_box = QGroupBox(_("Leave parts out"))
        withhold = QVBoxLayout(self.withhold_box)
        withhold.addWidget(label(_(
            "Tick what you leave out, for example what is about classmates, about the person "
            "the concern is about, or about who raised the concern. The document then says "
            "that parts were left out, not which."), "subtitle"))
        self.sources_box = QCheckBox(_("Leave out who raised the concern (\"came in through\")"))
        self.sources_box.toggled.connect(lambda *_a: self._update())
        withhold.addWidget(self.sources_box)
        self.texts = QTreeWidget()
        self.texts.setColumnCount(2)
        self.texts.setHeaderLabels([_("Part"), _("Text")])
        self.texts.setRootIsDecorated(False)
        self.texts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for key, caption, text in text_choices(store, pupil_id):
            item = QTreeWidgetItem([caption[:60], " ".join(text.split())[:120]])
            item.setData(0, KEY_ROLE, key)
            item.setToolTip(1, text[:1000])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.texts.addTopLevelItem(item)
        self.texts.setMinimumHeight(160)
        self.texts.itemChanged.connect(lambda *_a: self._update())
        withhold.addWidget(self.texts)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(_("Why do you leave this out? (write no names) *"))
        self.reason.setMaximumHeight(70)
        withhold.addWidget(self.reason)
        layout.addWidget(self.withhold_box)

        self.picker = RequestPicker(unlinked_requests_like(store, pupil_id), _(
            "These requests were registered with only a name like this pupil's. Tick the ones "
            "that are about this pupil to include them."))
        layout.addWidget(self.picker)
        layout.addWidget(label(_(
            "The PDF is saved only where you choose. Keep it safe and delete it once it has "
            "been handed over."), "warning"))
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        outer.addWidget(scroll_area(content), 1)
        buttons = QDialogButtonBox()
        self.record_button = QPushButton(_("Record the request (answer later)"))
        self.record_button.clicked.connect(self.record)
        buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.clicked.connect(self.reject)
        outer.addWidget(buttons)
        for box in (self.requester, self.safety, self.under_16):
            box.currentIndexChanged.connect(lambda *_a: self._update())
        self.received.textChanged.connect(lambda *_a: self._update())
        install_help(self, "access_export")
        self._update()

    # -- state --------------------------------------------------------------------------------
    def asks_parent(self) -> bool:
        return self.requester.currentData() in ("parent_authority", "parent_no_authority")

    def withheld(self) -> frozenset[str]:
        keys = {"sources"} if self.sources_box.isChecked() else set()
        for index in range(self.texts.topLevelItemCount()):
            item = self.texts.topLevelItem(index)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                keys.add(str(item.data(0, KEY_ROLE)))
        return frozenset(keys)

    def _update(self) -> None:
        self.error.hide()
        parent = self.asks_parent()
        self.form.setRowVisible(self.safety, parent)
        self.safety_warning.setVisible(parent and self.safety.currentData() == "yes")
        self.reason.setVisible(bool(self.withheld()))
        try:
            received = self.received.value("received_on")
        except ValidationError:
            self.term.setText("")
            return
        pending = next((r for r in self.pending if r.received_on == received), None)
        due = pending.answer_by if pending is not None else answer_due(received)
        self.term.setText(_("Answer by {date} (one month; at most two months more, with a "
                            "reason).").format(date=show_date(due)))

    def _yes(self, box: QComboBox) -> bool | None:
        value = box.currentData()
        return None if not value else value == "yes"

    def request(self) -> AccessRequest:
        return AccessRequest(
            requester=str(self.requester.currentData() or ""),
            under_16=self._yes(self.under_16),
            received_on=self.received.value("received_on"),
            safety_concern=self._yes(self.safety) if self.asks_parent() else None,
            withheld=self.withheld(),
            reason=self.reason.toPlainText() if self.withheld() else "",
        )

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # -- commands -------------------------------------------------------------------------------
    def record(self) -> None:
        try:
            asked = self.request()
            kept = record_access_request(self.store(), self.pupil_id, asked.requester,
                                         asked.under_16, asked.received_on,
                                         now=self.window_.now())
        except ValidationError as error:
            self._fail(error.message)
            return
        except StoreError:
            self._fail(_("The request could not be recorded. Try again."))
            return
        self.recorded = True
        QMessageBox.information(self, self.windowTitle(), _(
            "The request has been recorded. Answer it by {date}.").format(
                date=show_date(kept.answer_by)))
        self.accept()

    def save(self) -> None:
        from ui.printing import ask_pdf_path, save_bytes

        try:
            asked = self.request()
            from app.services.access_rights import check_access_request

            check_access_request(asked, self.window_.now().date())
        except ValidationError as error:
            self._fail(error.message)
            return
        target = ask_pdf_path(self, _("Save access export"), "inzage-vertrouwd.pdf",
                              personal=True)
        if target is None:
            return
        try:
            store = self.store()
            pdf = export_on_request(store, self.pupil_id, asked,
                                    made_by=load_settings(store).vp_name,
                                    now=self.window_.now(), also_requests=self.picker.chosen())
        except ValidationError as error:
            self._fail(error.message)
            return
        except StoreError:
            self._fail(_("The export could not be made. Try again later."))
            return
        if not save_bytes(self, target, pdf):
            return
        self.saved_to = target
        QMessageBox.information(self, self.windowTitle(), _(
            "The access export has been saved as {path}.").format(path=target))
        self.accept()
