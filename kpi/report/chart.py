"""Result against target per target indicator: a table and a bar chart."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..indicators import Status
from ..present import status_text
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
    STATUS_FILLS,
    charted,
    footer,
    label,
    lines,
    text_categories,
    value_format,
)


def _chart_sheet(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    period = result.span.code
    title(ws, label("chart_title", lang, period=period))
    header_row = 3
    labels = [t("code", lang), t("indicator", lang), t("result", lang), t("target", lang),
              label("unit", lang), t("status", lang)]
    header(ws, header_row, labels)
    shown = [i for i in result.indicators if charted(i)]
    row = header_row + 1
    for ind in shown:
        put(ws, row, 1, ind.code)
        put(ws, row, 2, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="center")
        put(ws, row, 3, ind.value, value_format(ind))
        put(ws, row, 4, ind.target, value_format(ind))
        put(ws, row, 5, ind.unit_for(lang))
        put(ws, row, 6, status_text(ind.status, lang)).fill = fill(STATUS_FILLS[Status(ind.status)])
        row += 1
    last = row - 1
    table(ws, header_row, last, len(labels))
    widths(ws, (19, 60, 10, 10, 8, 14))
    for r in range(header_row + 1, last + 1):
        ws.row_dimensions[r].height = lines(ws.cell(r, 2).value, 60) * line_height() + 3
    print_setup(ws, None, fit_height=True)
    footer(ws, lang)
    if not shown:
        put(ws, header_row + 1, 1, label("no_chart", lang)).font = Font(italic=True)
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = label("chart_title", lang, period=period)
    chart.y_axis.title = "%" if all(i.unit == "%" for i in shown) else t("result", lang)
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0"
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last)
    for col, colour in ((3, "2F5597"), (4, "A5A5A5")):
        series = Series(Reference(ws, min_col=col, min_row=header_row + 1, max_row=last),
                        title=ws.cell(header_row, col).value)
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        chart.series.append(series)
    text_categories(chart, categories)
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = False
    labels.showPercent = labels.showLeaderLines = False
    labels.numFmt = "0.0"
    labels.position = "outEnd"
    chart.series[0].dLbls = labels
    chart.legend.position = "b"
    chart.width, chart.height = 24, 11
    ws.add_chart(chart, f"A{last + 3}")
