"""One agency's workbook -> a Submission with every problem found, never only the first.

Structure first (is this our template, which agency and month), then values (blank, text,
fractions, negatives), then the plan's rules, like datapackr's Data Pack checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from .expr import evaluate, split_key
from .i18n import t
from .issues import Issue, make_issue
from .layout import (
    META_AGENCY,
    META_CODES,
    META_PERIOD,
    META_PHONE,
    META_REPORTER,
    META_SUBMITTED,
    META_TEXT_KEYS,
)
from .numbers import clean_text, comma_readings, name_key, number_word, parse_count
from .periods import (
    RHYTHMS,
    PeriodError,
    month_code,
    parse_period_value,
    parse_sent_value,
    period_day,
    period_kind,
    period_months,
    period_with_day,
)
from .plan import Agency, Category, Element, Option, Plan
from .present import clip, fmt_exact, inert, month_label, period_label, period_name
from .read import (
    SPREADSHEET_SUFFIXES,
    VALUE_COL,
    CodeRow,
    ReadError,
    column_letter,
    is_error_text,
    rows_digest,
)
from .readcache import read_cached

__all__ = ["META_AGENCY", "META_CODES", "META_PERIOD", "META_PHONE", "META_REPORTER",
           "META_SUBMITTED", "Submission", "check_rows", "find_agency", "validate_file"]


@dataclass
class Submission:
    """What one file says, and every problem found in it."""

    file: str
    agency: str | None = None
    period: str | None = None
    submitted: date | None = None
    submitted_time: time | None = None  # the time of day, when the date sent gives one
    submitted_text: str = ""  # the date sent as typed, when it was text
    submitted_form: str | None = None  # a less usual form it was read from (periods.Sent.form)
    reporter: str = ""
    phone: str = ""  # as the clerk meant it: a number typed as a number gets its leading 0 back
    agency_name_vi: str = ""  # the agency's name in the plan, for the clerk's pages
    agency_name_en: str = ""
    values: dict[str, int] = field(default_factory=dict)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # element -> (sheet, cell)
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True
    output: str | None = None  # kpi's own output ("report", "marked-copy"), not a submission
    plan: str | None = None  # the id of the plan it was checked against

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        return self.readable and not self.errors

    def agency_name(self, lang: str) -> str:
        """The agency's name, or its code when the plan does not know it."""
        name = self.agency_name_en if lang == "en" else self.agency_name_vi
        return name or self.agency or ""

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.valid,
            "agency": self.agency,
            "period": self.period,
            "errors": [i.to_dict(lang) for i in self.errors],
            "warnings": [i.to_dict(lang) for i in self.warnings],
        }


def validate_file(path: Path | str, plan: Plan | Sequence[Plan], *,
                  today: date | None = None) -> Submission:
    """Read and check one submission. Never raises for anything a user's file contains.

    ``plan``: the plan, or the plans kpi knows: then the one in force for the period the file
    states (else the one in force ``today``). ``today``: the day kpi runs (default: the
    machine's date); a date sent after it is wrong."""
    path = Path(path)
    sub = Submission(file=str(path))
    if not path.exists() and not path.is_symlink():  # a mistyped name: not found, whatever its suffix
        sub.readable = False
        sub.issues.append(make_issue("unreadable-file", sub.file, detail="file not found",
                                     vi={"detail": "không tìm thấy tệp"}))
        return sub
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        sub.readable = False
        sub.issues.append(make_issue("not-a-spreadsheet", sub.file))
        return sub
    try:
        # Through the cache of what was read (kpi.readcache): the same rows, read once per content.
        book = read_cached(path)
    except ReadError as exc:
        sub.readable = False
        sub.issues.append(make_issue(exc.code, sub.file, detail=inert(exc.detail),
                                     vi={"detail": inert(exc.detail_vi)}))
        return sub
    marker = book.container.output
    # Decided by content, not by name: the fingerprint of the rows kpi wrote into the file.
    # A template still as kpi wrote it is blank; one a clerk filled is a submission. A marked
    # copy still as kpi wrote it is kpi's; one a clerk corrected is a submission, with a note.
    changed = book.container.output_digest != rows_digest(book.rows)
    corrected = marker == "marked-copy" and changed
    if marker == "template":
        marker = "blank-template" if not changed else None
    elif corrected:
        marker = None
    sub.output = marker
    if marker is not None and marker not in ("marked-copy", "blank-template"):
        sub.issues.append(make_issue("kpi-output", sub.file, kind=marker))
        return sub
    chosen = plan if isinstance(plan, Plan) else plan_for_rows(list(plan), book.rows, today)
    check_rows(sub, book.rows, chosen, today=today)
    if corrected:
        sub.issues.append(make_issue("corrected-marked-copy", sub.file))
    return sub


