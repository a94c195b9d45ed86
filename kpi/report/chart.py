"""Result against target per target indicator: a table (with the plan's words each target
quotes) and a bar chart a reader understands at a glance: bars named by indicator, coloured by
status, with the target marked on each."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.marker import DataPoint, Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..indicators import Status
from ..present import period_name, provisional_note, status_text, target_text
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
    quoted,
    text_categories,
    value_format,
    value_labels,
)

BAR_COLOURS = {Status.MET: "548235", Status.NOT_MET: "C00000"}  # green met, red not met
TARGET_COLOUR = "000000"
NAME_WIDTH = 46


def _chart_sheet(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    period = period_name(result.span.code, lang)
    title(ws, label("chart_title", lang, period=period))
    header_row = 3
    _basis_line(ws, result, lang, period)
    labels = [label("number", lang), t("indicator", lang), t("result", lang), t("target", lang),
              t("status", lang), label("quote", lang)]
    header(ws, header_row, labels)
    shown = [i for i in result.indicators if charted(i)]
    row = header_row + 1
    for number, ind in enumerate(shown, 1):
        put(ws, row, 1, number).alignment = Alignment(horizontal="center", vertical="center")
        put(ws, row, 2, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="center")
        put(ws, row, 3, ind.value, value_format(ind))
        put(ws, row, 4, ind.target, value_format(ind))
        words = status_text(ind.status, lang, ind.no_data_reason)
        put(ws, row, 5, words).fill = fill(STATUS_FILLS[Status(ind.status)])
        quote = ("* " if ind.provisional else "") + quoted(ind.source)
        put(ws, row, 6, quote).alignment = Alignment(wrap_text=True, vertical="center")
        put(ws, row, 7, target_text(ind.comparator, ind.target, ind.unit_for(lang), lang))
        row += 1
    last = row - 1
    table(ws, header_row, last, len(labels))
    widths(ws, (5, NAME_WIDTH, 10, 10, 12, 60))
    ws.column_dimensions["G"].hidden = True  # the target in words, for the chart's labels
    for r in range(header_row + 1, last + 1):
        ws.row_dimensions[r].height = max(lines(ws.cell(r, 2).value, NAME_WIDTH),
                                          lines(ws.cell(r, 6).value or "", 60)) * line_height() + 3
    print_setup(ws, None, fit_height=True)
    footer(ws, lang)
    if not shown:
        put(ws, header_row + 1, 1, label("no_chart", lang)).font = Font(italic=True)
        return
    ws.add_chart(result_chart(ws, shown, header_row, last, lang, period), f"A{last + 3}")


def _basis_line(ws: Worksheet, result: AggregateResult, lang: str, period: str) -> None:
    """Row 2: the plan in force for the period, whose targets these are, and what a "*" in the
    basis column means (a target carried forward from Decision 193 until the province sets its
    own), so that a 2026 sheet never reads as resting on Kon Tum's Plan 1583."""
    plan = result.plan
    when = period[:1].lower() + period[1:] if lang == "vi" else period  # "kỳ tháng 8/2026"
    text = label("chart_basis", lang, plan=plan.named(lang), title=plan.title(lang), period=when)
    bases = [i.basis(lang) for i in result.indicators if i.provisional and charted(i)]
    if bases:
        text += " * " + provisional_note(bases, lang) + "."
    cell = put(ws, 2, 1, text)
    cell.font = Font(italic=True, size=10)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    ws.row_dimensions[2].height = lines(text, sum((5, NAME_WIDTH, 10, 10, 12, 60)) * 0.9, 10) \
        * line_height(10) + 3


def result_chart(ws: Worksheet, shown: list, header_row: int, last: int, lang: str,
                 period: str) -> BarChart:
    """Columns of the result, named by indicator and coloured by status, each with its target
    as a black dash over it."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = label("chart_title", lang, period=period)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    percent = all(i.unit == "%" for i in shown)
    chart.y_axis.title = "%" if percent else t("result", lang)
    chart.y_axis.numFmt = "0"
    chart.y_axis.scaling.min = 0
    if percent:  # 0 to 100 % (or a little above the largest value), never 250
        top = max([100.0] + [float(i.value) for i in shown] + [float(i.target) for i in shown])
        chart.y_axis.scaling.max = min(200.0, 10 * (int(top) // 10 + 1)) if top > 100 else 100
        chart.y_axis.majorUnit = 20
    names = Reference(ws, min_col=2, min_row=header_row + 1, max_row=last)
    bars = Series(Reference(ws, min_col=3, min_row=header_row + 1, max_row=last),
                  title=label("this_period", lang))
    bars.graphicalProperties.solidFill = BAR_COLOURS[Status.MET]
    for idx, ind in enumerate(shown):
        point = DataPoint(idx=idx)
        colour = BAR_COLOURS.get(Status(ind.status), "7F7F7F")
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        bars.dPt.append(point)
    bars.dLbls = value_labels("0.0")
    chart.series.append(bars)
    text_categories(chart, names)
    chart.gapWidth = 60

    # The target: a marker only (no line) on each bar's category.
    targets = LineChart()
    marker = Series(Reference(ws, min_col=4, min_row=header_row + 1, max_row=last),
                    title=t("target", lang))
    marker.marker = Marker(symbol="dash", size=16)
    marker.marker.graphicalProperties = GraphicalProperties(solidFill=TARGET_COLOUR)
    marker.marker.graphicalProperties.line.solidFill = TARGET_COLOUR
    marker.graphicalProperties.line.noFill = True
    marker.smooth = False
    targets.series.append(marker)
    text_categories(targets, names)
    chart.legend.position = "b"
    chart.width, chart.height = 26, max(8.0, 1.3 * len(shown) + 3)
    try:
        chart += targets  # a bar chart with a line chart's markers over it
    except TypeError:  # pragma: no cover - openpyxl without chart combination
        pass
    return chart
