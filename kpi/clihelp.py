"""The command line's own words: help and usage errors in the user's language, the language
refused when kpi does not speak it, and a console that survives any encoding.

Typer writes help and usage errors in English (its copy of Click has no translations). The
command classes here word them from the catalogue (kpi.i18n): the language is read from the
command line (``--lang``, anywhere) or KPI_LANG before anything is parsed, so ``kpi validate
--help`` and ``kpi validate`` without a file answer in Vietnamese by default, in English with
``--lang en``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from .i18n import HELP_VI, LANGUAGES, METAVAR_VI, SESSION_LANG, parse_lang, t

try:  # typer >= 0.28 carries its own copy of Click
    from typer._click import exceptions as _click_errors  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - older typer, with Click itself
    from click import exceptions as _click_errors  # type: ignore[no-redef,import-not-found,unused-ignore]

ClickException = _click_errors.ClickException
UsageError = _click_errors.UsageError
Abort = typer.Abort


def language_of(args: Sequence[str], env: str | None) -> tuple[str, str | None]:
    """The language a command line asks for, and the refusal to show when it asks for one
    kpi does not speak: ``--lang X`` / ``--lang=X`` (the last one wins), else KPI_LANG."""
    asked: tuple[str, str] | None = None
    items = list(args)
    for n, arg in enumerate(items):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(items):
            asked = ("--lang", items[n + 1])
        elif arg.startswith("--lang="):
            asked = ("--lang", arg.partition("=")[2])
    if asked is None and env:
        asked = ("KPI_LANG=", env)
    if asked is None:
        return "vi", None
    lang = parse_lang(asked[1])
    if lang is not None:
        return lang, None
    # Refused in the language of the environment when that one is known, else Vietnamese.
    fallback = parse_lang(env) or "vi"
    what = f"--lang {asked[1]}" if asked[0] == "--lang" else f"KPI_LANG={asked[1]}"
    return fallback, t("bad_lang", fallback, what=what)


def help_text(text: str | None, lang: str) -> str | None:
    """An English help text in ``lang`` (itself when no translation is known)."""
    if text is None or lang == "en":
        return text
    import inspect

    return HELP_VI.get(inspect.cleandoc(text), text)


_EXTRA = re.compile(r"\s*\[(?:default: (?P<default>[^\]]*?))?(?:; )?(?P<required>required)?\]$")


def _record(record: tuple[str, str], lang: str) -> tuple[str, str]:
    """One line of the option list: its help, default and "required" in ``lang``."""
    opts, text = record
    if lang == "en":
        return opts, text
    extra = ""
    m = _EXTRA.search(text)
    if m and (m.group("default") is not None or m.group("required")):
        parts = []
        if m.group("default") is not None:
            parts.append(f"mặc định: {m.group('default')}")
        if m.group("required"):
            parts.append("bắt buộc")
        extra = "  [" + "; ".join(parts) + "]"
        text = text[:m.start()]
    return opts, (help_text(text, lang) or "") + extra


def _lang() -> str:
    return SESSION_LANG.get() or "vi"


class _Worded:
    """Help in the session's language: usage line, sections, every help text and metavar."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        lang = _lang()
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("usage", lang) + " ")

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = help_text(self.help, _lang())  # type: ignore[attr-defined]
        if text:
            import inspect

            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(inspect.cleandoc(text).partition("\f")[0])

    def format_options(self, ctx: Any, formatter: Any) -> None:
        lang = _lang()
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            (args if param.param_type_name == "argument" else opts).append(_record(record, lang))
        if args:
            with formatter.section(t("h_arguments", lang)):
                formatter.write_dl(args)
        if opts:
            with formatter.section(t("h_options", lang)):
                formatter.write_dl(opts)
        if hasattr(self, "commands"):
            self._format_commands(ctx, formatter, lang)

    def _format_commands(self, ctx: Any, formatter: Any, lang: str) -> None:
        rows = []
        for name in self.list_commands(ctx):  # type: ignore[attr-defined]
            cmd = self.get_command(ctx, name)  # type: ignore[attr-defined]
            if cmd is None or cmd.hidden:
                continue
            first = (help_text(cmd.help, lang) or "").strip().split("\n\n")[0].replace("\n", " ")
            rows.append((name, first))
        if rows:
            with formatter.section(t("h_commands", lang)):
                formatter.write_dl(rows)


