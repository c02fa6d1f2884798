"""Migration: files on hold and privacy requests (issue 13; DOMAIN.md "Privacy law (AVG)").

Kept in its own module so that it can be written beside other migrations; `schema.py` appends
it to `MIGRATIONS`. Never edit it once released: add a new migration.

Tables:

* `case_hold` — a case file put on hold (AVG art. 18 restriction; DOMAIN.md: a complaint, a
  police investigation, a report to the board or Veilig Thuis still running). `reason` is a
  code, the explanation a `note` (`note_id`, FTS-indexed, destroyed with the case);
  `review_on` an optional date to look at it again. Lifting sets `lifted_on` and
  `lift_note_id`; the row stays, so the history of holds can be read back. A case with a
  row whose `lifted_on` is NULL is *held*: never offered for destruction, never erased.
* `privacy_request` — a request under AVG art. 15-17 (access, erasure, rectification): who
  asked (a code), whether the pupil was under 16, the day it came in, the answer term
  (`due_on`, one month; `extended_to` with `extension_note_id`, at most two months more,
  art. 12(3)), the child-safety answer for a parent's request, the erasure ground (art.
  17(1)), whether parts were withheld and the VP's recorded reason (`decision_note_id`), and
  `done_on`. `pupil_id` becomes NULL when the pupil is erased (the row itself holds no name,
  so the accountability record stays).
"""

from __future__ import annotations

V_PRIVACY = """
CREATE TABLE case_hold (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
    reason TEXT NOT NULL
        CHECK (reason IN ('complaint', 'police', 'board', 'veilig_thuis', 'other')),
    placed_on TEXT NOT NULL,
    review_on TEXT,
    note_id INTEGER REFERENCES note(id),
    lifted_on TEXT,
    lift_note_id INTEGER REFERENCES note(id)
);
CREATE INDEX case_hold_case ON case_hold(case_id, lifted_on);

CREATE TABLE privacy_request (
    id INTEGER PRIMARY KEY,
    pupil_id INTEGER REFERENCES pupil(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'erasure', 'rectification')),
    requester TEXT NOT NULL,
    under_16 INTEGER,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    extended_to TEXT,
    extension_note_id INTEGER REFERENCES note(id),
    safety_concern INTEGER,
    ground TEXT,
    withheld INTEGER NOT NULL DEFAULT 0,
    decision_note_id INTEGER REFERENCES note(id),
    done_on TEXT,
    outcome TEXT
);
CREATE INDEX privacy_request_open ON privacy_request(done_on, due_on);
"""
