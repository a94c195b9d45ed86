"""Every issue found, with its file, sheet and cell."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import issue_kind, t
from ..present import inert, period_label, period_name
from ..xlsx import (
    fill,
    header,
    line_height,
    print_setup,
    put,
    table,
    title,
    widths,
)
from .common import (
    SEVERITY_FILLS,
    Files,
    footer,
    label,
    lines,
)

COLUMN_WIDTHS = (20, 16, 8, 14, 5, 24, 16, 8, 55, 14)


def element_name(plan, key: str | None, lang: str) -> str:
    """An element (or a part of its breakdown) by its name: "Số nạn nhân được giải cứu"."""
    if not key:
        return ""
    element = plan.element_by_code.get(key.partition("[")[0])
    return element.name(lang) if element else inert(key)


def _problems(ws: Worksheet, result: AggregateResult, lang: str, show: Files) -> None:
    title(ws, label("problems_title", lang, period=period_name(result.span.code, lang)))
    header_row = 3
    labels = [t("file", lang), t("agency", lang), t("month", lang), t("sheet", lang),
              t("cell", lang), t("element", lang), label("issue_code", lang), t("severity", lang),
              t("message", lang), label("code_column", lang)]
    header(ws, header_row, labels)
    subs = {r.file: r.submission for r in result.files}
    plan = result.plan
    row = header_row + 1
    for issue in result.issues:
        sub = subs.get(issue.file)
        put(ws, row, 1, show(issue.file) if issue.file else label("province", lang))
        agency = plan.agency_by_code.get(sub.agency or "") if sub else None
        put(ws, row, 2, agency.name(lang) if agency else (inert(sub.agency) if sub and sub.agency else ""))
        put(ws, row, 3, period_label(sub.period, lang) if sub and sub.period else "")
        put(ws, row, 4, inert(issue.sheet or ""))
        put(ws, row, 5, inert(issue.cell or ""))
        put(ws, row, 6, element_name(plan, issue.element, lang))
        put(ws, row, 7, issue_kind(issue.code, lang))
        put(ws, row, 10, issue.code)  # for scripts and searching; a reader has the words
        severity = put(ws, row, 8, t(issue.severity, lang) if issue.severity in ("error", "warning")
                        else issue.severity)
        severity.fill = fill(SEVERITY_FILLS.get(issue.severity, "FFFFFF"))
        put(ws, row, 9, inert(issue.message(lang))).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
        row += 1
    last = row - 1
    table(ws, header_row, last, len(labels))
    widths(ws, COLUMN_WIDTHS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in range(header_row + 1, last + 1):
        wrapped = max(lines(ws.cell(r, c).value or "", COLUMN_WIDTHS[c - 1])
                      for c in range(1, len(labels) + 1))
        for c in range(1, len(labels) + 1):
            ws.cell(r, c).alignment = wrap
        if wrapped > 1:
            ws.row_dimensions[r].height = wrapped * line_height() + 3
    if not result.issues:
        put(ws, header_row + 1, 1, label("no_problem", lang)).font = Font(italic=True)
    print_setup(ws, header_row)
    footer(ws, lang)
