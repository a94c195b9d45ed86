"""Finding submissions and reading them: folders walked (every entry read or listed with why),
files validated one by one or, for large batches, on every core in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

from .plan import Plan
from .read import SPREADSHEET_SUFFIXES, is_lock_file
from .validate import Submission, validate_file
from .xlsx import TEMP_PREFIX

__all__ = ["collect_files", "read_all"]


def collect_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Spreadsheets under ``paths`` (folders searched recursively), each once however often it
    is reached, what was not read and why (every entry is either read or listed), and the
    paths that do not exist."""
    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    missing: list[str] = []
    seen: set[str] = set()  # a file reached twice (a folder and a file in it, a path given twice)
    for raw in paths:
        path = Path(raw)
        kind = _kind(path)
        if kind == "dir":
            candidates, passed = _files_under(path)
            skipped += passed
        elif kind == "file":
            candidates = [path]
        elif kind == "missing":
            missing.append(str(path))
            continue
        else:
            skipped.append((str(path), kind))
            continue
        for p in candidates:
            if is_lock_file(p):
                skipped.append((str(p), "lock-file"))
            elif p.name.startswith(TEMP_PREFIX):
                # What an interrupted kpi left (or is writing now): never a submission.
                skipped.append((str(p), "kpi-temp-file"))
            # A marked copy (X.kiem-tra.xlsx) is read: kpi knows its own unchanged copy by
            # content (kpi.validate lists it as "marked-copy"), and one a clerk corrected and
            # sent back under that name is the agency's submission.
            elif p.suffix.lower() not in SPREADSHEET_SUFFIXES:
                skipped.append((str(p), "not-a-spreadsheet"))
            else:
                real = os.path.realpath(p)
                if real not in seen:
                    seen.add(real)
                    found.append(p)
    return found, skipped, missing


def _kind(path: Path) -> str:
    """"file", "dir", "missing", or why the path is not read: "broken-link", "link-loop",
    "not-a-file" (a pipe, a device, a socket)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken-link" if os.path.lexists(path) else "missing"
    except OSError as exc:
        import errno

        return "link-loop" if exc.errno == errno.ELOOP else "unreadable-folder"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "not-a-file"


def _files_under(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every regular file below ``folder``, in the order of sorted(Path) (by path parts), and
    every entry not read with why: an unreadable folder, a link to a folder (not entered, so a
    loop cannot be walked for ever), a broken or looping link, a pipe, device or socket. The
    kinds come from the directory entries, with no stat per plain file: a tenth of rglob's time
    at 10,000 files."""
    found: list[tuple[str, ...]] = []
    passed: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
    while pending:
        where, parts = pending.pop()
        try:
            entries = list(os.scandir(where))
        except OSError:  # unreadable, or vanished meanwhile
            passed.append((parts, "unreadable-folder"))
            continue
        for entry in entries:
            here = parts + (entry.name,)
            try:
                if entry.is_symlink():
                    kind = _kind(Path(entry.path))
                    if kind == "file":
                        found.append(here)
                    else:
                        passed.append((here, "folder-link" if kind == "dir" else kind))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, here))
                elif entry.is_file(follow_symlinks=False):
                    found.append(here)
                else:
                    passed.append((here, "not-a-file"))
            except OSError:
                passed.append((here, "unreadable-folder"))
    found.sort()
    passed.sort()
    return ([folder.joinpath(*parts) for parts in found],
            [(str(folder.joinpath(*parts)), why) for parts, why in passed])


PARALLEL_MIN_FILES = 200  # below this, starting workers costs more than it saves
CHUNK_FILES = 32  # files per task: smaller ends the batch more evenly on both cores


def read_all(files: list[Path], plan: Plan | Sequence[Plan],
             progress: Callable[[int], None] | None = None, workers: int | None = None, *,
             today: date | None = None) -> list[Submission]:
    """Validate every file, in input order. Large batches are spread over the CPU cores;
    the result is the same as reading them one by one (tests compare the two)."""
    from . import readcache

    if workers is None:
        workers = _default_workers(len(files))
        if workers > 1:  # files already in the cache of what was read cost a tenth to validate
            workers = _default_workers(readcache.count_unread(files))
    if workers <= 1:
        subs = []
        for path in files:
            subs.append(validate_file(path, plan, today=today))
            if progress:
                progress(1)
        readcache.prune(if_written=True)  # the cache of what was read stays within its bound
    else:
        subs = _read_parallel(files, plan, progress, workers, today)
        readcache.prune()  # the workers wrote the entries of the files not cached yet
    return subs


def _default_workers(n_files: int) -> int:
    if n_files < PARALLEL_MIN_FILES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


_worker_plan: Plan | Sequence[Plan] | None = None
_worker_today: date | None = None


def _init_worker(plan: Plan | Sequence[Plan], today: date | None, cache: bool = True) -> None:
    import signal

    from . import readcache

    global _worker_plan, _worker_today
    _worker_plan, _worker_today = plan, today
    readcache.set_enabled(cache)  # --no-cache reaches workers however they are started
    # Ctrl-C is the parent's to handle: a worker that also caught it would print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _validate_chunk(paths: list[Path]) -> list[Submission]:
    assert _worker_plan is not None
    return [validate_file(p, _worker_plan, today=_worker_today) for p in paths]


def _read_parallel(files: list[Path], plan: Plan | Sequence[Plan], progress: Callable[[int], None] | None,
                   workers: int, today: date | None = None) -> list[Submission]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from . import readcache

    # fork shares the already imported modules and plan with the workers: no second start-up.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = [files[i:i + CHUNK_FILES] for i in range(0, len(files), CHUNK_FILES)]
    results: list[list[Submission] | None] = [None] * len(chunks)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                               initargs=(plan, today, readcache.is_active()))
    try:
        futures = {pool.submit(_validate_chunk, chunk): i for i, chunk in enumerate(chunks)}
        # The workers are forked by now; the parent would only wait, so it imports pandas
        # (a third of a second) for the roll-up that follows.
        import pandas  # noqa: F401
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(len(chunks[index]))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return [sub for chunk in results if chunk is not None for sub in chunk]
