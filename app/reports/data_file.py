"""The anonymised data file for the school group, and merging several of them.

Format ``vertrouwd-jaarcijfers`` version 2 (JSON, UTF-8), keys in this order::

    {"format": "vertrouwd-jaarcijfers", "version": 2,
     "school": str, "location": str, "school_year": "2025-2026",
     "status": "final" | "concept",
     "threshold": 5,
     "tables": {TABLE: {"level": "detail" | "group", "rows": {ROW: VALUE}}}}

Version 2 (issue 14) adds, compared with version 1:

* ``status``: ``"concept"`` for a report of a school year that had not ended when it was
  made, else ``"final"``. :func:`merge` refuses a concept (two reports of one year, months
  apart, would reveal single cases by difference), and also any file whose school year has
  not ended on the day of the merge.
* ``level`` per table: ``"group"`` when the table is published at the group level of
  :mod:`app.reports.grouping` (its rows are then group ids, and the detailed table is not
  in the file), else ``"detail"``. :func:`merge` adds group-level tables; a school's detail
  table is rolled up to groups when another school only has groups.
* The ``duties`` rows ``REFER_CSG``, ``CONSULT_EXPERT`` and ``CONCERN_OTHER_PUPIL`` (the
  escalation rules 2026.2).
* The row ``activities`` of ``totals`` is no longer written (activities are shown exactly in
  the PDF, not in the data file).

Version 1 (``"tables": {TABLE: {ROW: VALUE}}``, no ``status``) is still read: every table is
at detail level, and the status is ``"final"`` (its school year must have ended).

* ``TABLE`` is one of :data:`TABLES`; a file may leave tables out.
* ``ROW`` is a stable id of DOMAIN.md: categories, referral sources, action
  types and duty codes from the fixed lists (:data:`ROW_IDS`); months as
  ``YYYY-MM`` inside the school year; rows of ``totals`` and ``year_groups``
  are short lowercase ids (``[a-z0-9][a-z0-9_-]*``, at most 40 characters).
* ``VALUE`` is an ``int`` that is 0 or at least the threshold, or the string
  ``"<5"`` (generally ``f"<{threshold}"``), which stands for a count from 1 to
  threshold - 1.
* The tables in :data:`WITH_TOTAL` carry their whole as the row ``_total``
  unless the suppression rule (:mod:`app.reports.suppression`) had to hide it.

The CSV beside it holds the same cells, one per line: ``table,row,value,level``.

Every write goes through :func:`write_atomic`: a temporary file in the target
folder, flushed and synced, then renamed into place, so a failure never leaves
a half-written file under the final name. User-facing failures raise
:class:`DataFileError` with a Dutch sentence in ``message_nl``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app import winfs
from app.domain.lists import ACTION_TYPES, CATEGORIES, REFERRAL_SOURCES
from app.domain.names import name_is_safe
from app.i18n import _
from app.output_guard import OutputRefused, check_output, kind_of
from app.reports import grouping
from app.reports.grouping import LEVEL_DETAIL, LEVEL_GROUP, LEVELS
from app.reports.suppression import (
    MIN_THRESHOLD,
    TOTAL_ROW,
    Cell,
    feasible_ranges,
    is_safe,
    marker,
)

FORMAT = "vertrouwd-jaarcijfers"
VERSION = 2
READABLE_VERSIONS = (1, 2)
STATUS_FINAL = "final"
STATUS_CONCEPT = "concept"

TABLES: tuple[str, ...] = (
    "totals",
    "categories",
    "referral_sources",
    "year_groups",
    "action_types",
    "months",
    "duties",
)
WITH_TOTAL: frozenset[str] = frozenset({"referral_sources", "year_groups", "months"})

# The row ids of DOMAIN.md's fixed lists, shared with the rest of the program.
CATEGORY_IDS: tuple[str, ...] = CATEGORIES
REFERRAL_SOURCE_IDS: tuple[str, ...] = REFERRAL_SOURCES
ACTION_TYPE_IDS: tuple[str, ...] = ACTION_TYPES
# The duty rows (DOMAIN.md's duty codes, in its order). Version 2 adds the duties of the
# escalation rules 2026.2: REFER_CSG, CONSULT_EXPERT and CONCERN_OTHER_PUPIL.
DUTY_CODES: tuple[str, ...] = (
    "ACT_NOW",
    "MELDCODE",
    "VEILIG_THUIS_ADVICE",
    "REFER_CSG",
    "REPORT_BOARD",
    "REPORT_DIRECTOR",
    "INFORM_PARENTS",
    "ADVISE_REPORT_POLICE",
    "CONSULT_EXPERT",
    "CONCERN_OTHER_PUPIL",
    "REFER_COMPLAINT",
    "CONSENT_ONLY",
)
ROW_IDS: dict[str, tuple[str, ...]] = {
    "categories": CATEGORY_IDS,
    "referral_sources": REFERRAL_SOURCE_IDS,
    "action_types": ACTION_TYPE_IDS,
    "duties": DUTY_CODES,
}
"""Tables whose rows come from a fixed list of DOMAIN.md."""

MAX_FILE_BYTES = 2 * 1024 * 1024
_FREE_ROW = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
_MAX_NAME = 200


class DataFileError(ValueError):
    """A problem the user must be told about; ``message_nl`` is a Dutch sentence."""

    def __init__(self, message_nl: str) -> None:
        super().__init__(message_nl)
        self.message_nl = message_nl


def school_months(school_year: str) -> tuple[str, ...]:
    """The twelve ``YYYY-MM`` ids of a school year (August up to and including July)."""
    first = _parse_school_year(school_year)
    return tuple(f"{first}-{m:02d}" for m in range(8, 13)) + tuple(
        f"{first + 1}-{m:02d}" for m in range(1, 8)
    )


def _parse_school_year(school_year: object) -> int:
    match = _SCHOOL_YEAR.fullmatch(school_year) if isinstance(school_year, str) else None
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise DataFileError(
            f"Het schooljaar {_show(school_year)} is ongeldig; "
            "verwacht wordt bijvoorbeeld 2025-2026."
        )
    return int(match.group(1))


def _show(value: object) -> str:
    """A short, quoted rendering of an unexpected value for a message."""
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class DataFile:
    """One school's published figures for one school year (already suppressed).

    Construction validates everything (see the module docstring) and raises
    :class:`DataFileError`; a ``DataFile`` that exists is well-formed.
    """

    school: str
    location: str
    school_year: str
    threshold: int
    tables: dict[str, dict[str, Cell]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    status: str = STATUS_FINAL

    def __post_init__(self) -> None:
        _validate(self)
        # Every table gets its level spelled out, so equal files compare equal.
        levels = {name: self.levels.get(name, LEVEL_DETAIL) for name in self.tables}
        object.__setattr__(self, "levels", levels)

    def level(self, table: str) -> str:
        """``"detail"`` or ``"group"`` (a table without a level is at detail level)."""
        return self.levels.get(table, LEVEL_DETAIL)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity within a merge: (school, location, school year), case-insensitive."""
        return (_norm(self.school), _norm(self.location), self.school_year)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _validate_name(label: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"In dit jaarcijferbestand ontbreekt {label}.")
    if len(value) > _MAX_NAME or not name_is_safe(value):
        raise DataFileError(f"In dit jaarcijferbestand is {label} ongeldig.")