def localize(command: Any, lang: str) -> None:
    """Metavars and the options placeholder of ``command`` and its subcommands in ``lang``
    (English ones are kept aside, so a later run in English gets them back)."""
    if not hasattr(command, "_kpi_en"):
        command._kpi_en = (command.options_metavar, getattr(command, "subcommand_metavar", None),
                           [(p, p.metavar) for p in command.params])
    options_metavar, sub_metavar, params = command._kpi_en
    vi = lang == "vi"
    command.options_metavar = METAVAR_VI.get(options_metavar, options_metavar) if vi else options_metavar
    if sub_metavar is not None:
        command.subcommand_metavar = METAVAR_VI.get(sub_metavar, sub_metavar) if vi else sub_metavar
    for param, metavar in params:
        param.metavar = METAVAR_VI.get(metavar, metavar) if vi and metavar else metavar
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang)


def usage_message(error: Any, lang: str) -> str:
    """A Click usage error in ``lang``: what was wrong, and the usage line with where to look."""
    cls = type(error).__name__
    text = error.format_message()
    if lang != "en":
        text = _usage_vi(error, cls, text)
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(t("usage_try", lang, command=f"{ctx.command_path} {ctx.help_option_names[0]}"))
        lines.append("")
    lines.append(t("usage_error", lang, message=text))
    return "\n".join(lines)


def _usage_vi(error: Any, cls: str, text: str) -> str:
    param = getattr(error, "param", None)
    ctx = getattr(error, "ctx", None)
    if cls == "MissingParameter" and param is not None:
        hint = param.get_error_hint(ctx) if ctx is not None else param.name
        key = "use_missing_argument" if param.param_type_name == "argument" else "use_missing_option"
        return t(key, "vi", name=hint)
    if cls == "NoSuchOption":
        found = t("use_no_option", "vi", name=error.option_name)
        if error.possibilities:
            found += " " + t("use_did_you_mean", "vi", names=", ".join(sorted(error.possibilities)))
        return found
    if m := re.match(r"Option '(.+)' requires (an argument|\d+ arguments)\.$", text):
        return t("use_needs_value", "vi", name=m.group(1))
    if m := re.match(r"Option '(.+)' does not take a value\.$", text):
        return t("use_takes_no_value", "vi", name=m.group(1))
    if m := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", text):
        return t("use_extra", "vi", args=m.group(1))
    if m := re.match(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?$", text):
        found = t("use_no_command", "vi", name=m.group(1))
        if m.group(2):
            found += " " + t("use_did_you_mean", "vi", names=m.group(2))
        return found
    if text.startswith("Missing command"):
        return t("use_missing_command", "vi")
    if cls == "BadParameter" and param is not None and ctx is not None:
        return t("use_bad_value", "vi", name=param.get_error_hint(ctx), message=error.message)
    return text


class KpiCommand(_Worded, TyperCommand):
    pass


class KpiGroup(_Worded, TyperGroup):
    """The ``kpi`` command: decides the language before parsing, refuses one it does not
    speak, words usage errors, and never lets the console's encoding end a run."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        from .terminal import tolerant_streams

        tolerant_streams()
        seen = sys.argv[1:] if args is None else list(args)
        lang, refusal = language_of(seen, os.environ.get("KPI_LANG"))
        if refusal is not None:
            sys.stderr.write(refusal + "\n")
            if standalone_mode:
                sys.exit(2)
            return 2
        token = SESSION_LANG.set(lang)
        try:
            localize(self, lang)
            try:
                code = super().main(args, prog_name, complete_var, standalone_mode=False,
                                    windows_expand_args=windows_expand_args, **extra)
            except UsageError as error:
                if not standalone_mode:
                    raise
                if type(error).__name__ == "NoArgsIsHelpError":
                    error.show()  # the help itself, already worded
                else:
                    sys.stderr.write(usage_message(error, lang) + "\n")
                code = error.exit_code
            except ClickException as error:
                if not standalone_mode:
                    raise
                sys.stderr.write(t("usage_error", lang, message=error.format_message()) + "\n")
                code = error.exit_code
            except Abort:
                if not standalone_mode:
                    raise
                sys.stderr.write(t("aborted", lang) + "\n")
                code = 1
        finally:
            SESSION_LANG.reset(token)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


__all__ = ["LANGUAGES", "KpiCommand", "KpiGroup", "language_of", "usage_message"]
