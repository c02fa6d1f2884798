"""The frozen dataclasses the services return (read side), and the input records of the forms.

Records are snapshots: the store is the truth, a dataclass is what was read. Ids in fields such
as `source`, `kind` or `categories` are the stable ids of `app.domain.lists`; show them with
`lists.label`. Text of notes is read only where a screen shows it (a case, a timeline); lists
carry summaries without note text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PupilData:
    """What the intake asks about a pupil (protocol 6b: only what is needed)."""

    name: str
    class_name: str = ""
    year_group: int | None = None
    level: str = ""
    minor: bool = True
    authority: str = ""


@dataclass(frozen=True)
class Pupil:
    id: int
    name: str
    class_name: str
    year_group: int | None
    level: str
    minor: bool
    authority: str
    created_at: datetime


@dataclass(frozen=True)
class Request:
    """An aanmelding: a request for contact, and the date by which the VP answers it."""

    id: int
    received_at: datetime
    source: str
    urgent: bool
    respond_by: date
    pupil_label: str
    pupil_id: int | None
    case_id: int | None
    answered_on: date | None
    note: str

    def overdue(self, today: date) -> bool:
        return self.answered_on is None and self.respond_by < today


@dataclass(frozen=True)
class Case:
    """A case file (dossier) with the texts of the intake."""

    id: int
    pupil_id: int
    pupil_name: str
    opened_on: date
    title: str
    taken_up_by: str
    source: str
    confidentiality_explained_at: datetime | None
    categories: tuple[str, ...]
    closed_on: date | None
    close_reason: str | None
    story: str
    help_question: str
    close_note: str

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


@dataclass(frozen=True)
class CaseSummary:
    """A row of the case list: no note text."""

    id: int
    pupil_id: int
    pupil_name: str
    class_name: str
    opened_on: date
    title: str
    taken_up_by: str
    categories: tuple[str, ...]
    closed_on: date | None
    close_reason: str | None
    last_contact: date | None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


@dataclass(frozen=True)
class EntryData:
    """The content of one timeline entry, as a form fills it (also the body of a correction).

    Which fields matter depends on `kind` (see `app.services.entries`)."""

    kind: str
    on_date: date
    text: str = ""
    with_whom: str = ""
    minutes: int | None = None
    action_type: str | None = None
    recipient: str | None = None
    consent: bool | None = None
    referral: str | None = None
    due_on: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class Entry:
    """One entry of a case's timeline. `superseded_by` is the correction that replaced it."""

    id: int
    case_id: int
    kind: str
    on_date: date
    created_at: datetime
    text: str
    with_whom: str
    minutes: int | None
    action_type: str | None
    recipient: str | None
    consent: bool | None
    referral: str | None
    due_on: date | None
    done_on: date | None
    supersedes: int | None
    superseded_by: int | None

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    def data(self) -> EntryData:
        """The content, to start a correction from (`dataclasses.replace(entry.data(), ...)`)."""
        return EntryData(
            kind=self.kind,
            on_date=self.on_date,
            text=self.text,
            with_whom=self.with_whom,
            minutes=self.minutes,
            action_type=self.action_type,
            recipient=self.recipient,
            consent=self.consent,
            referral=self.referral,
            due_on=self.due_on,
            done_on=self.done_on,
        )


@dataclass(frozen=True)
class Activity:
    """An activity not about one pupil (class visit, poster, website text, policy advice...)."""

    id: int
    kind: str
    on_date: date
    reach: int
    text: str


@dataclass(frozen=True)
class DashboardItem:
    """One line of a dashboard list.

    `kind` is `request`, `plan_step` or `no_contact`; `ref_id` the request, entry or case id;
    `due` the date that matters (answer by, due on, last conversation); `detail` a short text
    (the source id of a request, the text of a step, the opening date of a case in ISO form)."""

    kind: str
    ref_id: int
    case_id: int | None
    title: str
    due: date | None
    overdue: bool
    detail: str = ""


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows. The last four lists are filled by later work
    (obligations, meldcode, backup, retention)."""

    today: date
    requests: tuple[DashboardItem, ...]
    plan_steps: tuple[DashboardItem, ...]
    no_contact: tuple[DashboardItem, ...]
    obligations: tuple[DashboardItem, ...] = ()
    meldcode_steps: tuple[DashboardItem, ...] = ()
    backup_age_days: int | None = None
    retention_due: tuple[DashboardItem, ...] = field(default=())


@dataclass(frozen=True)
class SearchHit:
    case_id: int
    pupil_name: str
    opened_on: date
    closed: bool
    snippet: str


@dataclass(frozen=True)
class Intake:
    """What the intake wizard collects (PRODUCT.md job 3), saved by `open_case` at once.

    Either `pupil_id` (a known pupil, reused) or `pupil` (a new one). `source` may be left out
    when `request_id` is given: the request's source is used. `consents` maps a recipient id to
    yes/no, recorded as consent entries on `opened_on`. The intake is also the first
    conversation: `minutes` and `with_whom` describe it."""

    opened_on: date
    confidentiality_explained_at: datetime | None
    categories: tuple[str, ...]
    taken_up_by: str
    story: str = ""
    help_question: str = ""
    pupil_id: int | None = None
    pupil: PupilData | None = None
    request_id: int | None = None
    source: str | None = None
    title: str = ""
    consents: Mapping[str, bool] = field(default_factory=dict)
    minutes: int | None = None
    with_whom: str = ""
