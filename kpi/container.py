"""The guard in front of every reader: what is not a workbook, is encrypted, or would make a
reader expand or allocate gigabytes is refused here, before any parser sees the file.

:func:`check_container` reads the file once (never blocking on a pipe or a device), checks the zip
directory (sizes, ratios, part count, passwords), every XML part (no DTD: no entity is ever
expanded by any library of ours), the extent of every sheet, the text every cell may pull from
the shared strings, and the relationships of the workbook; for an .xls, the OLE container and its
cell records. It returns the bytes it checked, so the readers parse exactly what was checked.
"""

from __future__ import annotations

import html
import io
import os
import posixpath
import re
import stat
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .present import vi_int

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
# Text all cells of a workbook may hold once read (a cell may repeat a shared string): a report
# holds a few kilobytes; 10 MB of text repeated in many cells would be gigabytes once read.
MAX_TEXT_CHARS = 20_000_000
OUTPUT_PROPERTY = "kpi-output"  # custom document property written on kpi's own workbooks


class ReadError(Exception):
    """A file that cannot be read at all. ``code`` is the issue code to report; ``detail`` says
    why in English, ``detail_vi`` in Vietnamese when known (else the English text)."""

    def __init__(self, code: str, detail: str, detail_vi: str | None = None):
        self.code = code
        self.detail = detail
        self.detail_vi = detail_vi or detail
        super().__init__(detail)



@dataclass(frozen=True)
class Container:
    """What :func:`check_container` found: the content kind ("xls", "xlsx", "ods" or "zip"),
    the bytes it checked, and kpi's own output marker when the file carries one."""

    kind: str
    data: bytes
    output: str | None = None  # "report", "marked-copy" ...: see kpi.xlsx.mark_output
    output_digest: str | None = None  # of the code rows when written (marked copies)

def _check_area(sheet: str, end: tuple[int, int] | None) -> None:
    """Refuse a sheet whose used rectangle (from A1) exceeds MAX_SHEET_CELLS, before its cells
    become Python objects. An .xls is bounded by its format (65,536 rows x 256 columns)."""
    if end is None:
        return
    rows, cols = end[0] + 1, end[1] + 1
    if rows * cols > MAX_SHEET_CELLS:
        raise _too_many_cells(sheet, rows, cols)


def _too_many_cells(sheet: str, rows: int, cols: int) -> ReadError:
    return ReadError(
        "too-large-file",
        f"sheet '{sheet}' spans {rows:,} rows x {cols:,} columns, more than "
        f"{MAX_SHEET_CELLS:,} cells",
        f"trang '{sheet}' trải trên {vi_int(rows)} dòng x {vi_int(cols)} cột, quá "
        f"{vi_int(MAX_SHEET_CELLS)} ô")


def _too_much_text(chars: int) -> ReadError:
    return ReadError(
        "too-large-file",
        f"its cells would hold {chars:,} characters of text once read, more than "
        f"{MAX_TEXT_CHARS:,}",
        f"các ô chứa tới {vi_int(chars)} ký tự chữ khi đọc ra, quá {vi_int(MAX_TEXT_CHARS)}")


