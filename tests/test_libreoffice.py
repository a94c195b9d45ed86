"""Clerks on LibreOffice or old Excel send .xls and .ods: they must validate like the .xlsx.

Each file is converted by a real LibreOffice (headless, private profile); skipped when LibreOffice
is not installed. Marked slow: `pytest -m "not slow"` leaves them out.
"""

from __future__ import annotations

import pytest
from workbooks import editing, set_value, soffice_convert, valid_values

from kpi import validate_file
from kpi.fill import fill_template

pytestmark = pytest.mark.slow
FORMATS = ["xls", "ods"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory, soffice, plan):
    """One valid district file and one faulty police file, as .xlsx and converted to .xls and .ods."""
    folder = tmp_path_factory.mktemp("round_trip")
    valid = fill_template(plan, "H_IAHDRAI", valid_values(plan, "H_IAHDRAI"),
                          folder / "H_IAHDRAI_2024-10.xlsx", "2024-10")
    faulty = fill_template(plan, "CA_TINH", {**valid_values(plan, "CA_TINH"), "NN_TRE_EM": 7},
                           folder / "CA_TINH_2024-10.xlsx", "2024-10")
    with editing(faulty) as wb:
        set_value(wb, "TT_TIN_BAI", "1.234")
        set_value(wb, "TH_LOP", None)
        set_value(wb, "DT_TRUY_NA", 1.5)
        set_value(wb, "META_SUBMITTED", "17/10/2024")
    files = {"valid": {"xlsx": valid}, "faulty": {"xlsx": faulty}}
    for fmt in FORMATS:
        for kind in files:
            files[kind][fmt] = soffice_convert(soffice, files[kind]["xlsx"], fmt, folder / fmt)
    return files


def summary(sub):
    return {
        "agency": sub.agency, "period": sub.period, "submitted": sub.submitted,
        "reporter": sub.reporter, "values": sub.values, "cells": sub.cells,
        "issues": [(i.code, i.severity, i.sheet, i.cell, i.element, i.message("vi")) for i in sub.issues],
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_valid_file_saved_by_libreoffice_validates_the_same(converted, plan, fmt):
    original = validate_file(converted["valid"]["xlsx"], plan)
    resaved = validate_file(converted["valid"][fmt], plan)
    assert resaved.valid and resaved.issues == []
    assert (resaved.agency, resaved.period) == ("H_IAHDRAI", "2024-10")
    assert summary(resaved) == summary(original)


@pytest.mark.parametrize("fmt", FORMATS)
def test_mistakes_in_a_file_saved_by_libreoffice_point_to_the_same_cells(converted, plan, fmt):
    original = validate_file(converted["faulty"]["xlsx"], plan)
    resaved = validate_file(converted["faulty"][fmt], plan)
    assert {i.code for i in original.issues} == {"text-number", "missing-value", "not-whole", "rule"}
    assert summary(resaved) == summary(original)
    assert resaved.values["TT_TIN_BAI"] == 1234
