"""Case work in one import: the public commands and queries of requests, pupils, cases,
entries and activities (jobs 3 and 4), for the GUI and the command line alike.

The work itself lives in the modules beside this one, each owning one part: `requests`
(aanmeldingen and the respond-by date), `pupils`, `cases` (intake, closing, lists, timeline,
consents), `entries` (timeline entries and corrections), `activities`, `validation` (the shared
checks and limits). Every command takes the `Store` (and a `Clock` where it needs today or
now), writes in ONE transaction, and raises `ValidationError` (a Dutch `.message`) for input it
refuses, or `NeedsConfirmation` for a step the user must confirm.
"""

from __future__ import annotations

from app.domain.dates import parse_date, school_year_bounds, school_year_of
from app.domain.errors import NeedsConfirmation, NotFoundError, ValidationError
from app.services.activities import (
    add_activity,
    delete_activity,
    get_activity,
    list_activities,
    update_activity,
)
from app.services.cases import (
    check_intake,
    close_case,
    current_consents,
    get_case,
    list_cases,
    open_case,
    timeline,
)
from app.services.entries import (
    add_action,
    add_consent,
    add_consultation,
    add_conversation,
    add_entry,
    add_note,
    add_plan_step,
    add_referral,
    correct_entry,
    get_entry,
    mark_step_done,
)
from app.services.pupils import add_pupil, find_pupils, get_pupil, update_pupil
from app.services.requests import (
    RequestResult,
    answer_date,
    answer_request,
    get_request,
    list_requests,
    register_request,
)
from app.services.validation import MAX_NOTE_CHARS, MAX_SHORT_CHARS

__all__ = [
    "MAX_NOTE_CHARS",
    "MAX_SHORT_CHARS",
    "NeedsConfirmation",
    "NotFoundError",
    "RequestResult",
    "ValidationError",
    "add_action",
    "add_activity",
    "add_consent",
    "add_consultation",
    "add_conversation",
    "add_entry",
    "add_note",
    "add_plan_step",
    "add_pupil",
    "add_referral",
    "answer_date",
    "answer_request",
    "check_intake",
    "close_case",
    "correct_entry",
    "current_consents",
    "delete_activity",
    "find_pupils",
    "get_activity",
    "get_case",
    "get_entry",
    "get_pupil",
    "get_request",
    "list_activities",
    "list_cases",
    "list_requests",
    "mark_step_done",
    "open_case",
    "parse_date",
    "register_request",
    "school_year_bounds",
    "school_year_of",
    "timeline",
    "update_activity",
    "update_pupil",
]
