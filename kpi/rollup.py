"""The one entry point of a roll-up: paths, period, plan -> the result.

The command line, the tests and notebooks all call :func:`roll_up`::

    from kpi import roll_up
    result = roll_up(["examples/2025-Q3"], "2025-Q3")
    print({i.code: i.status for i in result.indicators})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from .aggregate import AggregateResult, aggregate, check_span
from .collect import collect_files, read_all
from .errors import PathNotFound
from .periods import Span, parse_span
from .plan import Plan, load_plan


def roll_up(paths: Iterable[Path | str], period: Span | str | None = None,
            plan: Plan | Path | str | None = None, *,
            progress: Callable[[int], None] | None = None,
            on_found: Callable[[int], None] | None = None,
            now: datetime | None = None) -> AggregateResult:
    """Roll the submissions under ``paths`` (files or folders, searched recursively) up over
    ``period`` (``2025-10``, ``2025-Q3``, ``2025-H1``, ``2025``, ``2025-01..2025-06``; default:
    the latest month found) under ``plan`` (a Plan, a plan file, or the bundled plan).

    Raises :class:`kpi.errors.PathNotFound` for a path that does not exist,
    :class:`kpi.periods.PeriodError` for a period that cannot be read,
    :class:`kpi.errors.PeriodOutsidePlan` for one outside the plan, :class:`kpi.errors.NoPeriod`
    when none is given and no submission states one. ``progress(n)`` is told of every n files
    read; ``on_found(total)`` of how many there are, before reading starts."""
    if not isinstance(plan, Plan):
        plan = load_plan(plan)
    span = parse_span(period) if isinstance(period, str) else period
    if span is not None:
        check_span(plan, span)  # before reading: a refused period costs nothing
    files, skipped, missing = collect_files(paths)
    if missing:
        raise PathNotFound(missing)
    if on_found is not None:
        on_found(len(files))
    subs = read_all(files, plan, progress)
    return aggregate(subs, plan, span, skipped, now=now)
