"""The numbered migrations. Version N is `MIGRATIONS[N-1]`; `PRAGMA user_version` records it.

Never edit a released migration: add a new one. Long note text lives in `note` (with the FTS5
index `note_fts` as external content) apart from the rows that lists and reports scan.
"""

from __future__ import annotations

V1_FOUNDATION = """
CREATE TABLE setting (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""

V2_CASEWORK = """
CREATE TABLE note (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES case_file(id) ON DELETE CASCADE,
    body TEXT NOT NULL
);
CREATE INDEX note_case ON note(case_id);
CREATE VIRTUAL TABLE note_fts USING fts5(body, content='note', content_rowid='id',
                                         tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER note_ai AFTER INSERT ON note BEGIN
    INSERT INTO note_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER note_ad AFTER DELETE ON note BEGIN
    INSERT INTO note_fts(note_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER note_au AFTER UPDATE ON note BEGIN
    INSERT INTO note_fts(note_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO note_fts(rowid, body) VALUES (new.id, new.body);
END;

CREATE TABLE pupil (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    class_name TEXT NOT NULL DEFAULT '',
    year_group INTEGER,
    level TEXT NOT NULL DEFAULT '',
    minor INTEGER NOT NULL DEFAULT 1,
    authority TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX pupil_name ON pupil(name COLLATE NOCASE);

CREATE TABLE case_file (
    id INTEGER PRIMARY KEY,
    pupil_id INTEGER NOT NULL REFERENCES pupil(id),
    opened_on TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    taken_up_by TEXT NOT NULL DEFAULT 'vp',
    source TEXT NOT NULL DEFAULT 'leerling_zelf',
    confidentiality_explained_at TEXT,
    story_note_id INTEGER REFERENCES note(id),
    question_note_id INTEGER REFERENCES note(id),
    closed_on TEXT,
    close_reason TEXT,
    close_note_id INTEGER REFERENCES note(id)
);
CREATE INDEX case_pupil ON case_file(pupil_id);
CREATE INDEX case_opened ON case_file(opened_on);
CREATE INDEX case_closed ON case_file(closed_on);

CREATE TABLE case_category (
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    PRIMARY KEY (case_id, category)
) WITHOUT ROWID;
CREATE INDEX case_category_cat ON case_category(category);

CREATE TABLE request (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    respond_by TEXT NOT NULL,
    pupil_label TEXT NOT NULL DEFAULT '',
    pupil_id INTEGER REFERENCES pupil(id),
    case_id INTEGER REFERENCES case_file(id),
    answered_on TEXT,
    note_id INTEGER REFERENCES note(id)
);
CREATE INDEX request_open ON request(answered_on, respond_by);
CREATE INDEX request_received ON request(received_at);

CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    supersedes INTEGER REFERENCES entry(id),
    note_id INTEGER REFERENCES note(id),
    with_whom TEXT NOT NULL DEFAULT '',
    minutes INTEGER,
    action_type TEXT,
    recipient TEXT,
    consent INTEGER,
    referral TEXT,
    due_on TEXT,
    done_on TEXT
);
CREATE INDEX entry_case ON entry(case_id, kind, on_date);
CREATE INDEX entry_kind_date ON entry(kind, on_date);
CREATE INDEX entry_due ON entry(kind, done_on, due_on);
CREATE INDEX entry_supersedes ON entry(supersedes);

CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reach INTEGER NOT NULL DEFAULT 0,
    note_id INTEGER REFERENCES note(id)
);
CREATE INDEX activity_date ON activity(on_date);

CREATE TABLE draft (
    kind TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
"""

from app.store.schema_issue10 import V_ISSUE10  # noqa: E402
from app.store.schema_privacy import V_PRIVACY  # noqa: E402
from app.store.schema_v3 import V3_ESCALATION  # noqa: E402
from app.store.schema_year_start import V_YEAR_START  # noqa: E402

MIGRATIONS: tuple[str, ...] = (
    V1_FOUNDATION, V2_CASEWORK, V3_ESCALATION, V_PRIVACY, V_YEAR_START, V_ISSUE10
)
SCHEMA_VERSION = len(MIGRATIONS)
