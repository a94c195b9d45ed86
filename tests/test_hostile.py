"""Bad and hostile input never crashes, never miscounts, never damages (tests/hostile.py makes it).

For every file of the corpus the expected answer is written below: the issue codes with sheet
and cell, the status the file gets in a roll-up, and the exit code of `kpi validate`. Each is
checked three ways: validate_file, `kpi validate` (no traceback, the documented exit code) and
`kpi aggregate` over a folder mixing the bad file with two good ones (the good ones still count).
The input bytes are hashed before and after: nothing is ever written to a submission.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import hostile
import openpyxl
import pytest
from clitools import hashes, kpi, sha256
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from workbooks import (
    COVER,
    PLAUSIBLE,
    TG_SHEET,
    TT_SHEET,
    editing,
    find_uno_python,
    set_value,
    valid_values,
)

from kpi import validate_file
from kpi.expr import ExprError, evaluate, parse
from kpi.fill import fill_template
from kpi.numbers import parse_count
from kpi.periods import MAX_YEAR, MIN_YEAR, PeriodError, parse_date_value, parse_month_value, parse_span
from kpi.present import inert

HERE = Path(__file__).resolve().parent
GOOD = ("VKS", "TAND")  # two good files in every aggregated folder, of agencies with other forms
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Case:
    build: Callable[[Path, Path], Path]
    issues: list[tuple[str, str | None, str | None]]  # (code, sheet, cell), in any order
    status: str  # in a roll-up of 2024-10: accepted | rejected | out_of_span | skipped:<reason>
    exit: int  # kpi validate FILE
    name: str = "CA_TINH_2024-10.xlsx"
    values: dict[str, int] = field(default_factory=dict)  # numbers that must be read exactly


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


T = TG_SHEET
CASES: dict[str, Case] = {
    # --- the file itself: unreadable ones are refused whole, with one issue and exit 2 ---------
    "empty file": Case(hostile.empty_file, [("unreadable-file", None, None)], "rejected", 2),
    "text file named .xlsx": Case(hostile.text_named_xlsx, [("unreadable-file", None, None)],
                                  "rejected", 2),
    "truncated zip": Case(hostile.truncated_zip, [("unreadable-file", None, None)], "rejected", 2),
    # 3 GB of zeros in 3 MB: refused from the zip directory, before anything is expanded.
    "zip bomb": Case(hostile.zip_bomb, [("too-large-file", None, None)], "rejected", 2),
    # Headers that lie about the size: the reader stops at the declared size and finds the rest.
    "zip bomb with lying headers": Case(hostile.lying_zip_bomb, [("unreadable-file", None, None)],
                                        "rejected", 2),
    # Headers that declare the part empty: "at most 0 bytes" must not become "no limit".
    "zip bomb declaring an empty part": Case(hostile.empty_declared_zip_bomb,
                                             [("unreadable-file", None, None)], "rejected", 2),
    # The reader expands no DTD entity: the reference is an error, not 3 GB of 'lol'.
    "billion laughs": Case(hostile.billion_laughs, [("unreadable-file", None, None)], "rejected", 2),
    "external entity": Case(hostile.external_entity, [("unreadable-file", None, None)], "rejected", 2),
    # A cell at XFD1048576: the sheet would span 17 billion cells; refused before it is built.
    "far cell": Case(hostile.far_cell, [("too-large-file", None, None)], "rejected", 2),
    "ods repeat bomb": Case(hostile.ods_repeat_bomb, [("too-large-file", None, None)], "rejected", 2,
                            name="CA_TINH_2024-10.ods"),
    "20,000 parts in the zip": Case(hostile.many_parts, [("too-large-file", None, None)], "rejected", 2),
    # A count the file cannot hold (4 billion shared strings in a few bytes) is a damaged file;
    # the reader would reserve 96 GB for it first and die.
    "shared strings claiming 4 billion": Case(hostile.shared_strings_count,
                                              [("unreadable-file", None, None)], "rejected", 2),
    "ods run of two billion spaces": Case(hostile.ods_spaces_bomb, [("too-large-file", None, None)],
                                          "rejected", 2, name="CA_TINH_2024-10.ods"),
    "encrypted xlsx (OLE container)": Case(hostile.encrypted_ooxml, [("encrypted-file", None, None)],
                                           "rejected", 2),
    "zip with an encrypted part": Case(hostile.encrypted_zip_member, [("encrypted-file", None, None)],
                                       "rejected", 2),
    "damaged xls": Case(hostile.damaged_xls, [("unreadable-file", None, None)], "rejected", 2,
                        name="CA_TINH_2024-10.xls"),
    # A cell record at column 65,535 (the format allows 255): 4 billion cells; refused from the
    # records, before the reader builds the sheet (it used to kill the process).
    "xls with a cell far away": Case(hostile.xls_far_column, [("too-large-file", None, None)],
                                     "rejected", 2, name="CA_TINH_2024-10.xls"),
    "xls with a record that lies about its length": Case(
        hostile.xls_bad_merge, [("unreadable-file", None, None)], "rejected", 2, name="CA_TINH_2024-10.xls"),
    "csv": Case(hostile.csv_file, [("not-a-spreadsheet", None, None)], "skipped:not-a-spreadsheet", 2,
                name="CA_TINH_2024-10.csv"),
    # --- other formats: read by content, nothing run -----------------------------------------------
    "xlsx content named .xls": Case(hostile.xlsx_named_xls, [], "accepted", 0, name="CA_TINH_2024-10.xls",
                                    values={"TG_TIEP_NHAN": 5}),
    "xls written byte by byte": Case(hostile.xls_submission, [], "accepted", 0, name="CA_TINH_2024-10.xls",
                                     values={"TG_TIEP_NHAN": 5, "TT_LUOT_NGUOI": 320}),
    # It used to be reported as password-protected: any OLE content under another name was.
    "xls content named .xlsx": Case(hostile.xls_submission, [], "accepted", 0,
                                    values={"TG_TIEP_NHAN": 5}),
    "macro-enabled xlsm": Case(hostile.macro_enabled, [], "accepted", 0, name="CA_TINH_2024-10.xlsm",
                               values={"TG_TIEP_NHAN": 5, "TT_LUOT_NGUOI": 320}),
    "excel lock file": Case(hostile.excel_lock_file, [], "skipped:lock-file", 0,
                            name="~$CA_TINH_2024-10.xlsx"),
    "libreoffice lock file": Case(hostile.libreoffice_lock_file, [], "skipped:lock-file", 0,
                                  name=".~lock.CA_TINH_2024-10.xlsx#"),
    # --- the layout of the template -----------------------------------------------------------------
    "renamed sheet, re-sorted rows": Case(hostile.renamed_sheet_resorted_rows, [], "accepted", 0,
                                          values={"TG_TIEP_NHAN": 5, "TG_KHOI_TO": 2}),
    "deleted row": Case(hostile.deleted_row, [("missing-element", T, None)], "rejected", 1),
    "unknown code row": Case(hostile.unknown_code_row, [("unknown-code", TT_SHEET, "A13")], "accepted", 0),
    "code row twice": Case(hostile.code_twice, [("duplicate-code", TT_SHEET, "A13")], "rejected", 1,
                           values={"TT_TIN_BAI": 15}),
    # Excel keeps only the top-left value of a merged range: the value cell is then blank.
    "merged cells across the value": Case(hostile.merged_across_value, [("missing-value", T, "E6")],
                                          "rejected", 1),
    "merged cells down the value column": Case(hostile.merged_down_value, [("missing-value", T, "E7")],
                                               "rejected", 1, values={"TG_TIEP_NHAN": 5}),
    "hidden rows and sheets": Case(hostile.hidden_rows_and_sheets, [], "accepted", 0,
                                   values={"TG_TIEP_NHAN": 5, "DT_VU_KHOI_TO": 2, "NN_XAC_DINH": 3}),
    # A formula saved by a program without its result: said so, not "blank".
    "formula without a saved value": Case(hostile.formula_without_value,
                                          [("formula-without-value", T, "E6")], "rejected", 1),
    "codes full-width, invisible characters, NFD": Case(
        hostile.codes_fullwidth_and_invisible, [], "accepted", 0,
        values={"TG_TIEP_NHAN": 5, "TG_PHAN_LOAI": 5, "TG_KHOI_TO": 2, "TG_TON_DAU_KY": 2}),
    # --- what a clerk types -------------------------------------------------------------------------
    "numbers as Vietnamese text": Case(
        hostile.numbers_vietnamese, [("text-number", TT_SHEET, "E9"), ("text-number", TT_SHEET, "E6"),
                                     ("text-number", "TH Tập huấn", "E6")], "accepted", 0,
        values={"TT_LUOT_NGUOI": 1320, "TT_TIN_BAI": 15, "TH_LUOT_CAN_BO": 1045}),
    "numbers as English text": Case(hostile.numbers_english, [("text-number", TT_SHEET, "E9")],
                                    "accepted", 0, values={"TT_LUOT_NGUOI": 1320000}),
    # "1,320" is 1320 to an English-locale clerk and 1,32 to a Vietnamese reader: refused,
    # with how to type it, never read as either.
    "English thousands, one comma": Case(
        hostile.numbers_english_thousands, [("ambiguous-number", TT_SHEET, "E9")], "rejected", 1),
    # Exact decimal arithmetic: a float would round this to the whole 320.
    "a fraction a float would round away": Case(
        hostile.numbers_fraction_hidden_by_float, [("not-whole", TT_SHEET, "E9")], "rejected", 1),
    "non-breaking, full-width, zero-width": Case(
        hostile.numbers_unicode_spaces, [("text-number", TT_SHEET, c) for c in ("E9", "E6", "E7", "E8")],
        "accepted", 0, values={"TT_LUOT_NGUOI": 320, "TT_TIN_BAI": 1234, "TT_MANG_XA_HOI": 30,
                               "TT_BUOI_CONG_DONG": 4}),
    "full-width period": Case(hostile.period_fullwidth, [], "accepted", 0),
    "period as a date cell": Case(hostile.period_as_date_cell, [], "accepted", 0),
    "period outside the plan": Case(hostile.period_out_of_coverage,
                                    [("period-out-of-coverage", COVER, "E6"),
                                     ("name-mismatch", None, None)], "out_of_span", 1),
    "unknown agency": Case(hostile.unknown_agency, [("unknown-agency", COVER, "E5")], "rejected", 1),
    "agency name decomposed (NFD)": Case(hostile.agency_decomposed, [], "accepted", 0),
    # Rich console markup typed as the agency prints as typed (it used to crash `kpi validate`).
    "console markup as agency": Case(hostile.agency_markup, [("unknown-agency", COVER, "E5")],
                                     "rejected", 1),
    # Terminal escape sequences typed in a cell are quoted as \x1b, never sent to the terminal.
    "terminal escapes as agency": Case(hostile.agency_escape_sequence,
                                       [("unknown-agency", COVER, "E5")], "rejected", 1),
    # --- trust (issue 10): never a number a thousand times off -----------------------------------
    "2,000 and 15,000 typed on an English-locale PC": Case(
        hostile.numbers_comma_thousands, [("ambiguous-number", TT_SHEET, "E9"),
                                          ("ambiguous-number", TT_SHEET, "E6")], "rejected", 1),
    "2,500: a thousand apart either way": Case(
        hostile.numbers_comma_ambiguous_fraction, [("ambiguous-number", TT_SHEET, "E9")], "rejected", 1),
    "2,000,000: only one reading": Case(hostile.numbers_comma_millions, [("text-number", TT_SHEET, "E9")],
                                        "accepted", 0, values={"TT_LUOT_NGUOI": 2_000_000}),
    # --- trust: a date sent that cannot be true never decides which file counts -------------------
    "date sent 31/12/9999 (a date cell)": Case(hostile.date_far_future_cell,
                                               [("implausible-date", COVER, "E9")], "rejected", 1),
    "date sent 31/12/2999 (typed)": Case(hostile.date_far_future_text,
                                         [("implausible-date", COVER, "E9")], "rejected", 1),
    "date sent in 2052": Case(hostile.date_year_2052, [("implausible-date", COVER, "E9")], "rejected", 1),
    "date sent before the month began": Case(hostile.date_before_the_period,
                                             [("implausible-date", COVER, "E9")], "rejected", 1),
    # --- trust: a formula error is said as such, not "blank" -----------------------------------------
    "formula errors #DIV/0! and #N/A": Case(hostile.error_values, [("formula-error", T, "E6"),
                                                                   ("formula-error", T, "E8")],
                                            "rejected", 1),
    "#REF! typed or pasted as text": Case(hostile.error_typed_as_text, [("formula-error", T, "E6")],
                                          "rejected", 1),
    # --- trust: the file name and the cover sheet disagree: the cover decides, the warning shows it
    "named for October, says September": Case(hostile.period_of_another_month,
                                              [("name-mismatch", None, None)], "out_of_span", 0),
    "named for BDBP, says CA_TINH": Case(hostile.name_of_another_agency, [("name-mismatch", None, None)],
                                         "accepted", 0, name="BDBP_2024-10.xlsx",
                                         values={"TG_TIEP_NHAN": 5}),
    # --- trust: what one file may cost -------------------------------------------------------------
    "10 MB of text in one value cell": Case(hostile.ten_megabytes_in_a_cell,
                                            [("not-a-number", TT_SHEET, "E9")], "rejected", 1),
    "10 MB of text named by four cells": Case(hostile.ten_megabytes_in_many_cells,
                                              [("too-large-file", None, None)], "rejected", 2),
    "200,000 rows with a code": Case(hostile.many_code_rows, [("too-large-file", None, None)], "rejected", 2),
    "120,000 filled cells": Case(hostile.many_filled_cells, [("too-large-file", None, None)], "rejected", 2),
    "a part 1,000 times its packed size": Case(hostile.ratio_bomb_part, [("too-large-file", None, None)],
                                               "rejected", 2),
    # --- trust: every part any library of ours parses is guarded -----------------------------------
    "an entity in docProps/core.xml": Case(hostile.entity_in_core_properties,
                                           [("unreadable-file", None, None)], "rejected", 2),
    "a DTD in a UTF-16 styles part": Case(hostile.dtd_in_utf16_styles, [("unreadable-file", None, None)],
                                          "rejected", 2),
    "a sheet pointing outside the file": Case(hostile.sheet_outside_the_file,
                                              [("unreadable-file", None, None)], "rejected", 2),
    # --- trust: what a marked copy must keep and must not -------------------------------------------
    "formulas reaching outside (cached results)": Case(
        hostile.formulas_reaching_out, [], "accepted", 0, values={"TG_TIEP_NHAN": 5, "TG_PHAN_LOAI": 5}),
    "a web-service formula saved without its result": Case(
        hostile.unsafe_formula_without_value, [("formula-without-value", T, "E6")], "rejected", 1),
    "escapes and a right-to-left override in a sheet name": Case(
        hostile.escapes_in_sheet_names,
        [("not-a-number", "TT_x001B_[2J_x001B_]0;PWN_x0007_\u202eTruyền", "E6")], "rejected", 1),
    "two sheets whose names differ only in case": Case(
        hostile.case_twin_sheets, [("not-a-number", "tt truyền thông", "E5")], "rejected", 1),
    "a date cell holding -5": Case(hostile.negative_date_serial, [("bad-date", COVER, "E9")], "accepted", 0),
    "escapes and an override in the file name": Case(
        hostile.xlsx_named_xls, [], "accepted", 0, name="CA_TINH_2024-10\x1b[2J\u202egpj.xlsx"),
    # --- file names ---------------------------------------------------------------------------------
    "spaces and Vietnamese letters in the name": Case(
        hostile.xlsx_named_xls, [], "accepted", 0, name="Báo cáo tháng 10 – Công an tỉnh (bản 2).xlsx"),
    "decomposed (NFD) file name": Case(
        hostile.xlsx_named_xls, [], "accepted", 0, name=nfd("Công an tỉnh tháng 10.xlsx")),
    "console markup in the name": Case(hostile.xlsx_named_xls, [], "accepted", 0,
                                       name="[bold red]CA_TINH 2024-10.xlsx"),
    "formula-like name": Case(hostile.xlsx_named_xls, [], "accepted", 0, name="+cmd @SUM(1) =1.xlsx"),
}


def problems(sub) -> list[tuple[str, str | None, str | None]]:
    return sorted((i.code, i.sheet, i.cell) for i in sub.issues)


@pytest.fixture
def corpus_case(request, base, good, tmp_path) -> tuple[Case, Path, Path]:
    """(case, the bad file, a folder holding it and the two good files)."""
    case = CASES[request.param]
    folder = tmp_path / "nop"
    folder.mkdir()
    for agency, data in good.items():
        (folder / f"{agency}_2024-10.xlsx").write_bytes(data)
    path = case.build(folder / case.name, base)
    return case, path, folder


@pytest.mark.parametrize("corpus_case", list(CASES), indirect=True)
def test_every_bad_file_gets_its_documented_answer(corpus_case, plan):
    case, path, folder = corpus_case
    before = hashes(folder)
    skipped = case.status.startswith("skipped")

    if not skipped or case.status == "skipped:not-a-spreadsheet":
        sub = validate_file(path, plan)  # how fast: benchmarks, never a timing assertion here
        assert problems(sub) == sorted(case.issues)
        for code, number in case.values.items():
            assert sub.values[code] == number
        assert sub.readable == (case.exit != 2)

    # kpi validate: the documented exit code and never a traceback.
    result = kpi("validate", path, "--format", "json")
    assert result.exit_code == case.exit, result.output
    listed = json.loads(result.stdout)
    if skipped and case.status == "skipped:lock-file":
        assert listed["files"] == [] and listed["skipped"][0]["reason"] == "lock-file"
    else:
        [entry] = listed["files"]
        assert sorted((i["code"], i["sheet"], i["cell"]) for i in entry["errors"] + entry["warnings"]) \
            == sorted(case.issues)
    table = kpi("validate", path).output  # the table as well
    if "[" in case.name and not skipped:
        # console markup in a file name is printed as it is; control characters made visible
        assert inert(case.name) in table

    # kpi aggregate over the folder: the bad file gets its status, the good ones still count.
    result = kpi("aggregate", folder, "--period", "2024-10", "--format", "json")
    assert result.exit_code == 1  # 3 of 24 agencies reported: KPI_DUNG_HAN is not met
    data = json.loads(result.stdout)
    statuses = {Path(s["file"]).name: s["status"] for s in data["submissions"]}
    for agency in GOOD:
        assert statuses.pop(f"{agency}_2024-10.xlsx") == "accepted"
    if skipped:
        assert statuses == {}
        assert {(Path(s["file"]).name, s["reason"]) for s in data["skipped"]} == {
            (case.name, case.status.split(":", 1)[1])}
    else:
        assert statuses == {case.name: case.status}
    totals = data["totals"]
    assert totals["TTO_VU_THU_LY_MOI"] == 2 and totals["XX_VU_THU_LY_MOI"] == 2  # VKS and TAND
    if case.status == "accepted":
        for code, number in case.values.items():  # the bad file's number plus the good files'
            assert totals[code] == number + sum(
                PLAUSIBLE[code] for agency in GOOD
                if code in {e.code for e in plan.elements_for_agency(plan.agency_by_code[agency])})
    else:
        assert totals["TG_TIEP_NHAN"] == 0  # nothing of a refused file is counted
    # (the table of `kpi aggregate` is printed for the whole corpus at once, further down)

    assert hashes(folder) == before  # input bytes unchanged


# --- the limits themselves -----------------------------------------------------------------------

def test_a_zip_bomb_is_small_refused_and_never_opened(base, plan, tmp_path, monkeypatch):
    import python_calamine

    bomb = hostile.zip_bomb(tmp_path / "CA_TINH_2024-10.xlsx", base)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 3 * hostile.GiB
        with archive.open(hostile.worksheet_part(base, TG_SHEET)) as part:
            assert part.read(1 << 20) == b"0" * (1 << 20)  # it really expands to zeros

    def never(*args, **kwargs):
        raise AssertionError("the reader was given a zip bomb")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", never)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)
    sub = validate_file(bomb, plan)  # the reader is never given it (above): nothing expands
    assert [i.code for i in sub.issues] == ["too-large-file"]
    assert "100 MB" in sub.issues[0].message("en") and "100 MB" in sub.issues[0].message("vi")


def test_the_deflated_zeros_and_their_checksum_are_right():
    data, crc = hostile.deflated_zeros(8 << 20)
    expanded = zlib.decompressobj(-15).decompress(data)
    assert expanded == b"0" * (8 << 20)
    assert crc == zlib.crc32(expanded)


def test_the_billion_laughs_never_expand(base, plan, tmp_path):
    path = hostile.billion_laughs(tmp_path / "CA_TINH_2024-10.xlsx", base)
    assert path.stat().st_size < 100_000
    sub = validate_file(path, plan)
    assert "DTD" in sub.issues[0].message("en")  # refused before any parser sees it
    assert "lollol" not in sub.issues[0].message("en")


def test_an_external_entity_is_never_fetched(base, plan, tmp_path):
    sub = validate_file(hostile.external_entity(tmp_path / "CA_TINH_2024-10.xlsx", base), plan)
    assert "root:" not in sub.issues[0].message("en") and sub.reporter == ""


@pytest.mark.parametrize(("rows", "cols", "refused"), [(100, 10, False), (101, 10, True),
                                                       (1000, 1, False), (1, 1001, True)])
def test_the_cell_limit_counts_from_a1_to_the_farthest_cell(base, plan, tmp_path, monkeypatch,
                                                             rows, cols, refused):
    from kpi import container

    monkeypatch.setattr(container, "MAX_SHEET_CELLS", 1000)
    path = tmp_path / "CA_TINH_2024-10.xlsx"
    import shutil

    shutil.copy(base, path)
    with editing(path) as wb:
        wb.create_sheet("Phụ lục").cell(rows, cols, "x")
    sub = validate_file(path, plan)
    if refused:
        assert [i.code for i in sub.issues] == ["too-large-file"]
        assert "'Phụ lục'" in sub.issues[0].message("vi")  # the sheet's name, not its zip part
    else:
        assert sub.issues == []


@pytest.mark.parametrize(("xml", "extent"), [
    (b'<sheetData><row r="3"><c r="B3"/><c r="F3"/></row></sheetData>', (3, 6)),
    # without addresses, a row or cell is the next one
    (b"<sheetData><row><c/><c/></row><row><c/></row></sheetData>", (2, 2)),
    (b'<sheetData><row r="10"><c/></row><row><c r="C"/><c/></row></sheetData>', (11, 4)),
    # a row numbered back still counts as the rows seen so far
    (b'<sheetData><row/><row/><row/><row r="1"><c/></row></sheetData>', (4, 1)),
    # namespace prefixes, and '>' inside an attribute value cannot hide an address
    (b'<x:sheetData><x:row r="1"><x:c t=">" r="XFD1048576"/></x:row></x:sheetData>', (1048576, 16384)),
])
def test_the_extent_of_a_worksheet_is_bounded_from_above(xml, extent):
    from kpi.container import _xlsx_extent

    assert _xlsx_extent(xml) == extent


def test_an_ods_with_repeated_empty_rows_is_fine_and_repeated_values_are_counted(tmp_path, plan):
    from kpi.container import _ods_extents

    # LibreOffice writes the unused rest of a sheet as repeated empty rows and cells.
    empty_tail = ('<table:table-row table:number-rows-repeated="1048570">'
                  '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    valued = '<table:table-cell office:value-type="float" office:value="1"/>'
    content = (f'<table:table><table:table-row>{valued}{valued}</table:table-row>{empty_tail}'
               '</table:table><table:table><table:table-row table:number-rows-repeated="3">'
               f'<table:table-cell table:number-columns-repeated="4"/>{valued}</table:table-row>'
               '</table:table>').encode()
    assert _ods_extents(content)[0] == [("table 1", 1, 2), ("table 2", 3, 5)]
    path = hostile.write_ods(tmp_path / "x.ods", [
        '<table:table-row><table:table-cell office:value-type="string"><text:p>META_AGENCY'
        '</text:p></table:table-cell></table:table-row>' + empty_tail])
    assert [i.code for i in validate_file(path, plan).issues] != ["too-large-file"]


# --- folders -------------------------------------------------------------------------------------

def test_two_files_for_the_same_agency_and_month_the_later_counts(base, good, plan, tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    first = folder / "CA_TINH_2024-10.xlsx"
    first.write_bytes(base.read_bytes())
    second = folder / "CA_TINH_2024-10 gửi lại.xlsx"
    second.write_bytes(base.read_bytes())
    with editing(second) as wb:
        set_value(wb, "META_SUBMITTED", datetime(2024, 10, 17, 8, 0))
        set_value(wb, "TG_TIEP_NHAN", 7)
        set_value(wb, "TG_PHAN_LOAI", 7)
    before = hashes(folder)
    data = json.loads(kpi("aggregate", folder, "--period", "2024-10", "--format", "json").stdout)
    statuses = {Path(s["file"]).name: (s["status"], s["replaced_by"]) for s in data["submissions"]}
    assert statuses == {first.name: ("superseded", str(second)), second.name: ("accepted", None)}
    assert data["totals"]["TG_TIEP_NHAN"] == 7  # never 5 + 7
    assert hashes(folder) == before


def test_a_folder_with_no_valid_file(base, plan, tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    hostile.text_named_xlsx(folder / "CA_TINH_2024-10.xlsx", base)
    hostile.empty_file(folder / "BDBP_2024-10.xlsx", base)
    hostile.csv_file(folder / "VKS.csv", base)
    hostile.excel_lock_file(folder / "~$CA_TINH_2024-10.xlsx", base)
    before = hashes(folder)
    # Without --period there is no month to roll up: a message and exit 2.
    result = kpi("aggregate", folder)
    assert result.exit_code == 2 and result.output.strip()
    # With one, every expected file is missing and the two unreadable ones are rejected.
    result = kpi("aggregate", folder, "--period", "2024-10", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {s["status"] for s in data["submissions"]} == {"rejected"}
    assert data["completeness"]["received"] == 0 and len(data["completeness"]["missing"]) == 24
    assert {s["reason"] for s in data["skipped"]} == {"lock-file", "not-a-spreadsheet"}
    # An empty folder holds nothing to roll up, with a period or without: a message, exit 2
    # (tests/test_first_week.py has the wording).
    empty = tmp_path / "trong"
    empty.mkdir()
    assert kpi("aggregate", empty).exit_code == 2
    assert kpi("aggregate", empty, "--period", "2024-10").exit_code == 2
    assert hashes(folder) == before


def test_the_whole_corpus_in_one_folder_through_the_real_command(base, good, plan, tmp_path):
    """Every bad file at once, with the good ones, through the console script: one message per
    problem, no traceback, the good files counted, the report and feedback written, inputs intact."""
    folder = tmp_path / "nop"
    folder.mkdir()
    for agency, data in good.items():
        (folder / f"{agency}_2024-10.xlsx").write_bytes(data)
    for n, case in enumerate(CASES.values()):
        sub = folder / f"{n:02d}"  # one folder each: several cases share a file name
        sub.mkdir()
        case.build(sub / case.name, base)
    before = hashes(folder)
    out = tmp_path / "bao cao" / "tổng hợp.xlsx"
    done = subprocess.run(
        [sys.executable, "-c", "from kpi.cli import run; run()", "aggregate", str(folder),
         "--period", "2024-10", "--out", str(out), "--feedback", str(tmp_path / "phan hoi")],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "VKS_2024-10.xlsx" not in done.stdout.split("Bị trả lại")[-1]  # the good are not returned
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 7
    assert hashes(folder) == before


# --- the report: submission text stays text -----------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def _as_text(wb, code: str, value: str) -> None:
    """Type ``value`` as Excel stores text typed with a leading apostrophe: a string cell."""
    from workbooks import row_of, sheet_with

    ws = sheet_with(wb, code)
    cell = ws.cell(row_of(ws, code), 5)
    cell.value = value
    cell.data_type = "s"


def test_formula_like_text_from_submissions_stays_text_in_the_report(base, good, plan, tmp_path):
    folder = tmp_path / "nop"
    folder.mkdir()
    for agency, data in good.items():
        (folder / f"{agency}_2024-10.xlsx").write_bytes(data)
    for n, (payload, agency) in enumerate(zip(PAYLOADS, ("CA_TINH", "BDBP", "STP"), strict=True)):
        # a file whose reporter and a note are the payload, on a sheet named like a formula
        path = folder / f"{agency}_2024-10.xlsx"
        fill_template(plan, agency, valid_values(plan, agency), path, "2024-10")
        with editing(path) as wb:
            _as_text(wb, "META_REPORTER", payload)
            ws = wb[TT_SHEET]
            ws["F6"].value = payload + " (ghi chú)"
            ws["F6"].data_type = "s"
            ws.title = ["=HYPERLINK(1)", "+cmd", "@SUM(A1)"][n]
            set_value(wb, "TT_TIN_BAI", "5 vụ")  # an error on that sheet: listed with its name
        # a file whose agency is the payload: unknown, listed in the problems sheet
        other = folder / f"X_{n}.xlsx"
        fill_template(plan, "SYT", valid_values(plan, "SYT"), other, "2024-10")
        with editing(other) as wb:
            _as_text(wb, "META_AGENCY", payload)
    out = tmp_path / "report.xlsx"
    result = kpi("aggregate", folder, "--period", "2024-10", "--out", out)
    assert result.exit_code == 1

    book = openpyxl.load_workbook(out)
    texts: dict[str, list[tuple[str, str]]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    if cell.value[:1] in "=+-@":
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    texts.setdefault(cell.value, []).append((ws.title, cell.coordinate))
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    messages = " ".join(v for v in texts if "'" in v)
    for payload in PAYLOADS:
        assert payload in texts, payload  # the reporter, as typed, as text
        assert payload in messages  # the unknown agency, quoted in its message
    for sheet in ("=HYPERLINK(1)", "+cmd", "@SUM(A1)"):
        assert sheet in texts  # the sheet named like a formula, in the problems sheet
    # Notes are not copied into the report at all.
    assert not any("(ghi chú)" in v for v in texts)


# --- the output file -----------------------------------------------------------------------------

def test_an_output_path_under_a_file_is_refused_with_a_message(small_folder, tmp_path):
    before = hashes(small_folder)
    target = small_folder / "VKS_2024-10.xlsx" / "report.xlsx"  # a folder that is a file
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", target)
    assert result.exit_code == 2
    assert "VKS_2024-10.xlsx là một tệp, không phải thư mục" in " ".join(result.output.split())
    assert hashes(small_folder) == before


def test_an_output_path_in_proc_is_refused_with_a_message(small_folder):
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", "/proc/kpi-bao-cao.xlsx")
    assert result.exit_code == 2
    assert "Không ghi được" in result.output
    assert not Path("/proc/kpi-bao-cao.xlsx").exists()


def test_an_output_path_that_is_a_submission_is_refused_with_a_message(small_folder):
    before = hashes(small_folder)
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", small_folder / "VKS_2024-10.xlsx")
    assert result.exit_code == 2  # it used to end in a ValueError traceback
    assert "thư mục báo cáo nộp" in " ".join(result.output.split())  # issue 21.2
    # Named as a file, not inside a folder being read: still refused, as a submission of the run.
    result = kpi("aggregate", *sorted(small_folder.glob("*.xlsx")), "--period", "2024-10",
                 "--out", small_folder / "VKS_2024-10.xlsx")
    assert result.exit_code == 2 and "Không ghi được" in result.output
    assert hashes(small_folder) == before


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kpi-"))


def test_an_existing_report_is_replaced_whole_or_not_at_all(small_folder, tmp_path, monkeypatch):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "report.xlsx"
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--out", out).exit_code == 1
    last_month = out.read_bytes()  # kpi's own report: the only kind kpi replaces

    def half_then_disk_full(fd, data):
        os.write(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kpi.xlsx._write_all", half_then_disk_full)
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", out)
    assert result.exit_code == 2 and "Không ghi được" in result.output
    assert out.read_bytes() == last_month
    assert _temp_files(out_dir) == []

    monkeypatch.undo()
    result = kpi("aggregate", small_folder, "--period", "2024-10", "--out", out)
    assert result.exit_code == 1
    assert len(openpyxl.load_workbook(out).sheetnames) == 7  # a complete new report
    assert _temp_files(out_dir) == [] and sorted(p.name for p in out_dir.iterdir()) == ["report.xlsx"]


def test_ctrl_c_while_the_report_is_written_exits_130_and_keeps_the_old_report(small_folder, tmp_path,
                                                                               monkeypatch, capsys):
    """In-process: the save is interrupted half way (KeyboardInterrupt), as Ctrl-C would."""
    from kpi.cli import run

    out = tmp_path / "report.xlsx"
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--out", out).exit_code == 1
    last_month = out.read_bytes()

    def interrupted(fd, data):
        os.write(fd, data[: len(data) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr("kpi.xlsx._write_all", interrupted)
    monkeypatch.setattr(sys, "argv", ["kpi", "aggregate", str(small_folder), "--period", "2024-10",
                                      "--out", str(out)])
    with pytest.raises(SystemExit) as stop:
        run()
    assert stop.value.code == 130
    assert "Traceback" not in capsys.readouterr().err
    assert out.read_bytes() == last_month
    assert _temp_files(tmp_path) == []


def _slow_report_writer(marker: Path) -> str:
    """A `kpi` run whose report write stops half way (marker written) for a minute."""
    return ("import os, sys, time\n"
            "import kpi.xlsx\n"
            "def slow(fd, data):\n"
            "    os.write(fd, data[: len(data) // 2])\n"
            f"    open({str(marker)!r}, 'w').close()\n"
            "    time.sleep(60)\n"
            "kpi.xlsx._write_all = slow\n"
            "from kpi.cli import run\n"
            "run()\n")


def _run_until_writing(script: str, args: list[str], marker: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the report was never written"
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_signal_to_the_real_command_while_it_writes(small_folder, tmp_path, how):
    """A real signal to a running `kpi aggregate --out` while the new report is half written:
    Ctrl-C and a polite kill exit with one line; even kill -9 leaves the previous report
    intact and no temporary file, because the report is written into a file without a name
    until it is complete."""
    out = tmp_path / "report.xlsx"
    assert kpi("aggregate", small_folder, "--period", "2024-10", "--out", out).exit_code == 1
    last_month = out.read_bytes()
    marker = tmp_path / "writing"
    before = hashes(small_folder)
    process = _run_until_writing(_slow_report_writer(marker), [
        "aggregate", str(small_folder), "--period", "2024-10", "--out", str(out)], marker)
    try:
        assert _temp_files(tmp_path) == []  # nothing with a name while it is written
        process.send_signal(how)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Traceback" not in stdout + stderr
    if how == signal.SIGINT:
        assert process.returncode == 130 and "Đã dừng (Ctrl-C)." in stderr
    elif how == signal.SIGTERM:
        assert process.returncode == 143 and "Đã dừng" in stderr
    else:
        assert process.returncode == -signal.SIGKILL
    assert out.read_bytes() == last_month
    assert _temp_files(tmp_path) == []
    assert hashes(small_folder) == before


# --- formats only LibreOffice writes -------------------------------------------------------------

@pytest.fixture(scope="session")
def libreoffice_files(base, soffice, tmp_path_factory) -> dict[str, Path]:
    """One LibreOffice session saves: .xls, .ods and .xlsm copies of the base file, the three
    with a password, a file whose formula LibreOffice computed and saved, an .xls renamed .xlsx,
    an .xls with a cell in its last row and column, and a one-cell .xls (its workbook stream is
    small enough to sit in the OLE container's mini stream)."""
    python = find_uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module (python3-uno): password-protected "
                    "and macro-enabled files from LibreOffice are not tested")
    folder = tmp_path_factory.mktemp("libreoffice")
    formula = folder / "formula_source.xlsx"
    formula.write_bytes(base.read_bytes())
    with editing(formula) as wb:
        set_value(wb, "TG_TIEP_NHAN", "=2+3")
    far = folder / "far_source.xlsx"
    far.write_bytes(base.read_bytes())
    with editing(far) as wb:
        wb[TT_SHEET]["IV65536"] = 1
    tiny = folder / "tiny_source.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Báo cáo"
    book.save(tiny)
    excel, excel97, calc, vba = ("Calc MS Excel 2007 XML", "MS Excel 97", "calc8",
                                 "Calc MS Excel 2007 VBA XML")
    saves = {
        "CA_TINH_2024-10.xls": (base, excel97, None),
        "CA_TINH_2024-10.ods": (base, calc, None),
        "CA_TINH_2024-10.xlsm": (base, vba, None),
        "encrypted.xlsx": (base, excel, "mật-khẩu"),
        "encrypted.xls": (base, excel97, "mật-khẩu"),
        "encrypted.ods": (base, calc, "mật-khẩu"),
        "formula.xlsx": (formula, excel, None),
        "xls_named.xlsx": (base, excel97, None),
        "far.xls": (far, excel97, None),
        "tiny.xls": (tiny, excel97, None),
    }
    job = {"soffice": soffice[0], "profile": soffice[1],
           "saves": [[str(src), str(folder / name), flt, pw] for name, (src, flt, pw) in saves.items()]}
    job_file = folder / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run([python, str(HERE / "lo_save.py"), str(job_file)], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return {name: folder / name for name in saves}


LIBREOFFICE_CASES = {
    # name: (issue codes, agency read, exit of kpi validate); values are the base file's
    "CA_TINH_2024-10.xls": ([], "CA_TINH", 0),
    "CA_TINH_2024-10.ods": ([], "CA_TINH", 0),
    "CA_TINH_2024-10.xlsm": ([], "CA_TINH", 0),
    "encrypted.xlsx": (["encrypted-file"], None, 2),
    "encrypted.xls": (["encrypted-file"], None, 2),
    "encrypted.ods": (["encrypted-file"], None, 2),
    "formula.xlsx": ([], "CA_TINH", 0),  # the formula counts by the result LibreOffice saved
    "xls_named.xlsx": ([], "CA_TINH", 0),  # legacy content under a new name: read by content
    "far.xls": (["too-large-file"], None, 2),  # 65,536 x 256 cells: the .xls format's own bound
    "tiny.xls": (["not-a-template"], None, 1),  # read through the mini stream
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LIBREOFFICE_CASES))
def test_files_saved_by_libreoffice(libreoffice_files, plan, name, good, tmp_path):
    codes, agency, exit_code = LIBREOFFICE_CASES[name]
    path = libreoffice_files[name]
    before = sha256(path)
    sub = validate_file(path, plan)
    assert [i.code for i in sub.issues] == codes
    assert sub.agency == agency
    if agency:
        assert sub.values["TG_TIEP_NHAN"] == 5 and sub.values["TT_LUOT_NGUOI"] == 320
    assert kpi("validate", path).exit_code == exit_code
    folder = tmp_path / "nop"
    folder.mkdir()
    for other, data in good.items():
        (folder / f"{other}_2024-10.xlsx").write_bytes(data)
    (folder / name).write_bytes(path.read_bytes())
    data = json.loads(kpi("aggregate", folder, "--period", "2024-10", "--format", "json").stdout)
    statuses = {Path(s["file"]).name: s["status"] for s in data["submissions"]}
    assert statuses == {name: "accepted" if agency else "rejected", "VKS_2024-10.xlsx": "accepted",
                        "TAND_2024-10.xlsx": "accepted"}
    assert sha256(path) == before