def _validate(df: DataFile) -> None:
    _validate_name("de naam van de school", df.school)
    _validate_name("de locatie", df.location)
    _parse_school_year(df.school_year)
    t = df.threshold
    if not _is_int(t):
        raise DataFileError(f"De drempel {_show(t)} in dit bestand is geen geheel getal.")
    if t < MIN_THRESHOLD:
        raise DataFileError(
            f"De drempel in dit bestand is {t}; die moet ten minste {MIN_THRESHOLD} zijn."
        )
    if not isinstance(df.tables, dict):
        raise DataFileError("In dit jaarcijferbestand ontbreken de tabellen.")
    mark = marker(t)
    months = school_months(df.school_year)
    if df.status not in (STATUS_FINAL, STATUS_CONCEPT):
        raise DataFileError(f"De status {_show(df.status)} in dit bestand is ongeldig.")
    if not isinstance(df.levels, dict):
        raise DataFileError("In dit jaarcijferbestand zijn de niveaus van de tabellen ongeldig.")
    for name, level in df.levels.items():
        if name not in df.tables or level not in LEVELS or (
            level == LEVEL_GROUP and not grouping.has_groups(name)
        ):
            raise DataFileError(f"Het niveau van tabel {_show(name)} in dit bestand is ongeldig.")
    for name, rows in df.tables.items():
        if name not in TABLES:
            raise DataFileError(f"Dit bestand bevat een onbekende tabel {_show(name)}.")
        if not isinstance(rows, dict):
            raise DataFileError(f"De tabel {name} in dit bestand is ongeldig.")
        for row, value in rows.items():
            _validate_row(name, row, months, df.level(name))
            if not (value == mark or (_is_int(value) and (value == 0 or int(value) >= t))):
                raise DataFileError(
                    f"In tabel {name}, rij {row}, staat {_show(value)}; toegestaan zijn 0, "
                    f'een aantal van ten minste {t} of "{mark}".'
                )
        if name in WITH_TOTAL and feasible_ranges(rows, t) is None:
            raise DataFileError(
                f"In tabel {name} klopt het totaal niet met de rijen; "
                "het bestand is beschadigd of met de hand gewijzigd."
            )


