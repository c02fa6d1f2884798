"""The annual report wizard (PRODUCT.md job 6; protocol 6j): from a school year to a PDF for
the director, a data file for the school group, and paper.

Pages:

1. **School year** — the running year and every earlier year with something registered
   (`report_checks.report_years`), newest first; a year that has not begun is never offered.
   Next computes the figures (`annual.compute`); a refusal is one Dutch sentence on the page.
2. **Check** — what is not finished (cases without a category, unanswered requests, open
   obligations; `report_checks.check_year`). Double-click or "Openen" opens an item: the
   wizard closes first (it is modal), keeping the VP's texts and the chosen year, and opens the
   case file (or starts the intake of a request without a case); "Werk › Jaarverslag maken…"
   then continues at this page. Going on with unfinished items is allowed, with a visible note.
3. **Texts** — activities, signals and trends, policy advice: they leave the program in the
   PDF, so the page says so; a known pupil name in them is pointed out once
   (`report_checks.names_in_texts`) before Next lets it pass.
4. **Preview** — exactly what leaves the program: the tables as the PDF and the data file
   show them ("<5", hidden cells as "—"), the texts, and the pages of the PDF itself (QtPdf).
5. **Save and print** — the PDF (default in Documents), optionally the data file (JSON, and a
   CSV beside it) with the PDF's name; "Opslaan" goes through `app.reports.export.save_annual`
   (all files or none, journaled); "Afdrukken…" and "Afdrukvoorbeeld…" print the SAME PDF
   bytes (`ui.printing`).

Drafts: the three texts are kept per school year as an encrypted draft in the store
(`app.services.drafts`, kind ``report_texts:<year>``): saved a moment after typing stops, on
every page change, when the wizard closes (Cancel, Escape, the lock) and before an item is
opened; they stay after saving, so a report can be made again. The year and the page to come
back to are kept under kind ``report_wizard``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import journal
from app.domain.dates import moment_to_db, school_year_bounds
from app.i18n import _
from app.reports.annual import (
    AnnualFigures,
    ReportError,
    compute,
    row_label,
    show,
    table_explanation,
    table_title,
)
from app.reports.data_file import TABLES, WITH_TOTAL
from app.reports.export import csv_beside, journal_report, save_annual
from app.reports.narrative import headline
from app.reports.pdf import TEXT_KEYS, render_annual_pdf, suppression_note
from app.reports.suppression import TOTAL_ROW, marker
from app.services import drafts
from app.services.report_checks import (
    CheckItem,
    ReportChecks,
    check_year,
    names_in_texts,
    report_years,
)
from app.store.db import Store, StoreError
from app.store.settings import load_settings
from ui import printing
from ui.dates import WindowClock, dutch_date, short_date
from ui.help import install_help
from ui.style import label
from ui.views import entry_form
from ui.views.entry_form import error_label, show_error

if TYPE_CHECKING:
    from ui.main_window import MainWindow

TEXTS_PREFIX = "report_texts:"
WIZARD_KIND = "report_wizard"
ITEM_ROLE = Qt.ItemDataRole.UserRole
HAS_DATA_ROLE = Qt.ItemDataRole.UserRole + 1
#: Save the texts this long after the last keystroke (milliseconds).
AUTOSAVE_MS = 1500
OK_STYLE = (
    "background: #e9f5ec; border: 1px solid #9cc9a8; border-radius: 4px; padding: 6px; "
    "color: #1e4d2b;"
)


def concept_explanation() -> str:
    """Why a report of the running school year is a concept (DOMAIN.md; issue 14)."""
    return _(
        "This school year is not over yet: the report counts up to today and is marked "
        "CONCEPT on every page. The school group only merges final figures, made after 31 "
        "July: two reports of one year, made months apart, would show single pupils by their "
        "difference. Make the final report after the school year has ended."
    )


def texts_kind(school_year: str) -> str:
    return f"{TEXTS_PREFIX}{school_year}"


def default_pdf_name(school_year: str) -> str:
    return f"Jaarverslag-vertrouwenspersoon-{school_year}.pdf"


def documents_folder() -> Path:
    """The user's Documents folder; the home folder when there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def data_path_for(pdf: Path) -> Path:
    """The data file saved beside the PDF: the same name with ``.json`` (and ``.csv``)."""
    return pdf.with_suffix(".json")


def report_doc_title(school_year: str) -> str:
    return _("Annual report confidential adviser {year}").format(year=school_year)


