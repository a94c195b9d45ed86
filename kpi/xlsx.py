"""What every workbook kpi writes shares: safe cell writing, A4 print set-up, the mark that says
"made by kpi", and atomic writes that leave no half-written file and no temporary file behind.

Templates, the consolidated report and marked copies all go through here.
"""

from __future__ import annotations

import io
import math
import numbers
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable
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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]
        cell.value = text
        cell.data_type = "s"
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, numbers.Integral):
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
    """Why kpi may not write ``target``: it is an input of this run ("input"), or an existing
    file that kpi did not make ("foreign"); None when free or kpi's own earlier output. A
    workbook is kpi's own when it carries kpi's mark; ``own`` decides for other files."""
    real = os.path.realpath(target)
    if real in {os.path.realpath(p) for p in inputs}:
        return "input"
    if not os.path.lexists(target):
        return None
    if own is not None:
        return None if own(target) else "foreign"
    try:
        container = check_container(target)
        if container.output == "report":
            return None  # kpi's own earlier output: replaced
        if container.output in ("marked-copy", "template"):
            from .read import read_container, rows_digest

            if container.output_digest == rows_digest(read_container(container).rows):
                return None  # unchanged since kpi wrote it
    except ReadError:
        pass
    return "foreign"


def workbook_bytes(wb: Any) -> bytes:
    """The saved workbook, built in memory: a failure while saving touches no file (and a full
    disk can only fail the plain write that follows)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_atomic(wb: Any, path: Path) -> None:
    """Save ``wb`` to ``path`` whole or not at all."""
    write_bytes_atomic(Path(path), workbook_bytes(wb))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: the previous file stays until the new one
    is complete. Where the system allows (Linux), the data goes into a file without a name until
    it is complete, so a kill leaves nothing behind; elsewhere into a hidden ``.kpi-*.tmp``
    beside it, removed on any error or interruption kpi sees."""
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
