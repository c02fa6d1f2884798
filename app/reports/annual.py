"""The annual report's figures (PRODUCT.md job 6; protocol 6j): counted, then suppressed.

:func:`compute` counts one school year (1 August – 31 July) in SQL, suppresses every table
(:mod:`app.reports.suppression`) and returns one frozen :class:`AnnualFigures` that the PDF
(:mod:`app.reports.pdf`), the data file (:func:`to_data_file`) and the on-screen preview all
render. The raw counts never leave :func:`compute`: the object holds displayed cells only
(an ``int`` that is 0 or at least the threshold, or the marker ``"<5"``), row ids of the fixed
lists, ``YYYY-MM`` months, and the school's name, location and the VP's name from the settings.
No pupil name, class, date finer than a month or free text ever enters it.

What is counted (a school year ``S`` from ``start`` to ``end``; "in the year" = a date from
``start`` up to and including ``end``):

``totals``
    ``requests`` — contact requests received in the year; ``new_cases`` — cases opened in the
    year; ``carried_over`` — cases opened before ``start`` and not closed before ``start``;
    ``conversations`` — conversation entries dated in the year; ``pupils`` — distinct pupils
    with a case active in the year (new or carried over); ``consultations`` — anonymous
    consultation entries dated in the year; ``routes_meldcode`` / ``routes_veilig_thuis_advies``
    — meldcode routes started in the year, by kind (``MELDCODE`` after a suspicion,
    ``VEILIG_THUIS_ADVICE`` after a doubt).
``categories``
    Cases active in the year, per category (a case with two categories counts in both, so
    this table has no total). An id no longer on the list counts as ``overig``.
``referral_sources``
    Requests received in the year, per source (unknown ids as ``anders``); total = requests.
``year_groups``
    Distinct pupils with a case active in the year, per band of ``pupil.year_group``
    (:data:`app.domain.lists.YEAR_GROUP_BANDS`); total = pupils.
``action_types``
    One count per action, from three sources:

    * every entry dated in the year with an ``action_type`` (any kind); an entry without
      one counts when its kind implies one: a ``referral`` by its help
      (:func:`app.services.entries.referral_action`: school social work →
      ``verwijzing_intern``, complaints committee → ``klachtverwijzing``, other help →
      ``verwijzing_extern``) and a ``consultation`` as ``consultatie_anoniem``;
    * every obligation marked done in the year: ``INFORM_PARENTS`` → ``ouders_geinformeerd``;
      ``REPORT_DIRECTOR`` and ``REPORT_BOARD`` → ``directie_geinformeerd``; ``MELDCODE`` →
      ``meldcode_gestart``; ``VEILIG_THUIS_ADVICE`` → ``veilig_thuis_advies``;
      ``VEILIG_THUIS_MELDING`` (the melding of a meldcode route) → ``veilig_thuis_melding``;
      ``REFER_COMPLAINT`` → ``klachtverwijzing``; ``ADVISE_REPORT_POLICE`` →
      ``aangifte_begeleid`` (``ACT_NOW`` and the meldcode term have no action type);

    Action types overlap (one conversation can also be a referral), so there is no total.
``months``
    Conversations per month of the school year (``2025-08`` … ``2026-07``); total =
    conversations.
``duties``
    Obligations that arose from an escalation check in the year, per duty code (a duty still
    open on the case is not created twice, see :mod:`app.services.escalation`);
    ``CONSENT_ONLY`` counts the checks in the year where no duty applied.

``activities`` (not a suppressed table)
    Activities dated in the year (class visits, posters, policy advice, training …, protocol
    4c and 5a), per kind: how many and how many people they reached. They are about the VP's
    own work and name no pupil, so they are shown exactly; they are not part of the data file.
    (Policy advice therefore counts here, not as an action type: the exact count would
    otherwise reveal a "<5" of ``action_types``.)

Grouping (:mod:`app.reports.grouping`): every table but ``totals`` is published at group level
when more than half of its non-zero cells would be suppressed, and a table with a total also
when the detail table would have to hide that total and the groups need not (the total is a
key figure: conversations, requests, pupils); ``levels[table]`` says which.
A table that is still mostly "<5" at group level is left out of ``tables`` (``omitted``).
At group level the detailed table is not published at all. Category groups count distinct
cases (counted in SQL); the other groups are sums of their rows. The level of a year depends
on that year's counts only, so the year before is shown at the level of its own report.

Final or concept: a report of a school year that has not ended on ``today`` is a *concept*
(``concept``); its PDF says so on every page and its data file is refused by a merge.

Corrections: an entry that another entry supersedes does not count; the correcting entry
counts, with its own kind, date and action type.

Suppression and copies of a whole: ``referral_sources``, ``year_groups`` and ``months`` carry
their total as ``_total`` (:data:`app.reports.data_file.WITH_TOTAL`). That whole is also a row
of ``totals`` (:data:`COPIES`). When the suppression rule hides a ``_total`` (showing it would
let a reader work out a suppressed cell), the same whole is left out of ``totals`` too; a row
missing from a table is a hidden cell and the renderings say so. Nothing else published is an
exact sum of other published cells.

A year whose start lies after ``today`` is refused (:class:`ReportError`); a year with nothing
registered gives ``empty=True`` (all tables 0). ``previous`` holds the year before, computed
the same way, or ``None`` when that year has no data at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from app.domain.dates import month_name, school_year_bounds
from app.domain.errors import ValidationError
from app.domain.lists import (
    ACTION_TYPES,
    ACTIVITY_KINDS,
    CATEGORIES,
    ENTRY_KINDS,
    REFERRAL_SOURCES,
    YEAR_GROUP_BANDS,
    duty_label,
    label,
)
from app.i18n import _
from app.reports import grouping
from app.reports.data_file import (
    DUTY_CODES,
    STATUS_CONCEPT,
    STATUS_FINAL,
    TABLES,
    WITH_TOTAL,
    DataFile,
    DataFileError,
    school_months,
)
from app.reports.grouping import LEVEL_DETAIL, LEVEL_GROUP
from app.reports.suppression import TOTAL_ROW, Cell, suppress_table, validate_threshold
from app.services.entries import referral_action
from app.store.db import Store
from app.store.settings import load_settings

TOTALS_ROWS: tuple[str, ...] = (
    "requests",
    "new_cases",
    "carried_over",
    "conversations",
    "pupils",
    "consultations",
    "routes_meldcode",
    "routes_veilig_thuis_advies",
)
#: For a table with a total: the row of ``totals`` that is the same whole.
COPIES: Mapping[str, str] = MappingProxyType(
    {"referral_sources": "requests", "year_groups": "pupils", "months": "conversations"}
)
#: Obligations marked done count as these action types.
DUTY_ACTIONS: Mapping[str, str] = MappingProxyType(
    {
        "INFORM_PARENTS": "ouders_geinformeerd",
        "REPORT_DIRECTOR": "directie_geinformeerd",
        "REPORT_BOARD": "directie_geinformeerd",
        "MELDCODE": "meldcode_gestart",
        "VEILIG_THUIS_ADVICE": "veilig_thuis_advies",
        "VEILIG_THUIS_MELDING": "veilig_thuis_melding",
        "REFER_COMPLAINT": "klachtverwijzing",
        "ADVISE_REPORT_POLICE": "aangifte_begeleid",
    }
)
ROUTE_ROWS: Mapping[str, str] = MappingProxyType(
    {"MELDCODE": "routes_meldcode", "VEILIG_THUIS_ADVICE": "routes_veilig_thuis_advies"}
)


class ReportError(Exception):
    """A report that cannot be made; ``message_nl`` is one sentence for the user (translated)."""

    def __init__(self, message_nl: str) -> None:
        super().__init__(message_nl)
        self.message_nl = message_nl


def row_order(table: str, school_year: str, level: str = LEVEL_DETAIL) -> tuple[str, ...]:
    """The rows of ``table`` at ``level`` in display order (without ``_total``)."""
    if level == LEVEL_GROUP:
        return grouping.group_ids(table)
    if table == "months":
        return school_months(school_year)
    orders: dict[str, tuple[str, ...]] = {
        "totals": TOTALS_ROWS,
        "categories": CATEGORIES,
        "referral_sources": REFERRAL_SOURCES,
        "year_groups": YEAR_GROUP_BANDS,
        "action_types": ACTION_TYPES,
        "duties": DUTY_CODES,
    }
    return orders[table]


@dataclass(frozen=True)
class AnnualFigures:
    """The suppressed figures of one school year: what leaves the program, and nothing else.

    ``tables[table][row]`` is a displayed cell; a row of :func:`row_order` that is missing,
    and a missing ``_total`` of a table in ``WITH_TOTAL``, is hidden (see the module doc).
    ``through_month`` is the last month counted (``YYYY-MM``): the year's July when the year
    is over, the month of ``today`` while it runs (``partial``). ``made_month`` is the month
    the report was made. ``levels[table]`` is ``"detail"`` or ``"group"`` (a table missing
    from it is at detail level); ``activities[kind]`` is (how many, people reached), exact.
    """

    school: str
    location: str
    vp_name: str
    school_year: str
    threshold: int
    tables: Mapping[str, Mapping[str, Cell]]
    previous: AnnualFigures | None
    empty: bool
    partial: bool
    through_month: str
    made_month: str
    levels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    activities: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def concept(self) -> bool:
        """A report of a school year that has not ended: a concept, never final."""
        return self.partial

    def level(self, table: str) -> str:
        return self.levels.get(table, LEVEL_DETAIL)

    def not_yet(self, table: str, row: str) -> bool:
        """A month or term of a running school year that has not begun (printed blank)."""
        if table != "months" or not self.partial or row == TOTAL_ROW:
            return False
        first = row if row[4:5] == "-" else grouping.term_first_month(self.school_year, row)
        return first > self.through_month

    def comparable(self, table: str) -> AnnualFigures | None:
        """The year before, for ``table``, when it was published at the same level.

        A level is decided per year; the year before is never re-grouped, because its own
        report may have shown the detail, and the sums would then reveal its small counts by
        difference. ``None``: no year before, or another level (its column stays blank).
        """
        previous = self.previous
        if previous is None or previous.omitted(table):
            return None
        return previous if previous.level(table) == self.level(table) else None

    def previous_row(self, table: str, row: str) -> str:
        """The row of :meth:`comparable` beside ``row`` (the same month a year earlier)."""
        if table == "months" and self.level(table) == LEVEL_DETAIL and row != TOTAL_ROW:
            assert self.previous is not None
            return self.previous.rows("months")[self.rows("months").index(row)]
        return row

    def omitted(self, table: str) -> bool:
        """True when ``table`` is left out: even its groups were mostly "<5"."""
        return table not in self.tables

    def rows(self, table: str) -> tuple[str, ...]:
        return row_order(table, self.school_year, self.level(table))

    def cell(self, table: str, row: str) -> Cell | None:
        """The displayed cell, or ``None`` when it is hidden."""
        return self.tables.get(table, {}).get(row)

    def hidden(self, table: str) -> list[str]:
        """The rows (and ``_total``) of ``table`` that are left out to protect a small count."""
        if self.omitted(table):
            return []
        shown = self.tables[table]
        missing = [row for row in self.rows(table) if row not in shown]
        if table in WITH_TOTAL and TOTAL_ROW not in shown:
            missing.append(TOTAL_ROW)
        return missing


# --------------------------------------------------------------------------- counting


def _bounds(school_year: str) -> tuple[date, date]:
    try:
        return school_year_bounds(school_year)
    except ValidationError as error:
        raise ReportError(error.message) from None


def _in_year(start: date, end: date) -> dict[str, str | int]:
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "next": (end + timedelta(days=1)).isoformat(),
    }


_BANDS = (
    "CASE WHEN p.year_group IN (1, 2) THEN 'jaar_1_2' WHEN p.year_group IN (3, 4) "
    "THEN 'jaar_3_4' WHEN p.year_group IN (5, 6) THEN 'jaar_5_6' ELSE 'onbekend' END"
)


def _sql_list(ids: tuple[str, ...]) -> str:
    """A constant id list for an SQL ``IN`` (ids of the fixed lists: lowercase words only)."""
    return ",".join(f"'{item}'" for item in ids if item.replace("_", "").isalnum())


def _case_counts(store: Store, p: dict[str, str | int], t: dict[str, Counter[str]]) -> None:
    """New and carried-over cases, distinct pupils per band and cases per category.

    The active cases are gathered once (a materialized CTE) from two index ranges: opened in
    the year, and opened earlier but not closed before the start. For the second, whichever of
    the indexes on ``opened_on`` and ``closed_on`` has fewer rows to walk is used (early years:
    few cases opened before; recent years: few closed since), so the cost follows the year's
    own cases rather than the whole history. The ``+`` in front of a column keeps SQLite from
    using an index for that term.
    """
    before = int(store.scalar("SELECT count(*) FROM case_file WHERE opened_on < :start", p))
    since = int(store.scalar("SELECT count(*) FROM case_file WHERE closed_on >= :start", p))
    if before <= since:
        carried = "opened_on < :start AND (+closed_on IS NULL OR +closed_on >= :start)"
    else:
        carried = "+opened_on < :start AND (closed_on IS NULL OR closed_on >= :start)"
    active = (
        "WITH active(id, pupil_id, new) AS MATERIALIZED ("
        "SELECT id, pupil_id, 1 FROM case_file WHERE opened_on >= :start AND opened_on <= :end "
        f"UNION ALL SELECT id, pupil_id, 0 FROM case_file WHERE {carried}) "
    )
    unknown = False
    for part, key, n in store.query(
        active + "SELECT 'new', new, count(*) FROM active GROUP BY new "
        f"UNION ALL SELECT 'band', {_BANDS}, count(*) FROM pupil p "
        "WHERE p.id IN (SELECT pupil_id FROM active) GROUP BY 2 "
        "UNION ALL SELECT 'category', cc.category, count(*) FROM active a "
        "CROSS JOIN case_category cc ON cc.case_id = a.id GROUP BY 2 "
        f"UNION ALL SELECT 'cgroup', {_category_group_sql()}, count(DISTINCT a.id) "
        "FROM active a CROSS JOIN case_category cc ON cc.case_id = a.id GROUP BY 2",
        p,
    ):
        if part == "new":
            t["totals"]["new_cases" if key else "carried_over"] += int(n)
        elif part == "band":
            t["year_groups"][str(key)] += int(n)
        elif part == "cgroup":
            t[CATEGORY_GROUPS][str(key)] += int(n)
        elif key in CATEGORIES:
            t["categories"][str(key)] += int(n)
        else:
            unknown = True
    if unknown:  # an id no longer on the list counts as "overig", once per case
        t["categories"]["overig"] = int(
            store.scalar(
                active + "SELECT count(DISTINCT cc.case_id) FROM active a CROSS JOIN "
                "case_category cc ON cc.case_id = a.id WHERE cc.category NOT IN "
                f"({_sql_list(CATEGORIES[:-1])})",
                p,
            )
        )
    t["totals"]["pupils"] = sum(t["year_groups"].values())


CATEGORY_GROUPS = "category_groups"
"""The key of the raw counts that holds distinct cases per category group."""
ACTIVITY_COUNTS = "activity_counts"
ACTIVITY_REACH = "activity_reach"


def _category_group_sql() -> str:
    """A CASE expression: the group of ``cc.category`` (an unknown id is "school en overig")."""
    whens = " ".join(
        f"WHEN cc.category IN ({_sql_list(members)}) THEN '{group}'"
        for group, members in grouping.groups("categories")
    )
    return f"CASE {whens} ELSE 'school_overig' END"


def _entry_counts(store: Store, p: dict[str, str | int], t: dict[str, Counter[str]]) -> int:
    """Conversations per month, consultations and action types of the timeline entries.

    Three index-driven queries: entries per kind and day (the covering ``(kind, on_date)``
    index, grouped in index order: no sort, no table rows read), entries with an action type,
    and referrals and consultations without one. Corrected entries are then taken off again:
    there are few, found through the index on ``supersedes``. Returns the number of entries.
    """
    kinds = _sql_list(ENTRY_KINDS)
    in_year = "e.on_date >= :start AND e.on_date <= :end"
    per_kind: Counter[str] = Counter()
    for kind, day, n in store.query(
        f"SELECT e.kind, e.on_date, count(*) FROM entry e WHERE e.kind IN ({kinds}) "
        f"AND {in_year} GROUP BY e.kind, e.on_date",
        p,
    ):
        per_kind[str(kind)] += int(n)
        if kind == "conversation":
            t["months"][str(day)[:7]] += int(n)
    actions = t["action_types"]
    for action, n in store.query(_action_sql(store, p, kinds, sum(per_kind.values())), p):
        if action in ACTION_TYPES:
            actions[str(action)] += int(n)
    for kind, referral, n in store.query(
        "SELECT e.kind, e.referral, count(*) FROM entry e WHERE e.kind IN "
        f"('referral', 'consultation') AND {in_year} AND e.action_type IS NULL GROUP BY 1, 2",
        p,
    ):
        derived = _derived_action(str(kind), referral)
        if derived is not None:
            actions[derived] += int(n)
    for kind, day, action, referral in store.query(
        "SELECT e.kind, e.on_date, e.action_type, e.referral FROM entry s CROSS JOIN entry e "
        f"ON e.id = s.supersedes WHERE s.supersedes IS NOT NULL AND e.kind IN ({kinds}) "
        f"AND {in_year}",
        p,
    ):
        per_kind[str(kind)] -= 1
        if kind == "conversation":
            t["months"][str(day)[:7]] -= 1
        taken = action if action is not None else _derived_action(str(kind), referral)
        if taken in ACTION_TYPES:
            actions[str(taken)] -= 1
    t["totals"]["conversations"] = sum(t["months"].values())
    t["totals"]["consultations"] = per_kind["consultation"]
    return sum(per_kind.values())


def _action_sql(store: Store, p: dict[str, str | int], kinds: str, entries: int) -> str:
    """The query for entries with an action type in the year (needs the table rows).

    Entries are added as they happen, so one year's entries mostly lie in one range of ids:
    reading that range in id order is cheaper than one row lookup per index entry. When the
    range holds more than three times the year's entries (much back-filled data), the
    ``(kind, on_date)`` index is used instead. Sets ``lo`` and ``hi`` in ``p``.
    """
    base = "SELECT e.action_type, count(*) FROM entry e WHERE "
    tail = " AND e.action_type IS NOT NULL GROUP BY 1"
    by_index = f"e.kind IN ({kinds}) AND e.on_date >= :start AND e.on_date <= :end"
    if entries == 0:
        return base + by_index + tail
    lo, hi = store.query(f"SELECT min(e.id), max(e.id) FROM entry e WHERE {by_index}", p)[0]
    if lo is None or int(hi) - int(lo) + 1 > 3 * entries:
        return base + by_index + tail
    p["lo"], p["hi"] = int(lo), int(hi)
    return (
        base + "e.id BETWEEN :lo AND :hi "
        f"AND +e.kind IN ({kinds}) AND +e.on_date >= :start AND +e.on_date <= :end" + tail
    )


def _derived_action(kind: str, referral: object) -> str | None:
    """The action type an entry without one counts as (see the module doc)."""
    if kind == "referral" and isinstance(referral, str) and referral:
        return referral_action(referral)
    if kind == "consultation":
        return "consultatie_anoniem"
    return None


def _raw_counts(store: Store, start: date, end: date) -> tuple[dict[str, Counter[str]], bool]:
    """Exact counts per table for one school year, and whether anything at all was found."""
    p = _in_year(start, end)
    extra = (CATEGORY_GROUPS, ACTIVITY_COUNTS, ACTIVITY_REACH)
    t: dict[str, Counter[str]] = {name: Counter() for name in (*TABLES, *extra)}

    # Requests per source.
    for source, n in store.query(
        f"SELECT CASE WHEN source IN ({_sql_list(REFERRAL_SOURCES)}) THEN source "
        "ELSE 'anders' END, count(*) "
        "FROM request WHERE received_at >= :start AND received_at < :next GROUP BY 1",
        p,
    ):
        t["referral_sources"][str(source)] += int(n)
    t["totals"]["requests"] = sum(t["referral_sources"].values())

    _case_counts(store, p, t)
    entries = _entry_counts(store, p, t)

    # Activities (exact, per kind: how many and how many people reached).
    activities = 0
    for kind, n, reach in store.query(
        "SELECT kind, count(*), coalesce(sum(reach), 0) FROM activity "
        "WHERE on_date >= :start AND on_date <= :end GROUP BY kind",
        p,
    ):
        activities += int(n)
        t[ACTIVITY_COUNTS][str(kind)] += int(n)
        t[ACTIVITY_REACH][str(kind)] += int(reach)

    # Escalation: duties that arose, checks without a duty, obligations done, routes.
    escalations = 0
    for (duties,) in store.query(
        "SELECT duties FROM escalation WHERE decided_at >= :start AND decided_at < :next", p
    ):
        escalations += 1
        try:
            codes = json.loads(duties)
        except ValueError:
            continue
        if codes == ["CONSENT_ONLY"]:
            t["duties"]["CONSENT_ONLY"] += 1
    for code, n in store.query(
        "SELECT duty_code, count(*) FROM obligation WHERE source = 'duty' "
        f"AND duty_code IN ({_sql_list(DUTY_CODES)}) "
        "AND created_at >= :start AND created_at < :next GROUP BY duty_code",
        p,
    ):
        t["duties"][str(code)] += int(n)
    done = 0
    for code, n in store.query(
        "SELECT duty_code, count(*) FROM obligation WHERE done_on >= :start AND done_on <= :end "
        "GROUP BY duty_code",
        p,
    ):
        done += int(n)
        action = DUTY_ACTIONS.get(str(code))
        if action is not None:
            t["action_types"][action] += int(n)
    routes = 0
    for kind, n in store.query(
        "SELECT kind, count(*) FROM meldcode_route WHERE started_on >= :start "
        "AND started_on <= :end GROUP BY kind",
        p,
    ):
        routes += int(n)
        if str(kind) in ROUTE_ROWS:
            t["totals"][ROUTE_ROWS[str(kind)]] += int(n)

    active_cases = t["totals"]["new_cases"] + t["totals"]["carried_over"]
    found = any(
        (t["totals"]["requests"], active_cases, entries, activities, escalations, done, routes)
    )
    return t, found


def _level_counts(
    raw: Mapping[str, Counter[str]], name: str, school_year: str, threshold: int
) -> tuple[str, dict[str, int]] | None:
    """The level of table ``name`` and its exact counts at that level (see the module doc);
    ``None`` when even the groups are mostly small (the table is left out)."""
    counts = {row: int(raw[name].get(row, 0)) for row in row_order(name, school_year)}
    if not grouping.has_groups(name):
        return LEVEL_DETAIL, counts
    if name == "categories":
        grouped = {g: int(raw[CATEGORY_GROUPS].get(g, 0)) for g in grouping.group_ids(name)}
    else:
        grouped = grouping.roll_up(name, counts)
    if not grouping.needs_group(counts, threshold):
        if (
            name in WITH_TOTAL
            and _total_lost(counts, threshold, grouped)
            and not grouping.needs_group(grouped, threshold)
        ):
            return LEVEL_GROUP, grouped
        return LEVEL_DETAIL, counts
    if grouping.needs_group(grouped, threshold):
        return None
    return LEVEL_GROUP, grouped


def _total_lost(counts: Mapping[str, int], threshold: int, grouped: Mapping[str, int]) -> bool:
    """True when the detail table must hide its total and the group table need not.

    The total of ``months``, ``referral_sources`` and ``year_groups`` is a key figure
    (conversations, requests, pupils): a board member misses it more than the finer rows.
    """
    detail = suppress_table(counts, threshold, with_total=True)
    group = suppress_table(grouped, threshold, with_total=True)
    return TOTAL_ROW not in detail and TOTAL_ROW in group


def _suppress(
    raw: Mapping[str, Counter[str]], school_year: str, threshold: int
) -> tuple[dict[str, dict[str, Cell]], dict[str, str]]:
    """Every table at its level, suppressed; a hidden ``_total`` hides its copy in ``totals``."""
    tables: dict[str, dict[str, Cell]] = {}
    levels: dict[str, str] = {}
    for name in TABLES:
        level = _level_counts(raw, name, school_year, threshold)
        if level is None:
            continue
        levels[name], counts = level
        tables[name] = suppress_table(counts, threshold, with_total=name in WITH_TOTAL)
    for name, copy in COPIES.items():
        if name not in tables:
            continue
        shown = tables[name].get(TOTAL_ROW)
        if shown is None:
            del tables["totals"][copy]
        elif shown != tables["totals"][copy]:  # pragma: no cover - the same count, suppressed
            raise AssertionError(f"{name} total differs from totals.{copy}")
    return tables, levels


def _activities(raw: Mapping[str, Counter[str]]) -> Mapping[str, tuple[int, int]]:
    return MappingProxyType(
        {
            kind: (int(raw[ACTIVITY_COUNTS][kind]), int(raw[ACTIVITY_REACH].get(kind, 0)))
            for kind in ACTIVITY_KINDS
            if raw[ACTIVITY_COUNTS].get(kind, 0)
        }
    )


def _frozen(tables: dict[str, dict[str, Cell]]) -> Mapping[str, Mapping[str, Cell]]:
    return MappingProxyType({name: MappingProxyType(rows) for name, rows in tables.items()})


def compute(store: Store, school_year: str, *, threshold: int, today: date) -> AnnualFigures:
    """The suppressed figures of ``school_year`` (``2025-2026``) with the year before beside it.

    Raises :class:`ReportError` for a badly written school year, a threshold below 5 and a
    school year that has not started on ``today``.
    """
    try:
        threshold = validate_threshold(threshold)
    except ValueError:
        raise ReportError(_("The threshold for small numbers must be at least 5.")) from None
    start, end = _bounds(school_year)
    school_year = f"{start.year}-{start.year + 1}"
    if start > today:
        raise ReportError(
            _(
                "The school year {year} has not started yet; a report can only be made for a "
                "school year that has begun."
            ).format(year=school_year)
        )
    settings = load_settings(store)
    raw, found = _raw_counts(store, start, end)
    tables, levels = _suppress(raw, school_year, threshold)
    activities = _activities(raw)
    del raw  # the exact counts end here
    previous: AnnualFigures | None = None
    if start.year - 1 >= 1990:
        prev_year = f"{start.year - 1}-{start.year}"
        prev_start, prev_end = _bounds(prev_year)
        prev_raw, prev_found = _raw_counts(store, prev_start, prev_end)
        if prev_found:
            prev_tables, prev_levels = _suppress(prev_raw, prev_year, threshold)
            previous = AnnualFigures(
                school=settings.school,
                location=settings.location,
                vp_name=settings.vp_name,
                school_year=prev_year,
                threshold=threshold,
                tables=_frozen(prev_tables),
                previous=None,
                empty=False,
                partial=False,
                through_month=f"{prev_end.year}-07",
                made_month=f"{today.year}-{today.month:02d}",
                levels=MappingProxyType(prev_levels),
                activities=_activities(prev_raw),
            )
        del prev_raw
    partial = today < end
    last = today if partial else end
    return AnnualFigures(
        school=settings.school,
        location=settings.location,
        vp_name=settings.vp_name,
        school_year=school_year,
        threshold=threshold,
        tables=_frozen(tables),
        previous=previous,
        empty=not found,
        partial=partial,
        through_month=f"{last.year}-{last.month:02d}",
        made_month=f"{today.year}-{today.month:02d}",
        levels=MappingProxyType(levels),
        activities=activities,
    )


def to_data_file(figures: AnnualFigures) -> DataFile:
    """The school group's data file of these figures (format ``vertrouwd-jaarcijfers`` 2).

    Raises :class:`ReportError` when the settings lack a usable school name.
    """
    if not figures.school.strip():
        raise ReportError(
            _("Fill in the name of the school in the settings first; the data file needs it.")
        )
    location = figures.location.strip() or _("main location")
    try:
        return DataFile(
            school=figures.school.strip(),
            location=location,
            school_year=figures.school_year,
            threshold=figures.threshold,
            tables={name: dict(rows) for name, rows in figures.tables.items()},
            levels={name: figures.level(name) for name in figures.tables},
            status=STATUS_CONCEPT if figures.concept else STATUS_FINAL,
        )
    except DataFileError as error:
        raise ReportError(error.message_nl) from None


# --------------------------------------------------------------------------- labels


def table_title(table: str) -> str:
    """The user's title of a table (shared by the PDF and the preview)."""
    titles = {
        "totals": _("Key figures"),
        "categories": _("Nature of the problems"),
        "referral_sources": _("Requests: who made the contact"),
        "year_groups": _("Pupils per year group"),
        "action_types": _("Type of actions"),
        "months": _("Conversations through the school year"),
        "duties": _("What the checks required"),
        "activities": _("Activities: class visits, policy advice, training"),
    }
    return titles.get(table, table)