_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe", "một đường ống (pipe)"),
               (stat.S_ISCHR, "a device", "một thiết bị"), (stat.S_ISBLK, "a device", "một thiết bị"),
               (stat.S_ISSOCK, "a socket", "một socket"), (stat.S_ISDIR, "a folder", "một thư mục"))


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[int, bytes]:
    """(size, bytes) of a regular file: the whole of it when it is at most ``limit`` bytes,
    else its first 8. A pipe, a device or a socket is refused without waiting on it: it is
    opened non-blocking and looked at before anything is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise ReadError("unreadable-file", "file not found", "không tìm thấy tệp") from exc
    except IsADirectoryError as exc:
        raise ReadError("unreadable-file", "a folder, not a file", "đây là thư mục, không phải tệp") from exc
    except OSError as exc:
        raise ReadError("unreadable-file", exc.strerror or str(exc)) from exc
    try:
        info = os.fstat(fd)
        for test, en, vi in _FILE_KINDS:
            if test(info.st_mode):
                raise ReadError("unreadable-file", f"not a regular file but {en}",
                                f"không phải tệp thông thường mà là {vi}")
        size = info.st_size
        wanted = size if 0 < size <= limit else 8
        chunks, got = [], 0
        while got < wanted:
            chunk = os.read(fd, wanted - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return size, b"".join(chunks)
    except OSError as exc:
        raise ReadError("unreadable-file", exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)


def check_container(path: Path) -> Container:
    """Refuse, before any reader sees it, what is not a workbook, is encrypted, or would make
    a reader expand or allocate gigabytes: a zip bomb (from the zip directory alone), a DTD in
    any part, a sheet spanning billions of cells (from the sheet XML or the .xls cell records),
    a shared string repeated into gigabytes, a count the file cannot hold. About a quarter of a
    millisecond for a real submission.

    Returns the bytes checked and what the content is, whatever the file is named: "xls"
    (OLE), "xlsx" (Office Open XML zip, also .xlsm), "ods" (OpenDocument zip) or "zip"."""
    size, raw = read_regular_file(path)
    return check_data(raw, path.suffix, size)


def check_data(raw: bytes, suffix: str = "", size: int | None = None) -> Container:
    """:func:`check_container` on bytes already read (``size``: of the file they came from)."""
    import zipfile

    size = len(raw) if size is None else size
    if size == 0:
        raise ReadError("unreadable-file", "the file is empty (0 bytes)", "tệp rỗng (0 byte)")
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise ReadError("too-large-file", f"{size:,} bytes, more than {mb} MB",
                        f"{vi_int(size)} byte, quá {mb} MB")
    head = raw[:8]
    suffix = suffix.lower()
    if head.startswith(_OLE_MAGIC):
        # Excel saves an encrypted .xlsx as an OLE container holding an EncryptedPackage
        # stream; any other OLE content is a legacy .xls, whatever its name.
        if suffix != ".xls" and _ENCRYPTED_PACKAGE in raw:
            raise ReadError("encrypted-file", "OLE container with an encrypted package")
        _check_xls_extent(raw)
        return Container("xls", raw)
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
                                f"{vi_int(len(infos))} phần trong tệp zip")
            for info in infos:
                total += info.file_size
                if total > MAX_UNPACKED_BYTES:
                    raise ReadError("too-large-file", f"its parts expand to more than {mb} MB",
                                    f"các phần của tệp giải nén ra hơn {mb} MB")
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO:
                    raise ReadError(
                        "too-large-file",
                        f"part {info.filename} expands {ratio:,.0f} times (a zip bomb shows more "
                        f"than {MAX_RATIO})",
                        f"phần {info.filename} giải nén ra gấp {vi_int(int(ratio))} lần (quá "
                        f"{MAX_RATIO} lần: dấu hiệu bom nén)")
                if info.flag_bits & 0x1:  # a zip member encrypted with a password
                    raise ReadError("encrypted-file", "a part of the zip is encrypted")
            names = {info.filename for info in infos}
            if "META-INF/manifest.xml" in names and b"encryption-data" in _read_part(
                    archive, archive.getinfo("META-INF/manifest.xml"), raw):
                raise ReadError("encrypted-file", "an OpenDocument file saved with a password")
            # Sizes are sound (and the reader holds each part to its declared size): now what
            # each part holds: no DTD, and the rectangle each sheet would span.
            text = _TextBudget()
            output = None
            for info in infos:
                data = _check_part(archive, info, total, raw, text)
                if info.filename == "docProps/custom.xml":
                    output = _output_marker(data)
            text.check(archive, raw)
    except zipfile.BadZipFile as exc:
        raise ReadError("unreadable-file", f"damaged or truncated file ({exc})",
                        f"tệp bị hỏng hoặc không trọn vẹn ({exc})") from exc
    except (OSError, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        # A corrupt deflate stream (zlib.error), an unknown compression (NotImplementedError).
        raise ReadError("unreadable-file", f"damaged or truncated file ({exc})",
                        f"tệp bị hỏng hoặc không trọn vẹn ({exc})") from exc
    kind = "xlsx" if "[Content_Types].xml" in names else "ods" if "content.xml" in names else "zip"
    return Container(kind, raw, *(output or (None, None)))


_DTD_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _check_no_dtd(name: str, data: bytes) -> None:
    """No part may declare a DTD. Office Open XML forbids them (ECMA-376 part 2, the package
    conventions) and OpenDocument files never carry one; a DTD is how entities come in (the
    "billion laughs", an external file), and openpyxl's parser would expand them."""
    if b"<!" not in data and b"<\x00!" not in data:  # "<!" in UTF-8 or either UTF-16
        return
    if any(mark in data for mark in _DTD_MARKS):
        raise ReadError("unreadable-file",
                        f"part {name} declares a DTD (<!DOCTYPE>), which no spreadsheet program "
                        "writes; its entities are never expanded",
                        f"phần {name} khai báo DTD (<!DOCTYPE>), điều mà Excel hay LibreOffice "
                        "không bao giờ ghi; các thực thể trong đó không được mở rộng")


