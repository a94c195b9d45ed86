"""The consolidated report: one workbook an official can print and forward.

Sheets, in order: a one-page summary (plan, period and cut-off dates, completeness, every
indicator against its target with the plan text it quotes), a bar chart of result against
target, values per agency, month-by-month trend, completeness per (agency, month), every
problem found, and the audit trail (every accepted number with its file and cell).

Text that comes from submissions (file names, reporters, sheet names, messages quoting cell
text) is always written as a text cell, never a formula: see :func:`_put`. The workbook is
built in memory and saved atomically, so a failure leaves no file behind.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .aggregate import (
    ACCEPTED,
    OUT_OF_SPAN,
    REJECTED,
    SUPERSEDED,
    AggregateResult,
    FileRecord,
    final_files,
)
from .i18n import fmt_number, t
from .indicators import MET, NO_DATA, NOT_MET, TRACKED, IndicatorResult
from .periods import deadline, split_month
from .present import inert
from .xlsx import fit_a4, mark_output, put

# --- sheet titles and labels --------------------------------------------------------------------

SHEETS: dict[str, tuple[str, str]] = {
    "summary": ("Tổng hợp", "Summary"),
    "chart": ("Biểu đồ", "Chart"),
    "agencies": ("Theo đơn vị", "By agency"),
    "trend": ("Theo tháng", "By month"),
    "completeness": ("Tình hình nộp", "Submissions"),
    "problems": ("Lỗi, cảnh báo", "Problems"),
    "data": ("Số liệu gốc", "Data"),
}

LABELS: dict[str, tuple[str, str]] = {
    "report_title": ("BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN KẾ HOẠCH {ref}",
                     "CONSOLIDATED REPORT ON THE IMPLEMENTATION OF PLAN {ref}"),
    "period": ("Kỳ báo cáo", "Reporting period"),
    "window": ("{label}: số liệu từ {start} đến {end}", "{label}: data from {start} to {end}"),
    "generated": ("Lập lúc", "Generated"),
    "plan_id": ("Mã kế hoạch", "Plan id"),
    "completeness": ("Tình hình nộp báo cáo tháng của các đơn vị",
                     "Monthly reports from the agencies"),
    "expected": ("Phải nộp", "Expected"),
    "received": ("Đã nhận", "Received"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Nộp muộn", "Late"),
    "missing": ("Còn thiếu", "Missing"),
    "missing_note": (
        "Còn thiếu gồm {absent} chưa nộp và {rejected} bị trả lại vì có lỗi. Chi tiết: trang "
        "'{sheet_c}' và '{sheet_p}' ({errors} lỗi, {warnings} cảnh báo).",
        "Missing: {absent} not sent and {rejected} rejected for errors. Details: sheets "
        "'{sheet_c}' and '{sheet_p}' ({errors} errors, {warnings} warnings).",
    ),
    "unit": ("ĐVT", "Unit"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "footnote": (
        "Chỉ số của cả kỳ = tổng tử số / tổng mẫu số của các tháng và các đơn vị. "
        "'Không phát sinh': mẫu số bằng 0. 'Theo dõi': kế hoạch không đặt chỉ tiêu bằng số.",
        "An indicator over the period = sum of numerators / sum of denominators over months and "
        "agencies. 'No case arose': the denominator is 0. 'Tracked': the plan sets no number.",
    ),
    "chart_title": ("Kết quả so với mục tiêu ({period})", "Result against target ({period})"),
    "no_chart": ("Không có chỉ tiêu nào có mục tiêu và có số liệu trong kỳ.",
                 "No indicator with a target has data in this period."),
    "agencies_title": ("Số liệu theo đơn vị, cả kỳ {period}", "Values per agency over {period}"),
    "months_with_data": ("Số tháng có số liệu", "Months with data"),
    "total": ("Tổng cộng", "Total"),
    "form": ("Biểu", "Form"),
    "trend_title": ("Chỉ số theo từng tháng, kỳ {period}", "Indicators month by month, {period}"),
    "whole_span": ("Cả kỳ", "Whole period"),
    "trend_chart": ("Các chỉ số có mục tiêu theo tháng", "Indicators with a target, by month"),
    "completeness_title": ("Tình hình nộp báo cáo, kỳ {period}", "Submissions for {period}"),
    "submitted": ("Ngày gửi", "Date sent"),
    "deadline": ("Hạn nộp", "Deadline"),
    "reporter": ("Người lập", "Prepared by"),
    "errors": ("Số lỗi", "Errors"),
    "warnings": ("Số cảnh báo", "Warnings"),
    "note": ("Ghi chú", "Note"),
    "st_on_time": ("Đúng hạn", "On time"),
    "st_late": ("Nộp muộn", "Late"),
    "st_missing": ("Chưa nộp", "Missing"),
    "st_rejected": ("Bị trả lại (có lỗi)", "Rejected (errors)"),
    "st_superseded": ("Đã có bản thay thế", "Superseded"),
    "st_out_of_span": ("Ngoài kỳ báo cáo", "Outside the period"),
    "st_skipped": ("Bỏ qua", "Skipped"),
    "replaced_by": ("Thay bằng {file}", "Replaced by {file}"),
    "no_date": ("Không ghi ngày gửi", "No date sent"),
    "skip_lock-file": ("Tệp khóa của Excel/LibreOffice", "Excel/LibreOffice lock file"),
    "skip_not-a-spreadsheet": ("Không phải tệp bảng tính", "Not a spreadsheet"),
    "skip_marked-copy": ("Bản kiểm tra do kpi tạo", "Marked copy made by kpi"),
    "problems_title": ("Lỗi và cảnh báo, kỳ {period}", "Errors and warnings, {period}"),
    "issue_code": ("Loại", "Type"),
    "province": ("(toàn tỉnh)", "(province)"),
    "no_problem": ("Không có lỗi hay cảnh báo.", "No errors or warnings."),
    "data_title": ("Số liệu gốc đã chấp nhận (mỗi số một dòng, kèm tệp và ô)",
                   "Accepted raw values (one number a row, with its file and cell)"),
    "value": ("Giá trị", "Value"),
    "page_footer": ("&A - Trang &P/&N", "&A - Page &P of &N"),
}


def _l(key: str, lang: str, **params: object) -> str:
    vi, en = LABELS[key]
    return (en if lang == "en" else vi).format(**params)


def sheet_title(key: str, lang: str) -> str:
    vi, en = SHEETS[key]
    return en if lang == "en" else vi


# --- styles --------------------------------------------------------------------------------------

STATUS_FILLS = {MET: "C6EFCE", NOT_MET: "FFC7CE", NO_DATA: "EDEDED", TRACKED: "DDEBF7"}
SUBMISSION_FILLS = {"on_time": "C6EFCE", "late": "FFEB9C", "missing": "FFC7CE",
                    "rejected": "FFC7CE", "superseded": "EDEDED", "out_of_span": "EDEDED",
                    "skipped": "EDEDED"}
SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
NA_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0"
DATE_FORMAT = "DD/MM/YYYY"
BODY_SIZE = 9
# Vietnamese administrative documents are set in Times New Roman (Decree 30/2020/NĐ-CP).
FONT_NAME = "Times New Roman"
# Printable width of A4 landscape with the margins below, in points.
PRINTABLE_WIDTH_PT = (11.69 - 0.8) * 72
MAX_ELEMENTS_PER_PAGE = 14

# Summary layout: exposed so tests and other tools can find the indicator table.
SUMMARY_COLUMNS = ("code", "indicator", "target", "result", "unit", "numerator", "denominator",
                   "status", "source")
SUMMARY_WIDTHS = (17, 36, 8, 8, 8, 8, 8, 11, 48)
SUMMARY_SIZE = 9.5
SUMMARY_HEADER_ROW = 7
SUMMARY_FIRST_ROW = SUMMARY_HEADER_ROW + 1

_put = put  # tests and older callers know it by this name


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def _header(ws: Worksheet, row: int, labels: Sequence[str], *, first_col: int = 1,
            size: float = BODY_SIZE) -> None:
    for col, label in enumerate(labels, first_col):
        cell = _put(ws, row, col, label)
        cell.font = Font(bold=True, size=size)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        one_word = " " not in str(label).strip()  # a long single word shrinks, never splits
        cell.alignment = Alignment(horizontal="center", vertical="center",
                                   wrap_text=not one_word, shrink_to_fit=one_word)


def _title(ws: Worksheet, text: str, row: int = 1, size: float = 12) -> None:
    cell = _put(ws, row, 1, text)
    cell.font = Font(bold=True, size=size)


def _lines(text: str, width: float, size: float = BODY_SIZE) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide: an estimate that
    wraps whole words, as Excel and LibreOffice do, at a Times New Roman character width."""
    per_line = max(1, int(width * 11 / size * 1.15) - 1)
    count = 0
    for part in str(text).split("\n"):
        used = 0
        count += 1
        for word in part.split():
            length = len(word)
            if used and used + 1 + length > per_line:
                count += 1
                used = 0
            while length > per_line:  # a word longer than the line breaks anywhere
                count += 1
                length -= per_line
            used += (1 if used else 0) + length
    return max(1, count)


