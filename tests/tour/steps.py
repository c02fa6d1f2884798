"""The scenes of the screenshot tour, in the order a new confidant meets the program.

Add a screen: write a scene (a generator taking the `Tour`), start it from the main window
with the overview showing, yield `t.shot("slug")` where the picture is wanted, and add it to
`SCENES`. Use only what a person can do: `t.menu(window.some_action)`, `t.click(button)`,
`t.double_click(view, row, words)`, `t.key(...)`, `t.write(...)`, `t.choose(combo, text)`;
wait for a dialog with `dialog = yield t.modal()`. A scene that fails names the slugs it
did not reach; the tour then exits 1.

`PENDING` lists the slugs of the issue that cannot be reached yet, with the work they wait
for. Move a slug from there into a scene as soon as that work is on main.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
    QWizard,
)

from tests.tour.driver import Scene, Tour, TourError, plain
from tests.tour.privacy_steps import privacy_rights

Steps = Generator[Any, Any, None]

#: Filled by the runner: the recovery key of the demo store and the temporary folder.
CONTEXT: dict[str, Any] = {}

#: Slugs of issue 11 that no scene reaches yet, and what they wait for.
PENDING: dict[str, str] = {}

PUPIL = "Sanne de Boer"


# -- small helpers -----------------------------------------------------------------------------
def button_with(parent: QWidget, text: str) -> QAbstractButton:
    """The visible button under `parent` whose text reads `text` (without mnemonics)."""
    for button in parent.findChildren(QAbstractButton):
        if button.isVisible() and plain(button.text()) == text:
            return button
    raise TourError(f"no button “{text}”")


def box_button(dialog: QWidget, role: QDialogButtonBox.ButtonRole) -> QAbstractButton:
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if button.isVisible() and box.buttonRole(button) == role:
                return button
    raise TourError(f"no {role.name} button in {type(dialog).__name__}")


def wizard_button(wizard: QWizard, which: QWizard.WizardButton) -> QAbstractButton:
    button = wizard.button(which)
    if button is None or not button.isVisible():
        raise TourError(f"the wizard shows no {which.name}")
    return button


def next_page(t: Tour, wizard: QWizard) -> Any:
    page = wizard.currentId()
    yield t.click(wizard_button(wizard, QWizard.WizardButton.NextButton))
    yield t.until("the next page", lambda: wizard.currentId() != page)


def cancel(t: Tour, dialog: QWidget) -> Steps:
    """Close a dialog as a person does when done looking: Escape."""
    yield t.key(dialog, Qt.Key.Key_Escape, "Esc")
    yield t.gone(dialog)


def dashboard(t: Tour) -> Any:
    from ui.views.dashboard import DashboardView

    view = t.window.tabs.widget(0)
    if not isinstance(view, DashboardView):
        raise TourError("the first tab is not the overview")
    return view


def to_overview(t: Tour) -> Steps:
    yield t.tab(t.window.tabs, plain(t.window.tabs.tabText(0)))


# -- the scenes --------------------------------------------------------------------------------
def overview(t: Tour) -> Steps:
    yield from to_overview(t)
    yield t.shot("dashboard")


def request(t: Tour) -> Steps:
    view = dashboard(t)
    yield from to_overview(t)
    yield t.click(view.new_request_button)
    dialog = yield t.modal(QDialog, "the request form")
    yield t.shot("request-new")
    yield t.click(dialog.source.buttons["mentor_coach"])  # one click on the named option
    yield t.write(dialog.pupil, PUPIL)
    yield t.write(dialog.note, "Wil praten over een docent.")
    yield t.click(dialog.save_button)
    yield t.until("the confirmation", lambda: dialog.saved is not None)
    yield t.shot("request-saved")
    yield t.click(dialog.ok_button)
    yield t.gone(dialog)


def intake(t: Tour) -> Steps:
    """The request of the scene before, double-clicked on the overview: the intake with it,
    the category that calls for the check, the check itself, the meldcode route, the file."""
    view = dashboard(t)
    yield from to_overview(t)
    tree = view.requests.tree
    row = next((i for i in range(tree.topLevelItemCount())
                if PUPIL in " ".join(tree.topLevelItem(i).text(c)
                                     for c in range(tree.columnCount()))), None)
    if row is None:
        raise TourError(f"the request of {PUPIL} is not on the overview")
    yield t.double_click(tree, row, f"dubbelklik de aanmelding van {PUPIL}")
    wizard = yield t.modal(QWizard, "the intake")
    yield t.shot("intake-1")
    page = wizard.pupil_page
    yield t.write(page.class_name, "3B")
    yield t.click(page.minor)
    yield from next_page(t, wizard)
    yield t.shot("intake-2")
    yield t.click(wizard.confidentiality_page.tick)
    yield from next_page(t, wizard)
    yield t.shot("intake-3")
    story = wizard.story_page
    yield t.write(story.story.edit if hasattr(story.story, "edit") else story.story,
                 "Een docent stuurt haar berichten en raakt haar aan na de les.")
    yield from next_page(t, wizard)
    yield t.shot("intake-4")
    yield t.click(wizard.category_page.boxes["relatie_personeel"])
    yield t.click(wizard.category_page.boxes["kindermishandeling"])
    yield from next_page(t, wizard)
    yield t.shot("intake-5")
    yield from next_page(t, wizard)
    yield t.shot("intake-6")
    yield from next_page(t, wizard)
    yield t.shot("intake-7")
    yield t.click(wizard_button(wizard, QWizard.WizardButton.FinishButton))
    check = yield t.modal(QWizard, "the escalation check")
    yield from escalation(t, check)
    yield t.until("the case file", lambda: t.window.tabs.currentIndex() >= t.window.fixed_tabs)
    yield t.shot("casefile")


def escalation(t: Tour, wizard: Any) -> Steps:
    page = wizard.questions_page
    yield t.shot("escalation-questions")
    wanted = {"minor": "yes", "child_abuse": "yes", "sexual_offence": "yes", "by_staff": "yes",
              "staff_relationship": "yes", "criminal_offence": "yes"}
    for _round in range(3):  # an answer may bring up a further question
        for qid, row in page.rows.items():
            answer = wanted.get(qid, "no")
            if row.isVisible() and row.answer() != answer and answer in row.radios:
                yield t.click(row.radios[answer])
    yield from next_page(t, wizard)
    yield t.shot("escalation-duties")
    yield t.write(wizard.duties_page.motivation, "Signalen zijn concreet; meldcode gestart.")
    yield from next_page(t, wizard)
    yield t.click(wizard_button(wizard, QWizard.WizardButton.CommitButton))
    yield t.until("the recorded page", lambda: wizard.currentPage() is wizard.recorded_page)
    route = wizard.recorded_page.route_button
    if route is None:
        raise TourError("no meldcode route was started")
    yield t.click(route)
    tracker = yield t.modal(QDialog, "the meldcode route")
    yield t.shot("meldcode-steps")
    yield t.tab(tracker.tabs, plain(tracker.tabs.tabText(1)))
    yield t.shot("meldcode-afweging")
    yield t.click(button_with(tracker, plain(_close_text())))
    yield t.gone(tracker)
    yield t.click(wizard_button(wizard, QWizard.WizardButton.FinishButton))
    yield t.gone(wizard)


def _close_text() -> str:
    from app.i18n import _

    return _("Close")


def access_export(t: Tour) -> Steps:
    """In the open case file: Privacy › Access export…"""
    from ui.views.case_file import CaseFileView

    view = t.window.tabs.currentWidget()
    if not isinstance(view, CaseFileView):
        raise TourError("no case file is open")
    yield t.click(view.privacy_button)
    menu = yield t.popup()
    if not isinstance(menu, QMenu):
        raise TourError("the Privacy button opened no menu")
    action = view.export_action
    menu.setActiveAction(action)
    yield t.key(menu, Qt.Key.Key_Return, f"kies “{plain(action.text())}”")
    dialog = yield t.modal(QDialog, "the access export")
    yield t.shot("access-export")
    yield from cancel(t, dialog)


def open_case_file(t: Tour) -> Any:
    from ui.views.case_file import CaseFileView

    view = t.window.tabs.currentWidget()
    if not isinstance(view, CaseFileView):
        raise TourError("no case file is open")
    return view


def obligations(t: Tour) -> Steps:
    """In the open case file: the obligations, one marked done, then the pupil's page."""
    from PySide6.QtWidgets import QScrollArea

    view = open_case_file(t)
    panel = view.obligations_panel
    if panel is None or not panel.complete_buttons:
        raise TourError("the case file shows no obligation to mark as done")
    area = next((a for a in view.findChildren(QScrollArea) if a.isAncestorOf(panel)), None)
    if area is not None:
        yield t.do("scroll naar “Verplichtingen”", lambda: area.ensureWidgetVisible(panel))
    yield t.shot("casefile-obligations")
    first = next(iter(panel.complete_buttons.values()))
    yield t.click(first)
    dialog = yield t.modal(QDialog, "the completion dialog")
    yield t.shot("obligation-complete")
    yield from cancel(t, dialog)
    yield t.click(view.pupil_button)
    yield t.until("the pupil's page", lambda: t.window.tabs.currentWidget() is not view)
    yield t.shot("pupil-chronology")


