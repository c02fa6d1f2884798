"""`report`: the annual report (PDF) and the school group's data file; `report merge`.

Two forms on one parser (argparse cannot mix an optional sub-command with options of the
parent, so the words after `report` decide)::

    vertrouwd [--data-dir DIR] [--key-stdin] report --school-year 2025-2026 --out FILE.pdf
                                                    [--data FILE.json]
    vertrouwd report merge FILE.json... --out FILE.pdf [--data FILE.json]

The first writes the PDF of `app.reports.pdf` and, with `--data`, the data file
(`vertrouwd-jaarcijfers` version 2, `app.reports.data_file`) and a CSV of the same cells beside
it (`FILE.csv`). The second adds several schools' data files of one school year up into a group
PDF (`app.reports.merge_pdf`) and, with `--data`, a group data file in its own format, because
the annual data file cannot hold ranges (documented in :data:`GROUP_FORMAT_HELP`)::

    {"format": "vertrouwd-groepscijfers", "version": 2, "school_year": "2025-2026",
     "threshold": 5,
     "schools": [{"school": str, "location": str}, ...],
     "levels": {TABLE: "detail" | "group"},
     "tables": {TABLE: {ROW: {"low": int, "high": int, "display": "12–20"}}},
     "missing": {TABLE: [{"school": str, "location": str}, ...]}}

(version 2 added ``levels``: a table is at group level when one school published it so, see
:mod:`app.reports.grouping`). Data files of a school year that has not ended (*concept*) are
refused, in one Dutch sentence.

with a CSV beside it (`table,row,low,high,display`). `low`/`high` are the smallest and largest
possible group count; `display` is what the group PDF prints ("17", "12–20" or "<5").

Every output is checked for writability before anything is made, every file is written
atomically, and when a later file fails the earlier ones of the same run are put back as they
were: a run writes all its files or none. Every failure is one Dutch sentence and exit code 1.
A report made is journaled as `report_made` with the school year and counts only. The saving
itself (checks, all-or-nothing writing, the journal) lives in :mod:`app.reports.export`,
shared with the annual-report wizard of the GUI.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import journal
from app.cli import UserError, data_dir_of, open_session
from app.clock import SystemClock
from app.commands import add
from app.domain.dates import school_year_bounds
from app.domain.errors import ValidationError
from app.i18n import _
from app.reports.annual import ReportError, compute, to_data_file
from app.reports.data_file import DataFileError, MergedFigures, load, merge
from app.reports.export import check_targets, csv_beside, save_annual, write_all
from app.store.settings import load_settings

GROUP_FORMAT = "vertrouwd-groepscijfers"
GROUP_VERSION = 2


def _group_format_help() -> str:
    return _(
        "With merge, --data writes the group figures in the format vertrouwd-groepscijfers "
        "version 2 (the annual data file cannot hold ranges): per table and row the lowest and "
        "highest possible count and the text the group PDF shows, with a CSV beside it."
    )


def register(sub: Any) -> None:
    parser = add(
        sub,
        "report",
        _(
            "make the annual report (PDF) and the data file for the school group, or merge "
            "several schools' data files (report merge FILE.json... --out FILE.pdf)"
        ),
        cmd_report,
    )
    parser.epilog = _group_format_help()
    parser.add_argument(
        "words",
        nargs="*",
        metavar="merge FILE.json",
        help=_("merge these data files of several schools into one group report"),
    )
    parser.add_argument(
        "--school-year", metavar="YYYY-YYYY", help=_("the school year, for example 2025-2026")
    )
    parser.add_argument("--out", metavar="FILE.pdf", help=_("where to save the PDF"))
    parser.add_argument(
        "--data",
        metavar="FILE.json",
        help=_(
            "also save the figures as a data file (JSON, with a CSV of the same name beside it)"
        ),
    )


def cmd_report(args: argparse.Namespace) -> int:
    words: list[str] = list(args.words)
    if not words:
        return _year_report(args)
    if words[0] != "merge":
        raise UserError(
            _("Unknown word “{word}” after report; did you mean report merge?").format(
                word=words[0]
            )
        )
    return _merge_report(args, words[1:])


# --------------------------------------------------------------------------- paths


def _csv_beside(data: Path) -> Path:
    return csv_beside(data)


def _targets(args: argparse.Namespace, inputs: Sequence[Path] = ()) -> tuple[Path, Path | None]:
    if not args.out:
        raise UserError(
            _("Give the name of the PDF file with --out, for example --out jaarverslag.pdf.")
        )
    out = Path(args.out).expanduser().absolute()
    data = Path(args.data).expanduser().absolute() if args.data else None
    try:
        check_targets(out, data, inputs)
    except ReportError as error:
        raise UserError(error.message_nl) from None
    return out, data


def _write_all(files: Sequence[tuple[Path, str | bytes]], last: Callable[[], None]) -> None:
    """Write ``files`` atomically, then run ``last``; on any failure put back what was there."""
    try:
        write_all(files, last)
    except ReportError as error:
        raise UserError(error.message_nl) from None


# --------------------------------------------------------------------------- one school year


def _check_year(text: str) -> str:
    try:
        start, _end = school_year_bounds(text)
    except ValidationError as error:
        raise UserError(error.message) from None
    year = f"{start.year}-{start.year + 1}"
    if start > SystemClock().today():
        raise UserError(
            _(
                "The school year {year} has not started yet; a report can only be made for a "
                "school year that has begun."
            ).format(year=year)
        )
    return year


def _year_report(args: argparse.Namespace) -> int:
    from app.reports.pdf import render_annual_pdf

    if not args.school_year:
        raise UserError(_("Give the school year, for example --school-year 2025-2026."))
    school_year = _check_year(args.school_year)
    out, data = _targets(args)
    session = open_session(args, data_dir_of(args))
    try:
        store = session.store
        settings = load_settings(store)
        clock = SystemClock()
        try:
            figures = compute(
                store, school_year, threshold=settings.report_threshold, today=clock.today()
            )
            if data is not None:
                to_data_file(figures)  # a missing school name is refused before the PDF is made
            pdf = render_annual_pdf(figures, {}, None, witness=journal.witness(store))
            save_annual(store, figures, pdf, out, data, now=clock.now())
        except ReportError as error:
            raise UserError(error.message_nl) from None
        except DataFileError as error:
            raise UserError(error.message_nl) from None
    finally:
        session.lock()
    print(_("Annual report saved: {path}").format(path=out))
    if data is not None:
        print(
            _("Data file for the school group saved: {path} (and {csv})").format(
                path=data, csv=_csv_beside(data)
            )
        )
    if figures.empty:
        print(_("No contacts were registered in this school year; the report says so."))
    return 0


# --------------------------------------------------------------------------- merge


def group_document(merged: MergedFigures) -> dict[str, Any]:
    """The merged figures as a ``vertrouwd-groepscijfers`` document (see the module doc)."""
    return {
        "format": GROUP_FORMAT,
        "version": GROUP_VERSION,
        "school_year": merged.school_year,
        "threshold": merged.threshold,
        "schools": [{"school": s, "location": loc} for s, loc in merged.schools],
        "levels": dict(merged.levels),
        "tables": {
            table: {
                row: {"low": low, "high": high, "display": merged.display(table, row)}
                for row, (low, high) in rows.items()
            }
            for table, rows in merged.tables.items()
        },
        "missing": {
            table: [{"school": s, "location": loc} for s, loc in schools]
            for table, schools in merged.missing.items()
        },
    }


def group_csv(merged: MergedFigures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "low", "high", "display"])
    for table, rows in merged.tables.items():
        for row, (low, high) in rows.items():
            writer.writerow([table, row, low, high, merged.display(table, row)])
    return buffer.getvalue()


def _merge_report(args: argparse.Namespace, names: Sequence[str]) -> int:
    from app.reports.merge_pdf import render_group_pdf

    if not names:
        raise UserError(
            _(
                "Give the data files to merge, for example: "
                "report merge a.json b.json --out groep.pdf."
            )
        )
    if args.school_year:
        raise UserError(
            _("--school-year does not go with merge: the school year comes from the data files.")
        )
    inputs = [Path(name).expanduser().absolute() for name in names]
    try:
        files = [load(path) for path in inputs]
        merged = merge(files, today=SystemClock().today())
    except DataFileError as error:
        raise UserError(error.message_nl) from None
    out, data = _targets(args, inputs)
    outputs: list[tuple[Path, str | bytes]] = []
    if data is not None:
        text = json.dumps(group_document(merged), ensure_ascii=False, indent=2) + "\n"
        outputs += [(data, text), (_csv_beside(data), group_csv(merged))]
    _write_all(outputs, lambda: render_group_pdf(merged, out))
    print(_("Group report saved: {path}").format(path=out))
    if data is not None:
        print(_("Group figures saved: {path} (and {csv})").format(path=data, csv=_csv_beside(data)))
    return 0
