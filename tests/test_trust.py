"""Trust under hostile and careless input (issue 10): no number wrong, no file touched, no hang.

The files come from tests/hostile.py; the simple ones (one file, one answer) are in the corpus
of tests/test_hostile.py. Here are the stories that need more than one file, a real process, a
signal, a full disk or a second look at what kpi wrote.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import hostile
import openpyxl
import pytest
from clitools import NOT_INERT, hashes, kpi, kpi_process, sha256
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import TT_SHEET, editing, set_value

from kpi import validate_file
from kpi.annotate import annotate
from kpi.numbers import parse_count

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def copy_of(base: Path, folder: Path, name: str = "CA_TINH_2024-10.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(base, folder / name))


def faulty(base: Path, folder: Path, name: str = "CA_TINH_2024-10.xlsx", **values: object) -> Path:
    path = copy_of(base, folder, name)
    with editing(path) as wb:
        for code, value in (values or {"TT_TIN_BAI": "mười"}).items():
            set_value(wb, code, value)
    return path


# --- 1. an output never lands on an input, nor on a file kpi did not make -----------------------

def test_the_marked_copy_of_x_never_replaces_x_kiem_tra_given_as_an_input(base, tmp_path):
    """`kpi validate X.xlsx X.kiem-tra.xlsx --annotate`: the second is a corrected copy a clerk
    sent back; X's marked copy takes the next free name."""
    x = faulty(base, tmp_path)
    corrected = copy_of(base, tmp_path, "CA_TINH_2024-10.kiem-tra.xlsx")  # the clerk's own file
    before = sha256(corrected)
    result = kpi("validate", x, corrected, "--annotate")
    assert result.exit_code == 1
    assert sha256(corrected) == before
    assert (tmp_path / "CA_TINH_2024-10-2.kiem-tra.xlsx").exists()  # X's copy
    assert (tmp_path / "CA_TINH_2024-10.kiem-tra.kiem-tra.xlsx").exists()  # the corrected one's
    assert validate_file(tmp_path / "CA_TINH_2024-10-2.kiem-tra.xlsx", load()).output == "marked-copy"


def test_a_file_of_the_clerks_that_has_the_copys_name_is_never_replaced(base, tmp_path):
    x = faulty(base, tmp_path)
    theirs = tmp_path / "CA_TINH_2024-10.kiem-tra.xlsx"
    shutil.copy(base, theirs)  # not an input of the run, not kpi's
    before = sha256(theirs)
    assert kpi("validate", x, "--annotate").exit_code == 1
    assert sha256(theirs) == before
    assert (tmp_path / "CA_TINH_2024-10-2.kiem-tra.xlsx").exists()
    # Named explicitly, it is refused with a message, and the run says it could not write it.
    result = kpi("validate", x, "--annotate-out", theirs)
    assert result.exit_code == 2 and "không do kpi tạo" in result.output
    assert sha256(theirs) == before


def test_a_report_never_replaces_a_file_kpi_did_not_make(small_folder, base, tmp_path):
    someone = tmp_path / "bao-cao.xlsx"
    shutil.copy(base, someone)
    before = sha256(someone)
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", someone)
    assert result.exit_code == 2 and "không phải báo cáo do kpi tạo" in result.output
    assert sha256(someone) == before
    # kpi's own report of last month is replaced.
    ours = tmp_path / "tong-hop.xlsx"
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--out", ours).exit_code == 1
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--out", ours).exit_code == 1


def test_feedback_never_replaces_a_text_kpi_did_not_write(base, small_folder, tmp_path):
    faulty(base, small_folder)
    out = tmp_path / "phan-hoi"
    out.mkdir()
    note = out / "CA_TINH.txt"
    note.write_text("Ghi chú riêng của cán bộ tổng hợp", encoding="utf-8")
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--feedback", out)
    assert result.exit_code == 1
    assert note.read_text(encoding="utf-8") == "Ghi chú riêng của cán bộ tổng hợp"
    assert (out / "CA_TINH-2.txt").read_text(encoding="utf-8-sig").startswith("Tiêu đề:")
    # Run again: kpi's own text is replaced, the clerk's note still not.
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--feedback", out).exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["CA_TINH-2.txt", "CA_TINH.txt",
                                                     "CA_TINH_2024-10.kiem-tra.xlsx"]


# --- 2. one rule for grouped numbers: never a factor of a thousand --------------------------------

