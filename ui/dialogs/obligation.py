"""Mark an obligation done: the date, whom you informed, how, and whether the pupil was told
beforehand (PRODUCT.md job 5; issue 10).

At the top the duty's card (`ui.views.duty_card`): what to do, whom to call with the number,
and under "Hoe doe je dat?" what to say and what to have at hand. For `REPORT_BOARD` the form
asks WHICH member of the school board was informed — name and role on the board, the time and
how — instead of a free "whom": the director alone does not complete it (by law the board
itself must be told; `app.services.board_report` says so in a Dutch sentence), and a box "the
director may be involved" shows the direct route to the board. Saving calls
`escalation.complete_obligation`; a refused input (no date, a date before the check or in the
future, whom/how missing, a second completion) shows its Dutch sentence in the dialog, which
stays open with everything as typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.rules.escalation_table import fill_names
from app.services.board_report import (
    BOARD_CODE,
    BOARD_ROLES,
    board_how,
    board_member,
    director_note,
    parse_time,
)
from app.services.escalation import (
    INFORMING_DUTIES,
    Obligation,
    complete_obligation,
    decisions,
    get_obligation,
)
from app.services.validation import MAX_SHORT_CHARS
from app.store.settings import load_settings
from ui.help import install_help
from ui.style import label, scroll_area
from ui.views.duty_card import DUTY_CARD_STYLE, DutyCardWidget
from ui.views.obligations import CARD_STYLE, DateField, due_short

if TYPE_CHECKING:
    from ui.main_window import MainWindow


#: The width of the captions in front of the fields.
LABEL_WIDTH = 170
ROW_SPACING = 8


def informed_how_options() -> list[str]:
    """Suggestions for "how"; the VP may also type something else."""
    return [
        _("by phone"),
        _("in a conversation in person"),
        _("by e-mail"),
        _("by letter"),
        _("in a meeting"),
    ]


def _editable_combo(items: list[str], placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItem("")
    combo.addItems(items)
    combo.setCurrentIndex(0)
    line_edit = combo.lineEdit()
    if line_edit is not None:
        line_edit.setMaxLength(MAX_SHORT_CHARS)
        line_edit.setPlaceholderText(placeholder)
    return combo


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
        self.board = self.obligation.duty_code == BOARD_CODE
        names = load_settings(self.store).rule_names()
        self.setWindowTitle(_("Mark an obligation as done"))
        install_help(self, "obligation")
        self.setMinimumWidth(640)
        self.setStyleSheet(CARD_STYLE + DUTY_CARD_STYLE)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(label(_("Mark as done"), "title"))

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 8, 0)
        body.setSpacing(10)
        self.card = DutyCardWidget(
            code=self.obligation.duty_code,
            title=self.obligation.title,
            when=due_short(self.obligation),
            now=self.obligation.is_now,
            overrides_consent=self.obligation.overrides_consent,
            basis=self.obligation.basis,
            instruction=self.obligation.instruction,
            names=names,
            answers=self._answers(),
        )
        body.addWidget(self.card)

        today = window.now().date()
        self.done_on = DateField(today)
        self.whom = QLineEdit()
        self.whom.setMaxLength(MAX_SHORT_CHARS)
        self.whom.setPlaceholderText(_("for example: mother and father"))
        self.member_name = QLineEdit()
        self.member_name.setMaxLength(MAX_SHORT_CHARS)
        self.member_name.setPlaceholderText(_("for example: A. de Vries"))
        self.member_role = _editable_combo(list(BOARD_ROLES), _("choose or type"))
        self.time = QLineEdit()
        self.time.setMaxLength(5)
        self.time.setMaximumWidth(90)
        self.time.setPlaceholderText(_("hh:mm"))
        self.director_involved = QCheckBox(_("The director may be involved"))
        self.director_route = label(
            _(
                "Go straight to the school board ({board}): call the chair or another member "
                "of the board, and do not tell the director first. Cannot reach anyone on the "
                "board? Call the vertrouwensinspecteur (0900-111 3 111) for advice, and try the "
                "board again the same day."
            ).format(board=fill_names("{board_name}", names)),
            "warning",
        )
        self.director_route.hide()
        self.director_involved.toggled.connect(self._director_toggled)
        self.how = _editable_combo(informed_how_options(), _("choose or type"))
        self.pupil_told = QCheckBox(_("The pupil was told beforehand"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.note.setPlaceholderText(_("a few words (may stay empty)"))

        # One column of rows (not a QFormLayout: word-wrapped notes inside a form's field column
        # get a wrong height there and are clipped once they appear).
        star = " *" if self.informing else ""
        self._row(body, _("Done on *"), self.done_on)
        if self.board:
            body.addWidget(self._indented(label(
                _(
                    "By law the school board itself must be told: informing the director "
                    "is not enough. Fill in which board member you informed."
                ),
                "muted",
            )))
            self._row(body, _("Board member (name) *"), self.member_name)
            self._row(body, _("Role on the board *"), self.member_role)
            self._row(body, _("At (time)"), self.time)
            body.addWidget(self._indented(self.director_involved))
            body.addWidget(self._indented(self.director_route))
            self.whom.hide()
        else:
            self._row(body, _("Whom you informed") + star, self.whom)
            for widget in (self.member_name, self.member_role, self.time,
                           self.director_involved, self.director_route):
                widget.hide()
        self._row(body, _("How") + star, self.how)
        body.addWidget(self._indented(self.pupil_told))
        body.addWidget(self._indented(label(
            _(
                "Good practice: tell the pupil before you inform anyone else, also when their "
                "consent is not needed."
            ),
            "muted",
        )))
        self._row(body, _("Note"), self.note)
        body.addStretch(1)
        self.area = scroll_area(content)
        layout.addWidget(self.area, 1)

        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)

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

        self._fit()
        if self.obligation.done_on is not None:
            self._show_error(_("This obligation was already marked done."))
            self.save_button.setEnabled(False)
        elif self.obligation.case_closed:
            self._show_error(_("This case is closed; its obligations can no longer be changed."))
            self.save_button.setEnabled(False)

    @staticmethod
    def _row(body: QVBoxLayout, text: str, field: QWidget) -> None:
        row = QHBoxLayout()
        row.setSpacing(ROW_SPACING)
        caption = label(text, wrap=False)
        caption.setFixedWidth(LABEL_WIDTH)
        caption.setBuddy(field)
        row.addWidget(caption, 0, Qt.AlignmentFlag.AlignTop)
        if field.maximumWidth() < 1000:  # a narrow field (the time) stays on the left
            row.addWidget(field)
            row.addStretch(1)
        else:
            row.addWidget(field, 1)
        body.addLayout(row)

    @staticmethod
    def _indented(widget: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(LABEL_WIDTH + ROW_SPACING, 0, 0, 0)
        row.addWidget(widget, 1)
        holder.setVisible(not widget.isHidden())
        widget.setProperty("holder", holder)
        return holder

    def _answers(self) -> dict[str, str] | None:
        """The answers of the check this duty came from (for the card's topics), if any."""
        if self.obligation.escalation_id is None:
            return None
        for record in decisions(self.store, self.obligation.case_id):
            if record.id == self.obligation.escalation_id:
                return dict(record.answers)
        return None

    def _fit(self) -> None:
        """As tall as the content needs, but never taller than the screen allows."""
        content = self.area.widget()
        wanted = 620
        if content is not None:
            content.adjustSize()
            wanted = content.sizeHint().height() + 150
        screen = self.screen()
        limit = screen.availableGeometry().height() - 60 if screen is not None else 700
        self.resize(max(self.minimumWidth(), 680), max(420, min(wanted, limit)))

    def _director_toggled(self, checked: bool) -> None:
        self.director_route.setVisible(checked)
        holder = self.director_route.property("holder")
        if isinstance(holder, QWidget):
            holder.setVisible(checked)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _whom_how_note(self) -> tuple[str, str, str]:
        """What is stored as whom, how and note; ValidationError for a bad board member or
        time (checked here, before the store is touched)."""
        how = self.how.currentText().strip()
        note = self.note.toPlainText().strip()
        if not self.board:
            return self.whom.text().strip(), how, note
        whom = board_member(self.member_name.text(), self.member_role.currentText())
        at = parse_time(self.time.text())
        if self.director_involved.isChecked():
            note = f"{director_note()}\n{note}".strip()
        return whom, board_how(how, at) if how else "", note

    def save(self) -> None:
        if self.main_window.session is None:
            self.reject()
            return
        fields = {
            "done_on": self.done_on.edit,
            "informed_whom": self.member_name if self.board else self.whom,
            "board_member_name": self.member_name,
            "board_member_role": self.member_role,
            "informed_time": self.time,
            "informed_how": self.how,
            "note": self.note,
        }
        try:
            whom, how, note = self._whom_how_note()
            self.saved = complete_obligation(
                self.main_window.session.store,
                self.obligation_id,
                done_on=self.done_on.value("done_on"),
                informed_whom=whom,
                informed_how=how,
                pupil_told_first=self.pupil_told.isChecked(),
                note=note,
                today=self.main_window.now().date(),
            )
        except ValidationError as error:
            self._show_error(error.message)
            widget = fields.get(error.field)
            if widget is not None:
                self.area.ensureWidgetVisible(widget, 0, 40)
                widget.setFocus()
            return
        self.accept()
