"""What the commands print: tables for plans, validation and roll-ups (laid out by
kpi.terminal to fit the width), CSV, and JSON."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from rich.console import Console

from .i18n import skip_reason, t
from .plan import Indicator, Plan
from .present import (
    fmt_number,
    inert,
    month_label,
    period_label,
    period_name,
    provisional_note,
    status_text,
    target_text,
    unit_for_value,
)
from .terminal import Column, Grid, Layout, Piece, print_grid, print_wrapped, whole, words
from .validate import RHYTHM_WORDS, Submission

_JSON_NOT_INERT = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    """JSON, readable (UTF-8) but inert: control and direction characters that came from a file
    are written as \\u escapes (JSON escapes the C0 ones itself), so the data stay exact."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return _JSON_NOT_INERT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plans_to_list(plans: list[Plan], lang: str) -> list[dict[str, Any]]:
    return [{"plan": p.id, "reference": p.reference, "title": p.title(lang),
             "coverage": {"start": p.coverage_start, "end": p.coverage_end},
             "file": str(p.path) if p.path else None} for p in plans]


def plan_to_dict(plan: Plan, lang: str) -> dict[str, Any]:
    return {
        "plan": plan.id,
        "title": plan.title(lang),
        "reference": plan.reference,
        "coverage": {"start": plan.coverage_start, "end": plan.coverage_end},
        "cutoff_day": plan.cutoff_day,
        "deadline_days": plan.deadline_days,
        "calendar_months": plan.calendar.calendar_months,
        "deadline_day_next_month": plan.calendar.deadline_day,
        "note": plan.note(lang) or None,
        "report": {"issuer_parent": plan.report.issuer_parent_vi, "issuer": plan.report.issuer_vi,
                   "number_suffix": plan.report.number_suffix, "place": plan.report.place_vi,
                   "recipients": list(plan.report.recipients_vi),
                   "copies": list(plan.report.copies_vi),
                   "signer_title": plan.report.signer_title_vi,
                   "signer_name": plan.report.signer_name},
        "contact": {"office": plan.contact.office(lang), "person": plan.contact.person,
                    "phone": plan.contact.phone, "email": plan.contact.email},
        "levels": [{"code": lv.code, "name": lv.name(lang)} for lv in plan.levels],
        "forms": [{"code": f.code, "sheet": f.sheet, "title": f.title(lang)} for f in plan.forms],
        "agencies": [
            {"code": a.code, "name": a.name(lang), "level": a.level, "forms": list(a.forms),
             "active_from": a.active_from, "active_to": a.active_to, "rhythm": a.rhythm,
             "form_rhythms": dict(a.form_rhythms)}
            for a in plan.agencies
        ],
        "elements": [
            {"code": e.code, "form": e.form, "name": e.name(lang), "unit": e.unit(lang),
             "aggregation": e.aggregation}
            for e in plan.elements
        ],
        "rules": [
            {"code": r.code, "expression": r.expression.source, "severity": r.severity,
             "scope": r.scope, "message": r.message(lang)}
            for r in plan.rules
        ],
        "indicators": [
            {"code": i.code, "name": i.name(lang), "kind": i.kind,
             "numerator": i.numerator.source if i.numerator else None,
             "denominator": i.denominator.source if i.denominator else None,
             "condition": i.condition.source if i.condition else None,
             "comparator": i.comparator, "target": i.target, "unit": i.unit, "source": i.source,
             "milestones": {str(m.year): m.target for m in i.milestones},
             "event": f"{i.event[0]:02d}-{i.event[1]:02d}" if i.event else None,
             "provisional": i.provisional, "provisional_from": i.provisional_from,
             "basis": i.basis(lang) or None}
            for i in plan.indicators
        ],
    }


def print_plans(console: Console, plans: list[Plan], chosen: Plan, lang: str) -> None:
    """The plans kpi knows, with their coverage, the one shown marked."""
    grid = Grid([Column(t(k, lang)) for k in ("code", "name", "coverage", "in_force")],
                title=t("plans_title", lang))
    for p in plans:
        grid.add(whole(p.id), [whole(p.label + ":"), words(p.title(lang))],
                 whole(f"{month_label(p.coverage_start)} – {month_label(p.coverage_end)}"),
                 whole("✔" if p is chosen else ""))
    print_grid(console, grid, [Layout([[0, 2, 3], [1]])])


