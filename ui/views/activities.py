"""The activities tab: the register of work that is not about one pupil (protocol 4c, 5a,
5b) — class visits, posters and flyers, website text, policy advice, training — per school
year. It feeds the annual report. Add, change and remove go through a small form
(`ActivityDialog`) that calls `casework.add_activity` / `update_activity` and shows a refused
input inline; removing asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.lists import ACTIVITY_KINDS, label, options
from app.domain.models import Activity
from app.i18n import _
from app.services.activities import MAX_REACH
from app.services.casework import (
    ValidationError,
    add_activity,
    delete_activity,
    list_activities,
    update_activity,
)
from app.store.db import Store
from ui.dates import WindowClock, school_years, short_date
from ui.style import label as text_label
from ui.views.entry_form import DateField

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ROLE = Qt.ItemDataRole.UserRole


class ActivityDialog(QDialog):
    """The form of one activity: new (`activity` None) or a change of an existing one."""

    def __init__(
        self,
        store: Store,
        now: Callable[[], datetime] = datetime.now,
        activity: Activity | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.clock = WindowClock(now)
        self.activity = activity
        self.saved: Activity | None = None
        self.setWindowTitle(_("Change activity") if activity else _("New activity"))
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            _("Change activity") if activity else _("New activity"), "title"))

        self.kind = QComboBox()
        self.kind.addItem(_("choose…"), None)
        for kind_id, text in options(ACTIVITY_KINDS):
            self.kind.addItem(text, kind_id)
        self.on_date = DateField()  # typed dd-mm-jjjj; arrow keys never change it
        self.reach = QSpinBox()
        self.reach.setRange(0, MAX_REACH)
        self.reach.setSuffix(_(" people"))
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(80)
        self.text.setPlaceholderText(_("for example: lesson about bullying in class 2B"))
        form = QFormLayout()
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Date"), self.on_date)
        form.addRow(_("Reach"), self.reach)
        form.addRow("", text_label(
            _("How many pupils or others did it reach? A class is about 28 pupils; "
              "0 when you do not know."), "subtitle"))
        form.addRow(_("Short description"), self.text)
        layout.addLayout(form)

        if activity is None:
            today = self.clock.today()
            self.on_date.set_date(today)
        else:
            self.kind.setCurrentIndex(max(0, self.kind.findData(activity.kind)))
            day = activity.on_date
            self.on_date.set_date(day)
            self.reach.setValue(activity.reach)
            self.text.setPlainText(activity.text)

        self.error = text_label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            values = {
                "kind": self.kind.currentData(),
                "on_date": self.on_date.value("on_date"),
                "reach": self.reach.value(),
                "text": self.text.toPlainText().strip(),
            }
            if self.activity is None:
                self.saved = add_activity(self.store, self.clock, **values)
            else:
                self.saved = update_activity(self.store, self.clock, self.activity.id, **values)
        except ValidationError as error:
            self.error.setText(error.message)
            self.error.show()
            box = self.layout()
            assert box is not None  # the form's layout is set in __init__
            box.activate()
            self.resize(self.width(), max(self.height(), box.sizeHint().height()))
            widget = {"kind": self.kind, "on_date": self.on_date, "reach": self.reach,
                      "text": self.text}.get(error.field)
            if widget is not None:
                widget.setFocus()
            return
        self.accept()


class ActivitiesView(QWidget):
    """The register of one school year, with add / change / remove."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setProperty("help_id", "activities")
        self.main_window = window
        self.activities: list[Activity] = []
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(_("Activities"), "title"))
        layout.addWidget(text_label(_(
            "Work that is not about one pupil: class visits, posters and flyers, text for the "
            "website, policy advice, training. It counts in the annual report."), "subtitle"))

        bar = QHBoxLayout()
        self.school_year = QComboBox()
        for year in school_years(self.main_window.now().date()):
            self.school_year.addItem(_("school year {year}").format(year=year), year)
        self.school_year.currentIndexChanged.connect(lambda _index: self.refresh())
        self.add_button = QPushButton(_("New activity…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Change…"))
        self.edit_button.clicked.connect(self.edit)
        self.remove_button = QPushButton(_("Remove…"))
        self.remove_button.clicked.connect(self.remove)
        bar.addWidget(self.school_year)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.remove_button)
        layout.addLayout(bar)

        self.summary = text_label("", "subtitle")
        layout.addWidget(self.summary)
        headers = [_("Date"), _("Kind"), _("Reach"), _("Description")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _item: self.edit())
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table, 1)
        window.locked.connect(self.refresh)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.main_window.session
        self.table.setRowCount(0)
        self.activities = []
        if session is None:
            self.summary.clear()
            self._enable()
            return
        year = self.school_year.currentData()
        self.activities = list_activities(session.store, year)
        self.table.setRowCount(len(self.activities))
        for row, activity in enumerate(self.activities):
            cells = (
                short_date(activity.on_date),
                label(ACTIVITY_KINDS, activity.kind),
                str(activity.reach) if activity.reach else "",
                " ".join(activity.text.split()),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ROLE, activity.id)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if not self.activities:
            self.summary.setText(_("No activities recorded in school year {year} yet.").format(
                year=year))
        else:
            self.summary.setText(_(
                "{count} activities in school year {year}, reaching {reach} people in all."
            ).format(count=len(self.activities), year=year,
                     reach=sum(a.reach for a in self.activities)))
        self._enable()

    def selected(self) -> Activity | None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.activities) or not self.table.selectedItems():
            return None
        return self.activities[row]

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.add_button.setEnabled(self.main_window.session is not None)

    def select(self, activity_id: int) -> None:
        for row, activity in enumerate(self.activities):
            if activity.id == activity_id:
                self.table.selectRow(row)
                return

    # -- acting ---------------------------------------------------------------------------
    def _show_year_of(self, saved: Activity) -> None:
        from app.domain.dates import school_year_of

        index = self.school_year.findData(school_year_of(saved.on_date))
        if index >= 0 and index != self.school_year.currentIndex():
            self.school_year.setCurrentIndex(index)  # refreshes
        else:
            self.refresh()
        self.select(saved.id)

    def add(self) -> None:
        session = self.main_window.session
        if session is None:
            return
        dialog = ActivityDialog(session.store, self.main_window.now, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._show_year_of(dialog.saved)

    def edit(self) -> None:
        session = self.main_window.session
        activity = self.selected()
        if session is None or activity is None:
            return
        dialog = ActivityDialog(session.store, self.main_window.now, activity, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._show_year_of(dialog.saved)

    def remove(self) -> None:
        session = self.main_window.session
        activity = self.selected()
        if session is None or activity is None:
            return
        choice = QMessageBox.question(
            self,
            _("Remove activity"),
            _("Remove the activity \u201c{kind}\u201d of {date}? This cannot be undone.").format(
                kind=label(ACTIVITY_KINDS, activity.kind), date=short_date(activity.on_date)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if choice != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_activity(session.store, activity.id)
        except ValidationError as error:
            QMessageBox.warning(self, _("Remove activity"), error.message)
        self.refresh()
