"""Each unit against its own past (issue 23 items 1-2): a value far outside the unit's usual
range is a warning, with the range in words; a clean year raises almost nothing; a unit with
too little history is not judged."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from clitools import kpi
from workbooks import editing, set_value

from kpi.catalog import bundled_plans
from kpi.history import CODE, attach, check
from kpi.periods import add_months
from kpi.validate import Submission

PLAN = next(p for p in bundled_plans() if p.id == "QUANGNGAI-2026")
UNIT = "X_DAK_HA"
SHEET = "XT Truyền thông cơ sở"
ELEMENT = "XT_LUOT_NGUOI"
# The unit's attendances over Jan-Jul 2026, then August is judged.
PAST = [96, 110, 80, 130, 104, 88, 120]


def report(month: str, values: dict[str, int], agency: str = UNIT, plan=PLAN) -> Submission:
    return Submission(file=f"nop/{month}/{agency}_{month}.xlsx", agency=agency, period=month,
                      values=dict(values), plan=plan.id,
                      cells={code: (SHEET, f"E{5 + i}") for i, code in enumerate(values)})


def year_of(values: list[int], last: int, element: str = ELEMENT) -> list[Submission]:
    months = [f"2026-{m:02d}" for m in range(1, len(values) + 2)]
    subs = [report(m, {element: v}) for m, v in zip(months, values, strict=False)]
    return [*subs, report(months[-1], {element: last})]


def flags(subs: list[Submission], plan=PLAN) -> list:
    return check(subs[-1:], subs, plan).flagged


@pytest.mark.parametrize(("typed", "shown"), [
    (1040, "1.040"),            # x10: 104 with an extra zero
    (104000, "104.000"),        # x1,000
    (912345678, "912.345.678"),  # a phone number (0912 345 678) in the cell
    (120007, "120.007"),
])
def test_an_order_of_magnitude_typo_is_flagged_with_the_units_range(typed, shown):
    found = flags(year_of(PAST, typed))
    assert len(found) == 1
    issue = found[0]
    assert issue.code == CODE and issue.severity == "warning"
    assert (issue.sheet, issue.cell, issue.element) == (SHEET, "E5", ELEMENT)
    assert f"thường 80–130, tháng này {shown}" in issue.message("vi")
    assert "usually 80–130" in issue.message("en")


@pytest.mark.parametrize("typed", [130, 150, 35, 0])
def test_a_plausible_month_is_not_flagged(typed):
    assert flags(year_of(PAST, typed)) == []


@pytest.mark.parametrize(("past", "typed"), [([0, 1, 2, 0, 1], 2), ([0, 1, 2, 0, 1], 30),
                                             ([3, 2, 4], 15), ([0, 0, 0, 0], 49)])
def test_small_counts_need_an_absolute_difference(past, typed):
    """0 -> 2 or 3 -> 15 is not an alarm: the floor (50) is never reached."""
    assert flags(year_of(past, typed)) == []


@pytest.mark.parametrize("months", [0, 1, 2])
def test_too_little_history_gives_no_flag_and_says_so(months):
    subs = year_of(PAST[:months], 104000)
    result = check(subs[-1:], subs, PLAN)
    assert result.flagged == [] and result.checked == 0
    assert result.too_little == [(UNIT, subs[-1].period)]


def test_a_rejected_or_superseded_month_is_not_history():
    subs = year_of([100, 100, 100], 1000)
    # Two earlier months withdrawn: the corrected file of March has errors.
    broken = report("2026-03", {ELEMENT: 100})
    broken.issues.append(__import__("kpi.issues", fromlist=["make_issue"]).make_issue(
        "negative", broken.file, value="-1", label="x"))
    from datetime import date

    subs[2].submitted, broken.submitted = date(2026, 3, 15), date(2026, 3, 16)
    result = check(subs[-1:], [*subs, broken], PLAN)
    assert result.too_little and not result.flagged


@pytest.mark.parametrize(("month", "through"), [(85, False), (85, True), (150, True)])
def test_a_flow_typed_as_the_years_running_total_is_flagged(month, through):
    """Jan-May, then June's 85 (or a busy 150) typed as the total through May or June."""
    past = [70, 80, 60, 90, 75]
    typed = sum(past) + (month if through else 0)
    found = flags(year_of(past, typed))
    assert len(found) == 1
    message = found[0].message("vi")
    assert "lũy kế từ đầu năm" in message and f": {sum(past)})" in message
    assert "thường 60–90" in message


def test_running_total_is_not_claimed_without_every_earlier_month_of_the_year():
    subs = year_of([70, 80, 60, 90, 75], 375)
    del subs[1]  # February missing: 375 is not known to be the year's running total
    found = flags(subs)
    assert all("lũy kế từ đầu năm" not in i.message("vi") for i in found)


