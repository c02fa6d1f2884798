"""The fixed lists of DOMAIN.md: ordered tuples of stable ids, with labels for the user.

This module owns the ids the database stores (categories, referral sources, recipients, action
types, external help, levels, who takes a case up, entry kinds, activity kinds, year-group bands,
close reasons) and their labels. Ids are stable Dutch words; labels go through `_()` (English
message ids, Dutch catalogue) and are looked up when asked for, so a change of language shows at
once. `label(list, id)` shows an id the list no longer holds (an old record) as the id itself:
old cases keep their ids when a list changes, and nothing is ever rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from app.i18n import _, language

CATEGORIES: tuple[str, ...] = (
    "pesten",
    "seksuele_intimidatie",
    "discriminatie",
    "agressie_geweld",
    "klacht_school",
    "relatie_personeel",
    "thuissituatie",
    "kindermishandeling",
    "zelfbeschadiging",
    "strafbaar_feit",
    "welbevinden",
    "onderwijs",
    "overig",
)
#: Choosing one of these starts the escalation check (DOMAIN.md, Categories).
ESCALATING_CATEGORIES: tuple[str, ...] = (
    "klacht_school",
    "relatie_personeel",
    "kindermishandeling",
    "zelfbeschadiging",
    "strafbaar_feit",
    "seksuele_intimidatie",
    "agressie_geweld",
    "thuissituatie",
)
REFERRAL_SOURCES: tuple[str, ...] = (
    "leerling_zelf",
    "ouder",
    "medeleerling",
    "mentor_coach",
    "afdelingsleider",
    "ondersteuningscoordinator",
    "docent",
    "anders",
)
RECIPIENTS: tuple[str, ...] = (
    "ouders",
    "mentor_coach",
    "afdelingsleider",
    "vakdocenten",
    "ondersteuningscoordinator",
)
ACTION_TYPES: tuple[str, ...] = (
    "luisteren_advies",
    "verwijzing_intern",
    "verwijzing_extern",
    "consultatie_anoniem",
    "ouders_geinformeerd",
    "directie_geinformeerd",
    "meldcode_gestart",
    "veilig_thuis_advies",
    "veilig_thuis_melding",
    "klachtverwijzing",
    "aangifte_begeleid",
    "beleidsadvies",
)
EXTERNAL_HELP: tuple[str, ...] = (
    "ggd_jeugdarts",
    "schoolmaatschappelijk_werk",
    "huisarts",
    "wijkteam_cjg",
    "veilig_thuis",
    "politie",
    "zelfmoordpreventie_113",
    "kindertelefoon",
    "centrum_seksueel_geweld",
    "vertrouwensinspecteur",
    "klachtencommissie",
    "overig",
)
#: Where a pupil can turn while the school is closed (shown when the answer date is far off).
MEANWHILE_HELP: tuple[str, ...] = (
    "kindertelefoon",
    "zelfmoordpreventie_113",
    "veilig_thuis",
    "centrum_seksueel_geweld",
    "huisarts",
    "politie",
)
#: Phone numbers of the external help that has one nationally (not translated).
EXTERNAL_HELP_PHONES: dict[str, str] = {
    "kindertelefoon": "0800-0432",
    "zelfmoordpreventie_113": "0800-0113",
    "veilig_thuis": "0800-2000",
    "politie": "0900-8844",
    "centrum_seksueel_geweld": "0800-0188",
    "vertrouwensinspecteur": "0900-111 3 111",
}
EMERGENCY_NUMBER = "112"
LEVELS: tuple[str, ...] = (
    "praktijkonderwijs",
    "vmbo_bb",
    "vmbo_kb",
    "vmbo_gt",
    "havo",
    "vwo",
    "gymnasium",
    "isk",
)
TAKEN_UP_BY: tuple[str, ...] = ("vp", "mentor", "extern")
ENTRY_KINDS: tuple[str, ...] = (
    "conversation",
    "consultation",
    "plan_step",
    "referral",
    "consent",
    "action",
    "note",
)
ACTIVITY_KINDS: tuple[str, ...] = (
    "klassenbezoek",
    "poster_flyer",
    "website",
    "beleidsadvies",
    "training",
    "overig",
)
YEAR_GROUP_BANDS: tuple[str, ...] = ("jaar_1_2", "jaar_3_4", "jaar_5_6", "onbekend")
CLOSE_REASONS: tuple[str, ...] = (
    "opgelost",
    "doorverwezen",
    "overgedragen",
    "leerling_stopt",
    "vertrokken",
    "geen_contact",
    "overig",
)


def _categories() -> dict[str, str]:
    return {
        "pesten": _("Bullying (also online)"),
        "seksuele_intimidatie": _("Sexual harassment"),
        "discriminatie": _("Discrimination"),
        "agressie_geweld": _("Aggression and violence"),
        "klacht_school": _("Complaint about the school or a staff member"),
        "relatie_personeel": _("Relationship or sexual behaviour between staff and pupil"),
        "thuissituatie": _("Home situation"),
        "kindermishandeling": _("Suspected domestic violence or child abuse"),
        "zelfbeschadiging": _("Eating problems, self-harm or suicidal thoughts"),
        "strafbaar_feit": _("Criminal offence"),
        "welbevinden": _("Personal or psychosocial wellbeing"),
        "onderwijs": _("School work and education"),
        "overig": _("Other"),
    }


def _sources() -> dict[str, str]:
    return {
        "leerling_zelf": _("The pupil themselves"),
        "ouder": _("A parent or carer"),
        "medeleerling": _("A fellow pupil"),
        "mentor_coach": _("Mentor or coach"),
        "afdelingsleider": _("Head of department"),
        "ondersteuningscoordinator": _("Support coordinator"),
        "docent": _("Teacher"),
        "anders": _("Someone else"),
    }


def _recipients() -> dict[str, str]:
    return {
        "ouders": _("Parents or carers"),
        "mentor_coach": _("Mentor or coach"),
        "afdelingsleider": _("Head of department"),
        "vakdocenten": _("Subject teachers"),
        "ondersteuningscoordinator": _("Support coordinator"),
    }


def _action_types() -> dict[str, str]:
    return {
        "luisteren_advies": _("Listening and advice"),
        "verwijzing_intern": _("Referral within the school"),
        "verwijzing_extern": _("Referral to external help"),
        "consultatie_anoniem": _("Anonymous consultation"),
        "ouders_geinformeerd": _("Parents informed"),
        "directie_geinformeerd": _("Management informed"),
        "meldcode_gestart": _("Reporting code started"),
        "veilig_thuis_advies": _("Advice asked from Veilig Thuis"),
        "veilig_thuis_melding": _("Report made to Veilig Thuis"),
        "klachtverwijzing": _("Referred to the complaints procedure"),
        "aangifte_begeleid": _("Helped to report to the police"),
        "beleidsadvies": _("Policy advice"),
    }


def _external_help() -> dict[str, str]:
    return {
        "ggd_jeugdarts": _("Municipal health service / youth doctor"),
        "schoolmaatschappelijk_werk": _("School social work"),
        "huisarts": _("General practitioner"),
        "wijkteam_cjg": _("Neighbourhood team / youth and family centre"),
        "veilig_thuis": _("Veilig Thuis (domestic violence and child abuse)"),
        "politie": _("Police"),
        "zelfmoordpreventie_113": _("113 Suicide prevention"),
        "kindertelefoon": _("Kindertelefoon (children's helpline)"),
        "centrum_seksueel_geweld": _("Centrum Seksueel Geweld (day and night)"),
        "vertrouwensinspecteur": _(
            "Vertrouwensinspecteur (Inspectie van het Onderwijs)"
        ),
        "klachtencommissie": _("Complaints committee"),
        "overig": _("Other help"),
    }


def _levels() -> dict[str, str]:
    return {
        "praktijkonderwijs": _("Practical education"),
        "vmbo_bb": _("vmbo basic track"),
        "vmbo_kb": _("vmbo middle-management track"),
        "vmbo_gt": _("vmbo combined or theoretical track"),
        "havo": _("havo"),
        "vwo": _("vwo"),
        "gymnasium": _("gymnasium"),
        "isk": _("International transition class"),
    }


def _taken_up_by() -> dict[str, str]:
    return {
        "vp": _("The confidential adviser"),
        "mentor": _("The mentor"),
        "extern": _("External help"),
    }


def _entry_kinds() -> dict[str, str]:
    return {
        "conversation": _("Conversation"),
        "consultation": _("Anonymous consultation"),
        "plan_step": _("Step of the plan of action"),
        "referral": _("Referral"),
        "consent": _("Consent"),
        "action": _("Action"),
        "note": _("Note"),
    }


def _activity_kinds() -> dict[str, str]:
    return {
        "klassenbezoek": _("Class visit"),
        "poster_flyer": _("Poster or flyer"),
        "website": _("Text for the website"),
        "beleidsadvies": _("Policy advice"),
        "training": _("Training"),
        "overig": _("Other activity"),
    }


def _year_group_bands() -> dict[str, str]:
    return {
        "jaar_1_2": _("Years 1 and 2"),
        "jaar_3_4": _("Years 3 and 4"),
        "jaar_5_6": _("Years 5 and 6"),
        "onbekend": _("Year unknown"),
    }


def _close_reasons() -> dict[str, str]:
    return {
        "opgelost": _("Resolved"),
        "doorverwezen": _("Referred to other help"),
        "overgedragen": _("Handed over within the school"),
        "leerling_stopt": _("The pupil ended the contact"),
        "vertrokken": _("The pupil left the school"),
        "geen_contact": _("No contact any more"),
        "overig": _("Other reason"),
    }


_BUILDERS: dict[tuple[str, ...], Callable[[], dict[str, str]]] = {
    CATEGORIES: _categories,
    ESCALATING_CATEGORIES: _categories,
    REFERRAL_SOURCES: _sources,
    RECIPIENTS: _recipients,
    ACTION_TYPES: _action_types,
    EXTERNAL_HELP: _external_help,
    MEANWHILE_HELP: _external_help,
    LEVELS: _levels,
    TAKEN_UP_BY: _taken_up_by,
    ENTRY_KINDS: _entry_kinds,
    ACTIVITY_KINDS: _activity_kinds,
    YEAR_GROUP_BANDS: _year_group_bands,
    CLOSE_REASONS: _close_reasons,
}


@lru_cache(maxsize=64)
def _labels(builder: Callable[[], dict[str, str]], lang: str) -> dict[str, str]:
    del lang  # part of the cache key only
    return builder()


def label(choices: tuple[str, ...], item: str) -> str:
    """The user's label of `item` in `choices`; an unknown (old) id is shown as itself."""
    builder = _BUILDERS.get(choices)
    if builder is None:
        return item
    return _labels(builder, language()).get(item, item)


