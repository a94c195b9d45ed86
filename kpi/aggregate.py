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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .collect import collect_files, read_all  # noqa: F401  (older imports from here keep working)
from .decisions import (
    DATE_FORM,
    DEFAULT_PERIOD,
    LATER_DATE_SENT,
    NAME_COVER_MISMATCH,
    PERIOD_FROM_DATE,
    SAME_CONTENT,
    UNDECIDED_VERSION,
    Decision,
    decision,
    name,
    when,
)
from .errors import NoPeriod, NoPeriodBegun, PeriodOutsidePlan
from .expr import evaluate
from .i18n import t
from .indicators import NO_DATA, NOT_MET, IndicatorResult, evaluate_indicators
from .issues import Issue, make_issue
from .periods import Calendar, Span, parse_span, period_kind, period_months
from .plan import Plan
from .present import period_label
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
        if sub.submitted_time is not None:  # the time of day, when the date sent gives one
            data["submitted_time"] = sub.submitted_time.strftime("%H:%M")
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
    decisions: list[Decision] = field(default_factory=list)  # kpi's choices, read before signing
    stocks_at: str | None = None  # the month whose reports the `last` stocks are read from
    history: Any = None  # kpi.history.HistoryCheck, when roll_up checked values against history

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

    @property
    def is_open(self) -> bool:
        """The span has not ended on the day of the run: its results are provisional."""
        return self.window[1] >= self.generated_at.date()

    @property
    def provisional(self) -> bool:
        """Statuses are provisional: some months have no data, or the span is still open."""
        return self.partial or self.is_open

    @property
    def other_periods(self) -> dict[str, int]:
        """When no file of the span was accepted: the periods the files are for instead (their
        cover sheets), with how many files each, most files first."""
        if any(r.status in (ACCEPTED, REJECTED, SUPERSEDED) for r in self.files):
            return {}
        found: dict[str, int] = {}
        for r in self.files:
            if r.status == OUT_OF_SPAN and r.submission.period:
                found[r.submission.period] = found.get(r.submission.period, 0) + 1
        latest_first = sorted(found.items(), reverse=True)  # a tie goes to the latest period
        return dict(sorted(latest_first, key=lambda kv: -kv[1]))

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
            "decisions": [d.to_dict(lang) for d in self.decisions],
        }
        if self.plan.note(lang):
            data["plan_note"] = self.plan.note(lang)
        if self.history is not None:
            data["history"] = self.history.to_dict()
        if self.partial:
            data["period"]["months_with_data"] = self.months_with_data
        if self.stocks_at is not None:
            data["period"]["stocks_at"] = self.stocks_at  # the month stocks (`last`) are read at
        if self.is_open:
            data["period"]["open"] = True
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
        raise PeriodOutsidePlan(span.code, plan.coverage_start, plan.coverage_end,
                                plan.as_plan("vi"), plan.as_plan("en"))


def default_month(subs: list[Submission], calendar_for: Callable[[str], Calendar],
                  today: date) -> tuple[str, Decision]:
    """The month rolled up when none is asked, and the decision saying so: the latest month
    of a valid report whose period has begun by ``today`` (of any report when no valid one
    has), never a month still to come, so one stray file dated ahead cannot move it. Raises
    NoPeriod when no report states a period, NoPeriodBegun when none has begun."""
    def begun(month: str) -> bool:
        return calendar_for(month).window(month)[0] <= today

    stated = [s for s in subs if s.period]
    if not stated:
        raise NoPeriod()
    valid = [s for s in stated if s.valid]
    for pool in (valid, stated):
        months = {period_months(s.period)[-1] for s in pool if s.period}
        ready = [m for m in months if begun(m)]
        if ready:
            month = max(ready)
            any_report = pool is not valid
            break
    else:
        raise NoPeriodBegun(sorted({period_months(s.period)[-1] for s in stated if s.period}),
                            today)
    ahead = sorted({period_months(s.period)[-1] for s in stated if s.period} - set(ready))
    ahead = [m for m in ahead if not begun(m)]
    start = calendar_for(month).window(month)[0].strftime("%d/%m/%Y")
    shown_today = today.strftime("%d/%m/%Y")

    def skipped(lang: str) -> str:
        if not ahead:
            return ""
        return t("dec_default_skipped", lang, months=", ".join(period_label(m, lang) for m in ahead),
                 today=shown_today)

    files = [s.file for s in stated if s.period and period_months(s.period)[-1] in ahead]
    return month, decision(DEFAULT_PERIOD, None, month, files, None,
                           "dec_default-period-any" if any_report else None,
                           period=lambda lang: period_label(month, lang), start=start,
                           skipped=skipped)