def _validate_row(table: str, row: object, months: tuple[str, ...], level: str) -> None:
    if not isinstance(row, str):
        raise DataFileError(f"De tabel {table} bevat een ongeldige rij.")
    if row == TOTAL_ROW:
        if table in WITH_TOTAL:
            return
        raise DataFileError(f"De tabel {table} mag geen rij {TOTAL_ROW} hebben.")
    if level == LEVEL_GROUP:
        ok = row in grouping.group_ids(table)
    elif table in ROW_IDS:
        ok = row in ROW_IDS[table]
    elif table == "months":
        ok = row in months
    else:
        ok = _FREE_ROW.fullmatch(row) is not None
    if not ok:
        raise DataFileError(f"De tabel {table} bevat een onbekende rij {_show(row)}.")


# --------------------------------------------------------------------------- writing


def _ordered_tables(df: DataFile) -> list[tuple[str, dict[str, Cell]]]:
    return [(name, df.tables[name]) for name in TABLES if name in df.tables]


def _check_publishable(df: DataFile) -> None:
    for name, rows in _ordered_tables(df):
        if not is_safe(rows, df.threshold):
            raise DataFileError(
                f"De cijfers in tabel {name} zijn niet veilig genoeg geanonimiseerd; "
                "het bestand is niet gemaakt."
            )


def to_json(df: DataFile) -> str:
    """The data file as JSON text (keys in the documented order, UTF-8 characters kept)."""
    _check_publishable(df)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "school": df.school,
        "location": df.location,
        "school_year": df.school_year,
        "status": df.status,
        "threshold": df.threshold,
        "tables": {
            name: {"level": df.level(name), "rows": dict(rows)}
            for name, rows in _ordered_tables(df)
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(df: DataFile) -> str:
    """The same cells as CSV: a header ``table,row,value`` and one line per cell."""
    _check_publishable(df)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "value", "level"])
    for name, rows in _ordered_tables(df):
        for row, value in rows.items():
            writer.writerow([name, row, value, df.level(name)])
    return buffer.getvalue()


def _folder_error(folder: Path, exc: OSError) -> DataFileError:
    if isinstance(exc, winfs.FileInUseError):
        return DataFileError(exc.strerror or "")
    if isinstance(exc, FileNotFoundError):
        return DataFileError(f"De map {folder} bestaat niet; er is niets opgeslagen.")
    if isinstance(exc, NotADirectoryError):
        return DataFileError(f"{folder} is geen map; er is niets opgeslagen.")
    if isinstance(exc, PermissionError):
        return DataFileError(
            f"In de map {folder} mag niet worden geschreven (alleen-lezen of geen rechten); "
            "er is niets opgeslagen."
        )
    return DataFileError(
        f"In de map {folder} kon niet worden geschreven (is de schijf vol of niet "
        "bereikbaar?); er is niets opgeslagen."
    )


def check_writable(path: Path | str, kind: str = "csv") -> None:
    """Raise :class:`DataFileError` unless a file can be written at ``path``.

    Meant for commands that write several files: check every target first, so
    that nothing is written when one of them would fail. Creates and removes a
    small temporary file in the target folder.
    """
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise DataFileError(f"{target} is een map, geen bestandsnaam; er is niets opgeslagen.")
    _guard(target, kind)
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".vertrouwd-", suffix=".tmp")
    except OSError as exc:
        raise _folder_error(folder, exc) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def _guard(target: Path, kind: str) -> None:
    """The output guard of :mod:`app.output_guard`, as a DataFileError."""
    try:
        check_output(target, kind)
    except OutputRefused as refused:
        raise DataFileError(refused.message) from None


