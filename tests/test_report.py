"""The consolidated report workbook: what an official prints and forwards.

Fixtures are real submissions made with the project's own template generator for 2024-Q3:
the provincial police report two months (one late), the procuracy and the labour department one,
the border guard send a file that breaks a rule (rejected), Kon Tum city sends a corrected file
(the first is superseded), the court sends nothing (its indicator: no case arose), and the labour
department's clerk, and one file name, look like an Excel formula.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from workbooks import pdf_pages as _pdf_pages

from kpi.aggregate import AggregateResult, aggregate
from kpi.fill import fill_workbook
from kpi.indicators import MET, NO_DATA, NOT_MET, TRACKED
from kpi.plan import load_plan
from kpi.report import (
    SHEETS,
    STATUS_FILLS,
    SUMMARY_FIRST_ROW,
    SUMMARY_HEADER_ROW,
    build_report,
    sheet_title,
    write_report,
)
from kpi.templates import build_template, write_atomic
from kpi.validate import validate_file

EVIL = '=HYPERLINK("http://x","y")'
EVIL_FILE = '=HYPERLINK("x","y").xlsx'  # "/" cannot be part of a file name
GENERATED = datetime(2024, 9, 20, 10, 30)
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def _values(plan, agency: str, month: int, submitted: datetime, reporter: str = "Nguyễn Văn A",
            **numbers: int) -> dict[str, object]:
    values: dict[str, object] = {e.code: 0 for e in plan.elements_for_agency(plan.agency_by_code[agency])}
    unknown = set(numbers) - set(values)
    assert not unknown, f"{agency} does not report {unknown}"
    values.update(numbers)
    values.update(META_AGENCY=agency, META_PERIOD=f"{month:02d}/2024", META_REPORTER=reporter,
                  META_PHONE="0260 3862 123", META_SUBMITTED=submitted)
    return values


def _submit(plan, folder: Path, name: str, agency: str, values: dict[str, object]) -> Path:
    """Fill the template as a clerk would; text typed in Excel with a leading apostrophe stays
    text, so META_* strings are stored as text even when they look like a formula."""
    wb = build_template(plan, plan.agency_by_code[agency])
    fill_workbook(wb, values)
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_col=5, max_col=5):
            if isinstance(row[0].value, str):
                row[0].data_type = "s"
    path = folder / name
    write_atomic(wb, path)
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory, plan) -> Path:
    root = tmp_path_factory.mktemp("submissions")
    jul, aug = datetime(2024, 7, 16), datetime(2024, 8, 20)  # the deadline is the 17th
    _submit(plan, root, "CA_TINH_2024-07.xlsx", "CA_TINH", _values(
        plan, "CA_TINH", 7, jul, TG_TON_DAU_KY=2, TG_TIEP_NHAN=10, TG_PHAN_LOAI=10,
        TG_DA_GIAI_QUYET=11, TG_KHOI_TO=3, DT_VU_KHOI_TO=3, DT_BI_CAN=5, DT_VU_KHAM_PHA=3,
        NN_TIEP_NHAN=4, NN_XAC_DINH=3, NN_GIAI_CUU=1, TT_TIN_BAI=12, TT_HOAT_DONG_307=2,
        TT_MO_HINH=4, TH_LOP=1, TH_LUOT_CAN_BO=40))
    _submit(plan, root, "CA_TINH_2024-08.xlsx", "CA_TINH", _values(
        plan, "CA_TINH", 8, aug, TG_TON_DAU_KY=1, TG_TIEP_NHAN=5, TG_PHAN_LOAI=4,
        TG_DA_GIAI_QUYET=4, DT_VU_KHOI_TO=2, DT_BI_CAN=2, DT_VU_KHAM_PHA=1, TT_TIN_BAI=1234,
        TT_MO_HINH=5))
    _submit(plan, root, "VKS_2024-07.xlsx", "VKS", _values(
        plan, "VKS", 7, jul, TTO_VU_TON_DAU_KY=1, TTO_VU_THU_LY_MOI=3, TTO_VU_GIAI_QUYET=4,
        TTO_VU_TRUY_TO=4, TTO_BI_CAN_TRUY_TO=6, TT_HOAT_DONG_307=1))
    _submit(plan, root, EVIL_FILE, "SLDTBXH", _values(
        plan, "SLDTBXH", 7, jul, reporter=EVIL, NN_HO_TRO=2, NN_HT_THIET_YEU=2, NN_HT_Y_TE=1))
    _submit(plan, root, "BDBP_2024-07.xlsx", "BDBP", _values(  # rule broken: rejected
        plan, "BDBP", 7, jul, TG_TIEP_NHAN=1, TG_PHAN_LOAI=2))
    _submit(plan, root, "H_KONTUM_2024-07.xlsx", "H_KONTUM", _values(
        plan, "H_KONTUM", 7, jul, TT_BUOI_CONG_DONG=1, TT_LUOT_NGUOI=30))
    _submit(plan, root, "H_KONTUM_2024-07_sua.xlsx", "H_KONTUM", _values(
        plan, "H_KONTUM", 7, datetime(2024, 7, 17), TT_BUOI_CONG_DONG=2, TT_LUOT_NGUOI=80,
        TT_HOAT_DONG_307=1))
    return root


@pytest.fixture(scope="module")
def result(folder, plan) -> AggregateResult:
    subs = [validate_file(p, plan) for p in sorted(folder.glob("*.xlsx"))]
    skipped = [(str(folder / "~$CA_TINH_2024-07.xlsx"), "lock-file")]
    return aggregate(subs, plan, "2024-Q3", skipped=skipped, now=GENERATED)


@pytest.fixture(scope="module")
def report(tmp_path_factory, result) -> Path:
    return write_report(result, tmp_path_factory.mktemp("out") / "bao-cao-2024-Q3.xlsx")


@pytest.fixture(scope="module")
def wb(report):
    return openpyxl.load_workbook(report)


def _rows(ws, header_row: int) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=header_row + 1, values_only=True) if any(
        v is not None for v in r)]


def _find_header(ws, text: str) -> int:
    for row in ws.iter_rows(max_row=10):
        if any(c.value == text for c in row):
            return row[0].row
    raise AssertionError(f"no header {text!r} in {ws.title}")


def summary_rows(ws, result) -> dict[str, int]:
    """Row of each indicator on the summary, which names indicators (codes stay on the audit
    sheets): in the result's order, each row holding its name."""
    rows = {}
    for offset, ind in enumerate(result.indicators):
        r = SUMMARY_FIRST_ROW + offset
        assert ws.cell(r, 1).value == offset + 1 and ws.cell(r, 2).value in (ind.name_vi, ind.name_en)
        rows[ind.code] = r
    return rows


