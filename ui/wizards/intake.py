"""The intake wizard: the first conversation with a pupil, saved as a new case (PRODUCT.md job 3).

Pages: pupil (only what is needed; reuse a known pupil of the same name), the limits of
confidentiality (a script to read out and a required tick, whose time is recorded), story and
help question (short, with a live counter), categories (escalating ones announce the check),
who takes it up (protocol 6e), consent per recipient (protocol 6i), and a summary with the
Magister reminder.

State: the wizard keeps everything in ONE plain dict (`state`, JSON-ready). Each page reads it
in `initializePage` and writes it back in one place (`write`, called on Next, Back and when a
draft is saved). Nothing is written to the store until Finish, which makes ONE service call
(`open_case` with an `Intake`, linked to the request). A `ValidationError` is shown and the
wizard stays open with everything typed. After saving, an escalating category starts the
escalation check through the main window's hook.

Drafts: when the window locks (it calls `reject()` on open dialogs while the store is still
open) or the VP cancels and chooses to keep it, the state is saved encrypted in the store
(`app.services.drafts`, kind "intake"); the next intake offers to continue with it.

Deviation, on purpose: `Intake` has no field for the external help chosen on the "who takes
it up" page, so when external help is chosen a referral entry is added right after the intake
(a second, separate transaction); if that fails the case is kept and the VP is told.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.dates import parse_date, show_date
from app.domain.errors import ValidationError
from app.domain.lists import (
    CATEGORIES,
    ESCALATING_CATEGORIES,
    EXTERNAL_HELP,
    LEVELS,
    RECIPIENTS,
    REFERRAL_SOURCES,
    TAKEN_UP_BY,
)
from app.domain.lists import label as list_label
from app.domain.models import Intake, Pupil, PupilData, Request
from app.i18n import _
from app.services import casework, drafts, requests
from app.services.chronology import open_cases_of
from app.services.validation import check_event_date
from app.store.db import Store, StoreError
from ui.help import install_help
from ui.style import label
from ui.views import entry_form
from ui.views.entry_form import (
    CountedText,
    DateField,
    choice,
    choice_box,
    error_label,
    options,
    set_choice,
    show_error,
    window_clock,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DRAFT_KIND = "intake"
#: Text fields whose content makes the wizard worth keeping as a draft.
CONTENT_KEYS = ("name", "class_name", "authority", "story", "help_question", "categories")
FIELD_PAGES = {
    "pupil": 0, "name": 0, "class_name": 0, "year_group": 0, "level": 0, "authority": 0,
    "source": 0, "confidentiality_explained_at": 1, "opened_on": 2, "story": 2,
    "help_question": 2, "minutes": 2, "categories": 3, "taken_up_by": 4, "consents": 5,
}


def empty_state(request_id: int | None, today: str) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "pupil_id": None,
        "name": "",
        "class_name": "",
        "year_group": None,
        "level": "",
        "minor": True,
        "authority": "",
        "source": "leerling_zelf",
        "explained_at": None,
        "conversation_date": today,
        "minutes": 0,
        "story": "",
        "help_question": "",
        "categories": [],
        "taken_up_by": "vp",
        "external_help": "",
        "consents": {},
    }


def confidentiality_script() -> str:
    """What the VP reads out (protocol 6a, 2d, 5d, 5e, 3b), as simple HTML."""
    items = [
        _("when your safety, or someone else's, is at risk;"),
        _("when there is a suspicion of a sexual offence, of child abuse or of domestic "
          "violence;"),
        _("when it is about a criminal offence;"),
        _("when you put yourself in danger, for example through an eating disorder, self-harm "
          "or thoughts of suicide: if you are under 18, I then have to inform your parents;"),
        _("when you tell me about a relationship between a staff member and a pupil: I have "
          "to report that to the director."),
    ]
    return (
        "<p>" + html.escape(_("What you tell me, I handle with great care. I do not pass it on "
                              "without your permission.")) + "</p>"
        + "<p>" + html.escape(_("But I cannot promise that everything stays secret. In a few "
                                "situations I have to act, even if you would rather I did "
                                "not:")) + "</p>"
        + "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"
        + "<p><b>" + html.escape(_("If I have to tell someone, I will tell you first."))
        + "</b></p>"
    )


def magister_reminder() -> str:
    return _("In Magister, only tick that the pupil has conversations with the confidential "
             "adviser — no content (protocol 6b).")


def brevity_hint() -> str:
    return _("Write down as briefly as possible: only what is needed to help the pupil "
             "(protocol 6b).")


class IntakeWizard(QWizard):
    def __init__(self, window: MainWindow, request_id: int | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.case_id: int | None = None
        self.clock = window_clock(window)
        self.request: Request | None = None
        self._saved = False
        self.resumed = False
        self.continued = False  # True: the pupil's open case was continued, no new case
        self.setWindowTitle(_("Intake"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        install_help(self)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(780, 620)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Save"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.state: dict[str, Any] = empty_state(request_id, show_date(self.clock.today()))
        if request_id is not None:
            self._apply_request(request_id)
        self.initial_state = dict(self.state)
        self._offer_draft()
        self.pupil_page = PupilPage()
        self.confidentiality_page = ConfidentialityPage()
        self.story_page = StoryPage()
        self.category_page = CategoryPage()
        self.taken_up_page = TakenUpPage()
        self.consent_page = ConsentPage()
        self.summary_page = SummaryPage()
        self.pages: list[IntakePage] = [
            self.pupil_page, self.confidentiality_page, self.story_page, self.category_page,
            self.taken_up_page, self.consent_page, self.summary_page,
        ]
        for page in self.pages:
            self.addPage(page)

    # -- the store ---------------------------------------------------------------------------
    def store(self) -> Store | None:
        session = self.window_.session
        return None if session is None else session.store

    def _apply_request(self, request_id: int) -> None:
        store = self.store()
        if store is None:
            return
        try:
            self.request = casework.get_request(store, request_id)
        except casework.NotFoundError:
            self.state["request_id"] = None
            return
        request = self.request
        self.state["name"] = request.pupil_label
        self.state["pupil_id"] = request.pupil_id
        self.state["source"] = request.source
        self.state["story"] = request.note  # the note typed at registration carries over
        if request.pupil_id is not None:
            try:
                self.state.update(pupil_state(casework.get_pupil(store, request.pupil_id)))
            except casework.NotFoundError:
                self.state["pupil_id"] = None

    # -- drafts ------------------------------------------------------------------------------
    def _offer_draft(self) -> None:
        store = self.store()
        if store is None:
            return
        draft = drafts.load_draft(store, DRAFT_KIND)
        if draft is None:
            return
        if self.ask_resume_draft():
            merged = dict(self.state)
            merged.update({k: v for k, v in draft.items() if k in merged})
            self.state = merged
            self.resumed = True
        else:
            drafts.discard_draft(store, DRAFT_KIND)

    def ask_resume_draft(self) -> bool:
        return entry_form.ask(
            self.window_, _("Intake"),
            _("Do you want to continue with the intake that was not finished?"),
            _("Continue"), _("Start again"))

    def ask_keep_draft(self) -> str:
        """'keep', 'discard' or 'stay' (the VP's answer when cancelling with typed content)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Intake"))
        box.setText(_("You have not finished the intake. Keep what you typed as a draft? The "
                      "draft is kept encrypted, and you can continue with it next time."))
        keep = box.addButton(_("Keep as draft"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(_("Throw away"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(_("Continue typing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is keep:
            return "keep"
        if clicked is discard:
            return "discard"
        del stay
        return "stay"

    def collect(self) -> dict[str, Any]:
        """The state with what the visited pages show now."""
        for page in self.pages:
            if page.loaded:
                page.write(self.state)
        return self.state

    def has_content(self) -> bool:
        state = self.collect()
        changed = any(state.get(k) != self.initial_state.get(k) for k in CONTENT_KEYS)
        return (changed or self.resumed) and any(state.get(k) for k in CONTENT_KEYS)

    def save_draft(self) -> bool:
        store = self.store()
        if store is None:
            return False
        try:
            drafts.save_draft(store, DRAFT_KIND, self.collect(), now=self.clock.now())
        except StoreError:
            return False
        return True

    def discard_draft(self) -> None:
        store = self.store()
        if store is not None:
            try:
                drafts.discard_draft(store, DRAFT_KIND)
            except StoreError:
                pass

    def _window_locking(self) -> bool:
        cover = getattr(self.window_, "cover", None)
        stack = getattr(self.window_, "stack", None)
        return cover is not None and stack is not None and stack.currentWidget() is cover

    def reject(self) -> None:
        if not self._saved and self.store() is not None and self.has_content():
            if self._window_locking():
                self.save_draft()
            else:
                answer = self.ask_keep_draft()
                if answer == "stay":
                    return
                if answer == "keep":
                    self.save_draft()
                else:
                    self.discard_draft()
        super().reject()

    # -- finishing ---------------------------------------------------------------------------
    def escalating(self) -> list[str]:
        return [c for c in self.state.get("categories", []) if c in ESCALATING_CATEGORIES]

    def build_intake(self, state: dict[str, Any]) -> Intake:
        explained = state.get("explained_at")
        pupil_id = state.get("pupil_id")
        pupil = None
        if pupil_id is None:
            pupil = PupilData(
                name=state["name"].strip(), class_name=state["class_name"].strip(),
                year_group=state["year_group"], level=state["level"],
                minor=bool(state["minor"]), authority=state["authority"].strip())
        consents = {r: v == "yes" for r, v in state["consents"].items() if v in ("yes", "no")}
        request_id = state.get("request_id")
        return Intake(
            opened_on=parse_date(state["conversation_date"], "opened_on"),
            confidentiality_explained_at=(datetime.fromisoformat(explained)
                                          if explained else None),
            categories=tuple(c for c in CATEGORIES if c in state["categories"]),
            taken_up_by=state["taken_up_by"],
            story=state["story"],
            help_question=state["help_question"],
            pupil_id=pupil_id,
            pupil=pupil,
            request_id=request_id,
            source=None if request_id is not None else state["source"],
            consents=consents,
            minutes=state["minutes"] or None,
        )

    def accept(self) -> None:
        store = self.store()
        if store is None:
            return
        state = self.collect()
        try:
            case = casework.open_case(store, self.clock, self.build_intake(state))
        except ValidationError as error:
            QMessageBox.warning(self, _("Intake"), error.message)
            self._show_field(error.field)
            return
        self.case_id = case.id
        self._saved = True
        self.discard_draft()
        if state["taken_up_by"] == "extern" and state.get("external_help"):
            try:
                casework.add_referral(store, self.clock, case.id, on_date=case.opened_on,
                                      referral=state["external_help"])
            except ValidationError as error:
                QMessageBox.warning(self, _("Intake"), _(
                    "The intake is saved, but the referral could not be recorded: {message} "
                    "Add it in the case file.").format(message=error.message))
        escalate = bool(self.escalating())
        if escalate:
            # Until a check is recorded (or waived) the case stays on the overview (issue 10).
            from app.services.check_reminders import remind_check

            remind_check(store, case.id, now=self.clock.now(), reason="category")
        super().accept()
        if escalate:
            self.window_.run_escalation_check(case.id)

    def continue_case(self, case_id: int) -> None:
        """Continue the pupil's open case instead of opening a new one: the request (if any)
        is linked to it, nothing typed here is kept, and the window opens that case."""
        store = self.store()
        if store is None:
            return
        request_id = self.state.get("request_id")
        if request_id is not None:
            try:
                requests.attach_request(store, self.clock, int(request_id), case_id)
            except ValidationError as error:
                QMessageBox.warning(self, _("Intake"), error.message)
                return
        self.case_id = case_id
        self.continued = True
        self._saved = True
        self.discard_draft()
        QWizard.done(self, QWizard.DialogCode.Accepted)

    def _show_field(self, field: str) -> None:
        target = FIELD_PAGES.get(field)
        if target is None:
            return
        guard = 0
        while self.currentId() > target and guard < len(self.pages):
            self.back()
            guard += 1


def pupil_state(pupil: Pupil) -> dict[str, Any]:
    return {
        "pupil_id": pupil.id, "name": pupil.name, "class_name": pupil.class_name,
        "year_group": pupil.year_group, "level": pupil.level, "minor": pupil.minor,
        "authority": pupil.authority,
    }


class IntakePage(QWizardPage):
    """A page that reads the wizard's state when shown and writes it back in `write`."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False

    def intake(self) -> IntakeWizard:
        wizard = self.wizard()
        assert isinstance(wizard, IntakeWizard)
        return wizard

    def initializePage(self) -> None:
        self.load(self.intake().state)
        self.loaded = True

    def cleanupPage(self) -> None:
        self.write(self.intake().state)

    def validatePage(self) -> bool:
        if not self.check():
            return False
        self.write(self.intake().state)
        return True

    def load(self, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def write(self, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def check(self) -> bool:
        return self.isComplete()


class PupilPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.pupil")
        self.setTitle(_("The pupil"))
        self.setSubTitle(_("Fill in only what is needed (protocol 6b). A pseudonym of your "
                           "choice is fine; a date of birth is not needed."))
        self.known: Pupil | None = None
        self.matches: list[Pupil] = []
        layout = QVBoxLayout(self)
        self.request_line = label("", "subtitle")
        self.request_line.hide()
        layout.addWidget(self.request_line)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("name or pseudonym"))
        form.addRow(_("Name *"), self.name)
        self.match_list = QListWidget()
        self.match_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.match_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.match_caption = label(_("Already known in Vertrouwd:"), "subtitle")
        matches = QWidget()
        match_layout = QVBoxLayout(matches)
        match_layout.setContentsMargins(0, 0, 0, 6)
        match_layout.setSpacing(2)
        match_layout.addWidget(self.match_caption)
        match_layout.addWidget(self.match_list)
        self.match_box = matches
        form.addRow("", matches)
        self.class_name = QLineEdit()
        self.class_name.setMaximumWidth(140)
        self.class_name.setPlaceholderText(_("for example 2B"))
        self.year = QComboBox()
        self.year.addItem("—", None)
        for year in range(1, 7):
            self.year.addItem(str(year), year)
        self.level = choice_box(options(LEVELS), "—")
        row = QHBoxLayout()
        row.addWidget(self.class_name)
        row.addSpacing(18)
        row.addWidget(QLabel(_("Year")))
        row.addWidget(self.year)
        row.addSpacing(18)
        row.addWidget(QLabel(_("Level")))
        row.addWidget(self.level, 1)
        form.addRow(_("Class"), row)
        self.minor = QRadioButton(_("Minor (under 18)"))
        self.adult = QRadioButton(_("18 or older"))
        group = QButtonGroup(self)
        group.addButton(self.minor)
        group.addButton(self.adult)
        ages = QHBoxLayout()
        ages.addWidget(self.minor)
        ages.addWidget(self.adult)
        ages.addStretch(1)
        form.addRow(_("Age"), ages)
        self.authority = QLineEdit()
        self.authority.setPlaceholderText(_("for example: both parents; only the mother"))
        form.addRow(_("Parents/carers with authority"), self.authority)
        self.source = choice_box(options(REFERRAL_SOURCES))
        self.source_caption = QLabel(_("Came in via"))
        form.addRow(self.source_caption, self.source)
        layout.addLayout(form)
        self.known_line = label("", "subtitle")
        self.known_line.hide()
        layout.addWidget(self.known_line)
        self.open_case_id: int | None = None
        self.open_case_box = QWidget()
        open_layout = QVBoxLayout(self.open_case_box)
        open_layout.setContentsMargins(0, 6, 0, 0)
        self.open_case_line = label("", "warning")
        open_layout.addWidget(self.open_case_line)
        self.continue_button = QPushButton(_("&Continue in that case file"))
        self.continue_button.setAutoDefault(False)
        self.continue_button.clicked.connect(self._continue_case)
        open_layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.open_case_box.hide()
        layout.addWidget(self.open_case_box)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.search)
        self.name.textEdited.connect(self._name_edited)
        self.name.textChanged.connect(self.completeChanged)
        self.match_list.itemChanged.connect(self._match_ticked)
        self._show_matches([])

    def load(self, state: dict[str, Any]) -> None:
        wizard = self.intake()
        self.name.setText(state["name"])
        self.class_name.setText(state["class_name"])
        self.year.setCurrentIndex(max(0, self.year.findData(state["year_group"])))
        set_choice(self.level, state["level"])
        (self.minor if state["minor"] else self.adult).setChecked(True)
        self.authority.setText(state["authority"])
        set_choice(self.source, state["source"])
        from_request = state.get("request_id") is not None
        self.source.setVisible(not from_request)
        self.source_caption.setVisible(not from_request)
        request = wizard.request
        if request is not None and from_request:
            self.request_line.setText(_("Request of {date}, via: {source}").format(
                date=show_date(request.received_at.date()),
                source=list_label(REFERRAL_SOURCES, request.source).lower()))
            self.request_line.show()
        self.known = None
        self.search()
        if state.get("pupil_id") is not None:
            self.choose(int(state["pupil_id"]))

    def write(self, state: dict[str, Any]) -> None:
        state["name"] = self.name.text()
        state["class_name"] = self.class_name.text()
        state["year_group"] = self.year.currentData()
        state["level"] = choice(self.level) or ""
        state["minor"] = self.minor.isChecked()
        state["authority"] = self.authority.text()
        state["source"] = choice(self.source) or "leerling_zelf"
        state["pupil_id"] = self.known.id if self.known is not None else None

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())

    def _name_edited(self) -> None:
        if self.known is not None and self.name.text().strip() != self.known.name:
            self._use(None)
        self.timer.start()

    def search(self) -> None:
        wizard = self.wizard()
        store = wizard.store() if isinstance(wizard, IntakeWizard) else None
        text = self.name.text().strip()
        found: list[Pupil] = []
        if store is not None and len(text) >= 2:
            try:
                found = casework.find_pupils(store, text, limit=4)
            except StoreError:
                found = []
        if self.known is not None and all(p.id != self.known.id for p in found):
            found.insert(0, self.known)
        self._show_matches(found)

    def _show_matches(self, found: list[Pupil]) -> None:
        self.matches = found
        self.match_list.blockSignals(True)
        self.match_list.clear()
        for pupil in found:
            item = QListWidgetItem(_("This is the same pupil as {who}").format(
                who=describe_pupil(pupil)))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = self.known is not None and pupil.id == self.known.id
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, pupil.id)
            self.match_list.addItem(item)
        self.match_list.blockSignals(False)
        rows = max(1, min(len(found), 4))
        row_height = self.match_list.sizeHintForRow(0) if found else 24
        frame = 2 * self.match_list.frameWidth() + 2
        self.match_list.setFixedHeight(rows * max(row_height, 20) + frame)
        self.match_box.setVisible(bool(found))

    def _match_ticked(self, item: QListWidgetItem) -> None:
        pupil_id = int(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.choose(pupil_id)
        elif self.known is not None and self.known.id == pupil_id:
            self._use(None)
            self._show_matches(self.matches)

    def choose(self, pupil_id: int) -> None:
        """Reuse the known pupil `pupil_id` (one of the matches)."""
        pupil = next((p for p in self.matches if p.id == pupil_id), None)
        if pupil is None:
            store = self.intake().store()
            if store is None:
                return
            try:
                pupil = casework.get_pupil(store, pupil_id)
            except casework.NotFoundError:
                return
        self._use(pupil)
        if all(p.id != pupil.id for p in self.matches):
            self.matches.insert(0, pupil)
        self._show_matches(self.matches)

    def _use(self, pupil: Pupil | None) -> None:
        self.known = pupil
        editable = pupil is None
        for widget in (self.class_name, self.year, self.level, self.minor, self.adult,
                       self.authority):
            widget.setEnabled(editable)
        if pupil is not None:
            self.name.setText(pupil.name)
            self.class_name.setText(pupil.class_name)
            self.year.setCurrentIndex(max(0, self.year.findData(pupil.year_group)))
            set_choice(self.level, pupil.level)
            (self.minor if pupil.minor else self.adult).setChecked(True)
            self.authority.setText(pupil.authority)
            self.known_line.setText(_("The new case is linked to this known pupil; the details "
                                      "already kept are used."))
        self.known_line.setVisible(pupil is not None)
        self._show_open_case(pupil)

    def _show_open_case(self, pupil: Pupil | None) -> None:
        """Warn when the known pupil already has an open case, and offer to continue it."""
        store = self.intake().store() if isinstance(self.wizard(), IntakeWizard) else None
        found = open_cases_of(store, pupil.id) if store is not None and pupil else []
        self.open_case_id = found[0].id if found else None
        if found:
            self.open_case_line.setText(_(
                "{name} already has an open case file (opened on {date}). Continue in that "
                "one, or go on with a new case file for a new problem.").format(
                    name=found[0].pupil_name, date=show_date(found[0].opened_on)))
        self.open_case_box.setVisible(bool(found))

    def _continue_case(self) -> None:
        if self.open_case_id is not None:
            self.intake().continue_case(self.open_case_id)


def describe_pupil(pupil: Pupil) -> str:
    parts = []
    if pupil.class_name:
        parts.append(_("class {name}").format(name=pupil.class_name))
    parts.append(_("known since {date}").format(date=show_date(pupil.created_at.date())))
    return f"{pupil.name} ({', '.join(parts)})"


class ConfidentialityPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.confidentiality")
        self.setTitle(_("Limits of confidentiality"))
        self.setSubTitle(_("Read this out to the pupil, or say it in your own words, before the "
                           "pupil tells their story (protocol 6a, 2d, 5d, 3b)."))
        self.explained_at: str | None = None
        layout = QVBoxLayout(self)
        self.script = QLabel(confidentiality_script())
        self.script.setTextFormat(Qt.TextFormat.RichText)
        self.script.setWordWrap(True)
        self.script.setObjectName("script")
        self.script.setStyleSheet(
            "QLabel#script { background: #f4f7fa; border: 1px solid #c9d5e0; border-radius: 6px;"
            " padding: 12px 16px; font-size: 11.5pt; color: #1f2d3a; }")
        layout.addWidget(self.script)
        layout.addSpacing(8)
        self.tick = QCheckBox(_("I have explained this to the pupil"))
        self.tick.setStyleSheet("QCheckBox { font-weight: 600; }")
        layout.addWidget(self.tick)
        self.when = label("", "subtitle")
        layout.addWidget(self.when)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.tick.toggled.connect(self._ticked)

    def load(self, state: dict[str, Any]) -> None:
        self.explained_at = state.get("explained_at")
        self.tick.blockSignals(True)
        self.tick.setChecked(self.explained_at is not None)
        self.tick.blockSignals(False)
        self._show_when()

    def write(self, state: dict[str, Any]) -> None:
        state["explained_at"] = self.explained_at

    def _ticked(self, on: bool) -> None:
        self.explained_at = (self.intake().clock.now().isoformat(timespec="seconds")
                             if on else None)
        show_error(self.error, "")
        self._show_when()
        self.completeChanged.emit()

    def _show_when(self) -> None:
        if self.explained_at:
            moment = datetime.fromisoformat(self.explained_at)
            self.when.setText(_("Recorded: explained on {moment}.").format(
                moment=moment.strftime("%d-%m-%Y %H:%M")))
        else:
            self.when.setText(_("This step cannot be skipped."))

    def isComplete(self) -> bool:
        return self.tick.isChecked()

    def check(self) -> bool:
        if not self.tick.isChecked():
            show_error(self.error, _("Tick that you explained the limits of confidentiality."))
            return False
        return True


class StoryPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.story")
        self.setTitle(_("Story and help question"))
        self.setSubTitle(brevity_hint())
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.day = DateField()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSingleStep(5)
        self.minutes.setSpecialValueText(_("not filled in"))
        self.minutes.setSuffix(_(" min"))
        self.minutes.setMinimumWidth(130)
        row = QHBoxLayout()
        row.addWidget(self.day)
        row.addSpacing(18)
        row.addWidget(QLabel(_("Duration")))
        row.addWidget(self.minutes)
        row.addStretch(1)
        form.addRow(_("Date of the conversation *"), row)
        self.story = CountedText(lines=5, placeholder=_("In a few sentences: what is going on?"))
        self.question = CountedText(lines=3, placeholder=_("What does the pupil want help "
                                                           "with?"))
        form.addRow(_("The pupil's story"), self.story)
        form.addRow(_("Help question"), self.question)
        layout.addLayout(form, 1)
        self.error = error_label()
        layout.addWidget(self.error)

    def load(self, state: dict[str, Any]) -> None:
        self.day.setText(state["conversation_date"])
        self.minutes.setValue(int(state.get("minutes") or 0))
        self.story.set_text(state["story"])
        self.question.set_text(state["help_question"])

    def write(self, state: dict[str, Any]) -> None:
        state["conversation_date"] = self.day.text().strip()
        state["minutes"] = self.minutes.value()
        state["story"] = self.story.text()
        state["help_question"] = self.question.text()

    def check(self) -> bool:
        try:
            check_event_date(self.day.value("opened_on"), self.intake().clock.today(),
                             "opened_on")
        except ValidationError as error:
            show_error(self.error, error.message)
            self.day.setFocus()
            return False
        show_error(self.error, "")
        return True


class CategoryPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.categories")
        self.setTitle(_("Nature of the problem"))
        self.setSubTitle(_("Choose one or more categories (protocol 4a, 4b). They count in the "
                           "annual report, without names."))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        self.boxes: dict[str, QCheckBox] = {}
        half = (len(CATEGORIES) + 1) // 2
        for index, category in enumerate(CATEGORIES):
            box = QCheckBox(list_label(CATEGORIES, category))
            box.toggled.connect(self._changed)
            self.boxes[category] = box
            grid.addWidget(box, index % half, index // half)
        layout.addLayout(grid)
        layout.addSpacing(10)
        self.notice = label(_("You chose a subject that calls for the escalation check. After "
                              "you save the intake, the check starts: it walks you through the "
                              "questions about safety and duties to report."), "warning")
        self.notice.hide()
        layout.addWidget(self.notice)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def load(self, state: dict[str, Any]) -> None:
        for category, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(category in state["categories"])
            box.blockSignals(False)
        self._changed()

    def write(self, state: dict[str, Any]) -> None:
        state["categories"] = self.chosen()

    def chosen(self) -> list[str]:
        return [c for c, box in self.boxes.items() if box.isChecked()]

    def _changed(self) -> None:
        chosen = self.chosen()
        self.notice.setVisible(any(c in ESCALATING_CATEGORIES for c in chosen))
        if chosen:
            show_error(self.error, "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.chosen())

    def check(self) -> bool:
        if not self.chosen():
            show_error(self.error, _("Choose at least one category."))
            return False
        return True


class TakenUpPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.taken_up")
        self.setTitle(_("Who takes it up?"))
        self.setSubTitle(_("Weigh whether the help question is best taken up by you, by the "
                           "mentor, or by external help (protocol 6e)."))
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        notes = {
            "vp": _("You guide the pupil yourself."),
            "mentor": _("The mentor takes it up; share only with the pupil's consent."),
            "extern": _("You help the pupil find external help (protocol 6h)."),
        }
        for option in TAKEN_UP_BY:
            button = QRadioButton(list_label(TAKEN_UP_BY, option))
            group.addButton(button)
            self.buttons[option] = button
            layout.addWidget(button)
            note = label(notes.get(option, ""), "subtitle")
            note.setContentsMargins(26, 0, 0, 6)
            layout.addWidget(note)
        self.external = choice_box(options(EXTERNAL_HELP), _("— choose —"))
        row = QHBoxLayout()
        row.setContentsMargins(26, 0, 0, 0)
        self.external_caption = QLabel(_("Which help?"))
        row.addWidget(self.external_caption)
        row.addWidget(self.external, 1)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.buttons["extern"].toggled.connect(self._sync)

    def load(self, state: dict[str, Any]) -> None:
        self.buttons.get(state["taken_up_by"], self.buttons["vp"]).setChecked(True)
        set_choice(self.external, state.get("external_help"))
        self._sync()

    def write(self, state: dict[str, Any]) -> None:
        state["taken_up_by"] = next(
            (o for o, b in self.buttons.items() if b.isChecked()), "vp")
        extern = state["taken_up_by"] == "extern"
        state["external_help"] = (choice(self.external) or "") if extern else ""

    def _sync(self) -> None:
        on = self.buttons["extern"].isChecked()
        self.external.setEnabled(on)
        self.external_caption.setEnabled(on)


def consent_choices() -> list[tuple[str, str]]:
    return [("yes", _("given")), ("no", _("not given")), ("", _("not asked"))]


class ConsentPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.consent")
        self.setTitle(_("Consent to share"))
        self.setSubTitle(_("With whom may you discuss the case? Only with the pupil's consent "
                           "(protocol 6i). A legal duty goes before consent: the escalation "
                           "check shows when."))
        layout = QVBoxLayout(self)
        self.date_line = label("", "subtitle")
        layout.addWidget(self.date_line)
        grid = QGridLayout()
        grid.setHorizontalSpacing(22)
        grid.setVerticalSpacing(8)
        self.radios: dict[str, dict[str, QRadioButton]] = {}
        for column, (_value, text) in enumerate(consent_choices(), start=1):
            header = QLabel(text)
            header.setStyleSheet("font-weight: 600;")
            grid.addWidget(header, 0, column)
        for row, recipient in enumerate(RECIPIENTS, start=1):
            grid.addWidget(QLabel(list_label(RECIPIENTS, recipient)), row, 0)
            group = QButtonGroup(self)
            self.radios[recipient] = {}
            for column, (value, text) in enumerate(consent_choices(), start=1):
                radio = QRadioButton()
                radio.setAccessibleName(f"{list_label(RECIPIENTS, recipient)}: {text}")
                group.addButton(radio)
                self.radios[recipient][value] = radio
                grid.addWidget(radio, row, column)
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    def load(self, state: dict[str, Any]) -> None:
        self.date_line.setText(_("Recorded with the date of the conversation: {date}.").format(
            date=state["conversation_date"]))
        for recipient, radios in self.radios.items():
            value = state["consents"].get(recipient, "")
            radios.get(value, radios[""]).setChecked(True)

    def write(self, state: dict[str, Any]) -> None:
        consents: dict[str, str] = {}
        for recipient, radios in self.radios.items():
            value = next((v for v, r in radios.items() if r.isChecked()), "")
            if value:
                consents[recipient] = value
        state["consents"] = consents

    def set_consent(self, recipient: str, value: str) -> None:
        self.radios[recipient][value].setChecked(True)


class SummaryPage(IntakePage):
    def __init__(self) -> None:
        super().__init__()
        self.setProperty("help_id", "intake.summary")
        self.setTitle(_("Summary"))
        self.setSubTitle(_("Check everything. Nothing is saved until you click Save."))
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        layout.addWidget(self.text, 1)
        self.magister = label(magister_reminder(), "magister")
        self.magister.setStyleSheet(
            "QLabel#magister { background: #eaf2fb; border: 1px solid #a9c4e0; "
            "border-radius: 4px; padding: 6px; color: #1f3b57; }")
        layout.addWidget(self.magister)
        self.escalation = label(_("After Save the escalation check starts."), "warning")
        self.escalation.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.escalation)
        self.setFinalPage(True)

    def load(self, state: dict[str, Any]) -> None:
        self.text.setHtml(summary_html(state, self.intake().request is not None))
        self.escalation.setVisible(bool(self.intake().escalating()))

    def write(self, state: dict[str, Any]) -> None:
        del state


def summary_html(state: dict[str, Any], from_request: bool) -> str:
    def row(caption: str, value: str) -> str:
        empty = "<i>" + html.escape(_("not filled in")) + "</i>"
        shown = html.escape(value) if value.strip() else empty
        return (f"<tr><td style='padding:4px 16px 4px 0; color:#4a5a6a' valign='top'>"
                f"{html.escape(caption)}</td><td style='padding:4px 0'>"
                f"{shown.replace(chr(10), '<br>')}</td></tr>")

    pupil_bits = [b for b in (
        _("class {name}").format(name=state["class_name"]) if state["class_name"].strip() else "",
        _("year {n}").format(n=state["year_group"]) if state["year_group"] else "",
        list_label(LEVELS, state["level"]) if state["level"] else "",
        _("minor") if state["minor"] else _("18 or older"),
    ) if b]
    explained = state.get("explained_at")
    consent_text = {"yes": _("given"), "no": _("not given")}
    not_asked = _("not asked")
    consents = "\n".join(
        f"{list_label(RECIPIENTS, r)}: {consent_text.get(state['consents'].get(r, ''), not_asked)}"
        for r in RECIPIENTS)
    taken = list_label(TAKEN_UP_BY, state["taken_up_by"])
    if state["taken_up_by"] == "extern" and state.get("external_help"):
        taken += " — " + list_label(EXTERNAL_HELP, state["external_help"])
    rows = [
        row(_("Pupil"), state["name"] + (f" ({', '.join(pupil_bits)})" if pupil_bits else "")),
        row(_("Known pupil"), _("yes, the new case is linked to them")
            if state.get("pupil_id") is not None else _("no, a new pupil")),
        row(_("Parents/carers with authority"), state["authority"]),
    ]
    if not from_request:
        rows.append(row(_("Came in via"), list_label(REFERRAL_SOURCES, state["source"])))
    rows += [
        row(_("Intake conversation"), state["conversation_date"]
            + (" · " + _("{minutes} min").format(minutes=state["minutes"])
               if state.get("minutes") else "")),
        row(_("Confidentiality"), _("explained on {moment}").format(
            moment=datetime.fromisoformat(explained).strftime("%d-%m-%Y %H:%M"))
            if explained else _("NOT explained yet")),
        row(_("The pupil's story"), state["story"]),
        row(_("Help question"), state["help_question"]),
        row(_("Nature of the problem"), ", ".join(
            list_label(CATEGORIES, c) for c in CATEGORIES if c in state["categories"])),
        row(_("Taken up by"), taken),
        row(_("Consent to share"), consents),
    ]
    return "<table cellspacing='0'>" + "".join(rows) + "</table>"


__all__ = ["IntakeWizard", "confidentiality_script", "summary_html"]
