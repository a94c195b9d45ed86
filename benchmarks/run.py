"""Benchmark `kpi aggregate` against a naive pandas baseline and a calamine floor (issue 6).

    python benchmarks/run.py [--sizes 100,1000,10000] [--repeat 3] [--baseline-max 1000]
                             [--json benchmarks/results/latest.json] [--retry-disturbed 2]
                             [--markdown] [--check]

For each size N: the cached dataset of N submissions (see generate.py), then, each repeated
--repeat times and reported as the median, three subprocesses, interleaved:

- kpi:      kpi aggregate FILES --plan PLAN --period 2024 --format json
- baseline: python benchmarks/baseline.py FILES  (pandas.read_excel + groupby; up to --baseline-max)
- floor:    python benchmarks/floor.py FILES     (python-calamine reads every cell, nothing else)

The monthly routine (issue 22), for each --histories value (years of monthly history in one
nop/ folder, the bundled Quảng Ngãi plan; see generate.history): the month as JSON, the month and
the quarter with --out --docx, each against the floor of the same files in the same run.
--kpi-source DIR measures the kpi/ package under DIR instead of the installed one (a "before").

Wall time is measured around each subprocess; peak memory is the largest sum of VmRSS over the
process and all its descendants, sampled from /proc every 10 ms. Start-up: `kpi --help` and
`kpi validate ONE_FILE`. A run during which other processes took more than 10 % of the CPUs is
measured again and left out of the median. Targets are printed PASS/FAIL; the exit code is 0
unless the harness itself fails (2), or --check is given and a target fails (1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_JSON = HERE / "results" / "latest.json"
SAMPLE_INTERVAL = 0.010  # seconds between /proc samples
STARTUP_RUNS = 7  # at least; more when --repeat is larger
WARM_UP_FILES = 24
DISTURBED = 0.10  # share of all CPUs used by other processes during a run worth a warning

# Targets of issue 6.
T_WALL_1000 = 1.5  # s, kpi aggregate of 1,000 files
T_SPEEDUP_1000 = 8.0  # x faster than the baseline at 1,000 files
T_FLOOR_RATIO_10000 = 2.0  # (kpi wall - start-up) / floor at 10,000 files
T_PEAK_MB_10000 = 300.0  # MB, process tree, at 10,000 files
T_STARTUP = 0.4  # s, kpi --help and kpi validate ONE_FILE
# Targets of issue 22, over 1 year of history: kpi wall / floor wall (whole processes).
T_ROUTINE_REPORT = 3.0  # a month and a quarter with --out --docx
T_ROUTINE_JSON = 2.0  # the month with --format json


class HarnessError(RuntimeError):
    """The harness could not measure (a command failed, output unreadable)."""


# --- process tree memory -----------------------------------------------------------------------

def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _vm_rss_kb(pid: int) -> int:
    status = _read(f"/proc/{pid}/status")
    if status:
        for line in status.splitlines():
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1])
    return 0  # gone, or a zombie


def _ppids() -> dict[int, list[int]]:
    """parent pid -> children, from /proc/*/stat (every process of the machine)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _read(f"/proc/{entry.name}/stat")
        if not stat:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and parentheses.
        ppid = int(stat[stat.rindex(b")") + 2:].split(b" ", 2)[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _task_children(pid: int) -> list[int]:
    """Children of every thread of ``pid`` (/proc/PID/task/TID/children: cheap, no full scan)."""
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        data = _read(f"/proc/{pid}/task/{tid}/children")
        if data:
            found += [int(x) for x in data.split()]
    return found


_HAS_CHILDREN_FILE = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


class TreeSampler(threading.Thread):
    """Samples the summed VmRSS of a process and all its descendants until stopped.

    Descendants come from the cheap /proc/PID/task/*/children files at every sample, and from a
    full scan of /proc/*/stat (ppid) every 10th sample, or at every sample when the kernel has
    no children files. The sum counts pages shared by forked workers once per process, as VmRSS
    does."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = pid
        self.peak_kb = 0
        self.max_processes = 0
        self.samples = 0
        self._stop_event = threading.Event()
        self._known: set[int] = {pid}

    def tree(self, full: bool) -> set[int]:
        pids = {self.root}
        if full or not _HAS_CHILDREN_FILE:
            children = _ppids()
            todo = [self.root]
            while todo:
                for child in children.get(todo.pop(), ()):
                    if child not in pids:
                        pids.add(child)
                        todo.append(child)
        if _HAS_CHILDREN_FILE:
            todo = [self.root]
            while todo:
                for child in _task_children(todo.pop()):
                    if child not in pids:
                        pids.add(child)
                        todo.append(child)
        return pids

    def sample(self) -> None:
        pids = self.tree(full=self.samples % 10 == 0)
        total = sum(_vm_rss_kb(p) for p in pids)
        self.samples += 1
        self.peak_kb = max(self.peak_kb, total)
        self.max_processes = max(self.max_processes, len(pids))

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(SAMPLE_INTERVAL)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _busy_seconds() -> float:
    """CPU time spent by the whole machine so far (all cores, not idle nor waiting on I/O)."""
    fields = [int(x) for x in (_read("/proc/stat") or b"cpu 0").split(b"\n", 1)[0].split()[1:]]
    # user nice system idle iowait irq softirq steal ...
    busy = sum(fields[:3]) + sum(fields[5:8])
    return busy / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    wall: float  # seconds
    peak_mb: float  # summed VmRSS of the process tree, sampled
    max_process_mb: float  # largest single process of the tree (getrusage maxrss, exact)
    processes: int  # most processes seen at once in the tree
    returncode: int
    cpu_s: float = 0.0  # user + system time of the process and its reaped descendants
    other_cpu_share: float = 0.0  # CPU used meanwhile by everything else, share of all cores
    disturbed: bool = False  # other processes took a large share of the CPUs meanwhile


def child_env() -> dict[str, str]:
    """The environment of every measured command: bytecode is cached as in a normal install.

    With PYTHONDONTWRITEBYTECODE set (some CI and sandbox images set it) every start would
    compile kpi's modules again; instead .pyc files go to benchmarks/cache/pycache (the source
    tree stays clean), written by the warm-up runs."""
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        env.setdefault("PYTHONPYCACHEPREFIX", str(generate.CACHE / "pycache"))
    return env


def measure(cmd: list[str], stdout: Path, allowed: tuple[int, ...] = (0,)) -> Run:
    """Run ``cmd`` (stdout to a file), timing it and sampling its process tree's memory."""
    stderr = stdout.with_suffix(".stderr")
    with stdout.open("wb") as out, stderr.open("wb") as err:
        busy_before = _busy_seconds()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=CHILD_ENV)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop()
        busy = _busy_seconds() - busy_before
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in allowed:
        tail = stderr.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise HarnessError(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    other = max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1))
    run = Run(wall, sampler.peak_kb / 1024, usage.ru_maxrss / 1024, sampler.max_processes,
              proc.returncode, cpu, other)
    run.disturbed = _disturbed(run)
    return run


def _disturbed(run: Run) -> bool:
    # /proc/stat counts in 10 ms ticks: too coarse to judge runs shorter than half a second.
    return run.wall >= 0.5 and run.other_cpu_share > DISTURBED


# --- commands ----------------------------------------------------------------------------------

CHILD_ENV = child_env()


KPI_SOURCE: Path | None = None  # --kpi-source: measure the kpi/ package found there instead


def kpi_command() -> list[str]:
    if KPI_SOURCE is not None:
        return [sys.executable, str(HERE / "kpi_at.py"), str(KPI_SOURCE)]
    beside = Path(sys.executable).parent / "kpi"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kpi")
    return [found] if found else [sys.executable, "-m", "kpi"]


def warm_cache(folder: Path) -> None:
    """Read every file once so that every measured run finds them in the page cache."""
    for path in folder.iterdir():
        path.read_bytes()


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class SizeResult:
    n: int
    generated: bool
    generation_seconds: float
    folder: str
    kpi: list[Run] = field(default_factory=list)
    baseline: list[Run] = field(default_factory=list)
    floor: list[Run] = field(default_factory=list)
    baseline_skipped: bool = False
    kpi_totals_correct: bool | None = None
    kpi_accepted: int | None = None
    baseline_totals_correct: bool | None = None
    floor_cells: int | None = None

    def quiet(self, which: str) -> list[Run]:
        """The runs that count: the undisturbed ones, or all when every run was disturbed."""
        runs = getattr(self, which)
        return [r for r in runs if not r.disturbed] or runs

    def med(self, which: str, attr: str = "wall") -> float | None:
        return median([getattr(r, attr) for r in self.quiet(which)])


def check_kpi_output(path: Path, ds: generate.Dataset) -> tuple[bool, int]:
    result = json.loads(path.read_text(encoding="utf-8"))
    expected = ds.manifest["expected"]
    accepted = sum(s["status"] == "accepted" for s in result["submissions"])
    totals_ok = (result["totals"] == expected["totals"] and accepted == ds.n
                 and result["completeness"]["received"] == ds.n
                 and result["completeness"]["on_time"] == expected["on_time"])
    return totals_ok, accepted


def measure_again(runs: list[Run], cmd: list[str], out: Path, allowed: tuple[int, ...],
                  retries: int, name: str = "") -> Run:
    """Measure into ``runs``; a run disturbed by other processes is kept (JSON) but measured
    again, at most ``retries`` times."""
    for tries in range(retries + 1):
        run = measure(cmd, out, allowed)
        runs.append(run)
        if not run.disturbed or tries == retries:
            break
        label = f"{name} " if name else ""
        print(f"      {label}{run.wall:.2f} s disturbed (other processes used "
              f"{run.other_cpu_share:.0%} of the CPUs): measuring again", flush=True)
    return run


def measure_size(ds: generate.Dataset, args, kpi: list[str], work: Path) -> SizeResult:
    res = SizeResult(ds.n, ds.generated, ds.seconds, str(ds.folder.relative_to(ROOT)))
    files = ds.files_dir
    warm_cache(files)
    res.baseline_skipped = ds.n > args.baseline_max
    kpi_cmd = kpi + ["aggregate", str(files), "--plan", str(ds.plan_path), "--period", ds.period,
                     "--format", "json"]
    floor_cmd = [sys.executable, str(HERE / "floor.py"), str(files)]
    base_cmd = [sys.executable, str(HERE / "baseline.py"), str(files)]

    def attempt(name: str, cmd: list[str], out: Path, allowed: tuple[int, ...] = (0,)) -> Run:
        return measure_again(getattr(res, name), cmd, out, allowed, args.retry_disturbed, name)

    for i in range(args.repeat):
        out = work / f"kpi-{ds.n}-{i}.json"
        run = attempt("kpi", kpi_cmd, out, allowed=(0, 1))  # 1: a target not met, the data's business
        correct, accepted = check_kpi_output(out, ds)
        res.kpi_totals_correct = correct if res.kpi_totals_correct is None else (
            res.kpi_totals_correct and correct)
        res.kpi_accepted = accepted
        line = (f"    run {i + 1}/{args.repeat}: kpi {run.wall:6.2f} s {run.peak_mb:6.0f} MB "
                f"({run.processes} proc, cpu {run.cpu_s:5.2f} s, other load {run.other_cpu_share:4.0%})")
        out = work / f"floor-{ds.n}-{i}.json"
        run = attempt("floor", floor_cmd, out)
        res.floor_cells = json.loads(out.read_text())["cells"]
        line += f" | floor {run.wall:6.2f} s"
        if not res.baseline_skipped:
            out = work / f"baseline-{ds.n}-{i}.json"
            run = attempt("baseline", base_cmd, out)
            totals = json.loads(out.read_text())["totals"]
            plain = ds.manifest["expected"]["plain_sums"]
            ok = totals == {k: v for k, v in plain.items()}
            res.baseline_totals_correct = ok if res.baseline_totals_correct is None else (
                res.baseline_totals_correct and ok)
            line += f" | baseline {run.wall:6.2f} s"
        print(line, flush=True)
    return res


# --- the monthly routine (issue 22) -------------------------------------------------------------

ROUTINE_RUNS = ("month json", "month --out --docx", "quarter --out --docx")


@dataclass
class HistoryResult:
    """The README's routine over ``years`` years of monthly history in one nop/ folder."""

    years: int
    files: int
    folder: str
    periods: dict[str, str]
    generated: bool
    generation_seconds: float
    floor: list[Run] = field(default_factory=list)
    kpi: dict[str, list[Run]] = field(default_factory=lambda: {k: [] for k in ROUTINE_RUNS})
    outputs_ok: bool | None = None
    received: int | None = None

    def quiet(self, runs: list[Run]) -> list[Run]:
        return [r for r in runs if not r.disturbed] or runs

    def med_floor(self, attr: str = "wall") -> float | None:
        return median([getattr(r, attr) for r in self.quiet(self.floor)])

    def med(self, which: str, attr: str = "wall") -> float | None:
        return median([getattr(r, attr) for r in self.quiet(self.kpi[which])])

    def ratio(self, which: str) -> float | None:
        wall, floor = self.med(which), self.med_floor()
        return wall / floor if wall and floor else None


def routine_commands(ds: generate.Dataset, kpi: list[str], work: Path) -> dict[str, list[str]]:
    """As the README's routine runs them: the whole nop/ folder, the period, the outputs."""
    periods = ds.manifest["periods"]
    base = kpi + ["aggregate", str(ds.files_dir), "--plan", str(ds.plan_path)]
    return {
        "month json": base + ["--period", periods["month"], "--format", "json"],
        "month --out --docx": base + ["--period", periods["month"], "--out", str(work / "r-month.xlsx"),
                                      "--docx", str(work / "r-month.docx")],
        "quarter --out --docx": base + ["--period", periods["quarter"],
                                        "--out", str(work / "r-quarter.xlsx"),
                                        "--docx", str(work / "r-quarter.docx")],
    }


def measure_history(ds: generate.Dataset, args, kpi: list[str], work: Path) -> HistoryResult:
    res = HistoryResult(ds.manifest["years"], ds.n, str(ds.folder.relative_to(ROOT)),
                        ds.manifest["periods"], ds.generated, ds.seconds)
    for path in ds.files_dir.rglob("*.xlsx"):
        path.read_bytes()  # page cache
    commands = routine_commands(ds, kpi, work)
    floor_cmd = [sys.executable, str(HERE / "floor.py"), str(ds.files_dir)]
    per_month = ds.n // len(ds.manifest["months"])
    res.outputs_ok = True

    def attempt(runs: list[Run], cmd: list[str], out: Path, allowed=(0,)) -> Run:
        return measure_again(runs, cmd, out, allowed, args.retry_disturbed)

    for i in range(args.repeat):
        out = work / f"floor-h{res.years}-{i}.json"
        run = attempt(res.floor, floor_cmd, out)
        if json.loads(out.read_text())["files"] != ds.n:
            raise HarnessError(f"the floor did not read the {ds.n} files of {ds.files_dir}")
        line = f"    run {i + 1}/{args.repeat}: floor {run.wall:5.2f} s"
        for name, cmd in commands.items():
            written = [Path(cmd[j + 1]) for j, a in enumerate(cmd) if a in ("--out", "--docx")]
            for path in written:
                path.unlink(missing_ok=True)
            out = work / f"routine-h{res.years}-{i}.txt"
            # exit 1: a target not met or a file rejected, the data's business (README)
            run = attempt(res.kpi[name], cmd, out, allowed=(0, 1))
            if written:
                res.outputs_ok = res.outputs_ok and all(p.is_file() and p.stat().st_size for p in written)
            else:
                result = json.loads(out.read_text(encoding="utf-8"))
                res.received = result["completeness"]["received"]
                res.outputs_ok = res.outputs_ok and res.received == per_month
            line += f" | {name} {run.wall:5.2f} s ({run.wall / res.floor[-1].wall:.1f}x)"
        print(line, flush=True)
    return res


def routine_rows(histories: dict[int, HistoryResult]) -> list[list[str]]:
    rows = []
    for years, h in sorted(histories.items()):
        for name in ROUTINE_RUNS:
            period = h.periods["quarter" if name.startswith("quarter") else "month"]
            rows.append([f"{years}", f"{h.files:,}", f"{name.split()[0]} {period}",
                         " ".join(name.split()[1:]).replace("json", "--format json"),
                         f"{h.med(name):.2f}", f"{h.med_floor():.2f}", f"{h.ratio(name):.1f}x",
                         f"{h.med(name, 'cpu_s'):.2f}", f"{h.med_floor('cpu_s'):.2f}",
                         f"{h.med(name, 'cpu_s') / h.med_floor('cpu_s'):.1f}x",
                         f"{h.med(name, 'peak_mb'):.0f}"])
    return rows


ROUTINE_HEADERS = ["years of history", "files in nop/", "period", "outputs", "kpi wall s",
                   "floor wall s", "kpi / floor", "kpi CPU s", "floor CPU s", "CPU kpi / floor",
                   "kpi peak MB"]


def warm_up(ds: generate.Dataset, kpi: list[str], work: Path) -> None:
    """Run every measured program once, on a few files, so that .pyc files exist and libraries
    are in the page cache: the first measured run is then like the others."""
    folder = work / "warm-up"
    folder.mkdir()
    for path in sorted(ds.files_dir.rglob("*.xlsx"))[:WARM_UP_FILES]:
        shutil.copyfile(path, folder / path.name)
    measure(kpi + ["aggregate", str(folder), "--plan", str(ds.plan_path), "--period", ds.period,
                   "--format", "json"], work / "warmup.txt", allowed=(0, 1))
    # and the report writers the routine uses (imports compiled, in the page cache)
    measure(kpi + ["aggregate", str(folder), "--plan", str(ds.plan_path), "--period", ds.period,
                   "--out", str(work / "warm-up.xlsx"), "--docx", str(work / "warm-up.docx")],
            work / "warmup.txt", allowed=(0, 1))
    for script in ("floor.py", "baseline.py"):
        measure([sys.executable, str(HERE / script), str(folder)], work / "warmup.txt")


def measure_startup(kpi: list[str], one_file: Path, runs: int, work: Path) -> dict[str, list[Run]]:
    commands = {"kpi --help": kpi + ["--help"], "kpi validate ONE_FILE": kpi + ["validate", str(one_file)]}
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for cmd in commands.values():
        measure(cmd, work / "warmup.txt")  # compiles .pyc files, fills the page cache
    for _ in range(runs):  # interleaved, so that drift affects both alike
        for name, cmd in commands.items():
            results[name].append(measure(cmd, work / "startup.txt"))
    return results


# --- report ------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    from importlib import metadata

    cpu = ""
    for line in (_read("/proc/cpuinfo") or b"").decode(errors="replace").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in (_read("/proc/meminfo") or b"").decode().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    versions = {}
    for package in ("kpi", "pandas", "python-calamine", "openpyxl", "numpy", "typer", "rich"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = None
    return {
        "nproc": os.cpu_count(), "cpus_usable": affinity, "cpu_model": cpu,
        "memory_total_mb": round(mem_kb / 1024), "python": platform.python_version(),
        "python_executable": sys.executable, "platform": platform.platform(),
        "packages": versions, "kpi_source_sha256": kpi_source_hash(),
    }


def kpi_source_hash() -> str:
    """Which kpi was measured (the sources change while people work on speed)."""
    if KPI_SOURCE is not None:
        package = (KPI_SOURCE / "kpi").resolve()
    else:
        import kpi

        package = Path(kpi.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml"):
            h.update(str(path.relative_to(package.parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Target:
    name: str
    value: str
    limit: str
    status: str  # PASS, FAIL, SKIP (not measured)


def evaluate_targets(sizes: dict[int, SizeResult], startup: dict[str, list[Run]],
                     histories: dict[int, HistoryResult] | None = None) -> list[Target]:
    help_wall = median([r.wall for r in startup["kpi --help"]])
    validate_wall = median([r.wall for r in startup["kpi validate ONE_FILE"]])
    targets = []

    def add(name: str, value: float | None, limit: float, fmt: str, unit: str, ok: bool | None) -> None:
        shown = "not measured" if value is None else f"{value:{fmt}}{unit}"
        status = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        targets.append(Target(name, shown, f"{limit:g}{unit}", status))

    r = sizes.get(1000)
    wall = r.med("kpi") if r else None
    add("1,000 files: kpi aggregate wall time", wall, T_WALL_1000, ".2f", " s",
        None if wall is None else wall <= T_WALL_1000)
    base = r.med("baseline") if r else None
    speedup = base / wall if (base and wall) else None
    add("1,000 files: speed-up vs baseline (at least)", speedup, T_SPEEDUP_1000, ".1f", "x",
        None if speedup is None else speedup >= T_SPEEDUP_1000)
    r = sizes.get(10000)
    ratio = None
    if r and help_wall is not None:
        ratio = (r.med("kpi") - help_wall) / r.med("floor")
    add("10,000 files: (kpi wall - start-up) / floor", ratio, T_FLOOR_RATIO_10000, ".2f", "x",
        None if ratio is None else ratio <= T_FLOOR_RATIO_10000)
    peak = r.med("kpi", "peak_mb") if r else None
    add("10,000 files: kpi peak memory (process tree RSS)", peak, T_PEAK_MB_10000, ".0f", " MB",
        None if peak is None else peak <= T_PEAK_MB_10000)
    add("kpi validate ONE_FILE wall time", validate_wall, T_STARTUP, ".3f", " s",
        None if validate_wall is None else validate_wall <= T_STARTUP)
    add("kpi --help wall time", help_wall, T_STARTUP, ".3f", " s",
        None if help_wall is None else help_wall <= T_STARTUP)
    h = (histories or {}).get(1)
    for name, limit in (("month --out --docx", T_ROUTINE_REPORT), ("quarter --out --docx", T_ROUTINE_REPORT),
                        ("month json", T_ROUTINE_JSON)):
        value = h.ratio(name) if h else None
        add(f"1 year of history: {name}, kpi / floor", value, limit, ".1f", "x",
            None if value is None else value <= limit)
    for years, h in sorted((histories or {}).items()):
        per_month = h.files // 12 // years
        targets.append(Target(f"{years} year(s) of history: outputs written, the month's {per_month} "
                              "submissions received", "yes" if h.outputs_ok else f"no ({h.received})",
                              "yes", "PASS" if h.outputs_ok else "FAIL"))
    for n, r in sorted(sizes.items()):
        ok = r.kpi_totals_correct
        targets.append(Target(f"{n:,} files: kpi accepts all and its totals equal the generated data",
                              "yes" if ok else f"no ({r.kpi_accepted} accepted)", "yes",
                              "PASS" if ok else "FAIL"))
    return targets


def table_rows(sizes: dict[int, SizeResult], help_wall: float | None) -> list[list[str]]:
    rows = []
    for n, r in sorted(sizes.items()):
        kpi_wall, floor_wall, base = r.med("kpi"), r.med("floor"), r.med("baseline")
        gen = f"{r.generation_seconds:.1f}" + ("" if r.generated else " (cached)")
        rows.append([
            f"{n:,}", gen, f"{kpi_wall:.2f}", f"{n / kpi_wall:,.0f}", f"{r.med('kpi', 'peak_mb'):.0f}",
            "skipped" if r.baseline_skipped else f"{base:.2f}", f"{floor_wall:.2f}",
            "skipped" if r.baseline_skipped else f"{base / kpi_wall:.1f}x",
            "—" if help_wall is None else f"{(kpi_wall - help_wall) / floor_wall:.2f}",
        ])
    return rows


HEADERS = ["files", "generate s", "kpi wall s", "kpi files/s", "kpi peak MB", "baseline wall s",
           "floor wall s", "speed-up vs baseline", "(kpi − start-up) / floor"]
SHORT = ["files", "generate s", "kpi s", "kpi files/s", "kpi peak MB", "baseline s", "floor s",
         "vs baseline", "(kpi−start-up)/floor"]


def memory_growth(sizes: dict[int, SizeResult]) -> list[dict[str, float]]:
    ordered = sorted(sizes.items())
    growth = []
    for (n1, r1), (n2, r2) in zip(ordered, ordered[1:], strict=False):
        p1, p2 = r1.med("kpi", "peak_mb"), r2.med("kpi", "peak_mb")
        growth.append({"from": n1, "to": n2, "peak_from_mb": p1, "peak_to_mb": p2,
                       "mb_per_1000_files": (p2 - p1) / (n2 - n1) * 1000})
    return growth


def print_report(sizes, startup, targets, growth, repeat: int, markdown: bool,
                 histories: dict[int, HistoryResult] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console.width = max(console.width, 132)  # a pipe or CI log: do not squeeze the table
    help_wall = median([r.wall for r in startup["kpi --help"]])
    rows = table_rows(sizes, help_wall)
    table = Table(title=f"kpi aggregate, median of {repeat} run(s), disturbed runs left out")
    for h in SHORT:
        table.add_column(h, justify="right")
    for row in rows:
        table.add_row(*row)
    if rows:
        console.print(table)
    routine = routine_rows(histories or {})
    if routine:
        table = Table(title=f"the monthly routine (kpi aggregate nop ...), median of {repeat} run(s)")
        for h in ROUTINE_HEADERS:
            table.add_column(h, justify="right")
        for row in routine:
            table.add_row(*row)
        console.print(table)
    for years, h in sorted((histories or {}).items()):
        for name, runs in [("floor", h.floor), *h.kpi.items()]:
            bad = [x for x in runs if x.disturbed]
            if bad:
                console.print(f"note: {years} year(s) of history, {name}: {len(bad)} of {len(runs)} runs "
                              f"disturbed (other processes used up to "
                              f"{max(x.other_cpu_share for x in bad):.0%} of the CPUs)"
                              + ("; every run was: figures pessimistic" if len(bad) == len(runs)
                                 else ", left out of the median"))
    for name, runs in startup.items():
        walls = sorted(r.wall for r in runs)
        console.print(f"start-up: {name}: median {median(walls):.3f} s "
                      f"(min {walls[0]:.3f}, max {walls[-1]:.3f}, {len(walls)} runs)")
    for g in growth:
        console.print(f"peak memory {g['from']:,} → {g['to']:,} files: {g['peak_from_mb']:.0f} → "
                      f"{g['peak_to_mb']:.0f} MB, {g['mb_per_1000_files']:+.1f} MB per 1,000 files")
    for n, r in sorted(sizes.items()):
        for which in ("kpi", "floor", "baseline"):
            runs = getattr(r, which)
            bad = [x for x in runs if x.disturbed]
            if not bad:
                continue
            worst = max(x.other_cpu_share for x in bad)
            if len(bad) == len(runs):
                console.print(f"[red]warning[/red]: {n:,} files {which}: every run was disturbed (other "
                              f"processes used up to {worst:.0%} of the CPUs): its figures are "
                              "pessimistic; rerun on a quiet machine")
            else:
                console.print(f"note: {n:,} files {which}: {len(bad)} of {len(runs)} runs disturbed "
                              f"(other processes used up to {worst:.0%} of the CPUs), left out of "
                              "the median (kept in the JSON)")
    for n, r in sorted(sizes.items()):
        if r.baseline_totals_correct is False:
            console.print(f"note: at {n:,} files the baseline's sums differ from the generated data")
    console.print()
    for t in targets:
        style = {"PASS": "green", "FAIL": "red"}.get(t.status, "yellow")
        console.print(f"[{style}]{t.status}[/{style}]  {t.name}: {t.value} (target {t.limit})")
    if markdown:
        console.print()
        print("| " + " | ".join(HEADERS) + " |")
        print("|" + "---|" * len(HEADERS))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        if routine:
            print("| " + " | ".join(ROUTINE_HEADERS) + " |")
            print("|" + "---|" * len(ROUTINE_HEADERS))
            for row in routine:
                print("| " + " | ".join(row) + " |")
            print()
        print("| target | measured | limit | result |")
        print("|---|---|---|---|")
        for t in targets:
            print(f"| {t.name} | {t.value} | {t.limit} | {t.status} |")


# --- main --------------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    if text.strip().lower() in ("", "none", "0"):
        return []
    sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive whole numbers: {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[100, 1000, 10000],
                        help="comma-separated numbers of files (default 100,1000,10000)")
    parser.add_argument("--histories", type=parse_sizes, default=[1, 5],
                        help="years of monthly history in nop/ for the routine (issue 22): month and "
                        "quarter with --out --docx, the month as JSON (default 1,5; none to skip)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; median (default 3)")
    parser.add_argument("--baseline-max", type=int, default=1000,
                        help="skip the pandas baseline above this many files (default 1000)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON,
                        help=f"results file (default {DEFAULT_JSON.relative_to(ROOT)})")
    parser.add_argument("--retry-disturbed", type=int, default=2,
                        help="measure a run again, up to this many times, when other processes took "
                        f"more than {DISTURBED:.0%}% of the CPUs meanwhile (default 2)")
    parser.add_argument("--kpi-source", type=Path, default=None,
                        help="measure the kpi/ package in this folder instead of the installed one "
                        "(a 'before': git archive COMMIT kpi | tar -x -C DIR)")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.retry_disturbed < 0:
        parser.error("--retry-disturbed must be 0 or more")

    global KPI_SOURCE
    if args.kpi_source is not None:
        if not (args.kpi_source / "kpi" / "cli.py").is_file():
            parser.error(f"--kpi-source: no kpi/cli.py under {args.kpi_source}")
        KPI_SOURCE = args.kpi_source.resolve()
    started = time.perf_counter()
    source_before = kpi_source_hash()
    if not args.sizes and not args.histories:
        parser.error("nothing to measure: --sizes none and --histories none")
    print(f"datasets ({', '.join(f'{n:,}' for n in args.sizes)} files; "
          f"{', '.join(str(y) for y in args.histories)} year(s) of history), cache {generate.CACHE}",
          flush=True)
    datasets = {n: generate.dataset(n) for n in args.sizes}
    history_sets = {y: generate.history(y) for y in args.histories}
    kpi = kpi_command()
    sizes: dict[int, SizeResult] = {}
    histories: dict[int, HistoryResult] = {}
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as tmp:
        work = Path(tmp)
        if datasets:
            smallest = datasets[min(args.sizes)]
            one_file = smallest.files_dir / f"CA_TINH_{generate.MONTHS[0]}.xlsx"
        else:
            smallest = history_sets[min(args.histories)]
            month = smallest.manifest["months"][0]
            one_file = smallest.files_dir / month / f"CA_TINH_{month}.xlsx"
        print(f"warm-up (untimed): kpi aggregate, floor and baseline of {WARM_UP_FILES} files", flush=True)
        warm_up(smallest, kpi, work)
        runs = max(STARTUP_RUNS, args.repeat)
        print(f"start-up: kpi --help and kpi validate {one_file.name}, {runs} runs each", flush=True)
        startup = measure_startup(kpi, one_file, runs, work)
        for n in args.sizes:
            print(f"measuring {n:,} files"
                  + (" (baseline skipped)" if n > args.baseline_max else ""), flush=True)
            sizes[n] = measure_size(datasets[n], args, kpi, work)
        for years, ds in history_sets.items():
            print(f"measuring the routine over {years} year(s) of history ({ds.n:,} files in nop/, "
                  f"{ds.manifest['periods']['month']} and {ds.manifest['periods']['quarter']})", flush=True)
            histories[years] = measure_history(ds, args, kpi, work)

    source_after = kpi_source_hash()
    targets = evaluate_targets(sizes, startup, histories)
    growth = memory_growth(sizes)
    print_report(sizes, startup, targets, growth, args.repeat, args.markdown, histories)

    if source_after != source_before:
        print(f"warning: kpi's sources changed during the run ({source_before} -> {source_after}): "
              "the figures mix two versions; run again")
    help_wall = median([r.wall for r in startup["kpi --help"]])
    document = {
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "kpi_source_sha256_at_start": source_before,
        "kpi_source_dir": None if KPI_SOURCE is None else str(KPI_SOURCE),
        "kpi_sources_changed_during_run": source_after != source_before,
        "environment": {k: CHILD_ENV.get(k) for k in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE",
                                                        "KPI_LANG")},
        "settings": {"sizes": args.sizes, "histories": args.histories,
                     "repeat": args.repeat, "baseline_max": args.baseline_max,
                     "retry_disturbed": args.retry_disturbed, "disturbed_share": DISTURBED,
                     "sample_interval_s": SAMPLE_INTERVAL, "generator_version": generate.GENERATOR_VERSION,
                     "period": generate.PERIOD},
        "startup": {name: {"median_s": median([r.wall for r in runs]),
                           "runs": [asdict(r) for r in runs]} for name, runs in startup.items()},
        "sizes": {
            str(n): {
                "files": n, "folder": r.folder, "generated_this_run": r.generated,
                "generation_s": r.generation_seconds,
                "agencies": datasets[n].manifest["agencies"],
                "bytes": datasets[n].manifest["bytes"],
                "kpi": {"median_wall_s": r.med("kpi"), "min_wall_s": min(x.wall for x in r.kpi),
                        "files_per_s": n / r.med("kpi"),
                        "median_peak_mb": r.med("kpi", "peak_mb"),
                        "median_max_process_mb": r.med("kpi", "max_process_mb"),
                        "minus_startup_over_floor": (None if help_wall is None else
                                                     (r.med("kpi") - help_wall) / r.med("floor")),
                        "totals_correct": r.kpi_totals_correct, "accepted": r.kpi_accepted,
                        "runs": [asdict(x) for x in r.kpi]},
                "baseline": None if r.baseline_skipped else {
                    "median_wall_s": r.med("baseline"), "median_peak_mb": r.med("baseline", "peak_mb"),
                    "speedup_kpi": r.med("baseline") / r.med("kpi"),
                    "sums_equal_generated": r.baseline_totals_correct,
                    "runs": [asdict(x) for x in r.baseline]},
                "floor": {"median_wall_s": r.med("floor"), "median_peak_mb": r.med("floor", "peak_mb"),
                          "cells": r.floor_cells, "runs": [asdict(x) for x in r.floor]},
            } for n, r in sizes.items()
        },
        "histories": {
            str(years): {
                "years": years, "files": h.files, "folder": h.folder, "periods": h.periods,
                "generated_this_run": h.generated, "generation_s": h.generation_seconds,
                "outputs_ok": h.outputs_ok,
                "floor": {"median_wall_s": h.med_floor(), "median_cpu_s": h.med_floor("cpu_s"),
                          "runs": [asdict(x) for x in h.floor]},
                "kpi": {name: {"median_wall_s": h.med(name), "over_floor": h.ratio(name),
                               "median_cpu_s": h.med(name, "cpu_s"),
                               "median_peak_mb": h.med(name, "peak_mb"),
                               "runs": [asdict(x) for x in h.kpi[name]]} for name in ROUTINE_RUNS},
            } for years, h in histories.items()
        },
        "memory_growth": growth,
        "targets": [asdict(t) for t in targets],
        "harness_seconds": round(time.perf_counter() - started, 1),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    if args.check and any(t.status == "FAIL" for t in targets):
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (HarnessError, generate.GenerationError) as exc:
        print(f"benchmark harness failed: {exc}", file=sys.stderr)
        sys.exit(2)
