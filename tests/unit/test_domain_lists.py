"""The fixed lists of DOMAIN.md: ids, labels in both languages, old ids, bands, help lines."""

from __future__ import annotations

import pytest

from app.domain import lists
from app.i18n import set_language

ALL_LISTS = (
    lists.CATEGORIES,
    lists.ESCALATING_CATEGORIES,
    lists.REFERRAL_SOURCES,
    lists.RECIPIENTS,
    lists.ACTION_TYPES,
    lists.EXTERNAL_HELP,
    lists.MEANWHILE_HELP,
    lists.LEVELS,
    lists.TAKEN_UP_BY,
    lists.ENTRY_KINDS,
    lists.ACTIVITY_KINDS,
    lists.YEAR_GROUP_BANDS,
    lists.CLOSE_REASONS,
)


def test_ids_of_domain_md() -> None:
    assert len(lists.CATEGORIES) == 13
    assert set(lists.ESCALATING_CATEGORIES) == {
        "klacht_school",
        "relatie_personeel",
        "kindermishandeling",
        "zelfbeschadiging",
        "strafbaar_feit",
        "seksuele_intimidatie",
        "agressie_geweld",
        "thuissituatie",
    }
    assert set(lists.ESCALATING_CATEGORIES) <= set(lists.CATEGORIES)
    assert set(lists.MEANWHILE_HELP) <= set(lists.EXTERNAL_HELP)
    assert lists.REFERRAL_SOURCES[0] == "leerling_zelf" and lists.REFERRAL_SOURCES[-1] == "anders"
    assert lists.TAKEN_UP_BY == ("vp", "mentor", "extern")
    for choices in ALL_LISTS:
        assert len(set(choices)) == len(choices)
        assert all(item == item.strip() and item.isascii() for item in choices)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_id_has_its_own_label(language: str) -> None:
    try:
        set_language(language)
        for choices in ALL_LISTS:
            shown = [label for _id, label in lists.options(choices)]
            assert all(shown), choices
            assert len(set(shown)) == len(shown), choices
    finally:
        set_language("nl")


def test_dutch_labels() -> None:
    assert lists.label(lists.CATEGORIES, "pesten") == "Pesten (ook online)"
    assert lists.label(lists.REFERRAL_SOURCES, "mentor_coach") == "Mentor of coach"
    assert lists.label(lists.ESCALATING_CATEGORIES, "strafbaar_feit") == "Strafbaar feit"
    assert lists.label(lists.ENTRY_KINDS, "plan_step") == "Stap in het plan van aanpak"
    try:
        set_language("en")
        assert lists.label(lists.CATEGORIES, "pesten") == "Bullying (also online)"
    finally:
        set_language("nl")


def test_an_old_id_is_shown_as_itself() -> None:
    assert lists.label(lists.CATEGORIES, "cyberpesten_oud") == "cyberpesten_oud"
    assert lists.label((), "whatever") == "whatever"


def test_year_group_bands() -> None:
    assert [lists.year_group_band(y) for y in (1, 2, 3, 4, 5, 6, 7, None, 0)] == [
        "jaar_1_2",
        "jaar_1_2",
        "jaar_3_4",
        "jaar_3_4",
        "jaar_5_6",
        "jaar_5_6",
        "onbekend",
        "onbekend",
        "onbekend",
    ]


def test_help_lines_carry_the_numbers() -> None:
    assert "0800-0432" in lists.help_line("kindertelefoon")
    assert "0800-0113" in lists.help_line("zelfmoordpreventie_113")
    assert "0800-2000" in lists.help_line("veilig_thuis")
    police = lists.help_line("politie")
    assert "0900-8844" in police and "112" in police
    assert "huisartsenpost" in lists.help_line("huisarts")
    assert lists.help_line("wijkteam_cjg") == "Wijkteam / CJG"
