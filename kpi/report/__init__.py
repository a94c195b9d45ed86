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
from pathlib import Path

from openpyxl import Workbook

from ..aggregate import AggregateResult
from ..plan import ReportInfo
from ..xlsx import mark_output, put, use_font
from .agencies import _agencies
from .breakdowns import _breakdowns, has_breakdowns
from .chart import _chart_sheet
from .common import SHEETS, STATUS_FILLS, Files, footer, label, sheet_title
from .data import _data
from .problems import _problems
from .submissions import _completeness
from .summary import SUMMARY_FIRST_ROW, SUMMARY_HEADER_ROW, _summary
from .trend import _trend

_put = put  # tests and older callers know it by this name

__all__ = ["SHEETS", "STATUS_FILLS", "SUMMARY_FIRST_ROW", "SUMMARY_HEADER_ROW", "OverwritesInput",
           "build_report", "sheet_title", "write_report"]


def build_report(result: AggregateResult, lang: str = "vi", info: ReportInfo | None = None) -> Workbook:
    """The report as an in-memory openpyxl Workbook; ``info``: who sends it (default: the
    plan's [report])."""
    lang = "en" if lang == "en" else "vi"
    show = Files(result)
    wb = Workbook()
    wb.properties.creator = "kpi"
    wb.properties.title = label("report_title", lang, ref=result.plan.named(lang, upper=True))
    wb.properties.created = result.generated_at
    wb.properties.modified = result.generated_at
    mark_output(wb, "report")
    summary = wb.active
    summary.title = sheet_title("summary", lang)
    _summary(summary, result, lang, info)
    _chart_sheet(wb.create_sheet(sheet_title("chart", lang)), result, lang)
    if has_breakdowns(result):
        _breakdowns(wb.create_sheet(sheet_title("breakdowns", lang)), result, lang)
    _agencies(wb.create_sheet(sheet_title("agencies", lang)), result, lang)
    _trend(wb.create_sheet(sheet_title("trend", lang)), result, lang)
    _completeness(wb.create_sheet(sheet_title("completeness", lang)), result, lang, show)
    _problems(wb.create_sheet(sheet_title("problems", lang)), result, lang, show)
    _data(wb.create_sheet(sheet_title("data", lang)), result, lang, show)
    footer(summary, lang)
    use_font(wb)
    wb.active = 0
    return wb


class OverwritesInput(OSError, ValueError):
    """The report path is one of the submissions, or a file kpi did not make: refused. An
    OSError, so a caller that reports unwritable paths reports this one too (``strerror`` says
    why, in the report's language); a ValueError, as before."""


def write_report(result: AggregateResult, path: Path, lang: str = "vi",
                 info: ReportInfo | None = None) -> Path:
    """Write the consolidated report to ``path`` atomically and return the path.

    Refuses to write over one of the submissions it was built from, or over any existing file
    that is not a report kpi made. A failure while building or saving leaves no file (and no
    temporary file) behind, and never touches the inputs.
    """
    from ..xlsx import occupied, write_atomic

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
    if why == "edited":
        raise OverwritesInput(errno.EEXIST, "báo cáo đã được sửa sau khi kpi ghi; không ghi đè"
                              if lang != "en" else "the report was changed after kpi wrote it; "
                              "not overwritten", str(path))
    wb = build_report(result, lang, info)
    write_atomic(wb, path, own=True)
    return path