def table_explanation(table: str) -> str:
    """One sentence under a table's title: what was counted."""
    texts = {
        "totals": _(
            "Cases count once per school year: new cases were opened this year, the others "
            "continued from an earlier year. Pupils are counted once, however many cases they had."
        ),
        "categories": _(
            "Cases of this school year per kind of problem. A case can concern more than one "
            "problem, so the numbers do not add up to the number of cases."
        ),
        "referral_sources": _("Requests for contact this school year, per person who made it."),
        "year_groups": _("Different pupils with a case this school year, per year group."),
        "action_types": _(
            "What the confidential adviser did this school year. One conversation can lead to "
            "more than one action, so there is no total."
        ),
        "months": _(
            "Conversations with pupils and others involved, per month — or per term of three "
            "months where single months would show small numbers or hide the total."
        ),
        "duties": _(
            "When a conversation raised a possible safety problem, the adviser checked the "
            "rules (protocol 2d, 3b, 5d, 5e). This counts the steps the rules required; the "
            "last row counts the checks after which nothing had to be reported."
        ),
        "activities": _(
            "What the adviser did for all pupils, not for one (protocol 4c, 5a): how often, "
            "and how many people it reached. These are not about pupils, so they are shown "
            "exactly."
        ),
    }
    return texts.get(table, "")


