"""Grouping before suppression (DOMAIN.md "Annual report anonymity"; issue 14).

A report that is mostly "<5" says nothing, so every table of the annual report has a coarser
*group level*. A table is published at group level when more than half of its non-zero cells
would be suppressed at detail level (:func:`needs_group`); the detailed table is then left out
altogether — in the PDF and in the data file — never shown as a wall of "<5".

The groups:

* ``categories`` — the four groups of DOMAIN.md (*Veiligheid en grensoverschrijding*, *Thuis
  en kindermishandeling*, *Welzijn en gezondheid*, *School en overig*). A group counts the
  **distinct cases** with at least one category in it (a case about bullying and violence
  counts once in *Veiligheid*), so a group is not the sum of its categories
  (:data:`ADDITIVE` is false for this table).
* ``months`` — the four school terms: August–October, November–January, February–April,
  May–July (DOMAIN.md names "the four school terms" without dates; these are the whole-month
  quarters of the school year 1 August – 31 July).
* ``referral_sources``, ``year_groups``, ``action_types``, ``duties`` — DOMAIN.md names no
  groups for these; the ones below are this module's choice (issue 14 asks that no table of
  the report is mostly "<5"). Their group count is the sum of the member rows. ``duties``
  has two groups only (a step was required / nothing to report): a school of 1,000 pupils
  has some ten to twenty checks a year, too few for finer groups.

A table that is still mostly "<5" at group level is left out (:func:`needs_group` on the
group counts; the report says so in one sentence, and the data file does not hold it):
four "<5" in a row say nothing either.

Group row ids never equal a detail row id, so a row id alone says which level a cell is.
Pure functions: no database, no Qt, no files.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.i18n import _

LEVEL_DETAIL = "detail"
LEVEL_GROUP = "group"
LEVELS = (LEVEL_DETAIL, LEVEL_GROUP)

_TERM_MONTHS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("periode_1", (8, 9, 10)),
    ("periode_2", (11, 12, 1)),
    ("periode_3", (2, 3, 4)),
    ("periode_4", (5, 6, 7)),
)

#: Group id -> the detail rows it holds, per table (months: see :func:`groups`).
_GROUPS: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "categories": (
        (
            "veiligheid_grensoverschrijding",
            (
                "seksuele_intimidatie",
                "relatie_personeel",
                "agressie_geweld",
                "discriminatie",
                "pesten",
            ),
        ),
        ("thuis_kindermishandeling", ("thuissituatie", "kindermishandeling")),
        ("welzijn_gezondheid", ("welbevinden", "zelfbeschadiging")),
        ("school_overig", ("klacht_school", "onderwijs", "strafbaar_feit", "overig")),
    ),
    "referral_sources": (
        ("via_leerling_zelf", ("leerling_zelf",)),
        ("via_ouder_medeleerling", ("ouder", "medeleerling")),
        (
            "via_school",
            ("mentor_coach", "afdelingsleider", "ondersteuningscoordinator", "docent"),
        ),
        ("via_anders", ("anders",)),
    ),
    "year_groups": (
        ("onderbouw", ("jaar_1_2",)),
        ("midden_bovenbouw", ("jaar_3_4", "jaar_5_6")),
        ("leerjaar_onbekend", ("onbekend",)),
    ),
    "action_types": (
        ("gesprek_advies", ("luisteren_advies", "consultatie_anoniem", "beleidsadvies")),
        (
            "verwezen",
            ("verwijzing_intern", "verwijzing_extern", "klachtverwijzing", "aangifte_begeleid"),
        ),
        ("ouders_directie_geinformeerd", ("ouders_geinformeerd", "directie_geinformeerd")),
        (
            "meldcode_veilig_thuis",
            ("meldcode_gestart", "veilig_thuis_advies", "veilig_thuis_melding"),
        ),
    ),
    "duties": (
        (
            "stap_nodig",
            (
                "ACT_NOW",
                "MELDCODE",
                "VEILIG_THUIS_ADVICE",
                "REFER_CSG",
                "REPORT_BOARD",
                "REPORT_DIRECTOR",
                "INFORM_PARENTS",
                "ADVISE_REPORT_POLICE",
                "REFER_COMPLAINT",
                "CONSULT_EXPERT",
                "CONCERN_OTHER_PUPIL",
            ),
        ),
        ("vertrouwelijk", ("CONSENT_ONLY",)),
    ),
}

#: Tables whose group count is the sum of its rows (categories count distinct cases).
ADDITIVE: Mapping[str, bool] = {
    "categories": False,
    "referral_sources": True,
    "year_groups": True,
    "action_types": True,
    "duties": True,
    "months": True,
}


def has_groups(table: str) -> bool:
    return table == "months" or table in _GROUPS


def groups(table: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(group id, member rows) in display order; months' members are ``MM`` (two digits)."""
    if table == "months":
        return tuple((term, tuple(f"{m:02d}" for m in months)) for term, months in _TERM_MONTHS)
    return _GROUPS.get(table, ())


