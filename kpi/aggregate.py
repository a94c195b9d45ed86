"""Validated submissions -> totals per span, completeness, timeliness and indicators.

Flow: decide which file counts for each (agency, reporting period) -> one long table (agency,
period, its first and last month, element, value, file, sheet, cell) -> totals over the span by
each element's aggregation (sum / first / last) -> summed over agencies -> indicators. The long
table is the single source of every total: over the span, month by month, per agency
(:func:`rolled`).

A reporting period counts in a span only when the span holds all of it: a quarterly report counts
in its quarter and its year, never in one of its months (its numbers are not divided).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .collect import collect_files, read_all  # noqa: F401  (older imports from here keep working)
from .errors import NoPeriod, PeriodOutsidePlan
from .expr import evaluate
from .indicators import NO_DATA, NOT_MET, IndicatorResult, evaluate_indicators
from .issues import Issue, make_issue
from .periods import Span, parse_span, period_kind, period_months
from .plan import Plan
from .validate import Submission, skip_reason

if TYPE_CHECKING:
    import pandas as pd

    from .compare import Comparison

ACCEPTED, REJECTED, SUPERSEDED, OUT_OF_SPAN = "accepted", "rejected", "superseded", "out_of_span"
# One row per number counted. "month" is the last month of the row's reporting period, "first"
# its first (the same for a monthly report); "period" the period as reported.
# "element" is the element's code, or a part of its breakdown (NN_XAC_DINH[NU+U16]) whose options
# are also in "option" ("" for a total).
LONG_COLUMNS = ["agency", "month", "element", "value", "file", "sheet", "cell", "period", "first",
                "option"]


@dataclass
class FileRecord:
    """One file seen by aggregate and what became of it."""

    submission: Submission
    status: str = REJECTED
    mtime: float = 0.0
    on_time: bool | None = None
    replaced_by: str | None = None
    cut: bool = False  # its period overlaps the span without lying inside it

    @property
    def file(self) -> str:
        return self.submission.file

    @property
    def key(self) -> tuple[str, str] | None:
        sub = self.submission
        return (sub.agency, sub.period) if sub.agency and sub.period else None

    def to_dict(self, lang: str) -> dict[str, Any]:
        sub = self.submission
        data = {
            "file": sub.file, "agency": sub.agency, "month": sub.period, "status": self.status,
            "submitted": sub.submitted.isoformat() if sub.submitted else None,
            "on_time": self.on_time, "replaced_by": self.replaced_by,
            "errors": len(sub.errors), "warnings": len(sub.warnings),
        }
        if self.cut:
            data["cut"] = True
        return data


@dataclass
class Completeness:
    expected: int
    received: int
    on_time: int
    late: int
    missing: list[tuple[str, str]]  # (agency, period) with no accepted file
    rejected_only: set[tuple[str, str]] = field(default_factory=set)
    not_due: list[tuple[str, str]] = field(default_factory=list)  # (agency, rhythm): longer periods
    cut: list[tuple[str, str]] = field(default_factory=list)  # (agency, period) cut by the span

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "expected": self.expected, "received": self.received, "on_time": self.on_time,
            "late": self.late,
            "missing": [{"agency": a, "month": m, "rejected": (a, m) in self.rejected_only}
                        for a, m in self.missing],
        }
        if self.not_due:
            data["not_due"] = [{"agency": a, "rhythm": r} for a, r in self.not_due]
        if self.cut:
            data["cut"] = [{"agency": a, "period": p} for a, p in self.cut]
        return data


@dataclass
class AggregateResult:
    plan: Plan
    span: Span
    long: pd.DataFrame  # LONG_COLUMNS, accepted files only: the audit trail
    totals: dict[str, int]  # element -> province total over the span
    agency_totals: dict[str, dict[str, int]]  # agency -> element -> total over the span
    indicators: list[IndicatorResult]
    trend: dict[str, list[IndicatorResult]]  # month -> indicators of that month alone
    completeness: Completeness
    files: list[FileRecord]
    issues: list[Issue]  # from every file that counts or was rejected, then province rules
    skipped: list[tuple[str, str]]  # (path, reason): lock files, not spreadsheets
    generated_at: datetime
    final: dict[tuple[str, str], FileRecord] = field(default_factory=dict)  # the file per (agency, period)
    month_totals: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> element -> total
    level_totals: dict[str, dict[str, int]] = field(default_factory=dict)  # level -> element -> total
    plans: list[Plan] = field(default_factory=list)  # the plans known: last year's may be another

    @property
    def months_with_data(self) -> list[str]:
        """The span's months an accepted report covers (a year read in August has 8)."""
        covered = {m for r in self.files if r.status == ACCEPTED and r.submission.period
                   for m in period_months(r.submission.period)}
        return [m for m in self.span.months if m in covered]

    @property
    def partial(self) -> bool:
        """A span of several months, some without any accepted report: its statuses are
        provisional (a year read in August cannot be said met yet)."""
        return len(self.span.months) > 1 and len(self.months_with_data) < len(self.span.months)

    @cached_property
    def year_to_date(self) -> Comparison:
        from .compare import YTD, compare

        return compare(self, YTD)

    @cached_property
    def last_year(self) -> Comparison:
        from .compare import LAST_YEAR, compare

        return compare(self, LAST_YEAR)

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == REJECTED]

    @property
    def all_met(self) -> bool:
        return not any(i.status == NOT_MET for i in self.indicators)

    @property
    def window(self) -> tuple[date, date]:
        return self.plan.calendar.window(self.span.code)

    def to_dict(self, lang: str) -> dict[str, Any]:
        start, end = self.window
        data: dict[str, Any] = {
            "plan": self.plan.id,
            "period": {"code": self.span.code, "start": start.isoformat(), "end": end.isoformat(),
                       "months": list(self.span.months)},
            "indicators": [i.to_dict(lang) for i in self.indicators],
            "totals": {e.code: self.totals.get(e.code, 0) for e in self.plan.elements},
            "completeness": self.completeness.to_dict(),
            "submissions": [f.to_dict(lang) for f in self.files],
            "issues": [i.to_dict(lang, with_file=True) for i in self.issues],
            "skipped": [{"file": p, "reason": r} for p, r in self.skipped],
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
        }
        if self.plan.note(lang):
            data["plan_note"] = self.plan.note(lang)
        if self.partial:
            data["period"]["months_with_data"] = self.months_with_data
        from .compare import comparisons_json

        comparisons_json(self, data)
        breakdowns = breakdown_table(self.plan, self.totals)
        if breakdowns:
            data["breakdowns"] = breakdowns
        return data