def aggregate(
    subs: list[Submission],
    plan: Plan,
    span: Span | str | None = None,
    skipped: list[tuple[str, str]] | None = None,
    now: datetime | None = None,
    plans: list[Plan] | None = None,
    decisions: list[Decision] | None = None,
    stocks_at: str | None = None,
    judge: bool = True,
) -> AggregateResult:
    """Roll validated submissions up over ``span`` (default: :func:`default_month`).

    ``decisions``: those taken before (the default period), listed first. ``stocks_at``: the
    month whose reports a ``last`` stock is read from (default: the latest month of the span an
    accepted report covers); the year to date passes its period's, so a stock has one value at
    one date in every column. ``judge``: an indicator the plan judges on the year gets the
    status of the year to date (the comparisons' own roll-ups are not re-judged)."""
    decisions = list(decisions or [])
    if span is None:
        month, chosen = default_month([s for s in subs if not s.output], lambda m: plan.calendar,
                                      (now or datetime.now()).date())
        span = parse_span(month)
        decisions.append(chosen)
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
    records = _decide(subs, plan, span, decisions)
    final = final_files(records)
    long = long_table([r for r in records if r.status == ACCEPTED])
    # A stock's value at the span's end date: the same rows whatever span ends there (the
    # period, its year to date), so one date has one value.
    if stocks_at is None:
        stocks_at = str(long["month"].max()) if not long.empty else span.last
    at_end = stocks_at_end(long, plan, stocks_at)
    agency_totals, totals = rolled(at_end, plan)
    levels = {a.code: a.level for a in plan.agencies}
    _, level_totals = rolled(at_end.assign(level=at_end["agency"].map(levels).fillna("")), plan,
                             by="level", agencies=False)
    completeness = _completeness(plan, span, records, final)
    indicators = evaluate_indicators(plan, span, totals, agency_totals, completeness.on_time,
                                     completeness.expected, _reports(plan, span, final))
    month_totals, month_agencies = rolled_by_month(long, plan)
    trend: dict[str, list[IndicatorResult]] = {}
    for month in span.months:
        month_span = parse_span(month)
        done = _completeness(plan, month_span, records, final)
        trend[month] = evaluate_indicators(plan, month_span, month_totals.get(month, {}),
                                           month_agencies.get(month, {}), done.on_time,
                                           done.expected, _reports(plan, month_span, final))

    issues = [i for r in records if r.status in (ACCEPTED, REJECTED) for i in r.submission.issues]
    # A file named for this period whose cover says another is out of the span, but the
    # disagreement is shown: it may be the file the analyst is looking for.
    issues += [i for r in records if r.status in (SUPERSEDED, OUT_OF_SPAN)
               for i in r.submission.issues if i.code == "name-mismatch"]
    issues += _province_rules(plan, totals)
    result = AggregateResult(
        plan=plan, span=span, long=long, totals=totals, agency_totals=agency_totals,
        indicators=indicators, trend=trend, completeness=completeness, files=records,
        issues=issues, skipped=skipped, generated_at=now or datetime.now(), final=final,
        month_totals=month_totals, level_totals=level_totals, plans=list(plans or [plan]),
        decisions=decisions,
        stocks_at=stocks_at,
    )
    if judge and any(i.judged_on == "year" for i in indicators):
        from .compare import judge_on_year

        judge_on_year(result)
    return result


def _decide(subs: list[Submission], plan: Plan, span: Span,
            decisions: list[Decision] | None = None) -> list[FileRecord]:
    """Status of every file, and a decision for every choice that was not obvious. For one
    (agency, period), the file sent last counts (date and time sent, never the modification
    time nor the order of the files): earlier ones are superseded, even when the last is
    rejected, because the agency has withdrawn their numbers. Files with the same figures are
    one report; different files whose order cannot be told count neither (README "Which file
    counts")."""
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
    found: list[Decision] = []
    for (agency, period), group in groups.items():
        winner = _choose(group, plan, agency, period, found)
        if winner is None:
            continue
        winner.status = ACCEPTED if winner.submission.valid else REJECTED
        if winner.status == ACCEPTED:
            due = plan.calendar.deadline(period)
            winner.on_time = winner.submission.submitted is not None and winner.submission.submitted <= due
    found += _reading_decisions(records)
    if decisions is not None:
        decisions += found
    return records


