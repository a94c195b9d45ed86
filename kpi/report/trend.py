"""Each indicator month by month, figures a reader can reconcile: for a rate its numerator,
denominator and the month's rate, then the year to date up to that month; a line chart of the
year-to-date rates of the target indicators. Months without any accepted report stay blank."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference, Series
from openpyxl.chart.marker import Marker
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..compare import ytd_series
from ..i18n import t
from ..indicators import NO_DATA, IndicatorResult
from ..present import month_label, period_name, target_text
from ..xlsx import (
    BODY_SIZE,
    INT_FORMAT,
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
    count_format,
    footer,
    label,
    lines,
    text_categories,
    value_format,
)

NAME_WIDTH = 34
YTD_FILL = "F2F2F2"


def _trend(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    months = list(result.trend)
    with_data = set(result.months_with_data)
    ytd = ytd_series(result)
    title(ws, label("trend_title", lang, period=period_name(result.span.code, lang)))
    header_row = 3
    fixed = 4
    labels = [t("indicator", lang), t("target", lang), label("unit", lang), label("figure", lang)]
    labels += [month_label(m) for m in months] + [label("whole_span", lang)]
    header(ws, header_row, labels)
    by_month = {m: {i.code: i for i in inds} for m, inds in result.trend.items()}
    ytd_by_month = {m: {i.code: i for i in r.indicators} for m, r in ytd.items()}
    ordered = sorted(result.indicators, key=lambda i: i.target is None)
    row = header_row + 1
    chart_rows: list[tuple[int, str]] = []
    for ind in ordered:
        first = row
        rate = ind.denominator is not None or ind.kind != "ratio"
        figures = ([("numerator", lambda i: i.numerator, "count"),
                    ("denominator", lambda i: i.denominator, "count"),
                    ("month_rate", lambda i: i.value, "value")] if rate
                   else [("month_count", lambda i: i.value, "value")])
        figures.append(("ytd_value", lambda i: i.value, "value"))
        for key, pick, kind in figures:
            source = ytd_by_month if key == "ytd_value" else by_month
            put(ws, row, fixed, label(key, lang)).alignment = Alignment(wrap_text=True,
                                                                        vertical="center")
            seen = False
            for col, month in enumerate(months, fixed + 1):
                found = source[month].get(ind.code)
                value = None
                if month in with_data and found is not None and found.status != NO_DATA:
                    value = pick(found)
                seen = seen or value is not None
                fmt = count_format(value) if kind == "count" else value_format(ind)
                cell = put(ws, row, col, value, fmt)
                if key == "ytd_value":
                    cell.fill = fill(YTD_FILL)
            whole = pick(ind) if ind.status != NO_DATA else None
            if key == "ytd_value":
                whole = None
            cell = put(ws, row, fixed + len(months) + 1, whole,
                       count_format(whole) if kind == "count" else value_format(ind))
            cell.font = Font(bold=True, size=BODY_SIZE)
            if key == "ytd_value":
                for c in range(1, fixed + len(months) + 2):
                    ws.cell(row, c).fill = fill(YTD_FILL)
                if ind.target is not None and ind.unit == "%" and seen and not _event(result, ind):
                    chart_rows.append((row, ind.name(lang)))
            row += 1
        put(ws, first, 1, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="top")
        put(ws, first, 2, target_text(ind.comparator, ind.target, ind.unit_for(lang), lang))
        put(ws, first, 3, ind.unit_for(lang))
        needed = lines(ind.name(lang), NAME_WIDTH) * line_height() + 3
        per_row = max(line_height() + 3, needed / (row - first))
        for r in range(first, row):
            ws.row_dimensions[r].height = per_row
        for col in (1, 2, 3):
            ws.merge_cells(start_row=first, start_column=col, end_row=row - 1, end_column=col)
    last = row - 1
    n_cols = fixed + len(months) + 1
    table(ws, header_row, last, n_cols, freeze=f"E{header_row + 1}")
    ws.auto_filter.ref = None  # merged blocks: a filter would split them
    widths(ws, [NAME_WIDTH, 10, 9, 16] + [9] * len(months) + [10])
    foot = put(ws, last + 1, 1, label("trend_note", lang))
    foot.font = Font(italic=True, size=8)
    foot.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=n_cols)
    ws.row_dimensions[last + 1].height = lines(foot.value, 60 + 9 * n_cols, 8) * line_height(8) + 2
    print_setup(ws, header_row)
    footer(ws, lang)
    if not chart_rows or len(months) < 2:
        return
    chart = LineChart()
    chart.title = label("trend_chart", lang)
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    top = max([100.0] + [float(ws.cell(r, c).value or 0) for r, _ in chart_rows
                         for c in range(fixed + 1, fixed + len(months) + 1)])
    chart.y_axis.scaling.max = 100 if top <= 100 else min(200, 10 * (int(top) // 10 + 1))
    chart.y_axis.majorUnit = 20
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = "0"
    for r, name in chart_rows:
        series = Series(Reference(ws, min_col=fixed + 1, max_col=fixed + len(months),
                                  min_row=r, max_row=r), title=name)
        series.marker = Marker(symbol="circle", size=6)
        series.smooth = False
        chart.series.append(series)
    text_categories(chart, Reference(ws, min_col=fixed + 1, max_col=fixed + len(months),
                                      min_row=header_row, max_row=header_row))
    chart.legend.position = "b"
    chart.width, chart.height = 26, 14
    ws.add_chart(chart, f"A{last + 3}")
    ws.row_breaks.append(Break(id=last + 1, max=16383))  # the chart prints on a page of its own


def _event(result: AggregateResult, ind: IndicatorResult) -> bool:
    """An indicator about one day a year (30 July): a line of one point says nothing."""
    spec = next((i for i in result.plan.indicators if i.code == ind.code), None)
    return spec is not None and (spec.event is not None or bool(spec.months))


__all__ = ["INT_FORMAT"]
