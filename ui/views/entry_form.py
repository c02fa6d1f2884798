"""Form parts shared by the case file and the intake wizard, and the case file's small dialogs.

* `WindowClock` — the services' Clock over the main window's `now` (tests pass a fixed one).
* `DateField` — a line edit for a typed Dutch date (dd-mm-jjjj), read with `parse_date`.
* `CountedText` — a short text box with a live character counter that nudges brevity.
* `EntryFormDialog` — ONE form for every timeline entry kind (conversation, consultation, plan
  step, referral, consent, action, note), showing the fields of that kind; also used, filled
  in, for a correction. It builds an `EntryData` and hands it to a save callback (a service
  call); a `ValidationError` is shown inside the dialog, which stays open.
* `DateDialog` (a plan step done) and `CloseCaseDialog` (date, reason, note; a written reason
  when obligations are open; confirmation when plan steps are open).

No business rules here: every check is the service's; the dialogs only show its sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, overload

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_date, show_date
from app.domain.errors import NeedsConfirmation, ValidationError
from app.domain.lists import ACTION_TYPES, CLOSE_REASONS, ENTRY_KINDS, EXTERNAL_HELP, RECIPIENTS
from app.domain.lists import label as list_label
from app.domain.models import EntryData
from app.i18n import _
from ui.style import label

#: Above this many characters the counter asks whether it can be shorter (protocol 6b).
SOFT_LIMIT = 600


class WindowClock:
    """A `Clock` over a callable that returns the current moment (the window's `now`)."""

    def __init__(self, now: Callable[[], datetime] = datetime.now) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now().replace(microsecond=0, tzinfo=None)

    def today(self) -> date:
        return self.now().date()


def window_clock(window: Any) -> WindowClock:
    return WindowClock(getattr(window, "now", datetime.now))


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A yes/no question with Dutch button texts; True for `yes`. (Tests replace it.)"""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


class DateField(QLineEdit):
    """A date typed the Dutch way: 24-08-2026 (also 24/8/2026 or 2026-08-24)."""

    def __init__(self, day: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("dd-mm-yyyy"))
        self.setMaximumWidth(160)
        if day is not None:
            self.set_date(day)

    def set_date(self, day: date | None) -> None:
        self.setText("" if day is None else show_date(day))

    def value(self, field: str = "") -> date:
        """The date, or ValidationError with a Dutch sentence."""
        return parse_date(self.text(), field)

    def optional_value(self, field: str = "") -> date | None:
        return None if not self.text().strip() else parse_date(self.text(), field)


class CountedText(QWidget):
    """A text box with '123 tekens' under it; past `soft_limit` it asks to write less."""

    changed = Signal()

    def __init__(
        self, text: str = "", *, lines: int = 4, soft_limit: int = SOFT_LIMIT,
        placeholder: str = "", parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.soft_limit = soft_limit
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(placeholder)
        height = self.edit.fontMetrics().lineSpacing() * lines + 14
        self.edit.setMinimumHeight(height)
        self.counter = QLabel()
        self.counter.setObjectName("subtitle")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.counter)
        self.edit.textChanged.connect(self._count)
        self.edit.setPlainText(text)
        self._count()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    @overload
    def setFocus(self) -> None: ...
    @overload
    def setFocus(self, reason: Qt.FocusReason, /) -> None: ...
    def setFocus(self, reason: Qt.FocusReason | None = None) -> None:
        """Focus goes to the text box, like QWidget.setFocus with or without a reason."""
        if reason is None:
            self.edit.setFocus()
        else:
            self.edit.setFocus(reason)

    def _count(self) -> None:
        count = len(self.text())
        message = _("{count} characters").format(count=count)
        long_text = count > self.soft_limit
        if long_text:
            message += " — " + _("that is long: can it be shorter?")
        self.counter.setText(message)
        self.counter.setStyleSheet("color: #8a5300;" if long_text else "")
        self.changed.emit()


def error_label() -> QLabel:
    widget = label("", "error")
    widget.hide()
    return widget


def show_error(widget: QLabel, message: str) -> None:
    widget.setText(message)
    widget.setVisible(bool(message))


def choice_box(items: Sequence[tuple[str, str]], empty: str | None = None) -> QComboBox:
    """A combo of (id, label) with the id as item data; `empty` adds a first 'none' item."""
    box = QComboBox()
    if empty is not None:
        box.addItem(empty, "")
    for item_id, text in items:
        box.addItem(text, item_id)
    return box


def set_choice(box: QComboBox, item_id: str | None) -> None:
    index = box.findData(item_id or "")
    box.setCurrentIndex(max(0, index))


def choice(box: QComboBox) -> str | None:
    value = box.currentData()
    return str(value) if value else None


def options(choices: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(item, list_label(choices, item)) for item in choices]


def dialog_buttons(dialog: QDialog, save_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.rejected.connect(dialog.reject)
    return buttons


# --- the entry form -----------------------------------------------------------------------


def _hints() -> dict[str, str]:
    return {
        "conversation": _("Write down only what is needed to help the pupil (protocol 6b)."),
        "consultation": _(
            "You may consult experts anonymously (protocol 6f). Write down whom by role, for "
            "example “school doctor”, and never the pupil's name."
        ),
        "plan_step": _("A step of the plan of action (protocol 6g): what, who, and by when."),
        "referral": _("To which help did you refer the pupil (protocol 6h)?"),
        "consent": _(
            "Information about the case is shared only with the pupil's consent (protocol 6i). "
            "Record here when the pupil gives or withdraws consent."
        ),
        "action": _("An action that counts in the annual report, for example “parents "
                    "informed”."),
        "note": _("A short note. Write down as little as possible (protocol 6b)."),
    }


def _with_whom_label(kind: str) -> str:
    return {
        "conversation": _("With whom"),
        "consultation": _("Whom (a role, not a name) *"),
        "plan_step": _("Who does it"),
    }[kind]


def _text_label(kind: str) -> str:
    return {
        "conversation": _("Short note"),
        "consultation": _("What you discussed"),
        "plan_step": _("The step *"),
        "note": _("Note *"),
    }.get(kind, _("Note"))


class EntryFormDialog(QDialog):
    """Add (or, with `initial`, correct) one timeline entry of `kind`."""

    def __init__(
        self,
        parent: QWidget | None,
        kind: str,
        *,
        today: date,
        save: Callable[[EntryData], object],
        initial: EntryData | None = None,
    ) -> None:
        super().__init__(parent)
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown entry kind {kind!r}")
        self.kind = kind
        self.initial = initial
        self.save_callback = save
        self.result_value: object = None
        kind_label = list_label(ENTRY_KINDS, kind)
        if initial is None:
            self.setWindowTitle(kind_label)
        else:
            self.setWindowTitle(_("Correction: {kind}").format(kind=kind_label.lower()))
        self.setMinimumWidth(620)
        start = initial or EntryData(kind, today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(12)
        hint = _hints()[kind]
        if initial is not None:
            hint += " " + _("The old entry stays visible, marked “replaced by correction”.")
        layout.addWidget(label(hint, "subtitle"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        self.fields: dict[str, QWidget] = {}
        self.on_date = DateField(start.on_date)
        self._add(form, _("Date *"), "on_date", self.on_date)
        self.with_whom: QLineEdit | None = None
        self.minutes: QSpinBox | None = None
        self.due_on: DateField | None = None
        self.done_on: DateField | None = None
        self.referral: QComboBox | None = None
        self.recipient: QComboBox | None = None
        self.given: QRadioButton | None = None
        self.refused: QRadioButton | None = None
        self.action_type: QComboBox | None = None
        if kind in ("conversation", "consultation", "plan_step"):
            self.with_whom = QLineEdit(start.with_whom)
            if kind == "consultation":
                self.with_whom.setPlaceholderText(_("for example: school doctor"))
            elif kind == "conversation":
                self.with_whom.setPlaceholderText(_("for example: the pupil and their mother"))
            self._add(form, _with_whom_label(kind), "with_whom", self.with_whom)
        if kind in ("conversation", "consultation"):
            self.minutes = QSpinBox()
            self.minutes.setRange(0, 600)
            self.minutes.setSingleStep(5)
            self.minutes.setSpecialValueText(_("not filled in"))
            self.minutes.setSuffix(_(" min"))
            self.minutes.setValue(start.minutes or 0)
            self.minutes.setMaximumWidth(160)
            self._add(form, _("Duration"), "minutes", self.minutes)
        if kind == "plan_step":
            self.due_on = DateField(start.due_on)
            self._add(form, _("Due by *"), "due_on", self.due_on)
            if initial is not None:
                self.done_on = DateField(start.done_on)
                self._add(form, _("Done on"), "done_on", self.done_on)
        if kind == "referral":
            self.referral = choice_box(options(EXTERNAL_HELP), _("— choose —"))
            set_choice(self.referral, start.referral)
            self._add(form, _("Referred to *"), "referral", self.referral)
        if kind == "consent":
            self.recipient = choice_box(options(RECIPIENTS), _("— choose —"))
            set_choice(self.recipient, start.recipient)
            self._add(form, _("Share with *"), "recipient", self.recipient)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            self.given = QRadioButton(_("Consent given"))
            self.refused = QRadioButton(_("Consent refused or withdrawn"))
            group = QButtonGroup(box)
            group.addButton(self.given)
            group.addButton(self.refused)
            if start.consent is not None:
                (self.given if start.consent else self.refused).setChecked(True)
            column.addWidget(self.given)
            column.addWidget(self.refused)
            self._add(form, _("Consent *"), "consent", box)
        if kind in ("action", "conversation"):
            self.action_type = choice_box(
                options(ACTION_TYPES), _("— choose —") if kind == "action" else _("— none —")
            )
            set_choice(self.action_type, start.action_type)
            caption = _("Kind of action *") if kind == "action" else _("Counts in the annual "
                                                                      "report as")
            self._add(form, caption, "action_type", self.action_type)
        self.text = CountedText(start.text, lines=5 if kind in ("note", "conversation") else 3)
        self._add(form, _text_label(kind), "text", self.text)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Save correction") if initial else _("Save"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.on_date.setFocus()

    def _add(self, form: QFormLayout, caption: str, field: str, widget: QWidget) -> None:
        form.addRow(caption, widget)
        self.fields[field] = widget

    def data(self) -> EntryData:
        """The entry as typed; ValidationError for a date that cannot be read."""
        base = self.initial or EntryData(self.kind, date.min)
        data = replace(base, kind=self.kind, on_date=self.on_date.value("on_date"),
                       text=self.text.text())
        if self.with_whom is not None:
            data = replace(data, with_whom=self.with_whom.text().strip())
        if self.minutes is not None:
            data = replace(data, minutes=self.minutes.value() or None)
        if self.due_on is not None:
            data = replace(data, due_on=self.due_on.optional_value("due_on"))
        if self.done_on is not None:
            data = replace(data, done_on=self.done_on.optional_value("done_on"))
        if self.referral is not None:
            data = replace(data, referral=choice(self.referral))
        if self.recipient is not None:
            data = replace(data, recipient=choice(self.recipient))
        if self.given is not None and self.refused is not None:
            consent: bool | None = None
            if self.given.isChecked() or self.refused.isChecked():
                consent = self.given.isChecked()
            data = replace(data, consent=consent)
        if self.action_type is not None:
            data = replace(data, action_type=choice(self.action_type))
        return data

    def save(self) -> None:
        try:
            self.result_value = self.save_callback(self.data())
        except ValidationError as error:
            show_error(self.error, error.message)
            widget = self.fields.get(error.field)
            if widget is not None:
                widget.setFocus()
            return
        self.accept()


class DateDialog(QDialog):
    """Ask one date (a plan step done); the callback saves it, errors stay in the dialog."""

    def __init__(
        self, parent: QWidget | None, title: str, text: str, caption: str, *, today: date,
        save: Callable[[date], object],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.save_callback = save
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(label(text))
        form = QFormLayout()
        self.day = DateField(today)
        form.addRow(caption, self.day)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Save"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.save_callback(self.day.value("done_on"))
        except ValidationError as error:
            show_error(self.error, error.message)
            return
        self.accept()


class CloseCaseDialog(QDialog):
    """Close a case: date, reason, note. With open obligations the note is the required
    written reason; open plan steps are confirmed first (the service asks)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: date,
        open_obligations: Sequence[str],
        save: Callable[[date, str | None, str, bool], object],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Close the case"))
        self.setMinimumWidth(620)
        self.save_callback = save
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(label(_(
            "A closed case stays readable, but nothing can be added to it any more. It is "
            "destroyed after the retention period."), "subtitle"))
        if open_obligations:
            lines = "\n".join("• " + title for title in open_obligations)
            layout.addWidget(label(
                _("This case still has open obligations:") + "\n" + lines + "\n"
                + _("Write down why you close the case anyway."), "warning"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.day = DateField(today)
        self.reason = choice_box(options(CLOSE_REASONS), _("— choose —"))
        self.note = CountedText(lines=3)
        form.addRow(_("Closed on *"), self.day)
        form.addRow(_("Reason *"), self.reason)
        form.addRow(_("Why anyway? *") if open_obligations else _("Note"), self.note)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Close the case"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> None:
        force = False
        while True:
            try:
                self.save_callback(self.day.value("closed_on"), choice(self.reason),
                                   self.note.text(), force)
            except NeedsConfirmation as question:
                if force or not ask(self, _("Close the case"), question.message,
                                    _("Close anyway"), _("Go back")):
                    return
                force = True
                continue
            except ValidationError as error:
                show_error(self.error, error.message)
                return
            break
        self.accept()
