"""Plan expressions: arithmetic and one comparison over element codes, and nothing else."""

from __future__ import annotations

import pytest

from kpi.expr import ExprError, evaluate, parse

VALUES = {"TG_TON_DAU_KY": 2, "TG_TIEP_NHAN": 5, "TG_DA_GIAI_QUYET": 6, "DT_VU_KHOI_TO": 0}


@pytest.mark.parametrize(("source", "expected"), [
    ("TG_TON_DAU_KY + TG_TIEP_NHAN", 7),
    ("TG_TIEP_NHAN - TG_TON_DAU_KY", 3),
    ("TG_TIEP_NHAN * 2", 10),
    ("TG_DA_GIAI_QUYET / (TG_TON_DAU_KY + TG_TIEP_NHAN) * 100", 6 / 7 * 100),
    ("-TG_TIEP_NHAN + 10", 5),
    ("2 + 3 * 4", 14),
    ("1.5 * 2", 3.0),
])
def test_arithmetic_over_element_values(source, expected):
    assert evaluate(parse(source), VALUES) == pytest.approx(expected)


@pytest.mark.parametrize(("source", "expected"), [
    ("TG_DA_GIAI_QUYET <= TG_TON_DAU_KY + TG_TIEP_NHAN", True),
    ("TG_DA_GIAI_QUYET < TG_TIEP_NHAN", False),
    ("TG_TIEP_NHAN >= 5", True),
    ("TG_TIEP_NHAN > 5", False),
    ("TG_TIEP_NHAN == 5", True),
    ("TG_TIEP_NHAN != 5", False),
])
def test_comparisons_give_true_or_false(source, expected):
    assert evaluate(parse(source), VALUES) is expected


def test_expression_lists_the_codes_it_names_in_order_once():
    parsed = parse("TG_DA_GIAI_QUYET <= TG_TON_DAU_KY + TG_TIEP_NHAN + TG_TON_DAU_KY")
    assert parsed.names == ("TG_DA_GIAI_QUYET", "TG_TON_DAU_KY", "TG_TIEP_NHAN")
    assert parsed.is_comparison
    left, op, right = parsed.sides()
    assert (left.source, op, right.source) == (
        "TG_DA_GIAI_QUYET", "<=", "TG_TON_DAU_KY + TG_TIEP_NHAN + TG_TON_DAU_KY")


def test_a_missing_value_gives_none_not_zero():
    assert evaluate(parse("TG_TIEP_NHAN + TG_KHOI_TO"), VALUES) is None
    assert evaluate(parse("TG_KHOI_TO <= TG_TIEP_NHAN"), {"TG_TIEP_NHAN": 5, "TG_KHOI_TO": None}) is None


def test_division_by_zero_gives_none():
    # No case arose: the rate is undefined, not 0 % and not a crash.
    assert evaluate(parse("TG_TIEP_NHAN / DT_VU_KHOI_TO"), VALUES) is None


@pytest.mark.parametrize(("source", "why"), [
    ("__import__('os').system('echo hacked')", "Call"),
    ("__import__('os')", "Call"),
    ("max(TG_TIEP_NHAN, 1)", "Call"),
    ("TG_TIEP_NHAN.real", "Attribute"),
    ("TG_TIEP_NHAN[0]", "option codes"),  # [..] only selects options of a breakdown
    ("TG_TIEP_NHAN[U16](1)", "Call"),
    ("(lambda: 1)()", "Call"),
    ("lambda: 1", "Lambda"),
    ("'TG_TIEP_NHAN'", "only numbers"),
    ("TG_TIEP_NHAN + 'x'", "only numbers"),
    ("True", "only numbers"),
    ("TG_KHOI_TO <= TG_DA_GIAI_QUYET <= TG_TIEP_NHAN", "only one comparison"),
    ("(TG_KHOI_TO <= TG_TIEP_NHAN) + 1", "top of an expression"),
    ("TG_TIEP_NHAN ** 99", "Pow"),
    ("TG_TIEP_NHAN % 2", "Mod"),
    ("TG_TIEP_NHAN and TG_KHOI_TO", "BoolOp"),
    ("TG_TIEP_NHAN if TG_KHOI_TO else 0", "IfExp"),
    ("TG_TIEP_NHAN in TG_KHOI_TO", "In"),
    ("[TG_TIEP_NHAN]", "List"),
    ("TG_TIEP_NHAN +", "syntax error"),
    ("", "empty"),
    ("   ", "empty"),
])
def test_anything_but_arithmetic_is_refused(source, why):
    with pytest.raises(ExprError, match=why):
        parse(source)


def test_an_overlong_expression_is_refused():
    with pytest.raises(ExprError, match="longer than"):
        parse(" + ".join(["TG_TIEP_NHAN"] * 200))
