"""A pupil's page (issue 11): who the pupil is, their cases, and one chronology of everything
across all their cases in date order (`app.services.chronology.pupil_chronology`).

Opened in its own tab with `open_pupil(window, pupil_id)` — from the case file ("Leerling…")
and from the case list (button and right-click menu). The chronology lists requests, intake
conversations, entries, escalation checks, obligations done, meldcode steps and afwegingen,
and closings; the list shows no free text (shoulder surfing), the selected line is read in
full below it. A double-click on a line or a case opens that case file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import show_date
from app.domain.errors import NotFoundError
from app.domain.lists import CATEGORIES, LEVELS
from app.domain.lists import label as list_label
from app.i18n import _
from app.services.casework import get_pupil
from app.services.chronology import Event, pupil_cases, pupil_chronology
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CASE_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
GREY = QColor("#8a949e")


def open_pupil(window: MainWindow, pupil_id: int) -> PupilView | None:
    """Show the page of `pupil_id` in its own tab (reusing an open one)."""
    if window.session is None:
        return None
    for index in range(window.tabs.count()):
        view = window.tabs.widget(index)
        if isinstance(view, PupilView) and view.pupil_id == pupil_id:
            window.tabs.setCurrentIndex(index)
            view.refresh()
            return view
    view = PupilView(window, pupil_id)
    window.tabs.setCurrentIndex(window.tabs.addTab(view, view.tab_title()))
    return view


class PupilView(QWidget):
    def __init__(self, window: MainWindow, pupil_id: int) -> None:
        super().__init__()
        self.setProperty("help_id", "pupil")
        self.main_window = window
        self.pupil_id = pupil_id
        self.events: list[Event] = []
        self._title = _("Pupil")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        self.name_label = label("", "title")
        layout.addWidget(self.name_label)
        self.info_label = label("", "subtitle")
        layout.addWidget(self.info_label)
        self.gone = label(_("This pupil is no longer in Vertrouwd."), "warning")
        self.gone.hide()
        layout.addWidget(self.gone)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self._heading(_("Case files")))
        self.cases = QTreeWidget()
        self.cases.setHeaderLabels([_("Opened"), _("Nature of the problem"), _("Status")])
        self.cases.setRootIsDecorated(False)
        self.cases.setUniformRowHeights(True)
        self.cases.itemActivated.connect(lambda item, _c: self._open(item))
        header = self.cases.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        top_layout.addWidget(self.cases)
        splitter.addWidget(top)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self._heading(_("Chronology (all cases, oldest first)")))
        self.tree = QTreeWidget()
        self.tree.setObjectName("chronology")
        self.tree.setHeaderLabels([_("Date"), _("Case of"), _("What"), _("Details")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.tree.header()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda item, _c: self._open(item))
        bottom_layout.addWidget(self.tree, 1)
        self.detail = QTextBrowser()
        self.detail.setMaximumHeight(110)
        self.detail.setPlaceholderText(_("Select a line to read it in full."))
        bottom_layout.addWidget(self.detail)
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = QPushButton(_("Open case file"))
        self.open_button.clicked.connect(self.open_selected)
        row.addWidget(self.open_button)
        bottom_layout.addLayout(row)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([130, 520])
        layout.addWidget(splitter, 1)
        window.locked.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _heading(text: str) -> QWidget:
        heading = label(text, wrap=False)
        heading.setStyleSheet("font-weight: 600; color: #1f3b57;")
        return heading

    def tab_title(self) -> str:
        return self._title

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        session = self.main_window.session
        self.tree.clear()
        self.cases.clear()
        self.detail.clear()
        if session is None:
            self.events = []
            return
        store = session.store
        try:
            pupil = get_pupil(store, self.pupil_id)
            cases = pupil_cases(store, self.pupil_id)
            self.events = pupil_chronology(store, self.pupil_id)
        except NotFoundError:
            self.gone.show()
            self.open_button.setEnabled(False)
            return
        self._title = _("Pupil: {name}").format(name=pupil.name)
        index = self.main_window.tabs.indexOf(self)
        if index >= 0:
            self.main_window.tabs.setTabText(index, self._title)
        self.name_label.setText(pupil.name)
        facts = []
        if pupil.class_name:
            facts.append(_("class {name}").format(name=pupil.class_name))
        if pupil.level:
            facts.append(list_label(LEVELS, pupil.level))
        facts.append(_("minor") if pupil.minor else _("18 or older"))
        open_count = sum(1 for c in cases if c.closed_on is None)
        facts.append(_("{count} case file(s), {open} open").format(count=len(cases),
                                                                   open=open_count))
        self.info_label.setText(" · ".join(facts))
        opened_on = {c.id: show_date(c.opened_on) for c in cases}
        for case in reversed(cases):
            status = (_("closed on {date}").format(date=show_date(case.closed_on))
                      if case.closed_on is not None else _("open"))
            item = QTreeWidgetItem([
                show_date(case.opened_on),
                ", ".join(list_label(CATEGORIES, c) for c in case.categories), status])
            item.setData(0, CASE_ROLE, case.id)
            self.cases.addTopLevelItem(item)
        for event in self.events:
            case_text = opened_on.get(event.case_id, "—") if event.case_id else "—"
            item = QTreeWidgetItem([show_date(event.on), case_text, event.title, event.details])
            item.setData(0, CASE_ROLE, event.case_id)
            item.setData(0, TEXT_ROLE, event.text)
            item.setToolTip(3, event.details)
            if event.superseded:
                for column in range(4):
                    item.setForeground(column, QBrush(GREY))
            self.tree.addTopLevelItem(item)
        self._selection_changed()

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The chronology as shown (date, case, what, details), for tests and reading."""
        result = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None:
                result.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return result

    def _selection_changed(self) -> None:
        item = self.tree.currentItem()
        self.open_button.setEnabled(item is not None and item.data(0, CASE_ROLE) is not None)
        if item is None:
            self.detail.clear()
            return
        parts = [f"{item.text(0)} — {item.text(2)}"]
        if item.text(3):
            parts.append(item.text(3))
        text = str(item.data(0, TEXT_ROLE) or "")
        if text.strip():
            parts += ["", text]
        self.detail.setPlainText("\n".join(parts))

    # -- acting ---------------------------------------------------------------------------
    def _open(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, CASE_ROLE)
        if case_id is not None:
            self.main_window.open_case(int(case_id))

    def open_selected(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._open(item)


__all__ = ["PupilView", "open_pupil"]
