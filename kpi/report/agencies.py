"""Each agency's totals over the period per element, and the province total row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..xlsx import (
    BODY_SIZE,
    INT_FORMAT,
    PRINTABLE_WIDTH_PT,
    fill,
    header,
    line_height,
    print_setup,
    put,
    table,
    thin_border,
    title,
    widths,
)
from .common import (
    footer,
    label,
    lines,
)

MAX_ELEMENTS_PER_PAGE = 14


def _agencies(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    plan = result.plan
    elements = list(plan.elements)
    months = set(result.span.months)
    codes = [a.code for a in plan.agencies if any(a.active_in(m) for m in months)]
    codes += sorted(set(result.agency_totals) - set(codes))
    with_data: dict[str, int] = {}
    if not result.long.empty:
        with_data = {str(k): int(v) for k, v in
                     result.long.groupby("agency")["month"].nunique().items()}
    fixed = 3
    title(ws, label("agencies_title", lang, period=result.span.code))
    # row 3: form of each column; row 4: element names; row 5: codes (the filter row)
    form_row, name_row, header_row = 3, 4, 5
    header(ws, header_row, [t("code", lang), t("agency", lang), label("months_with_data", lang)]
            + [e.code for e in elements])
    for r in (form_row, name_row):
        header(ws, r, [""] * fixed)
    put(ws, form_row, 1, label("form", lang)).font = Font(bold=True, size=BODY_SIZE)
    col = fixed + 1
    for form in plan.forms:
        count = len(plan.elements_of(form.code))
        if not count:
            continue
        header(ws, form_row, [form.sheet], first_col=col)
        if count > 1:
            ws.merge_cells(start_row=form_row, start_column=col, end_row=form_row,
                           end_column=col + count - 1)
        col += count
    header(ws, name_row, [e.name(lang) for e in elements], first_col=fixed + 1, size=7)
    for col in range(fixed + 1, fixed + len(elements) + 1):
        ws.cell(header_row, col).font = Font(bold=True, size=7)
        ws.cell(header_row, col).alignment = Alignment(horizontal="center", vertical="center",
                                                       shrink_to_fit=True)
    element_width = 11
    ws.row_dimensions[name_row].height = max(
        lines(e.name(lang), element_width, 7) for e in elements) * line_height(7) + 2

    row = header_row + 1
    for code in codes:
        agency = plan.agency_by_code.get(code)
        reports = set(plan.elements_for_agency(agency)) if agency else set()
        values = result.agency_totals.get(code, {})
        put(ws, row, 1, code)
        put(ws, row, 2, agency.name(lang) if agency else code)
        put(ws, row, 3, with_data.get(code, 0), INT_FORMAT)
        for col, element in enumerate(elements, fixed + 1):
            cell = put(ws, row, col, values.get(element.code), INT_FORMAT)
            if element not in reports:
                cell.fill = fill("F2F2F2")  # this agency does not report this form
        row += 1
    last = row - 1
    table(ws, header_row, last, fixed + len(elements), freeze=f"D{header_row + 1}")
    total_row = last + 1
    total_label = put(ws, total_row, 2, label("total", lang))
    total_label.font = Font(bold=True, size=BODY_SIZE)
    for col, element in enumerate(elements, fixed + 1):
        cell = put(ws, total_row, col, result.totals.get(element.code, 0), INT_FORMAT)
        cell.font = Font(bold=True, size=BODY_SIZE)
    for col in range(1, fixed + len(elements) + 1):
        ws.cell(total_row, col).border = Border(left=thin_border().left, right=thin_border().right,
                                                top=Side("double"), bottom=thin_border().bottom)
    # Subtotals by level (province, commune ...) when the plan's units sit on several.
    used = [lv for lv in plan.levels if lv.code in result.level_totals]
    if len(used) > 1:
        for offset, level in enumerate(used, 1):
            r = total_row + offset
            put(ws, r, 2, label("level_total", lang, level=level.name(lang))).font = Font(
                italic=True, size=BODY_SIZE)
            for col, element in enumerate(elements, fixed + 1):
                put(ws, r, col, result.level_totals[level.code].get(element.code, 0),
                    INT_FORMAT).font = Font(italic=True, size=BODY_SIZE)
            for col in range(1, fixed + len(elements) + 1):
                ws.cell(r, col).border = thin_border()
    fixed_widths = [14, 34, 9]
    widths(ws, fixed_widths + [element_width] * len(elements))
    print_setup(ws, None)
    ws.print_title_rows = f"{form_row}:{header_row}"
    ws.print_title_cols = "A:C"
    print_by_forms(ws, plan, fixed_widths, element_width)
    footer(ws, lang)


def print_by_forms(ws: Worksheet, plan: Any, fixed_widths: Sequence[float], element_width: float) -> None:
    """Forty-odd element columns fitted to one page wide print too small to read: print the
    table a few forms per page instead, the agency columns repeated on every page."""
    groups: list[int] = []  # number of element columns on each printed page
    for form in plan.forms:
        count = len(plan.elements_of(form.code))
        if count and groups and groups[-1] + count <= MAX_ELEMENTS_PER_PAGE:
            groups[-1] += count
        elif count:
            groups.append(count)
    if len(groups) <= 1:
        return  # fits: keep fit to one page wide

    def points(width: float) -> float:
        return (7 * width + 5) * 0.75  # Excel: pixels of the default font's digit, at 96 dpi

    fixed = sum(points(w) for w in fixed_widths)
    widest = fixed + max(groups) * points(element_width)
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = max(10, min(100, int(PRINTABLE_WIDTH_PT / widest * 100 * 0.97)))
    col = len(fixed_widths)
    for count in groups[:-1]:
        col += count
        ws.col_breaks.append(Break(id=col, max=1048575))