# --- the fixture is what the story says -----------------------------------------------------------

def test_fixture_story(result):
    by_file = {Path(f.file).name: f for f in result.files}
    assert by_file["BDBP_2024-07.xlsx"].status == "rejected"
    assert by_file["H_KONTUM_2024-07.xlsx"].status == "superseded"
    assert by_file["CA_TINH_2024-08.xlsx"].on_time is False
    assert by_file[EVIL_FILE].status == "accepted"
    assert by_file[EVIL_FILE].submission.reporter == EVIL
    statuses = {i.code: i.status for i in result.indicators}
    assert statuses["KPI_XX_GIAI_QUYET"] == NO_DATA
    assert statuses["KPI_NN_HO_TRO"] == NOT_MET
    assert statuses["KPI_TTO_GIAI_QUYET"] == MET
    assert statuses["KPI_TD_TIN_BAI"] == TRACKED


# --- sheets ---------------------------------------------------------------------------------------

def test_every_sheet_exists_in_order(wb):
    assert wb.sheetnames == [vi for key, (vi, _) in SHEETS.items() if key != "breakdowns"]  # flat plan
    assert wb.active.title == "Tổng hợp"


def test_english_titles_and_statuses(result, tmp_path):
    path = write_report(result, tmp_path / "report-en.xlsx", lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [en for key, (_, en) in SHEETS.items() if key != "breakdowns"]
    ws = book["Summary"]
    words = {code: ws.cell(r, 10).value.split("\n")[0] for code, r in summary_rows(ws, result).items()}
    assert words["KPI_NN_HO_TRO"] == "Not met"
    assert words["KPI_XX_GIAI_QUYET"] == "No data"  # TAND sent no report: not "no case arose"
    assert words["KPI_TTO_GIAI_QUYET"] == "Met"
    assert words["KPI_TD_TIN_BAI"] == "Tracked"
    assert ws.cell(SUMMARY_HEADER_ROW, 1).value == "No."
    assert ws.cell(1, 5).value == "SOCIALIST REPUBLIC OF VIET NAM" and ws.cell(5, 1).value == "REPORT"


# --- summary --------------------------------------------------------------------------------------

def test_summary_indicator_values_equal_the_result(wb, result):
    ws = wb[sheet_title("summary", "vi")]
    words = {MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Không phát sinh", TRACKED: "Theo dõi"}
    rows = summary_rows(ws, result)
    for ind in result.indicators:
        row = rows[ind.code]
        value = ws.cell(row, 4)
        if ind.value is None:
            assert value.value == "—"
        else:
            assert value.data_type == "n"
            assert value.value == pytest.approx(ind.value)
            if ind.unit == "%":
                assert value.number_format == '0.0" %"'
        assert ws.cell(row, 5).value == ind.numerator
        assert ws.cell(row, 6).value == ind.denominator
        status = ws.cell(row, 10)
        expected = "Chưa có số liệu" if ind.no_data_reason == "no-reports" else words[ind.status]
        assert status.value.split("\n")[0] == expected
        if ind.status in (MET, NOT_MET):  # September has no accepted report: said with the status
            assert status.value.endswith("(tạm tính)")
        assert status.fill.fgColor.rgb[-6:] == STATUS_FILLS[ind.status]
    # how many months: once, in the footnote; the quarter of last year keeps its capitals
    assert any("Chỉ 2/3 tháng của kỳ có báo cáo được chấp nhận" in str(c.value) for c in ws["A"])
    assert any("quý III/" in str(c.value) for c in ws[SUMMARY_HEADER_ROW])
    # the plan's words each target quotes are on the chart sheet's table
    quotes = [c.value for c in wb[sheet_title("chart", "vi")]["F"] if c.value]
    assert any("90%" in q or "90 %" in q for q in quotes)
    target = {code: ws.cell(r, 3).value for code, r in rows.items()}
    assert target["KPI_TG_GIAI_QUYET"] == "> 90 %"
    assert target["KPI_TG_PHAN_LOAI"] == "≥ 100 %"
    assert target["KPI_TD_TIN_BAI"] == "Theo dõi"


def test_summary_colours_cover_every_status(wb):
    ws = wb[sheet_title("summary", "vi")]
    colours = {ws.cell(r, 10).fill.fgColor.rgb[-6:] for r in range(SUMMARY_FIRST_ROW, ws.max_row)
               if ws.cell(r, 10).value}
    assert set(STATUS_FILLS.values()) <= colours


def test_summary_head_shows_period_cutoff_and_completeness(wb, result):
    ws = wb[sheet_title("summary", "vi")]
    head = " ".join(str(c.value) for row in ws.iter_rows(max_row=11) for c in row if c.value)
    # Decree 30/2020 parts: issuing body under its parent, motto and tagline, number, place and
    # date, the title naming the period in words, the plan cited with date and issuer, recipients
    for part in ("BỘ CÔNG AN", "CÔNG AN TỈNH KON TUM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số:", "/BC-CAT", "Kon Tum, ngày", "năm 2024",
                 "BÁO CÁO", "QUÝ III NĂM 2024",
                 "Kế hoạch số 1583/KH-UBND ngày 17 tháng 5 năm 2021 của Ủy ban nhân dân tỉnh Kon Tum",
                 "Kính gửi: Ủy ban nhân dân tỉnh Kon Tum"):
        assert part in head, part
    assert "2024-Q3" not in head and "Quý III/2024" in head
    assert "15/06/2024" in head and "14/09/2024" in head  # cut-off on the 14th
    assert "20/09/2024 10:30" in head
    done = result.completeness
    assert [ws.cell(11, c).value for c in range(3, 8)] == [
        done.expected, done.received, done.on_time, done.late, len(done.missing)]
    assert [ws.cell(10, c).value for c in range(3, 8)] == [
        "Phải nộp", "Đã nhận", "Đúng hạn", "Nộp muộn", "Còn thiếu"]
    tail = " ".join(str(c.value) for row in ws.iter_rows(min_row=SUMMARY_FIRST_ROW) for c in row
                    if c.value)
    for part in ("Nơi nhận:", "- Như trên;", "GIÁM ĐỐC", "(Ký, ghi rõ họ tên, đóng dấu)"):
        assert part in tail, part


def test_summary_print_setup(wb):
    ws = wb[sheet_title("summary", "vi")]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${SUMMARY_HEADER_ROW}:${SUMMARY_HEADER_ROW}"
    assert all(c.font.b for c in ws[SUMMARY_HEADER_ROW] if c.value)
    assert all(c.font.name == "Times New Roman" for row in ws.iter_rows() for c in row if c.value)


def test_every_table_is_set_up_for_screen_and_paper(wb):
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.title not in {sheet_title(k, "vi") for k in ("completeness", "problems", "data", "chart")}:
            continue  # reader pages are documents, not filtered lists
        assert ws.freeze_panes, ws.title
        assert ws.auto_filter.ref, ws.title
        header = int(re.match(r"[A-Z]+(\d+)", ws.auto_filter.ref).group(1))
        assert all(c.font.b for c in ws[header] if c.value is not None), ws.title
        assert all((ws.column_dimensions[c.column_letter].width or 0) >= 5
                   for c in ws[header] if c.value is not None), ws.title


# --- chart and trend ------------------------------------------------------------------------------

def test_bar_chart_of_result_against_target(wb, result):
    ws = wb[sheet_title("chart", "vi")]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, BarChart)
    [bars] = chart.series
    [targets] = [c for c in chart._charts if isinstance(c, LineChart)]  # a marker per target
    assert targets.series[0].marker.symbol == "dash"
    assert targets.series[0].graphicalProperties.line.noFill  # markers, no line
    shown = [i for i in result.indicators if i.status in (MET, NOT_MET)]
    rows = _rows(ws, 3)[:len(shown)]
    assert [r[1] for r in rows] == [i.name_vi for i in shown]  # names, not codes
    assert bars.cat.strRef.f.endswith(f"$B$4:$B${3 + len(shown)}")
    assert [r[2] for r in rows] == pytest.approx([i.value for i in shown])
    assert [r[3] for r in rows] == [i.target for i in shown]
    colours = {p.idx: getattr(p.graphicalProperties.solidFill, "srgbClr", None) for p in bars.dPt}
    colours = {k: getattr(v, "val", v) or bars.dPt[k].graphicalProperties.solidFill
               for k, v in colours.items()}
    assert [colours[i] for i in range(len(shown))] == [
        "548235" if i.status == MET else "C00000" for i in shown]  # colour by status
    assert ws.cell(3, 3).value == "Kết quả" and ws.cell(3, 4).value == "Mục tiêu"
    assert chart.y_axis.scaling.max == 100 and chart.y_axis.scaling.min == 0


def test_trend_sheet_month_by_month(wb, result):
    ws = wb[sheet_title("trend", "vi")]
    assert [ws.cell(3, c).value for c in range(5, 9)] == ["07/2024", "08/2024", "09/2024", "Cả kỳ"]
    # each indicator is a block of rows: numerator, denominator, the month's rate, year to date
    blocks: dict[str, dict[str, tuple]] = {}
    current = None
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] and row[3]:
            current = blocks.setdefault(row[0], {})
        if current is not None and row[3]:
            current[row[3]] = row[4:8]
    names = {i.name_vi: i for i in result.indicators}
    assert set(blocks) == set(names)
    for col, month in enumerate(result.trend):
        for ind in result.trend[month]:
            got = blocks[ind.name_vi].get("Tỷ lệ trong tháng", blocks[ind.name_vi].get("Trong tháng"))
            if ind.status == NO_DATA or month == "2024-09":  # nothing accepted for September
                assert got[col] is None, (ind.code, month)
            else:
                assert got[col] == pytest.approx(ind.value), (ind.code, month)
    timely = blocks["Tỷ lệ báo cáo nộp đúng hạn"]
    assert timely["Tỷ lệ trong tháng"][1] == pytest.approx(0.0)  # August: CA_TINH late, nobody else
    assert timely["Tử số"][:2] == (4, 0) and timely["Mẫu số"][:2] == (24, 24)
    # year to date at August: July and August together (the folder's first month is July)
    assert timely["Lũy kế từ đầu năm"][1] == pytest.approx(100 * 4 / 48)
    assert blocks["Tỷ lệ vụ án mua bán người được giải quyết, xét xử"]["Tỷ lệ trong tháng"] == (
        None, None, None, None)
    charts = [c for c in ws._charts if isinstance(c, LineChart)]
    assert len(charts) == 1 and len(charts[0].series) >= 3
    titles = [s.tx.v for s in charts[0].series]
    assert all(not t.startswith("KPI_") for t in titles)  # named, not coded
    assert "Tỷ lệ cơ quan, đơn vị tổ chức hoạt động hưởng ứng Ngày toàn dân phòng, chống mua bán " \
           "người 30/7" not in titles  # one point a year: no line
    assert charts[0].y_axis.scaling.max == 100


