"""The README's first section is the contract with a newcomer and with CI."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_section = readme.split("\n## ", 2)[1]
    return re.findall(r"```\n(.+?)\n```", first_section)


def test_quick_start_has_exactly_two_commands_install_and_run():
    commands = quick_start_commands()
    assert len(commands) == 2
    main_job, tests = commands
    assert "pip install" in main_job and "kpi aggregate examples/" in main_job
    assert "pip install" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def _section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_quick_start_main_job_exits_with_the_code_the_readme_states(tmp_path):
    import shlex
    import subprocess
    import sys

    first_section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 2)[1]
    stated = re.search(r"exits with code (\d)", first_section)
    assert stated, "the quick start says which code the main job exits with"
    main_job = quick_start_commands()[0]
    args = shlex.split(main_job.split(".venv/bin/kpi ", 1)[1])
    out = args.index("--out") + 1
    args[out] = str(tmp_path / args[out])  # the report goes to a temporary folder, not the clone
    done = subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == int(stated.group(1)), done.stderr
    assert (tmp_path / "report.xlsx").is_file()


def test_the_python_example_runs_from_any_folder_and_prints_what_the_readme_shows(tmp_path):
    import subprocess
    import sys

    section = _section("Python API")
    code, printed = re.findall(r"```(?:python)?\n(.*?)```", section, re.S)[:2]
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == printed


def test_the_readme_documents_every_issue_code():
    from kpi.issues import CATALOGUE

    table = _section("Issue codes")
    assert not [code for code in CATALOGUE if f"| `{code}` |" not in table]
