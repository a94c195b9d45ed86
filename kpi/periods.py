"""Reporting periods, spans of months, and the calendar that turns them into real dates.

A month is the string ``YYYY-MM``. A reporting period is a month, a quarter (``2025-Q3``), a half
year (``2025-H1``) or a year (``2025``): what one submission covers, by the rhythm its agency
reports on. A span (what a roll-up covers) is any of these or a range ``2025-01..2025-06``; it is
a union of months.

The dates come from the plan's :class:`Calendar`: month M covers the day after the cut-off of
month M-1 to the cut-off day of month M (Decree 09/2019/NĐ-CP cuts statistics off on the 14th,
so the year 2025 runs from 15 Dec 2024 to 14 Dec 2025), or the calendar month itself; the
deadline is the cut-off plus N days, or day N of the following month.
"""

from __future__ import annotations

import calendar as _calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_SLASH_MONTH = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
# What a Vietnamese user types, folded (no diacritics, lower case): "quý 3/2025", "Q3/2025",
# "quý III năm 2025", "6 tháng đầu năm 2025", "năm 2025", "tháng 7/2025".
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WORD_QUARTER = re.compile(
    r"^(?:quy|qui|q)\s*([1-4]|iv|iii|ii|i)\s*(?:[/.-]|\s+nam\s+|\s+)?\s*(\d{4})$")
# "III/2026" (a quarter in Roman numerals alone), "2026Q3", "2026 q3", "2026H1", "2026/08".
_ROMAN_QUARTER = re.compile(r"^(iv|iii|ii|i)\s*[/.-]\s*(\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/. ]?\s*(q|h)\s*(\d)$")
_YEAR_SLASH_MONTH = re.compile(r"^(\d{4})\s*[/.]\s*(\d{1,2})$")
_WORD_HALF = re.compile(r"^(?:6\s*thang\s*(dau|cuoi)|h\s*([12]))\s*(?:nam)?\s*[/.-]?\s*(\d{4})$")
_WORD_YEAR = re.compile(r"^nam\s*(\d{4})$")
_WORD_MONTH = re.compile(r"^thang\s*(\d{1,2})\s*(?:[/.-]|\s+nam\s+|\s+)\s*(\d{4})$")
MIN_YEAR, MAX_YEAR = 1900, 2999
FORMS_HINT = ("2025-10, 10/2025, 2025-Q3, Q3/2025, quý 3/2025, 2025-H1, 6 tháng đầu năm 2025, 2025, "
              "2025-01..2025-06")

# Reporting rhythms and the period kind each reports by.
RHYTHMS = {"monthly": "month", "quarterly": "quarter", "half-yearly": "half", "yearly": "year"}


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

    @property
    def kind(self) -> str:
        """"month", "quarter", "half", "year" or "range"."""
        return period_kind(self.code)

    @property
    def year(self) -> int:
        """The year the span ends in (its last month's)."""
        return int(self.last[:4])

    def contains(self, months: tuple[str, ...]) -> bool:
        return bool(months) and self.first <= months[0] and months[-1] <= self.last

    def window(self, cutoff_day: int | Calendar) -> tuple[date, date]:
        """First and last calendar day covered by the span."""
        cal = cutoff_day if isinstance(cutoff_day, Calendar) else Calendar(cutoff_day)
        return cal.window(self.first)[0], cal.window(self.last)[1]


def period_kind(code: str) -> str:
    if ".." in code:
        return "range"
    if _QUARTER.match(code):
        return "quarter"
    if _HALF.match(code):
        return "half"
    if _YEAR.match(code):
        return "year"
    return "month"


def _fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d), spaces folded: what the word patterns match."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.strip().lower())


