"""Blank Excel templates, one per agency: cover, instructions, and one sheet per form.

Every input row carries its code in column A and takes its value in column E, so readers find
values by code. Only columns E and F (and the place, date and names under a form) are unlocked;
sheets are protected without a password so the layout survives while a clerk can still make a
row taller, or unprotect the sheet when really needed.

On paper: each sheet prints one A4 page wide in portrait at 100 % (kpi.layout.COLUMNS), every
row as tall as its wrapped text (kpi.xlsx.fit_row_heights), one font (Times New Roman), and
each form ends with the place and date and the signatures of "Người lập biểu" and "Thủ trưởng
đơn vị", with no code in column A so they are never read as data.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from .i18n import t
from .layout import (
    COLUMNS,
    COVER_COLUMNS,
    COVER_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    HELP_SHEET,
    HELP_WIDTH,
    META_CODES,
    META_TEXT_KEYS,
)
from .periods import RHYTHMS, Span, period_kind, period_months
from .plan import Agency, Plan
from .present import day, period_label, period_name
from .xlsx import fit_a4, fit_row_heights, use_font, write_atomic

__all__ = ["build_template", "fit_a4", "fit_row_heights", "instructions", "signature_block",
           "template_name", "write_atomic", "write_templates"]

FIXED_TIME = datetime(2021, 5, 17)  # the plan's date: keeps generated files stable
HEADERS = ("Mã", "STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
COVER_HEADERS = ("Mã", "STT", "Thông tin", "Cách ghi", "Nội dung", "Ghi chú")
RHYTHM_SLUG = {"quarterly": "quy", "half-yearly": "6-thang", "yearly": "nam"}
PERIOD_HINT = {"month": "Tháng/năm", "quarter": "Quý/năm", "half": "6 tháng/năm", "year": "Năm"}
PERIOD_WORDS = {"month": ("tháng", "mỗi tháng"), "quarter": ("quý", "mỗi quý"),
                "half": ("6 tháng", "mỗi 6 tháng"), "year": ("năm", "mỗi năm")}


def _stable_example(plan: Plan, rhythm: str) -> str:
    """The example period of a blank template: the plan's first, so the file does not change
    from month to month (templates_xlsx/ is compared with what the generator writes)."""
    first = plan.coverage_start
    return plan.example_period(rhythm, date(int(first[:4]), int(first[5:]), 1))


def template_name(agency: Agency, period: str | None = None, rhythm: str | None = None) -> str:
    """``CA_TINH_2025-10.xlsx``; without a period ``CA_TINH.xlsx`` for the agency's main rhythm,
    ``CA_TINH_quy.xlsx`` for the quarterly forms of an agency that also reports monthly."""
    if period:
        return f"{agency.code}_{period}.xlsx"
    if rhythm and agency.rhythms and rhythm != agency.rhythms[0]:
        return f"{agency.code}_{RHYTHM_SLUG.get(rhythm, rhythm)}.xlsx"
    return f"{agency.code}.xlsx"


def _rhythm(agency: Agency, period: str | None, rhythm: str | None) -> str:
    if rhythm:
        return rhythm
    if period:
        kind = period_kind(period)
        for own in agency.rhythms:
            if RHYTHMS[own] == kind:
                return own
    return agency.rhythms[0] if agency.rhythms else "monthly"


def deadline_rule(plan: Plan) -> str:
    """When a report is due, in words, from the plan's rule (never a day number computed by
    adding to the cut-off: "ngày 35" is no day)."""
    cal = plan.calendar
    if cal.deadline_day is not None:
        return f"chậm nhất ngày {cal.deadline_day} của tháng sau kỳ báo cáo"
    if cal.deadline_days:
        return f"chậm nhất {cal.deadline_days} ngày sau ngày cuối của kỳ báo cáo"
    return "trong ngày cuối của kỳ báo cáo"


def window_rule(plan: Plan) -> str:
    """What a month covers, in words."""
    cutoff = plan.calendar.cutoff_day
    if plan.calendar.calendar_months or cutoff is None:
        return "Số liệu mỗi tháng là số liệu của tháng dương lịch (từ ngày 1 đến ngày cuối tháng)."
    return (f"Số liệu mỗi tháng tính từ ngày sau ngày {cutoff} của tháng trước đến hết ngày {cutoff} "
            "của tháng báo cáo.")


def instructions(plan: Plan, agency: Agency, period: str | None = None,
                 rhythm: str | None = None) -> list[str]:
    """The instructions sheet: how to fill the template, with the period's real dates."""
    rhythm = _rhythm(agency, period, rhythm)
    kind = RHYTHMS[rhythm]
    example = period or _stable_example(plan, rhythm)
    start, end = plan.calendar.window(example)
    due = plan.calendar.deadline(example)
    one, each = PERIOD_WORDS[kind]
    if period:
        dates = (f"2. Kỳ báo cáo của tệp này: {period_name(period)}, số liệu từ ngày "
                 f"{day(start)} đến ngày {day(end)}. Hạn gửi: ngày {day(due)}.")
    else:
        dates = (f"2. Hạn gửi: {deadline_rule(plan)}. Ví dụ, {period_name(example)}: số liệu "
                 f"từ ngày {day(start)} đến ngày {day(end)}, hạn gửi ngày {day(due)}.")
    forms = agency.forms_for(rhythm)
    return [
        "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
        "",
        f"1. Đơn vị gửi một tệp cho {each} báo cáo. {window_rule(plan)}",
        dates,
        f"3. Ở trang 'Thông tin chung', ghi kỳ báo cáo (ví dụ {period_label(example)}), người lập, "
        f"số điện thoại và ngày gửi (ví dụ {day(due)}).",
        "4. Chỉ ghi vào cột E (Số liệu) và cột F (Ghi chú). Không sửa, xóa hay thêm dòng, "
        "không sửa mã ở cột A.",
        "5. Mọi chỉ tiêu là số nguyên không âm. Nếu không phát sinh, ghi 0; không để trống.",
        "6. Không ghi số thập phân, không ghi chữ vào cột số liệu. Có thể ghi 1.234 hoặc 1234.",
        *([f"   Chỉ tiêu có bảng chia nhỏ (theo {_grid_words(plan, agency, rhythm)}): ghi số vào "
           "từng ô của bảng, các ô cộng lại phải bằng số tổng ngay trên bảng; ô để trống không "
           "được coi là 0, trừ khi số tổng bằng 0 (khi đó có thể để trống cả bảng)."]
          if _grid_words(plan, agency, rhythm) else []),
        "7. Có thể lưu tệp dạng .xlsx, .xls hoặc .ods; không đặt mật khẩu cho tệp.",
        f"8. Nếu gửi lại bản sửa cho cùng {one}, ghi ngày gửi mới: bản gửi sau thay bản trước.",
        "",
        f"Đơn vị: {agency.code} - {agency.name_vi}",
        "Các biểu phải báo cáo: " + ", ".join(plan.form_by_code[f].sheet for f in forms),
        "",
        f"Căn cứ: {plan.named('vi')} - {plan.title_vi}",
    ]


