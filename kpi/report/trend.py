"""Each indicator month by month, with a line chart of the target indicators."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..indicators import NO_DATA
from ..present import month_label, target_text
from ..xlsx import (
    BODY_SIZE,
    header,
    line_height,
    print_setup,
    put,
    table,
    title,
    widths,
)
from .common import (
    footer,
    label,
    lines,
    text_categories,
    value_format,
)


def _trend(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    months = list(result.trend)
    title(ws, label("trend_title", lang, period=result.span.code))
    header_row = 3
    fixed = 4
    labels = [t("code", lang), t("indicator", lang), t("target", lang), label("unit", lang)]
    labels += [month_label(m) for m in months] + [label("whole_span", lang)]
    header(ws, header_row, labels)
    by_month = {m: {i.code: i for i in inds} for m, inds in result.trend.items()}
    # Target indicators first, so the chart's series are one block of rows.
    ordered = sorted(result.indicators, key=lambda i: i.target is None)
    row = header_row + 1
    chart_rows = []
    for ind in ordered:
        put(ws, row, 1, ind.code)
        put(ws, row, 2, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="center")
        put(ws, row, 3, target_text(ind.comparator, ind.target, ind.unit_for(lang), lang))
        put(ws, row, 4, ind.unit_for(lang))
        seen = False
        for col, month in enumerate(months, fixed + 1):
            month_ind = by_month[month].get(ind.code)
            value = month_ind.value if month_ind and month_ind.status != NO_DATA else None
            seen = seen or value is not None
            put(ws, row, col, value, value_format(ind))
        span_cell = put(ws, row, fixed + len(months) + 1,
                         ind.value if ind.status != NO_DATA else None, value_format(ind))
        span_cell.font = Font(bold=True, size=BODY_SIZE)
        ws.row_dimensions[row].height = lines(ind.name(lang), 44) * line_height() + 3
        if ind.target is not None and seen:
            chart_rows.append(row)
        row += 1
    last = row - 1
    n_cols = fixed + len(months) + 1
    table(ws, header_row, last, n_cols, freeze=f"C{header_row + 1}")
    for r in range(header_row + 1, last + 1):
        ws.cell(r, fixed + len(months) + 1).font = Font(bold=True, size=BODY_SIZE)
    widths(ws, [19, 44, 10, 9] + [9] * len(months) + [10])
    print_setup(ws, header_row)
    footer(ws, lang)
    if not chart_rows:
        return
    chart = LineChart()
    chart.title = label("trend_chart", lang)
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0"
    for r in chart_rows:
        series = Series(Reference(ws, min_col=fixed + 1, max_col=fixed + len(months),
                                  min_row=r, max_row=r), title=ws.cell(r, 1).value)
        series.marker.symbol = "circle"
        series.smooth = False
        chart.series.append(series)
    text_categories(chart, Reference(ws, min_col=fixed + 1, max_col=fixed + len(months),
                                      min_row=header_row, max_row=header_row))
    chart.legend.position = "r"
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"A{last + 3}")
    ws.row_breaks.append(Break(id=last + 1, max=16383))  # the chart prints on a page of its own
