"""The `kpi` command: options in, library calls, rendering, exit codes. No logic of its own.

Exit codes: 0 all good, 1 the data has problems (a file with errors, a target not met),
2 wrong usage or something that cannot be read at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="KPI calculator for provincial programmes monitored through spreadsheets.\n\n"
    "Example: kpi validate CA_TINH_2025-10.xlsx",
)
plan_app = typer.Typer(no_args_is_help=True, help="Show or check a plan file.")
app.add_typer(plan_app, name="plan")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

PlanOpt = Annotated[Path | None, typer.Option("--plan", help="Plan file (TOML); default: bundled plan.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="vi (default) or en; also KPI_LANG.")]


def inert(text: object) -> str:
    from .present import inert as made_inert

    return made_inert(text)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    shown = "\n".join(inert(line) for line in message.split("\n"))
    _console(stderr=True).print(shown, style="red", markup=False)
    return typer.Exit(code)


def _load(plan_path: Path | None, lang: str):
    from .plan import PlanError, load_plan

    try:
        return load_plan(plan_path)
    except PlanError as exc:
        from .i18n import t

        lines = [t("plan_bad", lang, path=inert(exc.path), n=len(exc.problems))]
        lines += [f"  - {p}" for p in exc.messages(lang)]
        raise _fail("\n".join(lines)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """KPI calculator for provincial programmes monitored through spreadsheets."""


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Submission workbooks (.xlsx .xlsm .xls .ods).")],
    plan: PlanOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    lang: LangOpt = None,
    annotate: Annotated[bool, typer.Option(
        "--annotate", help="Write a marked copy <name>.kiem-tra.xlsx next to each file.")] = False,
    annotate_out: Annotated[Path | None, typer.Option(
        "--annotate-out", help="Where the marked copy goes: a .xlsx file (one FILE) or a folder. "
        "Implies --annotate.")] = None,
) -> None:
    """Check submissions and list every problem with its sheet and cell.

    Example: kpi validate CA_TINH_2025-10.xlsx --format json

    Exit 0 when every file is valid (warnings allowed), 1 when a file has errors,
    2 when a file cannot be read at all (or its marked copy cannot be written).
    """
    from .i18n import current_lang, t
    from .read import is_lock_file
    from .validate import validate_file

    lang = current_lang(lang)
    if fmt not in ("table", "json"):
        raise _fail(f"--format: table | json, not {fmt!r}")
    the_plan = _load(plan, lang)
    # Excel's ~$ lock files come along with a *.xlsx glob on a shared folder: skip, not fail.
    skipped = [f for f in files if is_lock_file(f)]
    annotate = annotate or annotate_out is not None
    if annotate:
        from .annotate import out_problem

        if problem := out_problem(annotate_out, len(files) - len(skipped), lang):
            raise _fail(problem)
    subs = [validate_file(f, the_plan) for f in files if not is_lock_file(f)]
    marked = []
    if annotate:
        from .annotate import annotate_files

        marked = annotate_files(subs, annotate_out, lang)
    if fmt == "json":
        from .render import dumps

        listed = [s.to_dict(lang) for s in subs]
        for entry, outcome in zip(listed, marked, strict=False):
            entry["annotated"] = str(outcome.path) if outcome.path else None
        typer.echo(dumps({"files": listed,
                          "skipped": [{"file": str(f), "reason": "lock-file"} for f in skipped]}))
    else:
        from .render import print_submissions

        console = _console()
        for f in skipped:
            console.print(t("skipped_file", lang, file=inert(f), reason="lock-file"), markup=False)
        print_submissions(console, subs, lang)
        for outcome in marked:
            if outcome.path:
                console.print(t("ann_written", lang, path=inert(outcome.path)), markup=False)
    for outcome in marked:
        if outcome.problem:
            _console(stderr=True).print(outcome.problem, style="red", markup=False)
    if any(not s.readable for s in subs) or any(o.problem for o in marked):
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_OK if all(s.valid for s in subs) else EXIT_PROBLEMS)


@app.command()
def template(
    agency: Annotated[list[str] | None, typer.Option("--agency", help="Agency code; repeatable.")] = None,
    all_agencies: Annotated[bool, typer.Option("--all", help="One template for every agency.")] = False,
    period: Annotated[str | None, typer.Option("--period", help="Month YYYY-MM to prefill.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write to.")] = Path("."),
    plan: PlanOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the blank Excel template each agency fills.

    Example: kpi template --all --period 2025-10 --out templates/
    """
    from .i18n import current_lang, t
    from .periods import PeriodError, parse_span
    from .templates import TemplateRefused, write_templates

    lang = current_lang(lang)
    the_plan = _load(plan, lang)
    if period:
        try:
            span = parse_span(period)
        except PeriodError:
            raise _fail(t("bad_period_opt", lang, value=period)) from None
        if len(span.months) != 1:
            raise _fail(t("bad_period_opt", lang, value=period))
        period = span.first
    if all_agencies:
        chosen = [a for a in the_plan.agencies if period is None or a.active_in(period)]
    elif agency:
        chosen = []
        for code in agency:
            found = the_plan.agency_by_code.get(code.strip().upper())
            if found is None:
                raise _fail(t("unknown_agency_opt", lang, code=code))
            chosen.append(found)
    else:
        raise _fail(t("choose_agency", lang))
    try:
        written = write_templates(the_plan, chosen, out, period)
    except TemplateRefused as exc:
        for path in exc.written:
            typer.echo(f"  {inert(path)}")
        raise _fail("\n".join(t("template_refused", lang, path=inert(p)) for p in exc.paths)) from None
    except OSError as exc:
        raise _fail(f"{inert(out)}: {exc.strerror or exc}") from None
    _console().print(t("templates_written", lang, n=len(written), dir=out), markup=False)
    for path in written:
        typer.echo(f"  {inert(path)}")


