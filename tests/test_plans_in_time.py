"""Plans change (issue 12): milestones by year, reporting rhythms, real dates, event days, and
plans that follow one another, worked by hand on two test plans that share no code with the
bundled one (tests/plans/alpha.toml, tests/plans/beta.toml).

Alpha: months end on the 20th (2026-07 runs 21/06/2026 - 20/07/2026), reports are due on the
25th of the following month; DV_TINH reports HD and VA monthly, the court DV_TOA reports VA by
quarter, communes XA_MOT and XA_HAI report HD monthly and XA_HAI closed after 2026-06.
Beta follows from 2029 with calendar months, due 5 days after the month.

Submissions for 2026-Q3 (values by hand; dates sent against the deadlines):

    DV_TINH  07: VA_TON 4, VA_MOI 2, VA_XONG 3; HD_SU_KIEN 1, HD_NGAY_307 0, HD_MO_HINH 2;
                 sent 20/08 (due 25/08: on time)
             08: VA_TON 3, VA_MOI 1, VA_XONG 1; HD 2, 1, 3; sent 26/09 (due 25/09: late)
             09: VA_TON 3, VA_MOI 3, VA_XONG 2; HD 0, 0, 3; sent 10/10 (due 25/10: on time)
    DV_TOA   Q3: VA_TON 5, VA_MOI 4, VA_XONG 6; sent 20/10 (due 25/10, that of 09: on time)
    XA_MOT   07: HD 3, 0, 1; 08: HD 1, 2, 1; 09: HD 0, 0, 2; each sent on the 1st of the next month
    DV_TOA   2027-Q1: VA_TON 2, VA_MOI 2, VA_XONG 3; sent 10/04/2027 (due 25/04/2027)
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi

from kpi import load_plan, roll_up, validate_file
from kpi.catalog import PlanCrossing, load_plans, plan_for
from kpi.fill import fill_template
from kpi.periods import parse_span
from kpi.present import period_label

PLANS = Path(__file__).resolve().parent / "plans"
NOW = datetime(2027, 6, 1)

FILES = {
    ("DV_TINH", "2026-07"): ({"VA_TON": 4, "VA_MOI": 2, "VA_XONG": 3, "HD_SU_KIEN": 1,
                              "HD_NGAY_307": 0, "HD_MO_HINH": 2}, date(2026, 8, 20)),
    ("DV_TINH", "2026-08"): ({"VA_TON": 3, "VA_MOI": 1, "VA_XONG": 1, "HD_SU_KIEN": 2,
                              "HD_NGAY_307": 1, "HD_MO_HINH": 3}, date(2026, 9, 26)),
    ("DV_TINH", "2026-09"): ({"VA_TON": 3, "VA_MOI": 3, "VA_XONG": 2, "HD_SU_KIEN": 0,
                              "HD_NGAY_307": 0, "HD_MO_HINH": 3}, date(2026, 10, 10)),
    ("DV_TOA", "2026-Q3"): ({"VA_TON": 5, "VA_MOI": 4, "VA_XONG": 6}, date(2026, 10, 20)),
    ("XA_MOT", "2026-07"): ({"HD_SU_KIEN": 3, "HD_NGAY_307": 0, "HD_MO_HINH": 1}, date(2026, 8, 1)),
    ("XA_MOT", "2026-08"): ({"HD_SU_KIEN": 1, "HD_NGAY_307": 2, "HD_MO_HINH": 1}, date(2026, 9, 1)),
    ("XA_MOT", "2026-09"): ({"HD_SU_KIEN": 0, "HD_NGAY_307": 0, "HD_MO_HINH": 2}, date(2026, 10, 1)),
    ("DV_TOA", "2027-Q1"): ({"VA_TON": 2, "VA_MOI": 2, "VA_XONG": 3}, date(2027, 4, 10)),
}


@pytest.fixture(scope="module")
def alpha():
    return load_plan(PLANS / "alpha.toml")


@pytest.fixture(scope="module")
def folder(alpha, tmp_path_factory) -> Path:
    """The submissions, each made from the plan's own template as a clerk fills it (the period
    typed as the template teaches: 08/2026, Quý III/2026)."""
    out = tmp_path_factory.mktemp("nop")
    for (agency, period), (values, sent) in FILES.items():
        filled = {**values, "META_AGENCY": agency, "META_PERIOD": period_label(period),
                  "META_REPORTER": "Lê Văn An", "META_PHONE": "0255 3822 111",
                  "META_SUBMITTED": datetime(sent.year, sent.month, sent.day)}
        fill_template(alpha, agency, filled, out / f"{agency}_{period}.xlsx", period)
    return out


def indicators(result) -> dict[str, object]:
    return {i.code: i for i in result.indicators}


# --- templates with real dates -----------------------------------------------------------------------

def test_a_quarterly_template_says_its_quarter_its_window_and_its_deadline_as_dates(alpha, tmp_path):
    result = kpi("template", "--agency", "DV_TOA", "--period", "2026-Q3", "--plan",
                 PLANS / "alpha.toml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    [path] = list(tmp_path.iterdir())
    assert path.name == "DV_TOA_2026-Q3.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb["Thông tin chung"]["E6"].value == "Quý III/2026"
    text = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    assert "số liệu từ ngày 21/06/2026 đến ngày 20/09/2026" in text
    assert "Hạn gửi: ngày 25/10/2026" in text
    assert wb.sheetnames == ["Thông tin chung", "Hướng dẫn", "VA Vụ án"]


def test_a_blank_template_states_the_rule_and_an_example_in_dates_never_a_day_35(alpha):
    from kpi.templates import instructions

    text = " ".join(instructions(alpha, alpha.agency_by_code["DV_TINH"]))
    assert "chậm nhất ngày 25 của tháng sau kỳ báo cáo" in text
    assert "từ ngày sau ngày 20 của tháng trước đến hết ngày 20" in text
    assert "số liệu từ ngày 21/12/2025 đến ngày 20/01/2026, hạn gửi ngày 25/02/2026" in text


def test_templates_for_a_month_go_to_monthly_reporters_and_for_its_quarter_to_the_court(alpha, tmp_path):
    result = kpi("template", "--all", "--period", "2026-09", "--plan", PLANS / "alpha.toml",
                 "--out", tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "DV_TINH_2026-09.xlsx", "DV_TOA_2026-Q3.xlsx", "XA_MOT_2026-09.xlsx"]
    assert "XA_HAI" in result.output  # closed: no template, and it says so


def test_a_template_for_a_closed_unit_is_refused_with_why(tmp_path):
    result = kpi("template", "--agency", "XA_HAI", "--period", "2026-08", "--plan",
                 PLANS / "alpha.toml", "--out", tmp_path)
    assert result.exit_code == 2 and "không hoạt động" in result.output and "06/2026" in result.output
    assert list(tmp_path.iterdir()) == []


# --- validate ----------------------------------------------------------------------------------------

def test_every_filled_file_is_valid(alpha, folder):
    for path in sorted(folder.iterdir()):
        assert validate_file(path, alpha, today=NOW.date()).issues == [], path.name


def test_the_court_sending_a_month_is_told_it_owes_a_quarter(alpha, folder, tmp_path):
    path = fill_template(alpha, "DV_TOA", {"META_AGENCY": "DV_TOA", "META_PERIOD": "09/2026",
                                           "VA_TON": 1, "VA_MOI": 1, "VA_XONG": 1},
                         tmp_path / "x.xlsx", "2026-Q3")
    sub = validate_file(path, alpha, today=NOW.date())
    [issue] = [i for i in sub.issues if i.code == "wrong-rhythm"]
    assert "theo quý" in issue.message("vi") and "Quý" in issue.message("vi")


# --- aggregate: month, quarter, year -----------------------------------------------------------------

def test_the_month_holding_30_july(alpha, folder):
    result = roll_up([folder], "2026-08", alpha, now=NOW)
    ind = indicators(result)
    # Only the monthly reporters: DV_TINH 1 / (3 + 1); the court's quarter is not divided.
    assert (ind["CS_GIAI_QUYET"].numerator, ind["CS_GIAI_QUYET"].denominator) == (1, 4)
    assert ind["CS_GIAI_QUYET"].value == 25 and ind["CS_GIAI_QUYET"].status == "not_met"
    assert (ind["CS_GIAI_QUYET"].target, ind["CS_GIAI_QUYET"].target_year) == (60, 2026)
    # 30/07/2026 lies in 2026-08 (21/07 - 20/08): DV_TINH and XA_MOT both held one.
    assert (ind["CS_NGAY_307"].numerator, ind["CS_NGAY_307"].denominator) == (2, 2)
    assert ind["CS_NGAY_307"].event_day == date(2026, 7, 30)
    assert ind["CS_NGAY_307"].not_counted == ("XA_HAI",)  # closed after 2026-06
    # Due: DV_TINH (late: 26/09 after 25/09) and XA_MOT (on time); the court owes nothing.
    assert (ind["CS_DUNG_HAN"].numerator, ind["CS_DUNG_HAN"].denominator) == (1, 2)
    assert result.completeness.not_due == [("DV_TOA", "quarterly")]
    assert result.completeness.cut == [("DV_TOA", "2026-Q3")]
    assert ind["CS_SU_KIEN"].value == 3


def test_the_month_before_holds_no_30_july(alpha, folder):
    ind = indicators(roll_up([folder], "2026-07", alpha, now=NOW))
    assert ind["CS_NGAY_307"].status == "no_data" and ind["CS_NGAY_307"].event_day is None


def test_the_quarter(alpha, folder):
    result = roll_up([folder], "2026-Q3", alpha, now=NOW)
    ind = indicators(result)
    # DV_TINH: pending 4 (July, first), new 2+1+3, resolved 3+1+2; the court: 5, 4, 6.
    assert (ind["CS_GIAI_QUYET"].numerator, ind["CS_GIAI_QUYET"].denominator) == (12, 19)
    assert ind["CS_GIAI_QUYET"].value == pytest.approx(1200 / 19)
    assert ind["CS_GIAI_QUYET"].status == "met"
    assert (ind["CS_NGAY_307"].numerator, ind["CS_NGAY_307"].denominator) == (2, 2)
    # 3 + 3 monthly files and the court's quarter; DV_TINH's August late.
    assert (ind["CS_DUNG_HAN"].numerator, ind["CS_DUNG_HAN"].denominator) == (6, 7)
    assert ind["CS_DUNG_HAN"].status == "not_met"
    assert result.totals["HD_MO_HINH"] == 3 + 2  # the last month's stock of each unit
    assert result.totals["HD_SU_KIEN"] == 7
    assert result.completeness.not_due == [] and result.completeness.cut == []


def test_the_year(alpha, folder):
    result = roll_up([folder], "2026", alpha, now=NOW)
    ind = indicators(result)
    assert (ind["CS_GIAI_QUYET"].numerator, ind["CS_GIAI_QUYET"].denominator) == (12, 19)
    # Expected: DV_TINH and XA_MOT 12 months each, the court 4 quarters, XA_HAI January-June.
    assert (ind["CS_DUNG_HAN"].numerator, ind["CS_DUNG_HAN"].denominator) == (6, 34)
    assert ind["CS_NGAY_307"].not_counted == ("XA_HAI",)


def test_next_years_milestone_applies_next_year(alpha, folder):
    ind = indicators(roll_up([folder], "2027-Q1", alpha, now=NOW))
    assert (ind["CS_GIAI_QUYET"].numerator, ind["CS_GIAI_QUYET"].denominator) == (3, 4)
    assert (ind["CS_GIAI_QUYET"].target, ind["CS_GIAI_QUYET"].target_year) == (70, 2027)
    assert ind["CS_GIAI_QUYET"].status == "met"


def test_json_says_which_milestone_applied_and_who_is_not_due(folder):
    data = json.loads(kpi("aggregate", folder, "--period", "2026-08", "--plan", PLANS / "alpha.toml",
                          "--format", "json").stdout)
    ind = {i["code"]: i for i in data["indicators"]}
    assert ind["CS_GIAI_QUYET"]["target_year"] == 2026
    assert ind["CS_NGAY_307"]["event_day"] == "2026-07-30"
    assert data["completeness"]["not_due"] == [{"agency": "DV_TOA", "rhythm": "quarterly"}]


def test_the_terminal_says_who_reports_on_a_longer_rhythm_instead_of_calling_them_missing(folder):
    out = kpi("aggregate", folder, "--period", "2026-08", "--plan", PLANS / "alpha.toml").output
    assert "DV_TOA" in out and "theo quý" in out
    assert "01/KH-THU" in out  # the plan is named


# --- plans that follow one another -------------------------------------------------------------------

def test_the_plan_in_force_is_picked_by_period_and_a_crossing_span_is_refused():
    plans = load_plans(PLANS)
    assert [p.id for p in plans] == ["ALPHA-2026", "BETA-2029"]
    assert plan_for(plans, parse_span("2028-12")).id == "ALPHA-2026"
    assert plan_for(plans, parse_span("2029-02")).id == "BETA-2029"
    with pytest.raises(PlanCrossing) as crossing:
        plan_for(plans, parse_span("2028-12..2029-01"))
    assert "01/KH-THU" in crossing.value.message("vi") and "02/KH-THU" in crossing.value.message("vi")
    assert "--period 2028-12)" in crossing.value.message("vi")  # a single month, as typed


def test_calendar_months_in_the_second_plan(tmp_path):
    beta = load_plan(PLANS / "beta.toml")
    assert beta.calendar.window("2029-02") == (date(2029, 2, 1), date(2029, 2, 28))
    assert beta.calendar.deadline("2029-02") == date(2029, 3, 5)
    for sent, on_time in ((datetime(2029, 3, 5), True), (datetime(2029, 3, 6), False)):
        folder = tmp_path / str(on_time)
        fill_template(beta, "DV_TINH", {"META_AGENCY": "DV_TINH", "META_PERIOD": "02/2029",
                                        "META_REPORTER": "A", "META_PHONE": "1", "META_SUBMITTED": sent,
                                        "VA_TON": 1, "VA_MOI": 1, "VA_XONG": 2},
                      folder / "DV_TINH_2029-02.xlsx", "2029-02")
        result = roll_up([folder], "2029-02", plans=load_plans(PLANS), now=datetime(2029, 4, 1))
        assert result.plan.id == "BETA-2029"
        ind = indicators(result)
        assert ind["CS_DUNG_HAN"].numerator == int(on_time)
        assert (ind["CS_GIAI_QUYET"].target, ind["CS_GIAI_QUYET"].target_year) == (85, 2029)


def test_the_command_refuses_a_span_across_two_plans_naming_both(folder):
    result = kpi("aggregate", folder, "--plans", PLANS, "--period", "2028-07..2029-06")
    assert result.exit_code == 2
    assert "01/KH-THU" in result.output and "02/KH-THU" in result.output


def test_plan_show_lists_the_plans_with_their_coverage():
    out = kpi("plan", "show", "--plans", PLANS, "--period", "2026-08").output
    assert "ALPHA-2026" in out and "BETA-2029" in out and "01/2026 – 12/2028" in out
    assert "QT_XONG" in out  # and the rules


# --- nothing of the bundled plan leaks into another plan's outputs --------------------------------

BUNDLED_CODES = ("CA_TINH", "KPI_", "TT_", "H_DAKHA", "1583", "Kon Tum", "10/2025", "17/10/2025")


def test_no_output_under_another_plan_names_the_bundled_plan(folder, tmp_path):
    alpha_path = PLANS / "alpha.toml"
    bad = tmp_path / "bad.xlsx"
    alpha = load_plan(alpha_path)
    fill_template(alpha, "DV_TINH", {"META_AGENCY": "KHONG_CO", "META_PERIOD": "kỳ tới",
                                     "VA_TON": "hai"}, bad, "2026-08")
    outputs = [
        kpi("validate", bad, "--plan", alpha_path).output,
        kpi("validate", bad, "--plan", alpha_path, "--lang", "en").output,
        kpi("aggregate", folder, "--period", "2026-Q3", "--plan", alpha_path).output,
        kpi("aggregate", folder, "--period", "2026-Q3", "--plan", alpha_path, "--format", "json").stdout,
        kpi("plan", "show", "--plan", alpha_path).output,
        kpi("template", "--all", "--plan", alpha_path, "--out", tmp_path / "mau").output,
    ]
    for path in (tmp_path / "mau").iterdir():
        wb = openpyxl.load_workbook(path)
        outputs.append(" ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                                if c.value is not None))
    for text in outputs:
        assert not [code for code in BUNDLED_CODES if code in text], text[:3000]
    assert "ví dụ DV_TINH" in outputs[0]  # the example comes from the plan in use


# --- the bundled plan --------------------------------------------------------------------------------

def test_with_the_bundled_plan_30_july_falls_in_the_period_labelled_08(small_folder):
    """With the 14th cut-off, 30 July 2024 lies in 2024-08 (15/07 - 14/08): August has the
    figure (none of the 24 units reported: 0 of 24), July has no 30 July at all."""
    august = indicators(roll_up([small_folder], "2024-08", now=NOW))["KPI_307"]
    july = indicators(roll_up([small_folder], "2024-07", now=NOW))["KPI_307"]
    # none of the 24 reported: no data (issue 21), not 0 % not met
    assert (august.numerator, august.denominator, august.status) == (0, 24, "no_data")
    assert august.no_data_reason == "no-reports"
    assert august.event_day == date(2024, 7, 30)
    assert july.status == "no_data" and july.event_day is None
    assert july.no_data_reason == "not-in-span"


def test_the_report_subtotals_by_level(folder, tmp_path):
    from kpi.report import sheet_title, write_report

    result = roll_up([folder], "2026-Q3", load_plan(PLANS / "alpha.toml"), now=NOW)
    ws = openpyxl.load_workbook(write_report(result, tmp_path / "r.xlsx"))[sheet_title("agencies", "vi")]
    rows = list(ws.iter_rows(values_only=True))
    alpha = result.plan

    def block(form: str) -> dict[str, dict[str, object]]:
        """Label -> element -> value, within the form's block."""
        start = rows.index(next(r for r in rows if r[0] == f"Biểu: {alpha.form_by_code[form].title_vi}"))
        codes = [e.code for e in alpha.elements_of(form)]
        found = {}
        for row in rows[start + 2:]:
            if row[0] is None or str(row[0]).startswith("Biểu: "):
                break
            found[row[0]] = dict(zip(codes, row[2:], strict=False))
        return found

    hd, va = block("HD"), block("VA")
    assert hd["Trong đó: Cấp tỉnh"]["HD_SU_KIEN"] == 3 and hd["Trong đó: Cấp xã"]["HD_SU_KIEN"] == 4
    assert hd["Tổng cộng"]["HD_SU_KIEN"] == 7
    # only provincial units report cases: one level, no subtotal
    assert va["Tổng cộng"]["VA_MOI"] == 6 + 4 and "Trong đó: Cấp xã" not in va
