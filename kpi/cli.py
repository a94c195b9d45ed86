"""The `kpi` command: options in, library calls, rendering, exit codes. No logic of its own.

Exit codes: 0 all good, 1 the data has problems (a file with errors, a target not met),
2 wrong usage or something that cannot be read at all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .clihelp import KpiCommand, KpiGroup

# Help texts are English here; kpi.i18n.HELP_VI holds each one in Vietnamese (the default).
app = typer.Typer(
    cls=KpiGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="KPI calculator for provincial programmes monitored through spreadsheets.\n\n"
    "\b\nExample: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out report.xlsx",
)
plan_app = typer.Typer(cls=KpiGroup, no_args_is_help=True, rich_markup_mode=None,
                       help="Show or check a plan file.")
app.add_typer(plan_app, name="plan")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

PlanOpt = Annotated[Path | None, typer.Option(
    "--plan", metavar="FILE", help="Plan file (TOML) to use; default: the plan in force for the period.")]
PlansOpt = Annotated[Path | None, typer.Option(
    "--plans", metavar="DIR",
    help="Folder of plan files to choose from; default: the plans bundled with kpi.")]
LangOpt = Annotated[str | None, typer.Option(
    "--lang", metavar="vi|en", help="Language of what kpi writes: vi (default) or en; also KPI_LANG.")]
NoCacheOpt = Annotated[bool, typer.Option(
    "--no-cache", help="Read every file anew: neither use nor fill the cache of what was read "
    "(also KPI_NO_CACHE=1).")]


def inert(text: object) -> str:
    from .present import inert as made_inert

    return made_inert(text)


MIN_COLUMNS = 60  # a narrower width (COLUMNS=0 included) is taken as this: tables fit from here


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=False)
    if console.width < MIN_COLUMNS:
        console.width = MIN_COLUMNS
    return console


def _bad_period(value: str | None, lang: str) -> typer.Exit:
    """A period kpi cannot read: said, with every form it accepts."""
    from datetime import date

    from .i18n import t

    forms = t("period_forms", lang, y=date.today().year)
    return _fail(t("bad_period_opt", lang, value=value) + "\n"
                 + _hanging(forms, _console(stderr=True).width - 1))


def _hanging(text: str, width: int) -> str:
    """Lines "  label:   a, b, c" wider than ``width`` wrapped between items, each further line
    indented to the items' column, so a narrow terminal keeps the list readable."""
    import re

    out = []
    for line in text.split("\n"):
        m = re.match(r"^(\s+[^:]+:\s+)(.*)$", line)
        if not m or len(line) <= width:
            out.append(line)
            continue
        head, rest = m.groups()
        items = rest.split(", ")
        current = head
        for n, item in enumerate(items):
            piece = item + ("," if n < len(items) - 1 else "")
            if current == head:
                current += piece
            elif len(current) + 1 + len(piece) <= width:
                current += " " + piece
            else:
                out.append(current)
                current = " " * len(head) + piece
        out.append(current)
    return "\n".join(out)


def _bad_choice(option: str, value: str, choices: tuple[str, ...], lang: str) -> typer.Exit:
    from .i18n import t

    return _fail(t("bad_choice", lang, option=option, value=inert(value),
                   choices=" | ".join(choices)))


def _data(text: str) -> None:
    """JSON or CSV on standard output, exact whatever the console's encoding."""
    from .terminal import write_data

    write_data(text if text.endswith("\n") else text + "\n")


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    shown = "\n".join(inert(line) for line in message.split("\n"))
    _console(stderr=True).print(shown, style="red", markup=False)
    return typer.Exit(code)


def _load(plan_path: Path | None, lang: str):
    from .plan import PlanError, load_plan

    try:
        return load_plan(plan_path)
    except PlanError as exc:
        raise _plan_failed(exc, lang) from None


def _known_plans(plan_path: Path | None, plans_dir: Path | None, lang: str) -> list:
    """The plans to choose from: the one given with --plan, else those of --plans or kpi's own."""
    from .catalog import bundled_plans, load_plans
    from .plan import PlanError

    if plan_path is not None:
        return [_load(plan_path, lang)]
    try:
        return load_plans(plans_dir) if plans_dir is not None else bundled_plans()
    except PlanError as exc:
        raise _plan_failed(exc, lang) from None


