"""Issue 22 items 5 and 6: the report written at a cost linear and small in its cells, with the
same bytes as before; the benchmark's history of the monthly routine.

Speed itself is measured by benchmarks/run.py (not a test: figures depend on the machine). The
tests hold what makes it fast and that nothing a user sees changes: styling a table does not
grow the work openpyxl does per style object with the rows; the cell writer gives openpyxl's
own bytes; the report rolls each year to date up once.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.indexed_list import IndexedList
from workbooks import valid_values

import kpi.compare
from kpi.aggregate import aggregate
from kpi.fill import fill_template
from kpi.report import build_report
from kpi.rollup import roll_up
from kpi.xlsx import INT_FORMAT, fill_cell, header, put, restyle, table, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}  # the time of saving


def _openpyxl_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl's own writer, cell by cell
    return buffer.getvalue()


def _table_workbook(rows: int) -> Workbook:
    wb = Workbook()
    ws = wb.active
    header(ws, 1, ["agency", "month", "value", "note"])
    for r in range(2, rows + 2):
        put(ws, r, 1, f"AGENCY_{r % 7}")
        put(ws, r, 2, "=not a formula" if r % 5 == 0 else "08/2026")
        put(ws, r, 3, r * 3, INT_FORMAT)
        if r % 3 == 0:
            fill_cell(put(ws, r, 4, "late"), "FFEB9C")
    table(ws, 1, rows + 1, 4)
    return wb


class _Counting:
    """Counts the style objects openpyxl looks up in the workbook's tables (each a hash of every
    attribute, the per-cell cost that made large reports slow)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = IndexedList.add

        def add(table, value):
            self.calls += 1
            return original(table, value)

        monkeypatch.setattr(IndexedList, "add", add)


@pytest.mark.parametrize("rows", [200, 2000])
def test_styling_a_table_costs_the_same_whatever_its_rows(monkeypatch, rows):
    counting = _Counting(monkeypatch)
    _table_workbook(rows)
    # A handful of distinct (style before, change) pairs, each looked up once: not 3 per cell.
    assert counting.calls < 60, counting.calls


@pytest.mark.parametrize("rows", [3, 300])
def test_styles_applied_once_and_copied_give_the_same_file(rows):
    def direct(wb: Workbook) -> None:
        ws = wb.active
        for r in range(1, rows + 1):
            for c in range(1, 4):
                cell = put(ws, r, c, f"{r}-{c}" if c != 2 else r)
                cell.font = Font(size=9, bold=r % 2 == 0)
                cell.alignment = Alignment(vertical="center")

    def cached(wb: Workbook) -> None:
        ws = wb.active
        for r in range(1, rows + 1):
            for c in range(1, 4):
                cell = put(ws, r, c, f"{r}-{c}" if c != 2 else r)
                bold = r % 2 == 0
                restyle(cell, ("font", bold), lambda x, b=bold: setattr(x, "font", Font(size=9, bold=b)))
                restyle(cell, "centre", lambda x: setattr(x, "alignment", Alignment(vertical="center")))

    one, two = Workbook(), Workbook()
    direct(one)
    cached(two)
    assert _parts(workbook_bytes(one)) == _parts(workbook_bytes(two))


def _odd_cells() -> Workbook:
    """Every kind of cell the fast writer writes or hands back to openpyxl."""
    wb = Workbook()
    ws = wb.active
    values = ["plain", "a & b < c > d", "  leading spaces", "trailing ", "   ", "", "=A1 as text",
              "#N/A", "Tiếng Việt có dấu", "line\nbreak", 0, -12, 10**15, 1.5, 1e-7, 2 / 3,
              True, False, None, date(2026, 9, 14), datetime(2026, 9, 14, 8, 30)]
    for r, value in enumerate(values, 1):
        put(ws, r, 1, value)
        put(ws, r, 2, value, INT_FORMAT)
        ws.cell(r, 3).font = Font(bold=True)  # styled, no value
    ws["D1"] = "=SUM(A11:A13)"  # a formula
    ws["D2"].hyperlink = "https://example.org"
    ws["D2"] = "link"
    return wb


