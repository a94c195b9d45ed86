"""The analyst's quarter: a folder of submissions in, totals and targets out, checked by hand."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workbooks import valid_values

from kpi import roll_up
from kpi.aggregate import aggregate, collect_files, read_all
from kpi.cli import app
from kpi.fill import fill_template

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "kontum-2025-Q2"
QN_EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"


def tg(ton: int, tiep: int, pl: int, gq: int, kt: int = 0) -> dict[str, int]:
    return dict(TG_TON_DAU_KY=ton, TG_TIEP_NHAN=tiep, TG_PHAN_LOAI=pl, TG_DA_GIAI_QUYET=gq,
                TG_KHOI_TO=kt)


@pytest.fixture
def quarter(plan, tmp_path: Path) -> Path:
    """CA_TINH and BDBP over 2024-Q3, with a late file, a resubmission, a rejected file, a file
    of another quarter and a lock file. Every other agency sent nothing."""
    folder = tmp_path / "nop"

    def send(agency: str, month: str, name: str, submitted: datetime, **values: object) -> None:
        filled = valid_values(plan, agency, period=f"{month[5:]}/{month[:4]}")
        filled.update(TT_HOAT_DONG_307=0, META_SUBMITTED=submitted)
        filled.update(values)
        fill_template(plan, agency, filled, folder / name, month)

    send("CA_TINH", "2024-07", "CA_TINH_07.xlsx", datetime(2024, 7, 16), **tg(4, 3, 3, 5, 1), TT_MO_HINH=3)
    send("CA_TINH", "2024-08", "CA_TINH_08.xlsx", datetime(2024, 8, 20), **tg(2, 2, 2, 3),
         TT_MO_HINH=3, TT_HOAT_DONG_307=2)
    send("CA_TINH", "2024-09", "CA_TINH_09.xlsx", datetime(2024, 9, 15), **tg(1, 1, 1, 1), TT_MO_HINH=5)
    send("CA_TINH", "2024-09", "sub/CA_TINH_09 gửi lại.xlsx", datetime(2024, 9, 17), **tg(1, 5, 5, 4, 1),
         TT_MO_HINH=5)
    send("BDBP", "2024-07", "BDBP_07.xlsx", datetime(2024, 7, 10), **tg(0, 1, 1, 1), TT_MO_HINH=2)
    send("BDBP", "2024-08", "BDBP_08.xlsx", datetime(2024, 8, 17), **tg(0, 0, 0, 0), TT_MO_HINH=4)
    send("BDBP", "2024-09", "BDBP_09.xlsx", datetime(2024, 9, 12), **tg(0, 2, 3, 0), TT_MO_HINH=9)
    send("CA_TINH", "2024-10", "CA_TINH_10.xlsx", datetime(2024, 10, 16), **tg(9, 9, 9, 9))
    (folder / "~$CA_TINH_07.xlsx").write_bytes(b"\x00lock")
    (folder / "ghi chu.txt").write_text("not a spreadsheet", encoding="utf-8")
    return folder


@pytest.fixture
def result(plan, quarter: Path):
    return roll_up([quarter], "2024-Q3", plan)


def by_code(result) -> dict:
    return {i.code: i for i in result.indicators}


def test_indicators_are_ratios_of_sums_with_opening_balances_taken_first(result):
    # Hand computation. Opening balance TG_TON_DAU_KY is each agency's first month: 4 + 0.
    # Received: CA 3+2+5 (the resubmission replaces 1 by 5) + BDBP 1+0 (September rejected) = 11.
    # Resolved: CA 5+3+4 + BDBP 1 = 13. Resolution = 13 / (4 + 11) = 86.67 % -> not above 90 %.
    # (The mean of CA's monthly ratios, 5/7, 3/4, 4/6, would be 71 %; the sums are what count.)
    totals = result.totals
    assert totals["TG_TON_DAU_KY"] == 4
    assert totals["TG_TIEP_NHAN"] == 11
    assert totals["TG_DA_GIAI_QUYET"] == 13
    kpis = by_code(result)
    assert (kpis["KPI_TG_GIAI_QUYET"].numerator, kpis["KPI_TG_GIAI_QUYET"].denominator) == (13, 15)
    assert kpis["KPI_TG_GIAI_QUYET"].value == pytest.approx(100 * 13 / 15)
    assert kpis["KPI_TG_GIAI_QUYET"].status == "not_met"
    assert (kpis["KPI_TG_PHAN_LOAI"].numerator, kpis["KPI_TG_PHAN_LOAI"].denominator) == (11, 11)
    assert kpis["KPI_TG_PHAN_LOAI"].status == "met"


def test_stock_of_models_is_read_at_the_end_of_the_span(result):
    # The stock at the quarter's end (September): CA_TINH 3, 3, 5 -> 5. BDBP 2, 4, (9 rejected):
    # no value in September, so none at the quarter's end (August's 4 is not carried: one date,
    # one value, the same in September's column and the year to date; issue 20 item 10).
    assert result.stocks_at == "2024-09"
    assert result.agency_totals["CA_TINH"]["TT_MO_HINH"] == 5
    assert "TT_MO_HINH" not in result.agency_totals["BDBP"]
    assert result.totals["TT_MO_HINH"] == 5


def test_no_case_arising_is_no_data_not_zero_and_not_a_failure(result):
    court = by_code(result)["KPI_XX_GIAI_QUYET"]  # the court sent nothing: denominator 0
    assert court.denominator == 0
    assert court.value is None
    assert court.status == "no_data"


def test_july_activities_cover_agencies_and_timeliness_counts_expected_files(result):
    kpis = by_code(result)
    # Only CA_TINH held a 30 July activity; 24 agencies report form TT.
    assert (kpis["KPI_307"].numerator, kpis["KPI_307"].denominator) == (1, 24)
    # On time: CA 07, CA 09 (17/09 is the deadline day), BDBP 07, BDBP 08; CA 08 was late.
    assert (kpis["KPI_DUNG_HAN"].numerator, kpis["KPI_DUNG_HAN"].denominator) == (4, 72)


def test_a_quarter_without_july_has_no_data_for_30_july(plan, quarter):
    result = roll_up([quarter], "2024-Q4", plan)
    assert by_code(result)["KPI_307"].status == "no_data"
    # Nobody reported in November: a tracked count is unknown there, not 0 (blank is not zero).
    november = {i.code: i for i in result.trend["2024-11"]}
    assert november["KPI_TD_TIN_BAI"].value is None
    assert november["KPI_TD_TIN_BAI"].status == "no_data"
    assert by_code(result)["KPI_TD_TIN_BAI"].value > 0  # October's file counts for the quarter


def test_each_file_gets_a_status_and_completeness_lists_what_is_missing(result):
    status = {Path(f.file).name: f.status for f in result.files}
    assert status["CA_TINH_09.xlsx"] == "superseded"
    assert status["CA_TINH_09 gửi lại.xlsx"] == "accepted"
    assert status["BDBP_09.xlsx"] == "rejected"
    assert status["CA_TINH_10.xlsx"] == "out_of_span"
    assert {Path(p).name for p, _ in result.skipped} == {"~$CA_TINH_07.xlsx", "ghi chu.txt"}
    done = result.completeness
    assert (done.expected, done.received, done.on_time, done.late) == (72, 5, 4, 1)
    assert ("BDBP", "2024-09") in done.missing and ("BDBP", "2024-09") in done.rejected_only
    assert ("TAND", "2024-07") in done.missing
    assert len(done.missing) == 67


def test_audit_trail_names_file_and_cell_of_every_number(result):
    long = result.long
    row = long[(long.agency == "CA_TINH") & (long.month == "2024-09") & (long.element == "TG_TIEP_NHAN")]
    assert len(row) == 1
    assert row.iloc[0]["value"] == 5
    assert Path(row.iloc[0]["file"]).name == "CA_TINH_09 gửi lại.xlsx"
    assert row.iloc[0]["cell"].startswith("E")
    assert set(long.file.map(lambda f: Path(f).name)) >= {"CA_TINH_07.xlsx", "BDBP_08.xlsx"}
    assert "BDBP_09.xlsx" not in set(long.file.map(lambda f: Path(f).name))


def test_trend_gives_each_month_alone(result):
    july = {i.code: i for i in result.trend["2024-07"]}
    # July: CA 5 resolved of 4 + 3; BDBP 1 of 0 + 1 -> 6 / 8.
    assert (july["KPI_TG_GIAI_QUYET"].numerator, july["KPI_TG_GIAI_QUYET"].denominator) == (6, 8)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_json_table_and_csv_agree(quarter):
    as_json = run("aggregate", str(quarter), "--period", "2024-Q3", "--format", "json")
    assert as_json.exit_code == 1  # a target not met and a file rejected
    data = json.loads(as_json.output)
    assert data["period"] == {"code": "2024-Q3", "start": "2024-06-15", "end": "2024-09-14",
                              "months": ["2024-07", "2024-08", "2024-09"], "stocks_at": "2024-09"}
    kpi = {i["code"]: i for i in data["indicators"]}
    assert kpi["KPI_TG_GIAI_QUYET"]["value"] == pytest.approx(100 * 13 / 15)
    assert kpi["KPI_TG_GIAI_QUYET"]["status"] == "not_met"
    assert kpi["KPI_XX_GIAI_QUYET"]["value"] is None
    assert data["totals"]["TG_TIEP_NHAN"] == 11
    assert data["completeness"]["expected"] == 72
    assert {"agency": "TAND", "month": "2024-07", "rejected": False} in data["completeness"]["missing"]
    statuses = {Path(s["file"]).name: s["status"] for s in data["submissions"]}
    assert statuses["BDBP_09.xlsx"] == "rejected"
    assert any(i["code"] == "rule" and i["cell"] for i in data["issues"])

    table = run("aggregate", str(quarter), "--period", "2024-Q3")
    assert table.exit_code == 1
    flat = " ".join(table.output.split())
    assert "86,7 %" in flat and "13 / 15" in flat  # Vietnamese decimal comma
    assert "Chưa đạt" in flat and "Chưa có số liệu" in flat and "Đạt" in flat

    csv_out = run("aggregate", str(quarter), "--period", "2024-Q3", "--format", "csv", "--lang", "en")
    line = next(x for x in csv_out.output.splitlines() if x.startswith("KPI_TG_GIAI_QUYET"))
    # the first nine columns as ever; columns are only added after them
    assert ",13,15,86.66666666666667,>,90,%,not_met," in line


def test_cli_default_period_is_the_latest_month_found(quarter):
    data = json.loads(run("aggregate", str(quarter), "--format", "json").output)
    assert data["period"]["code"] == "2024-10"


def test_cli_usage_errors_exit_2(quarter, tmp_path):
    assert run("aggregate", str(tmp_path / "khong-co")).exit_code == 2
    assert run("aggregate", str(quarter), "--period", "2024-Q5").exit_code == 2
    assert run("aggregate", str(quarter), "--format", "xml").exit_code == 2


def test_all_targets_met_and_nothing_rejected_exits_0(plan, tmp_path):
    # One month where every agency sent a clean, on-time file with every target met.
    folder = tmp_path / "thang"
    for agency in plan.agencies:
        values = valid_values(plan, agency.code, period="07/2024")
        values.update(TT_HOAT_DONG_307=1, META_SUBMITTED=datetime(2024, 7, 15))
        values.update(TG_DA_GIAI_QUYET=7, XX_VU_GIAI_QUYET=3, XX_VU_XET_XU=3)
        fill_template(plan, agency.code, values, folder / f"{agency.code}.xlsx", "2024-07")
    data = json.loads(run("aggregate", str(folder), "--format", "json").output)
    not_met = [i["code"] for i in data["indicators"] if i["status"] == "not_met"]
    result = run("aggregate", str(folder), "--format", "json")
    assert not_met == [] and result.exit_code == 0, not_met


def test_bundled_examples_give_the_figures_their_generator_computed(plan):
    # examples/README.md: figures computed by examples/make_examples.py on its own.
    result = roll_up([EXAMPLES], "2025-Q2", plan)
    got = {i.code: (i.numerator, i.denominator, i.status) for i in result.indicators}
    assert got["KPI_TG_PHAN_LOAI"] == (9, 9, "met")
    assert got["KPI_TG_GIAI_QUYET"] == (10, 12, "not_met")
    assert got["KPI_DT_KHAM_PHA"] == (3, 3, "met")
    assert got["KPI_TTO_GIAI_QUYET"] == (4, 4, "met")
    assert got["KPI_XX_GIAI_QUYET"] == (0, 0, "no_data")
    assert got["KPI_NN_HO_TRO"] == (6, 6, "met")
    assert got["KPI_307"] == (None, 0, "no_data")  # no 30 July in the second quarter
    assert got["KPI_DUNG_HAN"] == (66, 72, "not_met")
    status = {Path(f.file).name: f.status for f in result.files}
    assert status["CA_TINH_2025-05.xlsx"] == "superseded"
    assert status["BDBP_2025-06.xlsx"] == "superseded"  # its corrected resubmission came later
    assert status["H_DAKHA_2025-05.xlsx"] == "rejected"
    assert status["SO_KHONG_CO_2025-05.xlsx"] == "rejected"
    assert [Path(p).name for p, _ in result.skipped] == ["~$CA_TINH_2025-04.xlsx"]
    assert ("H_TUMORONG", "2025-06") in result.completeness.missing
    totals = result.totals
    # TT_MO_HINH at the end of June: H_TUMORONG sent no June report (its May 5 is not carried).
    assert (totals["TG_TON_DAU_KY"], totals["TT_MO_HINH"], totals["TT_LUOT_NGUOI"]) == (3, 82, 64518)
    assert (totals["TH_LUOT_CAN_BO"], totals["NN_HT_Y_TE"], totals.get("XX_VU_THU_LY_MOI", 0)) == (787, 5, 0)


QN_FIGURES = {  # examples/make_examples_quangngai.py, computed on its own (examples/README.md)
    "KPI_TG_PHAN_LOAI": (6, 6, "met"), "KPI_TG_GIAI_QUYET": (7, 10, "not_met"),
    "KPI_DT_KHAM_PHA": (3, 3, "met"), "KPI_TTO_GIAI_QUYET": (3, 4, "not_met"),
    "KPI_XX_GIAI_QUYET": (2, 3, "not_met"), "KPI_NN_HO_TRO": (5, 6, "not_met"),
    "KPI_307": (11, 13, "not_met"), "KPI_DUNG_HAN": (101, 109, "not_met"),
    "KPI_307_XA": (79, 96, "tracked"), "KPI_TD_XA_CHUYEN": (4, 5, "tracked"),
    "KPI_TD_MO_HINH_XA": (131, None, "tracked"), "KPI_TD_NGUY_CO": (359, None, "tracked"),
    "KPI_TD_TRO_VE": (77, None, "tracked"),
    # From the grids: children (under 18) supported 2 (SYT) of 3 identified (CA_TINH 2, BDBP 1);
    # 2 of the 5 victims supported are children.
    "KPI_NN_HO_TRO_TRE_EM": (2, 3, "not_met"), "KPI_TD_HO_TRO_DUOI_18": (2, 5, "tracked"),
}


def test_quang_ngai_examples_give_the_figures_their_generator_computed():
    result = roll_up([QN_EXAMPLES], "2026-08")  # the plan in force: Quảng Ngãi's
    assert result.plan.id == "QUANGNGAI-2026"
    got = {i.code: (i.numerator, i.denominator, i.status) for i in result.indicators}
    assert {code: got[code] for code in QN_FIGURES} == QN_FIGURES
    assert (result.completeness.expected, result.completeness.received) == (109, 104)
    status = {Path(f.file).name: f.status for f in result.files}
    assert status["P_CAM_THANH_2026-08.xlsx"] == "out_of_span"  # its cover says 07/2026
    assert status["P_KON_TUM_2026-08.xlsx"] == "superseded"
    assert status["X_DAK_HA_2026-08.xlsx"] == status["X_MO_RAI_2026-08.xlsx"] == "rejected"
    assert "name-mismatch" in {i.code for i in result.issues}


def test_provisional_targets_are_marked_in_every_output(tmp_path):
    import csv
    import io

    import openpyxl

    args = ("aggregate", str(QN_EXAMPLES), "--period", "2026-08")
    table = " ".join(run(*args).output.split())
    assert "Quyết định 193/QĐ-TTg" in table and "≥ 100 % (2026) *" in table
    data = json.loads(run(*args, "--format", "json").output)
    assert data["plan_note"].startswith("Chỉ tiêu từ năm 2026 tạm áp dụng")
    kpi307 = {i["code"]: i for i in data["indicators"]}["KPI_307"]
    assert kpi307["provisional"] is True and "193/QĐ-TTg" in kpi307["basis"]
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(run(*args, "--format", "csv").output))}
    assert rows["KPI_307"]["provisional"] == "yes" and rows["KPI_307"]["target_year"] == "2026"
    assert rows["KPI_TD_NGUY_CO"]["provisional"] == ""
    out = tmp_path / "r.xlsx"
    run(*args, "--out", str(out))
    cells = " ".join(str(c.value) for row in openpyxl.load_workbook(out).worksheets[0].iter_rows()
                     for c in row if c.value)
    # the "*" note says "tạm áp dụng" once (issue 21): "* Tạm áp dụng chỉ tiêu của ..."
    assert "≥ 100 % *" in cells and "* Tạm áp dụng chỉ tiêu của Quyết định 193/QĐ-TTg" in cells


def test_the_new_province_in_2025_is_held_to_2025_targets_and_in_2026_to_provisional_ones(tmp_path):
    from kpi.catalog import bundled_plans
    from kpi.fill import fill_template

    qn = next(p for p in bundled_plans() if p.id == "QUANGNGAI-2026")
    for month in ("2025-09", "2026-03"):
        values = {"META_AGENCY": "VKS", "META_PERIOD": f"{month[5:]}/{month[:4]}",
                  "META_REPORTER": "A", "META_PHONE": "1",
                  "META_SUBMITTED": datetime(int(month[:4]), int(month[5:]), 16),
                  "TT_CHUYEN_MUC": 0, "TT_TIN_BAI": 1, "TT_MANG_XA_HOI": 1, "TT_BUOI_CONG_DONG": 1,
                  "TT_LUOT_NGUOI": 10, "TT_TRUONG_HOC": 0, "TT_HOAT_DONG_307": 0, "TT_MO_HINH": 0,
                  "TH_LOP": 0, "TH_LUOT_CAN_BO": 0, "TTO_VU_TON_DAU_KY": 1, "TTO_VU_THU_LY_MOI": 1,
                  "TTO_VU_GIAI_QUYET": 2, "TTO_VU_TRUY_TO": 2, "TTO_BI_CAN_TRUY_TO": 2}
        fill_template(qn, "VKS", values, tmp_path / month / f"VKS_{month}.xlsx", month)
    sept = {i.code: i for i in roll_up([tmp_path / "2025-09"], "2025-09").indicators}
    march = {i.code: i for i in roll_up([tmp_path / "2026-03"], "2026-03").indicators}
    assert sept["KPI_TTO_GIAI_QUYET"].target_year == 2025 and not sept["KPI_TTO_GIAI_QUYET"].provisional
    assert march["KPI_TTO_GIAI_QUYET"].target_year == 2026 and march["KPI_TTO_GIAI_QUYET"].provisional
    assert sept["KPI_TTO_GIAI_QUYET"].status == march["KPI_TTO_GIAI_QUYET"].status == "met"


def test_the_kon_tum_plan_ends_where_history_ended_it(plan):
    assert plan.coverage_end == "2025-06"
    districts = [a for a in plan.agencies if a.level == "district"]
    assert len(districts) == 10 and all(a.active_to == "2025-06" for a in districts)
    # July 2025 is Quảng Ngãi's: its plan is used, and Kon Tum's files are out of that month.
    data = json.loads(run("aggregate", str(EXAMPLES), "--period", "2025-07", "--format", "json").output)
    assert data["plan"] == "QUANGNGAI-2026"
    assert {s["status"] for s in data["submissions"]} == {"out_of_span"}


def test_report_must_be_an_xlsx_and_nothing_is_written_otherwise(quarter, tmp_path):
    target = tmp_path / "bao-cao.pdf"
    result = run("aggregate", str(quarter), "--period", "2024-Q3", "--out", str(target))
    assert result.exit_code == 2
    assert not target.exists()


def test_reading_on_several_cores_gives_exactly_the_sequential_result(plan, quarter, monkeypatch):
    import kpi.collect as agg

    monkeypatch.setattr(agg, "CHUNK_FILES", 3)  # several chunks, finishing in any order
    files, skipped, _ = collect_files([quarter])
    now = datetime(2024, 10, 1)
    one = aggregate(read_all(files, plan, workers=1), plan, "2024-Q3", skipped, now=now)
    two = aggregate(read_all(files, plan, workers=2), plan, "2024-Q3", skipped, now=now)
    assert json.dumps(two.to_dict("vi")) == json.dumps(one.to_dict("vi"))
    assert two.long.equals(one.long)


def test_on_the_examples_table_json_csv_and_workbook_agree(tmp_path):
    import csv
    import io

    import openpyxl

    from kpi.present import fmt_number
    from kpi.report import SUMMARY_FIRST_ROW, sheet_title

    out = tmp_path / "bao-cao.xlsx"
    table = run("aggregate", str(EXAMPLES), "--period", "2025-Q2", "--out", str(out))
    data = json.loads(run("aggregate", str(EXAMPLES), "--period", "2025-Q2", "--format", "json").output)
    rows = list(csv.DictReader(io.StringIO(
        run("aggregate", str(EXAMPLES), "--period", "2025-Q2", "--format", "csv").output)))
    assert table.exit_code == 1  # targets not met and files rejected, in every format
    summary = openpyxl.load_workbook(out)[sheet_title("summary", "vi")]
    flat = " ".join(table.output.split())
    for offset, (ind, row) in enumerate(zip(data["indicators"], rows, strict=True)):
        r = SUMMARY_FIRST_ROW + offset
        assert ind["code"] == row["code"]
        assert summary.cell(r, 2).value == ind["name"] == row["name"]  # names, no codes
        assert summary.cell(r, 5).value == ind["numerator"]
        assert summary.cell(r, 6).value == ind["denominator"]
        assert row["status"] == ind["status"]
        if ind["value"] is None:
            assert summary.cell(r, 4).value == "—" and row["value"] == ""
        else:
            assert summary.cell(r, 4).value == pytest.approx(ind["value"])
            assert float(row["value"]) == pytest.approx(ind["value"])
            assert fmt_number(ind["value"], "vi") in flat
    assert "83,3 %" in flat and "10 / 12" in flat


def test_marked_copies_next_to_submissions_are_skipped_not_counted(plan, quarter):
    """Known by content, not by name (issue 20.11): kpi's unchanged marked copy is listed as
    "marked-copy"; a file that only has the name is read like any other."""
    from kpi.annotate import annotate
    from kpi.validate import skip_reason, validate_file

    copy = quarter / "BDBP_09.kiem-tra.xlsx"
    annotate(validate_file(quarter / "BDBP_07.xlsx", plan), copy)
    files, skipped, _ = collect_files([quarter])
    assert copy in files
    sub = validate_file(copy, plan)
    assert sub.output and skip_reason(sub) == "marked-copy"
    renamed = quarter / "BDBP_08.kiem-tra.xlsx"
    renamed.write_bytes((quarter / "BDBP_07.xlsx").read_bytes())
    assert validate_file(renamed, plan).output is None


def test_folders_are_searched_recursively_in_path_order_without_following_folder_links(tmp_path):
    """Files come in the order of their paths' parts ('a/b' before 'a-c'), the order the
    progress bar, the JSON and ties between files follow; a link to a folder is not entered,
    so a folder linked into itself cannot loop."""
    root = tmp_path / "nop"
    for name in ["a/b.xlsx", "a-c.xlsx", "a/z/x.xlsx", "B.xlsx", "a/~$b.xlsx", "c/ghi-chu.txt"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (root / "a" / "vong").symlink_to(root, target_is_directory=True)
    files, skipped, missing = collect_files([root])
    assert [p.relative_to(root).as_posix() for p in files] == ["B.xlsx", "a/b.xlsx", "a/z/x.xlsx",
                                                               "a-c.xlsx"]
    # Every entry not read is listed with why, the folder link too.
    assert sorted((Path(p).relative_to(root).as_posix(), why) for p, why in skipped) == [
        ("a/vong", "folder-link"), ("a/~$b.xlsx", "lock-file"), ("c/ghi-chu.txt", "not-a-spreadsheet")]
    assert missing == []


def test_a_path_that_does_not_exist_is_an_error_not_an_empty_result(plan, tmp_path):
    from kpi.errors import PathNotFound

    with pytest.raises(PathNotFound) as missing:
        roll_up([tmp_path / "khong-co"], "2024-Q3", plan)
    assert "khong-co" in missing.value.message("vi")


def test_the_one_entry_point_works_from_any_folder(plan, tmp_path, monkeypatch):
    """The README's Python example: the examples found from the package, not the working folder."""
    import kpi

    monkeypatch.chdir(tmp_path)
    examples = Path(kpi.__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"
    result = roll_up([examples], "2026-08")
    assert result.completeness.received > 0
    assert {i.code: i.status for i in result.indicators}["KPI_TG_PHAN_LOAI"] == "met"
    assert result.plan.id == "QUANGNGAI-2026"
