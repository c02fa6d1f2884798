"""Escalation checks, obligations, the close guard and consent overrides on a real store.

Expected duties and deadlines are written from DOMAIN.md's Duties table (rules 2026.2); due
moments from issue 10: immediately -> the time of the check, same day -> the later of 17:00
that day and the check + 2 hours, next working day -> that day at 17:00 (Friday 22 May 2026 ->
Tuesday 26 May 2026: Monday is Tweede Pinksterdag), on the safety calendar for every duty but
REFER_COMPLAINT.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.rules.escalation import RULES_VERSION, evaluate
from app.services import escalation
from app.services.escalation import (
    close_guard,
    complete_obligation,
    consent_overrides,
    dashboard_items,
    decisions,
    due_moment,
    open_obligations,
    overrides_by_recipient,
    record_check,
    require_close_reason,
    require_sharing_basis,
    sharing_basis,
)
from app.store.db import Store, connect
from app.store.schema import MIGRATIONS, SCHEMA_VERSION
from app.store.settings import Settings

TEST_KEY = "TESTK-EYTES-TKEYT-ESTKE-YTEST-KEYTE"
NOW = datetime(2026, 5, 22, 14, 0)  # Friday
TODAY_17 = datetime(2026, 5, 22, 17, 0)
TUESDAY_17 = datetime(2026, 5, 26, 17, 0)
SETTINGS = Settings()

MINOR_SELF_HARM = {"minor": "yes", "self_endangerment": "yes"}
#: One duty only: INFORM_PARENTS (a minor offender: no police advice, no expert).
MINOR_OFFENDER = {"minor": "yes", "criminal_offence": "yes", "pupil_offender": "yes"}


def make_case(store: Store, opened_on: str = "2026-05-01") -> int:
    with store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES ('Sam Test', '2026-05-01T09:00:00')"
        ).lastrowid
        case_id = conn.execute(
            "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, ?)", (pupil, opened_on)
        ).lastrowid
    return int(case_id)


def close_case(store: Store, case_id: int) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE case_file SET closed_on = '2026-05-25', close_reason = 'opgelost' WHERE id = ?",
            (case_id,),
        )


def counts(store: Store) -> dict[str, int]:
    return {
        t: int(store.scalar(f"SELECT count(*) FROM {t}"))
        for t in ("escalation", "obligation", "note", "meldcode_route")
    }


def check(
    store: Store,
    case_id: int,
    answers: dict[str, str],
    *,
    motivations: dict[str, str] | None = None,
    general: str = "",
    now: datetime = NOW,
    settings: Settings = SETTINGS,
) -> escalation.EscalationRecord:
    return record_check(
        store, case_id, answers, motivations or {}, general, now=now, settings=settings
    )


# --- duties -> obligations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "motivations", "expected"),
    [
        ({"acute_danger": "yes"}, {}, {"ACT_NOW": NOW}),
        ({"minor": "yes", "child_abuse": "yes"}, {}, {"MELDCODE": TODAY_17}),
        (
            {"child_abuse": "doubt"},
            {"child_abuse": "Blauwe plekken, uitleg klopt niet."},
            {"VEILIG_THUIS_ADVICE": TODAY_17},
        ),
        (
            {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes"},
            {},
            {"REPORT_BOARD": NOW, "INFORM_PARENTS": TUESDAY_17, "ADVISE_REPORT_POLICE": TUESDAY_17},
        ),
        ({"staff_relationship": "yes"}, {}, {"REPORT_DIRECTOR": TODAY_17}),
        (
            {"minor": "yes", "staff_relationship": "yes"},
            {},
            {"REPORT_BOARD": NOW, "REPORT_DIRECTOR": TODAY_17},
        ),
        (MINOR_SELF_HARM, {}, {"INFORM_PARENTS": TUESDAY_17, "CONSULT_EXPERT": TODAY_17}),
        (
            {**MINOR_SELF_HARM, "acute_danger": "yes"},
            {},
            {"ACT_NOW": NOW, "INFORM_PARENTS": NOW, "CONSULT_EXPERT": TODAY_17},
        ),
        (
            {"minor": "yes", "sexual_offence": "yes", "recent_assault": "yes"},
            {},
            {"REFER_CSG": NOW, "INFORM_PARENTS": TUESDAY_17, "ADVISE_REPORT_POLICE": TUESDAY_17},
        ),
        ({"minor": "no", "criminal_offence": "yes"}, {}, {"ADVISE_REPORT_POLICE": TUESDAY_17}),
        ({"complaint": "yes"}, {}, {"REFER_COMPLAINT": TUESDAY_17}),
    ],
)
def test_each_duty_becomes_an_obligation_with_its_due_moment(
    store: Store,
    answers: dict[str, str],
    motivations: dict[str, str],
    expected: dict[str, datetime],
) -> None:
    case_id = make_case(store)
    record = check(store, case_id, answers, motivations=motivations)
    assert record.duties == tuple(expected)
    assert {o.duty_code: o.due_at for o in record.obligations} == expected
    for o in record.obligations:
        assert o.source == "duty"
        assert o.escalation_id == record.id
        assert o.case_id == case_id
        assert o.title and o.basis and o.instruction
        assert o.created_at == NOW
        assert not o.done
    stored = {o.duty_code: o.due_at for o in escalation.case_obligations(store, case_id)}
    assert stored == expected


def test_overrides_consent_is_taken_from_the_rules(store: Store) -> None:
    case_id = make_case(store)
    record = check(
        store,
        case_id,
        {"minor": "no", "criminal_offence": "yes", "complaint": "yes", "acute_danger": "yes"},
    )
    flags = {o.duty_code: o.overrides_consent for o in record.obligations}
    assert flags == {"ACT_NOW": True, "ADVISE_REPORT_POLICE": False, "REFER_COMPLAINT": False}


def test_same_day_after_five_is_due_two_hours_later(store: Store) -> None:
    case_id = make_case(store)
    late = datetime(2026, 5, 22, 18, 30)
    record = check(
        store,
        case_id,
        {"self_endangerment": "doubt"},
        motivations={"self_endangerment": "Somber."},
        now=late,
    )
    assert [(o.duty_code, o.due_at) for o in record.obligations] == [
        ("CONSULT_EXPERT", datetime(2026, 5, 22, 20, 30))
    ]


def test_due_moment_rules() -> None:
    assert due_moment("immediately", NOW, SETTINGS) == NOW
    assert due_moment("same_day", NOW, SETTINGS) == TODAY_17
    assert due_moment("same_day", datetime(2026, 5, 22, 16, 0), SETTINGS) == datetime(
        2026, 5, 22, 18, 0
    )
    assert due_moment("next_working_day", NOW, SETTINGS) == TUESDAY_17
    friday = datetime(2026, 7, 10, 9, 0)  # the last school day before the summer holiday (zuid)
    # A duty that protects a pupil: the safety calendar ignores the school holiday.
    assert due_moment("next_working_day", friday, SETTINGS) == datetime(2026, 7, 13, 17, 0)
    (advice,) = evaluate({"child_abuse": "doubt", "minor": "yes", "acute_danger": "no"})
    assert due_moment(advice, friday, SETTINGS) == datetime(2026, 7, 10, 17, 0)
    # A complaint referral: the school calendar, so the first school day after the holiday.
    (refer,) = evaluate({"complaint": "yes"})
    assert due_moment(refer, friday, SETTINGS) == datetime(2026, 8, 24, 17, 0)
    no_holidays = Settings(school_holidays=False)
    assert due_moment(refer, friday, no_holidays) == datetime(2026, 7, 13, 17, 0)
    with pytest.raises(ValueError):
        due_moment("none", NOW, SETTINGS)


def test_study_days_are_skipped(store: Store) -> None:
    case_id = make_case(store)
    record = check(
        store, case_id, {"complaint": "yes"}, settings=Settings(study_days=["2026-05-26"])
    )
    assert record.obligations[0].due_at == datetime(2026, 5, 27, 17, 0)


def test_unknown_school_holidays_fall_back_and_say_so(store: Store) -> None:
    case_id = make_case(store, "2031-05-01")
    friday = datetime(2031, 5, 23, 10, 0)
    record = check(store, case_id, {"complaint": "yes"}, now=friday)
    assert record.obligations[0].due_at == datetime(2031, 5, 26, 17, 0)
    assert record.missing_holidays_year == 2031
    assert "2031" in record.warning and "schoolvakanties" in record.warning


def test_many_duties_at_once(store: Store) -> None:
    """A complaint about sexual abuse by a teacher, with acute danger (DOMAIN.md notes)."""
    case_id = make_case(store)
    answers = {
        "minor": "yes",
        "acute_danger": "yes",
        "sexual_offence": "yes",
        "by_staff": "yes",
        "complaint": "yes",
    }
    record = check(store, case_id, answers)
    assert record.duties == (
        "ACT_NOW",
        "REPORT_BOARD",
        "INFORM_PARENTS",
        "ADVISE_REPORT_POLICE",
        "REFER_COMPLAINT",
    )
    assert [(o.duty_code, o.due_at) for o in record.obligations] == [
        ("ACT_NOW", NOW),
        ("REPORT_BOARD", NOW),
        ("INFORM_PARENTS", NOW),
        ("ADVISE_REPORT_POLICE", TUESDAY_17),
        ("REFER_COMPLAINT", TUESDAY_17),
    ]
    assert record.route_ids == ()
    assert len(open_obligations(store, NOW, case_id=case_id)) == 5


def test_meldcode_duties_start_a_route(store: Store) -> None:
    case_id = make_case(store)
    record = check(store, case_id, {"minor": "yes", "child_abuse": "yes"})
    (route_id,) = record.route_ids
    row = store.query("SELECT case_id, kind, started_on, closed_on FROM meldcode_route")[0]
    assert tuple(row) == (case_id, "MELDCODE", "2026-05-22", None)
    assert record.obligations[0].route_id == route_id


def test_board_requires_minor_is_a_setting(store: Store) -> None:
    case_id = make_case(store)
    adult = {"minor": "no", "sexual_offence": "yes", "by_staff": "yes"}
    now_law = check(store, case_id, adult)
    # No minor victim: no board duty, but an expert (the vertrouwensinspecteur) is consulted.
    assert now_law.duties == ("ADVISE_REPORT_POLICE", "CONSULT_EXPERT")
    assert now_law.board_requires_minor is True
    bill = check(store, case_id, adult, settings=Settings(board_requires_minor=False))
    assert bill.duties == ("REPORT_BOARD", "ADVISE_REPORT_POLICE", "CONSULT_EXPERT")
    assert bill.board_requires_minor is False


# --- motivation ---------------------------------------------------------------------------


def test_consent_only_without_motivation_is_refused(store: Store) -> None:
    case_id = make_case(store)
    before = counts(store)
    with pytest.raises(ValidationError) as caught:
        check(store, case_id, {"minor": "yes", "complaint": "no"}, general="   ")
    assert caught.value.field == "general_motivation"
    assert "geen escalatie, omdat" in caught.value.message
    assert counts(store) == before


def test_consent_only_with_motivation_is_stored_without_obligations(store: Store) -> None:
    case_id = make_case(store)
    why = "Geen escalatie, omdat het om een ruzie tussen vriendinnen gaat."
    record = check(store, case_id, {"minor": "yes"}, general=why)
    assert record.duties == ("CONSENT_ONLY",)
    assert not record.escalates
    assert record.obligations == () and record.already_open == ()
    assert record.general_motivation == why
    assert escalation.case_obligations(store, case_id) == []
    assert store.scalar("SELECT count(*) FROM note WHERE body = ?", (why,)) == 1


def test_doubt_without_motivation_is_refused_naming_the_question(store: Store) -> None:
    case_id = make_case(store)
    before = counts(store)
    with pytest.raises(ValidationError) as caught:
        check(
            store,
            case_id,
            {"minor": "yes", "sexual_offence": "doubt", "by_staff": "yes"},
            motivations={"sexual_offence": " \n"},
        )
    assert caught.value.field == "sexual_offence"
    assert "Is er een vermoeden van een seksueel misdrijf: seksuele handelingen" in (
        caught.value.message
    )
    assert "twijfel" in caught.value.message
    assert counts(store) == before


def test_unknown_question_or_answer_is_refused(store: Store) -> None:
    case_id = make_case(store)
    for answers in ({"minor": "maybe"}, {"shoe_size": "yes"}):
        with pytest.raises(ValidationError) as caught:
            check(store, case_id, answers, general="x")
        assert "niets opgeslagen" in caught.value.message
    with pytest.raises(ValidationError):
        check(store, case_id, {"complaint": "yes"}, motivations={"shoe_size": "groot"})
    assert counts(store)["escalation"] == 0


def test_check_on_missing_or_closed_case_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        check(store, 999, {"complaint": "yes"})
    case_id = make_case(store)
    close_case(store, case_id)
    with pytest.raises(ValidationError) as caught:
        check(store, case_id, {"complaint": "yes"})
    assert caught.value.message.startswith("Dit dossier is gesloten")
    assert counts(store)["escalation"] == 0 and counts(store)["note"] == 0


def test_a_failure_halfway_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizard saves in one transaction: nothing half-saved."""
    case_id = make_case(store)
    real = escalation.insert_obligation
    calls: list[str] = []

    def failing(conn: object, **kw: object) -> int:
        calls.append(str(kw["duty_code"]))
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(conn, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(escalation, "insert_obligation", failing)
    with pytest.raises(RuntimeError):
        check(
            store,
            case_id,
            {**MINOR_SELF_HARM, "acute_danger": "yes", "child_abuse": "no"},
            motivations={"acute_danger": "Zegt vanavond iets te gaan doen."},
        )
    assert calls == ["ACT_NOW", "INFORM_PARENTS"]
    assert counts(store) == {"escalation": 0, "obligation": 0, "note": 0, "meldcode_route": 0}


# --- history --------------------------------------------------------------------------------


def test_read_back_answers_motivations_version_and_time(store: Store) -> None:
    case_id = make_case(store)
    answers = {"minor": "yes", "child_abuse": "doubt", "complaint": "no"}
    motivations = {"child_abuse": "Vertelt over harde klappen thuis.", "minor": "14 jaar"}
    made = check(store, case_id, answers, motivations=motivations, general="Advies vragen.")
    (read,) = decisions(store, case_id)
    assert read.id == made.id
    assert read.decided_at == NOW
    assert read.rules_version == RULES_VERSION
    assert dict(read.answers) == answers
    assert dict(read.motivations) == motivations
    assert list(read.motivations) == ["minor", "child_abuse"]  # question order
    assert read.general_motivation == "Advies vragen."
    assert read.duties == ("VEILIG_THUIS_ADVICE",)
    assert [o.id for o in read.obligations] == [o.id for o in made.obligations]
    raw = store.query("SELECT answers, duties FROM escalation")[0]
    assert json.loads(raw[0]) == answers and json.loads(raw[1]) == ["VEILIG_THUIS_ADVICE"]
    # Motivation text lives in note (searchable), not in the escalation row.
    assert "klappen" not in raw[0]
    assert store.scalar("SELECT count(*) FROM note_fts WHERE note_fts MATCH 'klappen'") == 1


def test_a_later_check_adds_and_never_overwrites(store: Store) -> None:
    case_id = make_case(store)
    first = check(store, case_id, MINOR_OFFENDER, motivations={"minor": "15 jaar"})
    later = datetime(2026, 5, 22, 15, 0)
    second = check(store, case_id, {**MINOR_OFFENDER, "complaint": "yes"}, now=later)
    one, two = decisions(store, case_id)
    assert (one.id, two.id) == (first.id, second.id)
    assert dict(one.answers) == MINOR_OFFENDER and dict(one.motivations) == {"minor": "15 jaar"}
    assert one.decided_at == NOW and two.decided_at == later
    # INFORM_PARENTS is still open with the same due moment: not created twice.
    assert two.already_open == ("INFORM_PARENTS",)
    assert [o.duty_code for o in two.obligations] == ["REFER_COMPLAINT"]
    assert [o.duty_code for o in one.obligations] == ["INFORM_PARENTS"]
    # A stricter deadline does add a new obligation.
    third = check(store, case_id, {**MINOR_OFFENDER, "acute_danger": "yes"}, now=later)
    assert [(o.duty_code, o.due_at) for o in third.obligations] == [
        ("ACT_NOW", later),
        ("INFORM_PARENTS", later),
    ]
    assert len(decisions(store, case_id)) == 3


# --- completing -----------------------------------------------------------------------------


def _complete(store: Store, obligation_id: int, **kw: object) -> escalation.Obligation:
    values: dict[str, object] = {
        "done_on": date(2026, 5, 22),
        "informed_whom": "moeder",
        "informed_how": "telefonisch",
        "pupil_told_first": True,
        "note": "Moeder geschrokken, komt maandag langs.",
        "today": date(2026, 5, 22),
    }
    values.update(kw)
    return complete_obligation(store, obligation_id, **values)  # type: ignore[arg-type]


def test_complete_an_obligation(store: Store) -> None:
    case_id = make_case(store)
    (ob,) = check(store, case_id, MINOR_OFFENDER).obligations
    done = _complete(store, ob.id)
    assert done.done and done.done_on == date(2026, 5, 22)
    assert (done.informed_whom, done.informed_how, done.pupil_told_first) == (
        "moeder",
        "telefonisch",
        True,
    )
    assert done.note == "Moeder geschrokken, komt maandag langs."
    assert not done.overdue
    assert open_obligations(store, NOW) == []
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id)
    assert caught.value.message == "Deze verplichting is al afgerond op 22-05-2026."