def _in_words(raw: str) -> str | None:
    """A period typed in words or with a slash -> its code, else None."""
    text = _fold(raw)
    if m := _SLASH_MONTH.match(text):
        return month_code(int(m.group(2)), int(m.group(1)))
    if m := _WORD_MONTH.match(text):
        return month_code(int(m.group(2)), int(m.group(1)))
    if m := _WORD_QUARTER.match(text):
        quarter = int(m.group(1)) if m.group(1).isdigit() else _ROMAN[m.group(1)]
        return f"{int(m.group(2))}-Q{quarter}"
    if m := _WORD_HALF.match(text):
        half = 1 if m.group(1) == "dau" or m.group(2) == "1" else 2
        return f"{int(m.group(3))}-H{half}"
    if m := _WORD_YEAR.match(text):
        return m.group(1)
    if m := _ROMAN_QUARTER.match(text):
        return f"{int(m.group(2))}-Q{_ROMAN[m.group(1)]}"
    if (m := _YEAR_FIRST.match(text)) and int(m.group(3)) in ((1, 2, 3, 4) if m.group(2) == "q" else (1, 2)):
        return f"{int(m.group(1))}-{m.group(2).upper()}{m.group(3)}"
    if m := _YEAR_SLASH_MONTH.match(text):
        return month_code(int(m.group(1)), int(m.group(2)))
    return None


def parse_span(text: str) -> Span:
    """Parse ``2025-10``, ``2025-Q3``, ``2025-H1``, ``2025`` or ``2025-01..2025-06``, and what a
    Vietnamese user types: ``10/2025``, ``Q3/2025``, ``quý 3/2025``, ``quý III năm 2025``,
    ``6 tháng đầu năm 2025``, ``năm 2025``."""
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
        start = month_code(year, 3 * q - 2)
        return Span(f"{year}-Q{q}", tuple(month_range(start, add_months(start, 2))))
    if m := _HALF.match(raw):
        year, h = int(m.group(1)), int(m.group(2))
        start = month_code(year, 6 * h - 5)
        return Span(f"{year}-H{h}", tuple(month_range(start, add_months(start, 5))))
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return Span(str(year), tuple(month_range(month_code(year, 1), month_code(year, 12))))
    if raw and (words := _in_words(raw)) is not None and words != raw:
        return parse_span(words)
    raise PeriodError(f"not a period: {text!r} (use {FORMS_HINT})")


@functools.lru_cache(maxsize=4096)
def period_months(code: str) -> tuple[str, ...]:
    """The months a reporting period covers."""
    return parse_span(code).months


def periods_in(rhythm: str, span: Span) -> list[str]:
    """The reporting periods of ``rhythm`` that lie wholly inside ``span``, in order: a
    quarterly reporter owes Q3 in 2025-Q3 and in 2025, nothing in 2025-08."""
    kind = RHYTHMS[rhythm]
    if kind == "month":
        return list(span.months)
    found = []
    for year in range(int(span.first[:4]), int(span.last[:4]) + 1):
        codes = ([f"{year}-Q{q}" for q in range(1, 5)] if kind == "quarter"
                 else [f"{year}-H{h}" for h in (1, 2)] if kind == "half" else [str(year)])
        found += [c for c in codes if span.contains(period_months(c))]
    return found


def periods_cut(rhythm: str, span: Span) -> list[str]:
    """Periods of ``rhythm`` that overlap ``span`` without lying inside it."""
    kind = RHYTHMS[rhythm]
    if kind == "month":
        return []
    cut = []
    for year in range(int(span.first[:4]), int(span.last[:4]) + 1):
        codes = ([f"{year}-Q{q}" for q in range(1, 5)] if kind == "quarter"
                 else [f"{year}-H{h}" for h in (1, 2)] if kind == "half" else [str(year)])
        for c in codes:
            months = period_months(c)
            overlaps = months[0] <= span.last and span.first <= months[-1]
            if overlaps and not span.contains(months):
                cut.append(c)
    return cut


# --- real dates -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calendar:
    """The plan's period rules. ``cutoff_day`` None (or 31, the older way to say it): calendar
    months. The deadline is ``deadline_days`` after the period's last day, or day
    ``deadline_day`` of the month after it (exactly one of the two is set)."""

    cutoff_day: int | None = 14
    deadline_days: int | None = 3
    deadline_day: int | None = None

    @property
    def calendar_months(self) -> bool:
        return self.cutoff_day is None or self.cutoff_day >= 31

    def window(self, code: str) -> tuple[date, date]:
        """First and last calendar day of a reporting period (or any span code)."""
        months = period_months(code)
        return _window(months[0], self.cutoff_day)[0], _window(months[-1], self.cutoff_day)[1]

    def deadline(self, code: str) -> date:
        """Last day a submission for period ``code`` is on time."""
        end = self.window(code)[1]
        if self.deadline_day is not None:
            year, month = (end.year, end.month + 1) if end.month < 12 else (end.year + 1, 1)
            return _clamped(year, month, self.deadline_day)
        return end + timedelta(days=self.deadline_days or 0)


