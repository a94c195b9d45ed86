"""Any spreadsheet (.xlsx, .xlsm, .xls, .ods) -> the rows that carry a code in column A.

Values are found by the code in column A on any sheet, never by a fixed address, so a renamed
sheet or re-sorted rows still read right. Reading goes through python-calamine, which reads
cached formula results and never runs macros.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Limits: a submission is a few dozen rows; anything far larger is a mistake or an attack.
MAX_FILE_BYTES = 20 * 1024 * 1024  # as received
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all parts of a zip-based workbook, expanded
MAX_RATIO = 200  # expanded / compressed, per part: a zip bomb shows far more
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = b"PK\x03\x04"
CODE_COL, VALUE_COL, NOTE_COL = 0, 4, 5
_CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


class ReadError(Exception):
    """A file that cannot be read at all. ``code`` is the issue code to report."""

    def __init__(self, code: str, detail: str):
        self.code = code
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class CodeRow:
    """One row of a submission that carries a code: where it is and what it holds."""

    code: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    value: object  # raw value of column E ('' or None when blank)
    note: str = ""

    @property
    def cell(self) -> str:
        return f"E{self.row}"


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
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()
    text = text.upper()
    return text if _CODE_LIKE.match(text) else None


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def read_code_rows(path: Path | str) -> list[CodeRow]:
    """Every row of every sheet whose column A holds a code, in sheet and row order."""
    import python_calamine as pc

    path = Path(path)
    check_container(path)
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise ReadError("encrypted-file", str(exc)) from exc
    except FileNotFoundError as exc:
        raise ReadError("unreadable-file", "file not found") from exc
    except Exception as exc:  # calamine raises several types for corrupt or foreign files
        raise ReadError(_classify(path, exc), str(exc) or type(exc).__name__) from exc
    rows: list[CodeRow] = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
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
    except Exception as exc:
        raise ReadError(_classify(path, exc), str(exc) or type(exc).__name__) from exc
    finally:
        workbook.close()
    return rows


def check_container(path: Path) -> None:
    """Refuse, before any parsing, what is not a workbook, is encrypted or would expand
    into gigabytes (a zip bomb); reading only the zip directory costs next to nothing."""
    import zipfile

    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError as exc:
        raise ReadError("unreadable-file", "file not found") from exc
    except OSError as exc:
        raise ReadError("unreadable-file", exc.strerror or str(exc)) from exc
    if size == 0:
        raise ReadError("unreadable-file", "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise ReadError("too-large-file", f"{size} bytes > {MAX_FILE_BYTES}")
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC):
        if suffix != ".xls":
            # Excel saves an encrypted .xlsx as an OLE container holding the encrypted package.
            raise ReadError("encrypted-file", "OLE container with an encrypted package")
        return
    if not head.startswith(_ZIP_MAGIC):
        if suffix == ".xls" and head[:5].lower() in (b"<?xml", b"<html", b"<!doc"):
            raise ReadError("unreadable-file", "an HTML or XML file saved with the .xls suffix")
        raise ReadError("unreadable-file", "not a spreadsheet (neither zip nor OLE content)")
    try:
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNPACKED_BYTES or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
                    raise ReadError("too-large-file",
                                    f"expands to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
    except zipfile.BadZipFile as exc:
        raise ReadError("unreadable-file", f"damaged or truncated file ({exc})") from exc


def _classify(path: Path, exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return "encrypted-file"
    return "unreadable-file"
