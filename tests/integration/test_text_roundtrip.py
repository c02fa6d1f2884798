"""QUALITY R8: every text field reads back exactly as written, whatever it holds (unicode, RTL,
emoji, control characters, SQL metacharacters); too long text is refused with a message and
never cut; text at the limit round-trips."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.services import casework as cw
from app.services.search import search
from app.store.db import Store

DAY = date(2026, 9, 1)
SAMPLES = [
    "مرحبا، هذه ملاحظة",  # Arabic
    "שלום, זו הערה",  # Hebrew
    "\u202eomgekeerd\u202c en \u200fRTL-markering",
    "🙂👩‍👩‍👧🏳️‍🌈 emoji met ZWJ",
    "'; DROP TABLE note; --",
    "\" OR 1=1 -- ' /* */ % _ \\",
    "NUL\x00midden\x00",
    "controle \x01\x07\x08\x0b\x0c\x1b[2J\x7f\x9f",
    "regel\r\nregel\rregel\n",
    "Zoë Ñúñez-Çelik ß ǅ ﬁ",
    "\ufeffBOM en \u00a0 harde spatie",
    "   spaties eromheen   ",
    "",
]

characters = st.characters(exclude_categories=("Cs",))  # lone surrogates: see the refusal test
any_text = st.one_of(st.sampled_from(SAMPLES), st.text(characters, max_size=300))
short_text = st.one_of(st.sampled_from(SAMPLES), st.text(characters, max_size=120))
name_text = short_text.filter(lambda t: t.strip() != "")
FAST = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(name=name_text, class_name=short_text, authority=short_text)
def test_pupil_fields(
    store: Store, clock: FixedClock, name: str, class_name: str, authority: str
) -> None:
    pupil = cw.add_pupil(store, clock, PupilData(name, class_name, None, "", True, authority))
    again = cw.get_pupil(store, pupil.id)
    assert (again.name, again.class_name, again.authority) == (name, class_name, authority)
    cw.find_pupils(store, name)  # never crashes, whatever the name holds


@FAST
@given(label=short_text, note=any_text)
def test_request_fields(store: Store, clock: FixedClock, label: str, note: str) -> None:
    result = cw.register_request(
        store,
        clock,
        received_at=datetime(2026, 9, 1, 9),
        source="ouder",
        pupil_label=label,
        note=note,
    )
    again = cw.get_request(store, result.request.id)
    assert (again.pupil_label, again.note) == (label, note)


@FAST
@given(story=any_text, question=any_text, title=short_text, with_whom=short_text, name=name_text)
def test_case_fields(
    store: Store,
    clock: FixedClock,
    story: str,
    question: str,
    title: str,
    with_whom: str,
    name: str,
) -> None:
    case = cw.open_case(
        store,
        clock,
        Intake(
            opened_on=DAY,
            confidentiality_explained_at=datetime(2026, 9, 1, 9),
            categories=("overig",),
            taken_up_by="vp",
            story=story,
            help_question=question,
            title=title,
            with_whom=with_whom,
            pupil=PupilData(name),
            source="leerling_zelf",
        ),
    )
    again = cw.get_case(store, case.id)
    assert (again.story, again.help_question, again.title, again.pupil_name) == (
        story,
        question,
        title,
        name,
    )
    assert cw.timeline(store, case.id)[0].with_whom == with_whom
    search(store, story)  # never crashes, whatever was typed
    search(store, name)


@pytest.fixture
def case_id(store: Store, clock: FixedClock) -> int:
    return cw.open_case(
        store,
        clock,
        Intake(
            opened_on=DAY,
            confidentiality_explained_at=datetime(2026, 9, 1, 9),
            categories=("overig",),
            taken_up_by="vp",
            pupil=PupilData("Test"),
            source="leerling_zelf",
        ),
    ).id


@FAST
@given(text=any_text, with_whom=short_text)
def test_entry_fields(
    store: Store, clock: FixedClock, case_id: int, text: str, with_whom: str
) -> None:
    talk = cw.add_conversation(store, clock, case_id, on_date=DAY, with_whom=with_whom, text=text)
    assert (cw.get_entry(store, talk.id).text, cw.get_entry(store, talk.id).with_whom) == (
        text,
        with_whom,
    )
    role = with_whom if with_whom.strip() else "GGD"
    consult = cw.add_consultation(store, clock, case_id, on_date=DAY, with_whom=role, text=text)
    assert (cw.get_entry(store, consult.id).with_whom, cw.get_entry(store, consult.id).text) == (
        role,
        text,
    )
    if text.strip():
        step = cw.add_plan_step(
            store,
            clock,
            case_id,
            on_date=DAY,
            text=text,
            due_on=date(2026, 9, 8),
            with_whom=with_whom,
        )
        assert cw.get_entry(store, step.id).text == text
        fixed = cw.correct_entry(store, clock, talk.id, talk.data())
        assert cw.get_entry(store, fixed.id).text == text


@FAST
@given(text=any_text)
def test_activity_and_closing_text(
    store: Store, clock: FixedClock, case_id: int, text: str
) -> None:
    activity = cw.add_activity(store, clock, kind="overig", on_date=DAY, text=text)
    assert cw.get_activity(store, activity.id).text == text
    changed = cw.update_activity(
        store, clock, activity.id, kind="overig", on_date=DAY, reach=1, text=text[::-1]
    )
    assert changed.text == text[::-1]


def test_close_note(store: Store, clock: FixedClock, case_id: int) -> None:
    text = "".join(SAMPLES)
    closed = cw.close_case(store, clock, case_id, closed_on=DAY, reason="overig", text=text)
    assert cw.get_case(store, closed.id).close_note == text


def test_texts_at_the_limit_round_trip(store: Store, clock: FixedClock, case_id: int) -> None:
    note = ("🙂é\x00ש" * cw.MAX_NOTE_CHARS)[: cw.MAX_NOTE_CHARS]
    short = ("ÿ\x01" * cw.MAX_SHORT_CHARS)[: cw.MAX_SHORT_CHARS]
    entry = cw.add_conversation(store, clock, case_id, on_date=DAY, with_whom=short, text=note)
    again = cw.get_entry(store, entry.id)
    assert again.text == note and again.with_whom == short
    pupil = cw.add_pupil(store, clock, PupilData(short, short, None, "", True, short))
    assert cw.get_pupil(store, pupil.id).name == short
    request = cw.register_request(
        store,
        clock,
        received_at=datetime(2026, 9, 1, 9),
        source="ouder",
        pupil_label=short,
        note=note,
    ).request
    assert cw.get_request(store, request.id).note == note
    assert cw.add_activity(store, clock, kind="overig", on_date=DAY, text=note).text == note


def test_one_megabyte_is_refused_in_every_field(
    store: Store, clock: FixedClock, case_id: int
) -> None:
    big = "x" * (1 << 20)
    before = store.table_counts()
    attempts = [
        lambda: cw.add_pupil(store, clock, PupilData(big)),
        lambda: cw.add_pupil(store, clock, PupilData("a", class_name=big)),
        lambda: cw.add_pupil(store, clock, PupilData("a", authority=big)),
        lambda: cw.register_request(
            store, clock, received_at=datetime(2026, 9, 1, 9), source="ouder", note=big
        ),
        lambda: cw.register_request(
            store, clock, received_at=datetime(2026, 9, 1, 9), source="ouder", pupil_label=big
        ),
        lambda: cw.add_conversation(store, clock, case_id, on_date=DAY, text=big),
        lambda: cw.add_conversation(store, clock, case_id, on_date=DAY, with_whom=big),
        lambda: cw.add_activity(store, clock, kind="overig", on_date=DAY, text=big),
        lambda: cw.close_case(store, clock, case_id, closed_on=DAY, reason="overig", text=big),
    ]
    for attempt in attempts:
        with pytest.raises(cw.ValidationError) as error:
            attempt()
        assert "Maak hem korter; er is niets opgeslagen." in error.value.message
        assert "1.048.576 tekens" in error.value.message
    assert store.table_counts() == before
    search(store, big)  # a search for it does not crash either
    assert cw.find_pupils(store, big) == []


@pytest.mark.parametrize("bad", ["\ud800", "a\udfffb", "\udc00" * 3])
def test_unstorable_text_is_refused(
    store: Store, clock: FixedClock, case_id: int, bad: str
) -> None:
    with pytest.raises(cw.ValidationError) as error:
        cw.add_note(store, clock, case_id, on_date=DAY, text=bad)
    assert error.value.message == (
        "Deze tekst bevat een teken dat niet kan worden opgeslagen. "
        "Haal het weg en probeer het opnieuw."
    )
    with pytest.raises(cw.ValidationError):
        cw.add_pupil(store, clock, PupilData("a" + bad))
