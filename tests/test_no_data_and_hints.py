"""Issue 21, items 3-6: "no data" never reads as "no case arose", a file for another month is
said to be one, hints lead somewhere when followed literally, and small truths of wording."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi
from workbooks import correct_dak_ha, valid_values

from kpi import load_plan, roll_up
from kpi.aggregate import aggregate
from kpi.feedback import Returned, agency_text, due_line
from kpi.fill import fill_template
from kpi.periods import parse_span
from kpi.report import sheet_title, write_report
from kpi.validate import Submission, validate_file
from kpi.word import write_docx

ROOT = Path(__file__).resolve().parent.parent
QN = ROOT / "examples" / "quangngai-2026-08"
NOW = datetime(2026, 12, 1, 9, 0)


def _json(*args: object) -> dict:
    result = kpi("aggregate", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- 3. no data is not "no case arose" -------------------------------------------------------

def test_a_month_with_no_report_received_has_no_data_not_none_arose():
    """0 of 109 reports for 08/2025: every indicator is no_data for want of reports, in JSON
    (a reason field; the status values stay those of the contract) and in the terminal."""
    data = _json(QN, "--period", "2025-08")
    assert data["completeness"]["received"] == 0
    for ind in data["indicators"]:
        assert ind["status"] == "no_data", ind
        assert ind["no_data_reason"] == "no-reports"
        assert ind["reports"]["received"] == 0 and ind["reports"]["expected"] > 0
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["KPI_DUNG_HAN"]["reports"] == {"received": 0, "expected": 109}
    table = kpi("aggregate", QN, "--period", "2025-08")
    flat = _flat(table.output)
    assert "Chưa có số liệu (0/109 báo cáo)" in flat
    assert "Không phát sinh" not in flat and "Chưa đạt" not in flat
    assert table.exit_code == 1  # targets without data: not "all is well"
    # every file is for another period: the terminal names it and the --period to type
    assert "các tệp là của kỳ 08/2026" in flat and "--period 2026-08" in flat
    english = _flat(kpi("aggregate", QN, "--period", "2025-08", "--lang", "en").output)
    assert "No data (0/109 reports)" in english and "No case arose" not in english
    assert "--period 2026-08" in english


def test_units_that_sent_nothing_give_no_data_and_a_zero_denominator_over_reports_none_arose(
        plan, tmp_path):
    """CA_TINH and BDBP report no case opened (denominator 0 over received reports): no case
    arose. The court (TAND) sent nothing: its indicator has no data."""
    subs = []
    for agency in ("CA_TINH", "BDBP"):
        values = {**valid_values(plan, agency), "DT_VU_KHOI_TO": 0, "DT_VU_KHAM_PHA": 0,
                  "DT_BI_CAN": 0}
        path = fill_template(plan, agency, values, tmp_path / f"{agency}_2024-10.xlsx", "2024-10")
        subs.append(validate_file(path, plan, today=date(2024, 12, 1)))
    assert all(s.valid for s in subs)
    result = aggregate(subs, plan, "2024-10", now=NOW)
    by_code = {i.code: i for i in result.indicators}
    solved = by_code["KPI_DT_KHAM_PHA"]
    assert (solved.status, solved.no_data_reason) == ("no_data", "none-arose")
    assert (solved.received, solved.expected) == (2, 2)
    tried = by_code["KPI_XX_GIAI_QUYET"]
    assert (tried.status, tried.no_data_reason) == ("no_data", "no-reports")
    assert (tried.received, tried.expected) == (0, 1)
    dumped = {i["code"]: i for i in result.to_dict("vi")["indicators"]}
    assert dumped["KPI_DT_KHAM_PHA"]["no_data_reason"] == "none-arose"
    assert dumped["KPI_XX_GIAI_QUYET"]["no_data_reason"] == "no-reports"
    assert "no_data_reason" not in dumped["KPI_TG_PHAN_LOAI"]  # it has a figure

    # the same in the report and in the Word draft
    ws = openpyxl.load_workbook(write_report(result, tmp_path / "r.xlsx"))[sheet_title("summary", "vi")]
    statuses = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Chưa có số liệu\n(0/1 báo cáo)" in statuses and "Không phát sinh" in statuses
    import docx

    write_docx(result, tmp_path / "r.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    assert "chưa có số liệu (chưa nhận được báo cáo nào" in text
    assert "không phát sinh trong kỳ" in text


def test_a_span_in_which_no_unit_reported_has_no_data_and_an_open_span_is_provisional():
    data = _json(QN, "--period", "2028")
    assert data["period"]["open"] is True
    assert {i["status"] for i in data["indicators"]} == {"no_data"}
    assert {i["no_data_reason"] for i in data["indicators"]} == {"no-reports"}
    # a year still open on the day of the run, with data: provisional verdicts, never final
    result = roll_up([QN], "2026", now=datetime(2026, 9, 1))
    assert result.is_open and result.provisional
    flat = _flat(kpi("aggregate", QN, "--period", "2026").output) if date.today() <= date(2026, 12, 14) \
        else ""
    if flat:
        assert "Kỳ chưa kết thúc (đến 14/12/2026)" in flat and "Chưa đạt (tạm tính)" in flat
    from kpi.narrative import sentence

    met_or_not = [i for i in result.indicators if i.status in ("met", "not_met")]
    assert met_or_not and all("tạm tính" in sentence(result, i, "vi") for i in met_or_not)


# --- 4. a file for another month ---------------------------------------------------------------

def test_a_file_for_another_month_is_not_listed_under_the_files_that_count():
    flat = _flat(kpi("aggregate", QN, "--period", "2026-08").output)
    counted, _, rest = flat.partition("Các cảnh báo (tệp vẫn được tính):")
    still_counted, _, not_counted = rest.partition("Tệp không được tính trong kỳ này")
    assert "P_CAM_THANH_2026-08.xlsx" not in still_counted
    assert "P_CAM_THANH_2026-08.xlsx" in not_counted and "X_NGOK_TU" in still_counted
    english = _flat(kpi("aggregate", QN, "--period", "2026-08", "--lang", "en").output)
    _, _, tail = english.partition("Files not counted in this period")
    assert "P_CAM_THANH_2026-08.xlsx" in tail


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_feedback_tells_the_agency_its_file_is_for_another_month(tmp_path, lang):
    phan_hoi = tmp_path / "phan-hoi"
    result = kpi("aggregate", QN, "--period", "2026-08", "--feedback", phan_hoi, "--lang", lang)
    assert result.exit_code == 1
    text = (phan_hoi / "P_CAM_THANH.txt").read_text(encoding="utf-8-sig")
    assert "07/2026" in text and "08/2026" in text
    if lang == "vi":
        assert "vẫn chưa nhận được" in text and "không được tính cho kỳ 08/2026" in text
    else:
        assert "still not been received" in text
    assert not list(phan_hoi.glob("P_CAM_THANH*.kiem-tra.xlsx"))  # nothing to mark: no errors


def test_a_july_file_named_for_july_gets_no_letter_in_august(tmp_path):
    """Only a file named for the month asked whose cover says another month is answered: the
    earlier months kept in the same folder are simply outside the period."""
    nop = tmp_path / "nop"
    shutil.copytree(QN, nop)
    (nop / "P_CAM_THANH_2026-08.xlsx").rename(nop / "P_CAM_THANH_2026-07.xlsx")
    phan_hoi = tmp_path / "phan-hoi"
    kpi("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi)
    assert not (phan_hoi / "P_CAM_THANH.txt").exists()
    assert (phan_hoi / "X_DAK_HA.txt").exists()


# --- 5. hints that lead somewhere ---------------------------------------------------------------

@pytest.mark.parametrize("period", ["2025", "năm 2025", "2025-06..2025-08"])
def test_the_refusal_of_a_span_across_two_plans_suggests_what_works(period):
    refused = kpi("aggregate", QN, "--period", period)
    assert refused.exit_code == 2
    text = _flat(refused.output)
    assert "--plan" not in text
    suggested = re.findall(r"--period (\S+?)\)", text)
    assert len(suggested) == 2, text
    for code in suggested:  # followed literally, each works
        followed = kpi("aggregate", QN, "--period", code)
        assert followed.exit_code in (0, 1), (code, followed.output)
        assert "Kết quả thực hiện Kế hoạch 1583/KH-UBND" in followed.output or \
            "Kết quả thực hiện Quyết định 33/QĐ-TTg" in followed.output


@pytest.mark.parametrize(("typed", "lang", "meant"), [
    ("CA_TINHH", "vi", "Có phải ý bạn là: CA_TINH?"),
    ("ca_tinhh", "en", "Did you mean CA_TINH?"),
    ("X_DAKHA", "vi", "X_DAK_HA"),
])
def test_an_unknown_agency_gets_did_you_mean_and_where_the_list_is(tmp_path, typed, lang, meant):
    result = kpi("template", "--agency", typed, "--period", "2026-08", "--out", tmp_path, "--lang", lang)
    assert result.exit_code == 2
    flat = _flat(result.output)
    assert meant in flat and "kpi plan show --period 2026-08" in flat
    assert not list(tmp_path.iterdir())


def test_an_unknown_agency_with_nothing_close_still_gets_the_pointer(tmp_path):
    flat = _flat(kpi("template", "--agency", "ZZZ", "--out", tmp_path).output)
    assert "Không có đơn vị ZZZ" in flat and "kpi plan show" in flat and "Có phải" not in flat


@pytest.mark.parametrize(("name", "lang", "said"), [
    ("X.xslx", "vi", "không tìm thấy tệp"),
    ("X.xlsx", "vi", "không tìm thấy tệp"),
    ("nop/CA_TINH.xslx", "en", "file not found"),
])
def test_validate_of_a_path_that_does_not_exist_says_not_found(tmp_path, name, lang, said):
    result = kpi("validate", tmp_path / name, "--lang", lang)
    assert result.exit_code == 2
    assert said in result.output
    assert "Không phải tệp bảng tính" not in result.output and "Not a spreadsheet" not in result.output


def test_an_existing_file_of_another_kind_is_still_not_a_spreadsheet(tmp_path):
    (tmp_path / "ghi-chu.txt").write_text("x", encoding="utf-8")
    assert "Không phải tệp bảng tính" in kpi("validate", tmp_path / "ghi-chu.txt").output


@pytest.mark.parametrize("how", ["deleted", "corrected"])
def test_the_removal_line_says_why_accurately(tmp_path, how):
    nop = tmp_path / "nop"
    shutil.copytree(QN, nop)
    phan_hoi = tmp_path / "phan-hoi"
    kpi("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi)
    if how == "deleted":
        (nop / "X_DAK_HA_2026-08.xlsx").unlink()
    else:
        correct_dak_ha(nop)
    again = _flat(kpi("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi).output)
    assert "Đã xóa phản hồi của lần trước" in again and "X_DAK_HA.txt" in again
    assert "đã gửi tệp đúng" not in again  # not true of a deleted file
    assert "đơn vị không còn tệp bị trả lại" in again


@pytest.mark.parametrize(("table", "lang", "said"), [
    ("indicators", "vi", "Đã ghi bảng chỉ tiêu (CSV)"),
    ("totals", "en", "Table of totals written (CSV)"),
])
def test_a_csv_out_is_not_called_the_consolidated_report(tmp_path, table, lang, said):
    result = kpi("aggregate", QN, "--period", "2026-08", "--out", tmp_path / "x.csv", "--table", table,
                 "--lang", lang)
    assert said in result.output
    assert "báo cáo tổng hợp" not in result.output and "Consolidated report" not in result.output
    assert (tmp_path / "x.csv").is_file()


# --- 6. small truths -------------------------------------------------------------------------------

def test_a_letter_for_a_quarterly_report_says_bao_cao_quy(plan):
    qn = load_plan(ROOT / "kpi" / "plans" / "quangngai_2026.toml")
    line = due_line(qn, "2026-Q2", "vi", date(2026, 7, 1))
    assert "báo cáo Quý II/2026" in line and "tháng Quý" not in line
    assert "báo cáo tháng 08/2026" in due_line(qn, "2026-08", "vi", date(2026, 8, 1))
    from kpi.aggregate import FileRecord

    sub = Submission(file="SYT_2026-Q2.xlsx", agency="SYT", period="2026-Q2")
    text = agency_text(qn, "SYT", [Returned(FileRecord(sub))], "vi", date(2026, 7, 1))
    assert "báo cáo Quý II/2026" in text and "tháng Quý" not in text


def test_a_unit_with_a_quarterly_form_is_not_listed_as_not_due_when_its_monthly_report_is(plan):
    ca_tinh = plan.agency_by_code["CA_TINH"]
    mixed = dataclasses.replace(ca_tinh, form_rhythms=(("DT", "quarterly"),))
    quarterly = dataclasses.replace(plan.agency_by_code["BDBP"], rhythm="quarterly")
    agencies = tuple(mixed if a.code == "CA_TINH" else quarterly if a.code == "BDBP" else a
                     for a in plan.agencies)
    changed = dataclasses.replace(plan, agencies=agencies)
    not_due = changed.not_due(parse_span("2024-10"))
    assert ("CA_TINH", "quarterly") not in not_due  # its monthly report is due
    assert ("BDBP", "quarterly") in not_due  # it owes nothing this month
    assert changed.not_due(parse_span("2024-Q4")) == []


def test_the_provisional_note_only_for_periods_with_provisional_targets():
    note = "Chỉ tiêu từ năm 2026 tạm áp dụng"
    assert note not in _flat(kpi("aggregate", QN, "--period", "2025-08").output)
    assert note in _flat(kpi("aggregate", QN, "--period", "2026-08").output)


@pytest.mark.parametrize(("lang", "twice"), [("en", "Provisional target: provisional"),
                                            ("vi", "Mục tiêu tạm áp dụng: tạm áp dụng")])
def test_the_provisional_word_is_read_once(tmp_path, lang, twice):
    flat = _flat(kpi("aggregate", QN, "--period", "2026-08", "--lang", lang).output)
    assert twice not in flat and "* " in flat
    result = roll_up([QN], "2026-08", now=NOW)
    ws = openpyxl.load_workbook(write_report(result, tmp_path / "r.xlsx", lang))[sheet_title("summary", lang)]
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert twice not in cells


@pytest.mark.parametrize(("typed", "code"), [
    ("quí 3/2026", "2026-Q3"), ("Quí III năm 2026", "2026-Q3"), ("2026Q3", "2026-Q3"),
    ("2026 q3", "2026-Q3"), ("2026/08", "2026-08"), ("III/2026", "2026-Q3"), ("2026H1", "2026-H1"),
])
def test_more_period_spellings(typed, code):
    assert parse_span(typed).code == code


def test_more_period_spellings_on_the_command_line():
    data = _json(QN, "--period", "quí 3/2026")
    assert data["period"]["code"] == "2026-Q3"
    assert _json(QN, "--period", "2026/08")["period"]["code"] == "2026-08"


@pytest.mark.parametrize("columns", [60, 72])
def test_the_accepted_periods_wrap_with_their_indentation(columns):
    # (below 60 the console is laid out at 60: tests/test_run_safety.py)
    result = kpi("aggregate", QN, "--period", "13/2026", env={"COLUMNS": str(columns)})
    assert result.exit_code == 2
    lines = result.output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Các cách ghi kỳ"))
    listed = lines[start + 1:]
    assert all(len(line) <= columns for line in listed)
    column = listed[0].index("2026")  # where the first list's items start
    for line in listed:
        assert line.startswith("  ") and (line[2] != " " or line[:column].strip() == "")
        if not line[2:column].strip():  # a continuation: under the items, not at the margin
            assert line[column] != " "
    assert "quý III năm 2026" in result.output.replace("\n" + " " * column, " ")


def test_the_readme_says_how_long_the_tests_take_and_how_to_see_skips():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text[text.index("## Quick start"):text.index("## What it is for")]
    assert "-rs" in quick and "minutes" in quick
