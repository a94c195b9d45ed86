"""Benchmark data: N filled submissions, one per distinct (agency, month), cached on disk.

A province has 24 agencies, i.e. 288 submissions a year; 10,000 files need more reporting units.
The benchmark plan is the bundled plan (forms, elements, rules, indicators and its 24 agencies,
copied verbatim) with commune-like agencies appended, each reporting forms TT, TH and NH, so that
``ceil(N / 12)`` agencies report over the 12 months of :data:`YEAR`. Files are assigned month by
month (January for every agency, then February, ...) until N are written: every file is a
distinct (agency, month) of the plan, nothing is superseded, and ``kpi aggregate --plan PLAN
--period YEAR`` accepts all N of them. Values are random (seeded) but keep every submission rule
of the plan, errors and warnings alike.

Speed. Saving 10,000 workbooks with openpyxl costs about 10-30 ms each. Instead, for each agency
*shape* (the set of forms it reports, and the lines its name wraps to on the cover, which set that
row's height) the project's own generator builds the template once
(``kpi.templates.build_template``) and fills it with sentinel values (``kpi.fill.fill_workbook``);
the saved zip is split at the sentinels, and each file is written by joining the pieces with its
own values (formatted as openpyxl formats them) into a new zip. A sample of files is checked to
be byte-for-byte equal, part by part, to what ``kpi.fill.fill_template`` writes for the same
values (only the zip timestamps and the save time openpyxl puts in docProps/core.xml differ), and
to pass ``kpi.validate.validate_file`` without a single issue.

Cache: ``benchmarks/cache/n{N}-{key}/`` with ``plan.toml``, ``files/`` and ``manifest.json``
(written last: a folder without it is incomplete and is rebuilt). The key hashes N,
:data:`GENERATOR_VERSION`, this file, the base plan file, ``kpi/templates.py``, ``kpi/fill.py``,
the openpyxl version and the content of the sentinel templates themselves (so any change in what
the template generator writes, wherever it comes from, invalidates the cache).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

# Bump when the generated data changes in a way the hashes below would not see.
GENERATOR_VERSION = 3
SEED = 1583_2025
YEAR = 2024  # a year the bundled Kon Tum plan covers whole (it ends in 2025-06)
PERIOD = str(YEAR)
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
COMMUNE_FORMS = ("TT", "TH", "NH")
LATE_SHARE = 0.1  # share of submissions sent after the deadline (still accepted)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / "cache"

# Sentinels written into the shape templates and replaced in each file. They are plain ASCII
# with no XML-special characters, so openpyxl writes them verbatim.
S_CODE = "ZQCODEQZ"  # short: the code cell must not wrap where a real code does not
S_NAME = "ZQNAMEQZ"  # padded with S_NAME_PAD until it wraps to as many lines as a real name
S_NAME_PAD = " QZPADQZ"
NAME_LINES = (1, 2, 3)  # lines an agency's name may wrap to on the cover
S_TEXT = {"META_PERIOD": "ZQSENTINELPERIODQZ", "META_REPORTER": "ZQSENTINELREPORTERQZ",
          "META_PHONE": "ZQSENTINELPHONEQZ"}
S_DATE = datetime(2099, 9, 9, 9, 9, 9)
S_NUMBER_BASE = 987_650_000
S_MODIFIED = "ZQSENTINELMODIFIEDQZ"
MODIFIED_RE = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
REPORTERS = ("Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Thu Hà", "Y Hương", "A Tuấn",
             "Phạm Minh Tuấn", "Đinh Văn Khánh", "Võ Thị Kim Oanh")


class GenerationError(RuntimeError):
    """The generator could not produce files equal to the project's own template output."""


@dataclass
class Dataset:
    n: int
    folder: Path
    files_dir: Path
    plan_path: Path
    period: str
    manifest: dict[str, Any]
    generated: bool  # False when taken from the cache
    seconds: float  # generation time (this run, or the recorded one when cached)


# --- plan --------------------------------------------------------------------------------------

def base_plan_path() -> Path:
    from kpi.plan import DEFAULT_PLAN

    return Path(DEFAULT_PLAN)


