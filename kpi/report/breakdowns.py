"""Who the victims are: each element broken down, one small table per breakdown (a cross of
two categories as rows by columns, with totals both ways) and, for a cross, a bar chart of it."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..plan import Category, Element, Option
from ..present import period_name
from ..xlsx import BODY_SIZE, INT_FORMAT, header, print_setup, put, thin_border, title, widths
from .common import footer, label, text_categories, value_labels

BOLD = Font(bold=True)
SERIES_COLOURS = ("2F5597", "C55A11", "548235", "7F6000")
CHART_ROWS = 18  # rows a chart takes below its table


def has_breakdowns(result: AggregateResult) -> bool:
    return any(e.breakdowns for e in result.plan.elements)


def _breakdowns(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    period = period_name(result.span.code, lang)
    title(ws, label("bd_title", lang, period=period))
    put(ws, 2, 1, label("bd_note", lang)).font = Font(italic=True, size=BODY_SIZE)
    widths(ws, (34, 13, 13, 13, 13))
    row = 4
    for element in (e for e in result.plan.elements if e.breakdowns):
        if row > 4:  # each element on a page of its own: a chart never splits
            ws.row_breaks.append(Break(id=row - 1))
        for breakdown in element.breakdowns:
            row = _block(ws, row, result, element, breakdown, lang)
    print_setup(ws, None)
    ws.page_setup.orientation = "portrait"
    footer(ws, lang)


def _value(result: AggregateResult, element: Element, combo: tuple[Option, ...]) -> int:
    return result.totals.get(element.part_key(combo), 0)


def _block(ws: Worksheet, row: int, result: AggregateResult, element: Element,
           breakdown: tuple[Category, ...], lang: str) -> int:
    """One breakdown of one element from ``row``; returns the next free row."""
    by = label("bd_and", lang).join(c.name(lang).lower() for c in breakdown)
    heading = put(ws, row, 1, label("bd_heading", lang, element=element.name(lang), by=by,
                                    unit=element.unit(lang)))
    heading.font = Font(bold=True, size=12)
    row += 1
    total_word = label("bd_total", lang)
    if len(breakdown) == 1:
        across: Category | None = None
        down = breakdown[0]
        columns = [label("bd_count", lang)]
    else:
        across, down = breakdown
        columns = [o.name(lang) for o in across.options] + [total_word]
    header(ws, row, [down.name(lang), *columns])
    header_row = row
    grand = result.totals.get(element.code, 0)
    for option in down.options:
        row += 1
        put(ws, row, 1, option.name(lang))
        if across is None:
            put(ws, row, 2, _value(result, element, (option,)), INT_FORMAT)
            continue
        values = [_value(result, element, (o, option)) for o in across.options]
        for j, value in enumerate(values):
            put(ws, row, 2 + j, value, INT_FORMAT)
        put(ws, row, 2 + len(values), sum(values), INT_FORMAT).font = BOLD
    row += 1
    put(ws, row, 1, total_word).font = BOLD
    if across is None:
        put(ws, row, 2, grand, INT_FORMAT).font = BOLD
    else:
        for j, o in enumerate(across.options):
            column = sum(_value(result, element, (o, d)) for d in down.options)
            put(ws, row, 2 + j, column, INT_FORMAT).font = BOLD
        put(ws, row, 2 + len(across.options), grand, INT_FORMAT).font = BOLD
    border = thin_border()
    for r in range(header_row, row + 1):
        for c in range(1, 2 + len(columns)):
            ws.cell(r, c).border = border
            if c == 1:
                ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
    if across is not None:
        _chart(ws, header_row, row - 1, across, down, element, lang)
        row += CHART_ROWS
    return row + 2


def _chart(ws: Worksheet, header_row: int, last: int, across: Category, down: Category,
           element: Element, lang: str) -> None:
    """Columns per option down the table (age bands), one series per option across (sex),
    each bar labelled with its count: who the victims are, at a glance."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = label("bd_chart", lang, element=element.name(lang),
                        by=label("bd_and", lang).join((across.name(lang).lower(), down.name(lang).lower())))
    chart.y_axis.title = element.unit(lang)
    chart.y_axis.scaling.min = 0
    chart.y_axis.numFmt = "0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    biggest = max((ws.cell(r, c).value or 0 for r in range(header_row + 1, last + 1)
                   for c in range(2, 2 + len(across.options))), default=0)
    if biggest <= 10:
        chart.y_axis.majorUnit = 1  # whole persons, not 0.5 of one
        chart.y_axis.scaling.max = max(biggest + 1, 2)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last)
    for j in range(len(across.options)):
        series = Series(Reference(ws, min_col=2 + j, min_row=header_row + 1, max_row=last),
                        title=across.options[j].name(lang))
        colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        series.dLbls = value_labels("0")
        chart.series.append(series)
    text_categories(chart, categories)
    chart.legend.position = "b"
    chart.width, chart.height = 16, 8
    ws.add_chart(chart, f"A{last + 3}")
