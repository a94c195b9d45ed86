"""Turning what a clerk typed in a count cell into a whole number, or saying why not.

Vietnamese writes ``1.234`` for one thousand two hundred thirty-four and ``1,5`` for one and a
half; clerks also type numbers as text, with stray or non-breaking spaces and full-width digits.

The one rule for grouped numbers: text is read only when it has a single reading as a count.
``1.234`` could be Vietnamese grouping (1234) or an English decimal (1.234, not a count): read as
1234. ``2,000`` could be English grouping (2000) or a Vietnamese decimal (2): two counts a thousand
apart, so it is refused (``ambiguous-number``) with how to type it, never guessed. ``2,000,000``
(two commas) has only the English reading, ``1,5`` only the Vietnamese one (a fraction).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")

# Every kind of space a clerk's keyboard or a copy from a web page puts in a number.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u3000\u200b\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DIGITS = re.compile(r"^\d+$")
_VI_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")  # 1.234 or 1.234,5
_SPACE_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+(?:[,.]\d+)?$")  # 1 234
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?$|^\d{1,3},\d{3}\.\d+$")  # 1,234,567 / 1,234.5
# One comma then exactly three digits: 2,000 is 2000 in English and 2 in Vietnamese.
_AMBIGUOUS = re.compile(r"^\d+,\d{3}$")
_VI_DECIMAL = re.compile(r"^\d+,\d+$")  # 1,5
_DOT_DECIMAL = re.compile(r"^\d+\.\d+$")  # 2.5 (but 1.234 is grouping, matched first)
_MAX = 10**15  # beyond any real count; keeps float conversion exact
# How far a stored float may be from a whole number and still be read as it: binary rounding
# of a formula (0.1 * 30, =A1/3*3) leaves a relative error near 1e-16; a typed fraction (2.5,
# 0.001) is far above this. Text is never rounded: it is read exactly.
ROUNDING_NOISE = 1e-9


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: ``value`` (None when unusable), ``problem`` and whether it came from text."""

    value: int | None
    # missing-value | not-a-number | not-whole | negative | too-large | ambiguous-number
    problem: str | None = None
    from_text: bool = False
    # A float within rounding noise of a whole number (a formula's 3.0000000000000004, shown
    # as 3 by Excel), read as that number: the value as it was stored, else None.
    rounded: float | None = None


CACHED_TEXT_LEN = 200  # longer text is not kept: a hostile file could fill a cache with megabytes


