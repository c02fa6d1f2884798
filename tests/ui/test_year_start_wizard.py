"""The "Nieuw schooljaar" wizard (issue 18) from the main window's Werk menu, on a real
encrypted store and a real MainWindow (pytest-qt, offscreen): answers with a photo, poster
(A3) and flyer saved as PDF where the VP chose (file dialog replaced), the QR code on the
poster decoded from the page as the print path renders it, the website text copied, the
class-visit plan stored, shown on the overview and marked done from there.

The clock stands on Tuesday 1 September 2026, 10:00: the overview offers the wizard.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard

from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.vault import Session, create_store
from app.services.activities import list_activities
from app.services.year_start import list_visits, load_answers, open_visits
from app.store.settings import Settings
from ui import printing
from ui.main_window import MainWindow
from ui.views import class_visits
from ui.wizards.year_start import YearStartWizard

NOW = datetime(2026, 9, 1, 10, 0)
URL = "https://www.delinde.nl/vertrouwenspersoon"
LIMITS = ("Als jij of iemand anders in gevaar is, moet ik hulp inschakelen. Dat vertel ik je "
          "altijd eerst.")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    settings = Settings(school="De Linde", location="Helmond", vp_name="A. Jansen")
    key = generate_recovery_key()
    opened = create_store(tmp_path / "data", settings, key, key_mode="ask",
                          provider=MemoryProvider())
    yield opened
    if opened.store.conn is not None:
        opened.lock()


class Recorder:
    def __init__(self, result: Any = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.result = result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(args)
        return self.result


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """No real dialog opens: message boxes, file dialogs and printing are recorded."""
    seen: dict[str, Any] = {"warning": Recorder(), "print": Recorder(True),
                            "preview": Recorder(False),
                            "save_to": [tmp_path / "unused.pdf"], "wizards": []}
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(seen["warning"]))
    monkeypatch.setattr(printing, "print_pdf", seen["print"])
    monkeypatch.setattr(printing, "preview_pdf", seen["preview"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(seen["save_to"][0]), "")))
    photo = tmp_path / "foto.png"
    Image.new("RGB", (1200, 1500), (160, 120, 100)).save(photo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(photo), "")))

    def show_instead(wizard: YearStartWizard) -> int:  # the wizard stays open for the test
        seen["wizards"].append(wizard)
        wizard.show()
        return 0

    monkeypatch.setattr(YearStartWizard, "exec", show_instead)
    return seen


@pytest.fixture
def window(qtbot: Any, session: Session, dialogs: dict[str, Any]) -> Iterator[MainWindow]:
    win = MainWindow(session, MemoryProvider(), now=lambda: NOW)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_page(qtbot: Any, wizard: QWizard) -> None:
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(data)).pages)


def qr_codes(qtbot: Any, window: MainWindow, data: bytes, dpi: int = 150) -> list[str]:
    """Render page 1 as the print path does (QtPdf) and decode every QR code on it."""
    document = printing.pdf_document(window, data)
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready)
    points = document.pagePointSize(0)
    image = document.render(0, QSize(int(points.width() / 72 * dpi),
                                     int(points.height() / 72 * dpi)))
    document.deleteLater()
    paper = QImage(image.size(), QImage.Format.Format_RGB32)  # the page on white paper
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return [code.text for code in zxingcpp.read_barcodes(paper)]


def test_walk_the_wizard_from_the_work_menu(
    qtbot: Any, window: MainWindow, dialogs: dict[str, Any], tmp_path: Path
) -> None:
    panel = window.findChild(class_visits.YearStartPanel)
    assert panel is not None and panel.isVisible() and panel.offer_button.isVisible()
    assert window.year_start_action in window.work_menu.actions()
    window.year_start_action.trigger()
    wizard: YearStartWizard = dialogs["wizards"][-1]
    qtbot.waitExposed(wizard)

    # 1. Who: the school year of today, the name from the settings, a photo.
    assert wizard.school_year == "2026-2027"
    assert wizard.who.name.text() == "A. Jansen"
    next_page(qtbot, wizard)  # allowed: a name is there
    assert wizard.currentPage() is wizard.reach
    wizard.back()
    wizard.who.name.clear()
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.who
    assert "naam" in wizard.who.error.text()
    qtbot.keyClicks(wizard.who.name, "Mevrouw Jansen")
    click(qtbot, wizard.who.photo_button)
    assert wizard.photo is not None and wizard.who.remove_button.isEnabled()
    next_page(qtbot, wizard)

    # 2. Reach: a wrong e-mail address is refused in Dutch, then corrected.
    reach = wizard.reach
    qtbot.keyClicks(reach.email, "m.jansen@")
    qtbot.keyClicks(reach.phone, "06-12345678")
    qtbot.keyClicks(reach.room, "B1.12")
    qtbot.keyClicks(reach.hours, "in de grote pauze")
    qtbot.keyClicks(reach.url, "www.delinde.nl/vertrouwenspersoon")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is reach and "e-mailadres" in reach.error.text()
    qtbot.keyClicks(reach.email, "delinde.nl")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.material
    assert window.session is not None
    saved = load_answers(window.session.store, "2026-2027")
    assert saved is not None and saved[1].url == URL and saved[1].photo is not None

    # 3. Material: website text, copy, poster A3 and flyer saved where the VP chose, print.
    material = wizard.material
    assert LIMITS in material.plain.toPlainText()
    assert "uiterlijk op de eerstvolgende werkdag" in material.plain.toPlainText()
    assert f'<a href="{URL}">' in material.html.toPlainText()
    material.tabs.setCurrentIndex(1)
    click(qtbot, material.findChild(type(material.buttons["poster"][0]), "copy_html"))
    assert QGuiApplication.clipboard().text().startswith("<h2>")
    material.size_box.setCurrentIndex(material.size_box.findData("A3"))
    dialogs["save_to"][0] = tmp_path / "out" / "poster"
    (tmp_path / "out").mkdir()
    click(qtbot, material.buttons["poster"][0])
    poster = (tmp_path / "out" / "poster.pdf").read_bytes()  # .pdf added
    reader = PdfReader(io.BytesIO(poster))
    assert len(reader.pages) == 1 and round(float(reader.pages[0].mediabox.width)) == 842
    text = pdf_text(poster)
    assert LIMITS in text and "Mevrouw Jansen" in text and "De Linde" in text
    for number in ("0800-0432", "0800-0113", "0800-2000", "0800-0188", "06-12345678"):
        assert number in text
    assert qr_codes(qtbot, window, poster) == [URL]
    assert str(tmp_path / "out" / "poster.pdf") in material.status.text()

    dialogs["save_to"][0] = tmp_path / "out" / "flyer.pdf"
    click(qtbot, material.buttons["flyer"][0])
    flyer = (tmp_path / "out" / "flyer.pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(flyer)).pages) == 2 and LIMITS in pdf_text(flyer)

    dialogs["save_to"][0] = tmp_path / "no such folder" / "flyer.pdf"
    click(qtbot, material.buttons["flyer"][0])
    assert dialogs["warning"].calls, "a failed save says so"
    assert "kon niet worden opgeslagen" in dialogs["warning"].calls[-1][2]

    warnings = len(dialogs["warning"].calls)
    dialogs["save_to"][0] = window.data_dir / "poster.pdf"  # the output guard: not in there
    click(qtbot, material.buttons["poster"][0])
    assert len(dialogs["warning"].calls) == warnings + 1
    assert "Er is niets opgeslagen" in dialogs["warning"].calls[-1][2]
    assert not (window.data_dir / "poster.pdf").exists()

    click(qtbot, material.buttons["poster"][1])
    data, title = dialogs["print"].calls[-1][1:]
    assert title == "Poster vertrouwenspersoon voor leerlingen" and LIMITS in pdf_text(data)
    click(qtbot, material.buttons["flyer"][2])
    data, title = dialogs["preview"].calls[-1][1:]
    assert title == "Flyer vertrouwenspersoon voor leerlingen" and len(
        PdfReader(io.BytesIO(data)).pages) == 2
    next_page(qtbot, wizard)

    # 4. Class visits: pasted, spread over working days, stored on Finish.
    visits = wizard.visits
    assert visits.first.value() == date(2026, 9, 1)
    visits.paste.setPlainText("1A; 30\n1B\t28\nhavo 3 (27)\n")
    click(qtbot, visits.add_button)
    assert visits.table.rowCount() == 3
    assert [visits.table.item(r, 0).text() for r in range(3)] == ["1A", "1B", "havo 3"]
    visits.table.item(2, 2).setText("31-02-2026")
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.isVisible() and "Rij 3" in visits.error.text()
    visits.table.item(2, 2).setText("15-09-2026")
    click(qtbot, visits.print_button)
    plan_pdf, plan_title = dialogs["print"].calls[-1][1:]
    assert plan_title == "Klassenbezoeken 2026-2027" and "havo 3" in pdf_text(plan_pdf)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()
    store = window.session.store
    assert [(v.class_name, v.pupils) for v in list_visits(store, "2026-2027")] == [
        ("1A", 30), ("1B", 28), ("havo 3", 27)]
    assert list_visits(store, "2026-2027")[2].planned_on == date(2026, 9, 15)

    # The overview lists them until they are done; the offer is gone (done this year).
    window.refresh()
    assert not panel.offer_button.isVisible()
    rows = panel.section.rows()
    assert [row.text(1) for row in rows] == ["1A", "1B", "havo 3"]


def test_a_visit_marked_done_on_the_overview_becomes_an_activity(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.year_start import ClassLine, plan_visits

    assert window.session is not None
    store = window.session.store
    plan_visits(store, "2026-2027", [(ClassLine("2B", None), date(2026, 8, 31)),
                                     (ClassLine("3C", 29), date(2026, 9, 3))])
    window.refresh()
    panel = window.findChild(class_visits.YearStartPanel)
    assert panel is not None
    rows = panel.section.rows()
    assert [row.text(1) for row in rows] == ["2B", "3C"]
    assert "te laat" in rows[0].text(3)  # planned yesterday, not done

    answers: list[str] = []

    def fill_in(dialog: class_visits.VisitDoneDialog) -> int:
        assert dialog.day.value() == date(2026, 8, 31)
        dialog.pupils.setValue(0)
        assert not dialog.save()  # how many pupils? asked in Dutch
        answers.append(dialog.error.text())
        dialog.pupils.setValue(31)
        assert dialog.save()
        return int(dialog.result())

    monkeypatch.setattr(class_visits.VisitDoneDialog, "exec", fill_in)
    tree = panel.section.tree
    rect = tree.visualItemRect(rows[0])
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert answers and "hoeveel leerlingen" in answers[0]
    assert [v.class_name for v in open_visits(store)] == ["3C"]
    assert [row.text(1) for row in panel.section.rows()] == ["3C"]
    done = [a for a in list_activities(store, "2026-2027") if a.kind == "klassenbezoek"]
    assert [(a.on_date, a.reach, a.text) for a in done] == [
        (date(2026, 8, 31), 31, "Klassenbezoek 2B")]

    # The offer is made in August and September only; the planned visit stays listed.
    assert panel.offer_button.isVisible()
    window.now = lambda: datetime(2026, 10, 1, 9, 0)  # type: ignore[method-assign]
    window.refresh()
    assert not panel.offer_button.isVisible() and panel.isVisible()
    assert [row.text(1) for row in panel.section.rows()] == ["3C"]
