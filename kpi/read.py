"""Any spreadsheet (.xlsx, .xlsm, .xls, .ods) -> the rows that carry a code in column A.

Values are found by the code in column A on any sheet, never by a fixed address, so a renamed
sheet or re-sorted rows still read right. Reading goes through python-calamine, which reads
cached formula results and never runs macros, on the very bytes that
:func:`kpi.container.check_container` checked.
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .container import (
    _COLS_REPEATED,
    _ODS_TAG,
    _REF_ATTR,
    _ROWS_REPEATED,
    MAX_SHEET_CELLS,
    Container,
    ReadError,
    _attrs,
    _check_area,
    _ole_stream,
    _read_part,
    _sheet_parts,
    check_container,
    explain_broken_links,
)
from .numbers import cached_for_short_text
from .present import vi_int

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CODE_COL, VALUE_COL, NOTE_COL = 0, 4, 5
# An element code (TT_TIN_BAI), or a row of a breakdown grid: the element and an option of the
# category that runs down the grid (NN_XAC_DINH.U16).
_CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:\.[A-Z][A-Z0-9_]*)?$")
GRID_COLUMNS = 6  # value columns a grid row may hold (E..J): the options across the grid
# What one file may cost once read. A submission has a few dozen coded rows and a few hundred
# cells; past these it is not a report, and every output (the issue table, the marked copy)
# would take minutes.
MAX_CODE_ROWS = 5_000
MAX_FILLED_CELLS = 100_000
MAX_CELL_TEXT = 1_000  # characters kept of a value or a note; no count is longer than 40
# Filled cells are counted once the sheets read so far span more than this many cells: a
# submission (and kpi's own marked copy of one) spans less, and is never counted at all.
_COUNT_FROM = 20_000

__all__ = ["SPREADSHEET_SUFFIXES", "CodeRow", "ReadError", "WorkbookRows", "column_letter",
           "is_lock_file", "look_alike_code", "normalise_code", "read_code_rows", "read_container",
           "read_workbook", "rows_digest", "value_place"]


@dataclass(frozen=True)
class CodeRow:
    """One row of a submission that carries a code: where it is and what it holds."""

    code: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    value: object  # raw value of column E ('' or None when blank)
    note: str = ""
    formula: bool = False  # column E holds a formula whose result was never saved (value blank)
    error: str | None = None  # column E holds a formula error (#DIV/0!, #N/A ...)
    more: tuple[object, ...] = ()  # a grid row: the values right of column E (F, G ...)
    # for each of ``more``: None, or why it reads blank ("formula" never computed, "#DIV/0!" ...)
    more_states: tuple[str | None, ...] = ()
    # Column A held the code with Cyrillic or Greek look-alike letters (ХТ_BUOI): those letters
    # as they were typed. The row is read under the Latin code, and validate refuses the file.
    foreign: str = ""
    # A row of a breakdown grid: the nearest row above it on its sheet without a code that has
    # text in the value columns (the grid's header), as (row 1-based, its cells from E)
    header: tuple[int, tuple[object, ...]] | None = None

    @property
    def cell(self) -> str:
        return self.where[1]

    @property
    def where(self) -> tuple[str, str]:
        """(sheet, value cell), e.g. ("TT Truyền thông", "E5")."""
        return value_place(self.sheet, self.row)


@dataclass(frozen=True)
class WorkbookRows:
    """What a workbook holds for kpi: its coded rows, its sheets in order, and the container
    facts (content kind, bytes checked, kpi's own output marker)."""

    rows: list[CodeRow]
    sheets: tuple[str, ...]
    container: Container


@cached_for_short_text
def value_place(sheet: str, row: int) -> tuple[str, str]:
    """One shared (sheet, "E<row>") per place: every submission keeps one per value, and
    10,000 files of the same template would otherwise hold half a million copies."""
    return sheet, f"{column_letter(VALUE_COL)}{row}"


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def normalise_code(raw: object) -> str | None:
    """The code in column A, or None when the cell holds no code-like text."""
    if not isinstance(raw, str) or not raw:
        return None
    return _code_of_text(raw)


@cached_for_short_text  # column A repeats the template's text from file to file
def _code_of_text(raw: str) -> str | None:
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    if not text.isascii():
        # Full-width letters to ASCII; invisible format characters (zero-width space, BOM)
        # that a copy from a web page or chat brings are dropped.
        text = unicodedata.normalize("NFKC", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    text = text.upper()
    return text if _CODE_LIKE.match(text) else None


# Letters of other scripts that look like Latin capitals in a code (Cyrillic, Greek): a code
# copied through a Russian keyboard layout or a chat program. Lower case is upper-cased first.
_LOOK_ALIKES = {
    **dict(zip("АВСЕНІЈКМОРЅТХУ", "ABCEHIJKMOPSTXY", strict=True)),  # Cyrillic
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek
}


def look_alike_code(raw: object) -> tuple[str, str] | None:
    """(the code, the look-alike letters) when column A holds a code written partly in Cyrillic
    or Greek letters that look like Latin ones; None otherwise."""
    if not isinstance(raw, str) or not raw or len(raw) > 64 or raw.isascii():
        return None
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    foreign = "".join(dict.fromkeys(ch for ch in text if ch.upper() in _LOOK_ALIKES))
    if not foreign:
        return None
    latin = "".join(_LOOK_ALIKES.get(ch, ch) for ch in text.upper())
    return (latin, foreign) if _CODE_LIKE.match(latin) else None


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def read_code_rows(path: Path | str) -> list[CodeRow]:
    """Every row of every sheet whose column A holds a code, in sheet and row order."""
    return read_workbook(path).rows


def _clipped(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        return value[:MAX_CELL_TEXT] + "…"
    return value


def read_workbook(path: Path | str) -> WorkbookRows:
    """The coded rows of a workbook, after :func:`check_container` let it through."""
    return read_container(check_container(Path(path)))


def read_container(container: Container) -> WorkbookRows:
    """The coded rows of checked workbook bytes (see :func:`kpi.container.check_data`)."""
    import python_calamine as pc

    try:
        # The reader picks the format from the content, whatever the name says.
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(container.data))
    except pc.PasswordError as exc:
        raise ReadError("encrypted-file", str(exc)) from exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # several types for corrupt or foreign files, and a panic of
        explain_broken_links(container.data)  # the Rust reader (pyo3's PanicException)
        raise _reader_error(exc) from exc
    rows: list[CodeRow] = []
    filled = spanned = 0
    try:
        sheets = tuple(workbook.sheet_names)
        for name in sheets:
            sheet = workbook.get_sheet_by_name(name)
            _check_area(name, sheet.end)
            if sheet.end is not None:
                spanned += (sheet.end[0] + 1) * (sheet.end[1] + 1)
            count = spanned > _COUNT_FROM
            # skip_empty_area=False keeps leading empty rows and columns: index 0 is row 1 and
            # column A, whatever the first used cell of the sheet is.
            header: tuple[int, tuple[object, ...]] | None = None
            for index, cells in enumerate(sheet.to_python(skip_empty_area=False)):
                if not cells:
                    continue
                if count:
                    filled += sum(1 for c in cells if c != "" and c is not None)
                    if filled > MAX_FILLED_CELLS:
                        raise _too_many(MAX_FILLED_CELLS, "cells hold something",
                                        "ô có dữ liệu", "a few hundred", "vài trăm")
                code = normalise_code(cells[CODE_COL])
                foreign = ""
                if code is None:
                    alike = look_alike_code(cells[CODE_COL])
                    if alike is None:
                        heads = cells[VALUE_COL:VALUE_COL + GRID_COLUMNS]
                        if any(isinstance(v, str) and v.strip() for v in heads):
                            header = (index + 1, tuple(_clipped(v) for v in heads))
                        continue
                    code, foreign = alike
                value = cells[VALUE_COL] if len(cells) > VALUE_COL else None
                note = cells[NOTE_COL] if len(cells) > NOTE_COL else ""
                more: tuple[object, ...] = ()
                if "." in code:  # a grid row: its values run across
                    more = tuple(_clipped(v) for v in cells[VALUE_COL + 1:VALUE_COL + GRID_COLUMNS])
                rows.append(CodeRow(code, name, index + 1, _clipped(value),
                                    str(_clipped(note if isinstance(note, str) else str(note))),
                                    more=more, foreign=foreign,
                                    header=header if "." in code else None))
                if len(rows) > MAX_CODE_ROWS:
                    raise _too_many(MAX_CODE_ROWS, "rows carry a code in column A",
                                    "dòng có mã ở cột A", "a few dozen", "vài chục")
    except (ReadError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # as above, a panic included
        explain_broken_links(container.data)
        raise _reader_error(exc) from exc
    finally:
        workbook.close()
    if any(v is None or v == "" for row in rows for v in (row.value, *row.more)):
        rows = _explain_blanks(container, sheets, rows)
    return WorkbookRows(rows, sheets, container)


def _too_many(limit: int, what_en: str, what_vi: str, usual_en: str, usual_vi: str) -> ReadError:
    return ReadError("too-large-file", f"more than {limit:,} {what_en} (a report has {usual_en})",
                     f"hơn {vi_int(limit)} {what_vi} (một báo cáo chỉ có {usual_vi})")


# --- blank value cells: a formula never computed, or a formula error ----------------------------

def _explain_blanks(container: Container, sheets: tuple[str, ...],
                    rows: list[CodeRow]) -> list[CodeRow]:
    """A blank value cell may hold a formula whose result was never saved (a workbook written
    by a program), or a formula error (#DIV/0!): the reader gives both as blank. Looked up in
    the file's own structure, only when some value is blank, so a valid file costs nothing."""
    try:
        if container.kind == "xlsx":
            causes = _xlsx_blank_causes(container, {row.sheet for row in rows})
        elif container.kind == "ods":
            causes = _ods_blank_causes(container.data, sheets)
        elif container.kind == "xls":
            causes = _xls_blank_causes(container.data, sheets)
        else:
            return rows
    except Exception:  # no usable structure: nothing more to say than "blank"
        return rows
    out = []
    for row in rows:
        cause = causes.get((row.sheet, row.row, VALUE_COL)) if row.value is None or row.value == "" else None
        if cause == "formula":
            row = dataclasses.replace(row, formula=True)
        elif cause is not None:
            row = dataclasses.replace(row, error=cause)
        if row.more:
            states = tuple(causes.get((row.sheet, row.row, VALUE_COL + 1 + i)) if v is None or v == ""
                           else None for i, v in enumerate(row.more))
            if any(states):
                row = dataclasses.replace(row, more_states=states)
        out.append(row)
    return out


_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
# <v>5</v>, or <v></v> for a formula whose saved result is empty text; openpyxl writes <v />.
_SAVED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*[^/])?>")
# An empty <v></v> is a saved empty text only in a text cell (t="str", as Excel writes it);
# openpyxl writing through lxml puts one in every formula cell it has no result for.
_EMPTY_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>\s*</(?:[\w.-]+:)?v>")
_VALUE_TEXT = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>([^<]{0,40})<")
_ERROR_TEXT = re.compile(r"^#[A-Z0-9/!?]{2,10}[!?A]?$|^Err:\d{3}$")


Causes = dict[tuple[str, int, int], str]  # (sheet, row 1-based, column 0-based) -> why blank


def _xlsx_blank_causes(container: Container, wanted: set[str]) -> Causes:
    import zipfile

    causes: Causes = {}
    with zipfile.ZipFile(io.BytesIO(container.data)) as archive:
        parts = _sheet_parts(archive)
        for sheet in wanted:
            part = parts.get(sheet)
            if part is None:
                continue
            xml = _read_part(archive, archive.getinfo(part), container.data)
            for (row, col), cause in xlsx_cell_states(xml).items():
                if VALUE_COL <= col < VALUE_COL + GRID_COLUMNS:  # values, and a grid's across
                    causes[(sheet, row, col)] = cause
    return causes


def xlsx_cell_states(xml: bytes) -> dict[tuple[int, int], str]:
    """(row 1-based, column 0-based) of every cell of a worksheet part that holds a formula
    with no saved value ("formula") or an error value (its text, "#DIV/0!"): the reader gives
    both as blank."""
    found: dict[tuple[int, int], str] = {}
    for start in _CELL_START.finditer(xml):
        if start.group(2):  # <c .../>: nothing inside
            continue
        attrs = start.group(1)
        ref = _REF_ATTR.search(attrs)
        if not ref or not ref.group(1) or not ref.group(2):
            continue
        end = _CELL_END.search(xml, start.end())
        inner = xml[start.end():end.start() if end else len(xml)]
        where = (int(ref.group(2)), _column_index(ref.group(1)))
        if _attrs(attrs).get("t") == "e":
            shown = _VALUE_TEXT.search(inner)
            found[where] = shown.group(1).decode("ascii", "replace") if shown else "#?"
        elif _FORMULA.search(inner) and (not _SAVED_VALUE.search(inner) or (
                _EMPTY_VALUE.search(inner) and _attrs(attrs).get("t") != "str")):
            found[where] = "formula"
    return found


def _column_index(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number - 1


_ODS_ERROR = re.compile(rb"calcext:value-type\s*=\s*[\"']error[\"']")
_ODS_TEXT = re.compile(rb"<(?:[\w.-]+:)?p(?:\s[^>]*)?>([^<]{0,40})<")


def _ods_blank_causes(data: bytes, sheets: tuple[str, ...]) -> Causes:
    """Value cells of an .ods that LibreOffice saved as a formula error."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = _read_part(archive, archive.getinfo("content.xml"), data)
    causes: Causes = {}
    table, row, col = -1, 0, 0
    for match in _ODS_TAG.finditer(xml):
        closing, tag, attrs, _ = match.groups()
        if closing:
            continue
        if tag == b"table":
            table, row = table + 1, 0
        elif tag == b"table-row":
            repeat = _ROWS_REPEATED.search(attrs)
            row += max(int(repeat.group(1)) if repeat else 1, 1)
            col = 0
        else:
            repeat = _COLS_REPEATED.search(attrs)
            count = max(int(repeat.group(1)) if repeat else 1, 1)
            if col < VALUE_COL + GRID_COLUMNS and col + count > VALUE_COL and _ODS_ERROR.search(attrs) \
                    and 0 <= table < len(sheets):
                shown = _ODS_TEXT.search(xml, match.end(), match.end() + 400)
                text = shown.group(1).decode("utf-8", "replace") if shown else "#?"
                for c in range(max(col, VALUE_COL), min(col + count, VALUE_COL + GRID_COLUMNS)):
                    causes[(sheets[table], row, c)] = text
            col += count
    return causes


_XLS_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
               0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def _xls_blank_causes(data: bytes, sheets: tuple[str, ...]) -> Causes:
    """Value cells of an .xls holding an error: a BOOLERR record, or a FORMULA record whose
    cached result is an error. Worksheets are taken in the order of their BOF records."""
    stream = _ole_stream(data, ("Workbook", "Book"))
    causes: Causes = {}
    sheet, pos = -1, 0
    while pos + 4 <= len(stream):
        kind = int.from_bytes(stream[pos:pos + 2], "little")
        size = int.from_bytes(stream[pos + 2:pos + 4], "little")
        record = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == 0x0809 and len(record) >= 4 and int.from_bytes(record[2:4], "little") == 0x0010:
            sheet += 1
            continue
        if not 0 <= sheet < len(sheets) or kind not in (0x0205, 0x0006):
            continue
        if len(record) < (8 if kind == 0x0205 else 14):
            continue
        row, col = int.from_bytes(record[0:2], "little"), int.from_bytes(record[2:4], "little")
        if not VALUE_COL <= col < VALUE_COL + GRID_COLUMNS:
            continue
        if kind == 0x0205 and record[7] == 1:  # BOOLERR holding an error
            causes[(sheets[sheet], row + 1, col)] = _XLS_ERRORS.get(record[6], "#?")
        elif kind == 0x0006 and record[6] == 0x02 and record[12:14] == b"\xff\xff":
            causes[(sheets[sheet], row + 1, col)] = _XLS_ERRORS.get(record[8], "#?")
    return causes


def rows_digest(rows: list[CodeRow]) -> str:
    """A fingerprint of what the coded rows hold, written into a marked copy when it is made:
    the copy is kpi's own output while its rows still match, a clerk's submission once edited."""
    import hashlib

    def shown(value: object) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    text = "\n".join(f"{r.code}\t{r.row}\t{shown(r.value)}" + "".join(f"\t{shown(v)}" for v in r.more)
                     for r in rows)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _reader_error(exc: BaseException) -> ReadError:
    detail = str(exc) or type(exc).__name__
    text = f"{type(exc).__name__} {exc}".lower()
    code = "encrypted-file" if "password" in text or "encrypt" in text else "unreadable-file"
    return ReadError(code, detail, f"nội dung bị hỏng ({detail})")


def is_error_text(text: str) -> bool:
    """A cell's text that is a spreadsheet error value (#DIV/0!, #N/A, Err:502)."""
    return bool(_ERROR_TEXT.match(text))


__all__ += ["MAX_SHEET_CELLS", "is_error_text"]
