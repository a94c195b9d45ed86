"""The plan file: the bundled Kon Tum plan, `kpi plan check` and `kpi plan show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi import PlanError, check_plan_file, load_plan
from kpi.cli import app
from kpi.plan import DEFAULT_PLAN

runner = CliRunner()
BUNDLED = DEFAULT_PLAN.read_text(encoding="utf-8")


def one_line(text: str) -> str:
    """Console output with rich's line wrapping undone, to search for whole messages."""
    return " ".join(text.split())


def kpi(*args: str, **env: str | None):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", **env})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# --- the bundled plan -----------------------------------------------------------------------

def test_bundled_plan_loads_with_every_agency_form_and_element(plan):
    assert plan.id == "KONTUM-1583-2021"
    assert [f.code for f in plan.forms] == ["TT", "TH", "TG", "DT", "TTO", "XX", "NX", "NH"]
    assert len(plan.elements) == 42
    assert len(plan.agencies) == 24
    assert plan.agency_by_code["CA_TINH"].forms == ("TT", "TH", "TG", "DT", "NX")
    assert plan.agency_by_code["BAO_KT"].forms == ("TT",)
    assert plan.agency_by_code["H_SATHAY"].forms == ("TT", "TH", "NH")
    assert plan.cutoff_day == 14 and plan.deadline_days == 3


@pytest.mark.parametrize(("code", "numerator", "denominator", "comparator", "target"), [
    ("KPI_TG_PHAN_LOAI", "TG_PHAN_LOAI", "TG_TIEP_NHAN", ">=", 100),
    ("KPI_TG_GIAI_QUYET", "TG_DA_GIAI_QUYET", "TG_TON_DAU_KY + TG_TIEP_NHAN", ">", 90),
    ("KPI_DT_KHAM_PHA", "DT_VU_KHAM_PHA", "DT_VU_KHOI_TO", ">", 90),
    ("KPI_TTO_GIAI_QUYET", "TTO_VU_GIAI_QUYET", "TTO_VU_TON_DAU_KY + TTO_VU_THU_LY_MOI", ">=", 95),
    ("KPI_XX_GIAI_QUYET", "XX_VU_GIAI_QUYET", "XX_VU_TON_DAU_KY + XX_VU_THU_LY_MOI", ">=", 90),
    ("KPI_NN_HO_TRO", "NN_HO_TRO", "NN_XAC_DINH", ">=", 100),
])
def test_bundled_targets_quote_plan_1583(plan, code, numerator, denominator, comparator, target):
    indicator = {i.code: i for i in plan.indicators}[code]
    assert indicator.numerator.source == numerator
    assert indicator.denominator.source == denominator
    assert (indicator.comparator, indicator.target) == (comparator, target)


def test_bundled_stock_elements_take_the_opening_or_closing_value(plan):
    aggregation = {e.code: e.aggregation for e in plan.elements}
    assert aggregation["TG_TON_DAU_KY"] == aggregation["TTO_VU_TON_DAU_KY"] == "first"
    assert aggregation["XX_VU_TON_DAU_KY"] == "first"
    assert aggregation["TT_MO_HINH"] == "last"
    assert aggregation["TG_TIEP_NHAN"] == "sum"


def test_bundled_rules_that_reject_a_file_and_rules_that_only_warn(plan):
    severity = {r.code: r.severity for r in plan.rules if r.scope == "submission"}
    assert {c for c, s in severity.items() if s == "warning"} == {
        "R_DT_KHAM_PHA", "R_DT_BI_CAN", "R_TT_LUOT_NGUOI"}
    assert severity["R_TG_PHAN_LOAI"] == severity["R_NN_HT_HOC_NGHE"] == "error"
    assert len(severity) == 20


# --- kpi plan check -------------------------------------------------------------------------

def test_plan_check_on_the_bundled_plan_prints_one_summary_line():
    result = kpi("plan", "check", str(DEFAULT_PLAN))
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "KONTUM-1583-2021" in lines[0]
    assert "8 biểu" in lines[0] and "24 đơn vị" in lines[0] and "42 chỉ tiêu" in lines[0]


def test_plan_check_in_english_says_sound():
    result = kpi("plan", "check", str(DEFAULT_PLAN), "--lang", "en")
    assert result.exit_code == 0
    assert "Plan KONTUM-1583-2021 is sound" in result.output


