"""The demo's start of the school year (issue 18): the "Nieuw schooljaar" answers of the running
school year (an invented confidant with a drawn portrait, a school e-mail address and phone
number, room, hours and web page) and a class-visit plan for the first-year and second-year
classes in September: the visits before today marked done (they become class-visit activities
with the class as reach), the rest still planned, so the overview has some to show.
"""

from __future__ import annotations

import io
import random
import re
from datetime import date, datetime, time

from app.clock import FixedClock
from app.domain.dates import school_year_bounds, school_year_of
from app.reports.outreach import Contact
from app.services.year_start import (
    ClassLine,
    list_visits,
    mark_done,
    plan_visits,
    save_answers,
    visit_days,
)
from app.store.db import Store
from app.store.settings import Settings

CLASSES = ("1A", "1B", "1C", "1D", "2A", "2B", "2C", "havo 3", "vwo 3")
#: Visits left planned (not done) even when their day has passed: the overview shows them.
LEFT_OPEN = 2


def portrait() -> bytes:
    """A drawn head-and-shoulders outline (no real person)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 600), (214, 231, 229))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 380, 410, 760), fill=(11, 122, 117))
    draw.ellipse((150, 120, 330, 330), fill=(233, 200, 170))
    draw.pieslice((140, 100, 340, 300), 180, 360, fill=(92, 64, 51))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _slug(school: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", school.lower()) or "school"


def add_year_start(store: Store, *, today: date, settings: Settings, seed: int = 0) -> int:
    """Write the demo's year start of today's school year; the number of visits planned."""
    year = school_year_of(today)
    clock = FixedClock(datetime.combine(today, time(9, 0)))
    slug = _slug(settings.school)
    save_answers(store, clock, year, Contact(
        name=settings.vp_name or "Mevrouw De Vries",
        email=f"vertrouwenspersoon@{slug}.nl",
        phone="0492-123456",
        room="Kamer B1.12 (naast de mediatheek)",
        hours="maandag tot en met donderdag in de grote pauze",
        url=f"https://www.{slug}.nl/vertrouwenspersoon",
        photo=portrait(),
    ))
    if list_visits(store, year):
        return 0
    rng = random.Random(seed)
    first, _last = school_year_bounds(year)
    days = visit_days(date(first.year, 9, 1), len(CLASSES), 2, region=settings.region,
                      school_holidays=settings.school_holidays)
    lines = [ClassLine(name, rng.randint(24, 31)) for name in CLASSES]
    visits = plan_visits(store, year, list(zip(lines, days, strict=True)))
    for visit in visits[:-LEFT_OPEN]:
        if visit.planned_on <= today:
            mark_done(store, clock, visit.id, on_date=visit.planned_on, pupils=None)
    return len(visits)