def test_complete_without_date_is_refused(store: Store) -> None:
    case_id = make_case(store)
    (ob,) = check(store, case_id, MINOR_OFFENDER).obligations
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id, done_on=None)
    assert caught.value.message == "Vul de datum in waarop je dit hebt gedaan."
    assert caught.value.field == "done_on"
    assert not escalation.get_obligation(store, ob.id).done


def test_complete_in_the_future_is_refused(store: Store) -> None:
    case_id = make_case(store)
    (ob,) = check(store, case_id, MINOR_OFFENDER).obligations
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id, done_on=date(2026, 5, 23))
    assert caught.value.field == "done_on"
    assert not escalation.get_obligation(store, ob.id).done


def test_informing_duty_needs_whom_and_how(store: Store) -> None:
    case_id = make_case(store)
    (ob,) = check(store, case_id, MINOR_OFFENDER).obligations
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id, informed_whom=" ")
    assert caught.value.field == "informed_whom"
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id, informed_how="")
    assert caught.value.field == "informed_how"
    assert store.scalar("SELECT count(*) FROM note") == 0
    # A duty that informs no one needs neither.
    (refer,) = check(store, case_id, {"complaint": "yes"}).obligations
    done = _complete(store, refer.id, informed_whom="", informed_how="", note="")
    assert done.done and done.note == ""


