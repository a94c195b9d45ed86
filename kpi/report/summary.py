"""The first sheet: the report as the Committee receives it, laid out as an administrative
document of Decree 30/2020/NĐ-CP (issuing body, national motto, number, place and date, title
naming the period in words, the plan cited, "Kính gửi", "Nơi nhận", signature), holding
completeness and every indicator against its target with its year to date and the same period
last year, on one A4 page. No codes: they stay on the audit sheets."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import AggregateResult
from ..compare import Comparison, change
from ..i18n import t
from ..indicators import IndicatorResult, Status
from ..narrative import amount, judged_words
from ..plan import ReportInfo
from ..present import (
    day,
    month_label,
    period_name,
    period_title,
    provisional_note,
    status_text,
    target_text,
    unit_for_value,
)
from ..xlsx import (
    HEADER_COLOUR,
    INT_FORMAT,
    fill,
    header,
    line_height,
    print_setup,
    put,
    thin_border,
    widths,
)
from .common import (
    STATUS_FILLS,
    count_format,
    label,
    lines,
    sheet_title,
    value_format,
)

SUMMARY_COLUMNS = ("number", "indicator", "target", "result", "numerator", "denominator", "ytd",
                   "last_year", "change", "status")
SUMMARY_WIDTHS = (5, 46, 10, 13, 7, 7, 13, 13, 12, 13)
SUMMARY_SIZE = 9.5
SUMMARY_HEADER_ROW = 13
SUMMARY_FIRST_ROW = SUMMARY_HEADER_ROW + 1
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
POINTS_FORMAT = '+0.0" điểm %";-0.0" điểm %";0.0" điểm %"'
POINTS_FORMAT_EN = '+0.0" pts";-0.0" pts";0.0" pts"'
DIFF_FORMAT = "+#,##0;-#,##0;0"


def report_info(result: AggregateResult, info: ReportInfo | None) -> ReportInfo:
    return info if info is not None else result.plan.report


def _summary(ws: Worksheet, result: AggregateResult, lang: str, info: ReportInfo | None = None) -> None:
    done = result.completeness
    info = report_info(result, info)
    n_cols = len(SUMMARY_COLUMNS)
    last_col = get_column_letter(n_cols)
    widths(ws, SUMMARY_WIDTHS)
    total_width = sum(SUMMARY_WIDTHS)

    row = document_head(ws, result, lang, info, n_cols)

    start, end = result.window
    period = put(ws, row, 1, label("window_line", lang, label=period_name(result.span.code, lang),
                                   start=day(start), end=day(end),
                                   generated=result.generated_at.strftime("%d/%m/%Y %H:%M")))
    period.font = Font(size=10)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    row += 1

    # Completeness: label A:B over two rows, five figures in C..G (labels above numbers), note after.
    done_label = put(ws, row, 1, label("completeness", lang))
    done_label.font = Font(bold=True, size=10)
    done_label.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=2)
    figures = (("expected", done.expected), ("received", done.received),
               ("on_time", done.on_time), ("late", done.late), ("missing", len(done.missing)))
    for col, (key, number) in enumerate(figures, 3):
        head = put(ws, row, col, label(key, lang))
        head.font = Font(bold=True, size=SUMMARY_SIZE)
        head.fill = fill(HEADER_COLOUR)
        head.alignment = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
        head.border = thin_border()
        cell = put(ws, row + 1, col, number, INT_FORMAT)
        cell.font = Font(bold=True, size=10)
        cell.alignment = Alignment(horizontal="center")
        cell.border = thin_border()
    errors = sum(i.severity == "error" for i in result.issues)
    note = put(ws, row, 8, label(
        "missing_note", lang, absent=len(done.missing) - len(done.rejected_only),
        rejected=len(done.rejected_only), sheet_c=sheet_title("completeness", lang),
        sheet_p=sheet_title("problems", lang), errors=errors,
        warnings=len(result.issues) - errors))
    note.font = Font(size=SUMMARY_SIZE)
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=row, start_column=8, end_row=row + 1, end_column=n_cols)
    ws.row_dimensions[row + 2].height = 6
    assert row + 3 == SUMMARY_HEADER_ROW, "the header row moved: update SUMMARY_HEADER_ROW"

    ytd, last_year = result.year_to_date, result.last_year
    labels = {"number": label("number", lang), "indicator": t("indicator", lang),
              "target": t("target", lang), "result": label("this_period", lang),
              "numerator": label("numerator", lang), "denominator": label("denominator", lang),
              "ytd": comparison_heading(ytd, lang), "last_year": comparison_heading(last_year, lang),
              "change": label("change", lang), "status": t("status", lang)}
    header(ws, SUMMARY_HEADER_ROW, [labels[c] for c in SUMMARY_COLUMNS], size=SUMMARY_SIZE)
    ws.row_dimensions[SUMMARY_HEADER_ROW].height = max(
        lines(labels[c], w, SUMMARY_SIZE) for c, w in zip(SUMMARY_COLUMNS, SUMMARY_WIDTHS, strict=True)
    ) * line_height(SUMMARY_SIZE) + 4
    for col in range(1, n_cols + 1):
        ws.cell(SUMMARY_HEADER_ROW, col).alignment = CENTER

    row = SUMMARY_FIRST_ROW
    wrap = Alignment(wrap_text=True, vertical="center")
    for number, ind in enumerate(result.indicators, 1):
        status = status_text(ind.status, lang, ind.no_data_reason)
        if ind.no_data_reason == "no-reports" and ind.expected is not None:
            status += "\n" + t("status_reports", lang, received=ind.received, expected=ind.expected)
        if result.provisional and ind.status in (Status.MET, Status.NOT_MET):
            status += "\n" + label("partial_status", lang)  # how many months: in the footnote
        if ind.judged_value is not None:  # judged on the year to date (the plan's judged_on)
            status += "\n" + judged_words(ind, lang)
        cells = {
            "number": put(ws, row, 1, number),
            "indicator": put(ws, row, 2, ind.name(lang)),
            "target": put(ws, row, 3, target_text(ind.comparator, ind.target, ind.unit_for(lang), lang)
                          + (" *" if ind.provisional else "")),
            "result": shown_value(ws, row, 4, ind, lang),
            "numerator": put(ws, row, 5, ind.numerator, count_format(ind.numerator)),
            "denominator": put(ws, row, 6, ind.denominator, count_format(ind.denominator)),
            "ytd": comparison_value(ws, row, 7, ytd, ind, lang),
            "last_year": comparison_value(ws, row, 8, last_year, ind, lang),
            "change": change_value(ws, row, 9, last_year, ind, lang),
            "status": put(ws, row, 10, status),
        }
        for key, cell in cells.items():
            cell.border = thin_border()
            cell.font = Font(size=SUMMARY_SIZE, bold=key in ("result", "status"))
            cell.alignment = (wrap if key == "indicator"
                              else CENTER if key in ("number", "target", "status")
                              else Alignment(vertical="center", horizontal="right", wrap_text=True))
        cells["status"].fill = fill(STATUS_FILLS.get(Status(ind.status), "FFFFFF"))
        wrapped = max(lines(ind.name(lang), SUMMARY_WIDTHS[1], SUMMARY_SIZE),
                      lines(status, SUMMARY_WIDTHS[9], SUMMARY_SIZE),
                      *(lines(cells[k].value, SUMMARY_WIDTHS[i], SUMMARY_SIZE)
                        for i, k in ((2, "target"), (6, "ytd"), (7, "last_year"))
                        if isinstance(cells[k].value, str)))  # numbers never wrap
        ws.row_dimensions[row].height = wrapped * line_height(SUMMARY_SIZE) + 3
        row += 1
    last = row - 1
    ws.print_title_rows = f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}"

    foot = put(ws, last + 1, 1, footnote(result, lang))
    foot.font = Font(italic=True, size=8)
    foot.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=n_cols)
    ws.row_dimensions[last + 1].height = lines(foot.value, total_width, 8) * line_height(8) + 2

    end_row = signature_block(ws, last + 3, info, lang, n_cols)
    print_setup(ws, None)  # one page wide; a long plan runs onto a second page, header repeated
    ws.print_area = f"A1:{last_col}{end_row}"
    ws.page_setup.horizontalDpi = ws.page_setup.verticalDpi = 300


def document_head(ws: Worksheet, result: AggregateResult, lang: str, info: ReportInfo,
                  n_cols: int) -> int:
    """Rows 1-8: issuing body and national motto side by side, number and place-date, the
    title with the period in words, the plan cited, the recipients. Returns the next row."""
    left_end, right_start = 3, 5

    def block(row: int, first: int, last: int, text: str, font: Font, height: float = 17) -> None:
        cell = put(ws, row, first, text)
        cell.font = font
        cell.alignment = CENTER
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)

    year = result.generated_at.year
    block(1, 1, left_end, info.issuer_parent_vi.upper(), Font(size=12))
    block(1, right_start, n_cols, label("motto", lang), Font(bold=True, size=12))
    block(2, 1, left_end, info.issuer_vi.upper() or label("issuer_blank", lang), Font(bold=True, size=12))
    block(2, right_start, n_cols, label("tagline", lang), Font(bold=True, size=13, underline="single"))
    ws.cell(2, 1).border = Border(bottom=Side(style="thin"))  # the short rule under the issuer
    block(3, 1, left_end, label("doc_number", lang, suffix=info.number_suffix or "BC"), Font(size=13))
    place = info.place_vi or result.plan.province
    block(3, right_start, n_cols, label("place_date", lang, place=place, year=year),
          Font(italic=True, size=13))
    ws.row_dimensions[4].height = 8
    block(5, 1, n_cols, label("doc_kind", lang), Font(bold=True, size=14), 20)
    subject = label("subject", lang, subject=subject_text(result, lang, info),
                    period=period_title(result.span.code, lang)).upper()
    # Capitals and italics run wider than the estimate's average letter: a margin of a fifth.
    block(6, 1, n_cols, subject, Font(bold=True, size=13),
          lines(subject, sum(SUMMARY_WIDTHS) * 0.8, 13) * line_height(13) + 2)
    cited = label("cited", lang, cited=info.cited(lang) or result.plan.title(lang))
    block(7, 1, n_cols, cited, Font(italic=True, size=12),
          lines(cited, sum(SUMMARY_WIDTHS) * 0.8, 12) * line_height(12) + 4)
    recipients = "; ".join(info.recipients_vi) or "…"
    block(8, 1, n_cols, label("to", lang, to=recipients), Font(size=13), 20)
    return 9


def subject_text(result: AggregateResult, lang: str, info: ReportInfo | None = None) -> str:
    """What the report is about, for its title: the plan's subject ("công tác phòng, chống mua
    bán người"), else the plan by its reference."""
    info = report_info(result, info)
    return (info.subject(lang) or label("subject_plan", lang, ref=result.plan.named(lang))).upper()


