"""Issue 13 screens, reached from the main window by clicks: a file put on hold and lifted
again from the case file's Privacy button; the erasure refused while the file is needed; the
access export's question before an export for parents (pytest-qt, offscreen, real store).

Set PV_SHOTS to a folder to save a picture of every dialog there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.services import demo
from app.services.holds import active_hold, holds_for_case
from app.store.settings import Settings
from ui.main_window import MainWindow
from ui.views.case_file import CaseFileView
from ui.views.cases import CasesView

NOW = datetime(2026, 3, 4, 10, 0)


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("PV_SHOTS")
    if folder:
        widget.show()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("template") / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="Testschool", vp_name="J. de Vries",
                                              board_name="Stichting Onderwijs Zuid"),
                           key, key_mode="ask", provider=MemoryProvider())
    demo.generate(session.store, years=2, seed=1, today=NOW.date())
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
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind,
                            staticmethod(lambda _p, _t, text, *a, **k: texts.append(text)))
    return texts


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def open_case_by_clicks(qtbot: Any, window: MainWindow, name: str) -> CaseFileView:
    """Case files tab -> type the name -> Enter -> click the first row -> Enter."""
    bar = window.tabs.tabBar()
    index = next(i for i in range(window.tabs.count())
                 if isinstance(window.tabs.widget(i), CasesView))
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    cases = window.tabs.widget(index)
    assert isinstance(cases, CasesView)
    qtbot.keyClicks(cases.search_box, name)
    QTest.keyClick(cases.search_box, Qt.Key.Key_Return)
    assert cases.table.rowCount() >= 1
    rect = cases.table.visualItemRect(cases.table.item(0, 0))
    QTest.mouseClick(cases.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(cases.table, Qt.Key.Key_Return)
    view = window.tabs.currentWidget()
    assert isinstance(view, CaseFileView)
    return view


def when_modal(qtbot: Any, handle: Callable[[QDialog], None]) -> None:
    """Run `handle` on the next modal dialog once it is shown."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, run)
            return
        handle(dialog)

    QTimer.singleShot(20, run)


def open_case_row(session: Session, closed: bool) -> tuple[int, str]:
    row = session.store.query(
        "SELECT c.id, p.name FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        f"WHERE c.closed_on IS {'NOT ' if closed else ''}NULL "
        "AND (SELECT count(*) FROM case_file x WHERE x.pupil_id = p.id) = 1 ORDER BY c.id LIMIT 1")
    return int(row[0][0]), str(row[0][1])


def test_hold_and_lift_from_the_case_file(qtbot: Any, window: MainWindow,
                                          session: Session) -> None:
    case_id, name = open_case_row(session, closed=True)
    view = open_case_by_clicks(qtbot, window, name)
    assert view.case_id == case_id and not view.hold_label.isVisible()

    def fill(dialog: QDialog) -> None:
        from ui.dialogs.hold import HoldDialog

        assert isinstance(dialog, HoldDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData("police"))
        dialog.note.setPlainText("Aangifte gedaan; politie onderzoekt.")
        dialog.review.setText("01-06-2026")
        shot(dialog, "pv-hold")
        dialog.save()

    when_modal(qtbot, fill)
    view.hold_action.trigger()
    hold = active_hold(session.store, case_id)
    assert hold is not None and hold.reason == "police"
    assert view.hold_label.isVisible() and "politieonderzoek" in view.hold_label.text()
    assert view.hold_action.text() == "Bewaren beëindigen…"
    shot(view, "pv-hold-casefile")

    def lift(dialog: QDialog) -> None:
        from ui.dialogs.hold import LiftHoldDialog

        assert isinstance(dialog, LiftHoldDialog)
        dialog.save()  # no reason: refused, the dialog stays
        assert dialog.error.isVisible() and dialog.isVisible()
        dialog.note.setPlainText("Onderzoek afgerond.")
        dialog.save()

    when_modal(qtbot, lift)
    view.hold_action.trigger()
    assert active_hold(session.store, case_id) is None
    assert len(holds_for_case(session.store, case_id)) == 1
    assert not view.hold_label.isVisible()


def test_erasure_is_refused_while_the_file_is_needed(qtbot: Any, window: MainWindow,
                                                     session: Session) -> None:
    from app.services.erasure import erasure_check
    from ui.dialogs.access_export import EraseDialog

    case_id, name = open_case_row(session, closed=False)
    with session.store.transaction() as conn:
        conn.execute("INSERT INTO obligation(case_id, duty_code, title, deadline, due_at, "
                     "created_at) VALUES (?, 'REPORT_BOARD', 'Bestuur informeren', "
                     "'immediately', '2026-03-04T10:00:00', '2026-03-04T10:00:00')", (case_id,))
    view = open_case_by_clicks(qtbot, window, name)
    assert erasure_check(session.store, view.case.pupil_id).refused  # type: ignore[union-attr]
    seen: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, EraseDialog)
        shot(dialog, "pv-erase-refused")
        seen.append(dialog.refusal.text())
        assert dialog.refusal.isVisible()
        assert not dialog.erase_button.isEnabled()
        dialog.name_edit.setText(name)  # disabled: typing the name does not unlock it
        assert not dialog.erase_button.isEnabled()
        dialog.reject()

    when_modal(qtbot, look)
    view.erase_action.trigger()
    assert seen and "schoolbestuur is nog niet geïnformeerd" in seen[0]
    assert "AVG artikel 17 lid 3" in seen[0]
    assert session.store.scalar("SELECT count(*) FROM case_file WHERE id = ?", (case_id,)) == 1


