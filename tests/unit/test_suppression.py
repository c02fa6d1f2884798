"""Small-count suppression (DOMAIN.md "Annual report anonymity"; QUALITY.md R7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.reports.suppression import (
    TOTAL_ROW,
    Cell,
    feasible_ranges,
    is_safe,
    marker,
    suppress_table,
    validate_threshold,
)
from tests.tools.attacker import brute_force_safe, brute_force_values

# --------------------------------------------------------------------------- helpers


def check_truthful(counts: Mapping[str, int], shown: Mapping[str, Cell], t: int) -> None:
    """Every shown figure is true: exact values exact, markers only for 1..t-1."""
    mark = marker(t)
    assert [k for k in shown if k != TOTAL_ROW] == list(counts)
    for row, value in counts.items():
        if 1 <= value <= t - 1:
            assert shown[row] == mark
        else:
            assert shown[row] == value
    if TOTAL_ROW in shown:
        total = sum(counts.values())
        assert shown[TOTAL_ROW] == (mark if 1 <= total <= t - 1 else total)


# many small values: the dangerous region
small_heavy = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(1, 6), st.integers(0, 40))


def tables(max_rows: int = 15, values: st.SearchStrategy[int] = small_heavy) -> Any:
    return st.lists(values, min_size=1, max_size=max_rows).map(
        lambda vs: {f"r{i}": v for i, v in enumerate(vs)}
    )


# --------------------------------------------------------------------------- examples


def test_primary_suppression_and_zero() -> None:
    shown = suppress_table({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}, with_total=False)
    assert shown == {"a": 0, "b": "<5", "c": "<5", "d": 5, "e": 12}


def test_threshold_is_a_setting_with_minimum_five() -> None:
    assert validate_threshold(5) == 5
    assert validate_threshold(10) == 10
    for bad in (4, 0, -1):
        with pytest.raises(ValueError):
            validate_threshold(bad)
    with pytest.raises(ValueError):
        suppress_table({"a": 1}, 4, with_total=False)
    with pytest.raises(ValueError):
        validate_threshold(True)
    shown = suppress_table({"a": 6, "b": 7, "c": 0}, 7, with_total=False)
    assert shown == {"a": "<7", "b": 7, "c": 0}


def test_single_suppressed_cell_hides_total() -> None:
    # 3 = 20 - 17 would be recomputable: the total is left out.
    shown = suppress_table({"a": 17, "b": 3, "c": 0}, with_total=True)
    assert shown == {"a": 17, "b": "<5", "c": 0}
    assert is_safe(shown)
    assert not is_safe({**shown, TOTAL_ROW: 20})


def test_two_suppressed_cells_keep_total_when_ambiguous() -> None:
    shown = suppress_table({"a": 17, "b": 3, "c": 2}, with_total=True)
    assert shown == {"a": 17, "b": "<5", "c": "<5", TOTAL_ROW: 22}
    assert is_safe(shown)
    assert feasible_ranges(shown) == {"a": (17, 17), "b": (1, 4), "c": (1, 4), TOTAL_ROW: (22, 22)}


@pytest.mark.parametrize(
    "counts",
    [
        {"a": 10, "b": 1, "c": 1},  # remainder 2 over two cells: both are 1
        {"a": 10, "b": 4, "c": 4},  # remainder 8 over two cells: both are 4
        {"a": 1, "b": 1, "c": 1, "d": 1},  # total 4 shown as "<5": all four are 1
    ],
)
def test_pinned_remainders_hide_total(counts: dict[str, int]) -> None:
    shown = suppress_table(counts, with_total=True)
    assert TOTAL_ROW not in shown
    assert is_safe(shown)


def test_small_total_shown_as_marker() -> None:
    shown = suppress_table({"a": 2, "b": 0, "c": 1}, with_total=True)
    assert shown == {"a": "<5", "b": 0, "c": "<5", TOTAL_ROW: "<5"}
    assert is_safe(shown)
    assert suppress_table({"a": 0, "b": 0}, with_total=True) == {"a": 0, "b": 0, TOTAL_ROW: 0}


def test_no_suppression_keeps_total() -> None:
    shown = suppress_table({"a": 5, "b": 0, "c": 9}, with_total=True)
    assert shown == {"a": 5, "b": 0, "c": 9, TOTAL_ROW: 14}


def test_bad_input_refused() -> None:
    with pytest.raises(ValueError):
        suppress_table({"a": -1}, with_total=False)
    with pytest.raises(ValueError):
        suppress_table({TOTAL_ROW: 3}, with_total=True)
    with pytest.raises(ValueError):
        suppress_table({"a": 2.0}, with_total=False)  # type: ignore[dict-item]


def test_is_safe_rejects_visible_small_and_inconsistent() -> None:
    assert not is_safe({"a": 3})
    assert not is_safe({"a": 10, TOTAL_ROW: 3})
    assert not is_safe({"a": 10, "b": "<5", TOTAL_ROW: 10})  # cannot add up
    assert not is_safe({"a": "x"})
    assert is_safe({"a": "<5", "b": 7})


def test_known_total_from_elsewhere() -> None:
    shown = suppress_table({"a": 17, "b": 3}, with_total=True)
    assert is_safe(shown)
    assert not is_safe(shown, known_total=20)


# --------------------------------------------------------------------------- properties (R7)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), threshold=st.sampled_from([5, 5, 5, 6, 10]), with_total=st.booleans())
def test_property_no_small_value_visible_and_safe(
    counts: dict[str, int], threshold: int, with_total: bool
) -> None:
    shown = suppress_table(counts, threshold, with_total=with_total)
    check_truthful(counts, shown, threshold)
    for value in shown.values():
        assert not (isinstance(value, int) and 1 <= value <= threshold - 1)
    assert is_safe(shown, threshold)
    if with_total and TOTAL_ROW not in shown:
        # the total is hidden only when showing it would be unsafe
        total = sum(counts.values())
        mark = marker(threshold)
        exposed = {**shown, TOTAL_ROW: mark if 1 <= total <= threshold - 1 else total}
        assert not is_safe(exposed, threshold)


@settings(max_examples=400, deadline=None)
@given(counts=tables(max_rows=6), threshold=st.sampled_from([5, 6]), with_total=st.booleans())
def test_property_brute_force_reader_learns_no_value(
    counts: dict[str, int], threshold: int, with_total: bool
) -> None:
    shown = suppress_table(counts, threshold, with_total=with_total)
    seen = brute_force_values(shown, threshold)
    assert seen is not None
    mark = marker(threshold)
    for row, value in shown.items():
        if value == mark:
            assert len(seen[row]) >= 2, (counts, shown, row)
            if row != TOTAL_ROW:
                assert counts[row] in seen[row]


displayed_cell = st.one_of(st.just("<5"), st.sampled_from([0, 0, 5, 6, 9, 13]), st.integers(1, 4))


@settings(max_examples=600, deadline=None)
@given(
    cells=st.lists(displayed_cell, min_size=1, max_size=6),
    total=st.one_of(st.none(), st.just("<5"), st.integers(0, 40)),
)
def test_property_is_safe_agrees_with_brute_force(cells: list[Cell], total: Cell | None) -> None:
    table: dict[str, Cell] = {f"r{i}": c for i, c in enumerate(cells)}
    if total is not None:
        table[TOTAL_ROW] = total
    assert is_safe(table, 5) == brute_force_safe(table, 5)
    ranges = feasible_ranges(table, 5)
    seen = brute_force_values(table, 5)
    if ranges is not None and seen is not None:
        for row, value in table.items():
            if value == "<5":
                assert ranges[row] == (min(seen[row]), max(seen[row]))


def test_r7_two_hundred_synthetic_schools() -> None:
    """R7 at full size: 200 seeded synthetic schools, every table, every check."""
    import random

    rng = random.Random(20252026)
    for _school in range(200):
        for rows, with_total in ((13, False), (8, True), (6, True), (12, True), (12, False)):
            size = rng.choice([5, 20, 60, 400])
            counts = {f"r{i}": 0 for i in range(rows)}
            for _ in range(rng.randint(0, size)):
                key = f"r{min(rows - 1, int(rng.expovariate(0.5)))}"
                counts[key] += 1
            shown = suppress_table(counts, 5, with_total=with_total)
            check_truthful(counts, shown, 5)
            assert is_safe(shown, 5)
            if rows <= 8 and sum(1 for v in shown.values() if v == "<5") <= 5:
                assert brute_force_safe(shown, 5)