@pytest.mark.slow
def test_an_xls_past_the_cell_limit_is_refused_from_its_records_and_as_it_is_read(
        libreoffice_files, plan, monkeypatch):
    """The cell records of an .xls are checked before the reader builds its sheets; each sheet
    is checked again, as read, before its cells become Python objects."""
    from kpi import container

    monkeypatch.setattr(container, "MAX_SHEET_CELLS", 50)
    path = libreoffice_files["CA_TINH_2024-10.xls"]
    assert [i.code for i in validate_file(path, plan).issues] == ["too-large-file"]
    monkeypatch.setattr(container, "_check_xls_extent", lambda data: None)
    assert [i.code for i in validate_file(path, plan).issues] == ["too-large-file"]


# --- fuzzing the parsers -------------------------------------------------------------------------

ANY_CELL = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(), st.binary(), st.dates(), st.datetimes(),
                     st.text(alphabet="0123456789.,  -\u00a0\u202f\u200b１２３４５６７８９０−",
                             max_size=30))


@FUZZ
@given(ANY_CELL)
def test_parse_count_never_raises_and_says_why(raw):
    parsed = parse_count(raw)
    assert (parsed.value is None) == (parsed.problem is not None)
    assert parsed.problem in (None, "missing-value", "not-a-number", "not-whole", "negative", "too-large",
                              "ambiguous-number")
    if parsed.value is not None:
        assert isinstance(parsed.value, int) and 0 <= parsed.value <= 10**15


