"""Migration 6: the meldcode route of DOMAIN.md 2026.2 and reminders for escalation checks
(issue 10).

Kept in its own module; `schema.py` appends it to `MIGRATIONS`. Never edit it once released:
add a new migration. Additive only.

* `meldcode_step.consulted` — step 2: with whom the signals were discussed (a JSON list of ids
  of the meldcode table's `consult_partners`: aandachtsfunctionaris, ondersteuningscoördinator,
  Veilig Thuis, deskundige letselduiding). `meldcode_step.with_parents` — step 3: whether the
  parents took part (NULL: not said; recorded before this version).
* `meldcode_route.forms` — the forms of violence that rule out talking with the parents in
  step 3 (JSON list: eergerelateerd geweld, meisjesbesnijdenis, huwelijksdwang).
* `afweging.acute` — the melding is acute: by phone, at once (the obligation is due
  immediately). `afweging.with_veilig_thuis` — a walk of questions 3-5 made together with
  Veilig Thuis after a melding.
* `veilig_thuis_decision` — what Veilig Thuis decided after a melding (add-only).
* `check_reminder` — an escalation check that was started and cancelled (or is still due for
  an escalating category): it stays on the dashboard until a check is recorded (`done_at`,
  `escalation_id`) or the VP waives it with a written reason (`waived_at`, `waive_note_id`).
"""

from __future__ import annotations

V_ISSUE10 = """
ALTER TABLE meldcode_step ADD COLUMN consulted TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meldcode_step ADD COLUMN with_parents INTEGER;
ALTER TABLE meldcode_route ADD COLUMN forms TEXT NOT NULL DEFAULT '[]';
ALTER TABLE afweging ADD COLUMN acute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE afweging ADD COLUMN with_veilig_thuis INTEGER NOT NULL DEFAULT 0;

CREATE TABLE veilig_thuis_decision (
    id INTEGER PRIMARY KEY,
    route_id INTEGER NOT NULL REFERENCES meldcode_route(id) ON DELETE CASCADE,
    decided_on TEXT NOT NULL,
    decision TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note_id INTEGER REFERENCES note(id)
);
CREATE INDEX veilig_thuis_decision_route ON veilig_thuis_decision(route_id);

CREATE TABLE check_reminder (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT 'cancelled' CHECK (reason IN ('cancelled', 'category')),
    done_at TEXT,
    escalation_id INTEGER REFERENCES escalation(id) ON DELETE SET NULL,
    waived_at TEXT,
    waive_note_id INTEGER REFERENCES note(id)
);
CREATE INDEX check_reminder_case ON check_reminder(case_id);
"""
