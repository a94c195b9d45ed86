"""An analyst's first week (issue 16): narrow terminals and pipes, a Windows console's encoding,
periods as people type them, an empty folder, the language, what aggregate shows, and the small
surprises. Each test runs the command as the analyst does: in-process with the environment
they have, or as a real process when the console's encoding is the point.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import typer
from clitools import kpi
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parent.parent
QN = ROOT / "examples" / "quangngai-2026-08"
KT = ROOT / "examples" / "kontum-2025-Q2"
STATUSES_VI = ("Đạt", "Chưa đạt", "Không phát sinh", "Theo dõi")


def run(*args: object, width: int | None = 200, env: dict[str, str] | None = None):
    """kpi in-process at a terminal ``width`` columns wide."""
    return kpi(*args, env={**({"COLUMNS": str(width)} if width else {}), **(env or {})})


def process(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real `python -m kpi`, output piped (so not a terminal), bytes kept as written."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "KPI_LANG")}
    return subprocess.run([sys.executable, "-m", "kpi", *map(str, args)], capture_output=True,
                          timeout=300, env={**base, **(env or {})}, cwd=ROOT)


def tokens(text: str) -> set[str]:
    return set(re.split(r"[\s│┃|]+", text))


def assert_fits(output: str, width: int) -> None:
    too_wide = [line for line in output.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide[:3]


def indicators_of(folder: Path, period: str) -> list[dict]:
    return json.loads(run("aggregate", folder, "--period", period, "--format", "json").stdout)[
        "indicators"]


# --- 1. narrow terminals and pipes ---------------------------------------------------------------

@pytest.mark.parametrize("width", [60, 66, 72, 80, 100, 140])
def test_aggregate_table_keeps_codes_whole_and_names_wrapped_at_spaces(width):
    for folder, period in ((QN, "2026-08"), (KT, "2025-Q2")):
        result = run("aggregate", folder, "--period", period, width=width)
        assert result.exit_code == 1
        out = result.output
        assert_fits(out, width)
        assert "…" not in out.split("Đầy đủ")[0]  # nothing in the table is cut short
        words = tokens(out)
        for ind in indicators_of(folder, period):
            assert ind["code"] in words, (width, ind["code"])  # never broken, never dropped
            assert set(ind["name"].split()) <= words, (width, ind["name"])
        for status in ("Chưa đạt", "Theo dõi") + (("Không phát sinh",) if folder == KT else ()):
            assert status in out, (width, status)


def test_piped_output_is_80_columns_and_still_whole():
    """Redirected or piped, the output is 80 columns wide: codes and statuses stay whole."""
    done = process("aggregate", QN, "--period", "2026-08")
    assert done.returncode == 1, done.stderr.decode()
    out = done.stdout.decode("utf-8")
    assert_fits(out, 80)
    assert "KPI_TG_PHAN_LOAI" in out and "KPI_TD_HO_TRO_DUOI_18" in out
    assert "Theo dõi" in out and "Chưa đạt" in out
    kontum = process("aggregate", KT, "--period", "2025-Q2").stdout.decode("utf-8")
    assert "Không phát sinh" in kontum
    assert_fits(kontum, 80)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_validate_table_keeps_codes_whole(width):
    files = [QN / "X_DAK_HA_2026-08.xlsx", QN / "X_MO_RAI_2026-08.xlsx", QN / "X_NGOK_TU_2026-08.xlsx"]
    result = run("validate", *files, width=width)
    assert result.exit_code == 1
    assert_fits(result.output, width)
    words = tokens(result.output)
    for code in ("XT_LUOT_NGUOI", "XN_NN_CHUYEN", "XN_NGUY_CO", "XN_NN_TIEP_NHAN", "Lỗi", "Cảnh"):
        assert code in words, (width, code)


@pytest.mark.parametrize("width", [60, 80])
def test_plan_show_keeps_codes_whole_and_lists_the_rules(width):
    from kpi.catalog import bundled_plans

    plan = next(p for p in bundled_plans() if p.id == "QUANGNGAI-2026")
    result = run("plan", "show", "--period", "2026-08", width=width)
    assert result.exit_code == 0
    assert_fits(result.output, width)
    words = tokens(result.output)
    assert "Quy tắc kiểm tra" in result.output
    for code in [a.code for a in plan.agencies] + [r.code for r in plan.rules] \
            + [i.code for i in plan.indicators] + [e.code for e in plan.elements] \
            + ["KONTUM-1583-2021", "QUANGNGAI-2026"]:
        assert code in words or code + "," in words, (width, code)
    for rule in plan.rules:  # each expression reads whole, its codes unbroken
        assert set(rule.expression.source.split()) <= words, (width, rule.code)


# --- 2. output encodings other than UTF-8 --------------------------------------------------------

@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_windows_code_page_never_ends_a_run(encoding):
    env = {"PYTHONIOENCODING": encoding}
    faulty = QN / "X_DAK_HA_2026-08.xlsx"
    for args, code in (((("validate", faulty)), 1), (("aggregate", QN, "--period", "2026-08"), 1),
                       (("plan", "show"), 0), (("aggregate", QN, "--period", "13/2026"), 2),
                       (("validate", faulty, "--lang", "en"), 1)):
        done = process(*args, env=env)
        assert done.returncode == code, (args, done.stderr.decode(encoding, "replace")[-2000:])
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
        assert done.stdout or done.stderr
    table = process("validate", faulty, env=env).stdout.decode(encoding)
    if encoding == "cp1258":  # Vietnamese, with the tone marks cp1258 writes as combining ones
        assert "Có lỗi" in unicodedata.normalize("NFC", table)
    else:  # approximated, still readable
        assert "XT_LUOT_NGUOI" in table and "1,200" in table


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_json_and_csv_are_exact_utf8_whatever_the_console(encoding):
    env = {"PYTHONIOENCODING": encoding}
    data = process("aggregate", QN, "--period", "2026-08", "--format", "json", env=env)
    assert data.returncode == 1 and b"Traceback" not in data.stderr
    parsed = json.loads(data.stdout.decode("utf-8"))
    names = {i["code"]: i["name"] for i in parsed["indicators"]}
    assert names["KPI_NN_HO_TRO"] == "Tỷ lệ nạn nhân đã xác định được hỗ trợ"
    table = process("aggregate", QN, "--period", "2026-08", "--format", "csv", env=env)
    assert table.returncode == 1 and b"Traceback" not in table.stderr
    text = table.stdout.decode("utf-8")
    assert text.startswith("code,name,") and "Tỷ lệ nạn nhân đã xác định được hỗ trợ" in text
    validated = process("validate", QN / "X_NGOK_TU_2026-08.xlsx", "--format", "json", env=env)
    assert json.loads(validated.stdout.decode("utf-8"))["files"][0]["agency"] == "X_NGOK_TU"


def test_csv_file_for_excel_has_a_bom_and_rounded_values(tmp_path):
    out = tmp_path / "ket-qua.csv"
    result = run("aggregate", QN, "--period", "2026-08", "--out", out)
    assert result.exit_code == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {line.split(",")[0]: line for line in raw.decode("utf-8-sig").splitlines()}
    assert ",2,3,66.67," in rows["KPI_XX_GIAI_QUYET"]  # 2 / 3, rounded for a reader
    assert ",101,109,92.66," in rows["KPI_DUNG_HAN"]
    # JSON and --format csv keep every decimal, for programs.
    unrounded = run("aggregate", QN, "--period", "2026-08", "--format", "csv").stdout
    assert "66.66666666666667" in unrounded
    value = {i["code"]: i["value"] for i in indicators_of(QN, "2026-08")}["KPI_XX_GIAI_QUYET"]
    assert value == pytest.approx(200 / 3) and value != 66.67


def test_out_with_another_suffix_says_what_it_writes(tmp_path):
    result = run("aggregate", QN, "--period", "2026-08", "--out", tmp_path / "bao-cao.txt")
    assert result.exit_code == 2
    assert ".xlsx" in result.output and ".csv" in result.output and "--table" in result.output
    assert not (tmp_path / "bao-cao.txt").exists()


# --- 3. periods ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "folder", "code"), [
    ("07/2025", QN, "2025-07"),
    ("Q3/2025", QN, "2025-Q3"),
    ("quý 3/2025", QN, "2025-Q3"),
    ("quý III năm 2025", QN, "2025-Q3"),
    ("tháng 8/2026", QN, "2026-08"),
    ("6 tháng đầu năm 2025", KT, "2025-H1"),
    ("năm 2026", QN, "2026"),
])
def test_periods_as_a_vietnamese_user_types_them(typed, folder, code):
    result = run("aggregate", folder, "--period", typed, "--format", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["period"]["code"] == code


def test_a_year_across_two_plans_is_refused_with_both_parts_named():
    result = run("aggregate", QN, "--period", "năm 2025")
    assert result.exit_code == 2
    assert "--period 2025-H1" in result.output and "--period 2025-H2" in result.output
    assert "không hợp lệ" not in result.output


@pytest.mark.parametrize("command", [("aggregate", QN), ("template", "--all"), ("plan", "show")])
def test_a_period_error_lists_the_accepted_forms(command, tmp_path):
    result = run(*command, "--period", "13/2025", width=120)
    assert result.exit_code == 2
    out = result.output
    assert "Kỳ không hợp lệ: 13/2025" in out
    for form in ("07/", "Q3/", "quý 3/", "6 tháng đầu năm", "năm ", "-01.."):
        assert form in out, form
    english = run(*command, "--period", "Q5/2025", "--lang", "en", width=120)
    assert english.exit_code == 2
    assert "Not a valid period: Q5/2025" in english.output and "Accepted forms" in english.output


# --- 4. an empty or wrong folder -----------------------------------------------------------------

def test_an_empty_folder_says_no_spreadsheet_with_or_without_a_period(tmp_path):
    empty = tmp_path / "nop"
    empty.mkdir()
    for extra in ((), ("--period", "2026-08"), ("--period", "2026-08", "--format", "json")):
        result = run("aggregate", empty, *extra)
        assert result.exit_code == 2
        assert f"Không tìm thấy bảng tính nào (.xlsx, .xlsm, .xls, .ods) trong {empty}" in result.output
        assert "Chưa đạt" not in result.output and "--period" not in result.output
        assert "Traceback" not in result.output
    english = run("aggregate", empty, "--lang", "en")
    assert english.exit_code == 2 and f"No spreadsheet (.xlsx, .xlsm, .xls, .ods) found in {empty}" \
        in english.output


def test_a_folder_of_other_files_names_what_it_passed_over(tmp_path):
    wrong = tmp_path / "Downloads"
    wrong.mkdir()
    (wrong / "ghi-chu.txt").write_text("không phải bảng tính", encoding="utf-8")
    result = run("aggregate", wrong, "--period", "2026-08")
    assert result.exit_code == 2
    assert "Không tìm thấy bảng tính nào" in result.output
    assert "ghi-chu.txt (không phải tệp bảng tính)" in result.output


# --- 5. language ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "env"), [
    (("--lang", "xx"), {}), (("--lang=fr",), {}), ((), {"KPI_LANG": "fr"}),
])
def test_an_unknown_language_is_refused_with_the_choices(args, env):
    for command in (("aggregate", QN, "--period", "2026-08"), ("validate", QN / "BDBP_2026-08.xlsx"),
                    ("plan", "show"), ("--help",)):
        result = run(*command, *args, env=env)
        assert result.exit_code == 2, (command, args, env)
        assert "vi" in result.output and "en" in result.output
        assert "Ngôn ngữ không hỗ trợ" in result.output
        assert "Chỉ tiêu" not in result.output  # refused before anything ran


def test_the_command_line_language_wins_over_kpi_lang():
    result = run("plan", "check", ROOT / "kpi" / "plans" / "quangngai_2026.toml", "--lang", "en",
                 env={"KPI_LANG": "fr"})
    assert result.exit_code == 0 and result.output.startswith("Plan QUANGNGAI-2026 is sound")
    refused = run("plan", "check", ROOT / "kpi" / "plans" / "quangngai_2026.toml", "--lang", "de",
                  env={"KPI_LANG": "en"})
    assert refused.exit_code == 2 and "Language not supported: --lang de" in refused.output
    # Before the command as well as after it.
    before = run("--lang", "en", "validate", QN / "X_DAK_HA_2026-08.xlsx")
    assert before.exit_code == 1 and "1 file: 0 valid, 1 with errors" in before.output
    assert "Code" in run("plan", "--lang", "en", "show").output.split("\n")[2]


def test_help_is_vietnamese_by_default_and_english_on_request():
    for command in ((), ("validate",), ("template",), ("aggregate",), ("plan",), ("plan", "show"),
                    ("plan", "check")):
        vi = run(*command, "--help")
        assert vi.exit_code == 0
        assert vi.output.startswith("Cách dùng:") and "Tùy chọn" in vi.output
        assert "Show this message" not in vi.output and "Usage:" not in vi.output
        en = run(*command, "--help", "--lang", "en")
        assert en.output.startswith("Usage:") and "Options" in en.output
        assert run(*command, "--help", env={"KPI_LANG": "en"}).output == en.output
    assert "Kiểm tra báo cáo của đơn vị" in run("validate", "--help").output
    assert "[mặc định: table]" in run("aggregate", "--help").output


def test_every_help_text_has_its_vietnamese():
    from kpi.cli import app
    from kpi.i18n import HELP_VI

    def texts(command):
        yield command.help
        for param in command.params:
            yield getattr(param, "help", None)
        for sub in getattr(command, "commands", {}).values():
            yield from texts(sub)

    missing = [h for h in texts(typer.main.get_command(app)) if h and inspect.cleandoc(h) not in HELP_VI]
    assert not missing


def test_usage_errors_follow_the_language():
    result = run("validate")
    assert result.exit_code == 2
    assert "Cách dùng: " in result.output and "Lỗi: Thiếu đối số" in result.output
    assert "Missing argument" not in result.output
    english = run("validate", "--lang", "en")
    assert english.exit_code == 2 and "Error: Missing argument" in english.output
    assert "Không có tùy chọn --formt" in run("validate", "x.xlsx", "--formt", "json").output
    assert "Có phải ý bạn là: 'aggregate'" in run("agregate").output
    assert "Thừa đối số: b.toml" in run("plan", "check", "a.toml", "b.toml").output
    assert "Tùy chọn --period cần một giá trị" in run("aggregate", QN, "--period").output


def test_english_plurals(tmp_path):
    one = run("validate", QN / "X_DAK_HA_2026-08.xlsx", "--lang", "en")
    assert "1 file: 0 valid, 1 with errors; 1 error, 0 warnings" in one.output
    two = run("validate", QN / "X_DAK_HA_2026-08.xlsx", QN / "X_NGOK_TU_2026-08.xlsx", "--lang", "en")
    assert "2 files: 1 valid, 1 with errors; 1 error, 1 warning" in two.output
    agg = run("aggregate", QN, "--period", "2026-08", "--lang", "en")
    assert "(1 error)" in agg.output and "1 errors" not in agg.output
    assert "1 ring " in agg.output and "1 rings" not in agg.output  # one trafficking ring
    assert "4 persons" in agg.output
    made = run("template", "--agency", "SYT", "--period", "2026-08", "--out", tmp_path, "--lang", "en")
    assert made.exit_code == 0 and "Wrote 1 template to" in made.output


def test_english_units_after_one():
    from kpi.present import unit_for_value

    assert [unit_for_value(u, 1, "en") for u in ("rings", "activities", "persons", "classes",
                                                  "news items", "%")] == [
        "ring", "activity", "person", "class", "news item", "%"]
    assert unit_for_value("rings", 2, "en") == "rings"
    assert unit_for_value("đường dây", 1, "vi") == "đường dây"


def test_no_machine_code_inside_a_vietnamese_sentence(tmp_path):
    result = run("aggregate", QN, "--period", "2026-08")
    assert "tệp khóa của Excel/LibreOffice" in result.output
    assert "(lock-file)" not in result.output
    data = json.loads(run("aggregate", QN, "--period", "2026-08", "--format", "json").stdout)
    assert {s["reason"] for s in data["skipped"]} == {"lock-file"}  # JSON keeps the codes
    # A marked copy left among the submissions.
    folder = tmp_path / "nop"
    shutil.copytree(QN, folder)
    assert run("validate", folder / "X_DAK_HA_2026-08.xlsx", "--annotate").exit_code == 1
    again = run("aggregate", folder, "--period", "2026-08")
    assert "bản kiểm tra do kpi tạo" in again.output and "(marked-copy)" not in again.output
    lock = run("validate", QN / "~$CA_TINH_2026-08.xlsx")
    assert lock.exit_code == 0 and "tệp khóa của Excel/LibreOffice" in lock.output


# --- 6. what aggregate shows ---------------------------------------------------------------------

def test_aggregate_lists_its_warnings():
    out = run("aggregate", QN, "--period", "2026-08").output
    assert "Vấn đề: 2 lỗi, 2 cảnh báo" in out
    listed = out.split("Các cảnh báo (tệp vẫn được tính):")[1]
    assert "X_NGOK_TU_2026-08.xlsx" in listed and "đã đọc là 12" in listed
    assert "P_CAM_THANH_2026-08.xlsx" in listed and "07/2026" in listed


# --- 7. small surprises --------------------------------------------------------------------------

def test_template_for_a_period_outside_every_plan_is_refused(tmp_path):
    result = run("template", "--all", "--period", "2031-01", "--out", tmp_path / "mau")
    assert result.exit_code == 2
    assert "2031-01" in result.output and "33/QĐ-TTg" in result.output
    assert not (tmp_path / "mau").exists()


def test_a_repeated_agency_is_written_once(tmp_path):
    result = run("template", "--agency", "SYT", "--agency", "syt", "--agency", "SYT",
                 "--period", "2026-08", "--out", tmp_path)
    assert result.exit_code == 0
    assert "Đã tạo 1 biểu mẫu" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["SYT_2026-08.xlsx"]


@pytest.mark.parametrize("name", ["kiem-tra.csv", "kiem-tra.pdf", "kiem-tra.json"])
def test_annotate_out_never_makes_a_folder_named_like_a_file(tmp_path, name):
    target = tmp_path / name
    result = run("validate", QN / "X_DAK_HA_2026-08.xlsx", "--annotate-out", target)
    assert result.exit_code == 2
    assert ".xlsx" in result.output and "--annotate-out" in result.output
    assert not target.exists()


def test_plan_check_on_a_missing_file_exits_2(tmp_path):
    result = run("plan", "check", tmp_path / "tinh.toml")
    assert result.exit_code == 2 and "Không tìm thấy tệp kế hoạch" in result.output


def test_validate_accepts_a_folder_as_aggregate_does(tmp_path):
    folder = tmp_path / "nop" / "2026-08"
    (folder / "xa").mkdir(parents=True)
    for name in ("BDBP_2026-08.xlsx", "X_DAK_HA_2026-08.xlsx", "~$CA_TINH_2026-08.xlsx"):
        shutil.copy(QN / name, folder / name)
    shutil.copy(QN / "X_NGOK_TU_2026-08.xlsx", folder / "xa" / "X_NGOK_TU_2026-08.xlsx")
    (folder / "thu.txt").write_text("email", encoding="utf-8")
    result = run("validate", tmp_path / "nop")
    assert result.exit_code == 1  # X_DAK_HA has an error
    out = result.output
    for name in ("BDBP_2026-08.xlsx", "X_DAK_HA_2026-08.xlsx", "X_NGOK_TU_2026-08.xlsx"):
        assert name in out
    assert "3 tệp: 2 hợp lệ, 1 có lỗi" in out
    assert "tệp khóa của Excel/LibreOffice" in out and "không phải tệp bảng tính" in out
    data = json.loads(run("validate", tmp_path / "nop", "--format", "json").stdout)
    assert len(data["files"]) == 3
    assert {s["reason"] for s in data["skipped"]} == {"lock-file", "not-a-spreadsheet"}
    # Marked copies of a folder go to a folder; an empty folder is said so.
    marks = tmp_path / "kiem-tra"
    assert run("validate", tmp_path / "nop", "--annotate-out", marks).exit_code == 1
    assert len(list(marks.glob("*.kiem-tra.xlsx"))) == 3
    empty = tmp_path / "trong"
    empty.mkdir()
    nothing = run("validate", empty)
    assert nothing.exit_code == 2 and "Không tìm thấy bảng tính nào" in nothing.output


def test_a_file_reached_twice_is_read_once():
    data = json.loads(run("aggregate", QN, QN / "BDBP_2026-08.xlsx", QN, "--period", "2026-08",
                          "--format", "json").stdout)
    assert len(data["submissions"]) == 108
    assert "BDBP_2026-08.xlsx" not in {Path(s["file"]).name for s in data["submissions"]
                                       if s["status"] == "superseded"}
    twice = run("validate", QN / "BDBP_2026-08.xlsx", QN / "BDBP_2026-08.xlsx")
    assert "1 tệp: 1 hợp lệ" in twice.output


def test_after_a_correction_the_feedback_folder_holds_only_what_to_send(tmp_path):
    """The monthly routine's step 5: a corrected file arrives, aggregate runs again; the
    request to the agency that corrected is gone, the others stay, nobody else's file moves."""
    from workbooks import correct_dak_ha

    nop = tmp_path / "nop" / "2026-08"
    shutil.copytree(QN, nop)
    phan_hoi = tmp_path / "phan-hoi" / "2026-08"
    first = run("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi)
    assert first.exit_code == 1
    assert {p.name for p in phan_hoi.iterdir()} == {
        "P_CAM_THANH.txt",  # its file is for 07/2026: told that August's is still due
        "X_DAK_HA.txt", "X_DAK_HA_2026-08.kiem-tra.xlsx", "X_MO_RAI.txt",
        "X_MO_RAI_2026-08.kiem-tra.xlsx"}
    (phan_hoi / "ghi-chu.txt").write_text("đã gọi điện cho xã Đăk Hà", encoding="utf-8")
    correct_dak_ha(nop)
    again = run("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi)
    assert again.exit_code == 1
    assert {p.name for p in phan_hoi.iterdir()} == {
        "P_CAM_THANH.txt", "X_MO_RAI.txt", "X_MO_RAI_2026-08.kiem-tra.xlsx", "ghi-chu.txt"}
    assert "Đã xóa phản hồi của lần trước" in again.output and "X_DAK_HA.txt" in again.output
    data = json.loads(run("aggregate", nop, "--period", "2026-08", "--feedback", phan_hoi,
                          "--format", "json").stdout)
    assert data["feedback"]["removed"] == []
