"""A marked copy of a submission for the clerk: every cell with a problem filled and commented.

The copy (``<name>.kiem-tra.xlsx`` by default, next to the original, never over it) gets a first
sheet "Kết quả kiểm tra" listing every issue, each linked to its cell. In the clerk's sheets a cell
with an error is filled red and a cell with a warning yellow, and carries a comment with the
message. Issues without a cell (a deleted row) are listed on the first sheet only.

- ``.xlsx`` / ``.xlsm``: loaded with openpyxl (macros dropped), so the clerk's formatting, widths,
  protection and input checks are kept; the copy is always ``.xlsx``.
- ``.xls`` / ``.ods`` (and an ``.xlsx`` openpyxl cannot open): openpyxl cannot read them, so the
  workbook is rebuilt from python-calamine's cell values: the same sheet names, the same cell
  positions, the same values, merged ranges and rough column widths, but not the original
  formatting. This needs nothing beyond what reading already uses, gives the same result on
  every machine and cannot hang; converting through LibreOffice would keep more formatting but
  only where LibreOffice is installed, at a few seconds a file.

The copy is still a valid submission: the first sheet holds no code in column A, so a clerk may
correct the copy itself and send it back. Written atomically (:func:`kpi.templates.write_atomic`).
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.cell import coordinate_from_string, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from .container import Container, ReadError, check_container
from .i18n import t
from .issues import Issue
from .present import inert, month_label
from .read import (
    _ods_blank_causes,
    _xls_blank_causes,
    read_container,
    rows_digest,
    xlsx_cell_states,
)
from .validate import Submission
from .xlsx import (
    MARKED_COPY_SUFFIX,
    fit_a4,
    fit_row_heights,
    line_height,
    mark_output,
    occupied,
    put,
    sheet_font,
    workbook_bytes,
    wrapped_lines,
    write_bytes_atomic,
)

SUFFIX = MARKED_COPY_SUFFIX  # aggregate skips these when they sit among the submissions
ERROR_FILL = "FF7F7F"  # red: must be fixed, the file is rejected
WARNING_FILL = "FFE135"  # yellow: check it, the file still counts
FILLS = {"error": ERROR_FILL, "warning": WARNING_FILL}
AUTHOR = "kpi"  # comments we add; a copy annotated again loses the old ones first
RESULT_TITLES = (t("ann_sheet", "vi"), t("ann_sheet", "en"))
MESSAGE_WIDTH = 70
MAX_LISTED = 300  # issues listed on the first sheet; every one is still marked on its cell
_BAD_TITLE = re.compile(r"[\\/*?:\[\]]")


class AnnotateError(Exception):
    """No copy can be made (the file cannot be read, or the copy would land on an input or on
    a file that is not kpi's own)."""


@dataclass(frozen=True)
class Mark:
    """What one cell of the copy shows: the worst severity and every message about it."""

    severity: str
    messages: tuple[str, ...]


def default_output(source: Path | str) -> Path:
    """``H_DAKHA_2025-08.xls`` -> ``H_DAKHA_2025-08.kiem-tra.xlsx`` in the same folder."""
    source = Path(source)
    return source.with_name(source.stem + SUFFIX)


def same_file(a: Path | str, b: Path | str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def annotate(sub: Submission, out: Path | str | None = None, lang: str = "vi", *,
             inputs: Iterable[str] = ()) -> Path:
    """Write the marked copy of the validated submission ``sub`` and return its path.

    Raises AnnotateError when the file cannot be read at all, or ``out`` is the original, an
    input of this run (``inputs``) or an existing file that kpi did not make; OSError when the
    copy cannot be written (then no file is left behind).
    """
    source = Path(sub.file)
    target = Path(out) if out is not None else default_output(source)
    if not sub.readable:
        raise AnnotateError(t("ann_unreadable", lang, file=inert(source)))
    if target.suffix.lower() != ".xlsx":
        raise AnnotateError(t("ann_out_suffix", lang, path=inert(target)))
    why = occupied(target, [str(source), *inputs])
    if why == "input":
        raise AnnotateError(t("ann_over_original", lang, path=inert(target)))
    if why == "foreign":
        raise AnnotateError(t("ann_over_foreign", lang, path=inert(target)))
    if why == "edited":
        raise AnnotateError(t("ann_edited", lang, path=inert(target)))
    with warnings.catch_warnings():  # openpyxl's remarks on a clerk's workbook are not ours
        warnings.simplefilter("ignore")
        try:
            container = check_container(source)
            # The fingerprint of the rows as read: the copy carries them unchanged, so kpi
            # knows the copy as its own while they stay so, and as a clerk's corrected
            # submission once they change.
            digest = rows_digest(read_container(container).rows)
        except ReadError as exc:
            raise AnnotateError(t("ann_unreadable", lang, file=inert(source))) from exc
        wb, titles, rebuilt = load_for_annotation(source, container)
        _forget_earlier_annotation(wb)
        for (sheet, coordinate), mark in cell_marks(sub.issues, lang).items():
            ws = wb[titles[sheet]] if sheet in titles else None
            if ws is not None:
                _mark(ws, coordinate, mark)
        _result_sheet(wb, sub, titles, lang, source.suffix.lower() if rebuilt else None)
        mark_output(wb, "marked-copy", digest)
        data = workbook_bytes(wb)
    write_bytes_atomic(target, data, own=True)
    return target


@dataclass(frozen=True)
class Outcome:
    """What ``kpi validate --annotate`` did for one file: the copy, or why there is none."""

    submission: Submission
    path: Path | None
    problem: str | None = None


# Names that say "a file" (of another kind than the marked copy): --annotate-out refuses them
# rather than make a folder called report.csv.
NOT_A_FOLDER = (".xls", ".xlsm", ".ods", ".csv", ".tsv", ".txt", ".json", ".pdf", ".doc", ".docx",
                ".odt", ".rtf", ".htm", ".html", ".xml", ".md", ".zip", ".7z", ".rar", ".png",
                ".jpg", ".jpeg")


def out_problem(out: Path | None, n_files: int, lang: str) -> str | None:
    """A usage mistake in ``--annotate-out``: a .xlsx file for one FILE, else a folder."""
    if out is None:
        return None
    suffix = out.suffix.lower()
    if suffix in NOT_A_FOLDER and not out.is_dir():
        # x.csv, x.pdf ...: a file was meant, never a folder of that name.
        return t("ann_out_suffix", lang, path=inert(out))
    if suffix == ".xlsx" and n_files > 1:
        return t("ann_out_several", lang, path=inert(out))
    if out.exists() and not out.is_dir() and suffix != ".xlsx":
        return t("ann_out_not_folder", lang, path=inert(out))
    return None


def annotate_files(subs: list[Submission], out: Path | None, lang: str = "vi") -> list[Outcome]:
    """A marked copy of each submission: next to it by default; ``out`` is the copy itself
    (``.xlsx``, one file) or a folder for them. A copy never lands on a file of this run nor on
    a file kpi did not make: the next free name is taken (``X-2.kiem-tra.xlsx``). Never raises
    for a single file's failure."""
    outcomes = []
    used: set[str] = set()
    inputs = [s.file for s in subs]
    for sub in subs:
        source = Path(sub.file)
        if out is not None and out.suffix.lower() == ".xlsx":
            target = out
        else:
            folder = source.parent if out is None else out
            target, n = folder / (source.stem + SUFFIX), 1
            # X.xlsx and X.ods, X.xlsx from two folders, X.kiem-tra.xlsx given as an input, or
            # a file of the clerk's that happens to have the name.
            while os.path.realpath(target) in used or occupied(target, inputs):
                n += 1
                target = folder / f"{source.stem}-{n}{SUFFIX}"
        used.add(os.path.realpath(target))
        try:
            outcomes.append(Outcome(sub, annotate(sub, target, lang, inputs=inputs)))
        except AnnotateError as exc:
            outcomes.append(Outcome(sub, None, str(exc)))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            outcomes.append(Outcome(sub, None, t("ann_failed", lang, path=inert(target),
                                                 reason=reason)))
    return outcomes


# --- loading ------------------------------------------------------------------------------------

def load_for_annotation(source: Path, container: Container | None = None
                        ) -> tuple[Workbook, dict[str, str], bool]:
    """(workbook, original sheet name -> title in the copy, rebuilt from values?). The copy
    carries every value as kpi read it, never a formula that reaches outside the workbook."""
    container = container or check_container(source)
    if container.kind == "xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(container.data), keep_vba=False, rich_text=True)
        except Exception:  # openpyxl is stricter than calamine: fall back to the values
            pass
        else:
            titles = _titles(wb, container)
            _values_for_formulas(wb, container, titles)
            _drop_outside_reach(wb)
            return wb, titles, False
    wb, titles = rebuild_from_values(source, container)
    return wb, titles, True


def _sheet_values(container: Container) -> tuple[list[str], list[list[list[Any]]]]:
    """Sheet names (worksheets only, in order) and every cell value as the reader gives it."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(container.data))
    try:
        names = [m.name for m in book.sheets_metadata if "Work" in str(m.typ)] or list(book.sheet_names)
        return names, [book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in names]
    finally:
        book.close()


def _titles(wb: Workbook, container: Container) -> dict[str, str]:
    """Original sheet name -> title of the same sheet in the loaded workbook. By position:
    openpyxl renames a sheet whose name differs from another only in case ("sheet1")."""
    names, _ = _sheet_values(container)
    if len(names) == len(wb.worksheets):
        return {name: ws.title for name, ws in zip(names, wb.worksheets, strict=True)}
    return {ws.title: ws.title for ws in wb.worksheets}


def _values_for_formulas(wb: Workbook, container: Container, titles: dict[str, str]) -> None:
    """Every formula of the copy replaced by the value it had when the clerk saved it, so the
    copy reads exactly like the original and recomputes nothing, not even a link to the web.
    A formula saved without a value stays (when harmless) so the copy says so too; an error
    value stays an error value."""
    import zipfile

    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    names, values = _sheet_values(container)
    with zipfile.ZipFile(io.BytesIO(container.data)) as archive:
        from .container import _read_part, _sheet_parts

        parts = _sheet_parts(archive)
        states = {name: xlsx_cell_states(_read_part(archive, archive.getinfo(parts[name]),
                                                    container.data))
                  for name in names if parts.get(name) in archive.NameToInfo}
    for name, rows in zip(names, values, strict=True):
        ws = wb[titles[name]] if name in titles else None
        if ws is None:
            continue
        for row in ws.iter_rows():
            for cell in row:
                formula = cell.data_type == "f" or isinstance(cell.value, (ArrayFormula,
                                                                             DataTableFormula))
                if not formula:
                    continue
                r, c = cell.row, cell.column
                state = states.get(name, {}).get((r, c - 1))
                cached = rows[r - 1][c - 1] if r - 1 < len(rows) and c - 1 < len(rows[r - 1]) else ""
                if state == "formula":
                    text = cell.value.text if isinstance(cell.value, ArrayFormula) else str(cell.value)
                    cell.value = text if safe_formula(text) else "=NA()"
                elif state is not None:
                    cell.value = state
                    cell.data_type = "e"
                else:
                    _set_value(cell, None if cached == "" else cached)


def _set_value(cell: Any, value: Any) -> None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # a cached "=1+1" text is text, never a formula


_SAFE_FUNCTIONS = frozenset(
    "SUM SUMIF SUMIFS SUMPRODUCT COUNT COUNTA COUNTBLANK COUNTIF COUNTIFS AVERAGE MIN MAX ROUND "
    "ROUNDUP ROUNDDOWN INT ABS IF IFERROR IFS AND OR NOT LEN TRIM VALUE TEXT DATE YEAR MONTH DAY "
    "TODAY NOW CONCATENATE CONCAT LEFT RIGHT MID UPPER LOWER ISBLANK ISNUMBER ISERROR INDEX MATCH "
    "VLOOKUP HLOOKUP NA".split())
_FUNCTION_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_STRING = re.compile(r'"(?:[^"]|"")*"')


def safe_formula(text: str) -> bool:
    """A formula that can only compute within the workbook: no external workbook ([...]), no
    DDE (|), no function outside a short list of arithmetic, text and lookup functions (so no
    WEBSERVICE, HYPERLINK, FILTERXML, RTD, CALL, INDIRECT ...)."""
    body = _STRING.sub('""', text)
    if "[" in body or "|" in body or "\\" in body or "//" in body:
        return False
    for name in _FUNCTION_CALL.findall(body):
        bare = name.upper().removeprefix("_XLFN.").removeprefix("_XLWS.")
        if bare not in _SAFE_FUNCTIONS:
            return False
    return True


def _drop_outside_reach(wb: Workbook) -> None:
    """Links to other workbooks, and names, input checks and conditional formats whose formula
    could reach outside the workbook, are not carried into the copy."""
    wb._external_links = []
    for key in [k for k, d in wb.defined_names.items() if not safe_formula(str(d.value or ""))]:
        del wb.defined_names[key]
    for ws in wb.worksheets:
        for key in [k for k, d in ws.defined_names.items() if not safe_formula(str(d.value or ""))]:
            del ws.defined_names[key]
        checks = ws.data_validations.dataValidation
        checks[:] = [dv for dv in checks if safe_formula(str(dv.formula1 or ""))
                     and safe_formula(str(dv.formula2 or ""))]
        for fmt in ws.conditional_formatting:
            fmt.rules[:] = [rule for rule in fmt.rules
                            if all(safe_formula(str(f)) for f in (rule.formula or ()))]


def rebuild_from_values(source: Path, container: Container | None = None
                        ) -> tuple[Workbook, dict[str, str]]:
    """A new workbook with every sheet and cell value of ``source`` at the same position."""
    import python_calamine as pc

    try:
        container = container or check_container(source)
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(container.data))
    except ReadError as exc:
        raise AnnotateError(exc.detail) from exc
    except Exception as exc:
        raise AnnotateError(str(exc) or type(exc).__name__) from exc
    errors = _error_values(container, list(book.sheet_names))
    wb = Workbook()
    wb.remove(wb.active)
    titles: dict[str, str] = {}
    try:
        for name in book.sheet_names:
            ws = wb.create_sheet(_safe_title(name, set(titles.values())))
            titles[name] = ws.title
            sheet = book.get_sheet_by_name(name)
            widths: dict[int, int] = {}  # from rows of several cells: a table
            lone: dict[int, int] = {}  # from a text alone on its row: a title or a paragraph
            for r, cells in enumerate(sheet.to_python(skip_empty_area=False), 1):
                filled = [(c, v) for c, v in enumerate(cells, 1) if v is not None and v != ""]
                for c, value in filled:
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    cell = put(ws, r, c, value, _date_format(value))
                    cell.alignment = Alignment(vertical="top",
                                               wrap_text=isinstance(value, str) and len(value) > 60)
                    seen = widths if len(filled) > 1 else lone
                    seen[c] = max(seen.get(c, 0), len(str(value)))
            for (sheet_name, r, c), text in errors.items():
                if sheet_name == name:  # a formula error the reader gives as blank
                    cell = ws.cell(r, c + 1)
                    cell.value = text
                    cell.data_type = "e"
            for c, width in {**lone, **widths}.items():  # a title does not widen a table
                ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
            for row in ws.iter_rows():  # LibreOffice does not grow a row for wrapped text
                lines = max((wrapped_lines(c.value, int(ws.column_dimensions[c.column_letter].width or 8))
                             for c in row if c.alignment.wrap_text and isinstance(c.value, str)),
                            default=1)
                if lines > 1:
                    ws.row_dimensions[row[0].row].height = 15 * lines
            fit_a4(ws)
            for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or ():
                ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1,
                               end_column=c1 + 1)
    except AnnotateError:
        raise
    except Exception as exc:
        raise AnnotateError(str(exc) or type(exc).__name__) from exc
    finally:
        book.close()
    return wb, titles


def _error_values(container: Container, sheets: list[str]) -> dict[tuple[str, int, int], str]:
    try:
        if container.kind == "ods":
            return _ods_blank_causes(container.data, tuple(sheets))
        if container.kind == "xls":
            return _xls_blank_causes(container.data, tuple(sheets))
    except Exception:
        pass
    return {}


def _date_format(value: object) -> str | None:
    if isinstance(value, datetime):
        return "DD/MM/YYYY HH:MM" if value.time() != time() else "DD/MM/YYYY"
    if isinstance(value, date):
        return "DD/MM/YYYY"
    if isinstance(value, time):
        return "HH:MM"
    return None


def _safe_title(name: str, used: set[str]) -> str:
    """An .ods sheet name may hold what Excel forbids (``/``, more than 31 characters)."""
    base = _BAD_TITLE.sub("_", name).strip("'")[:31] or "Sheet"
    title, n = base, 1
    while title.casefold() in {u.casefold() for u in used}:
        n += 1
        title = f"{base[:28]}~{n}"
    return title


def _forget_earlier_annotation(wb: Workbook) -> None:
    """Annotating a copy again: drop the old result sheet, our comments and their fills."""
    for ws in list(wb.worksheets):
        if ws.title in RESULT_TITLES and ws["A1"].value in (t("ann_title", "vi"), t("ann_title", "en")):
            wb.remove(ws)
    ours = {f"00{c}" for c in FILLS.values()} | set(FILLS.values())
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                    if (cell.fill.fgColor.rgb or "")[-6:] in ours:
                        cell.fill = PatternFill()


# --- marking cells --------------------------------------------------------------------------------

def _split_ref(ref: str) -> tuple[str, str] | None:
    """``"TG Tố giác tin báo!E7"`` -> (sheet, "E7")."""
    sheet, bang, cell = ref.rpartition("!")
    return (sheet.strip("'"), cell) if bang else None


def issue_cells(issue: Issue) -> list[tuple[str, str]]:
    """Every (sheet, cell) an issue marks: a rule marks each cell it involves."""
    refs = [r for r in (_split_ref(c) for c in issue.cells) if r]
    if issue.sheet and issue.cell and (issue.sheet, issue.cell) not in refs:
        refs.insert(0, (issue.sheet, issue.cell))
    return refs


def cell_marks(issues: Iterable[Issue], lang: str) -> dict[tuple[str, str], Mark]:
    marks: dict[tuple[str, str], Mark] = {}
    for issue in issues:
        text = f"{t(issue.severity, lang)}: {inert(issue.for_clerk(lang))}"
        for where in issue_cells(issue):
            old = marks.get(where)
            if old is None:
                marks[where] = Mark(issue.severity, (text,))
            elif text not in old.messages:
                severity = "error" if "error" in (old.severity, issue.severity) else old.severity
                marks[where] = Mark(severity, (*old.messages, text))
    return marks


def _mark(ws, coordinate: str, mark: Mark) -> None:
    try:
        coordinate_from_string(coordinate)
    except ValueError:
        return
    cell = ws[coordinate]
    for merged in ws.merged_cells.ranges:  # a merged cell shows its top-left cell
        if coordinate in merged:
            cell = ws.cell(merged.min_row, merged.min_col)
            break
    colour = FILLS.get(mark.severity, WARNING_FILL)
    cell.fill = PatternFill("solid", fgColor=colour, bgColor=colour)
    if ws.protection.sheet and cell.protection.locked:
        # A cell the copy asks the clerk to change can be changed (the agency on the cover is
        # locked in the template; a clerk's own protection may lock others).
        cell.protection = Protection(locked=False, hidden=cell.protection.hidden)
    text = "\n".join(mark.messages)
    if cell.comment is not None:  # the clerk's own note stays, below ours
        text += "\n\n" + cell.comment.text
    lines = sum(1 + len(line) // 45 for line in text.splitlines())
    cell.comment = Comment(text, AUTHOR, height=min(20 + 15 * lines, 400), width=300)


# --- the first sheet --------------------------------------------------------------------------------

def _link(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + cell


RESULT_WIDTHS = (12, 22, 7, MESSAGE_WIDTH, 18)  # Mức, Trang, Ô, Nội dung, Mã ở cột A: A4 landscape


def _result_sheet(wb: Workbook, sub: Submission, titles: dict[str, str], lang: str,
                  rebuilt_from: str | None) -> None:
    """The first sheet: what was found, in the clerk's words (names, cells), with a link to
    each cell; the code of each row last and small, for finding it in column A."""
    ws = wb.create_sheet(t("ann_sheet", lang), 0)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    put(ws, 1, 1, t("ann_title", lang)).font = Font(bold=True, size=14)
    head = [
        (t("file", lang), inert(Path(sub.file).name)),
        (t("agency", lang), inert(sub.agency_name(lang)) or "?"),
        (t("period", lang), month_label(sub.period)),
    ]
    errors, warns = len(sub.errors), len(sub.warnings)
    if errors:
        verdict = t("ann_verdict_invalid", lang, errors=errors, warnings=warns)
    elif warns:
        verdict = t("ann_verdict_warnings", lang, warnings=warns)
    else:
        verdict = t("ann_verdict_clean", lang)
    head.append((t("result", lang), verdict))
    row = 2
    for label, value in head:
        cell = put(ws, row, 1, label)
        cell.font, cell.alignment = bold, wrap
        put(ws, row, 2, value).alignment = wrap
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        row += 1
    for severity in ("error", "warning"):
        key = FILLS[severity]
        legend = put(ws, row, 1, t(severity, lang))
        legend.fill = PatternFill("solid", fgColor=key, bgColor=key)
        legend.alignment = wrap
        put(ws, row, 2, t(f"ann_legend_{severity}", lang)).alignment = wrap
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        row += 1
    notes = [t("ann_howto", lang)]
    if rebuilt_from:
        notes.append(t("ann_rebuilt", lang, suffix=rebuilt_from))
    for note in notes:
        cell = put(ws, row, 1, note)
        cell.font = Font(italic=True)
        cell.alignment = wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        row += 1
    row += 1
    header_row = row
    for col, key in enumerate(("severity", "sheet", "cell", "message", "ann_code"), 1):
        cell = put(ws, row, col, t(key, lang))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    issues = sorted(sub.issues, key=lambda i: i.severity != "error")
    more = len(issues) - MAX_LISTED
    issues = issues[:MAX_LISTED]
    if not issues:
        put(ws, row + 1, 1, t("no_problem", lang))
    link_font = Font(color="0563C1", underline="single")
    code_font = Font(color="808080", size=9)
    for issue in issues:
        row += 1
        colour = FILLS.get(issue.severity, WARNING_FILL)
        put(ws, row, 1, t(issue.severity, lang)).fill = PatternFill("solid", fgColor=colour,
                                                                     bgColor=colour)
        title = titles.get(issue.sheet or "")
        place = put(ws, row, 2, inert(issue.sheet or ""))
        where = put(ws, row, 3, issue.cell)
        if title:  # a link to the cell, or to the sheet when the issue has no cell
            link = where if issue.cell else place
            link.hyperlink = Hyperlink(ref=link.coordinate, location=_link(title, issue.cell or "A1"))
            link.font = link_font
        put(ws, row, 4, inert(issue.for_clerk(lang)))
        put(ws, row, 5, issue.element).font = code_font
        for col in range(1, 6):
            ws.cell(row, col).alignment = wrap
    if more > 0:
        row += 1
        put(ws, row, 1, t("ann_more", lang, n=more)).font = Font(italic=True)
    for letter, width in zip("ABCDE", RESULT_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    sheet_font(ws)  # one font on the sheet whatever the clerk's workbook uses by default
    # LibreOffice does not grow a row for wrapped text in an .xlsx: every row is set as tall
    # as its text needs.
    fit_row_heights(ws)
    ws.row_dimensions[header_row].height = max(ws.row_dimensions[header_row].height or 0,
                                               line_height(11) + 2)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:E{max(row, header_row + 1)}"
    fit_a4(ws, "landscape", header_row)
    ws.page_margins.left = ws.page_margins.right = 0.5
    for other in wb.worksheets:  # one selected tab, or Excel opens them grouped
        other.sheet_view.tabSelected = other is ws
    wb.active = 0
