"""Year-to-date and the same period last year: the two readings every Vietnamese report gives
beside a period's figures ("lũy kế từ đầu năm", "so với cùng kỳ năm trước").

Both are roll-ups of the same files over another span, through the one totalling path: the
year to date runs from the first month of the year (or of the plan, when it began later) to the
period's last month; last year's span is the period a year earlier, under the plan in force
then. A comparison without accepted files has no figures: it says so, and is never 0.
Across a change of plan, indicators are compared by code, and the comparison names the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .periods import Span, add_months, month_code, month_range, parse_span, period_months

if TYPE_CHECKING:
    from .aggregate import AggregateResult
    from .indicators import IndicatorResult
    from .plan import Plan

YTD, LAST_YEAR = "ytd", "last_year"


@dataclass
class Comparison:
    """One reading beside the period: its span, the plan it was read under and the result;
    ``result`` None when there is nothing to compare with (``reason``: "no-plan", a span no
    plan covers or that crosses two; "no-data", no accepted file in it)."""

    kind: str
    span: Span | None
    plan: Plan | None = None
    result: AggregateResult | None = None
    reason: str | None = None
    clipped: bool = False  # the year to date starts with the plan, not with January
    by_code: dict[str, IndicatorResult] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.result is not None

    @property
    def other_plan(self) -> bool:
        """Read under another plan than the period's: compared by indicator code."""
        return self.result is not None and self.plan is not None and self.result.plan is not self.plan

    def indicator(self, code: str) -> IndicatorResult | None:
        """The indicator of that code in this reading; None without data or without it."""
        found = self.by_code.get(code)
        if found is None or found.status == "no_data":
            return None
        return found


def year_to_date_span(span: Span, plan: Plan, first_data: str | None = None) -> tuple[Span, bool]:
    """January (or the plan's first month, or the first month with an accepted report, when
    later: months the folder holds nothing for are not counted as months nobody reported) to
    the period's last month; with whether it starts after January."""
    start = month_code(span.year, 1)
    later = max(m for m in (plan.coverage_start, first_data or "", start))
    clipped = later > start
    if clipped:
        start = min(later, span.first)
    if start == span.last:
        return parse_span(start), clipped
    if start == month_code(span.year, 1) and span.last == month_code(span.year, 12):
        return parse_span(str(span.year)), clipped
    return Span(f"{start}..{span.last}", tuple(month_range(start, span.last))), clipped


def year_before(span: Span) -> Span:
    """The same period a year earlier: 2025-Q3 -> 2024-Q3, 2025-08 -> 2024-08."""
    if span.kind == "range":
        first, last = add_months(span.first, -12), add_months(span.last, -12)
        return Span(f"{first}..{last}", tuple(month_range(first, last)))
    return parse_span(f"{int(span.code[:4]) - 1}{span.code[4:]}")


def compare(result: AggregateResult, kind: str) -> Comparison:
    """The year to date (``YTD``) or the same period last year (``LAST_YEAR``) of ``result``,
    rolled up from the same files."""
    from .aggregate import aggregate, check_span
    from .catalog import PlanCrossing, plan_for
    from .errors import KpiError

    plans = result.plans or [result.plan]
    clipped = False
    if kind == YTD:
        span, clipped = year_to_date_span(result.span, result.plan, first_with_data(result))
        plan: Plan | None = result.plan
    else:
        span = year_before(result.span)
        try:
            plan = plan_for(plans, span)
            check_span(plan, span)
        except (PlanCrossing, KpiError, ValueError):
            return Comparison(kind, span, reason="no-plan")
    assert plan is not None
    subs = [r.submission for r in result.files]
    if not any(s.valid and s.period and span.contains(period_months(s.period)) for s in subs):
        return Comparison(kind, span, plan, reason="no-data", clipped=clipped)  # cheap: no roll-up
    if kind == YTD and span == result.span:
        other = result
    else:
        # A stock is read at the same month as in the period column: one date, one value.
        other = aggregate(subs, plan, span, [], now=result.generated_at, plans=plans,
                          stocks_at=result.stocks_at if kind == YTD else None, judge=False)
    if other.completeness.received == 0:
        return Comparison(kind, span, plan, reason="no-data", clipped=clipped)
    return Comparison(kind, span, result.plan, other, clipped=clipped,
                      by_code={i.code: i for i in other.indicators})


