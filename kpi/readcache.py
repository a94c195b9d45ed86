"""What the reader extracted from each file, kept between runs (issue 23 item 4).

The monthly routine reads all of ``nop/`` again, years of it, to find the year to date and the
same period last year. Reading a workbook (the guard of :mod:`kpi.container`, then
python-calamine) is most of what a file costs; validating the rows read is a tenth of it. So
what :func:`kpi.read.read_container` returns (the rows carrying a code in column A, the sheet
names, the container facts) is kept in the user's cache folder, and a second run only hashes
each file and loads its entry. Validation always runs again on what was read: it depends on
the plan and on today's date.

The cache is only an optimisation; results are identical with and without it:

- the key is the file's content (SHA-256 of its bytes, and its suffix, which the guard reads),
  never its name, size or modification time, plus :func:`reader_version`, a hash of the source
  of every module the reading runs and of the reader library, so any change of the reading code
  makes every entry a stranger;
- an entry holds that key again and a checksum of its body; a damaged, truncated, foreign or
  unreadable entry is ignored and written anew, never believed, never a crash;
- entries are JSON (compressed): nothing in them can run code, whoever wrote them;
- written atomically (a temporary file in the same folder, then renamed), so another kpi process
  (or a worker of this one) reading at the same time sees the whole entry or none;
- files the guard refuses (too large, encrypted, damaged) are not kept: they are read again;
- bounded: past :data:`MAX_BYTES` the entries used longest ago are removed.

Where: ``KPI_CACHE_DIR`` when set; else ``%LOCALAPPDATA%\\kpi\\Cache`` on Windows,
``~/Library/Caches/kpi`` on macOS, ``$XDG_CACHE_HOME/kpi`` or ``~/.cache/kpi`` elsewhere.
``KPI_NO_CACHE=1`` or ``--no-cache`` bypasses it (nothing read, nothing written). On POSIX a
folder that another user owns, or that others may write to, is not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

from .container import Container, ReadError, check_data, read_regular_file
from .read import CodeRow, WorkbookRows, read_container

__all__ = ["CACHE_ENV", "MAX_BYTES", "NO_CACHE_ENV", "cache_folder", "count_unread", "is_active", "prune",
           "read_cached", "reader_version", "set_enabled", "used"]

CACHE_ENV = "KPI_CACHE_DIR"
NO_CACHE_ENV = "KPI_NO_CACHE"
MAX_BYTES = 200 * 1024 * 1024  # on disk; an entry takes one 4 kB block: some 50,000 files read
PRUNE_TO = 0.8  # when over the bound, entries used longest ago go until this share is left
ENTRIES = "reads"  # sub-folder of the cache folder holding the entries
SUFFIX = ".json.z"
_MAGIC = b"kpi-read-cache 1\n"
# What an entry may expand to: 5,000 coded rows of clipped text (kpi.read's limits) stay far below.
_MAX_ENTRY_TEXT = 64 * 1024 * 1024
_TOUCH_AFTER = 3600.0  # seconds: a hit marks its entry used at most once an hour
# Modules whose code decides what a read returns: a change in any of them changes the version.
_READING_MODULES = ("read", "container", "numbers", "present", "readcache")

_enabled = True  # --no-cache turns it off for the process (and, through collect.py, its workers)
_checked_folders: dict[str, bool] = {}
_version: str | None = None
_written = 0  # entries this process wrote since it last pruned


def set_enabled(on: bool) -> None:
    """Use the cache (the default) or bypass it, for this process."""
    global _enabled
    _enabled = on


@contextmanager
def used(on: bool) -> Iterator[None]:
    """The cache used (or bypassed, ``on`` False) within the block, as before after it."""
    global _enabled
    before, _enabled = _enabled, on and _enabled
    try:
        yield
    finally:
        _enabled = before


def is_active() -> bool:
    return _enabled and os.environ.get(NO_CACHE_ENV, "").strip() not in ("1", "true", "yes")


def cache_folder() -> Path | None:
    """The kpi cache folder of this user and system (see the module docstring), or None when
    no home is known."""
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        return Path(base, "kpi", "Cache") if base else None
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "kpi"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    # The XDG specification: a relative path is invalid and is ignored.
    return (Path(xdg) if xdg and os.path.isabs(xdg) else home / ".cache") / "kpi"


def _entries_folder(create: bool) -> Path | None:
    """The folder of entries when the cache is in use and the folder is safe to trust."""
    if not is_active():
        return None
    root = cache_folder()
    if root is None:
        return None
    folder = root / ENTRIES
    key = str(folder)
    known = _checked_folders.get(key)
    if known is not None:
        return folder if known else None
    try:
        if create:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        elif not folder.is_dir():
            return None  # not remembered: a later call may create it
        ok = _trusted(folder)
    except OSError:
        ok = False
    _checked_folders[key] = ok
    return folder if ok else None


def _trusted(folder: Path) -> bool:
    """On POSIX: the folder of entries is this user's and no one else may write to it, so no
    one else can put an entry there (kpi creates it so, whatever the umask)."""
    if os.name != "posix":
        return True
    info = os.stat(folder)
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def reader_version() -> str:
    """A hash of the source of the reading modules and of the reader library's binary:
    computed once per process (a millisecond)."""
    global _version
    if _version is None:
        import python_calamine

        digest = hashlib.sha256(_MAGIC)
        here = Path(__file__).resolve().parent
        for name in _READING_MODULES:
            digest.update(name.encode() + b"\0" + (here / f"{name}.py").read_bytes())
        native = getattr(python_calamine, "_python_calamine", None)
        where = getattr(native, "__file__", None) or python_calamine.__file__ or ""
        info = os.stat(where) if where else None
        digest.update(f"{where}\0{info.st_size if info else 0}\0{info.st_mtime_ns if info else 0}"
                      .encode())
        digest.update(sys.version.encode())
        _version = digest.hexdigest()[:32]
    return _version


def _key_version() -> str:
    """:func:`reader_version` and the reader's limits in effect now (a test, or a caller, may
    set them lower: a file read under other limits is read again)."""
    from . import container, read

    return (f"{reader_version()}:{container.MAX_FILE_BYTES},{container.MAX_UNPACKED_BYTES},"
            f"{container.MAX_RATIO},{container.MAX_SHEET_CELLS},{container.MAX_PARTS},"
            f"{container.MAX_TEXT_CHARS},{read.MAX_CODE_ROWS},{read.MAX_FILLED_CELLS},"
            f"{read.MAX_CELL_TEXT},{read._COUNT_FROM},{read.GRID_COLUMNS}")


# --- reading through the cache --------------------------------------------------------------

def read_cached(path: Path) -> WorkbookRows:
    """What :func:`kpi.read.read_workbook` returns for ``path``, from the cache when an entry
    for these very bytes exists; else read, and kept for the next run. Raises ReadError as
    read_workbook does."""
    size, raw = read_regular_file(path)
    # No cache, or a file the guard refuses for its size (not read whole): read as ever.
    folder = _entries_folder(create=True) if size == len(raw) else None
    if folder is None:
        return read_container(check_data(raw, path.suffix, size))
    try:
        version = _key_version()
    except (OSError, ImportError):
        return read_container(check_data(raw, path.suffix, size))
    suffix = path.suffix.lower()
    content = hashlib.sha256(raw).hexdigest()
    entry = folder / _entry_name(version, suffix, content)
    book = _load(entry, raw, version, suffix, content)
    if book is not None:
        return book
    book = read_container(check_data(raw, path.suffix, size))  # a refusal raises: not kept
    _store(entry, book, version, suffix, content)
    return book


def _entry_name(version: str, suffix: str, content: str) -> str:
    return hashlib.sha256(f"{version}\0{suffix}\0{content}".encode()).hexdigest()[:40] + SUFFIX


def count_unread(paths: list[Path]) -> int:
    """How many of ``paths`` have no entry yet (all of them when the cache is not used): a
    batch whose files are almost all cached is read in one process, where starting workers
    would cost more than it saves. A hash of each file's bytes, a tenth of reading it."""
    folder = _entries_folder(create=False)
    if folder is None:
        return len(paths)
    try:
        version = _key_version()
    except (OSError, ImportError):
        return len(paths)
    unread = 0
    for path in paths:
        try:
            size, raw = read_regular_file(path)  # never waits on a pipe
        except ReadError:  # validate_file says what it is
            unread += 1
            continue
        name = _entry_name(version, path.suffix.lower(), hashlib.sha256(raw).hexdigest())
        if size != len(raw) or not os.path.exists(folder / name):
            unread += 1
    return unread