def signature_block(ws: Worksheet, row: int, info: ReportInfo, lang: str, n_cols: int) -> int:
    """"Nơi nhận" on the left, the signer on the right (Decree 30/2020, Appendix I).
    Returns the last row used."""
    copies = [label("copies_same", lang), *info.copies_vi]
    head = put(ws, row, 1, label("copies", lang))
    head.font = Font(bold=True, italic=True, size=12)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for i, text in enumerate(copies, 1):
        cell = put(ws, row + i, 1, f"- {text}{'.' if i == len(copies) else ';'}")
        cell.font = Font(size=11)
        ws.merge_cells(start_row=row + i, start_column=1, end_row=row + i, end_column=3)
    right = 7
    title_text = info.signer_title_vi.upper() or label("signer_blank", lang)
    signer = put(ws, row, right, title_text)
    signer.font = Font(bold=True, size=13)
    signer.alignment = CENTER
    ws.row_dimensions[row].height = (title_text.count("\n") + 1) * line_height(13) + 2
    ws.merge_cells(start_row=row, start_column=right, end_row=row, end_column=n_cols)
    hint = put(ws, row + 1, right, label("sign_hint", lang))
    hint.font = Font(italic=True, size=11)
    hint.alignment = CENTER
    ws.merge_cells(start_row=row + 1, start_column=right, end_row=row + 1, end_column=n_cols)
    name_row = row + max(len(copies) + 1, 6)
    name = put(ws, name_row, right, info.signer_name)
    name.font = Font(bold=True, size=13)
    name.alignment = CENTER
    ws.merge_cells(start_row=name_row, start_column=right, end_row=name_row, end_column=n_cols)
    return name_row


