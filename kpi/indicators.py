"""Indicators against targets, from totals over a span.

An indicator over a span is the ratio of the sums, never a mean of ratios; a zero denominator
means no case arose (``no_data``), not 0 % and not a failure. Comparisons use exact fractions so
that 9/10 is exactly 90 % and "above 90 %" is not met by rounding noise. The target in force is
the milestone of the year the span ends in (see :meth:`kpi.plan.Indicator.target_for`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .expr import COMPARATORS, evaluate
from .periods import RHYTHMS, Span, period_kind, period_with_day, split_month
from .plan import Indicator, Plan


class Status(StrEnum):
    """Where an indicator stands against its target over a span."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"  # the denominator is 0: no case arose
    TRACKED = "tracked"  # the plan sets no number


MET, NOT_MET, NO_DATA, TRACKED = Status.MET, Status.NOT_MET, Status.NO_DATA, Status.TRACKED


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name_vi: str
    name_en: str
    kind: str
    numerator: float | None
    denominator: float | None
    value: float | None
    target: float | None
    comparator: str | None
    unit: str
    status: str
    source: str
    unit_en: str = ""
    target_year: int | None = None  # the milestone that applied, when the plan sets them by year
    provisional: bool = False  # the target is carried forward until the province sets its own
    basis_vi: str = ""
    basis_en: str = ""
    event_day: date | None = None  # the day a coverage indicator is about, when in the span
    not_counted: tuple[str, ...] = field(default=())  # units of the form not expected (inactive)
    # Why a no_data indicator has no figure: "no-reports" (none of the units whose forms feed it
    # sent an accepted report), "none-arose" (reports came, the denominator is 0), "not-in-span"
    # (a coverage indicator whose event day is not in the span). None for other statuses.
    no_data_reason: str | None = None
    received: int | None = None  # accepted reports of the units whose forms feed the indicator
    expected: int | None = None  # ... and the reports they owe in the span
    judged_on: str = "period"  # "year": the status is the year to date's (the plan says so)
    judged_value: float | None = None  # the year-to-date value the status was judged on
    judged_span: str | None = None  # ... and its span ("2025-01..2025-06")
    stock: bool = False  # a count of what exists at a date (`last`): its year to date is "cuối kỳ"

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def unit_for(self, lang: str) -> str:
        return self.unit_en or self.unit if lang == "en" else self.unit

    def basis(self, lang: str) -> str:
        return self.basis_en if lang == "en" and self.basis_en else self.basis_vi

    def to_dict(self, lang: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code, "name": self.name(lang), "kind": self.kind,
            "numerator": self.numerator, "denominator": self.denominator, "value": self.value,
            "target": self.target, "comparator": self.comparator, "unit": self.unit_for(lang),
            "status": self.status, "source": self.source,
        }
        if self.target_year is not None:
            data["target_year"] = self.target_year
        if self.provisional:
            data["provisional"] = True
            data["basis"] = self.basis(lang)
        if self.event_day is not None:
            data["event_day"] = self.event_day.isoformat()
        if self.not_counted:
            data["not_counted"] = list(self.not_counted)
        if self.no_data_reason is not None:
            data["no_data_reason"] = self.no_data_reason
        if self.expected is not None:
            data["reports"] = {"received": self.received, "expected": self.expected}
        data["judged_on"] = self.judged_on
        if self.judged_value is not None:
            data["judged_value"] = self.judged_value
            data["judged_span"] = self.judged_span
        if self.stock:
            data["stock"] = True
        return data


def _exact(x: float | int) -> Fraction:
    return Fraction(x) if isinstance(x, int) else Fraction(str(x))


def _result(ind: Indicator, span: Span, num: float | None, den: float | None, *,
            event_day: date | None = None, not_counted: tuple[str, ...] = (),
            reports: tuple[int, int] | None = None, reason: str | None = None,
            stock: bool = False) -> IndicatorResult:
    target, target_year = ind.target_for(span.year)
    value: float | None = None
    status = TRACKED if ind.tracked else NO_DATA
    exact: Fraction | None = None
    received, expected = reports if reports is not None else (None, None)
    if received == 0 and expected:
        # No unit whose forms feed it sent an accepted report: no data, never 0 % nor "no case
        # arose" (blank is not zero).
        exact, status, reason = None, NO_DATA, "no-reports"
    elif num is not None and ind.kind == "ratio" and ind.denominator is None:
        exact = _exact(num) * _exact(ind.factor)
    elif num is not None and den:
        exact = _exact(num) / _exact(den) * _exact(ind.factor)
    if exact is None and ind.tracked and ind.denominator is None:
        status = NO_DATA  # nobody reported these elements: blank is not zero
        reason = reason or "no-reports"
    if exact is None and status == NO_DATA:
        reason = reason or "none-arose"
    if exact is not None:
        value = float(exact)
        if not ind.tracked:
            assert ind.comparator is not None and target is not None
            met = COMPARATORS[ind.comparator](exact, _exact(target))  # type: ignore[arg-type]
            status = MET if met else NOT_MET
    return IndicatorResult(
        code=ind.code, name_vi=ind.name_vi, name_en=ind.name_en, kind=ind.kind,
        numerator=num, denominator=den, value=value, target=target,
        comparator=ind.comparator, unit=ind.unit, status=status, source=ind.source,
        unit_en=ind.unit_en, target_year=target_year,
        provisional=ind.provisional_in(span.year) and not ind.tracked,
        basis_vi=ind.basis_vi, basis_en=ind.basis_en, event_day=event_day,
        not_counted=not_counted, no_data_reason=reason if status == NO_DATA else None,
        received=received, expected=expected, judged_on=ind.judged_on, stock=stock)


