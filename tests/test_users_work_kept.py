"""The user's work is never lost (issue 21.1, 21.2; issue 20.11): an output changed after kpi wrote
it is the user's, known by content (a fingerprint of what kpi wrote, which no editor carries
over), not by a mark an editor keeps; the submissions folder holds submissions only; kpi's own
marked copies and blank templates among them are told from a clerk's file by content."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from clitools import hashes, kpi, sha256
from test_monthly_routine import QN, routine, write_assessment
from workbooks import correct_dak_ha, editing, set_value

from kpi.annotate import annotate
from kpi.templates import template_bytes
from kpi.validate import validate_file
from kpi.word import is_own_docx


def step_3() -> list[str]:
    """The README's step 3, as the analyst types it (the first `kpi aggregate` of the routine)."""
    command = next(c for c, _ in routine() if c.split()[1] == "aggregate")
    return shlex.split(command)[1:]


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """The monthly routine's work folder after step 3."""
    folder = tmp_path / "cong-viec"
    (folder / "nop").mkdir(parents=True)
    shutil.copytree(QN, folder / "nop" / "2026-08")
    (folder / "bao-cao").mkdir()
    monkeypatch.chdir(folder)
    assert kpi(*step_3()).exit_code == 1
    return folder


@pytest.fixture
def plan():
    """The plan in force for the bundled month (the example's)."""
    from kpi.catalog import bundled_plans, plan_for
    from kpi.periods import parse_span

    return plan_for(bundled_plans(), parse_span("2026-08"))


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


# --- 21.1 edited outputs are the user's ----------------------------------------------------------

def test_an_assessment_written_into_the_word_draft_survives_step_3_again(work):
    draft = work / "bao-cao" / "2026-08.docx"
    write_assessment(draft, "Đánh giá: các đơn vị cần gửi báo cáo đúng hạn hơn.")
    assert is_own_docx(draft)  # python-docx kept kpi's mark: the mark alone cannot tell
    edited = sha256(draft)
    result = kpi(*step_3())
    assert result.exit_code == 1
    assert sha256(draft) == edited
    assert "Đánh giá: các đơn vị cần gửi báo cáo đúng hạn hơn." in texts(draft)
    flat = " ".join(result.output.split())
    assert ("Giữ nguyên bao-cao/2026-08.docx (đã sửa sau khi kpi ghi); bản mới: "
            "bao-cao/2026-08-2.docx") in flat
    new = work / "bao-cao" / "2026-08-2.docx"
    assert "NHẬN XÉT, ĐỀ XUẤT" in " ".join(texts(new))
    # Once more: the new draft, untouched, is replaced in place; the edited one stays.
    assert kpi(*step_3()).exit_code == 1
    assert sha256(draft) == edited
    assert sorted(p.name for p in (work / "bao-cao").iterdir()) == [
        "2026-08-2.docx", "2026-08.docx", "2026-08.xlsx"]


def test_a_number_typed_into_the_report_survives_step_3_again(work):
    report = work / "bao-cao" / "2026-08.xlsx"
    wb = openpyxl.load_workbook(report)
    wb.worksheets[0]["A2"] = "Số: 123/BC-CAT"
    wb.save(report)
    edited = sha256(report)
    result = kpi(*step_3(), "--format", "json")
    assert result.exit_code == 1
    assert sha256(report) == edited
    assert openpyxl.load_workbook(report).worksheets[0]["A2"].value == "Số: 123/BC-CAT"
    kept = json.loads(result.output)["outputs_kept"]
    assert kept == [{"file": "bao-cao/2026-08.xlsx", "written": "bao-cao/2026-08-2.xlsx"}]
    assert openpyxl.load_workbook(work / "bao-cao" / "2026-08-2.xlsx").sheetnames == \
        openpyxl.load_workbook(report).sheetnames


def test_a_report_only_opened_and_saved_again_is_kept_too(work):
    """Saved again without a change: the bytes are no longer kpi's, so the file is the user's
    (kpi never guesses in the direction that loses work)."""
    report = work / "bao-cao" / "2026-08.xlsx"
    openpyxl.load_workbook(report).save(report)
    saved = sha256(report)
    result = kpi(*step_3())
    assert sha256(report) == saved
    assert (work / "bao-cao" / "2026-08-2.xlsx").is_file()
    assert "Giữ nguyên bao-cao/2026-08.xlsx" in " ".join(result.output.split())