def _line_height(size: float = BODY_SIZE) -> float:
    return size * 1.25 + 1


def _print_setup(ws: Worksheet, header_row: int | None, *, fit_height: bool = False) -> None:
    fit_a4(ws, "landscape")
    if fit_height:
        ws.page_setup.fitToHeight = 1
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _table(ws: Worksheet, header_row: int, last_row: int, n_cols: int, *,
           freeze: str | None = None) -> None:
    """Frozen header, autofilter over the table, borders on every body cell."""
    last_col = get_column_letter(n_cols)
    ws.freeze_panes = freeze or f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_row, header_row)}"
    for row in ws.iter_rows(min_row=header_row + 1, max_row=last_row, max_col=n_cols):
        for cell in row:
            cell.border = BORDER
            if cell.font is None or not cell.font.b:
                cell.font = Font(size=BODY_SIZE)
            if not cell.alignment.wrap_text and cell.alignment.vertical is None:
                cell.alignment = Alignment(vertical="center",
                                           horizontal=cell.alignment.horizontal)


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _auto_widths(ws: Worksheet, header_row: int, n_cols: int, *, minimum: float = 6,
                 maximum: float = 60) -> list[float]:
    widths = []
    for col in range(1, n_cols + 1):
        longest = 0
        for row in ws.iter_rows(min_row=header_row, min_col=col, max_col=col):
            value = row[0].value
            if value is None:
                continue
            shown = value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else value
            text = f"{shown:,}" if isinstance(shown, int) else str(shown)
            longest = max(longest, len(text))
        widths.append(min(maximum, max(minimum, longest * BODY_SIZE / 11 * 1.15 + 2)))
    _widths(ws, widths)
    return widths


