"""Issue 24 items 1-3: on which window a target is judged, on how many reports a comparison
rests, and stocks at the end of the period. Worked on the bundled Kon Tum example
(examples/kontum-2025-Q2, months April to June 2025):

    KPI_DT_KHAM_PHA  June: 2 solved / 1 prosecuted = 200 %; year to date (04-06) 3 / 3 = 100 %
    KPI_DUNG_HAN     year to date 04/2025-06/2025 rests on 70 of the 72 reports owed
    KPI_TD_MO_HINH   a stock (`last`): 82 models in June, and 82 at the end of the year to date
    KPI_TD_TIN_BAI   a flow: 312 in June, 950 from April
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi

from kpi import load_plan, roll_up
from kpi.narrative import sentence
from kpi.report import SUMMARY_FIRST_ROW, write_report
from kpi.word import write_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "kontum-2025-Q2"
KONTUM = ROOT / "kpi" / "plans" / "kontum_1583.toml"
NOW = datetime(2025, 7, 1, 8, 0)
NB = "\u00a0"


@pytest.fixture(scope="module")
def june():
    return roll_up([EXAMPLES], "2025-06", load_plan(KONTUM), now=NOW)


@pytest.fixture(scope="module")
def quarter():
    return roll_up([EXAMPLES], "2025-Q2", load_plan(KONTUM), now=NOW)


def by_code(result, code):
    return next(i for i in result.indicators if i.code == code)


def json_of(result, code, lang="vi"):
    data = json.loads(json.dumps(result.to_dict(lang), default=str))
    return next(i for i in data["indicators"] if i["code"] == code)


def docx_text(result, path: Path, lang: str = "vi") -> str:
    xml = zipfile.ZipFile(write_docx(result, path, lang)).read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", xml)


def summary_row(result, code, path: Path, lang: str = "vi"):
    ws = openpyxl.load_workbook(write_report(result, path, lang)).worksheets[0]
    index = [i.code for i in result.indicators].index(code)
    return [ws.cell(SUMMARY_FIRST_ROW + index, col) for col in range(1, 11)]


def plan_edited(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = KONTUM.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "kontum.toml"
    path.write_text(text, encoding="utf-8")
    return path


def without_judged_on(path: Path) -> Path:
    """The plan with KPI_DT_KHAM_PHA's own `judged_on = "year"` line removed."""
    text = path.read_text(encoding="utf-8")
    line = 'judged_on = "year"\n'
    cut = text.index(line, text.index('code = "KPI_DT_KHAM_PHA"'))
    path.write_text(text[:cut] + text[cut + len(line):], encoding="utf-8")
    return path


# --- 1. a yearly target is judged on the year to date ---------------------------------------------

def test_a_month_rate_above_100_is_judged_on_the_year_and_said_why(june, tmp_path):
    rate = by_code(june, "KPI_DT_KHAM_PHA")
    assert rate.value == 200.0 and rate.status == "met" and rate.judged_value == 100.0
    data = json_of(june, "KPI_DT_KHAM_PHA")
    assert (data["judged_on"], data["judged_value"], data["judged_span"]) == (
        "year", 100.0, "2025-04..2025-06")
    assert json_of(june, "KPI_TG_GIAI_QUYET")["judged_on"] == "period"
    assert sentence(june, rate, "vi") == (
        f"Tỷ lệ điều tra, khám phá các vụ án mua bán người trong kỳ đạt 200{NB}% (trên 100{NB}% "
        "vì số giải quyết trong kỳ gồm cả các trường hợp phát sinh từ các kỳ trước); lũy kế từ "
        f"04/2025 đạt 100{NB}%, đạt chỉ tiêu năm (trên 90{NB}%), chưa có số liệu cùng kỳ năm 2024 "
        "để so sánh.")
    assert "because the cases dealt with in the period include cases from earlier periods" in (
        sentence(june, rate, "en"))
    # terminal, workbook and Word draft say on what the status was judged
    shown = kpi("aggregate", EXAMPLES, "--period", "2025-06", "--plan", KONTUM)
    assert "(theo lũy kế từ 04/2025: 100 %)" in re.sub(r"\s+", " ", shown.output.replace("│", " "))
    status = summary_row(june, "KPI_DT_KHAM_PHA", tmp_path / "r.xlsx")[9].value
    assert "Đạt" in status and "theo lũy kế từ 04/2025: 100" in status
    draft = docx_text(june, tmp_path / "d.docx")
    assert "theo lũy kế từ 04/2025" in draft
    assert "Chỉ tiêu tính theo năm (Tỷ lệ điều tra, khám phá các vụ án mua bán người; " in draft
    english = kpi("aggregate", EXAMPLES, "--period", "2025-06", "--plan", KONTUM, "--lang", "en")
    assert "judged on the year to date from 04/2025" in re.sub(
        r"\s+", " ", english.output.replace("│", " "))


