"""The plan: agencies, forms, elements, rules and indicators, with their periods and targets.

Everything that changes when a province or programme changes lives in the plan file, never in
code: which units report what and how often, when a month starts and reports are due, the
target of each indicator year by year. :mod:`kpi.plan_load` reads a plan file and lists every
mistake at once; :mod:`kpi.catalog` knows which plan is in force for a period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from . import expr as expr_mod
from .periods import RHYTHMS, Calendar, Span, period_months, periods_cut, periods_in

AGGREGATIONS = ("sum", "first", "last")
# The largest value one cell of one report may hold unless the element declares its own ``max``:
# above any count one agency reports in a period (the province has about two million people),
# below any phone number typed into a count cell (a Vietnamese number keeps at least 9 digits
# once a number cell drops its leading 0: 912345678, 2603862123, 79123456789).
DEFAULT_MAX = 10_000_000
SEVERITIES = ("error", "warning")
SCOPES = ("submission", "province")
KINDS = ("ratio", "coverage", "timeliness")
TARGET_COMPARATORS = (">", ">=", "<", "<=")
RHYTHM_ORDER = tuple(RHYTHMS)  # monthly, quarterly, half-yearly, yearly


@dataclass(frozen=True)
class Form:
    code: str
    sheet: str
    title_vi: str
    title_en: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


@dataclass(frozen=True)
class Option:
    code: str
    name_vi: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


@dataclass(frozen=True)
class Category:
    """A way to break a count down: sex (nam / nữ), age band, ethnicity ..."""

    code: str
    name_vi: str
    name_en: str
    options: tuple[Option, ...]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


@dataclass(frozen=True)
class Element:
    code: str
    form: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    aggregation: str
    # Each breakdown is one or two categories crossed (sex x age band; ethnicity): its parts
    # add up to the element's total.
    breakdowns: tuple[tuple[Category, ...], ...] = ()
    # How far from its own past a value may go before it is flagged (kpi/history.py):
    # None for the defaults.
    history_factor: float | None = None
    history_floor: float | None = None
    max: int | None = None  # the plan's bound on one cell of one report; None: DEFAULT_MAX

    @property
    def bound(self) -> int:
        """The largest plausible value of one cell of this element in one report."""
        return DEFAULT_MAX if self.max is None else self.max

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_vi

    def parts(self, breakdown: tuple[Category, ...]) -> list[tuple[Option, ...]]:
        """Every combination of options of a breakdown, the first category varying slowest."""
        combos: list[tuple[Option, ...]] = [()]
        for category in breakdown:
            combos = [c + (o,) for c in combos for o in category.options]
        return combos

    def part_key(self, combo: tuple[Option, ...]) -> str:
        """``NN_XAC_DINH[NAM+U16]``: the key of one cell of a breakdown."""
        from .expr import selector_key

        return selector_key(self.code, [o.code for o in combo])

    @property
    def part_keys(self) -> list[str]:
        return [self.part_key(combo) for b in self.breakdowns for combo in self.parts(b)]


@dataclass(frozen=True)
class ReportInfo:
    """Who sends the consolidated report and to whom, as Decree 30/2020/NĐ-CP lays an
    administrative document out: the issuing body (under its parent), the number's suffix,
    place, recipients, copies, the signer, and the plan cited with its date and issuer. Each
    can be given on the command line too; empty parts are left as blanks to fill by hand."""

    issuer_parent_vi: str = ""
    issuer_vi: str = ""
    number_suffix: str = ""  # "BC-CAT": "Số:      /BC-CAT"
    place_vi: str = ""
    recipients_vi: tuple[str, ...] = ()
    copies_vi: tuple[str, ...] = ()  # "Nơi nhận" after "Như trên"
    signer_title_vi: str = ""
    signer_name: str = ""
    cited_vi: str = ""  # "Kế hoạch số 1583/KH-UBND ngày 17/5/2021 của Ủy ban nhân dân tỉnh Kon Tum"
    cited_en: str = ""
    subject_vi: str = ""  # what the title reports on: "công tác phòng, chống mua bán người"
    subject_en: str = ""

    def subject(self, lang: str) -> str:
        return self.subject_en if lang == "en" and self.subject_en else self.subject_vi

    def cited(self, lang: str) -> str:
        return self.cited_en if lang == "en" and self.cited_en else self.cited_vi

    def merged(self, **overrides: object) -> ReportInfo:
        """This with every given (non-empty) value replaced: options override the plan."""
        from dataclasses import replace

        given = {k: (tuple(v) if isinstance(v, list) else v) for k, v in overrides.items() if v}
        return replace(self, **given)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Level:
    """A level of government the plan's units belong to (province, commune, ward ...)."""

    code: str
    name_vi: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Agency:
    code: str
    name_vi: str
    name_en: str
    level: str
    forms: tuple[str, ...]
    active_from: str | None = None
    active_to: str | None = None
    rhythm: str = "monthly"  # how often it reports
    form_rhythms: tuple[tuple[str, str], ...] = ()  # (form, rhythm) where a form differs

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def active_in(self, month: str) -> bool:
        return (self.active_from is None or self.active_from <= month) and (
            self.active_to is None or month <= self.active_to
        )

    def active_during(self, period: str) -> bool:
        """Active in at least one month of a reporting period: it owes that period's report."""
        return any(self.active_in(m) for m in period_months(period))

    def rhythm_of(self, form: str) -> str:
        return dict(self.form_rhythms).get(form, self.rhythm)

    @property
    def rhythms(self) -> tuple[str, ...]:
        """The rhythms it reports on, most frequent first: one template and one file each."""
        found = {self.rhythm_of(f) for f in self.forms}
        return tuple(r for r in RHYTHM_ORDER if r in found)

    def forms_for(self, rhythm: str) -> tuple[str, ...]:
        return tuple(f for f in self.forms if self.rhythm_of(f) == rhythm)


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
class Milestone:
    """The target an indicator must reach in a year."""

    year: int
    target: float


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
    months: tuple[int, ...] = ()  # older form of `event`: spans holding one of these months
    milestones: tuple[Milestone, ...] = ()  # targets by year, in year order
    event: tuple[int, int] | None = None  # (month, day): counted in the span holding that day
    provisional: bool = False  # a target carried forward until the province sets its own
    provisional_from: int | None = None  # only the milestones of this year and later are
    basis_vi: str = ""  # why it is provisional / where the target comes from
    basis_en: str = ""
    judged_on: str = "period"  # "year": the target is judged on the year to date

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def basis(self, lang: str) -> str:
        return self.basis_en if lang == "en" and self.basis_en else self.basis_vi

    @property
    def tracked(self) -> bool:
        return self.target is None and not self.milestones

    def provisional_in(self, year: int) -> bool:
        """Whether the target in force for a span ending in ``year`` is provisional."""
        if self.provisional_from is not None:
            _, milestone = self.target_for(year)
            return (milestone or year) >= self.provisional_from
        return self.provisional

    def target_for(self, year: int) -> tuple[float | None, int | None]:
        """(target, milestone year) in force for a span ending in ``year``: the milestone of
        that year, else of the latest year before it, else the first milestone (the nearest
        target the plan sets). Without milestones: the one target, and no year."""
        if not self.milestones:
            return self.target, None
        chosen = self.milestones[0]
        for milestone in self.milestones:
            if milestone.year <= year:
                chosen = milestone
        return chosen.target, chosen.year


