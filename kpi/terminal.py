"""What the terminal gets: text that never crashes on the console's encoding, and tables that
stay readable at any width from 60 columns up.

Encodings. A console or a redirected stream on Windows may encode in cp1258, cp1252 or another
code page. Text for people is then *approximated*: a Vietnamese letter the code page lacks is
written with the combining tone mark cp1258 has, or without its mark ("ệ" -> "ê" in cp1252), a
box or a sign by its ASCII look-alike, anything else as "?". Data for programs (JSON, CSV) is
never approximated: it is written as UTF-8 whatever the console says.

Tables. A table is given as columns and cells; each cell is a stack of pieces, and a piece is
either words (wrapped at spaces) or one unbreakable unit (a code, a number, a status). The
widest layout whose unbreakable units all fit is printed; narrower layouts stack several
columns into one, each value on its own line under its column's name. Codes are therefore never
cut in the middle, names wrap at spaces, and a status is never split.
"""

from __future__ import annotations

import codecs
import io
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

# --- encodings ----------------------------------------------------------------------------------

_LOOKALIKE = {
    "≥": ">=", "≤": "<=", "≠": "!=", "—": "-", "–": "-", "…": "...", "✔": "x", "✓": "x",
    "×": "x", "•": "*", "Đ": "D", "đ": "d", "→": "->", "‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ",
    "━": "-", "─": "-", "┃": "|", "│": "|", "┏": "+", "┓": "+", "┗": "+", "┛": "+", "┡": "+",
    "┩": "+", "└": "+", "┘": "+", "┳": "+", "┻": "+", "╇": "+", "┼": "+", "┬": "+", "┴": "+",
    "├": "+", "┤": "+", "┌": "+", "┐": "+", "╋": "+",
}
ERROR_HANDLER = "kpi-approximate"


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def approximate(char: str, encoding: str) -> str:
    """What stands for ``char`` in ``encoding``: itself recomposed from what the code page has
    (cp1258 writes "ệ" as "ê" + a combining dot below), or without the marks it lacks, or an
    ASCII look-alike, or "?"."""
    if _encodes(char, encoding):
        return char
    if char in _LOOKALIKE and _encodes(_LOOKALIKE[char], encoding):
        return _LOOKALIKE[char]
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) > 1:
        base, marks = decomposed[0], list(decomposed[1:])
        # Fold marks into the base while the code page has the composed letter ("ê", "ơ").
        folded = True
        while folded and marks:
            folded = False
            for mark in marks:
                composed = unicodedata.normalize("NFC", base + mark)
                if len(composed) == 1 and _encodes(composed, encoding):
                    base, folded = composed, True
                    marks.remove(mark)
                    break
        if _encodes(base, encoding):
            return base + "".join(m for m in marks if _encodes(m, encoding))
    return "?"


_HANDLERS: set[str] = set()