def text_titles() -> dict[str, str]:
    """The VP's texts in the order of the page (page 1 of the PDF: summary, signals, advice)."""
    return {
        "summary": _("Summary for the director (page 1 of the report)"),
        "signals": _("Signals and trends"),
        "advice": _("Policy advice to the school management"),
        "activities": _("Activities"),
    }


def text_placeholders() -> dict[str, str]:
    return {
        "summary": _(
            "In a few sentences: what this year was like, what went well, what worries you. "
            "This is the first thing the director and the board read."
        ),
        "activities": _(
            "For example: class visits, posters and the website text, information evenings, "
            "training you followed, consultations with the care team."
        ),
        "signals": _(
            "For example: what stood out this year, what increased or decreased, and in which "
            "year groups — in general terms."
        ),
        "advice": _(
            "For example: what the school could do to prevent problems, or where the "
            "procedures could be better (protocol 4c)."
        ),
    }


DISCUSSED = "discussed_on"


def empty_texts() -> dict[str, str]:
    return {key: "" for key in (*TEXT_KEYS, DISCUSSED)}


def clean_texts(data: Mapping[str, Any] | None) -> dict[str, str]:
    """The texts from a draft, and the date discussed (ISO); anything else is ignored."""
    texts = empty_texts()
    if data:
        for key in TEXT_KEYS:
            value = data.get(key)
            if isinstance(value, str):
                texts[key] = value
        day = data.get(DISCUSSED)
        if isinstance(day, str) and _iso_day(day) is not None:
            texts[DISCUSSED] = day
    return texts


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def run_annual_report(window: MainWindow) -> None:
    """Show the wizard (modal); afterwards open what the VP asked to open from the check page."""
    if window.session is None:
        return
    wizard = AnnualReportWizard(window)
    wizard.exec()
    wizard.follow_up()