def _english(n: int) -> str:
    return f"{n:,}"


def _vietnamese(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**14))
def test_a_grouped_count_is_read_as_itself_or_refused_never_as_another_number(n):
    for text in (_english(n), _vietnamese(n), f"{n:,}".replace(",", " ")):
        parsed = parse_count(text)
        assert parsed.value in (n, None), (text, parsed)
        if parsed.value is None:
            assert parsed.problem == "ambiguous-number" and text.count(",") == 1
    assert parse_count(_vietnamese(n)).value == n  # the Vietnamese way always reads


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=999))
def test_a_decimal_comma_is_never_read_as_a_count(whole, frac):
    for digits in (str(frac), f"{frac:03d}", f"{frac}0"):
        parsed = parse_count(f"{whole},{digits}")
        assert parsed.value is None or (int(digits) == 0 and parsed.value == whole)


def test_the_message_says_both_readings_and_how_to_type_it(base, tmp_path, plan):
    path = faulty(base, tmp_path, TT_LUOT_NGUOI="2,000")
    [issue] = validate_file(path, plan).issues
    assert issue.code == "ambiguous-number"
    assert "2.000" in issue.message("vi") and "ví dụ 2000" in issue.message("vi")
    assert "2,000 (comma as thousands separator) or 2 (decimal comma)" in issue.message("en")


# --- 3. a date sent that cannot be true -----------------------------------------------------------

@pytest.mark.parametrize("sent", [datetime(9999, 12, 31), "31/12/2999", datetime(2052, 10, 16)])
def test_a_correction_dated_in_the_future_never_wins_nor_is_superseded(base, tmp_path, plan, sent):
    """The original (16/10/2024) and a later file dated far ahead: the far date cannot say which
    came last. The original counts; the other is rejected and sent back, never superseding."""
    folder = tmp_path / "nop"
    copy_of(base, folder, "CA_TINH_2024-10.xlsx")
    with editing(copy_of(base, folder, "CA_TINH_2024-10 (ban sua).xlsx")) as wb:
        set_value(wb, "META_SUBMITTED", sent)
        set_value(wb, "TG_TIEP_NHAN", 9)
    data = json.loads(kpi("aggregate", folder, "--period", "2024-10", "--format", "json").stdout)
    statuses = {Path(s["file"]).name: (s["status"], s["replaced_by"]) for s in data["submissions"]}
    assert statuses == {"CA_TINH_2024-10.xlsx": ("accepted", None),
                        "CA_TINH_2024-10 (ban sua).xlsx": ("rejected", None)}
    assert data["totals"]["TG_TIEP_NHAN"] == 5
    assert "implausible-date" in {i["code"] for i in data["issues"]}


def test_a_date_after_the_day_kpi_runs_is_judged_against_that_day(base, tmp_path, plan):
    path = copy_of(base, tmp_path)
    with editing(path) as wb:
        set_value(wb, "META_SUBMITTED", datetime(2024, 10, 20))
    assert [i.code for i in validate_file(path, plan, today=date(2024, 10, 19)).issues] == [
        "implausible-date"]
    assert validate_file(path, plan, today=date(2024, 10, 20)).issues == []


# --- 4. formula errors, also as LibreOffice saves them ---------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_formula_error_saved_by_libreoffice_is_said_as_such(base, tmp_path, plan, soffice, fmt):
    from workbooks import soffice_convert

    source = copy_of(base, tmp_path / "in")
    with editing(source) as wb:
        set_value(wb, "TG_TIEP_NHAN", "=1/0")
        set_value(wb, "TG_DA_GIAI_QUYET", "=NA()")
    converted = soffice_convert(soffice, source, fmt, tmp_path / "out")
    sub = validate_file(converted, plan)
    assert sorted((i.code, i.cell, i.message("en").split(" (")[0]) for i in sub.issues) == [
        ("formula-error", "E6", "The cell holds a formula error #DIV/0!"),
        ("formula-error", "E8", "The cell holds a formula error #N/A")]


# --- 5. the file name contradicts the cover -----------------------------------------------------------