def search(t: Tour) -> Steps:
    tabs = t.window.tabs
    yield t.tab(tabs, plain(tabs.tabText(1)))
    view = tabs.currentWidget()
    yield t.write(view.search_box, "docent")
    yield t.key(view.search_box, Qt.Key.Key_Return, "Enter")
    yield t.shot("search")


def activities(t: Tour) -> Steps:
    tabs = t.window.tabs
    yield t.tab(tabs, plain(tabs.tabText(2)))
    yield t.shot("activities")


def annual_report(t: Tour) -> Steps:
    yield t.menu(t.window.annual_report_action)
    wizard = yield t.modal(QWizard, "the annual report")
    yield t.shot("report-wizard")
    for _page in range(6):
        if wizard.currentPage() is wizard.preview_page:
            break
        yield from next_page(t, wizard)
    if wizard.currentPage() is not wizard.preview_page:
        raise TourError("the preview page did not come")
    yield t.shot("report-preview")
    yield from cancel(t, wizard)


def year_start(t: Tour) -> Steps:
    """Werk › Nieuw schooljaar… (issue 18): the wizard, then the poster and flyer previews."""
    yield from to_overview(t)
    yield t.menu(t.window.year_start_action)
    wizard = yield t.modal(QWizard, "the year-start wizard")
    yield t.shot("year-start")
    yield from next_page(t, wizard)  # how pupils reach the VP (the demo filled it in)
    yield from next_page(t, wizard)  # poster, flyer and website text
    if wizard.currentPage() is not wizard.material:
        raise TourError("the poster and flyer page did not come")
    for slug in ("poster", "flyer"):
        yield t.click(wizard.material.buttons[slug][2])
        preview = yield t.modal(QDialog, f"the {slug} preview")
        yield t.shot(slug)
        yield from cancel(t, preview)
    yield from cancel(t, wizard)


