"""The floor: the least any tool reading these workbooks in one Python process must spend.

    python benchmarks/floor.py FOLDER

python-calamine (the reader kpi uses) opens every workbook under FOLDER and converts every sheet
to Python values (``CalamineWorkbook.from_path`` + ``to_python``), and nothing else: no
validation, no aggregation, one process. Prints JSON: files, sheets and cells read.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook


def main(folder: str) -> None:
    files = sorted(p for p in Path(folder).rglob("*.xlsx") if not p.name.startswith("~$"))
    sheets = cells = 0
    for path in files:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python()
            sheets += 1
            cells += sum(len(row) for row in rows)
        workbook.close()
    json.dump({"files": len(files), "sheets": sheets, "cells": cells}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python benchmarks/floor.py FOLDER")
    main(sys.argv[1])
