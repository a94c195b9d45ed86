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
