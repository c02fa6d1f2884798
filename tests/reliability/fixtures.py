"""Stores as every earlier schema version left them (QUALITY R11: "fixtures kept in tests/").

Database files may not be committed, so the fixtures are kept as code: `build_fixture(path,
key, version)` makes an encrypted store at schema version N by running the migrations 1..N on a
new file through `app.store.db.connect` (keyed, with the program's pragmas), setting
`user_version = N`, and writing representative rows, in SQL as the program of that version
wrote them, for every table that existed then. It returns what must read back after a
migration (`Expected`).

The migrations of a released version are taken from the SQL text that shipped, kept under
`shipped_schema/vN.sql`, never from today's code: editing a shipped migration in
`app/store/schema.py` then fails `test_shipped_migrations_are_never_edited` instead of quietly
changing its own fixture. When a release ships, add the text of its new migrations there and
raise `SHIPPED`. Migrations not released yet come from the code.

When a new migration lands: the previous SCHEMA_VERSION becomes a fixture version
automatically; add a `_rows_vN` for the tables it introduces (and only there), and keep the
older ones unchanged. If a migration changes a table, the rows of the older versions must still
be written with the columns of THEIR version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import journal
from app.store.db import Store, connect
from app.store.schema import MIGRATIONS


@dataclass
class Expected:
    """What a migrated fixture must still hold: (SQL, rows) pairs, table counts, a word the
    full-text search must find, and the school name in the settings."""

    queries: list[tuple[str, list[tuple[Any, ...]]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    search_word: str | None = None
    search_case: int | None = None
    school: str = ""


def _v1(conn: Any, store: Store, expected: Expected) -> None:
    settings = {"school": "OBS De Oude Linde", "location": "Tilburg", "region": "zuid",
                "vp_name": "J. de Vries", "lock_minutes": 7, "report_threshold": 6}
    conn.executemany(
        "INSERT INTO setting(name, value) VALUES (?, ?)",
        [(name, json.dumps(value)) for name, value in settings.items()],
    )
    journal.append(store, "2024-09-02T08:00:00", "created")
    journal.append(store, "2024-09-02T08:01:00", "unlocked")
    journal.append(store, "2024-11-04T16:00:00", "backed_up", file="vertrouwd-backup-x.db",
                   generations=10)
    expected.school = "OBS De Oude Linde"
    expected.counts.update(setting=len(settings), journal=3)
    expected.queries.append((
        "SELECT name, value FROM setting WHERE name IN ('school', 'lock_minutes') ORDER BY name",
        [("lock_minutes", "7"), ("school", '"OBS De Oude Linde"')],
    ))


def _v2(conn: Any, store: Store, expected: Expected) -> None:
    del store
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.executemany(
        "INSERT INTO pupil(id, name, class_name, year_group, level, minor, authority, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, "Sanne de Boer", "2B", 2, "havo", 1, "beide ouders", "2024-10-01T09:00:00"),
         (2, "Mohammed El Idrissi", "5V1", 5, "vwo", 0, "", "2025-01-13T10:30:00")],
    )
    conn.executemany(
        "INSERT INTO note(id, case_id, body) VALUES (?, ?, ?)",
        [(1, 1, "Wordt al weken buitengesloten in de groepsapp; woordzoekerschelp."),
         (2, 1, "Wil dat het stopt."),
         (3, 1, "Tweede gesprek: mentor ingelicht met toestemming."),
         (4, 2, "Zorgen over thuis, wil eerst zelf met vader praten."),
         (5, None, "Aanmelding via mentor."),
         (6, None, "Klassenbezoek 1A en 1B.")],
    )
    conn.executemany(
        "INSERT INTO case_file(id, pupil_id, opened_on, title, taken_up_by, source, "
        "confidentiality_explained_at, story_note_id, question_note_id, closed_on, "
        "close_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, 1, "2024-10-02", "Groepsapp", "vp", "mentor_coach", "2024-10-02T09:05:00", 1, 2,
          "2025-02-14", "opgelost"),
         (2, 2, "2025-01-14", "", "vp", "leerling_zelf", "2025-01-14T11:00:00", 4, None, None,
          None)],
    )
    conn.executemany(
        "INSERT INTO case_category(case_id, category) VALUES (?, ?)",
        [(1, "pesten"), (1, "welbevinden"), (2, "thuissituatie")],
    )
    conn.execute(
        "INSERT INTO request(id, received_at, source, urgent, respond_by, pupil_label, pupil_id, "
        "case_id, answered_on, note_id) VALUES (1, '2024-09-30T14:00:00', 'mentor_coach', 0, "
        "'2024-10-02', 'S. (2B)', 1, 1, '2024-10-02', 5)"
    )
    conn.executemany(
        "INSERT INTO entry(id, case_id, kind, on_date, created_at, supersedes, note_id, "
        "with_whom, minutes, action_type, recipient, consent, referral, due_on, done_on) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, 1, "conversation", "2024-10-02", "2024-10-02T09:45:00", None, None, "leerling", 30,
          None, None, None, None, None, None),
         (2, 1, "consent", "2024-10-02", "2024-10-02T09:46:00", None, None, "", None, None,
          "mentor_coach", 1, None, None, None),
         (3, 1, "conversation", "2024-10-09", "2024-10-09T10:00:00", None, 3, "leerling", 25,
          None, None, None, None, None, None),
         (4, 2, "conversation", "2025-01-14", "2025-01-14T11:30:00", None, None, "leerling", 40,
          None, None, None, None, None, None)],
    )
    conn.execute(
        "INSERT INTO activity(id, kind, on_date, reach, note_id) "
        "VALUES (1, 'klassenbezoek', '2024-09-20', 56, 6)"
    )
    conn.execute(
        "INSERT INTO draft(kind, body, saved_at) VALUES ('intake', ?, '2025-01-20T15:00:00')",
        (json.dumps({"story": "half ingevuld", "pupil": "Lotte"}),),
    )
    expected.counts.update(pupil=2, note=6, case_file=2, case_category=3, request=1, entry=4,
                           activity=1, draft=1)
    expected.search_word, expected.search_case = "woordzoekerschelp", 1
    expected.queries += [
        ("SELECT name, class_name, minor FROM pupil ORDER BY id",
         [("Sanne de Boer", "2B", 1), ("Mohammed El Idrissi", "5V1", 0)]),
        ("SELECT id, closed_on, close_reason FROM case_file ORDER BY id",
         [(1, "2025-02-14", "opgelost"), (2, None, None)]),
        ("SELECT kind, recipient, consent FROM entry WHERE kind = 'consent'",
         [("consent", "mentor_coach", 1)]),
        ("SELECT body FROM note WHERE id = 4",
         [("Zorgen over thuis, wil eerst zelf met vader praten.",)]),
    ]


def _v3(conn: Any, store: Store, expected: Expected) -> None:
    del store
    conn.execute("INSERT INTO note(id, case_id, body) VALUES (7, 2, 'Twijfel: verhaal klopt "
                 "niet met de blauwe plek.')")
    conn.execute("INSERT INTO note(id, case_id, body) VALUES (8, 2, 'Veilig Thuis gebeld.')")
    conn.execute(
        "INSERT INTO escalation(id, case_id, decided_at, rules_version, answers, duties, "
        "board_requires_minor, motivation_note_id, question_motivations) VALUES (1, 2, "
        "'2025-01-15T10:00:00', '2025.1', ?, ?, 1, NULL, ?)",
        (json.dumps({"minor": "yes", "child_abuse": "doubt"}),
         json.dumps(["VEILIG_THUIS_ADVICE"]), json.dumps({"child_abuse": 7})),
    )
    conn.execute(
        "INSERT INTO meldcode_route(id, case_id, escalation_id, kind, started_on, rules_version, "
        "outcome, closed_on) VALUES (1, 2, 1, 'VEILIG_THUIS_ADVICE', '2025-01-15', '2025.1', "
        "NULL, NULL)"
    )
    conn.execute(
        "INSERT INTO meldcode_step(route_id, step, on_date, recorded_at, note_id) "
        "VALUES (1, 1, '2025-01-15', '2025-01-15T10:05:00', NULL)"
    )
    conn.execute(
        "INSERT INTO afweging(id, route_id, decided_at, rules_version, answers, motivations, "
        "outcome, term_until) VALUES (1, 1, '2025-01-20T09:00:00', '2025.1', ?, '{}', "
        "'start_help', '2025-03-01')",
        (json.dumps({"1": "yes", "2": "no"}),),
    )
    conn.execute(
        "INSERT INTO obligation(id, case_id, escalation_id, route_id, afweging_id, source, "
        "duty_code, title, basis, instruction, deadline, overrides_consent, due_at, created_at, "
        "done_on, informed_whom, informed_how, pupil_told_first, note_id) VALUES (1, 2, 1, 1, "
        "NULL, 'duty', 'VEILIG_THUIS_ADVICE', 'Advies vragen bij Veilig Thuis', 'Meldcode', "
        "'Bel Veilig Thuis', 'next_working_day', 0, '2025-01-17T17:00:00', "
        "'2025-01-15T10:00:00', '2025-01-16', 'Veilig Thuis', 'telefonisch', 1, 8)"
    )
    expected.counts.update(escalation=1, meldcode_route=1, meldcode_step=1, afweging=1,
                           obligation=1, note=expected.counts.get("note", 0) + 2)
    expected.queries += [
        ("SELECT duty_code, due_at, done_on, note_id FROM obligation",
         [("VEILIG_THUIS_ADVICE", "2025-01-17T17:00:00", "2025-01-16", 8)]),
        ("SELECT duties FROM escalation WHERE id = 1", [('["VEILIG_THUIS_ADVICE"]',)]),
        ("SELECT outcome, term_until FROM afweging", [("start_help", "2025-03-01")]),
    ]


def _v4(conn: Any, store: Store, expected: Expected) -> None:
    """Files on hold and privacy requests (migration 4, issue 13)."""
    del store
    conn.execute("INSERT INTO note(id, case_id, body) VALUES (9, 2, 'Klacht loopt nog.')")
    conn.execute(
        "INSERT INTO case_hold(id, case_id, reason, placed_on, review_on, note_id, lifted_on, "
        "lift_note_id) VALUES (1, 2, 'complaint', '2025-02-01', '2025-06-01', 9, NULL, NULL)"
    )
    conn.execute(
        "INSERT INTO privacy_request(id, pupil_id, kind, requester, under_16, received_on, "
        "due_on, withheld, done_on, outcome) VALUES (1, 1, 'access', 'pupil', 1, '2025-03-03', "
        "'2025-04-03', 0, '2025-03-20', 'given')"
    )
    expected.counts.update(case_hold=1, privacy_request=1,
                           note=expected.counts.get("note", 0) + 1)
    expected.queries += [
        ("SELECT case_id, reason, lifted_on FROM case_hold", [(2, "complaint", None)]),
        ("SELECT pupil_id, kind, due_on, done_on FROM privacy_request",
         [(1, "access", "2025-04-03", "2025-03-20")]),
    ]


def _v5(conn: Any, store: Store, expected: Expected) -> None:
    """The start of the school year (migration 5, issue 18): no pupil data."""
    del store
    conn.execute(
        "INSERT INTO year_start(school_year, vp_name, email, phone, room, hours, url, photo, "
        "saved_at) VALUES ('2025-2026', 'J. de Vries', 'vp@school.example', '', 'B1.04', "
        "'di en do 12:00-13:00', '', NULL, '2025-08-25T10:00:00')"
    )
    conn.execute(
        "INSERT INTO class_visit(id, school_year, class_name, pupils, planned_on, activity_id) "
        "VALUES (1, '2025-2026', '1A', 27, '2025-09-03', NULL)"
    )
    expected.counts.update(year_start=1, class_visit=1)
    expected.queries.append(
        ("SELECT class_name, pupils, planned_on FROM class_visit", [("1A", 27, "2025-09-03")])
    )


def _v6(conn: Any, store: Store, expected: Expected) -> None:
    """Meldcode details, Veilig Thuis' decision and check reminders (migration 6, issue 10)."""
    del store
    conn.execute("INSERT INTO note(id, case_id, body) VALUES (10, 2, 'Overleg met VT.')")
    conn.execute("INSERT INTO note(id, case_id, body) VALUES (11, 2, 'Al besproken.')")
    conn.execute(
        "INSERT INTO meldcode_step(route_id, step, on_date, recorded_at, note_id, consulted, "
        "with_parents) VALUES (1, 2, '2025-01-16', '2025-01-16T11:00:00', NULL, "
        "'[\"aandachtsfunctionaris\", \"letselduiding\"]', NULL)"
    )
    conn.execute("UPDATE meldcode_route SET forms = '[\"huwelijksdwang\"]' WHERE id = 1")
    conn.execute(
        "INSERT INTO veilig_thuis_decision(id, route_id, decided_on, decision, recorded_at, "
        "note_id) VALUES (1, 1, '2025-02-03', 'overdracht', '2025-02-03T12:00:00', 10)"
    )
    conn.execute(
        "INSERT INTO check_reminder(id, case_id, created_at, reason, done_at, escalation_id, "
        "waived_at, waive_note_id) VALUES (1, 2, '2025-01-14T09:00:00', 'cancelled', NULL, "
        "NULL, '2025-01-14T12:00:00', 11)"
    )
    expected.counts.update(
        veilig_thuis_decision=1,
        check_reminder=1,
        meldcode_step=expected.counts.get("meldcode_step", 0) + 1,
        note=expected.counts.get("note", 0) + 2,
    )
    expected.queries += [
        ("SELECT consulted FROM meldcode_step WHERE step = 2",
         [('["aandachtsfunctionaris", "letselduiding"]',)]),
        ("SELECT decision, note_id FROM veilig_thuis_decision", [("overdracht", 10)]),
        ("SELECT case_id, waive_note_id FROM check_reminder", [(2, 11)]),
    ]


