"""The committed templates in templates_xlsx/ are exactly what `kpi template --all` writes today.

Clerks download those files; if the plan changes and nobody regenerates them, clerks fill an
outdated form. The comparison is on content (sheets, cells, validations, protection, layout), not
bytes, because .xlsx files carry zip timestamps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from kpi import load_plan
from kpi.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "templates_xlsx"  # one folder per bundled plan, named as its file
PLANS = sorted((ROOT / "kpi" / "plans").glob("*.toml"))
FIX = ("Run `kpi template --all --plan kpi/plans/{plan}.toml --out templates_xlsx/{plan}` and commit "
       "the result.")
CASES = [(p.stem, a.code) for p in PLANS for a in load_plan(p).agencies]


def snapshot(path: Path) -> dict[str, Any]:
    """Everything a clerk sees or is held to in a template, sheet by sheet."""
    wb = openpyxl.load_workbook(path)
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
        unlocked = sorted(c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked)
        validations = sorted(
            (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank,
             dv.showErrorMessage, dv.errorTitle, dv.error, dv.showInputMessage, dv.promptTitle, dv.prompt)
            for dv in ws.data_validations.dataValidation)
        widths = {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width}
        sheets[ws.title] = {
            "cells": cells,
            "number formats": {c.coordinate: c.number_format for row in ws.iter_rows() for c in row
                               if c.number_format != "General"},
            "data validations": validations,
            "sheet protected": bool(ws.protection.sheet),
            "unlocked cells": unlocked,
            "column widths": widths,
            "paper size": ws.page_setup.paperSize,
            "print area": ws.print_area,
            "freeze panes": ws.freeze_panes,
        }
    return {"sheet names": wb.sheetnames, "sheets": sheets}


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    if expected["sheet names"] != actual["sheet names"]:
        return [f"sheets: committed {actual['sheet names']}, plan gives {expected['sheet names']}"]
    found = []
    for sheet, want in expected["sheets"].items():
        have = actual["sheets"][sheet]
        for aspect, value in want.items():
            if have[aspect] == value:
                continue
            if isinstance(value, dict):
                keys = sorted(set(value) | set(have[aspect]))
                changed = [k for k in keys if value.get(k) != have[aspect].get(k)]
                found += [f"{sheet}!{k} {aspect}: committed {have[aspect].get(k)!r}, "
                          f"plan gives {value.get(k)!r}" for k in changed[:5]]
            else:
                found.append(f"{sheet} {aspect}: committed {have[aspect]!r}, plan gives {value!r}")
    return found


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates_now")
    for plan in PLANS:
        result = CliRunner().invoke(app, ["template", "--all", "--plan", str(plan), "--out",
                                          str(out / plan.stem)])
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("plan", [p.stem for p in PLANS])
def test_there_is_one_committed_template_per_agency_and_no_stale_one(plan):
    committed = sorted(p.stem for p in (COMMITTED / plan).glob("*.xlsx"))
    agencies = sorted(code for stem, code in CASES if stem == plan)
    assert committed == agencies, f"templates_xlsx/{plan} does not match the plan. {FIX.format(plan=plan)}"
    assert sorted(p.name for p in COMMITTED.iterdir()) == sorted(p.stem for p in PLANS)


@pytest.mark.parametrize(("plan", "agency"), CASES)
def test_committed_template_matches_the_plan(regenerated, plan, agency):
    committed = COMMITTED / plan / f"{agency}.xlsx"
    assert committed.exists(), f"templates_xlsx/{plan}/{agency}.xlsx is missing. {FIX.format(plan=plan)}"
    found = differences(snapshot(regenerated / plan / f"{agency}.xlsx"), snapshot(committed))
    assert not found, (f"templates_xlsx/{plan}/{agency}.xlsx is out of date with the plan. "
                       f"{FIX.format(plan=plan)}\n  " + "\n  ".join(found[:15]))