def judge_on_year(result: AggregateResult) -> None:
    """An indicator the plan judges on the year (``judged_on = "year"``) takes the status of
    its year to date; its value stays the period's own (information: a month's rate can pass
    100 % with cases of earlier months solved). A period that is its own year to date, or a
    year to date without a figure, leaves the period's status as it is."""
    from dataclasses import replace

    ytd = result.year_to_date
    if (not ytd.available or ytd.result is result or ytd.span is None
            or ytd.span.months == result.span.months):
        return
    judged = []
    for ind in result.indicators:
        so_far = ytd.by_code.get(ind.code)
        if (ind.judged_on == "year" and so_far is not None and so_far.value is not None
                and so_far.status in ("met", "not_met") and ind.status != "no_data"):
            ind = replace(ind, status=so_far.status, judged_value=so_far.value,
                          judged_span=ytd.span.code)
        judged.append(ind)
    result.indicators = judged


def ytd_series(result: AggregateResult) -> dict[str, AggregateResult]:
    """For each month of the span, the year to date up to it (the series a monthly sheet
    plots: rates over everything so far, not a month's own, which swing with a case closed
    this month that was opened earlier)."""
    from .aggregate import aggregate

    subs = [r.submission for r in result.files]
    series = {}
    first = first_with_data(result)
    # The period's own year to date, when compare() rolled it up with the very arguments used
    # here, is not rolled up a second time (the last month of the span reads it).
    ytd = result.year_to_date
    for month in result.span.months:
        span, _ = year_to_date_span(parse_span(month), result.plan, first)
        if (ytd.result is not None and ytd.result is not result and ytd.span == span
                and ytd.result.plan is result.plan and result.plans):
            series[month] = ytd.result
            continue
        series[month] = aggregate(subs, result.plan, span, [], now=result.generated_at,
                                  plans=result.plans, stocks_at=month, judge=False)
    return series


def first_with_data(result: AggregateResult) -> str | None:
    """The first month of the span's year that a valid report covers."""
    year = str(result.span.year)
    months = [m for r in result.files if r.submission.valid and r.submission.period
              for m in period_months(r.submission.period) if m[:4] == year]
    return min(months) if months else None


def comparisons_json(result: AggregateResult, data: dict[str, Any]) -> None:
    """Add the two readings to a roll-up's JSON: each indicator gains ``year_to_date`` and
    ``same_period_last_year`` (its figures there, or null without data) and ``change``; the
    document gains ``comparisons`` (the spans, plans, months with data, or why none)."""
    readings = {"year_to_date": result.year_to_date, "same_period_last_year": result.last_year}
    summary: dict[str, Any] = {}
    for key, comp in readings.items():
        entry: dict[str, Any] = {"span": comp.span.code if comp.span else None,
                                 "available": comp.available}
        if comp.result is not None:
            entry["plan"] = comp.result.plan.id
            entry["months_with_data"] = len(comp.result.months_with_data)
            entry["months"] = len(comp.result.span.months)
            entry["received"] = comp.result.completeness.received
            entry["expected"] = comp.result.completeness.expected
        else:
            entry["reason"] = comp.reason
        summary[key] = entry
    data["comparisons"] = summary
    for ind, out in zip(result.indicators, data["indicators"], strict=True):
        for key, comp in readings.items():
            other = comp.by_code.get(ind.code) if comp.available else None
            if other is None:
                out[key] = None
                continue
            out[key] = {"numerator": other.numerator, "denominator": other.denominator,
                        "value": other.value, "status": other.status}
            if key == "year_to_date":
                # A stock has no "lũy kế": its year to date is its value at the end ("cuối kỳ").
                out[key]["reading"] = "end_of_period" if ind.stock else "cumulative"
            if other.expected is not None:  # the reports the figure rests on (received < expected)
                out[key]["reports"] = {"received": other.received, "expected": other.expected}
        out["change"] = change(ind, result.last_year.indicator(ind.code)
                               if result.last_year.available else None)


def change(current: IndicatorResult, previous: IndicatorResult | None) -> float | None:
    """This period's value less last year's: percentage points for a rate, a count's
    difference for a count; None when either has no value."""
    if previous is None or current.value is None or previous.value is None:
        return None
    return float(current.value) - float(previous.value)


def months_label(result: AggregateResult) -> tuple[int, int]:
    """(months with data, months in the span)."""
    return len(result.months_with_data), len(result.span.months)


__all__ = ["LAST_YEAR", "YTD", "Comparison", "add_months", "change", "compare", "months_label",
           "year_before", "year_to_date_span", "ytd_series"]