@pytest.mark.parametrize(("past", "typed", "flagged"), [
    ([3, 3, 4, 4], 400, True),     # 4 models in operation, then 400
    ([300, 310, 305], 3, True),    # a stock cannot vanish in a month
    ([3, 3, 4, 4], 6, False),
    ([40, 45, 50], 90, False),     # doubled, but by less than the floor
])
def test_a_stock_that_jumps_more_than_a_month_allows(past, typed, flagged):
    found = flags(year_of(past, typed, element="XT_MO_HINH"))
    assert bool(found) is flagged
    if flagged:
        assert "tháng trước" in found[0].message("vi")


def tuned(**keys) -> object:
    """The bundled plan with ``keys`` on the element XT_LUOT_NGUOI, read from a plan file."""
    import re
    import tempfile

    from kpi.plan import load_plan

    source = Path(__file__).resolve().parent.parent / "kpi" / "plans" / "quangngai_2026.toml"
    text = source.read_text(encoding="utf-8")
    extra = "".join(f"{k} = {v}\n" for k, v in keys.items())
    text, n = re.subn(r'(code = "XT_LUOT_NGUOI"\n)', r"\1" + extra, text)
    assert n == 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        path.write_text(text, encoding="utf-8")
        return load_plan(path)


@pytest.mark.parametrize(("keys", "typed", "flagged"), [
    ({}, 400, False),                                          # 3.8 times: not by default
    ({"history_factor": 3}, 400, True),                        # a tighter plan
    ({}, 1040, True),
    ({"history_floor": 5000}, 1040, False),                    # a looser one
    ({"history_factor": 2, "history_floor": 20}, 300, True),
])
def test_the_plan_tunes_the_check_per_element(keys, typed, flagged):
    plan = tuned(**keys)
    subs = year_of(PAST, typed)
    assert bool(flags(subs, plan)) is flagged


@pytest.mark.parametrize(("key", "value"), [("history_factor", 1), ("history_floor", -3),
                                            ("history_factr", 3)])
def test_a_wrong_tuning_key_is_refused(key, value):
    from kpi.plan import PlanError

    with pytest.raises(PlanError) as caught:
        tuned(**{key: value})
    assert key in str(caught.value)


def clean_year(units: int, seed: int, walk: bool = False) -> list[Submission]:
    """A year of every commune-like unit: per element a usual level (small counts to a few
    hundred), each month within +-30 % of it (stocks too); ``walk``: within +-30 % of the
    month before (the level drifts over the year)."""
    rng = random.Random(seed)
    communes = [a for a in PLAN.agencies if a.level != "province"][:units]
    subs = []
    for agency in communes:
        elements = PLAN.elements_for_agency(agency)
        level = {e.code: float(rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40, 80, 150, 300]))
                 for e in elements}
        for m in range(1, 13):
            month = f"2026-{m:02d}"
            values = {code: max(0, round(base * rng.uniform(0.7, 1.3))) for code, base in level.items()}
            if walk:
                level = {code: float(v) for code, v in values.items()}
            subs.append(report(month, values, agency=agency.code))
    return subs


@pytest.mark.parametrize(("seed", "walk"), [(1, False), (2, False), (3, True), (4, True)])
def test_a_clean_year_raises_at_most_a_handful_of_flags(seed, walk):
    """Measured on 10 seeds each (6,912 values judged): 0 flags, with a level or a drift."""
    subs = clean_year(96, seed, walk)
    result = attach(subs, PLAN)
    # 96 units x 8 elements x 9 months judged (the first three have too little history).
    assert result.values == 96 * 8 * 9
    assert len(result.flagged) <= 5, [i.message("en") for i in result.flagged]
    assert len(result.too_little) == 96 * 3


def test_a_typo_in_a_clean_year_is_found_among_hundreds_of_values():
    subs = clean_year(40, 3)
    target = next(s for s in subs if s.period == "2026-09" and s.values[ELEMENT] >= 5)
    target.values[ELEMENT] *= 1000
    result = attach(subs, PLAN)
    assert [i.file for i in result.flagged] == [target.file]
    assert any(i.code == CODE for i in target.issues)
    assert attach(subs, PLAN).flagged == []  # run twice: flagged once


# --- end to end: terminal, JSON, marked copy, kpi validate -------------------------------------------

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"


def month_files(nop: Path, months: dict[str, int], unit: str = "X_DAK_TO") -> None:
    """``nop/<month>/<unit>_<month>.xlsx`` for each month: the bundled example of the unit (a
    valid file), its period and date sent changed, ``ELEMENT`` set to the month's value."""
    from datetime import datetime

    for month, value in months.items():
        folder = nop / month
        folder.mkdir(parents=True)
        path = folder / f"{unit}_{month}.xlsx"
        shutil.copy(EXAMPLE / f"{unit}_2026-08.xlsx", path)
        year, mm = map(int, month.split("-"))
        with editing(path) as wb:
            set_value(wb, "META_PERIOD", f"{mm:02d}/{year}")
            set_value(wb, "META_SUBMITTED", datetime(year, mm, 15, 9, 0))
            set_value(wb, ELEMENT, value)


