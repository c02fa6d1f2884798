"""The escalation part of the demo: checks, obligations and meldcode routes (via the services).

Called by `app.services.demo.generate` after the bulk write, with a seed drawn from the
generator's `random.Random`, so the whole demo stays reproducible. It works through the real
services, one transaction each, as the VP would: `record_check` at the case's opening moment
(10:00-15:00), `record_step` / `record_afweging` on the meldcode routes those checks start,
and `complete_obligation` afterwards.

* **Which cases.** Per school year at most `PER_YEAR` checks and over the whole run at most
  `TOTAL` (newest school years first), so a stress build stays fast: cases with an escalating
  category (`lists.ESCALATING_CATEGORIES`), the categories taken in turn and open cases first
  (the dashboard needs open obligations), plus up to `NO_ESCALATION_PER_YEAR` checks without
  escalation (a written motivation) on cases of other categories.
* **The answers** fit the category: zelfbeschadiging -> `self_endangerment` yes (now and
  then `acute_danger` too); kindermishandeling -> `child_abuse` yes or doubt (with a short
  motivation); strafbaar_feit -> `criminal_offence` yes; relatie_personeel ->
  `staff_relationship` yes (now and then a doubted sexual offence by staff); klacht_school ->
  `complaint` yes; seksuele_intimidatie -> a sexual offence (the first one this week, so the
  Centrum Seksueel Geweld; the second told by a witness, so a track for the other pupil);
  agressie_geweld -> `criminal_offence` yes (now and then the pupil as the offender);
  thuissituatie -> now and then `child_abuse` doubt. `minor` follows the pupil. A check
  without duty gets a general motivation.
* **Obligations.** On closed cases every obligation is done (done on or a little after its due
  day, whom / how, the pupil mostly told first) before the case closed; on open cases older
  than `RECENT_DAYS` nearly all; on recent cases only some, so that open ones (mostly overdue
  relative to `today`) show.
* **Meldcode routes.** Steps 1-3 are recorded as far as the dates allow; most routes then get
  an afweging: close, melden (a `VEILIG_THUIS_MELDING` obligation) or start_help with a term
  (an open `MELDCODE_TERM` obligation; after the term, when the dates allow, a follow-up
  answering question 5).

The services refuse changes to a closed case, while the demo cases were written closed. The
closed cases picked are therefore reopened for the run (one UPDATE of `closed_on`) and closed
again with their own date afterwards (one UPDATE, also when something fails): their history
is replayed as it happened, while they were open.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from app.domain.dates import school_year_of
from app.domain.lists import ESCALATING_CATEGORIES
from app.rules.escalation import evaluate, questions_to_ask, rules_for_version
from app.services.demo_rows import Rows
from app.services.escalation import (
    CONSENT_ONLY,
    Obligation,
    case_obligations,
    complete_obligation,
    record_check,
)
from app.services.meldcode import TERM_CODE, record_afweging, record_step
from app.store.db import Store
from app.store.settings import Settings

__all__ = ["NO_ESCALATION_PER_YEAR", "PER_YEAR", "RECENT_DAYS", "TOTAL", "Added", "add_escalations"]

#: At most this many escalation checks per school year, and in all.
PER_YEAR: Final = 25
TOTAL: Final = 300
#: Of the checks of a school year, at most this many without escalation on other categories.
NO_ESCALATION_PER_YEAR: Final = 3
#: Open cases opened at most this many days before `today` keep most obligations open.
RECENT_DAYS: Final = 30
#: This many open cases keep a check made under the rules of 2026.1 (the dashboard then asks
#: to check them again: "Controleer opnieuw: de regels zijn verbeterd").
OLD_RULES_CASES: Final = 3
OLD_RULES: Final = "2026.1"

_STRENGTH: Final = {"no": 0, "doubt": 1, "yes": 2}

# --- texts (invented; no names) ---------------------------------------------------------------

_CHILD_ABUSE_YES: Final = (
    "De leerling vertelt dat een ouder slaat als er thuis gedronken is.",
    "Striemen op de rug gezien bij gym; de leerling bevestigt dat het thuis gebeurt.",
    "De leerling durft niet naar huis en vertelt over harde klappen.",
    "De leerling vertelt over schreeuwen en duwen thuis, ook tegen een jonger zusje.",
)
_CHILD_ABUSE_DOUBT: Final = (
    "Blauwe plekken op de bovenarm; de uitleg van de leerling wisselt.",
    "Komt vaak zonder ontbijt en in dezelfde kleding; geen duidelijk verhaal over thuis.",
    "Zegt dat het thuis soms uit de hand loopt, maar wil niet vertellen wat er gebeurt.",
    "Schrikt erg bij harde geluiden en ontwijkt elke vraag over thuis.",
)
_SELF_ENDANGERMENT: Final = (
    "De leerling vertelt over krassen op de armen en somberheid.",
    "Eet al weken nauwelijks; de mentor ziet sterk gewichtsverlies.",
    "Spreekt over niet meer willen leven, zonder concreet plan.",
)
_ACUTE: Final = (
    "De leerling noemt vandaag een concreet plan en kan niet alleen naar huis.",
    "Verse wonden die verzorgd moeten worden; de leerling is erg overstuur.",
)
_CRIMINAL: Final = (
    "De leerling is op weg naar huis bedreigd en beroofd van de telefoon.",
    "Een naaktfoto van de leerling wordt in een groepsapp gedeeld.",
    "De leerling vertelt dat hij onder druk pakketjes moet rondbrengen.",
)
_STAFF: Final = (
    "Een leerling vertelt over appjes en afspraken buiten school met een docent.",
    "Medeleerlingen melden dat een onderwijsassistent een leerling thuis bezoekt.",
)
_SEXUAL_DOUBT: Final = (
    "Onduidelijk of de aanrakingen door de stagiair bewust waren; de leerling voelde zich "
    "er ongemakkelijk bij.",
)
_SEXUAL: Final = (
    "De leerling vertelt dat ze op een feestje tegen haar wil is aangerand.",
    "Een oudere jongen dwingt de leerling via de app tot het sturen van naaktfoto's.",
)
_WITNESS: Final = (
    "De leerling vertelt wat ze een klasgenote heeft zien overkomen.",
    "De leerling maakt zich zorgen om een vriend en vertelt wat hij zag.",
)
_VIOLENCE: Final = (
    "De leerling is na schooltijd in elkaar geslagen door leerlingen van een andere school.",
    "De leerling heeft in een ruzie een medeleerling geslagen.",
)
_HOME_DOUBT: Final = (
    "Thuis veel ruzie; de leerling slaapt slecht en zegt dat het 'wel gaat'.",
    "Ouders gaan scheiden; de leerling lijkt vaak op zichzelf aangewezen.",
)
_COMPLAINT: Final = (
    "Ouders en leerling zijn het niet eens met de afhandeling van een schorsing.",
    "Klacht over de manier waarop een docent de klas toespreekt.",
    "De leerling voelt zich bij de toetsing van een vak oneerlijk behandeld.",
)
_NO_ESCALATION: Final = (
    "Geen escalatie, omdat er geen signalen van onveiligheid zijn en de leerling zelf stappen zet.",
    "Geen escalatie, omdat de zorgen met toestemming van de leerling met de mentor gedeeld zijn.",
    "Geen escalatie, omdat het om een conflict tussen leerlingen gaat dat al is uitgesproken.",
)
_NO_ESCALATION_ADULT: Final = (
    "Geen escalatie, omdat de leerling meerderjarig is en zelf hulp heeft gezocht bij de huisarts.",
    "Geen escalatie, omdat de leerling meerderjarig is en zelf de regie houdt; afgesproken "
    "wanneer hij toch hulp inschakelt.",
)
_NO_COMPLAINT: Final = (
    "Geen escalatie, omdat de leerling het eerst zelf met de docent wil uitpraten.",
)
_STEPS: Final[Mapping[int, tuple[str, ...]]] = {
    1: (
        "Signalen op een rij gezet met de mentor.",
        "Observaties van de afgelopen weken vastgelegd.",
    ),
    2: (
        "Collegiale consultatie met de aandachtsfunctionaris.",
        "Anoniem overlegd met Veilig Thuis over de signalen.",
    ),
    3: (
        "Gesprek met de leerling over de zorgen; de leerling wil meewerken.",
        "Gesprek met de leerling gevoerd; geschrokken, maar ook opgelucht.",
    ),
}
#: Step 2 (collegial consultation) is held with one of these (DOMAIN.md, meldcode step 2).
_CONSULTED: Final = ("aandachtsfunctionaris", "aandachtsfunctionaris", "ondersteuningscoordinator")
_AFWEGING: Final[Mapping[tuple[int, str], str]] = {
    (1, "yes"): "Na stap 1 tot en met 3 blijft het vermoeden bestaan.",
    (1, "no"): "Het gesprek en de consultatie nemen het vermoeden weg.",
    (2, "yes"): "Er is sprake van structurele onveiligheid thuis.",
    (2, "no"): "Geen acute of structurele onveiligheid; de leerling is nu veilig.",
    (3, "yes"): "Wijkteam en schoolmaatschappelijk werk kunnen de hulp bieden.",
    (4, "yes"): "Ouders en leerling willen meewerken aan de hulp.",
    (5, "yes"): "De hulp werkt: de leerling voelt zich thuis veiliger.",
    (5, "no"): "Afspraken worden niet nagekomen; de zorgen blijven bestaan.",
}
_WHOM_HOW: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "ACT_NOW": (
        ("113 Zelfmoordpreventie en ouders", "Huisarts (spoed) en ouders"),
        ("Telefonisch, direct", "Telefonisch, leerling tot het ophalen begeleid"),
    ),
    "MELDCODE": (
        ("Aandachtsfunctionaris",),
        ("In een overleg op school", "Telefonisch"),
    ),
    "VEILIG_THUIS_ADVICE": (
        ("Veilig Thuis (adviesgesprek)",),
        ("Telefonisch, anoniem advies gevraagd",),
    ),
    "VEILIG_THUIS_MELDING": (
        ("Veilig Thuis",),
        ("Telefonisch gemeld en schriftelijk bevestigd",),
    ),
    "REPORT_BOARD": (
        ("A. Verbeek (voorzitter college van bestuur)", "M. Claassen (lid college van bestuur)"),
        ("Telefonisch, daarna schriftelijk",),
    ),
    "REPORT_DIRECTOR": (
        ("Directeur", "Rector"),
        ("In een persoonlijk gesprek", "Telefonisch, daarna per mail bevestigd"),
    ),
    "INFORM_PARENTS": (
        ("Moeder", "Vader", "Beide ouders", "Moeder en stiefvader"),
        ("Telefonisch", "In een gesprek op school", "Samen met de mentor thuis"),
    ),
    "ADVISE_REPORT_POLICE": (
        ("Leerling en ouders", "Leerling"),
        ("In een gesprek; uitgelegd hoe aangifte werkt",),
    ),
    "REFER_COMPLAINT": (
        ("Leerling", "Leerling en ouders"),
        ("Klachtenregeling gegeven en de contactpersoon genoemd",),
    ),
}
_DONE_NOTES: Final = (
    "Afgesproken om over twee weken opnieuw contact te hebben.",
    "Rustig verlopen; de leerling was erbij.",
    "Vooraf met de leerling besproken wat er gedeeld wordt.",
    "Terugkoppeling aan de leerling gegeven.",
)
#: Days after the due day on which an obligation is done (mostly that day).
_DELAYS: Final = (0, 0, 0, 0, 1, 1, 2, 4)


@dataclass(frozen=True)
class Added:
    """What `add_escalations` added: checks, obligations (all sources) and meldcode routes."""

    escalations: int
    obligations: int
    routes: int


@dataclass(frozen=True)
class _Case:
    id: int
    opened: date
    closed: date | None
    escalating: tuple[str, ...]  # its escalating categories, in the order chosen
    minor: bool


def _cases(rows: Rows) -> list[_Case]:
    """The cases the generator just built, with their escalating categories and whether the
    pupil is a minor."""
    minor = {p[0]: bool(p[5]) for p in rows.pupils}
    escalating: dict[int, list[str]] = {}
    for case_id, category in rows.categories:
        if category in ESCALATING_CATEGORIES:
            escalating.setdefault(case_id, []).append(category)
    return [
        _Case(
            id=c[0],
            opened=date.fromisoformat(c[2]),
            closed=None if c[9] is None else date.fromisoformat(c[9]),
            escalating=tuple(escalating.get(c[0], ())),
            minor=minor.get(c[1], True),
        )
        for c in rows.cases
    ]


def _choose(rng: random.Random, cases: list[_Case]) -> tuple[list[_Case], set[int]]:
    """The cases that get a check (newest school years first, within the caps) and, of those,
    the ids that get a check without escalation."""
    by_year: dict[str, list[_Case]] = {}
    for case in cases:
        by_year.setdefault(school_year_of(case.opened), []).append(case)
    chosen: list[_Case] = []
    calm: set[int] = set()
    for year in sorted(by_year, reverse=True):
        budget = min(PER_YEAR, TOTAL - len(chosen))
        if budget <= 0:
            break
        groups: dict[str, list[_Case]] = {c: [] for c in ESCALATING_CATEGORIES}
        others: list[_Case] = []
        for case in by_year[year]:
            if case.escalating:
                groups[case.escalating[0]].append(case)
            else:
                others.append(case)
        for group in groups.values():
            rng.shuffle(group)
            group.sort(key=lambda c: c.closed is not None)  # open cases first (stable)
        order = list(ESCALATING_CATEGORIES)
        rng.shuffle(order)
        taken: list[_Case] = []
        quiet = rng.sample(others, min(len(others), NO_ESCALATION_PER_YEAR, budget // 5))
        while len(taken) < budget - len(quiet) and any(groups.values()):
            for category in order:
                if groups[category] and len(taken) < budget - len(quiet):
                    taken.append(groups[category].pop(0))
        chosen += taken + quiet
        calm |= {c.id for c in quiet}
    chosen.sort(key=lambda c: (c.opened, c.id))
    return chosen, calm


def _counts(store: Store) -> tuple[int, int, int]:
    return (
        int(store.scalar("SELECT count(*) FROM escalation")),
        int(store.scalar("SELECT count(*) FROM obligation")),
        int(store.scalar("SELECT count(*) FROM meldcode_route")),
    )


def _set_closed(store: Store, closed: Mapping[int, date | None]) -> None:
    if not closed:
        return
    with store.transaction() as conn:
        conn.executemany(
            "UPDATE case_file SET closed_on = ? WHERE id = ?",
            [
                (None if day is None else day.isoformat(), case_id)
                for case_id, day in closed.items()
            ],
        )


class _Story:
    """Replays, per case, the check, the meldcode route and the obligations done."""

    def __init__(self, store: Store, rng: random.Random, today: date, settings: Settings) -> None:
        self.store = store
        self.rng = rng
        self.today = today
        self.settings = settings
        self.child_abuse = 0  # the first suspicion is "yes", the second "doubt": both kinds
        self.staff = 0
        self.sexual = 0  # the first is this week (CSG), the second told by a witness
        self.violence = 0
        self.old_rules = 0  # checks kept under OLD_RULES

    def moment(self, day: date, first: int = 9, last: int = 16) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(first, last), self.rng.randrange(0, 60, 5))
        )

    # -- the check ---------------------------------------------------------------------------
    def signals(self, category: str) -> list[tuple[str, str, str]]:
        """(question, answer, motivation) for one escalating category."""
        rng = self.rng

        def maybe(texts: tuple[str, ...], chance: float = 0.5) -> str:
            return rng.choice(texts) if rng.random() < chance else ""

        if category == "kindermishandeling":
            self.child_abuse += 1
            doubt = self.child_abuse == 2 or (self.child_abuse > 2 and rng.random() < 0.45)
            if doubt:
                return [("child_abuse", "doubt", rng.choice(_CHILD_ABUSE_DOUBT))]
            return [("child_abuse", "yes", maybe(_CHILD_ABUSE_YES))]
        if category == "zelfbeschadiging":
            found = [("self_endangerment", "yes", maybe(_SELF_ENDANGERMENT))]
            if rng.random() < 0.1:
                found.append(("acute_danger", "yes", rng.choice(_ACUTE)))
            return found
        if category == "strafbaar_feit":
            return [("criminal_offence", "yes", maybe(_CRIMINAL))]
        if category == "relatie_personeel":
            self.staff += 1
            found = [("staff_relationship", "yes", maybe(_STAFF))]
            if self.staff == 3 or (self.staff > 3 and rng.random() < 0.15):
                found += [
                    ("sexual_offence", "doubt", rng.choice(_SEXUAL_DOUBT)),
                    ("by_staff", "yes", ""),
                ]
            return found
        if category == "seksuele_intimidatie":
            self.sexual += 1
            if self.sexual == 2 or (self.sexual > 2 and rng.random() < 0.25):
                return [("pupil_witness", "yes", maybe(_WITNESS)), ("sexual_offence", "yes", "")]
            if self.sexual == 1 or rng.random() < 0.3:
                return [("sexual_offence", "yes", maybe(_SEXUAL)), ("recent_assault", "yes", "")]
            return [("sexual_offence", "yes", maybe(_SEXUAL))] if rng.random() < 0.5 else []
        if category == "agressie_geweld":
            self.violence += 1
            found = [("criminal_offence", "yes", maybe(_VIOLENCE))]
            if self.violence == 2 or rng.random() < 0.2:
                found.append(("pupil_offender", "yes", ""))
            return found
        if category == "thuissituatie":
            if rng.random() < 0.4:
                return [("child_abuse", "doubt", rng.choice(_HOME_DOUBT))]
            return []
        if category == "klacht_school":
            if rng.random() < 0.1:
                return [("complaint", "no", "")]
            return [("complaint", "yes", maybe(_COMPLAINT, 0.4))]
        return []

    def answers(self, case: _Case, calm: bool) -> tuple[dict[str, str], dict[str, str], str]:
        """The answers as the wizard stores them (every question asked), the motivations and
        the general motivation (only when no duty applies)."""
        given = {"minor": "yes" if case.minor else "no"}
        motivations: dict[str, str] = {}
        for category in () if calm else case.escalating:
            for question, answer, text in self.signals(category):
                if _STRENGTH[answer] >= _STRENGTH[given.get(question, "no")]:
                    given[question] = answer
                    if text:
                        motivations[question] = text
        answers = {q.id: given.get(q.id, "no") for q in questions_to_ask(given)}
        motivations = {q: t for q, t in motivations.items() if q in answers}
        duties = evaluate(answers, board_requires_minor=self.settings.board_requires_minor)
        general = ""
        if [d.code for d in duties] == [CONSENT_ONLY]:
            texts: tuple[str, ...]
            if answers.get("complaint") == "no" and "klacht_school" in case.escalating:
                texts = _NO_COMPLAINT
            elif not case.minor and not calm:
                texts = _NO_ESCALATION_ADULT
            else:
                texts = _NO_ESCALATION
            general = self.rng.choice(texts)
        return answers, motivations, general

    def old_answers(
        self, answers: dict[str, str], motivations: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]] | None:
        """The same check as the rules of 2026.1 asked it, or None when it used a question
        2026.1 did not have (then it cannot have been made under those rules)."""
        old = rules_for_version(OLD_RULES)
        known = {q.id for q in old.questions}
        given = {q: a for q, a in answers.items() if a != "no"}
        if not set(given) <= known:
            return None
        asked = {q.id: given.get(q.id, "no") for q in old.questions_to_ask(given)}
        if [d.code for d in old.evaluate(asked)] == [CONSENT_ONLY]:
            return None  # keep the demo's old decisions ones that escalated
        return asked, {q: t for q, t in motivations.items() if q in asked}

    def case(self, case: _Case, calm: bool) -> None:
        end = case.closed or self.today
        answers, motivations, general = self.answers(case, calm)
        now = self.moment(case.opened, 10, 14)
        version = None
        if case.closed is None and self.old_rules < OLD_RULES_CASES and not calm:
            old = self.old_answers(answers, motivations)
            if old is not None and self.rng.random() < 0.5:
                (answers, motivations), version = old, OLD_RULES
                self.old_rules += 1
        extra = {} if version is None else {"rules_version": version}
        record = record_check(
            self.store, case.id, answers, motivations, general, now=now, settings=self.settings,
            **extra,
        )
        kinds = {o.route_id: o.duty_code for o in record.obligations if o.route_id is not None}
        for route_id in record.route_ids:
            self.route(route_id, kinds.get(route_id, "MELDCODE"), case, now.date(), end)
        self.complete(case, end)

    # -- the meldcode route ------------------------------------------------------------------
    def route(self, route_id: int, kind: str, case: _Case, start: date, end: date) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.choice((0, 0, 1)))
        for number, gap in ((1, 0), (2, rng.randint(1, 5)), (3, rng.randint(1, 7))):
            day += timedelta(days=gap)
            if day > end:
                return
            note = rng.choice(_STEPS[number]) if rng.random() < 0.85 else ""
            consulted = (
                [rng.choice(_CONSULTED), *(["veilig_thuis"] if rng.random() < 0.4 else [])]
                if number == 2
                else []
            )
            record_step(
                self.store, route_id, number, day, note, now=self.moment(day), consulted=consulted
            )
        day += timedelta(days=rng.randint(1, 7))
        if day > end or rng.random() < 0.2:
            return  # the afweging is still to come
        weights = (1, 2, 1) if kind == "MELDCODE" else (3, 2, 1)
        outcome = rng.choices(("close", "start_help", "melden"), weights)[0]
        room = (end - day).days
        if outcome == "start_help" and case.closed is not None and room < 30:
            outcome = "melden" if kind == "MELDCODE" else "close"
        if outcome == "close":
            self.afweging(route_id, {1: "no"}, day, None)
        elif outcome == "melden":
            self.afweging(route_id, {1: "yes", 2: "yes"}, day, None)
        else:
            longest = min(70, room - 1) if case.closed is not None else 70
            term = day + timedelta(days=rng.randint(min(28, longest), longest))
            self.afweging(route_id, {1: "yes", 2: "no", 3: "yes", 4: "yes"}, day, term)
            follow_up = self.between(term, min(term + timedelta(days=14), end))
            if follow_up is not None and (case.closed is not None or rng.random() < 0.6):
                answer = "yes" if rng.random() < 0.75 else "no"
                self.afweging(route_id, {5: answer}, follow_up, None)

    def between(self, first: date, last: date) -> date | None:
        if last < first:
            return None
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def afweging(
        self, route_id: int, answers: dict[int, str], day: date, term: date | None
    ) -> None:
        motivations = {n: _AFWEGING[(n, a)] for n, a in answers.items()}
        record_afweging(
            self.store, route_id, answers, motivations, now=self.moment(day), term_until=term
        )

    # -- obligations done --------------------------------------------------------------------
    def complete(self, case: _Case, end: date) -> None:
        rng = self.rng
        recent = case.closed is None and (self.today - case.opened).days <= RECENT_DAYS
        for obligation in case_obligations(self.store, case.id):
            if obligation.done:
                continue
            if obligation.duty_code == TERM_CODE and case.closed is None:
                continue  # answered by the follow-up afweging, or still to come
            if case.closed is None:
                if obligation.due_at.date() > end:
                    continue  # not due yet
                if rng.random() < (0.6 if recent else 0.03):
                    continue  # still open (overdue)
            self.done(obligation, end)

    def done(self, obligation: Obligation, end: date) -> None:
        rng = self.rng
        due = max(obligation.due_at.date(), obligation.created_at.date())
        day = max(min(due + timedelta(days=rng.choice(_DELAYS)), end), obligation.created_at.date())
        whom, how = _WHOM_HOW.get(obligation.duty_code, ((), ()))
        complete_obligation(
            self.store,
            obligation.id,
            done_on=day,
            informed_whom=rng.choice(whom) if whom else "",
            informed_how=rng.choice(how) if how else "",
            pupil_told_first=rng.random() < 0.85,
            note=rng.choice(_DONE_NOTES) if rng.random() < 0.4 else "",
            today=self.today,
        )


def add_escalations(
    store: Store, rows: Rows, *, seed: int, today: date, settings: Settings
) -> Added:
    """Escalation checks, obligations and meldcode routes on the cases of `rows` (already
    written to `store`); see the module doc. Returns what was added."""
    rng = random.Random(seed)
    chosen, calm = _choose(rng, _cases(rows))
    before = _counts(store)
    closed = {c.id: c.closed for c in chosen if c.closed is not None}
    _set_closed(store, dict.fromkeys(closed))
    try:
        story = _Story(store, rng, today, settings)
        for case in chosen:
            story.case(case, case.id in calm)
    finally:
        _set_closed(store, closed)
    after = _counts(store)
    return Added(*(a - b for a, b in zip(after, before, strict=True)))
