"""Helpers to make and spoil submissions the way clerks do (imported by conftest and tests)."""

from __future__ import annotations

import contextlib
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl

# A month of plausible figures for every element, respecting every rule of the bundled plan
# (errors and warnings alike), so a file built from them validates without a single issue.
PLAUSIBLE: dict[str, int] = {
    # TT Truyền thông
    "TT_CHUYEN_MUC": 2, "TT_TIN_BAI": 15, "TT_MANG_XA_HOI": 30, "TT_BUOI_CONG_DONG": 4,
    "TT_LUOT_NGUOI": 320, "TT_TRUONG_HOC": 2, "TT_HOAT_DONG_307": 0, "TT_MO_HINH": 3,
    # TH Tập huấn
    "TH_LOP": 1, "TH_LUOT_CAN_BO": 45,
    # TG Tố giác, tin báo
    "TG_TON_DAU_KY": 2, "TG_TIEP_NHAN": 5, "TG_PHAN_LOAI": 5, "TG_DA_GIAI_QUYET": 6, "TG_KHOI_TO": 2,
    # DT Điều tra
    "DT_VU_KHOI_TO": 2, "DT_BI_CAN": 3, "DT_VU_KHAM_PHA": 2, "DT_DUONG_DAY": 1, "DT_TRUY_NA": 0,
    # TTO Truy tố
    "TTO_VU_TON_DAU_KY": 1, "TTO_VU_THU_LY_MOI": 2, "TTO_VU_GIAI_QUYET": 3, "TTO_VU_TRUY_TO": 2,
    "TTO_BI_CAN_TRUY_TO": 4,
    # XX Xét xử
    "XX_VU_TON_DAU_KY": 1, "XX_VU_THU_LY_MOI": 2, "XX_VU_GIAI_QUYET": 2, "XX_VU_XET_XU": 2,
    "XX_BI_CAO_XET_XU": 3,
    # NX Xác định nạn nhân
    "NN_TIEP_NHAN": 4, "NN_XAC_DINH": 3, "NN_GIAI_CUU": 2, "NN_NU": 3, "NN_TRE_EM": 1, "NN_DTTS": 2,
    # NH Hỗ trợ nạn nhân
    "NN_HO_TRO": 3, "NN_HT_THIET_YEU": 3, "NN_HT_Y_TE": 1, "NN_HT_TAM_LY": 2, "NN_HT_PHAP_LY": 1,
    "NN_HT_HOC_NGHE": 0,
}

SUBMITTED = datetime(2024, 10, 16, 9, 30)
COVER = "Thông tin chung"
TG_SHEET = "TG Tố giác tin báo"
TT_SHEET = "TT Truyền thông"
DT_SHEET = "DT Điều tra"


def valid_values(plan, agency_code: str, period: str = "10/2024") -> dict[str, object]:
    """Everything a careful clerk of ``agency_code`` writes for October 2025."""
    agency = plan.agency_by_code[agency_code]
    values: dict[str, object] = {e.code: PLAUSIBLE[e.code] for e in plan.elements_for_agency(agency)}
    values.update(
        META_AGENCY=agency_code,
        META_PERIOD=period,
        META_REPORTER="Nguyễn Thị Hoa",
        META_PHONE="0260 3862 123",
        META_SUBMITTED=SUBMITTED,
    )
    return values


@contextlib.contextmanager
def editing(path: Path) -> Iterator[openpyxl.Workbook]:
    """Open a submission with openpyxl, let the caller change it, save it in place."""
    wb = openpyxl.load_workbook(path)
    yield wb
    wb.save(path)


def correct_dak_ha(nop: Path) -> Path:
    """The bundled month's commune Đăk Hà corrects its own file ('1,200' typed as 1200) and
    sends it again, dated later, saved beside the first as the monthly routine says."""
    book = openpyxl.load_workbook(nop / "X_DAK_HA_2026-08.xlsx")
    for ws in book.worksheets:
        for row in ws.iter_rows():
            if row[0].value == "XT_LUOT_NGUOI":
                row[4].value = 1200
            if row[0].value == "META_SUBMITTED":
                row[4].value = "20/08/2026"
    book.save(nop / "X_DAK_HA_2026-08_sua.xlsx")
    return nop / "X_DAK_HA_2026-08_sua.xlsx"


