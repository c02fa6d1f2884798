"""Register a request for contact (aanmelding, protocol 5b/5c) in a few seconds.

The form asks when it came in (default: now), through whom (a required choice: the annual
report counts the sources, so a preselected answer would make it count guesses), whether it
is urgent, and optionally a name or pseudonym and a short note. Saving calls
`casework.register_request`; a refused input shows its Dutch sentence above the buttons and
the dialog stays open with everything as typed. After saving, the dialog turns into a
confirmation: the respond-by date in words, where the pupil can turn meanwhile when a school
holiday lies before the answer, and the warning about missing school holidays when the
service gives one. The respond-by rule itself lives in `app.services.requests`.

Between lessons (issue 11): the moment is typed (dd-mm-jjjj uu:mm, `ui.dates.MomentField`),
"through whom" is one click on a named option and has the focus when the dialog opens, and
the confirmation offers "Intakegesprek nu starten" (`intake_now`): the caller then starts the
intake with this request, so nothing is typed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.lists import REFERRAL_SOURCES, help_line, options
from app.domain.lists import label as lists_label
from app.i18n import _
from app.services.casework import (
    MAX_SHORT_CHARS,
    RequestResult,
    ValidationError,
    register_request,
)
from app.store.db import Store
from ui.dates import MomentField, WindowClock, dutch_date, short_moment
from ui.help import install_help
from ui.style import label


class RegisterRequestDialog(QDialog):
    """The quick form for a new aanmelding; `saved` holds the result once it is stored."""

    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime] = datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.clock = WindowClock(now)
        self.saved: RequestResult | None = None
        self.intake_now = False  # the VP chose "start the intake conversation now"
        self.setWindowTitle(_("New request"))
        self.setMinimumWidth(600)
        self.pages = QStackedWidget()
        self.form_page = self._make_form()
        self.done_page = QWidget()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.done_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        install_help(self, "request")

    # -- the form ----------------------------------------------------------------------
    def _make_form(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(_("New request"), "title"))
        layout.addWidget(label(_(
            "Record when and through whom the request came in. The program works out the "
            "day by which you answer it."), "subtitle"))

        self.received = MomentField(self.clock.now())
        self.source = SourceChoice()
        self.urgent = QCheckBox(_("Urgent: answer today (protocol 5b)"))
        self.pupil = QLineEdit()
        self.pupil.setMaxLength(MAX_SHORT_CHARS)
        self.pupil.setPlaceholderText(_("name or a pseudonym (may stay empty)"))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_("a few words, for example the question in short"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        hint = label(_("Write down as little as possible (protocol 6b)."), "subtitle")

        form = QFormLayout()
        form.addRow(_("Received on"), self.received)
        form.addRow(_("Through whom *"), self.source)
        form.addRow("", self.urgent)
        form.addRow(_("Pupil"), self.pupil)
        note_box = QVBoxLayout()
        note_box.setSpacing(2)
        note_box.addWidget(self.note)
        note_box.addWidget(hint)
        form.addRow(_("Short note"), note_box)
        layout.addLayout(form)

        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        # A fixed problem takes its message away (no stale error above the buttons).
        self.source.group.buttonToggled.connect(lambda *_a: self.error.hide())
        self.received.textEdited.connect(lambda *_a: self.error.hide())
        self.pupil.textEdited.connect(lambda *_a: self.error.hide())
        self.note.textChanged.connect(lambda: self.error.hide())
        layout.addStretch(1)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(
            _("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        return page

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.pages.currentWidget() is self.form_page and self.saved is None:
            self.source.setFocus()  # "Via wie" is the first thing a person fills in

    def _field_widget(self, field: str) -> QWidget | None:
        return {
            "received_at": self.received,
            "source": self.source,
            "pupil_label": self.pupil,
            "note": self.note,
        }.get(field)

    def show_error(self, message: str, field: str = "") -> None:
        self.error.setText(message)
        self.error.show()
        _grow_to_fit(self)
        widget = self._field_widget(field)
        if widget is not None:
            widget.setFocus()

    def save(self) -> None:
        """Store the request; on a refused input show why and keep everything as typed."""
        try:
            received = self.received.value("received_at")
            result = register_request(
                self.store,
                self.clock,
                received_at=received,
                source=self.source.currentData(),
                urgent=self.urgent.isChecked(),
                pupil_label=self.pupil.text().strip(),
                note=self.note.toPlainText().strip(),
            )
        except ValidationError as error:
            self.show_error(error.message, error.field)
            return
        self.saved = result
        self.error.hide()
        self._fill_done_page(result)
        self.pages.setCurrentWidget(self.done_page)
        self.ok_button.setFocus()

    # -- the confirmation ----------------------------------------------------------------
    def _fill_done_page(self, result: RequestResult) -> None:
        layout = QVBoxLayout(self.done_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(_("Request saved"), "title"))
        request = result.request
        self.respond_label = label(
            _("Answer by {date} at the latest.").format(date=dutch_date(request.respond_by)),
            "subtitle",
        )
        self.respond_label.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1f3b57;")
        layout.addWidget(self.respond_label)
        layout.addWidget(label(_("Received on {moment}. Through whom: {source}.").format(
            moment=short_moment(request.received_at),
            source=lists_label(REFERRAL_SOURCES, request.source),
        ), "subtitle"))
        if request.urgent:
            layout.addWidget(label(_("Urgent: get in touch with the pupil today."), "warning"))
        self.help_box: QLabel | None = None
        if result.in_or_after_holiday and result.meanwhile_help:
            lines = "\n".join("•  " + help_line(item) for item in result.meanwhile_help)
            text = _(
                "A school holiday falls before your answer. Tell the pupil (or whoever made "
                "the request) where they can turn in the meantime:"
            )
            self.help_box = label(text + "\n\n" + lines, "warning")
            self.help_box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.help_box)
        self.warning_box: QLabel | None = None
        if result.warning:
            self.warning_box = label(result.warning, "warning")
            layout.addWidget(self.warning_box)
        layout.addWidget(label(
            _("The request stays on the overview until you answer it."), "subtitle"))
        layout.addStretch(1)
        buttons = QDialogButtonBox()
        self.intake_button = buttons.addButton(
            _("Start the &intake conversation now"), QDialogButtonBox.ButtonRole.ActionRole)
        self.intake_button.setToolTip(_(
            "The pupil is here: start the intake with what you just filled in."))
        self.intake_button.clicked.connect(self._start_intake)
        self.ok_button = buttons.addButton(_("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        layout.addWidget(buttons)

    def _start_intake(self) -> None:
        self.intake_now = True
        self.accept()


class SourceChoice(QWidget):
    """Through whom the request came in: one click on a named option (no list to unfold), and
    none chosen at first (the annual report counts the sources, so no guess is preselected).
    Arrow keys move between the options; `currentData()` is the chosen id or None."""

    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        choices = options(REFERRAL_SOURCES)
        half = (len(choices) + 1) // 2
        for index, (source_id, text) in enumerate(choices):
            button = QRadioButton(text)
            button.setProperty("source", source_id)
            self.group.addButton(button)
            self.buttons[source_id] = button
            grid.addWidget(button, index % half, index // half)
        grid.setColumnStretch(2, 1)
        self.setFocusProxy(next(iter(self.buttons.values())))

    def currentData(self) -> str | None:  # noqa: N802 - the QComboBox name, on purpose
        checked = self.group.checkedButton()
        return None if checked is None else str(checked.property("source"))

    def set_choice(self, source_id: str | None) -> None:
        """Choose `source_id` (None: no choice)."""
        if source_id is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[source_id].setChecked(True)


def _grow_to_fit(dialog: QDialog) -> None:
    """Make room for a message that just appeared (a shown label does not resize the dialog
    on every platform)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.sizeHint().height()
    if dialog.height() < needed:
        dialog.resize(dialog.width(), needed)
