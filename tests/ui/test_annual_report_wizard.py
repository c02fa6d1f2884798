"""The annual report wizard (PRODUCT.md job 6) on a real encrypted demo store and a real
MainWindow (pytest-qt, offscreen): school year, check, texts, preview, save and print.

The clock stands still on Wednesday 4 March 2026, 10:00 (the demo data runs up to that day).
No real dialog is opened: the print functions of `ui.printing` are replaced by recorders, or
the Qt print dialog by a stand-in that prints to a PDF file; questions are answered by a
replaced `ask`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTreeWidgetItem, QWizard

from app import journal
from app.reports.annual import ReportError
from app.reports.data_file import load
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store, unlock
from app.services import demo, drafts, escalation
from app.services.casework import list_cases
from app.store.settings import Settings, load_settings
from tests.tools.readonly import unwritable_folder
from ui import printing
from ui.main_window import MainWindow
from ui.wizards import annual_report
from ui.wizards.annual_report import (
    AUTOSAVE_MS,
    ITEM_ROLE,
    WIZARD_KIND,
    AnnualReportWizard,
    texts_kind,
)

NOW = datetime(2026, 3, 4, 10, 0)
TODAY = NOW.date()
YEAR = "2025-2026"
SCHOOL = "De Linde"
NO_CATEGORY = "Fleur Zonder Categorie"
TEXTS = {
    "activities": "Voorlichting in alle brugklassen.\n\nNieuwe posters in de aula.",
    "signals": "Meer meldingen over online pesten in leerjaar 2.",
    "advice": "Maak een protocol voor online pesten; BELEIDSADVIES-UNIEK.",
}
#: What the wizard keeps: the texts typed, no summary, no date discussed.
SAVED = {**TEXTS, "summary": "", "discussed_on": ""}


# -- fixtures ------------------------------------------------------------------------------
def _settings() -> Settings:
    return Settings(school=SCHOOL, location="Helmond", vp_name="A. Jansen")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One demo store per module (two school years, seed 1) with one case without a
    category (the intake refuses those; older data may have one), copied for every test."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    key = generate_recovery_key()
    session = create_store(data_dir, _settings(), key, key_mode="ask", provider=MemoryProvider())
    demo.generate(session.store, years=2, seed=1, today=TODAY)
    with session.store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES (?, '2025-10-01T09:00:00')", (NO_CATEGORY,)
        ).lastrowid
        conn.execute(
            "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, '2025-10-01')", (pupil,)
        )
    session.lock()
    return data_dir, key


@pytest.fixture
def keyed(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    source, key = template
    data_dir = tmp_path / "data"
    shutil.copytree(source, data_dir)
    return data_dir, key


@pytest.fixture
def session(keyed: tuple[Path, str]) -> Iterator[Session]:
    data_dir, key = keyed
    opened = unlock(data_dir, MemoryProvider(), typed_key=key)
    yield opened
    if opened.store.conn is not None:
        opened.lock()


class Recorder:
    def __init__(self, result: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.result


@pytest.fixture(autouse=True)
def no_real_dialogs(
    monkeypatch: pytest.MonkeyPatch, message_boxes: Any
) -> dict[str, Recorder]:
    recorders = {"ask": Recorder(True), "print": Recorder(True), "preview": Recorder(False)}
    monkeypatch.setattr(annual_report.entry_form, "ask", recorders["ask"])
    monkeypatch.setattr(printing, "print_pdf", recorders["print"])
    monkeypatch.setattr(printing, "preview_pdf", recorders["preview"])
    return recorders


def _window(qtbot: Any, session: Session) -> MainWindow:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.open_case = Recorder()  # type: ignore[method-assign]
    win.start_intake = Recorder()  # type: ignore[method-assign]
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot: Any, session: Session) -> Iterator[MainWindow]:
    win = _window(qtbot, session)
    yield win
    win.close()


def open_wizard(qtbot: Any, window: MainWindow) -> AnnualReportWizard:
    wizard = AnnualReportWizard(window)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_page(qtbot: Any, wizard: AnnualReportWizard) -> None:
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


def type_texts(qtbot: Any, wizard: AnnualReportWizard, texts: dict[str, str]) -> None:
    for key, text in texts.items():
        edit = wizard.texts_page.edits[key]
        edit.setFocus()
        edit.clear()
        qtbot.keyClicks(edit, text.replace("\n", " "))
        edit.setPlainText(text)


def to_page(qtbot: Any, wizard: AnnualReportWizard, page: Any) -> None:
    guard = 0
    while wizard.currentPage() is not page:
        next_page(qtbot, wizard)
        guard += 1
        assert guard < 6, f"stuck on {wizard.currentPage().title()}"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def events(window: MainWindow) -> list[tuple[str, dict[str, Any]]]:
    assert window.session is not None
    return [(event, detail) for _at, event, detail in journal.entries(window.session.store)]


def double_click(qtbot: Any, tree: Any, item: QTreeWidgetItem) -> None:
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the whole walk --------------------------------------------------------------------------
def test_walk_the_wizard_and_save_pdf_and_data_file(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    wizard = open_wizard(qtbot, window)
    # 1. School year: the running year first (March: it is the default), no future year.
    years = [wizard.year_page.combo.itemData(i) for i in range(wizard.year_page.combo.count())]
    assert years == ["2025-2026", "2024-2025"]
    assert wizard.year_page.selected() == YEAR
    assert "31 juli 2026" in wizard.year_page.period.text()
    assert not wizard.year_page.note.isVisibleTo(wizard)
    next_page(qtbot, wizard)
    # 2. Check: the case without a category and the demo's open requests are listed.
    assert wizard.currentPage() is wizard.check_page
    rows = wizard.check_page.items()
    kinds = [row.data(0, ITEM_ROLE).kind for row in rows]
    assert kinds.count("case") == 1 and kinds.count("request") >= 3
    assert any(row.text(2) == NO_CATEGORY for row in rows)
    assert wizard.check_page.summary.isVisibleTo(wizard)
    assert not wizard.check_page.all_done.isVisibleTo(wizard)
    assert str(len(rows)) in wizard.check_page.summary.text()
    next_page(qtbot, wizard)  # continuing with unfinished items is allowed
    # 3. Texts.
    assert wizard.currentPage() is wizard.texts_page
    type_texts(qtbot, wizard, TEXTS)
    next_page(qtbot, wizard)
    # 4. Preview: the tables as they leave the program, the texts, the PDF's pages.
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    shown = [preview.table.topLevelItem(i) for i in range(preview.table.topLevelItemCount())]
    assert shown[0].text(0) == "Kerncijfers"
    assert preview.table.headerItem().text(1) == YEAR
    assert preview.table.headerItem().text(2) == "2024-2025"
    values = {item.text(1) for item in shown} | {item.text(2) for item in shown}
    assert all(v in ("", "—", "<5") or (v.isdigit() and (v == "0" or int(v) >= 5)) for v in values)
    assert "BELEIDSADVIES-UNIEK" in preview.text_view.toPlainText()
    assert "punt(en) zijn nog niet af" in preview.notes.text()
    assert wizard.pdf is not None
    qtbot.waitUntil(lambda: preview.page_count() == len(PdfReader(io.BytesIO(wizard.pdf)).pages))
    next_page(qtbot, wizard)
    # 5. Save: the default name in Documents (or home), then a folder of our own.
    page = wizard.save_page
    assert wizard.currentPage() is page
    default = page.pdf_path()
    assert default is not None and default.name == f"Jaarverslag-vertrouwenspersoon-{YEAR}.pdf"
    assert default.parent.is_dir()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    out = tmp_path / "uit"
    out.mkdir()
    page.path_edit.setText(str(out / "verslag.pdf"))
    page.data_box.setChecked(True)
    assert "verslag.json" in page.data_note.text() and "verslag.csv" in page.data_note.text()
    click(qtbot, page.save_button)
    assert not page.error.isVisible(), page.error.text()
    assert page.status.isVisible() and "verslag.pdf" in page.status.text()
    assert sorted(p.name for p in out.iterdir()) == ["verslag.csv", "verslag.json", "verslag.pdf"]
    saved = (out / "verslag.pdf").read_bytes()
    assert saved == wizard.pdf
    text = pdf_text(saved)
    assert SCHOOL in text and "BELEIDSADVIES-UNIEK" in text and "online pesten" in text
    assert NO_CATEGORY not in text
    data = load(out / "verslag.json")
    assert data.school == SCHOOL and data.school_year == YEAR
    assert json.loads((out / "verslag.json").read_text(encoding="utf-8"))["format"]
    assert "BELEIDSADVIES" not in (out / "verslag.json").read_text(encoding="utf-8")
    made = [d for e, d in events(window) if e == "report_made"]
    assert made[0] == {"school_year": YEAR, "tables": 7, "data_file": 1, "empty": 0}
    # The texts stay as a draft for next time; closing asks nothing after a save.
    assert window.session is not None
    assert drafts.load_draft(window.session.store, texts_kind(YEAR)) == SAVED
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()


def test_the_menu_opens_the_wizard(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[AnnualReportWizard] = []
    monkeypatch.setattr(AnnualReportWizard, "exec", lambda self: seen.append(self) or 0)
    assert window.annual_report_action in window.work_menu.actions()
    assert window.annual_report_action.text() == "Jaarverslag maken…"
    window.annual_report_action.trigger()
    assert len(seen) == 1 and seen[0].parent() is window


# -- bad input ---------------------------------------------------------------------------------
def test_a_missing_folder_shows_one_sentence_and_writes_nothing(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.save_page)
    page = wizard.save_page
    out = tmp_path / "uit"
    out.mkdir()
    page.path_edit.setText(str(out / "weg" / "verslag.pdf"))
    page.data_box.setChecked(True)
    click(qtbot, page.save_button)
    assert page.error.isVisible()
    message = page.error.text()
    assert "bestaat niet" in message and message.count(".") <= 2 and "\n" not in message
    assert not page.status.isVisible()
    assert list(out.iterdir()) == []
    assert not any(e == "report_made" for e, _d in events(window))
    # Empty path: one sentence too.
    page.path_edit.setText("")
    click(qtbot, page.save_button)
    assert page.error.text() == "Vul in waar de PDF moet worden opgeslagen."


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_read_only_folder_writes_nothing(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.save_page)
    with unwritable_folder(tmp_path / "alleen-lezen") as locked:
        wizard.save_page.path_edit.setText(str(locked / "verslag.pdf"))
        click(qtbot, wizard.save_page.save_button)
        assert "mag niet worden geschreven" in wizard.save_page.error.text()
        assert list(locked.iterdir()) == []


def test_an_existing_file_is_only_replaced_when_the_vp_says_so(
    qtbot: Any, window: MainWindow, tmp_path: Path, no_real_dialogs: dict[str, Recorder]
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.save_page)
    target = tmp_path / "verslag.pdf"
    target.write_bytes(b"%PDF-1.4 old")
    wizard.save_page.path_edit.setText(str(target))
    no_real_dialogs["ask"].result = False
    click(qtbot, wizard.save_page.save_button)
    assert target.read_bytes() == b"%PDF-1.4 old" and len(no_real_dialogs["ask"].calls) == 1
    no_real_dialogs["ask"].result = True
    click(qtbot, wizard.save_page.save_button)
    assert target.read_bytes() == wizard.pdf
    # A file that is not a PDF (a renamed backup, say) is never replaced, even on "Replace"
    # (issue 12: the output guard).
    other = tmp_path / "oud.pdf"
    other.write_bytes(b"\x8a\x13 not a pdf")
    wizard.save_page.path_edit.setText(str(other))
    click(qtbot, wizard.save_page.save_button)
    assert other.read_bytes() == b"\x8a\x13 not a pdf"
    assert "geen bestand van deze soort" in wizard.save_page.error.text()


def test_a_future_year_is_refused_on_the_first_page(qtbot: Any, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    combo = wizard.year_page.combo
    assert all(int(combo.itemData(i)[:4]) <= 2025 for i in range(combo.count()))
    combo.addItem("2027-2028", "2027-2028")  # never offered; refused all the same
    combo.setCurrentIndex(combo.count() - 1)
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.year_page
    assert "nog niet begonnen" in wizard.year_page.error.text()
    with pytest.raises(ReportError):
        wizard.choose_year("2027-2028")


def test_an_empty_year_says_so_in_the_wizard_and_in_the_pdf(qtbot: Any, tmp_path: Path) -> None:
    key = generate_recovery_key()
    session = create_store(
        tmp_path / "leeg", _settings(), key, key_mode="ask", provider=MemoryProvider()
    )
    window = _window(qtbot, session)
    try:
        wizard = open_wizard(qtbot, window)
        combo = wizard.year_page.combo
        assert combo.count() == 1 and combo.itemData(0) == YEAR
        assert "nog niets geregistreerd" in combo.itemText(0)
        assert wizard.year_page.note.isVisibleTo(wizard)
        next_page(qtbot, wizard)
        assert "Alles van 2025-2026 is af" in wizard.check_page.all_done.text()
        assert wizard.check_page.all_done.isVisibleTo(wizard)
        assert not wizard.check_page.summary.isVisibleTo(wizard)
        to_page(qtbot, wizard, wizard.preview_page)
        assert "niets geregistreerd" in wizard.preview_page.notes.text()
        table = wizard.preview_page.table
        shown = [table.topLevelItem(i) for i in range(table.topLevelItemCount())]
        assert shown[0].text(0) == "Kerncijfers" and len(shown) > 50  # as in the data file
        assert {item.text(1) for item in shown} <= {"", "0"}
        next_page(qtbot, wizard)
        wizard.save_page.path_edit.setText(str(tmp_path / "leeg.pdf"))
        click(qtbot, wizard.save_page.save_button)
        text = pdf_text((tmp_path / "leeg.pdf").read_bytes())
        assert "Er zijn in dit schooljaar geen contacten geregistreerd." in text
    finally:
        window.close()


def test_a_pupil_name_in_the_texts_is_pointed_out_once(qtbot: Any, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    type_texts(qtbot, wizard, {"signals": f"Zorgen over {NO_CATEGORY.lower()} in klas 2b."})
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.texts_page
    assert NO_CATEGORY in wizard.texts_page.error.text()
    next_page(qtbot, wizard)  # the VP says it is not a pupil: it may pass
    assert wizard.currentPage() is wizard.preview_page


# -- drafts ----------------------------------------------------------------------------------
def test_texts_survive_a_lock_and_come_back(
    qtbot: Any, window: MainWindow, keyed: tuple[Path, str]
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    type_texts(qtbot, wizard, TEXTS)
    window.lock()  # closes open dialogs while the store is still open
    assert not wizard.isVisible() and window.session is None
    data_dir, key = keyed
    window.unlocked_with(unlock(data_dir, MemoryProvider(), typed_key=key))
    assert window.session is not None
    assert drafts.load_draft(window.session.store, texts_kind(YEAR)) == SAVED
    again = open_wizard(qtbot, window)
    to_page(qtbot, again, again.texts_page)
    assert again.texts_page.values() == SAVED
    # Another year has its own texts.
    previous = AnnualReportWizard(window)
    assert previous.texts_of("2024-2025") == {
        "summary": "",
        "activities": "",
        "signals": "",
        "advice": "",
        "discussed_on": "",
    }


def test_texts_are_saved_while_typing(qtbot: Any, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    assert window.session is not None
    store = window.session.store
    assert drafts.load_draft(store, texts_kind(YEAR)) is None
    qtbot.keyClicks(wizard.texts_page.edits["activities"], "Posters")
    qtbot.waitUntil(
        lambda: (drafts.load_draft(store, texts_kind(YEAR)) or {}).get("activities") == "Posters",
        timeout=AUTOSAVE_MS + 3000,
    )


def test_reuse_last_years_texts(qtbot: Any, window: MainWindow) -> None:
    assert window.session is not None
    drafts.save_draft(window.session.store, texts_kind("2024-2025"), {"advice": "Oud advies."})
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    button = wizard.texts_page.reuse_button
    assert button.isVisible() and "2024-2025" in button.text()
    click(qtbot, button)
    assert wizard.texts_page.values()["advice"] == "Oud advies."
    assert not button.isVisible()


# -- opening an unfinished item ------------------------------------------------------------------
def test_opening_an_item_closes_the_wizard_and_resumes_at_the_check(
    qtbot: Any, window: MainWindow
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    type_texts(qtbot, wizard, TEXTS)
    click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    assert wizard.currentPage() is wizard.check_page
    row = next(r for r in wizard.check_page.items() if r.data(0, ITEM_ROLE).kind == "case")
    case_id = row.data(0, ITEM_ROLE).case_id
    double_click(qtbot, wizard.check_page.tree, row)
    assert not wizard.isVisible()
    wizard.follow_up()
    assert window.open_case.calls == [(case_id,)]  # type: ignore[attr-defined]
    assert "Jaarverslag maken" in window.statusBar().currentMessage()
    # Next time: the same year, straight back at the check page, the texts kept.
    again = open_wizard(qtbot, window)
    assert again.currentPage() is again.check_page and again.school_year == YEAR
    click(qtbot, again.button(QWizard.WizardButton.BackButton))
    assert again.currentPage() is again.year_page
    to_page(qtbot, again, again.texts_page)
    assert again.texts_page.values() == SAVED
    # The page to come back to is used once.
    assert window.session is not None
    assert drafts.load_draft(window.session.store, WIZARD_KIND) == {
        "school_year": YEAR,
        "page": "",
    }
    assert AnnualReportWizard(window).currentId() == -1


def test_a_request_without_a_case_starts_the_intake_and_obligations_open_their_case(
    qtbot: Any, window: MainWindow
) -> None:
    assert window.session is not None
    store = window.session.store
    case = list_cases(store, status="open", limit=1)[0]
    escalation.record_check(
        store,
        case.id,
        {"minor": "yes", "self_endangerment": "yes"},
        {},
        "",
        now=NOW,
        settings=load_settings(store),
    )
    wizard = open_wizard(qtbot, window)
    next_page(qtbot, wizard)
    rows = wizard.check_page.items()
    # The demo has open obligations of its own; take the one of this case.
    duty = next(
        r
        for r in rows
        if r.data(0, ITEM_ROLE).kind == "obligation" and r.data(0, ITEM_ROLE).case_id == case.id
    )
    assert duty.text(2) == case.pupil_name
    request = next(
        r
        for r in rows
        if r.data(0, ITEM_ROLE).kind == "request" and r.data(0, ITEM_ROLE).case_id is None
    )
    wizard.check_page.tree.setCurrentItem(request)
    assert wizard.check_page.open_button.isEnabled()
    click(qtbot, wizard.check_page.open_button)
    wizard.follow_up()
    assert window.start_intake.calls == [(request.data(0, ITEM_ROLE).ref_id,)]  # type: ignore[attr-defined]
    wizard = open_wizard(qtbot, window)
    duty = next(
        r
        for r in wizard.check_page.items()
        if r.data(0, ITEM_ROLE).kind == "obligation" and r.data(0, ITEM_ROLE).case_id == case.id
    )
    double_click(qtbot, wizard.check_page.tree, duty)
    wizard.follow_up()
    assert window.open_case.calls == [(case.id,)]  # type: ignore[attr-defined]


# -- printing ----------------------------------------------------------------------------------
def test_print_and_preview_use_the_same_pdf(
    qtbot: Any, window: MainWindow, tmp_path: Path, no_real_dialogs: dict[str, Recorder]
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.texts_page)
    type_texts(qtbot, wizard, TEXTS)
    to_page(qtbot, wizard, wizard.save_page)
    click(qtbot, wizard.save_page.preview_button)
    click(qtbot, wizard.save_page.print_button)
    ((_p, previewed, title),) = no_real_dialogs["preview"].calls
    ((_q, printed, _t),) = no_real_dialogs["print"].calls
    assert previewed == printed == wizard.pdf and "2025-2026" in title
    assert "BELEIDSADVIES-UNIEK" in pdf_text(printed)
    assert wizard.save_page.status.text() == "Het verslag is naar de printer gestuurd."
    made = [d for e, d in events(window) if e == "report_made"]
    assert made == [{"school_year": YEAR, "tables": 7, "data_file": 0, "empty": 0, "printed": 1}]
    # Printed but not saved: closing asks nothing either.
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible() and no_real_dialogs["ask"].calls == []


def test_closing_without_saving_or_printing_asks_first(
    qtbot: Any, window: MainWindow, no_real_dialogs: dict[str, Recorder]
) -> None:
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.save_page)
    no_real_dialogs["ask"].result = False
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.isVisible() and len(no_real_dialogs["ask"].calls) == 1
    no_real_dialogs["ask"].result = True
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()


def test_the_real_print_path_prints_every_page(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, window: MainWindow
) -> None:
    """`ui.printing.print_pdf` with the Qt print dialog replaced by one that prints to a file."""
    from PySide6 import QtPrintSupport
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    monkeypatch.undo()  # the real print_pdf (the autouse fixture replaced it)
    out = tmp_path / "printed.pdf"

    class FileDialog:
        DialogCode = QPrintDialog.DialogCode

        def __init__(self, printer: QPrinter, parent: Any) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            printer.setResolution(72)

        def exec(self) -> Any:
            return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", FileDialog)
    wizard = open_wizard(qtbot, window)
    to_page(qtbot, wizard, wizard.save_page)
    assert wizard.print_report() is True
    assert wizard.pdf is not None
    assert len(PdfReader(str(out)).pages) == len(PdfReader(io.BytesIO(wizard.pdf)).pages)


# -- issue 14: concept, the date discussed, page 1 -------------------------------------------
def test_a_running_year_is_explained_as_a_concept_and_the_date_discussed_is_kept(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    wizard = open_wizard(qtbot, window)
    combo = wizard.year_page.combo
    combo.setCurrentIndex(combo.findData("2024-2025"))  # a finished year: final
    assert "CONCEPT" not in wizard.year_page.period.text()
    combo.setCurrentIndex(combo.findData(YEAR))  # March 2026: the running year
    explained = wizard.year_page.period.text()
    assert "CONCEPT" in explained and "scholengroep" in explained and "31 juli" in explained
    to_page(qtbot, wizard, wizard.texts_page)
    type_texts(qtbot, wizard, {**TEXTS, "summary": "Een rustig jaar met meer vragen over pesten."})
    page = wizard.texts_page
    assert not page.discussed_date.isEnabled()
    click(qtbot, page.discussed_box)
    assert page.discussed_date.isEnabled()
    page.discussed_date.setDate(QDate(2026, 2, 14))
    to_page(qtbot, wizard, wizard.save_page)
    save = wizard.save_page
    save.path_edit.setText(str(tmp_path / "verslag.pdf"))
    save.data_box.setChecked(True)
    assert "CONCEPT" in save.data_note.text() and "report merge" in save.data_note.text()
    click(qtbot, save.save_button)
    assert not save.error.isVisible(), save.error.text()
    pages = PdfReader(str(tmp_path / "verslag.pdf")).pages
    first = " ".join(pages[0].extract_text().split())
    assert "Een rustig jaar met meer vragen over pesten." in first
    assert "Besproken met de directeur op 14 februari 2026 (protocol 6j)." in first
    assert all("CONCEPT" in p.extract_text() for p in pages)
    assert "Controlecode van het logboek:" in pages[-1].extract_text()
    status = json.loads((tmp_path / "verslag.json").read_text(encoding="utf-8"))["status"]
    assert status == "concept"
    discussed = [d for e, d in events(window) if e == "report_discussed"]
    assert discussed == [{"school_year": YEAR, "discussed_on": "2026-02-14"}]
    assert window.session is not None
    kept = drafts.load_draft(window.session.store, texts_kind(YEAR)) or {}
    assert kept.get("discussed_on") == "2026-02-14"