def print_plan(console: Console, plan: Plan, lang: str) -> None:
    print_wrapped(console, [words(plan.title(lang), "bold"), whole(f"({plan.id})")], hanging=0)
    if plan.note(lang):
        print_wrapped(console, [words(plan.note(lang))], hanging=0)
    report, unset = plan.report, t("plan_not_set", lang)
    if report.issuer_vi or report.recipients_vi or report.signer_title_vi:
        line = t("plan_report_line", lang, issuer=report.issuer_vi or unset,
                 to="; ".join(report.recipients_vi) or unset,
                 signer=report.signer_title_vi.replace("\n", " ") or unset)
    else:
        line = t("plan_report_unset", lang)
    print_wrapped(console, [words(line)], hanging=2)
    contact = plan.contact
    who = ", ".join(x for x in (contact.office(lang), contact.person, contact.phone, contact.email) if x)
    line = t("plan_contact_line", lang, contact=who) if who else t("plan_contact_unset", lang)
    print_wrapped(console, [words(line)], hanging=2)
    agencies = Grid([Column(t(k, lang)) for k in ("code", "name", "forms")], title=t("agency", lang))
    for a in plan.agencies:
        forms = [f if a.rhythm_of(f) == "monthly"
                 else f"{f} ({RHYTHM_WORDS[a.rhythm_of(f)][lang == 'en']})" for f in a.forms]
        agencies.add(whole(a.code), words(a.name(lang)), words(", ".join(forms)))
    print_grid(console, agencies, [Layout([[0, 2], [1]])])
    forms_table = Grid([Column(t(k, lang)) for k in ("code", "name", "element")],
                       title=t("forms", lang))
    for f in plan.forms:
        forms_table.add(whole(f.code), words(f.title(lang)),
                        words(", ".join(e.code for e in plan.elements_of(f.code))))
    print_grid(console, forms_table, [Layout([[0, 1], [2]])])
    rules = Grid([Column(t(k, lang)) for k in ("code", "expression", "severity", "message")],
                 title=t("rules", lang))
    for r in plan.rules:
        rules.add(whole(r.code), words(r.expression.source),
                  whole(t(r.severity, lang), "red" if r.severity == "error" else "yellow"),
                  words(r.message(lang)))
    print_grid(console, rules, [Layout([[0, 2], [1, 3]]), Layout([[0, 2], [3, 1]])])
    indicators = Grid([Column(t("code", lang)), Column(t("name", lang)),
                       Column(t("target", lang), justify="right"), Column(t("source", lang))],
                      title=t("indicator", lang))
    for i in plan.indicators:
        indicators.add(whole(i.code), words(i.name(lang)), _targets_of(i, lang), words(i.source))
    print_grid(console, indicators, [Layout([[0, 2], [1, 3]])])


def _targets_of(i: Indicator, lang: str) -> list[Piece]:
    """The target, or each milestone by year on its own line ("2026: ≥ 60 %")."""
    if i.milestones:
        return [whole(f"{m.year}: {target_text(i.comparator, m.target, i.unit, lang)}"
                      + (" *" if i.provisional_in(m.year) else "")) for m in i.milestones]
    return [whole(target_text(i.comparator, i.target, i.unit, lang) + (" *" if i.provisional else ""))]


def print_submissions(console: Console, subs: list[Submission], lang: str,
                      skipped: list[tuple[str, str]] | None = None) -> None:
    for path, reason in skipped or []:
        print_wrapped(console, [words(t("skipped_label", lang)), whole(inert(path)),
                                words(f"({skip_reason(reason, lang)})")])
    for sub in subs:
        status = (t("unreadable", lang) if not sub.readable
                  else t("valid", lang) if sub.valid else t("invalid", lang))
        colour = "green" if sub.valid else "red"
        # What comes from the file (its name, a sheet, a typed value quoted in a message) is
        # shown inert: a control character typed as an agency prints as \x1b, never runs.
        print_wrapped(console, [whole(inert(sub.file), "bold"), whole(inert(sub.agency or "?")),
                                whole(inert(sub.period or "?")), whole(status, colour)])
        if not sub.issues:
            if len(subs) == 1:  # with many files, "Hợp lệ" on the file's line says it
                console.print(f"  {t('no_problem', lang)}")
            continue
        issues = sorted(sub.issues, key=lambda i: i.severity != "error")
        # Where: the sheet, cell and element columns, each shown only when an issue has one
        # (a file-level issue such as a name mismatch has none).
        where = [k for k in ("sheet", "cell", "element") if any(getattr(i, k) for i in issues)]
        grid = Grid([Column(t(k, lang)) for k in ("severity", *where, "message")])
        for issue in issues:
            style = "red" if issue.severity == "error" else "yellow"
            cells = {"sheet": words(inert(issue.sheet or "")), "cell": whole(inert(issue.cell or "")),
                     "element": whole(issue.element or "")}
            grid.add(whole(t(issue.severity, lang), style), *(cells[k] for k in where),
                     words(inert(issue.message(lang))))
        last = len(where) + 1
        print_grid(console, grid, [Layout([list(range(last)), [last]],
                                          headers=[t("where", lang), t("message", lang)])])
    valid = sum(s.valid for s in subs)
    console.print(t("validate_summary", lang, files=len(subs), valid=valid,
                    invalid=len(subs) - valid, errors=sum(len(s.errors) for s in subs),
                    warnings=sum(len(s.warnings) for s in subs)), markup=False)


