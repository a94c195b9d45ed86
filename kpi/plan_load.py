"""Reading a plan file (TOML): one reader per section, every mistake listed at once.

The format is documented in ``kpi/plans/SCHEMA.md``. :func:`build` returns the plan, or the
list of problems (each with where it is and what is wrong, in English and Vietnamese).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import expr as expr_mod
from .periods import RHYTHMS, Calendar, PeriodError, split_month
from .plan import (
    AGGREGATIONS,
    KINDS,
    SCOPES,
    SEVERITIES,
    TARGET_COMPARATORS,
    Agency,
    Category,
    Contact,
    Element,
    Form,
    Indicator,
    Level,
    Milestone,
    Option,
    Plan,
    Problem,
    ReportInfo,
    Rule,
)
from .plan_schema import REFERENCE_KINDS, TABLES, unknown_keys

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
LEVEL_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
# Characters no spreadsheet, Word file or terminal should receive from a plan text (they crash
# the template and the Word draft): control characters but tab and line breaks, and the two
# non-characters XML refuses.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Plans written before levels were declared name these two.
DEFAULT_LEVELS = (Level("province", "Cấp tỉnh", "Province"), Level("district", "Cấp huyện", "District"))

Table = dict[str, Any]


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.category_of: dict[str, str] = {}  # option code -> its category's code

    def one_per_category(self, key: str, where: str, element: str, options: tuple[str, ...]) -> None:
        """A part of a breakdown has one option of each category: X[U16, U18] (two age bands)
        would select no part and always be 0. Refused, with the sum that was likely meant."""
        twice = sorted({o for o in options if options.count(o) > 1})
        if twice:
            self.add(where, f"'{key}': {element}[{', '.join(options)}] names {', '.join(twice)} twice",
                     f"'{key}': {element}[{', '.join(options)}] ghi {', '.join(twice)} hai lần")
        by_category: dict[str, list[str]] = {}
        for option in dict.fromkeys(options):
            by_category.setdefault(self.category_of.get(option, option), []).append(option)
        for category, chosen in by_category.items():
            if len(chosen) < 2:
                continue
            listed = ", ".join(chosen)
            summed = " + ".join(f"{element}[{o}]" for o in chosen)
            self.add(where, f"'{key}': {element}[{listed}] selects {len(chosen)} options of category "
                     f"{category}, which no part has (a part has one option of each category): for "
                     f"their sum write {summed}",
                     f"'{key}': {element}[{listed}] chọn {len(chosen)} phương án của cùng loại phân tổ "
                     f"{category}, không phần nào có (mỗi phần có một phương án của mỗi loại): muốn "
                     f"cộng chúng hãy viết {summed}")

    def add(self, where: str, en: str, vi: str) -> None:
        self.problems.append(Problem(where, en, vi))

    def text(self, table: Table, key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(where, f"missing '{key}'", f"thiếu '{key}'")
            return ""
        if not isinstance(value, str):
            self.add(where, f"'{key}' must be text, not {value!r}",
                     f"'{key}' phải là chữ, không phải {value!r}")
            return ""
        if not self.plain(value, key, where):
            return ""
        return value.strip()

    def plain(self, value: str, key: str, where: str) -> bool:
        """Whether a text holds no control character; says where the first one is if it does."""
        found = CONTROL_RE.search(value)
        if found is None:
            return True
        char = f"U+{ord(found.group()):04X}"
        self.add(where, f"'{key}' holds a control character ({char}, character {found.start() + 1}): "
                 "remove it", f"'{key}' có ký tự điều khiển ({char}, ký tự thứ {found.start() + 1}): "
                 "hãy xóa ký tự này")
        return False

    def number(self, table: Table, key: str, where: str) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(where, f"'{key}' must be a number, not {value!r}",
                     f"'{key}' phải là số, không phải {value!r}")
            return None
        if not math.isfinite(value):
            self.add(where, f"'{key}' must be a finite number, not {value!r}",
                     f"'{key}' phải là một số hữu hạn, không phải {value!r}")
            return None
        return value

    def whole(self, table: Table, key: str, where: str, low: int, high: int) -> int | None:
        value = self.number(table, key, where)
        if value is None:
            return None
        if value != int(value) or not low <= value <= high:
            self.add(where, f"'{key}' must be a whole number from {low} to {high}",
                     f"'{key}' phải là số nguyên từ {low} đến {high}")
            return None
        return int(value)

    def flag(self, table: Table, key: str, where: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.add(where, f"'{key}' must be true or false", f"'{key}' phải là true hoặc false")
            return False
        return value

    def month(self, table: Table, key: str, where: str, *, required: bool) -> str | None:
        value = self.text(table, key, where, required=required)
        if not value:
            return None
        try:
            year, month = split_month(value)
        except PeriodError:
            self.add(where, f"'{key}' must be a month YYYY-MM, not {value!r}",
                     f"'{key}' phải là tháng dạng YYYY-MM, không phải {value!r}")
            return None
        return f"{year:04d}-{month:02d}"

    def choice(self, table: Table, key: str, where: str, allowed: tuple[str, ...] | list[str],
               default: str) -> str:
        value = self.text(table, key, where, required=False) or default
        if value not in allowed:
            self.add(where, f"'{key}' must be one of {', '.join(allowed)}, not {value!r}",
                     f"'{key}' phải là một trong {', '.join(allowed)}, không phải {value!r}")
            return default
        return value

    def expression(self, table: Table, key: str, where: str, known: set[str] | dict[str, list[set[str]]],
                   *, required: bool = True, comparison: bool | None = None) -> expr_mod.Expr | None:
        source = self.text(table, key, where, required=required)
        if not source:
            return None
        try:
            parsed = expr_mod.parse(source)
        except expr_mod.ExprError as exc:
            self.add(where, f"'{key}': {exc}", f"'{key}' không hợp lệ: {exc}")
            return None
        for name in parsed.names:
            element, options = expr_mod.split_key(name)
            if element not in known:
                self.add(where, f"'{key}' names unknown element {element}",
                         f"'{key}' dùng mã chỉ tiêu không có trong kế hoạch: {element}")
            elif options:
                breakdowns = known.get(element, []) if isinstance(known, dict) else []
                if not any(set(options) <= b for b in breakdowns):
                    self.add(where, f"'{key}': {name} selects options {', '.join(options)}, which no "
                             f"one breakdown of {element} holds",
                             f"'{key}': {name} chọn các phương án {', '.join(options)}, không phân tổ "
                             f"nào của {element} có đủ")
                else:
                    self.one_per_category(key, where, element, options)
        if comparison is True and not parsed.is_comparison:
            self.add(where, f"'{key}' must compare two sides (a <= b), got {source!r}",
                     f"'{key}' phải so sánh hai vế (a <= b), đang là {source!r}")
        if comparison is False and parsed.is_comparison:
            self.add(where, f"'{key}' must be arithmetic, not a comparison: {source!r}",
                     f"'{key}' phải là biểu thức tính, không phải phép so sánh: {source!r}")
        return parsed

    def code(self, table: Table, where: str, seen: dict[str, str]) -> str:
        code = self.text(table, "code", where)
        if code and not CODE_RE.match(code):
            self.add(where, f"code {code!r} must be capital letters, digits and _ (start with a letter)",
                     f"mã {code!r} chỉ gồm chữ in hoa, chữ số và _ (bắt đầu bằng chữ)")
        if code in seen:
            self.add(where, f"duplicate code {code} (also {seen[code]})",
                     f"mã {code} bị trùng (đã có ở {seen[code]})")
        elif code:
            seen[code] = where
        return code


def _tables(data: Table, key: str, c: _Collector, *, required: bool = True) -> list[Table]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        c.add(key, f"must be a list of tables ([[{key}]])", f"phải là danh sách bảng ([[{key}]])")
        return []
    if not value and required:
        c.add(key, f"no [[{key}]] entries", f"không có mục [[{key}]] nào")
    return value


def _where(section: str, i: int, table: Table) -> str:
    return f"{section}[{i}] {table.get('code', '')}".strip()


# --- the file ----------------------------------------------------------------------------------------

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """A TOML file is UTF-8; a leading byte-order mark (Notepad writes one) is read past. A file
    saved as UTF-16 ("Unicode" in Notepad) or in another encoding is refused, saying so."""
    if raw.startswith(UTF16_BOMS) or (len(raw) > 1 and b"\x00" in raw[:2]):
        return None, Problem("", "the file is saved as UTF-16; a plan file is UTF-8: save it again "
                             "choosing the UTF-8 encoding",
                             "tệp được lưu dạng UTF-16; tệp kế hoạch phải là UTF-8: hãy lưu lại và "
                             "chọn bảng mã UTF-8")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, Problem("", f"the file is not UTF-8 (byte {exc.start + 1} cannot be read): save "
                             "it again choosing the UTF-8 encoding",
                             f"tệp không phải UTF-8 (không đọc được byte thứ {exc.start + 1}): hãy "
                             "lưu lại và chọn bảng mã UTF-8")


def _read_toml(path: Path) -> tuple[Table | None, Problem | None]:
    try:
        text, problem = _decode(path.read_bytes())
        if text is None:
            return None, problem
        return tomllib.loads(text), None
    except FileNotFoundError:
        return None, Problem("", f"file not found: {path}", f"không tìm thấy tệp: {path}")
    except OSError as exc:
        return None, Problem("", f"cannot read {path}: {exc}", f"không đọc được {path}: {exc}")
    except (RecursionError, MemoryError):
        return None, Problem("", "arrays or tables nested too deeply to be a plan: a plan's lists "
                             "are at most two levels deep ([[\"SEX\", \"AGE\"]])",
                             "mảng hoặc bảng lồng nhau quá sâu, không thể là kế hoạch: danh sách "
                             "trong kế hoạch lồng tối đa hai mức ([[\"SEX\", \"AGE\"]])")
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 5, column 17)"; the Vietnamese keeps the position readable.
        position = re.search(r"at line (\d+), column (\d+)", str(exc))
        vi = (f"lỗi cú pháp TOML ở dòng {position[1]}, cột {position[2]}: {exc}" if position
              else f"lỗi cú pháp TOML: {exc}")
        return None, Problem("", f"TOML syntax error: {exc}", vi)


# --- [plan] ------------------------------------------------------------------------------------------

@dataclass
class _Head:
    id: str
    title_vi: str
    title_en: str
    province: str
    reference: str
    reference_kind: str
    coverage_start: str
    coverage_end: str
    calendar: Calendar
    rhythm: str
    note_vi: str
    note_en: str


def _read_head(data: Table, c: _Collector) -> _Head:
    where = "[plan]"
    head = data.get("plan")
    if not isinstance(head, dict):
        c.add(where, "missing [plan] table", "thiếu bảng [plan]")
        head = {}
    start = c.month(head, "coverage_start", where, required=True) or "0001-01"
    end = c.month(head, "coverage_end", where, required=True) or "9999-12"
    if start > end:
        c.add(where, "coverage_start is after coverage_end", "coverage_start ở sau coverage_end")
    return _Head(
        id=c.text(head, "id", where), title_vi=c.text(head, "title_vi", where),
        title_en=c.text(head, "title_en", where),
        province=c.text(head, "province", where, required=False),
        reference=c.text(head, "reference", where, required=False),
        reference_kind=c.choice(head, "reference_kind", where, list(REFERENCE_KINDS), "plan"),
        coverage_start=start, coverage_end=end, calendar=_read_calendar(head, c, where),
        rhythm=c.choice(head, "rhythm", where, list(RHYTHMS), "monthly"),
        note_vi=c.text(head, "note_vi", where, required=False),
        note_en=c.text(head, "note_en", where, required=False))


def _read_calendar(head: Table, c: _Collector, where: str) -> Calendar:
    """cutoff_day (1..31) or calendar_months = true; deadline_days or deadline_day_next_month."""
    calendar_months = c.flag(head, "calendar_months", where)
    cutoff: int | None = None
    if "cutoff_day" in head and calendar_months:
        c.add(where, "give cutoff_day or calendar_months = true, not both",
              "chỉ ghi cutoff_day hoặc calendar_months = true, không ghi cả hai")
    elif not calendar_months:
        cutoff = c.whole(head, "cutoff_day", where, 1, 31)
        if cutoff is None and "cutoff_day" not in head:
            c.add(where, "missing 'cutoff_day' (or calendar_months = true)",
                  "thiếu 'cutoff_day' (hoặc calendar_months = true)")
        cutoff = cutoff or 14
    days = head.get("deadline_days")
    day = head.get("deadline_day_next_month")
    if days is not None and day is not None:
        c.add(where, "give deadline_days or deadline_day_next_month, not both",
              "chỉ ghi deadline_days hoặc deadline_day_next_month, không ghi cả hai")
    if day is not None:
        next_day = c.whole(head, "deadline_day_next_month", where, 1, 28)
        return Calendar(cutoff, None, next_day or 1)
    if days is None:
        c.add(where, "missing 'deadline_days' (or deadline_day_next_month)",
              "thiếu 'deadline_days' (hoặc deadline_day_next_month)")
        return Calendar(cutoff, 0)
    if isinstance(days, (int, float)) and not isinstance(days, bool) and days < 0:
        c.add(where, f"'deadline_days' = {days} puts the deadline before the cut-off",
              f"'deadline_days' = {days} đặt hạn nộp trước ngày chốt số liệu")
        return Calendar(cutoff, 0)
    return Calendar(cutoff, c.whole(head, "deadline_days", where, 0, 60) or 0)


# --- [[levels]], [[forms]], [[elements]] ----------------------------------------------------------

def _read_levels(data: Table, c: _Collector) -> tuple[Level, ...]:
    if "levels" not in data:
        return DEFAULT_LEVELS
    levels, seen = [], set()
    for i, t in enumerate(_tables(data, "levels", c), 1):
        where = f"levels[{i}] {t.get('code', '')}".strip()
        code = c.text(t, "code", where)
        if code and not LEVEL_RE.match(code):
            c.add(where, f"level code {code!r} must be lower-case letters, digits, - and _",
                  f"mã cấp {code!r} chỉ gồm chữ thường, chữ số, - và _")
        if code in seen:
            c.add(where, f"level {code} declared twice", f"cấp {code} bị khai hai lần")
        seen.add(code)
        levels.append(Level(code, c.text(t, "name_vi", where), c.text(t, "name_en", where)))
    return tuple(levels)


def _read_categories(data: Table, c: _Collector) -> tuple[Category, ...]:
    """[[categories]] with their options; option codes are unique in the whole plan, so a
    part of a breakdown is named by its options alone (NN_XAC_DINH[NU+U16])."""
    categories: list[Category] = []
    seen: dict[str, str] = {}
    options_seen: dict[str, str] = {}
    for i, t in enumerate(_tables(data, "categories", c, required=False), 1):
        where = _where("categories", i, t)
        code = c.code(t, where, seen)
        raw = t.get("options", [])
        if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(o, dict) for o in raw):
            c.add(where, "'options' must list at least two: [{ code = \"NAM\", name_vi = \"Nam\" }, ...]",
                  "'options' phải có ít nhất hai phương án: [{ code = \"NAM\", name_vi = \"Nam\" }, ...]")
            raw = []
        options = []
        for j, o in enumerate(raw, 1):
            at = f"{where} options[{j}]"
            option = c.code(o, at, options_seen)  # a duplicate anywhere in the plan is said here
            options.append(Option(option, c.text(o, "name_vi", at), c.text(o, "name_en", at,
                                                                          required=False)))
        categories.append(Category(code, c.text(t, "name_vi", where),
                                   c.text(t, "name_en", where, required=False), tuple(options)))
    return tuple(categories)


def _read_breakdowns(t: Table, c: _Collector, where: str, categories: tuple[Category, ...]
                     ) -> tuple[tuple[Category, ...], ...]:
    raw = t.get("breakdowns")
    if raw is None:
        return ()
    by_code = {cat.code: cat for cat in categories}
    if not isinstance(raw, list) or not all(isinstance(b, list) and b for b in raw):
        c.add(where, "'breakdowns' must list lists of category codes: [[\"SEX\", \"AGE\"], [\"ETH\"]]",
              "'breakdowns' phải là danh sách các danh sách mã phân tổ: [[\"SEX\", \"AGE\"], [\"ETH\"]]")
        return ()
    found: list[tuple[Category, ...]] = []
    used: set[str] = set()
    for breakdown in raw:
        if len(breakdown) > 2:
            c.add(where, f"a breakdown crosses at most two categories, not {breakdown}",
                  f"một phân tổ kết hợp tối đa hai loại, không phải {breakdown}")
            continue
        if len(set(breakdown)) != len(breakdown):
            c.add(where, f"a category appears twice in the breakdown {breakdown}",
                  f"một loại phân tổ xuất hiện hai lần trong {breakdown}")
            continue
        cats = []
        for code in breakdown:
            if code not in by_code:
                c.add(where, f"unknown category {code}", f"loại phân tổ không có trong kế hoạch: {code}")
            elif code in used:
                c.add(where, f"category {code} is in two breakdowns of the element",
                      f"loại phân tổ {code} có trong hai phân tổ của chỉ tiêu")
            else:
                cats.append(by_code[code])
                used.add(code)
        if len(cats) == len(breakdown):
            found.append(tuple(cats))
    return tuple(found)


def _read_forms(data: Table, c: _Collector, codes: dict[str, str]) -> list[Form]:
    forms: list[Form] = []
    sheets: set[str] = set()
    for i, t in enumerate(_tables(data, "forms", c), 1):
        where = f"forms[{i}]"
        code = c.code(t, where, codes)
        sheet = c.text(t, "sheet", where)
        if sheet and (len(sheet) > 31 or SHEET_BAD.search(sheet)):
            c.add(where, f"sheet title {sheet!r} must be at most 31 characters without []:*?/\\",
                  f"tên trang {sheet!r} phải tối đa 31 ký tự, không có []:*?/\\")
        if sheet.casefold() in sheets:
            c.add(where, f"sheet title {sheet!r} used twice", f"tên trang {sheet!r} bị dùng hai lần")
        sheets.add(sheet.casefold())
        forms.append(Form(code, sheet, c.text(t, "title_vi", where), c.text(t, "title_en", where)))
    return forms


def _read_elements(data: Table, c: _Collector, codes: dict[str, str], forms: list[Form],
                   categories: tuple[Category, ...] = ()) -> list[Element]:
    form_codes = {f.code for f in forms}
    elements: list[Element] = []
    for i, t in enumerate(_tables(data, "elements", c), 1):
        where = _where("elements", i, t)
        code = c.code(t, where, codes)
        form = c.text(t, "form", where)
        if form and form not in form_codes:
            c.add(where, f"unknown form {form}", f"biểu không có trong kế hoạch: {form}")
        aggregation = c.text(t, "aggregation", where)
        if aggregation and aggregation not in AGGREGATIONS:
            c.add(where, f"aggregation must be one of {', '.join(AGGREGATIONS)}, not {aggregation!r}",
                  f"aggregation phải là một trong {', '.join(AGGREGATIONS)}, không phải {aggregation!r}")
        elements.append(Element(
            code, form, c.text(t, "name_vi", where), c.text(t, "name_en", where),
            c.text(t, "unit_vi", where, required=False), c.text(t, "unit_en", where, required=False),
            aggregation or "sum", _read_breakdowns(t, c, where, categories),
            *_read_history(t, c, where), max=_element_max(t, c, where)))
    for f in forms:
        if not any(e.form == f.code for e in elements):
            c.add(f"form {f.code}", "has no elements", "không có chỉ tiêu nào")
    return elements


def _element_max(t: Table, c: _Collector, where: str) -> int | None:
    """An element's optional ``max``: the largest plausible value of one cell in one report."""
    value = t.get("max")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10**15:
        c.add(where, f"'max' must be a whole number from 1 to 10^15, not {value!r}",
              f"'max' phải là số nguyên từ 1 đến 10^15, không phải {value!r}")
        return None
    return value