@pytest.mark.parametrize("build", ["odd cells", "table"])
def test_fast_cell_writer_gives_openpyxls_own_bytes(build):
    make = _odd_cells if build == "odd cells" else (lambda: _table_workbook(50))
    assert _parts(workbook_bytes(make())) == _parts(_openpyxl_bytes(make()))


@pytest.fixture(scope="module")
def months_folder(plan, tmp_path_factory) -> Path:
    """nop/ with August, September and October 2024 of two agencies, filled by kpi.fill."""
    folder = tmp_path_factory.mktemp("nop")
    for month in ("08", "09", "10"):
        (folder / f"2024-{month}").mkdir()
        for agency in ("CA_TINH", "VKS"):
            fill_template(plan, agency, valid_values(plan, agency, f"{month}/2024"),
                          folder / f"2024-{month}" / f"{agency}_2024-{month}.xlsx", f"2024-{month}")
    return folder


@pytest.mark.parametrize("period", ["2024-10", "2024-Q4"])
def test_report_rolls_each_year_to_date_up_once_and_shows_the_same(monkeypatch, months_folder, period):
    result = roll_up([months_folder], period)
    assert result.year_to_date.span.code.startswith("2024-08..")  # three months of data
    calls: list[str] = []

    def counted(subs, plan, span, *args, **kwargs):
        calls.append(str(getattr(span, "code", span)))
        return aggregate(subs, plan, span, *args, **kwargs)

    monkeypatch.setattr("kpi.aggregate.aggregate", counted)
    wb = build_report(result)
    # The year to date of the period's last month is the period's own: rolled up once.
    assert len(calls) == len(set(calls)), calls
    trend = kpi.compare.ytd_series(result)
    last = result.span.months[-1]
    assert trend[last] is result.year_to_date.result
    # ... and the report is the one a fresh roll-up of every month's year to date gives.
    monkeypatch.setattr(kpi.compare, "ytd_series", _fresh_series)
    again = build_report(result)
    assert _parts(workbook_bytes(wb)) == _parts(workbook_bytes(again))


def _fresh_series(result):
    from kpi.compare import first_with_data, year_to_date_span
    from kpi.periods import parse_span

    subs = [r.submission for r in result.files]
    first = first_with_data(result)
    return {m: aggregate(subs, result.plan, year_to_date_span(parse_span(m), result.plan, first)[0], [],
                         now=result.generated_at, plans=result.plans) for m in result.span.months}


# --- item 6: the benchmark's nop/ folder ------------------------------------------------------------

@pytest.fixture(scope="module")
def generate():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate as module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


@pytest.mark.parametrize("years", [1, 5])
def test_history_is_every_month_up_to_a_complete_past_quarter(generate, years):
    months = generate.history_months(years)
    assert len(months) == 12 * years == len(set(months))
    assert months == sorted(months) and months[-1] == "2026-09"
    assert generate.history_periods(years) == {"month": "2026-09", "quarter": "2026-Q3"}


@pytest.mark.parametrize(("years", "start"), [(1, "2025-07"), (5, "2021-10")])
def test_history_plan_is_the_bundled_one_with_coverage_reaching_back(generate, years, start):
    from kpi.plan import DEFAULT_PLAN

    text = (Path(DEFAULT_PLAN).parent / generate.HISTORY_PLAN).read_text(encoding="utf-8")
    moved = generate.history_plan_text(text, generate.history_months(years)[0])
    assert f'coverage_start = "{start}"' in moved
    assert len(moved.splitlines()) == len(text.splitlines())
    assert moved == text if years == 1 else sum(a != b for a, b in zip(
        moved.splitlines(), text.splitlines(), strict=True)) == 1
