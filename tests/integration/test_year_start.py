"""Start of the school year (issue 18): the poster, flyer and website text read back from the
real PDFs; the class-visit plan in a real store, done visits counted as activities in the
annual report and planned ones not."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.clock import FixedClock
from app.domain.errors import ValidationError
from app.reports import outreach
from app.reports.annual import compute
from app.reports.outreach import Contact
from app.services.activities import delete_activity, list_activities
from app.services.year_start import (
    ClassLine,
    list_visits,
    load_answers,
    mark_done,
    move_visit,
    open_visits,
    parse_classes,
    plan_visits,
    remove_visit,
    save_answers,
)
from app.store.db import Store

SCHOOL = "Het Testcollege"
CONTACT = Contact(
    name="Mevrouw Jansen",
    email="m.jansen@testcollege.nl",
    phone="06-12345678",
    room="Kamer B1.12",
    hours="ma t/m do in de grote pauze",
    url="www.testcollege.nl/vertrouwenspersoon",
)
LIMITS = "Als jij of iemand anders in gevaar is, moet ik hulp inschakelen. Dat vertel ik je " \
    "altijd eerst."
HELPLINE_NUMBERS = ("0800-0432", "0800-0113", "0800-2000", "0800-0188")


def photo_png(width: int = 1600, height: int = 2000) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (170, 130, 110)).save(out, "PNG")
    return out.getvalue()


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def qpdf_check(tmp_path: Path, pdf: bytes, name: str) -> None:
    """`qpdf --check` when qpdf is installed (.ci/run installs it)."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    path = tmp_path / name
    path.write_bytes(pdf)
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


@pytest.mark.parametrize("kind", ["A4", "A3", "flyer"])
def test_poster_and_flyer_say_what_pupils_need(tmp_path: Path, kind: str) -> None:
    contact = Contact(**{**CONTACT.__dict__, "photo": outreach.prepare_photo(photo_png())})
    pdf = (outreach.flyer_pdf(contact, SCHOOL) if kind == "flyer"
           else outreach.poster_pdf(contact, SCHOOL, kind))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == (2 if kind == "flyer" else 1)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    expected = {"A4": (595, 842), "A3": (842, 1191), "flyer": (420, 595)}[kind]
    assert (round(width), round(height)) == expected
    text = text_of(pdf)
    assert LIMITS in text
    for number in (*HELPLINE_NUMBERS, "06-12345678"):
        assert number in text
    assert "https://www.testcollege.nl/vertrouwenspersoon" in text.replace(" ", "")  # may wrap
    for words in ("Zit je ergens mee?", "Mevrouw Jansen", SCHOOL, "m.jansen@testcollege.nl",
                  "Kamer B1.12",
                  "uiterlijk op de eerstvolgende werkdag", "De Kindertelefoon",
                  "113 Zelfmoordpreventie", "Veilig Thuis", "Centrum Seksueel Geweld",
                  "elke dag van 11.00 tot 21.00 uur", "dag en nacht"):
        assert words in text, words
    qpdf_check(tmp_path, pdf, f"{kind}.pdf")


def test_without_url_there_is_no_qr_and_few_answers_fit(tmp_path: Path) -> None:
    pdf = outreach.poster_pdf(Contact(name="Jan", email="jan@school.nl"), "")
    text = text_of(pdf)
    assert "Scan voor mijn webpagina" not in text and "Webpagina" not in text
    assert "Ik ben Jan, de vertrouwenspersoon voor leerlingen." in text
    qpdf_check(tmp_path, pdf, "min.pdf")


def test_long_answers_still_fit_on_one_poster_page() -> None:
    long = Contact(name="A" * 60 + " " + "B" * 50, email="x@y.nl", room="Kamer " * 20,
                   hours="uur " * 29, url="https://school.nl/" + "a" * 200)
    assert len(PdfReader(io.BytesIO(outreach.poster_pdf(long, "S" * 300))).pages) == 1
    assert len(PdfReader(io.BytesIO(outreach.flyer_pdf(long, "S" * 300))).pages) == 2


