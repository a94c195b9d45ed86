"""How tall LibreOffice itself makes each row of a workbook, against the height the file sets.

Run by tests/test_print_and_fill.py with a Python that has LibreOffice's `uno` module (Debian's
python3-uno), never imported by pytest: ``python3 lo_rows.py job.json out.json``. The job names
the soffice binary, a private profile and the workbooks; the output gives, for each workbook and
sheet, one [row, height set, height LibreOffice needs] per used row, in points. LibreOffice's
"optimal height" is the height it gives a row for the wrapped text of its cells with its own
fonts and metrics: a row lower than that cuts its text on screen and on paper.
"""

from __future__ import annotations

import json
import sys

import lo_session  # type: ignore[import-not-found]
import uno  # type: ignore[import-not-found]

POINT = 2540 / 72  # LibreOffice measures in 1/100 mm


def rows(desktop, path: str) -> dict[str, list[list[float]]]:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                       (lo_session.prop("Hidden", True),))
    try:
        found: dict[str, list[list[float]]] = {}
        for sheet in doc.Sheets:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            last = cursor.RangeAddress.EndRow
            heights = []
            for r in range(last + 1):
                row = sheet.Rows.getByIndex(r)
                before = row.Height
                row.OptimalHeight = True
                heights.append([r + 1, round(before / POINT, 2), round(row.Height / POINT, 2)])
            found[sheet.Name] = heights
        return found
    finally:
        doc.close(True)


def main(job_file: str, out_file: str) -> None:
    with open(job_file, encoding="utf-8") as handle:
        job = json.load(handle)
    with lo_session.desktop(job["soffice"], job["profile"]) as desktop:
        result = {path: rows(desktop, path) for path in job["files"]}
    with open(out_file, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
