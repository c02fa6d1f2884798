"""Completing REPORT_BOARD: which board member was informed, when and how.

The law asks that the school board itself (*bevoegd gezag*) is told at once of a possible
sexual offence by someone working at or for the school against a (minor) pupil; telling the
director or another go-between is not enough (DOMAIN.md, duty ``REPORT_BOARD``). This module
owns the checks of that completion, apart from the generic ones of
``app.services.escalation.complete_obligation``:

* ``board_member`` — the name and the role on the board are both required; a role (or name)
  that only points to the school's management ("de directeur", "rector", "schoolleiding") is
  refused with a Dutch sentence that says why; a role must name the board ("bestuurder", "lid
  college van bestuur", "directeur-bestuurder", ...). Returns the text stored as "whom".
* ``check_board_whom`` — the same rule on an already combined "whom" text; the generic
  completion calls it for ``REPORT_BOARD`` so no other path can complete it with "de directeur".
* ``board_how`` — "how" with the time of day, when given ("telefonisch, om 14:20").
* ``director_note`` — the line added to the note when the director may be involved.

Pure apart from the translation catalogue: no database, no Qt.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Final

from app.domain.errors import ValidationError
from app.i18n import _

__all__ = [
    "BOARD_CODE",
    "BOARD_ROLES",
    "board_how",
    "board_member",
    "check_board_whom",
    "director_note",
    "parse_time",
]

BOARD_CODE: Final = "REPORT_BOARD"

#: Suggestions for the role field (Dutch, as the school calls them); others may be typed.
BOARD_ROLES: Final[tuple[str, ...]] = (
    "voorzitter college van bestuur",
    "lid college van bestuur",
    "directeur-bestuurder",
    "voorzitter van het bestuur",
    "lid van het bestuur",
)

# A role names the board when it contains one of these (lowercase, whole text searched).
_BOARD_WORDS: Final = re.compile(r"bestuur|bevoegd gezag|\bcvb\b|\brvb\b")
# Words for the school's management; "directeur-bestuurder" (a one-person board) is a board
# role and is taken out before this is searched.
_MANAGEMENT_WORDS: Final = re.compile(
    r"directeur|directrice|director|directie|rector|schoolleid|teamleid|afdelingsleid|"
    r"locatieleid|\bmt\b|managementteam"
)
_ONE_PERSON_BOARD: Final = re.compile(r"directeur[- ]?bestuurder|rector[- ]?bestuurder")
_TIME: Final = re.compile(r"\s*(\d{1,2})[:.](\d{2})\s*\Z")


def _director_only() -> ValidationError:
    return ValidationError(
        _(
            "Informing the director does not complete this duty: by law the school board "
            "itself must be told. Fill in which member of the school board you informed, "
            "with their role (for example chair of the executive board)."
        ),
        "board_member_role",
    )


def _problem(text: str) -> ValidationError | None:
    """Why `text` (a role, or a combined "whom") does not name a board member; None if it does."""
    lowered = text.casefold()
    without_one_person = _ONE_PERSON_BOARD.sub(" bestuurder ", lowered)
    if _MANAGEMENT_WORDS.search(without_one_person):
        return _director_only()
    if not _BOARD_WORDS.search(without_one_person):
        return ValidationError(
            _(
                "Fill in the role this person has on the school board (for example chair of "
                "the executive board). Only a member of the board itself completes this duty."
            ),
            "board_member_role",
        )
    return None


def board_member(name: str, role: str) -> str:
    """The "whom" text for a board member ("A. de Vries (voorzitter college van bestuur)"), or
    ValidationError: no name, no role, or a role that is not on the board (see module doc)."""
    name, role = name.strip(), role.strip()
    if not name and not role:
        raise ValidationError(
            _(
                "Fill in which member of the school board you informed (name and role). "
                "Without it this duty is not completed."
            ),
            "board_member_name",
        )
    if name and _MANAGEMENT_WORDS.search(name.casefold()) and not role:
        raise _director_only()
    if not name:
        raise ValidationError(
            _(
                "Fill in the name of the board member you informed. Without it this duty is "
                "not completed."
            ),
            "board_member_name",
        )
    if not role:
        raise ValidationError(
            _(
                "Fill in the role of {name} on the school board (for example chair of the "
                "executive board). Without it this duty is not completed."
            ).format(name=name),
            "board_member_role",
        )
    problem = _problem(role)
    if problem is not None:
        raise problem
    return f"{name} ({role})"


def check_board_whom(whom: str) -> None:
    """ValidationError unless `whom` names a board member (for a completion of REPORT_BOARD
    that did not come through `board_member`)."""
    if not whom.strip():
        raise ValidationError(
            _(
                "Fill in which member of the school board you informed (name and role). "
                "Without it this duty is not completed."
            ),
            "informed_whom",
        )
    problem = _problem(whom)
    if problem is not None:
        raise problem


def parse_time(text: str) -> time | None:
    """"14:20" or "14.20" -> time; empty -> None; anything else: ValidationError (Dutch)."""
    if not text.strip():
        return None
    match = _TIME.match(text)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationError(
        _("Write the time as hours and minutes, for example 14:20."), "informed_time"
    )


def board_how(how: str, at: time | None) -> str:
    """How the board was informed, with the time of day when known."""
    how = how.strip()
    if at is None:
        return how
    moment = at.strftime("%H:%M")
    if not how:
        return _("at {time}").format(time=moment)
    return _("{how}, at {time}").format(how=how, time=moment)


def director_note() -> str:
    return _(
        "The director may be involved; the school board was informed directly, not through "
        "the director."
    )
