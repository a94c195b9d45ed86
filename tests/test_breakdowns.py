"""Breakdowns (issue 14), worked by hand on a test plan sharing no code with the bundled ones
(tests/plans_other/gamma.toml): victims identified (NN_XD) by sex x age and by ethnicity, victims
supported (NN_HT) by sex x age, victims sheltered at the end of the period (NN_CHO, a stock:
the last value) by sex. Calendar months, reports due 5 days after the month.

Grids as the template lays them out: for sex x age one row per age band (TE under 18, NL 18 and
over) with [male, female] across columns E and F; for one category one row per option.

    CA  07: NN_XD 3 = TE [1, 1] + NL [0, 1]; KINH 1, DTTS 2.   NN_HT 0 (grid blank).
            NN_CHO 2 = NAM 1, NU 1
        08: NN_XD 2 = TE [0, 1] + NL [1, 0]; KINH 0, DTTS 2.   NN_HT 0.  NN_CHO 3 = 1, 2
        09: NN_XD 1 = TE [0, 0] + NL [0, 1]; KINH 1, DTTS 0.   NN_HT 0.  NN_CHO 1 = 0, 1
    YT  07: NN_XD 0 (grids blank).  NN_HT 2 = TE [1, 1] + NL [0, 0].  NN_CHO 0 (blank)
        08: NN_XD 0.  NN_HT 3 = TE [0, 1] + NL [1, 1].  NN_CHO 2 = NAM 0, NU 2
        09: NN_XD 0.  NN_HT 1 = TE [0, 0] + NL [0, 1].  NN_CHO 0 (grid blank: nobody left)
    XA  HD_SU 1 each month

2026-Q3 by hand: NN_XD 6, of whom under 18: 2 + 1 + 0 = 3, girls under 18: 1 + 1 + 0 = 2;
Kinh 1 + 0 + 1 = 2, ethnic minority 2 + 2 + 0 = 4. NN_HT 6, under 18: 2 + 1 + 0 = 3.
Child victims supported: 3 / 3 = 100 % (met); share of supported under 18: 3 / 6 = 50 %.
NN_CHO is each unit's last value: CA 1 (NU 1), YT 0 (its blank grid under 0 holds zeros) = 1,
male 0, female 1. Taking each part's own last value instead would give female 1 + 2 = 3.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from clitools import kpi

from kpi import load_plan, roll_up, validate_file
from kpi.fill import fill_template
from kpi.present import period_label

PLANS = Path(__file__).resolve().parent / "plans_other"  # not beside alpha: both cover 2026
NOW = datetime(2027, 1, 15)
SENT = {"07": datetime(2026, 8, 3), "08": datetime(2026, 9, 2), "09": datetime(2026, 10, 1)}

FILES: dict[tuple[str, str], dict[str, object]] = {
    ("CA", "07"): {"NN_XD": 3, "NN_XD.TE": [1, 1], "NN_XD.NL": [0, 1], "NN_XD.KINH": 1,
                   "NN_XD.DTTS": 2, "NN_HT": 0, "NN_CHO": 2, "NN_CHO.NAM": 1, "NN_CHO.NU": 1},
    ("CA", "08"): {"NN_XD": 2, "NN_XD.TE": [0, 1], "NN_XD.NL": [1, 0], "NN_XD.KINH": 0,
                   "NN_XD.DTTS": 2, "NN_HT": 0, "NN_CHO": 3, "NN_CHO.NAM": 1, "NN_CHO.NU": 2},
    ("CA", "09"): {"NN_XD": 1, "NN_XD.TE": [0, 0], "NN_XD.NL": [0, 1], "NN_XD.KINH": 1,
                   "NN_XD.DTTS": 0, "NN_HT": 0, "NN_CHO": 1, "NN_CHO.NAM": 0, "NN_CHO.NU": 1},
    ("YT", "07"): {"NN_XD": 0, "NN_HT": 2, "NN_HT.TE": [1, 1], "NN_HT.NL": [0, 0], "NN_CHO": 0},
    ("YT", "08"): {"NN_XD": 0, "NN_HT": 3, "NN_HT.TE": [0, 1], "NN_HT.NL": [1, 1], "NN_CHO": 2,
                   "NN_CHO.NAM": 0, "NN_CHO.NU": 2},
    ("YT", "09"): {"NN_XD": 0, "NN_HT": 1, "NN_HT.TE": [0, 0], "NN_HT.NL": [0, 1], "NN_CHO": 0},
    ("XA", "07"): {"HD_SU": 1}, ("XA", "08"): {"HD_SU": 1}, ("XA", "09"): {"HD_SU": 1},
}
NN = "NN Nạn nhân"


@pytest.fixture(scope="module")
def gamma():
    return load_plan(PLANS / "gamma.toml")


def cover(agency: str, month: str) -> dict[str, object]:
    return {"META_AGENCY": agency, "META_PERIOD": period_label(f"2026-{month}"),
            "META_REPORTER": "Lê Thị Hoa", "META_PHONE": "0255 3822 111",
            "META_SUBMITTED": SENT[month]}


def make(gamma, folder: Path, agency: str, month: str, values: dict[str, object]) -> Path:
    return fill_template(gamma, agency, {**values, **cover(agency, month)},
                         folder / f"{agency}_2026-{month}.xlsx", f"2026-{month}")


@pytest.fixture(scope="module")
def folder(gamma, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("phan-to")
    for (agency, month), values in FILES.items():
        make(gamma, out, agency, month, values)
    return out


def found(sub) -> list[tuple[str, str, str]]:
    return sorted((i.code, i.sheet or "", i.cell or "") for i in sub.issues)


def grid_rows(path: Path, sheet: str = NN) -> dict[str, int]:
    """Row of each code on the NN sheet of a filled file."""
    ws = openpyxl.load_workbook(path)[sheet]
    return {str(row[0].value): row[0].row for row in ws.iter_rows(max_col=1) if row[0].value}


# --- templates ---------------------------------------------------------------------------------

def test_the_template_lays_each_breakdown_out_as_a_grid_under_its_total(gamma, tmp_path):
    path = make(gamma, tmp_path, "CA", "07", {})
    ws = openpyxl.load_workbook(path)[NN]
    rows = grid_rows(path)
    total, te, nl = rows["NN_XD"], rows["NN_XD.TE"], rows["NN_XD.NL"]
    # the heading row right under the total names the categories and the options across
    assert "giới tính và độ tuổi" in ws.cell(total + 1, 3).value
    assert f"E{total}" in ws.cell(total + 1, 3).value
    assert (ws.cell(total + 1, 5).value, ws.cell(total + 1, 6).value) == ("Nam", "Nữ")
    assert (te, nl) == (total + 2, total + 3)
    assert ws.cell(te, 3).value.strip() == "Dưới 18 tuổi"
    # every grid cell is open to the clerk and has the same input check as a value cell
    checked = [str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "whole"]
    for cell in (f"E{te}", f"F{te}", f"E{nl}", f"F{nl}", f"E{rows['NN_XD.KINH']}", f"E{total}"):
        assert ws[cell].protection.locked is False, cell
        assert any(cell in openpyxl.worksheet.cell_range.MultiCellRange(s) for s in checked), cell
    # a one-category grid keeps column F as the note
    assert ws.cell(rows["NN_XD.KINH"] - 1, 6).value is None


def test_grid_cells_are_found_by_code_after_rows_move_and_sheets_are_renamed(gamma, tmp_path):
    path = make(gamma, tmp_path, "CA", "07", FILES[("CA", "07")])
    wb = openpyxl.load_workbook(path)
    ws = wb[NN]
    ws.insert_rows(3, 4)  # a clerk adds lines above the table
    ws.title = "Nạn nhân (sửa)"
    wb.save(path)
    sub = validate_file(path, gamma, today=NOW.date())
    assert sub.issues == []
    assert sub.values["NN_XD[NU+TE]"] == 1 and sub.values["NN_XD[DTTS]"] == 2
    row = grid_rows(path, "Nạn nhân (sửa)")["NN_XD.TE"]
    assert sub.cells["NN_XD[NU+TE]"] == ("Nạn nhân (sửa)", f"F{row}")


# --- validate ----------------------------------------------------------------------------------

def test_a_grid_that_adds_up_is_read_part_by_part(gamma, folder):
    sub = validate_file(folder / "CA_2026-07.xlsx", gamma, today=NOW.date())
    assert sub.issues == []
    parts = {k: v for k, v in sub.values.items() if k.startswith("NN_XD[")}
    assert parts == {"NN_XD[NAM+TE]": 1, "NN_XD[NU+TE]": 1, "NN_XD[NAM+NL]": 0, "NN_XD[NL+NU]": 1,
                     "NN_XD[KINH]": 1, "NN_XD[DTTS]": 2}


def test_a_grid_that_does_not_add_up_names_every_cell_involved(gamma, tmp_path):
    values = {**FILES[("CA", "07")], "NN_XD.NL": [1, 1]}  # 1 + 1 + 1 + 1 = 4, total 3
    path = make(gamma, tmp_path, "CA", "07", values)
    rows = grid_rows(path)
    sub = validate_file(path, gamma, today=NOW.date())
    [issue] = sub.issues
    assert (issue.code, issue.severity) == ("breakdown-sum", "error")
    te, nl, total = rows["NN_XD.TE"], rows["NN_XD.NL"], rows["NN_XD"]
    assert set(issue.cells) == {f"{NN}!E{total}", f"{NN}!E{te}", f"{NN}!F{te}", f"{NN}!E{nl}",
                                f"{NN}!F{nl}"}
    assert "cộng lại bằng 4, khác số tổng 3" in issue.message("vi")
    # the ethnicity grid adds up: it is not blamed
    assert all(str(rows["NN_XD.KINH"]) not in c for c in issue.cells)


def test_a_partly_blank_grid_is_an_error_naming_the_blank_cells(gamma, tmp_path):
    values = {**FILES[("CA", "07")], "NN_XD.TE": [1, None], "NN_XD.DTTS": None}
    path = make(gamma, tmp_path, "CA", "07", values)
    rows = grid_rows(path)
    sub = validate_file(path, gamma, today=NOW.date())
    got = {(i.code, i.cell): i for i in sub.issues}
    te, dtts = rows["NN_XD.TE"], rows["NN_XD.DTTS"]
    assert set(got) == {("incomplete-breakdown", f"F{te}"), ("incomplete-breakdown", f"E{dtts}")}
    assert got[("incomplete-breakdown", f"F{te}")].cells == (f"{NN}!F{te}",)
    assert "không được coi là 0" in got[("incomplete-breakdown", f"F{te}")].message("vi")


def test_a_blank_grid_under_a_total_above_zero_is_incomplete(gamma, tmp_path):
    values = {k: v for k, v in FILES[("CA", "07")].items() if not k.startswith("NN_CHO.")}
    path = make(gamma, tmp_path, "CA", "07", values)
    [issue] = validate_file(path, gamma, today=NOW.date()).issues
    assert issue.code == "incomplete-breakdown" and len(issue.cells) == 2  # NAM and NU


def test_every_grid_cell_is_checked_like_any_value(gamma, tmp_path):
    values = {**FILES[("CA", "07")], "NN_XD.TE": ["một", 1.5], "NN_CHO.NAM": -1}
    path = make(gamma, tmp_path, "CA", "07", values)
    rows = grid_rows(path)
    codes = {(i.code, i.cell) for i in validate_file(path, gamma, today=NOW.date()).issues}
    assert codes == {("not-a-number", f"E{rows['NN_XD.TE']}"), ("not-whole", f"F{rows['NN_XD.TE']}"),
                     ("negative", f"E{rows['NN_CHO.NAM']}")}


def test_a_formula_error_in_any_grid_cell_is_named_never_read_as_blank(gamma, tmp_path):
    """#DIV/0! in column F of a grid row, #N/A in column E: each is a formula error at its
    cell (the reader gives both as blank; a clerk told "blank" would look for an empty cell)."""
    from hostile import with_cells

    base = make(gamma, tmp_path, "CA", "07", FILES[("CA", "07")])
    rows = grid_rows(base)
    te, dtts = rows["NN_XD.TE"], rows["NN_XD.DTTS"]
    path = with_cells(base, tmp_path / "loi.xlsx", NN, {
        f"F{te}": f'<c r="F{te}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        f"E{dtts}": f'<c r="E{dtts}" t="e"><f>NA()</f><v>#N/A</v></c>'})
    sub = validate_file(path, gamma, today=NOW.date())
    got = {(i.code, i.cell) for i in sub.issues}
    assert ("formula-error", f"F{te}") in got and ("formula-error", f"E{dtts}") in got
    assert not [i for i in sub.issues if i.code == "incomplete-breakdown"]
    assert "#DIV/0!" in next(i for i in sub.issues if i.cell == f"F{te}").message("vi")


def test_a_grid_where_the_plan_asks_only_a_total_and_a_total_without_its_grid(gamma, tmp_path):
    path = make(gamma, tmp_path, "XA", "07", {"HD_SU": 2})
    wb = openpyxl.load_workbook(path)
    ws = wb["HD Hoạt động"]
    ws.protection.sheet = False
    row = ws.max_row + 1
    ws.cell(row, 1, "HD_SU.NU")  # a grid row copied from another template
    ws.cell(row, 5, 1)
    wb.save(path)
    [issue] = validate_file(path, gamma, today=NOW.date()).issues
    assert (issue.code, issue.severity, issue.cell) == ("breakdown-not-asked", "warning", f"A{row}")

    # an old template without the grid rows: the plan asks for the breakdown
    path = make(gamma, tmp_path, "CA", "08", FILES[("CA", "08")])
    wb = openpyxl.load_workbook(path)
    ws = wb[NN]
    for r in sorted((r for code, r in grid_rows(path).items() if code.startswith("NN_CHO.")),
                    reverse=True):
        ws.delete_rows(r)
    wb.save(path)
    [issue] = validate_file(path, gamma, today=NOW.date()).issues
    assert (issue.code, issue.element) == ("missing-breakdown", "NN_CHO")
    assert "Giới tính" in issue.message("vi")


def test_a_blank_grid_under_a_total_of_zero_holds_zeros(gamma, folder):
    sub = validate_file(folder / "YT_2026-09.xlsx", gamma, today=NOW.date())
    assert sub.issues == []
    assert sub.values["NN_CHO[NAM]"] == sub.values["NN_CHO[NU]"] == 0
    assert sub.values["NN_XD[DTTS]"] == 0


# --- aggregate ---------------------------------------------------------------------------------

def test_the_quarter_by_hand(gamma, folder):
    result = roll_up([folder], "2026-Q3", plan=gamma, now=NOW)
    assert [f for f in result.files if f.status != "accepted"] == []
    totals = result.totals
    assert totals["NN_XD"] == 6 and totals["NN_HT"] == 6
    assert (totals["NN_XD[NAM+TE]"], totals["NN_XD[NU+TE]"]) == (1, 2)
    assert (totals["NN_XD[KINH]"], totals["NN_XD[DTTS]"]) == (2, 4)
    got = {i.code: (i.numerator, i.denominator, i.status) for i in result.indicators}
    assert got["TE_HO_TRO"] == (3, 3, "met")
    assert got["HT_DUOI_18"] == (3, 6, "tracked")
    assert got["NU_TE"] == (2, None, "tracked")


def test_a_stock_broken_down_takes_each_units_last_report_whole(gamma, folder):
    quarter = roll_up([folder], "2026-Q3", plan=gamma, now=NOW).totals
    assert (quarter["NN_CHO"], quarter["NN_CHO[NAM]"], quarter["NN_CHO[NU]"]) == (1, 0, 1)
    august = roll_up([folder], "2026-08", plan=gamma, now=NOW).totals
    assert (august["NN_CHO"], august["NN_CHO[NAM]"], august["NN_CHO[NU]"]) == (5, 1, 4)


def test_an_indicator_over_one_option_counts_only_that_option(gamma, folder):
    august = {i.code: i for i in roll_up([folder], "2026-08", plan=gamma, now=NOW).indicators}
    # 08: under 18 identified 1 (CA: a girl), supported 1 (YT: a girl)
    assert (august["TE_HO_TRO"].numerator, august["TE_HO_TRO"].denominator) == (1, 1)
    assert (august["NU_TE"].numerator, august["HT_DUOI_18"].denominator) == (1, 3)


def test_a_rejected_file_and_a_resubmission_count_their_grids_as_they_count_totals(gamma, folder, tmp_path):
    import shutil

    copy = tmp_path / "nop"
    shutil.copytree(folder, copy)
    # CA sends September again: first a grid that does not add up (rejected), then corrected
    wrong = {**FILES[("CA", "09")], "NN_CHO": 2, "NN_CHO.NAM": 1, "NN_CHO.NU": 0}
    fill_template(gamma, "CA", {**wrong, **cover("CA", "09")}, copy / "CA_2026-09_sai.xlsx", "2026-09")
    right = {**FILES[("CA", "09")], "NN_CHO": 2, "NN_CHO.NAM": 1, "NN_CHO.NU": 1}
    fill_template(gamma, "CA", {**right, **cover("CA", "09"), "META_SUBMITTED": datetime(2026, 10, 4)},
                  copy / "CA_2026-09_sua.xlsx", "2026-09")
    result = roll_up([copy], "2026-Q3", plan=gamma, now=NOW)
    status = {Path(f.file).name: f.status for f in result.files}
    assert status["CA_2026-09.xlsx"] == status["CA_2026-09_sai.xlsx"] == "superseded"
    sai = next(f for f in result.files if f.file.endswith("_sai.xlsx"))
    assert {i.code for i in sai.submission.issues} == {"breakdown-sum"}
    assert (result.totals["NN_CHO"], result.totals["NN_CHO[NAM]"], result.totals["NN_CHO[NU]"]) == (2, 1, 1)
    assert result.completeness.received == result.completeness.expected == 9


def test_json_and_csv_carry_the_breakdown(folder, tmp_path):
    args = ("aggregate", str(folder), "--period", "2026-Q3", "--plan", str(PLANS / "gamma.toml"))
    data = json.loads(kpi(*args, "--format", "json").stdout)
    parts = {tuple(sorted(p["options"].items())): p["value"] for p in data["breakdowns"]["NN_XD"]}
    assert parts[(("GT", "NU"), ("TUOI", "TE"))] == 2
    assert parts[(("DT", "DTTS"),)] == 4
    assert len(parts) == 6  # 2 x 2 + 2
    out = tmp_path / "phan-to.csv"
    assert kpi(*args, "--out", str(out), "--table", "breakdowns").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["element"] == "NN_XD" and r["GT"] == "NU" and r["TUOI"] == "TE")
    assert row["value"] == "2" and row["DT"] == ""


def test_the_report_has_a_breakdown_sheet_with_a_chart(folder, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    args = ("aggregate", str(folder), "--period", "2026-Q3", "--plan", str(PLANS / "gamma.toml"),
            "--out", str(out))
    assert kpi(*args).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Phân tổ"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in cells for v in row if v is not None]
    assert "Số người được xác định là nạn nhân (người), theo giới tính và độ tuổi" in flat
    # the sex x age table of victims identified: girls under 18 = 2
    te = next(row for row in cells if row and "Dưới 18 tuổi" in [str(v) for v in row])
    assert te[1:4] == [1, 2, 3]  # male, female, total
    assert ws._charts, "a chart of victims by sex and age"


# --- LibreOffice: the program clerks use --------------------------------------------------------

def _serial(value: datetime) -> float:
    return (value - datetime(1899, 12, 30)).total_seconds() / 86400


@pytest.mark.slow
def test_a_grid_typed_in_libreoffice_validates_like_one_filled_by_openpyxl(gamma, folder, soffice, tmp_path):
    import subprocess

    from workbooks import find_uno_python

    python = find_uno_python()
    if python is None:
        pytest.skip("python3-uno is not installed: LibreOffice cannot type into the template")
    from kpi.templates import build_template, write_atomic

    wrong = {**FILES[("CA", "08")], "NN_XD.NL": [1, None]}  # one blank cell of the grid
    cases = {"dung": FILES[("CA", "08")], "thieu": wrong}
    job = {"soffice": soffice[0], "profile": soffice[1], "files": []}
    reference = {}
    for name, values in cases.items():
        template = tmp_path / f"blank_{name}.xlsx"
        write_atomic(build_template(gamma, gamma.agency_by_code["CA"], "2026-08"), template)
        typed = {k: (_serial(v) if isinstance(v, datetime) else v)
                 for k, v in {**values, **cover("CA", "08")}.items() if k != "META_AGENCY"}
        outputs = [[str(tmp_path / f"CA_{name}.{fmt}"), flt] for fmt, flt in
                   (("xlsx", "Calc MS Excel 2007 XML"), ("ods", "calc8"), ("xls", "MS Excel 97"))]
        job["files"].append({"template": str(template), "values": typed, "outputs": outputs})
        reference[name] = make(gamma, tmp_path / name, "CA", "08", values)
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run([python, str(Path(__file__).with_name("lo_fill.py")), str(job_file)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    def said(path: Path):
        sub = validate_file(path, gamma, today=NOW.date())
        return found(sub), {k: v for k, v in sub.values.items() if "[" in k}

    for name in cases:
        expected = said(reference[name])
        for fmt in ("xlsx", "ods", "xls"):
            assert said(tmp_path / f"CA_{name}.{fmt}") == expected, (name, fmt)
    assert said(reference["dung"])[0] == []
    assert [code for code, _, _ in said(reference["thieu"])[0]] == ["incomplete-breakdown"]
    assert said(reference["dung"])[1]["NN_CHO[NU]"] == 2


@pytest.mark.slow
def test_the_template_with_grids_prints_on_a4_pages_that_show_every_grid(soffice, tmp_path):
    """The Quảng Ngãi police template: cover, instructions and five forms, the victims' form
    with its six grids, each sheet one A4 page (looked at: tests render it as a PNG too)."""
    import subprocess

    from workbooks import pdf_pages, soffice_convert_all

    from kpi.catalog import bundled_plans
    from kpi.templates import build_template, write_atomic

    plan = next(p for p in bundled_plans() if p.id == "QUANGNGAI-2026")
    source = tmp_path / "CA_TINH.xlsx"
    write_atomic(build_template(plan, plan.agency_by_code["CA_TINH"]), source)
    [pdf] = soffice_convert_all(soffice, [source], "pdf", tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert len(pages) == 2 + len(plan.agency_by_code["CA_TINH"].forms)  # one page a sheet
    assert all(round(w) == 595 and round(h) == 842 for w, h in pages)  # A4 portrait
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    victims = [page for page in text.split("\f") if page.strip()][-1]
    for words in ("Chia theo giới tính và độ tuổi", "Dưới 16 tuổi", "Từ 18 tuổi trở lên", "Nữ",
                  "Dân tộc thiểu số", "NN_XAC_DINH.U16", "NN_GIAI_CUU.DTTS"):
        assert words in victims, words
