"""The right of access and the right to erasure for one pupil (AVG art. 15 and 17; job 8).

`pupil_export_pdf` gathers everything the store holds about one pupil — the pupil record, the
requests for contact linked to the pupil or to the pupil's cases, every case with its
categories, story, help question and closing, the consents in force, every timeline entry
(superseded ones too, marked), the escalation checks with answers and motivations, the
obligations, and the meldcode routes with steps and afwegingen — and renders it as an A4 PDF
(reportlab). Every page carries the marking "Persoonsgegevens — vertrouwelijk (inzage AVG
art. 15)" and "Pagina N van M"; the first page says who may receive it (the parents or carers
of a pupil under 16, the pupil from 16) and that the VP decides whether parts are withheld to
protect others. The journal records `exported` with counts only. The PDF is returned as bytes;
saving or printing it is the caller's explicit step.

Fonts: a TrueType font with wide coverage (Arial or Segoe UI on Windows, DejaVu Sans or
Liberation Sans elsewhere) is used when one is found, so that names such as "Łukasz" or
"Şahin" print correctly; otherwise Helvetica (WinAnsi: the Dutch accents only).

Erasure on request lives in `app.services.erasure` (with its legal limits). Requests
registered with only a name (`pupil_label`, no link) are not found automatically:
`unlinked_requests_like` lists candidates for the VP, who passes the ones that are about this
pupil as `also_requests` to the export and to the erasure.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from app import journal
from app.domain.dates import moment_to_db, show_date
from app.domain.lists import (
    ACTION_TYPES,
    CATEGORIES,
    CLOSE_REASONS,
    ENTRY_KINDS,
    EXTERNAL_HELP,
    LEVELS,
    RECIPIENTS,
    REFERRAL_SOURCES,
    TAKEN_UP_BY,
    duty_label,
    label,
)
from app.domain.models import Case, Entry, Pupil, Request
from app.i18n import _
from app.rules.meldcode import AFWEGING_QUESTIONS, load_meldcode
from app.services.cases import current_consents, list_cases, timeline
from app.services.escalation import (
    EscalationRecord,
    Obligation,
    case_obligations,
    decisions,
    question_texts,
)
from app.services.meldcode import MeldcodeRoute, routes_for_case
from app.services.pupils import fold
from app.services.rows import REQUEST_SELECT, load_case, load_pupil, request_from_row
from app.store.db import Store
from app.store.settings import load_settings

__all__ = [
    "Writer",
    "marking",
    "pupil_export_pdf",
    "text_choices",
    "unlinked_requests_like",
]

_FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("C:/Windows/Fonts/segoeui.ttf", "C:/Windows/Fonts/segoeuib.ttf"),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)


def marking() -> str:
    """The marking printed at the top of every page."""
    return _("Personal data — confidential (access request, GDPR art. 15)")


@dataclass
class _Dossier:
    pupil: Pupil
    requests: list[Request]
    cases: list[Case] = field(default_factory=list)
    entries: dict[int, list[Entry]] = field(default_factory=dict)
    consents: dict[int, dict[str, Entry]] = field(default_factory=dict)
    checks: dict[int, list[EscalationRecord]] = field(default_factory=dict)
    obligations: dict[int, list[Obligation]] = field(default_factory=dict)
    routes: dict[int, list[MeldcodeRoute]] = field(default_factory=dict)


def _pupil_requests(
    store: Store, pupil_id: int, case_ids: Sequence[int], also: Sequence[int]
) -> list[Request]:
    ids = sorted({int(c) for c in case_ids})
    extra = sorted({int(r) for r in also})
    marks_c = ", ".join("?" for _i in ids) or "NULL"
    marks_r = ", ".join("?" for _i in extra) or "NULL"
    rows = store.query(
        REQUEST_SELECT + f" WHERE r.pupil_id = ? OR r.case_id IN ({marks_c}) "
        f"OR r.id IN ({marks_r}) ORDER BY r.received_at, r.id",
        (pupil_id, *ids, *extra),
    )
    return [request_from_row(row) for row in rows]


def _collect(store: Store, pupil_id: int, also_requests: Sequence[int]) -> _Dossier:
    pupil = load_pupil(store, pupil_id)
    summaries = list_cases(store, pupil_id=pupil_id, limit=1_000_000)
    case_ids = sorted(s.id for s in summaries)
    dossier = _Dossier(pupil, _pupil_requests(store, pupil_id, case_ids, also_requests))
    for case_id in case_ids:
        dossier.cases.append(load_case(store, case_id))
        dossier.entries[case_id] = timeline(store, case_id)
        dossier.consents[case_id] = current_consents(store, case_id)
        dossier.checks[case_id] = decisions(store, case_id)
        dossier.obligations[case_id] = case_obligations(store, case_id)
        dossier.routes[case_id] = routes_for_case(store, case_id)
    return dossier


def unlinked_requests_like(store: Store, pupil_id: int) -> list[Request]:
    """Requests without a pupil or case whose name label matches the pupil's name (ignoring
    case and accents): candidates the VP checks before an access export or an erasure."""
    name = fold(load_pupil(store, pupil_id).name)
    if not name:
        return []
    rows = store.query(
        REQUEST_SELECT + " WHERE r.pupil_id IS NULL AND r.case_id IS NULL "
        "AND r.pupil_label != '' ORDER BY r.received_at, r.id"
    )
    return [
        request_from_row(row)
        for row in rows
        if name in fold(str(row[5])) or fold(str(row[5])) in name
    ]


# --- the PDF ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """(regular, bold) font names: a wide-coverage TrueType font when found, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in _FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            try:
                pdfmetrics.registerFont(TTFont("VertrouwdSans", regular))
                pdfmetrics.registerFont(TTFont("VertrouwdSans-Bold", bold))
            except Exception:  # a damaged or unsupported font file: try the next one
                continue
            return "VertrouwdSans", "VertrouwdSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Yes") if value else _("No")