@pytest.fixture
def nop(tmp_path) -> Path:
    folder = tmp_path / "nop"
    month_files(folder, {"2026-04": 96, "2026-05": 110, "2026-06": 80, "2026-07": 130,
                         "2026-08": 1200})
    return folder


def test_aggregate_warns_in_terminal_and_json_and_still_counts_the_file(nop):
    done = kpi("aggregate", str(nop), "--period", "2026-08", "--format", "json")
    data = json.loads(done.output)
    found = [i for i in data["issues"] if i["code"] == CODE]
    assert len(found) == 1 and found[0]["severity"] == "warning" and found[0]["cell"]
    assert "thường 80–130, tháng này 1.200" in found[0]["message"]
    assert data["totals"][ELEMENT] == 1200  # never changed
    assert data["history"]["checked"] == 1 and data["history"]["flagged"] == 1
    status = {s["month"]: s["status"] for s in data["submissions"]}
    assert status["2026-08"] == "accepted"
    text = kpi("aggregate", str(nop), "--period", "2026-08", env={"COLUMNS": "200"}).output
    assert "thường 80–130, tháng này 1.200" in text
    assert "Kiểm tra theo lịch sử: 1 báo cáo được so với các tháng trước của đơn vị, 1 số liệu" in text
    english = kpi("aggregate", str(nop), "--period", "2026-08", "--lang", "en",
                  env={"COLUMNS": "200"}).output
    assert "usually 80–130, this month 1,200" in english


def test_aggregate_of_a_month_with_little_history_says_so_once(nop):
    text = kpi("aggregate", str(nop), "--period", "2026-05", env={"COLUMNS": "200"}).output
    assert text.count("chưa đủ 3 báo cáo trước") == 1 and CODE not in text


def test_validate_finds_the_history_in_the_month_folders_beside_the_file(nop, tmp_path):
    file = nop / "2026-08" / "X_DAK_TO_2026-08.xlsx"
    done = kpi("validate", str(file), "--format", "json")
    data = json.loads(done.output)
    warnings = data["files"][0]["warnings"]
    assert [w["code"] for w in warnings] == [CODE]
    assert data["history"]["source"] == str(nop) and data["files"][0]["valid"]
    assert done.exit_code == 0  # a warning: the file is valid
    # The same file elsewhere: no history guessed, nothing flagged, nothing said.
    loose = tmp_path / "loose.xlsx"
    shutil.copy(file, loose)
    alone = json.loads(kpi("validate", str(loose), "--format", "json").output)
    assert alone["files"][0]["warnings"] == [] and "history" not in alone
    # ... unless the history is named.
    named = json.loads(kpi("validate", str(loose), "--history", str(nop), "--format", "json").output)
    assert [w["code"] for w in named["files"][0]["warnings"]] == [CODE]
    assert kpi("validate", str(loose), "--history", str(tmp_path / "nowhere")).exit_code == 2


def test_the_marked_copy_shows_the_flag_in_yellow(nop, tmp_path):
    import openpyxl

    from kpi.annotate import WARNING_FILL

    file = nop / "2026-08" / "X_DAK_TO_2026-08.xlsx"
    out = tmp_path / "copy.xlsx"
    kpi("validate", str(file), "--annotate-out", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET]
    cell = next(r[4] for r in ws.iter_rows() if r[0].value == ELEMENT)
    assert cell.fill.fgColor.rgb.endswith(WARNING_FILL)
    assert "thường 80–130" in cell.comment.text


def test_month_arithmetic_of_the_window():
    assert add_months("2026-01", -12) == "2025-01"


def test_feedback_asks_the_clerk_to_check_a_counted_file_with_an_unusual_value(nop, tmp_path):
    out = tmp_path / "phan-hoi"
    done = kpi("aggregate", str(nop), "--period", "2026-08", "--feedback", str(out),
               "--format", "json")
    data = json.loads(done.output)
    assert [f["status"] for f in data["feedback"]["files"]] == ["accepted"]
    text = (out / "X_DAK_TO.txt").read_text(encoding="utf-8-sig")
    assert "đã được tổng hợp, nhưng có số liệu khác thường" in text
    assert 'trang "XT Truyền thông cơ sở", ô E6' in text and "thường 80–130, tháng này 1.200" in text
    assert (out / "X_DAK_TO_2026-08.kiem-tra.xlsx").is_file()
    # The month before had nothing unusual: no feedback at all.
    quiet = tmp_path / "quiet"
    kpi("aggregate", str(nop), "--period", "2026-07", "--feedback", str(quiet))
    assert not quiet.exists() or not any(quiet.iterdir())


def test_validate_inside_the_month_folder_finds_the_history_too(nop, monkeypatch):
    monkeypatch.chdir(nop / "2026-08")
    data = json.loads(kpi("validate", "X_DAK_TO_2026-08.xlsx", "--format", "json").output)
    assert [w["code"] for w in data["files"][0]["warnings"]] == [CODE]
    assert Path(data["history"]["source"]).resolve() == nop.resolve()
