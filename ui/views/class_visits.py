"""The start-of-year part of the overview (issue 18): in August and September, until the
"Nieuw schooljaar" wizard was done for the running school year, an offer to start it; and
the class visits planned and not done, until the VP marks them done (double-click, or the
context menu: mark done, move, take off the plan).

Marking a visit done makes it an activity of kind `klassenbezoek` with reach = pupils
(`app.services.year_start.mark_done`): it counts in the annual report from then on.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSpinBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import school_year_of
from app.domain.errors import ValidationError
from app.i18n import _
from app.services import year_start as service
from app.services.activities import MAX_REACH
from ui.dates import WindowClock, short_date
from ui.style import label
from ui.views.entry_form import (
    DateDialog,
    DateField,
    ask,
    dialog_buttons,
    error_label,
    show_error,
)

if TYPE_CHECKING:
    from ui.views.dashboard import DashboardView

ROLE = Qt.ItemDataRole.UserRole
OFFER_MONTHS = (8, 9)


class YearStartPanel(QWidget):
    """Below the dashboard's lists; hidden when there is nothing to offer or to do."""

    def __init__(self, view: DashboardView) -> None:
        super().__init__()
        from ui.views.dashboard import Section

        self.view = view
        self.main_window = view.main_window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        offer = QHBoxLayout()
        self.offer_label = label(_(
            "A new school year: make your poster, flyer, website text and class-visit plan."),
            "warning", wrap=False)
        self.offer_button = QPushButton(_("New school year…"))
        self.offer_button.clicked.connect(self.start)
        offer.addWidget(self.offer_label)
        offer.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignVCenter)
        offer.addStretch(1)
        layout.addLayout(offer)
        self.section = Section(
            _("Class visits planned"), [_("Planned"), _("Class"), _("Pupils"), _("Attention")],
            1, self)  # type: ignore[arg-type]  # any object with open_item(item)
        self.section.tree.setMaximumHeight(150)
        self.section.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.section.tree.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.section)
        self.hide()

    def refresh(self) -> None:
        session = self.main_window.session
        if session is None:
            self.section.clear()
            self.hide()
            return
        store = session.store
        today = self.main_window.now().date()
        offer = (today.month in OFFER_MONTHS
                 and service.load_answers(store, school_year_of(today)) is None)
        self.offer_label.setVisible(offer)
        self.offer_button.setVisible(offer)
        visits = service.open_visits(store)
        from ui.views.dashboard import Row, _marks

        self.section.fill([
            Row((short_date(v.planned_on), v.class_name,
                 "" if v.pupils is None else str(v.pupils),
                 _marks(v.planned_on < today, today=v.planned_on == today)),
                "class_visit", v.id, None, overdue=v.planned_on < today)
            for v in visits
        ])
        self.section.setVisible(bool(visits))
        self.setVisible(offer or bool(visits))

    def start(self) -> None:
        from ui.wizards.year_start import run_year_start

        run_year_start(self.main_window)

    def open_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ROLE)
        if data:
            self.mark_done(int(data[1]))

    def _menu(self, position: Any) -> None:
        item = self.section.tree.itemAt(position)
        data = item.data(0, ROLE) if item is not None else None
        if not data:
            return
        visit_id = int(data[1])
        menu = QMenu(self)
        menu.addAction(_("Mark as done…"), lambda: self.mark_done(visit_id))
        menu.addAction(_("Plan on another day…"), lambda: self.move_visit(visit_id))
        menu.addAction(_("Take off the plan…"), lambda: self.remove(visit_id))
        menu.exec(self.section.tree.viewport().mapToGlobal(position))

    def mark_done(self, visit_id: int) -> bool:
        session = self.main_window.session
        if session is None:
            return False
        visit = service.get_visit(session.store, visit_id)
        dialog = VisitDoneDialog(self, visit, self.main_window.now().date(),
                                 WindowClock(self.main_window.now))
        done = dialog.exec() == QDialog.DialogCode.Accepted
        self.main_window.refresh()
        return done

    def move_visit(self, visit_id: int) -> None:
        session = self.main_window.session
        if session is None:
            return
        store = session.store
        visit = service.get_visit(store, visit_id)
        dialog = DateDialog(
            self, _("Plan on another day"),
            _("On which day do you visit {name}?").format(name=visit.class_name),
            _("Date"), today=visit.planned_on,
            save=lambda day: service.move_visit(store, visit_id, day))
        dialog.exec()
        self.main_window.refresh()

    def remove(self, visit_id: int) -> None:
        session = self.main_window.session
        if session is None:
            return
        visit = service.get_visit(session.store, visit_id)
        if ask(self, _("Take off the plan"),
               _("Take the visit to {name} off the plan?").format(name=visit.class_name),
               _("Take off"), _("Cancel")):
            try:
                service.remove_visit(session.store, visit_id)
            except ValidationError:
                pass
        self.main_window.refresh()


class VisitDoneDialog(QDialog):
    """When the visit took place and how many pupils were there (the reach)."""

    def __init__(self, parent: QWidget, visit: service.ClassVisit, today: date,
                 clock: WindowClock) -> None:
        super().__init__(parent)
        self.visit = visit
        self.clock = clock
        self.store = parent.main_window.session.store  # type: ignore[attr-defined]
        self.setWindowTitle(_("Class visit done"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(label(_(
            "Mark the visit to {name} as done. It then counts as an activity in your annual "
            "report, with the pupils of the class as its reach.").format(name=visit.class_name)))
        form = QFormLayout()
        self.day = DateField(min(visit.planned_on, today))
        self.pupils = QSpinBox()
        self.pupils.setRange(0, MAX_REACH)
        self.pupils.setValue(visit.pupils or 0)
        form.addRow(_("Date of the visit"), self.day)
        form.addRow(_("Pupils in the class"), self.pupils)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, _("Mark as done"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            service.mark_done(self.store, self.clock, self.visit.id,
                              on_date=self.day.value("on_date"),
                              pupils=self.pupils.value() or None)
        except ValidationError as error:
            show_error(self.error, error.message)
            return False
        self.accept()
        return True