@functools.lru_cache(maxsize=4096)  # asked once per accepted file: thousands of times a month
def _window(code: str, cutoff_day: int | None) -> tuple[date, date]:
    year, month = split_month(code)
    if cutoff_day is None or cutoff_day >= 31:
        return date(year, month, 1), _clamped(year, month, 31)
    end = _clamped(year, month, cutoff_day)
    # The month before, computed directly: January of MIN_YEAR starts in December of the year
    # before, which is not itself a reporting month.
    py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
    start = _clamped(py, pm, cutoff_day) + timedelta(days=1)
    return start, end


def month_window(code: str, cutoff_day: int | None) -> tuple[date, date]:
    """Calendar days covered by month ``code``: (cut-off of M-1) + 1 day .. cut-off of M."""
    return _window(code, cutoff_day)


def deadline(code: str, cutoff_day: int | None, deadline_days: int) -> date:
    """Last day a submission for month ``code`` is on time (cut-off + ``deadline_days``)."""
    return Calendar(cutoff_day, deadline_days).deadline(code)


def _clamped(year: int, month: int, day: int) -> date:
    # A cut-off of 31 in February means the last day of February.
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def period_with_day(day: date, cal: Calendar) -> str:
    """The month whose window holds ``day`` (with the 14th cut-off, 30 July is in 2025-08)."""
    code = month_code(day.year, day.month)
    start, end = cal.window(code)
    if day > end:
        return add_months(code, 1)
    if day < start:
        return add_months(code, -1)
    return code


# --- what a cell says -----------------------------------------------------------------------------

def parse_period_value(value: object) -> str | None:
    """A reporting period typed in a cell: a month (``2025-10``, ``10/2025``, a date cell: its
    month), a quarter (``Q3/2025``, ``Quý III/2025``, ``2025-Q3``), a half year (``6 tháng đầu
    năm 2025``, ``2025-H1``) or a year (``năm 2025``, ``2025``)."""
    if isinstance(value, (datetime, date)):
        return month_code(value.year, value.month) if MIN_YEAR <= value.year <= MAX_YEAR else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))  # a year typed in a number cell
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _MONTH.match(text):
            return month_code(int(m.group(1)), int(m.group(2)))
        if m := _SLASH_MONTH.match(text):
            return month_code(int(m.group(2)), int(m.group(1)))
        if _QUARTER.match(text) or _HALF.match(text) or _YEAR.match(text):
            span = parse_span(text)
            return span.code if MIN_YEAR <= int(span.first[:4]) <= MAX_YEAR else None
        if (code := _in_words(text)) is not None:
            return parse_span(code).code
        if parsed := parse_date_value(text):
            return month_code(parsed.year, parsed.month)
    except PeriodError:
        return None
    return None


def parse_month_value(value: object) -> str | None:
    """A month typed in a cell (older callers): only a month, never a quarter or a year."""
    code = parse_period_value(value)
    return code if code is not None and period_kind(code) == "month" else None


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


