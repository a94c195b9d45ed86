"""Fill blank templates inside a real LibreOffice, as a clerk would, and save them.

Run by tests/test_roundtrip.py with a Python that has LibreOffice's `uno` module (Debian's
python3-uno), never imported by pytest: ``python3 lo_fill.py job.json``. The job names the
soffice binary, a private profile, and for each template the values to type into column E of
the row carrying each code (numbers with setValue, text with setString, dates as their serial
number; a list for a row of a breakdown grid, typed from column E rightwards; {"typed": text}
for text LibreOffice reads as from the keyboard, by the cell's format, so 0912345678 becomes a
number in a General cell and stays text in a Text cell) and the files to save it as (path,
LibreOffice filter name).
"""

from __future__ import annotations

import json
import sys

import lo_session  # type: ignore[import-not-found]
import uno  # type: ignore[import-not-found]


def fill(desktop, item: dict) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(item["template"]), "_blank", 0,
                                       (lo_session.prop("Hidden", True),))
    try:
        values = item["values"]
        for sheet in doc.Sheets:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            for row in range(cursor.RangeAddress.EndRow + 1):
                code = sheet.getCellByPosition(0, row).getString()
                if code not in values or values[code] is None:
                    continue
                value = values[code]
                # a row of a breakdown grid takes a list: its cells from column E rightwards
                for j, one in enumerate(value if isinstance(value, list) else [value]):
                    if one is None:
                        continue
                    cell = sheet.getCellByPosition(4 + j, row)
                    if isinstance(one, dict):
                        cell.FormulaLocal = one["typed"]  # as typed: read by the cell's format
                    elif isinstance(one, str):
                        cell.setString(one)
                    else:
                        cell.setValue(one)
        for path, filter_name in item["outputs"]:
            doc.storeToURL(uno.systemPathToFileUrl(path), (lo_session.prop("FilterName", filter_name),))
    finally:
        doc.close(True)


def main(job_file: str) -> None:
    with open(job_file, encoding="utf-8") as handle:
        job = json.load(handle)
    with lo_session.desktop(job["soffice"], job["profile"]) as desktop:
        for item in job["files"]:
            fill(desktop, item)


if __name__ == "__main__":
    main(sys.argv[1])