# --- per agency -----------------------------------------------------------------------------------

def test_values_per_agency_are_integers_with_a_totals_row(wb, result, plan):
    ws = wb[sheet_title("agencies", "vi")]
    # one block per form: its heading, a header of element names with units, the agencies
    # that report the form, the total
    blocks = {}
    rows = list(ws.iter_rows())
    for i, row in enumerate(rows):
        text = row[0].value
        if isinstance(text, str) and text.startswith("Biểu: "):
            form = next(f for f in plan.forms if f.title_vi == text[len("Biểu: "):])
            blocks[form.code] = i + 1  # the header row (0-based index)
    assert set(blocks) == {f.code for f in plan.forms if plan.elements_of(f.code)}
    seen_agencies = set()
    for form_code, h in blocks.items():
        elements = plan.elements_of(form_code)
        header = [c.value for c in rows[h]]
        assert header[2:2 + len(elements)] == [f"{e.name_vi} ({e.unit_vi})" for e in elements]
        reporting = [a for a in plan.agencies if form_code in a.forms]
        body = rows[h + 1:h + 1 + len(reporting)]
        assert [r[0].value for r in body] == [a.name_vi for a in reporting]
        for agency, r in zip(reporting, body, strict=True):
            seen_agencies.add(agency.code)
            values = result.agency_totals.get(agency.code, {})
            for col, element in enumerate(elements, 2):
                assert r[col].value == values.get(element.code), (agency.code, element.code)
                assert r[col].number_format == "#,##0"
        total = rows[h + 1 + len(reporting)]
        assert total[0].value == "Tổng cộng"
        for col, element in enumerate(elements, 2):
            assert total[col].value == result.totals.get(element.code, 0)
    assert len(seen_agencies) == 24  # every agency expected in the quarter, with or without data
    tt = blocks["TT"]
    ca = next(r for r in rows[tt + 1:] if r[0].value == "Công an tỉnh")
    assert ca[2 + [e.code for e in plan.elements_of("TT")].index("TT_TIN_BAI")].value == 1246
    assert ca[1].value == 2  # two months with data
    xx = blocks["XX"]
    court = next(r for r in rows[xx + 1:] if r[0].value == plan.agency_by_code["TAND"].name_vi)
    assert all(c.value is None for c in court[2:2 + len(plan.elements_of("XX"))])  # blank, not 0


