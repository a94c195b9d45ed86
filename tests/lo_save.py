"""Save workbooks again inside a real LibreOffice: other formats, optionally with a password.

Run by tests/test_hostile.py with a Python that has LibreOffice's `uno` module (Debian's
python3-uno), never imported by pytest: ``python3 lo_save.py job.json``. The job names the soffice
binary, a private profile and the saves: [source, target, LibreOffice filter name, password or
null]. A password makes LibreOffice encrypt the file as Excel or Calc would when a clerk ticks
"Save with password": an OLE container for .xlsx, RC4 for .xls, an encrypted package for .ods.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import NamedValue, PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def named(name: str, value: object) -> NamedValue:
    n = NamedValue()
    n.Name = name
    n.Value = value
    return n


def save(desktop, source: str, target: str, filter_name: str, password: str | None) -> None:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                       (prop("Hidden", True),))
    try:
        args = [prop("FilterName", filter_name), prop("Overwrite", True)]
        if password and "2007" in filter_name:
            # Office Open XML: the password goes in as encryption data (ECMA-376 standard).
            data = (named("CryptoType", "Standard"), named("OOXPassword", password))
            args.append(prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data)))
        elif password:
            args.append(prop("Password", password))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(target),
                                       uno.Any("[]com.sun.star.beans.PropertyValue", tuple(args))))
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
        for source, target, filter_name, password in job["saves"]:
            save(desktop, source, target, filter_name, password)
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