def _read_history(t: Table, c: _Collector, where: str) -> tuple[float | None, float | None]:
    """``history_factor`` (> 1) and ``history_floor`` (>= 0) of an element (kpi/history.py)."""
    factor = c.number(t, "history_factor", where)
    if factor is not None and factor <= 1:
        c.add(where, f"'history_factor' must be greater than 1, not {factor!r}",
              f"'history_factor' phải lớn hơn 1, không phải {factor!r}")
        factor = None
    floor = c.number(t, "history_floor", where)
    if floor is not None and floor < 0:
        c.add(where, f"'history_floor' must be 0 or more, not {floor!r}",
              f"'history_floor' phải từ 0 trở lên, không phải {floor!r}")
        floor = None
    return factor, floor


# --- [[agencies]] ------------------------------------------------------------------------------------

def _read_agencies(data: Table, c: _Collector, codes: dict[str, str], forms: list[Form],
                   levels: tuple[Level, ...], head: _Head) -> list[Agency]:
    form_codes = {f.code for f in forms}
    level_codes = [level.code for level in levels]
    agencies: list[Agency] = []
    for i, t in enumerate(_tables(data, "agencies", c), 1):
        where = _where("agencies", i, t)
        code = c.code(t, where, codes)
        raw_forms = t.get("forms", [])
        if not isinstance(raw_forms, list) or not raw_forms:
            c.add(where, "'forms' must be a non-empty list of form codes",
                  "'forms' phải là danh sách mã biểu, không được rỗng")
            raw_forms = []
        agency_forms = tuple(str(f) for f in raw_forms)
        for f in agency_forms:
            if f not in form_codes:
                c.add(where, f"unknown form {f}", f"biểu không có trong kế hoạch: {f}")
        active_from = c.month(t, "active_from", where, required=False)
        active_to = c.month(t, "active_to", where, required=False)
        if active_from and active_to and active_from > active_to:
            c.add(where, "active_from is after active_to", "active_from ở sau active_to")
        level = c.text(t, "level", where, required=False) or "province"
        if level not in level_codes:
            c.add(where, f"level {level!r} is not declared in [[levels]] ({', '.join(level_codes)})",
                  f"cấp {level!r} không được khai trong [[levels]] ({', '.join(level_codes)})")
        rhythm = c.choice(t, "rhythm", where, list(RHYTHMS), head.rhythm)
        agencies.append(Agency(
            code, c.text(t, "name_vi", where), c.text(t, "name_en", where), level, agency_forms,
            active_from, active_to, rhythm, _read_form_rhythms(t, c, where, agency_forms)))
    return agencies