def test_values_per_agency_print_a_form_per_page(wb, plan):
    # Forty-odd columns on one page wide would print at a quarter size: each form is a block of
    # its own few columns, starting a page.
    ws = wb[sheet_title("agencies", "vi")]
    forms = [f for f in plan.forms if plan.elements_of(f.code)]
    assert len(ws.row_breaks.brk) == len(forms) - 1
    assert ws.max_column <= 2 + max(len(plan.elements_of(f.code)) for f in forms)


# --- completeness ---------------------------------------------------------------------------------

def test_completeness_per_agency_and_month(wb, result, plan):
    ws = wb[sheet_title("completeness", "vi")]
    rows = _rows(ws, 3)
    expected = plan.expected(result.span.months)
    by_pair: dict[tuple, tuple] = {}
    for r in rows:  # the expected (agency, month) rows come first, then the other files
        if r[0]:
            by_pair.setdefault((r[0], r[2].replace("/2024", "") if r[2] else r[2]), r)
    assert [(r[0], f"{r[2][3:]}-{r[2][:2]}") for r in rows[:len(expected)]] == sorted(
        expected, key=lambda p: ([a.code for a in plan.agencies].index(p[0]), p[1]))
    assert by_pair[("CA_TINH", "07")][3] == "Đúng hạn"
    assert by_pair[("CA_TINH", "08")][3] == "Nộp muộn"
    assert by_pair[("CA_TINH", "09")][3] == "Chưa nộp"
    assert by_pair[("BDBP", "07")][3] == "Bị trả lại (có lỗi)"
    assert by_pair[("H_KONTUM", "07")][4] == "H_KONTUM_2024-07_sua.xlsx"
    ca = by_pair[("CA_TINH", "07")]
    assert ca[4] == "CA_TINH_2024-07.xlsx"
    assert ca[5] == datetime(2024, 7, 16) and ca[6] == datetime(2024, 7, 17)
    states = [r[3] for r in rows]
    assert states.count("Đúng hạn") == result.completeness.on_time
    assert states.count("Nộp muộn") == result.completeness.late
    assert "Đã có bản thay thế" in states and "Bỏ qua" in states
    superseded = next(r for r in rows if r[3] == "Đã có bản thay thế")
    assert superseded[4] == "H_KONTUM_2024-07.xlsx"
    assert "H_KONTUM_2024-07_sua.xlsx" in superseded[10]


