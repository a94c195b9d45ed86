"""The README's monthly routine ("Mỗi tháng / Each month"), run as written: every `$ kpi ...`
command of the section, in a work folder laid out as the section says, with the bundled month
rehearsed as the submissions. Each line the README shows as output (but "...") must be printed,
so the manual cannot drift from what kpi does."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import docx
from clitools import kpi
from workbooks import correct_dak_ha

ROOT = Path(__file__).resolve().parent.parent
QN = ROOT / "examples" / "quangngai-2026-08"


def routine() -> list[tuple[str, list[str]]]:
    """(command, output lines shown) for each `$ kpi` of the section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Mỗi tháng / Each month"):text.index("\n## Commands")]
    steps: list[tuple[str, list[str]]] = []
    in_block = False
    for line in section.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_block = not in_block
            continue
        if not in_block:
            continue
        if stripped.startswith("$ "):
            steps.append((stripped[2:], []))
        elif steps and stripped and stripped != "...":
            steps[-1][1].append(line.rstrip()[3:] if line.startswith("   ") else line.rstrip())
    return steps


def write_assessment(draft: Path, text: str) -> None:
    """What step 3 asks of the analyst: the assessment typed under "NHẬN XÉT, ĐỀ XUẤT" (in
    place of the dotted line kpi leaves there), the draft saved."""
    document = docx.Document(draft)
    heading = next(i for i, p in enumerate(document.paragraphs) if "NHẬN XÉT, ĐỀ XUẤT" in p.text)
    dots = next(p for p in document.paragraphs[heading:] if p.text.startswith("…"))
    dots.text = text
    document.save(draft)


def test_the_section_has_the_routines_commands():
    commands = [c.split()[1] for c, _ in routine()]
    assert commands == ["template", "validate", "validate", "aggregate", "aggregate"]


def test_the_monthly_routine_runs_as_the_readme_shows(tmp_path, monkeypatch):
    work = tmp_path / "cong-viec"
    (work / "nop").mkdir(parents=True)
    shutil.copytree(QN, work / "nop" / "2026-08")  # the rehearsal the section describes
    (work / "bao-cao").mkdir()
    monkeypatch.chdir(work)
    steps = routine()
    assessment = "Nhận xét của cán bộ tổng hợp: tháng 8 cơ bản đạt yêu cầu."
    for n, (command, shown) in enumerate(steps):
        if n == len(steps) - 1:
            # Step 3 says: add your assessment to the draft under "NHẬN XÉT, ĐỀ XUẤT".
            write_assessment(work / "bao-cao" / "2026-08.docx", assessment)
            report = (work / "bao-cao" / "2026-08.xlsx").read_bytes()
            correct_dak_ha(work / "nop" / "2026-08")  # step 5: a correction arrives
        args = shlex.split(command)[1:]
        result = kpi(*args, env={"COLUMNS": "100"})
        assert result.exit_code in (0, 1), (command, result.output)
        printed = [re.sub(r"\s+$", "", line) for line in result.output.splitlines()]
        missing = [line for line in shown if line not in printed]
        assert not missing, (command, missing, result.output)
    # Where the section says things go: nothing written among the submissions.
    assert len(list((work / "mau-bieu" / "2026-08").glob("*.xlsx"))) == 109
    assert (work / "bao-cao" / "2026-08.xlsx").is_file()
    # Step 5 as the README says: the draft with the assessment is kept as it is, the new draft
    # is written beside it; the untouched report is replaced with the corrected numbers.
    assert assessment in [p.text for p in docx.Document(work / "bao-cao" / "2026-08.docx").paragraphs]
    assert assessment not in [p.text for p in docx.Document(work / "bao-cao" / "2026-08-2.docx").paragraphs]
    assert (work / "bao-cao" / "2026-08.xlsx").read_bytes() != report
    assert sorted(p.name for p in (work / "bao-cao").iterdir()) == [
        "2026-08-2.docx", "2026-08.docx", "2026-08.xlsx"]
    assert sorted(p.name for p in (work / "phan-hoi" / "2026-08").iterdir()) == [
        "P_CAM_THANH.txt", "X_MO_RAI.txt", "X_MO_RAI_2026-08.kiem-tra.xlsx"]
    received = {p.name for p in QN.iterdir()} | {"X_DAK_HA_2026-08_sua.xlsx"}
    assert {p.name for p in (work / "nop" / "2026-08").iterdir()} == received