def _read_form_rhythms(t: Table, c: _Collector, where: str, forms: tuple[str, ...]
                       ) -> tuple[tuple[str, str], ...]:
    raw = t.get("form_rhythms", {})
    if not isinstance(raw, dict):
        c.add(where, "'form_rhythms' must be a table: { FORM = \"quarterly\" }",
              "'form_rhythms' phải là bảng: { MÃ_BIỂU = \"quarterly\" }")
        return ()
    found = []
    for form, rhythm in raw.items():
        if form not in forms:
            c.add(where, f"form_rhythms names form {form}, which this agency does not report",
                  f"form_rhythms có biểu {form}, đơn vị này không báo cáo biểu đó")
        if rhythm not in RHYTHMS:
            c.add(where, f"rhythm of {form} must be one of {', '.join(RHYTHMS)}, not {rhythm!r}",
                  f"nhịp báo cáo của {form} phải là một trong {', '.join(RHYTHMS)}, "
                  f"không phải {rhythm!r}")
            continue
        found.append((str(form), str(rhythm)))
    return tuple(found)


# --- [[rules]] ---------------------------------------------------------------------------------------

def _read_rules(data: Table, c: _Collector, element_codes: dict[str, list[set[str]]]) -> list[Rule]:
    rules: list[Rule] = []
    rule_codes: dict[str, str] = {}
    for i, t in enumerate(_tables(data, "rules", c, required=False), 1):
        where = _where("rules", i, t)
        code = c.code(t, where, rule_codes)
        parsed = c.expression(t, "expression", where, element_codes, comparison=True)
        severity = c.text(t, "severity", where)
        if severity and severity not in SEVERITIES:
            c.add(where, f"severity must be error or warning, not {severity!r}",
                  f"severity phải là error hoặc warning, không phải {severity!r}")
        scope = c.text(t, "scope", where, required=False) or "submission"
        if scope not in SCOPES:
            c.add(where, f"scope must be submission or province, not {scope!r}",
                  f"scope phải là submission hoặc province, không phải {scope!r}")
        if parsed is not None:
            rules.append(Rule(code, parsed, severity, scope, c.text(t, "message_vi", where),
                              c.text(t, "message_en", where)))
    return rules