STATUS_STYLE = {"met": "green", "not_met": "red", "no_data": "bright_black", "tracked": "cyan"}
WARNINGS_SHOWN = 20  # warnings listed in the terminal; every one is in JSON and the report


def print_aggregate(console: Console, result, lang: str) -> None:  # result: AggregateResult
    start, end = result.window
    print_wrapped(console, [words(t("agg_title", lang, plan=result.plan.named(lang),
                                    period=period_name(result.span.code, lang),
                                    start=start.strftime("%d/%m/%Y"),
                                    end=end.strftime("%d/%m/%Y")), "bold")], hanging=0)
    # The plan's note (in the bundled plans: targets carried forward provisionally) is said with
    # a period only when it applies: some target of the period is provisional, or the plan has
    # no provisional target at all (the note is about something else).
    if result.plan.note(lang) and (any(i.provisional for i in result.indicators)
                                   or not any(i.provisional or i.provisional_from is not None
                                              for i in result.plan.indicators)):
        print_wrapped(console, [words(result.plan.note(lang))], hanging=0)
    if result.partial:  # a quarter or a year read over the months that have data, said first
        print_wrapped(console, [words(t("rp_partial_note", lang, n=len(result.months_with_data),
                                        total=len(result.span.months),
                                        months=", ".join(month_label(m) for m in result.months_with_data)
                                        or "—"), "yellow")], hanging=0)
    if result.is_open:
        print_wrapped(console, [words(t("open_note", lang, end=end.strftime("%d/%m/%Y")), "yellow")],
                      hanging=0)
    print_decisions(console, result.decisions, lang)
    grid = Grid([Column(t("indicator", lang)), Column(t("target", lang), justify="right"),
                 Column(t("result", lang), justify="right"),
                 Column(t("num_den", lang), justify="right"), Column(t("status", lang))])
    for ind in result.indicators:
        unit = f" {unit_for_value(ind.unit_for(lang), ind.value, lang)}" if ind.unit else ""
        value = "—" if ind.value is None else fmt_number(ind.value, lang) + unit
        if ind.no_data_reason == "no-reports":
            ratio = "—"  # no report: no numbers, not zeros
        elif ind.denominator is None:
            ratio = fmt_number(ind.numerator, lang) if ind.numerator is not None else "—"
        else:
            ratio = f"{fmt_number(ind.numerator, lang)} / {fmt_number(ind.denominator, lang)}"
        target = target_text(ind.comparator, ind.target, ind.unit_for(lang), lang)
        if ind.target_year is not None:
            target += f" ({ind.target_year})"
        if ind.provisional:
            target += " *"
        grid.add([whole(ind.code, "bold"), words(ind.name(lang))], whole(target), whole(value),
                 whole(ratio), _status_pieces(result, ind, lang))
    print_grid(console, grid, [
        # 80 columns (a pipe): the ratio under the result.
        Layout([[0], [1], [2, 3], [4]], labelled=False),
        # 60 columns: the indicator, and what it came to.
        Layout([[0], [4, 2, 3, 1]], headers=[t("indicator", lang), t("result", lang)]),
    ])
    print_notes(console, result, lang)
    done = result.completeness
    say = functools.partial(_say, console)
    say(t("completeness", lang, received=done.received, expected=done.expected,
          on_time=done.on_time, late=done.late, missing=len(done.missing)))
    _other_periods(console, result, lang)
    if done.not_due:
        _listing(console, "not_due_list", [f"{a} ({RHYTHM_WORDS[r][lang == 'en']})"
                                           for a, r in done.not_due], lang)
    if done.cut:
        _listing(console, "cut_list", [f"{a} {period_label(p, lang)}" for a, p in done.cut], lang)
    if done.missing:
        items = [f"{a} {period_label(m, lang)}" for a, m in done.missing[:20]]
        if len(done.missing) > 20:
            items.append(f"(+{len(done.missing) - 20})")
        _listing(console, "missing_list", items, lang)
    counts = {s: sum(f.status == s for f in result.files)
              for s in ("accepted", "rejected", "superseded", "out_of_span")}
    say(t("files_summary", lang, skipped=len(result.skipped), **counts))
    for record in result.rejected:
        n = len(record.submission.errors)
        print_wrapped(console, [words(t("rejected_label", lang), "red"),
                                whole(inert(record.file), "red"),
                                words(t("n_errors", lang, n=n), "red")], indent=2, hanging=4)
        for issue in record.submission.errors[:5]:
            _issue_line(console, issue, lang, indent=4)
        if n > 5:
            console.print(f"    … +{n - 5}", markup=False)
    for path, reason in result.skipped:
        print_wrapped(console, [words(t("skipped_label", lang)), whole(inert(path)),
                                words(f"({skip_reason(reason, lang)})")], indent=2, hanging=4)
    errors = sum(i.severity == "error" for i in result.issues)
    warnings = [i for i in result.issues if i.severity != "error"]
    say(t("problems_summary", lang, errors=errors, warnings=len(warnings)))
    # A file whose cover names another period (or that was replaced) is not counted: its
    # warnings go under their own heading, never under "the files still count".
    counted = {r.file for r in result.files if r.status in ("accepted", "rejected")}
    elsewhere = [i for i in warnings if i.file and i.file not in counted]
    warnings = [i for i in warnings if i not in elsewhere]
    for title, listed in (("warnings_title", warnings), ("other_period_title", elsewhere)):
        if not listed:
            continue
        say(t(title, lang))
        for issue in listed[:WARNINGS_SHOWN]:
            file = [whole(inert(issue.file) + ":")] if issue.file else [words(t("province", lang) + ":")]
            _issue_line(console, issue, lang, indent=2, before=file)
        if len(listed) > WARNINGS_SHOWN:
            say("  " + t("more_warnings", lang, n=len(listed) - WARNINGS_SHOWN))
    from .history import summary_lines

    for line in summary_lines(getattr(result, "history", None), lang):
        say(line)


