"""`validate_file` on real workbooks: each mistake a clerk makes, found at its sheet and cell."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date, datetime

import pytest
from workbooks import (
    COVER,
    DT_SHEET,
    TG_SHEET,
    TT_SHEET,
    address,
    editing,
    issues_of,
    row_of,
    set_value,
    soffice_convert,
)

from kpi import validate_file


def problems(sub) -> list[tuple[str, str, str | None, str | None, str | None]]:
    return [(i.code, i.severity, i.sheet, i.cell, i.element) for i in sub.issues]


# --- a valid file -----------------------------------------------------------------------------

def test_a_carefully_filled_file_is_valid_without_any_remark(plan, make_submission):
    sub = validate_file(make_submission("CA_TINH"), plan)
    assert sub.issues == []
    assert sub.valid
    assert (sub.agency, sub.period, sub.submitted, sub.reporter) == (
        "CA_TINH", "2024-10", date(2024, 10, 16), "Nguyễn Thị Hoa")
    assert sub.values["TG_TIEP_NHAN"] == 5
    assert sub.values["NN_DTTS"] == 2
    assert sub.cells["TG_TIEP_NHAN"] == (TG_SHEET, "E6")


@pytest.mark.parametrize("agency", [
    "CA_TINH", "BDBP", "VKS", "TAND", "SLDTBXH", "STTTT", "SGDDT", "SYT", "STP", "SNGV", "BAO_KT",
    "DAI_PTTH", "HLHPN", "TINH_DOAN", "H_KONTUM", "H_DAKHA", "H_DAKTO", "H_NGOCHOI", "H_DAKGLEI",
    "H_SATHAY", "H_IAHDRAI", "H_KONRAY", "H_KONPLONG", "H_TUMORONG",
])
def test_every_agency_can_send_a_valid_file_of_its_own_forms(plan, make_submission, agency):
    sub = validate_file(make_submission(agency), plan)
    assert problems(sub) == []
    assert sub.agency == agency
    expected = {e.code for e in plan.elements_for_agency(plan.agency_by_code[agency])}
    assert set(sub.values) == expected


def test_validation_never_changes_the_file(plan, make_submission):
    path = make_submission("CA_TINH", TG_PHAN_LOAI=9, TT_TIN_BAI="1.234")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    sub = validate_file(path, plan)
    assert not sub.valid
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


# --- values a clerk types -----------------------------------------------------------------------

def test_a_blank_cell_is_an_error_at_that_cell_and_asks_for_0(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "TG_DA_GIAI_QUYET", None)
    sub = validate_file(path, plan)
    assert problems(sub) == [("missing-value", "error", TG_SHEET, cell, "TG_DA_GIAI_QUYET")]
    assert not sub.valid
    assert "TG_DA_GIAI_QUYET" not in sub.values  # blank is not zero
    issue = sub.errors[0]
    assert "ghi 0" in issue.message("vi")
    assert "write 0 if nothing happened" in issue.message("en")


@pytest.mark.parametrize(("typed", "code", "shown"), [
    ("nhiều", "not-a-number", "'nhiều'"),
    ("5 vụ", "not-a-number", "'5 vụ'"),
    (2.5, "not-whole", "'2.5'"),
    ("1,5", "not-whole", "'1,5'"),
    (-3, "negative", "'-3'"),
    ("-3", "negative", "'-3'"),
])
def test_a_value_that_is_not_a_count_is_an_error_at_its_cell(plan, make_submission, typed, code, shown):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "DT_VU_KHOI_TO", typed)
    sub = validate_file(path, plan)
    assert problems(sub) == [(code, "error", DT_SHEET, cell, "DT_VU_KHOI_TO")]
    assert shown in sub.errors[0].message("vi")  # the clerk sees what they typed, e.g. '-3' not '-3.0'


@pytest.mark.parametrize(("typed", "number"), [
    ("1.234", 1234), ("1 234", 1234), ("\u00a0320\u00a0", 320), ("３２０", 320), ("320", 320),
])
def test_a_number_typed_as_text_is_used_with_a_warning(plan, make_submission, typed, number):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "TT_LUOT_NGUOI", typed)
    sub = validate_file(path, plan)
    assert problems(sub) == [("text-number", "warning", TT_SHEET, cell, "TT_LUOT_NGUOI")]
    assert sub.valid
    assert sub.values["TT_LUOT_NGUOI"] == number
    assert f"đã đọc là {number}" in sub.warnings[0].message("vi")


def test_every_problem_in_a_file_is_reported_not_only_the_first(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        blank = set_value(wb, "TG_TON_DAU_KY", None)
        text = set_value(wb, "DT_BI_CAN", "ba")
        negative = set_value(wb, "NN_GIAI_CUU", -1)
    sub = validate_file(path, plan)
    found = {(i.code, i.cell, i.element) for i in sub.errors}
    assert found == {
        ("missing-value", blank, "TG_TON_DAU_KY"),
        ("not-a-number", text, "DT_BI_CAN"),
        ("negative", negative, "NN_GIAI_CUU"),
    }


@pytest.mark.slow
def test_a_formula_counts_by_its_saved_result(plan, make_submission, soffice, tmp_path):
    path = make_submission("CA_TINH", name="cong_thuc.xlsx")
    with editing(path) as wb:
        cell = set_value(wb, "TG_TIEP_NHAN", "=2+3")
    # openpyxl saves a formula without its result; LibreOffice computes and stores it, as Excel does.
    saved = soffice_convert(soffice, path, "xlsx", tmp_path / "saved_by_libreoffice")
    sub = validate_file(saved, plan)
    assert problems(sub) == []
    assert sub.values["TG_TIEP_NHAN"] == 5
    assert sub.cells["TG_TIEP_NHAN"] == (TG_SHEET, cell)


# --- the cover sheet: which agency, which month -------------------------------------------------

def test_an_unknown_agency_is_an_error_on_the_cover(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_AGENCY", "CA_HUYEN")
    sub = validate_file(path, plan)
    assert problems(sub) == [("unknown-agency", "error", COVER, cell, "META_AGENCY")]
    assert sub.agency is None
    assert "'CA_HUYEN'" in sub.errors[0].message("vi")


def test_a_blank_agency_is_an_error_on_the_cover(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_AGENCY", None)
    sub = validate_file(path, plan)
    assert problems(sub) == [("missing-value", "error", COVER, cell, "META_AGENCY")]


@pytest.mark.parametrize("typed", ["Công an tỉnh", "công an tỉnh", "CA_TINH - Công an tỉnh",
                                   "Provincial Police", " ca_tinh "])
def test_the_agency_may_be_typed_by_its_name(plan, make_submission, typed):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "META_AGENCY", typed)
    sub = validate_file(path, plan)
    assert sub.agency == "CA_TINH"
    assert sub.valid and sub.issues == []


def test_an_agency_name_in_decomposed_unicode_is_recognised(plan, make_submission):
    # macOS and some IMEs store "Đăk Hà" with combining accents.
    path = make_submission("H_DAKHA")
    with editing(path) as wb:
        set_value(wb, "META_AGENCY", unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Đăk Hà"))
    assert validate_file(path, plan).agency == "H_DAKHA"


@pytest.mark.parametrize("typed", ["tháng 10", "13/2024", "quý 5/2024"])
def test_a_period_that_cannot_be_read_is_an_error(plan, make_submission, typed):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_PERIOD", typed)
    sub = validate_file(path, plan)
    assert problems(sub) == [("bad-period", "error", COVER, cell, "META_PERIOD")]
    assert sub.period is None


@pytest.mark.parametrize(("typed", "period"), [("2024", "2024"), ("Q3/2024", "2024-Q3"),
                                               ("Quý III năm 2024", "2024-Q3")])
def test_a_monthly_reporter_sending_a_quarter_or_a_year_is_told_what_period_it_owes(
        plan, make_submission, typed, period):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_PERIOD", typed)
    sub = validate_file(path, plan)
    assert ("wrong-rhythm", "error", COVER, cell, "META_PERIOD") in problems(sub)
    assert sub.period == period
    message = next(i for i in sub.issues if i.code == "wrong-rhythm").message("vi")
    assert "báo cáo hằng tháng" in message and "phải là một tháng" in message


@pytest.mark.parametrize(("typed", "month"), [("05/2021", "2021-05"), ("01/2031", "2031-01")])
def test_a_month_outside_the_plan_is_an_error(plan, make_submission, typed, month):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_PERIOD", typed)
    sub = validate_file(path, plan)
    # The file is named for 2024-10: that it says otherwise is shown too.
    assert problems(sub) == [("period-out-of-coverage", "error", COVER, cell, "META_PERIOD"),
                             ("name-mismatch", "warning", None, None, None)]
    assert typed in sub.errors[0].message("en") and "06/2021 to 06/2025" in sub.errors[0].message("en")


@pytest.mark.parametrize("typed", [datetime(2024, 10, 1), "2024-10", "10/2024", " 10/2024 "])
def test_the_period_may_be_a_date_cell_or_text(plan, make_submission, typed):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "META_PERIOD", typed)
    sub = validate_file(path, plan)
    assert sub.period == "2024-10"
    assert sub.issues == []


def test_the_date_sent_may_be_typed_as_day_month_year_text(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "META_SUBMITTED", "17/10/2024")
    sub = validate_file(path, plan)
    assert sub.submitted == date(2024, 10, 17)
    assert sub.issues == []


def test_an_unreadable_date_sent_is_only_a_warning(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        cell = set_value(wb, "META_SUBMITTED", "hôm qua")
    sub = validate_file(path, plan)
    assert problems(sub) == [("bad-date", "warning", COVER, cell, "META_SUBMITTED")]
    assert sub.valid and sub.submitted is None


def test_a_missing_reporter_and_phone_are_only_warnings(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        reporter = set_value(wb, "META_REPORTER", None)
        phone = set_value(wb, "META_PHONE", "  ")
    sub = validate_file(path, plan)
    assert problems(sub) == [("missing-info", "warning", COVER, reporter, "META_REPORTER"),
                             ("missing-info", "warning", COVER, phone, "META_PHONE")]
    assert sub.valid


# --- the layout of the template -----------------------------------------------------------------

def test_a_value_for_a_form_the_agency_does_not_report_is_an_error(plan, make_submission):
    # A district clerk copies the police's TG row into their own file.
    path = make_submission("H_KONTUM")
    with editing(path) as wb:
        ws = wb["NH Hỗ trợ nạn nhân"]
        row = ws.max_row + 1
        ws.cell(row, 1, "TG_TIEP_NHAN")
        ws.cell(row, 5, 4)
    sub = validate_file(path, plan)
    assert problems(sub) == [("wrong-form-for-agency", "error", "NH Hỗ trợ nạn nhân", f"E{row}",
                              "TG_TIEP_NHAN")]
    assert "TG_TIEP_NHAN" not in sub.values


def test_an_empty_row_of_another_form_is_ignored(plan, make_submission):
    path = make_submission("H_KONTUM")
    with editing(path) as wb:
        ws = wb["NH Hỗ trợ nạn nhân"]
        ws.cell(ws.max_row + 1, 1, "TG_TIEP_NHAN")
    assert validate_file(path, plan).issues == []


def test_a_code_written_twice_is_an_error_at_the_second_row(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        ws = wb[TT_SHEET]
        first = row_of(ws, "TT_TIN_BAI")
        extra = ws.max_row + 1
        ws.cell(extra, 1, "TT_TIN_BAI")
        ws.cell(extra, 5, 99)
    sub = validate_file(path, plan)
    assert problems(sub) == [("duplicate-code", "error", TT_SHEET, f"A{extra}", "TT_TIN_BAI")]
    assert f"{TT_SHEET}!A{first}" in sub.errors[0].message("vi")
    assert sub.values["TT_TIN_BAI"] == 15  # the first row counts, the extra one does not


def test_a_deleted_row_is_a_missing_element_of_its_form(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        ws = wb[TG_SHEET]
        ws.delete_rows(row_of(ws, "TG_KHOI_TO"))
    sub = validate_file(path, plan)
    assert problems(sub) == [("missing-element", "error", TG_SHEET, None, "TG_KHOI_TO")]
    assert "TG_KHOI_TO" in sub.errors[0].message("vi")


def test_an_unknown_code_is_a_warning_and_the_row_is_ignored(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        ws = wb[TT_SHEET]
        row = ws.max_row + 1
        ws.cell(row, 1, "TT_HOI_THAO")
        ws.cell(row, 5, 3)
    sub = validate_file(path, plan)
    assert problems(sub) == [("unknown-code", "warning", TT_SHEET, f"A{row}", "TT_HOI_THAO")]
    assert sub.valid
    assert "TT_HOI_THAO" not in sub.values


def test_a_renamed_sheet_with_resorted_rows_still_reads_right(plan, make_submission):
    path = make_submission("CA_TINH", TG_TON_DAU_KY=1, TG_TIEP_NHAN=7, TG_PHAN_LOAI=6,
                           TG_DA_GIAI_QUYET=5, TG_KHOI_TO=4)
    with editing(path) as wb:
        ws = wb[TG_SHEET]
        ws.protection.sheet = False
        ws.title = "Tin bao"
        first, last = row_of(ws, "TG_TON_DAU_KY"), row_of(ws, "TG_KHOI_TO")
        rows = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(first, last + 1)]
        for r, values in zip(range(first, last + 1), reversed(rows), strict=True):
            for c, value in enumerate(values, 1):
                ws.cell(r, c).value = value
    sub = validate_file(path, plan)
    assert sub.issues == []
    assert {c: sub.values[c] for c in ("TG_TON_DAU_KY", "TG_TIEP_NHAN", "TG_PHAN_LOAI",
                                       "TG_DA_GIAI_QUYET", "TG_KHOI_TO")} == {
        "TG_TON_DAU_KY": 1, "TG_TIEP_NHAN": 7, "TG_PHAN_LOAI": 6, "TG_DA_GIAI_QUYET": 5,
        "TG_KHOI_TO": 4}
    assert sub.cells["TG_TON_DAU_KY"] == ("Tin bao", f"E{last}")
    assert sub.cells["TG_KHOI_TO"] == ("Tin bao", f"E{first}")


def test_cleared_title_rows_do_not_shift_cell_addresses(plan, make_submission):
    # With rows 1-4 emptied, the first used row is 5; issues must still name the cell the clerk sees.
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        ws = wb[TG_SHEET]
        for merged in list(ws.merged_cells.ranges):  # the title runs across the sheet
            if merged.min_row <= 4:
                ws.unmerge_cells(str(merged))
        for row in ws.iter_rows(min_row=1, max_row=4):
            for cell in row:
                cell.value = None
        cell = set_value(wb, "TG_PHAN_LOAI", "x")
    assert cell == "E7"
    sub = validate_file(path, plan)
    assert problems(sub) == [("not-a-number", "error", TG_SHEET, "E7", "TG_PHAN_LOAI")]
    assert sub.cells["TG_TIEP_NHAN"] == (TG_SHEET, "E6")


# --- the plan's rules ---------------------------------------------------------------------------

def test_classified_above_received_is_an_error_naming_both_cells(plan, make_submission):
    path = make_submission("CA_TINH", TG_TIEP_NHAN=5, TG_PHAN_LOAI=9)
    sheet, classified = address(path, "TG_PHAN_LOAI")
    _, received = address(path, "TG_TIEP_NHAN")
    sub = validate_file(path, plan)
    assert problems(sub) == [("rule", "error", sheet, classified, "TG_PHAN_LOAI")]
    issue = sub.errors[0]
    assert issue.cells == (f"{sheet}!{classified}", f"{sheet}!{received}")
    assert "TG_PHAN_LOAI = 9" in issue.message("vi") and "TG_TIEP_NHAN = 5" in issue.message("vi")
    assert "R_TG_PHAN_LOAI" in issue.message("vi")
    assert not sub.valid


def test_fewer_defendants_than_cases_is_a_warning_and_the_file_stays_valid(plan, make_submission):
    path = make_submission("CA_TINH", DT_VU_KHOI_TO=3, DT_BI_CAN=1, DT_VU_KHAM_PHA=3)
    sub = validate_file(path, plan)
    assert [(i.code, i.severity, i.element) for i in sub.issues] == [("rule", "warning", "DT_BI_CAN")]
    assert sub.valid
    assert "R_DT_BI_CAN" in sub.warnings[0].message("en")


def test_a_rule_over_a_blank_value_is_not_checked_twice(plan, make_submission):
    path = make_submission("CA_TINH", TG_PHAN_LOAI=9)
    with editing(path) as wb:
        set_value(wb, "TG_TIEP_NHAN", None)
    sub = validate_file(path, plan)
    assert [i.code for i in sub.issues] == ["missing-value"]


# --- languages, and files that are not submissions ----------------------------------------------

def test_messages_are_vietnamese_with_an_english_translation(plan, make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "TG_TIEP_NHAN", 2.5)
    issue = validate_file(path, plan).errors[0]
    assert issue.message("vi") == issue.to_dict("vi")["message"]
    assert "không phải là số nguyên" in issue.message("vi")
    assert issue.to_dict("en")["message"] == (
        "'2.5' is not a whole number; counts must be whole numbers "
        "(Reports newly received in the period)")


def test_a_text_file_named_xlsx_is_unreadable(plan, tmp_path):
    path = tmp_path / "CA_TINH_2024-10.xlsx"
    path.write_text("đây không phải bảng tính", encoding="utf-8")
    sub = validate_file(path, plan)
    assert not sub.readable and not sub.valid
    assert [i.code for i in sub.issues] == ["unreadable-file"]


def test_a_word_document_is_not_a_spreadsheet(plan, tmp_path):
    path = tmp_path / "bao_cao.docx"
    path.write_bytes(b"PK\x03\x04")
    assert [i.code for i in validate_file(path, plan).issues] == ["not-a-spreadsheet"]


def test_a_workbook_without_codes_is_not_our_template(plan, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Báo cáo tháng 10"
    wb.active["B2"] = 5
    path = tmp_path / "tu_lam.xlsx"
    wb.save(path)
    assert [i.code for i in validate_file(path, plan).issues] == ["not-a-template"]


def test_a_blank_template_sent_back_lists_every_empty_cell(plan, tmp_path):
    from kpi.fill import fill_template

    path = fill_template(plan, "VKS", {}, tmp_path / "VKS_2024-10.xlsx", "2024-10")
    sub = validate_file(path, plan)
    blanks = {i.element for i in issues_of(sub, "missing-value")}
    assert blanks == {e.code for e in plan.elements_for_agency(plan.agency_by_code["VKS"])}
    assert sub.period == "2024-10" and sub.agency == "VKS"

