"""The overview (dashboard, PRODUCT.md job 4): what needs the VP's attention today.

Four lists in two columns: requests to answer, plan steps due soon, open obligations, and
cases without contact for the settings' number of weeks; above them a status strip for the
backup age and the retention period. Overdue rows are red and say "too late"; urgent
requests are bold. A double-click opens the item: a request starts the intake with it, the
other rows open their case file. Everything shown comes from `app.services` (the dashboard,
escalation and backup services); a service that has not landed yet, or a slot it leaves
empty, shows nothing rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.lists import REFERRAL_SOURCES, label
from app.i18n import _
from app.messages import reason_message
from app.services.casework import ValidationError, answer_request, get_case, list_requests
from app.services.dashboard import dashboard
from app.storage_location import location_risks, risk_message
from app.store.db import Store
from app.store.settings import Settings, load_settings
from ui.dates import WindowClock, dutch_date, short_date, short_moment
from ui.style import label as text_label
from ui.style import scroll_area

if TYPE_CHECKING:
    from ui.main_window import MainWindow

OVERDUE = QColor("#b00020")
NOW = QColor("#c25e00")  # an immediate duty within its two hours: "nu", not "te laat"
QUIET = QColor("#6a7785")
ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Row:
    """One line of a section: its cells, what a double-click opens, and how it looks."""

    cells: tuple[str, ...]
    kind: str
    ref_id: int
    case_id: int | None
    overdue: bool = False
    urgent: bool = False
    now: bool = False  # an immediate duty within its two hours (orange "nu")


class Section(QWidget):
    """A heading with a count and a read-only list; "Nothing to do" when it is empty."""

    def __init__(
        self, title: str, headers: Sequence[str], stretch: int | tuple[int, ...],
        view: DashboardView, elide: tuple[int, ...] = (),
    ) -> None:
        super().__init__()
        self.title = title
        self.heading = text_label(title, wrap=False)
        self.heading.setStyleSheet("font-weight: 600; color: #1f3b57; font-size: 11.5pt;")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(headers))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.itemActivated.connect(lambda item, _column: view.open_item(item))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The names (and long texts) take the room; dates and marks keep their width.
        for column in (stretch,) if isinstance(stretch, int) else stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for column in elide:  # a long text keeps a modest width and ends in "…"
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(column, self.tree.fontMetrics().averageCharWidth() * 26)
        rows = self.tree.fontMetrics().lineSpacing() + 8
        self.tree.setMinimumHeight(rows * 5)  # the header and four lines, on any screen
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)

    def fill(self, rows: Sequence[Row]) -> None:
        self.tree.clear()
        count = len(rows)
        self.heading.setText(
            self.title if not count else _("{title} ({count})").format(title=self.title,
                                                                       count=count)
        )
        if not rows:
            item = QTreeWidgetItem([_("Nothing to do")])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(0, QBrush(QUIET))
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)
            return
        bold = QFont()
        bold.setBold(True)
        for row in rows:
            item = QTreeWidgetItem(list(row.cells))
            item.setData(0, ROLE, (row.kind, row.ref_id, row.case_id))
            for column, text in enumerate(row.cells):
                item.setToolTip(column, text)
                if row.overdue:
                    item.setForeground(column, QBrush(OVERDUE))
                elif row.now:
                    item.setForeground(column, QBrush(NOW))
                if row.urgent:
                    item.setFont(column, bold)
            self.tree.addTopLevelItem(item)

    def clear(self) -> None:
        self.tree.clear()
        self.heading.setText(self.title)

    def rows(self) -> list[QTreeWidgetItem]:
        """The items that stand for something (not the "Nothing to do" line)."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [item for item in items if item is not None and item.data(0, ROLE) is not None]


def _marks(overdue: bool, urgent: bool = False, today: bool = False, now: bool = False) -> str:
    marks = []
    if now:
        marks.append(_("now"))
    elif overdue:
        marks.append(_("too late"))
    elif today:
        marks.append(_("today"))
    if urgent:
        marks.append(_("urgent"))
    return ", ".join(marks)


