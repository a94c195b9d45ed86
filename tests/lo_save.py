"""Save workbooks again inside a real LibreOffice: other formats, optionally with a password.

Run by tests/test_hostile.py with a Python that has LibreOffice's `uno` module (Debian's
python3-uno), never imported by pytest: ``python3 lo_save.py job.json``. The job names the soffice
binary, a private profile and the saves: [source, target, LibreOffice filter name, password or
null]. A password makes LibreOffice encrypt the file as Excel or Calc would when a clerk ticks
"Save with password": an OLE container for .xlsx, RC4 for .xls, an encrypted package for .ods.
"""

from __future__ import annotations

import json
import sys

import lo_session  # type: ignore[import-not-found]
import uno  # type: ignore[import-not-found]
from com.sun.star.beans import NamedValue  # type: ignore[import-not-found]


def named(name: str, value: object) -> NamedValue:
    n = NamedValue()
    n.Name = name
    n.Value = value
    return n


def save(desktop, source: str, target: str, filter_name: str, password: str | None) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                       (lo_session.prop("Hidden", True),))
    try:
        args = [lo_session.prop("FilterName", filter_name), lo_session.prop("Overwrite", True)]
        if password and "2007" in filter_name:
            # Office Open XML: the password goes in as encryption data (ECMA-376 standard).
            data = (named("CryptoType", "Standard"), named("OOXPassword", password))
            args.append(lo_session.prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data)))
        elif password:
            args.append(lo_session.prop("Password", password))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(target),
                                       uno.Any("[]com.sun.star.beans.PropertyValue", tuple(args))))
    finally:
        doc.close(True)


def main(job_file: str) -> None:
    with open(job_file, encoding="utf-8") as handle:
        job = json.load(handle)
    with lo_session.desktop(job["soffice"], job["profile"]) as desktop:
        for source, target, filter_name, password in job["saves"]:
            save(desktop, source, target, filter_name, password)


if __name__ == "__main__":
    main(sys.argv[1])
