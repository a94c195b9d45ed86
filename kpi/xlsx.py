"""What every workbook kpi writes shares: safe cell writing, A4 print set-up, the mark that says
"made by kpi", and atomic writes that leave no half-written file and no temporary file behind.

Templates, the consolidated report and marked copies all go through here.
"""

from __future__ import annotations

import errno
import io
import math
import numbers
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from .container import OUTPUT_PROPERTY, ReadError, check_container

MARKED_COPY_SUFFIX = ".kiem-tra.xlsx"  # a marked copy of a submission (kpi.annotate)
TEMP_PREFIX = ".kpi-"  # a temporary file of kpi's own; collect_files never reads one
TEMP_SUFFIX = ".tmp"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_MAX_TEXT = 32767  # Excel's limit for one cell


def put(ws: Any, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    """Write ``value`` so that text stays text.

    openpyxl turns any str starting with "=" into a formula; a file name or a reporter typed as
    ``=HYPERLINK(...)`` must not become one. Text is stored as a string cell (inline string) and
    marked quote-prefixed (Excel's leading apostrophe) when it starts like a formula, so a later
    edit in Excel or LibreOffice keeps it text too.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    cell = ws.cell(row=row, column=col)
    # Text and whole numbers (most of a large sheet) are stored as openpyxl's value setter
    # stores them once checked, without its second round of checks: same value, same type.
    plain = type(cell) is Cell
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]
        if plain:
            cell._value = text
        else:
            cell.value = text
        cell.data_type = "s"
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, numbers.Integral):
        if plain:
            cell._value = int(value)
            cell.data_type = "n"
        else:
            cell.value = int(value)
    elif isinstance(value, numbers.Real):
        number = float(value)
        cell.value = number if math.isfinite(number) else None
    elif isinstance(value, (date, datetime, time)):
        cell.value = value
    else:
        return put(ws, row, col, str(value), fmt)
    if fmt:
        cell.number_format = fmt
    return cell


def fit_a4(ws: Any, orientation: str | None = None, title_row: int | None = None) -> None:
    """Print on A4 (what Vietnamese offices use), one page wide, as many pages tall as needed;
    repeat ``title_row`` on every page. ``orientation`` None leaves the sheet's own."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if orientation:
        ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_row:
        ws.print_title_rows = f"{title_row}:{title_row}"


def mark_output(wb: Any, kind: str, digest: str | None = None) -> None:
    """Write the document property by which kpi knows its own outputs whatever their name
    ("report", "marked-copy" with the fingerprint of its rows), replacing an earlier one."""
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    for prop in [p for p in props.props if p.name == OUTPUT_PROPERTY]:
        props.props.remove(prop)
    props.append(StringProperty(name=OUTPUT_PROPERTY, value=f"{kind} {digest}" if digest else kind))


def occupied(target: Path, inputs: Iterable[str | Path] = (),
             own: Callable[[Path], bool] | None = None) -> str | None:
    """Why kpi may not write ``target``: it is an input of this run ("input"), an output of
    kpi's that was changed after kpi wrote it ("edited"), or an existing file that kpi did not
    make ("foreign"); None when free or kpi's own untouched output.

    Untouched means: its bytes are those kpi recorded in the folder's ledger
    (:mod:`kpi.ledger`) when it wrote them. A file kpi marked as its own (a workbook by kpi's
    document property, others by ``own``) that the ledger does not vouch for is "edited": an
    editor keeps the mark when it saves. Marked copies and templates not in the ledger are still
    known by the fingerprint of their rows (written into them): unchanged rows, kpi's own."""
    from .ledger import fingerprint, recorded

    real = os.path.realpath(target)
    if real in {os.path.realpath(p) for p in inputs}:
        return "input"
    if not os.path.lexists(target):
        return None
    mark = recorded(target)
    if mark is not None and not os.path.islink(target):
        return None if mark == fingerprint(target) else "edited"
    if own is not None:
        return "edited" if own(target) else "foreign"
    try:
        container = check_container(target)
        if container.output == "report":
            return "edited"  # kpi's report, but nothing says it is as kpi wrote it
        if container.output in ("marked-copy", "template"):
            from .read import read_container, rows_digest

            if container.output_digest == rows_digest(read_container(container).rows):
                return None  # unchanged since kpi wrote it
    except ReadError:
        pass
    return "foreign"


def _write_cell(original: Callable[..., None], xf: Any, worksheet: Any, cell: Any,
                styled: bool | None = None) -> None:
    """openpyxl's cell writer for the cells that make a large sheet (text, numbers, blanks),
    as one string rather than a tree of elements serialised node by node: the same bytes
    (tests/test_speed_report.py compares them with openpyxl's own), a tenth of the time. Any
    other cell (formula, date, rich text, hyperlink, text with spaces at its ends) goes
    through openpyxl's writer."""
    from xml.etree.ElementTree import _escape_cdata  # type: ignore[attr-defined]

    from openpyxl.cell.cell import Cell
    from openpyxl.compat import safe_string

    kind = cell.data_type
    value = cell._value
    write = getattr(xf, "_file", None)  # et_xmlfile's writer of raw text
    if (write is None or kind not in ("s", "n") or type(cell) is not Cell or cell.hyperlink
            or (kind == "s" and value is not None and (type(value) is not str or value != value.strip()))
            or (kind == "n" and value is not None
                and not (type(value) is int or (type(value) is float and math.isfinite(value))))):
        original(xf, worksheet, cell, styled)
        return
    head = f'<c r="{cell.coordinate}"' + (f' s="{cell.style_id}"' if styled else "")
    head += ' t="inlineStr"' if kind == "s" else ' t="n"'
    if value is None or value == "":
        write(head + " />")
    elif kind == "s":
        write(f"{head}><is><t>{_escape_cdata(value)}</t></is></c>")
    else:
        write(f"{head}><v>{safe_string(value)}</v></c>")


class _FastCells:
    """While a workbook is saved, :func:`_write_cell` writes its plain cells (openpyxl's own
    serialiser, et_xmlfile, only: with lxml openpyxl's writer is left alone)."""

    def __enter__(self) -> None:
        from functools import partial

        from openpyxl import LXML
        from openpyxl.worksheet import _writer

        self.original = _writer.write_cell
        if not LXML:
            _writer.write_cell = partial(_write_cell, self.original)

    def __exit__(self, *exc: object) -> None:
        from openpyxl.worksheet import _writer

        _writer.write_cell = self.original


def workbook_bytes(wb: Any) -> bytes:
    """The saved workbook, built in memory: a failure while saving touches no file (and a full
    disk can only fail the plain write that follows)."""
    buffer = io.BytesIO()
    try:
        with _FastCells():
            wb.save(buffer)
    except OSError:
        raise
    except Exception as exc:  # lxml's writer (when openpyxl uses it) fails with its own errors
        if type(exc).__module__.startswith("lxml"):
            raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} ({exc})") from exc
        raise
    return buffer.getvalue()


