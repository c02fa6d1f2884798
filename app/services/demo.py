"""Synthetic demo data: `vertrouwd demo` and the benchmark workloads (QUALITY "school", "stress").

Owns the generator. Invented pupils (see `demo_text`), requests from every referral source
(some unanswered, some overdue), cases with categories, intake notes, conversations, anonymous
consultations, plan steps (some overdue), referrals, consents and a withdrawal, actions, notes,
corrections, closed cases with reasons, and activities: every id of every fixed list and every
entry kind is used. Reproducible: one `random.Random(seed)` drives everything, and dates are
taken from `today` (a parameter), never from the clock inside.

The data covers `years` school years ending with the current one (up to `today`). Rates come
from a `Profile`: `SCHOOL` is ~400 requests and ~1,200 conversations a school year (the
current, partial year pro rata); `STRESS` makes exact totals over the run: with `years=10`,
30,000 cases and 100,000 conversations. Rows are built in memory with their ids and written
with `executemany` in ONE transaction (foreign keys deferred to the commit); note ids follow
the dates, as they would after years of use. Escalation checks, obligations and meldcode
routes are added afterwards through the services (`app.services.demo_escalation`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain import lists as L
from app.domain.dates import school_year_bounds, school_year_of
from app.services import demo_text as T
from app.services.demo_escalation import add_escalations
from app.services.demo_rows import Rows
from app.services.entries import referral_action
from app.services.requests import answer_date
from app.store.db import Store
from app.store.settings import Settings, load_settings


@dataclass(frozen=True)
class Profile:
    requests_per_year: int
    cases_per_year: int
    conversations_per_year: int
    activities_per_year: int = 15
    exact_totals: bool = False


SCHOOL = Profile(400, 300, 1200)
#: `vertrouwd demo`: one school of about 1,000 pupils as a confidant sees it (20–60 cases a
#: year, issue 14), so that the annual report can be judged on a realistic year.
DEMO = Profile(70, 45, 190, activities_per_year=18)
STRESS = Profile(4000, 3000, 10000, activities_per_year=40, exact_totals=True)


@dataclass(frozen=True)
class DemoStats:
    requests: int
    cases: int
    pupils: int
    conversations: int
    entries: int
    notes: int
    activities: int
    escalations: int = 0
    obligations: int = 0
    routes: int = 0


class Picker:
    """Every item once (in a shuffled order) before weighted random choices: full coverage."""

    def __init__(
        self, rng: random.Random, items: tuple[str, ...], weights: list[float] | None = None
    ):
        self.rng = rng
        self.items = list(items)
        self.weights = weights
        self.pending = list(items)
        rng.shuffle(self.pending)

    def __call__(self) -> str:
        if self.pending:
            return self.pending.pop()
        return self.rng.choices(self.items, self.weights)[0]


def _weights(items: tuple[str, ...], heavy: dict[str, float]) -> list[float]:
    return [heavy.get(item, 1.0) for item in items]


class _Builder(Rows):
    """The story of the demo: pupils, requests, cases and their timelines, activities."""

    def __init__(self, store: Store, rng: random.Random, today: date, settings: Settings) -> None:
        super().__init__(store, rng)
        self.today = today
        self.settings = settings
        self.pool: list[tuple[int, str, date]] = []  # pupils that may come back
        self.answer_cache: dict[tuple[date, bool], date] = {}
        self.pick_source = Picker(
            rng,
            L.REFERRAL_SOURCES,
            _weights(L.REFERRAL_SOURCES, {"leerling_zelf": 8, "mentor_coach": 4, "ouder": 2}),
        )
        self.pick_category = Picker(
            rng,
            L.CATEGORIES,
            _weights(
                L.CATEGORIES, {"pesten": 5, "welbevinden": 6, "thuissituatie": 4, "onderwijs": 2}
            ),
        )
        self.pick_level = Picker(
            rng, L.LEVELS, _weights(L.LEVELS, {"havo": 4, "vwo": 3, "vmbo_gt": 3, "vmbo_kb": 2})
        )
        self.pick_taken = Picker(rng, L.TAKEN_UP_BY, [7, 2, 1])
        self.pick_recipient = Picker(
            rng, L.RECIPIENTS, _weights(L.RECIPIENTS, {"mentor_coach": 4, "ouders": 3})
        )
        self.pick_action = Picker(
            rng,
            L.ACTION_TYPES,
            _weights(L.ACTION_TYPES, {"ouders_geinformeerd": 4, "luisteren_advies": 3}),
        )
        self.pick_help = Picker(
            rng,
            L.EXTERNAL_HELP,
            _weights(
                L.EXTERNAL_HELP, {"schoolmaatschappelijk_werk": 4, "huisarts": 3, "wijkteam_cjg": 3}
            ),
        )
        self.pick_reason = Picker(
            rng,
            L.CLOSE_REASONS,
            _weights(L.CLOSE_REASONS, {"opgelost": 8, "overgedragen": 3, "doorverwezen": 3}),
        )
        self.pick_activity = Picker(
            rng, L.ACTIVITY_KINDS, _weights(L.ACTIVITY_KINDS, {"klassenbezoek": 4})
        )

    # -- small helpers -------------------------------------------------------------------
    def between(self, first: date, last: date) -> date:
        """A random day from `first` to `last`; `last` itself when the range is empty."""
        if last <= first:
            return last
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def school_day(self, first: date, last: date) -> date:
        day = self.between(first, last)
        for _ in range(6):
            summer = (day.month == 7 and day.day > 12) or (day.month == 8 and day.day < 20)
            if day.weekday() < 5 and not summer:
                return day
            day = self.between(first, last)
        return day

    def respond_by(self, day: date, urgent: bool) -> date:
        key = (day, urgent)
        if key not in self.answer_cache:
            self.answer_cache[key] = answer_date(day, urgent, self.settings).respond_by
        return self.answer_cache[key]

    # -- pupils, requests, cases ---------------------------------------------------------
    def pupil(self, day: date) -> tuple[int, str]:
        rng = self.rng
        recent = [p for p in self.pool[-400:] if (day - p[2]).days < 730]
        if recent and rng.random() < 0.12:
            pupil_id, name, _first = rng.choice(recent)
            return pupil_id, name
        name = rng.choice(self.pool)[1] if self.pool and rng.random() < 0.01 else T.full_name(rng)
        level = self.pick_level()
        top = {
            "praktijkonderwijs": 5,
            "vmbo_bb": 4,
            "vmbo_kb": 4,
            "vmbo_gt": 4,
            "havo": 5,
            "isk": 2,
        }.get(level, 6)
        year: int | None = rng.randint(1, top)
        if rng.random() < 0.04:
            year = None
        letter = {
            "havo": "H",
            "vwo": "V",
            "gymnasium": "G",
            "vmbo_gt": "T",
            "vmbo_kb": "K",
            "vmbo_bb": "B",
            "isk": "S",
            "praktijkonderwijs": "P",
        }[level]
        class_name = (
            ""
            if year is None
            else (
                f"{year}{rng.choice('ABCDEF')}"
                if year <= 2
                else f"{year}{letter}{rng.randint(1, 3)}"
            )
        )
        minor = not (year is not None and year >= 5 and rng.random() < 0.3)
        authority = rng.choice(T.AUTHORITY) if minor else ""
        pupil_id = self.take("pupil")
        self.pupils.append(
            (pupil_id, name, class_name, year, level, int(minor), authority, self.moment(day))
        )
        self.pool.append((pupil_id, name, day))
        return pupil_id, name

    def request(
        self,
        day: date,
        *,
        case_id: int | None,
        pupil: tuple[int, str] | None,
        label: str,
        answered_on: date | None,
        urgent: bool,
    ) -> int:
        request_id = self.take("request")
        note = (
            self.note(day, T.sentences(self.rng, T.REQUEST_NOTES, 1), case_id)
            if self.rng.random() < 0.5
            else None
        )
        self.requests.append(
            [
                request_id,
                self.moment(day),
                self.pick_source(),
                int(urgent),
                self.respond_by(day, urgent).isoformat(),
                label,
                None if pupil is None else pupil[0],
                case_id,
                None if answered_on is None else answered_on.isoformat(),
                note,
            ]
        )
        return request_id

    def case(self, received: date, urgent: bool, extra_conversations: int) -> None:
        rng, today = self.rng, self.today
        respond = self.respond_by(received, urgent)
        opened = min(today, max(received, respond - timedelta(days=rng.choice((0, 0, 0, 1)))))
        pupil = self.pupil(opened)
        case_id = self.take("case_file")
        label = pupil[1] if rng.random() < 0.6 else pupil[1].split()[0]
        self.request(
            received, case_id=case_id, pupil=pupil, label=label, answered_on=opened, urgent=urgent
        )
        cats = [self.pick_category()]
        for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):
            extra = self.pick_category()
            if extra not in cats:
                cats.append(extra)
        self.categories += [(case_id, c) for c in cats]
        length = 7 + int(rng.expovariate(1 / 45))
        last = min(opened + timedelta(days=length), today)
        # A few recent cases were never closed: they show on the dashboard without contact.
        forgotten = (today - opened).days < 400 and rng.random() < 0.04
        closed = last < today - timedelta(days=3) and not forgotten
        story = self.note(opened, T.story(rng, cats), case_id)
        question = (
            self.note(opened, rng.choice(T.HELP_QUESTIONS), case_id) if rng.random() < 0.9 else None
        )
        self.entry(
            case_id, "conversation", opened, with_whom="leerling", minutes=rng.randrange(20, 65, 5)
        )
        given: list[str] = []
        for recipient in dict.fromkeys(self.pick_recipient() for _ in range(rng.randint(0, 3))):
            yes = rng.random() < 0.75
            self.entry(case_id, "consent", opened, recipient=recipient, consent=yes)
            if yes:
                given.append(recipient)
        talks: list[tuple[int, date, str]] = []
        for _ in range(extra_conversations):
            day = self.between(opened + timedelta(days=1), last)
            note = (
                self.note(day, T.sentences(rng, T.CONVERSATION), case_id)
                if rng.random() < 0.8
                else None
            )
            with_whom = rng.choice(T.CONVERSATION_WITH)
            action = "luisteren_advies" if rng.random() < 0.3 else None
            talk = self.entry(
                case_id,
                "conversation",
                day,
                note=note,
                with_whom=with_whom,
                minutes=rng.randrange(15, 65, 5),
                action_type=action,
            )
            talks.append((talk, day, with_whom))
        if rng.random() < 0.25:
            day = self.between(opened, last)
            self.entry(
                case_id,
                "consultation",
                day,
                note=self.note(day, rng.choice(T.CONSULTATION), case_id),
                with_whom=rng.choice(T.CONSULTATION_WITH),
                minutes=rng.randrange(10, 35, 5),
                action_type="consultatie_anoniem",
            )
        forced_open = closed and rng.random() < 0.02
        steps = max(rng.choice((0, 0, 1, 1, 1, 2, 3)), 1 if forced_open else 0)
        for number in range(steps):
            start = self.between(opened, last)
            due = start + timedelta(days=rng.randint(7, 28))
            done: date | None = None
            if closed and not (forced_open and number == 0):
                done = min(self.between(start, due + timedelta(days=5)), last)
            elif not closed and due < today and rng.random() < 0.6:
                done = min(self.between(start, due + timedelta(days=7)), today)
            self.entry(
                case_id,
                "plan_step",
                start,
                note=self.note(start, rng.choice(T.PLAN_STEPS), case_id),
                with_whom=rng.choice(T.PLAN_WHO),
                due_on=due,
                done_on=done,
            )
        if rng.random() < 0.3:
            day, help_id = self.between(opened, last), self.pick_help()
            self.entry(
                case_id,
                "referral",
                day,
                note=self.note(day, rng.choice(T.REFERRAL), case_id),
                referral=help_id,
                action_type=referral_action(help_id),
            )
        if rng.random() < 0.2:
            day = self.between(opened, last)
            self.entry(
                case_id,
                "action",
                day,
                note=self.note(day, rng.choice(T.ACTIONS), case_id),
                action_type=self.pick_action(),
            )
        if rng.random() < 0.1:
            self.entry(
                case_id,
                "consent",
                self.between(opened, last),
                recipient=self.pick_recipient(),
                consent=True,
            )
        if given and rng.random() < 0.05:
            self.entry(
                case_id, "consent", self.between(opened, last), recipient=given[0], consent=False
            )
        if rng.random() < 0.15:
            day = self.between(opened, last)
            self.entry(case_id, "note", day, note=self.note(day, rng.choice(T.NOTES), case_id))
        if talks and rng.random() < 0.04:
            talk, day, with_whom = talks[-1]
            self.entry(
                case_id,
                "conversation",
                day,
                note=self.note(day, rng.choice(T.CORRECTION), case_id),
                with_whom=with_whom,
                minutes=rng.randrange(15, 65, 5),
                supersedes=talk,
            )
            self.conversations -= 1  # a correction is not another conversation
        reason = close_note = None
        if closed:
            reason = self.pick_reason()
            close_note = (
                self.note(last, rng.choice(T.CLOSING), case_id) if rng.random() < 0.5 else None
            )
        title = "" if rng.random() < 0.7 else L.label(L.CATEGORIES, cats[0]).split(" (")[0]
        self.cases.append(
            [
                case_id,
                pupil[0],
                opened.isoformat(),
                title,
                self.pick_taken(),
                self.requests[-1][2],
                self.moment(opened),
                story,
                question,
                last.isoformat() if closed else None,
                reason,
                close_note,
            ]
        )

    def activity(self, first: date, last: date) -> None:
        kind = self.pick_activity()
        day = self.school_day(first, last)
        reach = (
            self.rng.randint(20, 150)
            if kind in ("klassenbezoek", "poster_flyer")
            else self.rng.randint(0, 12)
        )
        note = (
            self.note(day, self.rng.choice(T.ACTIVITY[kind]), None)
            if self.rng.random() < 0.9
            else None
        )
        self.activities.append([self.take("activity"), kind, day.isoformat(), reach, note])

    # -- the finishing touches -----------------------------------------------------------
    def open_request(self, day: date, overdue: bool = False) -> None:
        """An unanswered request (no case yet); with `overdue`, moved back until it is."""
        urgent = self.rng.random() < 0.1 and not overdue
        while overdue and self.respond_by(day, urgent) >= self.today:
            day -= timedelta(days=1)
        name = T.full_name(self.rng)
        self.request(day, case_id=None, pupil=None, label=name, answered_on=None, urgent=urgent)


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split over the weights in whole numbers that add up exactly."""
    whole = sum(weights) or 1.0
    shares = [total * w / whole for w in weights]
    counts = [int(x) for x in shares]
    rest = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in rest[: total - sum(counts)]:
        counts[i] += 1
    return counts