def _answer(value: str) -> str:
    return {"yes": _("Yes"), "no": _("No"), "doubt": _("Doubt")}.get(value, value)


def _moment(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%d-%m-%Y %H:%M")


def _day(value: date | None) -> str:
    return "" if value is None else show_date(value)


class _Writer:
    """Builds the flowables; `counts` tallies what went in (for the journal)."""

    def __init__(self, regular: str, bold: str, withheld: frozenset[str] = frozenset()) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13, spaceAfter=3)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=8.5, leading=11, textColor=colors.HexColor("#444")
        )
        self.h1 = ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceAfter=8)
        self.h2 = ParagraphStyle(
            "h2",
            fontName=bold,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        )
        self.h3 = ParagraphStyle(
            "h3",
            fontName=bold,
            fontSize=10.5,
            leading=14,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        )
        self.story: list[Any] = []
        self.texts = 0
        self.withheld = withheld  # keys of the texts the VP leaves out (art. 15(4), 23)
        self.left_out = 0
        self.choices: list[tuple[str, str, str]] = []  # (key, caption, text): every text

    def keep(self, key: str, caption: str, text: str) -> bool:
        """Whether the text under `key` goes into the export (and note it as a choice)."""
        if not text:
            return False
        self.choices.append((key, caption, text))
        if key in self.withheld:
            self.left_out += 1
            return False
        return True

    def para(self, text: str, style: Any = None) -> None:
        from reportlab.platypus import Paragraph

        safe = escape(text).replace("\n", "<br/>")
        self.story.append(Paragraph(safe, style or self.body))

    def text(self, caption: str, text: str, key: str = "") -> None:
        """A free text kept in the store (a note), under a small caption (kept together)."""
        from reportlab.platypus import KeepTogether

        if not self.keep(key or f"text:{len(self.choices)}", caption, text):
            return
        self.texts += 1
        self.para(caption, self.small)
        self.para(text)
        pair = self.story[-2:]
        del self.story[-2:]
        self.story.append(KeepTogether(pair))

    def fields(self, rows: Sequence[tuple[str, str]]) -> None:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        data = [
            [Paragraph(escape(k), self.small), Paragraph(escape(v), self.body)]
            for k, v in rows
            if v
        ]
        if not data:
            return
        table = Table(data, colWidths=[48 * mm, 122 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        self.story.append(table)

    def gap(self, height: float = 4) -> None:
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height))


