"""The meldcode tracker on a real store: the five steps and every afweging outcome.

Expected outcomes follow DOMAIN.md's afwegingskader (doubt counts as yes on questions 1-2
and as no on 3-5, as app/rules/meldcode.py documents).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.rules.meldcode import MELDCODE_VERSION, STEPS
from app.services.escalation import (
    case_obligations,
    close_guard,
    consent_overrides,
    open_obligations,
    record_check,
)
from app.services.meldcode import (
    open_routes,
    parents_unsafe_reasons,
    record_afweging,
    record_forms,
    record_step,
    record_vt_decision,
    route,
    routes_for_case,
)
from app.store.db import Store
from app.store.settings import Settings

NOW = datetime(2026, 5, 22, 14, 0)  # Friday
TODAY = NOW.date()


def make_case(store: Store) -> int:
    with store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES ('Noor Test', '2026-05-01T09:00:00')"
        ).lastrowid
        case_id = conn.execute(
            "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, '2026-05-01')", (pupil,)
        ).lastrowid
    return int(case_id)


def close_case(store: Store, case_id: int) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE case_file SET closed_on = '2026-05-22' WHERE id = ?", (case_id,))


def start_route(store: Store, kind: str = "MELDCODE") -> tuple[int, int]:
    """(case id, route id) after an escalation check that starts a route of `kind`."""
    case_id = make_case(store)
    answers = (
        {"minor": "yes", "child_abuse": "yes"}
        if kind == "MELDCODE"
        else {"minor": "yes", "child_abuse": "doubt"}
    )
    motivations = {} if kind == "MELDCODE" else {"child_abuse": "Signalen, maar onduidelijk."}
    record = record_check(store, case_id, answers, motivations, "", now=NOW, settings=Settings())
    (route_id,) = record.route_ids
    return case_id, route_id


def why(answers: dict[int, str]) -> dict[int, str]:
    return {n: f"Motivering bij vraag {n}." for n in answers}


def afweging(
    store: Store,
    route_id: int,
    answers: dict[int, str],
    *,
    term_until: date | None = None,
    now: datetime = NOW,
    motivations: dict[int, str] | None = None,
) -> str | None:
    result = record_afweging(
        store,
        route_id,
        answers,
        why(answers) if motivations is None else motivations,
        now=now,
        term_until=term_until,
    )
    return result.outcome


# --- steps ----------------------------------------------------------------------------------


def test_route_started_by_the_check(store: Store) -> None:
    case_id, route_id = start_route(store)
    (found,) = routes_for_case(store, case_id)
    assert found.id == route_id and found.kind == "MELDCODE"
    assert found.started_on == TODAY and found.rules_version == MELDCODE_VERSION
    assert found.outcome is None and not found.closed and found.next_step == 1
    assert [r.id for r in open_routes(store)] == [route_id]
    advice_case, advice_route = start_route(store, "VEILIG_THUIS_ADVICE")
    assert route(store, advice_route).kind == "VEILIG_THUIS_ADVICE"
    assert route(store, advice_route).case_id == advice_case


def test_a_later_check_reuses_the_open_route(store: Store) -> None:
    case_id, route_id = start_route(store)
    again = record_check(
        store,
        case_id,
        {"minor": "yes", "child_abuse": "yes"},
        {},
        "",
        now=datetime(2026, 5, 22, 15, 0),
        settings=Settings(),
    )
    assert again.route_ids == ()  # no second route of the same kind
    assert again.already_open == ("MELDCODE",)
    assert [r.id for r in routes_for_case(store, case_id)] == [route_id]


def test_record_the_five_steps(store: Store) -> None:
    _case_id, route_id = start_route(store)
    for step in (1, 3, 2):
        record_step(
            store,
            route_id,
            step,
            date(2026, 5, 20 + step - 1 if step < 3 else 22),
            f"Notitie stap {step}",
            now=NOW,
            consulted=["aandachtsfunctionaris", "letselduiding"] if step == 2 else (),
        )
    found = route(store, route_id)
    assert found.steps[1].consulted == ("aandachtsfunctionaris", "letselduiding")
    assert [(s.step, s.note) for s in found.steps] == [
        (1, "Notitie stap 1"),
        (2, "Notitie stap 2"),
        (3, "Notitie stap 3"),
    ]
    assert found.steps[0].title == STEPS[0].title
    assert found.steps[0].on_date == date(2026, 5, 20)
    assert found.steps[0].recorded_at == NOW
    assert found.next_step == 4
    record_step(store, route_id, 4, TODAY, "", now=NOW)  # a note is optional
    record_step(store, route_id, 5, TODAY, "Besloten: melden.", now=NOW)
    assert route(store, route_id).next_step is None
    assert route(store, route_id).steps[3].note == ""


def test_a_step_is_recorded_once(store: Store) -> None:
    _case_id, route_id = start_route(store)
    record_step(store, route_id, 1, TODAY, "Feiten vastgelegd.", now=NOW)
    with pytest.raises(ValidationError) as caught:
        record_step(store, route_id, 1, TODAY, "Nog een keer.", now=NOW)
    assert caught.value.message == (
        "Stap 1 is al vastgelegd op 22-05-2026. Voeg wat er veranderd is toe als notitie in "
        "de tijdlijn van het dossier."
    )
    assert route(store, route_id).steps[0].note == "Feiten vastgelegd."
    assert store.scalar("SELECT count(*) FROM note WHERE body = 'Nog een keer.'") == 0


def test_bad_step_input_is_refused(store: Store) -> None:
    _case_id, route_id = start_route(store)
    for step in (0, 6, True):
        with pytest.raises(ValidationError) as caught:
            record_step(store, route_id, step, TODAY, "x", now=NOW)
        assert caught.value.field == "step"
    with pytest.raises(ValidationError) as caught:
        record_step(store, route_id, 1, None, "x", now=NOW)
    assert caught.value.message == "Vul de datum in waarop je dit hebt gedaan."
    with pytest.raises(ValidationError) as caught:
        record_step(store, route_id, 1, date(2026, 5, 23), "x", now=NOW)
    assert caught.value.field == "on_date"
    with pytest.raises(NotFoundError):
        record_step(store, 999, 1, TODAY, "x", now=NOW)
    assert route(store, route_id).steps == ()


# --- afweging outcomes ----------------------------------------------------------------------


def test_close_when_there_is_no_suspicion(store: Store) -> None:
    _case_id, route_id = start_route(store)
    assert afweging(store, route_id, {1: "no"}) == "close"
    found = route(store, route_id)
    assert found.closed and found.closed_on == TODAY and found.outcome == "close"
    (walk,) = found.afwegingen
    assert dict(walk.answers) == {1: "no"}
    assert dict(walk.motivations) == {1: "Motivering bij vraag 1."}
    assert walk.rules_version == MELDCODE_VERSION and walk.decided_at == NOW
    assert open_routes(store) == []


@pytest.mark.parametrize(
    "answers",
    [
        {1: "yes", 2: "yes"},
        {1: "doubt", 2: "doubt"},  # doubt on 1 and 2 counts as yes
        {1: "yes", 2: "no", 3: "no"},
        {1: "yes", 2: "no", 3: "doubt"},  # doubt on 3 counts as no
        {1: "yes", 2: "no", 3: "yes", 4: "no"},
        {1: "yes", 2: "no", 3: "yes", 4: "doubt"},
    ],
)
def test_melden_creates_a_melding_obligation(store: Store, answers: dict[int, str]) -> None:
    case_id, route_id = start_route(store)
    assert afweging(store, route_id, answers) == "melden"
    found = route(store, route_id)
    assert not found.closed and found.outcome == "melden"
    (melding,) = [
        o
        for o in case_obligations(store, case_id)
        if o.route_id == route_id and o.source == "meldcode_melding"
    ]
    assert melding.duty_code == "VEILIG_THUIS_MELDING"
    assert melding.due_at == datetime(2026, 5, 22, 17, 0)
    assert melding.overrides_consent and "0800-2000" in melding.instruction
    assert melding.afweging_id == found.afwegingen[0].id
    assert ("VEILIG_THUIS_MELDING", ("veilig_thuis",)) in [
        (c.duty_code, c.recipients) for c in consent_overrides(store, case_id)
    ]


def test_answers_off_the_walk_are_not_kept(store: Store) -> None:
    _case_id, route_id = start_route(store)
    # Question 3 was answered, then question 2 changed to yes: 3 is off the walk.
    answers = {1: "yes", 2: "yes", 3: "yes"}
    assert afweging(store, route_id, answers, motivations={1: "a", 2: "b"}) == "melden"
    (walk,) = route(store, route_id).afwegingen
    assert dict(walk.answers) == {1: "yes", 2: "yes"}
    assert dict(walk.motivations) == {1: "a", 2: "b"}


def test_start_help_then_close_with_monitoring(store: Store) -> None:
    case_id, route_id = start_route(store)
    term = date(2026, 7, 3)
    first = {1: "yes", 2: "no", 3: "yes", 4: "yes"}
    assert afweging(store, route_id, first, term_until=term) == "start_help"
    found = route(store, route_id)
    assert not found.closed and found.outcome == "start_help" and found.term_until == term
    (term_ob,) = [
        o for o in open_obligations(store, NOW, case_id=case_id) if o.source == "meldcode_term"
    ]
    assert term_ob.duty_code == "MELDCODE_TERM"
    assert term_ob.due_at == datetime(2026, 7, 3, 17, 0)
    assert "vraag 5" in term_ob.title
    assert not term_ob.overrides_consent
    assert term_ob.id in [o.id for o in close_guard(store, case_id)]

    # After the term only question 5 is asked; the earlier answers carry over.
    later = datetime(2026, 7, 6, 10, 0)
    result = record_afweging(
        store, route_id, {5: "yes"}, {5: "Het gaat goed thuis."}, now=later, term_until=None
    )
    assert result.outcome == "close_with_monitoring" and result.is_final
    found = route(store, route_id)
    assert found.closed and found.closed_on == date(2026, 7, 6)
    assert found.outcome == "close_with_monitoring"
    one, two = found.afwegingen
    assert dict(one.answers) == first and one.term_until == term
    assert dict(two.answers) == {**first, 5: "yes"}
    assert two.motivations[1] == "Motivering bij vraag 1." and two.motivations[5] == (
        "Het gaat goed thuis."
    )
    # The term obligation was met by recording question 5.
    done = next(o for o in case_obligations(store, case_id) if o.id == term_ob.id)
    assert done.done_on == date(2026, 7, 6)


def test_start_help_then_opnieuw_melden(store: Store) -> None:
    case_id, route_id = start_route(store)
    first = {1: "yes", 2: "no", 3: "yes", 4: "yes"}
    afweging(store, route_id, first, term_until=date(2026, 6, 19))
    later = datetime(2026, 6, 22, 16, 0)
    assert afweging(store, route_id, {5: "doubt"}, now=later) == "opnieuw_melden"
    found = route(store, route_id)
    assert not found.closed and found.outcome == "opnieuw_melden"
    melding = [o for o in case_obligations(store, case_id) if o.duty_code == "VEILIG_THUIS_MELDING"]
    # Same day: the later of 17:00 and two hours after the afweging (issue 10).
    assert [(o.due_at, o.title) for o in melding] == [
        (datetime(2026, 6, 22, 18, 0), "(Opnieuw) melden bij Veilig Thuis")
    ]
    assert found.afwegingen[1].term_until is None


def test_a_changed_answer_needs_a_new_motivation(store: Store) -> None:
    _case_id, route_id = start_route(store)
    afweging(store, route_id, {1: "yes", 2: "no", 3: "yes", 4: "yes"}, term_until=date(2026, 6, 19))
    with pytest.raises(ValidationError) as caught:
        record_afweging(
            store, route_id, {4: "no", 5: "yes"}, {5: "Goed."}, now=NOW, term_until=None
        )
    assert caught.value.field == "motivation_4"
    assert "vraag 4" in caught.value.message
    assert len(route(store, route_id).afwegingen) == 1


def test_afweging_input_errors(store: Store) -> None:
    _case_id, route_id = start_route(store)
    before = store.scalar("SELECT count(*) FROM note")
    with pytest.raises(ValidationError) as caught:  # no motivation
        afweging(store, route_id, {1: "yes", 2: "yes"}, motivations={1: "a", 2: " "})
    assert caught.value.field == "motivation_2"
    assert "Schrijf op waarom je vraag 2" in caught.value.message
    with pytest.raises(ValidationError) as caught:  # the walk is not finished
        afweging(store, route_id, {1: "yes", 2: "no"})
    assert caught.value.message.startswith("Beantwoord eerst vraag 3:")
    with pytest.raises(ValidationError) as caught:  # start_help without a term
        afweging(store, route_id, {1: "yes", 2: "no", 3: "yes", 4: "yes"})
    assert caught.value.field == "term_until"
    for bad_term in (TODAY, date(2026, 5, 1), date(2028, 5, 22)):
        with pytest.raises(ValidationError) as caught:
            afweging(store, route_id, {1: "yes", 2: "no", 3: "yes", 4: "yes"}, term_until=bad_term)
        assert caught.value.field == "term_until"
    with pytest.raises(ValidationError) as caught:  # a term with another outcome
        afweging(store, route_id, {1: "no"}, term_until=date(2026, 6, 1))
    assert caught.value.field == "term_until"
    with pytest.raises(ValidationError) as caught:  # unknown question or answer
        afweging(store, route_id, {7: "yes"})
    assert "niets opgeslagen" in caught.value.message
    with pytest.raises(ValidationError):
        afweging(store, route_id, {1: "misschien"})
    with pytest.raises(ValidationError):
        afweging(store, route_id, {1: "no"}, motivations={1: "x", 9: "y"})
    found = route(store, route_id)
    assert found.afwegingen == () and found.outcome is None and not found.closed
    assert store.scalar("SELECT count(*) FROM note") == before
    assert [o.source for o in case_obligations(store, found.case_id)] == ["duty"]


def test_closed_route_and_closed_case_refuse_changes(store: Store) -> None:
    case_id, route_id = start_route(store)
    afweging(store, route_id, {1: "no"})
    with pytest.raises(ValidationError) as caught:
        record_step(store, route_id, 1, TODAY, "te laat", now=NOW)
    assert "afgesloten op 22-05-2026" in caught.value.message
    with pytest.raises(ValidationError):
        afweging(store, route_id, {1: "yes", 2: "yes"})

    other_case, other_route = start_route(store)
    close_case(store, other_case)
    for attempt in (
        lambda: record_step(store, other_route, 1, TODAY, "x", now=NOW),
        lambda: afweging(store, other_route, {1: "no"}),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.message.startswith("Dit dossier is gesloten")
    assert route(store, other_route).steps == () and route(store, other_route).afwegingen == ()
    assert len(route(store, route_id).afwegingen) == 1
    del case_id


def test_afweging_json_is_keyed_by_question_number(store: Store) -> None:
    _case_id, route_id = start_route(store)
    afweging(store, route_id, {1: "yes", 2: "yes"})
    raw = store.query("SELECT answers, motivations, outcome FROM afweging")[0]
    assert json.loads(raw[0]) == {"1": "yes", "2": "yes"}
    note_ids = json.loads(raw[1])
    assert set(note_ids) == {"1", "2"}
    bodies = {r[0] for r in store.query("SELECT body FROM note")}
    assert "Motivering bij vraag 2." in bodies
    assert raw[2] == "melden"


# --- 2026.2: step 2 and 3, acute melding, after the melding (DOMAIN.md "Meldcode") -------------


def test_step_2_is_held_with_the_aandachtsfunctionaris_or_the_ondersteuningscoordinator(
    store: Store,
) -> None:
    _case_id, route_id = start_route(store)
    for consulted in ((), ["veilig_thuis"], ["letselduiding", "veilig_thuis"]):
        with pytest.raises(ValidationError) as caught:
            record_step(store, route_id, 2, TODAY, "x", now=NOW, consulted=consulted)
        assert "aandachtsfunctionaris of ondersteuningscoördinator" in caught.value.message
        assert caught.value.field == "consulted"
    with pytest.raises(ValidationError):
        record_step(store, route_id, 2, TODAY, "x", now=NOW, consulted=["buurvrouw"])
    with pytest.raises(ValidationError):  # whom you consulted belongs to step 2 only
        record_step(store, route_id, 1, TODAY, "x", now=NOW, consulted=["aandachtsfunctionaris"])
    assert route(store, route_id).steps == ()
    found = record_step(
        store, route_id, 2, TODAY, "", now=NOW,
        consulted=["letselduiding", "ondersteuningscoordinator", "letselduiding"],
    )
    assert found.steps[0].consulted == ("ondersteuningscoordinator", "letselduiding")


def _family_route(store: Store) -> tuple[int, int]:
    case_id = make_case(store)
    answers = {"minor": "yes", "sexual_offence": "yes", "family_perpetrator": "yes"}
    record = record_check(store, case_id, answers, {}, "", now=NOW, settings=Settings())
    assert record.duties == ("MELDCODE",)
    (route_id,) = record.route_ids
    return case_id, route_id


def test_step_3_never_with_the_parents_when_a_parent_may_be_the_perpetrator(
    store: Store,
) -> None:
    _case_id, route_id = _family_route(store)
    assert parents_unsafe_reasons(store, route_id) == [
        "Een ouder of ander gezinslid is mogelijk de pleger."
    ]
    with pytest.raises(ValidationError) as caught:
        record_step(store, route_id, 3, TODAY, "", now=NOW, with_parents=True)
    assert caught.value.field == "with_parents"
    assert "niet met de ouders" in caught.value.message and "0800-2000" in caught.value.message
    found = record_step(store, route_id, 3, TODAY, "Met de leerling.", now=NOW, with_parents=False)
    assert found.steps[0].with_parents is False


@pytest.mark.parametrize("form", ["eergerelateerd_geweld", "meisjesbesnijdenis", "huwelijksdwang"])
def test_step_3_never_with_the_parents_with_honour_violence_mutilation_or_forced_marriage(
    store: Store, form: str
) -> None:
    _case_id, route_id = start_route(store)
    assert parents_unsafe_reasons(store, route_id) == []
    assert record_forms(store, route_id, [form]).forms == (form,)
    (reason,) = parents_unsafe_reasons(store, route_id)
    assert reason.startswith("Het gaat om ")
    with pytest.raises(ValidationError):
        record_step(store, route_id, 3, TODAY, "", now=NOW, with_parents=True)
    record_forms(store, route_id, [])
    assert record_step(store, route_id, 3, TODAY, "", now=NOW, with_parents=True).steps[
        0
    ].with_parents is True
    with pytest.raises(ValidationError):
        record_forms(store, route_id, ["ruzie"])


def test_an_acute_melding_is_due_immediately(store: Store) -> None:
    case_id, route_id = start_route(store)
    result = record_afweging(
        store, route_id, {1: "yes", 2: "yes"}, why({1: "yes", 2: "yes"}), now=NOW,
        term_until=None, acute=True,
    )
    assert result.outcome == "melden"
    (melding,) = [o for o in case_obligations(store, case_id) if o.source == "meldcode_melding"]
    assert (melding.deadline, melding.due_at) == ("immediately", NOW)
    assert "nu bellen" in melding.title and melding.overrides_consent
    assert route(store, route_id).afwegingen[0].acute is True
    # "acute" belongs to a melding only
    _other_case, other = start_route(store)
    with pytest.raises(ValidationError) as caught:
        record_afweging(
            store, other, {1: "no"}, why({1: "no"}), now=NOW, term_until=None, acute=True
        )
    assert caught.value.field == "acute"


def test_after_a_melding_questions_3_to_5_with_veilig_thuis_and_its_decision(
    store: Store,
) -> None:
    case_id, route_id = start_route(store)
    # Not before a melding.
    with pytest.raises(ValidationError) as caught:
        record_afweging(store, route_id, {3: "yes"}, {}, now=NOW, term_until=None,
                        with_veilig_thuis=True)
    assert caught.value.field == "with_veilig_thuis"
    with pytest.raises(ValidationError) as caught:
        record_vt_decision(store, route_id, "onderzoek", TODAY, "", now=NOW)
    assert "melding" in caught.value.message

    assert afweging(store, route_id, {1: "yes", 2: "yes"}) == "melden"
    found = record_vt_decision(
        store, route_id, "school_helpt", TODAY, "VT: school blijft helpen.", now=NOW
    )
    (decision,) = found.vt_decisions
    assert (decision.decision, decision.decided_on, decision.note) == (
        "school_helpt", TODAY, "VT: school blijft helpen."
    )
    assert decision.label.startswith("De school blijft hulp bieden")
    with pytest.raises(ValidationError):
        record_vt_decision(store, route_id, "weet niet", TODAY, "", now=NOW)
    with pytest.raises(ValidationError):
        record_vt_decision(store, route_id, "onderzoek", None, "", now=NOW)

    # Questions 3-5 together with Veilig Thuis: the walk starts at 3.
    later = datetime(2026, 5, 26, 10, 0)
    result = record_afweging(
        store, route_id, {3: "yes", 4: "yes"}, why({3: "yes", 4: "yes"}), now=later,
        term_until=date(2026, 7, 1), with_veilig_thuis=True,
    )
    assert result.outcome == "start_help" and result.path == (3, 4)
    assert "Veilig Thuis" in result.text
    walk = route(store, route_id).afwegingen[-1]
    assert walk.with_veilig_thuis and dict(walk.answers) == {3: "yes", 4: "yes"}
    # The follow-up after the term continues the walk with Veilig Thuis: only question 5.
    end = record_afweging(
        store, route_id, {5: "yes"}, {5: "Gaat goed."}, now=datetime(2026, 7, 2, 10, 0),
        term_until=None, with_veilig_thuis=True,
    )
    assert end.outcome == "close_with_monitoring"
    assert route(store, route_id).closed
    meldingen = [o for o in case_obligations(store, case_id) if o.source == "meldcode_melding"]
    assert len(meldingen) == 1  # only the melding itself


def test_veilig_thuis_takes_over_no_second_melding(store: Store) -> None:
    case_id, route_id = start_route(store)
    assert afweging(store, route_id, {1: "yes", 2: "yes"}) == "melden"
    result = record_afweging(
        store, route_id, {3: "no"}, {3: "School kan de hulp niet bieden."}, now=NOW,
        term_until=None, with_veilig_thuis=True,
    )
    assert result.outcome == "melden" and "Veilig Thuis neemt het over" in result.text
    meldingen = [o for o in case_obligations(store, case_id) if o.source == "meldcode_melding"]
    assert len(meldingen) == 1
