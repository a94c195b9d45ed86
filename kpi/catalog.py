"""The plans kpi knows, and which one is in force for a period.

Plans follow one another: Kon Tum's Plan 1583 ran to June 2025, when Kon Tum merged into Quảng
Ngãi; the Quảng Ngãi plan runs from July 2025. Each plan file states its coverage; kpi picks the
one whose coverage holds the period asked, and names it in every output. A span that crosses two
plans is refused with both named: the same indicator may be computed from different units and
targets on each side, so one figure over both would mean neither.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .errors import KpiError
from .periods import Span, month_code
from .plan import Plan, PlanError, load_plan

BUNDLED = Path(__file__).parent / "plans"


def _month(code: str) -> str:
    year, _, mm = code.partition("-")
    return f"{mm}/{year}"


class NoPlanForPeriod(KpiError, ValueError):
    def __init__(self, period: str, plans: list[Plan]) -> None:
        listed = ", ".join(f"{p.label} ({_month(p.coverage_start)} – {_month(p.coverage_end)})"
                           for p in plans)
        super().__init__(f"Không có kế hoạch nào áp dụng cho kỳ {period}; các kế hoạch: {listed}",
                         f"No plan covers period {period}; the plans: {listed}")


class PlanCrossing(KpiError, ValueError):
    """A span that crosses from one plan into the next."""

    def __init__(self, span: Span, parts: list[tuple[Plan, str, str]]) -> None:
        self.parts = parts
        # Only what works when typed: each part as a --period inside its plan (a plan file given
        # with --plan would still not cover the whole span, so it is not offered).
        pieces_vi = "; ".join(f"{p.label} từ {_month(a)} đến {_month(b)} (--period {part_code(a, b)})"
                              for p, a, b in parts)
        pieces_en = "; ".join(f"{p.label} from {_month(a)} to {_month(b)} (--period {part_code(a, b)})"
                              for p, a, b in parts)
        super().__init__(
            f"Kỳ {span.code} nằm trên hai kế hoạch: {pieces_vi}. Hãy tổng hợp từng phần",
            f"Period {span.code} crosses two plans: {pieces_en}. Roll up each part")


def part_code(first: str, last: str) -> str:
    """The shortest --period for the months first..last: a month, a quarter, a half year, a
    year, else the range."""
    from .periods import parse_span

    for year in range(int(first[:4]), int(last[:4]) + 1):
        for code in (str(year), *(f"{year}-H{h}" for h in (1, 2)), *(f"{year}-Q{q}" for q in range(1, 5))):
            months = parse_span(code).months
            if months[0] == first and months[-1] == last:
                return code
    return first if first == last else f"{first}..{last}"


def bundled_plans() -> list[Plan]:
    """Every plan shipped with kpi, in coverage order."""
    return load_plans(BUNDLED)


def load_plans(folder: Path | str) -> list[Plan]:
    """Every plan file (``*.toml``) in ``folder``, in coverage order; a plan with mistakes
    raises PlanError naming it."""
    plans = [load_plan(p) for p in sorted(Path(folder).glob("*.toml"))]
    if not plans:
        raise PlanError(folder, [])
    _one_file_per_id(folder, plans)
    return sorted(plans, key=lambda p: (p.coverage_start, p.id))


def _one_file_per_id(folder: Path | str, plans: list[Plan]) -> None:
    """Two files of one folder with the same plan id (an edited copy beside the original) are
    refused with both named: which one counts is for the analyst to say, by removing the other."""
    from .plan import Problem

    files: dict[str, list[str]] = {}
    for p in plans:
        files.setdefault(p.id, []).append(Path(p.path).name if p.path else "?")
    problems = [Problem("", f"plan {pid} is in {len(names)} files: {', '.join(names)}; keep one "
                        "of them in the folder (move the others out)",
                        f"kế hoạch {pid} có trong {len(names)} tệp: {', '.join(names)}; chỉ để lại "
                        "một tệp trong thư mục (chuyển các tệp kia ra ngoài)")
                for pid, names in files.items() if len(names) > 1]
    if problems:
        raise PlanError(folder, problems)


def plan_for(plans: list[Plan], span: Span) -> Plan:
    """The plan in force over ``span``. Raises PlanCrossing when the span crosses plans (with
    the part each covers), NoPlanForPeriod when none covers it."""
    covering = [p for p in plans if p.coverage_start <= span.last and span.first <= p.coverage_end]
    whole = [p for p in covering if p.coverage_start <= span.first and span.last <= p.coverage_end]
    if whole:
        return whole[-1]  # the latest when two overlap: it replaced the earlier one
    if len(covering) > 1:
        parts = [(p, max(p.coverage_start, span.first), min(p.coverage_end, span.last))
                 for p in covering]
        raise PlanCrossing(span, parts)
    if covering:  # reaches past the one plan it touches: the caller names its coverage
        return covering[0]
    raise NoPlanForPeriod(span.code, plans)


def plan_for_month(plans: list[Plan], month: str) -> Plan | None:
    """The plan in force in ``month``, or None."""
    covering = [p for p in plans if p.in_coverage(month)]
    return covering[-1] if covering else None


def current_plan(plans: list[Plan], today: date | None = None) -> Plan:
    """The plan in force today, else the latest one (a plan ended, the next not yet loaded)."""
    today = today or date.today()
    return plan_for_month(plans, month_code(today.year, today.month)) or plans[-1]