def _footer(ws: Worksheet, lang: str) -> None:
    ws.oddFooter.center.text = _l("page_footer", lang)
    ws.oddFooter.center.size = 8


# --- helpers on the result -----------------------------------------------------------------------

def _ddmmyyyy(value: date | datetime) -> str:
    return value.strftime("%d/%m/%Y")


def _month_label(month: str) -> str:
    year, m = split_month(month)
    return f"{m:02d}/{year}"


def _period_label(code: str, lang: str) -> str:
    if ".." in code:
        first, last = code.split("..")
        return f"{_month_label(first)} - {_month_label(last)}"
    if "-Q" in code:
        year, q = code.split("-Q")
        return f"Quý {q}/{year}" if lang != "en" else f"Q{q} {year}"
    if "-H" in code:
        year, h = code.split("-H")
        if lang == "en":
            return f"{'First' if h == '1' else 'Second'} half of {year}"
        return f"6 tháng {'đầu' if h == '1' else 'cuối'} năm {year}"
    if "-" in code:
        return (f"Tháng {_month_label(code)}" if lang != "en" else _month_label(code))
    return f"Năm {code}" if lang != "en" else f"Year {code}"


class _Files:
    """Shows file paths relative to the folder that holds them all, so names stay short."""

    def __init__(self, result: AggregateResult) -> None:
        paths = [r.file for r in result.files] + [p for p, _ in result.skipped]
        parents = [os.path.dirname(os.path.abspath(p)) for p in paths if p]
        try:
            self.root = os.path.commonpath(parents) if parents else ""
        except ValueError:  # different drives
            self.root = ""

    def __call__(self, path: str | None) -> str:
        if not path:
            return ""
        if self.root:
            full = os.path.abspath(path)
            if full.startswith(self.root.rstrip(os.sep) + os.sep):
                return inert(os.path.relpath(full, self.root))
        return inert(path)


def _status_text(status: str, lang: str) -> str:
    return t(f"status_{status}", lang)


def _target_text(ind: IndicatorResult, lang: str) -> str:
    if ind.target is None:
        return t("tracked_target", lang)
    symbol = {">=": "≥", "<=": "≤"}.get(ind.comparator or "", ind.comparator or "")
    number = fmt_number(ind.target, lang)
    unit = ind.unit if ind.unit == "%" else (f" {ind.unit_for(lang)}" if ind.unit else "")
    return f"{symbol} {number}{unit}"


def _value_format(ind: IndicatorResult) -> str:
    if ind.unit == "%":
        return PCT_FORMAT
    if ind.value is not None and not float(ind.value).is_integer():
        return "#,##0.0"
    return INT_FORMAT


def _count_format(value: float | int | None) -> str:
    if value is None or float(value).is_integer():
        return INT_FORMAT
    return "#,##0.0"


def _quoted(text: str) -> str:
    """The plan's text in quotation marks, as an official quotes a document."""
    bare = text.strip().strip('“”"')
    return f"“{bare}”" if bare else ""


