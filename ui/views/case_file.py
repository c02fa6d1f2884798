"""The case file (dossier) of one case, shown in its own tab (PRODUCT.md job 4).

Shows the header (pupil, class, opened, categories, who takes it up, open or closed), the story
and help question, the timeline, newest on top (entries, escalation decisions and the closing;
corrections never erase: a replaced entry is greyed "replaced by correction", the correction
says what it corrects), the consent per recipient with "legal duty overrides consent" beside it
where an escalation duty says so, and the open obligations. Buttons add entries through the one
entry form (`ui.views.entry_form`), correct an entry, mark a plan step done, start the
escalation check and close the case. Every change is one service call; the view then redraws
from the store.

The escalation service (`app.services.escalation`) is optional here: when it is absent the
consent overrides, obligations and decisions are simply not shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.dates import show_date
from app.domain.errors import ValidationError
from app.domain.lists import (
    ACTION_TYPES,
    CATEGORIES,
    CLOSE_REASONS,
    ENTRY_KINDS,
    EXTERNAL_HELP,
    LEVELS,
    RECIPIENTS,
    REFERRAL_SOURCES,
    TAKEN_UP_BY,
)
from app.domain.lists import (
    label as list_label,
)
from app.domain.models import Case, Entry, EntryData, Pupil
from app.i18n import _
from app.services import casework
from app.store.db import Store
from ui.style import label
from ui.views.entry_form import CloseCaseDialog, DateDialog, EntryFormDialog, window_clock

if TYPE_CHECKING:
    from ui.main_window import MainWindow

GREY = QColor("#8a949e")
ENTRY_ROLE = Qt.ItemDataRole.UserRole


def escalation_service() -> ModuleType | None:
    """`app.services.escalation`, or None while it is not there (or cannot be imported)."""
    try:
        from app.services import escalation
    except ImportError:
        return None
    return escalation


def _call(service: ModuleType | None, name: str, *args: Any, default: Any = None) -> Any:
    function = getattr(service, name, None) if service is not None else None
    return function(*args) if callable(function) else default


def add_buttons() -> list[tuple[str, str]]:
    return [
        ("conversation", _("Add conversation…")),
        ("consultation", _("Anonymous consultation…")),
        ("plan_step", _("Step in plan of action…")),
        ("referral", _("Referral…")),
        ("consent", _("Consent…")),
        ("note", _("Note…")),
    ]


def entry_details(entry: Entry) -> str:
    """The 'details' column of a timeline entry (without its note text)."""
    parts: list[str] = []
    if entry.kind in ("conversation", "consultation") and entry.with_whom:
        parts.append(_("with: {whom}").format(whom=entry.with_whom))
    if entry.kind == "plan_step":
        if entry.with_whom:
            parts.append(_("who: {whom}").format(whom=entry.with_whom))
        if entry.due_on is not None:
            parts.append(_("due {date}").format(date=show_date(entry.due_on)))
        if entry.done_on is not None:
            parts.append(_("done on {date}").format(date=show_date(entry.done_on)))
        else:
            parts.append(_("still open"))
    if entry.minutes:
        parts.append(_("{minutes} min").format(minutes=entry.minutes))
    if entry.kind == "referral" and entry.referral:
        parts.append(list_label(EXTERNAL_HELP, entry.referral))
    if entry.kind == "consent" and entry.recipient:
        given = _("consent given") if entry.consent else _("no consent")
        parts.append(f"{list_label(RECIPIENTS, entry.recipient)}: {given}")
    if entry.kind == "action" and entry.action_type:
        parts.append(list_label(ACTION_TYPES, entry.action_type))
    return " · ".join(parts)


class CaseFileView(QWidget):
    def __init__(self, window: MainWindow, case_id: int) -> None:
        super().__init__()
        self.setProperty("help_id", "case_file")
        self.window_ = window
        self.case_id = case_id
        self.case: Case | None = None
        self.entries: dict[int, Entry] = {}
        self._title = _("Case file")
        self._build()
        self.refresh()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 10)
        outer.setSpacing(8)
        self.name_label = label("", "title")
        self.status_label = QLabel()
        self.status_label.setObjectName("caseStatus")
        top = QHBoxLayout()
        top.addWidget(self.name_label, 1)
        top.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        self.info_label = label("", "subtitle")
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.info_label)
        self.closed_note = label("", "subtitle")
        outer.addWidget(self.closed_note)
        self.hold_label = label("", "warning")  # filled by ui.dialogs.hold.show_hold
        self.hold_label.hide()
        outer.addWidget(self.hold_label)
        self.gone = label(_("This case file no longer exists."), "warning")
        self.gone.hide()
        outer.addWidget(self.gone)

        from ui.fit import FlowLayout

        self.add_row = FlowLayout(6)  # continues on a second line on a small screen
        self.add_buttons: dict[str, QPushButton] = {}
        for kind, text in add_buttons():
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, k=kind: self.add_entry(k))
            self.add_buttons[kind] = button
            self.add_row.addWidget(button)
        self.add_row.addStretch(1)
        self.pupil_button = QPushButton(_("Pupil…"))
        self.pupil_button.setToolTip(_("Everything about this pupil, across all cases, in "
                                       "date order"))
        self.pupil_button.clicked.connect(self.open_pupil)
        self.add_row.addWidget(self.pupil_button)
        self.privacy_button = QPushButton(_("Privacy"))
        privacy_menu = QMenu(self.privacy_button)
        self.export_action = privacy_menu.addAction(_("Access export…"))
        self.export_action.triggered.connect(lambda: self.pupil_privacy("export"))
        self.erase_action = privacy_menu.addAction(_("Erase pupil…"))
        self.erase_action.triggered.connect(lambda: self.pupil_privacy("erase"))
        self.hold_action = privacy_menu.addAction(_("Put on hold…"))
        self.hold_action.triggered.connect(self.hold)
        self.rectify_action = privacy_menu.addAction(_("Request for correction…"))
        self.rectify_action.triggered.connect(lambda: self.pupil_privacy("rectify"))
        self.privacy_button.setMenu(privacy_menu)
        self.add_row.addWidget(self.privacy_button)
        outer.addLayout(self.add_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        heading = label(_("Timeline"))
        heading.setStyleSheet("font-weight: 600; color: #1f3b57;")
        left_layout.addWidget(heading)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([_("Date"), _("Kind"), _("Details"), _("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_a: self.correct_selected())
        left_layout.addWidget(self.tree, 3)
        self.detail = QTextBrowser()
        self.detail.setObjectName("entryDetail")
        self.detail.setMaximumHeight(90)
        self.detail.setPlaceholderText(_("Select a line to read it in full."))
        left_layout.addWidget(self.detail, 1)
        row = QHBoxLayout()
        self.correct_button = QPushButton(_("Correct…"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.done_button = QPushButton(_("Step done…"))
        self.done_button.clicked.connect(self.mark_selected_done)
        self.escalation_button = QPushButton(_("Escalation check…"))
        self.escalation_button.clicked.connect(self.run_escalation_check)
        self.close_button = QPushButton(_("Close case…"))
        self.close_button.clicked.connect(self.close_case)
        row.addWidget(self.correct_button)
        row.addWidget(self.done_button)
        row.addStretch(1)
        row.addWidget(self.escalation_button)
        row.addWidget(self.close_button)
        left_layout.addLayout(row)
        splitter.addWidget(left)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 4, 0)
        side_layout.setSpacing(10)
        self.story_box = QGroupBox(_("Story and help question"))
        story_layout = QVBoxLayout(self.story_box)
        self.story_label = label("")
        self.story_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        story_layout.addWidget(self.story_label)
        side_layout.addWidget(self.story_box)
        self.obligations_panel = self._make_obligations_panel()
        self.obligation_box = QGroupBox()  # the panel draws its own heading
        self.obligation_box.setObjectName("obligationBox")
        box_layout = QVBoxLayout(self.obligation_box)
        box_layout.setContentsMargins(8, 8, 8, 8)
        self.check_prompt = label("", "warning")  # a cancelled check / rules improved (issue 10)
        self.check_prompt.hide()
        box_layout.addWidget(self.check_prompt)
        if self.obligations_panel is not None:
            box_layout.addWidget(self.obligations_panel)
        side_layout.addWidget(self.obligation_box)
        self.meldcode_section = self._make_meldcode_section()
        if self.meldcode_section is not None:
            side_layout.addWidget(self.meldcode_section)
        self.consent_box = QGroupBox(_("Consent to share (protocol 6i)"))
        self.consent_grid = QGridLayout(self.consent_box)
        self.consent_grid.setHorizontalSpacing(10)
        side_layout.addWidget(self.consent_box)
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(side)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([660, 420])
        outer.addWidget(splitter, 1)

    def _make_obligations_panel(self) -> QWidget | None:
        try:
            from ui.views.obligations import ObligationsPanel
        except ImportError:
            return None
        return ObligationsPanel(self.window_, self.case_id, route_button=False)

    def _make_meldcode_section(self) -> QWidget | None:
        try:
            from ui.views.meldcode_section import MeldcodeSection
        except ImportError:
            return None
        return MeldcodeSection(self.window_, self.case_id)

    # -- reading ----------------------------------------------------------------------------
    def tab_title(self) -> str:
        return self._title

    def _store(self) -> Store:
        session = self.window_.session
        if session is None:
            raise ValidationError(_("Vertrouwd is locked. Unlock it and try again."))
        return session.store

    def refresh(self) -> None:
        session = self.window_.session
        if session is None:
            return
        store = session.store
        try:
            case = casework.get_case(store, self.case_id)
        except casework.NotFoundError:
            self._show_gone()
            return
        try:
            pupil: Pupil | None = casework.get_pupil(store, case.pupil_id)
        except casework.NotFoundError:
            pupil = None
        self.case = case
        entries = casework.timeline(store, self.case_id)
        self.entries = {e.id: e for e in entries}
        service = escalation_service()
        decisions = _call(service, "decisions", store, self.case_id, default=[])
        self._title = _("Case: {name}").format(name=case.pupil_name)
        self._update_tab_text()
        self._show_header(case, pupil)
        self._show_story(case)
        self._show_timeline(case, entries, decisions or [])
        self._show_consents(store, service)
        self._show_obligations(service)
        self._show_check_prompts(store)
        from ui.dialogs.hold import show_hold

        show_hold(self)
        self._selection_changed()

    def _update_tab_text(self) -> None:
        tabs = getattr(self.window_, "tabs", None)
        if tabs is None:
            return
        index = tabs.indexOf(self)
        if index >= 0:
            tabs.setTabText(index, self._title)

    def _show_gone(self) -> None:
        self.case = None
        self.gone.show()
        self.tree.clear()
        for button in [*self.add_buttons.values(), self.correct_button, self.done_button,
                       self.pupil_button,
                       self.escalation_button, self.close_button, self.privacy_button]:
            button.setEnabled(False)

    def _show_header(self, case: Case, pupil: Pupil | None) -> None:
        self.name_label.setText(case.pupil_name)
        facts: list[str] = []
        if pupil is not None:
            if pupil.class_name:
                facts.append(_("class {name}").format(name=pupil.class_name))
            if pupil.year_group:
                facts.append(_("year {n}").format(n=pupil.year_group))
            if pupil.level:
                facts.append(list_label(LEVELS, pupil.level))
            facts.append(_("minor") if pupil.minor else _("18 or older"))
            if pupil.authority:
                facts.append(_("authority: {who}").format(who=pupil.authority))
        opened = [_("opened on {date}").format(date=show_date(case.opened_on)),
                  _("came in via: {source}").format(
                      source=list_label(REFERRAL_SOURCES, case.source).lower()),
                  _("taken up by: {who}").format(
                      who=list_label(TAKEN_UP_BY, case.taken_up_by).lower())]
        explained = ""
        if case.confidentiality_explained_at is not None:
            explained = _("limits of confidentiality explained on {moment}").format(
                moment=case.confidentiality_explained_at.strftime("%d-%m-%Y %H:%M"))
        categories = ", ".join(list_label(CATEGORIES, c) for c in case.categories)
        lines = [
            " · ".join(html.escape(f) for f in facts),
            " · ".join(html.escape(f) for f in opened),
            html.escape(explained[:1].upper() + explained[1:]),
            "<b>" + html.escape(_("Nature of the problem:")) + "</b> "
            + html.escape(categories or _("none chosen")),
        ]
        self.info_label.setText("<br>".join(line for line in lines if line))
        if case.closed_on is not None:
            reason = list_label(CLOSE_REASONS, case.close_reason or "")
            self.status_label.setText(
                _("Closed on {date} — {reason}").format(date=show_date(case.closed_on),
                                                         reason=reason))
            self.status_label.setStyleSheet(
                "background:#eceff2; color:#3a4652; border:1px solid #c5ced6;"
                "border-radius:4px; padding:4px 10px;")
            note = case.close_note.strip()
            self.closed_note.setText(_("Closing note: {note}").format(note=note) if note else "")
            self.closed_note.setVisible(bool(note))
        else:
            self.status_label.setText(_("Case is open"))
            self.status_label.setStyleSheet(
                "background:#e6f2ea; color:#1f5a33; border:1px solid #a9cfb5;"
                "border-radius:4px; padding:4px 10px;")
            self.closed_note.hide()
        self.gone.hide()
        is_open = case.closed_on is None
        for button in self.add_buttons.values():
            button.setEnabled(is_open)
            button.setVisible(is_open)
        for button in (self.escalation_button, self.close_button):
            button.setEnabled(is_open)
            button.setVisible(is_open)

    def _show_story(self, case: Case) -> None:
        empty = "<i>" + html.escape(_("not filled in")) + "</i>"

        def block(title: str, text: str) -> str:
            body = html.escape(text.strip()).replace("\n", "<br>") if text.strip() else empty
            return f"<b>{html.escape(title)}</b><br>{body}"

        self.story_label.setTextFormat(Qt.TextFormat.RichText)
        self.story_label.setText(
            block(_("The pupil's story"), case.story) + "<br><br>"
            + block(_("Help question"), case.help_question))

    def _show_timeline(self, case: Case, entries: list[Entry], decisions: list[Any]) -> None:
        selected = self.selected_entry()
        self.tree.clear()
        rows: list[tuple[date, int, int, QTreeWidgetItem]] = []
        for entry in entries:
            rows.append((entry.on_date, 0, entry.id, self._entry_item(entry)))
        for record in decisions:
            rows.append((record.decided_at.date(), 1, record.id, self._decision_item(record)))
        for event in self._case_events():
            item = QTreeWidgetItem([show_date(event.on), event.title, event.details,
                                    event.text.strip().splitlines()[0] if event.text.strip()
                                    else ""])
            item.setToolTip(2, event.details)
            if event.text.strip():
                item.setToolTip(3, event.text)
            rows.append((event.on, 1, event.ref_id, item))
        if case.closed_on is not None:
            item = QTreeWidgetItem([
                show_date(case.closed_on), _("Case closed"),
                list_label(CLOSE_REASONS, case.close_reason or ""), case.close_note])
            rows.append((case.closed_on, 2, 0, item))
        rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)  # newest on top
        for _day, _order, _id, item in rows:
            self.tree.addTopLevelItem(item)
            if selected is not None and item.data(0, ENTRY_ROLE) == selected.id:
                self.tree.setCurrentItem(item)

    def _case_events(self) -> list[Any]:
        """Obligations done, meldcode steps and afwegingen (`app.services.chronology`)."""
        session = self.window_.session
        try:
            from app.services.chronology import case_events
        except ImportError:
            return []
        return case_events(session.store, self.case_id) if session is not None else []

    def _entry_item(self, entry: Entry) -> QTreeWidgetItem:
        details = entry_details(entry)
        if entry.supersedes is not None:
            old = self.entries.get(entry.supersedes)
            what = (_("correction of {date} ({kind})").format(
                date=show_date(old.on_date), kind=list_label(ENTRY_KINDS, old.kind).lower())
                if old is not None else _("correction"))
            details = what + (" · " + details if details else "")
        if entry.superseded:
            details = _("replaced by correction") + (" · " + details if details else "")
        first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
        item = QTreeWidgetItem([show_date(entry.on_date), list_label(ENTRY_KINDS, entry.kind),
                                details, first_line])
        item.setData(0, ENTRY_ROLE, entry.id)
        if entry.text.strip():
            item.setToolTip(3, entry.text)
        item.setToolTip(2, details)
        if entry.superseded:
            for column in range(4):
                item.setForeground(column, QBrush(GREY))
                font = item.font(column)
                font.setItalic(True)
                item.setFont(column, font)
        return item

    def _decision_item(self, record: Any) -> QTreeWidgetItem:
        escalates = bool(getattr(record, "escalates", False))
        if escalates:
            titles = [o.title for o in getattr(record, "obligations", ())]
            details = "; ".join(titles) if titles else ", ".join(record.duties)
        else:
            details = _("no escalation: confidential, share only with consent")
        note = getattr(record, "general_motivation", "") or ""
        item = QTreeWidgetItem([show_date(record.decided_at.date()), _("Escalation check"),
                                details, note.strip().splitlines()[0] if note.strip() else ""])
        item.setToolTip(2, details)
        if note:
            item.setToolTip(3, note)
        return item

    def _show_consents(self, store: Store, service: ModuleType | None) -> None:
        while self.consent_grid.count():
            taken = self.consent_grid.takeAt(0)
            if taken is not None:
                widget = taken.widget()
                if widget is not None:
                    widget.deleteLater()
        consents = casework.current_consents(store, self.case_id)
        overrides: dict[str, list[str]] = _call(
            service, "overrides_by_recipient", store, self.case_id, default={}) or {}
        titles: dict[str, str] = {
            o.duty_code: o.title
            for o in (_call(service, "consent_overrides", store, self.case_id, default=[]) or [])
        }
        row = 0
        for recipient in RECIPIENTS:
            self.consent_grid.addWidget(QLabel(list_label(RECIPIENTS, recipient)), row, 0)
            entry = consents.get(recipient)
            if entry is None:
                status = QLabel(_("not asked"))
                status.setStyleSheet("color:#6a7682;")
            elif entry.consent:
                status = QLabel(_("given ({date})").format(date=show_date(entry.on_date)))
                status.setStyleSheet("color:#1f5a33;")
            else:
                status = QLabel(_("not given ({date})").format(date=show_date(entry.on_date)))
                status.setStyleSheet("color:#7a1010;")
            self.consent_grid.addWidget(status, row, 1)
            row += 1
            if recipient in overrides:
                self._add_chip(overrides[recipient], titles, row)
                row += 1
        extra = [r for r in overrides if r not in RECIPIENTS]
        for recipient in extra:
            name = _call(service, "recipient_label", recipient, default=recipient) or recipient
            self.consent_grid.addWidget(QLabel(name), row, 0)
            self.consent_grid.addWidget(QLabel(_("no consent needed")), row, 1)
            self._add_chip(overrides[recipient], titles, row + 1)
            row += 2
        self.consent_grid.setColumnStretch(1, 1)

    def _add_chip(self, codes: list[str], titles: dict[str, str], row: int) -> None:
        holder = QHBoxLayout()
        holder.setContentsMargins(12, 0, 0, 4)
        holder.addWidget(self._override_chip(codes, titles))
        holder.addStretch(1)
        box = QWidget()
        box.setLayout(holder)
        self.consent_grid.addWidget(box, row, 0, 1, 2)

    def _override_chip(self, codes: list[str], titles: dict[str, str]) -> QLabel:
        chip = QLabel(_("legal duty overrides consent"))
        chip.setObjectName("overrideChip")
        chip.setStyleSheet("background:#fff4e0; color:#5a3d00; border:1px solid #e0b060;"
                           "border-radius:3px; padding:1px 6px;")
        chip.setToolTip("\n".join(titles.get(code, code) for code in codes))
        return chip

    def _show_obligations(self, service: ModuleType | None) -> None:
        """The obligations panel (an "Afronden…" button per open obligation) and the meldcode
        section; both hidden when the escalation service is absent."""
        shown = service is not None and self.obligations_panel is not None
        self.obligation_box.setVisible(shown)
        if shown:
            self.obligations_panel.refresh()  # type: ignore[union-attr]
        if self.meldcode_section is not None:
            self.meldcode_section.setVisible(service is not None)
            self.meldcode_section.refresh()  # type: ignore[attr-defined]

    def _show_check_prompts(self, store: Any) -> None:
        """Above the obligations: a cancelled check, or a last check under older rules."""
        from app.services.check_reminders import needs_recheck, open_reminders, recheck_label

        prompts = []
        if open_reminders(store, self.case_id):
            prompts.append(_("Escalation check not finished"))
        if needs_recheck(store, self.case_id):
            prompts.append(recheck_label())
        self.check_prompt.setText("<br>".join(prompts))
        self.check_prompt.setVisible(bool(prompts))
        if prompts:
            self.obligation_box.show()

    # -- selection ----------------------------------------------------------------------------
    def selected_entry(self) -> Entry | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        entry_id = item.data(0, ENTRY_ROLE)
        return self.entries.get(int(entry_id)) if entry_id is not None else None

    def select_entry(self, entry_id: int) -> None:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None and item.data(0, ENTRY_ROLE) == entry_id:
                self.tree.setCurrentItem(item)
                return

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        is_open = self.case is not None and self.case.closed_on is None
        self.correct_button.setEnabled(entry is not None and not entry.superseded)
        self.done_button.setEnabled(
            is_open and entry is not None and entry.kind == "plan_step"
            and entry.done_on is None and not entry.superseded)
        item = self.tree.currentItem()
        if item is None:
            self.detail.clear()
            return
        parts = [f"{item.text(0)} — {item.text(1)}"]
        if item.text(2):
            parts.append(item.text(2))
        text = entry.text if entry is not None else (item.toolTip(3) or item.text(3))
        if text.strip():
            parts.append("")
            parts.append(text)
        self.detail.setPlainText("\n".join(parts))

    # -- commands -----------------------------------------------------------------------------
    def _today(self) -> date:
        return window_clock(self.window_).today()

    def _run(self, dialog_factory: Callable[[], Any]) -> bool:
        if self.window_.session is None:
            return False
        dialog = dialog_factory()
        accepted = bool(dialog.exec())
        if accepted:
            self.window_.refresh()
        return accepted

    def entry_dialog(self, kind: str, initial: Entry | None = None) -> EntryFormDialog:
        """The form for a new entry of `kind`, or (with `initial`) for its correction."""
        clock = window_clock(self.window_)

        def save(data: EntryData) -> Entry:
            if initial is None:
                return casework.add_entry(self._store(), clock, self.case_id, data)
            return casework.correct_entry(self._store(), clock, initial.id, data)

        return EntryFormDialog(self, kind, today=clock.today(), save=save,
                               initial=initial.data() if initial is not None else None)

    def add_entry(self, kind: str) -> bool:
        return self._run(lambda: self.entry_dialog(kind))

    def correct_selected(self) -> bool:
        entry = self.selected_entry()
        if entry is None:
            return False
        if entry.superseded:
            QMessageBox.information(self, _("Correct"), _(
                "This entry has already been corrected; correct the newest version."))
            return False
        return self._run(lambda: self.entry_dialog(entry.kind, entry))

    def done_dialog(self, entry: Entry) -> DateDialog:
        clock = window_clock(self.window_)
        return DateDialog(
            self, _("Step done"),
            _("On which day was this step done?") + "\n\n" + entry.text.strip(),
            _("Done on *"), today=clock.today(),
            save=lambda day: casework.mark_step_done(self._store(), clock, entry.id,
                                                     done_on=day))

    def mark_selected_done(self) -> bool:
        entry = self.selected_entry()
        if entry is None or entry.kind != "plan_step":
            return False
        return self._run(lambda: self.done_dialog(entry))

    def pupil_privacy(self, kind: str) -> None:
        """Access export ("export") or erasure ("erase") for this case's pupil."""
        if self.case is None:
            return
        from ui.dialogs.access_export import run_for_pupil

        run_for_pupil(self.window_, self.case.pupil_id, kind, self)

    def hold(self) -> None:
        """Put this file on hold, or lift its hold (ui.dialogs.hold)."""
        from ui.dialogs.hold import run_hold

        run_hold(self)

    def open_pupil(self) -> None:
        """The pupil's page: everything across all their cases, in date order."""
        if self.case is None:
            return
        from ui.views.pupil import open_pupil

        open_pupil(self.window_, self.case.pupil_id)

    def run_escalation_check(self) -> None:
        self.window_.run_escalation_check(self.case_id)
        self.refresh()

    def close_dialog(self) -> CloseCaseDialog:
        clock = window_clock(self.window_)
        service = escalation_service()
        guard = _call(service, "close_guard", self._store(), self.case_id, default=[]) or []
        titles = [_("{title} (by {due})").format(title=o.title,
                                                  due=o.due_at.strftime("%d-%m-%Y"))
                  for o in guard]

        def save(day: date, reason: str | None, text: str, force: bool) -> Case:
            if guard:
                _call(service, "require_close_reason", guard, text)
            return casework.close_case(self._store(), clock, self.case_id, closed_on=day,
                                       reason=reason, text=text, force=force)

        return CloseCaseDialog(self, today=clock.today(), open_obligations=titles, save=save)

    def close_case(self) -> bool:
        return self._run(self.close_dialog)


__all__ = ["CaseFileView", "entry_details", "escalation_service"]