def _status_pieces(result, ind, lang: str) -> list[Piece]:
    """The status in words: "Chưa có số liệu (0/109 báo cáo)" when none of the indicator's
    units sent an accepted report; "(tạm tính)" after a verdict of a span still open or with
    months without data."""
    text = status_text(ind.status, lang, ind.no_data_reason)
    if ind.no_data_reason == "no-reports" and ind.expected is not None:
        text += " " + t("status_reports", lang, received=ind.received, expected=ind.expected)
    elif result.provisional and ind.status in ("met", "not_met"):
        text += " " + t("rp_partial_status", lang)
    from .narrative import judged_words

    if judged_words(ind, lang):  # judged on the year to date (the plan's judged_on)
        text += " " + judged_words(ind, lang)
    return [words(text, STATUS_STYLE[ind.status])]


def _other_periods(console: Console, result, lang: str) -> None:
    """Every file is for another period: name it, and the --period that reads it."""
    found = result.other_periods
    if not found:
        return
    names = ", ".join(f"{period_label(p, lang)} ({n})" for p, n in list(found.items())[:5])
    if len(found) > 5:
        names += f", (+{len(found) - 5})"
    _say(console, t("other_period_all", lang, period=period_label(result.span.code, lang), found=names))
    _say(console, "  " + t("other_period_try", lang, code=next(iter(found))))


DECISIONS_SHOWN = 20  # decisions listed in the terminal; every one is in JSON


def print_decisions(console: Console, decisions: list, lang: str) -> None:
    """kpi's decisions (kpi.decisions), in one place, before the figures they shaped."""
    if not decisions:
        return
    print_wrapped(console, [words(t("decisions_title", lang), "bold yellow")], hanging=0)
    for decided in decisions[:DECISIONS_SHOWN]:
        print_wrapped(console, [words("- " + inert(decided.message(lang)))], indent=2, hanging=2)
    if len(decisions) > DECISIONS_SHOWN:
        _say(console, "  " + t("decisions_more", lang, n=len(decisions) - DECISIONS_SHOWN))


def _listing(console: Console, key: str, items: list[str], lang: str) -> None:
    """"Label: A 08/2026, B 08/2026": each item kept on one line."""
    pieces = [words(t(key, lang, items="").rstrip())]
    pieces += [whole(item + ("," if n < len(items) - 1 else "")) for n, item in enumerate(items)]
    print_wrapped(console, pieces, hanging=2)


def _say(console: Console, line: str) -> None:
    print_wrapped(console, [words(line)], hanging=2)