def _intro(w: _Writer, school: str, made_by: str, now: datetime) -> None:
    w.para(_("Access to personal data"), w.h1)
    w.para(
        _(
            "This document contains everything the confidential adviser for pupils keeps in "
            "Vertrouwd about the pupil named below, made on request (right of access, GDPR "
            "art. 15)."
        )
    )
    w.para(
        _(
            "Who may receive it: for a pupil under 16, the parents or carers with parental "
            "authority; from 16, the pupil themself. Access may be limited to protect others "
            "(for example what someone else told in confidence): the confidential adviser "
            "decides, before handing it over, which parts are left out. The document then says "
            "that parts were left out, not which."
        )
    )
    w.para(
        _(
            "Hand the document over in person or send it securely; do not keep copies. Backups "
            "of the data file contain the same data until they are replaced."
        ),
        w.small,
    )
    w.gap()
    w.fields(
        [
            (_("School"), school),
            (_("Made on"), _moment(now)),
            (_("Made by"), made_by),
        ]
    )


def _pupil(w: _Writer, pupil: Pupil) -> None:
    w.para(_("The pupil"), w.h2)
    w.fields(
        [
            (_("Name or pseudonym"), pupil.name),
            (_("Class"), pupil.class_name),
            (_("Year"), "" if pupil.year_group is None else str(pupil.year_group)),
            (_("Level"), label(LEVELS, pupil.level) if pupil.level else ""),
            (_("Minor"), _yes_no(pupil.minor)),
            (_("Parental authority"), pupil.authority),
            (_("Registered on"), _moment(pupil.created_at)),
        ]
    )


def _requests(w: _Writer, requests: Sequence[Request]) -> None:
    w.para(_("Requests for contact"), w.h2)
    if not requests:
        w.para(_("None."))
    for request in requests:
        w.para(_("Request of {date}").format(date=_moment(request.received_at)), w.h3)
        w.fields(
            [
                (_("Came in through"), _source(w, request.source)),
                (_("Urgent"), _yes_no(request.urgent)),
                (_("Answer by"), _day(request.respond_by)),
                (_("Answered on"), _day(request.answered_on)),
                (_("Name as registered"), "" if "sources" in w.withheld else request.pupil_label),
                (_("Case"), "" if request.case_id is None else str(request.case_id)),
            ]
        )
        w.text(_("Note"), request.note, f"request:{request.id}")


def _source(w: _Writer, source: str) -> str:
    """Who raised the concern, unless the VP leaves that out (key "sources")."""
    if "sources" in w.withheld:
        w.left_out += 1
        return ""
    return label(REFERRAL_SOURCES, source)


def _entry_line(entry: Entry) -> str:
    parts = [_day(entry.on_date), label(ENTRY_KINDS, entry.kind)]
    if entry.with_whom:
        parts.append(entry.with_whom)
    if entry.minutes:
        parts.append(_("{minutes} min.").format(minutes=entry.minutes))
    if entry.recipient:
        given = _("consent given") if entry.consent else _("consent withdrawn")
        parts.append(f"{label(RECIPIENTS, entry.recipient)}: {given}")
    if entry.referral:
        parts.append(label(EXTERNAL_HELP, entry.referral))
    if entry.action_type:
        parts.append(label(ACTION_TYPES, entry.action_type))
    if entry.due_on:
        parts.append(_("due {date}").format(date=_day(entry.due_on)))
    if entry.done_on:
        parts.append(_("done {date}").format(date=_day(entry.done_on)))
    return " · ".join(parts)


