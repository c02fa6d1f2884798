"""The privacy and handover screens (PRODUCT.md jobs 7 and 8) on a real encrypted demo store:
retention, access export, erasure, re-key and handover (pytest-qt, offscreen).

The clock stands still on 4 March 2026. Two closed cases are made due by moving their dates
back to school year 2022-2023 and journaling a `report_made` for that year. Set PV_SHOTS to a
folder to save a picture of every dialog there.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import journal
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, UnlockNeeds, create_store, unlock
from app.services import demo
from app.services.retention import due_for_destruction
from app.store.settings import Settings, load_settings
from ui.dialogs.access_export import AccessExportDialog, EraseDialog
from ui.dialogs.handover import HandoverDialog
from ui.dialogs.retention import RetentionDialog
from ui.main_window import MainWindow
from ui.views.case_file import CaseFileView
from ui.wizards.rekey import RekeyWizard

NOW = datetime(2026, 3, 4, 10, 0)
TODAY = NOW.date()


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("PV_SHOTS")
    if folder:
        widget.show()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("template") / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, Settings(school="Testschool", vp_name="J. de Vries"),
                           key, key_mode="ask", provider=MemoryProvider())
    demo.generate(session.store, years=2, seed=1, today=TODAY)
    session.lock()
    return data_dir, key


@pytest.fixture
def keys(template: tuple[Path, str]) -> dict[str, str]:
    return {"old": template[1]}


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
def quiet_message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind,
                            staticmethod(lambda _p, _t, text, *a, **k: said.append(text)))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    return said


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def make_due(session: Session, count: int) -> list[int]:
    """Move `count` closed cases back to 2022-2023 and count that year in a report."""
    store = session.store
    ids = [int(r[0]) for r in store.query(
        "SELECT id FROM case_file c WHERE closed_on IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM meldcode_route r WHERE r.case_id = c.id) ORDER BY id LIMIT ?",
        (count,))]  # (a file with a meldcode route has the longer retention setting)
    assert len(ids) == count
    with store.transaction() as conn:
        for case_id in ids:
            conn.execute("UPDATE case_file SET opened_on = '2022-10-03', closed_on = '2023-03-01' "
                         "WHERE id = ?", (case_id,))
    journal.append(store, "2023-09-15T10:00:00", "report_made", school_year="2022-2023",
                   tables=1, data_file=0, empty=0)
    due = {i.case_id for i in due_for_destruction(store, TODAY, load_settings(store))}
    assert set(ids) <= due
    return ids


def case_exists(session: Session, case_id: int) -> bool:
    return bool(session.store.query("SELECT 1 FROM case_file WHERE id = ?", (case_id,)))


def test_retention_destroys_the_checked_cases(window: MainWindow, session: Session,
                                              qtbot: Any, quiet_message_boxes: list[str]) -> None:
    ids = make_due(session, 2)
    window.refresh()
    dashboard = window.tabs.widget(0)
    assert dashboard.retention_button.isVisible()  # type: ignore[attr-defined]
    dialog = RetentionDialog(window)
    qtbot.addWidget(dialog)
    assert sorted(dialog.checked_ids()) == sorted(ids)
    shot(dialog, "pv-retention")
    assert not dialog.destroy_button.isEnabled()
    keep = dialog.tree.topLevelItem(1)
    kept_id = int(keep.data(0, 256))
    keep.setCheckState(0, keep.checkState(0).Unchecked)
    dialog.count_edit.setText("2")
    assert not dialog.destroy_button.isEnabled()  # two typed, one ticked
    dialog.count_edit.setText("1")
    assert dialog.destroy_button.isEnabled()
    dialog.destroy_button.click()
    assert dialog.destroyed_count == 1
    gone = [i for i in ids if i != kept_id]
    assert not case_exists(session, gone[0])
    assert case_exists(session, kept_id)
    assert any(text.startswith("1 ") for text in quiet_message_boxes)


def test_retention_sure_box_and_nothing_due(window: MainWindow, session: Session,
                                            qtbot: Any) -> None:
    dialog = RetentionDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.checked_ids() == []
    assert dialog.destroy_button.isHidden()
    make_due(session, 1)
    dialog = RetentionDialog(window)
    qtbot.addWidget(dialog)
    dialog.sure_box.setChecked(True)
    assert dialog.destroy_button.isEnabled()


def a_case_with_pupil(session: Session) -> tuple[int, int, str]:
    row = session.store.query(
        "SELECT c.id, p.id, p.name FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        "ORDER BY c.id LIMIT 1")[0]
    return int(row[0]), int(row[1]), str(row[2])


def test_access_export_writes_a_pdf_with_the_pupil(window: MainWindow, session: Session,
                                                    qtbot: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    _case, pupil_id, name = a_case_with_pupil(session)
    target = tmp_path / "out" / "inzage"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    dialog = AccessExportDialog(window, pupil_id)
    qtbot.addWidget(dialog)
    shot(dialog, "pv-export")
    dialog.save_button.click()  # who asks is not filled in: refused before any file dialog
    assert dialog.saved_to is None and not dialog.error.isHidden()
    dialog.requester.setCurrentIndex(dialog.requester.findData("pupil"))
    dialog.under_16.setCurrentIndex(dialog.under_16.findData("no"))
    dialog.save_button.click()
    assert dialog.saved_to == target.with_name("inzage.pdf")
    reader = PdfReader(io.BytesIO(dialog.saved_to.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert name.split()[0] in text


def test_erase_removes_the_pupil(window: MainWindow, session: Session, qtbot: Any) -> None:
    from app.services.erasure import erasure_check

    rows = session.store.query(
        "SELECT c.id, p.id, p.name FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        "ORDER BY c.id")
    case_id, pupil_id, name = next(
        (int(r[0]), int(r[1]), str(r[2])) for r in rows
        if not erasure_check(session.store, int(r[1])).refused)
    window.open_case(case_id)
    assert any(isinstance(window.tabs.widget(i), CaseFileView)
               for i in range(window.tabs.count()))
    dialog = EraseDialog(window, pupil_id)
    qtbot.addWidget(dialog)
    shot(dialog, "pv-erase")
    assert not dialog.erase_button.isEnabled()
    dialog.name_edit.setText("someone else")
    assert not dialog.erase_button.isEnabled()
    dialog.name_edit.setText(f"  {name.upper()} ")
    assert dialog.erase_button.isEnabled()
    dialog.erase_button.click()  # who asks and the ground are missing: refused, nothing erased
    assert dialog.erased_cases is None and not dialog.error.isHidden()
    dialog.requester.setCurrentIndex(dialog.requester.findData("pupil"))
    dialog.under_16.setCurrentIndex(dialog.under_16.findData("no"))
    dialog.ground.setCurrentIndex(dialog.ground.findData("not_needed"))
    dialog.reason.setPlainText("De leerling vraagt het zelf; open punten besproken.")
    dialog.erase_button.click()
    assert dialog.erased_cases is not None and dialog.erased_cases >= 1
    assert not session.store.query("SELECT 1 FROM pupil WHERE id = ?", (pupil_id,))
    assert not case_exists(session, case_id)
    assert not any(isinstance(window.tabs.widget(i), CaseFileView)
                   for i in range(window.tabs.count()))


def test_rekey_wizard_changes_the_key(window: MainWindow, session: Session, qtbot: Any,
                                      keys: dict[str, str],
                                      quiet_message_boxes: list[str]) -> None:
    wizard = RekeyWizard(window)
    qtbot.addWidget(wizard)
    wizard.show()
    shot(wizard, "pv-rekey-1")
    wizard.next()
    assert wizard.key_page.panel.key_label.text() == wizard.new_key
    assert not wizard.key_page.isComplete()
    shot(wizard, "pv-rekey-2")
    wizard.key_page.done_box.setChecked(True)
    wizard.next()
    groups = wizard.new_key.split("-")
    a, b = wizard.confirm_groups
    wizard.confirm_page.first.setText(groups[a].lower())
    wizard.confirm_page.second.setText("XXXXX")
    assert not wizard.confirm_page.isComplete()
    wizard.accept()
    assert not wizard.changed  # not retyped: nothing applied
    wizard.confirm_page.second.setText(groups[b])
    shot(wizard, "pv-rekey-3")
    wizard.accept()
    assert wizard.changed
    assert any("OUDE herstelsleutel" in t or "OLD recovery key" in t
               for t in quiet_message_boxes)
    data_dir = session.data_dir
    new = wizard.new_key
    window.close()
    reopened = unlock(data_dir, MemoryProvider(), typed_key=new)
    reopened.lock()
    with pytest.raises(UnlockNeeds):
        unlock(data_dir, MemoryProvider(), typed_key=keys["old"])


def test_handover_makes_a_store_that_opens_with_the_shown_key(
        window: MainWindow, session: Session, qtbot: Any, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "something.txt").write_text("x")
    dialog = HandoverDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    shot(dialog, "pv-handover-1")
    dialog.folder_edit.setText(str(busy))
    dialog.start_button.click()
    assert dialog.key is None and dialog.problem.isVisible()
    empty = tmp_path / "successor"
    empty.mkdir()
    dialog.folder_edit.setText(str(empty))
    dialog.start_button.click()
    assert dialog.key is not None and dialog.target is not None
    assert dialog.panel.key_label.text() == dialog.key
    assert not dialog.close_button.isEnabled()
    assert dialog.sheet().startswith(b"%PDF")
    shot(dialog, "pv-handover-2")
    dialog.done_box.setChecked(True)
    assert dialog.close_button.isEnabled()
    successor = unlock(dialog.target.parent, MemoryProvider(), typed_key=dialog.key)
    try:
        open_cases = successor.store.query("SELECT count(*) FROM case_file")[0][0]
        closed = successor.store.query(
            "SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL")[0][0]
    finally:
        successor.lock()
    assert open_cases > 0 and closed == 0