class DashboardView(QWidget):
    """The overview tab. `refresh()` re-reads every list (empty while the window is locked)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setProperty("help_id", "dashboard")
        self.main_window = window
        self._location_note: str | None = None
        # On a small screen (a laptop at 150%) the lists keep four lines and the page scrolls.
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(text_label(_("What needs your attention"), "title"))
        self.today_label = text_label("", "subtitle")
        titles.addWidget(self.today_label)
        top.addLayout(titles, 1)
        self.new_request_button = QPushButton(_("New request…"))
        self.new_request_button.clicked.connect(self.new_request)
        self.intake_button = QPushButton(_("Start intake conversation…"))
        self.intake_button.clicked.connect(lambda: self.main_window.start_intake())
        top.addWidget(self.new_request_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.intake_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        strip = QHBoxLayout()
        self.backup_label = text_label("", "subtitle")
        self.backup_button = QPushButton(_("Make a backup now…"))
        self.backup_button.clicked.connect(lambda: self.main_window.make_backup())
        self.retention_label = text_label("", "subtitle")
        for line in (self.backup_label, self.retention_label):
            line.setWordWrap(False)  # a wrapped label beside a button folds after a word
        backup_part = QHBoxLayout()
        backup_part.addWidget(self.backup_label)
        backup_part.addWidget(self.backup_button, 0, Qt.AlignmentFlag.AlignVCenter)
        backup_part.addStretch(1)
        strip.addLayout(backup_part, 1)
        self.retention_button = QPushButton(_("View…"))
        self.retention_button.clicked.connect(self.open_retention)
        self.retention_button.hide()
        retention_part = QHBoxLayout()
        retention_part.addWidget(self.retention_label)
        retention_part.addWidget(self.retention_button, 0, Qt.AlignmentFlag.AlignVCenter)
        retention_part.addStretch(1)
        strip.addLayout(retention_part, 1)
        layout.addLayout(strip)

        self.requests = Section(
            _("Requests to answer"),
            [_("Received"), _("Pupil"), _("Through whom"), _("Due"), _("Attention")],
            1,
            self,
            elide=(2,),
        )
        self.requests.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.requests.tree.customContextMenuRequested.connect(self._request_menu)
        self.dialog: QDialog | None = None  # the obligation form opened last
        self.steps = Section(
            _("Actions due soon"), [_("Due"), _("Pupil"), _("Action"), _("Attention")], 1,
            self, elide=(2,),
        )
        self.obligations = Section(
            _("Obligations"), [_("Due"), _("Pupil"), _("Obligation"), _("Attention")],
            1, self, elide=(2,)
        )
        self.obligations.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.obligations.tree.customContextMenuRequested.connect(self._obligation_menu)
        self.no_contact = Section(
            _("Case files without contact"),
            [_("Last conversation"), _("Pupil"), _("Opened"), _("How long ago")],
            1,
            self,
        )
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(12)
        self.columns = 0
        self._arrange(2)
        layout.addLayout(self.grid, 1)
        from ui.views.class_visits import YearStartPanel

        self.year_start = YearStartPanel(self)  # the year-start offer and class visits planned
        layout.addWidget(self.year_start)
        layout.addWidget(text_label(_(
            "Double-click a line to open it. Red lines are past their date."), "subtitle"))
        page = QVBoxLayout(self)
        page.addWidget(scroll_area(body), 1)
        window.locked.connect(self.refresh)
        self.refresh()

    def _arrange(self, columns: int) -> None:
        """Two columns of lists, or one below the other when the tab is narrow (a laptop at
        150%, or the help panel open): each list then keeps the width its names need."""
        if columns == self.columns:
            return
        self.columns = columns
        order = (self.requests, self.obligations, self.steps, self.no_contact)
        for section in order:
            self.grid.removeWidget(section)
        for index, section in enumerate(order):
            self.grid.addWidget(section, index // columns, index % columns)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        wide = self.fontMetrics().averageCharWidth() * 150
        self._arrange(2 if event.size().width() >= wide else 1)

    # -- reading ------------------------------------------------------------------------
    def sections(self) -> tuple[Section, ...]:
        return (self.requests, self.steps, self.obligations, self.no_contact)

    def refresh(self) -> None:
        session = self.main_window.session
        self.year_start.refresh()
        if session is None:
            for section in self.sections():
                section.clear()
            self.today_label.clear()
            self.backup_label.clear()
            self.backup_button.hide()
            self.retention_label.clear()
            self.retention_button.hide()
            return
        store = session.store
        now = self.main_window.now()
        today = now.date()
        settings = load_settings(store)
        board = dashboard(store, today, settings)
        self.today_label.setText(_("Today is {date}.").format(date=dutch_date(today)))
        self.requests.fill(self._request_rows(store, board.requests, today))
        self.steps.fill([
            Row(
                (short_date(item.due), item.title, item.detail,
                 _marks(item.overdue, today=item.due == today)),
                "plan_step", item.ref_id, item.case_id, overdue=item.overdue,
            )
            for item in board.plan_steps
        ])
        self.obligations.fill(self._obligation_rows(store, board, now))
        self.no_contact.title = _("Case files without contact for {weeks} weeks").format(
            weeks=settings.no_contact_weeks
        )
        self.no_contact.fill([
            Row(
                (short_date(item.due) if item.due else "—", item.title,
                 short_date(_as_date(item.detail)), _weeks_ago(item.due, today)),
                "case", item.ref_id, item.case_id,
            )
            for item in board.no_contact
        ])
        self._show_backup(store, today, settings, board.backup_age_days)
        self._show_retention(board.retention_due)
        from app.services.access_rights import privacy_reminders  # issue 13

        extra = privacy_reminders(store, today)
        if extra:
            _restyle(self.retention_label, "\n".join([self.retention_label.text(), *extra]),
                     "warning")

    def _request_rows(self, store: Store, items: Sequence[Any], today: date) -> list[Row]:
        details = {r.id: r for r in list_requests(store, open_only=True, limit=len(items) + 50)}
        rows = []
        for item in items:
            request = details.get(item.ref_id)
            received = short_date(request.received_at.date()) if request else ""
            urgent = bool(request and request.urgent)
            pupil = item.title or _("(no name)")
            rows.append(Row(
                (received, pupil, label(REFERRAL_SOURCES, item.detail), short_date(item.due),
                 _marks(item.overdue, urgent, item.due == today)),
                "request", item.ref_id, item.case_id, overdue=item.overdue, urgent=urgent,
            ))
        return rows

    def _obligation_rows(self, store: Store, board: Any, now: datetime) -> list[Row]:
        """Open obligations from the escalation service (when it is there), else whatever the
        dashboard service lists; meldcode steps waiting are added when a service gives them."""
        names: dict[int, str] = {}

        def pupil(case_id: int | None) -> str:
            if case_id is None:
                return ""
            if case_id not in names:
                try:
                    names[case_id] = get_case(store, case_id).pupil_name
                except ValidationError:
                    names[case_id] = ""
            return names[case_id]

        rows: list[Row] = []
        try:
            from app.services.escalation import open_obligations
        except ImportError:
            open_obligations = None  # type: ignore[assignment]
        if open_obligations is not None:
            for o in open_obligations(store, now):
                rows.append(Row(
                    (short_moment(o.due_at), pupil(o.case_id), o.title,
                     _marks(o.overdue, today=o.due_at.date() == now.date(), now=o.is_now)),
                    "obligation", o.id, o.case_id, overdue=o.overdue, now=o.is_now,
                ))
        else:
            rows += [
                Row((short_date(i.due), pupil(i.case_id), i.title, _marks(i.overdue)),
                    "obligation", i.ref_id, i.case_id, overdue=i.overdue)
                for i in board.obligations
            ]
        rows += [
            Row((short_date(i.due), pupil(i.case_id), i.title, _marks(i.overdue)),
                "meldcode", i.ref_id, i.case_id, overdue=i.overdue)
            for i in getattr(board, "meldcode_steps", ())
        ]
        # A cancelled escalation check, and open cases checked under older rules (issue 10).
        from app.services.check_reminders import dashboard_items as check_items

        rows += [
            Row((short_date(i.due) if i.due else "", pupil(i.case_id), i.title,
                 _("escalation check")), i.kind, i.ref_id, i.case_id, urgent=True)
            for i in check_items(store)
        ]
        return rows

    def _show_backup(
        self, store: Store, today: date, settings: Settings, fallback: int | None
    ) -> None:
        known = True
        try:
            from app.services.backup import backup_age_days

            age = backup_age_days(store, today, settings.backup_dir or None)
        except ImportError:
            age, known = fallback, fallback is not None
        self.backup_button.setVisible(known)
        if not known:
            self.backup_label.hide()
            return
        if age is None:
            text, warn = _("No backup has been made yet."), True
        elif age == 0:
            text, warn = _("Last backup: today."), False
        elif age == 1:
            text, warn = _("Last backup: yesterday."), False
        else:
            text = _("Last backup: {days} days ago.").format(days=age)
            warn = age > settings.backup_warn_days
            if warn:
                text += " " + _("Make a new one soon.")
        session = getattr(self.main_window, "session", None)
        if session is not None and session.config.keyring_refused:
            text += " " + reason_message("keyring_refused")
            warn = True
        if session is not None:
            if self._location_note is None:  # once per window: registry and drive lookups
                self._location_note = risk_message(location_risks(session.data_dir))
            if self._location_note:
                text += " " + self._location_note
                warn = True
        _restyle(self.backup_label, text, "warning" if warn else "subtitle")

    def _show_retention(self, due: Sequence[Any]) -> None:
        self.retention_button.setVisible(bool(due))
        if due:
            _restyle(self.retention_label, _(
                "Retention period: {count} case file(s) past their retention date."
            ).format(count=len(due)), "warning")
        else:
            _restyle(self.retention_label, _("Retention period: nothing to destroy yet."),
                     "subtitle")

    # -- acting ---------------------------------------------------------------------------
    def open_retention(self) -> None:
        from ui.privacy_actions import open_retention

        open_retention(self.main_window)

    def open_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ROLE)
        if not data:
            return
        kind, ref_id, case_id = data
        if kind == "request":
            if case_id is not None:
                self.main_window.open_case(case_id)
            else:
                self.main_window.start_intake(ref_id)
        elif kind == "obligation":
            self.open_obligation(ref_id, case_id)
        elif kind in ("check_reminder", "recheck") and case_id is not None:
            self.main_window.run_escalation_check(case_id)
        elif case_id is not None:
            self.main_window.open_case(case_id)

    def open_obligation(self, obligation_id: int, case_id: int | None) -> None:
        """The obligation itself: its completion form, over its case file."""
        from ui.views.obligations import open_obligation

        if case_id is not None:
            self.main_window.open_case(case_id)
        self.dialog = open_obligation(self.main_window, obligation_id)

    def _obligation_menu(self, position: Any) -> None:
        """Right-click on a duty row: complete it or open its case; on a check reminder or a
        re-check prompt: do the check, or (reminder) waive it with a reason."""
        item = self.obligations.tree.itemAt(position)
        data = item.data(0, ROLE) if item is not None else None
        if item is None or not data:
            return
        menu = QMenu(self)
        if data[0] == "obligation":
            menu.addAction(_("Mark as done…"), lambda: self.open_obligation(data[1], data[2]))
            if data[2] is not None:
                menu.addAction(_("Open case file"), lambda: self.main_window.open_case(data[2]))
        elif data[0] in ("check_reminder", "recheck"):
            menu.addAction(_("Do the escalation check…"), lambda: self.open_item(item))
            if data[0] == "check_reminder":
                menu.addAction(_("No check needed…"), lambda: self.waive_check(data[1]))
        else:
            return
        menu.exec(self.obligations.tree.viewport().mapToGlobal(position))

    def new_request(self) -> None:
        from ui.navigation import new_request

        new_request(self.main_window)

    def _request_menu(self, position: Any) -> None:
        item = self.requests.tree.itemAt(position)
        if item is None or not item.data(0, ROLE):
            return
        menu = QMenu(self)
        menu.addAction(_("Start intake conversation…"), lambda: self.open_item(item))
        menu.addAction(_("Answered without a case file…"), lambda: self.answer_without_case(item))
        menu.exec(self.requests.tree.viewport().mapToGlobal(position))


    def waive_check(self, reminder_id: int) -> None:
        """Waive a check reminder with a written reason (asked in a small dialog)."""
        session = self.main_window.session
        if session is None:
            return
        from app.services.check_reminders import waive_reminder

        text, ok = QInputDialog.getMultiLineText(
            self, _("No check needed"),
            _("Why does this case not need the escalation check?"),
        )
        if not ok:
            return
        try:
            waive_reminder(session.store, reminder_id, text.strip(), now=self.main_window.now())
        except ValidationError as error:
            QMessageBox.warning(self, _("No check needed"), error.message)
            return
        self.refresh()

    def answer_without_case(self, item: QTreeWidgetItem) -> None:
        """Mark a request answered today without opening a case (a question settled at once)."""
        session = self.main_window.session
        data = item.data(0, ROLE)
        if session is None or not data:
            return
        choice = QMessageBox.question(
            self,
            _("Answered without a case file"),
            _("Mark this request as answered today, without opening a case file?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if choice != QMessageBox.StandardButton.Yes:
            return
        try:
            answer_request(session.store, WindowClock(self.main_window.now), data[1],
                           answered_on=self.main_window.now().date())
        except ValidationError as error:
            QMessageBox.warning(self, _("Answered without a case file"), error.message)
        self.refresh()


def _restyle(widget: QLabel, text: str, name: str) -> None:
    widget.setText(text)
    widget.show()
    if widget.objectName() != name:
        widget.setObjectName(name)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _weeks_ago(last: date | None, today: date) -> str:
    if last is None:
        return _("no conversation yet")
    return _("{weeks} weeks ago").format(weeks=(today - last).days // 7)
