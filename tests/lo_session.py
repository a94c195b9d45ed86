"""A private headless LibreOffice driven over UNO, for tests/lo_fill.py and tests/lo_save.py.

Imported only by those scripts, which run with a Python that has LibreOffice's `uno` module
(Debian's python3-uno); never imported by pytest.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


@contextlib.contextmanager
def desktop(soffice: str, profile: str) -> Iterator[object]:
    """Start soffice with its own profile, yield its Desktop, and always stop it."""
    pipe = "kpi-" + uuid.uuid4().hex
    office = subprocess.Popen(
        [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
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
        app = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        yield app
        try:
            app.terminate()
        except Exception:  # the bridge closes while terminating
            pass
        office.wait(timeout=30)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
