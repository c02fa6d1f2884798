"""The meldcode section of the case file: the five steps and the afwegingskader at a glance.

One block per meldcode route of the case (usually one): which of the five steps are recorded
(with their date) and which are still open, the latest afweging and its outcome, and two
buttons: "Meldcode-route…" opens the tracker on its five steps, "Afwegingskader…" on the
afwegingskader (`ui.views.meldcode.MeldcodeDialog`, where steps are recorded and the walk is
done). Without a route the section says how one starts (an escalation check that finds the
meldcode applies) and shows no buttons. Reads the store on every `refresh()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from app.rules.meldcode import STEPS
from app.services.chronology import afweging_outcome
from app.services.meldcode import MeldcodeRoute, routes_for_case
from ui.dates import short_date, short_moment
from ui.style import label
from ui.views.obligations import clear_layout, route_kind_text

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.views.meldcode import MeldcodeDialog

STEPS_TAB, AFWEGING_TAB = 0, 1


class MeldcodeSection(QGroupBox):
    """The meldcode routes of one case (see the module doc). `route_buttons[route_id]` and
    `afweging_buttons[route_id]` are the buttons; `dialog` the tracker opened last."""

    def __init__(self, window: MainWindow, case_id: int) -> None:
        super().__init__(_("Meldcode"))
        self.setObjectName("meldcodeSection")
        self.main_window = window
        self.case_id = case_id
        self.routes: list[MeldcodeRoute] = []
        self.route_buttons: dict[int, QPushButton] = {}
        self.afweging_buttons: dict[int, QPushButton] = {}
        self.dialog: MeldcodeDialog | None = None
        self.body = QVBoxLayout(self)
        self.body.setSpacing(4)
        self.refresh()

    def refresh(self) -> None:
        clear_layout(self.body)
        self.route_buttons, self.afweging_buttons = {}, {}
        session = self.main_window.session
        if session is None:
            self.routes = []
            return
        self.routes = routes_for_case(session.store, self.case_id)
        if not self.routes:
            self.body.addWidget(label(_(
                "No meldcode route. The escalation check starts one when the meldcode "
                "applies; its five steps and the afwegingskader are then kept here."),
                "subtitle"))
            return
        for index, route in enumerate(self.routes):
            if index:
                self.body.addSpacing(6)
            self._route_block(route)

    def _route_block(self, route: MeldcodeRoute) -> None:
        head = _("{kind}, started {date}").format(
            kind=route_kind_text(route.kind), date=short_date(route.started_on))
        if route.closed_on is not None:
            head += " · " + _("closed on {date}").format(date=short_date(route.closed_on))
        title = label(head, wrap=True)
        title.setStyleSheet("font-weight: 600;")
        self.body.addWidget(title)
        done = {s.step: s for s in route.steps}
        for step in STEPS:
            recorded = done.get(step.number)
            if recorded is not None:
                text = "✓ " + _("{number}. {title} — {date}").format(
                    number=step.number, title=step.title, date=short_date(recorded.on_date))
                line = label(text)
                line.setStyleSheet("color: #1f5a33;")
            else:
                line = label("○ " + _("{number}. {title}").format(
                    number=step.number, title=step.title), "subtitle")
            line.setObjectName(f"meldcodeStep{step.number}")
            self.body.addWidget(line)
        if route.afwegingen:
            last = route.afwegingen[-1]
            text = _("Afwegingskader {moment}: {outcome}").format(
                moment=short_moment(last.decided_at), outcome=afweging_outcome(last.outcome))
            if route.term_until is not None:
                text += " · " + _("term until {date}").format(date=short_date(route.term_until))
        else:
            text = _("Afwegingskader: not filled in yet")
        self.body.addWidget(label(text, "subtitle"))
        row = QHBoxLayout()
        steps_button = QPushButton(_("Meldcode route…"))
        steps_button.setToolTip(_("The five steps of the meldcode and the afwegingskader"))
        steps_button.clicked.connect(
            lambda _c=False, rid=route.id: self.open_route(rid, STEPS_TAB))
        weigh_button = QPushButton(_("Afwegingskader…"))
        weigh_button.clicked.connect(
            lambda _c=False, rid=route.id: self.open_route(rid, AFWEGING_TAB))
        self.route_buttons[route.id] = steps_button
        self.afweging_buttons[route.id] = weigh_button
        row.addWidget(steps_button)
        row.addWidget(weigh_button)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 4, 0, 0)
        self.body.addWidget(holder)

    def open_route(self, route_id: int, tab: int = STEPS_TAB) -> None:
        """The tracker of `route_id` on its five steps (or its afwegingskader)."""
        if self.main_window.session is None:
            return
        from ui.views.meldcode import MeldcodeDialog

        dialog = MeldcodeDialog(self.main_window, route_id)
        dialog.tabs.setCurrentIndex(tab)
        dialog.finished.connect(lambda _result: self._after())
        self.dialog = dialog
        dialog.open()

    def _after(self) -> None:
        if self.main_window.session is not None:
            self.main_window.refresh()


__all__ = ["MeldcodeSection"]