def vietnamese(n: int, sep: str = ".") -> str:
    return f"{n:,}".replace(",", sep)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


COUNTS = st.integers(min_value=0, max_value=10**15)


@FUZZ
@given(COUNTS, st.sampled_from([".", " ", "\u00a0", "\u202f"]), st.booleans(),
       st.sampled_from(["", " ", "\u00a0"]))
def test_a_count_typed_with_vietnamese_grouping_reads_back(n, sep, wide, pad):
    text = vietnamese(n, sep)
    if wide:
        text = fullwidth(text)
    parsed = parse_count(pad + text + pad)
    assert (parsed.value, parsed.problem, parsed.from_text) == (n, None, True)


@FUZZ
@given(st.integers(min_value=10**6, max_value=10**15))
def test_a_count_typed_with_english_grouping_reads_back_from_a_million(n):
    assert parse_count(f"{n:,}").value == n


@FUZZ
@given(COUNTS)
def test_a_count_in_a_number_cell_reads_back(n):
    assert parse_count(n) == parse_count(float(n)) and parse_count(n).value == n


@FUZZ
@given(COUNTS, st.text(alphabet="0123456789", min_size=1, max_size=20), st.sampled_from([",", "."]))
def test_a_fraction_is_never_a_count(n, digits, mark):
    assume(digits.strip("0"))
    text = f"{n}{mark}{digits}"
    if mark == "." and len(digits) == 3 and n < 1000:
        return  # "1.234" is Vietnamese grouping: one thousand two hundred thirty-four
    # 0,001 is also a thousand in English: refused as ambiguous, never read as a count
    assert parse_count(text).problem in ("not-whole", "too-large", "ambiguous-number")


