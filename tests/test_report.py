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
    words = {ws.cell(r, 1).value: ws.cell(r, 8).value
             for r in range(SUMMARY_FIRST_ROW, SUMMARY_FIRST_ROW + len(result.indicators))}
    assert words["KPI_NN_HO_TRO"] == "Not met"
    assert words["KPI_XX_GIAI_QUYET"] == "No case arose"
    assert words["KPI_TTO_GIAI_QUYET"] == "Met"
    assert words["KPI_TD_TIN_BAI"] == "Tracked"
    assert ws.cell(SUMMARY_HEADER_ROW, 1).value == "Code"


# --- summary --------------------------------------------------------------------------------------

def test_summary_indicator_values_equal_the_result(wb, result):
    ws = wb[sheet_title("summary", "vi")]
    words = {MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Không phát sinh", TRACKED: "Theo dõi"}
    for offset, ind in enumerate(result.indicators):
        row = SUMMARY_FIRST_ROW + offset
        assert ws.cell(row, 1).value == ind.code
        value = ws.cell(row, 4)
        if ind.value is None:
            assert value.value is None
        else:
            assert value.data_type == "n"
            assert value.value == pytest.approx(ind.value)
        if ind.unit == "%":
            assert value.number_format == "0.0"
        assert ws.cell(row, 6).value == ind.numerator
        assert ws.cell(row, 7).value == ind.denominator
        status = ws.cell(row, 8)
        assert status.value == words[ind.status]
        assert status.fill.fgColor.rgb[-6:] == STATUS_FILLS[ind.status]
        assert ws.cell(row, 9).value.strip("“”") in ind.source
    target = {ws.cell(r, 1).value: ws.cell(r, 3).value
              for r in range(SUMMARY_FIRST_ROW, SUMMARY_FIRST_ROW + len(result.indicators))}
    assert target["KPI_TG_GIAI_QUYET"] == "> 90 %"
    assert target["KPI_TG_PHAN_LOAI"] == "≥ 100 %"
    assert target["KPI_TD_TIN_BAI"] == "Theo dõi"


def test_summary_colours_cover_every_status(wb):
    ws = wb[sheet_title("summary", "vi")]
    colours = {ws.cell(r, 8).fill.fgColor.rgb[-6:] for r in range(SUMMARY_FIRST_ROW, ws.max_row)
               if ws.cell(r, 8).value}
    assert set(STATUS_FILLS.values()) <= colours


def test_summary_head_shows_period_cutoff_and_completeness(wb, result):
    ws = wb[sheet_title("summary", "vi")]
    head = " ".join(str(c.value) for row in ws.iter_rows(max_row=5) for c in row if c.value)
    assert "1583/KH-UBND" in head
    assert "2024-Q3" in head and "Quý III/2024" in head
    assert "15/06/2024" in head and "14/09/2024" in head  # cut-off on the 14th
    assert "20/09/2024 10:30" in head
    done = result.completeness
    assert [ws.cell(5, c).value for c in range(3, 8)] == [
        done.expected, done.received, done.on_time, done.late, len(done.missing)]
    assert [ws.cell(4, c).value for c in range(3, 8)] == [
        "Phải nộp", "Đã nhận", "Đúng hạn", "Nộp muộn", "Còn thiếu"]


def test_summary_print_setup(wb):
    ws = wb[sheet_title("summary", "vi")]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.freeze_panes == f"A{SUMMARY_FIRST_ROW}"
    assert ws.auto_filter.ref.startswith(f"A{SUMMARY_HEADER_ROW}:")
    assert all(c.font.b for c in ws[SUMMARY_HEADER_ROW] if c.value)


def test_every_table_is_set_up_for_screen_and_paper(wb):
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title
        if ws.title != sheet_title("agencies", "vi"):
            assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
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
    assert len(chart.series) == 2
    titles = [s.tx.strRef.f if s.tx.strRef else s.tx.v for s in chart.series]
    assert any("Kết quả" in str(x) or "C3" in str(x) for x in titles)
    shown = [i for i in result.indicators if i.status in (MET, NOT_MET)]
    rows = _rows(ws, 3)[:len(shown)]
    assert [r[0] for r in rows] == [i.code for i in shown]
    assert [r[2] for r in rows] == pytest.approx([i.value for i in shown])
    assert [r[3] for r in rows] == [i.target for i in shown]
    assert ws.cell(3, 3).value == "Kết quả" and ws.cell(3, 4).value == "Mục tiêu"


def test_trend_sheet_month_by_month(wb, result):
    ws = wb[sheet_title("trend", "vi")]
    assert [ws.cell(3, c).value for c in range(5, 9)] == ["07/2024", "08/2024", "09/2024", "Cả kỳ"]
    rows = {r[0]: r for r in _rows(ws, 3) if isinstance(r[0], str) and r[0].startswith("KPI_")}
    assert set(rows) == {i.code for i in result.indicators}
    for col, month in enumerate(result.trend, 4):
        for ind in result.trend[month]:
            got = rows[ind.code][col]
            if ind.status == NO_DATA:
                assert got is None, (ind.code, month)
            else:
                assert got == pytest.approx(ind.value), (ind.code, month)
    assert rows["KPI_DUNG_HAN"][5] == pytest.approx(0.0)  # August: CA_TINH late, nobody else
    assert rows["KPI_XX_GIAI_QUYET"][4:8] == (None, None, None, None)
    charts = [c for c in ws._charts if isinstance(c, LineChart)]
    assert len(charts) == 1 and len(charts[0].series) >= 3


# --- per agency -----------------------------------------------------------------------------------

def test_values_per_agency_are_integers_with_a_totals_row(wb, result, plan):
    ws = wb[sheet_title("agencies", "vi")]
    header = 5
    codes = [c.value for c in ws[header]][3:]
    assert codes == [e.code for e in plan.elements]
    names = [c.value for c in ws[header - 1]][3:]
    assert names == [e.name_vi for e in plan.elements]
    rows = {r[0]: r for r in ws.iter_rows(min_row=header + 1, values_only=True) if r[0]}
    assert len(rows) == 24  # every agency expected in the quarter, with or without data
    for agency, values in result.agency_totals.items():
        row = rows[agency]
        for col, code in enumerate(codes, 3):
            assert row[col] == values.get(code), (agency, code)
    assert rows["CA_TINH"][3 + codes.index("TT_TIN_BAI")] == 1246
    assert rows["CA_TINH"][2] == 2  # two months with data
    assert all(v is None for v in rows["TAND"][3:])  # nothing received: blank, not zero
    total = next(r for r in ws.iter_rows(min_row=header + 1) if r[1].value == "Tổng cộng")
    for cell, code in zip(total[3:], codes, strict=True):
        assert cell.value == result.totals.get(code, 0)
        assert cell.data_type == "n" and cell.number_format == "#,##0"
    body = ws.cell(6, 4)
    assert body.number_format == "#,##0"


def test_values_per_agency_print_a_few_forms_per_page(wb, plan):
    # Forty-odd columns on one page wide would print at a quarter size: the sheet prints forms
    # grouped per page instead, with the agency columns repeated.
    ws = wb[sheet_title("agencies", "vi")]
    breaks = [b.id for b in ws.col_breaks.brk]
    boundaries, col = set(), 3
    for form in plan.forms:
        col += len(plan.elements_of(form.code))
        boundaries.add(col)
    assert breaks and set(breaks) <= boundaries
    widths = [b - a for a, b in zip([3, *breaks], [*breaks, 3 + len(plan.elements)], strict=True)]
    assert max(widths) <= 14
    assert 50 <= ws.page_setup.scale <= 100
    assert ws.print_title_cols == "$A:$C"


# --- completeness ---------------------------------------------------------------------------------

def test_completeness_per_agency_and_month(wb, result, plan):
    ws = wb[sheet_title("completeness", "vi")]
    rows = _rows(ws, 3)
    expected = plan.expected(result.span.months)
    by_pair: dict[tuple, tuple] = {}
    for r in rows:  # the expected (agency, month) rows come first, then the other files
        if r[0]:
            by_pair.setdefault((r[0], r[2]), r)
    assert [(r[0], r[2]) for r in rows[:len(expected)]] == sorted(
        expected, key=lambda p: ([a.code for a in plan.agencies].index(p[0]), p[1]))
    assert by_pair[("CA_TINH", "2024-07")][3] == "Đúng hạn"
    assert by_pair[("CA_TINH", "2024-08")][3] == "Nộp muộn"
    assert by_pair[("CA_TINH", "2024-09")][3] == "Chưa nộp"
    assert by_pair[("BDBP", "2024-07")][3] == "Bị trả lại (có lỗi)"
    assert by_pair[("H_KONTUM", "2024-07")][4] == "H_KONTUM_2024-07_sua.xlsx"
    ca = by_pair[("CA_TINH", "2024-07")]
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
    for row, issue in zip(rows, result.issues, strict=True):
        assert row[6] == issue.code
        assert row[8] == issue.message("vi")
        assert row[7] == {"error": "Lỗi", "warning": "Cảnh báo"}[issue.severity]
        assert row[4] == issue.cell
    rejected = [r for r in rows if r[0] == "BDBP_2024-07.xlsx"]
    assert rejected and rejected[0][1] == "BDBP" and rejected[0][2] == "2024-07"


# --- audit trail ----------------------------------------------------------------------------------

def test_audit_sheet_has_one_row_per_accepted_number(wb, result, folder):
    ws = wb[sheet_title("data", "vi")]
    header = _find_header(ws, "Giá trị")
    assert [c.value for c in ws[header]] == ["Đơn vị", "Tháng", "Mã", "Giá trị", "Tệp", "Trang", "Ô"]
    rows = _rows(ws, header)
    assert len(rows) == len(result.long)
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
    """The summary sheet alone, fitted to the width only: it must still fill one page."""
    book = openpyxl.load_workbook(report)
    for name in book.sheetnames[1:]:
        del book[name]
    ws = book.worksheets[0]
    ws.page_setup.fitToHeight = 0
    path = tmp_path_factory.mktemp("summary") / "summary.xlsx"
    book.save(path)
    return path


@needs_soffice
def test_summary_prints_on_one_a4_landscape_page(summary_only):
    out = summary_only.parent
    _soffice(["--convert-to", "pdf", "--outdir", str(out), str(summary_only)], out)
    sizes = _pdf_pages(out / "summary.pdf")
    assert len(sizes) == 1, f"the summary prints on {len(sizes)} pages"
    width, height = sizes[0]
    assert width == pytest.approx(842, abs=2) and height == pytest.approx(595, abs=2)


@needs_soffice
def test_values_per_agency_print_one_page_per_group_of_forms(report, tmp_path):
    book = openpyxl.load_workbook(report)
    keep = sheet_title("agencies", "vi")
    for name in book.sheetnames:
        if name != keep:
            del book[name]
    groups = len(book[keep].col_breaks.brk) + 1
    book.save(tmp_path / "agencies.xlsx")
    _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "agencies.xlsx")],
             tmp_path)
    assert len(_pdf_pages(tmp_path / "agencies.pdf")) == groups


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
    statuses = {ws.cell(r, 1).value: ws.cell(r, 8).value
                for r in range(SUMMARY_FIRST_ROW, SUMMARY_FIRST_ROW + len(empty.indicators))}
    assert statuses["KPI_TG_PHAN_LOAI"] == "Không phát sinh"
    assert statuses["KPI_DUNG_HAN"] == "Chưa đạt"  # nothing received: 0 % on time
    chart_ws = again[sheet_title("chart", "vi")]
    assert [r[0] for r in _rows(chart_ws, 3)] == ["KPI_DUNG_HAN"]
    assert again[sheet_title("data", "vi")].max_row == 3  # header only


def test_folder_that_cannot_be_made_leaves_no_file(result, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_report(result, blocker / "report.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]
