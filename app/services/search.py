"""Search over all cases: full text of every note (FTS5 `note_fts`) and the pupil's name, plus
filters (open/closed, category, school year); also filters alone, without words.

The user's words never reach FTS5 syntax: the text is cut into words (letters and digits only),
each word is quoted and made a prefix (`"pest"*`), and the words are ANDed. So quotes, `*`,
`OR`, `NEAR`, brackets or `'); DROP TABLE` are just words or nothing. Diacritics are folded by
the index (`remove_diacritics 2`): "pesten" finds "Pésten". A one-letter word is matched as a
whole word (a one-letter prefix would match nearly everything). Pupil names are matched with a
case- and accent-blind GLOB (`pupils.name_glob`): each word must start a word of the name.

Speed (QUALITY P3): note hits are read newest first (`ORDER BY rowid DESC` is served by FTS5
itself), joined to their case through the indexed `note.case_id`, and reading stops as soon as
`limit` distinct cases are found; `snippet()` is computed only for the rows read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.domain.dates import from_db
from app.domain.models import SearchHit
from app.services.cases import case_filters
from app.services.pupils import name_glob
from app.store.db import DatabaseError, Store, StoreError

MAX_WORDS = 12
SNIPPET_TOKENS = 12
EXCERPT_CHARS = 120
MANY_PUPILS = 500
MAX_NAME_WORD = 64
_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The searchable words of the user's text (NFC, letters and digits), at most MAX_WORDS."""
    return _WORD.findall(unicodedata.normalize("NFC", text))[:MAX_WORDS]


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for the user's text, or None when it has no words."""
    terms = []
    for word in words_of(text):
        quoted = '"' + word.replace('"', '""') + '"'
        terms.append(quoted if len(word) == 1 else quoted + "*")
    return " ".join(terms) if terms else None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def _hit(row: Any, snippet: str) -> SearchHit:
    opened = from_db(row[2])
    assert opened is not None
    return SearchHit(
        case_id=int(row[0]),
        pupil_name=row[1],
        opened_on=opened,
        closed=row[3] is not None,
        snippet=snippet,
    )


def _case_rows(store: Store, where: list[str], params: list[Any], limit: int) -> list[SearchHit]:
    sql = (
        "SELECT c.id, p.name, c.opened_on, c.closed_on, "
        "CASE WHEN c.title <> '' THEN c.title ELSE substr(coalesce(s.body, q.body, ''), 1, ?) END "
        "FROM case_file c JOIN pupil p ON p.id = c.pupil_id "
        "LEFT JOIN note s ON s.id = c.story_note_id LEFT JOIN note q ON q.id = c.question_note_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.opened_on DESC, c.id DESC LIMIT ?"
    rows = store.query(sql, (EXCERPT_CHARS * 2, *params, limit))
    return [_hit(row, _excerpt(str(row[4]))) for row in rows]


def _note_window(store: Store, school_year: str) -> tuple[int, int] | None:
    """The range of note ids of the cases that ran in a school year (None: no such case)."""
    where, params = case_filters(school_year=school_year)
    row = store.query(
        "SELECT min(n.id), max(n.id) FROM case_file c JOIN note n ON n.case_id = c.id WHERE "
        + " AND ".join(where),
        tuple(params),
    )[0]
    return None if row[0] is None else (int(row[0]), int(row[1]))


def _note_hits(
    store: Store,
    match: str,
    where: list[str],
    params: list[Any],
    limit: int,
    seen: set[int],
    window: tuple[int, int] | None = None,
) -> list[SearchHit]:
    sql = (
        "SELECT c.id, p.name, c.opened_on, c.closed_on, "
        f"snippet(note_fts, 0, '[', ']', '…', {SNIPPET_TOKENS}) "
        "FROM note_fts JOIN note n ON n.id = note_fts.rowid "
        "JOIN case_file c ON c.id = n.case_id JOIN pupil p ON p.id = c.pupil_id "
        "WHERE note_fts MATCH ?"
    )
    values: list[Any] = [match]
    if window is not None:
        sql += " AND note_fts.rowid BETWEEN ? AND ?"
        values += list(window)
    if where:
        sql += " AND " + " AND ".join(where)
    sql += " ORDER BY note_fts.rowid DESC"
    hits: list[SearchHit] = []
    try:
        cursor = store.conn.execute(sql, (*values, *params))
        while len(hits) < limit:
            batch = cursor.fetchmany(64)
            if not batch:
                break
            for row in batch:
                case_id = int(row[0])
                if case_id in seen:
                    continue
                seen.add(case_id)
                hits.append(_hit(row, " ".join(str(row[4]).split())))
                if len(hits) >= limit:
                    break
        cursor.close()
    except DatabaseError as exc:
        raise StoreError("io", type(exc).__name__) from None
    return hits


def _name_condition(store: Store, words: list[str]) -> tuple[str, list[Any]] | None:
    """A condition on `c.pupil_id` for pupils whose name has a word starting with each of
    `words` (one-letter words are ignored here), or None when no pupil matches."""
    patterns: list[str] = []
    conditions = []
    for word in words:
        if len(word) > MAX_NAME_WORD:
            return None  # no name has such a word (and the pattern would be too long)
        if len(word) < 2:
            continue
        core = name_glob(word)[1:-1]
        patterns += [core + "*", "* " + core + "*", "*-" + core + "*"]
        conditions.append("(name GLOB ? OR name GLOB ? OR name GLOB ?)")
    if not conditions:
        return None
    ids = store.scalar(
        "SELECT group_concat(id) FROM pupil WHERE " + " AND ".join(conditions), tuple(patterns)
    )
    if not ids:
        return None
    # Few pupils: find their cases through the index. Many: walk the cases newest first and
    # test membership (the unary + keeps SQLite from looking up every pupil's cases).
    column = "c.pupil_id" if str(ids).count(",") < MANY_PUPILS else "+c.pupil_id"
    return f"{column} IN (SELECT value FROM json_each(?))", [f"[{ids}]"]


def search(
    store: Store,
    text: str = "",
    *,
    status: str = "all",
    category: str | None = None,
    school_year: str | None = None,
    limit: int = 200,
) -> list[SearchHit]:
    """Cases matching all words of `text` (in a note, or in the pupil's name) and the filters.

    `status`: all/open/closed; `school_year` (`2025-2026`): the cases that ran in it (opened
    before its end, not closed before its start). Pupil-name matches (each word starts a word
    of the name) come first, then note matches newest first; one hit per case, at most
    `limit`. With a school year, the note search is limited to the note ids of that year's
    cases, so an old year does not walk through every newer note."""
    limit = max(1, limit)
    where, params = case_filters(status, category, school_year)
    words = words_of(text)
    if not words:
        # Only signs or emoji typed: nothing can match. No text at all: the filters alone.
        return [] if text.strip() else _case_rows(store, where, params, limit)
    hits: list[SearchHit] = []
    names = _name_condition(store, words)
    if names is not None:
        hits = _case_rows(store, [*where, names[0]], [*params, *names[1]], limit)
    seen = {hit.case_id for hit in hits}
    match = fts_query(text)
    if match is None or len(hits) >= limit:
        return hits
    window = None
    if school_year:
        window = _note_window(store, school_year)
        if window is None:
            return hits
    return hits + _note_hits(store, match, where, params, limit - len(hits), seen, window)