@FUZZ
@given(st.integers(min_value=1, max_value=10**15))
def test_a_negative_count_is_negative(n):
    assert parse_count(f"-{vietnamese(n)}").problem == "negative"
    assert parse_count(-n).problem == "negative"


CODES = st.sampled_from(["TG_TIEP_NHAN", "TG_PHAN_LOAI", "NN_XAC_DINH", "A_B"])


def expressions(depth: int = 3):
    """(source text, value) pairs of arithmetic over codes and whole numbers."""
    leaf = st.one_of(
        st.integers(min_value=0, max_value=10**6).map(lambda n: (str(n), n)),
        CODES.map(lambda c: (c, VALUES[c])))
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*"]), sub).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})",
                       {"+": t[0][1] + t[2][1], "-": t[0][1] - t[2][1], "*": t[0][1] * t[2][1]}[t[1]])),
        sub.map(lambda s: (f"-{s[0]}", -s[1])))


VALUES = {"TG_TIEP_NHAN": 7, "TG_PHAN_LOAI": 5, "NN_XAC_DINH": 0, "A_B": 123456}


@FUZZ
@given(expressions(), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), expressions())
def test_generated_expressions_evaluate_as_written(left, op, right):
    assert evaluate(parse(left[0]), VALUES) == left[1]
    import operator

    compare = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
               "==": operator.eq, "!=": operator.ne}[op]
    expr = parse(f"{left[0]} {op} {right[0]}")
    assert evaluate(expr, VALUES) is compare(left[1], right[1])
    assert set(expr.names) <= set(VALUES)


