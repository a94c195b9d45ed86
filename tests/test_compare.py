"""Year to date and the same period last year (issue 15), worked by hand on the test plan Alpha
(tests/plans/alpha.toml: months end on the 20th; DV_TINH reports cases and activities monthly,
commune XA_MOT activities monthly) and Beta, which follows it from 2029.

    DV_TINH  2026-07: VA_TON 4, VA_MOI 2, VA_XONG 3; HD_SU_KIEN 1
             2026-08: VA_TON 3, VA_MOI 1, VA_XONG 1; HD_SU_KIEN 2
             2027-07: VA_TON 5, VA_MOI 3, VA_XONG 2; HD_SU_KIEN 4
             2027-08: VA_TON 6, VA_MOI 2, VA_XONG 4; HD_SU_KIEN 3
    XA_MOT   2026-08: HD_SU_KIEN 1;  2027-07: 2;  2027-08: 0

The resolution rate CS_GIAI_QUYET = VA_XONG / (VA_TON + VA_MOI) holds a stock, the pending
cases at the start (VA_TON, the first month's). For 2027-08:
    this period     4 / (6 + 2)          = 50 %   (2027 milestone 70 %: not met)
    year to date    (2 + 4) / (5 + 3 + 2) = 60 %  (the folder's 2027 starts in July; VA_TON once)
                    (adding each month's denominators would give 6 / 16 = 37.5 %)
    2026-08         1 / (3 + 1)          = 25 %   change +25 points
The count CS_SU_KIEN (HD_SU_KIEN, a flow) for 2027-08: 3 + 0 = 3; year to date 4 + 3 + 2 + 0
= 9; 2026-08: 2 + 1 = 3, change 0.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi

from kpi import load_plan, roll_up
from kpi.fill import fill_template
from kpi.present import period_label

PLANS = Path(__file__).resolve().parent / "plans"
NOW = datetime(2030, 1, 10)
ZERO_HD = {"HD_NGAY_307": 0, "HD_MO_HINH": 1}
FILES = {
    ("DV_TINH", "2026-07"): {"VA_TON": 4, "VA_MOI": 2, "VA_XONG": 3, "HD_SU_KIEN": 1, **ZERO_HD},
    ("DV_TINH", "2026-08"): {"VA_TON": 3, "VA_MOI": 1, "VA_XONG": 1, "HD_SU_KIEN": 2, **ZERO_HD},
    ("DV_TINH", "2027-07"): {"VA_TON": 5, "VA_MOI": 3, "VA_XONG": 2, "HD_SU_KIEN": 4, **ZERO_HD},
    ("DV_TINH", "2027-08"): {"VA_TON": 6, "VA_MOI": 2, "VA_XONG": 4, "HD_SU_KIEN": 3, **ZERO_HD},
    ("XA_MOT", "2026-08"): {"HD_SU_KIEN": 1, **ZERO_HD},
    ("XA_MOT", "2027-07"): {"HD_SU_KIEN": 2, **ZERO_HD},
    ("XA_MOT", "2027-08"): {"HD_SU_KIEN": 0, **ZERO_HD},
}


def _sent(period: str) -> datetime:
    year, month = int(period[:4]), int(period[5:])
    return datetime(year + (month == 12), month % 12 + 1, 21)  # the day after the cut-off


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    alpha = load_plan(PLANS / "alpha.toml")
    out = tmp_path_factory.mktemp("nhieu-nam")
    for (agency, period), values in FILES.items():
        filled = {**values, "META_AGENCY": agency, "META_PERIOD": period_label(period),
                  "META_REPORTER": "Trần Văn Bình", "META_PHONE": "0255 3822 111",
                  "META_SUBMITTED": _sent(period)}
        fill_template(alpha, agency, filled, out / f"{agency}_{period}.xlsx", period)
    return out


@pytest.fixture(scope="module")
def august(folder):
    return roll_up([folder], "2027-08", plans=_plans(), now=NOW)


def _plans():
    from kpi.catalog import load_plans

    return load_plans(PLANS)


def as_json(result) -> dict:
    """The document ``kpi aggregate --format json`` prints for ``result``."""
    from kpi.render import dumps

    return json.loads(dumps(result.to_dict("vi")))


def by_code(indicators) -> dict:
    return {i.code: i for i in indicators}


def test_this_period(august):
    rate = by_code(august.indicators)["CS_GIAI_QUYET"]
    assert (rate.numerator, rate.denominator, rate.value) == (4, 8, 50)
    assert (rate.target, rate.status) == (70, "not_met")
    assert by_code(august.indicators)["CS_SU_KIEN"].value == 3


def test_year_to_date_counts_an_opening_balance_once_and_adds_flows(august):
    ytd = august.year_to_date
    assert ytd.span.code == "2027-07..2027-08" and ytd.clipped  # the folder's 2027 starts in July
    rate = ytd.indicator("CS_GIAI_QUYET")
    assert (rate.numerator, rate.denominator) == (6, 10)
    assert rate.value == pytest.approx(60.0)  # not 6 / 16 = 37.5 %, nor the mean of 25 % and 50 %
    assert ytd.indicator("CS_SU_KIEN").value == 9


def test_same_period_last_year_and_the_change(august):
    from kpi.compare import change

    last = august.last_year
    assert last.span.code == "2026-08" and last.available and not last.other_plan
    rate = last.indicator("CS_GIAI_QUYET")
    assert (rate.numerator, rate.denominator, rate.value) == (1, 4, 25)
    assert rate.target == 60  # last year's milestone
    this = by_code(august.indicators)
    assert change(this["CS_GIAI_QUYET"], rate) == pytest.approx(25.0)  # points
    assert change(this["CS_SU_KIEN"], last.indicator("CS_SU_KIEN")) == 0


def test_a_year_with_no_data_is_said_so_never_zero(folder):
    first = roll_up([folder], "2026-08", plans=_plans(), now=NOW)
    last = first.last_year
    assert last.span.code == "2025-08"
    assert not last.available and last.reason == "no-plan"  # Alpha starts in 2026
    data = as_json(first)
    rate = next(i for i in data["indicators"] if i["code"] == "CS_GIAI_QUYET")
    assert rate["same_period_last_year"] is None and rate["change"] is None
    assert data["comparisons"]["same_period_last_year"] == {"span": "2025-08", "available": False,
                                                            "reason": "no-plan"}
    sept = roll_up([folder], "2027-09", plans=_plans(), now=NOW)  # nothing in September 2026
    assert sept.last_year.reason == "no-data"


def test_json_carries_both_readings(august):
    data = as_json(august)
    rate = next(i for i in data["indicators"] if i["code"] == "CS_GIAI_QUYET")
    assert rate["year_to_date"] == {"numerator": 6, "denominator": 10, "value": 60.0,
                                    "status": "not_met", "reading": "cumulative",
                                    "reports": {"received": 2, "expected": 2}}
    assert rate["same_period_last_year"]["value"] == 25.0 and rate["change"] == 25.0
    assert data["comparisons"]["year_to_date"]["span"] == "2027-07..2027-08"


def test_the_report_shows_both_readings_and_the_monthly_sheet_reconciles(august, tmp_path):
    from kpi.report import write_report

    wb = openpyxl.load_workbook(write_report(august, tmp_path / "bao-cao.xlsx"))
    ws = wb["Tổng hợp"]
    from kpi.report import SUMMARY_FIRST_ROW, SUMMARY_HEADER_ROW

    heads = [c.value for c in ws[SUMMARY_HEADER_ROW]]
    assert heads[6] == "Lũy kế từ 07/2027" and heads[7] == "Cùng kỳ năm trước (tháng 8/2026)"
    row = next(r for r in range(SUMMARY_FIRST_ROW, ws.max_row + 1)
               if ws.cell(r, 2).value == "Tỷ lệ giải quyết vụ án")
    assert [ws.cell(row, c).value for c in (4, 7, 8, 9)] == [50, 60, 25, 25]
    assert ws.cell(row, 9).number_format.startswith("+0.0")  # "+25,0 điểm %"


def test_across_a_change_of_plan_indicators_are_compared_by_code(tmp_path):
    alpha, beta = (load_plan(PLANS / f"{n}.toml") for n in ("alpha", "beta"))
    for plan, period, values in ((alpha, "2028-08", {"VA_TON": 2, "VA_MOI": 2, "VA_XONG": 2,
                                                     "HD_SU_KIEN": 1, **ZERO_HD}),
                                 (beta, "2029-08", {"VA_TON": 1, "VA_MOI": 3, "VA_XONG": 3})):
        filled = {**values, "META_AGENCY": "DV_TINH", "META_PERIOD": period_label(period),
                  "META_REPORTER": "Trần Văn Bình", "META_PHONE": "0255 3822 111",
                  "META_SUBMITTED": datetime(int(period[:4]), 9, 1)}
        fill_template(plan, "DV_TINH", filled, tmp_path / f"DV_TINH_{period}.xlsx", period)
    result = roll_up([tmp_path], "2029-08", plans=_plans(), now=NOW)
    assert result.plan.id == "BETA-2029"
    last = result.last_year
    assert last.available and last.other_plan and last.result.plan.id == "ALPHA-2026"
    assert last.indicator("CS_GIAI_QUYET").value == 50  # 2 / (2 + 2), under Alpha
    assert "CS_SU_KIEN" not in {i.code for i in result.indicators}  # Beta has no such indicator
    from kpi.report import write_report

    out = write_report(result, tmp_path / "out" / "r.xlsx")
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(out)["Tổng hợp"].iter_rows()
                    for c in row if c.value)
    assert "Cùng kỳ năm trước thuộc Kế hoạch 01/KH-THU: so sánh các chỉ số cùng mã." in text


def test_a_partial_year_qualifies_its_status(folder):
    year = roll_up([folder], "2027", plans=_plans(), now=NOW)
    assert year.partial and year.months_with_data == ["2027-07", "2027-08"]
    data = as_json(year)
    assert data["period"]["months_with_data"] == ["2027-07", "2027-08"]
    rate = next(i for i in data["indicators"] if i["code"] == "CS_GIAI_QUYET")
    assert rate["status"] == "not_met"  # 60 % of the 70 % milestone, over two months of twelve
    from rich.console import Console

    from kpi.render import print_aggregate

    console = Console(width=100, record=True)
    print_aggregate(console, year, "vi")
    shown = console.export_text()
    assert "Chỉ 2/12 tháng của kỳ có báo cáo được chấp nhận (07/2027, 08/2027): kết quả là tạm tính." \
        in shown.replace("\n", " ")  # in the terminal too, before the table
    assert shown.index("tạm tính") < shown.index("CS_GIAI_QUYET")


def test_the_command_line_says_the_same_as_the_roll_up(folder):
    # kpi's clock is the machine's: a month before today, read through the command line
    data = json.loads(kpi("aggregate", str(folder), "--period", "2026-08", "--plans", str(PLANS),
                          "--format", "json").stdout)
    rate = next(i for i in data["indicators"] if i["code"] == "CS_GIAI_QUYET")
    # 07-08/2026: (3 + 1) / (4 + 2 + 1)
    assert rate["value"] == 25.0 and rate["year_to_date"]["value"] == pytest.approx(100 * 4 / 7)


def test_a_reading_short_of_reports_says_on_how_many_it_rests(folder):
    """XA_MOT sent nothing for 07/2026: the year to date of 08/2026 rests on 3 of 4 reports, and
    the footnote and JSON say so; August 2027's readings are whole and say nothing."""
    from kpi.report.summary import footnote

    short = roll_up([folder], "2026-08", plans=_plans(), now=NOW)
    assert short.year_to_date.span.code == "2026-07..2026-08"
    assert "Lũy kế từ 07/2026 tính trên 3/4 báo cáo phải nộp (còn thiếu 1)" in footnote(short, "vi")
    assert "Year to date from 07/2026 is computed on 3/4 expected reports" in footnote(short, "en")
    ytd = as_json(short)["comparisons"]["year_to_date"]
    assert (ytd["received"], ytd["expected"]) == (3, 4)
    assert "phải nộp" not in footnote(roll_up([folder], "2027-08", plans=_plans(), now=NOW), "vi")