def test_complete_on_a_closed_case_is_refused(store: Store) -> None:
    case_id = make_case(store)
    (ob,) = check(store, case_id, MINOR_OFFENDER).obligations
    close_case(store, case_id)
    with pytest.raises(ValidationError) as caught:
        _complete(store, ob.id)
    assert caught.value.message.startswith("Dit dossier is gesloten")
    assert not escalation.get_obligation(store, ob.id).done
    with pytest.raises(NotFoundError):
        _complete(store, 12345)


# --- dashboard and closing ------------------------------------------------------------------


def test_open_obligations_flag_now_and_overdue(store: Store) -> None:
    case_id = make_case(store)
    check(store, case_id, {**MINOR_OFFENDER, "complaint": "yes"})
    check(store, case_id, {"acute_danger": "yes"})
    at_three = datetime(2026, 5, 22, 15, 0)
    listed = open_obligations(store, at_three)
    # ACT_NOW (due 14:00) is "nu" for two hours, not "te laat".
    assert [(o.duty_code, o.status, o.overdue, o.is_now) for o in listed] == [
        ("ACT_NOW", "now", False, True),
        ("INFORM_PARENTS", "open", False, False),
        ("REFER_COMPLAINT", "open", False, False),
    ]
    assert open_obligations(store, datetime(2026, 5, 22, 15, 59))[0].status == "now"
    after_two_hours = open_obligations(store, datetime(2026, 5, 22, 16, 1))
    assert [o.status for o in after_two_hours] == ["overdue", "open", "open"]
    # By date: an obligation due today is not overdue until tomorrow; an immediate one is "now".
    assert [o.status for o in open_obligations(store, date(2026, 5, 22))] == [
        "now",
        "open",
        "open",
    ]
    tuesday_night = datetime(2026, 5, 26, 20, 0)
    assert [o.overdue for o in open_obligations(store, tuesday_night)] == [True, True, True]
    items = dashboard_items(store, at_three)
    assert [(i.kind, i.detail, i.overdue, i.due) for i in items] == [
        ("obligation", "ACT_NOW", False, date(2026, 5, 22)),
        ("obligation", "INFORM_PARENTS", False, date(2026, 5, 26)),
        ("obligation", "REFER_COMPLAINT", False, date(2026, 5, 26)),
    ]
    # A closed case no longer shows on the dashboard; its own list still has them.
    other = make_case(store)
    check(store, other, {"staff_relationship": "yes"})
    close_case(store, other)
    assert all(o.case_id == case_id for o in open_obligations(store, at_three))
    assert [o.duty_code for o in open_obligations(store, at_three, case_id=other)] == [
        "REPORT_DIRECTOR"
    ]


