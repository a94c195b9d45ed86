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
            for index, cells in enumerate(sheet.iter_rows()):
                if not cells:
                    continue
                code = normalise_code(cells[CODE_COL])
                if code is None:
                    continue
                value = cells[VALUE_COL] if len(cells) > VALUE_COL else None
                note = cells[NOTE_COL] if len(cells) > NOTE_COL else ""
                rows.append(CodeRow(code, name, _offset(sheet) + index + 1, value,
                                    note if isinstance(note, str) else str(note)))
    except Exception as exc:
        raise ReadError(_classify(path, exc), str(exc) or type(exc).__name__) from exc
    finally:
        workbook.close()
    return rows


def _offset(sheet: object) -> int:
    # iter_rows() starts at the first used row, not at row 1.
    start = getattr(sheet, "start", None)
    return start[0] if start else 0


def _classify(path: Path, exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return "encrypted-file"
    return "unreadable-file"
