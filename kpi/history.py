"""Each unit against its own past: values far outside the unit's usual range (issue 23).

A rule compares cells of one file; a clerk's commonest typing error (an extra zero, three extra
zeros, a phone number in the wrong cell, the year's running total typed as the month's) passes
every rule. Here each value of a monthly report is compared with the same unit's values in its
accepted monthly reports of the 12 months before. Counts of a commune are small (0-300), so the
method is a ratio to the unit's median with an absolute floor, not a z-score:

* a flow (``sum``) is unusual when ``value >= factor x max(median, 1)`` and
  ``value - median >= floor``;
* a flow is "the year's running total" when the earlier months of the same year are all in the
  history (at least two of them), their sum ``C >= floor``, the value is above every value of
  the history and ``C <= value <= C + 2 x max``: the clerk typed year to date (this month's
  figure, up to twice the largest earlier one, included or not);
* a stock (``first``/``last``) is unusual when it differs from both last month's value and the
  median by at least ``floor`` and by a factor of ``factor`` (up or down).

``factor`` is 5 and ``floor`` 50 unless the element says otherwise in the plan
(``history_factor``, ``history_floor``). At least :data:`MIN_REPORTS` earlier reports are needed:
with fewer, nothing is flagged and the report is listed as having too little history.

A flag is a warning (``unusual-value``): it changes no number and the file still counts.
Everything here is pure: submissions and plans in, issues out.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .issues import Issue, make_issue
from .periods import add_months, period_kind
from .plan import Element, Plan
from .present import fmt_number
from .validate import Submission

CODE = "unusual-value"
MIN_REPORTS = 3  # earlier accepted reports needed before a value is judged against them
WINDOW = 12  # months of history looked at
FACTOR = 5.0  # default ratio to the usual value
FLOOR = 50  # default absolute difference below which nothing is unusual
_MONTH = re.compile(r"\d{4}-\d{2}")


@dataclass
class HistoryCheck:
    """What the history check did for a set of submissions."""

    checked: int = 0  # reports judged against their history
    values: int = 0  # values compared
    flagged: list[Issue] = field(default_factory=list)
    too_little: list[tuple[str, str]] = field(default_factory=list)  # (agency, month)
    source: str | None = None  # where the history was read from (validate)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "min_reports": MIN_REPORTS, "checked": self.checked, "values": self.values,
            "flagged": len(self.flagged),
            "too_little_history": [{"agency": a, "month": m} for a, m in self.too_little],
        }
        if self.source is not None:
            data["source"] = self.source
        return data


def _monthly(sub: Submission) -> bool:
    return bool(sub.agency and sub.period and _MONTH.fullmatch(sub.period))


def deciding_reports(subs: Iterable[Submission], plans: Sequence[Plan] = ()
                     ) -> dict[tuple[str, str], Submission]:
    """(agency, month) -> the file that decides it, by aggregate's own rules (README "Which
    file counts": the later date and time sent, same figures one report, a file named for
    another agency never standing for this one; never the modification time). Where those
    rules cannot tell two versions apart, the month decides nothing here either. A file whose
    date sent cannot be true decides nothing."""
    from .aggregate import FileRecord, _choose

    groups: dict[tuple[str, str], list[Submission]] = {}
    for sub in subs:
        if sub.output or not sub.readable or not _monthly(sub):
            continue
        if any(i.code == "implausible-date" for i in sub.issues):
            continue
        assert sub.agency and sub.period
        groups.setdefault((sub.agency, sub.period), []).append(sub)
    by_id = {p.id: p for p in plans}
    decided: dict[tuple[str, str], Submission] = {}
    for (agency, month), group in groups.items():
        if len(group) == 1:
            decided[(agency, month)] = group[0]
            continue
        plan = by_id.get(group[0].plan or "") or (plans[0] if len(plans) == 1 else None)
        if plan is None:  # no plan to decide by: the month gives no history value
            continue
        winner = _choose([FileRecord(s) for s in group], plan, agency, month, [])
        if winner is not None:
            decided[(agency, month)] = winner.submission
    return decided


def accepted_reports(subs: Iterable[Submission], plans: Sequence[Plan] = ()
                     ) -> dict[tuple[str, str], Submission]:
    """(agency, month) -> the report that counts for it; nothing when the deciding file has
    errors (the agency withdrew the earlier numbers)."""
    return {key: sub for key, sub in deciding_reports(subs, plans).items() if sub.valid}


def _element(plans: dict[str, Plan], sub: Submission, code: str) -> Element | None:
    """The element as the plan the file was checked against declares it."""
    plan = plans.get(sub.plan or "")
    if plan is None and len(plans) == 1:
        plan = next(iter(plans.values()))
    return plan.element_by_code.get(code) if plan else None


def thresholds(element: Element) -> tuple[float, float]:
    """(factor, floor) of an element: the plan's ``history_factor`` / ``history_floor``, else
    the defaults."""
    factor, floor = element.history_factor, element.history_floor
    return (FACTOR if factor is None else float(factor), FLOOR if floor is None else float(floor))


def check(current: Iterable[Submission], earlier: Iterable[Submission],
          plans: Sequence[Plan] | Plan) -> HistoryCheck:
    """Judge every value of each monthly report of ``current`` against the same unit's
    accepted reports of the 12 months before, found among ``earlier`` (which may hold
    ``current`` itself and any other files: only the reports that count are used). Returns
    the flags (one warning per unusual value, on its sheet and cell) and the reports with too
    little history. Changes nothing."""
    plan_list = [plans] if isinstance(plans, Plan) else list(plans)
    known = {p.id: p for p in plan_list}
    history = accepted_reports(earlier, plan_list)
    result = HistoryCheck()
    windows: dict[str, tuple[list[str], int]] = {}  # month -> the 12 before, how many this year
    declared: dict[tuple[str | None, str], tuple[Element, float, float] | None] = {}
    for sub in current:
        if not sub.readable or not _monthly(sub):
            continue
        assert sub.agency and sub.period
        window = windows.get(sub.period)
        if window is None:
            months = [add_months(sub.period, -n) for n in range(WINDOW, 0, -1)]
            window = windows[sub.period] = (months, sum(m[:4] == sub.period[:4] for m in months))
        months, in_year = window
        reports = [history.get((sub.agency, m)) for m in months]
        past = [p for p in reports if p is not None]
        if len(past) < MIN_REPORTS:
            result.too_little.append((sub.agency, sub.period))
            continue
        result.checked += 1
        year_reports = reports[WINDOW - in_year:]  # the months of the same year, in order
        for element, value in sub.values.items():
            if "[" in element or element not in sub.cells:
                continue  # a part of a breakdown: its total is judged
            key = (sub.plan, element)
            if key not in declared:
                found = _element(known, sub, element)
                declared[key] = (found, *thresholds(found)) if found else None
            settings = declared[key]
            if settings is None:
                continue
            found, factor, floor = settings
            if value < floor and found.aggregation == "sum":
                result.values += 1  # below the floor a flow is never unusual: no need to look
                continue
            values = [p.values[element] for p in past if element in p.values]
            if len(values) < MIN_REPORTS:
                continue
            result.values += 1
            if not _may_flag(found.aggregation, value, values, factor, floor):
                continue
            year = [p.values.get(element) if p is not None else None for p in year_reports]
            issue = _judge(sub, found, value, values, year)
            if issue is not None:
                result.flagged.append(issue)
    return result


def _may_flag(aggregation: str, value: int, values: list[int], factor: float, floor: float) -> bool:
    """A cheap necessary condition of :func:`_judge`: most values stop here. A flow needs to be
    above every earlier value (running total), or factor times and floor above the smallest
    (the median is at least the smallest); a stock, floor away from last month."""
    if aggregation != "sum":
        return abs(value - values[-1]) >= floor
    low = min(values)
    return value > max(values) or (value >= factor * max(low, 1) and value - low >= floor)


def _judge(sub: Submission, element: Element, value: int, values: list[int],
           year: list[int | None]) -> Issue | None:
    factor, floor = thresholds(element)
    aggregation = element.aggregation
    median = statistics.median(values)
    low, high = min(values), max(values)
    why: dict[str, str] | None = None
    if aggregation == "sum":
        running = sum(v for v in year if v is not None)
        if (len(year) >= 2 and None not in year and running >= floor and value > high
                and running <= value <= running + 2 * high):
            why = {lang: _t("hist_cumulative", lang, total=fmt_number(running, lang))
                   for lang in ("vi", "en")}
        elif value >= factor * max(median, 1) and value - median >= floor:
            ratio = value / max(median, 1)
            shown = round(ratio) if ratio >= 10 else ratio  # 11.126.167 lần, not 11.126.166,8
            why = {lang: _t("hist_times", lang, ratio=fmt_number(shown, lang))
                   for lang in ("vi", "en")}
    else:
        previous = values[-1]
        if all(abs(value - ref) >= floor
               and (value >= factor * max(ref, 1) or ref >= factor * max(value, 1))
               for ref in (previous, median)):
            why = {lang: _t("hist_stock", lang, previous=fmt_number(previous, lang))
                   for lang in ("vi", "en")}
    if why is None:
        return None
    sheet, cell = sub.cells[element.code]
    return make_issue(
        CODE, sub.file, sheet=sheet, cell=cell, element=element.code, n=len(values),
        vi={"range": _range(low, high, "vi"), "value": fmt_number(value, "vi"), "why": why["vi"],
            "label": element.name("vi")},
        en={"range": _range(low, high, "en"), "value": fmt_number(value, "en"), "why": why["en"],
            "label": element.name("en")})


def _range(low: int, high: int, lang: str) -> str:
    return fmt_number(low, lang) if low == high else f"{fmt_number(low, lang)}–{fmt_number(high, lang)}"


def _t(key: str, lang: str, **params: Any) -> str:
    from .i18n import t

    return t(key, lang, **params)


def attach(subs: list[Submission], plans: Sequence[Plan] | Plan,
           months: Iterable[str] | None = None,
           earlier: Iterable[Submission] | None = None) -> HistoryCheck:
    """Check the monthly reports of ``subs`` (those of ``months`` when given) against the
    reports of ``earlier`` (default: ``subs`` themselves) and add each flag to its
    submission's warnings. Run once per set of submissions: a report already carrying a
    history flag is not checked again."""
    plan_list = [plans] if isinstance(plans, Plan) else list(plans)
    wanted = set(months) if months is not None else None
    current = [s for s in deciding_reports(subs, plan_list).values()
               if (wanted is None or s.period in wanted) and not any(i.code == CODE for i in s.issues)]
    result = check(current, subs if earlier is None else earlier, plan_list)
    _add_flags(result, current)
    return result


def _add_flags(result: HistoryCheck, subs: Iterable[Submission]) -> None:
    """Each flag of ``result`` added to the warnings of the submission it is about."""
    by_file: dict[str, list[Issue]] = {}
    for issue in result.flagged:
        by_file.setdefault(issue.file, []).append(issue)
    for sub in subs:
        sub.issues.extend(by_file.get(sub.file, []))


def summary_lines(result: HistoryCheck | None, lang: str) -> list[str]:
    """What the terminal says of the check, once: how many reports were compared and flagged,
    how many had too little history, where the history came from."""
    from .i18n import t
    from .present import inert

    if result is None:
        return []
    lines = []
    if result.source is not None:
        lines.append(t("hist_source", lang, folder=inert(result.source)))
    if result.checked:
        lines.append(t("hist_summary", lang, checked=result.checked, flagged=len(result.flagged)))
    if result.too_little:
        lines.append(t("hist_too_little", lang, n=MIN_REPORTS, count=len(result.too_little)))
    return lines


# --- kpi validate: where the history of a file is -------------------------------------------------

def month_folder_root(path: Path) -> Path | None:
    """``nop`` for ``nop/2026-08/X.xlsx``: a file in a folder named as a month (YYYY-MM) has
    its history in the month folders beside that one. Any other place: no history guessed."""
    parent = Path(path).parent
    if parent.name in ("", ".."):  # X.xlsx typed inside nop/2026-08: the folder's real name
        parent = Path(path).resolve().parent
    return parent.parent if _MONTH.fullmatch(parent.name) else None


def history_files(subs: Sequence[Submission], folder: Path | None) -> tuple[list[Path], str | None]:
    """The files to read as the history of ``subs``: every spreadsheet under ``folder``
    (``--history DIR``); else, for each file in a month folder, the month folders beside it of
    the 12 months before its period. Returns the files and the folder named to the user."""
    from .collect import collect_files

    if folder is not None:
        files, _, _ = collect_files([folder])
        return files, str(folder)
    folders: dict[str, Path] = {}
    roots = []
    for sub in subs:
        root = month_folder_root(Path(sub.file))
        month = sub.period if sub.period and period_kind(sub.period) == "month" else None
        if root is None or month is None:
            continue
        roots.append(root)
        for n in range(1, WINDOW + 1):
            candidate = root / add_months(month, -n)
            if candidate.is_dir() and not candidate.is_symlink():
                folders[str(candidate)] = candidate
    if not roots:
        return [], None
    files = collect_files(list(folders.values()))[0] if folders else []
    return files, str(roots[0]) if len(set(roots)) == 1 else ", ".join(sorted({str(r) for r in roots}))


def check_files(subs: list[Submission], plans: Sequence[Plan], folder: Path | None = None, *,
                today: date | None = None) -> HistoryCheck | None:
    """``kpi validate``: judge each file given against its history (``folder``, else the
    month folders beside its own) and add the flags to its warnings. None when no history
    applies (a file outside a month folder and no ``--history``)."""
    import os

    from .collect import read_all

    files, source = history_files(subs, folder)
    if source is None:
        return None
    given = {os.path.realpath(s.file) for s in subs}
    files = [f for f in files if os.path.realpath(f) not in given]
    earlier = read_all(files, list(plans) if len(plans) > 1 else plans[0], today=today) if files else []
    result = check(subs, [*earlier, *subs], plans)
    result.source = source
    _add_flags(result, subs)
    return result