def error_handler(encoding: str) -> str:
    """The name of a codec error handler that approximates what ``encoding`` cannot write
    (registered once; the handler must know the encoding, as the code-page codecs all call
    themselves "charmap" in their errors)."""
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        encoding = "ascii"
    name = f"{ERROR_HANDLER}-{encoding}"
    if name not in _HANDLERS:
        def handler(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            text = error.object[error.start:error.end]
            return "".join(approximate(c, encoding) for c in text), error.end

        codecs.register_error(name, handler)
        _HANDLERS.add(name)
    return name


def is_unicode(stream: object) -> bool:
    """Whether ``stream`` encodes every character (UTF-8, UTF-16 ...)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith("utf")


def tolerant_streams() -> None:
    """Standard output and error approximate what their encoding cannot write, instead of
    raising UnicodeEncodeError in the middle of a table."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not is_unicode(stream) \
                and stream.errors == "strict":
            try:
                stream.reconfigure(errors=error_handler(stream.encoding))
            except (ValueError, OSError):  # a detached or closed stream: nothing to print on
                pass


def write_data(text: str) -> None:
    """JSON or CSV for a program: exact, so UTF-8 when the console's encoding cannot hold it."""
    stream = sys.stdout
    if is_unicode(stream) or not hasattr(stream, "buffer"):
        stream.write(text)
        stream.flush()
        return
    stream.flush()
    stream.buffer.write(text.encode("utf-8"))
    stream.buffer.flush()


# --- tables -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One line of a cell: words that wrap at spaces, or one unit never broken (``whole``),
    after an optional ``label`` ("Mục tiêu:") whose words may wrap."""

    text: str
    style: str = ""
    whole: bool = False
    label: str = ""


def words(text: object, style: str = "") -> Piece:
    return Piece("" if text is None else str(text), style)


def whole(text: object, style: str = "") -> Piece:
    return Piece("" if text is None else str(text), style, whole=True)


Cell = Sequence[Piece]
READABLE = 20  # cells a column of text needs to read as text
Unit = tuple[str, str]  # an unbreakable run of text and its style


@dataclass
class Column:
    header: str
    justify: str = "left"


@dataclass
class Layout:
    """Columns stacked into groups: ``groups[i]`` lists the indices of the columns shown, one
    under the other, in the i-th column of this layout. ``labelled``: every column but the
    first of a group is shown as "Header: value"."""

    groups: list[list[int]]
    headers: list[str] | None = None  # default: each group's first column's header
    labelled: bool = True


@dataclass
class Grid:
    columns: list[Column]
    rows: list[list[list[Piece]]] = field(default_factory=list)
    title: str | None = None

    def add(self, *cells: Cell | Piece) -> None:
        self.rows.append([[c] if isinstance(c, Piece) else list(c) for c in cells])


def _said(piece: Piece, before: list[Piece]) -> bool:
    """Whether a stacked layout already says ``piece`` ("Theo dõi" under "Theo dõi", a count
    "152" under "152 tin, bài")."""
    return any(p.text == piece.text or p.text.startswith(piece.text + " ") for p in before)


def _pieces(grid: Grid, layout: Layout, row: list[list[Piece]], group: list[int]) -> list[Piece]:
    out: list[Piece] = []
    for n, index in enumerate(group):
        cell = [p for p in row[index] if p.text and not (n and _said(p, out))]
        if n and layout.labelled and cell:
            cell[0] = replace(cell[0], label=grid.columns[index].header + ":")
        out += cell
    return out


def _units(piece: Piece) -> list[Unit]:
    """The unbreakable units of a piece, each with its style."""
    units = [(w, "") for w in piece.label.split()]
    if piece.whole:
        return units + ([(piece.text, piece.style)] if piece.text else [])
    return units + [(w, piece.style) for w in piece.text.split()]


def _min_width(pieces: list[Piece]) -> int:
    return max((cell_len(u) for p in pieces for u, _ in _units(p)), default=0)


def _max_width(pieces: list[Piece]) -> int:
    return max((cell_len(" ".join(u for u, _ in _units(p))) for p in pieces), default=0)


def _lines(units: list[Unit], width: int, first: int | None = None) -> list[list[Unit]]:
    """Units laid in lines of at most ``width`` cells (``first`` for the first line), broken
    only between units; a unit wider than the line, which layouts avoid, is cut."""
    lines: list[list[Unit]] = [[]]
    used = 0
    for unit, style in units:
        limit = first if first is not None and len(lines) == 1 else width
        size = cell_len(unit)
        if lines[-1] and used + 1 + size > limit:
            lines.append([])
            used, limit = 0, width
        while size > limit and limit > 0:
            lines[-1].append((unit[:limit], style))
            lines.append([])
            unit, size, limit = unit[limit:], cell_len(unit[limit:]), width
        if unit:
            used += (1 if lines[-1] else 0) + size
            lines[-1].append((unit, style))
    return lines


def _text(lines: list[list[Unit]], newline: str = "\n") -> Text:
    text = Text()
    for n, line in enumerate(lines):
        if n:
            text.append(newline)
        for m, (unit, style) in enumerate(line):
            if m:
                text.append(" ")
            text.append(unit, style=style or None)
    return text


def _wrap(pieces: list[Piece], width: int) -> Text:
    return _text([line for p in pieces for line in _lines(_units(p), width)])


def _fit(mins: list[int], maxes: list[int], room: int) -> list[int] | None:
    """Column widths: each at least its minimum; a column that needs little more to show every
    line whole gets it, then the room left is shared so that the narrowest wanting column
    grows first; None when the minimums do not fit."""
    if sum(mins) > room:
        return None
    widths = list(mins)
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda j: maxes[j] - mins[j]):
        wanted = maxes[i] - widths[i]
        if 0 < wanted <= spare // 2:
            widths[i] += wanted
            spare -= wanted
    while spare > 0:
        wanting = [i for i, w in enumerate(widths) if w < maxes[i]]
        if not wanting:
            break
        widths[min(wanting, key=lambda j: widths[j])] += 1
        spare -= 1
    return widths


def print_grid(console: Console, grid: Grid, layouts: Sequence[Layout] = (), *,
               header_style: str = "bold") -> None:
    """``grid`` in the first of its layouts (all columns side by side, then ``layouts`` in
    order, then one column holding everything) whose unbreakable units fit ``console``. A
    stacked layout draws a line between rows, so that each row reads as one."""
    n = len(grid.columns)
    chain = [Layout([[i] for i in range(n)], labelled=False), *layouts,
             Layout([list(range(n))], headers=[grid.columns[0].header])]
    for depth, layout in enumerate(chain):
        headers = layout.headers or [grid.columns[g[0]].header for g in layout.groups]
        cells = [[_pieces(grid, layout, row, g) for g in layout.groups] for row in grid.rows]
        mins = [max([_min_width([words(h)])] + [_min_width(r[i]) for r in cells])
                for i, h in enumerate(headers)]
        maxes = [max([cell_len(h)] + [_max_width(r[i]) for r in cells])
                 for i, h in enumerate(headers)]
        # One space of padding on either side of each column, a border before each and after.
        room = console.width - 3 * len(headers) - 1
        # A column of text squeezed to a word or two a line does not read: a layout must give
        # each column READABLE cells (or all it needs), else the next, narrower, is tried.
        readable = [max(m, min(x, READABLE)) for m, x in zip(mins, maxes, strict=True)]
        widths = _fit(readable, maxes, room)
        if widths is None and depth < len(chain) - 1:
            continue
        if widths is None:
            widths = _fit(mins, maxes, room)
        if widths is None:  # narrower than any layout: share what there is
            widths = [max(1, room // len(headers))] * len(headers)
        table = Table(title=grid.title, header_style=header_style, show_lines=depth > 0)
        for group, header, width in zip(layout.groups, headers, widths, strict=True):
            justify = grid.columns[group[0]].justify if len(group) == 1 else "left"
            table.add_column(_wrap([words(header)], width), width=width, no_wrap=True,
                             justify=justify)  # type: ignore[arg-type]
        for row in cells:
            table.add_row(*(_wrap(pieces, width) for pieces, width in zip(row, widths, strict=True)))
        console.print(table)
        return


def print_wrapped(console: Console, pieces: Sequence[Piece], indent: int = 0,
                  hanging: int = 2) -> None:
    """One paragraph of pieces wrapped between units at the console's width: the first line
    indented by ``indent``, the next ones by ``indent + hanging``."""
    units = [u for p in pieces for u in _units(p)]
    rest = max(10, console.width - indent - hanging)
    lines = _lines(units, rest, first=max(10, console.width - indent))
    text = Text(" " * indent)
    text.append_text(_text(lines, newline="\n" + " " * (indent + hanging)))
    console.print(text, soft_wrap=True)
