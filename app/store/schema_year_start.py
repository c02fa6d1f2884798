"""Migration 5: the start of the school year (protocol 5a, 5b; issue 18).

Kept in its own module; `schema.py` appends it to `MIGRATIONS`. Never edit it once released:
add a new migration.

Tables:

* `year_start` — the answers of the "Nieuw schooljaar" wizard, one row per school year: the
  name pupils know the VP by, e-mail, phone or app number, room, hours, the school's web page
  for the VP, and the photo (a small JPEG, kept here inside the encrypted store and nowhere
  else). No pupil data.
* `class_visit` — the class-visit plan: a class or year group, its number of pupils (may be
  unknown), the planned day. `activity_id` is set when the VP marks the visit done: the visit
  then is an ordinary `activity` of kind `klassenbezoek` (reach = pupils) and counts in the
  annual report like any activity. Deleting that activity makes the visit planned again.
"""

from __future__ import annotations

V_YEAR_START = """
CREATE TABLE year_start (
    school_year TEXT PRIMARY KEY,
    vp_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    photo BLOB,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE class_visit (
    id INTEGER PRIMARY KEY,
    school_year TEXT NOT NULL,
    class_name TEXT NOT NULL,
    pupils INTEGER,
    planned_on TEXT NOT NULL,
    activity_id INTEGER REFERENCES activity(id) ON DELETE SET NULL
);
CREATE INDEX class_visit_open ON class_visit(activity_id, planned_on);
CREATE INDEX class_visit_year ON class_visit(school_year, planned_on);
"""