def _load(entry: Path, raw: bytes, version: str, suffix: str, content: str) -> WorkbookRows | None:
    try:
        with open(entry, "rb") as handle:
            data = handle.read()
            used = os.fstat(handle.fileno()).st_mtime
    except OSError:  # none yet (the usual miss), or unreadable
        return None
    try:
        book = _decode(data, raw, version, suffix, content)
    except Exception:  # damaged, truncated, foreign: ignored, and written anew
        return None
    if time.time() - used > _TOUCH_AFTER:
        try:
            os.utime(entry)  # used now: pruned last
        except OSError:
            pass
    return book


def _store(entry: Path, book: WorkbookRows, version: str, suffix: str, content: str) -> None:
    global _written
    try:
        data = _encode(book, version, suffix, content)
    except Exception:  # a value the format has no words for (_NotKept): read again next time
        return
    temp = entry.with_name(f".tmp-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, entry)
        _written += 1
    except OSError:  # a full disk, a read-only folder, Windows refusing to replace an open file
        try:
            os.unlink(temp)
        except OSError:
            pass


# --- the entry format ------------------------------------------------------------------------
# Generic over the fields of CodeRow, WorkbookRows and Container (but the bytes), named in each
# entry: a field added to any of them by a later change is kept too, and an entry written before
# it (other field names) is a stranger. A tuple is a JSON list; a list, a date or a time a tagged
# object; any other value (a dict, an object) is not kept, and the file is read again next time.

_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(CodeRow))
_BOOK_FIELDS = tuple(f.name for f in dataclasses.fields(WorkbookRows) if f.name not in ("rows", "container"))
_CONTAINER_FIELDS = tuple(f.name for f in dataclasses.fields(Container) if f.name != "data")


