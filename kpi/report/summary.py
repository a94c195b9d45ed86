"""The first sheet: plan, period, completeness and every indicator against its target, on
one A4 page."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..i18n import t
from ..indicators import Status
from ..present import day, period_name, status_text, target_text
from ..xlsx import (
    HEADER_COLOUR,
    INT_FORMAT,
    fill,
    header,
    line_height,
    print_setup,
    put,
    thin_border,
    title,
    widths,
)
from .common import (
    STATUS_FILLS,
    count_format,
    label,
    lines,
    quoted,
    sheet_title,
    value_format,
)

SUMMARY_COLUMNS = ("code", "indicator", "target", "result", "unit", "numerator", "denominator",
                   "status", "source")
SUMMARY_WIDTHS = (17, 36, 8, 8, 8, 8, 8, 11, 48)
SUMMARY_SIZE = 9.5
SUMMARY_HEADER_ROW = 7
SUMMARY_FIRST_ROW = SUMMARY_HEADER_ROW + 1


def _summary(ws: Worksheet, result: AggregateResult, lang: str) -> None:
    plan, done = result.plan, result.completeness
    n_cols = len(SUMMARY_COLUMNS)
    last_col = get_column_letter(n_cols)
    widths(ws, SUMMARY_WIDTHS)
    total_width = sum(SUMMARY_WIDTHS)

    title(ws, label("report_title", lang, ref=plan.reference or plan.id), size=13)
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 20
    plan_title = put(ws, 2, 1, plan.title(lang))
    plan_title.font = Font(italic=True, size=10)
    plan_title.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A2:{last_col}2")
    ws.row_dimensions[2].height = lines(plan.title(lang), total_width, 10) * line_height(10) + 2

    start, end = result.window
    put(ws, 3, 1, label("period", lang)).font = Font(bold=True, size=10)
    period = put(ws, 3, 2, label("window", lang, label=f"{result.span.code} "
                               f"({period_name(result.span.code, lang)})",
                               start=day(start), end=day(end)))
    period.font = Font(size=10)
    ws.merge_cells("B3:F3")
    generated = put(ws, 3, 8, f"{label('generated', lang)}: "
                     f"{result.generated_at.strftime('%d/%m/%Y %H:%M')}")
    generated.font = Font(size=10)
    ws.merge_cells(f"H3:{last_col}3")

    # Completeness: label block A4:B5, five figures in C..G (labels above numbers), note in H:I.
    done_label = put(ws, 4, 1, label("completeness", lang))
    done_label.font = Font(bold=True, size=10)
    done_label.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells("A4:B5")
    figures = (("expected", done.expected), ("received", done.received),
               ("on_time", done.on_time), ("late", done.late), ("missing", len(done.missing)))
    for col, (key, number) in enumerate(figures, 3):
        head = put(ws, 4, col, label(key, lang))
        head.font = Font(bold=True, size=SUMMARY_SIZE)
        head.fill = fill(HEADER_COLOUR)
        head.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
        head.border = thin_border()
        cell = put(ws, 5, col, number, INT_FORMAT)
        cell.font = Font(bold=True, size=10)
        cell.alignment = Alignment(horizontal="center")
        cell.border = thin_border()
    errors = sum(i.severity == "error" for i in result.issues)
    note = put(ws, 4, 8, label(
        "missing_note", lang, absent=len(done.missing) - len(done.rejected_only),
        rejected=len(done.rejected_only), sheet_c=sheet_title("completeness", lang),
        sheet_p=sheet_title("problems", lang), errors=errors,
        warnings=len(result.issues) - errors))
    note.font = Font(size=SUMMARY_SIZE)
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(f"H4:{last_col}5")
    ws.row_dimensions[6].height = 6

    labels = {"code": t("code", lang), "indicator": t("indicator", lang),
              "target": t("target", lang), "result": t("result", lang), "unit": label("unit", lang),
              "numerator": label("numerator", lang), "denominator": label("denominator", lang),
              "status": t("status", lang), "source": t("source", lang)}
    header(ws, SUMMARY_HEADER_ROW, [labels[c] for c in SUMMARY_COLUMNS], size=SUMMARY_SIZE)
    ws.row_dimensions[SUMMARY_HEADER_ROW].height = 2 * line_height(SUMMARY_SIZE) + 2

    row = SUMMARY_FIRST_ROW
    wrap = Alignment(wrap_text=True, vertical="center")
    for ind in result.indicators:
        cells = {
            "code": put(ws, row, 1, ind.code),
            "indicator": put(ws, row, 2, ind.name(lang)),
            "target": put(ws, row, 3, target_text(ind.comparator, ind.target, ind.unit_for(lang), lang)
                          + (" *" if ind.provisional else "")),
            "result": put(ws, row, 4, ind.value, value_format(ind)),
            "unit": put(ws, row, 5, ind.unit_for(lang)),
            "numerator": put(ws, row, 6, ind.numerator, count_format(ind.numerator)),
            "denominator": put(ws, row, 7, ind.denominator, count_format(ind.denominator)),
            "status": put(ws, row, 8, status_text(ind.status, lang)),
            "source": put(ws, row, 9, quoted(ind.source)),
        }
        for key, cell in cells.items():
            cell.border = thin_border()
            cell.font = Font(size=SUMMARY_SIZE, bold=key in ("result", "status"),
                             italic=key == "source")
            cell.alignment = (wrap if key in ("indicator", "source", "status")
                              else Alignment(vertical="center",
                                             horizontal="center" if key in ("target", "unit")
                                             else None))
        cells["code"].font = Font(size=SUMMARY_SIZE - 1)
        cells["status"].fill = fill(STATUS_FILLS.get(Status(ind.status), "FFFFFF"))
        cells["status"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        wrapped = max(lines(ind.name(lang), SUMMARY_WIDTHS[1], SUMMARY_SIZE),
                    lines(cells["source"].value or "", SUMMARY_WIDTHS[8], SUMMARY_SIZE),
                    lines(cells["status"].value, SUMMARY_WIDTHS[7], SUMMARY_SIZE))
        ws.row_dimensions[row].height = wrapped * line_height(SUMMARY_SIZE) + 3
        row += 1
    last = row - 1
    ws.auto_filter.ref = f"A{SUMMARY_HEADER_ROW}:{last_col}{last}"
    ws.freeze_panes = f"A{SUMMARY_FIRST_ROW}"

    footnote = label("footnote", lang)
    bases = dict.fromkeys(i.basis(lang) for i in result.indicators if i.provisional)
    if bases:
        footnote += " * " + t("provisional_note", lang, basis="; ".join(b for b in bases if b))
    foot = put(ws, last + 1, 1, footnote)
    foot.font = Font(italic=True, size=8)
    foot.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(f"A{last + 1}:{last_col}{last + 1}")
    ws.row_dimensions[last + 1].height = lines(foot.value, total_width, 8) * line_height(8) + 2

    print_setup(ws, SUMMARY_HEADER_ROW, fit_height=True)
    ws.print_area = f"A1:{last_col}{last + 1}"
    ws.page_setup.horizontalDpi = ws.page_setup.verticalDpi = 300