def breakdown_table(plan: Plan, totals: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Element -> each part of each of its breakdowns: the options and the total over the
    span (0 where nobody reported it)."""
    table: dict[str, list[dict[str, Any]]] = {}
    for element in plan.elements:
        for breakdown in element.breakdowns:
            for combo in element.parts(breakdown):
                table.setdefault(element.code, []).append({
                    "options": {cat.code: o.code for cat, o in zip(breakdown, combo, strict=True)},
                    "value": totals.get(element.part_key(combo), 0)})
    return table


def check_span(plan: Plan, span: Span) -> None:
    """Refuse a span that reaches outside the plan's coverage: its months would be expected
    from nobody, and a span of centuries would cost minutes."""
    if span.first < plan.coverage_start or span.last > plan.coverage_end:
        raise PeriodOutsidePlan(span.code, plan.coverage_start, plan.coverage_end, plan.label)


def latest_month(subs: Iterable[Submission]) -> str | None:
    months = [period_months(s.period)[-1] for s in subs if s.period]
    return max(months) if months else None


def aggregate(
    subs: list[Submission],
    plan: Plan,
    span: Span | str | None = None,
    skipped: list[tuple[str, str]] | None = None,
    now: datetime | None = None,
    plans: list[Plan] | None = None,
) -> AggregateResult:
    """Roll validated submissions up over ``span`` (default: the latest month found)."""
    if span is None:
        month = latest_month(s for s in subs if s.valid) or latest_month(subs)
        span = parse_span(month) if month else None
    elif isinstance(span, str):
        span = parse_span(span)
    if span is None:
        raise NoPeriod()
    check_span(plan, span)

    # kpi's own outputs (a report, an unchanged marked copy) left among the submissions, found
    # by the property kpi writes into them whatever their name: listed, never counted.
    skipped = list(skipped or [])
    skipped += [(s.file, skip_reason(s)) for s in subs if s.output]
    subs = [s for s in subs if not s.output]
    records = _decide(subs, plan, span)
    final = final_files(records)
    long = long_table([r for r in records if r.status == ACCEPTED])
    agency_totals, totals = rolled(long, plan)
    levels = {a.code: a.level for a in plan.agencies}
    _, level_totals = rolled(long.assign(level=long["agency"].map(levels).fillna("")), plan,
                             by="level", agencies=False)
    completeness = _completeness(plan, span, records, final)
    indicators = evaluate_indicators(plan, span, totals, agency_totals, completeness.on_time,
                                     completeness.expected)
    month_totals, month_agencies = rolled_by_month(long, plan)
    trend: dict[str, list[IndicatorResult]] = {}
    for month in span.months:
        month_span = parse_span(month)
        done = _completeness(plan, month_span, records, final)
        trend[month] = evaluate_indicators(plan, month_span, month_totals.get(month, {}),
                                           month_agencies.get(month, {}), done.on_time,
                                           done.expected)

    issues = [i for r in records if r.status in (ACCEPTED, REJECTED) for i in r.submission.issues]
    # A file named for this period whose cover says another is out of the span, but the
    # disagreement is shown: it may be the file the analyst is looking for.
    issues += [i for r in records if r.status in (SUPERSEDED, OUT_OF_SPAN)
               for i in r.submission.issues if i.code == "name-mismatch"]
    issues += _province_rules(plan, totals)
    return AggregateResult(
        plan=plan, span=span, long=long, totals=totals, agency_totals=agency_totals,
        indicators=indicators, trend=trend, completeness=completeness, files=records,
        issues=issues, skipped=skipped, generated_at=now or datetime.now(), final=final,
        month_totals=month_totals, level_totals=level_totals, plans=list(plans or [plan]),
    )


def _decide(subs: list[Submission], plan: Plan, span: Span) -> list[FileRecord]:
    """Status of every file. The latest META_SUBMITTED (then modification time) for an
    (agency, period) decides: earlier files are superseded, even when the latest is rejected,
    because the agency has withdrawn their numbers."""
    records = []
    groups: dict[tuple[str, str], list[FileRecord]] = {}
    for sub in subs:
        record = FileRecord(sub)
        records.append(record)
        months = period_months(sub.period) if sub.period else ()
        if months and not span.contains(months):
            record.status = OUT_OF_SPAN
            record.cut = months[0] <= span.last and span.first <= months[-1]
        elif any(i.code == "implausible-date" for i in sub.issues):
            # Its date cannot say whether it came before or after another file of the period:
            # rejected on its own (and sent back), never superseding nor superseded.
            record.status = REJECTED
        elif record.key and sub.readable:
            groups.setdefault(record.key, []).append(record)
        else:
            record.status = REJECTED
    for (_, period), group in groups.items():
        if len(group) > 1:  # the modification time only breaks ties: stat only then
            for r in group:
                r.mtime = _mtime(r.file)
        group.sort(key=lambda r: (r.submission.submitted or date.min, r.mtime, r.file))
        winner = group[-1]
        winner.status = ACCEPTED if winner.submission.valid else REJECTED
        for other in group[:-1]:
            other.status = SUPERSEDED
            other.replaced_by = winner.file
        if winner.status == ACCEPTED:
            due = plan.calendar.deadline(period)
            winner.on_time = winner.submission.submitted is not None and winner.submission.submitted <= due
    return records


def final_files(records: list[FileRecord]) -> dict[tuple[str, str], FileRecord]:
    """The file that stands for each (agency, period): the accepted one, else a rejected one
    (the agency sent something, with errors). Decided here once for every output."""
    final: dict[tuple[str, str], FileRecord] = {}
    for r in records:
        if r.status not in (ACCEPTED, REJECTED) or r.key is None:
            continue
        if r.key not in final or final[r.key].status != ACCEPTED:
            final[r.key] = r
    return final


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


# --- the one totalling path ------------------------------------------------------------------------

def long_table(accepted: list[FileRecord]) -> pd.DataFrame:
    """One row per number of the accepted files, sorted by agency, month and element."""
    import pandas as pd

    columns: dict[str, list[Any]] = {c: [] for c in LONG_COLUMNS}
    for record in accepted:
        sub = record.submission
        assert sub.period is not None
        months = period_months(sub.period)
        n = len(sub.values)
        columns["agency"] += [sub.agency] * n
        columns["month"] += [months[-1]] * n
        columns["first"] += [months[0]] * n
        columns["period"] += [sub.period] * n
        columns["file"] += [sub.file] * n
        columns["element"] += sub.values.keys()
        columns["option"] += [k.partition("[")[2].rstrip("]") for k in sub.values]
        columns["value"] += sub.values.values()
        for element in sub.values:
            sheet, cell = sub.cells[element]
            columns["sheet"].append(sheet)
            columns["cell"].append(cell)
    frame = pd.DataFrame(columns, columns=LONG_COLUMNS)
    frame["value"] = frame["value"].astype("int64")
    # Agencies and elements repeat thousands of times: as categories, every grouping by them
    # factorises once instead of once per groupby.
    for column in ("agency", "element"):
        frame[column] = frame[column].astype("category")
    return frame.sort_values(["agency", "month", "element"], kind="stable").reset_index(drop=True)


def rolled(long: pd.DataFrame, plan: Plan, by: str | None = None,
           elements: Iterable[str] | None = None, *, agencies: bool = True) -> tuple[Any, Any]:
    """Each agency's value of each element over a group of rows by the element's aggregation
    (``sum`` for flows; ``first``/``last`` for stocks, in period order), then the province's
    (summed over agencies). ``by``: a column to total within (``month``), else the whole table.

    Returns (agency totals, province totals): nested dicts, keyed by ``by`` first when given
    (the agency totals left empty when ``agencies`` is false: they cost most to convert)."""
    import pandas as pd

    frame = long if elements is None else long[long["element"].isin(list(elements))]
    keys = ([by] if by else []) + ["agency", "element"]
    if frame.empty:
        return {}, {}
    # The aggregation of each element, and of each part of its breakdown (the element's).
    codes = frame["element"].unique()
    how = {code: plan.aggregation_of(str(code)) for code in codes}
    frame = frame[list(dict.fromkeys(keys + ["first", "value"]))].assign(how=frame["element"].map(how))
    frame = frame.sort_values(keys + ["first"], kind="stable")
    parts = []
    for aggregation in ("sum", "first", "last"):
        subset = frame[frame["how"] == aggregation]
        if not subset.empty:
            parts.append(getattr(subset.groupby(keys, observed=True)["value"], aggregation)())
    per_agency = pd.concat(parts)
    province = per_agency.groupby(level=([by] if by else []) + ["element"], observed=True).sum()
    return (_nested(per_agency) if agencies else {}), _nested(province)


def _nested(series: Any) -> dict[Any, Any]:
    """A Series on a MultiIndex -> nested dicts of Python ints (a flat index -> one dict)."""
    out: dict[Any, Any] = {}
    for key, value in series.to_dict().items():
        if not isinstance(key, tuple):
            out[str(key)] = int(value)
            continue
        node = out
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = int(value)
    return out


def rolled_by_month(long: pd.DataFrame, plan: Plan) -> tuple[dict[str, dict[str, int]],
                                                            dict[str, dict[str, dict[str, int]]]]:
    """Month -> province totals, and month -> agency -> totals of the elements coverage
    indicators look at, from the monthly reports (a quarterly report belongs to no one month)."""
    monthly = long[long["first"] == long["month"]]
    _, province = rolled(monthly, plan, by="month", agencies=False)
    wanted = {name for ind in plan.indicators if ind.kind == "coverage" and ind.condition
              for name in ind.condition.names}
    agencies, _ = rolled(monthly, plan, by="month", elements=wanted) if wanted else ({}, {})
    return province, agencies


def span_totals(long: pd.DataFrame, plan: Plan) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per agency over the span by each element's aggregation, then summed over agencies."""
    return rolled(long, plan)


# --- completeness ---------------------------------------------------------------------------------------

def _completeness(plan: Plan, span: Span, records: list[FileRecord],
                  final: dict[tuple[str, str], FileRecord] | None = None) -> Completeness:
    expected = plan.expected(span)
    final = final_files(records) if final is None else final
    received = on_time = 0
    missing, rejected_only = [], set()
    for pair in expected:
        record = final.get(pair)
        if record is not None and record.status == ACCEPTED:
            received += 1
            on_time += bool(record.on_time)
        else:
            missing.append(pair)
            if record is not None:
                rejected_only.add(pair)
    cut = sorted({r.key for r in records if r.cut and r.key}, key=lambda k: (k[1], k[0]))
    return Completeness(len(expected), received, on_time, received - on_time, missing, rejected_only,
                        plan.not_due(span), cut)


def _province_rules(plan: Plan, totals: dict[str, int]) -> list[Issue]:
    issues = []
    full = plan.with_selections({**totals, **{e.code: totals.get(e.code, 0) for e in plan.elements}}, 0)
    for rule in plan.rules:
        if rule.scope != "province" or evaluate(rule.expression, full) is not False:
            continue
        detail = ", ".join(f"{n} = {full[n]}" for n in rule.expression.names)
        issues.append(make_issue(
            "province-rule", "", element=rule.expression.names[0], severity="warning",
            detail=f"{rule.code}: {detail}", vi={"message": rule.message_vi},
            en={"message": rule.message_en}))
    return issues


def no_data_count(result: AggregateResult) -> int:
    return sum(i.status == NO_DATA for i in result.indicators)


def is_month(period: str) -> bool:
    return period_kind(period) == "month"