# --- the date (and time) a report was sent ---------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """A date sent as read from a cell: the day, the time of day when one was given (a time of
    00:00 in a date cell is no time: it is how a bare date is stored), and ``form`` when the
    text was read from a less usual form kpi reports as a decision: "two-digit-year" (20yy) or
    "words" (``17 tháng 8 năm 2026``, ``Aug 17, 2026``)."""

    day: date
    time: time | None = None
    form: str | None = None


_TIME = re.compile(
    r"(?<![\d/.:-])(\d{1,2})\s*(?::|h(?![a-z])|g(?![a-z])|gio)\s*(\d{1,2})?"
    r"(?:\s*(?::|phut|p(?![a-z]))\s*(\d{1,2})?)?(?:\s*(?:giay|s(?![a-z])))?"
    r"(?:\s*(am|pm|sa|ch|sang|chieu|toi)(?![a-z]))?(?![\d/.-])")
_DMY_ANY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")
_YMD_ANY = re.compile(r"^(\d{4})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})$")
_VI_WORDS = re.compile(r"^(\d{1,2})\s+thang\s+(\d{1,2})\s*(?:,\s*)?nam\s+(\d{4})$")
_MONTH_NAMES = {name: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_EN_MDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})$")
_EN_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?\s*,?\s*(\d{4})$")


def parse_sent_value(value: object) -> Sent | None:
    """The date (and time) a report was sent, in every reasonable form a clerk types: a date
    cell (with or without a time), ``17/08/2026``, ``17/08/2026 10:30``, ``10h30 17/8/2026``,
    ``2026/08/17``, ``2026-08-17T10:30``, ``17/08/26`` (a two-digit year is 20yy), ``ngày
    17/8/2026``, ``17 tháng 8 năm 2026``, ``Aug 17, 2026``, ``17 August 2026``. None when it
    cannot be read."""
    # A date cell is a date whatever its year: one far ahead is judged implausible by the caller.
    if isinstance(value, datetime):
        clock = value.time().replace(microsecond=0)
        return Sent(value.date(), clock if clock != time(0, 0) else None)
    if isinstance(value, date):
        return Sent(value)
    if not isinstance(value, str) or len(value) > 80:
        return None
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t", r"\1 ", _fold(value))  # ISO 2026-08-17T10:30
    # A date line as an official writes it: "Kon Tum, ngày 17 tháng 8 năm 2026".
    text = re.sub(r"^(?:[^\d,]*,\s*)?ngay\s*", "", text)
    at: time | None = None
    found = list(_TIME.finditer(text))
    if len(found) > 1:
        return None
    if found:
        ok, at = _time_of(found[0])
        if not ok:
            return None
        text = (text[:found[0].start()] + " " + text[found[0].end():]).strip(" ,-")
        # What is left around the time: "lúc", "vào", "ngày".
        text = " ".join(w for w in text.split() if w not in ("luc", "vao", "ngay")).strip(" ,")
    try:
        if m := _DMY_ANY.match(text):
            year, form = int(m.group(3)), None
            if len(m.group(3)) == 2:
                year, form = 2000 + year, "two-digit-year"
            day = _in_years(date(year, int(m.group(2)), int(m.group(1))))
        elif m := _YMD_ANY.match(text):
            day, form = _in_years(date(int(m.group(1)), int(m.group(2)), int(m.group(3)))), None
        elif m := _VI_WORDS.match(text):
            day = _in_years(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            form = "words"
        elif (m := _EN_MDY.match(text)) and m.group(1) in _MONTH_NAMES:
            day = _in_years(date(int(m.group(3)), _MONTH_NAMES[m.group(1)], int(m.group(2))))
            form = "words"
        elif (m := _EN_DMY.match(text)) and m.group(2) in _MONTH_NAMES:
            day = _in_years(date(int(m.group(3)), _MONTH_NAMES[m.group(2)], int(m.group(1))))
            form = "words"
        else:
            return None
    except ValueError:
        return None
    return Sent(day, at, form) if day else None


def _time_of(m: re.Match[str]) -> tuple[bool, time | None]:
    """(whether the time is a real time of day, the time: None for 00:00, no time given)."""
    hour, minute, second = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    half = m.group(4)
    if half in ("pm", "ch", "chieu", "toi") and hour < 12:
        hour += 12
    elif half in ("am", "sa", "sang") and hour == 12:
        hour = 0
    try:
        at = time(hour, minute, second)
    except ValueError:
        return False, None
    return True, (at if at != time(0, 0) else None)


def period_day(value: object) -> date | None:
    """The day a period cell holds when it holds a whole date (a date cell, or text such as
    ``15/07/2026``) rather than a period: it is then read by the plan's windows
    (:func:`period_with_day`), not by its calendar month."""
    if isinstance(value, (datetime, date)):
        return _in_years(value.date() if isinstance(value, datetime) else value)
    if isinstance(value, str):
        sent = parse_sent_value(value)
        return sent.day if sent is not None else None
    return None
