"""Running kpi as the analyst does, in-process or as a real command, and checking what it left."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kpi.cli import app

runner = CliRunner()
NOT_INERT = ("\x1b", "\u202e", "\u202d", "\u2066", "\u2067", "\u200f", "\x07")


def kpi(*args: object, env: dict[str, str] | None = None):
    """`kpi` in-process as the analyst types it; a traceback, an escaped exception or a raw
    control or direction character in the output fails."""
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", **(env or {})})
    assert "Traceback" not in result.output
    assert not [c for c in NOT_INERT if c in result.output], repr(result.output[:2000])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def kpi_process(*args: object, timeout: float = 120, preexec=None, env: dict[str, str] | None = None
                ) -> subprocess.CompletedProcess:
    """The real `kpi` command (python -m kpi) in a child process."""
    return subprocess.run([sys.executable, "-m", "kpi", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=preexec,
                          env={**os.environ, "COLUMNS": "120", **(env or {})})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}
