"""The plan format declared once: every table of a plan file and every key each one takes.

:data:`TABLES` is the one list of what a plan file may hold: table by table, each key with its
type, whether it is required and its default. The reader (:mod:`kpi.plan_load`) refuses any key
not declared here, naming the table, the entry and the nearest known key ("did you mean
active_to?"), so a typo never changes numbers silently; ``kpi/plans/SCHEMA.md`` documents every
key declared here (a test holds it). A new key is one line here, its reading in plan_load, and
its lines in SCHEMA.md.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .plan import Problem


@dataclass(frozen=True)
class Key:
    """One key of a table. ``type`` says what its value is, in SCHEMA.md's words:
    text, texts (a list of texts), number, whole (a whole number), flag (true or false),
    month (YYYY-MM), day (MM-DD), choice (one of ``choices``), expression, codes (a list of
    codes), map (a table of names to values), tables (a list of tables declared by ``of``)."""

    name: str
    type: str
    required: bool | str = False  # a text says when it is required ("kind = ratio")
    default: Any = None
    choices: tuple[str, ...] = ()
    of: TableSpec | None = None


@dataclass(frozen=True)
class TableSpec:
    """A table of the plan file: ``[name]`` (one) or ``[[name]]`` (``many``)."""

    name: str
    many: bool
    keys: tuple[Key, ...]
    required: bool = False

    @property
    def header(self) -> str:
        return f"[[{self.name}]]" if self.many else f"[{self.name}]"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)


# What kind of document `reference` names: outputs say "Kế hoạch 1583/KH-UBND" or
# "Quyết định 33/QĐ-TTg" (kpi.plan.Plan.named).
REFERENCE_KINDS = ("plan", "decision")

RHYTHM_CHOICES = ("monthly", "quarterly", "half-yearly", "yearly")

_NAMES = (Key("name_vi", "text", required=True), Key("name_en", "text", required=True))
_CODE = Key("code", "text", required=True)

OPTIONS = TableSpec("options", True, (
    _CODE, Key("name_vi", "text", required=True), Key("name_en", "text")))

TABLES: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("plan", False, (
        Key("id", "text", required=True),
        Key("title_vi", "text", required=True),
        Key("title_en", "text", required=True),
        Key("province", "text"),
        Key("reference", "text"),
        Key("reference_kind", "choice", default="plan", choices=REFERENCE_KINDS),
        Key("coverage_start", "month", required=True),
        Key("coverage_end", "month", required=True),
        Key("note_vi", "text"),
        Key("note_en", "text"),
        Key("rhythm", "choice", default="monthly", choices=RHYTHM_CHOICES),
        # one of the two (cutoff_day = 31 is the older way to say calendar months)
        Key("cutoff_day", "whole", required="unless calendar_months = true"),
        Key("calendar_months", "flag", default=False),
        # one of the two
        Key("deadline_days", "whole", required="unless deadline_day_next_month"),
        Key("deadline_day_next_month", "whole"),
    ), required=True),
    TableSpec("report", False, (
        Key("issuer_parent_vi", "text", default=""),
        Key("issuer_vi", "text", default=""),
        Key("number_suffix", "text", default=""),
        Key("place_vi", "text", default=""),
        Key("recipients_vi", "texts", default=()),
        Key("copies_vi", "texts", default=()),
        Key("signer_title_vi", "text", default=""),
        Key("signer_name", "text", default=""),
        Key("cited_vi", "text", default=""),
        Key("cited_en", "text", default=""),
        Key("subject_vi", "text", default=""),
        Key("subject_en", "text", default=""),
    )),
    TableSpec("contact", False, (
        Key("office_vi", "text", default=""),
        Key("office_en", "text", default=""),
        Key("person", "text", default=""),
        Key("phone", "text", default=""),
        Key("email", "text", default=""),
    )),
    TableSpec("levels", True, (_CODE, *_NAMES)),
    TableSpec("categories", True, (
        _CODE, Key("name_vi", "text", required=True), Key("name_en", "text"),
        Key("options", "tables", required=True, of=OPTIONS),
    )),
    TableSpec("forms", True, (
        _CODE, Key("sheet", "text", required=True), Key("title_vi", "text", required=True),
        Key("title_en", "text", required=True),
    ), required=True),
    TableSpec("elements", True, (
        _CODE, Key("form", "text", required=True), *_NAMES,
        Key("unit_vi", "text", default=""),
        Key("unit_en", "text", default=""),
        Key("aggregation", "choice", required=True, choices=("sum", "first", "last")),
        Key("breakdowns", "codes", default=()),
        Key("max", "number"),  # a whole number 1..10^15: a value above it is refused (implausible-value)
        Key("history_factor", "number"),  # > 1: a value this many times its usual is flagged
        Key("history_floor", "number"),  # >= 0: ... and at least this much above it
    ), required=True),
    TableSpec("agencies", True, (
        _CODE, *_NAMES,
        Key("level", "text", default="province"),
        Key("forms", "codes", required=True),
        Key("active_from", "month"),
        Key("active_to", "month"),
        Key("rhythm", "choice", default="the plan's rhythm", choices=RHYTHM_CHOICES),
        Key("form_rhythms", "map", default={}),
    ), required=True),
    TableSpec("rules", True, (
        _CODE,
        Key("expression", "expression", required=True),
        Key("severity", "choice", required=True, choices=("error", "warning")),
        Key("scope", "choice", default="submission", choices=("submission", "province")),
        Key("message_vi", "text", required=True),
        Key("message_en", "text", required=True),
    )),
    TableSpec("indicators", True, (
        _CODE, *_NAMES,
        Key("kind", "choice", default="ratio", choices=("ratio", "coverage", "timeliness")),
        Key("numerator", "expression", required="kind = ratio"),
        Key("denominator", "expression", required="a ratio with a target"),
        Key("factor", "number", default="100 (1 for a ratio without denominator)"),
        Key("comparator", "choice", required="with target or milestones",
            choices=(">", ">=", "<", "<=")),
        Key("target", "number", required="with a comparator, unless milestones"),
        Key("milestones", "map", required="with a comparator, unless target"),
        Key("unit", "text", default=""),
        Key("unit_en", "text", default=""),
        Key("source", "text", default=""),
        Key("form", "text", required="kind = coverage"),
        Key("condition", "expression", required="kind = coverage"),
        Key("event", "day"),
        Key("months", "codes", default=()),
        Key("provisional", "flag", default=False),
        Key("provisional_from", "whole"),
        Key("basis_vi", "text", default=""),
        Key("basis_en", "text", default=""),
        # The window the target is judged on: "year" for a yearly target whose period rate can
        # pass 100 % (cases solved now include earlier periods'): judged on the year to date.
        Key("judged_on", "choice", default="period", choices=("period", "year")),
    ), required=True),
)}


def _nearest(key: str, known: tuple[str, ...]) -> str | None:
    folded = {k.casefold(): k for k in known}
    if key.casefold() in folded:
        return folded[key.casefold()]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown(where: str, key: str, known: tuple[str, ...], what: tuple[str, str, str]) -> Problem:
    """``what``: what the name is, in English, in Vietnamese and its Vietnamese plural."""
    near = _nearest(key, known)
    if near is not None:
        return Problem(where, f"unknown {what[0]} '{key}' (did you mean {near}?)",
                       f"{what[1]} '{key}' không có trong định dạng (có phải là {near}?)")
    listed = ", ".join(known)
    return Problem(where, f"unknown {what[0]} '{key}' (known: {listed})",
                   f"{what[1]} '{key}' không có trong định dạng (các {what[2]}: {listed})")


def _entries(spec: TableSpec, value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """The tables of ``value`` with where each is; what is not a table is the reader's to say."""
    if not spec.many:
        return [(where, value)] if isinstance(value, dict) else []
    if not isinstance(value, list):
        return []
    found = []
    for i, table in enumerate(value, 1):
        if isinstance(table, dict):
            code = table.get("code")
            name = f"{where}[{i}] {code if isinstance(code, str) else ''}".strip()
            found.append((name, table))
    return found


def _check_table(spec: TableSpec, table: dict[str, Any], where: str, problems: list[Problem]) -> None:
    for key, value in table.items():
        if key not in spec.names:
            problems.append(_unknown(where, key, spec.names, ("key", "khóa", "khóa")))
            continue
        inner = spec.key(key).of
        if inner is not None:
            for at, sub in _entries(inner, value, f"{where} {key}"):
                _check_table(inner, sub, at, problems)


def unknown_keys(data: dict[str, Any]) -> list[Problem]:
    """Every key of the plan file ``data`` that its table does not declare, and every table
    the format does not have: where, what, and the nearest known one."""
    problems: list[Problem] = []
    top = tuple(TABLES)
    for name, value in data.items():
        spec = TABLES.get(name)
        if spec is None:
            problems.append(_unknown("", name, top, ("table", "bảng", "bảng")))
            continue
        for where, table in _entries(spec, value, spec.header if not spec.many else name):
            _check_table(spec, table, where, problems)
    return problems
