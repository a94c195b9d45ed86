"""Indicators against targets, from totals over a span.

An indicator over a span is the ratio of the sums, never a mean of ratios; a zero denominator
means no case arose (``no_data``), not 0 % and not a failure. Comparisons use exact fractions so
that 9/10 is exactly 90 % and "above 90 %" is not met by rounding noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .expr import COMPARATORS, evaluate
from .periods import split_month
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

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def unit_for(self, lang: str) -> str:
        return self.unit_en or self.unit if lang == "en" else self.unit

    def to_dict(self, lang: str) -> dict[str, Any]:
        data = asdict(self)
        data.pop("name_vi")
        data.pop("name_en")
        data.pop("unit_en")
        data["unit"] = self.unit_for(lang)
        return {"code": self.code, "name": self.name(lang), **{k: v for k, v in data.items()
                                                                if k != "code"}}


def _exact(x: float | int) -> Fraction:
    return Fraction(x) if isinstance(x, int) else Fraction(str(x))


def _result(ind: Indicator, num: float | None, den: float | None) -> IndicatorResult:
    value: float | None = None
    status = TRACKED if ind.tracked else NO_DATA
    exact: Fraction | None = None
    if num is not None and ind.kind == "ratio" and ind.denominator is None:
        exact = _exact(num) * _exact(ind.factor)
    elif num is not None and den:
        exact = _exact(num) / _exact(den) * _exact(ind.factor)
    if exact is None and ind.tracked and ind.denominator is None:
        status = NO_DATA  # nobody reported these elements: blank is not zero
    if exact is not None:
        value = float(exact)
        if not ind.tracked:
            assert ind.comparator is not None and ind.target is not None
            status = MET if COMPARATORS[ind.comparator](exact, _exact(ind.target)) else NOT_MET
    return IndicatorResult(
        code=ind.code, name_vi=ind.name_vi, name_en=ind.name_en, kind=ind.kind,
        numerator=num, denominator=den, value=value, target=ind.target,
        comparator=ind.comparator, unit=ind.unit, status=status, source=ind.source,
        unit_en=ind.unit_en,
    )


def evaluate_indicators(
    plan: Plan,
    months: tuple[str, ...],
    totals: Mapping[str, int],
    agency_totals: Mapping[str, Mapping[str, int]],
    on_time: int,
    expected: int,
) -> list[IndicatorResult]:
    """Every indicator of the plan over ``months``.

    ``totals``: element -> province total over the span; ``agency_totals``: agency -> element ->
    total over the span (accepted submissions only); ``on_time``/``expected``: submissions.
    """
    full = {e.code: totals.get(e.code, 0) for e in plan.elements}
    results = []
    for ind in plan.indicators:
        num: float | None
        den: float | None
        if ind.kind == "ratio":
            assert ind.numerator is not None
            reported = any(name in totals for name in ind.numerator.names)
            if ind.denominator is None and not reported:
                num = None  # a tracked count nobody reported
            else:
                num = _number(evaluate(ind.numerator, full))
            den = _number(evaluate(ind.denominator, full)) if ind.denominator else None
        elif ind.kind == "coverage":
            num, den = _coverage(plan, ind, months, agency_totals)
        else:  # timeliness
            num, den = on_time, expected
        results.append(_result(ind, num, den))
    return results


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return value  # type: ignore[return-value]


def _coverage(plan: Plan, ind: Indicator, months: tuple[str, ...],
              agency_totals: Mapping[str, Mapping[str, int]]) -> tuple[int | None, int | None]:
    if ind.months and not any(split_month(m)[1] in ind.months for m in months):
        return None, 0  # the span holds none of the months this indicator is about
    relevant = [m for m in months if not ind.months or split_month(m)[1] in ind.months]
    expected = [a for a in plan.agencies
                if ind.form in a.forms and any(a.active_in(m) for m in relevant)]
    assert ind.condition is not None
    meeting = 0
    for agency in expected:
        values = {e.code: agency_totals.get(agency.code, {}).get(e.code, 0)
                  for e in plan.elements_of(ind.form or "")}
        if agency.code in agency_totals and evaluate(ind.condition, values) is True:
            meeting += 1
    return meeting, len(expected)
