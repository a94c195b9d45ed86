"""Fill blank templates inside a real LibreOffice, as a clerk would, and save them.

Run by tests/test_roundtrip.py with a Python that has LibreOffice's `uno` module (Debian's
python3-uno), never imported by pytest: ``python3 lo_fill.py job.json``. The job names the
soffice binary, a private profile, and for each template the values to type into column E of
the row carrying each code (numbers with setValue, text with setString, dates as their serial
number) and the files to save it as (path, LibreOffice filter name).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def fill(desktop, item: dict) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(item["template"]), "_blank", 0,
                                       (prop("Hidden", True),))
    try:
        values = item["values"]
        for sheet in doc.Sheets:
            cursor = sheet.createCursor()
            cursor.gotoEndOfUsedArea(False)
            for row in range(cursor.RangeAddress.EndRow + 1):
                code = sheet.getCellByPosition(0, row).getString()
                if code not in values or values[code] is None:
                    continue
                cell = sheet.getCellByPosition(4, row)
                value = values[code]
                if isinstance(value, str):
                    cell.setString(value)
                else:
                    cell.setValue(value)
        for path, filter_name in item["outputs"]:
            doc.storeToURL(uno.systemPathToFileUrl(path), (prop("FilterName", filter_name),))
    finally:
        doc.close(True)


def main(job_file: str) -> None:
    with open(job_file, encoding="utf-8") as handle:
        job = json.load(handle)
    pipe = "kpi-" + uuid.uuid4().hex
    office = subprocess.Popen(
        [job["soffice"], "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={job['profile']}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 60
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise SystemExit("LibreOffice did not start") from None
                time.sleep(0.1)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                   context)
        for item in job["files"]:
            fill(desktop, item)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes while terminating
            pass
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(sys.argv[1])
