"""Issue 24 items 4 and 8: documents named as what they are, a former province's period reported
by today's body, and feedback texts that follow what the clerk typed and whom they are for."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi
from docx import Document
from workbooks import editing, set_value, valid_values

from kpi import load_plan, roll_up, validate_file
from kpi.catalog import bundled_plans
from kpi.feedback import UNKNOWN_AGENCY_FILE, issue_line, write_feedback
from kpi.fill import fill_template
from kpi.outputs import Outputs
from kpi.plan import PlanError

ROOT = Path(__file__).resolve().parents[1]
QN = ROOT / "examples" / "quangngai-2026-08"
PLANS = ROOT / "kpi" / "plans"


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


# --- item 4: 33/QĐ-TTg is a Decision, not a plan ---------------------------------------------

def test_the_bundled_plans_say_what_their_reference_is():
    kontum, quangngai = (load_plan(PLANS / "kontum_1583.toml"), load_plan(PLANS / "quangngai_2026.toml"))
    assert kontum.named("vi") == "Kế hoạch 1583/KH-UBND"
    assert kontum.named("en") == "Plan 1583/KH-UBND"
    assert quangngai.named("vi") == "Quyết định 33/QĐ-TTg"
    assert quangngai.named("vi", upper=True) == "QUYẾT ĐỊNH 33/QĐ-TTg"  # the number kept as written
    assert quangngai.as_plan("vi") == "kế hoạch thực hiện Quyết định 33/QĐ-TTg"


@pytest.mark.parametrize("value", ["decree", "Decision"])
def test_an_unknown_reference_kind_is_refused(tmp_path, value):
    text = (PLANS / "kontum_1583.toml").read_text(encoding="utf-8").replace(
        'reference = "1583/KH-UBND"', f'reference = "1583/KH-UBND"\nreference_kind = "{value}"', 1)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert "reference_kind" in "\n".join(err.value.messages("en"))


@pytest.mark.parametrize("lang,title", [("vi", "Kết quả thực hiện Quyết định 33/QĐ-TTg, kỳ"),
                                        ("en", "Results under Decision 33/QĐ-TTg, period")])
def test_the_terminal_names_the_decision(lang, title):
    result = kpi("aggregate", QN, "--period", "2026-08", "--lang", lang)
    assert result.output.startswith(title)
    assert "kế hoạch 33/" not in result.output.lower() and "plan 33/" not in result.output.lower()


@pytest.mark.parametrize("plan_file,period,title", [
    ("quangngai_2026.toml", "2026-08", "BÁO CÁO KẾT QUẢ THỰC HIỆN QUYẾT ĐỊNH 33/QĐ-TTg"),
    ("kontum_1583.toml", "2024-10", "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH 1583/KH-UBND"),
])
def test_templates_name_the_document(tmp_path, plan_file, period, title):
    result = kpi("template", "--agency", "CA_TINH", "--plan", PLANS / plan_file, "--period", period,
                 "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "kế hoạch 33/" not in result.output
    wb = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert title in cells
    assert not [c for c in cells if "hoạch 33/" in c.lower()]


# --- item 4: the chart sheet cites the plan in force for the period -----------------------------

@pytest.fixture(scope="module")
def august(tmp_path_factory):
    out = tmp_path_factory.mktemp("august") / "r.xlsx"
    result = kpi("aggregate", QN, "--period", "2026-08", "--out", out)
    assert result.exit_code in (0, 1), result.output
    return openpyxl.load_workbook(out)


def test_the_chart_sheet_of_2026_cites_decision_33_and_193_carried_forward(august):
    ws = august["Biểu đồ"]
    basis = ws["A2"].value
    assert basis.startswith("Mục tiêu theo Quyết định 33/QĐ-TTg")
    assert "Quyết định 193/QĐ-TTg" in basis and basis.count("*") == 1
    assert "1583" not in basis
    assert ws["F3"].value == "Căn cứ (trích văn bản)"
    assert str(ws["F4"].value).startswith("* ")  # the provisional target's basis is marked
    assert august.properties.title == "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN QUYẾT ĐỊNH 33/QĐ-TTg"


def test_the_chart_sheet_of_a_kontum_period_cites_plan_1583_without_stars(small_folder, tmp_path):
    out = tmp_path / "r.xlsx"
    kpi("aggregate", small_folder, "--period", "2024-10", "--out", out)
    ws = openpyxl.load_workbook(out)["Biểu đồ"]
    assert ws["A2"].value.startswith("Mục tiêu theo Kế hoạch 1583/KH-UBND")
    assert "*" not in ws["A2"].value
    assert not str(ws["F4"].value or "").startswith("*")


# --- item 4: a former province's period, reported today ----------------------------------------

def _draft(path: Path) -> str:
    doc = Document(path)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_kontum_period_reported_today_is_issued_by_quang_ngai(small_folder, tmp_path):
    docx, xlsx = tmp_path / "r.docx", tmp_path / "r.xlsx"
    kpi("aggregate", small_folder, "--period", "2024-10", "--docx", docx, "--out", xlsx)
    text = _draft(docx)
    assert "CÔNG AN TỈNH QUẢNG NGÃI" in text and "CÔNG AN TỈNH KON TUM" not in text
    assert f"Quảng Ngãi, ngày      tháng      năm {date.today().year}" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi" in text
    assert "TRÊN ĐỊA BÀN TỈNH KON TUM (CŨ) THÁNG 10 NĂM 2024" in text
    assert "(Thực hiện Kế hoạch số 1583/KH-UBND" in text  # the period's own plan stays cited
    summary = [str(c.value) for row in openpyxl.load_workbook(xlsx)["Tổng hợp"].iter_rows(max_row=9)
               for c in row if c.value]
    assert "CÔNG AN TỈNH QUẢNG NGÃI" in summary and "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi" in summary


def test_a_kontum_period_reported_while_kontum_existed_is_issued_by_kontum(small_folder):
    plans = bundled_plans()
    result = roll_up([small_folder], "2024-10", plans=plans, now=datetime(2025, 5, 2, 9, 0))
    info = Outputs(plans=plans).report_info(result)
    assert info.issuer_vi == "Công an tỉnh Kon Tum" and info.place_vi == "Kon Tum"
    assert "(cũ)" not in info.subject("vi")
    today = roll_up([small_folder], "2024-10", plans=plans, now=datetime(2026, 9, 1, 9, 0))
    later = Outputs(plans=plans).report_info(today)
    assert later.issuer_vi == "Công an tỉnh Quảng Ngãi"
    assert later.subject("en") == "the fight against human trafficking in the former Kon Tum province"
    # One plan given: its own body, and the options still win over either.
    assert Outputs(plans=[plans[0]]).report_info(today).issuer_vi == "Công an tỉnh Kon Tum"
    assert Outputs(plans=plans, issuer="Sở X").report_info(today).issuer_vi == "Sở X"


# --- item 8: feedback texts ----------------------------------------------------------------------

@pytest.mark.parametrize("typed,example", [("mười", "ví dụ 10"), ("Tám", "ví dụ 8"),
                                           ("mười lăm", "ví dụ 15"), ("không biết", "(0, 1, 2, ...)")])
def test_the_example_follows_the_word_typed(make_submission, plan, typed, example):
    path = make_submission("CA_TINH")
    with editing(path) as wb:
        set_value(wb, "TT_BUOI_CONG_DONG", typed)
    issue = next(i for i in validate_file(path, plan).issues if i.code == "not-a-number")
    line = issue_line(issue, "vi")
    assert line.endswith("cách sửa: ghi bằng chữ số, " + example) or line.endswith(
        "cách sửa: ghi bằng chữ số " + example)
    assert "ví dụ 12" not in line


def test_number_words():
    from kpi.numbers import number_word

    decomposed = unicodedata.normalize("NFD", "mười")
    assert [number_word(w) for w in ("không", "một", "mười", "Mười  Hai", "hai mươi", decomposed)] == \
        [0, 1, 10, 12, 20, 10]
    assert number_word("hai mươi mốt") is None and number_word(10) is None


def _bad_folder(small_folder: Path, plan) -> Path:
    values = valid_values(plan, "CA_TINH")
    values["TT_BUOI_CONG_DONG"] = "mười"
    fill_template(plan, "CA_TINH", values, small_folder / "CA_TINH_2024-10.xlsx", "2024-10")
    return small_folder


def test_letters_without_a_sender_warn_the_analyst(small_folder, plan, tmp_path):
    folder = _bad_folder(small_folder, plan)
    result = kpi("aggregate", folder, "--period", "2024-10", "--plan", PLANS / "kontum_1583.toml",
                 "--feedback", tmp_path / "fb")
    assert "Cảnh báo: các văn bản phản hồi không có người gửi: kế hoạch KONTUM-1583-2021" in result.output
    assert "Người gửi:" not in _text(tmp_path / "fb" / "CA_TINH.txt")
    # With --format json the warning still reaches the analyst, on stderr (the JSON stays clean).
    json_run = kpi("aggregate", folder, "--period", "2024-10", "--plan", PLANS / "kontum_1583.toml",
                   "--feedback", tmp_path / "fb2", "--format", "json", "--lang", "en")
    assert "Warning: the feedback letters have no sender" in json_run.output


def test_letters_with_a_sender_do_not_warn(small_folder, plan, tmp_path):
    folder = _bad_folder(small_folder, plan)
    given = kpi("aggregate", folder, "--period", "2024-10", "--plan", PLANS / "kontum_1583.toml",
                "--feedback", tmp_path / "a", "--sender-office", "Phòng PC02")
    assert "không có người gửi" not in given.output
    assert "Người gửi:\nPhòng PC02" in _text(tmp_path / "a" / "CA_TINH.txt")
    # Today's body signs the letters of a former province's period (bundled plans).
    today = kpi("aggregate", folder, "--period", "2024-10", "--feedback", tmp_path / "b")
    assert "không có người gửi" not in today.output
    assert "Phòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi" in _text(tmp_path / "b" / "CA_TINH.txt")
    assert "(Kế hoạch 1583/KH-UBND)" in _text(tmp_path / "b" / "CA_TINH.txt")


@pytest.mark.parametrize("lang,head,not_letter", [
    ("vi", "Ghi chú cho người tổng hợp: tệp không rõ đơn vị gửi (Kế hoạch 1583/KH-UBND, kỳ 10/2024)",
     ("Kính gửi", "Trân trọng cảm ơn", "Người gửi")),
    ("en", "Note for the analyst: files whose agency is unknown (Plan 1583/KH-UBND, period 10/2024)",
     ("To:", "Thank you", "From:")),
])
def test_the_unknown_agency_file_is_a_note_to_the_analyst(small_folder, plan, tmp_path, lang, head,
                                                          not_letter):
    values = valid_values(plan, "CA_TINH")
    values["META_AGENCY"] = "KHONG_CO"
    fill_template(plan, "CA_TINH", values, small_folder / "bao-cao.xlsx", "2024-10")
    result = roll_up([small_folder], "2024-10", plan, now=datetime(2024, 10, 20, 9, 0))
    out = tmp_path / "fb"
    write_feedback(result, out, lang)
    text = _text(out / UNKNOWN_AGENCY_FILE)
    assert text.startswith(head)
    assert "bao-cao.xlsx" in text
    assert not [w for w in not_letter if w in text]
    # kpi knows the note as its own: once the file is gone, the next run removes it.
    (small_folder / "bao-cao.xlsx").unlink()
    again = write_feedback(roll_up([small_folder], "2024-10", plan), out, lang)
    assert out / UNKNOWN_AGENCY_FILE in again.removed