def _issue_line(console: Console, issue, lang: str, indent: int,
                before: list[Piece] | None = None) -> None:
    """"Sheet!E8: message", the place kept whole."""
    where = "!".join(inert(x) for x in (issue.sheet, issue.cell) if x)
    pieces = list(before or [])
    if where:
        pieces.append(whole(where + ":"))
    pieces.append(words(inert(issue.message(lang))))
    print_wrapped(console, pieces, indent=indent, hanging=2)


def print_notes(console: Console, result, lang: str) -> None:
    """What a figure needs said with it: provisional targets, units not counted."""
    provisional = [i for i in result.indicators if i.provisional]
    if provisional:
        _say(console, "* " + provisional_note([i.basis(lang) for i in provisional], lang))
    for ind in result.indicators:
        if ind.not_counted and ind.status != "no_data":
            _say(console, t("not_counted_note", lang, code=ind.code,
                            units=", ".join(ind.not_counted)))


CSV_TABLES = ("indicators", "totals", "breakdowns")
# A cell starting with one of these is run by a spreadsheet (=HYPERLINK(...), @SUM(...), +1-2,
# a tab or line break before them); the report's cells are guarded the same way (kpi.xlsx.put).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CSV_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet will run: a text that starts like a formula gets a leading
    apostrophe ('=HYPERLINK(...)), as OWASP advises; a number stays a number (-5, -0.25)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START) \
            and not _CSV_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeCsv:
    """csv.writer whose every cell goes through :func:`csv_cell`."""

    def __init__(self, buffer: Any) -> None:
        import csv

        self._writer = csv.writer(buffer, lineterminator="\n")

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])


def aggregate_csv(result, lang: str, table: str = "indicators", rounded: bool = False) -> str:
    """One table of the roll-up as CSV: the indicators (the default), each element's total, or
    each part of each breakdown (one column per category, blank where the part does not
    break down by it). ``rounded``: values to two decimals, as a reader wants them in Excel
    (66.67); otherwise every decimal a program may want (66.66666666666667)."""
    import io

    if table == "totals":
        return _totals_csv(result, lang)
    if table == "breakdowns":
        return _breakdowns_csv(result, lang)
    buffer = io.StringIO()
    writer = _SafeCsv(buffer)
    # Columns are only ever added at the end: scripts read the first ones by position.
    writer.writerow(["code", "name", "numerator", "denominator", "value", "comparator", "target",
                     "unit", "status", "target_year", "provisional", "plan"])
    num = _csv_rounded if rounded else _csv_num
    for ind in result.indicators:
        writer.writerow([ind.code, ind.name(lang), num(ind.numerator), num(ind.denominator),
                         num(ind.value), ind.comparator or "", num(ind.target),
                         ind.unit_for(lang), ind.status,
                         ind.target_year if ind.target_year is not None else "",
                         "yes" if ind.provisional else "", result.plan.id])
    return buffer.getvalue()


CSV_HEADERS = ("code,name,numerator,", "element,name,value,", "element,name,")


def is_own_csv(path) -> bool:
    """Whether an existing file is a CSV kpi wrote (so it may be replaced): its first line is
    the header of one of kpi's tables."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return head.startswith(CSV_HEADERS)


def _totals_csv(result, lang: str) -> str:
    import io

    buffer = io.StringIO()
    writer = _SafeCsv(buffer)
    writer.writerow(["element", "name", "value", "unit", "aggregation", "plan"])
    for element in result.plan.elements:
        writer.writerow([element.code, element.name(lang), result.totals.get(element.code, 0),
                         element.unit(lang), element.aggregation, result.plan.id])
    return buffer.getvalue()


def _breakdowns_csv(result, lang: str) -> str:
    import io

    from .aggregate import breakdown_table

    plan = result.plan
    categories = [c.code for c in plan.categories]
    buffer = io.StringIO()
    writer = _SafeCsv(buffer)
    writer.writerow(["element", "name", *categories, "options", "value", "unit", "plan"])
    for code, parts in breakdown_table(plan, result.totals).items():
        element = plan.element_by_code[code]
        for part in parts:
            options = part["options"]
            names = ", ".join(plan.option_by_code[o][1].name(lang) for o in options.values())
            writer.writerow([code, element.name(lang), *(options.get(c, "") for c in categories),
                             names, part["value"], element.unit(lang), plan.id])
    return buffer.getvalue()


def _csv_num(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv_rounded(value) -> str:
    """Two decimals at most, no trailing zeros, a point as the decimal mark: 66.67, 92.5, 100."""
    if value is None:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