def write_atomic(wb: Any, path: Path, *, own: bool = False) -> None:
    """Save ``wb`` to ``path`` whole or not at all (``own``: see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(Path(path), workbook_bytes(wb), own=own)


def write_bytes_atomic(path: Path, data: bytes, *, own: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all: the previous file stays until the new one
    is complete. Where the system allows (Linux), the data goes into a file without a name until
    it is complete, so a kill leaves nothing behind; elsewhere into a hidden ``.kpi-*.tmp``
    beside it, removed on any error or interruption kpi sees. ``own``: an output of kpi's, whose
    fingerprint goes into the folder's ledger (:mod:`kpi.ledger`) once it is written."""
    _write_bytes(path, data)
    if own:
        from .ledger import record

        record(path, data)


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask  # what a plain new file gets: colleagues on a shared folder can open it
    if _write_unnamed(path, data, mode):
        return
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_unnamed(path: Path, data: bytes, mode: int) -> bool:
    """Write through an O_TMPFILE file, then give it a name; False when not possible here."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(path.parent, flag | os.O_WRONLY, mode)
    except OSError:  # a file system without unnamed files
        return False
    try:
        _write_all(fd, data)
        tmp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        try:
            os.link(f"/proc/self/fd/{fd}", tmp)
        except OSError:
            return False  # the named way, then
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return True
    finally:
        os.close(fd)


# --- styles shared by the report, templates and marked copies -----------------------------------

FONT_NAME = "Times New Roman"  # Vietnamese administrative documents (Decree 30/2020/NĐ-CP)
BODY_SIZE = 9
HEADER_COLOUR = "D9E1F2"
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0"
DATE_FORMAT = "DD/MM/YYYY"
# Printable width of A4 landscape with the report's margins, in points.
PRINTABLE_WIDTH_PT = (11.69 - 0.8) * 72


_NO_STYLE = (0,) * 9  # a new cell's style (openpyxl's StyleArray(), which it stands for)


def restyle(cell: Any, change: Any, apply: Callable[[Any], None]) -> Any:
    """Apply the style ``change`` (a hashable name for what ``apply`` does to a cell) to ``cell``
    and return it, at the cost of a dictionary look-up after the first time.

    openpyxl stores a cell's style as indexes into the workbook's tables of fonts, fills,
    borders, ...; every assignment of a style object compares it with the table's entries by
    hashing all its attributes, which made styling a large sheet cost more than everything else
    in a report. What an assignment leaves in the cell depends only on the indexes the cell held
    before, so the result is computed once per (change, indexes before) and copied: the same
    indexes, the same tables in the same order, the same file."""
    from openpyxl.styles.cell_style import StyleArray

    cache = cell.parent.parent.__dict__.setdefault("_kpi_restyle", {})
    key = (change, tuple(cell._style) if cell._style is not None else _NO_STYLE)
    after = cache.get(key)
    if after is None:
        apply(cell)
        cache[key] = StyleArray(cell._style)  # a copy (what copy.copy of one makes)
    else:
        cell._style = StyleArray(after)
    return cell


def fill_cell(cell: Any, colour: str) -> Any:
    """``cell.fill = fill(colour)``, cheaply for many cells (see :func:`restyle`)."""
    return restyle(cell, ("fill", colour), lambda c: setattr(c, "fill", fill(colour)))


def border_cell(cell: Any) -> Any:
    """``cell.border = thin_border()``, cheaply for many cells (see :func:`restyle`)."""
    return restyle(cell, "thin border", lambda c: setattr(c, "border", thin_border()))


def fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour, bgColor=colour)


def thin_border() -> Any:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def header(ws: Any, row: int, labels: Sequence[str], *, first_col: int = 1,
           size: float = BODY_SIZE) -> None:
    """A header row: bold on the header colour, bordered, centred; a long single word shrinks
    rather than splits."""
    from openpyxl.styles import Alignment, Font

    for col, label in enumerate(labels, first_col):
        cell = put(ws, row, col, label)
        cell.font = Font(bold=True, size=size)
        cell.fill = fill(HEADER_COLOUR)
        cell.border = thin_border()
        one_word = " " not in str(label).strip()
        cell.alignment = Alignment(horizontal="center", vertical="center",
                                   wrap_text=not one_word, shrink_to_fit=one_word)


def title(ws: Any, text: str, row: int = 1, size: float = 12) -> None:
    from openpyxl.styles import Font

    put(ws, row, 1, text).font = Font(bold=True, size=size)


# Advance widths of Times New Roman (and of Liberation Serif, its metric twin that LibreOffice
# uses), in thousandths of the font size, for the characters " " to "~"; regular and bold.
_TIMES = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541)
_TIMES_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
    611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
    722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
    278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520)
_HORN = 45  # what the horn adds to o and u (ơ, ư)
_OTHER = 600  # a character outside Latin letters: rare in a label, counted wide


def text_width(text: object, size: float = 11, bold: bool = False) -> float:
    """Points ``text`` takes on one line in Times New Roman at ``size``. A Vietnamese letter is
    as wide as its base letter (ấ as a), ơ and ư a little wider."""
    import unicodedata

    table = _TIMES_BOLD if bold else _TIMES
    total = 0
    for char in str(text):
        code = ord(char)
        if 32 <= code < 127:
            total += table[code - 32]
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base = {"đ": "d", "Đ": "D"}.get(decomposed[0], decomposed[0])
        if 32 <= ord(base) < 127:
            total += table[ord(base) - 32] + (_HORN if "\u031b" in decomposed else 0)
        else:
            total += _OTHER
    return total * size / 1000


def column_points(width: float) -> float:
    """Points of text a column ``width`` characters wide holds on a line, to be safe in both
    programs: Excel makes such a column ``7 * width + 5`` pixels wide (5.25 points a character),
    LibreOffice ``5.5 * width`` points; less the cell's padding, and 5 % for the rounding of
    glyphs on screen (LibreOffice's own row heights, measured by tests/test_print_and_fill.py,
    wrap a little earlier than the printed page)."""
    return width * 5.25 * 0.95 - 4


def wrapped_lines(text: object, width: float, size: float = 11, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide when set in Times
    New Roman at ``size`` points: whole words, as Excel and LibreOffice wrap, a word longer than
    a line broken anywhere. The one estimate for every row height kpi sets (LibreOffice does
    not grow a row for wrapped text in an .xlsx); checked against LibreOffice's own heights by
    tests/test_print_and_fill.py."""
    room = max(column_points(width), size)
    space = text_width(" ", size, bold)
    count = 0
    for part in str(text).split("\n"):
        used = 0.0
        count += 1
        for word in part.split():
            length = text_width(word, size, bold)
            if used and used + space + length > room:
                count += 1
                used = 0.0
            while length > room:
                count += 1
                length -= room
            used += (space if used else 0.0) + length
    return max(1, count)