def test_answers_are_checked_in_dutch() -> None:
    cases = [
        (Contact(name="  "), "naam"),
        (Contact(name="Jan"), "minstens één manier"),
        (Contact(name="Jan", email="jan@"), "e-mailadres"),
        (Contact(name="Jan", phone="bel me"), "telefoonnummer"),
        (Contact(name="Jan", url="school"), "webadres"),
        (Contact(name="Jan", url="ftp://school.nl/x"), "webadres"),
        (Contact(name="Jan", email="a@b.nl", room="x" * 121), "te lang"),
    ]
    for contact, words in cases:
        with pytest.raises(ValidationError) as caught:
            outreach.check_contact(contact)
        assert words in caught.value.message, caught.value.message
    ok = outreach.check_contact(Contact(name=" Jan  de Vries ", phone=" 06  1234 5678",
                                        url="http://www.x.nl/vp"))
    assert ok.name == "Jan de Vries" and ok.phone == "06 1234 5678"
    assert ok.url == "http://www.x.nl/vp"


def test_photo_is_shrunk_upright_and_plain_jpeg() -> None:
    small = outreach.prepare_photo(photo_png(1600, 2000))
    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "JPEG" and max(image.size) == outreach.PHOTO_MAX_PX
        assert not image.getexif()
    with pytest.raises(ValidationError) as caught:
        outreach.prepare_photo(b"%PDF-1.4 not a photo")
    assert "geen foto" in caught.value.message


def test_website_text_and_html() -> None:
    contact = outreach.check_contact(
        Contact(name='Jan <script>alert("x")</script>', email="jan@school.nl",
                phone="06-12345678", hours="na 15 uur & op vrijdag", url="school.nl/vp?a=1&b=2"))
    plain = outreach.website_text(contact, "De <b>School</b>")
    assert LIMITS in plain and "uiterlijk op de eerstvolgende werkdag" in plain
    assert all(number in plain for number in HELPLINE_NUMBERS)
    assert "- Wanneer: na 15 uur & op vrijdag" in plain
    page = outreach.website_html(contact, "De <b>School</b>")
    assert "<script>" not in page and "<b>School" not in page
    assert "Jan &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "De &lt;b&gt;School&lt;/b&gt;" in page
    assert '<a href="https://school.nl/vp?a=1&amp;b=2">' in page
    assert '<a href="mailto:jan@school.nl">' in page and '<a href="tel:0612345678">' in page
    assert '<a href="tel:08000432">0800-0432</a>' in page
    assert "na 15 uur &amp; op vrijdag" in page
    assert f"<strong>{LIMITS}</strong>" in page
    assert LIMITS in text_of(outreach.website_pdf(contact, "De <b>School</b>"))


def test_parse_classes() -> None:
    text = "2B\n 2B; 28\n havo 3 (27)\n1A 30 leerlingen\nklas 2\n3C\t29\n4D, 31 lln.\n\nvwo 5: 25"
    assert parse_classes(text) == [
        ClassLine("2B", 28), ClassLine("havo 3", 27), ClassLine("1A", 30),
        ClassLine("klas 2", None), ClassLine("3C", 29), ClassLine("4D", 31),
        ClassLine("vwo 5", 25),
    ]
    assert parse_classes("\n  \n") == []
    for bad, words in (("; 28", "regel 1"), ("2B\n3C; 0", "Regel 2"), ("x" * 61, "te lang")):
        with pytest.raises(ValidationError) as caught:
            parse_classes(bad)
        assert words.lower() in caught.value.message.lower()


def test_answers_are_kept_per_school_year_with_the_photo(store: Store,
                                                         clock: FixedClock) -> None:
    assert load_answers(store) is None
    saved = save_answers(store, clock, "2026-2027",
                         Contact(**{**CONTACT.__dict__, "photo": photo_png(900, 600)}))
    assert saved.url == "https://www.testcollege.nl/vertrouwenspersoon"
    year, loaded = load_answers(store) or ("", Contact(name=""))
    assert year == "2026-2027" and loaded == saved
    assert loaded.photo is not None and loaded.photo.startswith(b"\xff\xd8")
    save_answers(store, clock, "2026-2027", Contact(name="Jan", email="jan@x.nl"))
    again = load_answers(store, "2026-2027")
    assert again is not None and again[1].photo is None and again[1].name == "Jan"
    assert load_answers(store, "2025-2026") is None
    with pytest.raises(ValidationError):
        save_answers(store, clock, "2026", CONTACT)


