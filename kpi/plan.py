"""The plan: agencies, forms, elements, rules and indicators, loaded from a TOML file.

Everything that changes when a province or programme changes lives in the plan file, never in
code. :func:`check_plan_file` returns every mistake at once; :func:`load_plan` refuses a plan
with mistakes. The bundled default is ``kpi/plans/kontum_1583.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import expr as expr_mod
from .periods import PeriodError, split_month

DEFAULT_PLAN = Path(__file__).parent / "plans" / "kontum_1583.toml"
AGGREGATIONS = ("sum", "first", "last")
SEVERITIES = ("error", "warning")
SCOPES = ("submission", "province")
KINDS = ("ratio", "coverage", "timeliness")
TARGET_COMPARATORS = (">", ">=", "<", "<=")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Form:
    code: str
    sheet: str
    title_vi: str
    title_en: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


@dataclass(frozen=True)
class Element:
    code: str
    form: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    aggregation: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_vi


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str
    level: str
    forms: tuple[str, ...]
    active_from: str | None = None
    active_to: str | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def active_in(self, month: str) -> bool:
        return (self.active_from is None or self.active_from <= month) and (
            self.active_to is None or month <= self.active_to
        )


@dataclass(frozen=True)
class Rule:
    code: str
    expression: expr_mod.Expr
    severity: str
    scope: str
    message_vi: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    kind: str
    numerator: expr_mod.Expr | None
    denominator: expr_mod.Expr | None
    factor: float
    comparator: str | None
    target: float | None
    unit: str
    source: str
    form: str | None = None
    unit_en: str = ""
    condition: expr_mod.Expr | None = None
    months: tuple[int, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    @property
    def tracked(self) -> bool:
        return self.target is None


@dataclass(frozen=True)
class Plan:
    id: str
    title_vi: str
    title_en: str
    province: str
    reference: str
    coverage_start: str
    coverage_end: str
    cutoff_day: int
    deadline_days: int
    forms: tuple[Form, ...]
    elements: tuple[Element, ...]
    agencies: tuple[Agency, ...]
    rules: tuple[Rule, ...]
    indicators: tuple[Indicator, ...]
    path: Path | None = field(default=None, compare=False)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    @cached_property
    def form_by_code(self) -> dict[str, Form]:
        return {f.code: f for f in self.forms}

    @cached_property
    def element_by_code(self) -> dict[str, Element]:
        return {e.code: e for e in self.elements}

    @cached_property
    def agency_by_code(self) -> dict[str, Agency]:
        return {a.code: a for a in self.agencies}

    def elements_of(self, form: str) -> list[Element]:
        return [e for e in self.elements if e.form == form]

    def elements_for_agency(self, agency: Agency) -> list[Element]:
        return [e for f in agency.forms for e in self.elements_of(f)]

    def expected(self, months: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
        """(agency, month) pairs expected to report in ``months``."""
        return [(a.code, m) for m in months for a in self.agencies if a.active_in(m)]

    def in_coverage(self, month: str) -> bool:
        return self.coverage_start <= month <= self.coverage_end


@dataclass(frozen=True)
class Problem:
    """One mistake in a plan file: where it is, and what is wrong in English and Vietnamese."""

    where: str
    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        return (
            f"{self.where}: {self.vi if lang == 'vi' else self.en}"
            if self.where
            else (self.vi if lang == "vi" else self.en)
        )


class PlanError(Exception):
    """A plan file with mistakes; ``problems`` lists every one (English), ``messages(lang)``
    in the reader's language."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path = str(path)
        self.details = problems
        self.problems = [p.text("en") for p in problems]
        super().__init__(f"{path}: " + "; ".join(self.problems))

    def messages(self, lang: str) -> list[str]:
        return [p.text(lang) for p in self.details]


def load_plan(path: Path | str | None = None) -> Plan:
    """Load and check a plan file (the bundled default when ``path`` is None)."""
    plan, problems = _build(Path(path) if path else DEFAULT_PLAN)
    if problems or plan is None:
        raise PlanError(path or DEFAULT_PLAN, problems)
    return plan