# --- problems -------------------------------------------------------------------------------------

def test_every_issue_is_listed(wb, result):
    ws = wb[sheet_title("problems", "vi")]
    rows = _rows(ws, 3)
    assert len(rows) == len(result.issues) > 0
    from kpi.i18n import issue_kind

    for row, issue in zip(rows, result.issues, strict=True):
        assert row[6] == issue_kind(issue.code, "vi") != issue.code  # the kind in words
        assert row[9] == issue.code  # the code, for lookup
        assert row[8] == issue.message("vi")
        assert row[7] == {"error": "Lỗi", "warning": "Cảnh báo"}[issue.severity]
        assert row[4] == issue.cell
    rejected = [r for r in rows if r[0] == "BDBP_2024-07.xlsx"]
    assert rejected and rejected[0][1] == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh" and rejected[0][2] == "07/2024"


# --- audit trail ----------------------------------------------------------------------------------

def test_audit_sheet_has_one_row_per_accepted_number(wb, result, folder):
    ws = wb[sheet_title("data", "vi")]
    header = _find_header(ws, "Giá trị")
    assert [c.value for c in ws[header]] == ["Đơn vị", "Tháng", "Mã", "Giá trị", "Tệp", "Trang", "Ô"]
    rows = _rows(ws, header)
    assert len(rows) == len(result.long)
    # printing the workbook prints the first rows of the audit trail, and says so
    assert ws.print_area == f"'{ws.title}'!$A$1:$G${header + 20}"
    assert "Xóa vùng in" in ws.cell(2, 1).value
    sources: dict[str, openpyxl.Workbook] = {}
    for row in rows:
        agency, month, element, value, file, sheet, cell = row
        assert isinstance(value, int)
        assert (folder / file).is_file()
        source = sources.setdefault(file, openpyxl.load_workbook(folder / file))
        assert source[sheet][cell].value == value, row  # the cell really holds the number
        assert source[sheet][f"A{cell[1:]}"].value == element
    assert "BDBP_2024-07.xlsx" not in {r[4] for r in rows}  # rejected: no number counts
    assert "H_KONTUM_2024-07.xlsx" not in {r[4] for r in rows}  # superseded