def test_a_file_named_for_another_agency_is_shown_in_validate_and_aggregate(base, good, tmp_path):
    folder = tmp_path / "nop"
    copy_of(base, folder, "BDBP_2024-10.xlsx")
    copy_of(base, folder, "CA_TINH_2024-09.xlsx")
    table = kpi("validate", *sorted(folder.iterdir())).output
    assert table.count("Tên tệp") == 2 and "ghi BDBP nhưng trang Thông tin chung ghi CA_TINH" in table
    data = json.loads(kpi("aggregate", folder, "--period", "2024-10", "--format", "json").stdout)
    mismatches = sorted(Path(i["file"]).name for i in data["issues"] if i["code"] == "name-mismatch")
    assert mismatches == ["BDBP_2024-10.xlsx", "CA_TINH_2024-09.xlsx"]


# --- 6. entries that are not plain files ----------------------------------------------------------------

def test_a_pipe_named_xlsx_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "CA_TINH_2024-10.xlsx"
    os.mkfifo(fifo)
    done = kpi_process("validate", fifo, timeout=60)  # a hang fails the test by its timeout
    assert done.returncode == 2 and "đường ống" in done.stdout
    done = kpi_process("validate", fifo, "--format", "json", timeout=60)
    assert json.loads(done.stdout)["files"][0]["errors"][0]["code"] == "unreadable-file"


def test_every_entry_of_a_folder_is_read_or_listed_with_why(small_folder, tmp_path):
    os.mkfifo(small_folder / "ong.xlsx")
    (small_folder / "gay.xlsx").symlink_to(tmp_path / "khong-co.xlsx")
    (small_folder / "vong.xlsx").symlink_to(small_folder / "vong.xlsx")
    (small_folder / "thu-muc-lien-ket").symlink_to(tmp_path, target_is_directory=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(small_folder / "o-cam.xlsx"))
    locked = small_folder / "khoa"
    locked.mkdir()
    shutil.copy(small_folder / "VKS_2024-10.xlsx", locked / "VKS_2024-09.xlsx")
    locked.chmod(0)
    try:
        done = kpi_process("aggregate", small_folder, "--period", "2024-10", "--format", "json",
                           timeout=60)
    finally:
        locked.chmod(0o755)
        server.close()
    data = json.loads(done.stdout)
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    expected = {"ong.xlsx": "not-a-file", "gay.xlsx": "broken-link", "vong.xlsx": "link-loop",
                "thu-muc-lien-ket": "folder-link", "o-cam.xlsx": "not-a-file"}
    if not ROOT:  # root reads any folder
        expected["khoa"] = "unreadable-folder"
    assert {k: v for k, v in skipped.items() if k in expected} == expected
    accepted = [s["status"] for s in data["submissions"]].count("accepted")
    assert accepted == (2 if not ROOT else 2)  # the folder kpi may read as root holds September


# --- 7. what one file may cost: seconds and under 300 MB, in every output --------------------------

@pytest.mark.parametrize("build", ["ten_megabytes_in_a_cell", "worst_inside_the_limits"])
def test_the_worst_file_inside_the_limits_costs_seconds_and_little_memory(base, tmp_path, build):
    """Each output in a child process: the table, JSON, the marked copy, the roll-up with its
    report and feedback. The timeout is a guard against a hang, not a speed measure (speed is
    measured in benchmarks/); the memory is the child's peak."""
    import subprocess

    folder = tmp_path / "nop"
    folder.mkdir()
    path = getattr(hostile, build)(folder / "CA_TINH_2024-10.xlsx", base)
    runs = [("validate", path), ("validate", path, "--format", "json"),
            ("validate", path, "--annotate-out", tmp_path / "copy.xlsx"),
            ("aggregate", folder, "--period", "2024-10", "--out", tmp_path / "r.xlsx",
             "--feedback", tmp_path / "fb")]
    for args in runs:
        # ru_maxrss of children is the largest child so far: each run in a fresh grandchild.
        code = ("import resource, subprocess, sys\n"
                "done = subprocess.run([sys.executable, '-m', 'kpi', *sys.argv[1:]], capture_output=True)\n"
                "assert b'Traceback' not in done.stdout + done.stderr, done.stdout + done.stderr\n"
                "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
        done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        out = done.stdout.split()
        returncode, peak_kb = int(out[0]), int(out[1])
        assert returncode in (1, 2), args
        assert peak_kb / 1024 < 300, (args, peak_kb)
    # The copy of a file at the limits is itself readable, and known as kpi's own.
    assert validate_file(tmp_path / "copy.xlsx", load()).output == "marked-copy"


def test_a_cell_of_megabytes_is_quoted_in_a_line(base, tmp_path, plan):
    path = hostile.ten_megabytes_in_a_cell(tmp_path / "CA_TINH_2024-10.xlsx", base)
    [issue] = validate_file(path, plan).issues
    assert len(issue.message("vi")) < 200 and "AAAA…" in issue.message("vi")


# --- 8. every part any library of ours parses is guarded ----------------------------------------------

@pytest.mark.parametrize("build", ["entity_in_core_properties", "dtd_in_utf16_styles"])
def test_annotate_never_parses_an_entity_anywhere(base, tmp_path, build):
    path = getattr(hostile, build)(tmp_path / "CA_TINH_2024-10.xlsx", base)
    before = sha256(path)
    done = kpi_process("validate", path, "--annotate", timeout=60)
    assert done.returncode == 2 and "DTD" in done.stdout
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "CA_TINH_2024-10.kiem-tra.xlsx").exists()
    assert sha256(path) == before


