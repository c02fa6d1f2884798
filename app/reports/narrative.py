"""The words of the annual report (issue 14): what a figure means, in one plain sentence.

Everything here reads the displayed cells of :class:`app.reports.annual.AnnualFigures` only
(never a raw count), so a sentence can never say more than the tables: a "<5" stays "<5",
and a headline names a row only when its count is shown exactly.

* :func:`key_meaning` — one sentence per key figure saying what it means;
* :func:`headline` — one sentence per table saying what stands out;
* :func:`activity_label` — activity kinds as the board reads them.
"""

from __future__ import annotations

from app.domain.lists import ACTIVITY_KINDS, label
from app.i18n import _
from app.reports.annual import AnnualFigures, row_label


def key_meaning(row: str) -> str:
    """What a row of the key figures means, in one sentence."""
    texts = {
        "requests": _(
            "How often a pupil, a parent or a member of staff asked the confidential adviser "
            "for a conversation."
        ),
        "new_cases": _(
            "Questions that became a case of their own this year: the adviser listened, "
            "advised or referred."
        ),
        "carried_over": _("Cases from an earlier school year that still needed attention."),
        "conversations": _(
            "All conversations, with pupils and with others involved; a case often needs "
            "several."
        ),
        "pupils": _("Different pupils who were helped; a pupil with two cases counts once."),
        "consultations": _(
            "Times the adviser asked an expert for advice without naming the pupil "
            "(protocol 6f)."
        ),
        "routes_meldcode": _(
            "Suspicions of domestic violence or child abuse for which the reporting code was "
            "followed."
        ),
        "routes_veilig_thuis_advies": _(
            "Doubts about safety at home for which Veilig Thuis was asked for advice."
        ),
    }
    return texts.get(row, "")


def in_numbers(figures: AnnualFigures) -> str:
    """One line for page 1: the year in a few key figures (only the cells the report shows)."""
    parts = {
        "requests": _("{n} requests for contact"),
        "new_cases": _("{n} new cases"),
        "pupils": _("{n} different pupils"),
        "conversations": _("{n} conversations"),
    }
    shown = [
        text.format(n=figures.cell("totals", row))
        for row, text in parts.items()
        if figures.cell("totals", row) is not None
    ]
    if not shown:
        return ""
    return _("In numbers: {figures} (more from page 2).").format(figures=", ".join(shown))


def _top(figures: AnnualFigures, table: str) -> tuple[str, int] | None:
    """The row with the largest exactly shown count (the first on a tie), if any."""
    best: tuple[str, int] | None = None
    for row in figures.rows(table):
        cell = figures.cell(table, row)
        if isinstance(cell, int) and cell >= figures.threshold and (
            best is None or cell > best[1]
        ):
            best = (row, cell)
    return best


def headline(figures: AnnualFigures, table: str) -> str:
    """One sentence on what stands out in ``table`` (only exactly shown counts are named)."""
    if figures.omitted(table):
        return _(
            "Left out: even in groups most numbers of this table were smaller than {t}, so it "
            "would say nothing without making pupils recognisable."
        ).format(t=figures.threshold)
    top = _top(figures, table)
    if top is None:
        if all(figures.cell(table, row) in (0, None) for row in figures.rows(table)):
            return _("Nothing to count here this school year.")
        return _("All numbers in this table are small (fewer than {t}) or zero.").format(
            t=figures.threshold
        )
    row, value = top
    name = row_label(table, row)
    if name[1:2].islower():  # "Leerjaar 1 en 2" reads "leerjaar 1 en 2"; not "CSG"
        name = name[:1].lower() + name[1:]
    sentences = {
        "categories": _("Most often it was about: {name} ({n} cases)."),
        "referral_sources": _("Most requests came from: {name} ({n})."),
        "year_groups": _("Most pupils were in: {name} ({n})."),
        "action_types": _("What the adviser did most often: {name} ({n})."),
        "months": _("The busiest time: {name} ({n} conversations)."),
        "duties": _("Most often after a check: {name} ({n})."),
    }
    return sentences.get(table, "{name} ({n})").format(name=name, n=value)


def activity_label(kind: str) -> str:
    """An activity kind (class visit, policy advice, training …)."""
    return label(ACTIVITY_KINDS, kind)
