"""Reporting months, spans of months, cut-off windows and deadlines.

A month is the string ``YYYY-MM``. Month M covers the day after the cut-off of month M-1 to the
cut-off day of month M (Decree 09/2019/NĐ-CP cuts statistics off on the 14th), so the year 2025
runs from 15 Dec 2024 to 14 Dec 2025. A span (quarter, half-year, year, range) is a union of months.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_SLASH_MONTH = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
MIN_YEAR, MAX_YEAR = 1900, 2999


class PeriodError(ValueError):
    """A period code that cannot be understood."""


def month_code(year: int, month: int) -> str:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise PeriodError(f"no such month: {year}-{month}")
    return f"{year:04d}-{month:02d}"


def split_month(code: str) -> tuple[int, int]:
    m = _MONTH.match(code)
    if not m:
        raise PeriodError(f"not a month code: {code!r}")
    year, month = int(m.group(1)), int(m.group(2))
    month_code(year, month)
    return year, month


def add_months(code: str, n: int) -> str:
    year, month = split_month(code)
    index = year * 12 + (month - 1) + n
    return month_code(index // 12, index % 12 + 1)


def month_range(first: str, last: str) -> list[str]:
    months = []
    current = first
    while current <= last:
        months.append(current)
        if current == last:  # never step past the last month (December of MAX_YEAR has no next)
            break
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class Span:
    """A reporting span: its code as typed (normalised) and the months it holds, in order."""

    code: str
    months: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.months[0]

    @property
    def last(self) -> str:
        return self.months[-1]

    def window(self, cutoff_day: int) -> tuple[date, date]:
        """First and last calendar day covered by the span."""
        return month_window(self.first, cutoff_day)[0], month_window(self.last, cutoff_day)[1]


def parse_span(text: str) -> Span:
    """Parse ``2025-10``, ``2025-Q3``, ``2025-H1``, ``2025`` or ``2025-01..2025-06``."""
    raw = text.strip() if isinstance(text, str) else ""
    if ".." in raw:
        if raw.count("..") > 1:
            raise PeriodError(f"a range has one '..': {raw!r}")
        left, _, right = raw.partition("..")
        first, last = parse_span(left), parse_span(right)
        if first.first > last.last:
            raise PeriodError(f"range runs backwards: {raw!r}")
        months = tuple(month_range(first.first, last.last))
        return Span(f"{first.first}..{last.last}", months)
    if m := _MONTH.match(raw):
        code = month_code(int(m.group(1)), int(m.group(2)))
        return Span(code, (code,))
    if m := _QUARTER.match(raw):
        year, q = int(m.group(1)), int(m.group(2))
        first = month_code(year, 3 * q - 2)
        return Span(f"{year}-Q{q}", tuple(month_range(first, add_months(first, 2))))
    if m := _HALF.match(raw):
        year, h = int(m.group(1)), int(m.group(2))
        first = month_code(year, 6 * h - 5)
        return Span(f"{year}-H{h}", tuple(month_range(first, add_months(first, 5))))
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return Span(str(year), tuple(month_range(month_code(year, 1), month_code(year, 12))))
    raise PeriodError(f"not a period: {text!r} (use 2025-10, 2025-Q3, 2025-H1, 2025 or 2025-01..2025-06)")


def month_window(code: str, cutoff_day: int) -> tuple[date, date]:
    """Calendar days covered by month ``code``: (cut-off of M-1) + 1 day .. cut-off of M."""
    year, month = split_month(code)
    end = _clamped(year, month, cutoff_day)
    # The month before, computed directly: January of MIN_YEAR starts in December of the year
    # before, which is not itself a reporting month.
    py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
    start = _clamped(py, pm, cutoff_day) + timedelta(days=1)
    return start, end


@functools.lru_cache(maxsize=1024)  # asked once per accepted file: thousands of times a month
def deadline(code: str, cutoff_day: int, deadline_days: int) -> date:
    """Last day a submission for month ``code`` is on time."""
    return month_window(code, cutoff_day)[1] + timedelta(days=deadline_days)


def _clamped(year: int, month: int, day: int) -> date:
    # A cut-off of 31 in February means the last day of February.
    for d in range(min(day, 31), 27, -1):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, min(day, 28))


def parse_month_value(value: object) -> str | None:
    """A reporting month typed in a cell: ``2025-10``, ``10/2025``, or a date (its month)."""
    if isinstance(value, (datetime, date)):
        return month_code(value.year, value.month) if MIN_YEAR <= value.year <= MAX_YEAR else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _MONTH.match(text):
            return month_code(int(m.group(1)), int(m.group(2)))
        if m := _SLASH_MONTH.match(text):
            return month_code(int(m.group(2)), int(m.group(1)))
        if parsed := parse_date_value(text):
            return month_code(parsed.year, parsed.month)
    except PeriodError:
        return None
    return None


def parse_date_value(value: object) -> date | None:
    """A date typed in a cell: a date cell, ``dd/mm/yyyy`` or ``yyyy-mm-dd`` text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _DMY.match(text):
            return _in_years(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        if m := _ISO_DATE.match(text):
            return _in_years(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    except ValueError:
        return None
    return None


def _in_years(day: date) -> date | None:
    """A typed date of year 0001 or 1066 is a slip, not a date sent: the same years as months."""
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None