def skip_reason(sub: Submission) -> str:
    """Why a file found among submissions is listed rather than counted (``sub.output`` set):
    "marked-copy" (unchanged), "blank-template" (never filled in) or "kpi-output" (a report)."""
    return sub.output if sub.output in ("marked-copy", "blank-template") else "kpi-output"


def plan_for_rows(plans: list[Plan], rows: list[CodeRow], today: date | None = None) -> Plan:
    """The plan in force for the period a file's cover states. Without one (no period, or one
    no plan covers), the plan whose codes the file's rows use most, so a typo in the period
    is not buried under rows another plan's forms lack; on a tie, the one in force today."""
    from .catalog import current_plan, plan_for_month

    for row in rows:
        if row.code == META_PERIOD:
            raw = clean_text(row.value) if isinstance(row.value, str) else row.value
            day = period_day(raw)
            if day is not None:  # a date: the plan whose window for it it falls in
                for p in plans:
                    month = _month_of_day(day, p)
                    if month is not None and p.covers(month):
                        return p
                break
            period = parse_period_value(raw)
            if period is not None:
                found = plan_for_month(plans, period_months(period)[-1])
                if found is not None:
                    return found
            break
    today_plan = current_plan(plans, today)
    codes = {row.code for row in rows}

    def known(p: Plan) -> tuple[int, bool]:
        return len(codes & (set(p.element_by_code) | set(p.grid_row_codes))), p is today_plan

    return max(plans, key=known)


def check_rows(sub: Submission, rows: list[CodeRow], plan: Plan, *, today: date | None = None) -> None:
    """Fill ``sub`` from the code rows of a workbook (split out so tests can feed rows)."""
    first: dict[str, CodeRow] = {}
    for row in rows:
        if row.code in first:
            seen = first[row.code]
            sub.issues.append(make_issue(
                "duplicate-code", sub.file, sheet=row.sheet, cell=f"A{row.row}", element=row.code,
                first=f"{seen.sheet}!A{seen.row}"))
        else:
            first[row.code] = row
    for row in rows:
        if row.foreign:
            sub.issues.append(make_issue(
                "non-latin-code", sub.file, sheet=row.sheet, cell=f"A{row.row}", element=row.code,
                where=f"A{row.row}",
                chars=", ".join(f"'{ch}' ({unicodedata.name(ch, '?')})" for ch in row.foreign)))
    known = set(plan.element_by_code) | set(META_CODES)
    if not any(code in known for code in first):
        sub.issues.append(make_issue("not-a-template", sub.file))
        return

    sub.plan = plan.id
    agency = _check_meta(sub, first, plan, today or date.today())
    _check_file_name(sub, plan)
    rhythm = _check_rhythm(sub, first, plan, agency)
    expected = plan.elements_for_agency(agency, rhythm) if agency and rhythm else []
    expected_codes = {e.code for e in expected}

    for element in expected:
        found = first.get(element.code)
        if found is None:
            form = plan.form_by_code[element.form]
            sub.issues.append(make_issue(
                "missing-element", sub.file, sheet=form.sheet, element=element.code,
                form=form.sheet, vi={"label": element.name_vi}, en={"label": element.name_en}))
            continue
        _read_value(sub, found, element.name_vi, element.name_en, bound=element.bound)
        if element.breakdowns:
            _read_breakdowns(sub, first, element, found)

    grid_rows = {f"{e.code}.{o.code}" for e in expected for b in e.breakdowns for o in b[-1].options}
    for code, row in first.items():
        if code in expected_codes or code in META_CODES or code in grid_rows:
            continue
        base = code.partition(".")[0]
        if "." in code and base in plan.element_by_code:
            element = plan.element_by_code[base]
            if any(v not in (None, "") for v in (row.value, *row.more)) and not element.breakdowns:
                sub.issues.append(make_issue(
                    "breakdown-not-asked", sub.file, sheet=row.sheet, cell=f"A{row.row}",
                    element=base, vi={"label": element.name_vi}, en={"label": element.name_en}))
            continue
        other = plan.element_by_code.get(code)
        if other is None:
            sub.issues.append(make_issue("unknown-code", sub.file, sheet=row.sheet,
                                         cell=f"A{row.row}", element=code))
        elif agency is None or rhythm is None:
            # Agency or rhythm unknown: still report what is wrong with each value.
            _read_value(sub, row, other.name_vi, other.name_en, bound=other.bound)
        elif not _blank(row.value):
            if other.form in agency.forms:  # reported, but in a report of another rhythm
                sub.issues.append(make_issue(
                    "wrong-rhythm", sub.file, sheet=row.sheet, cell=row.cell, element=code,
                    vi={"detail": f"biểu {plan.form_by_code[other.form].sheet} được báo cáo "
                                  f"{RHYTHM_WORDS[agency.rhythm_of(other.form)][0]}, không nằm "
                                  f"trong báo cáo {period_name(sub.period or '', 'vi')}; số liệu "
                                  "ở đây không được tính"},
                    en={"detail": f"form {plan.form_by_code[other.form].sheet} is reported "
                                  f"{RHYTHM_WORDS[agency.rhythm_of(other.form)][1]}, not in the "
                                  f"report for {period_name(sub.period or '', 'en')}; the value "
                                  "here does not count"}))
            else:
                sub.issues.append(make_issue(
                    "wrong-form-for-agency", sub.file, sheet=row.sheet, cell=row.cell, element=code,
                    agency=agency.code, form=plan.form_by_code[other.form].sheet,
                    clerk_vi={"agency": agency.name_vi, "element": f"ô {row.cell}"},
                    clerk_en={"agency": agency.name("en"), "element": f"cell {row.cell}"}))

    _check_rules(sub, plan)


