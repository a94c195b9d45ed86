"""Every issue found, with its file, sheet and cell."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..present import inert
from ..xlsx import (
    auto_widths,
    fill,
    header,
    line_height,
    print_setup,
    put,
    table,
    title,
)
from .common import (
    SEVERITY_FILLS,
    Files,
    footer,
    label,
    lines,
)


def _problems(ws: Worksheet, result: AggregateResult, lang: str, show: Files) -> None:
    title(ws, label("problems_title", lang, period=result.span.code))
    header_row = 3
    labels = [t("file", lang), t("agency", lang), t("month", lang), t("sheet", lang),
              t("cell", lang), t("element", lang), label("issue_code", lang), t("severity", lang),
              t("message", lang)]
    header(ws, header_row, labels)
    subs = {r.file: r.submission for r in result.files}
    row = header_row + 1
    for issue in result.issues:
        sub = subs.get(issue.file)
        put(ws, row, 1, show(issue.file) if issue.file else label("province", lang))
        put(ws, row, 2, sub.agency if sub else "")
        put(ws, row, 3, sub.period if sub else "")
        put(ws, row, 4, inert(issue.sheet or ""))
        put(ws, row, 5, inert(issue.cell or ""))
        put(ws, row, 6, issue.element or "")
        put(ws, row, 7, issue.code)
        severity = put(ws, row, 8, t(issue.severity, lang) if issue.severity in ("error", "warning")
                        else issue.severity)
        severity.fill = fill(SEVERITY_FILLS.get(issue.severity, "FFFFFF"))
        put(ws, row, 9, inert(issue.message(lang))).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
        row += 1
    last = row - 1
    table(ws, header_row, last, len(labels))
    auto_widths(ws, header_row, len(labels) - 1, maximum=40)
    ws.column_dimensions["I"].width = 80
    for r in range(header_row + 1, last + 1):
        wrapped = lines(ws.cell(r, 9).value or "", 80)
        if wrapped > 1:
            ws.row_dimensions[r].height = wrapped * line_height() + 3
    if not result.issues:
        put(ws, header_row + 1, 1, label("no_problem", lang)).font = Font(italic=True)
    print_setup(ws, header_row)
    footer(ws, lang)