def commune_count(n: int, base_agencies: int) -> int:
    return max(0, math.ceil(n / len(MONTHS)) - base_agencies)


def commune_code(i: int) -> str:
    return f"XA_{i:05d}"


def plan_text(base_text: str, communes: int) -> str:
    """The bundled plan verbatim, with ``communes`` commune-like agencies appended."""
    parts = [base_text.rstrip("\n"), "",
             "# " + "-" * 93,
             f"# Benchmark: {communes} commune-like agencies appended by benchmarks/generate.py",
             "# (forms TT, TH and NH, like the districts; level 'district' as the schema allows).",
             "# " + "-" * 93]
    for i in range(1, communes + 1):
        code = commune_code(i)
        parts += ["", "[[agencies]]", f'code = "{code}"',
                  f'name_vi = "Ủy ban nhân dân xã số {i:05d}"',
                  f'name_en = "People\'s Committee of commune no. {i:05d}"',
                  'level = "district"',
                  "forms = [" + ", ".join(f'"{f}"' for f in COMMUNE_FORMS) + "]"]
    return "\n".join(parts) + "\n"


# --- values ------------------------------------------------------------------------------------

def _high(element) -> int:
    unit = element.unit_vi.lower()
    if "lượt" in unit:
        return 400
    if "tin" in unit or "bài" in unit:
        return 40
    return 8


def random_values(plan, agency, rng: random.Random) -> dict[str, int]:
    """Random counts for every element of the agency's forms, keeping every submission rule."""
    from kpi.expr import evaluate

    elements = plan.elements_for_agency(agency)
    # An element broken down (victims by sex, age, ethnicity) is 0 with its grid left blank, as a
    # clerk leaves it in a month where none arose (kpi reads the blank grid as zeros).
    values = {e.code: 0 if e.breakdowns else rng.randint(0, _high(e)) for e in elements}
    rules = [r for r in plan.rules if r.scope == "submission"
             and all(n in values for n in r.expression.names)]
    for _ in range(50):
        broken = False
        for rule in rules:
            if evaluate(rule.expression, values) is not False:
                continue
            broken = True
            left, op, right = rule.expression.sides()
            target = left.source.strip()
            limit = evaluate(right, values)
            if target not in values or limit is None:
                raise GenerationError(f"cannot satisfy rule {rule.code}: {rule.expression.source}")
            limit = math.floor(limit) if op in ("<=", "<") else math.ceil(limit)
            if op == "<=":
                values[target] = rng.randint(0, max(0, limit))
            elif op == "<":
                values[target] = rng.randint(0, max(0, limit - 1))
            elif op == ">=":
                values[target] = max(0, limit) + rng.randint(0, _high(plan.element_by_code[target]))
            elif op == ">":
                values[target] = max(0, limit) + 1 + rng.randint(0, _high(plan.element_by_code[target]))
            else:
                raise GenerationError(f"cannot satisfy rule {rule.code}: {rule.expression.source}")
        if not broken:
            if any(values[e.code] for e in elements if e.breakdowns):
                raise GenerationError(f"rules of agency {agency.code} need a broken-down element > 0")
            return values
    raise GenerationError(f"rules of agency {agency.code} could not all be kept")