# --- nothing from a submission becomes a formula ---------------------------------------------------

def test_formula_like_text_stays_text(wb, report):
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK"):
                    assert cell.data_type == "s"
                    assert cell.quotePrefix
                    found.append((ws.title, cell.value))
    texts = {v for _, v in found}
    assert EVIL in texts and EVIL_FILE in texts
    sheets = {s for s, _ in found}
    assert {sheet_title("completeness", "vi"), sheet_title("data", "vi")} <= sheets
    # No formula reaches the file itself either.
    import zipfile

    with zipfile.ZipFile(report) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name), name


def test_text_starting_like_a_formula_is_guarded():
    from kpi import report as report_mod

    ws = openpyxl.Workbook().active
    for col, text in enumerate(["+1+2", "-3", "@SUM(A1)", "=1+1", "\t=2", "ok"], 1):
        cell = report_mod._put(ws, 1, col, text)
        assert cell.data_type == "s" and cell.value == text
        assert bool(cell.quotePrefix) == (text != "ok")


# --- printing in LibreOffice ----------------------------------------------------------------------

def _soffice(args: list[str], workdir: Path) -> None:
    profile = "file:///tmp/lo-report-test"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation={profile}", *args],
                   cwd=workdir, check=True, timeout=120, capture_output=True)


