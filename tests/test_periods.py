"""Reporting periods: what --period accepts, cut-off windows, deadlines, months typed in cells."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi.periods import (
    PeriodError,
    deadline,
    month_window,
    parse_date_value,
    parse_month_value,
    parse_span,
)


@pytest.mark.parametrize(("text", "code", "months"), [
    ("2025-10", "2025-10", ["2025-10"]),
    ("2025-Q3", "2025-Q3", ["2025-07", "2025-08", "2025-09"]),
    ("2025-q4", "2025-Q4", ["2025-10", "2025-11", "2025-12"]),
    ("2025-H1", "2025-H1", ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]),
    ("2025-H2", "2025-H2", ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]),
    ("2025", "2025", [f"2025-{m:02d}" for m in range(1, 13)]),
    ("2025-01..2025-06", "2025-01..2025-06", [f"2025-{m:02d}" for m in range(1, 7)]),
    ("2024-11..2025-02", "2024-11..2025-02", ["2024-11", "2024-12", "2025-01", "2025-02"]),
    (" 2025-10 ", "2025-10", ["2025-10"]),
])
def test_period_option_accepts_month_quarter_half_year_and_range(text, code, months):
    span = parse_span(text)
    assert span.code == code
    assert list(span.months) == months


@pytest.mark.parametrize("text", [
    "2025-13", "2025-00", "2025-Q5", "2025-Q0", "2025-H3", "13/2025", "25-10", "abc", "",
    "quý 5/2025", "6 tháng giữa năm 2025",
    "2025-06..2025-01", "2025-01..", "0999-01",
])
def test_period_option_refuses_what_it_cannot_understand(text):
    with pytest.raises(PeriodError):
        parse_span(text)


def test_month_runs_from_the_15th_of_the_previous_month_to_the_14th():
    assert month_window("2025-10", 14) == (date(2025, 9, 15), date(2025, 10, 14))
    assert month_window("2025-01", 14) == (date(2024, 12, 15), date(2025, 1, 14))


def test_year_2025_runs_from_15_december_2024_to_14_december_2025():
    assert parse_span("2025").window(14) == (date(2024, 12, 15), date(2025, 12, 14))
    assert parse_span("2025-Q3").window(14) == (date(2025, 6, 15), date(2025, 9, 14))


def test_a_cutoff_past_the_end_of_february_means_its_last_day():
    assert month_window("2025-03", 31) == (date(2025, 3, 1), date(2025, 3, 31))
    assert month_window("2024-02", 30) == (date(2024, 1, 31), date(2024, 2, 29))


def test_deadline_is_cutoff_plus_the_plan_days():
    assert deadline("2025-10", 14, 3) == date(2025, 10, 17)
    assert deadline("2025-12", 14, 20) == date(2026, 1, 3)


@pytest.mark.parametrize(("value", "month"), [
    ("10/2025", "2025-10"),
    ("1/2025", "2025-01"),
    (" 10 / 2025 ", "2025-10"),
    ("10.2025", "2025-10"),
    ("2025-10", "2025-10"),
    (date(2025, 10, 1), "2025-10"),
    (datetime(2025, 10, 14, 8, 0), "2025-10"),
    ("16/10/2025", "2025-10"),
])
def test_reporting_month_typed_in_a_cell(value, month):
    assert parse_month_value(value) == month


@pytest.mark.parametrize("value", ["13/2025", "tháng 10", "", None, 2025, "2025-13"])
def test_reporting_month_that_makes_no_sense_is_none(value):
    assert parse_month_value(value) is None


@pytest.mark.parametrize(("value", "day"), [
    ("16/10/2025", date(2025, 10, 16)),
    ("6/1/2025", date(2025, 1, 6)),
    ("16-10-2025", date(2025, 10, 16)),
    ("2025-10-16", date(2025, 10, 16)),
    (datetime(2025, 10, 16, 9, 30), date(2025, 10, 16)),
    (date(2025, 10, 16), date(2025, 10, 16)),
])
def test_submission_date_is_read_day_first(value, day):
    assert parse_date_value(value) == day


@pytest.mark.parametrize("value", ["31/02/2025", "hôm qua", "", 45946, None])
def test_submission_date_that_cannot_be_read_is_none(value):
    assert parse_date_value(value) is None


@pytest.mark.parametrize(("text", "code"), [
    ("07/2025", "2025-07"), ("7/2025", "2025-07"), ("tháng 7/2025", "2025-07"),
    ("Q3/2025", "2025-Q3"), ("quý 3/2025", "2025-Q3"), ("Quý III/2025", "2025-Q3"),
    ("quý III năm 2025", "2025-Q3"), ("6 tháng đầu năm 2025", "2025-H1"),
    ("6 tháng cuối năm 2025", "2025-H2"), ("năm 2025", "2025"), ("Năm 2025", "2025"),
    ("07/2025..09/2025", "2025-07..2025-09"),
])
def test_a_period_as_a_vietnamese_user_types_it(text, code):
    assert parse_span(text).code == code
