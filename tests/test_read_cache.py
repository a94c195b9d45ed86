"""The cache of what was read (issue 23 item 4): results identical with and without it, keyed by
the file's content, damaged entries ignored, never among the submissions, bounded."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from clitools import kpi, kpi_process

from kpi import readcache
from kpi.collect import collect_files, read_all

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"quangngai": (ROOT / "examples" / "quangngai-2026-08", "2026-08"),
            "kontum": (ROOT / "examples" / "kontum-2025-Q2", "2025-Q2")}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test (the session's folder is shared by all tests)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPI_CACHE_DIR", str(folder))
    monkeypatch.delenv("KPI_NO_CACHE", raising=False)
    return folder


def entries(cache: Path) -> list[Path]:
    folder = cache / readcache.ENTRIES
    return sorted(folder.glob("*" + readcache.SUFFIX)) if folder.is_dir() else []


def listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob("*"))


def json_of(result) -> dict:
    data = json.loads(result.stdout)
    data.pop("generated_at", None)
    return data


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_cache_on_and_off_give_the_same_json(example, cache):
    folder, period = EXAMPLES[example]
    args = ("aggregate", folder, "--period", period, "--format", "json")
    without = kpi(*args, "--no-cache")
    assert entries(cache) == []
    cold = kpi(*args)  # fills the cache
    assert len(entries(cache)) >= len(collect_files([folder])[0]) - 2  # refused files are not kept
    warm = kpi(*args)  # reads every file from it
    assert without.exit_code == cold.exit_code == warm.exit_code
    assert json_of(without) == json_of(cold) == json_of(warm)
    # validate too, file by file
    checked = [kpi("validate", folder, "--format", "json", *extra).stdout for extra in ((), ("--no-cache",))]
    assert checked[0] == checked[1]


def test_parallel_workers_read_and_fill_the_cache_alike(cache):
    folder, _ = EXAMPLES["kontum"]
    files = collect_files([folder])[0]
    from kpi.catalog import bundled_plans

    plans = bundled_plans()
    with readcache.used(False):
        plain = read_all(files, plans, workers=1)
    cold = read_all(files, plans, workers=2)  # workers write the entries
    assert entries(cache)
    warm = read_all(files, plans, workers=2)
    assert plain == cold == warm


# --- a same-size edit with its modification time restored ----------------------------------

def stored_copy(source: Path, target: Path, replace: tuple[bytes, bytes] | None = None) -> None:
    """``source`` written again with every part stored uncompressed (so a one-digit edit keeps
    the file's size), optionally with one text replaced in the part that holds it once."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        done = replace is None
        for info in zin.infolist():
            data = zin.read(info)
            if replace is not None and data.count(replace[0]) == 1:
                data, done = data.replace(*replace), True
            zout.writestr(zipfile.ZipInfo(info.filename, (2024, 11, 5, 8, 0, 0)), data)
        assert done, "the text to edit is not in the workbook once"
    target.write_bytes(out.getvalue())


@pytest.mark.parametrize("before,after", [(4721, 4712), (4721, 9721)])
def test_a_same_size_edit_with_the_old_time_is_seen(before, after, make_submission, cache, tmp_path):
    nop = tmp_path / "nop"
    nop.mkdir()
    filled = make_submission("CA_TINH", TT_LUOT_NGUOI=before)
    original = nop / filled.name
    stored_copy(filled, original)
    edited = tmp_path / "edited.xlsx"
    stored_copy(filled, edited, (f"<v>{before}</v>".encode(), f"<v>{after}</v>".encode()))
    assert edited.stat().st_size == original.stat().st_size

    def total() -> int:
        data = json_of(kpi("aggregate", nop, "--period", "2024-10", "--format", "json"))
        return data["totals"]["TT_LUOT_NGUOI"]

    assert total() == before
    assert entries(cache)
    times = os.stat(original)
    shutil.copyfile(edited, original)  # the clerk's edit, its size and time as before
    os.utime(original, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert (original.stat().st_size, original.stat().st_mtime_ns) == (times.st_size, times.st_mtime_ns)
    assert total() == after
    stored_copy(filled, original)  # and back: the first entry serves again
    os.utime(original, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert total() == before


# --- damaged or foreign entries --------------------------------------------------------------

def spoil_truncated(entry: Path, other: Path) -> None:
    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])


def spoil_flipped_byte(entry: Path, other: Path) -> None:
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0x55
    entry.write_bytes(bytes(data))


def spoil_garbage(entry: Path, other: Path) -> None:
    entry.write_bytes(b"\x80\x04\x95 not an entry at all, perhaps a pickle" * 10)


def spoil_foreign(entry: Path, other: Path) -> None:
    """A well-formed entry, but of another file's bytes, put under this file's name."""
    entry.write_bytes(other.read_bytes())


def spoil_empty(entry: Path, other: Path) -> None:
    entry.write_bytes(b"")


@pytest.mark.parametrize("spoil", [spoil_truncated, spoil_flipped_byte, spoil_garbage, spoil_foreign,
                                   spoil_empty])
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(spoil, cache):
    folder, period = EXAMPLES["quangngai"]
    args = ("aggregate", folder, "--period", period, "--format", "json")
    expected = json_of(kpi(*args, "--no-cache"))
    kpi(*args)
    found = entries(cache)
    assert len(found) > 2
    healthy = {p: p.read_bytes() for p in found}
    for entry, other in zip(found, found[1:] + found[:1], strict=True):
        spoil(entry, other)
    assert json_of(kpi(*args)) == expected  # never a crash, never a wrong number
    assert {p: p.read_bytes() for p in entries(cache)} == healthy  # written anew


# --- where it lives, and --no-cache ----------------------------------------------------------

@pytest.mark.parametrize("command", ["aggregate", "validate"])
def test_the_cache_is_never_written_among_the_submissions(command, cache, tmp_path):
    nop = tmp_path / "nop"
    shutil.copytree(EXAMPLES["kontum"][0], nop)
    before = listing(nop)
    result = kpi_process(command, nop, "--format", "json", env={"KPI_CACHE_DIR": str(cache)})
    assert result.returncode in (0, 1), result.stderr
    assert listing(nop) == before
    assert entries(cache)
    assert not [p for p in cache.rglob("*") if p.is_file() and p.suffix.lower() in (".xlsx", ".xls")]


@pytest.mark.parametrize("how", ["option-aggregate", "option-validate", "environment"])
def test_no_cache_writes_nothing(how, cache):
    folder, period = EXAMPLES["quangngai"]
    if how == "option-aggregate":
        kpi("aggregate", folder, "--period", period, "--format", "json", "--no-cache")
    elif how == "option-validate":
        kpi("validate", folder, "--format", "json", "--no-cache")
    else:
        kpi("aggregate", folder, "--period", period, "--format", "json", env={"KPI_NO_CACHE": "1"})
    assert not cache.exists()
    kpi("validate", folder / "CA_TINH_2026-08.xlsx")  # without the option, it is used again
    assert len(entries(cache)) == 1


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("KPI_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(readcache.sys, "platform", "linux")
    assert readcache.cache_folder() == tmp_path / "xdg" / "kpi"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert readcache.cache_folder() == tmp_path / "home" / ".cache" / "kpi"
    monkeypatch.setattr(readcache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    assert readcache.cache_folder() == tmp_path / "AppData" / "Local" / "kpi" / "Cache"
    monkeypatch.setattr(readcache.sys, "platform", "darwin")
    assert readcache.cache_folder() == tmp_path / "home" / "Library" / "Caches" / "kpi"


@pytest.mark.skipif(os.name != "posix", reason="folder owners and modes are POSIX")
@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_a_folder_others_may_write_to_is_not_used(mode, cache):
    (cache / readcache.ENTRIES).mkdir(parents=True)
    (cache / readcache.ENTRIES).chmod(mode)
    folder, _ = EXAMPLES["quangngai"]
    kpi("validate", folder / "CA_TINH_2026-08.xlsx")
    assert entries(cache) == []


@pytest.mark.skipif(os.name != "posix", reason="folder owners and modes are POSIX")
def test_the_folder_is_made_private_whatever_the_umask(cache):
    old = os.umask(0o002)  # a desktop's usual umask: group-writable folders
    try:
        kpi("validate", EXAMPLES["quangngai"][0] / "CA_TINH_2026-08.xlsx")
    finally:
        os.umask(old)
    assert len(entries(cache)) == 1
    assert (cache / readcache.ENTRIES).stat().st_mode & 0o777 == 0o700


# --- the bound -------------------------------------------------------------------------------

def test_the_bound_removes_the_entries_used_longest_ago(cache):
    folder, period = EXAMPLES["quangngai"]
    kpi("aggregate", folder, "--period", period, "--format", "json")
    found = entries(cache)
    assert len(found) > 10
    old, recent = found[: len(found) // 2], found[len(found) // 2:]
    for n, entry in enumerate(old):
        os.utime(entry, (1_000_000_000 + n, 1_000_000_000 + n))  # used in 2001
    size = sum(readcache._on_disk(p.stat()) for p in found)
    # Over the bound: the oldest go until 80 % of it is left; the recent ones stay.
    removed = readcache.prune(limit=int(size * 0.7))
    left = entries(cache)
    assert 0 < removed <= len(old)
    assert set(recent) <= set(left)
    assert sum(readcache._on_disk(p.stat()) for p in left) <= size * 0.7 * readcache.PRUNE_TO
    assert old[0] not in left
    # Within the bound: nothing goes.
    assert readcache.prune(limit=size * 10) == 0
    assert entries(cache) == left


def test_the_bound_holds_after_a_run(cache, monkeypatch):
    monkeypatch.setattr(readcache, "MAX_BYTES", 20_000)
    folder, period = EXAMPLES["kontum"]
    first = json_of(kpi("aggregate", folder, "--period", period, "--format", "json"))
    left = entries(cache)
    assert left and sum(readcache._on_disk(p.stat()) for p in left) <= 20_000
    assert json_of(kpi("aggregate", folder, "--period", period, "--format", "json")) == first


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_an_entry_gives_back_exactly_what_the_reader_read(example, cache):
    """Every field of every row, the sheets and the container facts, for each bundled file."""
    from kpi.read import ReadError, read_workbook

    files = collect_files([EXAMPLES[example][0]])[0]
    kept = 0
    for path in files:
        try:
            expected = read_workbook(path)
        except ReadError:
            continue
        first, second = readcache.read_cached(path), readcache.read_cached(path)  # stored, loaded
        assert first == expected and second == expected, path
        kept += 1
    assert len(entries(cache)) == kept > 10


@pytest.mark.parametrize("module,limit,value", [("container", "MAX_SHEET_CELLS", 50),
                                                ("read", "MAX_CODE_ROWS", 3)])
def test_a_file_cached_under_other_limits_is_read_again(module, limit, value, cache, monkeypatch):
    import importlib

    from kpi import validate_file
    from kpi.catalog import bundled_plans

    path = EXAMPLES["quangngai"][0] / "CA_TINH_2026-08.xlsx"
    plans = bundled_plans()
    assert validate_file(path, plans).readable  # cached
    monkeypatch.setattr(importlib.import_module(f"kpi.{module}"), limit, value)
    assert [i.code for i in validate_file(path, plans).issues] == ["too-large-file"]