def _grid_words(plan: Plan, agency: Agency, rhythm: str) -> str:
    """The categories the agency's breakdown grids use, in words ("giới tính, độ tuổi")."""
    names = [c.name_vi.lower() for f in agency.forms_for(rhythm) for e in plan.elements_of(f)
             for b in e.breakdowns for c in b]
    return ", ".join(dict.fromkeys(names))


def build_template(plan: Plan, agency: Agency, period: str | None = None,
                   rhythm: str | None = None):  # -> Workbook
    """The blank workbook for one agency and rhythm (and optionally one period)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    title_font = Font(bold=True, size=13)
    code_font = Font(color="808080", size=9)
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    unlocked = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="center")
    # A code stays on one line, shrunk when long: broken over two it reads as another code.
    code_align = Alignment(shrink_to_fit=True, vertical="center")
    number_align = Alignment(horizontal="center", vertical="center")

    wb = Workbook()
    wb.properties.creator = "kpi"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME

    def setup(ws, title: str, subtitle: str, headers: tuple[str, ...],
              columns: tuple[tuple[str, int], ...] = COLUMNS) -> None:
        for letter, width in columns:
            ws.column_dimensions[letter].width = width
        # The title and the line under it run across the sheet, centred, wrapped when long.
        for r, text, font in ((1, title, title_font), (2, subtitle, Font(italic=True))):
            cell = ws.cell(r, 1, text)
            cell.font = font
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
        for col, text in enumerate(headers, 1):
            cell = ws.cell(HEADER_ROW, col, text)
            cell.font = bold
            cell.fill = header_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.freeze_panes = f"A{FIRST_ROW}"
        fit_a4(ws, "portrait", HEADER_ROW)
        ws.page_margins.left = ws.page_margins.right = 0.5
        protect(ws)

    def row(ws, r: int, code: str, number: int, label: str, hint: str) -> None:
        values = (code, number, label, hint)
        for col, value in enumerate(values, 1):
            cell = ws.cell(r, col, value)
            cell.border = border
            cell.alignment = wrap
        ws.cell(r, 1).font = code_font
        ws.cell(r, 1).alignment = code_align
        ws.cell(r, 2).alignment = number_align
        for col in (5, 6):
            cell = ws.cell(r, col)
            cell.protection = unlocked
            cell.border = border
            cell.fill = input_fill if col == 5 else PatternFill()
            cell.alignment = wrap  # a note wraps in its narrow column

    rhythm = _rhythm(agency, period, rhythm)
    example = period or _stable_example(plan, rhythm)
    hints = {
        "META_AGENCY": "Mã đơn vị",
        "META_PERIOD": f"{PERIOD_HINT[RHYTHMS[rhythm]]}, ví dụ {period_label(example)}",
        "META_REPORTER": "Họ và tên",
        "META_PHONE": "Ví dụ 0912 345 678",
        "META_SUBMITTED": f"Ngày/tháng/năm, ví dụ {day(plan.calendar.deadline(example))}",
    }
    subtitle = f"Đơn vị: {agency.code} - {agency.name_vi}"
    cover = wb.active
    cover.title = COVER_SHEET
    setup(cover, f"BÁO CÁO KẾT QUẢ THỰC HIỆN {plan.named('vi', upper=True)}".strip(),
          plan.title_vi, COVER_HEADERS, COVER_COLUMNS)
    for i, code in enumerate(META_CODES):
        r = FIRST_ROW + i
        row(cover, r, code, i + 1, t(META_TEXT_KEYS[code], "vi"), hints[code])
        cover.row_dimensions[r].height = 24  # room to write by hand on a printed cover
    agency_cell = cover.cell(FIRST_ROW, 5, agency.code)
    cover.cell(FIRST_ROW, 4).value = agency.name_vi
    period_cell = cover.cell(FIRST_ROW + 1, 5)
    period_cell.number_format = "@"
    if period:
        period_cell.value = period_label(period)
    # Text, so a phone number keeps its leading zero (0912 ..., 0255 ...) in Excel and LibreOffice.
    cover.cell(FIRST_ROW + 3, 5).number_format = "@"
    submitted = cover.cell(FIRST_ROW + 4, 5)
    submitted.number_format = "DD/MM/YYYY"
    # The agency of a template is fixed; a marked copy that asks to change it unlocks it.
    agency_cell.protection = Protection(locked=True)
    agency_cell.fill = PatternFill()
    date_check = DataValidation(
        type="date", operator="greaterThan", formula1="36526", allow_blank=True,
        showErrorMessage=True, errorTitle="Ngày không hợp lệ",
        error="Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 17/10/2025.")
    cover.add_data_validation(date_check)
    date_check.add(submitted.coordinate)
    cover.print_area = f"A1:F{FIRST_ROW + len(META_CODES) - 1}"

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = HELP_WIDTH  # one A4 page wide, portrait, at 100 %
    for r, text in enumerate(instructions(plan, agency, period, rhythm), 1):
        cell = help_ws.cell(r, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = title_font
    fit_a4(help_ws, "portrait")
    help_ws.page_margins.left = help_ws.page_margins.right = 0.5
    protect(help_ws)

    for form_code in agency.forms_for(rhythm):
        form = plan.form_by_code[form_code]
        ws = wb.create_sheet(form.sheet)
        setup(ws, form.title_vi.upper(), subtitle, HEADERS)
        elements = plan.elements_of(form_code)
        inputs: list[tuple[int, int]] = []  # (row, value columns): cells for the input check
        r, widest = FIRST_ROW, 6
        for i, element in enumerate(elements):
            row(ws, r, element.code, i + 1, element.name_vi, element.unit_vi)
            inputs.append((r, 1))
            total_row, r = r, r + 1
            for breakdown in element.breakdowns:
                r, used = _grid(ws, r, element, breakdown, total_row, inputs,
                                dict(border=border, wrap=wrap, code_font=code_font,
                                     code_align=code_align, unlocked=unlocked, input_fill=input_fill,
                                     header_fill=header_fill, bold=bold))
                widest = max(widest, used)
        check = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            showErrorMessage=True, errorTitle="Số liệu không hợp lệ",
            error="Chỉ nhập số nguyên không âm (0, 1, 2, ...). Nếu không phát sinh, ghi 0.",
            showInputMessage=True, promptTitle="Số liệu",
            prompt="Số nguyên không âm; không phát sinh ghi 0.")
        ws.add_data_validation(check)
        for cells in _ranges(inputs):
            check.add(cells)
        last = signature_block(ws, r + 1, widest)
        ws.print_area = f"A1:{chr(64 + widest)}{last}"
    use_font(wb)  # one font, the administrative one, as in the report
    for ws in wb.worksheets:
        fit_row_heights(ws)
    return wb


def protect(ws) -> None:
    """Protect the layout, not a secret: no password, and rows and columns may still be made
    taller or wider (a clerk whose Excel wraps a label on one more line can see all of it)."""
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


SIGNERS = (("Người lập biểu", "(Ký, ghi rõ họ tên)"),
           ("Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên, đóng dấu)"))
PLACE_DATE = "……, ngày … tháng … năm …"
SIGN_SPACE = 4  # empty rows left to sign in


def signature_block(ws, first: int, widest: int = 6) -> int:
    """The signatures under a form, as on every Vietnamese report form: the place and date, then
    "Người lập biểu" on the left (columns B-C) and "Thủ trưởng đơn vị" with the seal on the right
    (columns D to the last). Nothing in column A: no code, so kpi never reads it as data. The
    place and date and the two name lines are open for typing. Returns its last row."""
    from openpyxl.styles import Alignment, Font, Protection

    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last_col = max(widest, 6)
    blocks = ((2, 3), (4, last_col))  # (first column, last column) of each signer

    def put_text(r: int, cols: tuple[int, int], text: str | None, font: Font | None = None,
                 editable: bool = False) -> None:
        cell = ws.cell(r, cols[0], text)
        cell.alignment = centre
        if font is not None:
            cell.font = font
        if editable:
            cell.protection = Protection(locked=False)
        if cols[1] > cols[0]:
            ws.merge_cells(start_row=r, start_column=cols[0], end_row=r, end_column=cols[1])

    put_text(first, blocks[1], PLACE_DATE, Font(italic=True), editable=True)
    for (title, how), cols in zip(SIGNERS, blocks, strict=True):
        put_text(first + 1, cols, title, Font(bold=True))
        put_text(first + 2, cols, how, Font(italic=True))
    for r in range(first + 3, first + 3 + SIGN_SPACE):
        ws.row_dimensions[r].height = 18
    name_row = first + 3 + SIGN_SPACE
    for cols in blocks:
        put_text(name_row, cols, None, Font(bold=True), editable=True)
    return name_row


def _ranges(inputs: list[tuple[int, int]]) -> list[str]:
    """Value cells as few ranges as possible (E5:E12, E14:F16): rows that follow one another
    with the same number of value columns make one range."""
    blocks: list[list[int]] = []  # [first row, last row, columns]
    for r, width in inputs:
        if blocks and blocks[-1][1] == r - 1 and blocks[-1][2] == width:
            blocks[-1][1] = r
        else:
            blocks.append([r, r, width])
    return [f"E{first}:{chr(68 + width)}{last}" for first, last, width in blocks]


def _grid(ws, r: int, element, breakdown, total_row: int, inputs: list[tuple[int, int]],
          style: dict) -> tuple[int, int]:
    """The grid breaking ``element`` down, from row ``r``: a heading row naming the
    categories (and, for two crossed, the options across over columns E, F ...), then one row
    per option of the category running down, coded ``ELEMENT.OPTION`` in column A so it is
    found wherever rows move. Returns the next free row and the last column used."""
    from openpyxl.styles import Alignment, Font

    across, down = (None, breakdown[0]) if len(breakdown) == 1 else breakdown
    names = " và ".join(c.name_vi.lower() for c in breakdown)
    heading = ws.cell(r, 3, f"Chia theo {names} (cộng lại bằng ô E{total_row}; tổng bằng 0 thì để trống)")
    heading.font = Font(italic=True)
    heading.alignment = style["wrap"]
    width = len(across.options) if across else 1
    for col in range(1, 5 + width):
        ws.cell(r, col).border = style["border"]
    if across:
        for j, option in enumerate(across.options):
            cell = ws.cell(r, 5 + j, option.name_vi)
            cell.font = style["bold"]
            cell.fill = style["header_fill"]
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r += 1
    for option in down.options:
        for col, value in enumerate((f"{element.code}.{option.code}", None,
                                     f"    {option.name_vi}", element.unit_vi), 1):
            cell = ws.cell(r, col, value)
            cell.border = style["border"]
            cell.alignment = style["wrap"]
        ws.cell(r, 1).font = style["code_font"]
        ws.cell(r, 1).alignment = style["code_align"]
        for j in range(width):
            cell = ws.cell(r, 5 + j)
            cell.protection = style["unlocked"]
            cell.border = style["border"]
            cell.fill = style["input_fill"]
        if width == 1:  # the note column stays a note
            ws.cell(r, 6).protection = style["unlocked"]
            ws.cell(r, 6).border = style["border"]
        inputs.append((r, width))
        r += 1
    return r, 4 + max(width, 2)


class TemplateRefused(Exception):
    """Templates not written because a file kpi did not make has their name."""

    def __init__(self, paths: list[Path], written: list[Path]) -> None:
        self.paths, self.written = paths, written
        super().__init__(", ".join(map(str, paths)))


def submission_among(folder: Path) -> Path | None:
    """A file at the top of ``folder`` that kpi would read as an agency's submission (a
    spreadsheet with a cover sheet, not a blank template or another output of kpi's), or None.
    A folder holding one is a submissions folder: blank templates do not go there."""
    from .container import ReadError
    from .read import SPREADSHEET_SUFFIXES, is_lock_file, read_workbook, rows_digest

    try:
        entries = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return None
    for path in entries:
        if path.suffix.lower() not in SPREADSHEET_SUFFIXES or is_lock_file(path) \
                or path.name.startswith("."):
            continue
        try:
            book = read_workbook(path)
        except ReadError:
            continue  # unreadable: no evidence either way
        marker = book.container.output
        unchanged = book.container.output_digest == rows_digest(book.rows)
        if marker == "report" or (marker in ("template", "marked-copy") and unchanged):
            continue  # kpi's own
        if any(row.code == "META_AGENCY" for row in book.rows):
            return path
    return None


def template_bytes(plan: Plan, agency: Agency, period: str | None = None,
                   rhythm: str | None = None) -> bytes:
    """The blank template as a file, marked as kpi's own with the fingerprint of its rows: a
    blank template may be replaced by a new one, a filled one (a clerk's) never."""
    from .container import check_data
    from .read import read_container, rows_digest
    from .xlsx import mark_output, workbook_bytes

    wb = build_template(plan, agency, period, rhythm)
    digest = rows_digest(read_container(check_data(workbook_bytes(wb), ".xlsx")).rows)
    mark_output(wb, "template", digest)
    return workbook_bytes(wb)


def planned_templates(plan: Plan, agencies: list[Agency], span: Span | None = None
                      ) -> tuple[list[tuple[Agency, str | None, str]], list[tuple[Agency, str]]]:
    """What ``kpi template`` writes: (agency, period, rhythm) for every template, and (agency,
    why) for every agency that gets none. With ``span``: each period of each rhythm the agency
    reports on that ends inside the span and in which it is active (a quarterly reporter gets
    its quarter for the quarter's last month); without: one blank template per rhythm."""
    from .periods import periods_in

    planned: list[tuple[Agency, str | None, str]] = []
    passed: list[tuple[Agency, str]] = []
    for agency in agencies:
        found = 0
        for rhythm in agency.rhythms:
            if span is None:
                planned.append((agency, None, rhythm))
                found += 1
                continue
            wider = Span(span.code, tuple(
                m for m in _months_back(span.first, 11) + list(span.months)))
            for period in periods_in(rhythm, wider):
                if span.first <= period_months(period)[-1] <= span.last and plan.covers(period):
                    if agency.active_during(period):
                        planned.append((agency, period, rhythm))
                        found += 1
        if not found and span is not None:
            passed.append((agency, "inactive" if not any(
                agency.active_in(m) for m in span.months) else "not-due"))
    return planned, passed


def _months_back(month: str, n: int) -> list[str]:
    from .periods import add_months

    return [add_months(month, -i) for i in range(n, 0, -1)]


def write_templates(plan: Plan, agencies: list[Agency], out_dir: Path,
                    period: str | Span | None = None) -> list[Path]:
    """Write the templates of ``agencies`` into ``out_dir`` (see :func:`planned_templates`).
    A file of the same name is replaced only when it is a blank template kpi wrote; others are
    left alone (TemplateRefused lists them after every other template is written)."""
    from .periods import parse_span
    from .xlsx import occupied, write_bytes_atomic

    span = parse_span(period) if isinstance(period, str) else period
    planned, _ = planned_templates(plan, agencies, span)
    written, refused = [], []
    for agency, code, rhythm in planned:
        target = out_dir / template_name(agency, code, rhythm)
        if occupied(target):
            refused.append(target)
            continue
        write_bytes_atomic(target, template_bytes(plan, agency, code, rhythm))
        written.append(target)
    if refused:
        raise TemplateRefused(refused, written)
    return written
