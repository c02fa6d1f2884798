"""The recovery sheet PDF holds the key, the school, the place of the data file and the date,
and nothing else of the store (read back with pypdf)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.paths import store_path
from app.security.keys import MemoryProvider, generate_recovery_key
from app.security.recovery_sheet import render_recovery_sheet
from app.security.vault import create_store
from app.store.settings import Settings, load_settings

PLANTED = "PLANTED-NAME-XYZ"


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def store_with_planted_values(tmp_path: Path):
    key = generate_recovery_key()
    session = create_store(
        tmp_path / "data",
        Settings(school="Openbare Basisschool Het Anker", location="Deurne",
                 vp_name=PLANTED, backup_dir="/media/PLANTED-BACKUP-DIR"),
        key,
        key_mode="ask",
        provider=MemoryProvider(),
    )
    with session.store.transaction() as conn:
        conn.execute("INSERT INTO note(body) VALUES ('PLANTED-NOTE-QWERTY')")
    yield session, key
    session.lock()


def test_sheet_holds_the_key_and_the_school_and_nothing_else(store_with_planted_values) -> None:
    session, key = store_with_planted_values
    settings = load_settings(session.store)
    pdf = render_recovery_sheet(
        school=settings.school, location=settings.location, data_file=session.store.path,
        key=key, made_on=date(2026, 3, 2),
    )
    assert pdf.startswith(b"%PDF")
    reader, text = _text(pdf)
    assert len(reader.pages) == 1
    assert key in text
    assert "Openbare Basisschool Het Anker" in text
    assert "Deurne" in text
    assert "02-03-2026" in text
    assert str(session.store.path)[:60] in text
    for planted in (PLANTED, "PLANTED-BACKUP-DIR", "PLANTED-NOTE-QWERTY", "PLANTED"):
        assert planted not in text
        assert planted.encode() not in pdf  # not in metadata or hidden objects either
    meta = reader.metadata or {}
    assert all(key not in str(value) for value in meta.values())  # the key is not metadata


def test_wizard_sheet_has_the_key_but_not_the_vp_name(qtbot, tmp_path: Path) -> None:
    from ui.wizards.setup import SetupWizard

    wizard = SetupWizard(tmp_path / "data", MemoryProvider())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.school_page.school.setText("Kindcentrum De Vlinder")
    wizard.school_page.vp_name.setText(PLANTED)
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.sheet_page
    pdf = wizard.sheet_page.sheet()
    _reader, text = _text(pdf)
    assert wizard.recovery_key in text
    assert "Kindcentrum De Vlinder" in text
    assert str(store_path(tmp_path / "data"))[:60] in text
    assert PLANTED not in text and PLANTED.encode() not in pdf
    # Rendering the sheet writes nothing: the key is still in no file.
    assert list(tmp_path.rglob("*.pdf")) == []
    assert not store_path(tmp_path / "data").exists()