def check_plan_file(path: Path | str, lang: str = "en") -> tuple[Plan | None, list[str]]:
    """Every mistake in a plan file (in ``lang``), and the plan when there are none."""
    plan, problems = _build(Path(path))
    return (plan if not problems else None), [p.text(lang) for p in problems]


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, en: str, vi: str) -> None:
        self.problems.append(Problem(where, en, vi))

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(where, f"missing '{key}'", f"thiếu '{key}'")
            return ""
        if not isinstance(value, str):
            self.add(
                where, f"'{key}' must be text, not {value!r}", f"'{key}' phải là chữ, không phải {value!r}"
            )
            return ""
        return value.strip()

    def number(self, table: dict[str, Any], key: str, where: str) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(
                where, f"'{key}' must be a number, not {value!r}", f"'{key}' phải là số, không phải {value!r}"
            )
            return None
        return value

    def month(self, table: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
        value = self.text(table, key, where, required=required)
        if not value:
            return None
        try:
            year, month = split_month(value)
        except PeriodError:
            self.add(
                where,
                f"'{key}' must be a month YYYY-MM, not {value!r}",
                f"'{key}' phải là tháng dạng YYYY-MM, không phải {value!r}",
            )
            return None
        return f"{year:04d}-{month:02d}"

    def expression(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        known: set[str],
        *,
        required: bool = True,
        comparison: bool | None = None,
    ) -> expr_mod.Expr | None:
        source = self.text(table, key, where, required=required)
        if not source:
            return None
        try:
            parsed = expr_mod.parse(source)
        except expr_mod.ExprError as exc:
            self.add(where, f"'{key}': {exc}", f"'{key}' không hợp lệ: {exc}")
            return None
        for name in parsed.names:
            if name not in known:
                self.add(
                    where,
                    f"'{key}' names unknown element {name}",
                    f"'{key}' dùng mã chỉ tiêu không có trong kế hoạch: {name}",
                )
        if comparison is True and not parsed.is_comparison:
            self.add(
                where,
                f"'{key}' must compare two sides (a <= b), got {source!r}",
                f"'{key}' phải so sánh hai vế (a <= b), đang là {source!r}",
            )
        if comparison is False and parsed.is_comparison:
            self.add(
                where,
                f"'{key}' must be arithmetic, not a comparison: {source!r}",
                f"'{key}' phải là biểu thức tính, không phải phép so sánh: {source!r}",
            )
        return parsed

    def code(self, table: dict[str, Any], where: str, seen: dict[str, str]) -> str:
        code = self.text(table, "code", where)
        if code and not CODE_RE.match(code):
            self.add(
                where,
                f"code {code!r} must be capital letters, digits and _ (start with a letter)",
                f"mã {code!r} chỉ gồm chữ in hoa, chữ số và _ (bắt đầu bằng chữ)",
            )
        if code in seen:
            self.add(
                where,
                f"duplicate code {code} (also {seen[code]})",
                f"mã {code} bị trùng (đã có ở {seen[code]})",
            )
        elif code:
            seen[code] = where
        return code


def _tables(data: dict[str, Any], key: str, c: _Collector) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        c.add(key, f"must be a list of tables ([[{key}]])", f"phải là danh sách bảng ([[{key}]])")
        return []
    if not value:
        c.add(key, f"no [[{key}]] entries", f"không có mục [[{key}]] nào")
    return value


def _build(path: Path) -> tuple[Plan | None, list[Problem]]:
    c = _Collector()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem("", f"file not found: {path}", f"không tìm thấy tệp: {path}")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem("", f"cannot read {path}: {exc}", f"không đọc được {path}: {exc}")]
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line 5, column 17)"; the Vietnamese keeps the position readable.
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        vi = (
            f"lỗi cú pháp TOML ở dòng {where[1]}, cột {where[2]}: {exc}"
            if where
            else (f"lỗi cú pháp TOML: {exc}")
        )
        return None, [Problem("", f"TOML syntax error: {exc}", vi)]

    head = data.get("plan")
    if not isinstance(head, dict):
        c.add("[plan]", "missing [plan] table", "thiếu bảng [plan]")
        head = {}
    cutoff = c.number(head, "cutoff_day", "[plan]")
    if cutoff is None or cutoff != int(cutoff) or not 1 <= cutoff <= 31:
        c.add(
            "[plan]",
            "'cutoff_day' must be a whole number from 1 to 31",
            "'cutoff_day' phải là số nguyên từ 1 đến 31",
        )
        cutoff = 14
    deadline_days = c.number(head, "deadline_days", "[plan]")
    if deadline_days is None or deadline_days != int(deadline_days) or not 0 <= deadline_days <= 60:
        c.add(
            "[plan]",
            "'deadline_days' must be a whole number from 0 to 60",
            "'deadline_days' phải là số nguyên từ 0 đến 60",
        )
        deadline_days = 0
    coverage_start = c.month(head, "coverage_start", "[plan]", required=True) or "0001-01"
    coverage_end = c.month(head, "coverage_end", "[plan]", required=True) or "9999-12"
    if coverage_start > coverage_end:
        c.add("[plan]", "coverage_start is after coverage_end", "coverage_start ở sau coverage_end")

    codes: dict[str, str] = {}
    forms: list[Form] = []
    sheets: set[str] = set()
    for i, t in enumerate(_tables(data, "forms", c), 1):
        where = f"forms[{i}]"
        code = c.code(t, where, codes)
        sheet = c.text(t, "sheet", where)
        if sheet and (len(sheet) > 31 or SHEET_BAD.search(sheet)):
            c.add(
                where,
                f"sheet title {sheet!r} must be at most 31 characters without []:*?/\\",
                f"tên trang {sheet!r} phải tối đa 31 ký tự, không có []:*?/\\",
            )
        if sheet.casefold() in sheets:
            c.add(where, f"sheet title {sheet!r} used twice", f"tên trang {sheet!r} bị dùng hai lần")
        sheets.add(sheet.casefold())
        forms.append(Form(code, sheet, c.text(t, "title_vi", where), c.text(t, "title_en", where)))
    form_codes = {f.code for f in forms}

    elements: list[Element] = []
    for i, t in enumerate(_tables(data, "elements", c), 1):
        where = f"elements[{i}] {t.get('code', '')}".strip()
        code = c.code(t, where, codes)
        form = c.text(t, "form", where)
        if form and form not in form_codes:
            c.add(where, f"unknown form {form}", f"biểu không có trong kế hoạch: {form}")
        aggregation = c.text(t, "aggregation", where)
        if aggregation and aggregation not in AGGREGATIONS:
            c.add(
                where,
                f"aggregation must be one of {', '.join(AGGREGATIONS)}, not {aggregation!r}",
                f"aggregation phải là một trong {', '.join(AGGREGATIONS)}, không phải {aggregation!r}",
            )
        elements.append(
            Element(
                code,
                form,
                c.text(t, "name_vi", where),
                c.text(t, "name_en", where),
                c.text(t, "unit_vi", where, required=False),
                c.text(t, "unit_en", where, required=False),
                aggregation or "sum",
            )
        )
    element_codes = {e.code for e in elements}
    for f in forms:
        if not any(e.form == f.code for e in elements):
            c.add(f"form {f.code}", "has no elements", "không có chỉ tiêu nào")

    agencies: list[Agency] = []
    for i, t in enumerate(_tables(data, "agencies", c), 1):
        where = f"agencies[{i}] {t.get('code', '')}".strip()
        code = c.code(t, where, codes)
        agency_forms = t.get("forms", [])
        if not isinstance(agency_forms, list) or not agency_forms:
            c.add(
                where,
                "'forms' must be a non-empty list of form codes",
                "'forms' phải là danh sách mã biểu, không được rỗng",
            )
            agency_forms = []
        for f in agency_forms:
            if f not in form_codes:
                c.add(where, f"unknown form {f}", f"biểu không có trong kế hoạch: {f}")
        active_from = c.month(t, "active_from", where, required=False)
        active_to = c.month(t, "active_to", where, required=False)
        if active_from and active_to and active_from > active_to:
            c.add(where, "active_from is after active_to", "active_from ở sau active_to")
        agencies.append(
            Agency(
                code,
                c.text(t, "name_vi", where),
                c.text(t, "name_en", where),
                c.text(t, "level", where, required=False) or "province",
                tuple(str(f) for f in agency_forms),
                active_from,
                active_to,
            )
        )

    rules: list[Rule] = []
    rule_codes: dict[str, str] = {}
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not all(isinstance(t, dict) for t in raw_rules):
        c.add("rules", "must be a list of tables ([[rules]])", "phải là danh sách bảng ([[rules]])")
        raw_rules = []
    for i, t in enumerate(raw_rules, 1):
        where = f"rules[{i}] {t.get('code', '')}".strip()
        code = c.code(t, where, rule_codes)
        parsed = c.expression(t, "expression", where, element_codes, comparison=True)
        severity = c.text(t, "severity", where)
        if severity and severity not in SEVERITIES:
            c.add(
                where,
                f"severity must be error or warning, not {severity!r}",
                f"severity phải là error hoặc warning, không phải {severity!r}",
            )
        scope = c.text(t, "scope", where, required=False) or "submission"
        if scope not in SCOPES:
            c.add(
                where,
                f"scope must be submission or province, not {scope!r}",
                f"scope phải là submission hoặc province, không phải {scope!r}",
            )
        if parsed is not None:
            rules.append(
                Rule(
                    code,
                    parsed,
                    severity,
                    scope,
                    c.text(t, "message_vi", where),
                    c.text(t, "message_en", where),
                )
            )

    indicators: list[Indicator] = []
    for i, t in enumerate(_tables(data, "indicators", c), 1):
        where = f"indicators[{i}] {t.get('code', '')}".strip()
        indicators.append(_indicator(t, where, c, codes, element_codes, form_codes))

    # Read before the early return so a missing id or title is listed with every other mistake.
    plan_id = c.text(head, "id", "[plan]")
    title_vi = c.text(head, "title_vi", "[plan]")
    title_en = c.text(head, "title_en", "[plan]")
    province = c.text(head, "province", "[plan]", required=False)
    reference = c.text(head, "reference", "[plan]", required=False)
    if c.problems:
        return None, c.problems
    plan = Plan(
        id=plan_id,
        title_vi=title_vi,
        title_en=title_en,
        province=province,
        reference=reference,
        coverage_start=coverage_start,
        coverage_end=coverage_end,
        cutoff_day=int(cutoff),
        deadline_days=int(deadline_days),
        forms=tuple(forms),
        elements=tuple(elements),
        agencies=tuple(agencies),
        rules=tuple(rules),
        indicators=tuple(indicators),
        path=path,
    )
    return (None, c.problems) if c.problems else (plan, [])


