"""The rest of the run (issue 20.18, 20.19): two runs never mix their outputs (a lock on the output
folders); a useless COLUMNS, standard output on a full disk, control characters typed into an
option and an output path under a file each get one clear answer, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import kpi, kpi_process

import kpi.ledger as ledger

PERIOD = ("--period", "2024-10")


# --- 20.18 a lock on the outputs ------------------------------------------------------------------

def test_a_run_refuses_while_another_live_run_holds_the_lock(small_folder, tmp_path, monkeypatch):
    out_dir = tmp_path / "bao-cao"
    out_dir.mkdir()
    lock = out_dir / ledger.LOCK_NAME
    lock.write_text(f"{os.getpid()} {socket.gethostname()}", encoding="utf-8")  # alive: this test
    monkeypatch.setattr(ledger, "WAIT_SECONDS", 0.5)
    for option, target in (("--out", out_dir / "r.xlsx"), ("--docx", out_dir / "r.docx"),
                           ("--feedback", out_dir / "phan-hoi")):
        result = kpi("aggregate", small_folder, *PERIOD, option, target)
        assert result.exit_code == 2, result.output
        flat = " ".join(result.output.split())
        assert "Một lần chạy kpi khác" in flat and str(lock) in flat, flat
    assert sorted(p.name for p in out_dir.iterdir()) == [ledger.LOCK_NAME]  # nothing written
    assert lock.read_text(encoding="utf-8").startswith(str(os.getpid()))  # not ours to remove


def test_a_stale_lock_of_a_dead_process_is_taken_over_and_released(small_folder, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out_dir = tmp_path / "bao-cao"
    out_dir.mkdir()
    (out_dir / ledger.LOCK_NAME).write_text(f"{dead.pid} {socket.gethostname()}", encoding="utf-8")
    result = kpi("aggregate", small_folder, *PERIOD, "--out", out_dir / "r.xlsx")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["r.xlsx"]  # the lock is gone too


def test_the_lock_is_released_when_the_run_fails(small_folder, tmp_path, monkeypatch):
    out_dir = tmp_path / "bao-cao"

    def disk_full(fd, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kpi.xlsx._write_all", disk_full)
    result = kpi("aggregate", small_folder, *PERIOD, "--out", out_dir / "r.xlsx")
    assert result.exit_code == 2
    assert not (out_dir / ledger.LOCK_NAME).exists()


def test_two_runs_at_once_on_the_same_outputs_both_finish_one_after_the_other(small_folder, tmp_path):
    """Two real `kpi aggregate` commands started together on the same report and feedback:
    the second waits for the first; both succeed, and the outputs are one run's whole set."""
    args = ["aggregate", str(small_folder), *PERIOD, "--out", str(tmp_path / "r.xlsx"),
            "--docx", str(tmp_path / "r.docx"), "--format", "json"]
    env = {**os.environ, "COLUMNS": "120"}
    runs = [subprocess.Popen([sys.executable, "-m", "kpi", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outcomes = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outcomes
    assert all("Traceback" not in out + err for out, err in outcomes)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "nop") == ["r.docx", "r.xlsx"]
    assert ledger.untouched(tmp_path / "r.xlsx") and ledger.untouched(tmp_path / "r.docx")


# --- 20.19 the rest of the run ------------------------------------------------------------------

@pytest.mark.parametrize("columns", ["0", "7", "-3", "abc"])
def test_a_useless_columns_still_prints_everything(columns):
    result = kpi_process("plan", "show", "--period", "2026-08", env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "KPI_DUNG_HAN" in result.stdout  # the table is there, codes whole
    assert len(result.stdout.splitlines()) > 20


@pytest.mark.parametrize("args", [("plan", "show"), ("plan", "show", "--format", "json"),
                                  ("aggregate", "{folder}", "--period", "2024-10")])
def test_standard_output_on_a_full_disk_is_one_message_and_exit_2(args, small_folder):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    argv = [a.format(folder=small_folder) for a in args]
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "kpi", *argv], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120,
                                env={**os.environ, "COLUMNS": "120"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "kpi không ghi được kết quả ra đầu ra chuẩn: No space left on device"]


@pytest.mark.parametrize("option,value", [("--signer-name", "Nguyễn\x00Văn A"),
                                          ("--to", "UBND tỉnh\x0b"),
                                          ("--place", "Quảng\x1b[31mNgãi"),
                                          ("--issuer", "CÔNG AN TỈNH\x07"),
                                          ("--signer-title", "GIÁM ĐỐC\x7f")])
def test_control_characters_in_report_texts_are_refused_as_usage(small_folder, tmp_path, option, value):
    if "\x00" in value:  # no argument can carry NUL: what an API caller could pass
        from kpi.outputs import OutputError, Outputs

        with pytest.raises(OutputError) as refused:
            Outputs(docx=tmp_path / "r.docx", signer_name=value).check()
        assert "--signer-name" in refused.value.message("vi")
        return
    result = kpi("aggregate", small_folder, *PERIOD, "--docx", tmp_path / "r.docx", option, value)
    assert result.exit_code == 2, result.output
    assert f"{option}: có ký tự điều khiển" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_a_line_break_in_the_signer_title_is_still_allowed(small_folder, tmp_path):
    result = kpi("aggregate", small_folder, *PERIOD, "--docx", tmp_path / "r.docx",
                 "--signer-title", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "--to", "A\tB")
    assert result.exit_code == 1, result.output
    assert (tmp_path / "r.docx").is_file()


@pytest.mark.parametrize("option,target", [("--out", "afile/r.xlsx"), ("--docx", "afile/sub/r.docx"),
                                           ("--feedback", "afile/phan-hoi"), ("--feedback", "afile")])
def test_an_output_under_a_file_says_the_parent_is_a_file(small_folder, tmp_path, monkeypatch,
                                                          option, target):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    result = kpi("aggregate", small_folder, *PERIOD, option, target)
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert f"{option} {target}: afile là một tệp, không phải thư mục" in flat, flat
    assert "File exists" not in flat


def test_template_and_annotate_out_under_a_file_say_so(base, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    result = kpi("template", "--agency", "VKS", "--period", "2024-10", "--out", "afile/mau")
    assert result.exit_code == 2 and "afile là một tệp, không phải thư mục" in result.output
    result = kpi("validate", base, "--annotate-out", "afile/kt.xlsx")
    assert result.exit_code == 2 and "afile là một tệp, không phải thư mục" in result.output