def backup(t: Tour) -> Steps:
    yield t.menu(t.window.backup_action)
    wizard = yield t.modal(QWizard, "the backup")
    yield t.shot("backup-wizard")
    yield t.click(wizard_button(wizard, QWizard.WizardButton.CommitButton))
    yield t.until("the backup to be made",
                  lambda: wizard.button(QWizard.WizardButton.FinishButton).isVisible(), 30000)
    yield t.click(wizard_button(wizard, QWizard.WizardButton.FinishButton))
    yield t.gone(wizard)


def restore(t: Tour) -> Steps:
    yield t.menu(t.window.restore_action)
    wizard = yield t.modal(QWizard, "the restore")
    yield t.shot("restore-wizard")
    yield from cancel(t, wizard)


def retention(t: Tour) -> Steps:
    yield t.menu(t.window.retention_action)
    dialog = yield t.modal(QDialog, "the retention list")
    yield t.shot("retention")
    yield from cancel(t, dialog)


def settings(t: Tour) -> Steps:
    yield t.menu(t.window.settings_action)
    dialog = yield t.modal(QDialog, "the settings")
    yield t.shot("settings")
    yield from cancel(t, dialog)


def help_panel(t: Tour) -> Steps:
    yield from to_overview(t)
    yield t.key(t.window, Qt.Key.Key_F1, "F1")
    yield t.until("the help panel", t.window.help_panel.isVisible)
    yield t.shot("help")
    yield t.key(t.window, Qt.Key.Key_F1, "F1")
    yield t.until("the help panel to close", lambda: not t.window.help_panel.isVisible())


