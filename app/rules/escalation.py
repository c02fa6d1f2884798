"""Escalation rules: the answers of the escalation check -> the duties that apply, and when.

This module is the public face of the escalation rules (DOMAIN.md, "Escalation rules,
version 2026.2"). It owns:

* **which rule table is current** (``RULES_VERSION``, ``evaluate``, ``questions_to_ask``) and
  **which table a stored decision was made under** (``rules_for_version``): every version that
  was ever shipped stays readable, so a decision reads back with the texts of its own version
  and a 2026.1 answer set is never silently re-evaluated under 2026.2;
* **due moments** (``due_at``): when a duty is due, on the safety or the school calendar.

The tables themselves and their interpreter live in ``app.rules.escalation_table``; there is
no per-duty logic here. Pure: no database, no Qt, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from app.resources import resource_path
from app.rules.calendar import next_working_day
from app.rules.escalation_table import (
    ANSWERS,
    CALENDARS,
    DEADLINES,
    PLACEHOLDERS,
    Answer,
    Calendar,
    Deadline,
    Duty,
    EscalationRuleError,
    Question,
    RuleTable,
    fill_names,
    load_table,
)

__all__ = [
    "ANSWERS",
    "CALENDARS",
    "DEADLINES",
    "DUTY_CODES",
    "END_OF_DAY",
    "LOCAL_ZONE",
    "NOW_WINDOW",
    "PLACEHOLDERS",
    "QUESTIONS",
    "RULES_VERSION",
    "TABLE_FILE",
    "VERSION_FILES",
    "Answer",
    "Calendar",
    "Deadline",
    "Duty",
    "EscalationRuleError",
    "Question",
    "RuleTable",
    "due_at",
    "evaluate",
    "fill_names",
    "load_rules",
    "questions_to_ask",
    "rules_for_version",
]

#: Every rule table ever shipped, by version; the last one is current.
VERSION_FILES: Final[Mapping[str, str]] = {
    "2026.1": "escalation-v1.json",
    "2026.2": "escalation-2026.2.json",
}
TABLE_FILE: Final = VERSION_FILES["2026.2"]

#: "Same day" and "next working day" duties are due at the end of the school day.
END_OF_DAY: Final = time(17, 0)
#: A "same day" duty is never due sooner than this after the check.
SAME_DAY_MARGIN: Final = timedelta(hours=2)
#: An "immediately" duty shows as "nu" (not "te laat") for this long after its due moment.
NOW_WINDOW: Final = timedelta(hours=2)
LOCAL_ZONE: Final = "Europe/Amsterdam"


def load_rules(path: Path | None = None) -> RuleTable:
    """Load and check a rule table (default: the current one). Cached per path."""
    return load_table(path if path is not None else resource_path("rules", TABLE_FILE))


def rules_for_version(version: str) -> RuleTable:
    """The rule table a decision of ``version`` was made under (its questions and texts).

    Raises EscalationRuleError for a version the program does not know."""
    if version not in VERSION_FILES:
        raise EscalationRuleError(
            f"unknown rules version {version!r}; known: {', '.join(VERSION_FILES)}"
        )
    return load_table(resource_path("rules", VERSION_FILES[version]))


_CURRENT: Final = load_rules()
RULES_VERSION: Final[str] = _CURRENT.version
QUESTIONS: Final[tuple[Question, ...]] = _CURRENT.questions
DUTY_CODES: Final[tuple[str, ...]] = _CURRENT.duty_codes
assert list(VERSION_FILES)[-1] == RULES_VERSION, "the current table must be the last version"


def evaluate(
    answers: Mapping[str, str],
    *,
    board_requires_minor: bool = True,
    names: Mapping[str, str] | None = None,
) -> list[Duty]:
    """The duties that apply to ``answers`` (question id -> "yes"/"no"/"doubt") under the
    current rules version, in table order.

    An unanswered question takes its "unanswered" value, a doubt counts as its "doubt" column
    says, and a question the wizard would not ask counts as unanswered.
    ``board_requires_minor``: REPORT_BOARD only with a minor victim (the law now); False
    extends it to adult pupils (the bill "Wet vrij en veilig onderwijs").
    ``names``: the settings' names for the ``{placeholders}`` in the texts (board, complaints
    scheme, committee, appeal rules); empty or missing ones get a neutral wording.
    Raises ``EscalationRuleError`` for an unknown question id or answer.
    """
    return _CURRENT.evaluate(answers, {"board_requires_minor": board_requires_minor}, names)


def questions_to_ask(answers: Mapping[str, str]) -> list[Question]:
    """The questions the wizard asks, given the answers so far: ``acute_danger`` first, the
    others only when they can still change the outcome (the table's "asked after" column).
    Raises ``EscalationRuleError`` for an unknown question id or answer."""
    return _CURRENT.questions_to_ask(answers)


# --- due moments ------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    """A naive local moment: aware ones are converted to Dutch time first."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(LOCAL_ZONE)).replace(tzinfo=None)


def due_at(
    duty: Duty,
    decided_at: datetime,
    *,
    region: str = "zuid",
    extra_closed: Iterable[date] = (),
    school_holidays: bool = True,
) -> datetime:
    """When ``duty``, arising from a check at ``decided_at``, is due (local time).

    * ``immediately``: ``decided_at`` itself (shown as "nu" for two hours, see ``NOW_WINDOW``);
    * ``same_day``: the later of 17:00 that day and ``decided_at`` + 2 hours;
    * ``next_working_day``: 17:00 on the next working day. Duties that protect a pupil (the
      ``safety`` calendar: every duty but a complaint referral) skip only weekends and Dutch
      public holidays (5 May every year) — no school holidays, no study days, so
      ``extra_closed`` and ``school_holidays`` do not apply to them. ``REFER_COMPLAINT`` (the
      ``school`` calendar) also skips the school holidays of ``region`` (unless
      ``school_holidays`` is False, the setting for schools that enter their holidays by hand)
      and the days in ``extra_closed`` (study days).

    A naive ``decided_at`` is local time and the result is naive; an aware one is converted
    to Europe/Amsterdam and the result carries that zone. Seconds below one are dropped.
    Raises ValueError for the deadline ``none`` (CONSENT_ONLY) and
    ``app.rules.calendar.NoSchoolHolidaysError`` (a ValueError) when the school calendar needs
    school holidays the ``holidays`` package does not know.
    """
    zone = ZoneInfo(LOCAL_ZONE) if decided_at.tzinfo is not None else None
    now = _local(decided_at).replace(microsecond=0)
    if duty.deadline == "immediately":
        due = now
    elif duty.deadline == "same_day":
        due = max(datetime.combine(now.date(), END_OF_DAY), now + SAME_DAY_MARGIN)
    elif duty.deadline == "next_working_day":
        if duty.calendar == "school":
            day = next_working_day(now.date(), region, school_holidays, tuple(extra_closed))
        else:
            day = next_working_day(now.date(), region, False, ())
        due = datetime.combine(day, END_OF_DAY)
    else:
        raise ValueError(f"duty {duty.code} with deadline {duty.deadline!r} has no due moment")
    return due if zone is None else due.replace(tzinfo=zone)
