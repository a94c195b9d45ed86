"""Build examples/quangngai-2026-08: one month of submissions under the Quảng Ngãi plan
(kpi/plans/quangngai_2026.toml): its 13 provincial agencies and 96 communes, wards and special
zone, as the analyst's shared folder holds them after the deadline, with a few faulty files.

Run from the repository root:  python examples/make_examples_quangngai.py

Deterministic (a fixed seed, fixed dates). At the end it prints the figures the tool should give
for 2026-08, computed here independently from the values written (accepted files only).
"""

from __future__ import annotations

import random
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_examples import (  # noqa: E402  (the Kon Tum generator's helpers)
    PROFILES,
    File,
    as_int,
    communication,
    training,
)

from kpi.expr import COMPARATORS, evaluate  # noqa: E402
from kpi.fill import fill_template  # noqa: E402
from kpi.plan import Plan, load_plan  # noqa: E402

SEED = 33_2026
MONTH = "2026-08"
OUT = Path(__file__).resolve().parent / f"quangngai-{MONTH}"
PLAN = Path(__file__).resolve().parent.parent / "kpi" / "plans" / "quangngai_2026.toml"
# 2026-08 runs 15/07 - 14/08/2026 and is due on Monday 17/08 (15-16 August are a weekend).
ON_TIME = (datetime(2026, 8, 14), datetime(2026, 8, 17))
LATE = {"BDBP": datetime(2026, 8, 19), "X_SON_TAY": datetime(2026, 8, 20),
        "P_DUC_PHO": datetime(2026, 8, 21)}
MISSING = {"DK_LY_SON", "X_IA_DAL"}  # never sent: a storm at sea, a border commune's connection
PROFILE_OF = {
    "CA_TINH": "police", "BDBP": "border", "VKS": "justice", "TAND": "justice", "STP": "justice",
    "SNGV": "justice", "SYT": "social", "SNV": "social", "SKHCN": "info", "SGDDT": "education",
    "BAO_QN": "broadcaster", "HLHPN": "women", "TINH_DOAN": "youth",
}
NO_307 = {"SNGV", "SKHCN"}  # provincial agencies that held nothing for 30 July
Z = 0
CASES = {  # by hand: a consistent month for the units that hold cases
    "CA_TINH": {"TG_TON_DAU_KY": 3, "TG_TIEP_NHAN": 4, "TG_PHAN_LOAI": 4, "TG_DA_GIAI_QUYET": 5,
                "TG_KHOI_TO": 2, "DT_VU_KHOI_TO": 2, "DT_BI_CAN": 4, "DT_VU_KHAM_PHA": 2,
                "DT_DUONG_DAY": 1, "DT_TRUY_NA": Z, "NN_TIEP_NHAN": 5, "NN_XAC_DINH": 4,
                "NN_GIAI_CUU": 2},
    "BDBP": {"TG_TON_DAU_KY": 1, "TG_TIEP_NHAN": 2, "TG_PHAN_LOAI": 2, "TG_DA_GIAI_QUYET": 2,
             "TG_KHOI_TO": 1, "DT_VU_KHOI_TO": 1, "DT_BI_CAN": 2, "DT_VU_KHAM_PHA": 1,
             "DT_DUONG_DAY": Z, "DT_TRUY_NA": 1, "NN_TIEP_NHAN": 3, "NN_XAC_DINH": 2,
                "NN_GIAI_CUU": 2},
    "VKS": {"TTO_VU_TON_DAU_KY": 2, "TTO_VU_THU_LY_MOI": 2, "TTO_VU_GIAI_QUYET": 3,
            "TTO_VU_TRUY_TO": 3, "TTO_BI_CAN_TRUY_TO": 5},
    "TAND": {"XX_VU_TON_DAU_KY": 1, "XX_VU_THU_LY_MOI": 2, "XX_VU_GIAI_QUYET": 2,
             "XX_VU_XET_XU": 2, "XX_BI_CAO_XET_XU": 3},
    # The health department now supports victims (from the labour department, 2025).
    "SYT": {"NN_HO_TRO": 5, "NN_HT_THIET_YEU": 5, "NN_HT_Y_TE": 4, "NN_HT_TAM_LY": 5,
            "NN_HT_PHAP_LY": 2, "NN_HT_HOC_NGHE": 1},
}
# Who the victims are: for each element broken down, [male, female] per age band (under 16,
# 16 to under 18, 18 and over) and [Kinh, ethnic minority]; each grid adds up to its total.
GRIDS = {
    "CA_TINH": {"NN_XAC_DINH": ([[0, 1], [0, 1], [1, 1]], [1, 3]),
                "NN_GIAI_CUU": ([[0, 1], [0, 0], [0, 1]], [0, 2])},
    "BDBP": {"NN_XAC_DINH": ([[1, 0], [0, 0], [0, 1]], [0, 2]),
             "NN_GIAI_CUU": ([[1, 0], [0, 0], [0, 1]], [0, 2])},
    "SYT": {"NN_HO_TRO": ([[0, 1], [0, 1], [1, 2]], [1, 4])},
}
AGES, ETHNICITIES = ("U16", "U18", "A18"), ("KINH", "DTTS")


