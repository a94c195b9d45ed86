"""What kpi wrote, so that it replaces only its own untouched outputs, and the lock that keeps two
runs from writing the same outputs at once.

The ledger. For every report, Word draft, CSV table, feedback text and marked copy it writes,
kpi records the fingerprint (SHA-256) of the bytes it wrote, under the file's full path, in
its own folder on this computer (``KPI_STATE_DIR``, else ``%LOCALAPPDATA%\\kpi`` on Windows,
``$XDG_STATE_HOME/kpi`` or ``~/.local/state/kpi`` elsewhere): one small file per output, so
nothing is added to the user's folders. A file whose bytes still have that fingerprint is kpi's
own untouched output: a later run may replace it, and remove it when it is out-of-date
feedback. Any change (an assessment typed into the draft, a number typed into the report, a
line added to a letter, even opening and saving it in Word, Excel or LibreOffice, which rewrite
the file) changes the fingerprint, and the file is the user's from then on. An editor cannot
carry the fingerprint over: it is not in the file. A file kpi marked as its own that the ledger
does not vouch for (written on another computer, moved, written by an older kpi) counts as
edited too: kpi never guesses in the direction that loses work.

The lock. ``aggregate`` writes its outputs while holding ``.kpi.lock`` in every folder it writes
into (created with the process id and host name, removed when the run ends however it ends). A
second run waits for it a little, then refuses. A lock left by a process of this machine that
no longer runs is taken over.
"""

from __future__ import annotations

import errno
import hashlib
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".kpi.lock"
WAIT_SECONDS = 10.0  # how long a second run waits for the first to finish writing
_POLL = 0.2


# --- the ledger ---------------------------------------------------------------------------------

def state_dir() -> Path:
    """kpi's own folder on this computer, where the ledger lives."""
    if os.environ.get("KPI_STATE_DIR"):
        return Path(os.environ["KPI_STATE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kpi"
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "kpi"


def _entry(path: Path | str) -> tuple[Path, str]:
    """The ledger's file for ``path``, and the full path it stands for."""
    real = os.path.realpath(path)
    key = hashlib.sha256(real.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return state_dir() / "outputs" / key[:2] / key, real


def fingerprint(path: Path | str) -> str | None:
    """SHA-256 of the file's bytes; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def recorded(path: Path | str) -> str | None:
    """The fingerprint kpi recorded when it wrote ``path``; None when it did not."""
    entry, real = _entry(path)
    try:
        mark, _, where = entry.read_text(encoding="utf-8").rstrip("\n").partition(" ")
    except (OSError, ValueError):
        return None
    return mark if where == real else None


def untouched(path: Path | str) -> bool:
    """Whether ``path`` holds exactly the bytes kpi wrote there."""
    mark = recorded(path)
    return mark is not None and mark == fingerprint(path)


def record(path: Path | str, data: bytes) -> None:
    """Note that kpi has just written ``data`` to ``path``. A ledger that cannot be written
    only makes the file count as edited later: never an error of the run."""
    from .xlsx import write_bytes_atomic

    entry, real = _entry(path)
    try:
        write_bytes_atomic(entry, f"{hashlib.sha256(data).hexdigest()} {real}\n".encode(
            "utf-8", "surrogatepass"))
    except OSError:
        pass


def forget(path: Path | str) -> None:
    """Drop ``path`` (just removed by kpi) from the ledger."""
    entry, _ = _entry(path)
    try:
        entry.unlink(missing_ok=True)
    except OSError:
        pass


def beside(path: Path, free: Callable[[Path], bool]) -> Path:
    """The first of ``<stem>-2<suffix>``, ``<stem>-3<suffix>`` ... for which ``free`` holds:
    where kpi writes instead of over an edited output."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if free(candidate):
            return candidate
        n += 1


# --- the lock -----------------------------------------------------------------------------------

class Locked(Exception):
    """Another run holds the lock on an output folder."""

    def __init__(self, lock: Path, holder: str) -> None:
        super().__init__(str(lock))
        self.lock, self.holder = lock, holder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, belongs to someone else
    return True


def _take(lock: Path, me: str) -> str | None:
    """Take ``lock``; None when taken, else who holds it."""
    tmp = lock.with_name(f".kpi-{os.getpid()}-{time.monotonic_ns()}.tmp")
    tmp.write_text(me, encoding="utf-8")
    try:
        os.link(tmp, lock)  # fails when the lock exists; the lock is never seen half-written
        return None
    except FileExistsError:
        pass
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        try:  # a file system without hard links: exclusive creation instead
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(me)
            return None
    finally:
        tmp.unlink(missing_ok=True)
    try:
        holder = lock.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return _take(lock, me)  # released meanwhile
    except OSError:
        holder = ""
    pid_text, _, host = holder.partition(" ")
    if host == socket.gethostname() and pid_text.isdigit() and not _alive(int(pid_text)):
        # Left by a run of this machine that has ended (killed, power cut): taken over.
        try:
            if lock.read_text(encoding="utf-8").strip() == holder:
                lock.unlink()
        except OSError:
            pass
        return _take(lock, me)
    return holder or "?"


@contextmanager
def locked(folders: Iterable[Path], wait: float | None = None) -> Iterator[None]:
    """Hold ``.kpi.lock`` in each of ``folders`` (created when missing) for the block; Locked
    when another run still holds one after ``wait`` seconds."""
    wait = WAIT_SECONDS if wait is None else wait
    me = f"{os.getpid()} {socket.gethostname()}"
    held: list[Path] = []
    try:
        for folder in sorted({os.path.realpath(f) for f in folders}):  # one order: no deadlock
            lock = Path(folder) / LOCK_NAME
            Path(folder).mkdir(parents=True, exist_ok=True)
            deadline = time.monotonic() + wait
            while (holder := _take(lock, me)) is not None:
                if time.monotonic() >= deadline:
                    raise Locked(lock, holder)
                time.sleep(_POLL)
            held.append(lock)
        yield
    finally:
        for lock in reversed(held):
            try:
                if lock.read_text(encoding="utf-8").strip() == me:
                    lock.unlink()
            except OSError:
                pass