_CUSTOM_PROPERTY = re.compile(
    rb'name="' + OUTPUT_PROPERTY.encode() + rb'"[^>]*>\s*<vt:lpwstr[^>]*>([^<]{1,200})</vt:lpwstr>')


def _output_marker(data: bytes) -> tuple[str, str | None] | None:
    """(kind, digest) of kpi's own marker in docProps/custom.xml, None when absent."""
    found = _CUSTOM_PROPERTY.search(data)
    if not found:
        return None
    kind, _, digest = found.group(1).decode("utf-8", "replace").partition(" ")
    return kind, digest or None


_SST_ITEM = re.compile(rb"<(?:[\w.-]+:)?si[\s>]")
_SHARED_CELL = re.compile(
    rb"""<(?:[\w.-]+:)?c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<(?:[\w.-]+:)?v>\s*(\d{1,10})""")


class _TextBudget:
    """The text a workbook's cells would hold once read. A cell of shared-string type holds a
    copy of its string: a 10 MB string named by a thousand cells is 10 GB in the reader."""

    def __init__(self) -> None:
        self.sst: tuple[str, int] | None = None  # (part name, expanded size)
        self.shared_cells: list[str] = []  # worksheet parts naming shared strings
        self.count = 0  # cells naming a shared string
        self.inline = 0  # bytes of every other part that holds cells

    def add_sheet(self, name: str, data: bytes) -> None:
        n = data.count(b't="s"') + data.count(b"t='s'")
        if n:
            self.shared_cells.append(name)
            self.count += n

    def check(self, archive, raw: bytes) -> None:
        if self.sst is None or not self.count:
            return
        name, size = self.sst
        if self.count * size <= MAX_TEXT_CHARS:  # even if every cell named the whole table
            return
        data = _read_part(archive, archive.getinfo(name), raw)
        starts = [m.start() for m in _SST_ITEM.finditer(data)] + [len(data)]
        lengths = [b - a for a, b in zip(starts, starts[1:], strict=False)]
        longest = max(lengths, default=0)
        if self.count * longest <= MAX_TEXT_CHARS:
            return
        total = 0
        for part in self.shared_cells:
            for found in _SHARED_CELL.finditer(_read_part(archive, archive.getinfo(part), raw)):
                index = int(found.group(1))
                total += lengths[index] if index < len(lengths) else 0
                if total > MAX_TEXT_CHARS:
                    raise _too_much_text(total)