def _plan_failed(exc, lang: str) -> typer.Exit:
    from .i18n import t

    if not exc.details:  # a folder without plan files
        return _fail(t("no_plans", lang, path=inert(exc.path)))
    lines = [t("plan_bad", lang, path=inert(exc.path), n=len(exc.problems))]
    lines += [f"  - {p}" for p in exc.messages(lang)]
    return _fail("\n".join(lines))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    lang: LangOpt = None,
) -> None:
    """KPI calculator for provincial programmes monitored through spreadsheets."""
    # --lang here (kpi --lang en aggregate ...) is read before parsing, as it is after a command.


@app.command(cls=KpiCommand)
def validate(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE...", help="Submission workbooks (.xlsx .xlsm .xls .ods), or folders of them "
        "(searched recursively).")],
    plan: PlanOpt = None,
    plans_dir: PlansOpt = None,
    fmt: Annotated[str, typer.Option("--format", metavar="table|json", help="table or json")] = "table",
    lang: LangOpt = None,
    annotate: Annotated[bool, typer.Option(
        "--annotate", help="Write a marked copy <name>.kiem-tra.xlsx next to each file.")] = False,
    annotate_out: Annotated[Path | None, typer.Option(
        "--annotate-out", metavar="PATH", help="Where the marked copy goes: a .xlsx file (one FILE) "
        "or a folder. Implies --annotate.")] = None,
    history: Annotated[Path | None, typer.Option(
        "--history", metavar="DIR", help="Folder of the units' earlier reports to compare each "
        "value with (default: the month folders beside the file's, for nop/2026-08/FILE).")] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check submissions and list every problem with its sheet and cell.

    \b
    Example: kpi validate nop/2026-08/CA_TINH_2026-08.xlsx --format json

    Exit 0 when every file is valid (warnings allowed), 1 when a file has errors,
    2 when a file cannot be read at all (or its marked copy cannot be written).
    """
    from .collect import collect_files
    from .errors import NoSpreadsheet
    from .i18n import current_lang, t
    from .read import is_lock_file
    from .validate import skip_reason, validate_file

    lang = current_lang(lang)
    if fmt not in ("table", "json"):
        raise _bad_choice("--format", fmt, ("table", "json"), lang)
    plans = _known_plans(plan, plans_dir, lang)
    # A folder is searched as aggregate searches it; files named one by one are all checked,
    # but Excel's ~$ lock files that come along with a *.xlsx glob are skipped, not failed.
    chosen: list[Path] = []
    skipped: list[tuple[str, str]] = []
    from_folders: set[str] = set()
    seen: set[str] = set()  # each file once, however often it is named or reached
    for path in files:
        if path.is_dir():
            found, passed, _ = collect_files([path])
            if not found:
                raise _fail(NoSpreadsheet([str(path)], passed).message(lang))
            found = [f for f in found if os.path.realpath(f) not in seen]
            chosen += found
            skipped += passed
            from_folders.update(str(f) for f in found)
        elif is_lock_file(path):
            skipped.append((str(path), "lock-file"))
        elif os.path.realpath(path) not in seen:
            chosen.append(path)
        seen.update(os.path.realpath(f) for f in chosen)
    annotate = annotate or annotate_out is not None
    if annotate:
        from .annotate import out_problem
        from .outputs import not_a_folder, submissions_folder

        if problem := out_problem(annotate_out, len(chosen), lang):
            raise _fail(problem)
        if annotate_out is not None:
            where = annotate_out.parent if annotate_out.suffix.lower() == ".xlsx" else annotate_out
            if (parent := not_a_folder(where)) is not None:
                raise _fail(t("parent_not_folder", lang, option="--annotate-out",
                              path=inert(annotate_out), parent=inert(parent)))
            if (folder := submissions_folder(annotate_out, files)) is not None:
                raise _fail(t("into_submissions", lang, option="--annotate-out",
                              path=inert(annotate_out), folder=inert(folder)))
    if history is not None and not history.is_dir():  # before any file is read
        raise _fail(t("hist_no_folder", lang, path=inert(history)))
    from . import readcache

    with readcache.used(not no_cache):
        subs = [validate_file(f, plans if len(plans) > 1 else plans[0]) for f in chosen]
        readcache.prune(if_written=True)
    # kpi's own outputs found in a folder (a report, an unchanged marked copy) are listed as
    # aggregate lists them, not checked as submissions.
    skipped += [(s.file, skip_reason(s)) for s in subs if s.output and s.file in from_folders]
    subs = [s for s in subs if not (s.output and s.file in from_folders)]
    # Each value against the unit's own earlier months (kpi/history.py): warnings only.
    from .history import check_files, summary_lines

    with readcache.used(not no_cache):  # the history's files are read like the others
        past = check_files(subs, plans, history)
    marked = []
    if annotate:
        from .annotate import annotate_files

        marked = annotate_files(subs, annotate_out, lang)
    if fmt == "json":
        from .render import dumps

        listed = [s.to_dict(lang) for s in subs]
        for entry, outcome in zip(listed, marked, strict=False):
            entry["annotated"] = str(outcome.path) if outcome.path else None
        document: dict[str, object] = {"files": listed,
                    "skipped": [{"file": f, "reason": r} for f, r in skipped]}
        if past is not None:
            document["history"] = past.to_dict()
        _data(dumps(document))
    else:
        from .render import print_submissions

        console = _console()
        print_submissions(console, subs, lang, skipped)
        for line in summary_lines(past, lang):
            console.print(line, markup=False)
        for outcome in marked:
            if outcome.path:
                console.print(t("ann_written", lang, path=inert(outcome.path)), markup=False)
    for outcome in marked:
        if outcome.problem:
            _console(stderr=True).print(outcome.problem, style="red", markup=False)
    if any(not s.readable for s in subs) or any(o.problem for o in marked):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_OK if all(s.valid for s in subs) else EXIT_PROBLEMS)


@app.command(cls=KpiCommand)
def template(
    agency: Annotated[list[str] | None, typer.Option(
        "--agency", metavar="CODE", help="Agency code; repeatable.")] = None,
    all_agencies: Annotated[bool, typer.Option("--all", help="One template for every agency.")] = False,
    period: Annotated[str | None, typer.Option(
        "--period", metavar="PERIOD", help="Period to prefill: a month (2026-08), or a quarter, half "
        "year or year for the agencies that report so.")] = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to write to.")] = Path("."),
    plan: PlanOpt = None,
    plans_dir: PlansOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the blank Excel template each agency fills.

    \b
    Example: kpi template --all --period 2026-08 --out mau-bieu/2026-08
    """
    from .catalog import current_plan, plan_for
    from .errors import KpiError
    from .i18n import current_lang, t
    from .periods import PeriodError, parse_span
    from .present import period_label
    from .templates import TemplateRefused, planned_templates, write_templates

    lang = current_lang(lang)
    plans = _known_plans(plan, plans_dir, lang)
    span = None
    if period:
        try:
            span = parse_span(period)
        except PeriodError:
            raise _bad_period(period, lang) from None
        try:
            the_plan = plan_for(plans, span)
        except KpiError as exc:
            raise _fail(exc.message(lang)) from None
        if not the_plan.covers(span.code):
            from .errors import PeriodOutsidePlan

            raise _fail(PeriodOutsidePlan(span.code, the_plan.coverage_start, the_plan.coverage_end,
                                          the_plan.as_plan("vi"), the_plan.as_plan("en")).message(lang))
    else:
        the_plan = current_plan(plans)
    if all_agencies:
        chosen = list(the_plan.agencies)
    elif agency:
        chosen = []
        for code in dict.fromkeys(c.strip().upper() for c in agency):  # each agency once
            found = the_plan.agency_by_code.get(code)
            if found is None:
                raise _fail(_unknown_agency(the_plan, code, span, lang))
            chosen.append(found)
    else:
        raise _fail(t("choose_agency", lang))
    _, passed = planned_templates(the_plan, chosen, span)
    if passed and not all_agencies:  # asked for by name: say why there is none, and stop
        lines = [t(f"template_{why}", lang, code=a.code, period=period_label(span.code if span else "",
                                                                             lang),
                   active=_active_text(a, lang)) for a, why in passed]
        raise _fail("\n".join(lines))
    from .outputs import not_a_folder
    from .templates import submission_among

    if (parent := not_a_folder(out)) is not None:
        raise _fail(t("parent_not_folder", lang, option="--out", path=inert(out), parent=inert(parent)))
    if out.is_dir() and (clerk_file := submission_among(out)) is not None:
        raise _fail(t("template_into_submissions", lang, path=inert(out),
                      file=inert(clerk_file.name)))
    try:
        written = write_templates(the_plan, chosen, out, span)
    except TemplateRefused as exc:
        for path in exc.written:
            typer.echo(f"  {inert(path)}")
        raise _fail("\n".join(t("template_refused", lang, path=inert(p)) for p in exc.paths)) from None
    except OSError as exc:
        raise _fail(f"{inert(out)}: {exc.strerror or exc}") from None
    _console().print(t("templates_written", lang, n=len(written), dir=inert(out),
                       plan=the_plan.as_plan(lang)), markup=False)
    for path in written:
        typer.echo(f"  {inert(path)}")
    for a, why in passed:
        typer.echo("  " + t(f"template_{why}", lang, code=a.code,
                            period=period_label(span.code if span else "", lang),
                            active=_active_text(a, lang)))


