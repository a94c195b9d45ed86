"""Shared fixtures: the bundled plan, valid filled submissions, LibreOffice when installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from workbooks import find_soffice, valid_values

from kpi import load_plan, validate_file
from kpi.fill import fill_template

GOOD_AGENCIES = ("VKS", "TAND")  # two good files in every aggregated folder, of agencies with other forms


_CACHE_FOLDER: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs LibreOffice (a few seconds); deselect with -m 'not slow'")
    # The cache of what kpi read (kpi.readcache) goes to a folder of this session, never into
    # the developer's own cache; child processes (kpi_process) inherit it.
    global _CACHE_FOLDER
    import os
    import tempfile

    _CACHE_FOLDER = tempfile.mkdtemp(prefix="kpi-test-cache-")
    os.environ["KPI_CACHE_DIR"] = _CACHE_FOLDER


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    if _CACHE_FOLDER:
        shutil.rmtree(_CACHE_FOLDER, ignore_errors=True)


@pytest.fixture(autouse=True)
def _vietnamese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own KPI_LANG must not change what the tests see."""
    monkeypatch.delenv("KPI_LANG", raising=False)


@pytest.fixture(autouse=True)
def _own_ledger(tmp_path_factory: pytest.TempPathFactory):
    """kpi's ledger of its outputs (kpi.ledger) kept with the test session, not in the home
    folder; its own patch, so a test's monkeypatch.undo() keeps it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KPI_STATE_DIR", str(tmp_path_factory.getbasetemp() / "kpi-state"))
        yield


@pytest.fixture(scope="session")
def plan():
    return load_plan()


@pytest.fixture
def make_submission(plan, tmp_path: Path) -> Callable[..., Path]:
    """A fully valid filled workbook for an agency, built with the project's own template.

    ``make_submission("CA_TINH", TG_PHAN_LOAI=9)`` overrides single values; tests then spoil the
    file with openpyxl to tell one story each.
    """

    def make(agency: str = "CA_TINH", name: str | None = None, **overrides: object) -> Path:
        values = valid_values(plan, agency)
        values.update(overrides)
        path = tmp_path / (name or f"{agency}_2024-10.xlsx")
        return fill_template(plan, agency, values, path, "2024-10")

    return make


@pytest.fixture(scope="session")
def base(plan, tmp_path_factory) -> Path:
    """A valid submission of CA_TINH for October 2025; every bad file starts from a copy."""
    folder = tmp_path_factory.mktemp("base")
    path = fill_template(plan, "CA_TINH", valid_values(plan, "CA_TINH"), folder / "CA_TINH_2024-10.xlsx",
                         "2024-10")
    assert validate_file(path, plan).issues == []
    return path


@pytest.fixture(scope="session")
def good(plan, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("good")
    return {agency: fill_template(plan, agency, valid_values(plan, agency),
                                  folder / f"{agency}_2024-10.xlsx", "2024-10").read_bytes()
            for agency in GOOD_AGENCIES}


@pytest.fixture
def small_folder(good, tmp_path) -> Path:
    folder = tmp_path / "nop"
    folder.mkdir()
    for agency, data in good.items():
        (folder / f"{agency}_2024-10.xlsx").write_bytes(data)
    return folder


@pytest.fixture(scope="session")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(soffice binary, private profile URI) for this test session; skips when not installed."""
    binary = find_soffice()
    if binary is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: .xls/.ods round trips and formula "
                    "results not tested")
    profile = tmp_path_factory.mktemp("libreoffice-profile")
    return binary, profile.as_uri()