# The rows of each version: written into every fixture of that version or later.
ROWS: dict[int, Callable[[Any, Store, Expected], None]] = {
    1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6
}


SHIPPED_SCHEMA = Path(__file__).with_name("shipped_schema")
SHIPPED = 3  # migrations 1..3 were released (the first wave); raise when a release ships


def migration_sql(version: int) -> str:
    """The SQL of migration `version`: the shipped text when released, else today's code."""
    if version <= SHIPPED:
        return (SHIPPED_SCHEMA / f"v{version}.sql").read_text(encoding="utf-8")
    return MIGRATIONS[version - 1]


def build_fixture(path: Path, key: str, version: int) -> Expected:
    """An encrypted store at schema `version` (1 .. len(MIGRATIONS)) with its rows."""
    if not 1 <= version <= len(MIGRATIONS):
        raise ValueError(f"no schema version {version}")
    conn = connect(path, key)
    store = Store(path, conn)
    expected = Expected()
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        script = "\n".join(migration_sql(n) for n in range(1, version + 1))
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        for introduced in sorted(ROWS):
            if introduced > version:
                break
            if introduced == 1:
                ROWS[introduced](conn, store, expected)  # the journal writes its own transactions
                continue
            conn.execute("BEGIN")
            ROWS[introduced](conn, store, expected)
            conn.execute("COMMIT")
        # Every table's count as written (the journal keeps its head in `setting`, too).
        written = store.table_counts()
        assert all(written[t] == n for t, n in expected.counts.items() if t != "setting"), written
        expected.counts = written
    finally:
        store.close()
    return expected
