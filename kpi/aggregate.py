"""A folder of submissions -> totals per span, completeness, timeliness and indicators.

Flow: collect files -> validate each -> decide which file counts for each (agency, month)
-> one long table (agency, month, element, value, file, sheet, cell) -> totals over months by
each element's aggregation (sum / first / last) -> summed over agencies -> indicators.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .expr import evaluate
from .indicators import NO_DATA, NOT_MET, IndicatorResult, evaluate_indicators
from .issues import Issue, make_issue
from .periods import Span, deadline, parse_span
from .plan import Plan
from .read import SPREADSHEET_SUFFIXES, is_lock_file
from .validate import Submission, validate_file
from .xlsx import MARKED_COPY_SUFFIX, TEMP_PREFIX

if TYPE_CHECKING:
    import pandas as pd

ACCEPTED, REJECTED, SUPERSEDED, OUT_OF_SPAN = "accepted", "rejected", "superseded", "out_of_span"
LONG_COLUMNS = ["agency", "month", "element", "value", "file", "sheet", "cell"]


@dataclass
class FileRecord:
    """One file seen by aggregate and what became of it."""

    submission: Submission
    status: str = REJECTED
    mtime: float = 0.0
    on_time: bool | None = None
    replaced_by: str | None = None

    @property
    def file(self) -> str:
        return self.submission.file

    def to_dict(self, lang: str) -> dict[str, Any]:
        sub = self.submission
        return {
            "file": sub.file, "agency": sub.agency, "month": sub.period, "status": self.status,
            "submitted": sub.submitted.isoformat() if sub.submitted else None,
            "on_time": self.on_time, "replaced_by": self.replaced_by,
            "errors": len(sub.errors), "warnings": len(sub.warnings),
        }


@dataclass
class Completeness:
    expected: int
    received: int
    on_time: int
    late: int
    missing: list[tuple[str, str]]  # (agency, month) with no accepted file
    rejected_only: set[tuple[str, str]] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected, "received": self.received, "on_time": self.on_time,
            "late": self.late,
            "missing": [{"agency": a, "month": m, "rejected": (a, m) in self.rejected_only}
                        for a, m in self.missing],
        }


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

    @property
    def rejected(self) -> list[FileRecord]:
        return [f for f in self.files if f.status == REJECTED]

    @property
    def all_met(self) -> bool:
        return not any(i.status == NOT_MET for i in self.indicators)

    @property
    def window(self) -> tuple[date, date]:
        return self.span.window(self.plan.cutoff_day)

    def to_dict(self, lang: str) -> dict[str, Any]:
        start, end = self.window
        return {
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


def collect_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Spreadsheets under ``paths`` (folders searched recursively), what was not read and why
    (every entry is either read or listed), and the paths that do not exist."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        kind = _kind(path)
        if kind == "dir":
            candidates, passed = _files_under(path)
            skipped += passed
        elif kind == "file":
            candidates = [path]
        elif kind == "missing":
            missing.append(str(path))
            continue
        else:
            skipped.append((str(path), kind))
            continue
        for p in candidates:
            if is_lock_file(p):
                skipped.append((str(p), "lock-file"))
            elif p.name.startswith(TEMP_PREFIX):
                # What an interrupted kpi left (or is writing now): never a submission.
                skipped.append((str(p), "kpi-temp-file"))
            elif p.name.lower().endswith(MARKED_COPY_SUFFIX):
                # kpi's own marked copy of a submission: counting it would supersede the original.
                skipped.append((str(p), "marked-copy"))
            elif p.suffix.lower() not in SPREADSHEET_SUFFIXES:
                skipped.append((str(p), "not-a-spreadsheet"))
            else:
                found.append(p)
    return found, skipped, missing


def _kind(path: Path) -> str:
    """"file", "dir", "missing", or why the path is not read: "broken-link", "link-loop",
    "not-a-file" (a pipe, a device, a socket)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken-link" if os.path.lexists(path) else "missing"
    except OSError as exc:
        import errno

        return "link-loop" if exc.errno == errno.ELOOP else "unreadable-folder"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "not-a-file"


