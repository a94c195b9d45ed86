"""kpi's decisions: every choice the input left open, as data the analyst reads before signing.

Where two readings of the input were possible, kpi applied a rule written in the README; each
time it did, one :class:`Decision` says which rule, for which agency and period, over which
files, what was chosen (None: nothing counts until someone acts) and why, in words. The
terminal lists them in one place ("Các quyết định của kpi"), JSON under ``decisions``.

Rules (stable codes, like issue codes):

- ``later-date-sent``: of an agency's files for one period, the one sent last counts.
- ``same-content``: files with the same figures are one report, counted once.
- ``undecided-version``: which of two different files was sent last cannot be told: none counts
  (each carries the error ``ambiguous-version``).
- ``name-cover-mismatch``: a file named for another agency than its cover says does not replace
  the agency's own file.
- ``date-form``: a date sent read from a less usual form (a two-digit year, words).
- ``period-from-date``: a period typed as a date, read by the plan's cut-off.
- ``default-period``: the period rolled up when none was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from .i18n import t

LATER_DATE_SENT = "later-date-sent"
SAME_CONTENT = "same-content"
UNDECIDED_VERSION = "undecided-version"
NAME_COVER_MISMATCH = "name-cover-mismatch"
DATE_FORM = "date-form"
PERIOD_FROM_DATE = "period-from-date"
DEFAULT_PERIOD = "default-period"
RULES = (LATER_DATE_SENT, SAME_CONTENT, UNDECIDED_VERSION, NAME_COVER_MISMATCH, DATE_FORM,
         PERIOD_FROM_DATE, DEFAULT_PERIOD)


@dataclass(frozen=True)
class Decision:
    rule: str
    agency: str | None
    month: str | None  # the reporting period decided about (a month, or a quarter ...)
    files: tuple[str, ...]
    chosen: str | None
    message_vi: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {"rule": self.rule, "agency": self.agency, "month": self.month,
                "files": list(self.files), "chosen": self.chosen, "message": self.message(lang)}


def decision(rule: str, agency: str | None, month: str | None, files: list[str] | tuple[str, ...],
             chosen: str | None, key: str | None = None, **params: Any) -> Decision:
    """A decision whose message is the catalogue's ``dec_<rule>`` text; a parameter may be a
    function of the language (a date sent "không đọc được" / "unreadable")."""
    def say(lang: str) -> str:
        values = {k: (v(lang) if callable(v) else v) for k, v in params.items()}
        return t(key or f"dec_{rule}", lang, **values)

    return Decision(rule, agency, month, tuple(files), chosen, say("vi"), say("en"))


def name(path: str) -> str:
    """A file as a decision names it: its name (JSON keeps the path)."""
    from .present import inert

    return inert(Path(path).name)


def when(day: date | None, at: time | None) -> str:
    """``17/08/2026 15:30``, ``17/08/2026``, or "" when unknown."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y") + (at.strftime(" %H:%M") if at is not None else "")