@pytest.fixture(scope="module")
def summary_only(report, tmp_path_factory) -> Path:
    """The summary sheet alone, as it prints (one page wide)."""
    book = openpyxl.load_workbook(report)
    for name in book.sheetnames[1:]:
        del book[name]
    path = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    book.save(path)
    return path


@needs_soffice
def test_summary_prints_on_two_a4_landscape_pages_at_most(summary_only):
    # The official head, fourteen indicators with their comparisons, "Nơi nhận" and signature.
    out = summary_only.parent
    _soffice(["--convert-to", "pdf", "--outdir", str(out), str(summary_only)], out)
    sizes = _pdf_pages(out / "summary.pdf")
    assert 1 <= len(sizes) <= 2, f"the summary prints on {len(sizes)} pages"
    width, height = sizes[0]
    assert width == pytest.approx(842, abs=2) and height == pytest.approx(595, abs=2)
    text = subprocess.run(["pdftotext", "-layout", str(out / "summary.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "QUÝ III NĂM 2024", "Kính gửi",
                 "Nơi nhận", "GIÁM ĐỐC"):
        assert part in text, part


@needs_soffice
def test_values_per_agency_print_one_page_per_group_of_forms(report, tmp_path):
    book = openpyxl.load_workbook(report)
    keep = sheet_title("agencies", "vi")
    for name in book.sheetnames:
        if name != keep:
            del book[name]
    groups = len(book[keep].row_breaks.brk) + 1
    book.save(tmp_path / "agencies.xlsx")
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "agencies.xlsx")],
             tmp_path)
    assert len(_pdf_pages(tmp_path / "agencies.pdf")) >= groups


@needs_soffice
def test_whole_report_opens_in_libreoffice(report, tmp_path):
    copy = tmp_path / "report.xlsx"
    shutil.copy(report, copy)
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(copy)], tmp_path)
    sizes = _pdf_pages(tmp_path / "report.pdf")
    assert len(sizes) >= len(SHEETS) - 1  # no breakdown sheet for a flat plan
    assert all(w > h for w, h in sizes)  # landscape throughout


@needs_soffice
def test_libreoffice_shows_formula_like_text_as_text(report, tmp_path):
    # LibreOffice re-saves the report; a formula would come back as a formula or as its result "y".
    copy = tmp_path / "report.xlsx"
    shutil.copy(report, copy)
    out = tmp_path / "lo"
    out.mkdir()
    _soffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(copy)],
             tmp_path)
    book = openpyxl.load_workbook(out / "report.xlsx")
    ws = book[sheet_title("completeness", "vi")]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
             and "HYPERLINK" in c.value]
    assert {c.value for c in cells} == {EVIL, EVIL_FILE}
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.value == "y" for row in ws.iter_rows() for c in row)


# --- writing is atomic ----------------------------------------------------------------------------

