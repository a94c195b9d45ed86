"""The audit trail: every number counted, with its agency, month, file, sheet and cell."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..present import inert
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
        put(ws, row, 2, month)
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
    footer(ws, lang)