def write_atomic(path: Path | str, content: str | bytes) -> None:
    """Write ``content`` (text is encoded as UTF-8) to ``path`` all at once.

    Writes a temporary file in the same folder, flushes and fsyncs it, then
    renames it over ``path`` with :func:`os.replace` and syncs the folder. On
    any failure the temporary file is removed, an existing file at ``path`` is
    left untouched and :class:`DataFileError` is raised with a Dutch sentence
    naming the folder.
    """
    target = Path(path)
    folder = target.parent
    data = content.encode("utf-8") if isinstance(content, str) else content
    if target.is_dir():
        raise DataFileError(f"{target} is een map, geen bestandsnaam; er is niets opgeslagen.")
    _guard(target, kind_of(data))
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _folder_error(folder, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        winfs.replace(tmp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            winfs.unlink(tmp_name)
        raise _folder_error(folder, exc) from exc
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- reading


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DataFileError(f"In dit jaarcijferbestand staat {_show(key)} twee keer.")
        result[key] = value
    return result


_NOT_OURS = "Dit bestand is geen jaarcijferbestand van Vertrouwd."


def parse(text: str) -> DataFile:
    """Read a data file from JSON text; raises :class:`DataFileError` on any problem."""
    try:
        document = json.loads(text, object_pairs_hook=_reject_duplicates)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise DataFileError(_NOT_OURS) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataFileError(_NOT_OURS)
    version = document.get("version")
    if not _is_int(version) or version not in READABLE_VERSIONS:
        shown = version if _is_int(version) else _show(version)
        raise DataFileError(
            f"Dit bestand heeft versie {shown}; dit programma kent alleen de versies 1 en 2."
        )
    expected: tuple[str, ...] = (
        "format", "version", "school", "location", "school_year", "threshold", "tables"
    )
    if version >= 2:
        expected = (*expected[:5], "status", *expected[5:])
    for key in expected:
        if key not in document:
            raise DataFileError(f'In dit jaarcijferbestand ontbreekt het veld "{key}".')
    extra = [key for key in document if key not in expected]
    if extra:
        raise DataFileError(f"Dit jaarcijferbestand bevat een onbekend veld {_show(extra[0])}.")
    tables = document["tables"]
    if not isinstance(tables, dict) or not all(isinstance(r, dict) for r in tables.values()):
        raise DataFileError("De tabellen in dit jaarcijferbestand zijn ongeldig.")
    levels: dict[str, Any] = {}
    if version >= 2:
        rows_of: dict[str, Any] = {}
        for name, table in tables.items():
            if set(table) != {"level", "rows"} or not isinstance(table["rows"], dict):
                raise DataFileError(f"De tabel {_show(name)} in dit jaarcijferbestand is ongeldig.")
            levels[name] = table["level"]
            rows_of[name] = table["rows"]
        tables = rows_of
    return DataFile(
        school=document["school"],
        location=document["location"],
        school_year=document["school_year"],
        threshold=document["threshold"],
        tables={name: dict(rows) for name, rows in tables.items()},
        levels=levels,
        status=document.get("status", STATUS_FINAL),
    )


def load(path: Path | str) -> DataFile:
    """Read and check a data file; messages start with the file's name."""
    source = Path(path)
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise DataFileError(f"{source.name}: {_NOT_OURS}")
        raw = source.read_bytes()
    except FileNotFoundError as exc:
        raise DataFileError(f"Het bestand {source} bestaat niet.") from exc
    except IsADirectoryError as exc:
        raise DataFileError(f"{source} is een map, geen jaarcijferbestand.") from exc
    except OSError as exc:
        raise DataFileError(f"Het bestand {source} kan niet worden gelezen.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{source.name}: {_NOT_OURS}") from exc
    try:
        return parse(text)
    except DataFileError as exc:
        raise DataFileError(f"{source.name}: {exc.message_nl}") from exc


# --------------------------------------------------------------------------- merging


Range = tuple[int, int]


@dataclass(frozen=True)
class MergedFigures:
    """Figures of several schools added up.

    ``tables[table][row]`` is ``(low, high)``: equal when every input was exact,
    a range when an input was suppressed (a suppressed cell counts as 1 to
    threshold - 1, narrowed by its table's total where that allows). Rows are in
    display order, with ``_total`` last. ``levels[table]`` is ``"group"`` when at least one
    school published that table at group level (the others' detail rows are then rolled up,
    see :func:`app.reports.grouping.roll_up_ranges`), else ``"detail"``. ``threshold`` is the
    highest threshold of the inputs; :meth:`display` applies it again. ``missing[table]`` lists the
    schools whose file did not contain that table (they are not counted in it).
    """

    schools: list[tuple[str, str]]
    school_year: str
    threshold: int
    tables: dict[str, dict[str, Range]]
    missing: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)

    def display(self, table: str, row: str) -> str:
        """``"17"``, ``"12–20"`` (en dash) or ``"<5"`` for a merged count of 1..threshold-1."""
        low, high = self.tables[table][row]
        mark = marker(self.threshold)
        if low >= 1 and high <= self.threshold - 1:
            return mark
        if low == high:
            return str(low)
        return f"{low}–{high}"


def _row_order(table: str, rows: Iterable[str], school_year: str, level: str) -> list[str]:
    seen = [row for row in dict.fromkeys(rows) if row != TOTAL_ROW]
    if level == LEVEL_GROUP:
        canon: tuple[str, ...] = grouping.group_ids(table)
    elif table in ROW_IDS:
        canon = ROW_IDS[table]
    elif table == "months":
        canon = school_months(school_year)
    else:
        canon = ()
    known = [row for row in canon if row in seen]
    return known + [row for row in seen if row not in canon]


def _file_ranges(df: DataFile, table: str, level: str) -> dict[str, Range]:
    rows = df.tables[table]
    ranges = feasible_ranges(rows, df.threshold)
    if ranges is None:  # pragma: no cover - DataFile validation already refused this
        raise DataFileError(f"In tabel {table} klopt het totaal niet met de rijen.")
    if level == LEVEL_GROUP and df.level(table) == LEVEL_DETAIL:
        rolled = grouping.roll_up_ranges(table, ranges)
        if TOTAL_ROW in ranges:
            rolled[TOTAL_ROW] = ranges[TOTAL_ROW]
        return rolled
    return ranges


def refuse_concepts(files: Sequence[DataFile], today: date) -> None:
    """Raise :class:`DataFileError` for a concept, or a file of a year not ended on ``today``."""
    for df in files:
        first = _parse_school_year(df.school_year)
        if df.status == STATUS_CONCEPT or today <= date(first + 1, 7, 31):
            raise DataFileError(
                _(
                    "The figures of {school} ({location}) for {year} are a concept: the school "
                    "year had not ended when they were made. Only final figures can be merged; "
                    "ask the school for the data file of its final annual report, made after "
                    "31 July."
                ).format(school=df.school, location=df.location, year=df.school_year)
            )


def merge(files: Sequence[DataFile], *, today: date | None = None) -> MergedFigures:
    """Add up several schools' data files of one school year.

    Refuses (with :class:`DataFileError`) an empty list, a concept or a file of a school year
    that has not ended on ``today`` (:func:`refuse_concepts`; default: the system date), two
    files of the same school, location and school year, and files of different school years.
    """
    if not files:
        raise DataFileError("Kies ten minste één jaarcijferbestand om samen te voegen.")
    refuse_concepts(files, today if today is not None else date.today())
    years = sorted({df.school_year for df in files})
    if len(years) > 1:
        raise DataFileError(
            "De bestanden gaan over verschillende schooljaren ("
            + ", ".join(years)
            + "); voeg alleen bestanden van hetzelfde schooljaar samen."
        )
    seen: set[tuple[str, str, str]] = set()
    for df in files:
        if df.key in seen:
            raise DataFileError(
                f"De cijfers van {df.school} ({df.location}) over {df.school_year} "
                "zijn twee keer gekozen; kies elk bestand maar één keer."
            )
        seen.add(df.key)
    school_year = years[0]

    tables: dict[str, dict[str, Range]] = {}
    missing: dict[str, list[tuple[str, str]]] = {}
    levels: dict[str, str] = {}
    for table in TABLES:
        present = [df for df in files if table in df.tables]
        if not present:
            continue
        absent = [(df.school, df.location) for df in files if table not in df.tables]
        if absent:
            missing[table] = absent
        grouped = any(df.level(table) == LEVEL_GROUP for df in present)
        level = levels[table] = LEVEL_GROUP if grouped else LEVEL_DETAIL
        per_file = [_file_ranges(df, table, level) for df in present]
        order = _row_order(table, (row for r in per_file for row in r), school_year, level)
        merged: dict[str, Range] = {}
        for row in order:
            merged[row] = (
                sum(r.get(row, (0, 0))[0] for r in per_file),
                sum(r.get(row, (0, 0))[1] for r in per_file),
            )
        if table in WITH_TOTAL:
            merged[TOTAL_ROW] = (
                sum(r[TOTAL_ROW][0] for r in per_file),
                sum(r[TOTAL_ROW][1] for r in per_file),
            )
        tables[table] = merged

    return MergedFigures(
        schools=[(df.school, df.location) for df in files],
        school_year=school_year,
        threshold=max(df.threshold for df in files),
        tables=tables,
        missing=missing,
        levels=levels,
    )