# --- 9. a period outside the plan, a long one inside ---------------------------------------------------

@pytest.mark.parametrize("period", ["1900-01..2999-12", "2031", "2021-01..2021-12", "2099-Q4"])
def test_a_period_outside_the_plan_is_refused_naming_the_coverage(small_folder, period):
    result = kpi("aggregate", small_folder, "--period", period)
    assert result.exit_code == 2
    assert "06/2021" in result.output and "06/2025" in result.output and period in result.output


def test_a_long_span_inside_the_plan_is_rolled_up(small_folder):
    data = json.loads(kpi("aggregate", small_folder, "--period", "2021-06..2025-06", "--format",
                          "json").stdout)
    assert len(data["period"]["months"]) == 49
    assert data["totals"]["TTO_VU_THU_LY_MOI"] == 2


# --- 10. a full disk ----------------------------------------------------------------------------------

def _small_file_limit():  # in the child: files may not grow past 3 kB (EFBIG, as a full disk)
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3_000, 3_000))


@pytest.mark.parametrize("what", ["report", "feedback", "annotate"])
def test_a_full_disk_gives_one_message_and_no_traceback(base, small_folder, tmp_path, what):
    faulty(base, small_folder)
    if what == "report":
        args = ("aggregate", small_folder, "--period", "2024-10", "--out", tmp_path / "r.xlsx")
    elif what == "feedback":
        args = ("aggregate", small_folder, "--period", "2024-10", "--feedback", tmp_path / "fb")
    else:
        args = ("validate", small_folder / "CA_TINH_2024-10.xlsx", "--annotate-out", tmp_path / "c.xlsx")
    before = hashes(small_folder)
    done = kpi_process(*args, preexec=_small_file_limit, timeout=120)
    assert done.returncode == 2
    assert "Không ghi được" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".kpi-")]
    assert not (tmp_path / "r.xlsx").exists() and not (tmp_path / "c.xlsx").exists()
    assert hashes(small_folder) == before


# --- 11. control and direction characters from files are made inert everywhere ----------------------

def test_escapes_in_a_sheet_name_reach_no_terminal_and_no_text(base, small_folder, tmp_path):
    hostile.escapes_in_sheet_names(small_folder / "CA_TINH_2024-10.xlsx", base)
    kpi("validate", small_folder / "CA_TINH_2024-10.xlsx")  # kpi() fails on a raw one
    kpi("aggregate", small_folder, "--period", "2024-10")
    json_text = kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout
    assert "\\u202e" in json_text  # the data stay exact, written inert
    kpi("aggregate", small_folder, "--period", "2024-10", "--feedback", tmp_path / "fb")
    text = (tmp_path / "fb" / "CA_TINH.txt").read_text(encoding="utf-8-sig")
    assert "\\u202eTruyền" in text  # the sheet is named, its override shown, not obeyed
    assert not [c for c in NOT_INERT if c in text]


def test_escapes_in_a_file_name_reach_no_terminal_and_no_text(base, small_folder, tmp_path):
    name = "CA_TINH_2024-10\x1b]0;PWN\x07\u202egpj.xlsx"
    faulty(base, small_folder, name)
    kpi("validate", small_folder / name)
    kpi("aggregate", small_folder, "--period", "2024-10")
    kpi("aggregate", small_folder, "--period", "2024-10", "--feedback", tmp_path / "fb")
    text = (tmp_path / "fb" / "CA_TINH.txt").read_text(encoding="utf-8-sig")
    assert "\\x1b]0;PWN\\x07\\u202egpj.xlsx" in text
    assert not [c for c in NOT_INERT if c in text]