def test_visits_are_planned_done_and_counted(store: Store, clock: FixedClock) -> None:
    year = "2026-2027"  # the clock stands on 15 October 2026
    lines = parse_classes("1A; 30\n1B; 28\n2A; 27\n2B; 29\n3A; 26\nhavo 4\n")
    days = [date(2026, 9, 1 + i) for i in range(5)] + [date(2026, 11, 2)]
    visits = plan_visits(store, year, list(zip(lines, days, strict=True)))
    assert [v.class_name for v in open_visits(store)] == ["1A", "1B", "2A", "2B", "3A", "havo 4"]
    for visit in visits[:5]:
        mark_done(store, clock, visit.id, on_date=visit.planned_on, pupils=None)
    assert [v.class_name for v in open_visits(store)] == ["havo 4"]
    done = [a for a in list_activities(store, year) if a.kind == "klassenbezoek"]
    assert [(a.on_date, a.reach, a.text) for a in done][:2] == [
        (date(2026, 9, 1), 30, "Klassenbezoek 1A"), (date(2026, 9, 2), 28, "Klassenbezoek 1B")]
    assert sum(a.reach for a in done) == 140

    figures = compute(store, year, threshold=5, today=clock.today())
    # The report shows activities by kind with their reach (issue 14), exactly: the planned
    # havo 4 is not counted.
    assert figures.activities["klassenbezoek"] == (5, 140)

    with pytest.raises(ValidationError) as caught:  # a class without a count: ask for it
        mark_done(store, clock, visits[5].id, on_date=clock.today(), pupils=None)
    assert "hoeveel leerlingen" in caught.value.message
    with pytest.raises(ValidationError):  # not in the future
        mark_done(store, clock, visits[5].id, on_date=date(2026, 11, 2), pupils=25)
    with pytest.raises(ValidationError):
        mark_done(store, clock, visits[0].id, on_date=clock.today(), pupils=30)

    delete_activity(store, done[0].id)  # the activity removed: the visit is planned again
    assert [v.class_name for v in open_visits(store)] == ["1A", "havo 4"]

    moved = move_visit(store, visits[5].id, date(2026, 10, 1))
    assert moved.planned_on == date(2026, 10, 1)
    with pytest.raises(ValidationError) as caught:
        move_visit(store, visits[5].id, date(2027, 8, 1))
    assert "1 augustus en 31 juli" in caught.value.message
    remove_visit(store, visits[5].id)
    with pytest.raises(ValidationError):
        remove_visit(store, visits[1].id)  # done: it is an activity now
    assert [v.class_name for v in open_visits(store)] == ["1A"]


def test_plan_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(ValidationError):
        plan_visits(store, "2026-2027", [(ClassLine("1A", 30), date(2026, 9, 1)),
                                         (ClassLine("1B", 30), date(2027, 9, 1))])
    with pytest.raises(ValidationError):
        plan_visits(store, "2026-2027", [])
    assert open_visits(store) == []


def test_visit_plan_pdf() -> None:
    pdf = outreach.visit_plan_pdf(SCHOOL, "2026-2027", [
        ("1A", 30, "1-9-2026", "1-9-2026"), ("havo 4", None, "2-11-2026", "")])
    text = text_of(pdf)
    assert "Klassenbezoeken 2026-2027" in text and "havo 4" in text
    assert re.search(r"1A\s*30\s*1-9-2026", text)


def test_pdf_titles_are_dutch() -> None:
    info = PdfReader(io.BytesIO(outreach.poster_pdf(CONTACT, SCHOOL))).metadata
    assert info is not None and info.title == "Poster vertrouwenspersoon voor leerlingen"
    info = PdfReader(io.BytesIO(outreach.flyer_pdf(CONTACT, SCHOOL))).metadata
    assert info is not None and info.title == "Flyer vertrouwenspersoon voor leerlingen"


def test_the_demo_has_a_filled_in_year_start(store: Store) -> None:
    from app.services.demo import generate

    generate(store, years=1, seed=2, today=date(2026, 3, 4))
    found = load_answers(store)
    assert found is not None and found[0] == "2025-2026"
    assert found[1].photo is not None and found[1].url.startswith("https://")
    pdf = outreach.poster_pdf(found[1], "")
    assert LIMITS in text_of(pdf)
    visits = list_visits(store, "2025-2026")
    done = [v for v in visits if v.done]
    assert len(done) == len(visits) - 2 and [v.class_name for v in open_visits(store)] == [
        "havo 3", "vwo 3"]
    reach = {a.text: a.reach for a in list_activities(store, "2025-2026")
             if a.kind == "klassenbezoek"}
    assert all(reach[f"Klassenbezoek {v.class_name}"] == v.pupils for v in done)