class AnnualReportWizard(QWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.clock = WindowClock(window.now)
        self.school_year = ""
        self.texts: dict[str, dict[str, str]] = {}
        self.figures: AnnualFigures | None = None
        self.checks: ReportChecks | None = None
        self.pdf: bytes | None = None
        self.saved_paths: list[Path] = []
        self.printed = False
        self.to_open: CheckItem | None = None
        self.setWindowTitle(_("Annual report"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        install_help(self, "annual_report")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(860, 660)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        resume = self._load_resume()
        self.year_page = YearPage(resume.get("school_year"))
        self.check_page = CheckPage()
        self.texts_page = TextsPage()
        self.preview_page = PreviewPage()
        self.save_page = SavePage()
        for page in (
            self.year_page,
            self.check_page,
            self.texts_page,
            self.preview_page,
            self.save_page,
        ):
            self.addPage(page)
        self.currentIdChanged.connect(self._buttons_for_page)
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_texts)
        if resume.get("page") == "check":
            self.restart()  # fills the year page with the remembered year
            if self.year_page.selected() == resume.get("school_year"):
                self.next()

    def _buttons_for_page(self, page_id: int) -> None:
        """The last page has no Cancel beside Close (Escape still closes)."""
        button = QWizard.WizardButton
        layout = [button.HelpButton, button.Stretch, button.BackButton]
        if self.page(page_id) is self.save_page:
            layout.append(button.FinishButton)
        else:
            layout += [button.NextButton, button.CancelButton]
        self.setButtonLayout(layout)

    # -- the store -------------------------------------------------------------------------
    def store(self) -> Store | None:
        session = self.window_.session
        return None if session is None else session.store

    def _load_resume(self) -> dict[str, Any]:
        store = self.store()
        if store is None:
            return {}
        try:
            resume = drafts.load_draft(store, WIZARD_KIND) or {}
            if resume.get("page"):
                drafts.save_draft(
                    store,
                    WIZARD_KIND,
                    {"school_year": resume.get("school_year"), "page": ""},
                    now=self.clock.now(),
                )
        except StoreError:
            return {}
        return resume

    def _remember(self, page: str = "") -> None:
        store = self.store()
        if store is None or not self.school_year:
            return
        try:
            drafts.save_draft(
                store,
                WIZARD_KIND,
                {"school_year": self.school_year, "page": page},
                now=self.clock.now(),
            )
        except StoreError:
            pass

    # -- texts (drafts per school year) ------------------------------------------------------
    def texts_of(self, school_year: str) -> dict[str, str]:
        """The texts of `school_year`: as typed in this wizard, else from the draft."""
        if school_year not in self.texts:
            store = self.store()
            data = None
            if store is not None:
                try:
                    data = drafts.load_draft(store, texts_kind(school_year))
                except StoreError:
                    data = None
            self.texts[school_year] = clean_texts(data)
        return self.texts[school_year]

    def current_texts(self) -> dict[str, str]:
        if self.texts_page.loaded_year == self.school_year and self.school_year:
            self.texts[self.school_year] = self.texts_page.values()
        return self.texts_of(self.school_year) if self.school_year else empty_texts()

    def save_texts(self) -> bool:
        """Keep the texts of the chosen year as a draft (or drop an empty one)."""
        self.autosave.stop()
        store = self.store()
        if store is None or not self.school_year:
            return False
        texts = self.current_texts()
        try:
            if any(text.strip() for text in texts.values()):
                drafts.save_draft(
                    store, texts_kind(self.school_year), dict(texts), now=self.clock.now()
                )
            else:
                drafts.discard_draft(store, texts_kind(self.school_year))
        except StoreError:
            return False
        return True

    def texts_changed(self) -> None:
        self.autosave.start()

    # -- figures and the PDF ---------------------------------------------------------------
    def choose_year(self, school_year: str) -> None:
        """Compute the figures of `school_year` (ReportError for a year that cannot be made)."""
        store = self.store()
        if store is None:
            raise ReportError(_("Vertrouwd is locked; unlock it first."))
        settings = load_settings(store)
        figures = compute(
            store, school_year, threshold=settings.report_threshold, today=self.clock.today()
        )
        if self.school_year and self.school_year != figures.school_year:
            self.save_texts()
        self.school_year = figures.school_year
        self.figures = figures
        self.checks = None
        self.pdf = None
        self._remember()

    def run_checks(self) -> ReportChecks | None:
        store = self.store()
        if store is None or not self.school_year:
            return None
        self.checks = check_year(store, self.school_year, self.clock.now())
        return self.checks

    def make_pdf(self) -> bytes:
        assert self.figures is not None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        store = self.store()
        witness = journal.witness(store) if store is not None else None
        try:
            self.pdf = render_annual_pdf(self.figures, self.current_texts(), witness=witness)
        finally:
            QGuiApplication.restoreOverrideCursor()
        return self.pdf

    # -- opening an unfinished item ----------------------------------------------------------
    def open_item(self, item: CheckItem) -> None:
        """Close the wizard (texts and year kept) and open `item` in the main window."""
        self.save_texts()
        self._remember("check")
        self.to_open = item
        self.done(QDialog.DialogCode.Rejected)

    def follow_up(self) -> None:
        """After the wizard has closed: open what the VP chose on the check page."""
        item, self.to_open = self.to_open, None
        window = self.window_
        if item is None or window.session is None:
            return
        window.statusBar().showMessage(
            _(
                "Your annual report is kept. Choose Work › Make annual report… to continue "
                "where you were."
            )
        )
        if item.kind == "request" and item.case_id is None:
            window.start_intake(item.ref_id)
        elif item.case_id is not None:
            window.open_case(item.case_id)

    # -- saving and printing -----------------------------------------------------------------
    def save(self, out: Path, with_data: bool) -> list[Path]:
        """Save the report (ReportError: nothing was saved)."""
        store = self.store()
        if store is None or self.figures is None:
            raise ReportError(_("Vertrouwd is locked; unlock it first."))
        pdf = self.pdf if self.pdf is not None else self.make_pdf()
        data = data_path_for(out) if with_data else None
        paths = save_annual(store, self.figures, pdf, out, data, now=self.clock.now())
        self.saved_paths = paths
        self.save_texts()
        self.record_discussed()
        return paths

    def record_discussed(self) -> None:
        """Journal the date the report was discussed with the director (protocol 6j)."""
        store = self.store()
        day = self.current_texts().get(DISCUSSED, "")
        if store is None or not day:
            return
        try:
            journal.append(
                store,
                moment_to_db(self.clock.now()),
                "report_discussed",
                school_year=self.school_year,
                discussed_on=day,
            )
        except StoreError:
            pass

    def print_report(self, preview: bool = False) -> bool:
        if self.figures is None:
            return False
        pdf = self.pdf if self.pdf is not None else self.make_pdf()
        title = report_doc_title(self.school_year)
        if preview:
            done = printing.preview_pdf(self, pdf, title)
        else:
            done = printing.print_pdf(self, pdf, title)
        store = self.store()
        if done and store is not None:
            self.printed = True
            try:
                journal_report(
                    store, self.figures, now=self.clock.now(), data_file=False, printed=True
                )
            except StoreError:
                pass
        return done

    # -- closing ---------------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.save_texts()
        super().done(result)

    def accept(self) -> None:
        if (
            not self.saved_paths
            and not self.printed
            and not entry_form.ask(
                self,
                _("Annual report"),
                _(
                    "The report has not been saved or printed yet. Close anyway? Your texts are "
                    "kept for next time."
                ),
                _("Close"),
                _("Go back"),
            )
        ):
            return
        super().accept()


class ReportPage(QWizardPage):
    def report(self) -> AnnualReportWizard:
        wizard = self.wizard()
        assert isinstance(wizard, AnnualReportWizard)
        return wizard


# --------------------------------------------------------------------------- 1. school year


class YearPage(ReportPage):
    def __init__(self, preferred: object = None) -> None:
        super().__init__()
        self.setProperty("help_id", "annual_report.year")
        self.preferred = preferred if isinstance(preferred, str) else None
        self.setTitle(_("Which school year?"))
        self.setSubTitle(
            _(
                "The annual report covers one school year: from 1 August up to and including "
                "31 July. It is meant for the director (protocol 6j)."
            )
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(380)
        self.combo.currentIndexChanged.connect(self._describe)
        form.addRow(_("School year:"), self.combo)
        layout.addLayout(form)
        self.period = label("", "subtitle")
        layout.addWidget(self.period)
        self.note = label("", "warning")
        self.note.hide()
        layout.addWidget(self.note)
        layout.addSpacing(12)
        steps = (
            _("Check what is not finished yet."),
            _("Write your own texts: activities, signals and trends, policy advice."),
            _("See exactly what will leave the program."),
            _("Save the PDF (and the data file for the school group), and print it."),
        )
        layout.addWidget(
            label(
                "<p>"
                + html.escape(_("The next steps:"))
                + "</p><ol style='margin-left: -20px'>"
                + "".join(f"<li>{html.escape(step)}</li>" for step in steps)
                + "</ol>",
                "subtitle",
            )
        )
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.loaded = False

    def selected(self) -> str | None:
        data = self.combo.currentData()
        return data if isinstance(data, str) else None

    def initializePage(self) -> None:
        if self.loaded:
            return
        wizard = self.report()
        store = wizard.store()
        today = wizard.clock.today()
        years = report_years(store, today) if store is not None else []
        current = years[0][0] if years else ""
        self.combo.blockSignals(True)
        self.combo.clear()
        for year, has_data in years:
            text = year
            if year == current:
                text += " — " + _("running now")
            if not has_data:
                text += " — " + _("nothing registered yet")
            self.combo.addItem(text, year)
            self.combo.setItemData(self.combo.count() - 1, has_data, HAS_DATA_ROLE)
        self.combo.blockSignals(False)
        preferred = self.preferred or wizard.school_year or self._default(years, today.month)
        index = self.combo.findData(preferred)
        self.combo.setCurrentIndex(max(index, 0))
        self._describe()
        self.loaded = True

    @staticmethod
    def _default(years: list[tuple[str, bool]], month: int) -> str:
        """August to October: the year that just ended; otherwise the running one."""
        if 8 <= month <= 10 and len(years) > 1:
            return years[1][0]
        return years[0][0] if years else ""

    def _describe(self) -> None:
        year = self.selected()
        show_error(self.error, "")
        if year is None:
            self.period.setText("")
            self.note.hide()
            return
        start, end = school_year_bounds(year)
        today = self.report().clock.today() if self.wizard() is not None else end
        text = _("From {start} up to and including {end}.").format(
            start=dutch_date(start, weekday=False), end=dutch_date(end, weekday=False)
        )
        if today < end:
            text += " " + concept_explanation()
        self.period.setText(text)
        has_data = bool(self.combo.currentData(HAS_DATA_ROLE))
        self.note.setVisible(not has_data)
        self.note.setText(
            _(
                "Nothing has been registered in this school year yet. You can still make the "
                "report; it will say that there were no contacts."
            )
        )

    def validatePage(self) -> bool:
        year = self.selected()
        if year is None:
            show_error(self.error, _("Choose a school year."))
            return False
        try:
            self.report().choose_year(year)
        except ReportError as error:
            show_error(self.error, error.message_nl)
            return False
        show_error(self.error, "")
        return True


# --------------------------------------------------------------------------- 2. check


class CheckPage(ReportPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "annual_report.check")
        self.setTitle(_("What is not finished yet?"))
        self.setSubTitle(
            _(
                "Unfinished work may be counted wrongly in the figures. Finish it first if you "
                "can, or continue anyway."
            )
        )
        layout = QVBoxLayout(self)
        self.all_done = label("")
        self.all_done.setStyleSheet(OK_STYLE)
        layout.addWidget(self.all_done)
        self.summary = label("", "warning")
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("What"), _("Date"), _("Pupil")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(_("Open"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_selected)
        self.recheck_button = QPushButton(_("Check again"))
        self.recheck_button.clicked.connect(self.fill)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.recheck_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.how = label(
            _(
                "Opening an item closes this wizard; your texts are kept. Afterwards choose "
                "Work › Make annual report… again to continue here."
            ),
            "subtitle",
        )
        layout.addWidget(self.how)

    def initializePage(self) -> None:
        self.fill()

    def fill(self) -> None:
        wizard = self.report()
        checks = wizard.run_checks()
        self.tree.clear()
        if checks is None:
            return
        year = checks.school_year
        self.all_done.setVisible(checks.complete)
        self.summary.setVisible(not checks.complete)
        self.all_done.setText(
            _(
                "Everything of {year} is finished: no cases without a category, no "
                "unanswered requests and no open obligations."
            ).format(year=year)
        )
        self.summary.setText(
            _(
                "{count} item(s) of {year} are not finished. Double-click an item to open "
                "it. You may also continue: the report then counts what is registered now."
            ).format(count=checks.count, year=year)
        )
        groups = (
            (_("Cases without a category"), checks.cases_without_category),
            (_("Requests not answered yet"), checks.open_requests),
            (_("Obligations not completed"), checks.open_obligations),
        )
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for title, items in groups:
            group = QTreeWidgetItem([f"{title} ({len(items)})"])
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            if not items:
                none = QTreeWidgetItem([_("None — fine.")])
                none.setFlags(Qt.ItemFlag.ItemIsEnabled)
                none.setForeground(0, self.palette().placeholderText())
                group.addChild(none)
            for item in items:
                child = QTreeWidgetItem([self._describe(item), short_date(item.on), item.pupil])
                child.setData(0, ITEM_ROLE, item)
                if item.overdue:
                    child.setForeground(0, Qt.GlobalColor.darkRed)
                group.addChild(child)
            group.setExpanded(True)
        self.tree.setCurrentIndex(QModelIndex())
        self.open_button.setEnabled(False)

    @staticmethod
    def _describe(item: CheckItem) -> str:
        if item.kind == "case":
            text = _("Case file without a category")
        elif item.kind == "request":
            text = _("Request for contact, not answered")
        else:
            text = item.detail or _("Obligation")
        if item.overdue:
            text += " — " + _("overdue")
        return text

    def items(self) -> list[QTreeWidgetItem]:
        """The rows that can be opened."""
        found: list[QTreeWidgetItem] = []
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            if group is None:
                continue
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                if child is not None and child.data(0, ITEM_ROLE) is not None:
                    found.append(child)
        return found

    def _selection_changed(self) -> None:
        selected = self.tree.selectedItems()
        self.open_button.setEnabled(bool(selected) and selected[0].data(0, ITEM_ROLE) is not None)

    def _double_clicked(self, row: QTreeWidgetItem, _column: int = 0) -> None:
        item = row.data(0, ITEM_ROLE)
        if isinstance(item, CheckItem):
            self.report().open_item(item)

    def open_selected(self) -> None:
        selected = self.tree.selectedItems()
        if selected:
            self._double_clicked(selected[0])


# --------------------------------------------------------------------------- 3. texts


class TextsPage(ReportPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "annual_report.texts")
        self.setTitle(_("Your own texts"))
        self.setSubTitle(
            _(
                "These texts are printed in the report for the director: they leave the "
                "program. Write in general terms."
            )
        )
        self.loaded_year = ""
        self.connected = False
        self.warned: dict[str, str] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                _(
                    "Do not write names of pupils, and nothing by which a pupil can be "
                    "recognised (a class together with an event, for example)."
                ),
                "warning",
            )
        )
        self.edits: dict[str, QPlainTextEdit] = {}
        placeholders = text_placeholders()
        for key, title in text_titles().items():
            caption = QLabel(f"<b>{html.escape(title)}</b>")
            edit = QPlainTextEdit()
            edit.setObjectName(f"text_{key}")
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(placeholders[key])
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4 + 14)
            caption.setBuddy(edit)
            layout.addWidget(caption)
            layout.addWidget(edit, 1)
            self.edits[key] = edit
        discussed = QHBoxLayout()
        self.discussed_box = QCheckBox(_("Discussed with the director on"))
        self.discussed_box.setObjectName("discussed_box")
        self.discussed_date = QDateEdit()
        self.discussed_date.setObjectName("discussed_date")
        self.discussed_date.setCalendarPopup(True)
        self.discussed_date.setDisplayFormat("d-M-yyyy")
        self.discussed_date.setEnabled(False)
        self.discussed_box.toggled.connect(self.discussed_date.setEnabled)
        discussed.addWidget(self.discussed_box)
        discussed.addWidget(self.discussed_date)
        discussed.addWidget(
            label(
                _(
                    "(protocol 6j; printed on page 1 — leave it off to print a line to fill in "
                    "by hand)"
                ),
                "subtitle",
            ),
            1,
        )
        layout.addLayout(discussed)
        bottom = QHBoxLayout()
        self.reuse_button = QPushButton()
        self.reuse_button.clicked.connect(self.reuse_previous)
        self.reuse_button.hide()
        bottom.addWidget(self.reuse_button)
        bottom.addStretch(1)
        bottom.addWidget(
            label(
                _("Your texts are kept encrypted as a draft for this school year."),
                "subtitle",
                wrap=False,
            )
        )
        layout.addLayout(bottom)
        self.error = error_label()
        layout.addWidget(self.error)

    def values(self) -> dict[str, str]:
        texts = {key: edit.toPlainText() for key, edit in self.edits.items()}
        day = self.discussed_date.date().toPython() if self.discussed_box.isChecked() else None
        texts[DISCUSSED] = day.isoformat() if isinstance(day, date) else ""
        return texts

    def initializePage(self) -> None:
        wizard = self.report()
        year = wizard.school_year
        texts = wizard.texts_of(year)
        self.loaded_year = ""  # while filling, the edits are not this year's texts yet
        for key, edit in self.edits.items():
            edit.blockSignals(True)
            edit.setPlainText(texts.get(key, ""))
            edit.blockSignals(False)
            if not self.connected:
                edit.textChanged.connect(wizard.texts_changed)
        day = _iso_day(texts.get(DISCUSSED, ""))
        for widget in (self.discussed_box, self.discussed_date):
            widget.blockSignals(True)
        self.discussed_box.setChecked(day is not None)
        self.discussed_date.setEnabled(day is not None)
        shown = day or wizard.clock.today()
        self.discussed_date.setDate(QDate(shown.year, shown.month, shown.day))
        for widget in (self.discussed_box, self.discussed_date):
            widget.blockSignals(False)
        if not self.connected:
            self.discussed_box.toggled.connect(wizard.texts_changed)
            self.discussed_date.dateChanged.connect(wizard.texts_changed)
        self.connected = True
        self.loaded_year = year
        show_error(self.error, "")
        self.warned = None
        self._offer_previous()

    def _previous_year(self) -> str:
        year = self.report().school_year
        first = int(year[:4]) - 1
        return f"{first}-{first + 1}"

    def _offer_previous(self) -> None:
        previous = self._previous_year()
        old = self.report().texts_of(previous)
        empty_now = not any(self.values()[key].strip() for key in TEXT_KEYS)
        offer = empty_now and any(old[key].strip() for key in TEXT_KEYS)
        self.reuse_button.setText(_("Start from your texts of {year}").format(year=previous))
        self.reuse_button.setVisible(offer)

    def reuse_previous(self) -> None:
        old = self.report().texts_of(self._previous_year())
        for key, edit in self.edits.items():
            edit.setPlainText(old.get(key, ""))
        self.reuse_button.hide()

    def cleanupPage(self) -> None:
        self.report().save_texts()

    def validatePage(self) -> bool:
        wizard = self.report()
        wizard.save_texts()
        texts = self.values()
        store = wizard.store()
        names = names_in_texts(store, texts) if store is not None else []
        if names and self.warned != texts:
            self.warned = texts
            show_error(
                self.error,
                _(
                    "Your text contains the name of a pupil from your case files: {names}. "
                    "Remove it: this text goes to the director. (If it is not a pupil, click "
                    "Next again.)"
                ).format(names=", ".join(names)),
            )
            return False
        show_error(self.error, "")
        return True


# --------------------------------------------------------------------------- 4. preview


def figure_rows(figures: AnnualFigures, table: str) -> list[tuple[str, str, str | None, bool]]:
    """(label, this year, the year before or None, is the total) for one table, as printed."""
    if figures.omitted(table):
        return [(headline(figures, table), "", None, False)]
    previous = figures.comparable(table)  # None: another level the year before (blank)
    rows = list(figures.rows(table))
    if table in WITH_TOTAL:
        rows.append(TOTAL_ROW)
    result = []
    for row in rows:
        total = row == TOTAL_ROW
        now = "" if figures.not_yet(table, row) else show(figures.cell(table, row))
        before: str | None = None
        if previous is not None:
            before = show(previous.cell(table, figures.previous_row(table, row)))
        result.append((row_label(table, row), now, before, total))
    return result


class PreviewPage(ReportPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "annual_report.preview")
        self.setTitle(_("Preview: this is what leaves the program"))
        self.setSubTitle(
            _(
                "Only these figures and your own texts. No names, no classes, no dates finer "
                "than a month, nothing from the case files."
            )
        )
        self.document: Any = None
        layout = QVBoxLayout(self)
        self.notes = label("", "warning")
        layout.addWidget(self.notes)
        self.tabs = QTabWidget()
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabs.addTab(self.table, _("Figures"))
        self.text_view = QTextBrowser()
        self.text_view.setOpenLinks(False)
        self.tabs.addTab(self.text_view, _("Your texts"))
        self.pages_view = self._pdf_view()
        self.tabs.addTab(self.pages_view, _("Pages of the PDF"))
        layout.addWidget(self.tabs, 1)
        self.rule = label("", "subtitle")
        layout.addWidget(self.rule)

    @staticmethod
    def _pdf_view() -> QWidget:
        try:
            from PySide6.QtPdfWidgets import QPdfView
        except ImportError:  # pragma: no cover - QtPdf is part of the installation
            return label(_("The pages cannot be shown on this computer."), "subtitle")
        view = QPdfView()
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setPageSpacing(12)
        return view

    def initializePage(self) -> None:
        wizard = self.report()
        figures = wizard.figures
        if figures is None:
            return
        pdf = wizard.make_pdf()
        self._fill_notes(figures, wizard.checks)
        self._fill_table(figures)
        self._fill_texts(wizard.current_texts())
        self._show_pages(pdf)
        self.rule.setText(
            suppression_note(figures.threshold)
            + " "
            + _(
                "The data file for the school group holds only the column {year}, without "
                "your texts."
            ).format(year=figures.school_year)
        )

    def _fill_notes(self, figures: AnnualFigures, checks: ReportChecks | None) -> None:
        notes = []
        if figures.empty:
            notes.append(
                _(
                    "Nothing was registered in the school year {year}: the report says that "
                    "there were no contacts."
                ).format(year=figures.school_year)
            )
        elif figures.partial:
            notes.append(_("The school year is not over yet: the figures are not final."))
        if checks is not None and not checks.complete:
            notes.append(
                _("{count} item(s) are not finished (see the check step).").format(
                    count=checks.count
                )
            )
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))

    def _fill_table(self, figures: AnnualFigures) -> None:
        heads = [_("Part"), figures.school_year]
        if figures.previous is not None:
            heads.append(figures.previous.school_year)
        self.table.clear()
        self.table.setColumnCount(len(heads))
        self.table.setHeaderLabels(heads)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(heads)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 110)
            self.table.headerItem().setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        bold = QFont(self.table.font())
        bold.setBold(True)
        hidden_tip = _(
            "Not shown: together with the other figures this number would reveal a count that "
            "is protected as “{mark}”."
        ).format(mark=marker(figures.threshold))
        for table in TABLES:
            title = QTreeWidgetItem([table_title(table)])
            title.setFont(0, bold)
            title.setFirstColumnSpanned(True)
            title.setToolTip(0, table_explanation(table))
            self.table.addTopLevelItem(title)
            for text, now, before, total in figure_rows(figures, table):
                cells = [text, now] + ([before or ""] if figures.previous is not None else [])
                row = QTreeWidgetItem(["    " + cells[0], *cells[1:]])
                for column in range(1, len(cells)):
                    row.setTextAlignment(
                        column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    if cells[column] == "—":
                        row.setToolTip(column, hidden_tip)
                if total:
                    for column in range(len(cells)):
                        row.setFont(column, bold)
                self.table.addTopLevelItem(row)

    def _fill_texts(self, texts: Mapping[str, str]) -> None:
        parts = []
        for key, title in text_titles().items():
            text = texts.get(key, "").strip()
            parts.append(f"<h3>{html.escape(title)}</h3>")
            if text:
                body = html.escape(text).replace("\n", "<br/>")
                parts.append(f"<p>{body}</p>")
            else:
                parts.append(
                    "<p style='color:#6a7785'><i>"
                    + html.escape(_("(empty: this section is left out of the report)"))
                    + "</i></p>"
                )
        self.text_view.setHtml("".join(parts))

    def _show_pages(self, pdf: bytes) -> None:
        if not hasattr(self.pages_view, "setDocument"):
            return
        old = self.document
        self.document = printing.pdf_document(self, pdf)
        self.pages_view.setDocument(self.document)
        if old is not None:
            old.deleteLater()

    def page_count(self) -> int:
        return int(self.document.pageCount()) if self.document is not None else 0


# --------------------------------------------------------------------------- 5. save and print


class SavePage(ReportPage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "annual_report.save")
        self.setTitle(_("Save and print"))
        self.setSubTitle(
            _(
                "Save the report as a PDF for the director and, if the school group asks for "
                "it, the data file with the figures. Printing prints the same PDF."
            )
        )
        layout = QVBoxLayout(self)
        self.about = label("")
        layout.addWidget(self.about)
        form = QFormLayout()
        path_row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.browse)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form.addRow(_("PDF file:"), path_row)
        layout.addLayout(form)
        self.data_box = QCheckBox(_("Also save the data file for the school group"))
        self.data_box.toggled.connect(self._path_changed)
        layout.addWidget(self.data_box)
        self.data_note = label("", "subtitle")
        layout.addWidget(self.data_note)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.clicked.connect(lambda: self.print_report(False))
        self.preview_button = QPushButton(_("Print preview…"))
        self.preview_button.clicked.connect(lambda: self.print_report(True))
        self.folder_button = QPushButton(_("Open folder"))
        self.folder_button.clicked.connect(self.open_folder)
        self.folder_button.hide()
        for button in (self.save_button, self.print_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.status = label("")
        self.status.hide()
        layout.addWidget(self.status)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.year = ""

    def initializePage(self) -> None:
        wizard = self.report()
        if self.year != wizard.school_year or not self.path_edit.text().strip():
            self.path_edit.setText(str(documents_folder() / default_pdf_name(wizard.school_year)))
            self.year = wizard.school_year
        figures = wizard.figures
        if figures is not None:
            school = figures.school.strip() or _("your school")
            self.about.setText(
                _("The annual report of {school} for the school year {year}.").format(
                    school=school, year=figures.school_year
                )
            )
        self.status.hide()
        show_error(self.error, "")
        self._path_changed()

    def pdf_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path

    def _path_changed(self) -> None:
        path = self.pdf_path()
        if path is None or not self.data_box.isChecked():
            self.data_note.setText(
                _(
                    "The data file holds only the anonymised figures of this school year, in "
                    "a fixed format (JSON, and CSV for a spreadsheet); not your texts."
                )
            )
            return
        data = data_path_for(path)
        note = _("Saved beside the PDF as {json} and {csv}.").format(
            json=data.name, csv=csv_beside(data).name
        )
        figures = self.report().figures if self.wizard() is not None else None
        if figures is not None and figures.concept:
            note += " " + _(
                "This data file is marked CONCEPT: the school group cannot merge it "
                "(report merge refuses it). Send the data file of the final report, made "
                "after 31 July."
            )
        self.data_note.setText(note)

    def browse(self) -> None:
        current = self.pdf_path() or documents_folder() / default_pdf_name(self.year)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the annual report"), str(current), _("PDF files (*.pdf)")
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _status(self, text: str) -> None:
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(text)
        self.status.show()

    def save(self) -> bool:
        show_error(self.error, "")
        self.status.hide()
        path = self.pdf_path()
        if path is None:
            show_error(self.error, _("Fill in where the PDF is to be saved."))
            return False
        path = path.absolute()
        with_data = self.data_box.isChecked()
        targets = [path] + (
            [data_path_for(path), csv_beside(data_path_for(path))] if with_data else []
        )
        existing = [p for p in targets if p.is_file()]
        if existing and not entry_form.ask(
            self,
            _("Save"),
            _("{names} already exists in this folder. Replace it?").format(
                names=", ".join(p.name for p in existing)
            ),
            _("Replace"),
            _("Cancel"),
        ):
            return False
        try:
            paths = self.report().save(path, with_data)
        except ReportError as error:
            show_error(self.error, error.message_nl)
            return False
        self.path_edit.setText(str(path))
        names = ", ".join(p.name for p in paths)
        self._status(_("Saved in {folder}: {names}.").format(folder=path.parent, names=names))
        self.folder_button.show()
        return True

    def print_report(self, preview: bool) -> bool:
        show_error(self.error, "")
        done = self.report().print_report(preview)
        if done:
            self._status(_("The report was sent to the printer."))
        return done

    def open_folder(self) -> None:
        path = self.pdf_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
