
CREATE TABLE escalation (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    decided_at TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    duties TEXT NOT NULL DEFAULT '[]',
    board_requires_minor INTEGER NOT NULL DEFAULT 1,
    motivation_note_id INTEGER REFERENCES note(id),
    question_motivations TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX escalation_case ON escalation(case_id, decided_at);

CREATE TABLE meldcode_route (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    escalation_id INTEGER REFERENCES escalation(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('MELDCODE', 'VEILIG_THUIS_ADVICE')),
    started_on TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    outcome TEXT,
    closed_on TEXT
);
CREATE INDEX meldcode_route_case ON meldcode_route(case_id);
CREATE INDEX meldcode_route_open ON meldcode_route(closed_on);

CREATE TABLE meldcode_step (
    route_id INTEGER NOT NULL REFERENCES meldcode_route(id) ON DELETE CASCADE,
    step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 5),
    on_date TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note_id INTEGER REFERENCES note(id),
    PRIMARY KEY (route_id, step)
) WITHOUT ROWID;

CREATE TABLE afweging (
    id INTEGER PRIMARY KEY,
    route_id INTEGER NOT NULL REFERENCES meldcode_route(id) ON DELETE CASCADE,
    decided_at TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    motivations TEXT NOT NULL DEFAULT '{}',
    outcome TEXT NOT NULL,
    term_until TEXT
);
CREATE INDEX afweging_route ON afweging(route_id, decided_at);

CREATE TABLE obligation (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    escalation_id INTEGER REFERENCES escalation(id) ON DELETE SET NULL,
    route_id INTEGER REFERENCES meldcode_route(id) ON DELETE SET NULL,
    afweging_id INTEGER REFERENCES afweging(id) ON DELETE SET NULL,
    source TEXT NOT NULL DEFAULT 'duty'
        CHECK (source IN ('duty', 'meldcode_term', 'meldcode_melding')),
    duty_code TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL DEFAULT '',
    instruction TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    overrides_consent INTEGER NOT NULL DEFAULT 0,
    due_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    done_on TEXT,
    informed_whom TEXT,
    informed_how TEXT,
    pupil_told_first INTEGER,
    note_id INTEGER REFERENCES note(id)
);
CREATE INDEX obligation_open ON obligation(done_on, due_at);
CREATE INDEX obligation_case ON obligation(case_id);
CREATE INDEX obligation_route ON obligation(route_id);