def generate(
    store: Store,
    *,
    years: int,
    seed: int,
    scale: float = 1.0,
    profile: Profile = SCHOOL,
    today: date | None = None,
) -> DemoStats:
    """Fill `store` with synthetic data over `years` school years ending today's school year."""
    if years < 1:
        raise ValueError("years must be at least 1")
    today = today or date.today()
    rng = random.Random(seed)
    builder = _Builder(store, rng, today, load_settings(store))
    first_year = int(school_year_of(today)[:4]) - years + 1
    periods = []
    for year in range(first_year, first_year + years):
        start, end = school_year_bounds(f"{year}-{year + 1}")
        end = min(end, today)
        periods.append((start, end, ((end - start).days + 1) / 365.0))
    fractions = [p[2] for p in periods]
    if profile.exact_totals:

        def per_year(rate: int) -> list[int]:
            return _spread(round(rate * years * scale), fractions)
    else:

        def per_year(rate: int) -> list[int]:
            return [round(rate * scale * f) for f in fractions]

    case_counts = per_year(profile.cases_per_year)
    talk_counts = per_year(profile.conversations_per_year)
    request_counts = per_year(profile.requests_per_year)
    activity_counts = per_year(profile.activities_per_year)
    for (start, end, _f), cases, talks, requests, activities in zip(
        periods, case_counts, talk_counts, request_counts, activity_counts, strict=True
    ):
        cases = max(cases, 12)
        requests = max(requests, cases + 4)
        extra = [0] * cases
        for index in rng.choices(range(cases), k=max(0, talks - cases)):
            extra[index] += 1
        days = sorted(builder.school_day(start, end) for _ in range(requests))
        makes_case = set(rng.sample(range(requests), cases))
        recent = today - timedelta(days=10)
        for index, day in enumerate(days):
            urgent = rng.random() < 0.08
            if index in makes_case:
                builder.case(day, urgent, extra.pop())
            elif day >= recent and rng.random() < 0.6:
                builder.open_request(day)
            else:
                answered = min(today, builder.between(day, builder.respond_by(day, urgent)))
                name = T.full_name(rng)
                builder.request(
                    day, case_id=None, pupil=None, label=name, answered_on=answered, urgent=urgent
                )
        for _ in range(max(activities, 6)):
            builder.activity(start, end)
    # Always something to answer on the dashboard: overdue and not yet due.
    builder.open_request(today - timedelta(days=5), overdue=True)
    builder.open_request(today - timedelta(days=4), overdue=True)
    builder.open_request(today)
    notes = builder.renumber_notes(builder.next_id["note"])
    builder.write(store)
    added = add_escalations(
        store, builder, seed=rng.getrandbits(64), today=today, settings=builder.settings
    )
    from app.services.demo_year_start import add_year_start

    add_year_start(store, today=today, settings=builder.settings, seed=seed)
    return DemoStats(
        requests=len(builder.requests),
        cases=len(builder.cases),
        pupils=len(builder.pupils),
        conversations=builder.conversations,
        entries=len(builder.entries),
        notes=notes,
        activities=len(builder.activities),
        escalations=added.escalations,
        obligations=added.obligations,
        routes=added.routes,
    )


def fill_demo(store: Store, *, years: int, seed: int, today: date | None = None) -> None:
    """`vertrouwd demo`: a school of realistic size (:data:`DEMO`) over `years` school years."""
    generate(store, years=years, seed=seed, today=today, profile=DEMO)