def test_close_guard_requires_a_written_reason(store: Store) -> None:
    case_id = make_case(store)
    assert close_guard(store, case_id) == []
    require_close_reason([], "")  # nothing open: no reason needed
    check(store, case_id, {**MINOR_OFFENDER, "complaint": "yes"})
    pending = close_guard(store, case_id)
    assert [o.duty_code for o in pending] == ["INFORM_PARENTS", "REFER_COMPLAINT"]
    with pytest.raises(ValidationError) as caught:
        require_close_reason(pending, "  ")
    assert "2 openstaande verplichting(en)" in caught.value.message
    require_close_reason(pending, "Leerling is verhuisd; ouders al door mentor ingelicht.")
    _complete(store, pending[0].id)
    _complete(store, pending[1].id, informed_whom="", informed_how="")
    assert close_guard(store, case_id) == []


# --- consent --------------------------------------------------------------------------------


def test_consent_overrides_per_recipient(store: Store) -> None:
    case_id = make_case(store)
    check(
        store,
        case_id,
        {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes", "complaint": "yes"},
    )
    overrides = consent_overrides(store, case_id)
    assert [(c.duty_code, c.recipients) for c in overrides] == [
        ("REPORT_BOARD", ("directie", "bevoegd_gezag")),
        ("INFORM_PARENTS", ("ouders",)),
    ]
    assert overrides[1].basis == "protocol 1d, 3b (beleid van de school)"
    assert "BW" not in overrides[1].basis
    assert overrides_by_recipient(store, case_id) == {
        "directie": ["REPORT_BOARD"],
        "bevoegd_gezag": ["REPORT_BOARD"],
        "ouders": ["INFORM_PARENTS"],
    }
    parents = sharing_basis(store, case_id, "ouders")
    assert parents.allowed and parents.duties == ("INFORM_PARENTS",)


def test_sharing_without_a_duty_needs_consent(store: Store) -> None:
    case_id = make_case(store)
    check(store, case_id, {"minor": "yes"}, general="Geen escalatie, omdat het pesten is.")
    assert not sharing_basis(store, case_id, "mentor_coach").allowed
    with pytest.raises(ValidationError) as caught:
        require_sharing_basis(store, case_id, "mentor_coach")
    assert "toestemming" in caught.value.message
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO entry(case_id, kind, on_date, created_at, recipient, consent) "
            "VALUES (?, 'consent', '2026-05-20', '2026-05-20T10:00:00', 'mentor_coach', 1)",
            (case_id,),
        )
    basis = require_sharing_basis(store, case_id, "mentor_coach")
    assert basis.consent_given is True and basis.duties == ()
    with store.transaction() as conn:  # consent withdrawn later
        conn.execute(
            "INSERT INTO entry(case_id, kind, on_date, created_at, recipient, consent) "
            "VALUES (?, 'consent', '2026-05-21', '2026-05-21T10:00:00', 'mentor_coach', 0)",
            (case_id,),
        )
    assert not sharing_basis(store, case_id, "mentor_coach").allowed


# --- migration ------------------------------------------------------------------------------


def test_a_v2_store_upgrades_to_v3(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = connect(path, TEST_KEY)
    for version, script in enumerate(MIGRATIONS[:2], start=1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.execute("INSERT INTO pupil(name, created_at) VALUES ('Oud', '2026-01-01T09:00:00')")
    conn.execute("INSERT INTO case_file(pupil_id, opened_on) VALUES (1, '2026-01-05')")
    conn.close()

    assert SCHEMA_VERSION >= 3
    store = Store.open(path, TEST_KEY)
    try:
        assert store.schema_version == SCHEMA_VERSION
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"escalation", "obligation", "meldcode_route", "meldcode_step", "afweging"} <= tables
        assert list(tmp_path.glob("old.db.v2-*.bak"))
        record = check(store, 1, {"complaint": "yes"}, now=datetime(2026, 1, 9, 10, 0))
        assert record.obligations[0].due_at == datetime(2026, 1, 12, 17, 0)
        assert store.integrity_problems() == []
    finally:
        store.close()