# --- 12. the marked copy carries values, never a formula reaching out ---------------------------------

def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(i) for i in archive.infolist() if i.filename.endswith(".xml"))
    return [f.decode() for f in re.findall(rb"<f>([^<]*)</f>", xml)] + \
        [f.decode() for f in re.findall(rb"<(?:formula1|formula)>([^<]*)</", xml)]


@pytest.mark.parametrize("build", ["formulas_reaching_out", "unsafe_formula_without_value",
                                   "error_values"])
def test_the_marked_copy_validates_exactly_like_the_original(base, tmp_path, plan, build):
    path = getattr(hostile, build)(tmp_path / "CA_TINH_2024-10.xlsx", base)
    original = validate_file(path, plan)
    copy = annotate(original, tmp_path / "copy.xlsx")
    again = validate_file(copy, plan)
    assert [(i.code, i.sheet, i.cell, i.message("vi")) for i in again.issues] == [
        (i.code, i.sheet, i.cell, i.message("vi")) for i in original.issues]
    assert again.values == original.values
    assert not [f for f in _formulas(copy) if re.search(r"WEBSERVICE|HYPERLINK|\||\[", f)]


def test_a_name_or_check_reaching_outside_is_not_carried(base, tmp_path, plan):
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    path = copy_of(base, tmp_path)
    with editing(path) as wb:
        wb.defined_names["tin"] = DefinedName("tin", attr_text='_xlfn.WEBSERVICE("http://x.invalid")')
        wb.defined_names["tong"] = DefinedName("tong", attr_text="'TT Truyền thông'!$E$5:$E$12")
        check = DataValidation(type="list", formula1='INDIRECT("[x.xlsx]A!A1")')
        wb[TT_SHEET].add_data_validation(check)
        check.add("F5")
    copy = annotate(validate_file(path, plan), tmp_path / "copy.xlsx")
    wb = openpyxl.load_workbook(copy)
    assert list(wb.defined_names) == ["tong"]
    assert not [f for f in _formulas(copy) if "INDIRECT" in f or "WEBSERVICE" in f]


# --- 13. sheet names that differ only in case ------------------------------------------------------------

def test_marks_land_on_the_right_one_of_two_sheets_named_alike(base, tmp_path, plan):
    path = hostile.case_twin_sheets(tmp_path / "CA_TINH_2024-10.xlsx", base)
    sub = validate_file(path, plan)
    copy = annotate(sub, tmp_path / "copy.xlsx")
    wb = openpyxl.load_workbook(copy)
    # Excel allows no two names alike: the copy's second one gets a number, and the mark.
    twin = [ws for ws in wb.worksheets if ws.title.casefold().startswith("tt truyền thông")]
    assert [ws.title for ws in twin] == ["TT Truyền thông", "tt truyền thông1"]
    assert twin[1]["E5"].comment is not None and twin[1]["E5"].fill.fgColor.rgb.endswith("FF7F7F")
    assert twin[0]["E5"].comment is None
    assert [i.code for i in validate_file(copy, plan).issues] == ["not-a-number"]


def test_marks_land_right_when_the_first_of_the_twins_holds_the_problem(base, tmp_path, plan):
    bad = faulty(base, tmp_path / "b", TT_TIN_BAI="mười")
    twin = hostile.case_twin_sheets(tmp_path / "b" / "twin.xlsx", bad)
    sub = validate_file(twin, plan)
    copy = annotate(sub, tmp_path / "b" / "copy.xlsx")
    wb = openpyxl.load_workbook(copy)
    assert wb["TT Truyền thông"]["E6"].comment is not None
    assert wb["tt truyền thông1"]["E5"].comment is not None


# --- 14. kpi's own outputs are known as such, whatever their name -------------------------------------

def test_a_report_saved_among_the_submissions_is_skipped_not_read(small_folder, tmp_path):
    before = json.loads(kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout)
    kpi("aggregate", small_folder, "--period", "2024-10", "--out", tmp_path / "r.xlsx")
    shutil.copy(tmp_path / "r.xlsx", small_folder / "CA_TINH_2024-11.xlsx")  # renamed like a file
    after = json.loads(kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout)
    assert {(Path(s["file"]).name, s["reason"]) for s in after["skipped"]} == {
        ("CA_TINH_2024-11.xlsx", "kpi-output")}
    assert after["totals"] == before["totals"] and after["submissions"] == before["submissions"]
    result = kpi("validate", small_folder / "CA_TINH_2024-11.xlsx")
    assert result.exit_code == 1 and "do kpi tạo" in result.output