# --- [[indicators]] ----------------------------------------------------------------------------------

def _read_indicators(data: Table, c: _Collector, codes: dict[str, str],
                     element_codes: dict[str, list[set[str]]],
                     form_codes: set[str], head: _Head) -> list[Indicator]:
    return [_indicator(t, _where("indicators", i, t), c, codes, element_codes, form_codes, head)
            for i, t in enumerate(_tables(data, "indicators", c), 1)]


def _milestones(t: Table, where: str, c: _Collector, head: _Head) -> tuple[Milestone, ...]:
    raw = t.get("milestones")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        c.add(where, "'milestones' must be a table of year = target: { 2026 = 60, 2030 = 100 }",
              "'milestones' phải là bảng năm = mục tiêu: { 2026 = 60, 2030 = 100 }")
        return ()
    found: list[Milestone] = []
    for year_text, target in raw.items():
        if not re.fullmatch(r"\d{4}", str(year_text)) or isinstance(target, bool) \
                or not isinstance(target, (int, float)) or not math.isfinite(target):
            c.add(where, f"milestone {year_text} = {target!r}: a year and a finite number are needed",
                  f"mốc {year_text} = {target!r}: cần một năm và một số hữu hạn")
            continue
        found.append(Milestone(int(year_text), target))
    years = [m.year for m in found]
    if years != sorted(years) or len(set(years)) != len(years):
        c.add(where, f"milestones must be in increasing years, each once: {years}",
              f"các mốc phải theo năm tăng dần, mỗi năm một lần: {years}")
    first, last = int(head.coverage_start[:4]), int(head.coverage_end[:4])
    outside = [y for y in years if not first <= y <= last]
    if outside:
        c.add(where, f"milestone years {outside} are outside the plan's coverage ({first}-{last})",
              f"năm của mốc {outside} nằm ngoài thời gian của kế hoạch ({first}-{last})")
    return tuple(sorted(found, key=lambda m: m.year))