def test_untouched_outputs_are_replaced_by_step_3_again(work):
    """A re-run stays one command: the report, draft and feedback kpi wrote and nobody touched
    are replaced in place with the corrected numbers, nothing written beside them."""
    report, draft = work / "bao-cao" / "2026-08.xlsx", work / "bao-cao" / "2026-08.docx"
    before = {p: sha256(p) for p in (report, draft)}
    correct_dak_ha(work / "nop" / "2026-08")
    result = kpi(*step_3())
    assert result.exit_code == 1 and "Giữ nguyên" not in result.output
    assert all(sha256(p) != old for p, old in before.items())
    assert sorted(p.name for p in (work / "bao-cao").iterdir()) == ["2026-08.docx", "2026-08.xlsx"]
    assert sorted(p.name for p in (work / "phan-hoi" / "2026-08").iterdir()) == [
        "P_CAM_THANH.txt", "X_MO_RAI.txt", "X_MO_RAI_2026-08.kiem-tra.xlsx"]


def test_an_edited_feedback_letter_is_never_removed_nor_replaced(work):
    feedback = work / "phan-hoi" / "2026-08"
    dak_ha, mo_rai = feedback / "X_DAK_HA.txt", feedback / "X_MO_RAI.txt"
    for letter in (dak_ha, mo_rai):
        letter.write_bytes(letter.read_bytes() + "Ghi thêm: gọi điện nhắc trước ngày 20.\r\n".encode())
    before = {p: sha256(p) for p in (dak_ha, mo_rai)}
    correct_dak_ha(work / "nop" / "2026-08")  # Đăk Hà corrects: its letter is out of date
    result = kpi(*step_3(), "--format", "json")
    assert result.exit_code == 1
    assert {p: sha256(p) for p in (dak_ha, mo_rai)} == before  # neither removed nor replaced
    sent = json.loads(result.output)["feedback"]
    assert sent["removed"] == ["phan-hoi/2026-08/X_DAK_HA_2026-08.kiem-tra.xlsx"]
    assert sorted(sent["kept"]) == ["phan-hoi/2026-08/X_DAK_HA.txt", "phan-hoi/2026-08/X_MO_RAI.txt"]
    assert [t["file"] for t in sent["texts"]] == ["phan-hoi/2026-08/P_CAM_THANH.txt",
                                                  "phan-hoi/2026-08/X_MO_RAI-2.txt"]
    table = kpi(*step_3())
    flat = " ".join(table.output.split())
    assert "Giữ lại phản hồi của lần trước đã được sửa sau khi kpi ghi" in flat
    assert "phan-hoi/2026-08/X_DAK_HA.txt" in flat


def test_an_edited_csv_is_kept_and_an_untouched_one_replaced(work):
    out = work / "bao-cao" / "2026-08.csv"
    args = ["aggregate", "nop", "--period", "2026-08", "--out", "bao-cao/2026-08.csv"]
    assert kpi(*args).exit_code == 1
    first = sha256(out)
    assert kpi(*args).exit_code == 1 and sha256(out) == first  # replaced (same numbers)
    assert not (work / "bao-cao" / "2026-08-2.csv").exists()
    out.write_bytes(out.read_bytes() + b"ghi chu,,,\r\n")
    edited = sha256(out)
    assert kpi(*args).exit_code == 1
    assert sha256(out) == edited and (work / "bao-cao" / "2026-08-2.csv").read_bytes().startswith(
        "\ufeffcode,".encode())


# --- 21.2 the submissions folder is for submissions ----------------------------------------------

@pytest.mark.parametrize("option", ["--out", "--docx", "--feedback"])
def test_aggregate_outputs_inside_the_submissions_folder_are_refused(work, option):
    target = {"--out": "nop/2026-08/bao-cao.xlsx", "--docx": "nop/bao-cao.docx",
              "--feedback": "nop/2026-08/phan-hoi"}[option]
    before = hashes(work / "nop")
    result = kpi("aggregate", "nop", "--period", "2026-08", option, target)
    assert result.exit_code == 2
    assert "nơi đang đọc báo cáo nộp" in " ".join(result.output.split())
    assert hashes(work / "nop") == before


def test_template_and_annotate_out_are_refused_into_the_submissions_folder(work):
    before = hashes(work / "nop")
    result = kpi("template", "--all", "--period", "2026-08", "--out", "nop/2026-08")
    assert result.exit_code == 2 and "thư mục báo cáo nộp" in " ".join(result.output.split())
    result = kpi("validate", "nop/2026-08", "--annotate-out", "nop/2026-08/kiem-tra")
    assert result.exit_code == 2 and "nơi đang đọc báo cáo nộp" in " ".join(result.output.split())
    assert hashes(work / "nop") == before
    # An empty folder, or one of blank templates, is fine for templates.
    assert kpi("template", "--all", "--period", "2026-08", "--out", "mau-bieu/2026-08").exit_code == 0
    assert kpi("template", "--all", "--period", "2026-08", "--out", "mau-bieu/2026-08").exit_code == 0


