"""Naive baseline: what an analyst would write with pandas, for comparison with `kpi aggregate`.

    python benchmarks/baseline.py FOLDER

Reads every sheet of every workbook under FOLDER with ``pandas.read_excel(path, sheet_name=None,
engine="openpyxl")``, keeps the rows whose column A holds an element code and column E a number,
builds one DataFrame and sums each element with a ``groupby``. Prints JSON: files, rows and the
totals per element.

It does less than kpi: no validation, no rules, no completeness or indicators, and every element
is summed, including the opening balances (``first``) and stocks (``last``) that kpi aggregates
by their own rule; its totals equal kpi's only for the ``sum`` elements (run.py checks those).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def main(folder: str) -> None:
    files = sorted(p for p in Path(folder).rglob("*.xlsx") if not p.name.startswith("~$"))
    frames = []
    for path in files:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        for frame in sheets.values():
            if frame.shape[1] < 5:
                continue
            part = frame.iloc[:, [0, 4]].copy()
            part.columns = ["element", "value"]
            part["file"] = path.name
            frames.append(part)
    data = pd.concat(frames, ignore_index=True)
    codes = data["element"].astype(str)
    data = data[codes.str.match(CODE) & ~codes.str.startswith("META_")]
    data["value"] = pd.to_numeric(data["value"], errors="coerce")
    data = data.dropna(subset=["value"])
    totals = data.groupby("element")["value"].sum()
    json.dump({"files": len(files), "rows": len(data),
               "totals": {str(k): int(v) for k, v in totals.items()}}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python benchmarks/baseline.py FOLDER")
    main(sys.argv[1])