@app.command()
def aggregate(
    paths: Annotated[list[Path], typer.Argument(help="Submission files or folders (recursive).")],
    period: Annotated[str | None, typer.Option(
        "--period", help="2025-10, 2025-Q3, 2025-H1, 2025 or 2025-01..2025-06; default: latest month."
    )] = None,
    plan: PlanOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Consolidated report .xlsx to write.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv")] = "table",
    lang: LangOpt = None,
    feedback: Annotated[Path | None, typer.Option(
        "--feedback", help="Folder for a marked copy of each rejected file and a text per agency."
    )] = None,
) -> None:
    """Roll up a period's submissions and compare each indicator with its target.

    Example: kpi aggregate examples/2025-Q3 --period 2025-Q3 --out report.xlsx

    Exit 0 when every target with data is met and no file was rejected, 1 otherwise,
    2 for wrong usage or a path that does not exist. An existing --out file is replaced.
    """
    from .errors import KpiError
    from .i18n import current_lang, t
    from .periods import PeriodError

    lang = current_lang(lang)
    if fmt not in ("table", "json", "csv"):
        raise _fail(f"--format: table | json | csv, not {fmt!r}")
    if out is not None and out.suffix.lower() != ".xlsx":
        raise _fail(f"--out: {out} (.xlsx)")
    the_plan = _load(plan, lang)
    try:
        result = _roll_up_with_progress(paths, period, the_plan, lang)
    except PeriodError:
        raise _fail(t("bad_period_opt", lang, value=period)) from None
    except KpiError as exc:
        raise _fail(exc.message(lang)) from None
    if out is not None:
        from .report import write_report

        try:
            write_report(result, out, lang)
        except OSError as exc:
            raise _fail(t("cannot_write", lang, path=inert(out), reason=exc.strerror or exc)) from None
    sent = None
    if feedback is not None:
        from .feedback import write_feedback

        try:
            sent = write_feedback(result, feedback, lang)
        except OSError as exc:
            raise _fail(t("cannot_write", lang, path=inert(feedback), reason=exc.strerror or exc)) from None
    if fmt == "json":
        from .render import dumps

        data = result.to_dict(lang)
        if sent is not None:
            data["feedback"] = sent.to_dict()
        typer.echo(dumps(data))
    elif fmt == "csv":
        from .render import aggregate_csv

        typer.echo(aggregate_csv(result, lang), nl=False)
    else:
        from .render import print_aggregate

        print_aggregate(_console(), result, lang)
    if out is not None and fmt == "table":
        _console().print(t("report_written", lang, path=inert(out)), markup=False)
    if sent is not None and fmt == "table":
        console = _console()
        if not sent.texts:
            console.print(t("fb_none", lang))
        else:
            console.print(t("fb_written", lang, dir=feedback, texts=len(sent.texts),
                            copies=sum(r.copy is not None for r in sent.returned)), markup=False)
            for path in sent.written:
                console.print(f"  {inert(path)}", markup=False)
    ok = result.all_met and not result.rejected
    raise typer.Exit(EXIT_OK if ok else EXIT_PROBLEMS)


def _roll_up_with_progress(paths: list[Path], period: str | None, plan, lang: str):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .i18n import t
    from .rollup import roll_up

    console = _console(stderr=True)
    with Progress(TextColumn(t("reading", lang)), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task("read", total=None)
        return roll_up(paths, period, plan, progress=lambda n: progress.advance(task, n),
                       on_found=lambda total: progress.update(task, total=total))


@plan_app.command("show")
def plan_show(
    plan: PlanOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    lang: LangOpt = None,
) -> None:
    """List the plan's agencies, forms and targets.

    Example: kpi plan show --format json
    """
    from .i18n import current_lang

    lang = current_lang(lang)
    the_plan = _load(plan, lang)
    if fmt == "json":
        from .render import dumps, plan_to_dict

        typer.echo(dumps(plan_to_dict(the_plan, lang)))
    elif fmt == "table":
        from .render import print_plan

        print_plan(_console(), the_plan, lang)
    else:
        raise _fail(f"--format: table | json, not {fmt!r}")


@plan_app.command("check")
def plan_check(
    file: Annotated[Path, typer.Argument(help="Plan file (TOML) to check.")],
    lang: LangOpt = None,
) -> None:
    """Report every mistake in a plan file at once.

    Example: kpi plan check my_province.toml   (exit 0 when sound, 1 when it has mistakes)
    """
    from .i18n import current_lang, t
    from .plan import check_plan_file

    lang = current_lang(lang)
    plan, problems = check_plan_file(file, lang)
    if problems or plan is None:
        console = _console()
        console.print(t("plan_bad", lang, path=inert(file), n=len(problems)), markup=False)
        for p in problems:
            console.print(f"  - {p}", markup=False)
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
        app()
    finally:
        # On its way out the interpreter would walk every object still alive with the cyclic
        # collector (0.1-0.2 s after a large roll-up, pandas loaded): reference counting frees
        # them anyway, so the collector is told to leave them be.
        import gc

        gc.freeze()