def lock_and_unlock(t: Tour) -> Steps:
    lock_button = t.window.toolbar.widgetForAction(t.window.lock_action)
    yield t.click(lock_button)
    yield t.until("the lock cover", lambda: t.window.is_locked)
    yield t.shot("lock")
    cover_button = t.window.cover.findChild(QPushButton, "unlockButton")
    yield t.click(cover_button)
    dialog = yield t.modal(QDialog, "the unlock dialog")
    entry = dialog.findChild(QLineEdit, "secret")
    yield t.write(entry, "XXXXX-XXXXX", "typ een verkeerde sleutel")
    yield t.click(box_button(dialog, QDialogButtonBox.ButtonRole.AcceptRole))
    yield t.shot("unlock")
    entry.clear()
    yield t.write(entry, CONTEXT["key"], "typ de herstelsleutel")
    yield t.click(box_button(dialog, QDialogButtonBox.ButtonRole.AcceptRole))
    yield t.until("the program to open", lambda: not t.window.is_locked)


def message_boxes_closed() -> bool:
    return not isinstance(QApplication.activeModalWidget(), QMessageBox)


SCENES: list[Scene] = [
    Scene("overview", ("dashboard",), overview),
    Scene("request", ("request-new", "request-saved"), request),
    Scene("intake", (*(f"intake-{n}" for n in range(1, 8)), "escalation-questions",
                     "escalation-duties", "meldcode-steps", "meldcode-afweging", "casefile"),
          intake),
    Scene("access-export", ("access-export",), access_export),
    Scene("privacy-rights", ("access-export-parents", "hold", "erase-refused"), privacy_rights),
    Scene("obligations", ("casefile-obligations", "obligation-complete", "pupil-chronology"),
          obligations),
    Scene("search", ("search",), search),
    Scene("activities", ("activities",), activities),
    Scene("report", ("report-wizard", "report-preview"), annual_report),
    Scene("year-start", ("year-start", "poster", "flyer"), year_start),
    Scene("backup", ("backup-wizard",), backup),
    Scene("restore", ("restore-wizard",), restore),
    Scene("retention", ("retention",), retention),
    Scene("settings", ("settings",), settings),
    Scene("help", ("help",), help_panel),
    Scene("lock", ("lock", "unlock"), lock_and_unlock),
]

#: Every slug the issue asks for (issue 11 item 8).
REQUIRED: tuple[str, ...] = (
    "dashboard", "request-new", "request-saved", *(f"intake-{n}" for n in range(1, 8)),
    "escalation-questions", "escalation-duties", "casefile", "casefile-obligations",
    "obligation-complete", "meldcode-steps", "meldcode-afweging", "pupil-chronology", "search",
    "activities", "report-wizard", "report-preview", "backup-wizard", "restore-wizard",
    "retention", "access-export", "settings", "help", "unlock", "lock",
    "year-start", "poster", "flyer",  # issue 18
    "access-export-parents", "hold", "erase-refused",  # issue 13
)
