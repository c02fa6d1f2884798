"""Case work on a real encrypted store: request -> intake -> entries -> correction -> plan step
done -> close, pupil reuse, validation (Dutch messages), dates, open plan steps on close."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.clock import FixedClock
from app.domain.lists import MEANWHILE_HELP
from app.domain.models import EntryData, Intake, PupilData
from app.services import casework as cw
from app.store.db import Store
from app.store.settings import Settings, load_settings, save_settings

EXPLAINED = datetime(2026, 9, 1, 9, 30)


def intake(**changes: object) -> Intake:
    base = Intake(
        opened_on=date(2026, 9, 1),
        confidentiality_explained_at=EXPLAINED,
        categories=("pesten", "welbevinden"),
        taken_up_by="vp",
        story="Wordt uitgelachen in de groepsapp.",
        help_question="Wil dat het stopt.",
        pupil=PupilData("Zoë de Vries", "2B", 2, "havo", True, "beide ouders"),
        source="leerling_zelf",
        consents={"mentor_coach": True, "ouders": False},
        minutes=30,
        with_whom="leerling",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {table}"))


# -- the whole storage path ------------------------------------------------------------------


def test_request_intake_entries_correction_done_close(store: Store, clock: FixedClock) -> None:
    result = cw.register_request(
        store,
        clock,
        received_at=datetime(2026, 8, 31, 14, 5),
        source="mentor_coach",
        pupil_label="Zoë",
        note="Mentor maakt zich zorgen.",
    )
    request = result.request
    assert request.respond_by == date(2026, 9, 1)
    assert not result.in_or_after_holiday and result.meanwhile_help == ()
    assert cw.list_requests(store, open_only=True) == [request]

    case = cw.open_case(store, clock, intake(request_id=request.id, source=None))
    assert case.source == "mentor_coach"  # taken from the request
    assert case.categories == ("pesten", "welbevinden")
    assert case.confidentiality_explained_at == EXPLAINED
    assert case.story == "Wordt uitgelachen in de groepsapp."
    assert case.help_question == "Wil dat het stopt."
    linked = cw.get_request(store, request.id)
    assert linked.case_id == case.id and linked.pupil_id == case.pupil_id
    assert linked.answered_on == date(2026, 9, 1)
    assert cw.list_requests(store, open_only=True) == []

    first = cw.timeline(store, case.id)
    assert [(e.kind, e.recipient, e.consent) for e in first] == [
        ("conversation", None, None),
        ("consent", "ouders", False),
        ("consent", "mentor_coach", True),
    ]
    assert first[0].minutes == 30 and first[0].with_whom == "leerling"

    talk = cw.add_conversation(
        store,
        clock,
        case.id,
        on_date=date(2026, 9, 8),
        with_whom="leerling",
        minutes=25,
        text="Het gaat iets beter.",
    )
    consult = cw.add_consultation(
        store, clock, case.id, on_date=date(2026, 9, 9), with_whom="GGD-jeugdarts", text="Advies."
    )
    assert consult.action_type == "consultatie_anoniem"
    step = cw.add_plan_step(
        store,
        clock,
        case.id,
        on_date=date(2026, 9, 9),
        text="Gesprek met mentor plannen",
        due_on=date(2026, 9, 23),
        with_whom="vertrouwenspersoon",
    )
    referral = cw.add_referral(
        store, clock, case.id, on_date=date(2026, 9, 10), referral="huisarts"
    )
    assert referral.action_type == "verwijzing_extern"
    internal = cw.add_referral(
        store, clock, case.id, on_date=date(2026, 9, 10), referral="schoolmaatschappelijk_werk"
    )
    assert internal.action_type == "verwijzing_intern"
    cw.add_consent(store, clock, case.id, on_date=date(2026, 9, 11), recipient="ouders", given=True)
    cw.add_consent(
        store, clock, case.id, on_date=date(2026, 9, 14), recipient="mentor_coach", given=False
    )
    action = cw.add_action(
        store, clock, case.id, on_date=date(2026, 9, 14), action_type="ouders_geinformeerd"
    )
    note = cw.add_note(store, clock, case.id, on_date=date(2026, 9, 15), text="Magister-vinkje.")
    assert action.kind == "action" and note.text == "Magister-vinkje."

    fixed = cw.correct_entry(
        store, clock, talk.id, replace(talk.data(), minutes=40, text="Het gaat veel beter.")
    )
    assert fixed.supersedes == talk.id and fixed.minutes == 40
    old = cw.get_entry(store, talk.id)
    assert old.superseded and old.superseded_by == fixed.id
    assert old.text == "Het gaat iets beter."  # history is never erased
    with pytest.raises(cw.ValidationError) as again:
        cw.correct_entry(store, clock, talk.id, talk.data())
    assert "al gecorrigeerd" in again.value.message

    with pytest.raises(cw.NeedsConfirmation) as confirm:
        cw.close_case(store, clock, case.id, closed_on=date(2026, 10, 1), reason="opgelost")
    assert confirm.value.items == (step.id,)
    assert "1" in confirm.value.message
    assert cw.get_case(store, case.id).closed_on is None  # nothing changed

    done = cw.mark_step_done(store, clock, step.id, done_on=date(2026, 9, 22))
    assert done.done_on == date(2026, 9, 22)
    closed = cw.close_case(
        store, clock, case.id, closed_on=date(2026, 10, 1), reason="opgelost", text="Gaat goed."
    )
    assert closed.closed and closed.close_reason == "opgelost" and closed.close_note == "Gaat goed."

    entries = cw.timeline(store, case.id)
    assert [e.on_date for e in entries] == sorted(e.on_date for e in entries)
    assert len(entries) == 13  # 3 from the intake, 9 added, 1 correction
    consents = cw.current_consents(store, case.id)
    assert {r: (e.consent, e.on_date) for r, e in consents.items()} == {
        "ouders": (True, date(2026, 9, 11)),
        "mentor_coach": (False, date(2026, 9, 14)),
    }
    # Corrections are still possible on a closed case; new entries are not.
    with pytest.raises(cw.ValidationError) as closed_error:
        cw.add_note(store, clock, case.id, on_date=date(2026, 10, 2), text="Nog iets.")
    assert "afgesloten" in closed_error.value.message
    cw.correct_entry(store, clock, note.id, replace(note.data(), text="Magister-vinkje gezet."))


def test_correcting_a_consent_changes_the_consent_in_force(store: Store, clock: FixedClock) -> None:
    case = cw.open_case(store, clock, intake())
    given = cw.current_consents(store, case.id)["mentor_coach"]
    cw.correct_entry(store, clock, given.id, replace(given.data(), consent=False))
    assert cw.current_consents(store, case.id)["mentor_coach"].consent is False
    assert cw.get_entry(store, given.id).consent is True


# -- requests and the respond-by date ---------------------------------------------------------


def test_respond_by_skips_whit_monday(store: Store) -> None:
    clock = FixedClock(datetime(2026, 5, 22, 15, 0))
    result = cw.register_request(
        store, clock, received_at=datetime(2026, 5, 22, 11, 0), source="leerling_zelf"
    )
    assert result.request.respond_by == date(2026, 5, 26)


def test_request_before_summer_holiday_says_where_to_turn(store: Store, clock: FixedClock) -> None:
    result = cw.register_request(
        store, clock, received_at=datetime(2026, 7, 10, 9, 0), source="ouder"
    )
    assert result.request.respond_by == date(2026, 8, 24)
    assert result.in_or_after_holiday
    assert result.meanwhile_help == MEANWHILE_HELP
    assert result.warning == "" and result.missing_holidays_year is None


def test_urgent_request_is_answered_the_same_day(store: Store, clock: FixedClock) -> None:
    result = cw.register_request(
        store, clock, received_at=datetime(2026, 7, 10, 9, 0), source="docent", urgent=True
    )
    assert result.request.respond_by == date(2026, 7, 10) and result.request.urgent
    assert not result.in_or_after_holiday


def test_settings_study_days_and_school_holidays_off(store: Store, clock: FixedClock) -> None:
    settings = load_settings(store)
    settings.study_days = ["2026-09-02", "not a date"]
    save_settings(store, settings)
    result = cw.register_request(
        store, clock, received_at=datetime(2026, 9, 1, 9, 0), source="docent"
    )
    assert result.request.respond_by == date(2026, 9, 3)
    off = Settings(school_holidays=False)
    result = cw.register_request(
        store, clock, received_at=datetime(2026, 7, 10, 9, 0), source="docent", settings=off
    )
    assert result.request.respond_by == date(2026, 7, 13)
    assert result.in_or_after_holiday  # 13 July lies in the summer holiday


def test_year_without_school_holidays_falls_back_with_a_warning(store: Store) -> None:
    clock = FixedClock(datetime(2031, 3, 20, 12, 0))
    result = cw.register_request(
        store, clock, received_at=datetime(2031, 3, 14, 10, 0), source="ouder"
    )
    assert result.request.respond_by == date(2031, 3, 17)  # Friday -> Monday
    assert result.missing_holidays_year == 2031
    assert "2031" in result.warning and "Instellingen… (Schoolvakanties" in result.warning


def test_request_validation(store: Store, clock: FixedClock) -> None:
    with pytest.raises(cw.ValidationError) as missing:
        cw.register_request(store, clock, received_at=datetime(2026, 9, 1, 9), source=None)
    assert missing.value.message == "Kies via wie de aanmelding binnenkwam."
    assert missing.value.field == "source"
    with pytest.raises(cw.ValidationError) as unknown:
        cw.register_request(store, clock, received_at=datetime(2026, 9, 1, 9), source="buurman")
    assert unknown.value.message == "Kies een van de mogelijkheden uit de lijst."
    with pytest.raises(cw.ValidationError) as no_date:
        cw.register_request(store, clock, received_at=None, source="ouder")
    assert no_date.value.message == "Vul in wanneer de aanmelding binnenkwam."
    with pytest.raises(cw.ValidationError) as future:
        cw.register_request(store, clock, received_at=datetime(2027, 9, 1, 9), source="ouder")
    assert future.value.message == "De datum 01-09-2027 ligt in de toekomst."
    with pytest.raises(cw.ValidationError) as ancient:
        cw.register_request(store, clock, received_at=datetime(1926, 9, 1, 9), source="ouder")
    assert "te ver in het verleden" in ancient.value.message
    assert count(store, "request") == 0


def test_answer_request_without_a_case(store: Store, clock: FixedClock) -> None:
    request = cw.register_request(
        store, clock, received_at=datetime(2026, 10, 12, 9), source="medeleerling"
    ).request
    with pytest.raises(cw.ValidationError):
        cw.answer_request(store, clock, request.id, answered_on=date(2026, 10, 11))
    answered = cw.answer_request(store, clock, request.id, answered_on=date(2026, 10, 13))
    assert answered.answered_on == date(2026, 10, 13) and answered.case_id is None
    with pytest.raises(cw.ValidationError) as twice:
        cw.answer_request(store, clock, request.id, answered_on=date(2026, 10, 13))
    assert "al gereageerd" in twice.value.message
    with pytest.raises(cw.NotFoundError):
        cw.answer_request(store, clock, 999, answered_on=date(2026, 10, 13))
    assert cw.list_requests(store, school_year="2026-2027") == [answered]
    assert cw.list_requests(store, school_year="2025-2026") == []


# -- pupils -----------------------------------------------------------------------------------


def test_a_pupil_entered_twice_is_found_and_reused(store: Store, clock: FixedClock) -> None:
    first = cw.open_case(store, clock, intake())
    cw.add_pupil(store, clock, PupilData("Zoe Devries"))
    cw.add_pupil(store, clock, PupilData("Daan Klaverhout", "4H2", 4, "havo"))
    found = cw.find_pupils(store, "zoe de vries")
    assert [p.name for p in found] == ["Zoë de Vries"]
    assert [p.name for p in cw.find_pupils(store, "ZOE")] == ["Zoe Devries", "Zoë de Vries"]
    assert cw.find_pupils(store, "   ") == []
    assert cw.find_pupils(store, "*") == [] and cw.find_pupils(store, "[") == []

    second = cw.open_case(
        store, clock, intake(pupil=None, pupil_id=found[0].id, categories=("thuissituatie",))
    )
    assert second.pupil_id == first.pupil_id
    assert count(store, "pupil") == 3
    assert {c.id for c in cw.list_cases(store, pupil_id=first.pupil_id)} == {first.id, second.id}

    pupil = cw.update_pupil(store, first.pupil_id, PupilData("Zoë de Vries", "3B", 3, "havo"))
    assert pupil.class_name == "3B" and pupil.year_group == 3
    assert cw.get_case(store, first.id).pupil_name == "Zoë de Vries"


def test_pupil_validation(store: Store, clock: FixedClock) -> None:
    with pytest.raises(cw.ValidationError) as blank:
        cw.add_pupil(store, clock, PupilData("  "))
    assert blank.value.message == "Vul de naam van de leerling of een schuilnaam in."
    with pytest.raises(cw.ValidationError) as year:
        cw.add_pupil(store, clock, PupilData("Sem", year_group=9))
    assert year.value.field == "year_group"
    with pytest.raises(cw.ValidationError):
        cw.add_pupil(store, clock, PupilData("Sem", level="mbo"))
    with pytest.raises(cw.NotFoundError):
        cw.update_pupil(store, 42, PupilData("Sem"))
    assert count(store, "pupil") == 0


# -- intake validation and atomicity ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"confidentiality_explained_at": None}, "confidentiality_explained_at", "overgeslagen"),
        ({"categories": ()}, "categories", "Kies minstens één categorie."),
        ({"categories": ("pesten", "iets")}, "categories", "Kies een van de mogelijkheden"),
        ({"taken_up_by": ""}, "taken_up_by", "Kies wie het oppakt."),
        ({"source": None}, "source", "Kies via wie de aanmelding binnenkwam."),
        ({"pupil": None}, "pupil", "Kies een bekende leerling of vul een nieuwe in."),
        ({"pupil_id": 1}, "pupil", "Kies een bekende leerling of vul een nieuwe in."),
        ({"opened_on": date(2026, 12, 1)}, "opened_on", "ligt in de toekomst"),
        ({"consents": {"buren": True}}, "consents", "Kies een van de mogelijkheden"),
        ({"minutes": -5}, "minutes", "minuten"),
    ],
)
def test_intake_validation(
    store: Store, clock: FixedClock, changes: dict[str, object], field: str, text: str
) -> None:
    with pytest.raises(cw.ValidationError) as error:
        cw.open_case(store, clock, intake(**changes))
    assert error.value.field == field
    assert text in error.value.message
    assert count(store, "case_file") == 0 and count(store, "pupil") == 0


def test_intake_is_one_transaction(store: Store, clock: FixedClock) -> None:
    request = cw.register_request(
        store, clock, received_at=datetime(2026, 9, 2, 9), source="ouder"
    ).request
    with pytest.raises(cw.ValidationError) as early:
        cw.open_case(store, clock, intake(request_id=request.id))  # opened before received
    assert early.value.message == "De zaak kan niet beginnen voordat de aanmelding binnenkwam."
    case = cw.open_case(store, clock, intake(request_id=request.id, opened_on=date(2026, 9, 3)))
    before = {t: count(store, t) for t in ("pupil", "case_file", "note", "entry", "case_category")}
    with pytest.raises(cw.ValidationError) as linked:
        cw.open_case(store, clock, intake(request_id=request.id, opened_on=date(2026, 9, 4)))
    assert linked.value.message == f"Deze aanmelding hoort al bij zaak {case.id}."
    with pytest.raises(cw.NotFoundError):
        cw.open_case(store, clock, intake(pupil=None, pupil_id=999))
    after = {t: count(store, t) for t in before}
    assert after == before  # the new pupil of the refused intakes was rolled back


def test_request_note_follows_its_case(store: Store, clock: FixedClock) -> None:
    request = cw.register_request(
        store, clock, received_at=datetime(2026, 8, 31, 9), source="ouder", note="Briefje."
    ).request
    case = cw.open_case(store, clock, intake(request_id=request.id))
    assert store.scalar("SELECT case_id FROM note WHERE body = 'Briefje.'") == case.id


# -- entries ---------------------------------------------------------------------------------


def test_entry_validation(store: Store, clock: FixedClock) -> None:
    case = cw.open_case(store, clock, intake())

    def refused(data: EntryData) -> cw.ValidationError:
        with pytest.raises(cw.ValidationError) as error:
            cw.add_entry(store, clock, case.id, data)
        return error.value

    day = date(2026, 9, 10)
    assert "vóór de opening" in refused(EntryData("conversation", date(2026, 8, 31))).message
    assert "toekomst" in refused(EntryData("conversation", date(2026, 10, 16))).message
    assert refused(EntryData("gossip", day)).field == "kind"
    assert refused(EntryData("consultation", day, with_whom=" ")).field == "with_whom"
    assert refused(EntryData("plan_step", day, text="Stap")).message == "Vul een datum in."
    assert refused(EntryData("plan_step", day, due_on=date(2026, 9, 20))).field == "text"
    early = refused(EntryData("plan_step", day, text="Stap", due_on=date(2026, 9, 9)))
    assert (
        early.message
        == "De uiterste datum kan niet vóór het begin van de stap liggen (10-09-2026)."
    )
    far = refused(EntryData("plan_step", day, text="Stap", due_on=date(2029, 9, 9)))
    assert "te ver in de toekomst" in far.message
    assert refused(EntryData("referral", day)).field == "referral"
    assert refused(EntryData("consent", day, recipient="ouders")).field == "consent"
    assert refused(EntryData("consent", day, consent=True)).field == "recipient"
    assert refused(EntryData("action", day)).field == "action_type"
    assert refused(EntryData("note", day, text="")).field == "text"
    assert refused(EntryData("conversation", day, minutes=2000)).field == "minutes"
    assert refused(EntryData("conversation", day, action_type="iets")).field == "action_type"
    with pytest.raises(cw.NotFoundError):
        cw.add_entry(store, clock, 999, EntryData("note", day, text="x"))
    assert count(store, "entry") == 3  # the intake's conversation and two consents


def test_fields_that_do_not_belong_to_a_kind_are_not_stored(
    store: Store, clock: FixedClock
) -> None:
    case = cw.open_case(store, clock, intake())
    entry = cw.add_entry(
        store,
        clock,
        case.id,
        EntryData(
            "note",
            date(2026, 9, 10),
            text="x",
            minutes=5,
            recipient="ouders",
            due_on=date(2026, 9, 20),
            referral="huisarts",
        ),
    )
    assert (entry.minutes, entry.recipient, entry.due_on, entry.referral) == (None,) * 4


def test_plan_step_done(store: Store, clock: FixedClock) -> None:
    case = cw.open_case(store, clock, intake())
    step = cw.add_plan_step(
        store, clock, case.id, on_date=date(2026, 9, 10), text="Bellen", due_on=date(2026, 9, 17)
    )
    with pytest.raises(cw.ValidationError) as missing:
        cw.mark_step_done(store, clock, step.id, done_on=None)
    assert missing.value.message == "Vul de datum in waarop de stap is gedaan."
    with pytest.raises(cw.ValidationError) as early:
        cw.mark_step_done(store, clock, step.id, done_on=date(2026, 9, 9))
    assert early.value.message == "Een stap kan niet gedaan zijn voordat hij begon (10-09-2026)."
    with pytest.raises(cw.ValidationError):
        cw.mark_step_done(store, clock, step.id, done_on=date(2026, 10, 16))
    talk = cw.add_conversation(store, clock, case.id, on_date=date(2026, 9, 10))
    with pytest.raises(cw.ValidationError):
        cw.mark_step_done(store, clock, talk.id, done_on=date(2026, 9, 11))
    done = cw.mark_step_done(store, clock, step.id, done_on=date(2026, 9, 10))
    assert done.done_on == date(2026, 9, 10)
    with pytest.raises(cw.ValidationError) as twice:
        cw.mark_step_done(store, clock, step.id, done_on=date(2026, 9, 12))
    assert "al als gedaan" in twice.value.message
    # Undoing "done" is a correction; the corrected step can no longer be marked.
    undone = cw.correct_entry(store, clock, step.id, replace(done.data(), done_on=None))
    assert undone.done_on is None
    with pytest.raises(cw.ValidationError):
        cw.mark_step_done(store, clock, step.id, done_on=date(2026, 9, 12))
    assert cw.mark_step_done(store, clock, undone.id, done_on=date(2026, 9, 12)).done_on


def test_closing(store: Store, clock: FixedClock) -> None:
    case = cw.open_case(store, clock, intake())
    first = cw.add_plan_step(
        store, clock, case.id, on_date=date(2026, 9, 10), text="A", due_on=date(2026, 9, 17)
    )
    second = cw.add_plan_step(
        store, clock, case.id, on_date=date(2026, 9, 10), text="B", due_on=date(2026, 9, 18)
    )
    cw.correct_entry(store, clock, second.id, replace(second.data(), due_on=date(2026, 9, 25)))
    with pytest.raises(cw.ValidationError) as early:
        cw.close_case(store, clock, case.id, closed_on=date(2026, 8, 31), reason="opgelost")
    assert early.value.message == (
        "Een zaak kan niet worden afgesloten vóór de dag waarop hij werd geopend (01-09-2026)."
    )
    with pytest.raises(cw.ValidationError) as reason:
        cw.close_case(store, clock, case.id, closed_on=date(2026, 10, 1), reason=None)
    assert reason.value.message == "Kies de reden van afsluiten."
    with pytest.raises(cw.NeedsConfirmation) as confirm:
        cw.close_case(store, clock, case.id, closed_on=date(2026, 10, 1), reason="doorverwezen")
    assert len(confirm.value.items) == 2 and first.id in confirm.value.items
    assert second.id not in confirm.value.items  # superseded: its correction counts instead
    assert confirm.value.message == (
        "Nog openstaande stappen in het plan van aanpak: 2. Wil je de zaak toch afsluiten?"
    )
    closed = cw.close_case(
        store, clock, case.id, closed_on=date(2026, 10, 1), reason="doorverwezen", force=True
    )
    assert closed.closed_on == date(2026, 10, 1) and closed.close_note == ""
    with pytest.raises(cw.ValidationError) as twice:
        cw.close_case(store, clock, case.id, closed_on=date(2026, 10, 2), reason="opgelost")
    assert twice.value.message == "Deze zaak is al afgesloten."


def test_list_cases_filters(store: Store, clock: FixedClock) -> None:
    old = cw.open_case(
        store, clock, intake(opened_on=date(2025, 3, 1), categories=("thuissituatie",))
    )
    cw.close_case(store, clock, old.id, closed_on=date(2025, 6, 1), reason="opgelost")
    new = cw.open_case(store, clock, intake())
    assert [c.id for c in cw.list_cases(store)] == [new.id, old.id]
    assert [c.id for c in cw.list_cases(store, status="open")] == [new.id]
    assert [c.id for c in cw.list_cases(store, status="closed")] == [old.id]
    assert [c.id for c in cw.list_cases(store, category="thuissituatie")] == [old.id]
    assert [c.id for c in cw.list_cases(store, school_year="2024-2025")] == [old.id]
    assert [c.id for c in cw.list_cases(store, school_year="2026-2027")] == [new.id]
    summary = cw.list_cases(store, status="open")[0]
    assert summary.categories == ("pesten", "welbevinden")
    assert summary.last_contact == date(2026, 9, 1) and summary.class_name == "2B"
    with pytest.raises(cw.ValidationError):
        cw.list_cases(store, school_year="2026")


# -- dates and text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-08-2026", date(2026, 8, 24)),
        ("4-8-2026", date(2026, 8, 4)),
        (" 2026-08-24 ", date(2026, 8, 24)),
        ("29-02-2028", date(2028, 2, 29)),
        ("24/8/2026", date(2026, 8, 24)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert cw.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31-02-2026", "De datum 31-02-2026 bestaat niet."),
        ("29-02-2026", "De datum 29-02-2026 bestaat niet."),
        ("2026-13-01", "De datum 2026-13-01 bestaat niet."),
        ("", "Vul een datum in."),
        ("   ", "Vul een datum in."),
        ("1-2-26", "Schrijf het jaar met vier cijfers, bijvoorbeeld 2026."),
        ("morgen", "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 24-08-2026."),
        ("00-00-0000", "De datum 00-00-0000 bestaat niet."),
    ],
)
def test_parse_date_refuses(text: str, message: str) -> None:
    with pytest.raises(cw.ValidationError) as error:
        cw.parse_date(text, "on_date")
    assert error.value.message == message and error.value.field == "on_date"


def test_school_year_helpers() -> None:
    assert cw.school_year_of(date(2026, 7, 31)) == "2025-2026"
    assert cw.school_year_of(date(2026, 8, 1)) == "2026-2027"
    assert cw.school_year_bounds("2025-2026") == (date(2025, 8, 1), date(2026, 7, 31))
    for wrong in ("2025-2027", "25-26", "", "2025"):
        with pytest.raises(cw.ValidationError):
            cw.school_year_bounds(wrong)


def test_note_limit_is_refused_not_truncated(store: Store, clock: FixedClock) -> None:
    case = cw.open_case(store, clock, intake())
    exact = "é" * cw.MAX_NOTE_CHARS
    assert cw.add_note(store, clock, case.id, on_date=date(2026, 9, 2), text=exact).text == exact
    with pytest.raises(cw.ValidationError) as error:
        cw.add_note(store, clock, case.id, on_date=date(2026, 9, 2), text=exact + "x")
    assert error.value.message == (
        "Deze tekst heeft 100.001 tekens; er passen er hoogstens 100.000. "
        "Maak hem korter; er is niets opgeslagen."
    )
    with pytest.raises(cw.ValidationError):
        cw.open_case(store, clock, intake(story=exact + "x"))
    with pytest.raises(cw.ValidationError):
        cw.add_pupil(store, clock, PupilData("x" * (cw.MAX_SHORT_CHARS + 1)))


def test_nul_and_control_characters_round_trip(store: Store, clock: FixedClock) -> None:
    text = "voor\x00na\x01\x1b[31m\r\n\t'; DROP TABLE note; --"
    case = cw.open_case(store, clock, intake(story=text, title="a\x00b"))
    again = cw.get_case(store, case.id)
    assert again.story == text and again.title == "a\x00b"
    with pytest.raises(cw.ValidationError) as error:
        cw.add_note(store, clock, case.id, on_date=date(2026, 9, 2), text="half \ud800 teken")
    assert "niet kan worden opgeslagen" in error.value.message


# -- activities -------------------------------------------------------------------------------


def test_activities_register(store: Store, clock: FixedClock) -> None:
    visit = cw.add_activity(
        store, clock, kind="klassenbezoek", on_date=date(2026, 9, 15), reach=28, text="Les in 1A"
    )
    poster = cw.add_activity(store, clock, kind="poster_flyer", on_date=date(2026, 3, 2))
    assert poster.text == ""
    assert cw.list_activities(store, "2026-2027") == [visit]
    assert cw.list_activities(store, "2025-2026") == [poster]
    assert cw.list_activities(store) == [poster, visit]
    fixed = cw.update_activity(
        store,
        clock,
        visit.id,
        kind="klassenbezoek",
        on_date=date(2026, 9, 16),
        reach=30,
        text="Les in 1B",
    )
    assert (fixed.on_date, fixed.reach, fixed.text) == (date(2026, 9, 16), 30, "Les in 1B")
    emptied = cw.update_activity(
        store, clock, visit.id, kind="training", on_date=date(2026, 9, 16), reach=0, text=""
    )
    assert emptied.text == "" and emptied.kind == "training"
    assert count(store, "note") == 0
    given = cw.update_activity(
        store, clock, poster.id, kind="website", on_date=date(2026, 3, 2), reach=0, text="Tekst"
    )
    assert given.text == "Tekst"
    with pytest.raises(cw.ValidationError) as kind:
        cw.add_activity(store, clock, kind=None, on_date=date(2026, 9, 15))
    assert kind.value.message == "Kies het soort activiteit."
    with pytest.raises(cw.ValidationError) as reach:
        cw.add_activity(store, clock, kind="website", on_date=date(2026, 9, 15), reach=-1)
    assert reach.value.field == "reach"
    cw.delete_activity(store, poster.id)
    assert count(store, "note") == 0 and count(store, "activity") == 1
    with pytest.raises(cw.NotFoundError):
        cw.delete_activity(store, poster.id)
    with pytest.raises(cw.NotFoundError):
        cw.get_activity(store, poster.id)
