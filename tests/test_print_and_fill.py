"""Templates and marked copies as clerks see them: on paper, in LibreOffice, and in the letter
that sends a rejected file back (issue 15).

The story: the Quảng Ngãi police and the commune of Đăk Hà print their blank templates; each page
is A4 portrait at full size, every label is whole (no row lower than its wrapped text, in
openpyxl's estimate and in LibreOffice's own), every form ends with the signatures of "Người lập
biểu" and "Thủ trưởng đơn vị" that kpi never reads. A clerk types her phone 0912345678 in
LibreOffice and the 0 stays. Mô Rai's file breaks a rule: its marked copy names the commune and
the cells, not the plan's codes, and lets the clerk change every cell it marks, even the cover's
locked agency cell. The letter sending it back is signed by the office of the plan's [contact],
or by the sender given on the command line.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner
from workbooks import (
    COVER,
    TT_SHEET,
    editing,
    find_uno_python,
    pdf_pages,
    row_of,
    set_value,
    soffice_convert_all,
    valid_values,
)

from kpi import load_plan, roll_up, validate_file
from kpi.annotate import annotate, issue_cells
from kpi.cli import app
from kpi.feedback import write_feedback
from kpi.fill import fill_template
from kpi.layout import COVER_SHEET, HELP_SHEET
from kpi.plan import Contact
from kpi.read import read_code_rows
from kpi.templates import PLACE_DATE, SIGNERS, build_template, write_atomic
from kpi.xlsx import FONT_NAME, line_height, wrapped_lines

ROOT = Path(__file__).resolve().parent.parent
QN_PLAN = ROOT / "kpi" / "plans" / "quangngai_2026.toml"
QN_EXAMPLES = ROOT / "examples" / "quangngai-2026-08"
MO_RAI = QN_EXAMPLES / "X_MO_RAI_2026-08.xlsx"
COMMITTED = ROOT / "templates_xlsx"
A4 = (595, 842)
PRINTABLE_PORTRAIT = (8.27 - 0.5 - 0.5) * 72  # points between the templates' margins
runner = CliRunner()


def kpi(*args: object):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def qn():
    return load_plan(QN_PLAN)


def one_of_each_shape() -> list[Path]:
    """A committed template of every distinct set of forms (every sheet layout once)."""
    chosen: dict[tuple, Path] = {}
    for folder in sorted(COMMITTED.iterdir()):
        plan = load_plan(ROOT / "kpi" / "plans" / f"{folder.name}.toml")
        for agency in plan.agencies:
            key = (folder.name, agency.forms, agency.rhythms)
            chosen.setdefault(key, folder / f"{agency.code}.xlsx")
    return sorted(chosen.values())


SHAPES = one_of_each_shape()


def needed(ws, cell) -> float:
    """The height a cell's text needs, by kpi's own estimate (merged cells over their width)."""
    width = ws.column_dimensions[cell.column_letter].width or 8.43
    for merged in ws.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                        for c in range(merged.min_col, merged.max_col + 1))
    size = float(cell.font.sz or 11)
    if not cell.alignment.wrap_text:
        return line_height(size)
    return wrapped_lines(cell.value, width, size, bool(cell.font.b)) * line_height(size)


# --- the template on paper, in openpyxl's view ----------------------------------------------------

@pytest.mark.parametrize("path", SHAPES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_label_is_taller_than_its_row(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            height = ws.row_dimensions[row[0].row].height or 15
            for cell in row:
                if cell.value in (None, "") or type(cell).__name__ == "MergedCell":
                    continue
                assert height >= needed(ws, cell) - 0.01, (
                    f"{path.name} {ws.title}!{cell.coordinate}: row {height} pt, text needs "
                    f"{needed(ws, cell):.1f} pt: {cell.value!r}")


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_sheet_prints_one_a4_page_wide_at_full_size(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        last = openpyxl.utils.column_index_from_string(
            re.findall(r"\$?([A-Z]+)\$?\d+$", ws.print_area)[0]) if ws.print_area else 1
        widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, last + 1)]
        printable = (8.27 - ws.page_margins.left - ws.page_margins.right) * 72
        # LibreOffice: 5.5 points a character of Times New Roman 11; Excel: 7 pixels and 5 more
        # a column. Wider than the page, "fit to one page wide" would shrink the text.
        assert sum(widths) * 5.5 <= printable, (ws.title, widths)
        assert sum(w * 7 + 5 for w in widths) * 0.75 <= printable, (ws.title, widths)


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_one_font_family_everywhere(path):
    wb = openpyxl.load_workbook(path)
    fonts = {c.font.name for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value not in (None, "")}
    assert fonts == {FONT_NAME}
    assert wb._named_styles["Normal"].font.name == FONT_NAME


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_clerk_can_make_rows_taller_on_every_protected_sheet(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.protection.sheet
        assert not ws.protection.formatRows and not ws.protection.formatColumns


def test_the_phone_cell_is_text_so_its_leading_zero_stays():
    wb = openpyxl.load_workbook(COMMITTED / "quangngai_2026" / "X_DAK_HA.xlsx")
    cover = wb[COVER_SHEET]
    phone = cover.cell(row_of(cover, "META_PHONE"), 5)
    assert phone.number_format == "@" and not phone.protection.locked


def test_every_form_ends_with_the_signatures_and_kpi_never_reads_them(plan, tmp_path):
    agency = plan.agency_by_code["CA_TINH"]
    wb = build_template(plan, agency, "2024-10")
    forms = [ws for ws in wb.worksheets if ws.title not in (COVER_SHEET, HELP_SHEET)]
    assert len(forms) == len(agency.forms)
    for ws in forms:
        texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        last_code = max(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1)
                        if c.value and "_" in str(c.value))
        for title, how in SIGNERS:
            assert texts[title].row > last_code and texts[how].row == texts[title].row + 1
        assert texts[PLACE_DATE].row == texts[SIGNERS[0][0]].row - 1
        block = range(texts[PLACE_DATE].row, ws.max_row + 1)
        assert all(ws.cell(r, 1).value is None for r in block)  # no code: never data
        area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        assert int(re.findall(r"\d+$", area)[0]) == ws.max_row  # printed with the form
    # Filled, with the place, date and names typed under the signatures: read exactly as
    # without them, and valid.
    values = valid_values(plan, "CA_TINH")
    plain = fill_template(plan, "CA_TINH", values, tmp_path / "CA_TINH_2024-10.xlsx", "2024-10")
    signed = tmp_path / "ky" / "CA_TINH_2024-10.xlsx"
    signed.parent.mkdir()
    shutil.copy(plain, signed)
    with editing(signed) as book:
        for ws in book.worksheets[2:]:
            place = next(c for row in ws.iter_rows() for c in row if c.value == PLACE_DATE)
            place.value = "Kon Tum, ngày 16 tháng 10 năm 2024"
            for col in (2, 4):
                ws.cell(ws.max_row, col).value = "TT_TIN_BAI 99"  # even a code-like name
    assert read_code_rows(signed) == read_code_rows(plain)
    sub = validate_file(signed, plan)
    assert sub.issues == [] and sub.values == validate_file(plain, plan).values


# --- the template and a marked copy, printed by LibreOffice -------------------------------------

def sizes(pdf: Path) -> list[tuple[int, int]]:
    return [(round(w), round(h)) for w, h in pdf_pages(pdf)]


def page_text(pdf: Path, page: int | None = None) -> str:
    """The text of a page (or the whole PDF) in the order LibreOffice wrote it: the lines of a
    wrapped cell follow one another."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def word_heights(pdf: Path, page: int) -> list[float]:
    done = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return [float(y1) - float(y0) for y0, y1 in
            re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', done.stdout)]


def times_metrics() -> bool:
    """LibreOffice lays out Times New Roman text with the same widths as Excel only with Times
    New Roman or its metric twin Liberation Serif installed."""
    done = subprocess.run(["fc-list"], capture_output=True, text=True)
    return any(name in done.stdout for name in ("Liberation Serif", "Times New Roman"))


@pytest.fixture(scope="module")
def printed(soffice, qn, tmp_path_factory) -> dict[str, Path]:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    if shutil.which("fc-list") is None or not times_metrics():
        pytest.skip("neither Liberation Serif nor Times New Roman is installed: pages would be "
                    "laid out in another font")
    folder = tmp_path_factory.mktemp("printed")
    sources = []
    for code in ("CA_TINH", "X_DAK_HA"):
        path = folder / f"{code}.xlsx"
        write_atomic(build_template(qn, qn.agency_by_code[code]), path)
        sources.append(path)
    sub = validate_file(MO_RAI, qn, today=date(2026, 8, 20))
    sources.append(annotate(sub, folder / "X_MO_RAI.kiem-tra.xlsx"))
    pdfs = soffice_convert_all(soffice, sources, "pdf", folder / "pdf")
    return {p.stem: p for p in pdfs}


@pytest.mark.slow
def test_the_police_template_prints_a_page_a_sheet_with_its_titles(printed, qn):
    pdf = printed["CA_TINH"]
    agency = qn.agency_by_code["CA_TINH"]
    assert sizes(pdf) == [A4] * (2 + len(agency.forms))
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN QUYẾT ĐỊNH 33/QĐ-TTg" in page_text(pdf, 1)
    assert "HƯỚNG DẪN ĐIỀN BIỂU MẪU" in page_text(pdf, 2)
    for n, form in enumerate(agency.forms, 3):
        text = flat(page_text(pdf, n))
        assert flat(qn.form_by_code[form].title_vi.upper()) in text
        for words in ("Người lập biểu", "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên, đóng dấu)",
                      "ngày … tháng … năm"):
            assert words in text


@pytest.mark.slow
@pytest.mark.parametrize("code", ["CA_TINH", "X_DAK_HA"])
def test_every_label_prints_whole_at_full_size(printed, qn, code):
    pdf = printed[code]
    agency = qn.agency_by_code[code]
    text = flat(page_text(pdf))
    for form in agency.forms:
        for element in qn.elements_of(form):
            assert flat(element.name_vi) in text, f"{element.code}: label cut on paper"
    # Body text at 11 points at 100 %: a word box of Liberation Serif 11 is 12.4 points tall.
    for page in range(3, 3 + len(agency.forms)):
        assert statistics.median(word_heights(pdf, page)) >= 0.95 * 12.4, f"page {page} shrunk"


@pytest.mark.slow
def test_the_commune_template_prints_four_pages(printed):
    assert sizes(printed["X_DAK_HA"]) == [A4] * 4


@pytest.mark.slow
def test_the_marked_copy_prints_in_names_not_codes(printed):
    pdf = printed["X_MO_RAI.kiem-tra"]
    pages = sizes(pdf)
    assert pages[0] == (A4[1], A4[0]) and pages[1:] == [A4] * 4  # the list is landscape
    first = flat(page_text(pdf, 1))
    assert "KẾT QUẢ KIỂM TRA BÁO CÁO" in first and "Xã Mô Rai" in first
    assert ("Số nạn nhân đã báo cơ quan chức năng không được lớn hơn số được tiếp nhận "
            "(ô E8 ghi 2, ô E7 ghi 1)") in first
    assert "R_XN_CHUYEN" not in page_text(pdf)
    assert "Người lập biểu" in page_text(pdf, 5)


@pytest.fixture(scope="module")
def lo_heights(soffice, printed, tmp_path_factory) -> dict[str, dict[str, list[list[float]]]]:
    """LibreOffice's own optimal height of every row of the printed workbooks and of a committed
    template of every sheet layout (python3-uno)."""
    python = find_uno_python()
    if python is None:
        pytest.skip("python3-uno is not installed: LibreOffice's row heights not compared")
    folder = tmp_path_factory.mktemp("heights")
    sources = sorted(printed["CA_TINH"].parent.parent.glob("*.xlsx"))
    for path in SHAPES:
        sources.append(folder / f"{path.parent.name}-{path.name}")
        shutil.copy(path, sources[-1])
    job = folder / "job.json"
    job.write_text(json.dumps({"soffice": soffice[0], "profile": soffice[1],
                               "files": [str(p) for p in sources]}), encoding="utf-8")
    out = folder / "heights.json"
    done = subprocess.run([python, str(Path(__file__).with_name("lo_rows.py")), str(job), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {Path(k).stem: v for k, v in json.loads(out.read_text(encoding="utf-8")).items()}


@pytest.mark.slow
def test_libreoffice_needs_no_row_taller_than_kpi_made_it(lo_heights):
    assert {"CA_TINH", "X_DAK_HA", "X_MO_RAI.kiem-tra", "kontum_1583-CA_TINH"} <= set(lo_heights)
    assert len(lo_heights) == 3 + len(SHAPES)
    for book, sheets in lo_heights.items():
        for sheet, rows in sheets.items():
            low = [(r, have, need) for r, have, need in rows if need > have + 0.5]
            assert not low, f"{book} {sheet}: rows lower than LibreOffice needs: {low}"


@pytest.mark.slow
def test_a_phone_typed_in_libreoffice_keeps_its_leading_zero(soffice, qn, tmp_path):
    python = find_uno_python()
    if python is None:
        pytest.skip("python3-uno is not installed: LibreOffice cannot type into the template")
    blank = tmp_path / "X_DAK_HA_2026-08.xlsx"
    write_atomic(build_template(qn, qn.agency_by_code["X_DAK_HA"], "2026-08"), blank)
    old = tmp_path / "cu" / "X_DAK_HA_2026-08.xlsx"  # a template whose phone cell is General
    old.parent.mkdir()
    shutil.copy(blank, old)
    with editing(old) as wb:
        wb[COVER_SHEET].cell(row_of(wb[COVER_SHEET], "META_PHONE"), 5).number_format = "General"
    typed = tmp_path / "go"
    typed.mkdir()
    job = {"soffice": soffice[0], "profile": soffice[1], "files": [
        {"template": str(blank), "values": {"META_PHONE": {"typed": "0912345678"}},
         "outputs": [[str(typed / "X_DAK_HA_2026-08.xlsx"), "Calc MS Excel 2007 XML"],
                     [str(typed / "X_DAK_HA_2026-08.ods"), "calc8"],
                     [str(typed / "X_DAK_HA_2026-08.xls"), "MS Excel 97"]]},
        {"template": str(old), "values": {"META_PHONE": {"typed": "0912345678"}},
         "outputs": [[str(typed / "cu.xlsx"), "Calc MS Excel 2007 XML"]]}]}
    (tmp_path / "job.json").write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run([python, str(Path(__file__).with_name("lo_fill.py")),
                           str(tmp_path / "job.json")], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    def phone(path: Path) -> object:
        return next(r.value for r in read_code_rows(path) if r.code == "META_PHONE")

    for path in sorted(typed.glob("X_DAK_HA_2026-08.*")):
        assert phone(path) == "0912345678", path.suffix  # text: the 0 is there
        assert validate_file(path, qn, today=date(2026, 8, 20)).phone == "0912345678"
    # In a General cell LibreOffice makes it a number; kpi still reads the phone meant.
    assert phone(typed / "cu.xlsx") == 912345678
    sub = validate_file(typed / "cu.xlsx", qn, today=date(2026, 8, 20))
    assert sub.phone == "0912345678"
    assert not [i for i in sub.issues if i.element == "META_PHONE"]


# --- the marked copy: every cell it asks to change can be changed --------------------------------

@pytest.fixture
def spoiled(make_submission) -> list[Path]:
    """Files with a problem on every kind of cell: the cover's locked agency cell, the cover's
    other cells, value cells, a rule over two cells, a code cell in column A."""
    unknown = make_submission("CA_TINH", name="CA_TINH_2024-10.xlsx", META_AGENCY="SO_KHONG_CO")
    cover = make_submission("BDBP", name="BDBP_2024-10.xlsx", META_PERIOD="tháng mười",
                            META_PHONE=None, META_SUBMITTED="hôm qua")
    values = make_submission("VKS", name="VKS_2024-10.xlsx", TTO_VU_GIAI_QUYET=9,
                             TTO_BI_CAN_TRUY_TO="năm")
    with editing(values) as wb:
        ws = wb["TT Truyền thông"]
        under = max(c.row for (c,) in ws.iter_rows(min_col=1, max_col=1) if c.value) + 1
        ws.cell(under, 1, "TT_TIN_BAI")  # a row pasted twice: duplicate-code on A
        ws.cell(under, 5, 3)
    return [unknown, cover, values]


def test_every_cell_a_marked_copy_marks_is_unlocked(spoiled, plan, tmp_path):
    # The template locks the cover's agency cell ...
    template = openpyxl.load_workbook(spoiled[0])
    cover = template[COVER]
    assert cover.cell(row_of(cover, "META_AGENCY"), 5).protection.locked
    kinds = set()
    for path in spoiled:
        sub = validate_file(path, plan)
        copy = openpyxl.load_workbook(annotate(sub, tmp_path / f"{path.stem}.kiem-tra.xlsx"))
        for issue in sub.issues:
            for sheet, cell in issue_cells(issue):
                ws = copy[sheet]
                assert not ws.protection.sheet or ws[cell].protection.locked is False, (
                    f"{path.name}: {issue.code} marks {sheet}!{cell}, which the clerk cannot edit")
                kinds.add(issue.code)
    # ... and the copy that asks to correct it lets the clerk do so.
    assert {"unknown-agency", "bad-period", "missing-info", "bad-date", "rule", "not-a-number",
            "duplicate-code"} <= kinds


def test_the_marked_copy_names_the_unit_and_the_cells_not_codes(qn, tmp_path):
    sub = validate_file(MO_RAI, qn, today=date(2026, 8, 20))
    wb = openpyxl.load_workbook(annotate(sub, tmp_path / "copy.xlsx"))
    ws = wb.worksheets[0]
    head = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 6)}
    assert head["Đơn vị"] == "Xã Mô Rai"
    header = next(c.row for c in ws["A"] if c.value == "Mức")
    [listed] = [[c.value for c in r] for r in ws.iter_rows(min_row=header + 1) if r[0].value]
    assert listed == ["Lỗi", "XN Nguy cơ, trở về, nạn nhân", "E8",
                      "Số nạn nhân đã báo cơ quan chức năng không được lớn hơn số được tiếp nhận "
                      "(ô E8 ghi 2, ô E7 ghi 1)", "XN_NN_CHUYEN"]
    marked = wb["XN Nguy cơ, trở về, nạn nhân"]["E8"]
    assert "R_XN_CHUYEN" not in marked.comment.text and "ô E7 ghi 1" in marked.comment.text


def test_json_and_the_terminal_keep_the_analysts_codes(qn):
    result = kpi("validate", MO_RAI, "--format", "json")
    [issue] = json.loads(result.stdout)["files"][0]["errors"]
    assert set(issue) == {"code", "severity", "sheet", "cell", "element", "message", "cells"}
    assert issue["code"] == "rule" and issue["element"] == "XN_NN_CHUYEN"
    assert issue["message"].endswith("(R_XN_CHUYEN: XN_NN_CHUYEN = 2, XN_NN_TIEP_NHAN = 1)")
    assert "R_XN_CHUYEN" in kpi("validate", MO_RAI).output


# --- the letter: who sends it ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def mo_rai_month(qn, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mo-rai")
    for name in ("X_MO_RAI_2026-08.xlsx", "X_DAK_TO_2026-08.xlsx"):
        shutil.copy(QN_EXAMPLES / name, folder / name)
    return roll_up([folder], "2026-08", qn, now=datetime(2026, 8, 20, 9, 0))


def letter(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def test_the_letter_is_signed_by_the_plans_contact(mo_rai_month, tmp_path):
    assert mo_rai_month.plan.contact.office_vi == "Phòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi"
    text = letter(write_feedback(mo_rai_month, tmp_path).texts["X_MO_RAI"])
    assert "Kính gửi: Xã Mô Rai\n" in text and "X_MO_RAI)" not in text
    assert ("   - trang \"XN Nguy cơ, trở về, nạn nhân\", ô E8: Số nạn nhân đã báo cơ quan chức năng "
            "không được lớn hơn số được tiếp nhận (ô E8 ghi 2, ô E7 ghi 1)") in text
    assert "R_XN_CHUYEN" not in text and "(XN_NN_CHUYEN)" not in text
    # The bundled plan names the office only: the letter says no more than it knows.
    assert text.endswith("Trân trọng cảm ơn.\n\nNgười gửi:\n"
                         "Phòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi\n")


def test_the_sender_given_replaces_the_plans(mo_rai_month, tmp_path):
    sender = mo_rai_month.plan.contact.replaced(person="Trần Thị B", phone="0255 3 822 111")
    text = letter(write_feedback(mo_rai_month, tmp_path, sender=sender).texts["X_MO_RAI"])
    assert text.endswith("Người gửi:\nPhòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi\n"
                         "Cán bộ đầu mối: Trần Thị B\nĐiện thoại: 0255 3 822 111\n")
    english = letter(write_feedback(mo_rai_month, tmp_path / "en", "en", sender=Contact(
        office_vi="Phòng A", office_en="Office A", email="a@example.vn")).texts["X_MO_RAI"])
    assert english.endswith("Thank you.\n\nFrom:\nOffice A\nEmail: a@example.vn\n")
    assert "To: Commune Mo Rai\n" in english


def test_aggregate_feedback_options_sign_the_letters(make_submission, tmp_path):
    files = [make_submission("VKS"),
             make_submission("H_DAKHA", name="H_DAKHA_2024-10.xlsx", TT_BUOI_CONG_DONG="mười")]
    out = tmp_path / "phan-hoi"
    result = kpi("aggregate", *files, "--period", "2024-10", "--feedback", out,
                 "--sender-office", "Phòng PC02, Công an tỉnh Kon Tum",
                 "--sender-person", "Nguyễn Văn C", "--sender-phone", "0260 3 862 000")
    assert result.exit_code == 1, result.output
    text = letter(out / "H_DAKHA.txt")
    assert text.endswith("Người gửi:\nPhòng PC02, Công an tỉnh Kon Tum\nCán bộ đầu mối: Nguyễn Văn C\n"
                         "Điện thoại: 0260 3 862 000\n")
    # Without options, Kon Tum's period is signed today by Quảng Ngãi's [contact] (issue 24);
    # Kon Tum's plan alone, with no [contact], signs nothing.
    kpi("aggregate", *files, "--period", "2024-10", "--feedback", out)
    assert letter(out / "H_DAKHA.txt").endswith(
        "Người gửi:\nPhòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi\n")
    kpi("aggregate", *files, "--period", "2024-10", "--feedback", out,
        "--plan", Path(__file__).resolve().parents[1] / "kpi" / "plans" / "kontum_1583.toml")
    assert letter(out / "H_DAKHA.txt").endswith("Trân trọng cảm ơn.\n")


ALPHA = (Path(__file__).resolve().parent / "plans" / "alpha.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("contact", "says"), [
    ('[contact]\nphone_number = "0255 3 822 111"', "unknown key 'phone_number'"),
    ("[contact]\nphone = 2553822111", "'phone' must be text in quotes"),
    ("[contact]\nperson = 12", "'person' must be text"),
    ('[contact]\nemail = "pc02.congan"', "is not an email address"),
    ('contact = "Phòng PC02"', "[contact]: must be a table"),
])
def test_plan_check_catches_mistakes_in_the_contact(tmp_path, contact, says):
    path = tmp_path / "sai.toml"
    path.write_text(ALPHA.replace("[plan]", f"{contact}\n\n[plan]", 1) if contact.startswith("contact")
                    else f"{ALPHA}\n{contact}\n", encoding="utf-8")
    result = kpi("plan", "check", path, "--lang", "en")
    assert result.exit_code == 1
    assert says in " ".join(result.output.split()), result.output
    assert kpi("plan", "check", path).exit_code == 1  # and in Vietnamese


def test_a_sound_contact_reaches_the_plan(tmp_path):
    path = tmp_path / "dung.toml"
    path.write_text(f'{ALPHA}\n[contact]\noffice_vi = "Phòng PC02"\nphone = "0255 3 822 111"\n',
                    encoding="utf-8")
    assert kpi("plan", "check", path).exit_code == 0
    assert load_plan(path).contact == Contact(office_vi="Phòng PC02", phone="0255 3 822 111")


def test_a_phone_typed_as_a_number_is_read_with_its_zero(make_submission, plan):
    path = make_submission("VKS", META_PHONE=912345678)
    sub = validate_file(path, plan)
    assert sub.phone == "0912345678" and sub.issues == []
    with editing(path) as wb:
        set_value(wb, "META_PHONE", "0260 3 862 000")
    assert validate_file(path, plan).phone == "0260 3 862 000"


def test_on_a_form_row_only_the_value_and_the_note_are_open(plan, tmp_path):
    path = tmp_path / "CA_TINH.xlsx"
    write_atomic(build_template(plan, plan.agency_by_code["CA_TINH"]), path)
    ws = openpyxl.load_workbook(path)[TT_SHEET]
    r = row_of(ws, "TT_TIN_BAI")
    assert [ws.cell(r, c).protection.locked for c in range(1, 7)] == [True] * 4 + [False] * 2


def test_a_rule_over_selections_names_the_cells_it_adds_up(tmp_path):
    # More children supported than identified: each side is read from two cells of a grid.
    gamma = (Path(__file__).resolve().parent / "plans_other" / "gamma.toml").read_text(
        encoding="utf-8").replace('scope = "province"\nseverity = "warning"',
                                  'scope = "submission"\nseverity = "error"', 1)
    path = tmp_path / "gamma.toml"
    path.write_text(gamma, encoding="utf-8")
    plan = load_plan(path)
    values = {"META_AGENCY": "CA", "META_PERIOD": "03/2026", "META_REPORTER": "Lê Văn D",
              "META_PHONE": "0912 345 678", "META_SUBMITTED": datetime(2026, 4, 2),
              "NN_XD": 2, "NN_XD.TE": [1, 0], "NN_XD.NL": [1, 0], "NN_XD.KINH": 2, "NN_XD.DTTS": 0,
              "NN_HT": 3, "NN_HT.TE": [2, 1], "NN_HT.NL": [0, 0], "NN_CHO": 0, "NN_CHO.NAM": 0,
              "NN_CHO.NU": 0}
    sub = validate_file(fill_template(plan, "CA", values, tmp_path / "CA_2026-03.xlsx", "2026-03"),
                        plan, today=date(2026, 4, 5))
    [rule] = [i for i in sub.issues if i.code == "rule"]
    assert rule.message("vi").endswith("(R_TE_HT: NN_HT[TE] = 3, NN_XD[TE] = 1)")
    assert re.fullmatch(r"Số trẻ em được hỗ trợ lớn hơn số trẻ em được xác định là nạn nhân "
                        r"\(các ô E\d+, F\d+ cộng lại 3, các ô E\d+, F\d+ cộng lại 1\)",
                        rule.for_clerk("vi")), rule.for_clerk("vi")
    assert "cells E" in rule.for_clerk("en") and "add up to 3" in rule.for_clerk("en")