def _sent(record: FileRecord) -> tuple[date, time | None] | None:
    sub = record.submission
    return (sub.submitted, sub.submitted_time) if sub.submitted is not None else None


def _later(a: tuple[date, time | None] | None, b: tuple[date, time | None] | None) -> bool:
    """Whether ``a`` was certainly sent after ``b``: a later day, or the same day and both
    with a time, a later time. A missing date is never certainly before or after anything."""
    if a is None or b is None:
        return False
    if a[0] != b[0]:
        return a[0] > b[0]
    return a[1] is not None and b[1] is not None and a[1] > b[1]


def _sent_text(sent: tuple[date, time | None] | None) -> Any:
    if sent is None:
        return lambda lang: t("dec_sent_unknown", lang)
    shown = when(*sent)
    return lambda lang: t("dec_sent", lang, when=shown)


def _choose(group: list[FileRecord], plan: Plan, agency: str, period: str,
            found: list[Decision]) -> FileRecord | None:
    """The file that stands for (agency, period) among ``group``, None when that cannot be
    told; every other file's status set and the decisions taken added to ``found``."""
    from .validate import names_in_file_name

    if len(group) == 1:  # nothing to choose between (nearly every agency, every period)
        return group[0]
    # A file named for another agency than its cover says never replaces the agency's own.
    named = {id(r): names_in_file_name(r.file, plan)[0] for r in group}
    strays = [r for r in group if named[id(r)] not in (None, agency)]
    own = [r for r in group if all(r is not x for x in strays)]
    if not own:  # only files named for others: they compete among themselves
        own, strays = strays, []
    # Files with the same figures are one report: its first copy (earliest sent, then name)
    # stands for it; its date for the order is the latest of its copies.
    versions: dict[tuple[Any, ...], list[FileRecord]] = {}
    for r in own:
        sub = r.submission
        versions.setdefault((tuple(sorted(sub.values.items())), sub.valid), []).append(r)
    reps: list[tuple[FileRecord, tuple[date, time | None] | None]] = []
    for copies in versions.values():
        copies.sort(key=lambda r: (r.submission.submitted is None, r.submission.submitted or date.min,
                                   r.submission.submitted_time or time.min, r.file))
        rep = copies[0]
        dated = [s for s in (_sent(c) for c in copies) if s is not None]
        reps.append((rep, max(dated, key=lambda s: (s[0], s[1] or time.min)) if dated else None))
        for other in copies[1:]:
            other.status, other.replaced_by = SUPERSEDED, rep.file
        if len(copies) > 1:
            found.append(decision(SAME_CONTENT, agency, period, [c.file for c in copies], rep.file,
                                  **_where(agency, period),
                                  names=", ".join(name(c.file) for c in copies),
                                  chosen_name=name(rep.file)))
    top = [(r, s) for r, s in reps if not any(_later(o, s) for _, o in reps)]
    top.sort(key=lambda rs: rs[0].file)
    winner: FileRecord | None = None
    if len(top) == 1:
        winner = top[0][0]
        beaten = [(r, s) for r, s in reps if r is not winner]
        for r, _ in beaten:
            r.status, r.replaced_by = SUPERSEDED, winner.file
        if beaten:
            others = ", ".join(f"{name(r.file)} ({_sent_text(s)('vi')})" for r, s in beaten)
            others_en = ", ".join(f"{name(r.file)} ({_sent_text(s)('en')})" for r, s in beaten)
            found.append(decision(
                LATER_DATE_SENT, agency, period, [winner.file] + [r.file for r, _ in beaten],
                winner.file, **_where(agency, period), chosen_name=name(winner.file),
                sent=_sent_text(top[0][1]), n=len(beaten),
                others=lambda lang: others_en if lang == "en" else others))
    else:
        tied = [r for r, _ in top]
        why = _why_tied(top)
        files = [r.file for r in tied]
        listed = ", ".join(name(f) for f in files)
        for r in tied:  # (their identical copies stay superseded by them)
            r.submission = _with_issue(r.submission, make_issue(
                "ambiguous-version", r.file, n=len(tied), files=listed,
                period=period_label(period), vi={"why": why("vi")}, en={"why": why("en")},
                todo_vi=t("ambiguous_todo", "vi"), todo_en=t("ambiguous_todo", "en"),
                clerk_vi={"todo_vi": t("ambiguous_todo_clerk", "vi")},
                clerk_en={"todo_en": t("ambiguous_todo_clerk", "en")}))
            r.status, r.replaced_by = REJECTED, None
        for r, s in reps:
            if all(r is not x for x in tied):
                above = [o for o, os_ in top if _later(os_, s)]
                r.status, r.replaced_by = SUPERSEDED, above[0].file if above else None
        found.append(decision(UNDECIDED_VERSION, agency, period, files, None,
                              **_where(agency, period), why=why, names=listed))
    for r in strays:
        r.status, r.replaced_by = SUPERSEDED, winner.file if winner else None
        found.append(decision(
            NAME_COVER_MISMATCH, agency, period, [r.file] + ([winner.file] if winner else []),
            winner.file if winner else None, **_where(agency, period), file=name(r.file),
            named=named[id(r)], chosen_name=name(winner.file) if winner else "—"))
    return winner


