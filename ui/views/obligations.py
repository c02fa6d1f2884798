"""The obligations of one case: a compact list for the case file, and the shared helpers of the
escalation screens (deadline words, due moments in Dutch, the card look, a date field).

`ObligationsPanel(window, case_id)` lists every obligation of the case (done ones too): the
title, the protocol article or law it rests on, when it is due, and its status — overdue ones
in red. "Afronden…" marks the selected one done (`ui.dialogs.obligation`), "Meldcode-route…"
opens the five-step tracker when the case has a route (`ui.views.meldcode`). The panel reads
`window.session` on every `refresh()` and shows nothing while the program is locked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import parse_date
from app.i18n import _
from app.services.escalation import (
    CONSENT_ONLY,
    EscalationRecord,
    Obligation,
    case_obligations,
    decisions,
)
from app.services.meldcode import MeldcodeRoute, routes_for_case
from ui.dates import dutch_date, short_date, short_moment
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow

#: The look of the cards and small labels on the escalation screens (set on each screen's root).
CARD_STYLE = """
QFrame#card { background: #f7f9fb; border: 1px solid #d5dee7; border-radius: 6px; }
QFrame#cardAlert { background: #fffaf2; border: 1px solid #e6c48a; border-radius: 6px; }
QFrame#cardDone { background: #f3f8f3; border: 1px solid #c4d8c4; border-radius: 6px; }
QLabel#cardTitle { font-size: 11pt; font-weight: 600; color: #1f3b57; }
QLabel#basis { color: #3d5166; }
QLabel#muted { color: #5f6e7c; }
QLabel#pill { background: #e3ecf5; border-radius: 9px; padding: 2px 9px; color: #1f3b57; }
QLabel#pillConsent { background: #fff1d6; border: 1px solid #e0b060; border-radius: 9px;
                     padding: 1px 9px; color: #5a3d00; }
QLabel#consequence { background: #eef4f9; border-left: 3px solid #7a9cc0; padding: 6px 8px;
                     color: #22313f; }
QLabel#consequenceYes { background: #fff6e8; border-left: 3px solid #d59a3a; padding: 6px 8px;
                        color: #3d2a00; }
QLabel#fieldError { color: #a01818; }
QLabel#overdue { color: #b3261e; font-weight: 600; }
QLabel#now { color: #c25e00; font-weight: 600; }
"""


# --- words and moments ------------------------------------------------------------------------


def deadline_word(deadline: str) -> str:
    """The deadline of a duty in plain Dutch: "Nu meteen", "Vandaag nog", ..."""
    words = {
        "immediately": _("Right now"),
        "same_day": _("Today, before the end of the day"),
        "next_working_day": _("By the next working day"),
        "term": _("At the end of the agreed term"),
    }
    return words.get(deadline, "—")


def moment_words(moment: datetime) -> str:
    """`vrijdag 22 mei 2026, 17:00`."""
    return _("{day}, {time}").format(day=dutch_date(moment.date()), time=moment.strftime("%H:%M"))


def due_words(deadline: str, due_at: datetime) -> str:
    """The due moment in a sentence, for a card: "Nu meteen", "Uiterlijk vrijdag 22 mei ..."."""
    if deadline == "immediately":
        return _("Right now")
    return _("By {moment} at the latest").format(moment=moment_words(due_at))


def due_short(obligation: Obligation) -> str:
    """The due moment for a list row: "Direct (sinds 22-05-2026 14:00)", "Uiterlijk 26-05-..."."""
    if obligation.deadline == "immediately":
        return _("Right away (since {moment})").format(moment=short_moment(obligation.due_at))
    return _("By {moment}").format(moment=short_moment(obligation.due_at))


def status_text(obligation: Obligation) -> str:
    if obligation.done_on is not None:
        return _("Done on {date}").format(date=short_date(obligation.done_on))
    if obligation.case_closed:
        return _("Not done; the case is closed")
    if obligation.is_now:
        return _("Now")
    if obligation.overdue:
        return _("Overdue")
    return _("Still to do")


def status_object(obligation: Obligation) -> str:
    """The style of an open obligation's status line: "now" (orange), "overdue" (red); on a
    closed case neither (a closed case shows no red "te laat")."""
    if obligation.case_closed:
        return "basis"
    if obligation.is_now:
        return "now"
    return "overdue" if obligation.overdue else "basis"


ANSWER_ORDER = ("yes", "no", "doubt")


def answer_word(answer: str) -> str:
    words = {"yes": _("Yes"), "no": _("No"), "doubt": _("Not sure")}
    return words.get(answer, answer)


def answer_choices(
    owner: QObject, on_toggled: Callable[[bool], None]
) -> tuple[QHBoxLayout, QButtonGroup, dict[str, QRadioButton]]:
    """The Ja / Nee / Twijfel row shared by the escalation questions and the afwegingskader."""
    row = QHBoxLayout()
    row.setSpacing(24)
    group = QButtonGroup(owner)
    group.setExclusive(True)
    radios: dict[str, QRadioButton] = {}
    for answer in ANSWER_ORDER:
        radio = QRadioButton(answer_word(answer))
        radios[answer] = radio
        group.addButton(radio)
        row.addWidget(radio)
        radio.toggled.connect(on_toggled)
    row.addStretch(1)
    return row, group, radios


def decision_line(record: EscalationRecord) -> str:
    """One line about a recorded check: when, the rule version, and what came out."""
    if record.duties == (CONSENT_ONLY,):
        outcome = _("no escalation: share only with consent")
    else:
        count = len(record.duties)
        outcome = _("1 duty") if count == 1 else _("{count} duties").format(count=count)
    return _("Last escalation check: {moment} · rules {version} · {outcome}").format(
        moment=short_moment(record.decided_at), version=record.rules_version, outcome=outcome
    )


# --- small shared widgets ---------------------------------------------------------------------


def plain(text: str, name: str = "") -> QLabel:
    """A wrapped label for text the VP typed: always shown as plain text, never as markup."""
    widget = label(text, name)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def card(name: str = "card") -> tuple[QFrame, QVBoxLayout]:
    """A quiet framed box (style names `card`, `cardAlert`, `cardDone`) and its layout."""
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(6)
    return frame, layout


def pill(text: str, name: str = "pill") -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    return widget


def fit_height(widget: QWidget) -> None:
    """Make a dialog tall enough for its wrapped texts at its current width (Qt's own size
    hint underestimates word-wrapped labels, which then overlap the fields below them)."""
    layout = widget.layout()
    if layout is None:
        return
    layout.activate()
    width = max(widget.width(), widget.minimumWidth())
    height = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    widget.setMinimumHeight(height)
    if widget.height() < height or widget.width() < width:
        widget.resize(width, max(height, widget.height()))


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget and sub-layout of `layout`."""
    while layout.count():
        item = layout.takeAt(0)
        assert item is not None  # count() > 0, so there is an item at 0
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        else:
            sub_layout = item.layout()
            if sub_layout is not None:
                clear_layout(sub_layout)