def grid_values(code: str) -> dict[str, object]:
    """The grid rows of an agency's file, keyed as the template codes them (ELEMENT.OPTION)."""
    values: dict[str, object] = {}
    for element, (by_age, by_ethnicity) in GRIDS.get(code, {}).items():
        assert sum(map(sum, by_age)) == sum(by_ethnicity) == CASES[code][element]
        values.update({f"{element}.{age}": row for age, row in zip(AGES, by_age, strict=True)})
        values.update({f"{element}.{eth}": n for eth, n in zip(ETHNICITIES, by_ethnicity, strict=True)})
    return values


# Communes that received victims or presumed victims this month (received, referred).
RECEIVED = {"X_DAK_PEK": (2, 2), "X_IA_TOI": (1, 1), "X_TRA_BONG": (1, 1), "X_BA_TOW": (1, Z)}


def commune_values(rng: random.Random, code: str) -> dict[str, object]:
    sessions = rng.randint(1, 6)
    received, referred = RECEIVED.get(code, (Z, Z))
    return {
        "XT_BUOI": sessions, "XT_LUOT_NGUOI": sum(rng.randint(25, 80) for _ in range(sessions)),
        "XT_HOAT_DONG_307": rng.randint(1, 3) if rng.random() < 0.85 else 0,
        "XT_MO_HINH": rng.randint(0, 3),
        "XN_NGUY_CO": rng.randint(0, 8), "XN_TRO_VE": rng.randint(0, 4) if rng.random() < 0.4 else 0,
        "XN_NN_TIEP_NHAN": received, "XN_NN_CHUYEN": referred,
    }


def agency_values(rng: random.Random, plan: Plan, code: str) -> dict[str, object]:
    agency = plan.agency_by_code[code]
    if code not in PROFILE_OF:
        return commune_values(rng, code)
    prof = PROFILES[PROFILE_OF[code]]
    values: dict[str, object] = {}
    values.update(communication(rng, code, "2025-06", prof, prof["model"] or 0))
    # 15/07 - 14/08 holds 30 July itself: most agencies hold one to four activities.
    values["TT_HOAT_DONG_307"] = 0 if code in NO_307 else rng.randint(1, 4)
    if "TH" in agency.forms:
        values.update(training(rng, prof))
    values.update(CASES.get(code, {}))
    for element in plan.elements_for_agency(agency):
        values.setdefault(element.code, Z)
    # Grids under a total of 0 are left blank, as the template allows.
    values.update(grid_values(code))
    return values


def regular_files(plan: Plan, rng: random.Random) -> list[File]:
    files = []
    for agency in plan.agencies:
        values = agency_values(rng, plan, agency.code)
        if agency.code in MISSING:
            continue
        sent = LATE.get(agency.code) or rng.choice(ON_TIME)
        assert sorted(k for k in values if "." not in k) == sorted(
            e.code for e in plan.elements_for_agency(agency))
        files.append(File(f"{agency.code}_{MONTH}.xlsx", agency.code, MONTH, values, sent))
    return files


def add_faulty(files: list[File]) -> dict[str, str]:
    """Spoil a few files as clerks do; returns file name -> the period its cover says when it
    differs from the name's."""
    by_name = {f.name: f for f in files}
    covers: dict[str, str] = {}

    # 1. Attendances typed on an English-locale PC: "1,200" (1200, or 1,2 in Vietnamese).
    f = by_name[f"X_DAK_HA_{MONTH}.xlsx"]
    f.values["XT_LUOT_NGUOI"] = "1,200"
    f.accepted, f.expect, f.note = False, ["ambiguous-number"], "'1,200' in XT_LUOT_NGUOI"

    # 2. More victims referred than received: an error rule, the file is sent back.
    f = by_name[f"X_MO_RAI_{MONTH}.xlsx"]
    f.values.update(XN_NN_TIEP_NHAN=1, XN_NN_CHUYEN=2)
    f.accepted, f.expect, f.note = False, ["rule"], "R_XN_CHUYEN: 2 referred of 1 received"

    # 3. Last month's file sent again under this month's name: its cover says 07/2026.
    f = by_name[f"P_CAM_THANH_{MONTH}.xlsx"]
    covers[f.name] = "2026-07"
    f.accepted, f.expect = False, ["name-mismatch"]
    f.note = "cover says 07/2026: out of the month, so Phường Cẩm Thành has no report for 08/2026"

    # 4. A corrected file for the same month, sent later: it replaces the first.
    f = by_name[f"P_KON_TUM_{MONTH}.xlsx"]
    corrected = dict(f.values)
    f.values["XT_BUOI"] = int(str(corrected["XT_BUOI"])) + 2
    f.submitted = datetime(2026, 8, 14)
    f.note = "valid, superseded by P_KON_TUM_2026-08_sua.xlsx"
    files.append(File(f"P_KON_TUM_{MONTH}_sua.xlsx", "P_KON_TUM", MONTH, corrected,
                      datetime(2026, 8, 17), note="corrected resubmission, supersedes the first"))

    # 5. Full-width digits from a Vietnamese input method: read, with a warning.
    f = by_name[f"X_NGOK_TU_{MONTH}.xlsx"]
    f.values["XN_NGUY_CO"] = "１２"
    f.expect, f.note = ["text-number"], "XN_NGUY_CO typed in full-width digits (read as 12)"
    return covers


