"""The "Nieuw schooljaar" wizard (protocol 5a, 5b; issue 18), from Werk › Nieuw schooljaar…
and from the dashboard in August and September.

Pages: who (school year, the name pupils know, an optional photo), how to reach (e-mail,
phone or app, room and hours, web page), the material (poster A4/A3, flyer A5, website text:
each saved as PDF where the VP chooses or printed through `ui.printing`; the website text
also as plain text and HTML to copy), and the class-visit plan (classes typed or pasted,
spread over working days, stored when the wizard finishes).

The answers are saved in the encrypted store when the VP leaves the second page. The photo is
read from the file the VP chooses, shrunk (`app.reports.outreach.prepare_photo`) and kept only
in the store; no copy is written anywhere else. The PDFs hold no pupil data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.dates import parse_date, school_year_of, show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.reports import outreach
from app.reports.outreach import Contact
from app.services import year_start as service
from app.services.requests import study_days
from app.store.db import Store
from app.store.settings import load_settings
from ui import printing
from ui.dates import WindowClock
from ui.help import install_help
from ui.style import label
from ui.views.entry_form import DateField, error_label, show_error

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PHOTO_PREVIEW = 120


def default_school_year(today: date) -> str:
    """The running school year; in June and July the coming one."""
    if today.month in (6, 7):
        return f"{today.year}-{today.year + 1}"
    return school_year_of(today)


class YearStartWizard(QWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.clock = WindowClock(window.now)
        self.photo: bytes | None = None
        self.contact: Contact | None = None
        self.planned: list[service.ClassVisit] = []
        self.setWindowTitle(_("New school year"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        install_help(self, "year_start")
        self.resize(820, 640)
        session = window.session
        assert session is not None
        self.settings = load_settings(session.store)
        self.who = WhoPage(self)
        self.reach = ReachPage(self)
        self.material = MaterialPage(self)
        self.visits = VisitsPage(self)
        for page in (self.who, self.reach, self.material, self.visits):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Finish"))
        self._prefill()

    @property
    def school_year(self) -> str:
        return str(self.who.year_box.currentText())

    def store(self) -> Store | None:
        session = self.main_window.session
        return None if session is None else session.store

    def _prefill(self) -> None:
        store = self.store()
        found = None if store is None else service.load_answers(store)
        contact = found[1] if found else Contact(name=self.settings.vp_name)
        self.who.name.setText(contact.name)
        self.set_photo(contact.photo)
        for edit, value in ((self.reach.email, contact.email), (self.reach.phone, contact.phone),
                            (self.reach.room, contact.room), (self.reach.hours, contact.hours),
                            (self.reach.url, contact.url)):
            edit.setText(value)

    def set_photo(self, photo: bytes | None) -> None:
        self.photo = photo
        self.who.show_photo(photo)

    def answers(self) -> Contact:
        r = self.reach
        return Contact(name=self.who.name.text(), email=r.email.text(), phone=r.phone.text(),
                       room=r.room.text(), hours=r.hours.text(), url=r.url.text(),
                       photo=self.photo)


class WhoPage(QWizardPage):
    def __init__(self, wizard: YearStartWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("A new school year"))
        self.setSubTitle(_(
            "At the start of the school year you introduce yourself to the pupils (protocol "
            "5a). This wizard makes a poster, a flyer, the text for the school website and a "
            "plan for your class visits."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year_box = QComboBox()
        today = wizard.main_window.now().date()
        current = school_year_of(today)
        first = int(current[:4])
        years = [current, f"{first + 1}-{first + 2}"]
        self.year_box.addItems(years)
        self.year_box.setCurrentText(default_school_year(today))
        form.addRow(_("School year"), self.year_box)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("For example: Mevrouw Jansen, or Sanne"))
        form.addRow(_("Your name as pupils know it"), self.name)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.preview = QLabel()
        self.preview.setFixedSize(PHOTO_PREVIEW, PHOTO_PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #c9d3df; background: #f4f7fa;")
        row.addWidget(self.preview)
        buttons = QVBoxLayout()
        self.photo_button = QPushButton(_("Choose a photo…"))
        self.photo_button.clicked.connect(self.choose_photo)
        self.remove_button = QPushButton(_("No photo"))
        self.remove_button.clicked.connect(lambda: wizard.set_photo(None))
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(label(_(
            "Optional. Pupils recognise you more easily with a photo. Vertrouwd keeps a small "
            "copy inside its encrypted data file only."), "subtitle"))
        buttons.addStretch(1)
        row.addLayout(buttons, 1)
        layout.addLayout(row)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def show_photo(self, photo: bytes | None) -> None:
        self.remove_button.setEnabled(photo is not None)
        if photo is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("no photo"))
            return
        pixmap = QPixmap()
        pixmap.loadFromData(photo)
        self.preview.setPixmap(pixmap.scaled(
            PHOTO_PREVIEW, PHOTO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    def choose_photo(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a photo"), str(Path.home()),
            _("Pictures (*.jpg *.jpeg *.png *.bmp *.gif *.webp)"))
        if chosen:
            self.load_photo(Path(chosen))

    def load_photo(self, path: Path) -> bool:
        show_error(self.error, "")
        try:
            data = path.read_bytes()
            self.wizard_.set_photo(outreach.prepare_photo(data))
        except OSError:
            show_error(self.error, _("The photo could not be read. Choose another file."))
            return False
        except ValidationError as error:
            show_error(self.error, error.message)
            return False
        return True

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        if not self.name.text().strip():
            show_error(self.error, _("Fill in the name pupils know you by."))
            return False
        show_error(self.error, "")
        return True


class ReachPage(QWizardPage):
    def __init__(self, wizard: YearStartWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("How pupils reach you"))
        self.setSubTitle(_(
            "Fill in what pupils may use. Only what you fill in appears on the poster, the "
            "flyer and the website text."))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setPlaceholderText("naam@school.nl")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("a school phone, not your private number"))
        self.room = QLineEdit()
        self.room.setPlaceholderText(_("For example: room B1.12"))
        self.hours = QLineEdit()
        self.hours.setPlaceholderText(_("For example: Monday to Thursday in the long break"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://www.school.nl/vertrouwenspersoon")
        form.addRow(_("E-mail"), self.email)
        form.addRow(_("Phone or app"), self.phone)
        form.addRow(_("Room"), self.room)
        form.addRow(_("Hours"), self.hours)
        form.addRow(_("School web page about you"), self.url)
        layout.addLayout(form)
        layout.addWidget(label(_(
            "With a web page the poster and flyer get a QR code that leads to it."), "subtitle"))
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        store = self.wizard_.store()
        if store is None:
            return False
        try:
            saved = service.save_answers(store, self.wizard_.clock, self.wizard_.school_year,
                                         self.wizard_.answers())
        except ValidationError as error:
            show_error(self.error, error.message)
            return False
        show_error(self.error, "")
        self.wizard_.contact = saved
        self.url.setText(saved.url)
        return True


class MaterialPage(QWizardPage):
    def __init__(self, wizard: YearStartWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Poster, flyer and website text"))
        self.setSubTitle(_(
            "Save each as a PDF where you like, or print it. Nothing about pupils is in them."))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.size_box = QComboBox()
        self.size_box.addItem(_("A4"), "A4")
        self.size_box.addItem(_("A3 (large)"), "A3")
        self.buttons: dict[str, tuple[QPushButton, QPushButton, QPushButton]] = {}
        rows = (("poster", _("Poster")), ("flyer", _("Flyer (A5, both sides)")),
                ("website", _("Website text")))
        for index, (kind, title) in enumerate(rows):
            grid.addWidget(label(title, wrap=False), index, 0)
            if kind == "poster":
                grid.addWidget(self.size_box, index, 1)
            save = QPushButton(_("Save as PDF…"))
            save.clicked.connect(lambda _checked=False, k=kind: self.save(k))
            print_button = QPushButton(_("Print…"))
            print_button.clicked.connect(lambda _checked=False, k=kind: self.print_(k))
            preview = QPushButton(_("Preview…"))
            preview.clicked.connect(lambda _checked=False, k=kind: self.preview(k))
            grid.addWidget(save, index, 2)
            grid.addWidget(preview, index, 3)
            grid.addWidget(print_button, index, 4)
            self.buttons[kind] = (save, print_button, preview)
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        self.tabs = QTabWidget()
        self.plain = QPlainTextEdit()
        self.html = QPlainTextEdit()
        for edit, title, kind in ((self.plain, _("Text"), "plain"), (self.html, _("HTML"),
                                                                     "html")):
            edit.setReadOnly(True)
            page = QWidget()
            box = QVBoxLayout(page)
            box.addWidget(edit)
            copy = QPushButton(_("Copy"))
            copy.setObjectName(f"copy_{kind}")
            copy.clicked.connect(lambda _checked=False, e=edit: self.copy(e))
            box.addWidget(copy, 0, Qt.AlignmentFlag.AlignRight)
            self.tabs.addTab(page, title)
        layout.addWidget(label(_(
            "For the school website (protocol 5b): copy the text, or the HTML when the "
            "website's editor accepts it."), "subtitle"))
        layout.addWidget(self.tabs, 1)
        self.status = label("", "subtitle")
        layout.addWidget(self.status)
        self.error = error_label()
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        contact = self.wizard_.contact
        if contact is None:
            return
        school = self.wizard_.settings.school
        self.plain.setPlainText(outreach.website_text(contact, school))
        self.html.setPlainText(outreach.website_html(contact, school))

    def pdf(self, kind: str) -> tuple[bytes, str, str]:
        """(PDF, document title, file name) of `kind`."""
        contact = self.wizard_.contact
        assert contact is not None
        school = self.wizard_.settings.school
        if kind == "poster":
            size = str(self.size_box.currentData())
            return (outreach.poster_pdf(contact, school, size), outreach.poster_title(),
                    f"Poster-vertrouwenspersoon-{size}.pdf")
        if kind == "flyer":
            return (outreach.flyer_pdf(contact, school), outreach.flyer_title(),
                    "Flyer-vertrouwenspersoon-A5.pdf")
        return (outreach.website_pdf(contact, school), outreach.website_title(),
                "Websitetekst-vertrouwenspersoon.pdf")

    def save(self, kind: str) -> bool:
        data, title, name = self.pdf(kind)
        return save_pdf(self, data, title, name, self.status)

    def print_(self, kind: str) -> bool:
        data, title, _name = self.pdf(kind)
        return printing.print_pdf(self, data, title)

    def preview(self, kind: str) -> bool:
        """The print preview (as it will come out of the printer; it has a print button)."""
        data, title, _name = self.pdf(kind)
        return printing.preview_pdf(self, data, title)

    def copy(self, edit: QPlainTextEdit) -> None:
        QGuiApplication.clipboard().setText(edit.toPlainText())
        self.status.setText(_("Copied. Paste it into the editor of the school website."))


def save_pdf(parent: QWidget, data: bytes, title: str, name: str, status: QLabel) -> bool:
    """Ask where (`ui.printing.ask_pdf_path`, starting in Documents), save behind the output
    guard (`ui.printing.save_bytes` says in Dutch what failed), and say where it went."""
    path = printing.ask_pdf_path(parent, _("Save {title}").format(title=title), name,
                                 personal=False)
    if path is None or not printing.save_bytes(parent, path, data):
        return False
    status.setText(_("Saved: {path}").format(path=path))
    return True


class VisitsPage(QWizardPage):
    COLUMNS = 3

    def __init__(self, wizard: YearStartWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Class visits"))
        self.setSubTitle(_("Type or paste the classes or year groups you will visit."))
        layout = QVBoxLayout(self)
        layout.addWidget(label(_(
            "One a line, with the number of pupils after a semicolon or tab if you know it "
            "(2B; 28). Each visit appears on the overview until you mark it done; done visits "
            "count in the annual report."), "subtitle"))
        self.paste = QPlainTextEdit()
        self.paste.setPlaceholderText("1A; 30\n1B; 28\nhavo 3 (27)")
        self.paste.setMaximumHeight(110)
        layout.addWidget(self.paste)
        row = QHBoxLayout()
        row.addWidget(label(_("First visit on"), wrap=False))
        self.first = DateField()
        row.addWidget(self.first)
        row.addWidget(label(_("visits a day"), wrap=False))
        self.per_day = QSpinBox()
        self.per_day.setRange(1, 8)
        self.per_day.setValue(2)
        row.addWidget(self.per_day)
        self.add_button = QPushButton(_("Add to the plan"))
        self.add_button.clicked.connect(self.add_classes)
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([_("Class"), _("Pupils"), _("Date")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        tools = QHBoxLayout()
        self.remove_button = QPushButton(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.print_button = QPushButton(_("Print the plan…"))
        self.print_button.clicked.connect(self.print_plan)
        self.save_button = QPushButton(_("Save the plan as PDF…"))
        self.save_button.clicked.connect(self.save_plan)
        for button in (self.remove_button, self.print_button, self.save_button):
            tools.addWidget(button)
        tools.addStretch(1)
        layout.addLayout(tools)
        self.known = label("", "subtitle")
        layout.addWidget(self.known)
        self.status = label("", "subtitle")
        layout.addWidget(self.status)
        self.error = error_label()
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        today = self.wizard_.main_window.now().date()
        year = self.wizard_.school_year
        start = date(int(year[:4]), 9, 1)
        if not self.first.text():
            self.first.set_date(max(start, today))
        store = self.wizard_.store()
        existing = [] if store is None else service.list_visits(store, year)
        self.known.setText(_("Already in the plan of {year}: {count} visit(s).").format(
            year=year, count=len(existing)) if existing else "")

    def add_classes(self) -> bool:
        show_error(self.error, "")
        try:
            lines = service.parse_classes(self.paste.toPlainText())
            if not lines:
                raise ValidationError(_("Type or paste at least one class."), "classes")
            first = self.first.value("first")
        except ValidationError as error:
            show_error(self.error, error.message)
            return False
        settings = self.wizard_.settings
        days = service.visit_days(
            first, len(lines), self.per_day.value(), region=settings.region,
            school_holidays=settings.school_holidays, study_days=study_days(settings))
        for line, day in zip(lines, days, strict=True):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(
                    (line.name, "" if line.pupils is None else str(line.pupils), show_date(day))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.paste.clear()
        return True

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()},
                          reverse=True):
            self.table.removeRow(row)

    def rows(self) -> list[tuple[service.ClassLine, date]]:
        """The table as (class, day); ValidationError names the first bad row."""
        found = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, c) for c in range(self.COLUMNS)]
            cells = [(item.text() if item is not None else "").strip() for item in items]
            name, pupils_text, day_text = cells
            pupils = None
            if pupils_text:
                if not pupils_text.isdigit() or int(pupils_text) == 0:
                    raise ValidationError(_(
                        "Row {row}: write the number of pupils as a number, or leave it "
                        "empty.").format(row=row + 1), "pupils")
                pupils = int(pupils_text)
            try:
                day = parse_date(day_text, "planned_on")
            except ValidationError as error:
                raise ValidationError(_("Row {row}: {problem}").format(
                    row=row + 1, problem=error.message), "planned_on") from None
            found.append((service.ClassLine(name, pupils), day))
        return found

    def plan_rows(self) -> list[tuple[str, int | None, str, str]]:
        store = self.wizard_.store()
        existing = [] if store is None else service.list_visits(store, self.wizard_.school_year)
        rows = [(v.class_name, v.pupils, show_date(v.planned_on),
                 show_date(v.done_on) if v.done_on else "") for v in existing]
        rows += [(line.name, line.pupils, show_date(day), "") for line, day in self.rows()]
        return sorted(rows, key=lambda r: (parse_date(r[2]), r[0]))

    def _plan_pdf(self) -> bytes | None:
        try:
            rows = self.plan_rows()
        except ValidationError as error:
            show_error(self.error, error.message)
            return None
        return outreach.visit_plan_pdf(self.wizard_.settings.school, self.wizard_.school_year,
                                       rows)

    def print_plan(self) -> bool:
        data = self._plan_pdf()
        return data is not None and printing.print_pdf(
            self, data, outreach.visit_plan_title(self.wizard_.school_year))

    def save_plan(self) -> bool:
        data = self._plan_pdf()
        year = self.wizard_.school_year
        return data is not None and save_pdf(
            self, data, outreach.visit_plan_title(year), f"Klassenbezoeken-{year}.pdf",
            self.status)

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        show_error(self.error, "")
        store = self.wizard_.store()
        if store is None:
            return False
        if self.paste.toPlainText().strip() and not self.add_classes():
            return False
        try:
            rows = self.rows()
            if rows:
                self.wizard_.planned = service.plan_visits(store, self.wizard_.school_year, rows)
        except ValidationError as error:
            show_error(self.error, error.message)
            return False
        self.table.setRowCount(0)
        return True


def run_year_start(window: MainWindow) -> None:
    """Open the wizard; refresh the window's views afterwards (the dashboard shows the plan)."""
    if window.session is None:
        return
    YearStartWizard(window).exec()
    if window.session is not None:
        window.refresh()