def term_first_month(school_year: str, term: str) -> str:
    """The first month (``YYYY-MM``) of a term of ``school_year``; ``""`` for an unknown term."""
    for group, months in _TERM_MONTHS:
        if group == term:
            first = int(school_year[:4]) + (months[0] < 8)
            return f"{first}-{months[0]:02d}"
    return ""


def group_ids(table: str) -> tuple[str, ...]:
    return tuple(group for group, _members in groups(table))


def group_of(table: str, row: str) -> str | None:
    """The group of a detail row (a month as ``YYYY-MM``), or ``None`` when it has none."""
    key = row[5:7] if table == "months" else row
    for group, members in groups(table):
        if key in members:
            return group
    return None


def needs_group(counts: Mapping[str, int], threshold: int) -> bool:
    """True when more than half of the non-zero cells of ``counts`` would be suppressed."""
    nonzero = [value for value in counts.values() if value > 0]
    small = [value for value in nonzero if value < threshold]
    return 2 * len(small) > len(nonzero)


def roll_up(table: str, counts: Mapping[str, int]) -> dict[str, int]:
    """Exact group counts of an additive table: the sum of each group's member rows."""
    if not ADDITIVE.get(table, True):
        raise ValueError(f"{table} is not additive; count its groups at the source")
    result = {group: 0 for group in group_ids(table)}
    for row, value in counts.items():
        group = group_of(table, row)
        if group is not None:
            result[group] += value
    return result


def roll_up_ranges(
    table: str, ranges: Mapping[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """What a detail table's (low, high) ranges say about its groups (for a merge).

    Additive tables add lows and highs. For ``categories`` (distinct cases per group) a group
    holds at least as many cases as its largest category and at most the sum of them.
    ``_total`` and rows without a group are left out.
    """
    additive = ADDITIVE.get(table, True)
    result: dict[str, tuple[int, int]] = {}
    for group, _members in groups(table):
        parts = [rng for row, rng in ranges.items() if group_of(table, row) == group]
        lows = [low for low, _high in parts]
        high = sum(high for _low, high in parts)
        low = sum(lows) if additive else max(lows, default=0)
        result[group] = (low, high)
    return result


def group_label(table: str, group: str) -> str:
    """The user's label of a group id (an unknown id shows as itself)."""
    labels = {
        "veiligheid_grensoverschrijding": _("Safety and crossing boundaries"),
        "thuis_kindermishandeling": _("Home and child abuse"),
        "welzijn_gezondheid": _("Well-being and health"),
        "school_overig": _("School and other"),
        "periode_1": _("Term 1 (August–October)"),
        "periode_2": _("Term 2 (November–January)"),
        "periode_3": _("Term 3 (February–April)"),
        "periode_4": _("Term 4 (May–July)"),
        "via_leerling_zelf": _("The pupil themself"),
        "via_ouder_medeleerling": _("A parent or another pupil"),
        "via_school": _("Someone at school (mentor, teacher, team leader, care coordinator)"),
        "via_anders": _("Someone else"),
        "onderbouw": _("Year 1–2"),
        "midden_bovenbouw": _("Year 3–6"),
        "leerjaar_onbekend": _("Year unknown"),
        "gesprek_advies": _("Conversations, advice and anonymous consultation"),
        "verwezen": _("Referred (within or outside school, complaint, police report)"),
        "ouders_directie_geinformeerd": _("Parents or management informed"),
        "meldcode_veilig_thuis": _("Reporting code and Veilig Thuis"),
        "stap_nodig": _(
            "A step was required (report, inform, refer or consult)"
        ),
        "vertrouwelijk": _("Nothing to report: it stayed confidential"),
    }
    del table
    return labels.get(group, group)
