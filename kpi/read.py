"""Any spreadsheet (.xlsx, .xlsm, .xls, .ods) -> the rows that carry a code in column A.

Values are found by the code in column A on any sheet, never by a fixed address, so a renamed
sheet or re-sorted rows still read right. Reading goes through python-calamine, which reads
cached formula results and never runs macros.
"""

from __future__ import annotations

import dataclasses
import html
import io
import os
import posixpath
import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .numbers import cached_for_short_text

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Limits: a submission is a few dozen rows; anything far larger is a mistake or an attack.
MAX_FILE_BYTES = 20 * 1024 * 1024  # as received
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts of a zip-based workbook, expanded
MAX_RATIO = 200  # expanded / compressed, per part: a zip bomb shows far more
# Cells from A1 to the last used cell of one sheet (e.g. 50,000 rows x 20 columns). The reader
# builds that whole rectangle in memory, so two cells far apart (A1 and XFD1048576) in a 5 kB
# file would ask for hundreds of gigabytes: refused before the sheet is read.
MAX_SHEET_CELLS = 1_000_000
MAX_PARTS = 10_000  # members of a zip-based workbook (a real one has a few dozen)
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # a stream name in an OLE directory
# What each name promises; content that differs (an .xls renamed .xlsx) is read by its content.
_CONTENT_OF_SUFFIX = {".xls": "xls", ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods"}
CODE_COL, VALUE_COL, NOTE_COL = 0, 4, 5
_CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


class ReadError(Exception):
    """A file that cannot be read at all. ``code`` is the issue code to report; ``detail`` says
    why in English, ``detail_vi`` in Vietnamese when known (else the English text)."""

    def __init__(self, code: str, detail: str, detail_vi: str | None = None):
        self.code = code
        self.detail = detail
        self.detail_vi = detail_vi or detail
        super().__init__(detail)


@dataclass(frozen=True)
class CodeRow:
    """One row of a submission that carries a code: where it is and what it holds."""

    code: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    value: object  # raw value of column E ('' or None when blank)
    note: str = ""
    formula: bool = False  # column E holds a formula whose result was never saved (value blank)

    @property
    def cell(self) -> str:
        return self.where[1]

    @property
    def where(self) -> tuple[str, str]:
        """(sheet, value cell), e.g. ("TT Truyền thông", "E5")."""
        return value_place(self.sheet, self.row)


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


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def read_code_rows(path: Path | str) -> list[CodeRow]:
    """Every row of every sheet whose column A holds a code, in sheet and row order."""
    import python_calamine as pc

    path = Path(path)
    content = check_container(path)
    try:
        if content == _CONTENT_OF_SUFFIX.get(path.suffix.lower()):
            workbook = pc.CalamineWorkbook.from_path(str(path))
        else:  # named for another format: the reader picks the format from the content
            with path.open("rb") as handle:
                workbook = pc.CalamineWorkbook.from_filelike(handle)
    except pc.PasswordError as exc:
        raise ReadError("encrypted-file", str(exc)) from exc
    except FileNotFoundError as exc:
        raise ReadError("unreadable-file", "file not found", "không tìm thấy tệp") from exc
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # several types for corrupt or foreign files, and a panic of
        raise _reader_error(path, exc) from exc  # the Rust reader (pyo3's PanicException)
    rows: list[CodeRow] = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            _check_area(name, sheet.end)
            # skip_empty_area=False keeps leading empty rows and columns: index 0 is row 1 and
            # column A, whatever the first used cell of the sheet is.
            for index, cells in enumerate(sheet.to_python(skip_empty_area=False)):
                if not cells:
                    continue
                code = normalise_code(cells[CODE_COL])
                if code is None:
                    continue
                value = cells[VALUE_COL] if len(cells) > VALUE_COL else None
                note = cells[NOTE_COL] if len(cells) > NOTE_COL else ""
                rows.append(CodeRow(code, name, index + 1, value,
                                    note if isinstance(note, str) else str(note)))
    except (ReadError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # as above, a panic included
        raise _reader_error(path, exc) from exc
    finally:
        workbook.close()
    if any(row.value is None or row.value == "" for row in rows):
        rows = _mark_formulas(path, rows)
    return rows


def _check_area(sheet: str, end: tuple[int, int] | None) -> None:
    """Refuse a sheet whose used rectangle (from A1) exceeds MAX_SHEET_CELLS, before its cells
    become Python objects. An .xls is bounded by its format (65,536 rows x 256 columns)."""
    if end is None:
        return
    rows, cols = end[0] + 1, end[1] + 1
    if rows * cols > MAX_SHEET_CELLS:
        raise _too_many_cells(sheet, rows, cols)


def _too_many_cells(sheet: str, rows: int, cols: int) -> ReadError:
    def vi(n: int) -> str:  # Vietnamese digit grouping: 1.000.000
        return f"{n:,}".replace(",", ".")

    return ReadError(
        "too-large-file",
        f"sheet '{sheet}' spans {rows:,} rows x {cols:,} columns, more than "
        f"{MAX_SHEET_CELLS:,} cells",
        f"trang '{sheet}' trải trên {vi(rows)} dòng x {vi(cols)} cột, quá {vi(MAX_SHEET_CELLS)} ô")


def check_container(path: Path) -> str:
    """Refuse, before the reader sees it, what is not a workbook, is encrypted, or would make
    the reader expand or allocate gigabytes: a zip bomb (from the zip directory alone), a
    sheet spanning billions of cells (from the sheet XML or the .xls cell records), a count
    the file cannot hold. About a quarter of a millisecond for a real submission.

    Returns what the content is, whatever the file is named: "xls" (OLE), "xlsx" (Office Open
    XML zip, also .xlsm), "ods" (OpenDocument zip) or "zip" (another zip)."""
    import zipfile

    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # The whole file when it may be one (checked below), in one read: parts are
            # then inflated from these bytes.
            raw = handle.read() if 0 < size <= MAX_FILE_BYTES else handle.read(8)
    except FileNotFoundError as exc:
        raise ReadError("unreadable-file", "file not found", "không tìm thấy tệp") from exc
    except OSError as exc:
        raise ReadError("unreadable-file", exc.strerror or str(exc)) from exc
    if size == 0:
        raise ReadError("unreadable-file", "the file is empty (0 bytes)", "tệp rỗng (0 byte)")
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise ReadError("too-large-file", f"{size:,} bytes, more than {mb} MB",
                        f"{size:,} byte, quá {mb} MB".replace(",", "."))
    head = raw[:8]
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC):
        # Excel saves an encrypted .xlsx as an OLE container holding an EncryptedPackage
        # stream; any other OLE content is a legacy .xls, whatever its name.
        if suffix != ".xls" and _ENCRYPTED_PACKAGE in raw:
            raise ReadError("encrypted-file", "OLE container with an encrypted package")
        _check_xls_extent(raw)
        return "xls"
    if not head.startswith(_ZIP_MAGIC):
        if suffix == ".xls" and head[:5].lower() in (b"<?xml", b"<html", b"<!doc"):
            raise ReadError("unreadable-file", "an HTML or XML file saved with the .xls suffix",
                            "tệp HTML hoặc XML được đặt đuôi .xls")
        raise ReadError("unreadable-file", "not a spreadsheet (neither zip nor OLE content)",
                        "nội dung không phải là bảng tính")
    mb = MAX_UNPACKED_BYTES // (1024 * 1024)
    try:
        # Parts are inflated from the file's bytes directly: a fifth of the cost of zipfile's
        # file objects (issue 6).
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = 0
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:  # a workbook has dozens; each costs time to look into
                raise ReadError("too-large-file", f"{len(infos):,} parts in the zip",
                                f"{len(infos):,} phần trong tệp zip".replace(",", "."))
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNPACKED_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
                    raise ReadError("too-large-file", f"expands to more than {mb} MB",
                                    f"giải nén ra hơn {mb} MB")
                if info.flag_bits & 0x1:  # a zip member encrypted with a password
                    raise ReadError("encrypted-file", "a part of the zip is encrypted")
            names = {info.filename for info in infos}
            if "META-INF/manifest.xml" in names and b"encryption-data" in _read_part(
                    archive, archive.getinfo("META-INF/manifest.xml"), raw):
                raise ReadError("encrypted-file", "an OpenDocument file saved with a password")
            # Sizes are sound (and the reader holds each part to its declared size): now the
            # rectangle each sheet would span, which the reader allocates whole.
            for info in infos:
                _check_part_extent(archive, info, total, raw)
    except zipfile.BadZipFile as exc:
        raise ReadError("unreadable-file", f"damaged or truncated file ({exc})",
                        f"tệp bị hỏng hoặc không trọn vẹn ({exc})") from exc
    except (OSError, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        # A corrupt deflate stream (zlib.error), an unknown compression (NotImplementedError).
        raise ReadError("unreadable-file", f"damaged or truncated file ({exc})",
                        f"tệp bị hỏng hoặc không trọn vẹn ({exc})") from exc
    if "[Content_Types].xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    return "zip"


# A start or end tag of a worksheet row or cell, any namespace prefix; quoted attribute values
# may hold '>' and must not end the tag early.
_XLSX_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_REF_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\s*([A-Za-z]{0,7})(\d{0,12})")
_ODS_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(table|table-row|table-cell|covered-table-cell)"
                      rb"(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"']\s*(\d{1,12})")
_COLS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"']\s*(\d{1,12})")
_VALUE_TYPE = re.compile(rb"value-type\s*=")
# The attribute name alone: a leading look-behind made this scan 5x slower on every part, so
# the characters before it are checked in _declared_counts.
_COUNT_ATTR = re.compile(rb"(?:count|uniqueCount)\s*=\s*[\"']\s*(\d{1,20})")
_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def _declared_counts(data: bytes) -> list[int]:
    """Values of ``count``/``uniqueCount`` attributes (optionally ``ns:``-prefixed), not of
    attributes that merely end so (``fooCount``, ``accent``)."""
    counts = []
    for m in _COUNT_ATTR.finditer(data):
        i = m.start()
        if i and data[i - 1] == ord(":"):  # a namespace prefix: skip over it
            j = i - 1
            while j and data[j - 1] in _NAME_CHARS:
                j -= 1
            if j == i - 1:
                continue
            i = j
        if i and (data[i - 1] in _NAME_CHARS or data[i - 1] == ord(":")):
            continue
        counts.append(int(m.group(1)))
    return counts
_ODS_SPACES = re.compile(rb"<(?:[\w.-]+:)?s\s[^>]*?(?<![\w.-])(?:[\w.-]+:)?c\s*=\s*[\"']\s*(\d{1,20})")


def _check_part_extent(archive, info, total: int, raw: bytes) -> None:
    """Raise too-large-file when a worksheet part (.xlsx/.xlsm) or the content of an .ods puts
    a cell beyond MAX_SHEET_CELLS from A1. Positions are bounded from above: a row or cell
    without its address counts as the next one, whichever way a reader numbers it.

    Also refuse what a part merely declares and the reader trusts: a count of items (the
    ``uniqueCount`` of the shared strings, for which it reserves memory first) larger than the
    whole file expanded (``total`` bytes) cannot be true; runs of spaces in an .ods (``text:c``)
    expand like a zip bomb."""
    name = info.filename.lower()
    data = _read_part(archive, info, raw)  # any part, whatever its name: the workbook says which is what
    # The reader reserves memory by the shared-string table's count; other parts' counts
    # (styles) it does not trust, and scanning them cost more than the rest of the check.
    declared = max(_declared_counts(data), default=0) if b"sst" in data else 0
    if declared > total:
        raise ReadError(
            "unreadable-file", f"{info.filename} declares {declared:,} items in {total:,} bytes",
            f"{info.filename} khai {declared:,} mục trong {total:,} byte".replace(",", "."))
    if name == "content.xml" and sum(int(n) for n in _ODS_SPACES.findall(data)) > MAX_UNPACKED_BYTES:
        mb = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise ReadError("too-large-file", f"expands to more than {mb} MB", f"giải nén ra hơn {mb} MB")
    if name == "content.xml":
        for sheet, rows, cols in _ods_extents(data):
            if rows * cols > MAX_SHEET_CELLS:
                raise _too_many_cells(sheet, rows, cols)
    elif not name.startswith("docprops/"):
        if b"sheetData" in data and not (_SMALL_SHEET_CELLS <= MAX_SHEET_CELLS
                                         and _plainly_small(data)):
            rows, cols = _xlsx_extent(data)
            if rows * cols > MAX_SHEET_CELLS:
                try:  # the sheet's name as the clerk sees it, when the workbook says it
                    names = {part: name for name, part in _sheet_parts(archive).items()}
                except Exception:
                    names = {}
                raise _too_many_cells(names.get(info.filename, info.filename), rows, cols)


# .xls (BIFF) records that place a cell at (row, column), both u16 at the start of the record:
# an .xls reader takes the column as written, up to 65,535 (the format allows 255).
_XLS_CELL_RECORDS = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x00D6, 0x00FD,
                               0x0201, 0x0203, 0x0204, 0x0205, 0x0206, 0x027E, 0x0406})
