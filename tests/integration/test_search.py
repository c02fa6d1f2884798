"""Search over the encrypted store: diacritics, prefixes, hostile input, names and filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.clock import FixedClock
from app.domain.models import Intake, PupilData
from app.services import casework as cw
from app.services.search import fts_query, search, words_of
from app.store.db import Store


def make_case(
    store: Store,
    clock: FixedClock,
    name: str,
    story: str,
    *,
    opened: date = date(2026, 9, 1),
    categories: tuple[str, ...] = ("pesten",),
) -> int:
    case = cw.open_case(
        store,
        clock,
        Intake(
            opened_on=opened,
            confidentiality_explained_at=datetime.combine(opened, datetime.min.time()),
            categories=categories,
            taken_up_by="vp",
            story=story,
            pupil=PupilData(name),
            source="leerling_zelf",
        ),
    )
    return case.id


@pytest.fixture
def cases(store: Store, clock: FixedClock) -> dict[str, int]:
    ids = {
        "pesten": make_case(store, clock, "Zoë de Vries", "Pésten in de klas, elke dag."),
        "pesterij": make_case(store, clock, "Daan Klaverhout", "Veel pesterij op het plein."),
        "thuis": make_case(
            store,
            clock,
            "Sanne van der Linde",
            "Ouders gaan scheiden.",
            opened=date(2024, 10, 1),
            categories=("thuissituatie",),
        ),
        "arabic": make_case(store, clock, "Yara Haddad", "مرحبا بالعالم en שלום 🙂 emoji"),
    }
    cw.add_conversation(
        store, clock, ids["thuis"], on_date=date(2024, 10, 8), text="Thuis is het onrustig."
    )
    cw.close_case(store, clock, ids["thuis"], closed_on=date(2025, 1, 10), reason="opgelost")
    return ids


def found(store: Store, text: str, **filters: object) -> set[int]:
    return {hit.case_id for hit in search(store, text, **filters)}  # type: ignore[arg-type]


def test_diacritics_are_folded(store: Store, cases: dict[str, int]) -> None:
    assert found(store, "pesten") == {cases["pesten"]}
    assert found(store, "Pésten") == {cases["pesten"]}
    assert found(store, "PESTEN") == {cases["pesten"]}
    assert found(store, "pesterij") == {cases["pesterij"]}
    assert found(store, "pést") == {cases["pesten"], cases["pesterij"]}


def test_prefix_and_all_words(store: Store, cases: dict[str, int]) -> None:
    assert found(store, "pest") == {cases["pesten"], cases["pesterij"]}
    assert found(store, "pest klas") == {cases["pesten"]}
    assert found(store, "scheid ouders") == {cases["thuis"]}
    assert found(store, "onrust") == {cases["thuis"]}  # a conversation note
    assert found(store, "zzz") == set()


def test_other_scripts_and_emoji(store: Store, cases: dict[str, int]) -> None:
    assert found(store, "مرحبا") == {cases["arabic"]}
    assert found(store, "שלום") == {cases["arabic"]}
    assert found(store, "🙂") == set()  # not a word: ignored, and no crash


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "pest*",
        '"pest',
        "OR",
        "pesten OR thuis",
        "NOT pesten",
        "pesten AND",
        "NEAR(pesten klas)",
        "'); DROP TABLE case_file; --",
        "body:pesten",
        "^pesten",
        "(pesten",
        "-pesten",
        "%",
        "_",
        "\\",
        "\x00",
        "a" * 5000,
        "[a-z]*?",
    ],
)
def test_metacharacters_never_break_a_search(
    store: Store, cases: dict[str, int], text: str
) -> None:
    search(store, text)
    search(store, text, status="open", category="pesten", school_year="2026-2027")
    assert store.scalar("SELECT count(*) FROM case_file") == 4


def test_operators_are_plain_words(store: Store, cases: dict[str, int]) -> None:
    assert found(store, "pesten OR thuis") == set()  # "or" and "thuis" must also be present
    assert found(store, "pesten*") == {cases["pesten"]}
    assert found(store, '"klas"') == {cases["pesten"]}


def test_query_building() -> None:
    assert words_of("Pésten, in de_klas!") == ["Pésten", "in", "de", "klas"]
    assert fts_query("pest a") == '"pest"* "a"'
    assert fts_query("'); --") is None
    assert fts_query('he"llo') == '"he"* "llo"*'


def test_pupil_names(store: Store, cases: dict[str, int]) -> None:
    assert found(store, "zoe") == {cases["pesten"]}
    assert found(store, "ZOË DE") == {cases["pesten"]}
    assert found(store, "linde") == {cases["thuis"]}
    assert found(store, "oe") == set()  # a name matches at the start of its words only
    first = search(store, "daan")[0]
    assert first.case_id == cases["pesterij"] and first.pupil_name == "Daan Klaverhout"


def test_hits_carry_a_snippet(store: Store, cases: dict[str, int]) -> None:
    hit = search(store, "pesterij")[0]
    assert hit.snippet == "Veel [pesterij] op het plein."
    assert hit.opened_on == date(2026, 9, 1) and not hit.closed
    closed = search(store, "onrustig")[0]
    assert closed.closed and "[onrustig]" in closed.snippet


def test_filters(store: Store, cases: dict[str, int]) -> None:
    everything = set(cases.values())
    assert found(store, "") == everything
    assert found(store, "", status="open") == everything - {cases["thuis"]}
    assert found(store, "", status="closed") == {cases["thuis"]}
    assert found(store, "", category="thuissituatie") == {cases["thuis"]}
    assert found(store, "", school_year="2024-2025") == {cases["thuis"]}
    assert found(store, "", school_year="2025-2026") == set()
    assert found(store, "", school_year="2026-2027") == everything - {cases["thuis"]}
    assert found(store, "pest", status="closed") == set()
    assert found(store, "pest", category="pesten") == {cases["pesten"], cases["pesterij"]}
    assert found(store, "scheiden", school_year="2024-2025") == {cases["thuis"]}
    assert found(store, "scheiden", school_year="2026-2027") == set()
    assert found(store, "sanne", school_year="2026-2027") == set()
    with pytest.raises(cw.ValidationError):
        search(store, "pest", school_year="volgend jaar")
    filter_only = search(store, "", category="thuissituatie")[0]
    assert filter_only.snippet == "Ouders gaan scheiden."


def test_newest_first_and_limit(store: Store, clock: FixedClock) -> None:
    ids = [
        make_case(
            store,
            clock,
            f"Leerling {n}",
            f"Verhaal nummer {n} over pesten.",
            opened=date(2026, 1, 1 + n),
        )
        for n in range(12)
    ]
    hits = search(store, "pesten", limit=5)
    assert [h.case_id for h in hits] == ids[::-1][:5]
    assert [h.case_id for h in search(store, "", limit=3)] == ids[::-1][:3]
    # A case with several matching notes appears once.
    cw.add_conversation(store, clock, ids[0], on_date=date(2026, 1, 5), text="Weer pesten.")
    result = search(store, "pesten")
    assert len(result) == len({h.case_id for h in result}) == 12