def submission_meta(plan, agency, month: str, rng: random.Random) -> dict[str, Any]:
    from kpi.periods import deadline, month_window

    end = month_window(month, plan.cutoff_day)[1]
    due = deadline(month, plan.cutoff_day, plan.deadline_days)
    if rng.random() < LATE_SHARE:
        day = due + timedelta(days=rng.randint(1, 10))
    else:
        day = end + timedelta(days=rng.randint(1, max(1, plan.deadline_days)))
    sent = datetime(day.year, day.month, day.day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
    year, mon = month.split("-")
    return {
        "META_AGENCY": agency.code,
        "META_PERIOD": f"{mon}/{year}",
        "META_REPORTER": rng.choice(REPORTERS),
        "META_PHONE": f"0260 {rng.randint(3000000, 3999999)}",
        "META_SUBMITTED": sent,
    }


# --- shape templates ---------------------------------------------------------------------------

@dataclass
class Shape:
    """The zip of one agency shape, filled with sentinels, split for fast per-file assembly."""

    forms: tuple[str, ...]
    entries: list[tuple[str, list[bytes | str]]]  # name -> literal bytes and slot names

    def render(self, slots: dict[str, bytes]) -> list[tuple[str, bytes]]:
        return [(name, b"".join(p if isinstance(p, bytes) else slots[p] for p in pieces))
                for name, pieces in self.entries]


def _sentinel_values(plan, agency) -> tuple[dict[str, Any], dict[bytes, str]]:
    """Values to fill a shape template with, and sentinel text -> slot name."""
    from openpyxl.utils.datetime import to_excel

    values: dict[str, Any] = dict(S_TEXT)
    values["META_AGENCY"] = S_CODE
    values["META_SUBMITTED"] = S_DATE
    slots: dict[bytes, str] = {S_CODE.encode(): "@code", agency.name_vi.encode(): "@name"}
    for code, text in S_TEXT.items():
        slots[f"<t>{text}</t>".encode()] = code
    slots[f"<v>{to_excel(S_DATE):.16g}</v>".encode()] = "META_SUBMITTED"
    for i, element in enumerate(plan.elements_for_agency(agency)):
        values[element.code] = S_NUMBER_BASE + i
        slots[f"<v>{S_NUMBER_BASE + i}</v>".encode()] = element.code
    return values, slots


Layout = tuple[float, float, bool]  # width (characters), font size, bold; width inf: no wrap


def cover_layouts(plan) -> dict[str, Layout]:
    """How the cover sets the agency's name and code: its row is as tall as the lines they wrap
    to (kpi.xlsx.fit_row_heights), so a shape holds the agencies whose row is as tall."""
    from kpi.plan import Agency
    from kpi.templates import build_template

    forms = plan.agencies[0].forms
    ws = build_template(plan, Agency(S_CODE, S_NAME, S_NAME, "district", forms), None).worksheets[0]
    found: dict[str, Layout] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value not in (S_NAME, S_CODE):
                continue
            if any(cell.coordinate in merged for merged in ws.merged_cells.ranges):
                raise GenerationError("the agency's name or code is in merged cells: teach cover_layouts")
            key = "name" if cell.value == S_NAME else "code"
            if not (cell.alignment and cell.alignment.wrap_text):
                found[key] = (math.inf, 11.0, False)
            else:
                width = ws.column_dimensions[cell.column_letter].width or 8.43
                found[key] = (width, float(cell.font.sz or 11), bool(cell.font.b))
    if set(found) != {"name", "code"}:
        raise GenerationError(f"the agency's name and code are not both on the cover: {found}")
    return found


def text_lines(text: str, layout: Layout) -> int:
    from kpi.xlsx import wrapped_lines

    width, size, bold = layout
    return 1 if width == math.inf else wrapped_lines(text, width, size, bold)


def cover_lines(agency, layouts: dict[str, Layout]) -> int:
    """The lines the agency's row on the cover is as tall as."""
    return max(text_lines(agency.name_vi, layouts["name"]), text_lines(agency.code, layouts["code"]))


def sentinel_name(lines: int, layouts: dict[str, Layout]) -> str:
    """A sentinel name that wraps to ``lines`` lines, as the real names it stands for."""
    if text_lines(S_CODE, layouts["code"]) != 1:
        raise GenerationError("the sentinel code wraps on the cover")
    name = S_NAME
    while text_lines(name, layouts["name"]) < lines:
        name += S_NAME_PAD
    if text_lines(name, layouts["name"]) != lines:
        raise GenerationError(f"no sentinel name wraps to {lines} lines")
    return name


def build_shape(plan, forms: tuple[str, ...], name: str = S_NAME) -> Shape:
    """The shape of the agencies reporting ``forms`` whose names wrap as ``name`` does."""
    from kpi.fill import fill_workbook
    from kpi.plan import Agency
    from kpi.templates import build_template

    agency = Agency(S_CODE, name, name, "district", forms)
    values, slots = _sentinel_values(plan, agency)
    wb = build_template(plan, agency, None)
    fill_workbook(wb, values)
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl stamps dcterms:modified with the time of saving: a slot, filled per file.
    slots[S_MODIFIED.encode()] = "@modified"
    pattern = re.compile(b"|".join(re.escape(s) for s in sorted(slots, key=len, reverse=True)))
    entries: list[tuple[str, list[bytes | str]]] = []
    found: dict[str, int] = {}
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            data = MODIFIED_RE.sub(rb"\g<1>" + S_MODIFIED.encode() + rb"\g<2>", archive.read(info.filename))
            pieces: list[bytes | str] = []
            last = 0
            for m in pattern.finditer(data):
                pieces.append(data[last:m.start()])
                slot = slots[m.group(0)]
                pieces.append(slot)
                found[slot] = found.get(slot, 0) + 1
                last = m.end()
            pieces.append(data[last:])
            entries.append((info.filename, pieces))
    wanted = list(slots.values())
    missing = [s for s in wanted if s not in found]
    if missing or any(n != 1 for s, n in found.items() if not s.startswith("@")):
        raise GenerationError(f"shape {forms}: sentinels not written once each: missing {missing}, {found}")
    return Shape(forms, entries)


def _xml_text(text: str) -> bytes:
    if text != text.strip():
        raise GenerationError(f"value with leading or trailing spaces not supported: {text!r}")
    return escape(text).encode()


def file_slots(agency, values: dict[str, Any], modified: bytes) -> dict[str, bytes]:
    """Each slot's bytes, formatted as openpyxl writes them (see openpyxl/cell/_writer.py)."""
    from openpyxl.utils.datetime import to_excel

    slots = {"@code": _xml_text(agency.code), "@name": _xml_text(agency.name_vi),
             "@modified": modified}
    for code, value in values.items():
        if code == "META_AGENCY":
            continue
        if code in S_TEXT:
            slots[code] = b"<t>" + _xml_text(value) + b"</t>"
        elif code == "META_SUBMITTED":
            slots[code] = b"<v>" + format(to_excel(value), ".16g").encode() + b"</v>"
        else:
            slots[code] = b"<v>" + format(value, ".16g").encode() + b"</v>"
    return slots


def write_xlsx(path: Path, parts: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


# --- cache key ---------------------------------------------------------------------------------

def _sha(*chunks: bytes) -> str:
    h = hashlib.sha256()
    for c in chunks:
        h.update(len(c).to_bytes(8, "little"))
        h.update(c)
    return h.hexdigest()


ShapeKey = tuple[tuple[str, ...], int]  # the forms, the lines the agency's cover row is tall


def cache_key(n: int, base_plan: Path, shapes: dict[ShapeKey, Shape], extra: bytes = b"") -> str:
    import openpyxl

    import kpi.fill
    import kpi.templates

    # The modules actually imported (an installed kpi need not be the one beside this folder).
    chunks = [str(n).encode(), str(GENERATOR_VERSION).encode(), str(SEED).encode(),
              Path(__file__).read_bytes(), base_plan.read_bytes(),
              Path(kpi.templates.__file__).read_bytes(), Path(kpi.fill.__file__).read_bytes(),
              openpyxl.__version__.encode()] + ([extra] if extra else [])
    for shape_key in sorted(shapes):
        for name, pieces in shapes[shape_key].entries:
            chunks.append(name.encode())
            chunks += [p if isinstance(p, bytes) else p.encode() for p in pieces]
    return _sha(*chunks)[:16]


# --- generation --------------------------------------------------------------------------------

_SHAPES: dict[ShapeKey, Shape] = {}


def _write_chunk(jobs: list[tuple[str, ShapeKey, dict[str, bytes]]]) -> int:
    for path, shape_key, slots in jobs:
        write_xlsx(Path(path), _SHAPES[shape_key].render(slots))
    return len(jobs)


def _log(message: str) -> None:
    print(message, flush=True)


def _shapes(base_plan) -> tuple[dict[ShapeKey, Shape], dict[str, Layout]]:
    shape_forms = sorted({a.forms for a in base_plan.agencies} | {COMMUNE_FORMS})
    layouts = cover_layouts(base_plan)
    shapes = {(forms, lines): build_shape(base_plan, forms, sentinel_name(lines, layouts))
              for forms in shape_forms for lines in NAME_LINES}
    return shapes, layouts


def _cached(folder: Path, key: str, n: int, period: str, log) -> Dataset | None:
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("key") == key and manifest.get("n") == n:
            log(f"  {n} files: cached in {folder.relative_to(ROOT)} "
                f"(generated in {manifest['generation_seconds']:.1f} s)")
            return Dataset(n, folder, folder / "files", folder / "plan.toml", period, manifest,
                           False, manifest["generation_seconds"])
    return None


def dataset(n: int, *, workers: int | None = None, verify_sample: int = 6,
            log=_log) -> Dataset:
    """The cached dataset of ``n`` files, generated when missing or stale."""
    from kpi.plan import load_plan

    base = base_plan_path()
    base_plan = load_plan(base)
    shapes, layouts = _shapes(base_plan)
    key = cache_key(n, base, shapes)
    folder = CACHE / f"n{n}-{key}"
    found = _cached(folder, key, n, PERIOD, log)
    if found:
        return found
    # Stale entries for the same N (another key) and any half-written folder are removed.
    _remove_stale(f"n{n}-*", log)
    communes = commune_count(n, len(base_plan.agencies))
    text = plan_text(base.read_text(encoding="utf-8"), communes)
    log(f"  {n} files: generating in {folder.relative_to(ROOT)} "
        f"({len(base_plan.agencies)} agencies of the bundled plan + {communes} communes)")

    def pairs_of(plan):
        return [(a, m) for m in MONTHS for a in plan.agencies][:n]

    return _generate(folder, key, n, PERIOD, text, pairs_of, shapes, layouts, False,
                     {"communes": communes}, workers, verify_sample, log)


# --- history: the monthly routine's nop/ folder ------------------------------------------------

HISTORY_PLAN = "quangngai_2026.toml"  # the plan the README's routine uses (109 units)
# The last month of history: fixed (the cache does not depend on the day it runs) and in the past
# (a submission dated after today is an error), with its quarter complete.
HISTORY_END = (2026, 9)


def history_months(years: int) -> list[str]:
    """The ``12 * years`` months of history ending with :data:`HISTORY_END`, oldest first."""
    year, month = HISTORY_END
    index = year * 12 + month - 1
    return [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - 12 * years + 1, index + 1)]


def history_periods(years: int) -> dict[str, str]:
    """The month and the quarter the routine rolls up: the last of the history."""
    year, month = HISTORY_END
    return {"month": f"{year}-{month:02d}", "quarter": f"{year}-Q{(month - 1) // 3 + 1}"}


def history_plan_text(base_text: str, first_month: str) -> str:
    """The bundled plan verbatim; when the history starts before its coverage (5 years back
    from 2026 is before the province's 2025-07), with ``coverage_start`` moved back to the
    history's first month, nothing else changed."""
    found = re.search(r'^coverage_start = "(\d{4}-\d{2})"$', base_text, re.MULTILINE)
    if not found:
        raise GenerationError("the history plan has no coverage_start line")
    if found.group(1) <= first_month:
        return base_text
    return (base_text[:found.start()] + f'coverage_start = "{first_month}"  # benchmark: '
            f"moved back from {found.group(1)} by benchmarks/generate.py" + base_text[found.end():])


def history(years: int, *, workers: int | None = None, verify_sample: int = 6,
            log=_log) -> Dataset:
    """``nop/`` as the README's monthly routine keeps it: one folder per month
    (``files/2026-01/AGENCY_2026-01.xlsx``...), every unit of the bundled Quảng Ngãi plan that is
    expected in that month, ``years`` years of months; cached like :func:`dataset`."""
    from kpi.plan import DEFAULT_PLAN, load_plan

    base = Path(DEFAULT_PLAN).parent / HISTORY_PLAN
    if years < 1:
        raise GenerationError("history needs at least 1 year")
    months = history_months(years)
    text = history_plan_text(base.read_text(encoding="utf-8"), months[0])
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        (Path(tmp) / "plan.toml").write_text(text, encoding="utf-8")
        base_plan = load_plan(Path(tmp) / "plan.toml")  # the templates say the coverage
        n = len(months) * len([a for a in base_plan.agencies if a.forms])
        shapes, layouts = _shapes(base_plan)
    key = cache_key(n, base, shapes, extra=f"history {years} {HISTORY_PLAN}".encode())
    folder = CACHE / f"history{years}y-{key}"
    periods = history_periods(years)
    found = _cached(folder, key, n, periods["month"], log)
    if found:
        return found
    _remove_stale(f"history{years}y-*", log)
    log(f"  {years} year(s) of history, {n} files: generating in {folder.relative_to(ROOT)} "
        f"({len(base_plan.agencies)} agencies of {HISTORY_PLAN}, {months[0]}..{months[-1]})")

    def pairs_of(plan):
        return [(a, m) for m in months for a in plan.agencies if a.forms]

    return _generate(folder, key, n, periods["month"], text, pairs_of,
                     shapes, layouts, True, {"years": years, "periods": periods}, workers,
                     verify_sample, log)


def _remove_stale(pattern: str, log) -> None:
    for old in CACHE.glob(pattern):
        if old.is_dir():
            log(f"  removing stale cache {old.relative_to(ROOT)}")
            shutil.rmtree(old)


def _generate(folder: Path, key: str, n: int, period: str, text: str, pairs_of, shapes, layouts,
              by_month: bool, extra: dict[str, Any], workers: int | None, verify_sample: int,
              log) -> Dataset:
    from kpi.plan import load_plan

    started = time.perf_counter()
    folder.mkdir(parents=True)
    plan_path = folder / "plan.toml"
    plan_path.write_text(text, encoding="utf-8")
    plan = load_plan(plan_path)
    agencies = list(plan.agencies)
    pairs = pairs_of(plan)
    if len(pairs) != n:
        raise GenerationError(f"only {len(pairs)} (agency, month) pairs for {n} files")

    rng = random.Random(SEED)
    # As openpyxl does on saving (writer/excel.py): the time of writing, UTC, to the second.
    modified = datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    files_dir = folder / "files"
    files_dir.mkdir()
    jobs = []
    records = []
    for agency, month in pairs:
        values = random_values(plan, agency, rng)
        meta = submission_meta(plan, agency, month, rng)
        name = f"{month}/{agency.code}_{month}.xlsx" if by_month else f"{agency.code}_{month}.xlsx"
        if by_month:
            (files_dir / month).mkdir(exist_ok=True)
        lines = cover_lines(agency, layouts)
        if (agency.forms, lines) not in shapes:
            raise GenerationError(f"{agency.code}: a name or code over {max(NAME_LINES)} lines")
        jobs.append((str(files_dir / name), (agency.forms, lines),
                     file_slots(agency, {**values, **meta}, modified)))
        records.append((name, agency, month, values, meta))

    global _SHAPES
    _SHAPES = shapes
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    chunk = 200
    batches = [jobs[i:i + chunk] for i in range(0, len(jobs), chunk)]
    done = 0
    last_report = time.perf_counter()
    if workers > 1 and len(batches) > 1:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for count in pool.imap_unordered(_write_chunk, batches):
                done += count
                if time.perf_counter() - last_report > 2 or done == n:
                    last_report = time.perf_counter()
                    log(f"    {done:>6}/{n} written ({last_report - started:.1f} s)")
    else:
        for batch in batches:
            done += _write_chunk(batch)
            if time.perf_counter() - last_report > 2 or done == n:
                last_report = time.perf_counter()
                log(f"    {done:>6}/{n} written ({last_report - started:.1f} s)")

    verified = verify(plan, records, files_dir, verify_sample)
    seconds = time.perf_counter() - started
    manifest = {
        "n": n, "key": key, "generator_version": GENERATOR_VERSION, "seed": SEED,
        "period": period, "plan": "plan.toml", "files": "files",
        "agencies": len(agencies), **extra,
        "months": sorted({m for _, m in pairs}),
        "expected": expected_figures(plan, records),
        "verified_equal_to_fill_template": verified,
        "bytes": sum(p.stat().st_size for p in files_dir.rglob("*.xlsx")),
        "generation_seconds": round(seconds, 2),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    log(f"  {n} files generated in {seconds:.1f} s ({manifest['bytes'] / 1e6:.1f} MB)")
    return Dataset(n, folder, files_dir, plan_path, period, manifest, True, seconds)


def verify(plan, records, files_dir: Path, sample: int) -> list[str]:
    """Byte-compare a sample of files, part by part, with ``kpi.fill.fill_template`` output,
    and validate them: not one issue, not even a warning."""
    from kpi.fill import fill_template
    from kpi.validate import validate_file

    layouts = cover_layouts(plan)
    picks: dict[ShapeKey, Any] = {}
    for record in records:  # one file of each shape ...
        picks.setdefault((record[1].forms, cover_lines(record[1], layouts)), record)
    chosen = list(picks.values())
    rng = random.Random(SEED + 1)  # ... and a few more at random
    chosen += rng.sample(records, min(len(records), max(0, sample - len(chosen))))
    names = []
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        for name, agency, _month, values, meta in chosen:
            reference = Path(tmp) / Path(name).name
            fill_template(plan, agency.code, {**values, **meta}, reference)
            with zipfile.ZipFile(reference) as ref, zipfile.ZipFile(files_dir / name) as ours:
                # Only the save time in docProps/core.xml may differ.
                ref_parts = [(i.filename, MODIFIED_RE.sub(b"", ref.read(i.filename)))
                             for i in ref.infolist()]
                our_parts = [(i.filename, MODIFIED_RE.sub(b"", ours.read(i.filename)))
                             for i in ours.infolist()]
            if ref_parts != our_parts:
                diff = [a for a, b in zip(ref_parts, our_parts, strict=False) if a != b]
                raise GenerationError(
                    f"{name}: differs from kpi.fill.fill_template output in "
                    f"{[d[0] for d in diff] or 'the list of parts'}")
            sub = validate_file(files_dir / name, plan)
            if not sub.valid or sub.issues:
                raise GenerationError(f"{name}: kpi validate finds {[i.code for i in sub.issues]}")
            names.append(name)
    return names


def expected_figures(plan, records) -> dict[str, Any]:
    """What aggregate must find, computed here from the values written."""
    from kpi.periods import deadline

    how = {e.code: e.aggregation for e in plan.elements}
    per_agency: dict[str, dict[str, list[tuple[str, int]]]] = {}
    plain: dict[str, int] = {}
    on_time = 0
    for _name, agency, month, values, meta in records:
        for code, value in values.items():
            per_agency.setdefault(agency.code, {}).setdefault(code, []).append((month, value))
            plain[code] = plain.get(code, 0) + value
        if meta["META_SUBMITTED"].date() <= deadline(month, plan.cutoff_day, plan.deadline_days):
            on_time += 1
    totals: dict[str, int] = {}
    for elements in per_agency.values():
        for code, series in elements.items():
            series.sort()
            if how[code] == "first":
                value = series[0][1]
            elif how[code] == "last":
                value = series[-1][1]
            else:
                value = sum(v for _, v in series)
            totals[code] = totals.get(code, 0) + value
    return {"accepted": len(records), "on_time": on_time, "totals": totals, "plain_sums": plain,
            "sum_elements": sorted(c for c, h in how.items() if h == "sum")}


if __name__ == "__main__":  # python benchmarks/generate.py 1000 history1 history5
    for arg in sys.argv[1:] or ["100"]:
        if arg.startswith("history"):
            history(int(arg.removeprefix("history")))
        else:
            dataset(int(arg))