EXPR_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["A", "B_C", "1", "0", "9" * 400, "1e308", ".", "+", "-", "*", "/", "**",
                              "(", ")", "<", "<=", "==", " ", "__import__", "'x'", "[", "]", "lambda",
                              ":", ",", "if", "not", "and", "\x00", "\n"]), max_size=60).map("".join),
    st.integers(min_value=1, max_value=400).map(lambda n: "(" * n + "A" + ")" * n),
    st.integers(min_value=1, max_value=1000).map(lambda n: "-" * n + "A"),
    st.integers(min_value=1, max_value=1000).map(lambda n: " + ".join(["A"] * n)),
)


@FUZZ
@given(EXPR_TEXT, st.floats(allow_nan=False) | st.integers(min_value=-10**20, max_value=10**20))
def test_parse_raises_only_expr_error_and_evaluate_never_raises(text, value):
    try:
        expr = parse(text)
    except ExprError:
        return
    result = evaluate(expr, {"A": value, "B_C": 3})
    assert result is None or isinstance(result, (int, float, bool))


def test_numbers_too_large_for_a_float_evaluate_to_none():
    assert evaluate(parse("1" + "0" * 400 + " / 3"), {}) is None
    assert evaluate(parse("A + 1" + "0" * 400), {"A": 0.5}) is None