def test_access_export_for_parents_asks_about_safety_first(
        qtbot: Any, window: MainWindow, session: Session, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from pypdf import PdfReader

    from ui.dialogs.access_request import AccessExportDialog

    case_id, name = open_case_row(session, closed=True)
    target = tmp_path / "inzage.pdf"
    monkeypatch.setattr("ui.printing.ask_pdf_path", lambda *a, **k: target)
    view = open_case_by_clicks(qtbot, window, name)
    seen: dict[str, Any] = {}

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, AccessExportDialog)
        dialog.requester.setCurrentIndex(dialog.requester.findData("parent_authority"))
        dialog.under_16.setCurrentIndex(dialog.under_16.findData("yes"))
        seen["asked"] = dialog.safety_question.isVisibleTo(dialog)
        dialog.save_button.click()  # the safety question is not answered: refused
        seen["refused"] = dialog.error.text()
        dialog.safety.setCurrentIndex(dialog.safety.findData("yes"))
        seen["warned"] = dialog.safety_warning.isVisibleTo(dialog)
        first = dialog.texts.topLevelItem(0)
        assert first is not None
        first.setCheckState(0, Qt.CheckState.Checked)
        seen["left_out"] = first.toolTip(1)
        shot(dialog, "pv-access-export-parents")
        dialog.save_button.click()  # no reason for leaving out: refused
        seen["no_reason"] = dialog.error.text()
        dialog.reason.setPlainText("Gevaar thuis: dit deel blijft buiten de inzage.")
        dialog.save_button.click()

    when_modal(qtbot, answer)
    view.export_action.trigger()
    assert seen["asked"] and seen["warned"]
    assert "gevaar thuis" in seen["refused"] and "waarom je delen weglaat" in seen["no_reason"]
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Sommige delen van het dossier zijn in dit document weggelaten" in text
    assert " ".join(seen["left_out"].split())[:40] not in text
    row = session.store.query("SELECT requester, safety_concern, withheld FROM privacy_request")
    assert tuple(row[0]) == ("parent_authority", 1, 1)
    assert case_id == view.case_id


def test_handover_to_the_end_leaves_nothing(qtbot: Any, window: MainWindow, session: Session,
                                            tmp_path: Path) -> None:
    from ui.dialogs.handover import HandoverDialog

    data_dir = session.data_dir
    successor, archive = tmp_path / "successor", tmp_path / "archive"
    done: dict[str, Any] = {}

    def walk(dialog: QDialog) -> None:
        assert isinstance(dialog, HandoverDialog)
        finish = dialog.finisher
        dialog.folder_edit.setText(str(successor))
        dialog.start_button.click()
        assert "Vertel de leerlingen van de open dossiers" in dialog.done_label.text()
        assert not finish.next_button.isEnabled()
        dialog.done_box.setChecked(True)
        finish.next_button.click()
        assert dialog.pages.currentWidget() is finish.closed_page
        finish.next_button.click()  # no folder chosen: refused, stays
        assert not finish.problem.isHidden()
        finish.folder_edit.setText(str(archive))
        finish.next_button.click()
        assert dialog.pages.currentWidget() is finish.key_page
        done["archive_key"] = finish.panel.key_label.text()
        finish.key_done.setChecked(True)
        finish.next_button.click()
        assert dialog.pages.currentWidget() is finish.wipe_page
        shot(dialog, "pv-handover-wipe")
        finish.confirm_edit.setText("nee")
        assert not finish.wipe_button.isEnabled()
        finish.confirm_edit.setText("WISSEN")
        finish.wipe_button.click()
        done["wiped"] = finish.wiped

    when_modal(qtbot, walk)
    window.handover_action.trigger()
    assert done["wiped"]
    assert [p.name for p in data_dir.iterdir() if p.name != "vertrouwd.lock"] == []
    kept = unlock(archive, MemoryProvider(), typed_key=done["archive_key"])
    try:
        assert kept.store.scalar("SELECT count(*) FROM case_file WHERE closed_on IS NULL") == 0
        assert kept.store.scalar("SELECT count(*) FROM case_file") > 0
    finally:
        kept.lock()


def test_a_request_for_correction_is_recorded(qtbot: Any, window: MainWindow,
                                              session: Session) -> None:
    from ui.dialogs.rectification import RectificationDialog

    _case_id, name = open_case_row(session, closed=True)
    view = open_case_by_clicks(qtbot, window, name)
    seen: dict[str, Any] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, RectificationDialog)
        dialog.requester.setCurrentIndex(dialog.requester.findData("parent_authority"))
        seen["asked"] = dialog.safety.isVisibleTo(dialog)
        dialog.under_16.setCurrentIndex(dialog.under_16.findData("yes"))
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("corrected"))
        dialog.save()  # the safety question is not answered
        seen["refused"] = dialog.error.text()
        dialog.safety.setCurrentIndex(dialog.safety.findData("no"))
        dialog.save()

    when_modal(qtbot, fill)
    view.rectify_action.trigger()
    assert seen["asked"] and "gevaar thuis" in seen["refused"]
    row = session.store.query("SELECT kind, requester, outcome FROM privacy_request")
    assert [tuple(r) for r in row] == [("rectification", "parent_authority", "corrected")]
