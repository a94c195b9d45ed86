"""Each agency's totals over the period, form by form: only the agencies that report a form
appear under it, its elements named with their units, then the total and, where the plan's
units sit on several levels, a subtotal per level. Each form starts a printed page."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..present import period_name
from ..xlsx import (
    BODY_SIZE,
    INT_FORMAT,
    border_cell,
    header,
    line_height,
    print_setup,
    put,
    restyle,
    thin_border,
    title,
    widths,
)
from .common import (
    footer,
    label,
    lines,
)

NAME_WIDTH = 34
ELEMENT_WIDTH = 13
MONTHS_WIDTH = 9


def _agencies(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    plan = result.plan
    months = set(result.span.months)
    with_data: dict[str, int] = {}
    if not result.long.empty:
        with_data = {str(k): int(v) for k, v in
                     result.long.groupby("agency")["month"].nunique().items()}
    title(ws, label("agencies_title", lang, period=period_name(result.span.code, lang)))
    widest = max((len(plan.elements_of(f.code)) for f in plan.forms), default=1)
    widths(ws, [NAME_WIDTH, MONTHS_WIDTH] + [ELEMENT_WIDTH] * widest)
    row = 3
    for form in plan.forms:
        elements = plan.elements_of(form.code)
        agencies = [a for a in plan.agencies if form.code in a.forms
                    and (any(a.active_in(m) for m in months) or a.code in result.agency_totals)]
        if not elements or not agencies:
            continue
        if row > 3:
            ws.row_breaks.append(Break(id=row - 1))
        heading = put(ws, row, 1, label("form_heading", lang, form=form.title(lang)))
        heading.font = Font(bold=True, size=BODY_SIZE + 1)
        row += 1
        names = [f"{e.name(lang)} ({e.unit(lang)})" for e in elements]
        header(ws, row, [t("agency", lang), label("months_with_data", lang), *names])
        ws.row_dimensions[row].height = max(
            [lines(n, ELEMENT_WIDTH, BODY_SIZE) for n in names]
            + [lines(label("months_with_data", lang), MONTHS_WIDTH, BODY_SIZE)]) * line_height() + 4
        for col in range(1, len(elements) + 3):
            ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="center",
                                                    wrap_text=True)
        first = row + 1
        for agency in agencies:
            row += 1
            restyle(put(ws, row, 1, agency.name(lang)), "wrap, centre vertically",
                    lambda c: setattr(c, "alignment", Alignment(wrap_text=True, vertical="center")))
            put(ws, row, 2, with_data.get(agency.code, 0), INT_FORMAT)
            values = result.agency_totals.get(agency.code, {})
            for col, element in enumerate(elements, 3):
                put(ws, row, col, values.get(element.code), INT_FORMAT)
            if lines(agency.name(lang), NAME_WIDTH) > 1:
                ws.row_dimensions[row].height = lines(agency.name(lang), NAME_WIDTH) * line_height() + 2
        for r in range(first, row + 1):
            for col in range(1, len(elements) + 3):
                border_cell(ws.cell(r, col))
        row += 1
        total = put(ws, row, 1, label("total", lang))
        total.font = Font(bold=True, size=BODY_SIZE)
        for col, element in enumerate(elements, 3):
            put(ws, row, col, result.totals.get(element.code, 0), INT_FORMAT).font = Font(
                bold=True, size=BODY_SIZE)
        for col in range(1, len(elements) + 3):
            ws.cell(row, col).border = Border(left=thin_border().left, right=thin_border().right,
                                              top=Side("double"), bottom=thin_border().bottom)
        used = [lv for lv in plan.levels if lv.code in result.level_totals
                and any(a.level == lv.code for a in agencies)]
        if len(used) > 1:
            for level in used:
                row += 1
                put(ws, row, 1, label("level_total", lang, level=level.name(lang))).font = Font(
                    italic=True, size=BODY_SIZE)
                for col, element in enumerate(elements, 3):
                    put(ws, row, col, result.level_totals[level.code].get(element.code, 0),
                        INT_FORMAT).font = Font(italic=True, size=BODY_SIZE)
                for col in range(1, len(elements) + 3):
                    ws.cell(row, col).border = thin_border()
        row += 3
    print_setup(ws, None)
    footer(ws, lang)
