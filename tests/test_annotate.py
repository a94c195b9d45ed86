"""Feedback a clerk can act on: the marked copy (`kpi validate --annotate`) and the texts and
copies for the agencies whose files were rejected (`kpi aggregate --feedback`).

The story: the police's October file has a word for a number (error), a number typed as text
(warning), more reports classified than received (a rule over two cells), no phone number
(warning) and a deleted row (an error without a cell). The copy must show each of them where it
is, leave the original alone, and still read as the same submission.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner
from workbooks import (
    COVER,
    DT_SHEET,
    TG_SHEET,
    TT_SHEET,
    count_colour,
    editing,
    png_rgb,
    row_of,
    set_value,
    soffice_convert_all,
    valid_values,
)

from kpi import validate_file
from kpi.aggregate import aggregate
from kpi.annotate import (
    ERROR_FILL,
    WARNING_FILL,
    AnnotateError,
    annotate,
    default_output,
    rebuild_from_values,
)
from kpi.cli import app
from kpi.feedback import UNKNOWN_AGENCY_FILE, write_feedback
from kpi.fill import fill_template
from kpi.read import read_code_rows

RESULT = "Kết quả kiểm tra"
runner = CliRunner()


def kpi(*args: object):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def fill_of(cell) -> str | None:
    """The solid fill colour of a cell as RRGGBB, or None."""
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return (cell.fill.fgColor.rgb or "")[-6:]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def faulty(make_submission) -> Path:
    path = make_submission("CA_TINH", TG_TIEP_NHAN=5, TG_PHAN_LOAI=9)
    with editing(path) as wb:
        set_value(wb, "TT_BUOI_CONG_DONG", "mười")
        set_value(wb, "TT_TIN_BAI", "1.234")
        set_value(wb, "META_PHONE", None)
        dt = wb[DT_SHEET]
        dt.delete_rows(row_of(dt, "DT_BI_CAN"))
        note = wb[TT_SHEET]["F6"]  # a note typed with a leading apostrophe: text, not a formula
        note.value, note.data_type = "=HYPERLINK(\"http://x\",\"y\")", "s"
    return path


@pytest.fixture
def copy(faulty, plan) -> Path:
    return annotate(validate_file(faulty, plan))


# --- the marked copy -----------------------------------------------------------------------------

def test_the_copy_is_written_next_to_the_original_which_is_left_alone(faulty, plan):
    before = digest(faulty)
    written = annotate(validate_file(faulty, plan))
    assert written == faulty.with_name("CA_TINH_2024-10.kiem-tra.xlsx") == default_output(faulty)
    assert digest(faulty) == before


def test_every_cell_with_an_issue_is_filled_and_commented(copy, faulty, plan):
    wb = openpyxl.load_workbook(copy)
    tt, tg, cover = wb[TT_SHEET], wb[TG_SHEET], wb[COVER]
    word = tt[f"E{row_of(tt, 'TT_BUOI_CONG_DONG')}"]
    text = tt[f"E{row_of(tt, 'TT_TIN_BAI')}"]
    phone = cover[f"E{row_of(cover, 'META_PHONE')}"]
    assert fill_of(word) == ERROR_FILL
    assert word.comment.text == "Lỗi: 'mười' không phải là số (Số buổi tuyên truyền tại cộng đồng)"
    assert fill_of(text) == WARNING_FILL and text.comment.text.startswith("Cảnh báo: Số được nhập dạng chữ")
    assert fill_of(phone) == WARNING_FILL and "Số điện thoại" in phone.comment.text
    # A rule marks every cell it involves: classified (E7) and received (E6).
    for code in ("TG_PHAN_LOAI", "TG_TIEP_NHAN"):
        cell = tg[f"E{row_of(tg, code)}"]
        assert fill_of(cell) == ERROR_FILL and "phân loại không được lớn hơn" in cell.comment.text
    # Cells without a problem keep the template's look, and get no comment.
    fine = tt[f"E{row_of(tt, 'TT_MO_HINH')}"]
    assert fill_of(fine) == "FFF2CC" and fine.comment is None
    marked = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if c.comment is not None}
    assert len(marked) == 5  # the deleted row has no cell: it is listed on the first sheet only


def test_the_first_sheet_lists_every_issue_with_a_link_to_its_cell(copy, faulty, plan):
    sub = validate_file(faulty, plan)
    wb = openpyxl.load_workbook(copy)
    assert wb.sheetnames[0] == RESULT and wb.active.title == RESULT
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets].count(True) == 1
    ws = wb[RESULT]
    header = next(c.row for c in ws["A"] if c.value == "Mức")
    assert [c.value for c in ws[header]] == ["Mức", "Trang", "Ô", "Nội dung", "Mã ở cột A"]
    rows = [r for r in ws.iter_rows(min_row=header + 1) if r[0].value]
    assert len(rows) == len(sub.issues) == 5
    assert [r[0].value for r in rows] == ["Lỗi"] * 3 + ["Cảnh báo"] * 2  # errors first
    links = {}
    for severity, sheet, cell, message, element in rows:
        assert fill_of(severity) == (ERROR_FILL if severity.value == "Lỗi" else WARNING_FILL)
        link = cell.hyperlink or sheet.hyperlink
        links[element.value] = link.location
        assert message.value
    assert links["TT_BUOI_CONG_DONG"] == f"'{TT_SHEET}'!E8"
    assert links["TG_PHAN_LOAI"] == f"'{TG_SHEET}'!E7"
    assert links["META_PHONE"] == f"'{COVER}'!E8"
    assert links["DT_BI_CAN"] == f"'{DT_SHEET}'!A1"  # no cell: the link goes to the sheet
    assert "Có lỗi: 3 lỗi, 2 cảnh báo" in [c.value for c in ws["B"]][4]


def test_the_copy_still_reads_as_the_same_submission(copy, faulty, plan):
    # The first sheet carries no code in column A: a clerk may correct the copy and send it back.
    assert read_code_rows(copy) == read_code_rows(faulty)
    original, again = validate_file(faulty, plan), validate_file(copy, plan)
    assert [i.to_dict("vi") for i in again.issues] == [i.to_dict("vi") for i in original.issues]


def test_the_clerks_layout_is_kept(copy, faulty):
    before, after = openpyxl.load_workbook(faulty), openpyxl.load_workbook(copy)
    for ws in before.worksheets:
        copied = after[ws.title]
        assert copied.protection.sheet == ws.protection.sheet
        assert copied.column_dimensions["C"].width == ws.column_dimensions["C"].width
        assert len(copied.data_validations.dataValidation) == len(ws.data_validations.dataValidation)
    note = after[TT_SHEET]["F6"]
    assert note.value == "=HYPERLINK(\"http://x\",\"y\")" and note.data_type == "s"  # still text


def test_an_english_copy(faulty, plan, tmp_path):
    out = annotate(validate_file(faulty, plan), tmp_path / "en.xlsx", "en")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Validation results"
    tt = wb[TT_SHEET]
    assert tt["E8"].comment.text.startswith("Error: 'mười' is not a number (")


def test_marking_a_corrected_copy_again_drops_the_old_marks(copy, plan):
    with editing(copy) as wb:
        set_value(wb, "TT_BUOI_CONG_DONG", 4)  # the clerk fixes the copy itself
    again = annotate(validate_file(copy, plan), copy.with_name("lan-2.xlsx"))
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames.count(RESULT) == 1
    fixed = wb[TT_SHEET]["E8"]
    assert fill_of(fixed) is None and fixed.comment is None
    assert fill_of(wb[TT_SHEET]["E6"]) == WARNING_FILL  # still typed as text


def test_a_clerks_own_comment_is_kept_below_ours(faulty, plan, tmp_path):
    with editing(faulty) as wb:
        wb[TT_SHEET]["E8"].comment = openpyxl.comments.Comment("Chưa có số liệu xã", "Hoa")
    wb = openpyxl.load_workbook(annotate(validate_file(faulty, plan), tmp_path / "c.xlsx"))
    text = wb[TT_SHEET]["E8"].comment.text
    assert text.startswith("Lỗi: 'mười'") and text.endswith("Chưa có số liệu xã")


def test_a_workbook_rebuilt_from_values_keeps_sheets_positions_and_values(faulty):
    # The path taken for .xls and .ods (openpyxl cannot open them), tried here on an .xlsx.
    wb, titles = rebuild_from_values(faulty)
    original = openpyxl.load_workbook(faulty)
    assert wb.sheetnames == original.sheetnames and titles == {n: n for n in original.sheetnames}
    for ws in original.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    assert wb[ws.title][cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
    note = wb[TT_SHEET]["F6"]
    assert note.data_type == "s" and note.quotePrefix  # formula-like text stays text
    assert wb[COVER]["E9"].number_format == "DD/MM/YYYY HH:MM"


def test_an_xlsx_openpyxl_cannot_open_is_rebuilt_from_its_values(faulty, plan, tmp_path, monkeypatch):
    import openpyxl as module

    def refuse(*args, **kwargs):
        raise ValueError("unsupported")

    monkeypatch.setattr(module, "load_workbook", refuse)
    out = annotate(validate_file(faulty, plan), tmp_path / "rebuilt.xlsx")
    monkeypatch.undo()
    wb = openpyxl.load_workbook(out)
    notes = [c.value for c in wb[RESULT]["A"] if c.value]
    assert any("dựng lại từ giá trị" in n for n in notes)
    assert fill_of(wb[TT_SHEET]["E8"]) == ERROR_FILL
    assert [i.to_dict("vi") for i in validate_file(out, plan).issues] == [
        i.to_dict("vi") for i in validate_file(faulty, plan).issues]


def test_an_xlsm_gives_an_xlsx_copy(faulty, plan, tmp_path):
    xlsm = tmp_path / "CA_TINH_2024-10.xlsm"
    shutil.copy(faulty, xlsm)
    out = annotate(validate_file(xlsm, plan))
    assert out.name == "CA_TINH_2024-10.kiem-tra.xlsx"
    assert openpyxl.load_workbook(out).sheetnames[0] == RESULT


def test_an_unreadable_file_gets_no_copy(tmp_path, plan):
    bad = tmp_path / "BDBP_2024-10.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(AnnotateError, match="không đọc được"):
        annotate(validate_file(bad, plan))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BDBP_2024-10.xlsx"]


def test_the_copy_never_replaces_the_original(faulty, plan):
    before = digest(faulty)
    with pytest.raises(AnnotateError, match="Không ghi đè tệp gốc"):
        annotate(validate_file(faulty, plan), faulty)
    assert digest(faulty) == before


# --- kpi validate --annotate -----------------------------------------------------------------------

def test_validate_annotate_writes_one_copy_next_to_each_file(faulty, make_submission):
    valid = make_submission("VKS")
    result = kpi("validate", faulty, valid, "--annotate")
    assert result.exit_code == 1
    for source in (faulty, valid):
        assert f"Đã ghi bản kiểm tra: {default_output(source)}" in result.output
        assert default_output(source).exists()
    wb = openpyxl.load_workbook(default_output(valid))
    assert wb[RESULT]["B5"].value == "Hợp lệ: không có lỗi hay cảnh báo."


def test_validate_annotate_out_a_file_or_a_folder(faulty, make_submission, tmp_path):
    target = tmp_path / "gui-lai" / "ca-tinh.xlsx"
    result = kpi("validate", faulty, "--annotate-out", target, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["files"][0]["annotated"] == str(target) and target.exists()
    folder = tmp_path / "ban-kiem-tra"
    result = kpi("validate", faulty, make_submission("VKS"), "--annotate-out", folder)
    assert sorted(p.name for p in folder.iterdir()) == ["CA_TINH_2024-10.kiem-tra.xlsx",
                                                        "VKS_2024-10.kiem-tra.xlsx"]


def test_two_files_of_the_same_name_get_two_copies(faulty):
    twin = faulty.with_suffix(".xlsm")  # the clerk sent the month twice, as .xlsx and as .xlsm
    shutil.copy(faulty, twin)
    result = kpi("validate", faulty, twin, "--annotate")
    assert "CA_TINH_2024-10.kiem-tra.xlsx" in result.output
    assert "CA_TINH_2024-10-2.kiem-tra.xlsx" in result.output
    assert len(list(faulty.parent.glob("*.kiem-tra.xlsx"))) == 2


def test_sheet_names_excel_refuses_are_made_safe():
    from kpi.annotate import _safe_title

    assert _safe_title("TT/Truyền thông: tháng 10?", set()) == "TT_Truyền thông_ tháng 10_"
    assert _safe_title("x" * 40, set()) == "x" * 31
    assert _safe_title("Biểu", {"biểu"}) == "Biểu~2"


@pytest.mark.parametrize("out", ["one.xlsx", "copy.xls"])
def test_validate_annotate_out_usage_mistakes_exit_2(faulty, make_submission, tmp_path, out):
    result = kpi("validate", faulty, make_submission("VKS"), "--annotate-out", tmp_path / out)
    assert result.exit_code == 2
    assert "--annotate-out" in result.output or ".xlsx" in result.output
    assert not list(tmp_path.glob("*.kiem-tra.xlsx")) and not (tmp_path / out).exists()


def test_validate_annotate_an_unreadable_file_exits_2_without_a_copy(tmp_path, faulty):
    bad = tmp_path / "BDBP_2024-10.xlsx"
    bad.write_text("Xin gửi báo cáo", encoding="utf-8")
    result = kpi("validate", bad, faulty, "--annotate")
    assert result.exit_code == 2
    assert f"Không tạo bản kiểm tra cho {bad}: tệp không đọc được" in result.output
    assert not default_output(bad).exists() and default_output(faulty).exists()


def test_validate_annotate_refuses_to_overwrite_the_original(faulty):
    before = digest(faulty)
    result = kpi("validate", faulty, "--annotate-out", faulty)
    assert result.exit_code == 2 and "Không ghi đè tệp gốc" in result.output
    assert digest(faulty) == before


# --- what LibreOffice shows -------------------------------------------------------------------------

def _page_with(pdf: Path, *words: str) -> int:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    for number, page in enumerate(text.split("\f"), 1):
        if all(w in page for w in words):
            return number
    raise AssertionError(f"no page of {pdf.name} shows {words}")


def _colours(pdf: Path, page: int) -> tuple[int, int]:
    """Pixels of the red and of the yellow fill on one page rendered at 60 dpi."""
    prefix = pdf.parent / f"page-{page}-{pdf.stem.replace('.', '-')}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=60)
    _, _, rgb = png_rgb(prefix.parent / f"{prefix.name}.png")
    return count_colour(rgb, ERROR_FILL), count_colour(rgb, WARNING_FILL)


@pytest.mark.slow
def test_libreoffice_prints_the_red_and_yellow_cells(soffice, faulty, plan, tmp_path):
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed: the rendered page is not checked")
    copy = annotate(validate_file(faulty, plan), tmp_path / "copy" / "CA_TINH_2024-10.kiem-tra.xlsx")
    original_pdf, copy_pdf = soffice_convert_all(soffice, [faulty, copy], "pdf", tmp_path / "pdf")
    # The form sheet itself, not the first sheet (whose legend carries both colours too).
    red, yellow = _colours(copy_pdf, _page_with(copy_pdf, "TT_CHUYEN_MUC", "TT_MO_HINH"))
    assert red > 50 and yellow > 50, (red, yellow)
    assert _colours(original_pdf, _page_with(original_pdf, "TT_CHUYEN_MUC", "TT_MO_HINH")) == (0, 0)
    first = _page_with(copy_pdf, "KẾT QUẢ KIỂM TRA BÁO CÁO")
    assert first == 1 and min(_colours(copy_pdf, first)) > 0


# --- feedback to agencies (kpi aggregate --feedback) -------------------------------------------------

@pytest.fixture
def october(plan, tmp_path) -> Path:
    """Police: accepted. Đăk Hà: rejected twice (September and October). An unknown agency.
    A file that cannot be read."""
    folder = tmp_path / "nop"
    fill_template(plan, "CA_TINH", valid_values(plan, "CA_TINH"), folder / "CA_TINH_2024-10.xlsx", "2024-10")
    for month in ("09", "10"):
        path = fill_template(plan, "H_DAKHA", {**valid_values(plan, "H_DAKHA", f"{month}/2024"),
                                               "TH_LOP": None},
                             folder / f"H_DAKHA_2024-{month}.xlsx", f"2024-{month}")
        with editing(path) as wb:
            set_value(wb, "TT_BUOI_CONG_DONG", "mười")
            set_value(wb, "TT_TIN_BAI", "1.234")
    fill_template(plan, "H_DAKTO", {**valid_values(plan, "H_DAKTO"), "META_AGENCY": "SO_KHONG_CO"},
                  folder / "bao-cao-thang-10.xlsx", "2024-10")
    (folder / "BDBP_2024-10.xlsx").write_text("Xin gửi báo cáo", encoding="utf-8")
    return folder


def _result(folder: Path, plan):
    subs = [validate_file(p, plan) for p in sorted(folder.glob("*.xlsx"))]
    return aggregate(subs, plan, "2024-09..2024-10", now=datetime(2024, 10, 16, 9, 0))


def _text(path: Path) -> str:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Notepad on an old PC reads it right
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def test_feedback_names_copies_by_agency_and_month(october, plan, tmp_path):
    out = tmp_path / "phan-hoi"
    feedback = write_feedback(_result(october, plan), out)
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "H_DAKHA.txt", "H_DAKHA_2024-09.kiem-tra.xlsx", "H_DAKHA_2024-10.kiem-tra.xlsx",
        UNKNOWN_AGENCY_FILE, "bao-cao-thang-10.kiem-tra.xlsx"])
    assert [p.name for p in feedback.written][:3] == [
        "H_DAKHA.txt", "H_DAKHA_2024-09.kiem-tra.xlsx", "H_DAKHA_2024-10.kiem-tra.xlsx"]
    copy = openpyxl.load_workbook(out / "H_DAKHA_2024-10.kiem-tra.xlsx")
    assert fill_of(copy[TT_SHEET]["E8"]) == ERROR_FILL


def test_feedback_text_says_which_file_which_cells_what_to_fix_and_by_when(october, plan, tmp_path):
    write_feedback(_result(october, plan), tmp_path, today=date(2024, 10, 16))
    text = _text(tmp_path / "H_DAKHA.txt")
    assert text.startswith("Tiêu đề: Đề nghị sửa và gửi lại báo cáo 09/2024, 10/2024 (Kế hoạch 1583/KH-UBND)")
    assert "Kính gửi: Ủy ban nhân dân huyện Đăk Hà\n" in text  # a name, not a code
    assert "1. Tệp H_DAKHA_2024-09.xlsx, báo cáo tháng 09/2024: 2 lỗi, 1 cảnh báo." in text
    assert ("   - trang \"TT Truyền thông\", ô E8: 'mười' không phải là số "
            "(Số buổi tuyên truyền tại cộng đồng); cách sửa: ghi bằng chữ số, ví dụ 10") in text
    assert "   - trang \"TH Tập huấn\", ô E5: Ô bắt buộc để trống" in text
    assert "   Nên kiểm tra lại:\n   - trang \"TT Truyền thông\", ô E6: Số được nhập dạng chữ" in text
    assert ("Bản kiểm tra gửi kèm (ô lỗi tô đỏ, ô cảnh báo tô vàng): H_DAKHA_2024-10.kiem-tra.xlsx; "
            "hãy sửa trong tệp báo cáo của đơn vị rồi gửi lại tệp đó.") in text
    # September's deadline (17/09) has passed; October's (17/10) has not.
    assert ("Thời hạn gửi lại: càng sớm càng tốt, chậm nhất ngày 19/10/2024 (hạn nộp báo cáo "
            "tháng 09/2024 là ngày 17/09/2024, đã qua).") in text
    assert "Thời hạn gửi lại: chậm nhất ngày 17/10/2024 (hạn nộp báo cáo tháng 10/2024)." in text


def test_feedback_for_files_of_no_known_agency(october, plan, tmp_path):
    write_feedback(_result(october, plan), tmp_path, today=date(2024, 10, 20))
    text = _text(tmp_path / UNKNOWN_AGENCY_FILE)
    assert "không ghi đơn vị báo cáo mà kế hoạch biết" in text  # a note to the analyst (issue 24)
    assert "Tệp bao-cao-thang-10.xlsx, báo cáo tháng 10/2024" in text
    assert "Không nhận ra đơn vị 'SO_KHONG_CO'" in text
    assert "Tệp BDBP_2024-10.xlsx, báo cáo (không rõ)" in text  # no "tháng": its period is unknown
    assert "cách sửa: mở biểu mẫu bằng Excel hoặc LibreOffice, lưu dạng .xlsx rồi gửi lại" in text
    assert "Không tạo được bản kiểm tra: tệp không đọc được" in text
    assert "chậm nhất ngày 23/10/2024 (hạn nộp báo cáo tháng 10/2024 là ngày 17/10/2024, đã qua)" in text
    assert "càng sớm càng tốt, chậm nhất ngày 23/10/2024." in text  # the month of the unreadable file


def test_feedback_never_overwrites_a_submission(october, plan):
    # A clerk sent the marked copy back still wrong, and the analyst writes feedback beside it.
    returned = october / "H_DAKHA_2024-10.kiem-tra.xlsx"
    shutil.copy(october / "H_DAKHA_2024-10.xlsx", returned)
    before = digest(returned)
    write_feedback(_result(october, plan), october)
    assert digest(returned) == before
    assert (october / "H_DAKHA_2024-10-2.kiem-tra.xlsx").exists()


def test_aggregate_feedback_prints_what_it_wrote(october, tmp_path):
    out = tmp_path / "phan-hoi"
    result = kpi("aggregate", october, "--period", "2024-09..2024-10", "--feedback", out)
    assert result.exit_code == 1
    assert f"Đã ghi phản hồi vào {out}: 2 văn bản, 3 bản kiểm tra" in result.output
    assert f"  {out / 'H_DAKHA.txt'}" in result.output
    data = json.loads(kpi("aggregate", october, "--period", "2024-09..2024-10", "--feedback", out,
                          "--format", "json").stdout)
    assert {t["agency"] for t in data["feedback"]["texts"]} == {"H_DAKHA", None}
    assert len(data["feedback"]["files"]) == 4


def test_aggregate_feedback_with_nothing_rejected(make_submission, tmp_path):
    vks = make_submission("VKS")
    out = tmp_path / "phan-hoi"
    result = kpi("aggregate", vks, "--period", "2024-10", "--feedback", out)
    assert "Không có tệp nào bị trả lại: không có phản hồi để gửi." in result.output
    assert not out.exists()
