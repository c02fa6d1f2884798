"""The overview, the case list with search, the activities register and the request dialog,
driven through a real MainWindow on a real encrypted demo store (pytest-qt, offscreen).

The clock stands still on Wednesday 4 March 2026, 10:00 (the demo data is generated up to
that day), so respond-by dates and overdue rows are the same on every run. `open_case` and
`start_intake` of the window are replaced by recorders: the case file and the intake wizard
are tested on their own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QTreeWidgetItem, QWidget

from app.domain.lists import ACTIVITY_KINDS, CATEGORIES, REFERRAL_SOURCES, label
from app.i18n import _
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.services import demo
from app.services.casework import get_case, list_activities, list_cases, list_requests
from app.services.search import words_of
from app.store.settings import Settings, load_settings
from ui.dates import dutch_date
from ui.dialogs.request import RegisterRequestDialog
from ui.main_window import MainWindow
from ui.views.activities import ActivitiesView, ActivityDialog
from ui.views.cases import CasesView
from ui.views.dashboard import OVERDUE, DashboardView

NOW = datetime(2026, 3, 4, 10, 0)
TODAY = NOW.date()


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One demo store per module (two school years, seed 1), copied for every test."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="Testschool"), key, key_mode="ask",
                           provider=MemoryProvider())
    demo.generate(session.store, years=2, seed=1, today=TODAY)
    session.lock()
    return data_dir, key


@pytest.fixture
def session(template: tuple[Path, str], tmp_path: Path) -> Iterator[Session]:
    source, key = template
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    opened = unlock(data_dir, MemoryProvider(), typed_key=key)
    yield opened
    if opened.store.conn is not None:
        opened.lock()


@pytest.fixture(autouse=True)
def boxes(message_boxes: Any) -> Any:
    """Every message box recorded; an unexpected error or warning fails the test."""
    return message_boxes


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.open_case = Recorder()  # type: ignore[method-assign]
    win.start_intake = Recorder()  # type: ignore[method-assign]
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def view_of(window: MainWindow, kind: type[QWidget]) -> Any:
    for index in range(window.tabs.count()):
        widget = window.tabs.widget(index)
        if isinstance(widget, kind):
            window.tabs.setCurrentIndex(index)
            return widget
    raise AssertionError(f"no {kind.__name__} tab")


def double_click(qtbot: Any, widget: Any, item: Any) -> None:
    """A real double-click on the row of `item` in a tree or table widget."""
    widget.scrollToItem(item)
    rect = widget.visualItemRect(item)
    viewport = widget.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())


def run_modal(qtbot: Any, start: Callable[[], None], handle: Callable[[Any], None]) -> None:
    """Start something that opens a modal dialog, and handle the dialog once it is up."""
    seen: list[Any] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        seen.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, poll)
    start()
    assert seen, "no dialog was opened"


def red(item: QTreeWidgetItem) -> bool:
    return all(item.foreground(c).color() == OVERDUE for c in range(item.columnCount()))


# -- the overview ---------------------------------------------------------------------------
def test_dashboard_lists_are_filled_and_overdue_rows_are_red(window: MainWindow) -> None:
    view = view_of(window, DashboardView)
    requests = view.requests.rows()
    assert len(requests) >= 3  # the demo always leaves two overdue requests and one new one
    overdue = [item for item in requests if item.text(4).startswith(_("too late"))]
    assert len(overdue) >= 2
    assert all(red(item) for item in overdue)
    on_time = [item for item in requests if _("too late") not in item.text(4)]
    assert on_time and not any(red(item) for item in on_time)
    for item in requests:  # the respond-by date and the source are shown in words and dates
        assert item.text(3).count("-") == 2
    sources = {label(REFERRAL_SOURCES, s) for s in REFERRAL_SOURCES}
    assert all(item.text(2) in sources for item in requests)

    steps = view.steps.rows()
    assert steps, "the demo has plan steps due"
    for item in steps:
        due = datetime.strptime(item.text(0), "%d-%m-%Y").date()
        assert red(item) == (due < TODAY)
        assert (_("too late") in item.text(3)) == (due < TODAY)
    assert view.no_contact.rows()
    assert str(load_settings(window.session.store).no_contact_weeks) in view.no_contact.title
    assert view.today_label.text() == _("Today is {date}.").format(date=dutch_date(TODAY))
    # No backup in the demo store: the status strip warns.
    assert view.backup_label.objectName() == "warning"
    assert view.retention_label.text() == _("Retention period: nothing to destroy yet.")


def test_empty_section_says_nothing_to_do(window: MainWindow) -> None:
    view = view_of(window, DashboardView)
    view.obligations.fill([])
    assert view.obligations.rows() == []
    only = view.obligations.tree.topLevelItem(0)
    assert only is not None and only.text(0) == _("Nothing to do")
    assert view.obligations.heading.text() == view.obligations.title


def test_open_obligations_are_listed_with_overdue_ones_red(
    window: MainWindow, qtbot: Any
) -> None:
    escalation = pytest.importorskip("app.services.escalation")
    store = window.session.store
    case = list_cases(store, status="open", limit=1)[0]
    escalation.record_check(
        store, case.id, {"minor": "yes", "self_endangerment": "yes"}, {}, "",
        now=NOW - timedelta(days=3), settings=load_settings(store),
    )
    view = view_of(window, DashboardView)
    view.refresh()
    # The demo has open obligations of its own; ours are the rows of this pupil.
    all_rows = view.obligations.rows()
    rows = [item for item in all_rows if item.text(1) == case.pupil_name]
    assert rows
    assert all(red(item) for item in all_rows if _("too late") in item.text(3))
    assert any(red(item) for item in rows)
    double_click(qtbot, view.obligations.tree, rows[0])
    assert window.open_case.calls == [(case.id,)]  # type: ignore[attr-defined]


def test_double_click_on_a_request_starts_the_intake(window: MainWindow, qtbot: Any) -> None:
    view = view_of(window, DashboardView)
    item = view.requests.rows()[0]
    kind, request_id, _case = item.data(0, Qt.ItemDataRole.UserRole)
    assert kind == "request"
    double_click(qtbot, view.requests.tree, item)
    assert window.start_intake.calls == [(request_id,)]  # type: ignore[attr-defined]
    assert window.open_case.calls == []  # type: ignore[attr-defined]


def test_double_click_on_a_step_opens_its_case(window: MainWindow, qtbot: Any) -> None:
    view = view_of(window, DashboardView)
    item = view.steps.rows()[0]
    _kind, _ref, case_id = item.data(0, Qt.ItemDataRole.UserRole)
    double_click(qtbot, view.steps.tree, item)
    assert window.open_case.calls == [(case_id,)]  # type: ignore[attr-defined]


def test_intake_button_starts_an_intake_without_request(window: MainWindow, qtbot: Any) -> None:
    view = view_of(window, DashboardView)
    qtbot.mouseClick(view.intake_button, Qt.MouseButton.LeftButton)
    assert window.start_intake.calls == [()]  # type: ignore[attr-defined]


def test_locking_clears_every_list(window: MainWindow) -> None:
    dashboard = view_of(window, DashboardView)
    cases = view_of(window, CasesView)
    cases.search_box.setText("pest")
    cases.run_search()
    activities = view_of(window, ActivitiesView)
    assert dashboard.requests.rows() and cases.table.rowCount() and activities.table.rowCount()
    window.lock()
    assert all(section.tree.topLevelItemCount() == 0 for section in dashboard.sections())
    assert cases.table.rowCount() == 0 and cases.search_box.text() == ""
    assert activities.table.rowCount() == 0


# -- registering a request ------------------------------------------------------------------
def _fill_request(qtbot: Any, dialog: RegisterRequestDialog,
                  source: str | None = "leerling_zelf") -> None:
    if source is not None:  # one click on "through whom"; None leaves it unchosen
        qtbot.mouseClick(dialog.source.buttons[source], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.pupil, "Sam")
    qtbot.keyClicks(dialog.note, "wil praten")


def _type_moment(qtbot: Any, dialog: RegisterRequestDialog, text: str) -> None:
    dialog.received.selectAll()
    qtbot.keyClicks(dialog.received, text)


def test_register_request_from_the_overview(window: MainWindow, qtbot: Any) -> None:
    view = view_of(window, DashboardView)
    store = window.session.store
    before = len(list_requests(store, open_only=True))
    texts: list[str] = []

    def handle(dialog: Any) -> None:
        assert isinstance(dialog, RegisterRequestDialog)
        _fill_request(qtbot, dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.pages.currentWidget() is dialog.done_page
        texts.append(dialog.respond_label.text())
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    run_modal(qtbot, lambda: qtbot.mouseClick(view.new_request_button,
                                              Qt.MouseButton.LeftButton), handle)
    # Received Wednesday 4 March 2026: the next working day is Thursday 5 March.
    assert texts == [_("Answer by {date} at the latest.").format(
        date=dutch_date(date(2026, 3, 5)))]
    if _("Thursday") != "Thursday":
        assert texts[0] == "Beantwoorden uiterlijk op donderdag 5 maart 2026."
    requests = list_requests(store, open_only=True)
    assert len(requests) == before + 1
    new = max(requests, key=lambda r: r.id)
    assert (new.pupil_label, new.note, new.source) == ("Sam", "wil praten", "leerling_zelf")
    assert new.received_at == NOW
    assert any(item.text(1) == "Sam" for item in view.requests.rows())


def test_request_before_a_holiday_shows_where_to_turn(window: MainWindow, qtbot: Any) -> None:
    dialog = RegisterRequestDialog(window.session.store, window.now, window)
    qtbot.addWidget(dialog)
    dialog.show()
    # Friday 13 February 2026, afternoon: the spring holiday (region zuid) follows.
    _type_moment(qtbot, dialog, "13-02-2026 15:30")
    _fill_request(qtbot, dialog, "ouder")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.saved.in_or_after_holiday
    assert dialog.help_box is not None and dialog.help_box.isVisible()
    assert "0800-0432" in dialog.help_box.text()  # Kindertelefoon
    assert dialog.saved.request.respond_by == date(2026, 2, 23)
    assert dutch_date(date(2026, 2, 23)) in dialog.respond_label.text()


def test_missing_source_shows_the_message_and_keeps_everything(
    window: MainWindow, qtbot: Any
) -> None:
    store = window.session.store
    before = len(list_requests(store))
    dialog = RegisterRequestDialog(store, window.now, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_request(qtbot, dialog, None)  # nothing chosen
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.pages.currentWidget() is dialog.form_page
    assert dialog.error.isVisible()
    assert dialog.error.text() == _("Choose through whom the request came in.")
    assert (dialog.pupil.text(), dialog.note.toPlainText()) == ("Sam", "wil praten")
    assert len(list_requests(store)) == before
    # A date in the future is refused too, in Dutch, and nothing is lost.
    qtbot.mouseClick(dialog.source.buttons["leerling_zelf"], Qt.MouseButton.LeftButton)
    _type_moment(qtbot, dialog, (NOW + timedelta(days=2)).strftime("%d-%m-%Y %H:%M"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert dialog.error.text() == _("The date {date} lies in the future.").format(
        date="06-03-2026")
    assert dialog.pages.currentWidget() is dialog.form_page
    assert len(list_requests(store)) == before
    # Corrected, it saves.
    _type_moment(qtbot, dialog, NOW.strftime("%d-%m-%Y %H:%M"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.done_page
    assert len(list_requests(store)) == before + 1


# -- the case list --------------------------------------------------------------------------
def _case_ids(view: CasesView) -> list[int]:
    return [view.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            for row in range(view.table.rowCount())]


def test_search_as_you_type_finds_the_case_and_filters_narrow(
    window: MainWindow, qtbot: Any
) -> None:
    store = window.session.store
    view = view_of(window, CasesView)
    newest = list_cases(store, limit=1)[0]
    case = get_case(store, newest.id)
    word = max(words_of(case.story), key=len)
    qtbot.keyClicks(view.search_box, word)
    assert view.timer.isActive()  # debounced: the search waits for the typing to stop
    qtbot.waitUntil(lambda: not view.timer.isActive(), timeout=2000)
    ids = _case_ids(view)
    assert newest.id in ids
    count = len(ids)
    assert view.count_label.text() in (
        _("1 case file found"),
        _("{count} case files found").format(count=count),
        _("More than {count} case files; the first {count} are shown. Search or filter to "
          "see fewer.").format(count=count),
    )
    row = ids.index(newest.id)
    assert view.table.item(row, 0).text() == newest.pupil_name
    assert view.table.item(row, 1).text() == newest.class_name
    assert view.table.item(row, 2).text() == newest.opened_on.strftime("%d-%m-%Y")
    assert label(CATEGORIES, newest.categories[0]) in view.table.item(row, 3).text()

    # Filters: the category of the case keeps it, closed ones only drop it (it is open).
    view.category.setCurrentIndex(view.category.findData(newest.categories[0]))
    assert newest.id in _case_ids(view) and len(_case_ids(view)) <= count
    assert all(label(CATEGORIES, newest.categories[0]) in view.table.item(r, 3).text()
               for r in range(view.table.rowCount()))
    assert not newest.closed
    view.status.setCurrentIndex(view.status.findData("closed"))
    assert newest.id not in _case_ids(view)
    assert all(view.table.item(r, 4).text() == _("closed") for r in range(view.table.rowCount()))
    view.status.setCurrentIndex(view.status.findData("all"))
    view.category.setCurrentIndex(0)
    last_year = view.school_year.findData("2024-2025")
    assert last_year > 0
    view.school_year.setCurrentIndex(last_year)
    assert newest.id not in _case_ids(view)

    # A word that is nowhere: nothing found, said in words.
    view.school_year.setCurrentIndex(0)
    view.search_box.setText("zzqqxxonbestaand")
    view.run_search()
    assert view.table.rowCount() == 0
    assert view.count_label.text() == _("No case files found.")


def test_double_click_on_a_case_opens_it(window: MainWindow, qtbot: Any) -> None:
    view = view_of(window, CasesView)
    item = view.table.item(0, 0)
    case_id = item.data(Qt.ItemDataRole.UserRole)
    double_click(qtbot, view.table, item)
    assert window.open_case.calls == [(case_id,)]  # type: ignore[attr-defined]


# -- activities ---------------------------------------------------------------------------
def _fill_activity(dialog: ActivityDialog, kind: str, day: date, reach: int, text: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.on_date.set_date(day)
    dialog.reach.setValue(reach)
    dialog.text.setPlainText(text)


def test_activities_add_change_remove(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.session.store
    view = view_of(window, ActivitiesView)
    assert view.school_year.currentData() == "2025-2026"
    before = len(list_activities(store, "2025-2026"))
    assert view.table.rowCount() == before

    def add(dialog: Any) -> None:
        _fill_activity(dialog, "klassenbezoek", date(2026, 2, 10), 56, "Les over pesten, 2B en 2C")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    run_modal(qtbot, lambda: qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton), add)
    rows = list_activities(store, "2025-2026")
    assert len(rows) == before + 1
    new = next(a for a in rows if a.text == "Les over pesten, 2B en 2C")
    assert (new.kind, new.on_date, new.reach) == ("klassenbezoek", date(2026, 2, 10), 56)
    assert view.table.rowCount() == before + 1
    assert view.selected() == new  # the new one is selected, ready to change

    def change(dialog: Any) -> None:
        assert dialog.reach.value() == 56
        _fill_activity(dialog, "training", date(2026, 2, 11), 3, "Training meldcode")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    run_modal(qtbot, lambda: qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton),
              change)
    changed = next(a for a in list_activities(store, "2025-2026") if a.id == new.id)
    assert (changed.kind, changed.on_date, changed.reach, changed.text) == (
        "training", date(2026, 2, 11), 3, "Training meldcode")
    shown = [view.table.item(r, 1).text() for r in range(view.table.rowCount())]
    assert label(ACTIVITY_KINDS, "training") in shown

    # Removing asks first; "No" keeps it.
    view.select(new.id)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert any(a.id == new.id for a in list_activities(store, "2025-2026"))
    asked: list[Any] = []

    def yes(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    view.select(new.id)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    assert asked
    assert all(a.id != new.id for a in list_activities(store, "2025-2026"))
    assert view.table.rowCount() == before


def test_activity_form_shows_refusals_inline(window: MainWindow, qtbot: Any) -> None:
    store = window.session.store
    before = len(list_activities(store))
    dialog = ActivityDialog(store, window.now, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text.setPlainText("Poster in de aula")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == _("Choose the kind of activity.")
    _fill_activity(dialog, "poster_flyer", TODAY + timedelta(days=5), 0, "Poster in de aula")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.text() == _("The date {date} lies in the future.").format(
        date=(TODAY + timedelta(days=5)).strftime("%d-%m-%Y"))
    assert dialog.text.toPlainText() == "Poster in de aula"
    assert len(list_activities(store)) == before
    dialog.on_date.set_date(TODAY)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and len(list_activities(store)) == before + 1


# -- dates ----------------------------------------------------------------------------------
def test_dutch_date_in_words() -> None:
    if _("Tuesday") == "Tuesday":
        pytest.skip("the English catalogue is active")
    assert dutch_date(date(2026, 5, 26)) == "dinsdag 26 mei 2026"
    assert dutch_date(date(2026, 5, 26), weekday=False) == "26 mei 2026"
    assert dutch_date(date(2027, 1, 4)) == "maandag 4 januari 2027"