def _event(t: Table, where: str, c: _Collector) -> tuple[int, int] | None:
    raw = c.text(t, "event", where, required=False)
    if not raw:
        return None
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", raw)
    try:
        if not m:
            raise ValueError(raw)
        date(2024, int(m.group(1)), int(m.group(2)))  # a leap year: 02-29 is a day
    except ValueError:
        c.add(where, f"'event' must be a day of the year MM-DD (07-30), not {raw!r}",
              f"'event' phải là ngày trong năm dạng MM-DD (07-30), không phải {raw!r}")
        return None
    assert m is not None
    return int(m.group(1)), int(m.group(2))


def _indicator(t: Table, where: str, c: _Collector, codes: dict[str, str],
               element_codes: dict[str, list[set[str]]], form_codes: set[str], head: _Head) -> Indicator:
    code = c.code(t, where, codes)
    kind = c.text(t, "kind", where, required=False) or "ratio"
    if kind not in KINDS:
        c.add(where, f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
              f"kind phải là một trong {', '.join(KINDS)}, không phải {kind!r}")
    comparator = t.get("comparator")
    target = c.number(t, "target", where)
    milestones = _milestones(t, where, c, head)
    if comparator is not None and comparator not in TARGET_COMPARATORS:
        c.add(where, f"comparator must be one of {' '.join(TARGET_COMPARATORS)}, not {comparator!r}",
              f"comparator phải là một trong {' '.join(TARGET_COMPARATORS)}, không phải {comparator!r}")
    if target is not None and milestones:
        c.add(where, "give 'target' or 'milestones', not both",
              "chỉ ghi 'target' hoặc 'milestones', không ghi cả hai")
    has_target = target is not None or bool(milestones)
    if (comparator is None) == has_target:
        c.add(where, "comparator and target (or milestones) go together (omit both for a tracked "
              "indicator)", "comparator và target (hoặc milestones) đi cùng nhau (bỏ cả hai cho chỉ "
              "số theo dõi)")
    numerator = denominator = condition = None
    form = None
    months: tuple[int, ...] = ()
    event = None
    factor = c.number(t, "factor", where)
    if kind == "ratio":
        numerator = c.expression(t, "numerator", where, element_codes, comparison=False)
        denominator = c.expression(t, "denominator", where, element_codes, required=False,
                                   comparison=False)
        if has_target and t.get("denominator") is None:
            c.add(where, "an indicator with a target needs a denominator",
                  "chỉ số có mục tiêu cần có mẫu số (denominator)")
    elif kind == "coverage":
        form = c.text(t, "form", where)
        if form and form not in form_codes:
            c.add(where, f"unknown form {form}", f"biểu không có trong kế hoạch: {form}")
        condition = c.expression(t, "condition", where, element_codes, comparison=True)
        raw_months = t.get("months", [])
        if not isinstance(raw_months, list) or not all(
                isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in raw_months):
            c.add(where, "'months' must be a list of calendar months 1..12",
                  "'months' phải là danh sách tháng từ 1 đến 12")
        else:
            months = tuple(raw_months)
        event = _event(t, where, c)
        if event and months:
            c.add(where, "give 'event' (a day) or 'months', not both",
                  "chỉ ghi 'event' (một ngày) hoặc 'months', không ghi cả hai")
    provisional = c.flag(t, "provisional", where)
    provisional_from = None
    if "provisional_from" in t:
        provisional_from = c.whole(t, "provisional_from", where, 1900, 2999)
        if provisional:
            c.add(where, "give provisional = true (every year) or provisional_from (a year on), not both",
                  "chỉ ghi provisional = true (mọi năm) hoặc provisional_from (từ một năm), không ghi cả hai")
        if provisional_from is not None and milestones and provisional_from not in {
                m.year for m in milestones}:
            c.add(where, f"provisional_from = {provisional_from} is not a milestone year",
                  f"provisional_from = {provisional_from} không phải năm của một mốc")
    basis_vi = c.text(t, "basis_vi", where, required=False)
    if (provisional or provisional_from is not None) and not basis_vi:
        c.add(where, "a provisional target says where it comes from (basis_vi)",
              "mục tiêu tạm áp dụng phải ghi căn cứ (basis_vi)")
    default_factor = 1 if kind == "ratio" and t.get("denominator") is None else 100
    return Indicator(
        code=code, name_vi=c.text(t, "name_vi", where), name_en=c.text(t, "name_en", where),
        kind=kind, numerator=numerator, denominator=denominator,
        factor=default_factor if factor is None else factor,
        comparator=comparator if comparator in TARGET_COMPARATORS else None, target=target,
        unit=c.text(t, "unit", where, required=False), source=c.text(t, "source", where, required=False),
        form=form, condition=condition, months=months, unit_en=c.text(t, "unit_en", where, required=False),
        milestones=milestones, event=event, provisional=provisional,
        provisional_from=provisional_from, basis_vi=basis_vi,
        basis_en=c.text(t, "basis_en", where, required=False),
        judged_on=c.choice(t, "judged_on", where, ("period", "year"), "period"))


