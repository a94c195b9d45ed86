"""Build examples/kontum-2025-Q2: a quarter of monthly submissions from every agency of the Kon
Tum plan (kpi/plans/kontum_1583.toml), the last quarter that plan covered.

Run from the repository root:  python examples/make_examples.py

Deterministic: one random.Random with a fixed seed, fixed submission dates, no wall clock, so two
runs write workbooks with identical cell contents (only the zip timestamps inside differ). Besides
the regular files the folder holds a few faulty or extra ones, as an analyst's shared folder does;
see FAULTY below and README.md. At the end the script prints the headline figures the tool should
reproduce for 2025-Q2, computed here independently from the values written (accepted files only).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kpi.expr import COMPARATORS, evaluate
from kpi.fill import fill_template
from kpi.periods import deadline
from kpi.plan import Plan, load_plan

SEED = 1583
MONTHS = ("2025-04", "2025-05", "2025-06")
SPAN = "2025-Q2"
OUT = Path(__file__).resolve().parent / f"kontum-{SPAN}"
PLAN = Path(__file__).resolve().parent.parent / "kpi" / "plans" / "kontum_1583.toml"

# Who prepares each agency's report (one clerk per agency for the whole quarter).
REPORTERS = {
    "CA_TINH": "Nguyễn Văn Hùng", "BDBP": "Trần Quốc Bảo", "VKS": "Lê Thị Thu Hà",
    "TAND": "Phạm Minh Tuấn", "SLDTBXH": "Hoàng Thị Lan", "STTTT": "Đỗ Đức Thắng",
    "SGDDT": "Vũ Thị Hồng Nhung", "SYT": "Bùi Văn Long", "STP": "Đặng Thị Mai",
    "SNGV": "Ngô Quang Huy", "BAO_KT": "Dương Thị Ngọc Ánh", "DAI_PTTH": "Lý Văn Phúc",
    "HLHPN": "Y Hương", "TINH_DOAN": "A Tuấn", "H_KONTUM": "Trịnh Thị Thanh Tâm",
    "H_DAKHA": "Phan Văn Dũng", "H_DAKTO": "Y Blin", "H_NGOCHOI": "Võ Thị Kim Oanh",
    "H_DAKGLEI": "A Thuận", "H_SATHAY": "Huỳnh Văn Tài", "H_IAHDRAI": "Nguyễn Thị Hải Yến",
    "H_KONRAY": "Y Nhung", "H_KONPLONG": "A Sang", "H_TUMORONG": "Đinh Văn Khánh",
}

# --- reporting discipline --------------------------------------------------------------------
# Deadline = the 17th (cut-off 14th + 3 days), inclusive. On-time days are working days from
# the cut-off to the deadline (17 May 2025 is a Saturday, 15 June a Sunday).
ON_TIME_DAYS = {"2025-04": (15, 16, 17), "2025-05": (15, 16), "2025-06": (16, 17)}
LATE = {("STP", "2025-04"): 21, ("H_IAHDRAI", "2025-04"): 23, ("SNGV", "2025-05"): 20,
        ("H_KONPLONG", "2025-06"): 24}
MISSING = {("H_TUMORONG", "2025-06")}
# No 30 July in the quarter: KPI_307 has no data. Some agencies already plan for it in June.
NO_307 = {"SYT", "SNGV", "H_KONPLONG"}

# --- communication profiles: (low, high) per month ------------------------------------------
# cm programmes, tb news items, mxh social-media posts, buoi community sessions, att attendances
# per session, school sessions in term (Apr, May) / in the summer holiday (Jun), model stock,
# training (probability of a course in a month, max courses, officials per course).
P = dict
PROFILES = {
    "police": P(cm=(0, 1), tb=(4, 10), mxh=(10, 25), buoi=(6, 12), att=(60, 120), school=(2, 4),
                summer=(0, 1), model=4, th=(0.6, 2, (30, 60))),
    "border": P(cm=(0, 1), tb=(3, 8), mxh=(8, 20), buoi=(8, 15), att=(50, 100), school=(1, 3),
                summer=(0, 1), model=6, th=(0.5, 1, (25, 45))),
    "justice": P(cm=(0, 0), tb=(1, 3), mxh=(1, 5), buoi=(0, 2), att=(40, 80), school=(0, 1),
                 summer=(0, 0), model=0, th=(0.25, 1, (20, 40))),
    "social": P(cm=(0, 0), tb=(2, 5), mxh=(3, 8), buoi=(2, 5), att=(50, 100), school=(0, 1),
                summer=(0, 0), model=2, th=(0.5, 1, (30, 50))),
    "info": P(cm=(1, 2), tb=(3, 8), mxh=(10, 30), buoi=(0, 1), att=(40, 80), school=(0, 0),
              summer=(0, 0), model=0, th=(0.2, 1, (20, 40))),
    "education": P(cm=(0, 0), tb=(2, 5), mxh=(3, 10), buoi=(0, 1), att=(120, 250), school=(8, 15),
                   summer=(0, 2), model=1, th=(0.4, 1, (40, 80))),
    "newspaper": P(cm=(2, 4), tb=(10, 20), mxh=(15, 35), buoi=(0, 0), att=(0, 0), school=(0, 0),
                   summer=(0, 0), model=0, th=None),
    "broadcaster": P(cm=(4, 8), tb=(8, 16), mxh=(10, 25), buoi=(0, 0), att=(0, 0), school=(0, 0),
                     summer=(0, 0), model=0, th=None),
    "women": P(cm=(0, 0), tb=(2, 5), mxh=(5, 12), buoi=(5, 12), att=(60, 120), school=(0, 1),
               summer=(0, 0), model=12, th=(0.4, 1, (30, 50))),
    "youth": P(cm=(0, 0), tb=(2, 5), mxh=(10, 20), buoi=(2, 6), att=(50, 150), school=(3, 6),
               summer=(0, 1), model=5, th=(0.3, 1, (30, 50))),
    "district": P(cm=(0, 1), tb=(2, 6), mxh=(3, 10), buoi=(6, 18), att=(50, 110), school=(2, 6),
                  summer=(0, 1), model=None, th=(0.35, 1, (25, 50))),
}
PROFILE_OF = {
    "CA_TINH": "police", "BDBP": "border", "VKS": "justice", "TAND": "justice", "STP": "justice",
    "SYT": "justice", "SNGV": "justice", "SLDTBXH": "social", "STTTT": "info", "SGDDT": "education",
    "BAO_KT": "newspaper", "DAI_PTTH": "broadcaster", "HLHPN": "women", "TINH_DOAN": "youth",
}
DISTRICT_MODELS = {"H_KONTUM": 9, "H_DAKHA": 4, "H_DAKTO": 5, "H_NGOCHOI": 6, "H_DAKGLEI": 7,
                   "H_SATHAY": 5, "H_IAHDRAI": 3, "H_KONRAY": 4, "H_KONPLONG": 4, "H_TUMORONG": 5}

# --- case work, set by hand so the quarter tells a consistent story --------------------------
# Opening balances carry the previous month's unresolved: closing = opening + received - resolved.
Z = 0
TG = {  # TON_DAU_KY, TIEP_NHAN, PHAN_LOAI, DA_GIAI_QUYET, KHOI_TO
    "CA_TINH": {"2025-04": (2, 2, 2, 3, 1), "2025-05": (1, 3, 3, 2, 1), "2025-06": (2, 1, 1, 2, Z)},
    "BDBP": {"2025-04": (1, 1, 1, 1, Z), "2025-05": (1, Z, Z, 1, Z), "2025-06": (Z, 2, 2, 1, 1)},
}
DT = {  # VU_KHOI_TO, BI_CAN, VU_KHAM_PHA, DUONG_DAY, TRUY_NA
    # CA_TINH solves in June the case opened in April (a warning: solved > opened that month).
    "CA_TINH": {"2025-04": (1, 2, Z, Z, Z), "2025-05": (1, 3, 1, 1, 1), "2025-06": (Z, Z, 1, Z, Z)},
    "BDBP": {"2025-04": (Z, Z, Z, Z, Z), "2025-05": (Z, Z, Z, Z, 1), "2025-06": (1, 1, 1, Z, Z)},
}
NX = {  # TIEP_NHAN, XAC_DINH, GIAI_CUU, NU, TRE_EM, DTTS
    "CA_TINH": {"2025-04": (2, 1, Z, 1, Z, 1), "2025-05": (3, 2, 1, 2, 1, 2), "2025-06": (1, 1, Z, 1, 1, 1)},
    "BDBP": {"2025-04": (Z, Z, Z, Z, Z, Z), "2025-05": (3, 2, 2, 2, Z, 2), "2025-06": (1, Z, Z, Z, Z, Z)},
}
TTO = {  # VKS: VU_TON_DAU_KY, VU_THU_LY_MOI, VU_GIAI_QUYET, VU_TRUY_TO, BI_CAN_TRUY_TO
    # One case resolved in April by returning it for further investigation (resolved, not indicted).
    "VKS": {"2025-04": (2, 1, 2, 1, 2), "2025-05": (1, 1, 1, 1, 1), "2025-06": (1, Z, 1, 1, 2)},
}
XX = {  # TAND: no trafficking case at the provincial court this quarter (indictments under
    # clause 1 of Article 150 go to district courts): denominator 0 -> no_data.
    "TAND": {m: (Z, Z, Z, Z, Z) for m in MONTHS},
}
NH = {  # HO_TRO, HT_THIET_YEU, HT_Y_TE, HT_TAM_LY, HT_PHAP_LY, HT_HOC_NGHE: support by home district
    ("H_SATHAY", "2025-04"): (1, 1, 1, 1, Z, Z),
    ("H_DAKGLEI", "2025-05"): (2, 2, 2, 2, 1, Z),
    ("H_TUMORONG", "2025-05"): (1, 1, 1, 1, Z, Z),
    ("H_NGOCHOI", "2025-06"): (1, 1, Z, 1, 1, 1),
    ("SLDTBXH", "2025-06"): (1, 1, 1, 1, 1, Z),
}
FORM_TUPLES = {
    "TG": ("TG_TON_DAU_KY", "TG_TIEP_NHAN", "TG_PHAN_LOAI", "TG_DA_GIAI_QUYET", "TG_KHOI_TO"),
    "DT": ("DT_VU_KHOI_TO", "DT_BI_CAN", "DT_VU_KHAM_PHA", "DT_DUONG_DAY", "DT_TRUY_NA"),
    "NX": ("NN_TIEP_NHAN", "NN_XAC_DINH", "NN_GIAI_CUU", "NN_NU", "NN_TRE_EM", "NN_DTTS"),
    "TTO": ("TTO_VU_TON_DAU_KY", "TTO_VU_THU_LY_MOI", "TTO_VU_GIAI_QUYET", "TTO_VU_TRUY_TO",
            "TTO_BI_CAN_TRUY_TO"),
    "XX": ("XX_VU_TON_DAU_KY", "XX_VU_THU_LY_MOI", "XX_VU_GIAI_QUYET", "XX_VU_XET_XU",
           "XX_BI_CAO_XET_XU"),
    "NH": ("NN_HO_TRO", "NN_HT_THIET_YEU", "NN_HT_Y_TE", "NN_HT_TAM_LY", "NN_HT_PHAP_LY",
           "NN_HT_HOC_NGHE"),
}
CASE_DATA = {"TG": TG, "DT": DT, "NX": NX, "TTO": TTO, "XX": XX}


@dataclass
class File:
    """One workbook to write, and what validation should say about it."""

    name: str
    template: str  # agency whose template is used
    month: str
    values: dict[str, object]  # element codes -> what the clerk typed (int or text)
    submitted: datetime
    meta_agency: str = ""
    accepted: bool = True  # should pass validation (errors: none)
    expect: list[str] = field(default_factory=list)  # issue codes validation should give
    note: str = ""

    @property
    def agency(self) -> str:
        return self.meta_agency or self.template


def phone(rng: random.Random, district: bool) -> str:
    if district:  # clerks in districts give their mobile
        return f"09{rng.randint(0, 9)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    return f"0260 38{rng.randint(10, 99)} {rng.randint(100, 999)}"


def communication(rng: random.Random, agency: str, month: str, prof: dict, models: int) -> dict[str, int]:
    lo_hi = lambda key: rng.randint(*prof[key])  # noqa: E731
    buoi = lo_hi("buoi")
    school = lo_hi("school") if month in ("2025-04", "2025-05") else lo_hi("summer")
    att = sum(rng.randint(*prof["att"]) for _ in range(buoi))
    att += sum(rng.randint(120, 300) for _ in range(school))  # a school assembly or class group
    if agency in NO_307 or month != "2025-06":
        act307 = 0
    else:  # June: plans and banners for 30 July go up
        act307 = 1 if rng.random() < 0.3 else 0
    return {
        "TT_CHUYEN_MUC": lo_hi("cm"), "TT_TIN_BAI": lo_hi("tb"), "TT_MANG_XA_HOI": lo_hi("mxh"),
        "TT_BUOI_CONG_DONG": buoi, "TT_LUOT_NGUOI": att, "TT_TRUONG_HOC": school,
        "TT_HOAT_DONG_307": act307, "TT_MO_HINH": models,
    }


def training(rng: random.Random, prof: dict) -> dict[str, int]:
    chance, most, per_course = prof["th"]
    courses = rng.randint(1, most) if rng.random() < chance else 0
    return {"TH_LOP": courses, "TH_LUOT_CAN_BO": sum(rng.randint(*per_course) for _ in range(courses))}


def submission_date(rng: random.Random, agency: str, month: str) -> datetime:
    year, mon = int(month[:4]), int(month[5:])
    day = LATE.get((agency, month)) or rng.choice(ON_TIME_DAYS[month])
    return datetime(year, mon, day)


def regular_files(plan: Plan, rng: random.Random) -> list[File]:
    files = []
    for agency in plan.agencies:
        code = agency.code
        prof = PROFILES[PROFILE_OF.get(code, "district")]
        models = DISTRICT_MODELS[code] if prof["model"] is None else prof["model"]
        for month in MONTHS:
            if month != MONTHS[0] and models and rng.random() < 0.15:
                models += 1  # a new club or model set up, now and then
            values: dict[str, object] = {}
            values.update(communication(rng, code, month, prof, models))
            if "TH" in agency.forms:
                values.update(training(rng, prof))
            for form, table in CASE_DATA.items():
                if form in agency.forms:
                    values.update(zip(FORM_TUPLES[form], table[code][month], strict=True))
            if "NH" in agency.forms:
                values.update(zip(FORM_TUPLES["NH"], NH.get((code, month), (Z,) * 6), strict=True))
            submitted = submission_date(rng, code, month)
            if (code, month) in MISSING:
                continue
            expected = [e.code for e in plan.elements_for_agency(agency)]
            assert sorted(values) == sorted(expected), (code, set(values) ^ set(expected))
            files.append(File(f"{code}_{month}.xlsx", code, month, values, submitted))
    return files


def add_faulty(files: list[File]) -> None:
    by_name = {f.name: f for f in files}

    # 1. A word in a count cell: the clerk wrote "mười" (ten) for the community sessions.
    f = by_name["H_DAKHA_2025-05.xlsx"]
    f.values["TT_BUOI_CONG_DONG"] = "mười"
    f.accepted, f.expect, f.note = False, ["not-a-number"], "'mười' in TT_BUOI_CONG_DONG"

    # 2. A broken error rule (3 classified of 2 received), then the corrected file two days later.
    f = by_name["BDBP_2025-06.xlsx"]
    good = dict(f.values)
    f.values["TG_PHAN_LOAI"] = 3
    f.submitted = datetime(2025, 6, 16)
    f.accepted, f.expect, f.note = False, ["rule"], "R_TG_PHAN_LOAI: TG_PHAN_LOAI 3 > TG_TIEP_NHAN 2"
    files.append(File("BDBP_2025-06_gui-lai.xlsx", "BDBP", "2025-06", good, datetime(2025, 6, 17),
                      note="corrected resubmission, supersedes BDBP_2025-06.xlsx"))

    # 3. A valid file sent again with corrected numbers: one more report received on 14/05 had
    #    been left out, and an attendance figure was mistyped. The later file replaces it.
    f = by_name["CA_TINH_2025-05.xlsx"]
    corrected = dict(f.values)
    f.values.update(TG_TIEP_NHAN=2, TG_PHAN_LOAI=2,
                    TT_LUOT_NGUOI=int(corrected["TT_LUOT_NGUOI"]) - 90)
    f.submitted = datetime(2025, 5, 14)
    f.note = "valid, superseded by CA_TINH_2025-05_ban-sua.xlsx"
    files.append(File("CA_TINH_2025-05_ban-sua.xlsx", "CA_TINH", "2025-05", corrected,
                      datetime(2025, 5, 15), note="corrected resubmission, supersedes the first"))

    # 4. An agency code the plan does not know (SNGV's template, META_AGENCY overwritten).
    sngv = by_name["SNGV_2025-05.xlsx"]
    files.append(File("SO_KHONG_CO_2025-05.xlsx", "SNGV", "2025-05", dict(sngv.values),
                      datetime(2025, 5, 15), meta_agency="SO_KHONG_CO", accepted=False,
                      expect=["unknown-agency"], note="agency SO_KHONG_CO is not in the plan"))

    # 5. Vietnamese digit grouping typed as text: "1.234" is 1234 attendances (a warning only).
    f = by_name["H_NGOCHOI_2025-05.xlsx"]
    f.values["TT_BUOI_CONG_DONG"] = 14
    f.values["TT_LUOT_NGUOI"] = "1.234"
    f.expect, f.note = ["text-number"], "TT_LUOT_NGUOI typed as text '1.234' (read as 1234)"

    # Not faulty, but worth knowing: solved in June a case opened in April.
    f = by_name["CA_TINH_2025-06.xlsx"]
    f.expect, f.note = ["rule"], "warning R_DT_KHAM_PHA: 1 case solved, 0 opened this month"


def as_int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.replace(".", "").isdigit():
        return int(value.replace(".", ""))
    return None


def check_rules(plan: Plan, f: File) -> list[str]:
    """Codes of the plan's error rules that the file's values break."""
    values = {k: n for k, v in f.values.items() if (n := as_int(v)) is not None}
    broken = []
    for rule in plan.rules:
        if rule.scope != "submission" or rule.severity != "error":
            continue
        if all(n in values for n in rule.expression.names) and evaluate(rule.expression, values) is False:
            broken.append(rule.code)
    return broken


def write(plan: Plan, files: list[File]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in sorted(OUT.iterdir()):
        if old.is_file() and (old.suffix == ".xlsx" or old.name.startswith("~$")):
            old.unlink()
    for f in files:
        year, mon = f.month.split("-")
        values = dict(f.values)
        values.update(META_AGENCY=f.agency, META_PERIOD=f"{mon}/{year}",
                      META_REPORTER=REPORTERS[f.template], META_PHONE=PHONES[f.template],
                      META_SUBMITTED=f.submitted)
        fill_template(plan, f.template, values, OUT / f.name, f.month)
    # Excel's owner file on a shared folder: a length byte, the user name, padding.
    owner = "canbo.congan"
    junk = bytes([len(owner)]) + owner.encode() + b" " * (53 - len(owner))
    junk += bytes([len(owner), 0]) + owner.encode("utf-16-le") + b"\x00" * 8
    (OUT / "~$CA_TINH_2025-04.xlsx").write_bytes(junk)


PHONES: dict[str, str] = {}


# --- the expected figures ---------------------------------------------------------------------

def accepted_files(files: list[File]) -> dict[tuple[str, str], File]:
    """(agency, month) -> the file that counts: the latest valid one."""
    chosen: dict[tuple[str, str], File] = {}
    for f in sorted((f for f in files if f.accepted), key=lambda f: f.submitted):
        chosen[(f.agency, f.month)] = f
    return chosen


def on_time(plan: Plan, f: File) -> bool:
    return f.submitted.date() <= deadline(f.month, plan.cutoff_day, plan.deadline_days)


def covered_months(plan: Plan, ind) -> tuple[str, ...]:
    """The months of the span a coverage indicator is about (its event day's, by hand)."""
    if ind.event is None:
        return MONTHS
    month_of_day = {}
    for month in MONTHS:  # the window of month M: day cutoff+1 of M-1 .. day cutoff of M
        mon = int(month[5:])
        ev_month, ev_day = ind.event
        if (mon == ev_month and ev_day <= plan.cutoff_day) or (
                mon == ev_month + 1 and ev_day > plan.cutoff_day):
            month_of_day[month] = True
    return tuple(month_of_day)


def figures(plan: Plan, files: list[File]) -> tuple[list[tuple], dict[str, int]]:
    chosen = accepted_files(files)
    totals = {e.code: 0 for e in plan.elements}
    span_total: dict[str, dict[str, int]] = {}  # agency -> element -> aggregated over the span
    end = max(m for _, m in chosen)  # a stock is read at the span's last month with data
    for agency in plan.agencies:
        months = [m for m in MONTHS if (agency.code, m) in chosen]
        agg: dict[str, int] = {}
        for element in plan.elements_for_agency(agency):
            series = [as_int(chosen[(agency.code, m)].values[element.code]) for m in months]
            if not series:
                continue
            if element.aggregation == "first":
                agg[element.code] = series[0]
            elif element.aggregation == "last":
                if months[-1] != end:
                    continue  # no report at the end date: no stock then (not an older value)
                agg[element.code] = series[-1]
            else:
                agg[element.code] = sum(series)
            totals[element.code] += agg[element.code]
        span_total[agency.code] = agg

    rows = []
    for ind in plan.indicators:
        if ind.kind == "coverage":
            relevant = covered_months(plan, ind)
            expected = [a for a in plan.agencies if ind.form in a.forms
                        and any(a.active_in(m) for m in relevant)]
            num = sum(1 for a in expected if evaluate(ind.condition, span_total[a.code]) is True)
            den = len(expected)
        elif ind.kind == "timeliness":
            pairs = plan.expected(MONTHS)
            den = len(pairs)
            num = sum(1 for key in pairs if key in chosen and on_time(plan, chosen[key]))
        else:
            num = evaluate(ind.numerator, totals)
            den = evaluate(ind.denominator, totals) if ind.denominator is not None else None
        if ind.kind == "coverage" and not covered_months(plan, ind):
            rows.append((ind.code, None, 0, "-", "no_data (no 30 July in the span)"))
            continue
        if ind.tracked:
            rows.append((ind.code, num, "", f"{num * ind.factor:g} {ind.unit}", "tracked"))
        elif not den:
            rows.append((ind.code, num, den, "-", "no_data"))
        else:
            value = ind.factor * num / den
            met = COMPARATORS[ind.comparator](round(value, 9), ind.target)
            rows.append((ind.code, num, den, f"{value:.2f} %",
                         f"{'met' if met else 'NOT met'} ({ind.comparator} {ind.target:g})"))
    return rows, totals


def main() -> int:
    plan = load_plan(PLAN)
    rng = random.Random(SEED)
    for agency in plan.agencies:
        PHONES[agency.code] = phone(rng, agency.level == "district")
    files = regular_files(plan, rng)
    add_faulty(files)
    files.sort(key=lambda f: f.name)

    for f in files:  # every file but the deliberately broken one keeps the plan's error rules
        broken = check_rules(plan, f)
        assert bool(broken) == ("rule" in f.expect and not f.accepted), (f.name, broken)

    write(plan, files)

    chosen = accepted_files(files)
    late = sorted(f"{a} {m} ({f.submitted:%d/%m})" for (a, m), f in chosen.items() if not on_time(plan, f))
    missing = sorted(f"{a} {m}" for a, m in plan.expected(MONTHS) if (a, m) not in chosen)
    print(f"Wrote {len(files)} workbooks and 1 lock file to {OUT}")
    print(f"Accepted submissions: {len(chosen)} of {len(plan.expected(MONTHS))} expected")
    print("Late: " + ", ".join(late))
    print("Without an accepted file: " + ", ".join(missing))
    print("\nFaulty or extra files:")
    for f in files:
        if f.note:
            print(f"  {f.name}: {'accepted' if f.accepted else 'REJECTED'}; "
                  f"expect {', '.join(f.expect) or 'no issue'}; {f.note}")
    print("  ~$CA_TINH_2025-04.xlsx: Excel lock file, not a workbook")

    rows, totals = figures(plan, files)
    print(f"\nExpected figures for {SPAN} (accepted files only):\n")
    print("| indicator | numerator | denominator | value | status |")
    print("|---|---:|---:|---:|---|")
    for code, num, den, value, status in rows:
        print(f"| {code} | {num} | {den} | {value} | {status} |")
    print(f"\nProvince check NN_HO_TRO <= NN_XAC_DINH: {totals['NN_HO_TRO']} <= {totals['NN_XAC_DINH']}"
          f" -> {'holds (no warning)' if totals['NN_HO_TRO'] <= totals['NN_XAC_DINH'] else 'WARNING'}")
    print("\nElement totals over the span (sum; first/last per agency, summed over agencies):")
    print("  " + ", ".join(f"{k}={v}" for k, v in totals.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