def evaluate_indicators(
    plan: Plan,
    span: Span | tuple[str, ...],
    totals: Mapping[str, int],
    agency_totals: Mapping[str, Mapping[str, int]],
    on_time: int,
    expected: int,
    reports: tuple[Sequence[tuple[str, str]], Collection[tuple[str, str]]] | None = None,
) -> list[IndicatorResult]:
    """Every indicator of the plan over ``span``.

    ``totals``: element -> province total over the span; ``agency_totals``: agency -> element ->
    total over the span (accepted submissions only); ``on_time``/``expected``: submissions;
    ``reports``: the (agency, period) pairs expected in the span and those with an accepted
    report, from which each indicator knows on how many of its units' reports it rests.
    """
    if not isinstance(span, Span):  # older callers pass the months
        months = tuple(span)
        span = Span(months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}", months)
    full = plan.with_selections({**totals, **{e.code: totals.get(e.code, 0) for e in plan.elements}}, 0)
    results = []
    for ind in plan.indicators:
        counted = _reports_of(plan, ind, reports) if reports is not None else None
        num: float | None
        den: float | None
        if ind.kind == "ratio":
            assert ind.numerator is not None
            reported = any(name in totals or name.partition("[")[0] in totals
                           for name in ind.numerator.names)
            if ind.denominator is None and not reported:
                num = None  # a tracked count nobody reported
            else:
                num = _number(evaluate(ind.numerator, full))
            den = _number(evaluate(ind.denominator, full)) if ind.denominator else None
            results.append(_result(ind, span, num, den, reports=counted,
                                   stock=is_stock(plan, ind)))
        elif ind.kind == "coverage":
            results.append(_coverage(plan, ind, span, agency_totals, counted))
        else:  # timeliness
            results.append(_result(ind, span, on_time, expected, reports=counted))
    return results


def is_stock(plan: Plan, ind: Indicator) -> bool:
    """A count of what exists at a date (people at risk being followed, models in operation):
    a ratio without denominator whose elements are all read at the span's end (`last`)."""
    if ind.kind != "ratio" or ind.denominator is not None or ind.numerator is None:
        return False
    elements = [plan.element_by_code.get(n.partition("[")[0]) for n in ind.numerator.names]
    return bool(elements) and all(e is not None and e.aggregation == "last" for e in elements)


def forms_of(plan: Plan, ind: Indicator) -> set[str] | None:
    """The forms whose elements an indicator reads; None: every form (timeliness)."""
    if ind.kind == "timeliness":
        return None
    if ind.kind == "coverage":
        return {ind.form} if ind.form else set()
    names = [n.partition("[")[0] for e in (ind.numerator, ind.denominator) if e for n in e.names]
    return {plan.element_by_code[n].form for n in names if n in plan.element_by_code}


def _reports_of(plan: Plan, ind: Indicator,
                reports: tuple[Sequence[tuple[str, str]], Collection[tuple[str, str]]]
                ) -> tuple[int, int]:
    """(received, expected): the reports owed in the span by the units whose forms feed ``ind``
    (a report of a rhythm counts when it holds one of those forms), and how many were accepted."""
    forms = forms_of(plan, ind)
    pairs, accepted = reports
    received = expected = 0
    for code, period in pairs:
        if forms is not None:
            agency = plan.agency_by_code.get(code)
            if agency is None:
                continue
            kind = period_kind(period)
            if not any(f in forms and RHYTHMS[agency.rhythm_of(f)] == kind for f in agency.forms):
                continue
        expected += 1
        received += (code, period) in accepted
    return received, expected


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return value  # type: ignore[return-value]


def _coverage(plan: Plan, ind: Indicator, span: Span,
              agency_totals: Mapping[str, Mapping[str, int]],
              reports: tuple[int, int] | None = None) -> IndicatorResult:
    """Share of the units reporting ``ind.form`` whose totals over the span meet the condition.

    Who is expected: the units reporting the form that are active in a month the indicator is
    about: the month whose window holds the event day (30 July: 2025-08 with the 14th cut-off),
    or the months of ``months``, or any month of the span. A unit of the form that is not active
    then (closed, or not yet open) is not expected, and is listed in ``not_counted``. A span
    that holds no such month is ``no_data``."""
    event_day = None
    if ind.event is not None:
        relevant = []
        for year in range(int(span.first[:4]) - 1, int(span.last[:4]) + 1):
            try:
                day = date(year, *ind.event)
            except ValueError:  # 29 February of a common year
                continue
            month = period_with_day(day, plan.calendar)
            if month in span.months:
                relevant.append(month)
                event_day = day
    elif ind.months:
        relevant = [m for m in span.months if split_month(m)[1] in ind.months]
    else:
        relevant = list(span.months)
    if not relevant:
        return _result(ind, span, None, 0, reason="not-in-span")
    of_form = [a for a in plan.agencies if ind.form in a.forms]
    expected = [a for a in of_form if any(a.active_in(m) for m in relevant)]
    expected_codes = {a.code for a in expected}
    not_counted = tuple(a.code for a in of_form if a.code not in expected_codes)
    assert ind.condition is not None
    meeting = 0
    for agency in expected:
        own = agency_totals.get(agency.code, {})
        values = plan.with_selections(
            {**own, **{e.code: own.get(e.code, 0) for e in plan.elements_of(ind.form or "")}}, 0)
        if agency.code in agency_totals and evaluate(ind.condition, values) is True:
            meeting += 1
    return _result(ind, span, meeting, len(expected), event_day=event_day, not_counted=not_counted,
                   reports=reports)