# --- [report] ---------------------------------------------------------------------------------------

REPORT_TEXTS = tuple(k.name for k in TABLES["report"].keys if k.type == "text")
REPORT_LISTS = tuple(k.name for k in TABLES["report"].keys if k.type == "texts")


def _read_report(data: Table, c: _Collector) -> ReportInfo:
    """[report]: who sends the consolidated report (optional; every key optional)."""
    raw = data.get("report")
    if raw is None:
        return ReportInfo()
    where = "[report]"
    if not isinstance(raw, dict):
        c.add(where, "[report] must be a table", "[report] phải là một bảng")
        return ReportInfo()
    values: dict[str, Any] = {k: c.text(raw, k, where, required=False) for k in REPORT_TEXTS}
    for key in REPORT_LISTS:
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            c.add(where, f"'{key}' must list texts: [\"...\", \"...\"]",
                  f"'{key}' phải là danh sách văn bản: [\"...\", \"...\"]")
            items = []
        if not all(c.plain(i, key, where) for i in items):
            items = []
        values[key] = tuple(items)
    return ReportInfo(**values)


# --- [contact] -----------------------------------------------------------------------------------

CONTACT_KEYS = TABLES["contact"].names


def _read_contact(data: Table, c: _Collector) -> Contact:
    """The optional [contact]: who answers the units (feedback letters end with it)."""
    where = "[contact]"
    table = data.get("contact")
    if table is None:
        return Contact()
    if not isinstance(table, dict):
        c.add(where, "must be a table of texts ([contact] with office_vi = \"...\")",
              "phải là một bảng các dòng chữ ([contact] với office_vi = \"...\")")
        return Contact()
    phone = table.get("phone")
    if isinstance(phone, (int, float)) and not isinstance(phone, bool):
        c.add(where, f"'phone' must be text in quotes, so its leading 0 stays: phone = \"0{phone}\"",
              f"'phone' phải là chữ trong ngoặc kép để giữ số 0 ở đầu: phone = \"0{phone}\"")
        table = {k: v for k, v in table.items() if k != "phone"}
    email = c.text(table, "email", where, required=False)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        c.add(where, f"'email' {email!r} is not an email address",
              f"'email' {email!r} không phải địa chỉ thư điện tử")
    return Contact(office_vi=c.text(table, "office_vi", where, required=False),
                   office_en=c.text(table, "office_en", where, required=False),
                   person=c.text(table, "person", where, required=False),
                   phone=c.text(table, "phone", where, required=False), email=email)