def test_deep_nesting_is_refused_before_evaluation():
    with pytest.raises(ExprError, match="nested"):
        parse("-" * 500 + "A")


SPAN_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["2024", "1900", "2999", "3000", "0000", "-", "..", "Q", "H", "1", "4", "0",
                              "12", "13", "/", " ", "q", "h", "２０２５"]), max_size=8).map("".join))


@FUZZ
@given(SPAN_TEXT)
def test_parse_span_raises_only_period_error(text):
    try:
        span = parse_span(text)
    except PeriodError:
        return
    assert span.months and list(span.months) == sorted(span.months)
    span.window(14)  # and its calendar window can always be computed


YEARS = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)


@FUZZ
@given(YEARS, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=31))
def test_every_month_code_of_the_supported_years_round_trips(year, month, cutoff):
    code = f"{year}-{month:02d}"
    span = parse_span(code)
    assert span.months == (code,)
    start, end = span.window(cutoff)
    assert start <= end
    assert parse_span(f"{year}-Q{(month - 1) // 3 + 1}").months[(month - 1) % 3] == code
    assert parse_span(f"{year}-H{(month - 1) // 6 + 1}").months[(month - 1) % 6] == code
    assert parse_span(str(year)).months[month - 1] == code
    assert parse_span(f"{year}-01..{code}").last == code
    assert parse_month_value(f"{month}/{year}") == code == parse_month_value(code)
    assert parse_month_value(date(year, month, 1)) == code


