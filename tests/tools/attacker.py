"""The independent reader (attacker) of the suppression tests: enumerate every assignment.

Shared by `tests/unit/test_suppression.py` (random tables) and
`tests/integration/test_report_for_the_board.py` (the demo year's grouped tables).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from app.reports.suppression import TOTAL_ROW, Cell, marker


def brute_force_values(table: Mapping[str, Cell], threshold: int) -> dict[str, set[int]] | None:
    """Independent reader: enumerate every assignment consistent with what is shown.

    Suppressed cells range over 1..t-1; a total shown as the marker over 1..t-1.
    Returns, per suppressed cell (and a suppressed total), the set of values that
    occur in at least one consistent assignment; None when none is consistent.
    """
    t = threshold
    mark = marker(t)
    cells = {k: v for k, v in table.items() if k != TOTAL_ROW}
    hidden = [k for k, v in cells.items() if v == mark]
    visible = sum(int(v) for v in cells.values() if v != mark)
    total = table.get(TOTAL_ROW)
    seen: dict[str, set[int]] = {k: set() for k in hidden}
    seen[TOTAL_ROW] = set()
    found = False
    for combo in itertools.product(range(1, t), repeat=len(hidden)):
        s = visible + sum(combo)
        if total is None:
            ok = True
        elif total == mark:
            ok = 1 <= s <= t - 1
        else:
            ok = s == total
        if ok:
            found = True
            for k, v in zip(hidden, combo, strict=True):
                seen[k].add(v)
            seen[TOTAL_ROW].add(s)
    return seen if found else None


def brute_force_safe(table: Mapping[str, Cell], threshold: int) -> bool:
    mark = marker(threshold)
    for v in table.values():
        if v != mark and isinstance(v, int) and 1 <= v <= threshold - 1:
            return False
    seen = brute_force_values(table, threshold)
    if seen is None:
        return False
    return all(len(seen[k]) >= 2 for k, v in table.items() if v == mark)