def cached_for_short_text(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``fn(text, *more)`` per process when ``text`` is short: names, dates, codes and
    sheet names repeat from file to file. Longer text is computed each time and never kept."""
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def wrapper(text: str, *more: Any) -> T:
        return cached(text, *more) if len(text) <= CACHED_TEXT_LEN else fn(text, *more)

    wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return wrapper


@cached_for_short_text
def clean_text(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), invisible format characters dropped
    (zero-width space, byte-order mark, soft hyphen: a copy from a web page brings them, and
    the clerk cannot see them), spaces folded, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _SPACES.sub(" ", text).strip()
    # Control characters left (ESC starts a terminal escape sequence: a value quoted in a
    # message must not retitle or recolour the analyst's terminal) are shown, not sent.
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


# Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters. Old and new
# spelling put them on different vowels of one syllable ("Toà" / "Tòa", "thuỷ" / "thủy").
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


@cached_for_short_text
def name_key(text: str) -> str:
    """What two names are compared by: spaces folded, case ignored, Unicode composed or not
    (NFC), and each syllable's tone mark wherever it sits ("Tòa" and "Toà" are one name). The
    vowel marks (â, ă, ơ, ư) stay where they are: "Nữ" is not "Nu"."""
    words = []
    for word in unicodedata.normalize("NFD", clean_text(text)).casefold().split(" "):
        tones = "".join(ch for ch in word if ch in _TONES)
        words.append("".join(ch for ch in word if ch not in _TONES) + tones)
    return " ".join(words)


def _from_number(number: float | int | Decimal, from_text: bool) -> Parsed:
    # Only a float can be NaN or infinite (and math.isnan would overflow on a huge int).
    if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
        return Parsed(None, "not-a-number", from_text)
    if number < 0:
        return Parsed(None, "negative", from_text)
    if number != int(number):
        return Parsed(None, "not-whole", from_text)
    if number > _MAX:
        return Parsed(None, "too-large", from_text)
    return Parsed(int(number), None, from_text)


# Vietnamese number words 0-20 as a clerk types them in a value cell ("mười" for 10): a word is
# never read as a number (the clerk fixes it), but the fix's example follows the word typed.
_NUMBER_WORDS = {
    "không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "bẩy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "mười ba": 13,
    "mười bốn": 14, "mười tư": 14, "mười lăm": 15, "mười năm": 15, "mười sáu": 16,
    "mười bảy": 17, "mười bẩy": 17, "mười tám": 18, "mười chín": 19, "hai mươi": 20,
    "hai chục": 20, "một chục": 10, "chục": 10,
}


def number_word(raw: object) -> int | None:
    """The number a Vietnamese number word means ("mười" -> 10, "Tám" -> 8), 0 to 20; None
    for anything else. Case, spacing, composed or decomposed tone marks and their placement
    ("mưòi") do not matter."""
    if not isinstance(raw, str):
        return None
    key = name_key(raw)
    for word, number in _NUMBER_WORDS.items():
        if name_key(word) == key:
            return number
    return None


def parse_count(raw: object) -> Parsed:
    """Parse a cell meant to hold a non-negative whole number."""
    if raw is None:
        return Parsed(None, "missing-value")
    if isinstance(raw, bool) or isinstance(raw, (datetime, date, time, timedelta)):
        return Parsed(None, "not-a-number")
    if isinstance(raw, float) and math.isfinite(raw) and raw != int(raw):
        whole = round(raw)
        if abs(raw - whole) <= ROUNDING_NOISE * max(1.0, abs(raw)):
            parsed = _from_number(whole, False)
            return Parsed(parsed.value, parsed.problem, False, raw if parsed.problem is None else None)
    if isinstance(raw, (int, float)):
        return _from_number(float(raw) if isinstance(raw, float) else raw, False)
    if not isinstance(raw, str):
        return Parsed(None, "not-a-number")
    text = clean_text(raw)
    if not text:
        return Parsed(None, "missing-value")
    negative = text[0] in "-\u2212"
    body = text[1:].strip() if negative else text
    if _AMBIGUOUS.match(body) and body.strip("0,"):  # 0,000 is 0 either way
        return Parsed(None, "ambiguous-number", True)
    number = _text_number(body)
    if number is None:
        return Parsed(None, "not-a-number", True)
    return _from_number(-number if negative else number, True)


def _text_number(text: str) -> int | Decimal | None:
    """Exact: an int or a Decimal, never a float, so '5,0000000000000001' stays a fraction and
    a 16-digit count is not rounded."""
    if len(text) > 40:
        return None
    if _DIGITS.match(text):
        return int(text)
    if _VI_GROUPED.match(text):
        whole, _, frac = text.partition(",")
        return Decimal(whole.replace(".", "") + ("." + frac if frac else ""))
    if _SPACE_GROUPED.match(text):
        pieces = re.split(r"[,.]", text)
        return Decimal(pieces[0].replace(" ", "") + ("." + pieces[1] if len(pieces) > 1 else ""))
    if _EN_GROUPED.match(text):
        return Decimal(text.replace(",", ""))
    if _VI_DECIMAL.match(text):
        return Decimal(text.replace(",", "."))
    if _DOT_DECIMAL.match(text):
        return Decimal(text)
    return None


def comma_readings(text: str) -> tuple[int, Decimal]:
    """The two readings of an ambiguous ``2,000``: (English grouping, Vietnamese decimal)."""
    body = clean_text(text).lstrip("-\u2212").strip()
    whole, _, frac = body.partition(",")
    return int(whole + frac), Decimal(f"{whole}.{frac}").normalize()