@FUZZ
@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_a_date_typed_day_first_reads_back(day):
    assert parse_date_value(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert parse_date_value(f"{day.day}.{day.month}.{day.year}") == day
    assert parse_date_value(day.isoformat()) == day
    assert parse_date_value(datetime(day.year, day.month, day.day, 9, 30)) == day


@FUZZ
@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789/.-T: ", max_size=25), st.none(),
                 st.integers(), st.floats(), st.datetimes(), st.dates()))
def test_month_and_date_values_never_raise(value):
    month = parse_month_value(value)
    assert month is None or parse_span(month).months == (month,)
    day = parse_date_value(value)
    assert day is None or isinstance(day, date)


def test_edges_of_the_supported_years():
    assert len(parse_span("2999").months) == 12  # used to step past December 2999
    assert parse_span("2999-Q4").last == "2999-12"
    assert parse_span("1900-01").window(14)[0] == date(1899, 12, 15)
    assert parse_date_value("01/01/0001") is None  # a slip, not a date sent
    with pytest.raises(PeriodError):
        parse_span("2024-01..2024-03..2024-05")


def test_every_issue_code_is_in_the_readme_table():
    from kpi.issues import CATALOGUE

    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    assert [code for code in CATALOGUE if f"| `{code}` |" not in readme] == []