def line_height(size: float = BODY_SIZE) -> float:
    """Points a line of text at ``size`` needs."""
    return size * 1.25 + 1


DEFAULT_ROW_HEIGHT = 15.0  # points: Excel's row for 11-point text


def fit_row_heights(ws: Any) -> None:
    """Every row as tall as the text of its cells needs: wrapped text over as many lines as it
    wraps to in its column (or merged columns), a large font on one line. LibreOffice does not
    grow a row of an .xlsx for wrapped text, and a label running into the row below is one a
    clerk misreads. A row already set taller (a space to sign in) stays so."""
    from openpyxl.utils import get_column_letter

    def width(letter: str) -> float:
        return ws.column_dimensions[letter].width or 8.43

    spans = {}
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = sum(
            width(get_column_letter(c)) for c in range(merged.min_col, merged.max_col + 1))
    for cells in ws.iter_rows():
        needed = 0.0
        for cell in cells:
            if cell.value is None or cell.value == "":
                continue
            font = cell.font
            size = float(font.sz or 11) if font else 11.0
            bold = bool(font and font.b)
            if cell.alignment is not None and cell.alignment.wrap_text:
                columns = spans.get((cell.row, cell.column), width(cell.column_letter))
                lines = wrapped_lines(cell.value, columns, size, bold)
            else:
                lines = str(cell.value).count("\n") + 1
            needed = max(needed, lines * line_height(size) + (2 if lines > 1 else 0))
        dimension = ws.row_dimensions[cells[0].row]
        if needed > max(DEFAULT_ROW_HEIGHT, dimension.height or 0):
            dimension.height = round(needed, 2)