# --- the whole plan ----------------------------------------------------------------------------------

def build(path: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan in ``path``, or every mistake in it."""
    data, problem = _read_toml(path)
    if data is None:
        return None, [problem] if problem else []
    return build_from(data, path)


def build_from(data: Table, path: Path | None = None) -> tuple[Plan | None, list[Problem]]:
    """The plan the tables of a TOML file hold (as ``tomllib`` reads them), or every mistake."""
    c = _Collector()
    c.problems.extend(unknown_keys(data))  # a typo of a key is a mistake, never ignored
    head = _read_head(data, c)
    codes: dict[str, str] = {}
    levels = _read_levels(data, c)
    categories = _read_categories(data, c)
    c.category_of = {o.code: cat.code for cat in categories for o in cat.options}
    forms = _read_forms(data, c, codes)
    elements = _read_elements(data, c, codes, forms, categories)
    agencies = _read_agencies(data, c, codes, forms, levels, head)
    element_codes = {e.code: [{o.code for cat in b for o in cat.options} for b in e.breakdowns]
                     for e in elements}
    rules = _read_rules(data, c, element_codes)
    indicators = _read_indicators(data, c, codes, element_codes, {f.code for f in forms}, head)
    report = _read_report(data, c)
    contact = _read_contact(data, c)
    if c.problems:
        return None, c.problems
    return Plan(
        id=head.id, title_vi=head.title_vi, title_en=head.title_en, province=head.province,
        reference=head.reference, reference_kind=head.reference_kind,
        coverage_start=head.coverage_start,
        coverage_end=head.coverage_end, calendar=head.calendar, forms=tuple(forms),
        elements=tuple(elements), agencies=tuple(agencies), rules=tuple(rules),
        indicators=tuple(indicators), levels=levels, categories=categories,
        note_vi=head.note_vi, note_en=head.note_en, report=report,
        path=path, contact=contact), []