def _indicator(
    t: dict[str, Any],
    where: str,
    c: _Collector,
    codes: dict[str, str],
    element_codes: set[str],
    form_codes: set[str],
) -> Indicator:
    code = c.code(t, where, codes)
    kind = c.text(t, "kind", where, required=False) or "ratio"
    if kind not in KINDS:
        c.add(
            where,
            f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
            f"kind phải là một trong {', '.join(KINDS)}, không phải {kind!r}",
        )
    comparator = t.get("comparator")
    target = c.number(t, "target", where)
    if comparator is not None and comparator not in TARGET_COMPARATORS:
        c.add(
            where,
            f"comparator must be one of {' '.join(TARGET_COMPARATORS)}, not {comparator!r}",
            f"comparator phải là một trong {' '.join(TARGET_COMPARATORS)}, không phải {comparator!r}",
        )
    if (comparator is None) != (target is None):
        c.add(
            where,
            "comparator and target go together (omit both for a tracked indicator)",
            "comparator và target đi cùng nhau (bỏ cả hai cho chỉ số theo dõi)",
        )
    numerator = denominator = condition = None
    form = None
    months: tuple[int, ...] = ()
    factor = c.number(t, "factor", where)
    if kind == "ratio":
        numerator = c.expression(t, "numerator", where, element_codes, comparison=False)
        denominator = c.expression(t, "denominator", where, element_codes, required=False, comparison=False)
        if target is not None and t.get("denominator") is None:
            c.add(
                where,
                "an indicator with a target needs a denominator",
                "chỉ số có mục tiêu cần có mẫu số (denominator)",
            )
    elif kind == "coverage":
        form = c.text(t, "form", where)
        if form and form not in form_codes:
            c.add(where, f"unknown form {form}", f"biểu không có trong kế hoạch: {form}")
        condition = c.expression(t, "condition", where, element_codes, comparison=True)
        raw_months = t.get("months", [])
        if not isinstance(raw_months, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in raw_months
        ):
            c.add(
                where,
                "'months' must be a list of calendar months 1..12",
                "'months' phải là danh sách tháng từ 1 đến 12",
            )
        else:
            months = tuple(raw_months)
    default_factor = 1 if kind == "ratio" and t.get("denominator") is None else 100
    return Indicator(
        code=code,
        name_vi=c.text(t, "name_vi", where),
        name_en=c.text(t, "name_en", where),
        kind=kind,
        numerator=numerator,
        denominator=denominator,
        factor=default_factor if factor is None else factor,
        comparator=comparator if comparator in TARGET_COMPARATORS else None,
        target=target,
        unit=c.text(t, "unit", where, required=False),
        source=c.text(t, "source", where, required=False),
        form=form,
        condition=condition,
        months=months,
        unit_en=c.text(t, "unit_en", where, required=False),
    )