def options(choices: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, label) pairs in list order, for a choice box."""
    return [(item, label(choices, item)) for item in choices]


def year_group_band(year_group: int | None) -> str:
    """The annual report's band of a year group (leerjaar); `onbekend` when not known."""
    if year_group in (1, 2):
        return "jaar_1_2"
    if year_group in (3, 4):
        return "jaar_3_4"
    if year_group in (5, 6):
        return "jaar_5_6"
    return "onbekend"


def help_line(help_id: str) -> str:
    """One line for the user: the label, the phone number where there is one, and a remark."""
    remarks = {
        "kindertelefoon": _("free and anonymous"),
        "zelfmoordpreventie_113": _("free, day and night"),
        "veilig_thuis": _("free, day and night; advice can be anonymous"),
        "politie": _("in an emergency call {number}").format(number=EMERGENCY_NUMBER),
        "huisarts": _("in the evening and at the weekend: the out-of-hours GP service"),
    }
    parts = [label(EXTERNAL_HELP, help_id)]
    phone = EXTERNAL_HELP_PHONES.get(help_id)
    if phone:
        parts.append(phone)
    remark = remarks.get(help_id)
    if remark:
        parts.append(remark)
    return " — ".join(parts)


def duty_label(code: str) -> str:
    """A short Dutch name for a duty code of DOMAIN.md (an unknown code shows as itself)."""
    labels = {
        "ACT_NOW": _("Act at once (acute danger)"),
        "MELDCODE": _("Reporting code for domestic violence and child abuse"),
        "VEILIG_THUIS_ADVICE": _("Ask Veilig Thuis for advice"),
        "REFER_CSG": _("Refer to the Centrum Seksueel Geweld"),
        "REPORT_BOARD": _("Report to the school board"),
        "REPORT_DIRECTOR": _("Tell the director"),
        "INFORM_PARENTS": _("Inform the parents"),
        "ADVISE_REPORT_POLICE": _("Discuss reporting to the police"),
        "CONSULT_EXPERT": _("Consult an expert"),
        "CONCERN_OTHER_PUPIL": _("Concern about someone else"),
        "REFER_COMPLAINT": _("Refer to the complaints procedure"),
        "CONSENT_ONLY": _("No escalation: share only with consent"),
    }
    return labels.get(code, code)