def row_of(ws, code: str) -> int:
    """The row whose column A holds ``code`` (fails loudly when there is none)."""
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == code:
            return cell.row
    raise AssertionError(f"no row {code} on sheet {ws.title}")


def sheet_with(wb, code: str):
    for ws in wb.worksheets:
        for (cell,) in ws.iter_rows(min_col=1, max_col=1):
            if cell.value == code:
                return ws
    raise AssertionError(f"no row {code} in the workbook")


def set_value(wb, code: str, value: object) -> str:
    """Type ``value`` into column E of the row of ``code``; returns the cell address, e.g. 'E6'."""
    ws = sheet_with(wb, code)
    row = row_of(ws, code)
    ws.cell(row, 5).value = value
    return f"E{row}"


def address(path: Path, code: str) -> tuple[str, str]:
    """(sheet, 'E<row>') where the file holds ``code``, as a clerk would look it up."""
    wb = openpyxl.load_workbook(path)
    ws = sheet_with(wb, code)
    return ws.title, f"E{row_of(ws, code)}"


def issues_of(sub, code: str) -> list:
    return [i for i in sub.issues if i.code == code]


def soffice_convert(soffice: tuple[str, str], source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert ``source`` with LibreOffice (headless, private profile) and return the new file."""
    binary, profile_uri = soffice
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [binary, f"-env:UserInstallation={profile_uri}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
            capture_output=True, text=True, timeout=120,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"LibreOffice took more than 120 s to convert {source.name}") from None
    target = out_dir / f"{source.stem}.{fmt.split(':')[0]}"
    assert target.exists(), (f"LibreOffice did not write {target.name} (exit {done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return target


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert_all(soffice: tuple[str, str], sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Convert several files in one LibreOffice start (a start costs more than a file)."""
    binary, profile_uri = soffice
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [binary, f"-env:UserInstallation={profile_uri}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)],
            capture_output=True, text=True, timeout=180,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"LibreOffice took more than 180 s to convert {len(sources)} files") from None
    targets = [out_dir / f"{s.stem}.{fmt.split(':')[0]}" for s in sources]
    absent = [t.name for t in targets if not t.exists()]
    assert not absent, (f"LibreOffice did not write {absent} (exit {done.returncode}):\n"
                        f"{done.stdout}\n{done.stderr}")
    return targets


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF written by LibreOffice."""
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z]).*?/MediaBox\s*\[\s*([\d.\s-]+)\]", data, re.S)
    if not pages:  # MediaBox before /Type
        pages = re.findall(rb"/MediaBox\s*\[\s*([\d.\s-]+)\][^>]*?/Type\s*/Page(?![a-zA-Z])", data, re.S)
    sizes = []
    for box in pages:
        x0, y0, x1, y1 = (float(v) for v in box.split())
        sizes.append((x1 - x0, y1 - y0))
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert count == len(sizes), "could not read the page sizes"
    return sizes


def png_rgb(path: Path) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of an 8-bit, non-interlaced PNG such as pdftoppm writes:
    enough of PNG to check colours without an imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat = 8, bytearray()
    width = height = depth = colour = interlace = 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A) PNGs"
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    prev = bytearray(stride)
    out = bytearray()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                up_left = prev[i - bpp] if i >= bpp else 0
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        prev = line
        out += line if bpp == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3)
    return width, height, bytes(out)


def count_colour(rgb: bytes, hex_colour: str, tolerance: int = 10) -> int:
    """Pixels within ``tolerance`` per channel of ``hex_colour`` ("FF7F7F")."""
    want = bytes.fromhex(hex_colour)
    return sum(1 for i in range(0, len(rgb), 3)
               if all(abs(rgb[i + k] - want[k]) <= tolerance for k in range(3)))


def find_uno_python() -> str | None:
    """A Python that can drive LibreOffice (python3-uno): Debian's, or LibreOffice's own."""
    binary = find_soffice()
    candidates = ["/usr/bin/python3", shutil.which("python3")]
    if binary:
        program = Path(binary).resolve().parent
        candidates += [str(program / "python"), str(program / "python.bin")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            try:
                done = subprocess.run([candidate, "-c", "import uno"], capture_output=True, timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0:
                return candidate
    return None