def _charted(ind: IndicatorResult) -> bool:
    """Target indicators with a value: what the bar chart shows."""
    return ind.status in (MET, NOT_MET) and ind.value is not None and ind.target is not None


# --- the sheets ----------------------------------------------------------------------------------

def _summary(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    plan, done = result.plan, result.completeness
    n_cols = len(SUMMARY_COLUMNS)
    last_col = get_column_letter(n_cols)
    _widths(ws, SUMMARY_WIDTHS)
    total_width = sum(SUMMARY_WIDTHS)

    _title(ws, _l("report_title", lang, ref=plan.reference or plan.id), size=13)
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 20
    title = _put(ws, 2, 1, plan.title(lang))
    title.font = Font(italic=True, size=10)
    title.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{last_col}2")
    ws.row_dimensions[2].height = _lines(plan.title(lang), total_width, 10) * _line_height(10) + 2

    start, end = result.window
    _put(ws, 3, 1, _l("period", lang)).font = Font(bold=True, size=10)
    period = _put(ws, 3, 2, _l("window", lang, label=f"{result.span.code} "
                               f"({_period_label(result.span.code, lang)})",
                               start=_ddmmyyyy(start), end=_ddmmyyyy(end)))
    period.font = Font(size=10)
    ws.merge_cells("B3:F3")
    generated = _put(ws, 3, 8, f"{_l('generated', lang)}: "
                     f"{result.generated_at.strftime('%d/%m/%Y %H:%M')}")
    generated.font = Font(size=10)
    ws.merge_cells(f"H3:{last_col}3")

    # Completeness: label block A4:B5, five figures in C..G (labels above numbers), note in H:I.
    label = _put(ws, 4, 1, _l("completeness", lang))
    label.font = Font(bold=True, size=10)
    label.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells("A4:B5")
    figures = (("expected", done.expected), ("received", done.received),
               ("on_time", done.on_time), ("late", done.late), ("missing", len(done.missing)))
    for col, (key, number) in enumerate(figures, 3):
        head = _put(ws, 4, col, _l(key, lang))
        head.font = Font(bold=True, size=SUMMARY_SIZE)
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
        head.border = BORDER
        cell = _put(ws, 5, col, number, INT_FORMAT)
        cell.font = Font(bold=True, size=10)
        cell.alignment = Alignment(horizontal="center")
        cell.border = BORDER
    errors = sum(i.severity == "error" for i in result.issues)
    note = _put(ws, 4, 8, _l(
        "missing_note", lang, absent=len(done.missing) - len(done.rejected_only),
        rejected=len(done.rejected_only), sheet_c=sheet_title("completeness", lang),
        sheet_p=sheet_title("problems", lang), errors=errors,
        warnings=len(result.issues) - errors))
    note.font = Font(size=SUMMARY_SIZE)
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(f"H4:{last_col}5")
    ws.row_dimensions[6].height = 6

    labels = {"code": t("code", lang), "indicator": t("indicator", lang),
              "target": t("target", lang), "result": t("result", lang), "unit": _l("unit", lang),
              "numerator": _l("numerator", lang), "denominator": _l("denominator", lang),
              "status": t("status", lang), "source": t("source", lang)}
    _header(ws, SUMMARY_HEADER_ROW, [labels[c] for c in SUMMARY_COLUMNS], size=SUMMARY_SIZE)
    ws.row_dimensions[SUMMARY_HEADER_ROW].height = 2 * _line_height(SUMMARY_SIZE) + 2

    row = SUMMARY_FIRST_ROW
    wrap = Alignment(wrap_text=True, vertical="center")
    for ind in result.indicators:
        cells = {
            "code": _put(ws, row, 1, ind.code),
            "indicator": _put(ws, row, 2, ind.name(lang)),
            "target": _put(ws, row, 3, _target_text(ind, lang)),
            "result": _put(ws, row, 4, ind.value, _value_format(ind)),
            "unit": _put(ws, row, 5, ind.unit_for(lang)),
            "numerator": _put(ws, row, 6, ind.numerator, _count_format(ind.numerator)),
            "denominator": _put(ws, row, 7, ind.denominator, _count_format(ind.denominator)),
            "status": _put(ws, row, 8, _status_text(ind.status, lang)),
            "source": _put(ws, row, 9, _quoted(ind.source)),
        }
        for key, cell in cells.items():
            cell.border = BORDER
            cell.font = Font(size=SUMMARY_SIZE, bold=key in ("result", "status"),
                             italic=key == "source")
            cell.alignment = (wrap if key in ("indicator", "source", "status")
                              else Alignment(vertical="center",
                                             horizontal="center" if key in ("target", "unit")
                                             else None))
        cells["code"].font = Font(size=SUMMARY_SIZE - 1)
        cells["status"].fill = _fill(STATUS_FILLS.get(ind.status, "FFFFFF"))
        cells["status"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        lines = max(_lines(ind.name(lang), SUMMARY_WIDTHS[1], SUMMARY_SIZE),
                    _lines(cells["source"].value or "", SUMMARY_WIDTHS[8], SUMMARY_SIZE),
                    _lines(cells["status"].value, SUMMARY_WIDTHS[7], SUMMARY_SIZE))
        ws.row_dimensions[row].height = lines * _line_height(SUMMARY_SIZE) + 3
        row += 1
    last = row - 1
    ws.auto_filter.ref = f"A{SUMMARY_HEADER_ROW}:{last_col}{last}"
    ws.freeze_panes = f"A{SUMMARY_FIRST_ROW}"

    foot = _put(ws, last + 1, 1, _l("footnote", lang))
    foot.font = Font(italic=True, size=8)
    foot.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A{last + 1}:{last_col}{last + 1}")
    ws.row_dimensions[last + 1].height = _lines(foot.value, total_width, 8) * _line_height(8) + 2

    _print_setup(ws, SUMMARY_HEADER_ROW, fit_height=True)
    ws.print_area = f"A1:{last_col}{last + 1}"
    ws.page_setup.horizontalDpi = ws.page_setup.verticalDpi = 300


def _chart_sheet(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    period = result.span.code
    _title(ws, _l("chart_title", lang, period=period))
    header_row = 3
    labels = [t("code", lang), t("indicator", lang), t("result", lang), t("target", lang),
              _l("unit", lang), t("status", lang)]
    _header(ws, header_row, labels)
    shown = [i for i in result.indicators if _charted(i)]
    row = header_row + 1
    for ind in shown:
        _put(ws, row, 1, ind.code)
        _put(ws, row, 2, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="center")
        _put(ws, row, 3, ind.value, _value_format(ind))
        _put(ws, row, 4, ind.target, _value_format(ind))
        _put(ws, row, 5, ind.unit_for(lang))
        _put(ws, row, 6, _status_text(ind.status, lang)).fill = _fill(STATUS_FILLS[ind.status])
        row += 1
    last = row - 1
    _table(ws, header_row, last, len(labels))
    _widths(ws, (19, 60, 10, 10, 8, 14))
    for r in range(header_row + 1, last + 1):
        ws.row_dimensions[r].height = _lines(ws.cell(r, 2).value, 60) * _line_height() + 3
    _print_setup(ws, None, fit_height=True)
    _footer(ws, lang)
    if not shown:
        _put(ws, header_row + 1, 1, _l("no_chart", lang)).font = Font(italic=True)
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _l("chart_title", lang, period=period)
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
    _text_categories(chart, categories)
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


def _text_categories(chart: BarChart | LineChart, ref: Reference) -> None:
    """Categories are text (codes, months): a string reference, not openpyxl's numeric one."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(ref)))


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
    _title(ws, _l("agencies_title", lang, period=result.span.code))
    # row 3: form of each column; row 4: element names; row 5: codes (the filter row)
    form_row, name_row, header_row = 3, 4, 5
    _header(ws, header_row, [t("code", lang), t("agency", lang), _l("months_with_data", lang)]
            + [e.code for e in elements])
    for r in (form_row, name_row):
        _header(ws, r, [""] * fixed)
    _put(ws, form_row, 1, _l("form", lang)).font = Font(bold=True, size=BODY_SIZE)
    col = fixed + 1
    for form in plan.forms:
        count = len(plan.elements_of(form.code))
        if not count:
            continue
        _header(ws, form_row, [form.sheet], first_col=col)
        if count > 1:
            ws.merge_cells(start_row=form_row, start_column=col, end_row=form_row,
                           end_column=col + count - 1)
        col += count
    _header(ws, name_row, [e.name(lang) for e in elements], first_col=fixed + 1, size=7)
    for col in range(fixed + 1, fixed + len(elements) + 1):
        ws.cell(header_row, col).font = Font(bold=True, size=7)
        ws.cell(header_row, col).alignment = Alignment(horizontal="center", vertical="center",
                                                       shrink_to_fit=True)
    element_width = 11
    ws.row_dimensions[name_row].height = max(
        _lines(e.name(lang), element_width, 7) for e in elements) * _line_height(7) + 2

    row = header_row + 1
    for code in codes:
        agency = plan.agency_by_code.get(code)
        reports = set(plan.elements_for_agency(agency)) if agency else set()
        values = result.agency_totals.get(code, {})
        _put(ws, row, 1, code)
        _put(ws, row, 2, agency.name(lang) if agency else code)
        _put(ws, row, 3, with_data.get(code, 0), INT_FORMAT)
        for col, element in enumerate(elements, fixed + 1):
            cell = _put(ws, row, col, values.get(element.code), INT_FORMAT)
            if element not in reports:
                cell.fill = NA_FILL  # this agency does not report this form
        row += 1
    last = row - 1
    _table(ws, header_row, last, fixed + len(elements), freeze=f"D{header_row + 1}")
    total_row = last + 1
    label = _put(ws, total_row, 2, _l("total", lang))
    label.font = Font(bold=True, size=BODY_SIZE)
    for col, element in enumerate(elements, fixed + 1):
        cell = _put(ws, total_row, col, result.totals.get(element.code, 0), INT_FORMAT)
        cell.font = Font(bold=True, size=BODY_SIZE)
    for col in range(1, fixed + len(elements) + 1):
        ws.cell(total_row, col).border = Border(left=_THIN, right=_THIN, top=Side("double"),
                                                bottom=_THIN)
    fixed_widths = [14, 34, 9]
    _widths(ws, fixed_widths + [element_width] * len(elements))
    _print_setup(ws, None)
    ws.print_title_rows = f"{form_row}:{header_row}"
    ws.print_title_cols = "A:C"
    _print_by_forms(ws, plan, fixed_widths, element_width)
    _footer(ws, lang)


def _print_by_forms(ws: Worksheet, plan: Any, fixed_widths: list[float], element_width: float) -> None:
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


def _trend(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    months = list(result.trend)
    _title(ws, _l("trend_title", lang, period=result.span.code))
    header_row = 3
    fixed = 4
    labels = [t("code", lang), t("indicator", lang), t("target", lang), _l("unit", lang)]
    labels += [_month_label(m) for m in months] + [_l("whole_span", lang)]
    _header(ws, header_row, labels)
    by_month = {m: {i.code: i for i in inds} for m, inds in result.trend.items()}
    # Target indicators first, so the chart's series are one block of rows.
    ordered = sorted(result.indicators, key=lambda i: i.target is None)
    row = header_row + 1
    chart_rows = []
    for ind in ordered:
        _put(ws, row, 1, ind.code)
        _put(ws, row, 2, ind.name(lang)).alignment = Alignment(wrap_text=True, vertical="center")
        _put(ws, row, 3, _target_text(ind, lang))
        _put(ws, row, 4, ind.unit_for(lang))
        seen = False
        for col, month in enumerate(months, fixed + 1):
            month_ind = by_month[month].get(ind.code)
            value = month_ind.value if month_ind and month_ind.status != NO_DATA else None
            seen = seen or value is not None
            _put(ws, row, col, value, _value_format(ind))
        span_cell = _put(ws, row, fixed + len(months) + 1,
                         ind.value if ind.status != NO_DATA else None, _value_format(ind))
        span_cell.font = Font(bold=True, size=BODY_SIZE)
        ws.row_dimensions[row].height = _lines(ind.name(lang), 44) * _line_height() + 3
        if ind.target is not None and seen:
            chart_rows.append(row)
        row += 1
    last = row - 1
    n_cols = fixed + len(months) + 1
    _table(ws, header_row, last, n_cols, freeze=f"C{header_row + 1}")
    for r in range(header_row + 1, last + 1):
        ws.cell(r, fixed + len(months) + 1).font = Font(bold=True, size=BODY_SIZE)
    _widths(ws, [19, 44, 10, 9] + [9] * len(months) + [10])
    _print_setup(ws, header_row)
    _footer(ws, lang)
    if not chart_rows:
        return
    chart = LineChart()
    chart.title = _l("trend_chart", lang)
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
    _text_categories(chart, Reference(ws, min_col=fixed + 1, max_col=fixed + len(months),
                                      min_row=header_row, max_row=header_row))
    chart.legend.position = "r"
    chart.width, chart.height = 24, 12
    ws.add_chart(chart, f"A{last + 3}")
    ws.row_breaks.append(Break(id=last + 1, max=16383))  # the chart prints on a page of its own


def _submission_state(record: FileRecord) -> str:
    if record.status == ACCEPTED:
        return "on_time" if record.on_time else "late"
    if record.status == REJECTED:
        return "rejected"
    if record.status == SUPERSEDED:
        return "superseded"
    if record.status == OUT_OF_SPAN:
        return "out_of_span"
    return "rejected"


def _completeness(ws: Worksheet, result: AggregateResult, lang: str, show: _Files) -> None:
    plan = result.plan
    _title(ws, _l("completeness_title", lang, period=result.span.code))
    header_row = 3
    labels = [t("agency", lang), t("name", lang), t("month", lang), t("status", lang),
              t("file", lang), _l("submitted", lang), _l("deadline", lang), _l("reporter", lang),
              _l("errors", lang), _l("warnings", lang), _l("note", lang)]
    _header(ws, header_row, labels)
    final = final_files(result.files)
    expected = sorted(plan.expected(result.span.months),
                      key=lambda p: ([a.code for a in plan.agencies].index(p[0]), p[1]))
    used: set[int] = set()
    row = header_row + 1

    def put_row(agency: str | None, month: str | None, state: str, record: FileRecord | None,
                note: str = "", file: str | None = None) -> None:
        nonlocal row
        known = plan.agency_by_code.get(agency or "")
        due = deadline(month, plan.cutoff_day, plan.deadline_days) if month else None
        sub = record.submission if record else None
        _put(ws, row, 1, agency or "")
        _put(ws, row, 2, known.name(lang) if known else "")
        _put(ws, row, 3, month or "")
        _put(ws, row, 4, _l(f"st_{state}", lang)).fill = _fill(SUBMISSION_FILLS[state])
        _put(ws, row, 5, show(sub.file) if sub else (file or ""))
        _put(ws, row, 6, sub.submitted if sub else None, DATE_FORMAT)
        _put(ws, row, 7, due, DATE_FORMAT)
        _put(ws, row, 8, inert(sub.reporter) if sub else "")
        _put(ws, row, 9, len(sub.errors) if sub else None, INT_FORMAT)
        _put(ws, row, 10, len(sub.warnings) if sub else None, INT_FORMAT)
        if sub and record and record.status == ACCEPTED and sub.submitted is None:
            note = note or _l("no_date", lang)
        _put(ws, row, 11, note)
        row += 1

    for agency, month in expected:
        record = final.get((agency, month))
        if record is None:
            put_row(agency, month, "missing", None)
            continue
        used.add(id(record))
        put_row(agency, month, _submission_state(record), record)
    for record in result.files:
        if id(record) in used:
            continue
        note = _l("replaced_by", lang, file=show(record.replaced_by)) if record.replaced_by else ""
        put_row(record.submission.agency, record.submission.period, _submission_state(record),
                record, note)
    for path, reason in result.skipped:
        key = f"skip_{reason}"
        put_row(None, None, "skipped", None, _l(key, lang) if key in LABELS else reason,
                file=show(path))
    last = row - 1
    _table(ws, header_row, last, len(labels))
    _auto_widths(ws, header_row, len(labels), maximum=45)
    ws.column_dimensions["D"].width = max(ws.column_dimensions["D"].width, 14)
    _print_setup(ws, header_row)
    _footer(ws, lang)


def _problems(ws: Worksheet, result: AggregateResult, lang: str, show: _Files) -> None:
    _title(ws, _l("problems_title", lang, period=result.span.code))
    header_row = 3
    labels = [t("file", lang), t("agency", lang), t("month", lang), t("sheet", lang),
              t("cell", lang), t("element", lang), _l("issue_code", lang), t("severity", lang),
              t("message", lang)]
    _header(ws, header_row, labels)
    subs = {r.file: r.submission for r in result.files}
    row = header_row + 1
    for issue in result.issues:
        sub = subs.get(issue.file)
        _put(ws, row, 1, show(issue.file) if issue.file else _l("province", lang))
        _put(ws, row, 2, sub.agency if sub else "")
        _put(ws, row, 3, sub.period if sub else "")
        _put(ws, row, 4, inert(issue.sheet or ""))
        _put(ws, row, 5, inert(issue.cell or ""))
        _put(ws, row, 6, issue.element or "")
        _put(ws, row, 7, issue.code)
        severity = _put(ws, row, 8, t(issue.severity, lang) if issue.severity in ("error", "warning")
                        else issue.severity)
        severity.fill = _fill(SEVERITY_FILLS.get(issue.severity, "FFFFFF"))
        _put(ws, row, 9, inert(issue.message(lang))).alignment = Alignment(wrap_text=True,
                                                                     vertical="top")
        row += 1
    last = row - 1
    _table(ws, header_row, last, len(labels))
    _auto_widths(ws, header_row, len(labels) - 1, maximum=40)
    ws.column_dimensions["I"].width = 80
    for r in range(header_row + 1, last + 1):
        lines = _lines(ws.cell(r, 9).value or "", 80)
        if lines > 1:
            ws.row_dimensions[r].height = lines * _line_height() + 3
    if not result.issues:
        _put(ws, header_row + 1, 1, _l("no_problem", lang)).font = Font(italic=True)
    _print_setup(ws, header_row)
    _footer(ws, lang)


def _data(ws: Worksheet, result: AggregateResult, lang: str, show: _Files) -> None:
    _title(ws, _l("data_title", lang), size=11)
    header_row = 3
    labels = [t("agency", lang), t("month", lang), t("element", lang), _l("value", lang),
              t("file", lang), t("sheet", lang), t("cell", lang)]
    _header(ws, header_row, labels)
    row = header_row + 1
    names: dict[str, str] = {}
    for agency, month, element, value, file, sheet, cell in result.long[
            ["agency", "month", "element", "value", "file", "sheet", "cell"]].itertuples(
            index=False, name=None):
        if file not in names:
            names[file] = show(file)
        _put(ws, row, 1, agency)
        _put(ws, row, 2, month)
        _put(ws, row, 3, element)
        _put(ws, row, 4, int(value), INT_FORMAT)
        _put(ws, row, 5, names[file])
        _put(ws, row, 6, inert(sheet))
        _put(ws, row, 7, cell)
        row += 1
    last = row - 1
    _table(ws, header_row, last, len(labels))
    _auto_widths(ws, header_row, len(labels), maximum=50)
    _print_setup(ws, header_row)
    _footer(ws, lang)


# --- entry point ---------------------------------------------------------------------------------

def build_report(result: AggregateResult, lang: str = "vi") -> Workbook:
    """The report as an in-memory openpyxl Workbook."""
    lang = "en" if lang == "en" else "vi"
    show = _Files(result)
    wb = Workbook()
    wb.properties.creator = "kpi"
    wb.properties.title = _l("report_title", lang, ref=result.plan.reference or result.plan.id)
    wb.properties.created = result.generated_at
    wb.properties.modified = result.generated_at
    mark_output(wb, "report")
    summary = wb.active
    summary.title = sheet_title("summary", lang)
    _summary(summary, result, lang)
    _chart_sheet(wb.create_sheet(sheet_title("chart", lang)), result, lang)
    _agencies(wb.create_sheet(sheet_title("agencies", lang)), result, lang)
    _trend(wb.create_sheet(sheet_title("trend", lang)), result, lang)
    _completeness(wb.create_sheet(sheet_title("completeness", lang)), result, lang, show)
    _problems(wb.create_sheet(sheet_title("problems", lang)), result, lang, show)
    _data(wb.create_sheet(sheet_title("data", lang)), result, lang, show)
    _footer(summary, lang)
    _use_font(wb)
    wb.active = 0
    return wb


def _use_font(wb: Workbook) -> None:
    """Every written cell in FONT_NAME, keeping its size, weight and style. The Normal style
    uses it too: column widths are measured in its digits, so Excel and LibreOffice (which
    has the metric-compatible Liberation Serif) lay the pages out alike."""
    wb._named_styles["Normal"].font = Font(name=FONT_NAME, size=11)
    cache: dict[Any, Font] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                font = cell.font
                key = (font.sz, font.b, font.i, font.color.rgb if font.color else None)
                if key not in cache:
                    cache[key] = Font(name=FONT_NAME, size=font.sz or 11, bold=font.b,
                                      italic=font.i, color=font.color)
                cell.font = cache[key]


class OverwritesInput(OSError, ValueError):
    """The report path is one of the submissions, or a file kpi did not make: refused. An
    OSError, so a caller that reports unwritable paths reports this one too (``strerror`` says
    why, in the report's language); a ValueError, as before."""


def write_report(result: AggregateResult, path: Path, lang: str = "vi") -> Path:
    """Write the consolidated report to ``path`` atomically and return the path.

    Refuses to write over one of the submissions it was built from, or over any existing file
    that is not a report kpi made. A failure while building or saving leaves no file (and no
    temporary file) behind, and never touches the inputs.
    """
    from .xlsx import occupied, write_atomic

    path = Path(path)
    # Every file of the run is off limits, but kpi's own outputs found among them (last
    # month's report left in the folder) may be replaced.
    inputs = [r.file for r in result.files if r.file]
    inputs += [p for p, why in result.skipped if why not in ("kpi-output", "marked-copy")]
    why = occupied(path, inputs)
    if why == "input":
        raise OverwritesInput(errno.EEXIST, "đây là báo cáo của một đơn vị đang được tổng hợp, "
                              "không ghi đè lên" if lang != "en"
                              else "it is one of the submissions being consolidated, not overwritten",
                              str(path))
    if why == "foreign":
        raise OverwritesInput(errno.EEXIST, "tệp đã có và không phải báo cáo do kpi tạo; hãy chọn "
                              "tên khác hoặc xóa tệp đó" if lang != "en"
                              else "the file exists and is not a report made by kpi; choose another "
                              "name or delete it", str(path))
    wb = build_report(result, lang)
    write_atomic(wb, path)
    return path
