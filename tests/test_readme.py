"""The README's first section is the contract with a newcomer and with CI."""

from __future__ import annotations

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