def comparison_heading(comp: Comparison, lang: str) -> str:
    """"Lũy kế từ 01/2026" / "Cùng kỳ Tháng 8/2025"."""
    if comp.span is None:
        return label(f"{comp.kind}_head", lang, span="")
    if comp.kind == "ytd":
        text = label("ytd_head", lang, start=month_label(comp.span.first, lang))
    else:
        name = period_name(comp.span.code, lang)
        # "tháng 8/2025", "quý III/2025": only the first letter drops its capital
        text = label("last_year_head", lang, span=name[:1].lower() + name[1:] if lang != "en" else name)
    if comp.result is not None and comp.result.partial:  # say how much of it has data
        text += " " + label("months_data", lang, n=len(comp.result.months_with_data),
                            total=len(comp.span.months))
    return text


def comparison_value(ws: Worksheet, row: int, col: int, comp: Comparison, ind: IndicatorResult,
                     lang: str):
    """The indicator in that reading: its value, or in words why there is none (never 0)."""
    if not comp.available:
        return put(ws, row, col, label("no_data_yet", lang))
    other = comp.by_code.get(ind.code)
    if other is None:
        return put(ws, row, col, label("not_in_plan", lang))
    if other.status == Status.NO_DATA:
        return put(ws, row, col, status_text(other.status, lang, other.no_data_reason))
    if comp.kind == "ytd" and ind.stock and other.value is not None:
        # A stock has no "lũy kế": its value at the end, said so in the cell (in words on two
        # lines: a number format this long would not fit the column and show "###").
        return put(ws, row, col, amount(other.value, other.unit_for(lang), lang)
                   + f"\n({label('ytd_stock', lang)})")
    return shown_value(ws, row, col, other, lang)


