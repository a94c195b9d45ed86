"""The Word draft of the narrative report (issue 15): one sentence per indicator, worked by hand
on the roll-up of tests/test_compare.py (Alpha, 2027-08), the Decree 30 layout, and a render
through LibreOffice Writer."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from clitools import kpi
from test_compare import NOW, _plans
from test_compare import folder as folder  # noqa: F401  (the fixture)

from kpi import roll_up
from kpi.narrative import sentence
from kpi.word import build_docx, write_docx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "quangngai-2026-08"
NB = "\u00a0"


@pytest.fixture(scope="module")
def august(folder):  # noqa: F811
    return roll_up([folder], "2027-08", plans=_plans(), now=NOW)


def by_code(result, code):
    return next(i for i in result.indicators if i.code == code)


def test_a_rate_in_one_sentence_against_target_last_year_and_year_to_date(august):
    rate = by_code(august, "CS_GIAI_QUYET")
    assert sentence(august, rate, "vi") == (
        f"Tỷ lệ giải quyết vụ án đạt 50{NB}%, chưa đạt chỉ tiêu (từ 70{NB}% trở lên), "
        f"tăng 25{NB}điểm % so với cùng kỳ năm 2026; lũy kế từ 07/2027 đạt 60{NB}%.")
    assert sentence(august, rate, "en") == (
        f"Case resolution rate reached 50{NB}%, below the target (70{NB}% or more), "
        f"up 25{NB}points on the same period of 2026; year to date (from 07/2027) 60{NB}%.")


def test_a_count_in_one_sentence(august):
    count = by_code(august, "CS_SU_KIEN")
    assert sentence(august, count, "vi") == (
        f"Sự kiện truyền thông: 3{NB}sự kiện, bằng cùng kỳ năm 2026; lũy kế từ 07/2027 đạt 9{NB}sự kiện.")


def test_without_last_year_the_sentence_says_so(folder):  # noqa: F811
    first = roll_up([folder], "2026-08", plans=_plans(), now=NOW)
    text = sentence(first, by_code(first, "CS_GIAI_QUYET"), "vi")
    assert "chưa có số liệu cùng kỳ năm 2025 để so sánh" in text
    assert "so với cùng kỳ" not in text  # no change against a year without data


def test_the_draft_holds_the_decree_30_parts_and_no_codes(august, tmp_path):
    path = write_docx(august, tmp_path / "du-thao.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:",
                 "BÁO CÁO", "THÁNG 8 NĂM 2027", "Kính gửi", "Nơi nhận:", "Như trên",
                 "(Ký, ghi rõ họ tên, đóng dấu)", "Tỷ lệ giải quyết vụ án đạt 50"):
        assert part in text, part
    assert not re.search(r"\b(CS|VA|HD)_[A-Z_]+", text)  # names, never codes
    assert "Times New Roman" in xml


def test_options_name_the_issuer_recipient_and_signer(august, tmp_path):
    info = august.plan.report.merged(issuer_vi="Công an tỉnh Thử", recipients_vi=["Ban Chỉ đạo 138"],
                                     signer_title_vi="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                                     signer_name="Nguyễn Văn An")
    doc = build_docx(august, "vi", info)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    for part in ("CÔNG AN TỈNH THỬ", "Kính gửi: Ban Chỉ đạo 138", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
                 "Nguyễn Văn An", "Công an tỉnh Thử báo cáo kết quả"):
        assert part in text, part


def test_the_command_writes_the_draft_and_never_over_a_file_it_did_not_make(tmp_path):
    out = tmp_path / "bao-cao.docx"
    result = kpi("aggregate", str(EXAMPLES), "--period", "2026-08", "--docx", str(out),
                 "--signer-name", "Nguyễn Văn An")
    assert result.exit_code == 1  # targets not met: the draft is written all the same
    assert "Đã ghi bản dự thảo báo cáo (Word)" in result.output
    again = kpi("aggregate", str(EXAMPLES), "--period", "2026-08", "--docx", str(out))
    assert again.exit_code == 1 and "Đã ghi bản dự thảo" in again.output  # its own: replaced
    foreign = tmp_path / "cua-toi.docx"
    foreign.write_bytes(b"my own notes")
    report = tmp_path / "bao-cao.xlsx"
    refused = kpi("aggregate", str(EXAMPLES), "--period", "2026-08", "--docx", str(foreign),
                  "--out", str(report))
    assert refused.exit_code == 2 and foreign.read_bytes() == b"my own notes"
    assert not report.exists()  # refused before anything was written
    wrong = kpi("aggregate", str(EXAMPLES), "--period", "2026-08", "--docx", str(tmp_path / "x.txt"))
    assert wrong.exit_code == 2 and "--docx bao-cao.docx" in wrong.output


@pytest.mark.slow
def test_the_draft_renders_in_libreoffice_writer_on_a4(august, soffice, tmp_path):
    from workbooks import pdf_pages, soffice_convert_all

    path = write_docx(august, tmp_path / "du-thao.docx")
    converted = soffice_convert_all(soffice, [path], "pdf", tmp_path / "pdf")
    if not converted or not converted[0].exists():
        pytest.skip("LibreOffice Writer is not installed (libreoffice-writer-nogui)")
    pages = pdf_pages(converted[0])
    assert 1 <= len(pages) <= 4
    assert all(round(w) == 595 and round(h) == 842 for w, h in pages)  # A4 portrait
    text = subprocess.run(["pdftotext", "-layout", str(converted[0]), "-"], capture_output=True,
                          text=True, check=True).stdout
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Nơi nhận",
                 "THỦ TRƯỞNG CƠ QUAN"):  # the test plan names no signer: a blank to fill
        assert part in text, part
    assert not re.search(r"\b(CS|VA|HD)_[A-Z_]+", text)


@pytest.mark.parametrize("option, needs", [
    (("--signer-name", "Nguyễn Văn An"), "--docx"),
    (("--issuer", "Công an tỉnh"), "--docx"),
    (("--sender-phone", "0255 3 822 111"), "--feedback"),
])
def test_an_option_that_would_change_nothing_is_refused(option, needs, tmp_path):
    """A signer given without a report to sign, or a sender without letters, would be silently
    dropped: the analyst is told instead, and nothing is written."""
    csv = tmp_path / "bang.csv"
    refused = kpi("aggregate", str(EXAMPLES), "--period", "2026-08", *option, "--out", str(csv))
    assert refused.exit_code == 2 and option[0] in refused.output and needs in refused.output
    assert not csv.exists()
