"""The anonymised data file for the school group, and merging several of them.

Format ``vertrouwd-jaarcijfers`` version 1 (JSON, UTF-8), keys in this order::

    {"format": "vertrouwd-jaarcijfers", "version": 1,
     "school": str, "location": str, "school_year": "2025-2026",
     "threshold": 5,
     "tables": {TABLE: {ROW: VALUE}}}

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

The CSV beside it holds the same cells, one per line: ``table,row,value``.

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
from pathlib import Path
from typing import Any

from app import winfs
from app.domain.lists import ACTION_TYPES, CATEGORIES, REFERRAL_SOURCES
from app.output_guard import OutputRefused, check_output, kind_of
from app.reports.suppression import (
    MIN_THRESHOLD,
    TOTAL_ROW,
    Cell,
    feasible_ranges,
    is_safe,
    marker,
)

FORMAT = "vertrouwd-jaarcijfers"
VERSION = 1

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
# The duty rows are part of format version 1 (DOMAIN.md's duty codes).
DUTY_CODES: tuple[str, ...] = (
    "ACT_NOW",
    "MELDCODE",
    "VEILIG_THUIS_ADVICE",
    "REPORT_BOARD",
    "REPORT_DIRECTOR",
    "INFORM_PARENTS",
    "ADVISE_REPORT_POLICE",
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

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity within a merge: (school, location, school year), case-insensitive."""
        return (_norm(self.school), _norm(self.location), self.school_year)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _validate_name(label: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"In dit jaarcijferbestand ontbreekt {label}.")
    if len(value) > _MAX_NAME or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
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
    for name, rows in df.tables.items():
        if name not in TABLES:
            raise DataFileError(f"Dit bestand bevat een onbekende tabel {_show(name)}.")
        if not isinstance(rows, dict):
            raise DataFileError(f"De tabel {name} in dit bestand is ongeldig.")
        for row, value in rows.items():
            _validate_row(name, row, months)
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


def _validate_row(table: str, row: object, months: tuple[str, ...]) -> None:
    if not isinstance(row, str):
        raise DataFileError(f"De tabel {table} bevat een ongeldige rij.")
    if row == TOTAL_ROW:
        if table in WITH_TOTAL:
            return
        raise DataFileError(f"De tabel {table} mag geen rij {TOTAL_ROW} hebben.")
    if table in ROW_IDS:
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
        "threshold": df.threshold,
        "tables": {name: dict(rows) for name, rows in _ordered_tables(df)},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(df: DataFile) -> str:
    """The same cells as CSV: a header ``table,row,value`` and one line per cell."""
    _check_publishable(df)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "value"])
    for name, rows in _ordered_tables(df):
        for row, value in rows.items():
            writer.writerow([name, row, value])
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
    if version != VERSION or not _is_int(version):
        shown = version if _is_int(version) else _show(version)
        raise DataFileError(
            f"Dit bestand heeft versie {shown}; dit programma kent alleen versie {VERSION}."
        )
    expected = ("format", "version", "school", "location", "school_year", "threshold", "tables")
    for key in expected:
        if key not in document:
            raise DataFileError(f'In dit jaarcijferbestand ontbreekt het veld "{key}".')
    extra = [key for key in document if key not in expected]
    if extra:
        raise DataFileError(f"Dit jaarcijferbestand bevat een onbekend veld {_show(extra[0])}.")
    tables = document["tables"]
    if not isinstance(tables, dict) or not all(isinstance(r, dict) for r in tables.values()):
        raise DataFileError("De tabellen in dit jaarcijferbestand zijn ongeldig.")
    return DataFile(
        school=document["school"],
        location=document["location"],
        school_year=document["school_year"],
        threshold=document["threshold"],
        tables={name: dict(rows) for name, rows in tables.items()},
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
    display order, with ``_total`` last. ``threshold`` is the highest threshold
    of the inputs; :meth:`display` applies it again. ``missing[table]`` lists the
    schools whose file did not contain that table (they are not counted in it).
    """

    schools: list[tuple[str, str]]
    school_year: str
    threshold: int
    tables: dict[str, dict[str, Range]]
    missing: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def display(self, table: str, row: str) -> str:
        """``"17"``, ``"12–20"`` (en dash) or ``"<5"`` for a merged count of 1..threshold-1."""
        low, high = self.tables[table][row]
        mark = marker(self.threshold)
        if low >= 1 and high <= self.threshold - 1:
            return mark
        if low == high:
            return str(low)
        return f"{low}–{high}"


def _row_order(table: str, rows: Iterable[str], school_year: str) -> list[str]:
    seen = [row for row in dict.fromkeys(rows) if row != TOTAL_ROW]
    if table in ROW_IDS:
        canon = ROW_IDS[table]
    elif table == "months":
        canon = school_months(school_year)
    else:
        canon = ()
    known = [row for row in canon if row in seen]
    return known + [row for row in seen if row not in canon]


def _file_ranges(df: DataFile, table: str) -> dict[str, Range]:
    rows = df.tables[table]
    ranges = feasible_ranges(rows, df.threshold)
    if ranges is None:  # pragma: no cover - DataFile validation already refused this
        raise DataFileError(f"In tabel {table} klopt het totaal niet met de rijen.")
    return ranges


def merge(files: Sequence[DataFile]) -> MergedFigures:
    """Add up several schools' data files of one school year.

    Refuses (with :class:`DataFileError`) an empty list, two files of the same
    school, location and school year, and files of different school years.
    """
    if not files:
        raise DataFileError("Kies ten minste één jaarcijferbestand om samen te voegen.")
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
    for table in TABLES:
        present = [df for df in files if table in df.tables]
        if not present:
            continue
        absent = [(df.school, df.location) for df in files if table not in df.tables]
        if absent:
            missing[table] = absent
        per_file = [_file_ranges(df, table) for df in present]
        order = _row_order(table, (row for r in per_file for row in r), school_year)
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
    )