_PLAIN = frozenset({str, int, float, bool, type(None)})  # written as they are


class _NotKept(Exception):
    """A value the format has no words for: the file is read again next time."""


def _encode(book: WorkbookRows, version: str, suffix: str, content: str) -> bytes:
    body = {
        "reader": version, "suffix": suffix, "sha256": content,
        "fields": [_ROW_FIELDS, _BOOK_FIELDS, _CONTAINER_FIELDS],
        "book": [_out(getattr(book, name)) for name in _BOOK_FIELDS],
        "container": [_out(getattr(book.container, name)) for name in _CONTAINER_FIELDS],
        "rows": [[v if v.__class__ in _PLAIN else _out(v) for v in map(row.__getattribute__, _ROW_FIELDS)]
                 for row in book.rows],
    }
    packed = zlib.compress(json.dumps(body, separators=(",", ":"), ensure_ascii=True,
                                      allow_nan=True).encode("ascii"), 1)
    return _MAGIC + hashlib.sha256(packed).hexdigest()[:32].encode("ascii") + b"\n" + packed


def _out(value: object) -> object:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, tuple):
        return [_out(v) for v in value]
    if isinstance(value, list):
        return {"list": [_out(v) for v in value]}
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise _NotKept()
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, day_time):
        if value.tzinfo is not None:
            raise _NotKept()
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": [value.days, value.seconds, value.microseconds]}
    raise _NotKept()


def _in(value: Any) -> Any:
    kind = value.__class__
    if kind is list:
        return tuple(map(_in, value))
    if kind is dict:
        return _tagged(value)
    return value


