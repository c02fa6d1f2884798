"""The rows of the demo generator: ids, in-memory tables, and the one bulk write.

Owns the bookkeeping `demo.py` builds on: ids continue after the store's highest ones; notes get
a provisional key and are renumbered in date order at the end (after years of use, note ids
follow time, and search reads newest first by id); everything is written with `executemany` in
ONE transaction with foreign keys deferred to the commit.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from app.store.db import Store


class Rows:
    """The tables being built, as lists of row values in column order."""

    def __init__(self, store: Store, rng: random.Random) -> None:
        self.rng = rng
        self.next_id = {
            t: int(store.scalar(f"SELECT coalesce(max(id), 0) FROM {t}")) + 1
            for t in ("note", "pupil", "case_file", "request", "entry", "activity")
        }
        self.notes: list[tuple[str, int, int | None, str]] = []  # (date, key, case_id, body)
        self.pupils: list[tuple[Any, ...]] = []
        self.cases: list[list[Any]] = []
        self.categories: list[tuple[int, str]] = []
        self.requests: list[list[Any]] = []
        self.entries: list[list[Any]] = []
        self.activities: list[list[Any]] = []
        self.conversations = 0

    def take(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def note(self, day: date, body: str, case_id: int | None) -> int:
        """A provisional note key (renumbered by date at the end)."""
        key = len(self.notes)
        self.notes.append((day.isoformat(), key, case_id, body))
        return key

    def moment(self, day: date) -> str:
        return (
            f"{day.isoformat()}T{self.rng.randint(8, 16):02d}:{self.rng.randrange(0, 60, 5):02d}:00"
        )

    def entry(
        self,
        case_id: int,
        kind: str,
        day: date,
        *,
        note: int | None = None,
        with_whom: str = "",
        minutes: int | None = None,
        action_type: str | None = None,
        recipient: str | None = None,
        consent: bool | None = None,
        referral: str | None = None,
        due_on: date | None = None,
        done_on: date | None = None,
        supersedes: int | None = None,
    ) -> int:
        entry_id = self.take("entry")
        self.entries.append(
            [
                entry_id,
                case_id,
                kind,
                day.isoformat(),
                self.moment(day),
                supersedes,
                note,
                with_whom,
                minutes,
                action_type,
                recipient,
                None if consent is None else int(consent),
                referral,
                None if due_on is None else due_on.isoformat(),
                None if done_on is None else done_on.isoformat(),
            ]
        )
        if kind == "conversation":
            self.conversations += 1
        return entry_id

    def renumber_notes(self, first_id: int) -> int:
        """Give notes ids in date order and rewrite the references; returns the count."""
        order = sorted(self.notes, key=lambda n: (n[0], n[1]))
        new_id = {n[1]: first_id + i for i, n in enumerate(order)}
        self.notes = [(n[0], new_id[n[1]], n[2], n[3]) for n in order]

        def fix(rows: list[list[Any]], *positions: int) -> None:
            for row in rows:
                for pos in positions:
                    if row[pos] is not None:
                        row[pos] = new_id[row[pos]]

        fix(self.cases, 7, 8, 11)
        fix(self.requests, 9)
        fix(self.entries, 6)
        fix(self.activities, 4)
        return len(order)

    def write(self, store: Store) -> None:
        """All rows in one transaction. Foreign keys are checked at the commit; children go
        in after their parents where the reverse check would scan an unindexed column."""
        with store.transaction() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.executemany(
                "INSERT INTO pupil(id, name, class_name, year_group, level, minor, authority, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.pupils,
            )
            conn.executemany(
                "INSERT INTO note(id, case_id, body) VALUES (?, ?, ?)",
                [(n[1], n[2], n[3]) for n in self.notes],
            )
            conn.executemany(
                "INSERT INTO case_file(id, pupil_id, opened_on, title, taken_up_by, source, "
                "confidentiality_explained_at, story_note_id, question_note_id, closed_on, "
                "close_reason, close_note_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.cases,
            )
            conn.executemany(
                "INSERT INTO case_category(case_id, category) VALUES (?, ?)", self.categories
            )
            conn.executemany(
                "INSERT INTO request(id, received_at, source, urgent, respond_by, pupil_label, "
                "pupil_id, case_id, answered_on, note_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.requests,
            )
            conn.executemany(
                "INSERT INTO entry(id, case_id, kind, on_date, created_at, supersedes, note_id, "
                "with_whom, minutes, action_type, recipient, consent, referral, due_on, done_on) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.entries,
            )
            conn.executemany(
                "INSERT INTO activity(id, kind, on_date, reach, note_id) VALUES (?, ?, ?, ?, ?)",
                self.activities,
            )