def month_label(month_id: str, *, with_year: bool = True) -> str:
    """``2025-08`` as "augustus 2025" (or "augustus")."""
    name = month_name(int(month_id[5:7]))
    return f"{name} {month_id[:4]}" if with_year else name


def _totals_labels() -> dict[str, str]:
    return {
        "requests": _("Requests for contact"),
        "new_cases": _("New cases"),
        "carried_over": _("Cases continued from an earlier year"),
        "conversations": _("Conversations"),
        "pupils": _("Different pupils"),
        "consultations": _("Anonymous consultations of experts"),
        "routes_meldcode": _("Reporting-code routes started (suspicion of abuse)"),
        "routes_veilig_thuis_advies": _("Routes with advice from Veilig Thuis (in doubt)"),
    }


def row_label(table: str, row: str, *, with_year: bool = True) -> str:
    """The user's label of a row id (fixed lists through :func:`app.domain.lists.label`)."""
    if row == TOTAL_ROW:
        return _("Total")
    if row in grouping.group_ids(table):
        return grouping.group_label(table, row)
    if table == "totals":
        return _totals_labels().get(row, row)
    if table == "categories":
        return label(CATEGORIES, row)
    if table == "referral_sources":
        return label(REFERRAL_SOURCES, row)
    if table == "year_groups":
        return label(YEAR_GROUP_BANDS, row)
    if table == "action_types":
        return label(ACTION_TYPES, row)
    if table == "duties":
        return report_duty_label(row)
    if table == "months":
        return month_label(row, with_year=with_year)
    return row


def report_duty_label(code: str) -> str:
    """A duty as the board reads it: what was done, in plain Dutch."""
    labels = {
        "ACT_NOW": _("Acted at once because of acute danger"),
        "MELDCODE": _("Reporting code started"),
        "VEILIG_THUIS_ADVICE": _("Veilig Thuis asked for advice"),
        "REFER_CSG": _("Referred to the Centrum Seksueel Geweld"),
        "REPORT_BOARD": _("School board informed about a possible sexual offence"),
        "REPORT_DIRECTOR": _("Director informed about a relationship between staff and a pupil"),
        "INFORM_PARENTS": _("Parents informed, also without the pupil's consent"),
        "ADVISE_REPORT_POLICE": _("Reporting to the police discussed with the pupil"),
        "REFER_COMPLAINT": _("Referred to the complaints procedure"),
        "CONSULT_EXPERT": _("An expert consulted"),
        "CONCERN_OTHER_PUPIL": _("Concern about another pupil taken up"),
        "CONSENT_ONLY": _("Nothing to report: it stayed confidential"),
    }
    return labels.get(code) or duty_label(code)


def show(cell: Cell | None) -> str:
    """A displayed cell as text; a hidden one as an em dash."""
    return "—" if cell is None else str(cell)
