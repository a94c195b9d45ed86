"""Rich tables and JSON for plans and validation results."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .i18n import t
from .plan import Indicator, Plan
from .present import fmt_number, inert, period_label, period_name, status_text, target_text
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


def _target_of(i: Indicator, lang: str) -> str:
    """The target, or each milestone by year ("2026: ≥ 60 %; 2030: ≥ 100 %")."""
    if i.milestones:
        return "; ".join(f"{m.year}: {target_text(i.comparator, m.target, i.unit, lang)}"
                         for m in i.milestones)
    return target_text(i.comparator, i.target, i.unit, lang)


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
    from .present import month_label

    table = Table(title=t("plans_title", lang), header_style="bold")
    for key in ("code", "name", "coverage", "in_force"):
        table.add_column(t(key, lang), overflow="fold")
    for p in plans:
        table.add_row(p.id, f"{p.label}: {p.title(lang)}",
                      f"{month_label(p.coverage_start)} – {month_label(p.coverage_end)}",
                      "✔" if p is chosen else "")
    console.print(table)


def print_plan(console: Console, plan: Plan, lang: str) -> None:
    console.print(f"[bold]{escape(plan.title(lang))}[/bold] ({plan.id})")
    if plan.note(lang):
        console.print(plan.note(lang), markup=False)
    agencies = Table(title=t("agency", lang), show_lines=False)
    agencies.add_column(t("code", lang), no_wrap=True)
    agencies.add_column(t("name", lang), overflow="fold")
    agencies.add_column(t("forms", lang), overflow="fold")
    for a in plan.agencies:
        forms = ", ".join(f if a.rhythm_of(f) == "monthly" else f"{f} ({a.rhythm_of(f)})"
                          for f in a.forms)
        agencies.add_row(a.code, a.name(lang), forms)
    console.print(agencies)
    forms_table = Table(title=t("forms", lang))
    forms_table.add_column(t("code", lang), no_wrap=True)
    forms_table.add_column(t("name", lang), overflow="fold")
    forms_table.add_column(t("element", lang), overflow="fold")
    for f in plan.forms:
        forms_table.add_row(f.code, f.title(lang), ", ".join(e.code for e in plan.elements_of(f.code)))
    console.print(forms_table)
    rules = Table(title=t("rules", lang))
    rules.add_column(t("code", lang), no_wrap=True)
    rules.add_column(t("expression", lang), overflow="fold")
    rules.add_column(t("severity", lang))
    rules.add_column(t("message", lang), overflow="fold")
    for r in plan.rules:
        rules.add_row(r.code, r.expression.source, t(r.severity, lang), r.message(lang))
    console.print(rules)
    indicators = Table(title=t("indicator", lang))
    indicators.add_column(t("code", lang), no_wrap=True)
    indicators.add_column(t("name", lang), overflow="fold")
    indicators.add_column(t("target", lang), justify="right", overflow="fold")
    indicators.add_column(t("source", lang), overflow="fold")
    for i in plan.indicators:
        indicators.add_row(i.code, i.name(lang), _target_of(i, lang), i.source)
    console.print(indicators)


def print_submissions(console: Console, subs: list[Submission], lang: str) -> None:
    for sub in subs:
        status = (t("unreadable", lang) if not sub.readable
                  else t("valid", lang) if sub.valid else t("invalid", lang))
        colour = "green" if sub.valid else "red"
        # What comes from the file (its name, a sheet, a typed value quoted in a message) is
        # escaped: "[/bold]" typed as an agency must print as typed, not be read as markup.
        head = f"[bold]{escape(inert(sub.file))}[/bold]  {sub.agency or '?'}  {sub.period or '?'}  "
        console.print(head + f"[{colour}]{status}[/{colour}]")
        if not sub.issues:
            console.print(f"  {t('no_problem', lang)}")
            continue
        table = Table(show_header=True, header_style="bold", pad_edge=False)
        for key in ("severity", "sheet", "cell", "element", "message"):
            table.add_column(t(key, lang), overflow="fold")
        for issue in sorted(sub.issues, key=lambda i: i.severity != "error"):
            style = "red" if issue.severity == "error" else "yellow"
            table.add_row(f"[{style}]{t(issue.severity, lang)}[/{style}]",
                          escape(inert(issue.sheet or "")), escape(inert(issue.cell or "")),
                          issue.element or "", escape(inert(issue.message(lang))))
        console.print(table)
    valid = sum(s.valid for s in subs)
    console.print(t("validate_summary", lang, files=len(subs), valid=valid,
                    invalid=len(subs) - valid, errors=sum(len(s.errors) for s in subs),
                    warnings=sum(len(s.warnings) for s in subs)))


STATUS_STYLE = {"met": "green", "not_met": "red", "no_data": "bright_black", "tracked": "cyan"}


def print_aggregate(console: Console, result, lang: str) -> None:  # result: AggregateResult
    start, end = result.window
    console.print(t("agg_title", lang, plan=result.plan.label,
                    period=period_name(result.span.code, lang), start=start.strftime("%d/%m/%Y"),
                    end=end.strftime("%d/%m/%Y")), style="bold", markup=False)
    if result.plan.note(lang):
        console.print(result.plan.note(lang), markup=False)
    table = Table(show_lines=False, header_style="bold")
    table.add_column(t("indicator", lang), overflow="fold", ratio=3)
    table.add_column(t("target", lang), justify="right", no_wrap=True)
    table.add_column(t("result", lang), justify="right", no_wrap=True)
    table.add_column(t("num_den", lang), justify="right", no_wrap=True)
    table.add_column(t("status", lang), no_wrap=True)
    for ind in result.indicators:
        unit = f" {ind.unit_for(lang)}" if ind.unit else ""
        value = "—" if ind.value is None else fmt_number(ind.value, lang) + unit
        if ind.denominator is None:
            ratio = fmt_number(ind.numerator, lang) if ind.numerator is not None else "—"
        else:
            ratio = f"{fmt_number(ind.numerator, lang)} / {fmt_number(ind.denominator, lang)}"
        style = STATUS_STYLE[ind.status]
        target = target_text(ind.comparator, ind.target, ind.unit_for(lang), lang)
        if ind.target_year is not None:
            target += f" ({ind.target_year})"
        if ind.provisional:
            target += " *"
        status = f"[{style}]{status_text(ind.status, lang)}[/{style}]"
        table.add_row(f"{ind.code}\n{escape(ind.name(lang))}", target, value, ratio, status)
    console.print(table)
    print_notes(console, result, lang)
    done = result.completeness
    console.print(t("completeness", lang, received=done.received, expected=done.expected,
                    on_time=done.on_time, late=done.late, missing=len(done.missing)))
    if done.not_due:
        items = ", ".join(f"{a} ({RHYTHM_WORDS[r][lang == 'en']})" for a, r in done.not_due)
        console.print(t("not_due_list", lang, items=items), markup=False)
    if done.cut:
        items = ", ".join(f"{a} {period_label(p, lang)}" for a, p in done.cut)
        console.print(t("cut_list", lang, items=items), markup=False)
    if done.missing:
        items = ", ".join(f"{a} {period_label(m, lang)}" for a, m in done.missing[:20])
        more = f" (+{len(done.missing) - 20})" if len(done.missing) > 20 else ""
        console.print(t("missing_list", lang, items=items + more), markup=False)
    counts = {s: sum(f.status == s for f in result.files)
              for s in ("accepted", "rejected", "superseded", "out_of_span")}
    console.print(t("files_summary", lang, skipped=len(result.skipped), **counts))
    for record in result.rejected:
        line = t("rejected_file", lang, file=inert(record.file), n=len(record.submission.errors))
        console.print(f"  [red]{escape(line)}[/red]")
        for issue in record.submission.errors[:5]:
            where = "!".join(inert(x) for x in (issue.sheet, issue.cell) if x)
            console.print(f"    {where}: {inert(issue.message(lang))}", markup=False)
        if len(record.submission.errors) > 5:
            console.print(f"    … +{len(record.submission.errors) - 5}")
    for path, reason in result.skipped:
        console.print(f"  {t('skipped_file', lang, file=inert(path), reason=reason)}", markup=False)
    errors = sum(i.severity == "error" for i in result.issues)
    console.print(t("problems_summary", lang, errors=errors, warnings=len(result.issues) - errors))


def print_notes(console: Console, result, lang: str) -> None:
    """What a figure needs said with it: provisional targets, units not counted."""
    provisional = [i for i in result.indicators if i.provisional]
    if provisional:
        bases = dict.fromkeys(i.basis(lang) for i in provisional)
        console.print("* " + t("provisional_note", lang, basis="; ".join(b for b in bases if b)),
                      markup=False)
    for ind in result.indicators:
        if ind.not_counted and ind.status != "no_data":
            console.print(t("not_counted_note", lang, code=ind.code, units=", ".join(ind.not_counted)),
                          markup=False)


CSV_TABLES = ("indicators", "totals", "breakdowns")


def aggregate_csv(result, lang: str, table: str = "indicators") -> str:
    """One table of the roll-up as CSV: the indicators (the default), each element's total, or
    each part of each breakdown (one column per category, blank where the part does not
    break down by it)."""
    import csv
    import io

    if table == "totals":
        return _totals_csv(result, lang)
    if table == "breakdowns":
        return _breakdowns_csv(result, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # Columns are only ever added at the end: scripts read the first ones by position.
    writer.writerow(["code", "name", "numerator", "denominator", "value", "comparator", "target",
                     "unit", "status", "target_year", "provisional", "plan"])
    for ind in result.indicators:
        writer.writerow([ind.code, ind.name(lang), _csv_num(ind.numerator), _csv_num(ind.denominator),
                         _csv_num(ind.value), ind.comparator or "", _csv_num(ind.target),
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
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["element", "name", "value", "unit", "aggregation", "plan"])
    for element in result.plan.elements:
        writer.writerow([element.code, element.name(lang), result.totals.get(element.code, 0),
                         element.unit(lang), element.aggregation, result.plan.id])
    return buffer.getvalue()


def _breakdowns_csv(result, lang: str) -> str:
    import csv
    import io

    from .aggregate import breakdown_table

    plan = result.plan
    categories = [c.code for c in plan.categories]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
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