def _files_under(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every regular file below ``folder``, in the order of sorted(Path) (by path parts), and
    every entry not read with why: an unreadable folder, a link to a folder (not entered, so a
    loop cannot be walked for ever), a broken or looping link, a pipe, device or socket. The
    kinds come from the directory entries, with no stat per plain file: a tenth of rglob's time
    at 10,000 files."""
    found: list[tuple[str, ...]] = []
    passed: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
    while pending:
        where, parts = pending.pop()
        try:
            entries = list(os.scandir(where))
        except OSError:  # unreadable, or vanished meanwhile
            passed.append((parts, "unreadable-folder"))
            continue
        for entry in entries:
            here = parts + (entry.name,)
            try:
                if entry.is_symlink():
                    kind = _kind(Path(entry.path))
                    if kind == "file":
                        found.append(here)
                    else:
                        passed.append((here, "folder-link" if kind == "dir" else kind))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, here))
                elif entry.is_file(follow_symlinks=False):
                    found.append(here)
                else:
                    passed.append((here, "not-a-file"))
            except OSError:
                passed.append((here, "unreadable-folder"))
    found.sort()
    passed.sort()
    return ([folder.joinpath(*parts) for parts in found],
            [(str(folder.joinpath(*parts)), why) for parts, why in passed])


PARALLEL_MIN_FILES = 200  # below this, starting workers costs more than it saves
CHUNK_FILES = 32  # files per task: smaller ends the batch more evenly on both cores


def read_all(files: list[Path], plan: Plan, progress: Callable[[int], None] | None = None,
             workers: int | None = None) -> list[Submission]:
    """Validate every file, in input order. Large batches are spread over the CPU cores;
    the result is the same as reading them one by one (tests compare the two)."""
    if workers is None:
        workers = _default_workers(len(files))
    if workers <= 1:
        subs = []
        for path in files:
            subs.append(validate_file(path, plan))
            if progress:
                progress(1)
        return subs
    return _read_parallel(files, plan, progress, workers)


def _default_workers(n_files: int) -> int:
    if n_files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


_worker_plan: Plan | None = None


def _init_worker(plan: Plan) -> None:
    import signal

    global _worker_plan
    _worker_plan = plan
    # Ctrl-C is the parent's to handle: a worker that also caught it would print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _validate_chunk(paths: list[Path]) -> list[Submission]:
    assert _worker_plan is not None
    return [validate_file(p, _worker_plan) for p in paths]


def _read_parallel(files: list[Path], plan: Plan, progress: Callable[[int], None] | None,
                   workers: int) -> list[Submission]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork shares the already imported modules and plan with the workers: no second start-up.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = [files[i:i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    results: list[list[Submission] | None] = [None] * len(chunks)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(plan,))
    try:
        futures = {pool.submit(_validate_chunk, chunk): i for i, chunk in enumerate(chunks)}
        # The workers are forked by now; the parent would only wait, so it imports pandas
        # (a third of a second) for the roll-up that follows.
        import pandas  # noqa: F401
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(len(chunks[index]))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [sub for chunk in results if chunk is not None for sub in chunk]


def latest_month(subs: Iterable[Submission]) -> str | None:
    months = [s.period for s in subs if s.period]
    return max(months) if months else None


def aggregate(
    subs: list[Submission],
    plan: Plan,
    span: Span | str | None = None,
    skipped: list[tuple[str, str]] | None = None,
    now: datetime | None = None,
) -> AggregateResult:
    """Roll validated submissions up over ``span`` (default: the latest month found)."""
    import pandas as pd

    if span is None:
        month = latest_month(s for s in subs if s.valid) or latest_month(subs)
        span = parse_span(month) if month else None
    elif isinstance(span, str):
        span = parse_span(span)
    if span is None:
        raise ValueError("no period given and no submission carries a readable period")

    # kpi's own outputs (a report, an unchanged marked copy) left among the submissions, found
    # by the property kpi writes into them whatever their name: listed, never counted.
    skipped = list(skipped or [])
    skipped += [(s.file, "marked-copy" if s.output == "marked-copy" else "kpi-output")
                for s in subs if s.output]
    subs = [s for s in subs if not s.output]
    records = _decide(subs, plan, span)
    accepted = [r for r in records if r.status == ACCEPTED]
    long = _long_table(accepted, pd)
    agency_totals, totals = span_totals(long, plan)
    completeness = _completeness(plan, span, records)
    indicators = evaluate_indicators(plan, span.months, totals, agency_totals,
                                     completeness.on_time, completeness.expected)
    trend: dict[str, list[IndicatorResult]] = {}
    # Within one month each agency has one value per element, so sum, first and last agree:
    # one groupby gives every month's totals instead of a span_totals per month.
    per_month = _month_agency_totals(accepted)
    records_by_month: dict[str, list[FileRecord]] = {}
    for r in records:
        records_by_month.setdefault(r.submission.period or "", []).append(r)
    for month in span.months:
        m_agency = per_month.get(month, {})
        m_totals: dict[str, int] = {}
        for values in m_agency.values():
            for element, value in values.items():
                m_totals[element] = m_totals.get(element, 0) + value
        m_done = _completeness(plan, parse_span(month), records_by_month.get(month, []))
        trend[month] = evaluate_indicators(plan, (month,), m_totals, m_agency,
                                           m_done.on_time, m_done.expected)

    issues = [i for r in records if r.status in (ACCEPTED, REJECTED) for i in r.submission.issues]
    issues += _province_rules(plan, totals)
    return AggregateResult(
        plan=plan, span=span, long=long, totals=totals, agency_totals=agency_totals,
        indicators=indicators, trend=trend, completeness=completeness, files=records,
        issues=issues, skipped=skipped, generated_at=now or datetime.now(),
    )


def _decide(subs: list[Submission], plan: Plan, span: Span) -> list[FileRecord]:
    """Status of every file. The latest META_SUBMITTED (then modification time) for an
    (agency, month) decides: earlier files are superseded, even when the latest is rejected,
    because the agency has withdrawn their numbers."""
    months = set(span.months)
    records = []
    groups: dict[tuple[str, str], list[FileRecord]] = {}
    for sub in subs:
        record = FileRecord(sub)
        records.append(record)
        if sub.period and sub.period not in months:
            record.status = OUT_OF_SPAN
        elif any(i.code == "implausible-date" for i in sub.issues):
            # Its date cannot say whether it came before or after another file of the month:
            # rejected on its own (and sent back), never superseding nor superseded.
            record.status = REJECTED
        elif sub.agency and sub.period and sub.readable:
            groups.setdefault((sub.agency, sub.period), []).append(record)
        else:
            record.status = REJECTED
    for (_, month), group in groups.items():
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
            due = deadline(month, plan.cutoff_day, plan.deadline_days)
            winner.on_time = winner.submission.submitted is not None and winner.submission.submitted <= due
    return records


def _month_agency_totals(accepted: list[FileRecord]) -> dict[str, dict[str, dict[str, int]]]:
    """month -> agency -> element -> value (each agency's one accepted file of the month),
    straight from the submissions: iterating the long table's columns cost a second at
    10,000 files."""
    result: dict[str, dict[str, dict[str, int]]] = {}
    for record in accepted:
        sub = record.submission
        assert sub.period is not None and sub.agency is not None  # accepted files have both
        result.setdefault(sub.period, {})[sub.agency] = dict(sub.values)
    return result


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _long_table(accepted: list[FileRecord], pd: Any) -> pd.DataFrame:
    agencies, months, elements, values, files, sheets, cells = [], [], [], [], [], [], []
    for record in accepted:
        sub = record.submission
        n = len(sub.values)
        agencies += [sub.agency] * n
        months += [sub.period] * n
        files += [sub.file] * n
        elements += sub.values.keys()
        values += sub.values.values()
        for element in sub.values:
            sheet, cell = sub.cells[element]
            sheets.append(sheet)
            cells.append(cell)
    frame = pd.DataFrame(dict(zip(LONG_COLUMNS, (agencies, months, elements, values, files,
                                                   sheets, cells), strict=True)),
                         columns=LONG_COLUMNS)
    frame["value"] = frame["value"].astype("int64")
    return frame.sort_values(["agency", "month", "element"], kind="stable").reset_index(drop=True)


def span_totals(long: pd.DataFrame, plan: Plan) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Per agency over months by each element's aggregation, then summed over agencies."""
    import pandas as pd

    if long.empty:
        return {}, {}
    how = {e.code: e.aggregation for e in plan.elements}
    frame = long[["agency", "month", "element", "value"]].copy()
    frame["how"] = frame["element"].map(how)
    frame = frame.sort_values(["agency", "element", "month"], kind="stable")
    parts = []
    for aggregation, method in (("sum", "sum"), ("first", "first"), ("last", "last")):
        subset = frame[frame["how"] == aggregation]
        if not subset.empty:
            parts.append(getattr(subset.groupby(["agency", "element"])["value"], method)())
    per_agency = pd.concat(parts)
    agency_totals: dict[str, dict[str, int]] = {}
    for (agency, element), value in per_agency.items():
        agency_totals.setdefault(agency, {})[element] = int(value)
    totals = {str(k): int(v) for k, v in per_agency.groupby(level="element").sum().items()}
    return agency_totals, totals


def final_files(records: list[FileRecord]) -> dict[tuple[str, str], FileRecord]:
    """The file that stands for each (agency, month): the accepted one, else a rejected one
    (the agency sent something, with errors). Decided here once for every output."""
    final: dict[tuple[str, str], FileRecord] = {}
    for r in records:
        sub = r.submission
        if r.status not in (ACCEPTED, REJECTED) or not sub.agency or not sub.period:
            continue
        key = (sub.agency, sub.period)
        if key not in final or final[key].status != ACCEPTED:
            final[key] = r
    return final


def _completeness(plan: Plan, span: Span, records: list[FileRecord]) -> Completeness:
    expected = plan.expected(span.months)
    final = final_files(records)
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
    return Completeness(len(expected), received, on_time, received - on_time, missing, rejected_only)


def _province_rules(plan: Plan, totals: dict[str, int]) -> list[Issue]:
    issues = []
    full = {e.code: totals.get(e.code, 0) for e in plan.elements}
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