def test_a_marked_copy_is_skipped_whatever_its_name_until_a_clerk_corrects_it(base, small_folder, tmp_path,
                                                                             plan):
    x = faulty(base, tmp_path / "in")
    copy = annotate(validate_file(x, plan), small_folder / "CA_TINH tháng 10 (gửi lại).xlsx")
    data = json.loads(kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout)
    assert {(Path(s["file"]).name, s["reason"]) for s in data["skipped"]} == {
        ("CA_TINH tháng 10 (gửi lại).xlsx", "marked-copy")}
    with editing(copy) as wb:  # the clerk corrects the copy itself and sends it back
        set_value(wb, "TT_TIN_BAI", 15)
    data = json.loads(kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout)
    assert data["skipped"] == []
    assert {Path(s["file"]).name: s["status"] for s in data["submissions"]}[
        "CA_TINH tháng 10 (gửi lại).xlsx"] == "accepted"


def test_temporary_files_left_by_an_older_run_are_listed_never_read(base, small_folder):
    shutil.copy(base, small_folder / ".kpi-3f9a.tmp")
    shutil.copy(base, small_folder / ".kpi-k2j1h4.xlsx")
    data = json.loads(kpi("aggregate", small_folder, "--period", "2024-10", "--format", "json").stdout)
    assert sorted((Path(s["file"]).name, s["reason"]) for s in data["skipped"]) == [
        (".kpi-3f9a.tmp", "kpi-temp-file"), (".kpi-k2j1h4.xlsx", "kpi-temp-file")]


# --- 15. messages that say what happened --------------------------------------------------------------

def test_messages_say_what_is_wrong(base, tmp_path, plan):
    ratio = validate_file(hostile.ratio_bomb_part(tmp_path / "a.xlsx", base), plan).issues[0]
    assert "xl/media/image1.png" in ratio.message("en") and "times" in ratio.message("en")
    assert "100 MB" not in ratio.message("en")
    serial = validate_file(hostile.negative_date_serial(tmp_path / "b.xlsx", base), plan).issues
    assert [i.code for i in serial] == ["bad-date"] and "00:00:00" not in serial[0].message("vi")
    outside = validate_file(hostile.sheet_outside_the_file(tmp_path / "c.xlsx", base), plan).issues[0]
    assert "'TT Truyền thông'" in outside.message("en") and "../../../../etc/passwd" in outside.message("en")


def test_a_long_sheet_title_gives_no_warning_of_openpyxl(base, tmp_path):
    parts = dict(hostile._parts(faulty(base, tmp_path / "in")))
    book = parts["xl/workbook.xml"].decode().replace(
        'name="TH Tập huấn"', f'name="TH Tập huấn {"và bồi dưỡng cán bộ " * 3}"')
    path = hostile.rezip(tmp_path / "in" / "CA_TINH_2024-10.xlsx", tmp_path / "CA_TINH_2024-10.xlsx",
                         {"xl/workbook.xml": book.encode()})
    done = kpi_process("validate", path, "--annotate", timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Warning" not in done.stderr and done.stderr.strip() == ""


def load():
    from kpi import load_plan

    return load_plan()


def test_templates_never_replace_a_filled_report_of_the_same_name(base, tmp_path):
    """`kpi template` into a folder that holds a clerk's filled file of the same name."""
    folder = tmp_path / "mau"
    filled = copy_of(base, folder)  # CA_TINH_2024-10.xlsx, filled
    before = sha256(filled)
    result = kpi("template", "--agency", "CA_TINH", "--agency", "VKS", "--period", "2024-10",
                 "--out", folder)
    # A folder holding a clerk's filled file is a submissions folder: no template goes there
    # (issue 21.2); nothing is written, the clerk's file untouched.
    assert result.exit_code == 2 and "thư mục báo cáo nộp" in result.output
    assert sha256(filled) == before
    assert sorted(p.name for p in folder.iterdir()) == [filled.name]
    # A blank template kpi wrote is replaced by a new one.
    other = tmp_path / "mau-bieu"
    assert kpi("template", "--agency", "VKS", "--period", "2024-10", "--out", other).exit_code == 0
    assert kpi("template", "--agency", "VKS", "--period", "2024-10", "--out", other).exit_code == 0
