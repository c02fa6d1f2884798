"""Small-count suppression for the annual report (DOMAIN.md, "Annual report anonymity").

Pure functions: no database, no Qt, no files.

Vocabulary
----------
* ``threshold`` (*t*, a setting, at least :data:`MIN_THRESHOLD` = 5).
* A *cell* is what a reader sees for one row: an ``int`` (shown exactly) or the
  marker string ``f"<{t}"`` (``"<5"`` for the default threshold).
* The marker is **honest**: it only ever stands for a true count from 1 to t-1.
  A count of 0 is shown as 0, a count of t or more is shown exactly. (There is
  no second marker in the data-file format, so a count of t or more is never
  hidden behind "<t": that would publish a false figure and would make the
  group merge, which reads "<t" as 1..t-1, add up wrong ranges.)
* A table "with total" carries the sum of its rows as the extra row
  :data:`TOTAL_ROW` (``"_total"``), unless that total has to be hidden.

The rule implemented by :func:`suppress_table`
----------------------------------------------
1. Primary suppression: every count ``1 <= v <= t-1`` becomes ``"<t"``;
   0 and counts ``>= t`` stay as they are.
2. Without a total: done. A reader only learns that each suppressed cell lies in
   ``1..t-1`` (at least four possible values).
3. With a total, let ``n`` be the number of suppressed cells and ``R`` the sum
   of their true values (``R = total - visible cells``).

   * ``n == 0``: the total is shown (nothing can be recomputed).
   * The true total is ``>= t``, so it would be shown exactly and ``R`` becomes
     known. The suppressed cells then satisfy ``x_i in 1..t-1`` and
     ``sum x_i == R``. One cell is pinned exactly when ``n == 1`` (it equals
     ``R``), when ``R == n`` (all are 1) or when ``R == n*(t-1)`` (all are t-1);
     in every other case each cell still has at least two possible values.
     So the total is shown only if ``n >= 2 and n < R < n*(t-1)``; otherwise
     the total row is left out (*hidden*).
   * The true total is ``1..t-1`` (all non-zero cells are then suppressed and
     the visible cells are all 0): the total itself is shown as ``"<t"``. The
     reader then knows ``sum x_i in 1..t-1``, which pins every cell (and the
     total) exactly when ``n == t-1`` (all are 1). So the total is shown as
     ``"<t"`` only if ``n <= t-2``; otherwise it is hidden.

   This is complementary suppression by hiding the total, the one honest
   option the format allows (DOMAIN.md: "a second cell is suppressed as well,
   or ..."; the issue: "or the total is hidden"): instead of marking a second
   cell of ``>= t`` as "<t", the row :data:`TOTAL_ROW` is omitted. It is hidden
   only when showing it would let a reader work out a suppressed value.

:func:`is_safe` is the reader's (attacker's) side: from a displayed table alone
it computes, for every suppressed cell and a suppressed total, the interval of
values consistent with everything shown (:func:`feasible_ranges`), and fails
when any such interval holds a single value, when a visible count is 1..t-1,
or when the table contradicts itself.

Caution for callers: a total that a reader can find *elsewhere* (for instance
the same whole printed in another table) counts as shown. Pass it to
:func:`is_safe` / :func:`feasible_ranges` as ``known_total`` to check that case;
when :func:`suppress_table` hides a table's total, hide that other copy too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

Cell: TypeAlias = int | str
"""A displayed count: an exact ``int`` or the suppression marker ``f"<{threshold}"``."""

MIN_THRESHOLD = 5
DEFAULT_THRESHOLD = 5
TOTAL_ROW = "_total"


def validate_threshold(threshold: int) -> int:
    """Return ``threshold`` if it is an ``int`` of at least 5, else raise ``ValueError``."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"threshold must be an int, not {type(threshold).__name__}")
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"threshold must be at least {MIN_THRESHOLD}, got {threshold}")
    return threshold


