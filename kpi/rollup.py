"""The one entry point of a roll-up: paths, period, plan -> the result.

The command line, the tests and notebooks all call :func:`roll_up`::

    from kpi import roll_up
    result = roll_up(["examples/quangngai-2026-08"], "2026-08")
    print(result.plan.label, {i.code: i.status for i in result.indicators})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from .aggregate import AggregateResult, aggregate, check_span, default_month
from .catalog import bundled_plans, plan_for
from .collect import collect_files, read_all
from .errors import NoSpreadsheet, PathNotFound
from .periods import Span, parse_span
from .plan import Plan, load_plan


def roll_up(paths: Iterable[Path | str], period: Span | str | None = None,
            plan: Plan | Path | str | None = None, *,
            plans: Sequence[Plan] | None = None,
            progress: Callable[[int], None] | None = None,
            on_found: Callable[[int], None] | None = None,
            now: datetime | None = None) -> AggregateResult:
    """Roll the submissions under ``paths`` (files or folders, searched recursively) up over
    ``period`` (``2025-10``, ``2025-Q3``, ``2025-H1``, ``2025``, ``2025-01..2025-06``, or as a
    Vietnamese user types it: ``Q3/2025``; default: the latest month found).

    The plan: ``plan`` (a Plan or a plan file) when given; else the one in force for the period
    among ``plans`` (default: the plans bundled with kpi). Each file is checked against the plan
    in force for the period it states.

    Raises :class:`kpi.errors.PathNotFound` for a path that does not exist,
    :class:`kpi.periods.PeriodError` for a period that cannot be read,
    :class:`kpi.errors.PeriodOutsidePlan` for one outside the plan, :class:`kpi.catalog.
    PlanCrossing` for a span that crosses two plans, :class:`kpi.errors.NoSpreadsheet` when the
    paths hold no spreadsheet at all, :class:`kpi.errors.NoPeriod` when none is given and no
    submission states one. ``progress(n)`` is told of every n files read;
    ``on_found(total)`` of how many there are, before reading starts. ``now``: the moment of
    the roll-up (default: the machine's clock); a date sent after its day is not believed."""
    fixed = plan if isinstance(plan, Plan) else load_plan(plan) if plan is not None else None
    known: list[Plan] = [fixed] if fixed else list(plans or bundled_plans())
    span = parse_span(period) if isinstance(period, str) else period
    chosen = None
    if span is not None:
        chosen = fixed or plan_for(known, span)
        check_span(chosen, span)  # before reading: a refused period costs nothing
    paths = list(paths)
    files, skipped, missing = collect_files(paths)
    if missing:
        raise PathNotFound(missing)
    if not files:
        raise NoSpreadsheet([str(p) for p in paths], skipped)
    if on_found is not None:
        on_found(len(files))
    subs = read_all(files, fixed or known, progress, today=now.date() if now else None)
    decisions = []
    if span is None:
        from .catalog import plan_for_month

        def calendar_for(month: str):
            return (fixed or plan_for_month(known, month) or known[0]).calendar

        month, decided = default_month([s for s in subs if not s.output], calendar_for,
                                       (now or datetime.now()).date())
        decisions.append(decided)
        span = parse_span(month)
        chosen = fixed or plan_for(known, span)
    assert chosen is not None
    # Each value against the unit's own earlier months (kpi/history.py): warnings only.
    from .history import attach

    history = attach(subs, known, span.months)
    result = aggregate(subs, chosen, span, skipped, now=now, plans=known, decisions=decisions)
    result.history = history
    return result