APPENDED_MISTAKES = '''
[[elements]]
code = "TT_KHONG_BIEU"
name_vi = "Chỉ tiêu quên ghi biểu"
name_en = "Element without a form"
aggregation = "sum"

[[elements]]
code = "TT_BIEU_LA"
form = "QQ"
name_vi = "Chỉ tiêu của biểu không có"
name_en = "Element of an unknown form"
aggregation = "sum"

[[agencies]]
code = "H_MOI"
name_vi = "Huyện mới"
name_en = "New district"
level = "district"
forms = ["TT", "ZZ"]

[[agencies]]
code = "BAO_KT"
name_vi = "Báo Kon Tum (nhập trùng)"
name_en = "Kon Tum Newspaper (twice)"
forms = ["TT"]

[[rules]]
code = "R_HACK"
expression = "__import__('os').system('touch PWNED') <= 1"
severity = "error"
message_vi = "x"
message_en = "x"
'''


def broken_plan(tmp_path: Path) -> Path:
    """The bundled plan after a hurried edit: eight mistakes in one file."""
    text = BUNDLED
    edits = [
        ('id = "KONTUM-1583-2021"\n', ""),  # plan id deleted
        ('expression = "TG_PHAN_LOAI <= TG_TIEP_NHAN"', 'expression = "TG_PHAN_LOAI <= TG_TIEP_NHAN_MOI"'),
        ('comparator = ">"\ntarget = 90\nunit = "%"\nsource = "Tỷ lệ điều tra',
         'comparator = "=>"\ntarget = 90\nunit = "%"\nsource = "Tỷ lệ điều tra'),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "ke_hoach_sua.toml"
    path.write_text(text + APPENDED_MISTAKES, encoding="utf-8")
    return path


def test_plan_check_lists_every_mistake_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = broken_plan(tmp_path)
    result = kpi("plan", "check", str(path), "--lang", "en")
    out = one_line(result.output)
    assert result.exit_code == 1
    expected = [
        "[plan]: missing 'id'",
        "R_TG_PHAN_LOAI: 'expression' names unknown element TG_TIEP_NHAN_MOI",
        "KPI_DT_KHAM_PHA: comparator must be one of > >= < <=, not '=>'",
        "TT_KHONG_BIEU: missing 'form'",
        "TT_BIEU_LA: unknown form QQ",
        "H_MOI: unknown form ZZ",
        "duplicate code BAO_KT",
        "R_HACK: 'expression': not allowed in an expression: Call",
    ]
    missing = [m for m in expected if m not in out]
    assert not missing, f"not reported: {missing}\n--- output ---\n{result.output}"
    assert f"has {len(expected)} mistakes" in out
    assert not (tmp_path / "PWNED").exists()  # the expression was refused, never run


def test_check_plan_file_returns_the_same_list_to_python_callers(tmp_path):
    plan, problems = check_plan_file(broken_plan(tmp_path))
    assert plan is None
    assert len(problems) == 8
    with pytest.raises(PlanError) as caught:
        load_plan(broken_plan(tmp_path))
    assert caught.value.problems == problems


def test_plan_check_reports_a_toml_syntax_error_with_its_line(tmp_path):
    lines = BUNDLED.splitlines()
    line_no = lines.index('cutoff_day = 14') + 1
    lines[line_no - 1] = "cutoff_day = 14 ngày"
    path = tmp_path / "cu_phap.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kpi("plan", "check", str(path))
    out = one_line(result.output)
    assert result.exit_code == 1
    assert f"lỗi cú pháp TOML ở dòng {line_no}" in out
    english = one_line(kpi("plan", "check", str(path), "--lang", "en").output)
    assert "TOML syntax error" in english and f"line {line_no}" in english


def test_plan_check_reports_rules_that_are_not_tables(tmp_path):
    # `rules = ["R1"]` instead of [[rules]] tables once crashed with a traceback.
    minimal = BUNDLED.split("[[rules]]", 1)[0].replace("[plan]\n", 'rules = ["R_TG_PHAN_LOAI"]\n[plan]\n', 1)
    indicators = "[[indicators]]" + BUNDLED.split("[[indicators]]", 1)[1]
    path = tmp_path / "rules.toml"
    path.write_text(minimal + indicators, encoding="utf-8")
    result = kpi("plan", "check", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert "rules: must be a list of tables ([[rules]])" in one_line(result.output)


def test_plan_check_on_a_missing_file_exits_2(tmp_path):
    # A file that cannot be read exits 2, as every other unreadable input does.
    result = kpi("plan", "check", str(tmp_path / "khong_co.toml"))
    assert result.exit_code == 2
    assert "Không tìm thấy tệp kế hoạch" in one_line(result.output)
    english = kpi("plan", "check", str(tmp_path / "khong_co.toml"), "--lang", "en")
    assert english.exit_code == 2 and "Plan file not found" in one_line(english.output)


def test_commands_refuse_a_broken_plan_with_exit_2(tmp_path, make_submission):
    result = kpi("validate", str(make_submission()), "--plan", str(broken_plan(tmp_path)))
    assert result.exit_code == 2
    assert "dùng mã chỉ tiêu không có trong kế hoạch: TG_TIEP_NHAN_MOI" in one_line(result.output)


# --- kpi plan show --------------------------------------------------------------------------

def test_plan_show_json_lists_agencies_elements_and_indicators():
    result = kpi("plan", "show", "--period", "2024-10", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["plan"] == "KONTUM-1583-2021"
    assert [p["plan"] for p in data["plans"]] == ["KONTUM-1583-2021", "QUANGNGAI-2026"]

    agencies = {a["code"]: a for a in data["agencies"]}
    assert len(agencies) == 24
    assert agencies["CA_TINH"]["name"] == "Công an tỉnh"
    assert agencies["CA_TINH"]["forms"] == ["TT", "TH", "TG", "DT", "NX"]
    assert all({"code", "name", "forms"} <= set(a) for a in data["agencies"])

    elements = {e["code"]: e for e in data["elements"]}
    assert len(elements) == 42
    assert elements["TG_TON_DAU_KY"]["form"] == "TG"
    assert elements["TG_TON_DAU_KY"]["aggregation"] == "first"
    assert all({"code", "form", "aggregation"} <= set(e) for e in data["elements"])

    indicators = {i["code"]: i for i in data["indicators"]}
    assert all({"code", "name", "numerator", "denominator", "comparator", "target"} <= set(i)
               for i in data["indicators"])
    assert indicators["KPI_TG_GIAI_QUYET"]["numerator"] == "TG_DA_GIAI_QUYET"
    assert indicators["KPI_TG_GIAI_QUYET"]["denominator"] == "TG_TON_DAU_KY + TG_TIEP_NHAN"
    assert indicators["KPI_TG_GIAI_QUYET"]["comparator"] == ">"
    assert indicators["KPI_TG_GIAI_QUYET"]["target"] == 90
    tracked = indicators["KPI_TD_DUONG_DAY"]
    assert tracked["comparator"] is None and tracked["target"] is None


def test_plan_show_json_in_english_uses_english_names():
    result = kpi("plan", "show", "--period", "2024-10", "--format", "json", "--lang", "en")
    agencies = {a["code"]: a for a in json.loads(result.stdout)["agencies"]}
    assert agencies["CA_TINH"]["name"] == "Provincial Police"


def test_plan_show_table_is_vietnamese():
    result = kpi("plan", "show")
    assert result.exit_code == 0
    assert "Công an tỉnh" in result.output
    assert "KPI_TG_PHAN_LOAI" in result.output


def test_commands_refusing_a_broken_plan_show_each_mistake_as_written(tmp_path, make_submission):
    result = kpi("validate", str(make_submission()), "--plan", str(broken_plan(tmp_path)), "--lang", "en")
    assert "[plan]: missing 'id'" in one_line(result.output)


# --- plans in time: every new key has its mistakes caught --------------------------------------------

ALPHA = (Path(__file__).resolve().parent / "plans" / "alpha.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "says"), [
    ("milestones = { 2026 = 60, 2027 = 70, 2028 = 80 }", "milestones = { 2027 = 70, 2026 = 60 }",
     "increasing years"),
    ("milestones = { 2026 = 60, 2027 = 70, 2028 = 80 }", "milestones = { 2026 = 60, 2031 = 90 }",
     "outside the plan's coverage"),
    ("milestones = { 2026 = 60, 2027 = 70, 2028 = 80 }",
     "milestones = { 2026 = 60 }\ntarget = 60", "not both"),
    ("deadline_day_next_month = 25", "deadline_days = -2", "before the cut-off"),
    ("deadline_day_next_month = 25", "deadline_day_next_month = 25\ndeadline_days = 3",
     "not both"),
    ("deadline_day_next_month = 25", "", "missing 'deadline_days'"),
    ("cutoff_day = 20", "cutoff_day = 20\ncalendar_months = true", "not both"),
    ('level = "commune"', 'level = "huyen"', "not declared in [[levels]]"),
    ('rhythm = "quarterly"', 'rhythm = "weekly"', "'rhythm' must be one of"),
    ('rhythm = "quarterly"', 'form_rhythms = { HD = "quarterly" }', "does not report"),
    ('event = "07-30"', 'event = "02-30"', "MM-DD"),
    ('event = "07-30"', 'event = "07-30"\nmonths = [7]', "not both"),
    ('source = "theo dõi"', 'source = "theo dõi"\nprovisional = true', "basis_vi"),
])
def test_plan_check_catches_each_mistake_of_the_new_keys(tmp_path, old, new, says):
    assert old in ALPHA
    path = tmp_path / "sai.toml"
    path.write_text(ALPHA.replace(old, new, 1), encoding="utf-8")
    result = kpi("plan", "check", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert says in one_line(result.output), result.output
    assert says  # and in Vietnamese as well:
    assert kpi("plan", "check", str(path)).exit_code == 1


def test_the_test_plans_are_sound():
    for name in ("plans/alpha.toml", "plans/beta.toml", "plans_other/gamma.toml"):
        path = Path(__file__).resolve().parent / name
        assert kpi("plan", "check", str(path)).exit_code == 0


def test_plan_show_without_a_period_shows_the_plan_in_force_today():
    data = json.loads(kpi("plan", "show", "--format", "json").stdout)
    assert data["plan"] == "QUANGNGAI-2026"  # since 2025-07
    assert data["agencies"][0]["name"] == "Công an tỉnh Quảng Ngãi"


# --- categories and breakdowns (issue 14) ------------------------------------------------------------

GAMMA = (Path(__file__).resolve().parent / "plans_other" / "gamma.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "says"), [
    ('breakdowns = [["GT"]]', 'breakdowns = [["GIOI"]]', "unknown category GIOI"),
    ('numerator = "NN_XD[NU, TE]"', 'numerator = "NN_XD[NU, TRE]"', "which no one breakdown"),
    ('numerator = "NN_XD[NU, TE]"', 'numerator = "NN_HT[KINH]"', "which no one breakdown"),
    ('{ code = "NL", name_vi', '{ code = "NU", name_vi', "duplicate"),
    ('code = "TUOI"', 'code = "GT"', "duplicate"),
    ('breakdowns = [["GT", "TUOI"], ["DT"]]', 'breakdowns = [["GT", "TUOI", "DT"]]', "at most two"),
    ('breakdowns = [["GT", "TUOI"], ["DT"]]', 'breakdowns = [["GT", "GT"]]', "twice"),
    ('breakdowns = [["GT", "TUOI"], ["DT"]]', 'breakdowns = [["GT", "TUOI"], ["GT"]]',
     "in two breakdowns"),
    ('breakdowns = [["GT"]]', 'breakdowns = "GT"', "must list lists"),
])
def test_plan_check_catches_each_mistake_in_categories(tmp_path, old, new, says):
    assert old in GAMMA
    path = tmp_path / "sai.toml"
    path.write_text(GAMMA.replace(old, new, 1), encoding="utf-8")
    result = kpi("plan", "check", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert says in one_line(result.output), result.output
    assert kpi("plan", "check", str(path)).exit_code == 1


@pytest.mark.parametrize(("added", "says"), [
    ('[report]\nissuer = "Công an tỉnh"\n', "unknown key 'issuer'"),
    ('[report]\nrecipients_vi = "UBND tỉnh"\n', "'recipients_vi' must list texts"),
    ('[report]\nsigner_name = 3\n', "'signer_name' must be text"),
])
def test_plan_check_catches_mistakes_in_the_report_table(tmp_path, added, says):
    path = tmp_path / "sai.toml"
    path.write_text(ALPHA + "\n" + added, encoding="utf-8")
    result = kpi("plan", "check", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert says in one_line(result.output), result.output


def test_plan_show_says_who_issues_the_report_and_who_signs_the_feedback():
    """[report] and [contact] are visible before a report or a letter goes out with them."""
    shown = kpi("plan", "show", "--period", "2026-08")
    assert "Báo cáo tổng hợp: Công an tỉnh Quảng Ngãi gửi Ủy ban nhân dân tỉnh Quảng Ngãi" in shown.output
    assert "do Phòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi gửi" in shown.output
    old = kpi("plan", "show", "--period", "2024-10", "--lang", "en")
    assert "the plan names no sender ([contact])" in old.output  # Kon Tum's plan has none
    bare = kpi("plan", "show", "--plan", str(Path(__file__).parent / "plans_other" / "gamma.toml"))
    assert "kế hoạch chưa ghi cơ quan ban hành, nơi nhận, người ký" in bare.output  # no [report]
    data = json.loads(kpi("plan", "show", "--period", "2026-08", "--format", "json").stdout)
    assert data["report"]["issuer"] == "Công an tỉnh Quảng Ngãi"
    assert data["report"]["recipients"] == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    assert data["contact"]["office"] == "Phòng Cảnh sát hình sự, Công an tỉnh Quảng Ngãi"