def write(plan: Plan, files: list[File], covers: dict[str, str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in sorted(OUT.iterdir()):
        if old.is_file() and (old.suffix == ".xlsx" or old.name.startswith("~$")):
            old.unlink()
    rng = random.Random(SEED + 1)
    for f in files:
        period = covers.get(f.name, f.month)
        values = dict(f.values)
        values.update(META_AGENCY=f.agency, META_PERIOD=f"{period[5:]}/{period[:4]}",
                      META_REPORTER=f"Cán bộ {plan.agency_by_code[f.template].name_vi}",
                      META_PHONE=f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                      META_SUBMITTED=f.submitted)
        fill_template(plan, f.template, values, OUT / f.name, period)
    (OUT / f"~$CA_TINH_{MONTH}.xlsx").write_bytes(b"\x0ecanbo.congan" + b" " * 40)


def figures(plan: Plan, files: list[File]) -> tuple[list[tuple], dict[str, int]]:
    """The month's figures, by hand: one accepted file per unit (the latest valid one)."""
    chosen: dict[str, File] = {}
    for f in sorted((f for f in files if f.accepted), key=lambda f: f.submitted):
        chosen[f.agency] = f
    totals = {e.code: 0 for e in plan.elements}
    # The selections the indicators name (NN_HO_TRO[U16]), summed from the grids by hand.
    totals.update({f"{e}[{o}]": 0 for e in ("NN_XAC_DINH", "NN_GIAI_CUU", "NN_HO_TRO")
                   for o in AGES + ETHNICITIES})
    for f in chosen.values():
        for code, value in f.values.items():
            if "." in code:
                element, option = code.split(".")
                totals[f"{element}[{option}]"] += sum(value) if isinstance(value, list) else value
                continue
            totals[code] += as_int(value) if as_int(value) is not None else int(
                str(value).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    deadline = datetime(2026, 8, 17)
    rows = []
    for ind in plan.indicators:
        target = dict((m.year, m.target) for m in ind.milestones).get(2026, ind.target)
        if ind.kind == "coverage":  # 30 July 2026 lies in 2026-08 (15/07 - 14/08)
            units = [a for a in plan.agencies if ind.form in a.forms]
            num = sum(1 for a in units if a.code in chosen
                      and evaluate(ind.condition, chosen[a.code].values) is True)
            den = len(units)
        elif ind.kind == "timeliness":
            den = len(plan.agencies)
            num = sum(1 for f in chosen.values() if f.submitted <= deadline)
        else:
            num = evaluate(ind.numerator, totals)
            den = evaluate(ind.denominator, totals) if ind.denominator is not None else None
        if ind.comparator is None:
            shown = f"{ind.factor * num / den:.2f} %" if den else f"{num} {ind.unit}"
            rows.append((ind.code, num, den if den is not None else "", shown, "tracked"))
        elif not den:
            rows.append((ind.code, num, den, "-", "no_data"))
        else:
            value = ind.factor * num / den
            met = COMPARATORS[ind.comparator](round(value, 9), target)
            rows.append((ind.code, num, den, f"{value:.2f} %",
                         f"{'met' if met else 'NOT met'} ({ind.comparator} {target:g}, provisional)"))
    return rows, totals


def main() -> int:
    plan = load_plan(PLAN)
    rng = random.Random(SEED)
    files = regular_files(plan, rng)
    covers = add_faulty(files)
    files.sort(key=lambda f: f.name)
    write(plan, files, covers)
    accepted = {f.agency for f in files if f.accepted}
    print(f"Wrote {len(files)} workbooks and 1 lock file to {OUT}")
    print(f"Units with an accepted report: {len(accepted)} of {len(plan.agencies)}")
    print("Not sent: " + ", ".join(sorted(MISSING)))
    print("Late: " + ", ".join(f"{a} ({d:%d/%m})" for a, d in sorted(LATE.items())))
    print("\nFaulty or extra files:")
    for f in files:
        if f.note:
            print(f"  {f.name}: {'accepted' if f.accepted else 'REJECTED'}; "
                  f"expect {', '.join(f.expect) or 'no issue'}; {f.note}")
    rows, totals = figures(plan, files)
    print(f"\nExpected figures for {MONTH} (accepted files only):\n")
    print("| indicator | numerator | denominator | value | status |")
    print("|---|---:|---:|---:|---|")
    for code, num, den, value, status in rows:
        print(f"| {code} | {num} | {den} | {value} | {status} |")
    print("\nElement totals: " + ", ".join(f"{k}={v}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
