"""What a clerk types in a count cell, turned into a whole number or a reason why not."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.numbers import parse_count


@pytest.mark.parametrize(("raw", "value"), [
    ("1.234", 1234),  # Vietnamese thousands separator
    ("1.234.567", 1234567),
    ("1 234", 1234),
    ("1\u00a0234", 1234),  # non-breaking space as the group separator
    ("\u00a012\u00a0", 12),  # stray non-breaking spaces around
    (" 12 ", 12),
    ("１２", 12),  # full-width digits from a Vietnamese IME
    ("12", 12),
    ("0", 0),
    ("1.000,0", 1000),
])
def test_numbers_typed_as_text_are_read(raw, value):
    parsed = parse_count(raw)
    assert (parsed.value, parsed.problem, parsed.from_text) == (value, None, True)


@pytest.mark.parametrize(("raw", "value"), [(7.0, 7), (7, 7), (0, 0), (0.0, 0)])
def test_number_cells_are_read_as_whole_numbers(raw, value):
    parsed = parse_count(raw)
    assert (parsed.value, parsed.problem, parsed.from_text) == (value, None, False)
    assert type(parsed.value) is int


@pytest.mark.parametrize(("raw", "problem"), [
    ("1,5", "not-whole"),  # Vietnamese decimal comma
    ("2.5", "not-whole"),
    (2.5, "not-whole"),
    (-3, "negative"),
    (-3.0, "negative"),
    ("-3", "negative"),
    ("\u22123", "negative"),  # typographic minus
    ("abc", "not-a-number"),
    ("12 người", "not-a-number"),
    ("1.2.3", "not-a-number"),
    (True, "not-a-number"),
    (date(2025, 10, 1), "not-a-number"),
    (float("nan"), "not-a-number"),
    (None, "missing-value"),
    ("", "missing-value"),
    ("   ", "missing-value"),
    ("\u00a0", "missing-value"),
    (10**16, "too-large"),
])
def test_what_cannot_be_a_count_says_why(raw, problem):
    parsed = parse_count(raw)
    assert parsed.value is None
    assert parsed.problem == problem


def test_issue_codes_are_named_once_and_match_the_catalogue():
    from kpi.issues import CATALOGUE, Code

    assert sorted(Code) == sorted(CATALOGUE)
