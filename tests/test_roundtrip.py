"""A real spreadsheet round trip through LibreOffice, the program many clerks use.

Four agencies' October: the police (a number typed as text: a warning), the procuracy (valid,
sent late), Đăk Hà district (a word for a number, a blank cell: rejected) and the border guard
(classified > received, a fraction, no reporter: rejected). The same values reach kpi twice:

- filled with openpyxl into the generated templates (the reference);
- "typed in LibreOffice": LibreOffice opens each generated blank template, a UNO script types
  the values into column E (tests/lo_fill.py) and saves it as .xlsx, .xls and .ods;
- "re-saved by LibreOffice": LibreOffice opens the openpyxl-filled files and saves them as
  .xlsx, .xls and .ods (one soffice call per format).

``kpi validate`` and ``kpi aggregate`` must print the same JSON for every copy as for the
reference, apart from file names. Then the consolidated report and the marked copies of the
rejected files (rebuilt from .xls values) print through LibreOffice on A4; that the summary
fits one page is tests/test_report.py's check. Skipped without LibreOffice; the typed route
also needs python3-uno.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workbooks import find_uno_python, pdf_pages, soffice_convert_all, valid_values

from kpi import validate_file
from kpi.cli import app
from kpi.fill import fill_template
from kpi.templates import build_template, write_atomic

pytestmark = pytest.mark.slow
MONTH = "2024-10"
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8"}
ROUTES = ("typed", "resaved")
A4 = (595, 842)


def clerks(plan) -> dict[str, dict[str, object]]:
    police = valid_values(plan, "CA_TINH")
    police["TT_TIN_BAI"] = "1.234"
    procuracy = valid_values(plan, "VKS")
    procuracy["META_SUBMITTED"] = datetime(2024, 10, 21, 8, 0)  # after the 17th: late
    district = valid_values(plan, "H_DAKHA")
    district.update(TT_BUOI_CONG_DONG="mười", TH_LOP=None)
    border = valid_values(plan, "BDBP")
    border.update(TG_TIEP_NHAN=1, TG_PHAN_LOAI=2, DT_TRUY_NA=1.5, META_REPORTER=None)
    return {"CA_TINH": police, "VKS": procuracy, "H_DAKHA": district, "BDBP": border}


def _serial(value: datetime) -> float:
    """A date as the number a spreadsheet stores (days since 30/12/1899)."""
    return (value - datetime(1899, 12, 30)).total_seconds() / 86400


@pytest.fixture(scope="module")
def folders(tmp_path_factory, plan, soffice) -> dict[str, dict[str, Path]]:
    """{"openpyxl": {"xlsx": folder}, "resaved": {fmt: folder}, "typed": {fmt: folder}}"""
    import subprocess

    root = tmp_path_factory.mktemp("roundtrip")
    values = clerks(plan)
    reference = root / "openpyxl"
    originals = [fill_template(plan, code, v, reference / f"{code}_{MONTH}.xlsx", MONTH)
                 for code, v in values.items()]
    found: dict[str, dict[str, Path]] = {"openpyxl": {"xlsx": reference}, "resaved": {}, "typed": {}}
    for fmt, filter_name in FILTERS.items():
        out = root / f"resaved-{fmt}"
        soffice_convert_all(soffice, originals, f"{fmt}:{filter_name}", out)
        found["resaved"][fmt] = out

    python = find_uno_python()
    if python is None:
        return found
    blank = root / "blank"
    job = {"soffice": soffice[0], "profile": soffice[1], "files": []}
    for code, v in values.items():
        template = blank / f"{code}_{MONTH}.xlsx"
        write_atomic(build_template(plan, plan.agency_by_code[code], MONTH), template)
        typed = {k: (_serial(x) if isinstance(x, datetime) else x) for k, x in v.items()
                 if k != "META_AGENCY"}  # prefilled and locked in the template
        outputs = []
        for fmt, filter_name in FILTERS.items():
            out = root / f"typed-{fmt}"
            out.mkdir(exist_ok=True)
            found["typed"][fmt] = out
            outputs.append([str(out / f"{code}_{MONTH}.{fmt}"), filter_name])
        job["files"].append({"template": str(template), "values": typed, "outputs": outputs})
    job_file = root / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run([python, str(Path(__file__).with_name("lo_fill.py")), str(job_file)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"LibreOffice could not fill the templates:\n{done.stderr}"
    return found


def _folder(folders, route: str, fmt: str) -> Path:
    if route == "typed" and not folders["typed"]:
        pytest.skip("python3-uno is not installed: LibreOffice cannot type into the templates "
                    "(the re-saved route still runs)")
    return folders[route][fmt]


def kpi_json(*args: object) -> tuple[int, dict]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def _names(value: object) -> object:
    """Every path in a JSON document -> its file stem, so folders and suffixes compare equal."""
    if isinstance(value, dict):
        return {k: (Path(v).stem if k in ("file", "replaced_by") and v else _names(v))
                for k, v in value.items() if k != "generated_at"}
    if isinstance(value, list):
        return [_names(v) for v in value]
    return value


def test_the_reference_files_tell_the_story(folders):
    code, data = kpi_json("aggregate", folders["openpyxl"]["xlsx"], "--period", MONTH,
                          "--format", "json")
    assert code == 1
    status = {Path(s["file"]).stem: s["status"] for s in data["submissions"]}
    assert status == {f"{a}_{MONTH}": s for a, s in (
        ("BDBP", "rejected"), ("CA_TINH", "accepted"), ("H_DAKHA", "rejected"), ("VKS", "accepted"))}
    codes = {i["code"] for i in data["issues"]}
    assert {"text-number", "not-a-number", "missing-value", "rule", "not-whole", "missing-info"} <= codes
    assert data["completeness"]["late"] == 1


@pytest.mark.parametrize("fmt", list(FILTERS))
@pytest.mark.parametrize("route", ROUTES)
def test_validate_says_the_same_of_a_libreoffice_file(folders, route, fmt):
    reference = sorted(folders["openpyxl"]["xlsx"].glob("*.xlsx"))
    copies = sorted(_folder(folders, route, fmt).glob(f"*.{fmt}"))
    assert [p.stem for p in copies] == [p.stem for p in reference]
    expected = kpi_json("validate", *reference, "--format", "json")
    code, data = kpi_json("validate", *copies, "--format", "json")
    assert code == expected[0] == 1
    assert _names(data) == _names(expected[1])


@pytest.mark.parametrize("fmt", list(FILTERS))
@pytest.mark.parametrize("route", ROUTES)
def test_aggregate_says_the_same_of_libreoffice_files(folders, route, fmt):
    expected = kpi_json("aggregate", folders["openpyxl"]["xlsx"], "--period", MONTH, "--format", "json")
    code, data = kpi_json("aggregate", _folder(folders, route, fmt), "--period", MONTH,
                          "--format", "json")
    assert code == expected[0]
    assert _names(data) == _names(expected[1])


def test_report_and_marked_copies_print_on_a4(folders, soffice, plan, tmp_path):
    """Feedback for .xls files: the copies are rebuilt from the values; they read exactly as the
    originals, and they and the consolidated report go through LibreOffice to PDF."""
    source = folders["resaved"]["xls"]
    report, feedback = tmp_path / "bao-cao.xlsx", tmp_path / "phan-hoi"
    code, data = kpi_json("aggregate", source, "--period", MONTH, "--out", report,
                          "--feedback", feedback, "--format", "json")
    assert code == 1
    copies = sorted(feedback.glob("*.kiem-tra.xlsx"))
    assert [c.name for c in copies] == [f"BDBP_{MONTH}.kiem-tra.xlsx", f"H_DAKHA_{MONTH}.kiem-tra.xlsx"]
    assert sorted(p.name for p in feedback.glob("*.txt")) == ["BDBP.txt", "H_DAKHA.txt"]
    for copy in copies:
        original = validate_file(folders["openpyxl"]["xlsx"] / copy.name.replace(".kiem-tra", ""), plan)
        again = validate_file(copy, plan)
        assert [i.to_dict("vi") for i in again.issues] == [i.to_dict("vi") for i in original.issues]
        assert again.values == original.values

    pdfs = soffice_convert_all(soffice, [report, *copies], "pdf", tmp_path / "pdf")
    for pdf in pdfs:
        sizes = pdf_pages(pdf)
        assert sizes, f"{pdf.name} has no page"
        for width, height in sizes:
            assert sorted((round(width), round(height))) == pytest.approx(A4, abs=2), pdf.name
    assert len(pdf_pages(pdfs[0])) >= 7  # every sheet of the report prints
