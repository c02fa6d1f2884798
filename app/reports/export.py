"""Saving an annual report: every file or none, then the journal (shared by CLI and GUI).

The command line (`vertrouwd report`, :mod:`app.commands.report`) and the annual-report wizard
(`ui/wizards/annual_report.py`) both save through here, so they behave the same:

* :func:`check_targets` refuses, before anything is made, two outputs with the same name, an
  output that would overwrite an input, a folder that is missing or read-only, and every
  target the output guard (:mod:`app.output_guard`) refuses: the store, its config, a backup,
  the data folder, a link or a device;
* :func:`write_all` writes each file atomically (:func:`app.reports.data_file.write_atomic`)
  and, when a later file fails, puts the earlier ones of the same run back as they were;
* :func:`save_annual` writes the PDF and, optionally, the data file (JSON) with the CSV of the
  same cells beside it, then journals ``report_made`` with the school year and counts only
  (:func:`journal_report`, also used when the wizard prints the report).

Every failure is a :class:`app.reports.annual.ReportError` with one Dutch sentence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from app import journal, winfs
from app.domain.dates import moment_to_db
from app.i18n import _
from app.messages import io_reason
from app.output_guard import safe_resolve
from app.reports.annual import AnnualFigures, ReportError, to_data_file
from app.reports.data_file import DataFileError, check_writable, to_csv, to_json, write_atomic
from app.store.db import Store

__all__ = [
    "check_targets",
    "csv_beside",
    "journal_report",
    "save_annual",
    "write_all",
]


def csv_beside(data: Path) -> Path:
    """The CSV written beside the data file ``data`` (``a.json`` -> ``a.csv``)."""
    return (
        data.with_suffix(".csv")
        if data.suffix.lower() == ".json"
        else data.with_name(data.name + ".csv")
    )


def check_targets(out: Path, data: Path | None, inputs: Sequence[Path] = ()) -> list[Path]:
    """Every path that saving would write (the PDF, and the data file with its CSV).

    Raises :class:`ReportError` for two outputs with one name, an output that is one of
    ``inputs``, and a target that cannot be written (missing or read-only folder, a folder
    given as file name). Nothing is written (a probe file is made and removed).
    """
    paths = [out] + ([data, csv_beside(data)] if data is not None else [])
    if len({safe_resolve(p) for p in paths}) < len(paths):
        raise ReportError(_("Choose different file names for the PDF and the data file."))
    inputs_resolved = {safe_resolve(p) for p in inputs}
    if any(safe_resolve(p) in inputs_resolved for p in paths):
        raise ReportError(_("An output file would overwrite one of the data files to merge."))
    kinds = ["pdf", "json", "csv"]
    for path, kind in zip(paths, kinds, strict=False):
        try:
            check_writable(path, kind)
        except DataFileError as error:
            raise ReportError(error.message_nl) from None
    return paths


def write_all(
    files: Sequence[tuple[Path, str | bytes]], last: Callable[[], None] | None = None
) -> None:
    """Write ``files`` atomically, then run ``last``; on any failure put back what was there."""
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, content in files:
            before = path.read_bytes() if path.is_file() else None
            write_atomic(path, content)
            done.append((path, before))
        if last is not None:
            last()
    except (DataFileError, OSError) as error:
        for path, before in reversed(done):
            with contextlib.suppress(OSError, DataFileError):
                if before is None:
                    winfs.unlink(path)
                else:
                    write_atomic(path, before)
        if isinstance(error, DataFileError):
            raise ReportError(error.message_nl) from None
        raise ReportError(
            _("The report could not be saved ({reason}); nothing has been saved.").format(
                reason=io_reason(error)
            )
        ) from None


def journal_report(
    store: Store,
    figures: AnnualFigures,
    *,
    now: datetime,
    data_file: bool,
    printed: bool = False,
) -> None:
    """Journal ``report_made``: the school year and counts, never a figure or a text."""
    details: dict[str, int | str] = {
        "school_year": figures.school_year,
        "tables": len(figures.tables),
        "data_file": int(data_file),
        "empty": int(figures.empty),
    }
    if printed:
        details["printed"] = 1
    journal.append(store, moment_to_db(now), "report_made", **details)


def save_annual(
    store: Store,
    figures: AnnualFigures,
    pdf: bytes,
    out: Path,
    data: Path | None,
    *,
    now: datetime,
) -> list[Path]:
    """Save the PDF ``pdf`` at ``out`` and, with ``data``, the data file and its CSV.

    All files or none (see the module doc); then ``report_made`` is journaled. Returns the
    paths written. Raises :class:`ReportError` (one Dutch sentence) when nothing was saved.
    """
    paths = check_targets(out, data)
    files: list[tuple[Path, str | bytes]] = []
    if data is not None:
        try:
            data_file = to_data_file(figures)
            files += [(data, to_json(data_file)), (csv_beside(data), to_csv(data_file))]
        except DataFileError as error:
            raise ReportError(error.message_nl) from None
    write_all([*files, (out, pdf)])
    journal_report(store, figures, now=now, data_file=data is not None)
    return paths