_XLS_ROW_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column .. last column
_XLS_BOF = frozenset({0x0009, 0x0209, 0x0409, 0x0809})
_XLS_FILEPASS = 0x002F
_XLS_MERGECELLS = 0x00E5


def _check_xls_extent(data: bytes) -> None:
    """Raise too-large-file when a sheet of an .xls puts a cell beyond MAX_SHEET_CELLS from A1
    (the reader would build that rectangle first, and a column of 65,535 makes it 4 billion
    cells), unreadable-file when the OLE container cannot be followed."""
    stream = _ole_stream(data, ("Workbook", "Book"))
    sheet = max_row = max_col = -1
    pos = 0
    while pos + 4 <= len(stream):
        kind = int.from_bytes(stream[pos:pos + 2], "little")
        size = int.from_bytes(stream[pos + 2:pos + 4], "little")
        record = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind in _XLS_BOF:
            if max_row >= 0 and (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
                break
            sheet, max_row, max_col = sheet + 1, -1, -1
        elif kind == _XLS_FILEPASS:  # encrypted: record contents are noise; the reader says so
            return
        elif kind == _XLS_MERGECELLS and (len(record) < 2 or 2 + 8 * int.from_bytes(
                record[0:2], "little") > len(record)):  # the reader would read past its end
            raise ReadError("unreadable-file", "damaged .xls record (merged cells)",
                            "bản ghi ô gộp của tệp .xls bị hỏng")
        elif kind in _XLS_CELL_RECORDS and len(record) >= 4:
            max_row = max(max_row, int.from_bytes(record[0:2], "little"))
            max_col = max(max_col, int.from_bytes(record[2:4], "little"))
        elif kind in _XLS_ROW_RECORDS and len(record) >= 6:
            max_row = max(max_row, int.from_bytes(record[0:2], "little"))
            max_col = max(max_col, int.from_bytes(record[-2:], "little"),
                          int.from_bytes(record[2:4], "little"))
    if max_row >= 0 and (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
        raise _too_many_cells(f"#{sheet}", max_row + 1, max_col + 1)


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes:
    """The first stream named one of ``names`` in an OLE compound file (the container of .xls),
    following its sector chains with every index and loop checked."""
    damaged = ReadError("unreadable-file", "damaged OLE container (.xls)",
                        "vỏ tệp .xls bị hỏng")

    def u32(buffer: bytes, at: int) -> int:
        return int.from_bytes(buffer[at:at + 4], "little")

    if len(data) < 512:
        raise damaged
    sector_size = 1 << int.from_bytes(data[30:32], "little")
    mini_size = 1 << int.from_bytes(data[32:34], "little")
    if sector_size not in (512, 4096) or mini_size != 64:
        raise damaged
    count = -(-len(data) // sector_size) - 1  # sectors after the header (the last may be short)

    def sector(index: int) -> bytes:
        if not 0 <= index < count:
            raise damaged
        return data[(index + 1) * sector_size:(index + 2) * sector_size]

    per = sector_size // 4
    fat_sectors = [u32(data, 76 + 4 * i) for i in range(109)]
    difat, seen = u32(data, 68), set()
    while difat < 0xFFFFFFFA:
        if difat in seen:
            raise damaged
        seen.add(difat)
        block = sector(difat)
        fat_sectors += [u32(block, 4 * i) for i in range(per - 1)]
        difat = u32(block, sector_size - 4)
    fat_sectors = fat_sectors[:u32(data, 44)]
    fat = b"".join(sector(s) for s in fat_sectors)
    entries = len(fat) // 4

    def chain(start: int, read: Callable[[int], bytes], table: bytes, limit: int) -> bytes:
        out, seen_here = [], set()
        while start < 0xFFFFFFFA:
            if start in seen_here or start >= limit:
                raise damaged
            seen_here.add(start)
            out.append(read(start))
            start = u32(table, 4 * start)
        return b"".join(out)

    directory = chain(u32(data, 48), sector, fat, entries)
    root = directory[:128]
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        length = int.from_bytes(entry[64:66], "little")
        name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in names:
            continue
        start, size = u32(entry, 116), u32(entry, 120)
        if size >= u32(data, 56):  # regular sectors
            return chain(start, sector, fat, entries)[:size]
        mini_stream = chain(u32(root, 116), sector, fat, entries)
        mini_fat = chain(u32(data, 60), sector, fat, entries)

        def mini(index: int, stream: bytes = mini_stream) -> bytes:
            return stream[index * 64:index * 64 + 64]

        return chain(start, mini, mini_fat, len(mini_fat) // 4)[:size]
    raise damaged


def _read_part(archive, info, raw: bytes | None = None) -> bytes:
    """A part, never expanded beyond its declared size: ZipFile.read would inflate a lying
    part to its real end (gigabytes) before noticing the bad checksum. With ``raw`` (the
    whole file), a plain stored or deflated part is inflated from it directly."""
    if raw is not None:
        data = _inflate(raw, info)
        if data is not None:
            return data
    with archive.open(info) as part:
        return part.read(info.file_size)


def _inflate(raw: bytes, info) -> bytes | None:
    """The part from the zip's bytes, as zipfile would give it (checksum checked when the
    stream ends within its declared size); None for anything unusual, which zipfile reads."""
    at = info.header_offset
    header = raw[at:at + 30]
    if len(header) < 30 or header[:4] != _ZIP_MAGIC or info.compress_type not in (0, 8):
        return None
    if info.file_size == 0:  # declared empty; and a max_length of 0 would mean no limit at all
        return b""
    start = at + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    packed = raw[start:start + info.compress_size]
    if len(packed) < info.compress_size:
        return None  # truncated: zipfile names the problem
    if info.compress_type == 0:
        data, ended = packed[:info.file_size], True
    else:
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(packed, info.file_size)
        ended = inflater.eof
    if ended and zlib.crc32(data) != info.CRC:
        import zipfile

        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return data


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


_PLAIN_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ANY_CELL_TAG = re.compile(rb"<c[\s/>]")
_PREFIXED_CELL_TAG = re.compile(rb"<[\w.-]+:c[\s/>]")


# A cell tag without a prefix (<c r=..., <c>, <c/>) that is not <c r="B7" with at most two
# letters and three digits.
_NOT_SMALL_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,2}[0-9]{1,3}")')
_SMALL_SHEET_CELLS = 999 * 702  # the most a sheet _plainly_small lets through can span


def _plainly_small(xml: bytes) -> bool:
    """True when every cell of a worksheet part is written <c r="B7" ...> with at most two
    letters and three digits: the sheet then spans at most 999 rows x 702 columns (under
    MAX_SHEET_CELLS), and finding its farthest cell is not needed. The filled templates are
    written so; two scans of the part, half of _xlsx_extent's time."""
    if b":c" in xml and _PREFIXED_CELL_TAG.search(xml):
        return False
    return _NOT_SMALL_CELL.search(xml) is None


def _xlsx_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell a worksheet part may hold."""
    # Fast path: Excel, LibreOffice and openpyxl write every cell as <c r="B7" ...>; when every
    # cell tag is of that form, the farthest address is the answer.
    refs = _PLAIN_CELL_REF.findall(xml)
    if len(refs) == len(_ANY_CELL_TAG.findall(xml)) and not _PREFIXED_CELL_TAG.search(xml):
        if not refs:
            return 0, 0
        # A sheet has few distinct rows and columns: convert each once, not once per cell.
        return (max(map(int, {digits for _, digits in refs})),
                max(map(_column_number, {letters for letters, _ in refs})))
    row = -1  # 0-based row of the current <row>
    rows_seen = col = 0
    max_row = max_col = -1
    for closing, tag, attrs in _XLSX_TAG.findall(xml):
        if closing:
            continue
        ref = _REF_ATTR.search(attrs)
        if tag == b"row":
            explicit = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
            row = max(explicit, rows_seen)
            rows_seen += 1
            col = 0
            continue
        cell_row = max(row, 0)
        if ref and ref.group(2):
            cell_row = int(ref.group(2)) - 1
        if ref and ref.group(1):
            col = _column_number(ref.group(1)) - 1
        max_row, max_col = max(max_row, cell_row), max(max_col, col)
        col += 1
    return max_row + 1, max_col + 1


def _ods_extents(xml: bytes) -> list[tuple[str, int, int]]:
    """(table, rows, columns) from A1 to the farthest cell holding something, per table of an
    .ods content.xml, counting repeated rows and cells as their repeats."""
    extents: list[tuple[str, int, int]] = []
    index = row = col = 0
    rows_of_row = (0, 0)
    max_row = max_col = -1
    for closing, tag, attrs, empty in _ODS_TAG.findall(xml):
        if closing:
            continue
        if tag == b"table":
            if max_row >= 0:
                extents.append((f"table {index}", max_row + 1, max_col + 1))
            index += 1
            row = col = 0
            max_row = max_col = -1
        elif tag == b"table-row":
            repeat = _ROWS_REPEATED.search(attrs)
            count = int(repeat.group(1)) if repeat else 1
            rows_of_row = (row, row + max(count, 1) - 1)
            row += max(count, 1)
            col = 0
        else:
            repeat = _COLS_REPEATED.search(attrs)
            count = max(int(repeat.group(1)) if repeat else 1, 1)
            if not empty or _VALUE_TYPE.search(attrs):  # a cell with content or a value
                max_row = max(max_row, rows_of_row[1])
                max_col = max(max_col, col + count - 1)
            col += count
    if max_row >= 0:
        extents.append((f"table {index}", max_row + 1, max_col + 1))
    return extents


def _mark_formulas(path: Path, rows: list[CodeRow]) -> list[CodeRow]:
    """Flag the blank value cells that hold a formula with no saved result (a workbook written
    by a program, never opened in Excel or LibreOffice). Only .xlsx/.xlsm store formulas apart
    from values; looked up only when some value is blank, so a valid file costs nothing."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            formulas: dict[str, set[int]] = {}
            for sheet in {row.sheet for row in rows}:
                part = parts.get(sheet)
                if part is not None:
                    formulas[sheet] = _formula_rows(_read_part(archive, archive.getinfo(part)))
    except Exception:  # not a zip (.xls), or no usable parts: no formula to report
        return rows
    return [dataclasses.replace(row, formula=True)
            if (row.value is None or row.value == "") and row.row in formulas.get(row.sheet, ())
            else row for row in rows]


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(rb"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
# <v>5</v>, or <v></v> for a formula whose saved result is empty text; openpyxl writes <v />.
_SAVED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*[^/])?>")


def _attrs(text: bytes) -> dict[str, str]:
    return {key.decode().split(":")[-1]: html.unescape((a or b).decode("utf-8", "replace"))
            for key, a, b in _ATTR.findall(text)}


def _sheet_parts(archive) -> dict[str, str]:
    """Sheet name -> zip member of its worksheet, from xl/workbook.xml and its relationships."""
    rels = {}
    for tag in _REL_TAG.findall(_read_part(archive, archive.getinfo("xl/_rels/workbook.xml.rels"))):
        attrs = _attrs(tag)
        target = attrs.get("Target", "")
        rels[attrs.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    parts = {}
    for tag in _SHEET_TAG.findall(_read_part(archive, archive.getinfo("xl/workbook.xml"))):
        attrs = _attrs(tag)
        if attrs.get("id") in rels:
            parts[attrs.get("name", "")] = posixpath.normpath(rels[attrs["id"]])
    return parts


def _formula_rows(xml: bytes) -> set[int]:
    """Rows whose column-E cell has a formula and no saved value."""
    found = set()
    for start in _CELL_START.finditer(xml):
        if start.group(2):  # <c .../>: no formula inside
            continue
        ref = _REF_ATTR.search(start.group(1))
        if not ref or ref.group(1).upper() != column_letter(VALUE_COL).encode() or not ref.group(2):
            continue
        end = _CELL_END.search(xml, start.end())
        inner = xml[start.end():end.start() if end else len(xml)]
        if _FORMULA.search(inner) and not _SAVED_VALUE.search(inner):
            found.add(int(ref.group(2)))
    return found


def _reader_error(path: Path, exc: BaseException) -> ReadError:
    detail = str(exc) or type(exc).__name__
    return ReadError(_classify(path, exc), detail, f"nội dung bị hỏng ({detail})")


def _classify(path: Path, exc: BaseException) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return "encrypted-file"
    return "unreadable-file"