def _shown(value: object) -> str:
    """A cell value as the clerk typed it, for a message: -3 stays -3, not the reader's float
    -3.0; long text is cut (a cell of megabytes must not become a message of megabytes)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clip(clean_text(str(value)))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _blank_code(row: CodeRow | None) -> str:
    """The issue of a required blank cell: blank, or a formula whose result was never saved."""
    return "formula-without-value" if row is not None and row.formula else "missing-value"


def _places(sub: Submission, name: str) -> list[tuple[str, str]]:
    """Where a value a rule names was read: its cell, or for a selection (NN_XAC_DINH[U16])
    the cells of the parts it adds up."""
    if name in sub.cells:
        return [sub.cells[name]]
    element, options = split_key(name)
    found = [place for key, place in sub.cells.items()
             if split_key(key)[0] == element and set(options) <= set(split_key(key)[1])]
    return found or [("", "")]


def _read_value(sub: Submission, row: CodeRow, name_vi: str, name_en: str, *,
                key: str | None = None, cell: str | None = None, bound: int | None = None) -> None:
    """Read one value cell; ``key``/``cell``: a part of a breakdown, and where it is;
    ``bound``: the largest plausible value (the element's ``max``), above which the value is
    refused (``implausible-value``) and counts nowhere."""
    parsed = parse_count(row.value)
    shown = _shown(row.value)
    key = key or row.code
    where: dict[str, Any] = dict(sheet=row.sheet, cell=cell or row.cell, element=key)
    labels: dict[str, Any] = dict(vi={"label": name_vi}, en={"label": name_en})
    if row.error or (isinstance(row.value, str) and is_error_text(clean_text(row.value))):
        sub.issues.append(make_issue("formula-error", sub.file, **where, **labels,
                                     value=row.error or shown))
        return
    if parsed.problem:
        problem = parsed.problem
        if problem == "missing-value" and row.formula:
            problem = "formula-without-value"
        extra: dict[str, Any] = {}
        if problem == "ambiguous-number":
            thousands, decimal = comma_readings(str(row.value))
            extra = dict(plain=str(thousands))
            labels = dict(vi={**labels["vi"], "thousands": fmt_exact(thousands, "vi"),
                              "decimal": fmt_exact(decimal, "vi")},
                          en={**labels["en"], "thousands": fmt_exact(thousands, "en"),
                              "decimal": fmt_exact(decimal, "en")})
        issue = make_issue(problem, sub.file, **where, **labels, value=shown, **extra)
        if problem == "not-a-number":
            issue = replace(issue, example=number_word(row.value))
        sub.issues.append(issue)
        return
    assert parsed.value is not None
    if bound is not None and parsed.value > bound:
        sub.issues.append(make_issue("implausible-value", sub.file, **where, value=shown,
                                     vi={**labels["vi"], "bound": fmt_exact(bound, "vi")},
                                     en={**labels["en"], "bound": fmt_exact(bound, "en")}))
        return
    if parsed.from_text:
        sub.issues.append(make_issue("text-number", sub.file, **where, **labels, value=shown,
                                     number=parsed.value))
    if parsed.rounded is not None:
        sub.issues.append(make_issue("rounded-number", sub.file, **where, **labels,
                                     value=repr(parsed.rounded), number=parsed.value))
    sub.values[key] = parsed.value
    sub.cells[key] = row.where if cell is None else (row.sheet, cell)


def phone_text(value: object) -> str:
    """A phone number as the clerk meant it. Typed into a cell that is not text, 0912 345 678
    becomes the number 912345678: Vietnamese numbers all start with 0 (0912 ..., 0255 ...), so
    a number of 8 to 10 digits gets its 0 back; text is kept as typed."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            return _shown(value)
        digits = str(int(value))
        return "0" + digits if 8 <= len(digits) <= 10 and not digits.startswith("84") else digits
    return clean_text(str(value))


def _meta_issue(sub: Submission, code: str, row: CodeRow | None, meta: str, **params: Any) -> None:
    vi_label, en_label = t(META_TEXT_KEYS[meta], "vi"), t(META_TEXT_KEYS[meta], "en")
    vi = {"label": vi_label, **params.pop("vi", {})}
    en = {"label": en_label, **params.pop("en", {})}
    sub.issues.append(make_issue(
        code, sub.file, sheet=row.sheet if row else None, cell=row.cell if row else None,
        element=meta, vi=vi, en=en, **params))


def _check_meta(sub: Submission, rows: dict[str, CodeRow], plan: Plan, today: date) -> Agency | None:
    agency_row = rows.get(META_AGENCY)
    agency: Agency | None = None
    if agency_row is None or _blank(agency_row.value):
        _meta_issue(sub, _blank_code(agency_row), agency_row, META_AGENCY)
    else:
        agency = find_agency(plan, agency_row.value)
        if agency is None:
            _meta_issue(sub, "unknown-agency", agency_row, META_AGENCY,
                        value=_shown(agency_row.value), example=plan.agencies[0].code)
        else:
            sub.agency = agency.code
            sub.agency_name_vi, sub.agency_name_en = agency.name_vi, agency.name_en

    period_row = rows.get(META_PERIOD)
    if period_row is None or _blank(period_row.value):
        _meta_issue(sub, _blank_code(period_row), period_row, META_PERIOD)
    else:
        raw = period_row.value
        day = period_day(clean_text(raw) if isinstance(raw, str) else raw)
        if day is not None:
            # A date typed for the period: the period whose window holds it (with the 14th
            # cut-off, 15/07/2026 is in period 08/2026), said where it is not its calendar month.
            period = _month_of_day(day, plan)
            if period is not None and period != month_code(day.year, day.month):
                start, end = plan.calendar.window(period)
                _meta_issue(sub, "period-from-date", period_row, META_PERIOD,
                            value=day.strftime("%d/%m/%Y"), period=period_label(period),
                            start=start.strftime("%d/%m/%Y"), end=end.strftime("%d/%m/%Y"))
        else:
            period = parse_period_value(clean_text(raw) if isinstance(raw, str) else raw)
        if period is None:
            example = example_month(plan)
            _meta_issue(sub, "bad-period", period_row, META_PERIOD, value=_shown(raw),
                        example=month_label(example), example_code=example)
        else:
            sub.period = period
            if not plan.covers(period):
                _meta_issue(sub, "period-out-of-coverage", period_row, META_PERIOD,
                            period=period_label(period),
                            start=month_label(plan.coverage_start), end=month_label(plan.coverage_end))
            elif agency is not None and not agency.active_during(period):
                _meta_issue(sub, "inactive-agency", period_row, META_PERIOD,
                            agency=agency.code, period=period_label(period),
                            clerk_vi={"agency": agency.name_vi},
                            clerk_en={"agency": agency.name("en")})

    for meta in (META_REPORTER, META_PHONE):
        row = rows.get(meta)
        if row is None or _blank(row.value):
            _meta_issue(sub, "missing-info", row, meta)
        elif meta == META_REPORTER:
            sub.reporter = clean_text(str(row.value))
        else:
            sub.phone = phone_text(row.value)

    submitted_row = rows.get(META_SUBMITTED)
    if submitted_row is None or _blank(submitted_row.value):
        _meta_issue(sub, "missing-info", submitted_row, META_SUBMITTED)
    else:
        raw = submitted_row.value
        reading = parse_sent_value(clean_text(raw) if isinstance(raw, str) else raw)
        sent = reading.day if reading is not None else None
        if sent is None and isinstance(raw, time):
            # A date cell holding a number below 1 (negative, or a time of day): the reader
            # gives a time; quoting '00:00:00' would tell the clerk nothing.
            _meta_issue(sub, "bad-date", submitted_row, META_SUBMITTED,
                        vi={"value": "ô ngày có số không phải ngày (số âm hoặc giờ)"},
                        en={"value": "a date cell holding no date (a negative number or a time)"})
        elif sent is None:
            _meta_issue(sub, "bad-date", submitted_row, META_SUBMITTED, value=_shown(raw))
        elif sent > today:
            _meta_issue(sub, "implausible-date", submitted_row, META_SUBMITTED,
                        value=sent.strftime("%d/%m/%Y"),
                        vi={"why": f"ở sau ngày hôm nay ({today:%d/%m/%Y})"},
                        en={"why": f"after today ({today:%d/%m/%Y})"})
        elif (sub.period and plan.covers(sub.period)
              and sent < (start := plan.calendar.window(sub.period)[0])):
            _meta_issue(sub, "implausible-date", submitted_row, META_SUBMITTED,
                        value=sent.strftime("%d/%m/%Y"),
                        vi={"why": f"ở trước kỳ báo cáo (kỳ bắt đầu ngày {start:%d/%m/%Y})"},
                        en={"why": f"before the reporting period (it starts on {start:%d/%m/%Y})"})
        else:
            assert reading is not None
            sub.submitted, sub.submitted_time = sent, reading.time
            sub.submitted_form = reading.form
            sub.submitted_text = _shown(raw) if isinstance(raw, str) else ""
    return agency


def _month_of_day(day: date, plan: Plan) -> str | None:
    try:
        return period_with_day(day, plan.calendar)
    except PeriodError:
        return None


RHYTHM_WORDS = {"monthly": ("hằng tháng", "monthly"), "quarterly": ("theo quý", "quarterly"),
                "half-yearly": ("6 tháng một lần", "half-yearly"), "yearly": ("hằng năm", "yearly")}


def example_month(plan: Plan, today: date | None = None) -> str:
    return plan.example_month(today)


def example_period(plan: Plan, rhythm: str, today: date | None = None) -> str:
    return plan.example_period(rhythm, today)


def _check_rhythm(sub: Submission, rows: dict[str, CodeRow], plan: Plan,
                  agency: Agency | None) -> str | None:
    """The rhythm this file reports on: the agency's rhythm whose periods are of the kind the
    file states (a quarterly report says a quarter). None, with an issue, when none is."""
    if agency is None:
        return None
    if sub.period is None:  # period unknown: the values of its main rhythm are still checked
        return agency.rhythms[0] if agency.rhythms else None
    kind = period_kind(sub.period)
    for rhythm in agency.rhythms:
        if RHYTHMS[rhythm] == kind:
            return rhythm
    owed = agency.rhythms[0]
    example = example_period(plan, owed)
    row = rows.get(META_PERIOD)

    def detail(who_vi: str, who_en: str) -> dict[str, Any]:
        return dict(
            vi={"detail": f"đơn vị {who_vi} báo cáo {RHYTHM_WORDS[owed][0]}, nên kỳ báo cáo "
                          f"phải là {_kind_words(owed, 'vi')}, ví dụ {period_label(example)}; "
                          f"tệp ghi {period_label(sub.period or '')}"},
            en={"detail": f"agency {who_en} reports {RHYTHM_WORDS[owed][1]}, so the period "
                          f"must be {_kind_words(owed, 'en')}, e.g. {period_label(example)}; "
                          f"the file says {period_label(sub.period or '')}"})

    named = detail(agency.name_vi, agency.name("en"))
    _meta_issue(sub, "wrong-rhythm", row, META_PERIOD, **detail(agency.code, agency.code),
                clerk_vi=named["vi"], clerk_en=named["en"])
    return None


def _kind_words(rhythm: str, lang: str) -> str:
    words = {"month": ("một tháng", "a month"), "quarter": ("một quý", "a quarter"),
             "half": ("6 tháng", "a half year"), "year": ("một năm", "a year")}
    return words[RHYTHMS[rhythm]][lang == "en"]


_NAME_QUARTER = re.compile(r"(?<!\d)(\d{4})[-_.]?([QH])([1-4])(?![0-9])"
                           r"|(?<![A-Z0-9])([QH])([1-4])[-_.](\d{4})(?!\d)")
_NAME_PERIOD = re.compile(r"(?<!\d)(?:(\d{4})[-_.](\d{1,2})|(\d{1,2})[-_.](\d{4}))(?!\d)")
_NAME_WORDS = re.compile(r"[A-Z0-9_]+")


def names_in_file_name(name: str, plan: Plan) -> tuple[str | None, str | None]:
    """(agency code, month) a file name states, each None when it states none or several:
    ``CA_TINH_2025-10.xlsx`` -> ("CA_TINH", "2025-10")."""
    stem = clean_text(Path(name).stem).upper()
    agencies: set[str] = set()
    for word in _NAME_WORDS.findall(stem):
        parts = word.split("_")
        found = [("_".join(parts[i:j]), i, j) for i in range(len(parts))
                 for j in range(len(parts), i, -1) if "_".join(parts[i:j]) in plan.agency_by_code]
        # The longest code wins over codes inside it (H_DAKHA, not a code H)
        found.sort(key=lambda f: f[2] - f[1], reverse=True)
        taken: list[tuple[int, int]] = []
        for code, i, j in found:
            if all(j <= a or i >= b for a, b in taken):
                agencies.add(code)
                taken.append((i, j))
    months = set()
    for q in _NAME_QUARTER.finditer(stem):
        year, letter, n = (q.group(1), q.group(2), q.group(3)) if q.group(1) else (
            q.group(6), q.group(4), q.group(5))
        if letter == "H" and n not in "12":
            continue
        months.add(f"{int(year)}-{letter}{n}")
    stem_months = _NAME_QUARTER.sub(" ", stem)
    for m in _NAME_PERIOD.finditer(stem_months):
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            months.add(month_code(int(year), int(month)))
        except PeriodError:
            continue
    return (agencies.pop() if len(agencies) == 1 else None,
            months.pop() if len(months) == 1 else None)


def _check_file_name(sub: Submission, plan: Plan) -> None:
    """The cover sheet decides who and when; a file name saying otherwise is shown (it may be
    last month's file sent again, or another agency's file)."""
    agency, month = names_in_file_name(sub.file, plan)
    said, says = [], []
    if agency and sub.agency and agency != sub.agency:
        said.append(agency)
        says.append(sub.agency)
    if month and sub.period and month != sub.period:
        said.append(period_label(month))
        says.append(period_label(sub.period))
    if said:
        sub.issues.append(make_issue(
            "name-mismatch", sub.file, name=inert(Path(sub.file).name), said=", ".join(said),
            says=", ".join(says)))

def _fold(text: str) -> str:
    return name_key(text)


def find_agency(plan: Plan, raw: object) -> Agency | None:
    """An agency by its code, or by its Vietnamese or English name as a clerk may type it."""
    if not isinstance(raw, str):
        return None
    text = clean_text(raw)
    by_code = plan.agency_by_code.get(text.upper())
    if by_code:
        return by_code
    # Templates show "CODE - name"; clerks also type the name alone.
    head = text.split(" - ", 1)[0].strip().upper()
    if head in plan.agency_by_code:
        return plan.agency_by_code[head]
    folded = _fold(text)
    for agency in plan.agencies:
        if folded in (_fold(agency.name_vi), _fold(agency.name_en)):
            return agency
    return None


def _read_breakdowns(sub: Submission, rows: dict[str, CodeRow], element: Element,
                     total: CodeRow) -> None:
    """Each grid of ``element``: every cell read like any value, blank cells named (blank is
    not zero), and the parts held to add up to the total. A grid of two categories runs the
    first across (columns E, F ...) and the second down (one row each, coded ELEMENT.OPTION)."""
    total_value = sub.values.get(element.code)
    labels: dict[str, Any] = dict(vi={"label": element.name_vi}, en={"label": element.name_en})
    for breakdown in element.breakdowns:
        across, down = (None, breakdown[0]) if len(breakdown) == 1 else breakdown
        absent = [o for o in down.options if f"{element.code}.{o.code}" not in rows]
        if absent:
            names_vi = " x ".join(c.name_vi for c in breakdown)
            names_en = " x ".join(c.name("en") for c in breakdown)
            sub.issues.append(make_issue(
                "missing-breakdown", sub.file, sheet=total.sheet, cell=total.cell,
                element=element.code, vi={**labels["vi"], "by": names_vi},
                en={**labels["en"], "by": names_en}))
            continue
        columns = [0]
        if across is not None:
            found_columns = _grid_columns(sub, [rows[f"{element.code}.{o.code}"] for o in down.options],
                                          element, breakdown)
            if found_columns is None:
                continue
            columns = found_columns
        blank: list[tuple[str, str]] = []  # (key, cell)
        wrong = False
        found: list[tuple[str, str, int]] = []  # (key, cell, value)
        for o_down in down.options:
            row = rows[f"{element.code}.{o_down.code}"]
            for o_across, j in zip(across.options if across else [None], columns, strict=True):
                raw = row.value if j == 0 else (row.more[j - 1] if len(row.more) >= j else None)
                cell = f"{column_letter(VALUE_COL + j)}{row.row}"
                combo = (o_across, o_down) if o_across is not None else (o_down,)
                key = element.part_key(combo)
                state = (("formula" if row.formula else row.error) if j == 0 else
                         (row.more_states[j - 1] if len(row.more_states) >= j else None))
                part = CodeRow(row.code, row.sheet, row.row, raw, formula=state == "formula",
                               error=state if state not in (None, "formula") else None)
                parsed = parse_count(raw)
                if parsed.problem == "missing-value" and part.error is None:
                    blank.append((key, cell))
                    continue
                label_vi = f"{element.name_vi}: {', '.join(o.name_vi for o in combo)}"
                label_en = f"{element.name_en}: {', '.join(o.name('en') for o in combo)}"
                before = len(sub.issues)
                _read_value(sub, part, label_vi, label_en, key=key, cell=cell, bound=element.bound)
                if len(sub.issues) > before and any(i.severity == "error" for i in sub.issues[before:]):
                    wrong = True
                elif key in sub.values:
                    found.append((key, cell, sub.values[key]))
        sheet = rows[f"{element.code}.{down.options[0].code}"].sheet
        if blank and not found and not wrong and total_value == 0:
            # Nothing to break down: a grid left blank under a total of 0 holds zeros (counts
            # cannot be negative), so the clerk need not type them.
            for key, cell in blank:
                sub.values[key] = 0
                sub.cells[key] = (sheet, cell)
        elif blank:
            sub.issues.append(make_issue(
                "incomplete-breakdown", sub.file, sheet=sheet, cell=blank[0][1],
                element=element.code, cells=tuple(f"{sheet}!{c}" for _, c in blank),
                blank=", ".join(c for _, c in blank), **labels))
        elif not wrong and total_value is not None:
            parts_sum = sum(v for _, _, v in found)
            if parts_sum != total_value:
                cells = (f"{total.sheet}!{total.cell}",) + tuple(f"{sheet}!{c}" for _, c, _ in found)
                sub.issues.append(make_issue(
                    "breakdown-sum", sub.file, sheet=sheet, cell=found[0][1], element=element.code,
                    cells=cells, sum=parts_sum, total=total_value, total_cell=total.cell,
                    parts=", ".join(c for _, c, _ in found), **labels))


def _grid_columns(sub: Submission, grid: list[CodeRow], element: Element,
                  breakdown: tuple[Category, ...]) -> list[int] | None:
    """Which value column (0 for E, 1 for F ...) holds each option across a grid, read from
    the grid's header row by name (spaces, case and tone placement aside; a code or the English
    name also match). The plan's order is not required: another order is read by name, with a
    ``grid-header-order`` warning. A header naming something else, or missing an option, is
    refused (``grid-header``): the grid is not read. None then."""
    across = breakdown[0]
    top = min((r for r in grid if r.sheet == grid[0].sheet), key=lambda r: r.row)
    names: dict[str, Option] = {}
    for option in across.options:
        for text in (option.name_vi, option.name_en, option.code):
            if text:
                names.setdefault(name_key(text), option)
    header_row, cells = top.header if top.header else (top.row - 1, ())
    texts = [clean_text(v) if isinstance(v, str) else "" if v is None else _shown(v) for v in cells]
    where: dict[str, Any] = {}
    column_of: dict[str, int] = {}
    refused = False
    for j, text in enumerate(texts):
        if not text:
            continue
        found_option = names.get(name_key(text))
        if found_option is None or found_option.code in column_of:
            refused = True
            where.setdefault("cell", f"{column_letter(VALUE_COL + j)}{header_row}")
            continue
        column_of[found_option.code] = j
    label_vi = f"{element.name_vi} ({' x '.join(c.name_vi.lower() for c in breakdown)})"
    label_en = f"{element.name_en} ({' x '.join(c.name('en').lower() for c in breakdown)})"
    found = " | ".join(clip(t, 40) for t in texts if t) or ""
    params: dict[str, Any] = dict(
        sheet=top.sheet, element=element.code,
        vi={"label": label_vi, "found": f"'{found}'" if found else "(trống)",
            "expected": " | ".join(o.name_vi for o in across.options)},
        en={"label": label_en, "found": f"'{found}'" if found else "(blank)",
            "expected": " | ".join(o.name("en") for o in across.options)})
    if refused or len(column_of) != len(across.options):
        sub.issues.append(make_issue("grid-header", sub.file,
                                     cell=where.get("cell", f"{column_letter(VALUE_COL)}{header_row}"),
                                     **params))
        return None
    columns = [column_of[o.code] for o in across.options]
    if columns != list(range(len(columns))):
        sub.issues.append(make_issue("grid-header-order", sub.file,
                                     cell=f"{column_letter(VALUE_COL)}{header_row}", **params))
    return columns


def _check_rules(sub: Submission, plan: Plan) -> None:
    values = plan.with_selections(sub.values)
    for rule in plan.rules:
        if rule.scope != "submission":
            continue
        if not all(name in values for name in rule.expression.names):
            continue  # a missing value is already an error of its own
        if evaluate(rule.expression, values) is not False:
            continue
        places = {n: _places(sub, n) for n in rule.expression.names}
        sheet, cell = places[rule.expression.names[0]][0]
        cells = tuple(f"{s}!{c}" for n in rule.expression.names for s, c in places[n])
        detail = ", ".join(f"{n} = {values[n]}" for n in rule.expression.names)
        sub.issues.append(make_issue(
            "rule", sub.file, sheet=sheet, cell=cell, element=rule.expression.names[0],
            severity=rule.severity, cells=cells, detail=f"{rule.code}: {detail}",
            vi={"message": rule.message_vi}, en={"message": rule.message_en},
            clerk_vi={"detail": _cells_hold(plan, places, values, sheet, "vi")},
            clerk_en={"detail": _cells_hold(plan, places, values, sheet, "en")}))


def _cells_hold(plan: Plan, places: dict[str, list[tuple[str, str]]], values: dict[str, int],
                sheet: str, lang: str) -> str:
    """What the cells a rule compares hold, for the clerk: "ô E8 ghi 2, ô E7 ghi 1" (a cell
    of another sheet with its sheet; a value read from several cells, those cells; a value
    with no cell, by its element's name)."""
    vi = lang != "en"
    said = []
    for name, where in places.items():
        value = fmt_exact(values[name], lang)
        cells = [c if s == sheet else (f"{c} trang \"{s}\"" if vi else f"{c} of sheet \"{s}\"")
                 for s, c in where if c]
        if not cells:
            element = plan.element_by_code.get(split_key(name)[0])
            label = element.name(lang) if element else name
            said.append(f"{label}: {value}")
        elif len(cells) == 1:
            said.append(f"ô {cells[0]} ghi {value}" if vi else f"cell {cells[0]} holds {value}")
        else:
            listed = ", ".join(cells)
            said.append(f"các ô {listed} cộng lại {value}" if vi
                        else f"cells {listed} add up to {value}")
    return ", ".join(said)