def _case(w: _Writer, dossier: _Dossier, case: Case) -> None:
    w.para(_("Case {case}").format(case=case.id) + (f": {case.title}" if case.title else ""), w.h2)
    w.fields(
        [
            (_("Opened on"), _day(case.opened_on)),
            (_("Taken up by"), label(TAKEN_UP_BY, case.taken_up_by)),
            (_("Came in through"), _source(w, case.source)),
            (_("Limits of confidentiality explained"), _moment(case.confidentiality_explained_at)),
            (_("Nature of the problem"), ", ".join(label(CATEGORIES, c) for c in case.categories)),
            (_("Closed on"), _day(case.closed_on)),
            (_("Reason for closing"), label(CLOSE_REASONS, case.close_reason or "")),
        ]
    )
    w.text(_("The pupil's story"), case.story, f"case:{case.id}:story")
    w.text(_("Question for help"), case.help_question, f"case:{case.id}:question")
    w.text(_("Closing note"), case.close_note, f"case:{case.id}:close")

    consents = dossier.consents.get(case.id, {})
    if consents:
        w.para(_("Consent to share, as in force"), w.h3)
        w.fields(
            [
                (
                    label(RECIPIENTS, recipient),
                    (_("given") if entry.consent else _("withdrawn"))
                    + " "
                    + _("on {date}").format(date=_day(entry.on_date)),
                )
                for recipient, entry in consents.items()
            ]
        )

    w.para(_("Timeline"), w.h3)
    entries = dossier.entries.get(case.id, [])
    if not entries:
        w.para(_("None."))
    for entry in entries:
        line = _entry_line(entry)
        if entry.superseded:
            line += " — " + _("replaced by a correction (kept as it was)")
        if entry.supersedes is not None:
            line += " — " + _("correction of an earlier entry")
        w.para(line, w.small)
        if w.keep(f"entry:{entry.id}", line, entry.text):
            w.texts += 1
            w.para(entry.text)
    _checks(w, dossier.checks.get(case.id, []))
    _obligations(w, dossier.obligations.get(case.id, []))
    _routes(w, dossier.routes.get(case.id, []))


def _checks(w: _Writer, checks: Sequence[EscalationRecord]) -> None:
    for check in checks:
        questions = question_texts(check.rules_version)
        w.para(_("Escalation check of {date}").format(date=_moment(check.decided_at)), w.h3)
        w.fields(
            [(questions.get(qid, qid), _answer(answer)) for qid, answer in check.answers.items()]
            + [
                (_("Outcome"), "; ".join(duty_label(code) for code in check.duties)),
                (_("Rules version"), check.rules_version),
            ]
        )
        for qid, text in check.motivations.items():
            w.text(_("Motivation: {question}").format(question=questions.get(qid, qid)), text,
                   f"check:{check.id}:{qid}")
        w.text(_("Motivation"), check.general_motivation, f"check:{check.id}")


def _obligations(w: _Writer, obligations: Sequence[Obligation]) -> None:
    for item in obligations:
        title = item.title or duty_label(item.duty_code)
        w.para(_("Obligation: {title}").format(title=title), w.h3)
        w.fields(
            [
                (_("Basis"), item.basis),
                (_("Due"), _moment(item.due_at)),
                (_("Done on"), _day(item.done_on)),
                (_("Informed"), item.informed_whom),
                (_("How"), item.informed_how),
                (
                    _("Pupil told beforehand"),
                    "" if item.pupil_told_first is None else _yes_no(item.pupil_told_first),
                ),
            ]
        )
        w.text(_("Note"), item.note, f"obligation:{item.id}")


def _outcome_titles() -> dict[str, str]:
    table = load_meldcode()
    return {code: title for code, (title, _text) in table._outcomes.items()}


def _routes(w: _Writer, routes: Sequence[MeldcodeRoute]) -> None:
    if not routes:
        return
    outcomes = _outcome_titles()
    for route in routes:
        kind = duty_label(route.kind)
        w.para(_("Meldcode route: {kind}").format(kind=kind), w.h3)
        w.fields(
            [
                (_("Started on"), _day(route.started_on)),
                (_("Outcome"), outcomes.get(route.outcome or "", route.outcome or "")),
                (_("Closed on"), _day(route.closed_on)),
            ]
        )
        for step in route.steps:
            w.para(f"{step.step}. {step.title} — {_day(step.on_date)}", w.small)
            if w.keep(f"step:{route.id}:{step.step}", step.title, step.note):
                w.texts += 1
                w.para(step.note)
        for walk in route.afwegingen:
            w.para(_("Afweging of {date}").format(date=_moment(walk.decided_at)), w.small)
            w.fields(
                [
                    (
                        AFWEGING_QUESTIONS[n].text if n in AFWEGING_QUESTIONS else str(n),
                        _answer(answer),
                    )
                    for n, answer in walk.answers.items()
                ]
                + [
                    (_("Outcome"), outcomes.get(walk.outcome, walk.outcome)),
                    (_("Term until"), _day(walk.term_until)),
                ]
            )
            for n, text in walk.motivations.items():
                w.text(_("Motivation: question {number}").format(number=n), text,
                       f"afweging:{walk.id}:{n}")


