"""Completing REPORT_BOARD on a real store: which board member, when and how (issue 10).

By law the school board itself must be told (DOMAIN.md, REPORT_BOARD): "de directeur" alone
does not complete the duty, an empty board-member field does not either, and a completion
dated before the check, or a second completion, is refused with a Dutch sentence while the
obligation stays exactly as it was.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.domain.errors import ValidationError
from app.services import escalation
from app.services.board_report import board_how, board_member, director_note, parse_time
from app.services.escalation import complete_obligation, get_obligation, record_check
from app.store.db import Store
from app.store.settings import Settings

NOW = datetime(2026, 5, 22, 14, 0)  # Friday
TODAY = NOW.date()
# A teacher suspected of a sexual offence against a 15-year-old pupil.
STAFF_ABUSE = {"minor": "yes", "sexual_offence": "yes", "by_staff": "yes"}


def _board_obligation(store: Store) -> int:
    with store.transaction() as conn:
        pupil = conn.execute(
            "INSERT INTO pupil(name, created_at) VALUES ('Lot Test', '2026-05-01T09:00:00')"
        ).lastrowid
        case_id = int(
            conn.execute(
                "INSERT INTO case_file(pupil_id, opened_on) VALUES (?, '2026-05-01')", (pupil,)
            ).lastrowid
        )
    record = record_check(store, case_id, STAFF_ABUSE, {}, "", now=NOW, settings=Settings())
    (board,) = [o for o in record.obligations if o.duty_code == "REPORT_BOARD"]
    return board.id


def _complete(store: Store, obligation_id: int, **kw: object) -> escalation.Obligation:
    values: dict[str, object] = {
        "done_on": TODAY,
        "informed_whom": board_member("A. Verbeek", "voorzitter college van bestuur"),
        "informed_how": board_how("telefonisch", time(14, 20)),
        "pupil_told_first": True,
        "note": "",
        "today": TODAY,
    }
    values.update(kw)
    return complete_obligation(store, obligation_id, **values)  # type: ignore[arg-type]


def _unchanged(store: Store, obligation_id: int) -> None:
    stored = get_obligation(store, obligation_id, NOW)
    assert not stored.done
    assert (stored.informed_whom, stored.informed_how, stored.note) == ("", "", "")
    assert store.scalar("SELECT count(*) FROM note") == 0


def test_the_board_member_time_and_way_are_recorded(store: Store) -> None:
    oid = _board_obligation(store)
    done = _complete(store, oid, note=director_note())
    assert done.done_on == TODAY
    assert done.informed_whom == "A. Verbeek (voorzitter college van bestuur)"
    assert done.informed_how == "telefonisch, om 14:20"
    assert done.note.startswith("De directeur is mogelijk zelf betrokken")
    # read back from the store, not from the returned value
    again = escalation.case_obligations(store, done.case_id)
    assert [(o.duty_code, o.informed_whom) for o in again if o.done] == [
        ("REPORT_BOARD", "A. Verbeek (voorzitter college van bestuur)")
    ]


@pytest.mark.parametrize(
    "whom",
    ["de directeur", "Directeur", "rector J. Smit", "schoolleiding",
     "P. Jansen (directeur, die het bestuur inlicht)"],
)
def test_the_director_alone_does_not_complete_it(store: Store, whom: str) -> None:
    oid = _board_obligation(store)
    with pytest.raises(ValidationError) as caught:
        _complete(store, oid, informed_whom=whom)
    assert caught.value.message.startswith("Alleen de directeur inlichten is niet genoeg")
    assert "het schoolbestuur zelf" in caught.value.message
    _unchanged(store, oid)


def test_a_one_person_board_is_a_board_member(store: Store) -> None:
    oid = _board_obligation(store)
    done = _complete(store, oid, informed_whom=board_member("K. Smits", "directeur-bestuurder"))
    assert done.informed_whom == "K. Smits (directeur-bestuurder)"


def test_an_empty_board_member_does_not_complete_it(store: Store) -> None:
    oid = _board_obligation(store)
    with pytest.raises(ValidationError) as caught:
        _complete(store, oid, informed_whom="  ")
    assert caught.value.message == (
        "Vul in welk lid van het schoolbestuur je hebt ingelicht (naam en rol). "
        "Zonder dat is deze plicht niet afgerond."
    )
    _unchanged(store, oid)


def test_board_member_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        board_member("", "")
    assert caught.value.field == "board_member_name"
    with pytest.raises(ValidationError) as caught:
        board_member("A. Verbeek", "")
    assert caught.value.field == "board_member_role"
    assert "A. Verbeek" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        board_member("", "lid college van bestuur")
    assert caught.value.field == "board_member_name"
    with pytest.raises(ValidationError) as caught:
        board_member("de directeur", "")
    assert caught.value.message.startswith("Alleen de directeur inlichten")
    with pytest.raises(ValidationError) as caught:
        board_member("A. Verbeek", "mentor")
    assert "rol" in caught.value.message and caught.value.field == "board_member_role"
    with pytest.raises(ValidationError):
        board_member("A. Verbeek", "lid raad van toezicht")  # supervises, is not the board
    assert board_member(" A. Verbeek ", " lid CvB ") == "A. Verbeek (lid CvB)"


def test_time_of_day() -> None:
    assert parse_time("9.05") == time(9, 5)
    assert parse_time(" ") is None
    for bad in ("25:00", "14", "kwart over twee"):
        with pytest.raises(ValidationError) as caught:
            parse_time(bad)
        assert caught.value.message == "Schrijf de tijd als uren en minuten, bijvoorbeeld 14:20."
    assert board_how("telefonisch", None) == "telefonisch"


def test_a_date_before_the_check_is_refused(store: Store) -> None:
    oid = _board_obligation(store)
    with pytest.raises(ValidationError) as caught:
        _complete(store, oid, done_on=date(2026, 5, 21))
    assert caught.value.message == (
        "Deze plicht komt uit de meldplichtcheck van 22-05-2026; hij kan niet eerder gedaan "
        "zijn. Vul de datum in waarop je het echt deed."
    )
    assert caught.value.field == "done_on"
    _unchanged(store, oid)


def test_completing_twice_is_refused_and_keeps_the_first(store: Store) -> None:
    oid = _board_obligation(store)
    _complete(store, oid)
    with pytest.raises(ValidationError) as caught:
        _complete(store, oid, informed_whom=board_member("M. Claassen", "lid college van bestuur"))
    assert caught.value.message == "Deze verplichting is al afgerond op 22-05-2026."
    kept = get_obligation(store, oid, NOW)
    assert kept.informed_whom == "A. Verbeek (voorzitter college van bestuur)"