def _where(agency: str, period: str) -> dict[str, Any]:
    return {"who": agency, "period": lambda lang: period_label(period, lang)}


def _why_tied(top: list[tuple[FileRecord, tuple[date, time | None] | None]]) -> Any:
    unknown = [r for r, s in top if s is None]
    if unknown:
        listed = ", ".join(name(r.file) for r in unknown)
        return lambda lang: t("dec_why_unknown", lang, names=listed)
    first = top[0][1]
    assert first is not None
    if all(s == first for _, s in top) and first[1] is not None:
        shown = when(*first)
        return lambda lang: t("dec_why_same_time", lang, when=shown)
    shown = first[0].strftime("%d/%m/%Y")
    return lambda lang: t("dec_why_same_day", lang, when=shown)


def _with_issue(sub: Submission, issue: Issue) -> Submission:
    """A copy of ``sub`` with one more issue (the submission itself is shared with the
    comparisons, which decide again over the same files)."""
    from dataclasses import replace

    if issue in sub.issues:
        return sub
    return replace(sub, issues=[*sub.issues, issue])


def _reading_decisions(records: list[FileRecord]) -> list[Decision]:
    """How a date sent or a period was read where the form was not the usual one."""
    found = []
    for r in records:
        sub = r.submission
        if sub.submitted_form and sub.submitted and r.status != OUT_OF_SPAN:
            shown = when(sub.submitted, sub.submitted_time)
            found.append(decision(
                DATE_FORM, sub.agency, sub.period, [sub.file], sub.file, file=name(sub.file),
                text=sub.submitted_text, when=shown,
                note=lambda lang, f=sub.submitted_form: (t("dec_two_digit_year", lang)
                                                         if f == "two-digit-year" else "")))
        for issue in sub.issues:
            if issue.code == "period-from-date" and sub.period:
                found.append(Decision(PERIOD_FROM_DATE, sub.agency, sub.period, (sub.file,),
                                      sub.file, f"{name(sub.file)}: {issue.message_vi}",
                                      f"{name(sub.file)}: {issue.message_en}"))
    return found


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


def stocks_at_end(long: pd.DataFrame, plan: Plan, end: str) -> pd.DataFrame:
    """The long table without the rows of ``last`` stocks (and their parts) from reports whose
    period does not end in month ``end``. A stock is read at the span's end date, from the
    reports of the period ending then: an agency whose report of that period is missing or
    rejected counts in no stock at that date (it shows as missing), never with an older value
    carried into one reading (the year to date) and not into another (the month)."""
    if long.empty:
        return long
    how = {code: plan.aggregation_of(str(code)) for code in long["element"].unique()}
    earlier = long["element"].map(how).astype(str).eq("last") & (long["month"] != end)
    return long[~earlier].reset_index(drop=True) if earlier.any() else long


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

def _reports(plan: Plan, span: Span, final: dict[tuple[str, str], FileRecord]
             ) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """The (agency, period) pairs expected in ``span``, and those with an accepted report."""
    expected = plan.expected(span)
    return expected, {p for p in expected if (r := final.get(p)) is not None and r.status == ACCEPTED}


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
