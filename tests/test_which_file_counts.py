"""Which file counts (issue 20, items 1-7) and kpi's decisions listed before the figures.

One agency, one period, several files: the one sent last counts, by the date AND time sent read
in every form a clerk types; never by modification time nor by the order of the files. Where the
order cannot be told, nothing counts and an issue names every file concerned. A file named for
another agency never replaces the agency's own. A period typed as a date is read by the plan's
cut-off; the default period is never a month still to come. Every such choice is a decision,
listed in the terminal before the table and in JSON under ``decisions``.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workbooks import editing, set_value

from kpi import roll_up, validate_file
from kpi.cli import app
from kpi.periods import parse_sent_value

ROOT = Path(__file__).resolve().parent.parent
QN_EXAMPLES = ROOT / "examples" / "quangngai-2026-08"
ORIGINAL = "CA_TINH_2024-10.xlsx"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.split())


def copy(base: Path, folder: Path, name: str, **values: object) -> Path:
    """A copy of the valid CA_TINH October 2024 file under ``name``, with ``values`` typed in."""
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(shutil.copy(base, folder / name))
    if values:
        with editing(path) as wb:
            for code, value in values.items():
                set_value(wb, code, value)
    return path


def statuses(result) -> dict[str, tuple[str, str | None]]:
    return {Path(r.file).name: (r.status, Path(r.replaced_by).name if r.replaced_by else None)
            for r in result.files}


def issue_codes(result) -> list[str]:
    return [i.code for i in result.issues]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "nop"


# --- 1. the date sent in every reasonable form ----------------------------------------------------

@pytest.mark.parametrize(("typed", "day", "at"), [
    (datetime(2024, 10, 17, 10, 30), date(2024, 10, 17), "10:30"),  # a date cell with a time
    ("17/10/2024 10:30", date(2024, 10, 17), "10:30"),
    ("2024/10/17", date(2024, 10, 17), None),
    ("17/10/24", date(2024, 10, 17), None),
    ("ngày 17/10/2024", date(2024, 10, 17), None),
    ("17 tháng 10 năm 2024", date(2024, 10, 17), None),
    ("Oct 17, 2024", date(2024, 10, 17), None),
    # variants of our own
    ("17 October 2024", date(2024, 10, 17), None),
    ("10 giờ 30 ngày 17/10/2024", date(2024, 10, 17), "10:30"),
    ("17/10/2024, 15h30", date(2024, 10, 17), "15:30"),
    ("2024-10-17T08:05", date(2024, 10, 17), "08:05"),
    ("Kon Tum, ngày 17 tháng 10 năm 2024", date(2024, 10, 17), None),
])
def test_every_reasonable_form_of_a_date_sent_is_read_and_the_correction_wins(
        base, plan, folder, typed, day, at):
    copy(base, folder, ORIGINAL, META_SUBMITTED=datetime(2024, 10, 16))
    copy(base, folder, "CA_TINH_2024-10_sua.xlsx", META_SUBMITTED=typed, TG_TIEP_NHAN=9)
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("superseded", "CA_TINH_2024-10_sua.xlsx"),
                                "CA_TINH_2024-10_sua.xlsx": ("accepted", None)}
    assert result.totals["TG_TIEP_NHAN"] == 9
    assert "bad-date" not in issue_codes(result)
    sent = parse_sent_value(typed)
    assert sent is not None and sent.day == day
    assert (sent.time.strftime("%H:%M") if sent.time else None) == at


@pytest.mark.parametrize("typed", ["17/10/24", "17 tháng 10 năm 2024", "Oct 17, 2024"])
def test_a_date_read_from_an_unusual_form_is_a_decision_shown(base, plan, folder, typed):
    copy(base, folder, ORIGINAL, META_SUBMITTED=typed)
    result = roll_up([folder], "2024-10", plan)
    [decided] = [d for d in result.decisions if d.rule == "date-form"]
    assert f"'{typed}'" in decided.message("vi") and "17/10/2024" in decided.message("vi")
    assert decided.files == (str(folder / ORIGINAL),)


@pytest.mark.parametrize("typed", [None, "hôm qua", "32/10/2024", "17/10"])
def test_a_correction_whose_date_cannot_be_read_never_loses_silently(base, plan, folder, typed):
    """The original dated 16/10; the correction's date is blank or unreadable: which came last
    cannot be told. Neither counts, and an issue names both files."""
    copy(base, folder, ORIGINAL, META_SUBMITTED=datetime(2024, 10, 16))
    copy(base, folder, "CA_TINH_2024-10_sua.xlsx", META_SUBMITTED=typed, TG_TIEP_NHAN=9)
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("rejected", None),
                                "CA_TINH_2024-10_sua.xlsx": ("rejected", None)}
    assert ("CA_TINH", "2024-10") in result.completeness.missing
    tied = [i for i in result.issues if i.code == "ambiguous-version"]
    assert len(tied) == 2 and all(i.severity == "error" for i in tied)
    for issue in tied:
        assert ORIGINAL in issue.message("vi") and "CA_TINH_2024-10_sua.xlsx" in issue.message("vi")
        assert "không có ngày gửi đọc được" in issue.message("vi")
    [decided] = [d for d in result.decisions if d.rule == "undecided-version"]
    assert decided.chosen is None and len(decided.files) == 2

    out = run("aggregate", folder, "--period", "2024-10", "--plan", plan.path)
    text = flat(out.output)
    assert out.exit_code == 1
    assert "1 bị thay thế" not in text and "0 lỗi" not in text
    assert text.count("Bị trả lại:") == 2 and "không tệp nào được tính" in text


# --- 2. the time of day ---------------------------------------------------------------------------

@pytest.mark.parametrize(("morning", "afternoon"), [
    ("17/10/2024 09:00", "17/10/2024 15:30"),
    (datetime(2024, 10, 17, 9, 0), datetime(2024, 10, 17, 15, 30)),
    ("9h 17/10/2024", "17/10/2024 3:30 PM"),
])
def test_the_later_time_of_the_same_day_wins_whatever_the_modification_times(
        base, plan, folder, morning, afternoon):
    # The afternoon version sorts first by name and is the older file on disk.
    late = copy(base, folder, "A_CA_TINH_2024-10.xlsx", META_SUBMITTED=afternoon, TG_TIEP_NHAN=9)
    early = copy(base, folder, ORIGINAL, META_SUBMITTED=morning)
    os.utime(late, (1_000_000, 1_000_000))
    os.utime(early, (2_000_000_000, 2_000_000_000))
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {"A_CA_TINH_2024-10.xlsx": ("accepted", None),
                                ORIGINAL: ("superseded", "A_CA_TINH_2024-10.xlsx")}
    assert result.totals["TG_TIEP_NHAN"] == 9
    [decided] = [d for d in result.decisions if d.rule == "later-date-sent"]
    assert "17/10/2024 15:30" in decided.message("vi") and "17/10/2024 09:00" in decided.message("vi")
    sent = {Path(e["file"]).name: (e["submitted"], e["submitted_time"])
            for e in result.to_dict("vi")["submissions"]}
    assert sent == {"A_CA_TINH_2024-10.xlsx": ("2024-10-17", "15:30"), ORIGINAL: ("2024-10-17", "09:00")}


def test_the_same_day_with_a_time_on_only_one_file_cannot_be_ordered(base, plan, folder):
    copy(base, folder, ORIGINAL, META_SUBMITTED="17/10/2024")
    copy(base, folder, "CA_TINH_2024-10_sua.xlsx", META_SUBMITTED="17/10/2024 15:30",
         TG_TIEP_NHAN=9)
    result = roll_up([folder], "2024-10", plan)
    assert {s for s, _ in statuses(result).values()} == {"rejected"}
    [decided] = [d for d in result.decisions if d.rule == "undecided-version"]
    assert "cùng ngày gửi 17/10/2024" in decided.message("vi")


# --- 3. the same date and time: never mtime, never file order ---------------------------------------

@pytest.mark.parametrize("newer_on_disk", ["CA_TINH_2024-10.xlsx", "CA_TINH_2024-10 (1).xlsx"])
def test_two_different_files_sent_at_the_same_moment_count_neither(base, plan, folder, newer_on_disk):
    for name, received in ((ORIGINAL, 5), ("CA_TINH_2024-10 (1).xlsx", 9)):
        copy(base, folder, name, META_SUBMITTED="17/10/2024 10:30", TG_TIEP_NHAN=received,
             TG_PHAN_LOAI=5)
    os.utime(folder / newer_on_disk, (2_000_000_000, 2_000_000_000))
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("rejected", None),
                                "CA_TINH_2024-10 (1).xlsx": ("rejected", None)}
    assert "TG_TIEP_NHAN" not in result.totals or result.totals["TG_TIEP_NHAN"] == 0
    [decided] = [d for d in result.decisions if d.rule == "undecided-version"]
    assert "cùng ngày giờ gửi 17/10/2024 10:30" in decided.message("vi")
    assert set(decided.files) == {str(folder / ORIGINAL), str(folder / "CA_TINH_2024-10 (1).xlsx")}
    en = [i.message("en") for i in result.issues if i.code == "ambiguous-version"][0]
    assert "none of them counts" in en and "CA_TINH_2024-10 (1).xlsx" in en
    # The clerk is asked for one version with its time; the analyst to remove the wrong file.
    tied = [i for i in result.issues if i.code == "ambiguous-version"][0]
    assert "Hãy xóa tệp sai khỏi thư mục nộp" in tied.message("vi")
    assert "Hãy gửi lại một bản đúng, ghi ngày và giờ gửi" in tied.for_clerk("vi")


@pytest.mark.parametrize("copies", [2, 3])
def test_identical_files_are_one_report_counted_once(base, plan, folder, copies):
    names = [ORIGINAL, "CA_TINH_2024-10 (1).xlsx", "CA_TINH_2024-10 (2).xlsx"][:copies]
    for name in names:
        copy(base, folder, name, META_SUBMITTED="17/10/2024 10:30")
    os.utime(folder / names[-1], (2_000_000_000, 2_000_000_000))
    result = roll_up([folder], "2024-10", plan)
    counted = [n for n, (s, _) in statuses(result).items() if s == "accepted"]
    first = str(folder / min(names))  # the first by name; the figures are the same whichever
    assert counted == [min(names)]
    assert result.totals["TG_TIEP_NHAN"] == 5  # once, never 5 x copies
    assert result.completeness.on_time == 1
    [decided] = [d for d in result.decisions if d.rule == "same-content"]
    assert decided.chosen == first and len(decided.files) == copies
    assert "có cùng số liệu" in decided.message("vi")


# --- 4. a file named for another agency -----------------------------------------------------------

def test_a_file_named_for_another_agency_never_replaces_the_agencys_own(base, plan, folder):
    """BDBP's file name, CA_TINH's cover (a copy not renamed), sent later: CA_TINH's own file
    still counts; the other is set aside and the decision says why."""
    copy(base, folder, ORIGINAL, META_SUBMITTED=datetime(2024, 10, 16))
    copy(base, folder, "BDBP_2024-10.xlsx", META_SUBMITTED=datetime(2024, 10, 17), TG_TIEP_NHAN=9)
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("accepted", None),
                                "BDBP_2024-10.xlsx": ("superseded", ORIGINAL)}
    assert result.totals["TG_TIEP_NHAN"] == 5
    [decided] = [d for d in result.decisions if d.rule == "name-cover-mismatch"]
    assert "mang tên đơn vị BDBP" in decided.message("vi")
    assert "name-mismatch" in issue_codes(result)  # the disagreement is still shown
    out = flat(run("aggregate", folder, "--period", "2024-10", "--plan", plan.path).output)
    assert "Các quyết định của kpi" in out and "BDBP_2024-10.xlsx mang tên đơn vị BDBP" in out


def test_the_agencys_own_file_stands_even_when_it_has_errors(base, plan, folder):
    copy(base, folder, ORIGINAL, META_SUBMITTED=datetime(2024, 10, 16), TT_TIN_BAI="mười")
    copy(base, folder, "BDBP_2024-10.xlsx", META_SUBMITTED=datetime(2024, 10, 17))
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("rejected", None),
                                "BDBP_2024-10.xlsx": ("superseded", ORIGINAL)}
    assert ("CA_TINH", "2024-10") in result.completeness.missing


def test_a_file_named_for_another_agency_alone_counts_by_its_cover_with_a_warning(base, plan, folder):
    copy(base, folder, "BDBP_2024-10.xlsx")
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {"BDBP_2024-10.xlsx": ("accepted", None)}
    assert "name-mismatch" in issue_codes(result)
    assert not [d for d in result.decisions if d.rule == "name-cover-mismatch"]


# --- 5. an on-time file with a time -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "on_time"), [
    ("17/10/2024 08:00", True), (datetime(2024, 10, 17, 23, 59), True), ("17/10/2024 23:59", True),
    ("18/10/2024 08:00", False),
])
def test_a_date_sent_with_a_time_is_judged_by_its_day(base, plan, folder, typed, on_time):
    copy(base, folder, ORIGINAL, META_SUBMITTED=typed)
    assert validate_file(folder / ORIGINAL, plan).issues == []  # no bad-date
    result = roll_up([folder], "2024-10", plan)
    assert result.completeness.on_time == int(on_time)
    data = result.to_dict("vi")
    assert data["submissions"][0]["on_time"] is on_time
    assert data["submissions"][0]["submitted"] == typed_day(typed)


def typed_day(typed: object) -> str:
    sent = parse_sent_value(typed)
    assert sent is not None
    return sent.day.isoformat()


# --- 6. a period typed as a date ------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "period", "noted"), [
    ("15/09/2024", "2024-10", True),  # after the 14th cut-off: the next period
    (datetime(2024, 9, 20), "2024-10", True),
    ("10/10/2024", "2024-10", False),  # both readings agree: nothing to say
    (datetime(2024, 10, 1), "2024-10", False),  # what Excel makes of "10/2024" typed in a date cell
    ("20/10/2024", "2024-11", True),
])
def test_a_period_typed_as_a_date_is_read_by_the_plans_cut_off(base, plan, folder, typed, period, noted):
    path = copy(base, folder, ORIGINAL, META_PERIOD=typed, META_SUBMITTED=datetime(2024, 10, 14))
    sub = validate_file(path, plan, today=date(2024, 12, 1))
    assert sub.period == period
    notes = [i for i in sub.issues if i.code == "period-from-date"]
    assert bool(notes) is noted
    if noted:
        assert notes[0].severity == "warning"
        assert f"kỳ {period[5:]}/{period[:4]}" in notes[0].message("vi")


def test_a_period_mapped_from_a_date_is_a_decision_in_the_roll_up(base, plan, folder):
    copy(base, folder, ORIGINAL, META_PERIOD="15/09/2024")
    result = roll_up([folder], "2024-10", plan)
    assert statuses(result) == {ORIGINAL: ("accepted", None)}
    [decided] = [d for d in result.decisions if d.rule == "period-from-date"]
    assert decided.month == "2024-10" and "15/09/2024" in decided.message("vi")
    # Rolled up for September, the file is outside the period and the decision says why.
    september = roll_up([folder], "2024-09", plan)
    assert statuses(september) == {ORIGINAL: ("out_of_span", None)}
    assert [d.rule for d in september.decisions] == ["period-from-date"]


# --- 7. the default period ------------------------------------------------------------------------

@pytest.fixture
def month_with_a_stray(tmp_path: Path) -> Path:
    """The bundled month, and one file for 08/2028 with a blank date sent."""
    folder = tmp_path / "nop"
    shutil.copytree(QN_EXAMPLES, folder)
    stray = folder / "zz_BDBP_2028-08.xlsx"
    shutil.copy(folder / "BDBP_2026-08.xlsx", stray)
    with editing(stray) as wb:
        set_value(wb, "META_PERIOD", "08/2028")
        set_value(wb, "META_SUBMITTED", None)
    return folder


def test_one_stray_file_for_a_month_to_come_does_not_move_the_default_period(month_with_a_stray):
    out = run("aggregate", month_with_a_stray)
    text = flat(out.output)
    assert "kỳ Tháng 8/2026" in text and "108 ngoài kỳ" not in text
    assert ("Không ghi --period: tổng hợp kỳ 08/2026, tháng gần nhất có báo cáo hợp lệ mà kỳ đã "
            "bắt đầu (từ 15/07/2026); không chọn 08/2028 vì kỳ chưa bắt đầu") in text
    data = json.loads(run("aggregate", month_with_a_stray, "--format", "json", "--lang", "en").output)
    assert data["period"]["code"] == "2026-08"
    [decided] = [d for d in data["decisions"] if d["rule"] == "default-period"]
    assert decided["month"] == "2026-08"
    assert decided["files"] == [str(month_with_a_stray / "zz_BDBP_2028-08.xlsx")]
    assert "not 08/2028, whose period has not begun" in decided["message"]


def test_the_default_period_is_never_a_month_that_has_not_begun_on_the_day_kpi_runs(month_with_a_stray):
    # Run on 10/07/2026: August's period (from 15/07) has not begun; the July file's has.
    result = roll_up([month_with_a_stray], now=datetime(2026, 7, 10, 9, 0))
    assert result.span.code == "2026-07"
    [decided] = [d for d in result.decisions if d.rule == "default-period"]
    assert "không chọn 08/2026, 08/2028" in decided.message("vi")


def test_only_months_to_come_is_refused_with_what_to_do(base, folder):
    copy(base, folder, ORIGINAL)
    out = run("aggregate", folder)  # no --period; today is long after 10/2024
    assert out.exit_code in (0, 1)  # 10/2024 has begun: it is the default
    only_future = folder.parent / "sau"
    copy(base, only_future, "CA_TINH_2099-01.xlsx", META_PERIOD="01/2099", META_SUBMITTED=None)
    refused = run("aggregate", only_future)
    assert refused.exit_code == 2
    assert "chưa bắt đầu" in refused.output and "--period" in refused.output


def test_without_a_valid_report_the_default_period_says_it_rests_on_files_with_errors(base, folder):
    copy(base, folder, ORIGINAL, TT_TIN_BAI="mười")
    out = flat(run("aggregate", folder).output)
    assert "kỳ Tháng 10/2024" in out
    assert "Không ghi --period và không có báo cáo hợp lệ: tổng hợp kỳ 10/2024" in out


# --- 8. decisions as data, in one place -----------------------------------------------------------

def test_decisions_are_listed_before_the_figures_and_in_json(base, plan, folder):
    copy(base, folder, ORIGINAL, META_SUBMITTED=datetime(2024, 10, 16))
    copy(base, folder, "CA_TINH_2024-10_sua.xlsx", META_SUBMITTED="17/10/24", TG_TIEP_NHAN=9)
    out = run("aggregate", folder, "--period", "2024-10", "--plan", plan.path).output
    title = out.index("Các quyết định của kpi (đọc trước khi ký):")
    assert title < out.index("KPI_TG_PHAN_LOAI") < out.index("Đầy đủ:")
    section = flat(out[title:out.index("KPI_TG_PHAN_LOAI")])
    assert "tính tệp CA_TINH_2024-10_sua.xlsx (gửi 17/10/2024); CA_TINH_2024-10.xlsx (gửi " \
           "16/10/2024) gửi trước nên bị thay thế" in section
    assert "ngày gửi '17/10/24' được đọc là 17/10/2024 (năm hai chữ số hiểu là 20yy)" in section

    data = json.loads(run("aggregate", folder, "--period", "2024-10", "--plan", plan.path,
                          "--format", "json", "--lang", "en").output)
    assert {"plan", "period", "indicators", "totals", "completeness", "submissions", "issues",
            "skipped", "generated_at"} <= set(data)
    rules = {d["rule"]: d for d in data["decisions"]}
    assert set(rules) == {"later-date-sent", "date-form"}
    later = rules["later-date-sent"]
    assert set(later) == {"rule", "agency", "month", "files", "chosen", "message"}
    assert (later["agency"], later["month"]) == ("CA_TINH", "2024-10")
    assert later["chosen"] == str(folder / "CA_TINH_2024-10_sua.xlsx")
    assert "was sent earlier and is superseded" in later["message"]


def test_a_month_with_nothing_to_decide_prints_no_decisions(base, plan, folder):
    copy(base, folder, ORIGINAL)
    out = run("aggregate", folder, "--period", "2024-10", "--plan", plan.path).output
    assert "quyết định" not in out
    data = json.loads(run("aggregate", folder, "--period", "2024-10", "--plan", plan.path,
                          "--format", "json").output)
    assert data["decisions"] == []


# --- 9. the README says the rules and shows a decision as the terminal prints it ------------------

def three_more_arrivals(folder: Path) -> Path:
    """The README's example: the bundled month, then Đăk Hà's two corrections of one day (09:00
    and 15:30), Mô Rai's correction with its date sent unchanged, and Ngọk Tụ's file sent again
    under Ia Đal's name."""
    shutil.copytree(QN_EXAMPLES, folder)

    def variant(source: str, target: str, **values: object) -> None:
        shutil.copy(folder / source, folder / target)
        with editing(folder / target) as wb:
            for code, value in values.items():
                set_value(wb, code, value)

    variant("X_DAK_HA_2026-08.xlsx", "X_DAK_HA_2026-08_sua.xlsx", XT_LUOT_NGUOI=1200,
            META_SUBMITTED="20/08/2026 09:00")
    variant("X_DAK_HA_2026-08.xlsx", "X_DAK_HA_2026-08_sua-lan-2.xlsx", XT_LUOT_NGUOI=1250,
            META_SUBMITTED="20/08/2026 15:30")
    variant("X_MO_RAI_2026-08.xlsx", "X_MO_RAI_2026-08_sua.xlsx", XN_NN_CHUYEN=1)
    variant("X_NGOK_TU_2026-08.xlsx", "X_IA_DAL_2026-08.xlsx", META_SUBMITTED="18/08/2026")
    return folder


def test_the_readme_states_the_rules_and_shows_decisions_as_the_terminal_prints_them(
        tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Which file counts", 1)[1].split("\n#### ", 1)[0]
    for rule in ("later-date-sent", "same-content", "undecided-version", "name-cover-mismatch",
                 "date-form", "period-from-date", "default-period", "ambiguous-version"):
        assert f"`{rule}`" in section, rule
    # The bundled month's decision, shown in the README's first aggregate example.
    bundled = flat(run("aggregate", QN_EXAMPLES, "--period", "2026-08").output)
    example = readme.split("$ kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out", 1)[1]
    shown = example.split("Các quyết định của kpi", 1)[1].split("┏", 1)[0]
    assert flat("Các quyết định của kpi" + shown) in bundled
    # The section's example, run as described (lines compared with the wrapping folded).
    three_more_arrivals(tmp_path / "nop")
    monkeypatch.chdir(tmp_path)
    printed = flat(run("aggregate", "nop", "--period", "2026-08").output)
    block = section.split("```", 2)[1]
    lines = [line for line in block.splitlines()[2:] if line.strip() and line.strip() != "..."]
    assert len(lines) > 10
    for line in lines:
        assert flat(line) in printed, line