def test_a_panic_of_the_reader_is_an_unreadable_file_not_a_traceback(base, plan, tmp_path, monkeypatch):
    """Were a damaged record to get past the checks, the reader panics (pyo3's PanicException,
    a BaseException): the file is still one unreadable file among others."""
    from kpi import container

    monkeypatch.setattr(container, "_check_xls_extent", lambda data: None)
    sub = validate_file(hostile.xls_bad_merge(tmp_path / "CA_TINH_2024-10.xls", base), plan)
    assert [i.code for i in sub.issues] == ["unreadable-file"]


_REFS = st.one_of(
    st.tuples(st.sampled_from(["A", "E", "Z", "AA", "ZZ", "AAA", "XFD", "b", ""]),
              st.sampled_from(["1", "7", "999", "1000", "1048576", ""])).map("".join),
    st.sampled_from(["1A", "A 1", "A1 "]))
_CELL_TAGS = st.one_of(
    _REFS.map(lambda ref: f'<c r="{ref}"/>'),
    _REFS.map(lambda ref: f"<c s='1' r='{ref}'/>"),
    _REFS.map(lambda ref: f'<x:c r="{ref}"/>'),
    st.sampled_from(["<c/>", "<c>", '<c  r="A1"/>', "<c\tr='A1'/>", '<col min="1"/>']))


@given(cells=st.lists(_CELL_TAGS, max_size=8))
@settings(max_examples=300, deadline=None)
def test_the_quick_pass_lets_through_only_sheets_within_the_limit(cells):
    """The quick pass (_plainly_small) never lets through a sheet that the full scan would find
    larger than MAX_SHEET_CELLS."""
    from kpi.container import MAX_SHEET_CELLS, _plainly_small, _xlsx_extent

    xml = f"<sheetData><row r=\"1\">{''.join(cells)}</row></sheetData>".encode()
    if _plainly_small(xml):
        rows, cols = _xlsx_extent(xml)
        assert rows * cols <= MAX_SHEET_CELLS
        assert rows <= 999 and cols <= 702


def test_the_quick_pass_takes_a_filled_template_and_refuses_a_far_or_unaddressed_cell(base):
    import zipfile

    from kpi.container import _plainly_small

    with zipfile.ZipFile(base) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and all(_plainly_small(xml) for xml in sheets)
    assert not _plainly_small(b'<sheetData><row r="1"><c r="A1"/><c r="XFD1048576"/></row></sheetData>')
    assert not _plainly_small(b'<sheetData><row r="1"><c r="A1"/><c/></row></sheetData>')


def test_long_text_is_never_kept_in_the_per_process_caches():
    """Short text (codes, names, dates, sheet names) is cleaned once per process; text longer
    than CACHED_TEXT_LEN is not kept, or a few hostile files could pin megabytes in a worker."""
    from kpi import numbers, read

    long = "Ghi chú rất dài " * 5_000
    before = (numbers.clean_text.cache_info().currsize,
              read._code_of_text.cache_info().currsize,
              read.value_place.cache_info().currsize)
    assert numbers.clean_text(long + "\u200b") == long.strip()
    assert read.normalise_code(long) is None
    assert read.value_place(long, 7) == (long, "E7")
    after = (numbers.clean_text.cache_info().currsize,
             read._code_of_text.cache_info().currsize,
             read.value_place.cache_info().currsize)
    assert after == before
    assert read.value_place("TT Truyền thông", 7) is read.value_place("TT Truyền thông", 7)
    assert numbers.clean_text(" 1.234\u00a0") == "1.234"