@pytest.mark.parametrize("period", ["2026-08", None])
def test_a_blank_template_among_submissions_is_listed_never_answered(work, plan, period):
    """Blank templates in the folder (with and without a period filled in by kpi) are listed
    as blank-template; no correction letter goes to an agency that sent nothing."""
    nop = work / "nop" / "2026-08"
    agency = plan.agency_by_code["BAO_QN"]
    (nop / "BAO_QN_2026-08.xlsx").unlink()  # the newspaper sent nothing ...
    blank = nop / "BAO_QN_2026-08.xlsx"  # ... but its blank template landed among the files
    blank.write_bytes(template_bytes(plan, agency, period))
    result = kpi("aggregate", "nop", "--period", "2026-08", "--feedback", "phan-hoi/2026-08",
                 "--format", "json")
    data = json.loads(result.output)
    assert {"file": f"nop/2026-08/{blank.name}", "reason": "blank-template"} in data["skipped"]
    assert all(f["file"] != f"nop/2026-08/{blank.name}" for f in data["feedback"]["files"])
    assert not (work / "phan-hoi" / "2026-08" / "BAO_QN.txt").exists()
    assert "BAO_QN" in {m["agency"] for m in data["completeness"]["missing"]}  # listed as missing
    table = kpi("aggregate", "nop", "--period", "2026-08")
    assert "biểu mẫu trống do kpi tạo, chưa điền" in " ".join(table.output.split())


def test_a_filled_template_is_still_a_submission(plan, tmp_path):
    agency = plan.agency_by_code["CA_TINH"]
    path = tmp_path / "CA_TINH_2026-08.xlsx"
    path.write_bytes(template_bytes(plan, agency, "2026-08"))
    assert validate_file(path, plan).output == "blank-template"
    with editing(path) as wb:
        set_value(wb, "META_REPORTER", "Nguyễn Văn B")
    assert validate_file(path, plan).output is None


# --- 20.11 a marked copy is known by content ----------------------------------------------------

def _marked_copy_of_dak_ha(nop: Path, plan) -> Path:
    original = nop / "X_DAK_HA_2026-08.xlsx"
    copy = nop / "X_DAK_HA_2026-08.kiem-tra.xlsx"
    annotate(validate_file(original, plan), copy)
    return copy


def test_a_corrected_marked_copy_sent_back_under_its_own_name_counts(work, plan):
    nop = work / "nop" / "2026-08"
    copy = _marked_copy_of_dak_ha(nop, plan)
    with editing(copy) as wb:  # the clerk fixes the red cell in the copy and sends it back
        set_value(wb, "XT_LUOT_NGUOI", 1200)
        set_value(wb, "META_SUBMITTED", "20/08/2026")
    result = kpi("aggregate", "nop", "--period", "2026-08", "--format", "json")
    data = json.loads(result.output)
    assert all(s["file"] != f"nop/2026-08/{copy.name}" for s in data["skipped"])
    used = [f for f in data["submissions"] if f["file"] == f"nop/2026-08/{copy.name}"]
    assert used and used[0]["status"] == "accepted", used
    original = [f for f in data["submissions"] if f["file"] == "nop/2026-08/X_DAK_HA_2026-08.xlsx"]
    assert original[0]["replaced_by"] == f"nop/2026-08/{copy.name}"
    assert "X_DAK_HA" not in {m["agency"] for m in data["completeness"]["missing"]}
    assert [i["code"] for i in data["issues"] if i["file"] == used[0]["file"]] == [
        "corrected-marked-copy"]
    table = kpi("validate", copy)
    assert "bản kiểm tra do kpi tạo, đã được sửa" in " ".join(table.output.split())


@pytest.mark.parametrize("name", ["X_DAK_HA_2026-08.kiem-tra.xlsx", "X_DAK_HA_2026-08_ban-2.xlsx"])
def test_an_unchanged_marked_copy_is_skipped_whatever_its_name(work, plan, name):
    nop = work / "nop" / "2026-08"
    copy = _marked_copy_of_dak_ha(nop, plan)
    copy = copy.rename(nop / name)
    result = kpi("aggregate", "nop", "--period", "2026-08", "--format", "json")
    data = json.loads(result.output)
    assert {"file": f"nop/2026-08/{name}", "reason": "marked-copy"} in data["skipped"]
    assert all(f["file"] != f"nop/2026-08/{name}" for f in data["submissions"])