class DateField(QWidget):
    """A date typed the Dutch way (dd-mm-jjjj) with a "Vandaag" button; empty is allowed here,
    the service says when a date is required."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_("dd-mm-yyyy"))
        self.edit.setMaximumWidth(150)
        self.today_button = QPushButton(_("Today"))
        self.today_button.setAutoDefault(False)
        self.today_button.clicked.connect(lambda: self.set_date(self.today))
        row.addWidget(self.edit)
        row.addWidget(self.today_button)
        row.addStretch(1)

    def set_date(self, day: date) -> None:
        self.edit.setText(short_date(day))

    def text(self) -> str:
        return self.edit.text()

    def value(self, field: str = "") -> date | None:
        """The date typed, None when empty; ValidationError (Dutch) for a malformed date."""
        if not self.edit.text().strip():
            return None
        return parse_date(self.edit.text(), field)


# --- the panel ----------------------------------------------------------------------------------


class ObligationsPanel(QWidget):
    """The obligations of one case, for the case file (see the module doc).

    Each obligation is a small card (its title wraps, so the panel also fits a narrow side
    column): the due moment and status — red when overdue — the basis, and "Afronden…" on the
    open ones. Done ones stay, greyed, with when, whom and how."""

    def __init__(self, window: MainWindow, case_id: int, *, route_button: bool = True) -> None:
        super().__init__()
        self.main_window = window
        self.case_id = case_id
        self.with_route_button = route_button  # the case file has its own meldcode section
        self.obligations: list[Obligation] = []
        self.routes: list[MeldcodeRoute] = []
        self.complete_buttons: dict[int, QPushButton] = {}
        self.dialog: QWidget | None = None  # the dialog opened last (tests reach it here)
        self.setStyleSheet(CARD_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        header = QHBoxLayout()
        header.addWidget(label(_("Obligations"), "cardTitle", wrap=False))
        header.addStretch(1)
        self.route_button = QPushButton(_("Meldcode route…"))
        self.route_button.setToolTip(_("The five steps of the meldcode and the afwegingskader"))
        self.route_button.clicked.connect(self._route_clicked)
        header.addWidget(self.route_button)
        layout.addLayout(header)

        self.decision = label("", "muted")
        layout.addWidget(self.decision)
        self.empty = label(
            _(
                "No obligations. An escalation check creates them when a duty applies "
                "(for example informing the parents or the meldcode)."
            ),
            "muted",
        )
        layout.addWidget(self.empty)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(6)
        layout.addLayout(self.list_layout)
        layout.addStretch(1)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.main_window.session
        clear_layout(self.list_layout)
        self.complete_buttons = {}
        if session is None:
            self.obligations, self.routes = [], []
            self.route_button.hide()
            return
        store = session.store
        self.obligations = case_obligations(store, self.case_id, self.main_window.now())
        self.routes = routes_for_case(store, self.case_id)
        records = decisions(store, self.case_id)
        self.decision.setText(decision_line(records[-1]) if records else "")
        self.decision.setVisible(bool(records))
        self.route_button.setVisible(bool(self.routes) and self.with_route_button)
        # open ones first (by due moment), then the done ones
        ordered = [o for o in self.obligations if not o.done] + [
            o for o in self.obligations if o.done
        ]
        for obligation in ordered:
            self.list_layout.addWidget(self._card(obligation))
        self.empty.setVisible(not self.obligations)

    def _card(self, obligation: Obligation) -> QFrame:
        frame, layout = card("cardDone" if obligation.done else "card")
        if not obligation.done and not obligation.case_closed:
            frame.installEventFilter(self)  # a double-click opens the form too
            frame.setProperty("obligation_id", obligation.id)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(3)
        frame.setToolTip(obligation.instruction)
        head = QHBoxLayout()
        title = plain(obligation.title)
        title.setStyleSheet("font-weight: 600;" if not obligation.done else "")
        head.addWidget(title, 1)
        if not obligation.done and not obligation.case_closed:
            button = QPushButton(_("Mark as done…"))
            button.setAutoDefault(False)
            button.clicked.connect(
                lambda _checked=False, oid=obligation.id: self.complete(oid)
            )
            self.complete_buttons[obligation.id] = button
            head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        if obligation.done:
            layout.addWidget(plain(_completion_text(obligation), "muted"))
        else:
            line = f"{due_short(obligation)} · {status_text(obligation)}"
            layout.addWidget(label(line, status_object(obligation)))
            if obligation.overrides_consent:
                layout.addWidget(label(_("Goes before the pupil's consent"), "muted"))
        layout.addWidget(
            label(_("Basis: {basis}").format(basis=obligation.basis), "muted")
        )
        return frame

    # -- acting -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.MouseButtonDblClick:
            obligation_id = watched.property("obligation_id")
            if obligation_id is not None:
                self.complete(int(obligation_id))
                return True
        return super().eventFilter(watched, event)

    def complete(self, obligation_id: int) -> None:
        """Open the form that marks `obligation_id` done."""
        dialog = open_obligation(self.main_window, obligation_id)
        if dialog is not None:
            dialog.finished.connect(self._after_dialog)
            self.dialog = dialog

    def _route_clicked(self) -> None:
        if not self.routes:
            return
        if len(self.routes) == 1:
            self.open_route(self.routes[0].id)
            return
        menu = QMenu(self)
        for item in self.routes:
            text = _("{kind}, started {date}").format(
                kind=route_kind_text(item.kind), date=short_date(item.started_on)
            )
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, rid=item.id: self.open_route(rid))
        menu.exec(self.route_button.mapToGlobal(self.route_button.rect().bottomLeft()))

    def open_route(self, route_id: int) -> None:
        if self.main_window.session is None:
            return
        from ui.views.meldcode import MeldcodeDialog

        dialog = MeldcodeDialog(self.main_window, route_id)
        dialog.finished.connect(self._after_dialog)
        self.dialog = dialog
        dialog.open()

    def _after_dialog(self, _result: int = 0) -> None:
        if self.main_window.session is None:
            return
        self.main_window.refresh()  # the dashboard and the case file (which may hold this panel)
        self.refresh()


def open_obligation(window: MainWindow, obligation_id: int) -> QDialog | None:
    """Open the form that marks `obligation_id` done (window-modal, not blocking); the main
    window redraws when it closes. None while locked."""
    if window.session is None:
        return None
    from ui.dialogs.obligation import CompleteObligationDialog

    dialog = CompleteObligationDialog(window, obligation_id)
    dialog.finished.connect(lambda _result: window.refresh() if window.session else None)
    dialog.open()
    return dialog


def route_kind_text(kind: str) -> str:
    if kind == "VEILIG_THUIS_ADVICE":
        return _("Advice from Veilig Thuis")
    return _("Meldcode")


def _completion_text(obligation: Obligation) -> str:
    parts = [_("Done on {date}").format(date=short_date(obligation.done_on))]
    if obligation.informed_whom:
        parts.append(_("informed: {whom}").format(whom=obligation.informed_whom))
    if obligation.informed_how:
        parts.append(_("how: {how}").format(how=obligation.informed_how))
    if obligation.pupil_told_first is True:
        parts.append(_("the pupil was told beforehand"))
    elif obligation.pupil_told_first is False:
        parts.append(_("the pupil was not told beforehand"))
    return " · ".join(parts)
