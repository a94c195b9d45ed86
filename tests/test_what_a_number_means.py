"""What a number means (issue 20, items 8, 9, 10, 12, 13): a grid read by its header's names, a
count above its plausible bound refused, a stock with one value at one date, a formula's
rounding noise read as the whole number it is, a code with look-alike letters named, and
names compared whatever the tone placement.

Grids use the test plan gamma (tests/plans_other/gamma.toml): victims identified (NN_XD) by sex
across (Nam | Nữ in columns E, F) x age band down (TE under 18, NL 18 and over).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import hostile
import openpyxl
import pytest
from clitools import kpi
from workbooks import TT_SHEET, editing, issues_of, row_of, set_value, sheet_with, valid_values

from kpi import load_plan, roll_up, validate_file
from kpi.fill import fill_template
from kpi.present import period_label

PLANS = Path(__file__).resolve().parent / "plans_other"
NN = "NN Nạn nhân"
# CA, July 2026: 3 victims identified; under 18: 1 boy, 2 girls... as the clerk means them:
# boys (Nam) 1 + 0, girls (Nữ) 1 + 1.
BOYS_GIRLS = {"NN_XD": 3, "NN_XD.TE": [1, 1], "NN_XD.NL": [0, 1], "NN_XD.KINH": 1,
              "NN_XD.DTTS": 2, "NN_HT": 0, "NN_CHO": 0}


@pytest.fixture(scope="module")
def gamma():
    return load_plan(PLANS / "gamma.toml")


def gamma_file(plan, folder: Path, values: dict[str, object], agency: str = "CA",
               month: str = "07", name: str | None = None) -> Path:
    cover = {"META_AGENCY": agency, "META_PERIOD": period_label(f"2026-{month}"),
             "META_REPORTER": "Lê Thị Hoa", "META_PHONE": "0255 3822 111",
             "META_SUBMITTED": datetime(2026, int(month) + 1, 3)}
    return fill_template(plan, agency, {**values, **cover},
                         folder / (name or f"{agency}_2026-{month}.xlsx"), f"2026-{month}")


def header_row(path: Path) -> int:
    """The header row of the sex x age grid: the row above its first row (NN_XD.TE)."""
    ws = openpyxl.load_workbook(path)[NN]
    return row_of(ws, "NN_XD.TE") - 1


def set_header(path: Path, texts: list[object]) -> int:
    row = header_row(path)
    with editing(path) as wb:
        for j, text in enumerate(texts):
            wb[NN].cell(row, 5 + j).value = text
    return row


def parts(sub, plan) -> dict[tuple[str, str], int]:
    """(sex, age) -> value read, for the sex x age grid of NN_XD."""
    element = plan.element_by_code["NN_XD"]
    sex, age = element.breakdowns[0]
    return {(s.code, a.code): sub.values[element.part_key((s, a))]
            for s in sex.options for a in age.options if element.part_key((s, a)) in sub.values}


# --- item 8: a breakdown grid is read by the names in its header -------------------------------

def test_a_grid_whose_header_says_nu_nam_is_read_by_name_with_a_warning(gamma, tmp_path):
    # The clerk's header says Nữ | Nam (swapped) and the clerk typed the girls under Nữ (E).
    path = gamma_file(gamma, tmp_path, {**BOYS_GIRLS, "NN_XD.TE": [1, 1], "NN_XD.NL": [1, 0]})
    row = set_header(path, ["Nữ", "Nam"])
    sub = validate_file(path, gamma)
    assert sub.valid
    # Girls: E (1 under 18, 1 over); boys: F (1 under 18, 0 over).
    assert parts(sub, gamma) == {("NAM", "TE"): 1, ("NAM", "NL"): 0, ("NU", "TE"): 1, ("NU", "NL"): 1}
    [warning] = issues_of(sub, "grid-header-order")
    assert warning.severity == "warning"
    assert (warning.sheet, warning.cell) == (NN, f"E{row}")
    assert "'Nữ | Nam'" in warning.message_vi and "Nam | Nữ" in warning.message_vi
    assert "Số người được xác định là nạn nhân" in warning.message_vi


def test_a_header_differing_in_case_spaces_and_composition_reads_without_a_word(gamma, tmp_path):
    path = gamma_file(gamma, tmp_path, BOYS_GIRLS)
    # Upper case, stray spaces, and "Nữ" decomposed (u + horn + tilde) as a Mac or a web page
    # may write it: the same names, in the plan's order.
    set_header(path, ["  NAM ", "NU\u031b\u0303"])
    sub = validate_file(path, gamma)
    assert sub.issues == []
    assert parts(sub, gamma) == {("NAM", "TE"): 1, ("NAM", "NL"): 0, ("NU", "TE"): 1, ("NU", "NL"): 1}


def test_a_plan_listing_options_in_another_order_reads_files_of_the_old_template_by_name(
        gamma, tmp_path):
    # A copy of the plan lists Nữ before Nam; the clerks still fill last year's template
    # (Nam | Nữ). Read by position the boys would be counted as girls.
    text = (PLANS / "gamma.toml").read_text(encoding="utf-8")
    nam = '  { code = "NAM", name_vi = "Nam", name_en = "Male" },\n'
    nu = '  { code = "NU", name_vi = "Nữ", name_en = "Female" },\n'
    assert text.count(nam + nu) == 1
    swapped = tmp_path / "plans" / "gamma.toml"
    swapped.parent.mkdir()
    swapped.write_text(text.replace(nam + nu, nu + nam), encoding="utf-8")
    new_plan = load_plan(swapped)
    old_file = gamma_file(gamma, tmp_path, BOYS_GIRLS)  # made from the old template
    sub = validate_file(old_file, new_plan)
    assert sub.valid
    assert parts(sub, new_plan) == {("NAM", "TE"): 1, ("NAM", "NL"): 0, ("NU", "TE"): 1, ("NU", "NL"): 1}
    # Each crossed grid of the file says so once (NN_HT is broken down by sex x age too).
    assert sorted(i.element for i in issues_of(sub, "grid-header-order")) == ["NN_HT", "NN_XD"]
    assert f"E{header_row(old_file)}" in [i.cell for i in issues_of(sub, "grid-header-order")]
    # and the new template, whose header follows the new plan, reads without a word
    new_file = gamma_file(new_plan, tmp_path, {**BOYS_GIRLS, "NN_XD.TE": [1, 1], "NN_XD.NL": [1, 0]},
                          name="new.xlsx")
    sub = validate_file(new_file, new_plan)
    assert sub.issues == []
    assert parts(sub, new_plan)[("NU", "NL")] == 1


@pytest.mark.parametrize("header, bad_column", [
    (["Nam", "Khác"], "F"),        # a name the plan does not know
    (["Nam", "Nam"], "F"),         # one option twice, the other missing
    (["Dưới 18 tuổi", "Từ 18 tuổi trở lên"], "E"),  # another category's names
])
def test_a_header_matching_no_option_set_is_refused_at_its_cell(gamma, tmp_path, header, bad_column):
    path = gamma_file(gamma, tmp_path, BOYS_GIRLS)
    row = set_header(path, header)
    sub = validate_file(path, gamma)
    assert not sub.valid
    [error] = issues_of(sub, "grid-header")
    assert (error.sheet, error.cell) == (NN, f"{bad_column}{row}")
    assert "Nam | Nữ" in error.message_vi and "Male | Female" in error.message_en
    assert not any(k.startswith("NN_XD[") and "+" in k for k in sub.values)  # the grid is not read


def test_a_deleted_header_is_refused_and_the_terminal_says_what_to_write(gamma, tmp_path):
    path = gamma_file(gamma, tmp_path, BOYS_GIRLS)
    with editing(path) as wb:
        wb[NN].delete_rows(header_row(path))
    result = kpi("validate", path, "--plan", PLANS / "gamma.toml", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    [error] = [e for e in json.loads(result.output)["files"][0]["errors"] if e["code"] == "grid-header"]
    assert "Male | Female" in error["message"]


# --- item 9: a value above its plausible bound is refused, naming the cell --------------------

def test_a_phone_number_in_a_communes_count_is_refused_and_not_summed(tmp_path):
    plans = load_plan(Path(__file__).resolve().parent.parent / "kpi" / "plans" / "quangngai_2026.toml")
    folder = tmp_path / "nop"
    src = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"
    folder.mkdir()
    for name in ("X_NGOK_TU_2026-08.xlsx", "X_DAK_HA_2026-08.xlsx"):
        (folder / name).write_bytes((src / name).read_bytes())
    path = folder / "X_NGOK_TU_2026-08.xlsx"
    with editing(path) as wb:
        cell = set_value(wb, "XT_BUOI", 79123456789)
        sheet = sheet_with(wb, "XT_BUOI").title
    sub = validate_file(path, plans)
    [error] = issues_of(sub, "implausible-value")
    assert (error.severity, error.sheet, error.cell, error.element) == ("error", sheet, cell, "XT_BUOI")
    assert "79123456789" in error.message_vi and "10.000.000" in error.message_vi
    assert "XT_BUOI" not in sub.values
    result = roll_up([folder], "2026-08", plans)
    assert result.totals.get("XT_BUOI", 0) < 1_000  # never 79.123.456.790


def test_an_elements_own_max_in_the_plan_bounds_its_cells_and_its_grid(gamma, tmp_path):
    text = (PLANS / "gamma.toml").read_text(encoding="utf-8")
    bounded = tmp_path / "gamma.toml"
    assert text.count('code = "NN_XD"\n') == 1
    bounded.write_text(text.replace('code = "NN_XD"\n', 'code = "NN_XD"\nmax = 50\n'), encoding="utf-8")
    plan = load_plan(bounded)
    assert plan.element_by_code["NN_XD"].bound == 50
    ok = gamma_file(plan, tmp_path, {**BOYS_GIRLS, "NN_XD": 50, "NN_XD.TE": [20, 20],
                                     "NN_XD.NL": [5, 5], "NN_XD.KINH": 25, "NN_XD.DTTS": 25},
                    name="ok.xlsx")
    assert validate_file(ok, plan).issues == []  # the bound itself is plausible
    high = gamma_file(plan, tmp_path, {**BOYS_GIRLS, "NN_XD": 51, "NN_XD.TE": [51, 0],
                                       "NN_XD.NL": [0, 0], "NN_XD.KINH": 51, "NN_XD.DTTS": 0},
                      name="high.xlsx")
    sub = validate_file(high, plan)
    cells = sorted(i.cell for i in issues_of(sub, "implausible-value"))
    row = row_of(openpyxl.load_workbook(high)[NN], "NN_XD")
    grid = row_of(openpyxl.load_workbook(high)[NN], "NN_XD.TE")
    kinh = row_of(openpyxl.load_workbook(high)[NN], "NN_XD.KINH")
    assert cells == sorted([f"E{row}", f"E{grid}", f"E{kinh}"])
    assert "(tối đa 50)" in issues_of(sub, "implausible-value")[0].message_vi


@pytest.mark.parametrize("value", [1.5, -3, "x", True])
def test_a_max_that_is_not_a_whole_number_from_1_is_a_mistake_of_the_plan(tmp_path, value):
    text = (PLANS / "gamma.toml").read_text(encoding="utf-8")
    bad = tmp_path / "gamma.toml"
    bad.write_text(text.replace('code = "NN_XD"\n', f'code = "NN_XD"\nmax = {json.dumps(value)}\n'),
                   encoding="utf-8")
    result = kpi("plan", "check", bad)
    assert result.exit_code != 0
    assert "'max'" in result.output


# --- item 10: a stock has one value at one date ------------------------------------------------

def test_a_stock_is_the_same_in_the_month_and_the_year_to_date_when_a_month_is_rejected(
        gamma, tmp_path):
    """Worked by hand. NN_CHO (victims sheltered at the end of the month, a stock):
    CA July 2, August 3; YT July 4, August rejected (its file has an error).
    At the end of August the stock is CA's 3: YT has no accepted value for August, and its July
    4 is carried into no column. Before: August 3, year to date 3 + 4 = 7."""
    folder = tmp_path / "nop"
    folder.mkdir()
    gamma_file(gamma, folder, {"NN_XD": 0, "NN_HT": 0, "NN_CHO": 2, "NN_CHO.NAM": 1, "NN_CHO.NU": 1})
    gamma_file(gamma, folder, {"NN_XD": 0, "NN_HT": 0, "NN_CHO": 3, "NN_CHO.NAM": 1, "NN_CHO.NU": 2},
               month="08")
    gamma_file(gamma, folder, {"NN_XD": 0, "NN_HT": 0, "NN_CHO": 4, "NN_CHO.NAM": 2, "NN_CHO.NU": 2},
               agency="YT")
    gamma_file(gamma, folder, {"NN_XD": 0, "NN_HT": "hai", "NN_CHO": 1, "NN_CHO.NAM": 0,
                               "NN_CHO.NU": 1}, agency="YT", month="08")
    result = roll_up([folder], "2026-08", gamma)
    assert result.totals["NN_CHO"] == 3
    ytd = result.year_to_date.result
    assert ytd is not None and ytd.span.code == "2026-07..2026-08"
    assert ytd.totals["NN_CHO"] == 3
    assert ytd.totals["NN_CHO[NU]"] == result.totals["NN_CHO[NU]"] == 2
    # The flows still add up over the year: the stock is the only thing read at one date.
    assert ytd.totals["NN_XD"] == 0


@pytest.mark.parametrize("period", ["2025-06", "2025-Q2"])
def test_the_bundled_quarters_models_read_the_same_in_the_period_and_the_year_to_date(period):
    """examples/kontum-2025-Q2: H_TUMORONG sent no June report. Active models at the end of
    June: 82 in June's column, in the quarter's, and in the year to date (before: June 82, the
    year to date 87, with Tu Mơ Rông's May 5 carried into it only)."""
    examples = Path(__file__).resolve().parent.parent / "examples" / "kontum-2025-Q2"
    result = kpi("aggregate", examples, "--period", period, "--format", "json")
    data = json.loads(result.output)
    assert data["period"]["stocks_at"] == "2025-06"
    [models] = [i for i in data["indicators"] if i["code"] == "KPI_TD_MO_HINH"]
    assert models["numerator"] == models["year_to_date"]["numerator"] == 82


def test_a_quarters_stock_is_its_last_months_never_an_older_month_carried(gamma, tmp_path):
    """Worked by hand. CA: NN_CHO July 2, August 3, September missing; YT: July 4, August 5,
    September 1. The quarter's stock, read at its last month with data (September): YT's 1.
    September alone: 1. Year to date to September: 1. Before: the quarter 3 + 1 = 4."""
    folder = tmp_path / "nop"
    folder.mkdir()
    for agency, month, value in (("CA", "07", 2), ("CA", "08", 3), ("YT", "07", 4), ("YT", "08", 5),
                                 ("YT", "09", 1)):
        gamma_file(gamma, folder, {"NN_XD": 0, "NN_HT": 0, "NN_CHO": value, "NN_CHO.NAM": 0,
                                   "NN_CHO.NU": value}, agency=agency, month=month)
    quarter = roll_up([folder], "2026-Q3", gamma)
    month = roll_up([folder], "2026-09", gamma)
    assert quarter.stocks_at == "2026-09"
    assert quarter.totals["NN_CHO"] == month.totals["NN_CHO"] == 1
    assert quarter.year_to_date.result is not None
    assert quarter.year_to_date.result.totals["NN_CHO"] == 1
    assert month.year_to_date.result is not None
    assert month.year_to_date.result.totals["NN_CHO"] == 1
    # August, read alone, is August's: CA 3 + YT 5.
    assert roll_up([folder], "2026-08", gamma).totals["NN_CHO"] == 8


# --- item 12: a formula's rounding noise is read as the whole number -------------------------

def _with_formula_result(base: Path, path: Path, code: str, formula: str, saved: str) -> tuple[str, Path]:
    """A copy of ``base`` whose cell of ``code`` holds a formula and the result Excel saved for it
    (17 significant digits, as Excel writes them)."""
    wb = openpyxl.load_workbook(base)
    ws = sheet_with(wb, code)
    cell = f"E{row_of(ws, code)}"
    part = hostile.worksheet_part(base, ws.title)
    import zipfile
    with zipfile.ZipFile(base) as archive:
        xml = archive.read(part)
    new, n = re.subn(rb'(<c r="' + cell.encode() + rb'"[^>]*>)<v>[^<]*</v>',
                     rb"\1<f>" + formula.encode() + rb"</f><v>" + saved.encode() + rb"</v>", xml)
    assert n == 1
    return cell, hostile.rezip(base, path, {part: new})


def test_a_formulas_three_point_zero_zero_four_is_read_as_three_with_a_note(make_submission, plan, tmp_path):
    base = make_submission("CA_TINH", TT_CHUYEN_MUC=3)
    cell, path = _with_formula_result(base, tmp_path / "CA_TINH_2024-10-f.xlsx", "TT_CHUYEN_MUC",
                                      "0.1*3*10", "3.0000000000000004")
    sub = validate_file(path, plan)
    assert sub.valid
    assert sub.values["TT_CHUYEN_MUC"] == 3
    [note] = issues_of(sub, "rounded-number")
    assert (note.severity, note.sheet, note.cell) == ("warning", TT_SHEET, cell)
    assert "3.0000000000000004" in note.message_vi and "đã đọc là 3" in note.message_vi


def test_rounding_noise_below_a_whole_number_and_in_an_xls_is_read_too(plan, base, tmp_path):
    # A formula's result a few units in the last place from 15 and below 3, as an .xls keeps
    # it (the exact double).
    cells: list[tuple[int, int, object]] = []
    from kpi.read import read_code_rows
    for index, row in enumerate(read_code_rows(base)):
        value = row.value.strftime("%d/%m/%Y") if isinstance(row.value, datetime) else row.value
        if row.code == "TT_TIN_BAI":
            value = 15 + 2 ** -48
            assert value != 15 and abs(value - 15) < 1e-12
        if row.code == "TT_MO_HINH":
            value = 3 - 1e-15
        cells += [(index, 0, row.code), (index, 4, value)]
    path = hostile.write_xls(tmp_path / "CA_TINH_2024-10.xls", cells)
    sub = validate_file(path, plan)
    assert sub.valid, [i.message_en for i in sub.errors]
    assert (sub.values["TT_TIN_BAI"], sub.values["TT_MO_HINH"]) == (15, 3)
    assert sorted(i.element for i in issues_of(sub, "rounded-number")) == ["TT_MO_HINH", "TT_TIN_BAI"]


@pytest.mark.parametrize("typed", [2.5, 3.000001, "320,0000000000000001", "3,0000000000000004"])
def test_real_fractions_and_text_stay_refused(make_submission, plan, typed):
    sub = validate_file(make_submission("CA_TINH", TT_CHUYEN_MUC=typed), plan)
    assert [i.code for i in sub.errors] == ["not-whole"]
    assert issues_of(sub, "rounded-number") == []


# --- item 13: look-alike letters in a code; tone placement in names ---------------------------

@pytest.mark.parametrize("typed, letters", [
    ("\u0425T_BUOI", ["CYRILLIC CAPITAL LETTER HA"]),              # Х
    ("XT_BU\u039f\u0399", ["GREEK CAPITAL LETTER OMICRON", "GREEK CAPITAL LETTER IOTA"]),  # Ο Ι
    ("xt_bu\u043ei", ["CYRILLIC SMALL LETTER O"]),                  # lower case, Cyrillic о
])
def test_a_code_with_look_alike_letters_is_named_not_reported_missing(tmp_path, typed, letters):
    src = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08" / "X_NGOK_TU_2026-08.xlsx"
    path = tmp_path / "X_NGOK_TU_2026-08.xlsx"
    path.write_bytes(src.read_bytes())
    with editing(path) as wb:
        ws = sheet_with(wb, "XT_BUOI")
        row = row_of(ws, "XT_BUOI")
        ws.cell(row, 1).value = typed
    result = kpi("validate", path, "--format", "json")
    assert result.exit_code == 1
    errors = json.loads(result.output)["files"][0]["errors"]
    assert [e["code"] for e in errors] == ["non-latin-code"]
    [error] = errors
    assert (error["cell"], error["element"]) == (f"A{row}", "XT_BUOI")
    for name in letters:
        assert name in error["message"]
    assert "Thiếu dòng" not in result.output


@pytest.mark.parametrize("typed", ["Toà án nhân dân tỉnh", "TOÀ ÁN NHÂN DÂN TỈNH",
                                   "To\u0300a a\u0301n nhân dân tỉnh"])
def test_old_and_new_tone_placement_name_the_same_agency(make_submission, plan, typed):
    # The plan writes "Tòa án nhân dân tỉnh" (new placement); the clerk "Toà" (old), in
    # capitals, or decomposed.
    sub = validate_file(make_submission("TAND", META_AGENCY=typed), plan)
    assert sub.agency == "TAND"
    assert sub.valid, [i.message_en for i in sub.errors]


def test_tone_placement_in_a_grid_header_is_the_same_name(tmp_path):
    # A plan option "Hòa giải" (new placement) and a header typed "Hoà giải" (old).
    text = (PLANS / "gamma.toml").read_text(encoding="utf-8")
    plan_path = tmp_path / "gamma.toml"
    plan_path.write_text(text.replace('name_vi = "Nữ"', 'name_vi = "Thủy thủ nữ"'), encoding="utf-8")
    plan = load_plan(plan_path)
    path = gamma_file(plan, tmp_path, BOYS_GIRLS)
    set_header(path, ["Nam", "Thuỷ thủ nữ"])
    sub = validate_file(path, plan)
    assert sub.issues == []


def test_valid_values_helper_still_gives_a_clean_file(plan, make_submission):
    # The bound and the header rules leave a careful clerk's file without a word.
    assert validate_file(make_submission("CA_TINH"), plan).issues == []
    assert valid_values(plan, "CA_TINH")["TT_LUOT_NGUOI"] < plan.element_by_code["TT_LUOT_NGUOI"].bound