def _closing(w: _Writer) -> None:
    w.gap(8)
    if w.left_out:
        w.para(
            _(
                "Some parts of the file have been left out of this document to protect the "
                "pupil or other people, such as classmates, the person the concern is about or "
                "the person who raised it (AVG articles 15(4) and 23; UAVG article 41)."
            )
        )
    w.para(
        _(
            "Not in this document because it holds nothing about the pupil: the program's "
            "journal (times and counts only) and the school's settings."
        ),
        w.small,
    )


def _render(
    build: Callable[[_Writer], None],
    school: str,
    now: datetime,
    withheld: frozenset[str] = frozenset(),
) -> tuple[bytes, int]:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    regular, bold = _fonts()
    width, height = A4
    pages = 0

    def run(total: int | None) -> bytes:
        nonlocal pages
        buffer = io.BytesIO()

        def decorate(canvas: Any, doc: Any) -> None:
            nonlocal pages
            number = int(canvas.getPageNumber())
            pages = max(pages, number)
            canvas.saveState()
            canvas.setFillColor(colors.HexColor("#9b1c1c"))
            canvas.setFont(bold, 10)
            canvas.drawString(20 * mm, height - 13 * mm, marking())
            canvas.setStrokeColor(colors.HexColor("#9b1c1c"))
            canvas.line(20 * mm, height - 15 * mm, width - 20 * mm, height - 15 * mm)
            canvas.setFillColor(colors.HexColor("#444444"))
            canvas.setFont(regular, 8)
            canvas.drawString(20 * mm, 10 * mm, f"{school} · {_moment(now)}"[:110])
            footer = _("Page {page} of {total}").format(page=number, total=total or number)
            canvas.drawRightString(width - 20 * mm, 10 * mm, footer)
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=22 * mm,
            bottomMargin=18 * mm,
            title=_("Access to personal data"),
            author="Vertrouwd",
        )
        writer = _Writer(regular, bold, withheld)
        build(writer)
        doc.build(writer.story, onFirstPage=decorate, onLaterPages=decorate)
        return buffer.getvalue()

    run(None)
    total = pages
    pages = 0
    return run(total), total


def pupil_export_pdf(
    store: Store,
    pupil_id: int,
    *,
    made_by: str,
    now: datetime,
    also_requests: Sequence[int] = (),
    withheld: frozenset[str] = frozenset(),
    preface: Callable[[_Writer], None] | None = None,
    appendix: Callable[[_Writer], None] | None = None,
) -> bytes:
    """Everything stored about one pupil as an A4 PDF marked as personal data (see module).

    `withheld` are keys of texts the VP leaves out (`text_choices`; "sources" leaves out who
    raised the concern); the document then says that parts were left out, not which.
    `preface` and `appendix` add sections before and after the data
    (`app.services.access_rights`)."""
    dossier = _collect(store, pupil_id, also_requests)
    school = load_settings(store)
    school_name = school.school + (f" — {school.location}" if school.location else "")
    written = {"texts": 0}

    def build(w: _Writer) -> None:
        _intro(w, school_name, made_by, now)
        if preface is not None:
            preface(w)
        _pupil(w, dossier.pupil)
        _requests(w, dossier.requests)
        for case in dossier.cases:
            _case(w, dossier, case)
        if appendix is not None:
            appendix(w)
        _closing(w)
        written["texts"] = w.texts

    pdf, pages = _render(build, school_name, now, withheld)
    journal.append(
        store,
        moment_to_db(now),
        "exported",
        kind="access",
        cases=len(dossier.cases),
        requests=len(dossier.requests),
        entries=sum(len(v) for v in dossier.entries.values()),
        texts=written["texts"],
        pages=pages,
    )
    return pdf


def text_choices(
    store: Store, pupil_id: int, also_requests: Sequence[int] = ()
) -> list[tuple[str, str, str]]:
    """Every free text the export would hold, as (key, caption, text): what the VP may leave
    out. Read through the same writer as the PDF, without rendering it."""
    dossier = _collect(store, pupil_id, also_requests)
    w = _Writer("Helvetica", "Helvetica-Bold")
    _requests(w, dossier.requests)
    for case in dossier.cases:
        _case(w, dossier, case)
    return w.choices


Writer = _Writer  # the section writer, for `app.services.access_rights`
