"""What a reader sees, worded once: numbers, inert text from files, quoted values.

Every output (terminal, CSV, JSON, workbooks, marked copies, feedback texts) takes its wording
from here, so they cannot disagree.
"""

from __future__ import annotations

import re
from decimal import Decimal

# C0 and C1 controls (ESC starts a terminal escape sequence) and the invisible characters that
# reorder or hide text (bidirectional overrides and isolates, marks): shown as \xNN / \uNNNN.
_NOT_INERT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
QUOTE_LIMIT = 60  # characters of a typed value quoted in a message


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: object) -> str:
    """``text`` (from a file, a file name, a sheet name) with every control and direction
    character made visible: safe to print on a terminal or write into a text for people."""
    value = "" if text is None else str(text)
    return _NOT_INERT.sub(_escape, value) if _NOT_INERT.search(value) else value


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit].rstrip("…") + "…"


def vi_int(n: int) -> str:
    """1000000 -> '1.000.000' (Vietnamese digit grouping)."""
    return f"{n:,}".replace(",", ".")


def fmt_exact(value: Decimal | int, lang: str) -> str:
    """An exact number with every decimal it has: 1234.567 -> '1.234,567' / '1,234.567'."""
    text = f"{value:,f}" if isinstance(value, Decimal) else f"{value:,}"
    return text if lang == "en" else text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_number(value: float | int | None, lang: str, decimals: int = 1) -> str:
    """92.345 -> '92,3' in Vietnamese, '92.3' in English; thousands grouped (1.234 / 1,234)."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


# --- periods ------------------------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def month_label(month: str | None, lang: str = "vi") -> str:
    """``2025-08`` -> ``08/2025``: the one way a month is shown in tables and messages."""
    if not month:
        return "?"
    year, _, mm = month.partition("-")
    return f"{mm}/{year}"


def period_name(code: str, lang: str = "vi") -> str:
    """A span code in words, as a Vietnamese report titles it: ``2025-08`` -> "Tháng 8/2025",
    ``2025-Q3`` -> "Quý III/2025", ``2025-H1`` -> "6 tháng đầu năm 2025", ``2025`` -> "Năm 2025",
    ``2025-01..2025-06`` -> "Từ tháng 1/2025 đến tháng 6/2025"."""
    en = lang == "en"
    if ".." in code:
        first, last = code.split("..")
        if en:
            return f"{_month_en(first)} to {_month_en(last)}"
        return f"Từ tháng {_month_vi(first)} đến tháng {_month_vi(last)}"
    if "-Q" in code:
        year, q = code.split("-Q")
        return f"Q{q} {year}" if en else f"Quý {ROMAN[int(q)]}/{year}"
    if "-H" in code:
        year, h = code.split("-H")
        if en:
            return f"{'First' if h == '1' else 'Second'} half of {year}"
        return f"6 tháng {'đầu' if h == '1' else 'cuối'} năm {year}"
    if "-" in code:
        return _month_en(code) if en else f"Tháng {_month_vi(code)}"
    return f"Year {code}" if en else f"Năm {code}"


def period_title(code: str, lang: str = "vi") -> str:
    """The period as a report title names it: "QUÝ III NĂM 2025", "THÁNG 8 NĂM 2025"."""
    if lang == "en":
        return period_name(code, "en").upper()
    if ".." in code:
        return period_name(code, "vi").upper()
    if "-Q" in code:
        year, q = code.split("-Q")
        return f"QUÝ {ROMAN[int(q)]} NĂM {year}"
    if "-H" in code:
        year, h = code.split("-H")
        return f"6 THÁNG {'ĐẦU' if h == '1' else 'CUỐI'} NĂM {year}"
    if "-" in code:
        year, _, mm = code.partition("-")
        return f"THÁNG {int(mm)} NĂM {year}"
    return f"NĂM {code}"


def _month_vi(month: str) -> str:
    year, _, mm = month.partition("-")
    return f"{int(mm)}/{year}"


_MONTHS_EN = ("January February March April May June July August September October November "
              "December").split()


def _month_en(month: str) -> str:
    year, _, mm = month.partition("-")
    return f"{_MONTHS_EN[int(mm) - 1]} {year}"


def day(value: object) -> str:
    """A date as Vietnamese offices write it: 17/08/2025."""
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else ""


# --- targets and statuses -----------------------------------------------------------------------

IRREGULAR_SINGULAR = {"people": "person", "persons": "person", "children": "child"}


def unit_for_value(unit: str, value: object, lang: str) -> str:
    """The unit as it reads after ``value``: "1 ring", "2 rings" in English; Vietnamese units do
    not change ("1 đường dây")."""
    if lang != "en" or not unit or value is None or float(value) != 1:  # type: ignore[arg-type]
        return unit
    head, _, last = unit.rpartition(" ")
    if last in IRREGULAR_SINGULAR:
        one = IRREGULAR_SINGULAR[last]
    elif last.endswith(("sses", "xes", "ches", "shes")):
        one = last[:-2]
    elif last.endswith("ies"):
        one = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        one = last[:-1]
    else:
        one = last
    return f"{head} {one}" if head else one


def unit_suffix(unit: str) -> str:
    """" %" or " người": a number and its unit are always one space apart."""
    return f" {unit}" if unit else ""


def target_text(comparator: str | None, target: float | None, unit: str, lang: str) -> str:
    """"≥ 100 %", "> 90 %", "Theo dõi" (tracked): the one way a target is written."""
    from .i18n import t

    if target is None:
        return t("tracked_target", lang)
    symbol = {">=": "≥", "<=": "≤"}.get(comparator or "", comparator or "")
    return f"{symbol} {fmt_number(target, lang)}{unit_suffix(unit)}"


def provisional_note(bases: list[str], lang: str) -> str:
    """The note a "*" refers to: "Mục tiêu tạm áp dụng: <basis>", or the basis alone when it
    already says the target is provisional ("Provisional: the target of ..."), so that the word
    is never read twice ("Provisional target: provisional: ...")."""
    from .i18n import t

    text = "; ".join(b for b in dict.fromkeys(bases) if b)
    said = ("provisional", "tạm áp dụng", "tạm thời")
    if text and text.casefold().startswith(said):
        return text[:1].upper() + text[1:]
    return t("provisional_note", lang, basis=text)


def status_text(status: str, lang: str, reason: str | None = None) -> str:
    """"Đạt", "Chưa đạt", "Không phát sinh", "Theo dõi"; "Chưa có số liệu" for a no_data
    indicator none of whose units sent an accepted report (``reason`` "no-reports")."""
    from .i18n import t

    if status == "no_data" and reason == "no-reports":
        return t("status_no_reports", lang)
    return t(f"status_{status}", lang)


def period_label(code: str | None, lang: str = "vi") -> str:
    """A reporting period in a table or a message: a month as ``08/2025``, a longer period in
    words (``Quý III/2025``)."""
    if not code:
        return "?"
    if len(code) == 7 and code[4] == "-" and code[5:].isdigit():
        return month_label(code)
    return period_name(code, lang)