def change_value(ws: Worksheet, row: int, col: int, comp: Comparison, ind: IndicatorResult,
                 lang: str):
    """This period less the same period last year: percentage points for a rate."""
    other = comp.indicator(ind.code) if comp.available else None
    diff = change(ind, other)
    if diff is None:
        return put(ws, row, col, "—")
    if ind.unit == "%":
        return put(ws, row, col, diff, POINTS_FORMAT_EN if lang == "en" else POINTS_FORMAT)
    return put(ws, row, col, diff, DIFF_FORMAT if float(diff).is_integer() else "+#,##0.0;-#,##0.0;0")


def shown_value(ws: Worksheet, row: int, col: int, ind: IndicatorResult, lang: str):
    """A value as a real number with its unit in the number format ("83,3 %", "152 tin, bài")."""
    if ind.value is None:
        return put(ws, row, col, "—")
    fmt = value_format(ind)
    unit = unit_for_value(ind.unit_for(lang), ind.value, lang)
    if unit:
        fmt = f'{fmt}" {unit}"'
    return put(ws, row, col, ind.value, fmt)


def footnote(result: AggregateResult, lang: str) -> str:
    """How the figures are made, exactly; provisional targets, partial spans and comparisons
    read under another plan say so here."""
    parts = [label("footnote_exact", lang)]
    if result.partial:
        parts.append(label("partial_note", lang, n=len(result.months_with_data),
                           total=len(result.span.months),
                           months=", ".join(m[5:] + "/" + m[:4] for m in result.months_with_data)
                           or "—"))
    if result.is_open:
        parts.append(t("open_note", lang, end=day(result.window[1])))
    if any(i.no_data_reason == "no-reports" for i in result.indicators):
        parts.append(t("rp_no_reports_note", lang))
    ytd, last_year = result.year_to_date, result.last_year
    if ytd.clipped and ytd.span is not None:
        parts.append(label("ytd_clipped", lang, start=ytd.span.first[5:] + "/" + ytd.span.first[:4]))
    for comp, what in ((ytd, "reading_ytd"), (last_year, "reading_last_year")):
        other = comp.result
        if other is None or other is result or comp.span is None:
            continue
        done = other.completeness
        if done.received < done.expected:
            parts.append(label("reading_incomplete", lang, received=done.received,
                               expected=done.expected, missing=done.expected - done.received,
                               what=label(what, lang, start=month_label(comp.span.first, lang))))
    if last_year.available and last_year.result is not None and last_year.result.plan is not result.plan:
        parts.append(label("other_plan_note", lang, ref=last_year.result.plan.named(lang)))
    judged = [i.name(lang) for i in result.indicators if i.judged_value is not None]
    if judged:
        parts.append(label("judged_year_note", lang, names="; ".join(judged)))
    stocks = [i.name(lang) for i in result.indicators if i.stock]
    if stocks and ytd.available:
        parts.append(label("stock_note", lang, names="; ".join(stocks)))
    bases = [i.basis(lang) for i in result.indicators if i.provisional]
    if bases:
        parts.append("* " + provisional_note(bases, lang))
    return " ".join(parts)