def test_judged_on_the_year_a_month_that_passes_can_still_be_below_the_yearly_target(tmp_path):
    """Target 150 %: June's 200 % would pass, the year's 100 % does not; judged on the period
    (the key removed) June passes."""
    target = ('comparator = ">"\ntarget = 90\nunit = "%"\nsource = "Tỷ lệ điều tra',
              'comparator = ">"\ntarget = 150\nunit = "%"\nsource = "Tỷ lệ điều tra')
    yearly = roll_up([EXAMPLES], "2025-06", load_plan(plan_edited(tmp_path, target)), now=NOW)
    rate = by_code(yearly, "KPI_DT_KHAM_PHA")
    assert (rate.value, rate.status) == (200.0, "not_met")
    assert "chưa đạt chỉ tiêu năm (trên 150" in sentence(yearly, rate, "vi")
    by_period = without_judged_on(plan_edited(tmp_path, target))
    monthly = roll_up([EXAMPLES], "2025-06", load_plan(by_period), now=NOW)
    rate = by_code(monthly, "KPI_DT_KHAM_PHA")
    assert (rate.value, rate.status, rate.judged_value) == (200.0, "met", None)


def test_a_period_that_is_its_own_year_to_date_is_judged_as_usual(quarter):
    rate = by_code(quarter, "KPI_DT_KHAM_PHA")
    assert (rate.value, rate.status, rate.judged_value) == (100.0, "met", None)
    assert sentence(quarter, rate, "vi").startswith(
        f"Tỷ lệ điều tra, khám phá các vụ án mua bán người đạt 100{NB}%, đạt chỉ tiêu (trên 90{NB}%)")


@pytest.mark.parametrize(("value", "says"), [('"yearly"', "'judged_on' must be one of period, year"),
                                             ("1", "'judged_on'")])
def test_judged_on_takes_period_or_year_only(tmp_path, value, says):
    path = without_judged_on(plan_edited(tmp_path, (
        'code = "KPI_DT_KHAM_PHA"\n', f'code = "KPI_DT_KHAM_PHA"\njudged_on = {value}\n')))
    checked = kpi("plan", "check", path, "--lang", "en")
    assert checked.exit_code == 1
    assert says in re.sub(r"\s+", " ", checked.output)


# --- 2. a comparison on fewer reports than expected says so --------------------------------------

def test_a_year_to_date_on_fewer_reports_says_on_how_many(june, tmp_path):
    on_time = by_code(june, "KPI_DUNG_HAN")
    assert sentence(june, on_time, "vi").endswith(
        f"lũy kế từ 04/2025 đạt 91,7{NB}% (tính trên 70/72 báo cáo).")
    assert sentence(june, on_time, "en").endswith(
        f"year to date (from 04/2025) 91.7{NB}% (on 70 of 72 reports).")
    assert json_of(june, "KPI_DUNG_HAN")["year_to_date"]["reports"] == {"received": 70,
                                                                          "expected": 72}
    assert "(tính trên 70/72 báo cáo)" in docx_text(june, tmp_path / "d.docx")


def test_a_complete_year_to_date_says_nothing_more(june, quarter):
    for result in (june, quarter):
        text = sentence(result, by_code(result, "KPI_TG_PHAN_LOAI"), "vi")
        assert "lũy kế từ 04/2025 đạt 100" in text and "tính trên" not in text


# --- 3. a stock: its value at the end, "cuối kỳ" ------------------------------------------------

@pytest.mark.parametrize("period", ["2025-06", "2025-Q2"])
def test_a_stock_is_read_at_the_end_and_said_so(june, quarter, period, tmp_path):
    result = june if period == "2025-06" else quarter
    stock = by_code(result, "KPI_TD_MO_HINH")
    data = json_of(result, "KPI_TD_MO_HINH")
    assert data["stock"] is True and data["year_to_date"]["reading"] == "end_of_period"
    assert data["value"] == data["year_to_date"]["value"] == 82.0  # one date, one value
    flow = json_of(result, "KPI_TD_TIN_BAI")
    assert "stock" not in flow and flow["year_to_date"]["reading"] == "cumulative"
    text = sentence(result, stock, "vi")
    assert "82\u00a0mô hình (số cuối kỳ, không cộng dồn)" in text and "lũy kế" not in text
    row = summary_row(result, "KPI_TD_MO_HINH", tmp_path / "r.xlsx")
    assert row[6].value == f"82{NB}mô hình\n(cuối kỳ)" and row[3].value == 82
    assert summary_row(result, "KPI_TD_TIN_BAI", tmp_path / "r2.xlsx")[6].value == 950
    draft = docx_text(result, tmp_path / "d.docx")
    assert f"82{NB}mô hình (cuối kỳ)" in draft
    assert "Số hiện có (Mô hình truyền thông tại cộng đồng đang hoạt động): cột lũy kế" in draft
