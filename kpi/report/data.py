"""The audit trail: every number counted, with its agency, month, file, sheet and cell."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..present import inert, month_label
from ..xlsx import (
    INT_FORMAT,
    auto_widths,
    header,
    print_setup,
    put,
    table,
    title,
)
from .common import (
    Files,
    footer,
    label,
)

PRINTED_ROWS = 20


def _data(ws: Worksheet, result: AggregateResult, lang: str, show: Files) -> None:
    title(ws, label("data_title", lang), size=11)
    header_row = 3
    labels = [t("agency", lang), t("month", lang), t("element", lang), label("value", lang),
              t("file", lang), t("sheet", lang), t("cell", lang)]
    header(ws, header_row, labels)
    row = header_row + 1
    names: dict[str, str] = {}
    for agency, month, element, value, file, sheet, cell in result.long[
            ["agency", "month", "element", "value", "file", "sheet", "cell"]].itertuples(
            index=False, name=None):
        if file not in names:
            names[file] = show(file)
        put(ws, row, 1, agency)
        put(ws, row, 2, month_label(month))
        put(ws, row, 3, element)
        put(ws, row, 4, int(value), INT_FORMAT)
        put(ws, row, 5, names[file])
        put(ws, row, 6, inert(sheet))
        put(ws, row, 7, cell)
        row += 1
    last = row - 1
    table(ws, header_row, last, len(labels))
    auto_widths(ws, header_row, len(labels), maximum=50)
    print_setup(ws, header_row)
    # The audit trail is for checking on screen: printing the workbook prints its first rows
    # and says how to print it all, rather than thirty pages of raw numbers.
    note = put(ws, 2, 1, label("data_print_note", lang, rows=last - header_row))
    note.font = Font(italic=True, size=9)
    ws.print_area = f"A1:{get_column_letter(len(labels))}{min(last, header_row + PRINTED_ROWS)}"
    footer(ws, lang)
