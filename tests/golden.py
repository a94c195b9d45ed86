"""Golden outputs: what kpi prints and writes for the bundled examples, pinned before a refactor.

``python tests/golden.py --write`` (from the repository root) records them in tests/golden/;
tests/test_golden.py checks that today's outputs are the same. A deliberate change of output is
recorded again, and said so in the commit.

Pinned: validate JSON of every example file (English and Vietnamese), aggregate JSON and CSV of
the quarter, every cell value of the consolidated report and of a marked copy; the month of
June (aggregate JSON, and the Word draft's sentence per indicator for June and the quarter):
June holds a rate above 100 % judged on the year to date (KPI_DT_KHAM_PHA, KPI_NN_HO_TRO: 2/1),
a year to date resting on fewer reports than expected (70/72), and a stock (KPI_TD_MO_HINH).
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = "examples/kontum-2025-Q2"
PERIOD = "2025-Q2"
MONTH = "2025-06"
NOW = datetime(2025, 7, 1, 8, 0)
TODAY = NOW.date()


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values, as text (dates as ISO), row by row without trailing blanks."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            values = ["" if v is None else v.isoformat() if isinstance(v, (date, datetime))
                      else v for v in row]
            while values and values[-1] == "":
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        out[ws.title] = rows
    return out


def outputs(tmp: Path) -> dict[str, Any]:
    """Today's outputs, from the repository root."""
    from kpi import load_plan, roll_up, validate_file
    from kpi.annotate import annotate
    from kpi.render import aggregate_csv
    from kpi.report import write_report

    plan = load_plan()
    files = sorted(p for p in (ROOT / EXAMPLES).iterdir() if p.suffix == ".xlsx"
                   and not p.name.startswith("~$"))
    subs = [validate_file(p.relative_to(ROOT), plan, today=TODAY) for p in files]
    result = roll_up([EXAMPLES], PERIOD, plan, now=NOW)
    data: dict[str, Any] = {
        "validate_vi": [s.to_dict("vi") for s in subs],
        "validate_en": [s.to_dict("en") for s in subs],
        "aggregate_vi": result.to_dict("vi"),
        "aggregate_en": result.to_dict("en"),
        "csv_vi": aggregate_csv(result, "vi"),
        "csv_en": aggregate_csv(result, "en"),
    }
    from kpi.narrative import sentence

    month = roll_up([EXAMPLES], MONTH, plan, now=NOW)
    data["aggregate_month_vi"] = month.to_dict("vi")
    data["draft_sentences"] = {f"{r.span.code} {lang}": [sentence(r, i, lang) for i in r.indicators]
                               for r in (month, result) for lang in ("vi", "en")}
    for lang in ("vi", "en"):
        report = write_report(result, tmp / f"report-{lang}.xlsx", lang)
        data[f"report_{lang}"] = _cells(report)
    faulty = next(s for s in subs if not s.valid and s.readable and s.agency)
    data["marked_copy"] = _cells(annotate(faulty, tmp / "copy.xlsx"))
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def main() -> None:
    import os
    import tempfile

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data = outputs(Path(tmp))
    GOLDEN.mkdir(exist_ok=True)
    for key, value in data.items():
        (GOLDEN / f"{key}.json").write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    print(f"wrote {len(data)} golden files to {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/golden.py --write")
    sys.path.insert(0, str(ROOT))
    main()