def marker(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The suppression marker for ``threshold``: ``"<5"`` for 5."""
    return f"<{validate_threshold(threshold)}"


def is_suppressed(cell: Cell, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when ``cell`` is the suppression marker for ``threshold``."""
    return isinstance(cell, str) and cell == marker(threshold)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _total_is_showable(n_suppressed: int, hidden_sum: int, total: int, threshold: int) -> bool:
    """Rule 3 of the module docstring: may the total of this table be shown?"""
    t = threshold
    n = n_suppressed
    if n == 0:
        return True
    if total >= t:
        return n >= 2 and n < hidden_sum < n * (t - 1)
    # 1 <= total <= t-1: the total is shown as "<t"; all non-zero cells are suppressed.
    return n <= t - 2


def suppress_table(
    counts: Mapping[str, int],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    with_total: bool,
) -> dict[str, Cell]:
    """Suppress one table of exact counts for publication.

    ``counts`` maps row ids to exact counts (``int >= 0``); the row id
    :data:`TOTAL_ROW` is reserved. The result keeps the row order and, when
    ``with_total`` is true and the total may be shown (see the module
    docstring for the exact rule), ends with the row :data:`TOTAL_ROW` holding
    the exact total, or the marker when the total itself is 1..t-1.
    """
    t = validate_threshold(threshold)
    mark = marker(t)
    out: dict[str, Cell] = {}
    n_suppressed = 0
    hidden_sum = 0
    for row, value in counts.items():
        if not isinstance(row, str) or not row:
            raise ValueError(f"row ids must be non-empty strings, got {row!r}")
        if row == TOTAL_ROW:
            raise ValueError(f"the row id {TOTAL_ROW!r} is reserved for the total")
        if not _is_count(value) or value < 0:
            raise ValueError(f"row {row!r}: counts must be ints >= 0, got {value!r}")
        if 1 <= value <= t - 1:
            out[row] = mark
            n_suppressed += 1
            hidden_sum += value
        else:
            out[row] = value
    if with_total:
        total = sum(counts.values())
        if _total_is_showable(n_suppressed, hidden_sum, total, t):
            out[TOTAL_ROW] = mark if 1 <= total <= t - 1 else total
    return out


def feasible_ranges(
    table: Mapping[str, Cell],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    known_total: Cell | None = None,
) -> dict[str, tuple[int, int]] | None:
    """What a reader can deduce from a displayed table.

    Returns, for every row (and for :data:`TOTAL_ROW` when the table shows one
    or ``known_total`` is given), the interval ``(low, high)`` of values
    consistent with everything shown, assuming each suppressed cell is a count
    from 1 to t-1. Visible counts give ``(v, v)``. Without a total the table
    total is reported as the interval implied by the cells.

    Returns ``None`` when the table is not a valid displayed table (a visible
    count of 1..t-1, a value that is neither a count nor the marker) or when
    it contradicts itself (no assignment fits).
    """
    t = validate_threshold(threshold)
    mark = marker(t)
    cells = {row: cell for row, cell in table.items() if row != TOTAL_ROW}
    total_cell: Cell | None = table.get(TOTAL_ROW, known_total)
    if known_total is not None and TOTAL_ROW in table and table[TOTAL_ROW] != known_total:
        return None

    def visible_ok(value: Cell) -> bool:
        return _is_count(value) and (value == 0 or int(value) >= t)

    visible_sum = 0
    suppressed: list[str] = []
    result: dict[str, tuple[int, int]] = {}
    for row, cell in cells.items():
        if cell == mark:
            suppressed.append(row)
        elif visible_ok(cell):
            visible_sum += int(cell)
            result[row] = (int(cell), int(cell))
        else:
            return None
    n = len(suppressed)

    # Interval for R, the sum of the suppressed cells.
    r_lo, r_hi = n, n * (t - 1)
    if total_cell is not None:
        if total_cell == mark:
            tot_lo, tot_hi = 1, t - 1
        elif visible_ok(total_cell):
            tot_lo = tot_hi = int(total_cell)
        else:
            return None
        r_lo = max(r_lo, tot_lo - visible_sum)
        r_hi = min(r_hi, tot_hi - visible_sum)
        if r_lo > r_hi:
            return None

    for row in suppressed:
        low = max(1, r_lo - (n - 1) * (t - 1))
        high = min(t - 1, r_hi - (n - 1))
        result[row] = (low, high)
    # Keep the caller's row order.
    ordered = {row: result[row] for row in cells}
    ordered[TOTAL_ROW] = (visible_sum + r_lo, visible_sum + r_hi)
    return ordered


def is_safe(
    table: Mapping[str, Cell],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    known_total: Cell | None = None,
) -> bool:
    """True when no suppressed value in the displayed ``table`` can be worked out.

    Fails when a visible count is 1..t-1, when the table contradicts itself,
    or when a suppressed cell (or a total shown as the marker) has exactly one
    value consistent with the other cells, the total and the bounds 1..t-1 of
    every suppressed cell. ``known_total`` is a total the reader knows from
    elsewhere when the table itself shows none.
    """
    ranges = feasible_ranges(table, threshold, known_total=known_total)
    if ranges is None:
        return False
    mark = marker(threshold)
    total_cell = table.get(TOTAL_ROW, known_total)
    for row, cell in table.items():
        if row != TOTAL_ROW and cell == mark:
            low, high = ranges[row]
            if low >= high:
                return False
    if total_cell == mark:
        low, high = ranges[TOTAL_ROW]
        if low >= high:
            return False
    return True