def _tagged(value: dict[str, object]) -> object:
    if len(value) == 1:
        (kind, text), = value.items()
        if kind == "list" and isinstance(text, list):
            return [_in(v) for v in text]
        if kind == "timedelta" and isinstance(text, list) and len(text) == 3 \
                and all(type(n) is int for n in text):
            return timedelta(*text)
        if isinstance(text, str):
            if kind == "datetime":
                return datetime.fromisoformat(text)
            if kind == "date":
                return date.fromisoformat(text)
            if kind == "time":
                return day_time.fromisoformat(text)
    raise ValueError("not a value of an entry")


def _decode(data: bytes, raw: bytes, version: str, suffix: str, content: str) -> WorkbookRows:
    """The entry's WorkbookRows; ValueError (or any other error) for anything not exactly
    what :func:`_encode` writes for this file's bytes and this reader."""
    head = len(_MAGIC)
    if not data.startswith(_MAGIC) or data[head + 32:head + 33] != b"\n":
        raise ValueError("not an entry")
    packed = data[head + 33:]
    if hashlib.sha256(packed).hexdigest()[:32].encode("ascii") != data[head:head + 32]:
        raise ValueError("damaged entry")
    inflater = zlib.decompressobj()
    text = inflater.decompress(packed, _MAX_ENTRY_TEXT)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("an entry larger than any read, or truncated")
    body = json.loads(text)
    if not isinstance(body, dict) or body.get("reader") != version or body.get("suffix") != suffix \
            or body.get("sha256") != content \
            or body.get("fields") != [list(_ROW_FIELDS), list(_BOOK_FIELDS), list(_CONTAINER_FIELDS)]:
        raise ValueError("an entry of other bytes, another reader or other fields")
    width = len(_ROW_FIELDS)
    rows = []
    for item in body["rows"]:
        if item.__class__ is not list or len(item) != width:
            raise ValueError("not a row")
        rows.append(CodeRow(*map(_in, item)))
    container = Container(data=raw, **dict(zip(_CONTAINER_FIELDS, map(_in, body["container"]),
                                                strict=True)))
    extra = dict(zip(_BOOK_FIELDS, map(_in, body["book"]), strict=True))
    return WorkbookRows(rows=rows, container=container, **extra)


# --- the bound -------------------------------------------------------------------------------

def prune(limit: int | None = None, *, if_written: bool = False) -> int:
    """Keep the entries within ``limit`` bytes (default :data:`MAX_BYTES`): when over it, the
    entries used longest ago are removed until :data:`PRUNE_TO` of it is left, and temporary
    files a stopped kpi left behind over an hour ago. Returns how many files were removed.
    Never raises (another process may be pruning at the same time). ``if_written``: only when
    this process wrote an entry since the last pruning (a run that only read costs no scan)."""
    global _written
    folder = _entries_folder(create=False)
    if folder is None or (if_written and not _written):
        return 0
    _written = 0
    limit = MAX_BYTES if limit is None else limit
    found: list[tuple[float, int, str]] = []
    removed = 0
    total = 0
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for item in entries:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if item.name.startswith(".tmp-"):
                    if now - info.st_mtime > 3600 and _remove(item.path):
                        removed += 1
                    continue
                if item.name.endswith(SUFFIX):
                    size = _on_disk(info)
                    found.append((info.st_mtime, size, item.path))
                    total += size
    except OSError:
        return removed
    if total <= limit:
        return removed
    found.sort()
    for _used, size, where in found:
        if total <= limit * PRUNE_TO:
            break
        if _remove(where):
            removed += 1
        total -= size
    return removed


def _on_disk(info: os.stat_result) -> int:
    """Bytes a file takes on disk (a 500-byte entry takes a 4 kB block), else its size."""
    blocks = getattr(info, "st_blocks", None)
    return blocks * 512 if blocks else info.st_size


def _remove(where: str) -> bool:
    try:
        os.unlink(where)
        return True
    except OSError:
        return False

