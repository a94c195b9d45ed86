"""Filling a template by code, as a clerk would: for tests, examples, benchmarks and converters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .read import normalise_code


def fill_workbook(wb, values: Mapping[str, object], notes: Mapping[str, str] | None = None) -> None:
    """Write each value into column E of the row whose column A holds its code (openpyxl). A
    row of a breakdown grid (``NN_XAC_DINH.U16``) takes a list: its values from column E
    rightwards, one per option across the grid."""
    for ws in wb.worksheets:
        for (cell_a,) in ws.iter_rows(min_col=1, max_col=1):
            code = normalise_code(cell_a.value)
            if code is None:
                continue
            if code in values:
                value = values[code]
                for j, one in enumerate(value if isinstance(value, list | tuple) else [value]):
                    ws.cell(cell_a.row, 5 + j).value = one
            if notes and code in notes:
                ws.cell(cell_a.row, 6).value = notes[code]


def fill_template(plan, agency_code: str, values: Mapping[str, object], path: Path | str,
                  period: str | None = None) -> Path:
    """Build the agency's template, fill it with ``values`` (codes incl. META_*), save to ``path``."""
    from .templates import build_template, write_atomic

    wb = build_template(plan, plan.agency_by_code[agency_code], period)
    fill_workbook(wb, values)
    path = Path(path)
    write_atomic(wb, path)
    return path