def test_failed_save_leaves_no_file(result, tmp_path, monkeypatch, folder):
    before = {p: p.read_bytes() for p in folder.iterdir()}

    def half_then_disk_full(fd, data):
        os.write(fd, data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr("kpi.xlsx._write_all", half_then_disk_full)
    target = tmp_path / "out" / "report.xlsx"
    with pytest.raises(OSError, match="disk full"):
        write_report(result, target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left behind
    assert {p: p.read_bytes() for p in folder.iterdir()} == before  # inputs untouched


def test_failed_save_keeps_the_previous_report(result, tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    write_report(result, target)
    previous = target.read_bytes()

    def broken_save(self, filename):
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)  # fails while built in memory
    with pytest.raises(OSError):
        write_report(result, target)
    assert target.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root ignores folder permissions")
def test_read_only_folder_leaves_no_file(result, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(PermissionError):
            write_report(result, folder / "report.xlsx")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_refuses_to_overwrite_a_submission(result, folder):
    target = folder / "VKS_2024-07.xlsx"
    before = target.read_bytes()
    with pytest.raises(ValueError):
        write_report(result, target)
    assert target.read_bytes() == before


def test_report_of_an_empty_period(plan, tmp_path):
    empty = aggregate([], plan, "2024-10", now=GENERATED)
    book = build_report(empty)
    assert book.sheetnames == [vi for key, (vi, _) in SHEETS.items() if key != "breakdowns"]
    path = write_report(empty, tmp_path / "empty.xlsx")
    again = openpyxl.load_workbook(path)
    ws = again[sheet_title("summary", "vi")]
    statuses = {code: ws.cell(r, 10).value for code, r in summary_rows(ws, empty).items()}
    # nothing received: no data (issue 21), neither "no case arose" nor 0 % on time
    assert statuses["KPI_TG_PHAN_LOAI"].startswith("Chưa có số liệu\n(0/")
    assert statuses["KPI_DUNG_HAN"].startswith("Chưa có số liệu\n(0/")
    row = summary_rows(ws, empty)["KPI_DUNG_HAN"]
    assert ws.cell(row, 7).value == ws.cell(row, 8).value == "Chưa có số liệu"  # never 0
    chart_ws = again[sheet_title("chart", "vi")]
    # no indicator has data: the chart says so rather than plot 0 % on time
    assert [r[0] for r in _rows(chart_ws, 3)] == [
        "Không có chỉ tiêu nào có mục tiêu và có số liệu trong kỳ."]
    assert again[sheet_title("data", "vi")].max_row == 3  # header only


def test_folder_that_cannot_be_made_leaves_no_file(result, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_report(result, blocker / "report.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


@needs_soffice
def test_reader_pages_print_in_words_and_the_audit_trail_stays_short(tmp_path):
    """The Quảng Ngãi example month through LibreOffice: every page a reader sees (summary,
    chart, breakdowns, agencies, month by month) is free of element and indicator codes; the
    audit trail prints one page, not dozens; the official head is on the first page."""
    from kpi import roll_up

    examples = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"
    result = roll_up([examples], "2026-08")
    path = write_report(result, tmp_path / "bao-cao.xlsx")
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(path)], tmp_path)
    pdf = tmp_path / "bao-cao.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) <= 30, f"the report prints {len(pages)} pages"
    sheet_of = [re.search(r"(\S[^\n]*?) - Trang \d+/\d+", p).group(1).strip() for p in pages]
    readers = {sheet_title(k, "vi") for k in ("summary", "chart", "breakdowns", "agencies", "trend")}
    codes = re.compile(r"\b(?:KPI|TT|TH|TG|DT|TTO|XX|NN|XT|XN)_[A-Z0-9_]+")
    for text, sheet in zip(pages, sheet_of, strict=True):
        if sheet in readers:
            assert not codes.search(text), (sheet, codes.search(text).group(0))
    assert sheet_of.count(sheet_title("data", "vi")) == 1
    first = pages[0]
    for part in ("BỘ CÔNG AN", "CÔNG AN TỈNH QUẢNG NGÃI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "BÁO CÁO", "THÁNG 8 NĂM 2026", "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi"):
        assert part in first, part
