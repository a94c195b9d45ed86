"""The `kpi` command as the analyst runs it: exit codes, JSON, languages, templates, version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner
from workbooks import COVER, TG_SHEET, editing, row_of, set_value

from kpi import __version__
from kpi.cli import app

runner = CliRunner()
ISSUE_KEYS = {"code", "severity", "sheet", "cell", "element", "message"}


def kpi(*args: str, **env: str | None):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **env})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def faulty(make_submission) -> Path:
    """A police file with one error (classified > received) and one warning (number as text)."""
    path = make_submission("CA_TINH", name="CA_TINH_loi.xlsx", TG_TIEP_NHAN=5, TG_PHAN_LOAI=9)
    with editing(path) as wb:
        set_value(wb, "TT_TIN_BAI", "1.234")
    return path


@pytest.fixture
def garbage(tmp_path) -> Path:
    path = tmp_path / "BDBP_2024-10.xlsx"
    path.write_text("Xin gửi báo cáo tháng 10", encoding="utf-8")
    return path


# --- kpi validate: exit codes -------------------------------------------------------------------

def test_validate_a_valid_file_exits_0_in_vietnamese(make_submission):
    result = kpi("validate", make_submission("CA_TINH"))
    assert result.exit_code == 0
    assert "CA_TINH" in result.output and "2024-10" in result.output
    assert "Hợp lệ" in result.output
    assert "1 tệp: 1 hợp lệ, 0 có lỗi; 0 lỗi, 0 cảnh báo" in result.output


def test_validate_a_file_with_errors_exits_1_and_shows_sheet_and_cell(faulty):
    result = kpi("validate", faulty)
    assert result.exit_code == 1
    assert "Có lỗi" in result.output
    assert TG_SHEET in result.output and "E7" in result.output and "TG_PHAN_LOAI" in result.output
    assert "1 lỗi, 1 cảnh báo" in result.output


def test_validate_with_only_warnings_exits_0(make_submission):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "TT_TIN_BAI", "1.234")
    assert kpi("validate", path).exit_code == 0


def test_validate_an_unreadable_file_exits_2(garbage):
    result = kpi("validate", garbage)
    assert result.exit_code == 2
    assert "Không đọc được" in result.output


def test_validate_one_unreadable_among_good_files_still_exits_2(make_submission, garbage):
    assert kpi("validate", make_submission("CA_TINH"), garbage).exit_code == 2


def test_validate_a_file_that_does_not_exist_exits_2(tmp_path):
    assert kpi("validate", tmp_path / "khong_co.xlsx").exit_code == 2


@pytest.mark.parametrize("args", [
    ["validate"],
    ["validate", "x.xlsx", "--format", "xml"],
    ["validate", "x.xlsx", "--khong-co"],
    ["khong-co-lenh"],
])
def test_wrong_usage_exits_2(args):
    assert kpi(*args).exit_code == 2


def test_an_unreadable_file_gives_a_message_not_a_traceback(garbage):
    # The real console script, as the analyst runs it.
    done = subprocess.run([*kpi_command(), "validate", str(garbage)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "Không đọc được tệp" in done.stdout


# --- kpi validate --format json -----------------------------------------------------------------

def test_validate_json_lists_every_issue_with_sheet_and_cell(make_submission, faulty, garbage):
    good = make_submission("VKS")
    result = kpi("validate", good, faulty, garbage, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    files = {Path(f["file"]).name: f for f in data["files"]}
    for entry in files.values():
        assert set(entry) == {"file", "valid", "agency", "period", "errors", "warnings"}
        for issue in entry["errors"] + entry["warnings"]:
            assert ISSUE_KEYS <= set(issue) <= ISSUE_KEYS | {"cells"}

    assert files[good.name] == {"file": str(good), "valid": True, "agency": "VKS", "period": "2024-10",
                                "errors": [], "warnings": []}

    bad = files[faulty.name]
    assert (bad["valid"], bad["agency"], bad["period"]) == (False, "CA_TINH", "2024-10")
    [error] = bad["errors"]
    assert {k: error[k] for k in ("code", "severity", "sheet", "cell", "element")} == {
        "code": "rule", "severity": "error", "sheet": TG_SHEET, "cell": "E7", "element": "TG_PHAN_LOAI"}
    assert error["cells"] == [f"{TG_SHEET}!E7", f"{TG_SHEET}!E6"]
    [warning] = bad["warnings"]
    assert (warning["code"], warning["severity"], warning["element"]) == (
        "text-number", "warning", "TT_TIN_BAI")
    assert "đã đọc là 1234" in warning["message"]

    unreadable = files[garbage.name]
    assert unreadable["valid"] is False
    assert [e["code"] for e in unreadable["errors"]] == ["unreadable-file"]


def test_validate_json_in_english_with_lang_option(faulty):
    data = json.loads(kpi("validate", faulty, "--format", "json", "--lang", "en").stdout)
    message = data["files"][0]["errors"][0]["message"]
    assert message.startswith("Reports classified cannot exceed reports newly received")


def test_validate_in_english_with_kpi_lang(faulty):
    result = kpi("validate", faulty, KPI_LANG="en")
    assert result.exit_code == 1
    assert "Has errors" in result.output
    assert "1 file: 0 valid, 1 with errors; 1 error, 1 warning" in result.output
    assert "Reports classified cannot exceed" in result.output


def test_lang_option_wins_over_kpi_lang(faulty):
    result = kpi("validate", faulty, "--lang", "vi", KPI_LANG="en")
    assert "Có lỗi" in result.output


# --- kpi template -------------------------------------------------------------------------------

def form_sheets(wb) -> list:
    return [ws for ws in wb.worksheets if ws.title not in (COVER, "Hướng dẫn")]


@pytest.fixture
def police_template(tmp_path) -> Path:
    out = tmp_path / "bieu_mau"
    result = kpi("template", "--agency", "CA_TINH", "--period", "2024-10", "--out", out)
    assert result.exit_code == 0, result.output
    path = out / "CA_TINH_2024-10.xlsx"
    assert path.exists()
    assert str(path) in result.output
    return path


def test_template_prefills_agency_and_month_on_the_cover(police_template):
    wb = openpyxl.load_workbook(police_template)
    cover = wb[COVER]
    assert cover.cell(row_of(cover, "META_AGENCY"), 5).value == "CA_TINH"
    assert cover.cell(row_of(cover, "META_PERIOD"), 5).value == "10/2024"
    assert wb.sheetnames == [COVER, "Hướng dẫn", "TT Truyền thông", "TH Tập huấn", TG_SHEET,
                             "DT Điều tra", "NX Xác định nạn nhân"]


def test_template_sheets_are_protected_and_only_values_and_notes_are_open(police_template):
    wb = openpyxl.load_workbook(police_template)
    assert all(ws.protection.sheet for ws in wb.worksheets)
    for ws in form_sheets(wb):
        input_rows = {c.row for (c,) in ws.iter_rows(min_row=5, min_col=1, max_col=1) if c.value}
        unlocked = {(c.row, get_column_letter(c.column)) for row in ws.iter_rows() for c in row
                    if not c.protection.locked}
        assert {(r, col) for r, col in unlocked if r in input_rows} == {
            (r, col) for r in input_rows for col in "EF"}, ws.title
        # Below the last code: the place and date and the two names under the signatures,
        # in rows with no code, which kpi never reads.
        signing = {r for r, _ in unlocked if r not in input_rows}
        assert len(signing) == 2 and min(signing) > max(input_rows), ws.title
        assert ws.cell(min(signing), 4).value == "……, ngày … tháng … năm …"
        assert not ws.protection.formatRows and not ws.protection.formatColumns  # rows can grow
    cover = wb[COVER]
    agency_cell = cover.cell(row_of(cover, "META_AGENCY"), 5)
    period_cell = cover.cell(row_of(cover, "META_PERIOD"), 5)
    assert agency_cell.protection.locked  # an agency's template is only for that agency
    assert not period_cell.protection.locked


def test_template_value_cells_accept_only_whole_numbers_with_a_vietnamese_message(police_template):
    wb = openpyxl.load_workbook(police_template)
    for ws in form_sheets(wb):
        rows = [c.row for (c,) in ws.iter_rows(min_row=5, min_col=1, max_col=1) if c.value]
        [check] = ws.data_validations.dataValidation
        assert (check.type, check.operator, check.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert str(check.sqref) == f"E{rows[0]}:E{rows[-1]}"
        assert check.showErrorMessage
        assert "số nguyên không âm" in check.error and "ghi 0" in check.error


def test_template_prints_on_a4(police_template):
    wb = openpyxl.load_workbook(police_template)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # 9 = A4


def test_template_without_period_leaves_the_month_for_the_clerk(tmp_path):
    result = kpi("template", "--agency", "vks", "--out", tmp_path)
    assert result.exit_code == 0
    cover = openpyxl.load_workbook(tmp_path / "VKS.xlsx")[COVER]
    assert cover.cell(row_of(cover, "META_PERIOD"), 5).value is None


def test_template_for_an_unknown_agency_exits_2_and_writes_nothing(tmp_path):
    result = kpi("template", "--agency", "CA_HUYEN", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "CA_HUYEN" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("period", ["2024-13", "13/2024", "quý 5/2024"])
def test_template_needs_a_valid_period(tmp_path, period):
    result = kpi("template", "--agency", "CA_TINH", "--period", period, "--out", tmp_path)
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("period", "names"), [
    ("10/2024", ["CA_TINH_2024-10.xlsx"]),  # the form the templates teach clerks
    ("2024-Q3", ["CA_TINH_2024-07.xlsx", "CA_TINH_2024-08.xlsx", "CA_TINH_2024-09.xlsx"]),
])
def test_a_template_for_each_month_a_monthly_reporter_owes(tmp_path, period, names):
    assert kpi("template", "--agency", "CA_TINH", "--period", period, "--out", tmp_path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_template_without_agency_or_all_exits_2(tmp_path):
    assert kpi("template", "--out", tmp_path).exit_code == 2


def test_templates_on_a_shared_folder_are_readable_by_colleagues(tmp_path):
    old = os.umask(0o022)
    try:
        assert kpi("template", "--agency", "BAO_KT", "--period", "2025-06", "--out",
                   tmp_path).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "BAO_KT_2025-06.xlsx").stat().st_mode & 0o777 == 0o644


def test_a_filled_template_validates(police_template, plan):
    from kpi import validate_file
    from kpi.fill import fill_workbook

    wb = openpyxl.load_workbook(police_template)
    values = {e.code: 0 for e in plan.elements_for_agency(plan.agency_by_code["CA_TINH"])}
    fill_workbook(wb, {**values, "META_REPORTER": "Trần Văn B", "META_PHONE": "0905 123 456",
                       "META_SUBMITTED": "17/10/2024"})
    wb.save(police_template)
    sub = validate_file(police_template, plan)
    assert sub.issues == []
    assert (sub.agency, sub.period) == ("CA_TINH", "2024-10")


# --- version ------------------------------------------------------------------------------------

def kpi_command() -> list[str]:
    script = Path(sys.executable).with_name("kpi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kpi"]


def test_version_option():
    result = kpi("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"kpi {__version__}"


@pytest.mark.parametrize("command", [["kpi"], [sys.executable, "-m", "kpi"]], ids=["script", "module"])
def test_version_from_the_shell(command):
    if command == ["kpi"]:
        command = kpi_command()
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kpi {__version__}"