def _unknown_agency(plan, code: str, span, lang: str) -> str:
    """"No agency X in plan P", the codes it may have meant, and where the list is."""
    import difflib

    from .i18n import t

    text = t("unknown_agency_opt", lang, code=inert(code), plan=plan.as_plan(lang)) + "."
    close = difflib.get_close_matches(code, [a.code for a in plan.agencies], n=3, cutoff=0.75)
    if close:
        text += " " + t("use_did_you_mean", lang, names=", ".join(close))
    show = "kpi plan show" + (f" --period {span.code}" if span is not None else "")
    return text + " " + t("agency_list_hint", lang, command=show)


def _active_text(agency, lang: str) -> str:
    from .present import month_label

    if agency.active_to and agency.active_from:
        return f"{month_label(agency.active_from)} – {month_label(agency.active_to)}"
    if agency.active_to:
        return ("đến " if lang != "en" else "until ") + month_label(agency.active_to)
    if agency.active_from:
        return ("từ " if lang != "en" else "from ") + month_label(agency.active_from)
    return ""


@app.command(cls=KpiCommand)
def aggregate(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Submission files or folders (searched recursively).")],
    period: Annotated[str | None, typer.Option(
        "--period", metavar="PERIOD", help="2026-08 or 08/2026, 2026-Q3 or Q3/2026, 2026-H1, 2026, "
        "or 2026-01..2026-06; default: the latest month found.")] = None,
    plan: PlanOpt = None,
    plans_dir: PlansOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="FILE",
        help="Consolidated report to write: .xlsx (the workbook) or .csv (the --table).")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="table|json|csv",
                                     help="table, json or csv")] = "table",
    table: Annotated[str, typer.Option(
        "--table", metavar="indicators|totals|breakdowns",
        help="Which table CSV holds: indicators, totals or breakdowns.")] = "indicators",
    docx: Annotated[Path | None, typer.Option(
        "--docx", metavar="FILE", help="Word draft of the narrative report to write (.docx).")] = None,
    issuer: Annotated[str | None, typer.Option(
        "--issuer", metavar="TEXT",
        help="Issuing body of the report (default: the plan's [report]).")] = None,
    to: Annotated[list[str] | None, typer.Option(
        "--to", metavar="TEXT", help="Recipient ('Kính gửi'); repeat for several.")] = None,
    signer_title: Annotated[str | None, typer.Option(
        "--signer-title", metavar="TEXT",
        help="Signer's title, e.g. 'KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC'.")] = None,
    signer_name: Annotated[str | None, typer.Option(
        "--signer-name", metavar="TEXT", help="Signer's name.")] = None,
    place: Annotated[str | None, typer.Option(
        "--place", metavar="TEXT", help="Place in the date line.")] = None,
    lang: LangOpt = None,
    feedback: Annotated[Path | None, typer.Option(
        "--feedback", metavar="DIR",
        help="Folder for a marked copy of each rejected file and a text per agency.")] = None,
    sender_office: Annotated[str | None, typer.Option(
        "--sender-office", metavar="TEXT", help="Office that signs the feedback texts (default: the plan's "
        "[contact]).")] = None,
    sender_person: Annotated[str | None, typer.Option(
        "--sender-person", metavar="TEXT", help="Contact person named in the feedback texts.")] = None,
    sender_phone: Annotated[str | None, typer.Option(
        "--sender-phone", metavar="TEXT", help="Contact phone given in the feedback texts.")] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Roll up a period's submissions and compare each indicator with its target.

    \b
    Example: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out report.xlsx

    Exit 0 when every target with data is met and no file was rejected, 1 otherwise,
    2 for wrong usage or a path that does not exist. An existing --out file is replaced.
    """
    from .errors import KpiError
    from .i18n import current_lang
    from .outputs import Outputs, print_written, write_outputs
    from .periods import PeriodError
    from .render import CSV_TABLES

    lang = current_lang(lang)
    if fmt not in ("table", "json", "csv"):
        raise _bad_choice("--format", fmt, ("table", "json", "csv"), lang)
    if table not in CSV_TABLES:
        raise _bad_choice("--table", table, CSV_TABLES, lang)
    outputs = Outputs(out=out, table=table, docx=docx, feedback=feedback, issuer=issuer,
                      to=to or [], signer_title=signer_title, signer_name=signer_name, place=place,
                      sender_office=sender_office, sender_person=sender_person,
                      sender_phone=sender_phone)
    try:
        outputs.check(paths)
        plans = _known_plans(plan, plans_dir, lang)
        from . import readcache

        outputs.plans = plans
        with readcache.used(not no_cache):
            result = _roll_up_with_progress(paths, period, plans, lang)
        sent = write_outputs(result, outputs, lang)
    except PeriodError:
        raise _bad_period(period, lang) from None
    except KpiError as exc:
        raise _fail(exc.message(lang)) from None
    if sent is not None and sent.texts and outputs.sender(result).empty:
        from .i18n import t

        # Letters that end with nobody to answer to: the analyst is told, whatever the format.
        _console(stderr=True).print(t("fb_no_sender", lang, plan=outputs.issuing_plan(result).id),
                                    style="yellow", markup=False)
    if fmt == "json":
        from .render import dumps

        data = result.to_dict(lang)
        if sent is not None:
            data["feedback"] = sent.to_dict()
        if outputs.kept:
            data["outputs_kept"] = [{"file": str(a), "written": str(b)} for a, b in outputs.kept]
        _data(dumps(data))
    elif fmt == "csv":
        from .render import aggregate_csv

        _data(aggregate_csv(result, lang, table))
    else:
        from .render import print_aggregate

        print_aggregate(_console(), result, lang)
        print_written(_console(), outputs, sent, lang)
    # A target none of whose units reported has no data: that is not "fine" either (issue 21).
    unknown = any(i.no_data_reason == "no-reports" and i.target is not None for i in result.indicators)
    ok = result.all_met and not result.rejected and not unknown
    raise typer.Exit(EXIT_OK if ok else EXIT_PROBLEMS)


def _roll_up_with_progress(paths: list[Path], period: str | None, plans: list, lang: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .i18n import t
    from .rollup import roll_up

    console = _console(stderr=True)
    with Progress(TextColumn(t("reading", lang)), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task("read", total=None)
        return roll_up(paths, period, plans[0] if len(plans) == 1 else None, plans=plans,
                       progress=lambda n: progress.advance(task, n),
                       on_found=lambda total: progress.update(task, total=total))


@plan_app.callback()
def plan_main(lang: LangOpt = None) -> None:
    """Show or check a plan file."""
    # --lang here (kpi plan --lang en show) is read before parsing, as it is after a command.


@plan_app.command("show", cls=KpiCommand)
def plan_show(
    plan: PlanOpt = None,
    plans_dir: PlansOpt = None,
    period: Annotated[str | None, typer.Option(
        "--period", metavar="PERIOD",
        help="Show the plan in force for this period (default: today's).")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="table|json", help="table or json")] = "table",
    lang: LangOpt = None,
) -> None:
    """List the plans kpi knows with their coverage, then one plan's units, forms, rules and
    targets.

    \b
    Example: kpi plan show --period 2025-05 --format json
    """
    from .catalog import current_plan, plan_for
    from .errors import KpiError
    from .i18n import current_lang
    from .periods import PeriodError, parse_span

    lang = current_lang(lang)
    if fmt not in ("table", "json"):
        raise _bad_choice("--format", fmt, ("table", "json"), lang)
    plans = _known_plans(plan, plans_dir, lang)
    try:
        the_plan = plan_for(plans, parse_span(period)) if period else current_plan(plans)
    except PeriodError:
        raise _bad_period(period, lang) from None
    except KpiError as exc:
        raise _fail(exc.message(lang)) from None
    if fmt == "json":
        from .render import dumps, plan_to_dict, plans_to_list

        data = plan_to_dict(the_plan, lang)
        data["plans"] = plans_to_list(plans, lang)
        _data(dumps(data))
    else:
        from .render import print_plan, print_plans

        print_plans(_console(), plans, the_plan, lang)
        print_plan(_console(), the_plan, lang)


@plan_app.command("check", cls=KpiCommand)
def plan_check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Plan file (TOML) to check.")],
    lang: LangOpt = None,
) -> None:
    """Report every mistake in a plan file at once.

    \b
    Example: kpi plan check my_province.toml   (exit 0 when sound, 1 when it has mistakes,
    2 when the file cannot be read)
    """
    from .i18n import current_lang, t
    from .plan import check_plan_file

    lang = current_lang(lang)
    if not file.is_file():
        raise _fail(t("plan_missing", lang, path=inert(file)))
    try:
        file.read_bytes()
    except OSError as exc:
        raise _fail(t("cannot_read", lang, path=inert(file), reason=exc.strerror or exc)) from None
    plan, problems = check_plan_file(file, lang)
    if problems or plan is None:
        from .terminal import print_wrapped, words

        console = _console()
        console.print(t("plan_bad", lang, path=inert(file), n=len(problems)), markup=False)
        for p in problems:
            print_wrapped(console, [words("- " + inert(p))], indent=2, hanging=2)
        raise typer.Exit(EXIT_PROBLEMS)
    typer.echo(t("plan_ok", lang, id=plan.id, forms=len(plan.forms), elements=len(plan.elements),
                 agencies=len(plan.agencies), rules=len(plan.rules),
                 indicators=len(plan.indicators)))


def _interrupted(signum: int, frame: object) -> None:
    # Click would swallow KeyboardInterrupt silently; say what happened, exit 130 (Ctrl-C) or
    # 143 (a polite kill) as shells do. SystemExit still runs every cleanup on its way out.
    import signal

    from .i18n import current_lang

    english = current_lang() == "en"
    if signum == signal.SIGINT:
        sys.stderr.write("\nInterrupted (Ctrl-C).\n" if english else "\nĐã dừng (Ctrl-C).\n")
        raise SystemExit(130)
    sys.stderr.write("\nStopped (terminated).\n" if english else "\nĐã dừng (bị yêu cầu kết thúc).\n")
    raise SystemExit(128 + signum)


def run() -> None:
    """Console-script entry point: usage errors exit 2, never a traceback for a user mistake."""
    import signal

    signal.signal(signal.SIGINT, _interrupted)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _interrupted)
    try:
        try:
            app()
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
        sys.stdout.flush()
    except OSError as exc:  # standard output on a full disk, a closed or failing stream
        code = _output_failed(exc)
    finally:
        # On its way out the interpreter would walk every object still alive with the cyclic
        # collector (0.1-0.2 s after a large roll-up, pandas loaded): reference counting frees
        # them anyway, so the collector is told to leave them be.
        import gc

        gc.freeze()
    raise SystemExit(code)


def _output_failed(exc: OSError) -> int:
    """One message on standard error, exit 2; standard output is set aside so that the
    interpreter's last flush does not fail again."""
    from .i18n import current_lang, t

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - kept open until exit
    try:
        sys.stderr.write(t("stdout_failed", current_lang(), reason=exc.strerror or exc) + "\n")
    except OSError:
        pass
    return EXIT_USAGE