def explain_broken_links(raw: bytes) -> None:
    """Raise a ReadError naming the sheet when the workbook points a sheet outside the file or
    to a missing part. Asked only once a reader has failed: a sound file costs nothing."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                _check_workbook_links(archive, raw, names)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, zlib.error):
        return


def _check_workbook_links(archive, raw: bytes, names: set[str]) -> None:
    """Every sheet of the workbook must point to a part inside the file: a relationship to
    ``../../etc/passwd`` or to a missing part is said as such, naming the sheet."""
    try:
        rels = _read_part(archive, archive.getinfo("xl/_rels/workbook.xml.rels"), raw)
        book = _read_part(archive, archive.getinfo("xl/workbook.xml"), raw)
    except KeyError:
        return  # the reader says what is missing
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = _attrs(tag)
        if attrs.get("TargetMode", "").lower() == "external":
            continue
        targets[attrs.get("Id")] = attrs.get("Target", "")
    for tag in _SHEET_TAG.findall(book):
        attrs = _attrs(tag)
        target = targets.get(attrs.get("id"))
        if target is None:
            continue
        sheet = attrs.get("name", "?")
        resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                      else posixpath.join("xl", target))
        if "://" in target or resolved.startswith("../") or resolved == "..":
            raise ReadError(
                "unreadable-file",
                f"sheet '{sheet}' points outside the file ({target!r}); a workbook saved by "
                "Excel or LibreOffice never does",
                f"trang '{sheet}' trỏ ra ngoài tệp ({target!r}); tệp do Excel hay LibreOffice "
                "lưu không bao giờ như vậy")
        if resolved not in names:
            raise ReadError(
                "unreadable-file", f"sheet '{sheet}' has no content in the file (missing {resolved})",
                f"trang '{sheet}' không có nội dung trong tệp (thiếu {resolved})")


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


def _check_part(archive, info, total: int, raw: bytes, text: _TextBudget) -> bytes:
    """Check one part and return its bytes. No part may declare a DTD. A worksheet part
    (.xlsx/.xlsm) or the content of an .ods may not put a cell beyond MAX_SHEET_CELLS from A1:
    positions are bounded from above, a row or cell without its address counting as the next
    one, whichever way a reader numbers it.

    Also refuse what a part merely declares and the reader trusts: a count of items (the
    ``uniqueCount`` of the shared strings, for which it reserves memory first) larger than the
    whole file expanded (``total`` bytes) cannot be true; runs of spaces in an .ods (``text:c``)
    and text repeated over many cells expand like a zip bomb."""
    name = info.filename.lower()
    data = _read_part(archive, info, raw)  # any part, whatever its name: the workbook says which is what
    _check_no_dtd(info.filename, data)
    # The reader reserves memory by the shared-string table's count; other parts' counts
    # (styles) it does not trust, and scanning them cost more than the rest of the check.
    if b"sst" in data:
        declared = max(_declared_counts(data), default=0)
        if declared > total:
            raise ReadError(
                "unreadable-file", f"{info.filename} declares {declared:,} items in {total:,} bytes",
                f"{info.filename} khai {vi_int(declared)} mục trong {vi_int(total)} byte")
        if b"<sst" in data or b":sst" in data:
            text.sst = (info.filename, info.file_size)
    if name == "content.xml":
        spaces = sum(int(n) for n in _ODS_SPACES.findall(data))
        if spaces > MAX_TEXT_CHARS:
            raise _too_much_text(spaces)
        extents, chars = _ods_extents(data)
        for sheet, rows, cols in extents:
            if rows * cols > MAX_SHEET_CELLS:
                raise _too_many_cells(sheet, rows, cols)
        if chars > MAX_TEXT_CHARS:
            raise _too_much_text(chars)
    elif not name.startswith("docprops/") and b"sheetData" in data:
        text.add_sheet(info.filename, data)
        if not (_SMALL_SHEET_CELLS <= MAX_SHEET_CELLS and _plainly_small(data)):
            rows, cols = _xlsx_extent(data)
            if rows * cols > MAX_SHEET_CELLS:
                try:  # the sheet's name as the clerk sees it, when the workbook says it
                    names = {part: name for name, part in _sheet_parts(archive).items()}
                except Exception:
                    names = {}
                raise _too_many_cells(names.get(info.filename, info.filename), rows, cols)
    return data


# .xls (BIFF) records that place a cell at (row, column), both u16 at the start of the record:
# an .xls reader takes the column as written, up to 65,535 (the format allows 255).
_XLS_CELL_RECORDS = frozenset({0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x00D6, 0x00FD,
                               0x0201, 0x0203, 0x0204, 0x0205, 0x0206, 0x027E, 0x0406})
_XLS_ROW_RECORDS = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first column .. last column
_XLS_BOF = frozenset({0x0009, 0x0209, 0x0409, 0x0809})
_XLS_FILEPASS = 0x002F
_XLS_MERGECELLS = 0x00E5
_XLS_SST, _XLS_CONTINUE, _XLS_LABELSST = 0x00FC, 0x003C, 0x00FD


def _check_xls_extent(data: bytes) -> None:
    """Raise too-large-file when a sheet of an .xls puts a cell beyond MAX_SHEET_CELLS from A1
    (the reader would build that rectangle first, and a column of 65,535 makes it 4 billion
    cells) or when its string cells would copy more than MAX_TEXT_CHARS of text, and
    unreadable-file when the OLE container cannot be followed."""
    stream = _ole_stream(data, ("Workbook", "Book"))
    sheet = max_row = max_col = -1
    pos = 0
    labels = 0  # cells naming a shared string (LABELSST)
    strings = bytearray()  # the shared-string table: SST and the CONTINUE records after it
    in_sst = False
    while pos + 4 <= len(stream):
        kind = int.from_bytes(stream[pos:pos + 2], "little")
        size = int.from_bytes(stream[pos + 2:pos + 4], "little")
        record = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _XLS_SST:
            strings += record[8:]
            in_sst = True
            continue
        if kind == _XLS_CONTINUE and in_sst:
            strings += record
            continue
        in_sst = False
        if kind in _XLS_BOF:
            if max_row >= 0 and (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
                break
            sheet, max_row, max_col = sheet + 1, -1, -1
        elif kind == _XLS_FILEPASS:  # encrypted: what follows is noise
            raise ReadError("encrypted-file", "an .xls saved with a password to open it")
        elif kind == _XLS_MERGECELLS and (len(record) < 2 or 2 + 8 * int.from_bytes(
                record[0:2], "little") > len(record)):  # the reader would read past its end
            raise ReadError("unreadable-file", "damaged .xls record (merged cells)",
                            "bản ghi ô gộp của tệp .xls bị hỏng")
        elif kind in _XLS_CELL_RECORDS and len(record) >= 4:
            max_row = max(max_row, int.from_bytes(record[0:2], "little"))
            max_col = max(max_col, int.from_bytes(record[2:4], "little"))
            labels += kind == _XLS_LABELSST
        elif kind in _XLS_ROW_RECORDS and len(record) >= 6:
            max_row = max(max_row, int.from_bytes(record[0:2], "little"))
            max_col = max(max_col, int.from_bytes(record[-2:], "little"),
                          int.from_bytes(record[2:4], "little"))
    if max_row >= 0 and (max_row + 1) * (max_col + 1) > MAX_SHEET_CELLS:
        raise _too_many_cells(f"#{sheet}", max_row + 1, max_col + 1)
    if labels and labels * min(len(strings), 65535) > MAX_TEXT_CHARS:
        longest = _longest_xls_string(bytes(strings))
        if labels * longest > MAX_TEXT_CHARS:
            raise _too_much_text(labels * longest)


def _longest_xls_string(table: bytes) -> int:
    """Characters of the longest string of an .xls shared-string table (BIFF8 XLUnicodeRich-
    ExtendedString items, one after the other). An item that does not parse ends the walk with
    the bound that the rest of the table gives, so a damaged table is never under-counted."""
    pos, longest = 0, 0
    while pos + 3 <= len(table):
        chars, flags = int.from_bytes(table[pos:pos + 2], "little"), table[pos + 2]
        pos += 3
        runs = ext = 0
        if flags & 0x08:
            runs = int.from_bytes(table[pos:pos + 2], "little")
            pos += 2
        if flags & 0x04:
            ext = int.from_bytes(table[pos:pos + 4], "little")
            pos += 4
        pos += chars * (2 if flags & 0x01 else 1) + 4 * runs + ext
        if flags & 0xF2 or pos > len(table) + 1:  # not a string header: stop, bound the rest
            return max(longest, min(len(table), 65535))
        longest = max(longest, chars)
    return longest


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


def _ods_extents(xml: bytes) -> tuple[list[tuple[str, int, int]], int]:
    """(table, rows, columns) from A1 to the farthest cell holding something, per table of an
    .ods content.xml, counting repeated rows and cells as their repeats; and the characters of
    text all cells hold once read (a cell's content times its repeats)."""
    extents: list[tuple[str, int, int]] = []
    index = row = col = 0
    rows_of_row = (0, 0)
    max_row = max_col = -1
    chars = 0
    open_cell: tuple[int, int] | None = None  # (where its content starts, times it repeats)
    for match in _ODS_TAG.finditer(xml):
        closing, tag, attrs, empty = match.groups()
        if closing:
            if open_cell is not None and tag in (b"table-cell", b"covered-table-cell"):
                chars += (match.start() - open_cell[0]) * open_cell[1]
                open_cell = None
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
            if not empty:
                open_cell = (match.end(), count * (rows_of_row[1] - rows_of_row[0] + 1))
            col += count
    if max_row >= 0:
        extents.append((f"table {index}", max_row + 1, max_col + 1))
    return extents, chars


_SHEET_TAG = re.compile(rb"<(?:[\w.-]+:)?sheet\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_REL_TAG = re.compile(rb"<(?:[\w.-]+:)?Relationship\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(rb"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


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

