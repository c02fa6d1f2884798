"""The case files tab: search all cases (names and notes) with filters, open one.

The search runs as you type, 250 ms after the last key, and at once when a filter changes.
Hits come from `app.services.search.search` (pupil-name matches first, then note matches,
newest first, at most `LIMIT`); the class and categories of each hit are read with
`casework.get_case` / `get_pupil` and kept for the next search until `refresh()`. The words
that matched are shown in bold in the excerpt (the service marks them with brackets).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QPainter, QPalette, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.lists import CATEGORIES, label, options
from app.domain.models import SearchHit
from app.i18n import _
from app.services.casework import ValidationError, get_case, get_pupil
from app.services.search import search
from app.store.db import Store
from ui.dates import school_years, short_date
from ui.style import label as text_label

if TYPE_CHECKING:
    from ui.main_window import MainWindow

LIMIT = 200
DEBOUNCE_MS = 250
ROLE = Qt.ItemDataRole.UserRole
_MARK = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class CaseFacts:
    class_name: str
    categories: tuple[str, ...]


def excerpt_html(snippet: str) -> str:
    """The excerpt as rich text: escaped, with the search service's [marks] in bold."""
    return _MARK.sub(r"<b>\1</b>", html.escape(snippet, quote=False))


class ExcerptDelegate(QStyledItemDelegate):
    """Paints an excerpt cell as rich text (bold search words), on one line."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = opt.palette.color(role).name()
        doc.setHtml(f'<span style="color:{color}">{excerpt_html(text)}</span>')
        doc.setDocumentMargin(2)
        painter.save()
        rect = opt.rect
        top = rect.top() + max(0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left() + 2, top)
        painter.setClipRect(QRectF(0, 0, rect.width() - 4, rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 4)


class CasesView(QWidget):
    """Search and filters over all case files; a double-click opens one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setProperty("help_id", "cases")
        self.main_window = window
        self.facts: dict[int, CaseFacts] = {}
        self.hits: list[SearchHit] = []
        self.more = False
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(text_label(_("Case files"), "title"))
        titles.addWidget(text_label(
            _("Search in pupils' names and in all notes, or narrow the list with the filters."),
            "subtitle",
        ))
        top.addLayout(titles, 1)
        self.pupil_button = QPushButton(_("Pupil…"))
        self.pupil_button.setToolTip(_("Everything about the pupil of the selected case file, "
                                       "across all cases, in date order"))
        self.pupil_button.setEnabled(False)
        self.pupil_button.clicked.connect(self.open_pupil)
        top.addWidget(self.pupil_button, 0, Qt.AlignmentFlag.AlignTop)
        self.intake_button = QPushButton(_("Start intake conversation…"))
        self.intake_button.clicked.connect(lambda: self.main_window.start_intake())
        top.addWidget(self.intake_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(_("Search for a name or a word from the notes…"))
        self.search_box.setClearButtonEnabled(True)
        self.status = QComboBox()
        for value, text in (("all", _("open and closed")), ("open", _("open")),
                            ("closed", _("closed"))):
            self.status.addItem(text, value)
        self.category = QComboBox()
        self.category.addItem(_("all categories"), None)
        for category_id, text in options(CATEGORIES):
            self.category.addItem(text, category_id)
        self.category.setMaximumWidth(300)
        self.school_year = QComboBox()
        self.school_year.addItem(_("all school years"), None)
        for year in school_years(self.main_window.now().date()):
            self.school_year.addItem(_("school year {year}").format(year=year), year)
        filters.addWidget(self.search_box, 3)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.category, 2)
        filters.addWidget(self.school_year, 1)
        layout.addLayout(filters)

        self.count_label = text_label("", "subtitle")
        # Free text stays off the list unless asked for: someone may be looking over your
        # shoulder. Off again after every lock.
        self.show_text = QCheckBox(_("Show text from the notes"))
        self.show_text.setToolTip(_("Shows a few words from the notes that match your search. "
                                    "Off by default, so nobody reads along over your "
                                    "shoulder."))
        counts = QHBoxLayout()
        counts.addWidget(self.count_label, 1)
        counts.addWidget(self.show_text)
        layout.addLayout(counts)

        headers = [_("Pupil"), _("Class"), _("Opened"), _("Categories"), _("Status"),
                   _("Excerpt")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(5, ExcerptDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 210)
        self.table.setColumnWidth(1, 60)
        self.table.setColumnWidth(2, 95)
        self.table.setColumnWidth(3, 260)
        self.table.itemActivated.connect(self.open_item)
        self.table.itemSelectionChanged.connect(
            lambda: self.pupil_button.setEnabled(self.table.currentRow() >= 0
                                                 and bool(self.table.selectedItems())))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.show_text.toggled.connect(self._show_text)
        self._show_text(False)
        layout.addWidget(self.table, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self.timer.start())
        self.search_box.returnPressed.connect(self.run_search)
        for combo in (self.status, self.category, self.school_year):
            combo.currentIndexChanged.connect(lambda _index: self.run_search())
        window.locked.connect(self.refresh)
        self.stale = True

    def _show_text(self, on: bool) -> None:
        """The text column takes the spare room when shown; else the categories do."""
        header = self.table.horizontalHeader()
        self.table.setColumnHidden(5, not on)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive if on
                                    else QHeaderView.ResizeMode.Stretch)
        if on:
            self.table.setColumnWidth(3, 260)

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read again; while locked, forget the results and the words typed (they may be a
        pupil's name). A hidden tab searches when it is shown, not at start-up."""
        self.facts.clear()
        if self.main_window.session is None:
            self.show_text.setChecked(False)
            self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(False)
        if self.isVisible() or self.main_window.session is None:
            self.run_search()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.run_search()

    def run_search(self) -> None:
        self.timer.stop()
        session = self.main_window.session
        if session is None:
            self.hits = []
            self.table.setRowCount(0)
            self.count_label.clear()
            return
        store = session.store
        self.hits = search(
            store,
            self.search_box.text(),
            status=self.status.currentData(),
            category=self.category.currentData(),
            school_year=self.school_year.currentData(),
            limit=LIMIT + 1,
        )
        self.more = len(self.hits) > LIMIT
        del self.hits[LIMIT:]
        self._fill(store)

    def _facts(self, store: Store, case_id: int) -> CaseFacts:
        if case_id not in self.facts:
            try:
                case = get_case(store, case_id)
                pupil = get_pupil(store, case.pupil_id)
                self.facts[case_id] = CaseFacts(pupil.class_name, case.categories)
            except ValidationError:
                self.facts[case_id] = CaseFacts("", ())
        return self.facts[case_id]

    def _fill(self, store: Store) -> None:
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            facts = self._facts(store, hit.case_id)
            categories = ", ".join(label(CATEGORIES, c) for c in facts.categories)
            cells = (
                hit.pupil_name,
                facts.class_name,
                short_date(hit.opened_on),
                categories,
                _("closed") if hit.closed else _("open"),
                hit.snippet,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ROLE, hit.case_id)
                if column in (0, 3):
                    item.setToolTip(text)
                elif column == 5:
                    item.setToolTip(text.replace("[", "").replace("]", ""))
                self.table.setItem(row, column, item)
        self.table.setUpdatesEnabled(True)
        count = len(self.hits)
        if count == 0:
            text = _("No case files found.")
        elif self.more:
            text = _("More than {count} case files; the first {count} are shown. Search or "
                     "filter to see fewer.")
        elif count == 1:
            text = _("1 case file found")
        else:
            text = _("{count} case files found")
        self.count_label.setText(text.format(count=count))

    # -- acting ---------------------------------------------------------------------------
    def open_item(self, item: QTableWidgetItem) -> None:
        case_id = item.data(ROLE)
        if case_id is not None:
            self.main_window.open_case(int(case_id))

    def _menu(self, position: QPoint) -> None:
        item = self.table.itemAt(position)
        if item is None or item.data(ROLE) is None:
            return
        self.table.selectRow(item.row())
        menu = QMenu(self)
        menu.addAction(_("Open case file"), lambda: self.open_item(item))
        menu.addAction(_("Pupil…"), self.open_pupil)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def open_pupil(self) -> None:
        """The page of the selected case's pupil: everything across all their cases."""
        session = self.main_window.session
        item = self.table.item(self.table.currentRow(), 0)
        if session is None or item is None or item.data(ROLE) is None:
            return
        try:
            pupil_id = get_case(session.store, int(item.data(ROLE))).pupil_id
        except ValidationError:
            return
        from ui.views.pupil import open_pupil

        open_pupil(self.main_window, pupil_id)
