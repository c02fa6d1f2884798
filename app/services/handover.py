"""Handover to a successor VP: a new store with only the open work, under a new key (job 7).

`handover(session, target_dir, now=..., settings=...)`:

1. refuses when `target_dir` already holds a store, or is the current data folder;
2. destroys what is due for destruction in the current store (`retention.destroy_cases`),
   so the old VP's file keeps nothing past its date either;
3. creates a new store in `target_dir` (`app.security.vault.create_store`, key mode "ask":
   the successor's computer has no keyring entry yet) with the school's settings, the VP's
   name cleared;
4. copies, in ONE transaction with the row ids kept (so note ids inside JSON stay valid):
   the OPEN cases and what hangs off them — their pupils, categories, every entry, notes,
   escalation checks, obligations, meldcode routes with steps and afwegingen, and the
   requests linked to them — plus the requests still waiting for an answer (with their pupils:
   a pupil who asked for contact must not be forgotten), and the activities of the current
   school year (they feed this year's annual report). Closed cases, answered requests without
   a case, older activities, drafts and the journal are not copied;
5. checks the copy (foreign keys, counts) and journals `handover` with counts in both stores.

The new key is generated here unless the caller passes one (`new_key`): a caller that can,
shows it and has it confirmed before calling, as for set-up. Either way the caller shows the
returned key once and prints a recovery sheet (`app.security.recovery_sheet`). If anything
fails after the new store was created, the new files are removed again and nothing of the
current store is changed except the retention purge.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from app import journal, winfs
from app.clock import FixedClock
from app.domain.dates import moment_to_db, school_year_bounds, school_year_of
from app.i18n import _
from app.instance_lock import refuse_if_open
from app.output_guard import safe_resolve
from app.paths import config_path, store_path
from app.security.keys import MemoryProvider, generate_recovery_key, normalize_recovery_key
from app.security.vault import Session, create_store
from app.services.retention import case_note_ids, destroy_cases, due_for_destruction
from app.store.db import Store, StoreError
from app.store.settings import Settings, load_settings

__all__ = ["HandoverError", "handover", "handover_done_message"]

_IN_LIST = "(SELECT value FROM json_each(?))"


class HandoverError(Exception):
    """The handover was refused or failed; `message` is one Dutch sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _ids(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[int]:
    return sorted({int(r[0]) for r in store.query(sql, params) if r[0] is not None})


def _columns(store: Store, table: str) -> list[str]:
    return [str(r[1]) for r in store.query(f"PRAGMA table_info({table})")]


def _copy(source: Store, target: Any, table: str, where: str, ids: list[int]) -> int:
    """Copy the rows of `table` matching `where` (one `?`: a JSON list of ids)."""
    columns = _columns(source, table)
    names = ", ".join(columns)
    rows = source.query(f"SELECT {names} FROM {table} WHERE {where}", (json.dumps(ids),))
    marks = ", ".join("?" for _c in columns)
    target.executemany(
        f"INSERT INTO {table}({names}) VALUES ({marks})", [tuple(row) for row in rows]
    )
    return len(rows)


def _selection(store: Store, now: datetime, *, archive: bool = False) -> dict[str, list[int]]:
    """The open work for the successor; with `archive`, the closed cases (and their requests)
    for the school board's archive (`app.services.handover_wipe`)."""
    cases = _ids(
        store, f"SELECT id FROM case_file WHERE closed_on IS {'NOT ' if archive else ''}NULL"
    )
    c = (json.dumps(cases),)
    requests = _ids(
        store,
        f"SELECT id FROM request WHERE case_id IN {_IN_LIST} "
        + ("" if archive else "OR (case_id IS NULL AND answered_on IS NULL)"),
        c,
    )
    r = (json.dumps(requests),)
    pupils = sorted(
        set(_ids(store, f"SELECT pupil_id FROM case_file WHERE id IN {_IN_LIST}", c))
        | set(_ids(store, f"SELECT pupil_id FROM request WHERE id IN {_IN_LIST}", r))
    )
    first, last = school_year_bounds(school_year_of(now.date()))
    activities = [] if archive else _ids(
        store,
        "SELECT id FROM activity WHERE on_date >= ? AND on_date <= ?",
        (first.isoformat(), last.isoformat()),
    )
    notes = case_note_ids(store.conn, cases)
    notes |= set(_ids(store, f"SELECT note_id FROM request WHERE id IN {_IN_LIST}", r))
    notes |= set(
        _ids(
            store,
            f"SELECT note_id FROM activity WHERE id IN {_IN_LIST}",
            (json.dumps(activities),),
        )
    )
    routes = _ids(store, f"SELECT id FROM meldcode_route WHERE case_id IN {_IN_LIST}", c)
    return {
        "cases": cases,
        "requests": requests,
        "pupils": pupils,
        "activities": activities,
        "notes": sorted(notes),
        "routes": routes,
    }


#: (table, condition on the JSON id list, which list), in an order that keeps foreign keys.
_PLAN: tuple[tuple[str, str, str], ...] = (
    ("pupil", f"id IN {_IN_LIST}", "pupils"),
    ("case_file", f"id IN {_IN_LIST}", "cases"),
    ("note", f"id IN {_IN_LIST}", "notes"),
    ("case_category", f"case_id IN {_IN_LIST}", "cases"),
    ("request", f"id IN {_IN_LIST}", "requests"),
    ("entry", f"case_id IN {_IN_LIST}", "cases"),
    ("escalation", f"case_id IN {_IN_LIST}", "cases"),
    ("meldcode_route", f"case_id IN {_IN_LIST}", "cases"),
    ("meldcode_step", f"route_id IN {_IN_LIST}", "routes"),
    ("afweging", f"route_id IN {_IN_LIST}", "routes"),
    ("veilig_thuis_decision", f"route_id IN {_IN_LIST}", "routes"),
    ("obligation", f"case_id IN {_IN_LIST}", "cases"),
    ("case_hold", f"case_id IN {_IN_LIST}", "cases"),
    ("check_reminder", f"case_id IN {_IN_LIST}", "cases"),
    ("activity", f"id IN {_IN_LIST}", "activities"),
)


def _fill(
    source: Store, target: Store, chosen: dict[str, list[int]], moment: str
) -> dict[str, int]:
    copied: dict[str, int] = {}
    with target.transaction() as conn:
        # case_file and note refer to each other: check the keys at the commit.
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for table, where, key in _PLAN:
            copied[table] = _copy(source, conn, table, where, chosen[key])
        journal.record(
            conn,
            moment,
            "handover",
            cases=copied["case_file"],
            pupils=copied["pupil"],
            requests=copied["request"],
            entries=copied["entry"],
            notes=copied["note"],
            activities=copied["activity"],
        )
    problems = target.query("PRAGMA foreign_key_check")
    counts = target.table_counts()
    if problems or any(counts.get(t, 0) != n for t, n in copied.items()):
        raise StoreError("io", "handover copy check")
    # The full-text index was filled by the note trigger; FTS5 checks it against the notes.
    target.query("INSERT INTO note_fts(note_fts) VALUES ('integrity-check')")
    return copied


def _refuse(message: str) -> HandoverError:
    return HandoverError(message)


def handover(
    session: Session,
    target_dir: Path,
    *,
    now: datetime,
    settings: Settings | None = None,
    new_key: str | None = None,
) -> tuple[Path, str]:
    """Make the successor's store in `target_dir`; returns its path and its recovery key."""
    refuse_if_open(session.data_dir)  # issue 12: not while another window has the store
    store = session.store
    settings = settings or load_settings(store)
    target_dir = Path(target_dir).expanduser().absolute()
    target = store_path(target_dir)
    if target.exists():
        raise _refuse(
            _(
                "There is already a data file in the chosen folder. Choose an empty folder for "
                "the successor; nothing has been changed."
            )
        )
    if safe_resolve(target_dir) == safe_resolve(Path(session.data_dir)):
        raise _refuse(
            _(
                "The successor's data file cannot be made in the current data folder. Choose "
                "another folder; nothing has been changed."
            )
        )
    key = new_key if new_key is not None else generate_recovery_key()
    if normalize_recovery_key(key) != key:
        raise _refuse(_("The new recovery key is not valid; nothing has been changed."))
    moment = moment_to_db(now)

    due = [item.case_id for item in due_for_destruction(store, now.date(), settings)]
    destroyed = destroy_cases(store, due, now=now, settings=settings) if due else 0

    chosen = _selection(store, now)
    copied = make_copy(store, target_dir, replace(settings, vp_name=""), key, chosen, now)
    journal.append(
        store,
        moment,
        "handover",
        cases=copied["case_file"],
        pupils=copied["pupil"],
        requests=copied["request"],
        activities=copied["activity"],
        destroyed=destroyed,
    )
    return target, key


def make_copy(
    store: Store,
    target_dir: Path,
    settings: Settings,
    key: str,
    chosen: dict[str, list[int]],
    now: datetime,
) -> dict[str, int]:
    """A new store under `key` in `target_dir` holding the `chosen` rows; the counts copied.
    When anything fails, the new files are removed again."""
    target = store_path(target_dir)
    had_config = config_path(target_dir).exists()
    new_session: Session | None = None
    try:
        new_session = create_store(
            target_dir,
            settings,
            key,
            key_mode="ask",
            provider=MemoryProvider(available=False),
            clock=FixedClock(now.replace(microsecond=0)),
        )
        copied = _fill(store, new_session.store, chosen, moment_to_db(now))
    except BaseException:
        if new_session is not None:
            new_session.lock()
        with contextlib.suppress(OSError):
            winfs.unlink(target)
        if not had_config:
            with contextlib.suppress(OSError):
                winfs.unlink(config_path(target_dir))
        raise
    new_session.lock()
    return copied


def handover_done_message(target: Path) -> str:
    """Said once the successor's file is made (the caller then shows the key once)."""
    return _(
        "The data file for your successor has been made in {folder}. It holds only the open "
        "cases, the requests still to be answered and this school year's activities. It opens "
        "only with the new recovery key shown now: print the recovery sheet and give it to "
        "your successor separately from the file."
    ).format(folder=target.parent)