def print_setup(ws: Any, header_row: int | None, *, fit_height: bool = False) -> None:
    """A4 landscape, one page wide, narrow margins, centred; the header row on every page."""
    fit_a4(ws, "landscape")
    if fit_height:
        ws.page_setup.fitToHeight = 1
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def table(ws: Any, header_row: int, last_row: int, n_cols: int, *, freeze: str | None = None) -> None:
    """Frozen header, autofilter over the table, borders on every body cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last_col = get_column_letter(n_cols)
    ws.freeze_panes = freeze or f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_row, header_row)}"
    border = thin_border()

    def body(cell: Any) -> None:
        cell.border = border
        if cell.font is None or not cell.font.b:
            cell.font = Font(size=BODY_SIZE)
        if not cell.alignment.wrap_text and cell.alignment.vertical is None:
            cell.alignment = Alignment(vertical="center", horizontal=cell.alignment.horizontal)

    for row in ws.iter_rows(min_row=header_row + 1, max_row=last_row, max_col=n_cols):
        for cell in row:
            restyle(cell, "table body", body)


def widths(ws: Any, values: Iterable[float], first_col: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(values, first_col):
        ws.column_dimensions[get_column_letter(col)].width = width


def auto_widths(ws: Any, header_row: int, n_cols: int, *, minimum: float = 6,
                maximum: float = 60) -> list[float]:
    """Each column as wide as its longest value (dates as dd/mm/yyyy), within bounds."""
    longest = [0] * n_cols
    for row in ws.iter_rows(min_row=header_row, max_col=n_cols):  # one pass over the rows
        for i, cell in enumerate(row):
            value = cell.value
            if value is None:
                continue
            shown = value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else value
            text = f"{shown:,}" if isinstance(shown, int) else str(shown)
            if len(text) > longest[i]:
                longest[i] = len(text)
    found = [min(maximum, max(minimum, n * BODY_SIZE / 11 * 1.15 + 2)) for n in longest]
    widths(ws, found)
    return found


def page_footer(ws: Any, text: str) -> None:
    ws.oddFooter.center.text = text
    ws.oddFooter.center.size = 8


def use_font(wb: Any) -> None:
    """Every written cell in FONT_NAME, keeping its size, weight and style. The Normal style
    uses it too: column widths are measured in its digits, so Excel and LibreOffice (which
    has the metric-compatible Liberation Serif) lay the pages out alike."""
    from openpyxl.styles import Font

    wb._named_styles["Normal"].font = Font(name=FONT_NAME, size=11)
    cache: dict[Any, Any] = {}
    for ws in wb.worksheets:
        sheet_font(ws, cache)


def sheet_font(ws: Any, cache: dict[Any, Any] | None = None) -> None:
    """Every written cell of one sheet in FONT_NAME (a sheet kpi adds to a clerk's workbook,
    whose own sheets keep their fonts)."""
    from openpyxl.styles import Font

    cache = {} if cache is None else cache

    def in_font(cell: Any) -> None:
        font = cell.font
        key = (font.sz, font.b, font.i, font.u, font.color.rgb if font.color else None)
        if key not in cache:
            cache[key] = Font(name=FONT_NAME, size=font.sz or 11, bold=font.b,
                              italic=font.i, underline=font.u, color=font.color)
        cell.font = cache[key]

    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            restyle(cell, "font " + FONT_NAME, in_font)