@dataclass(frozen=True)
class Contact:
    """Who answers the units about their reports (the plan's ``[contact]``): the office, a
    contact person, a phone and an email. Feedback letters end with it; any of it may be
    missing, and a letter says only what is known."""

    office_vi: str = ""
    office_en: str = ""
    person: str = ""
    phone: str = ""
    email: str = ""

    def office(self, lang: str) -> str:
        return self.office_en if lang == "en" and self.office_en else self.office_vi

    def replaced(self, office: str | None = None, person: str | None = None,
                 phone: str | None = None, email: str | None = None) -> Contact:
        """This contact with what is given instead (an office given replaces both languages)."""
        from dataclasses import replace

        changes: dict[str, str] = {}
        if office is not None:
            changes.update(office_vi=office.strip(), office_en=office.strip())
        for key, value in (("person", person), ("phone", phone), ("email", email)):
            if value is not None:
                changes[key] = value.strip()
        return replace(self, **changes)

    @property
    def empty(self) -> bool:
        return not any((self.office_vi, self.office_en, self.person, self.phone, self.email))


@dataclass(frozen=True)
class Plan:
    id: str
    title_vi: str
    title_en: str
    province: str
    reference: str
    coverage_start: str
    coverage_end: str
    calendar: Calendar
    forms: tuple[Form, ...]
    elements: tuple[Element, ...]
    agencies: tuple[Agency, ...]
    rules: tuple[Rule, ...]
    indicators: tuple[Indicator, ...]
    levels: tuple[Level, ...] = ()
    categories: tuple[Category, ...] = ()
    note_vi: str = ""  # shown with the plan wherever it is named (e.g. provisional targets)
    note_en: str = ""
    report: ReportInfo = field(default_factory=ReportInfo)
    path: Path | None = field(default=None, compare=False)
    contact: Contact = Contact()  # who sends feedback to the units
    reference_kind: str = "plan"  # what `reference` names: "plan" or "decision" (plan_schema)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def note(self, lang: str) -> str:
        return self.note_en if lang == "en" and self.note_en else self.note_vi

    @property
    def label(self) -> str:
        """How outputs name the plan: its reference, else its id."""
        return self.reference or self.id

    def as_plan(self, lang: str) -> str:
        """The plan itself, where a sentence says "kế hoạch": "kế hoạch 1583/KH-UBND", or for
        a decision "kế hoạch thực hiện Quyết định 33/QĐ-TTg" (never "kế hoạch 33/QĐ-TTg")."""
        if self.reference_kind == "decision" and self.reference:
            return f"the plan for {self.named(lang)}" if lang == "en" else \
                f"kế hoạch thực hiện {self.named(lang)}"
        return f"plan {self.label}" if lang == "en" else f"kế hoạch {self.label}"

    def named(self, lang: str, upper: bool = False) -> str:
        """The document the plan implements, by its kind and number: "Kế hoạch 1583/KH-UBND",
        "Quyết định 33/QĐ-TTg" (a Prime Minister's decision is not a plan); ``upper``: the
        kind word in capitals for a title, the number kept as written ("QUYẾT ĐỊNH 33/QĐ-TTg")."""
        kinds = {"plan": ("Kế hoạch", "Plan"), "decision": ("Quyết định", "Decision")}
        vi, en = kinds.get(self.reference_kind, kinds["plan"])
        word = en if lang == "en" else vi
        return f"{word.upper() if upper else word} {self.label}"

    @property
    def cutoff_day(self) -> int:
        """The cut-off day (31: calendar months), for older callers."""
        return self.calendar.cutoff_day or 31

    @property
    def deadline_days(self) -> int:
        return self.calendar.deadline_days or 0

    @cached_property
    def form_by_code(self) -> dict[str, Form]:
        return {f.code: f for f in self.forms}

    @cached_property
    def element_by_code(self) -> dict[str, Element]:
        return {e.code: e for e in self.elements}

    @cached_property
    def agency_by_code(self) -> dict[str, Agency]:
        return {a.code: a for a in self.agencies}

    @cached_property
    def option_by_code(self) -> dict[str, tuple[Category, Option]]:
        return {o.code: (c, o) for c in self.categories for o in c.options}

    @cached_property
    def selectors(self) -> tuple[str, ...]:
        """Every ``ELEMENT[OPTIONS]`` the plan's rules and indicators name."""
        exprs = [r.expression for r in self.rules]
        exprs += [e for i in self.indicators for e in (i.numerator, i.denominator, i.condition) if e]
        return tuple(dict.fromkeys(n for e in exprs for n in e.names if n.endswith("]")))

    @cached_property
    def grid_row_codes(self) -> frozenset[str]:
        """The codes of the rows of every breakdown grid (NN_XAC_DINH.U16): the element and an
        option of the category running down the grid."""
        return frozenset(f"{e.code}.{o.code}" for e in self.elements for b in e.breakdowns
                         for o in b[-1].options)

    def aggregation_of(self, key: str) -> str:
        """The aggregation of an element, or of a part of its breakdown (the element's)."""
        return self.element_by_code[key.partition("[")[0]].aggregation

    def with_selections(self, values: dict[str, int], default: int | None = None) -> dict[str, int]:
        """``values`` (elements and parts of breakdowns) with every selection the plan's
        expressions name added: ``NN_XAC_DINH[U16]`` is the sum of the parts holding U16,
        whatever the other categories. A selection no part reported is absent, or ``default``
        (totals, where an element nobody reported counts 0, count its selections 0 too)."""
        from .expr import split_key

        if not self.selectors:
            return values
        out = dict(values)
        parts = [(split_key(k), v) for k, v in values.items() if k.endswith("]")]
        for selector in self.selectors:
            element, options = split_key(selector)
            wanted = set(options)
            found = [v for (e, opts), v in parts if e == element and wanted <= set(opts)]
            if found:
                out[selector] = sum(found)
            elif default is not None:
                out[selector] = default
        return out

    @cached_property
    def level_by_code(self) -> dict[str, Level]:
        return {level.code: level for level in self.levels}

    def elements_of(self, form: str) -> list[Element]:
        return [e for e in self.elements if e.form == form]

    def elements_for_agency(self, agency: Agency, rhythm: str | None = None) -> list[Element]:
        forms = agency.forms if rhythm is None else agency.forms_for(rhythm)
        return [e for f in forms for e in self.elements_of(f)]

    def expected(self, span: Span | list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
        """(agency, period) pairs expected to report in ``span``: for each rhythm an agency
        reports on, every period of that rhythm lying wholly in the span in which it is active.
        A list of months (older callers) is taken as those months."""
        if not isinstance(span, Span):
            return [(a.code, m) for m in span for a in self.agencies if a.active_in(m)]
        pairs = []
        for agency in self.agencies:
            for rhythm in agency.rhythms:
                pairs += [(agency.code, p) for p in periods_in(rhythm, span)
                          if agency.active_during(p)]
        order = {m: i for i, m in enumerate(span.months)}
        return sorted(pairs, key=lambda pair: (order.get(period_months(pair[1])[-1], 0),
                                               period_months(pair[1])[0], pair[0]))

    def not_due(self, span: Span) -> list[tuple[str, str]]:
        """(agency, rhythm) of units whose reports span longer than ``span`` cuts: a quarterly
        reporter in a monthly roll-up is not missing, its report is not due in it. A unit that
        owes another report in the span (its monthly one, when only some forms are quarterly)
        is due, and not listed."""
        found = []
        for agency in self.agencies:
            if any(periods_in(r, span) and any(agency.active_during(p) for p in periods_in(r, span))
                   for r in agency.rhythms):
                continue
            for rhythm in agency.rhythms:
                if not periods_in(rhythm, span) and any(
                        agency.active_during(p) for p in periods_cut(rhythm, span)):
                    found.append((agency.code, rhythm))
        return found

    def example_month(self, today: date | None = None) -> str:
        """A month to show in an example: this month when the plan covers it, else the plan's
        first month. Examples come from the plan in use, never from another plan."""
        today = today or date.today()
        month = f"{today.year:04d}-{today.month:02d}"
        return month if self.in_coverage(month) else self.coverage_start

    def example_period(self, rhythm: str, today: date | None = None) -> str:
        """An example reporting period of ``rhythm`` inside the plan ("2025-Q3": quarterly)."""
        month = self.example_month(today)
        year, mm = int(month[:4]), int(month[5:])
        kind = RHYTHMS[rhythm]
        first = {"month": month, "quarter": f"{year}-Q{(mm - 1) // 3 + 1}",
                 "half": f"{year}-H{1 if mm <= 6 else 2}", "year": str(year)}[kind]
        start_year, end_year = int(self.coverage_start[:4]), int(self.coverage_end[:4])
        fallbacks = {"month": [self.coverage_start],
                     "quarter": [f"{y}-Q{q}" for y in (start_year, end_year) for q in range(1, 5)],
                     "half": [f"{y}-H{h}" for y in (start_year, end_year) for h in (1, 2)],
                     "year": [str(start_year), str(end_year)]}[kind]
        for code in [first, *fallbacks]:
            if self.covers(code):
                return code
        return first

    def in_coverage(self, month: str) -> bool:
        return self.coverage_start <= month <= self.coverage_end

    def covers(self, period: str) -> bool:
        months = period_months(period)
        return self.coverage_start <= months[0] and months[-1] <= self.coverage_end


@dataclass(frozen=True)
class Problem:
    """One mistake in a plan file: where it is, and what is wrong in English and Vietnamese."""

    where: str
    en: str
    vi: str

    def text(self, lang: str = "en") -> str:
        message = self.vi if lang == "vi" else self.en
        return f"{self.where}: {message}" if self.where else message


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


DEFAULT_PLAN = Path(__file__).parent / "plans" / "kontum_1583.toml"


def load_plan(path: Path | str | None = None) -> Plan:
    """Load and check a plan file (the bundled default when ``path`` is None)."""
    from .plan_load import build

    plan, problems = build(Path(path) if path else DEFAULT_PLAN)
    if problems or plan is None:
        raise PlanError(path or DEFAULT_PLAN, problems)
    return plan


def check_plan_file(path: Path | str, lang: str = "en") -> tuple[Plan | None, list[str]]:
    """Every mistake in a plan file (in ``lang``), and the plan when there are none."""
    from .plan_load import build

    plan, problems = build(Path(path))
    return (plan if not problems else None), [p.text(lang) for p in problems]
