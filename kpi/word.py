"""The Word draft of the narrative report (``kpi aggregate --docx FILE``): the analyst's real
deliverable, laid out as Decree 30/2020/NĐ-CP lays out an administrative document (A4 portrait,
Times New Roman, margins 20-30 mm; issuing body and national motto side by side; number, place
and date; title; "Kính gửi"; body; "Nơi nhận" and signature side by side), with one generated
sentence per indicator and the compliance table. A draft: the analyst completes and signs it.
"""

from __future__ import annotations

import errno
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import t
from .narrative import amount, completeness_sentence, judged_words, sentence
from .present import period_name, period_title, status_text, target_text

if TYPE_CHECKING:
    from .aggregate import AggregateResult
    from .plan import ReportInfo

FONT = "Times New Roman"
MARKER = "kpi-output report"  # in the document's keywords: kpi may replace its own drafts


def is_own_docx(path: Path) -> bool:
    """Whether an existing file is a draft kpi wrote (its core properties say so; Word and
    LibreOffice keep them, so whether it is still as kpi wrote it is the ledger's to say)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return MARKER.encode() in z.read("docProps/core.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def write_docx(result: AggregateResult, path: Path, lang: str = "vi",
               info: ReportInfo | None = None) -> Path:
    """Write the draft to ``path`` whole or not at all; never over a submission of the run or a
    file kpi did not write."""
    from .xlsx import write_bytes_atomic

    path = Path(path)
    refuse_foreign(result, path, lang)
    buffer = io.BytesIO()
    build_docx(result, lang, info).save(buffer)
    write_bytes_atomic(path, buffer.getvalue(), own=True)
    return path


def refuse_foreign(result: AggregateResult, path: Path, lang: str = "vi") -> None:
    """OSError when ``path`` is a submission of the run or a file kpi did not write: checked
    before anything of the run is written, so a refused draft leaves no report behind either."""
    from .xlsx import occupied

    if occupied(Path(path), [r.file for r in result.files], own=is_own_docx) is not None:
        raise OSError(errno.EEXIST, t("docx_foreign", lang), str(path))


def build_docx(result: AggregateResult, lang: str = "vi", info: ReportInfo | None = None) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    info = info if info is not None else result.plan.report
    doc = Document()
    doc.core_properties.author = "kpi"
    doc.core_properties.keywords = MARKER
    doc.core_properties.title = t("rp_doc_kind", lang)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(_qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)

    def para(text: str = "", *, bold: bool = False, italic: bool = False, size: float = 14,
             align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, cell: Any = None, indent: bool = False,
             underline: bool = False, after: float = 6) -> Any:
        p = cell.add_paragraph() if cell is not None else doc.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(after)
        if indent:
            p.paragraph_format.first_line_indent = Mm(10)
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        run.font.name = FONT
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    # Issuing body | national motto; number | place and date
    head = doc.add_table(rows=1, cols=2)
    _widths(head, (Mm(64), Mm(96)))
    left, right = head.rows[0].cells
    para(info.issuer_parent_vi.upper(), size=12, align=center, cell=left, after=0)
    para(info.issuer_vi.upper() or t("rp_issuer_blank", lang), bold=True, size=12, align=center,
         cell=left, after=0)
    para("———", size=10, align=center, cell=left, after=2)
    para(t("rp_doc_number", lang, suffix=info.number_suffix or "BC"), size=13, align=center,
         cell=left, after=0)
    para(t("rp_motto", lang), bold=True, size=12, align=center, cell=right, after=0)
    para(t("rp_tagline", lang), bold=True, size=13, align=center, cell=right, after=2,
         underline=True)
    para(t("rp_place_date", lang, place=info.place_vi or result.plan.province,
           year=result.generated_at.year), italic=True, size=13, align=center, cell=right, after=0)
    _drop_empty_first(left)
    _drop_empty_first(right)

    para("", after=0)
    para(t("rp_doc_kind", lang), bold=True, size=14, align=center, after=0)
    subject = (info.subject(lang) or t("rp_subject_plan", lang, ref=result.plan.named(lang)))
    para(t("rp_subject", lang, subject=subject, period=period_title(result.span.code, lang)).upper(),
         bold=True, size=14, align=center, after=0)
    cited = info.cited(lang) or result.plan.title(lang)
    para(t("rp_cited", lang, cited=cited), italic=True, size=13, align=center, after=12)
    para(t("rp_to", lang, to="; ".join(info.recipients_vi) or "…"), size=14, align=center, after=12)

    issuer = info.issuer_vi or t("dx_the_issuer", lang)
    period_words = period_name(result.span.code, lang)
    para(t("dx_intro", lang, cited=cited, issuer=issuer,
           subject=subject, period=period_words.lower() if lang != "en" else period_words),
         indent=True)
    para(t("dx_part_submissions", lang), bold=True)
    para(completeness_sentence(result, lang), indent=True)
    para(t("dx_part_results", lang), bold=True)
    for number, ind in enumerate(result.indicators, 1):
        para(f"{number}. {sentence(result, ind, lang)}", indent=True)
    para(t("dx_part_table", lang), bold=True)
    _table(doc, result, lang)
    note = t("rp_footnote_exact", lang)
    judged = [i.name(lang) for i in result.indicators if i.judged_value is not None]
    if judged:  # judged on the year to date: said as in the workbook's footnote
        note += " " + t("rp_judged_year_note", lang, names="; ".join(judged))
    stocks = [i.name(lang) for i in result.indicators if i.stock]
    if stocks and result.year_to_date.available:
        note += " " + t("rp_stock_note", lang, names="; ".join(stocks))
    para(note, italic=True, size=11)
    para(t("dx_part_next", lang), bold=True)
    para(t("dx_next_hint", lang), italic=True, indent=True)
    para("…" * 20, indent=True)

    # Nơi nhận | signature
    foot = doc.add_table(rows=1, cols=2)
    _widths(foot, (Mm(70), Mm(90)))
    left, right = foot.rows[0].cells
    para(t("rp_copies", lang), bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT,
         cell=left, after=0)
    copies = [t("rp_copies_same", lang), *info.copies_vi]
    for i, text in enumerate(copies, 1):
        para(f"- {text}{'.' if i == len(copies) else ';'}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT,
             cell=left, after=0)
    para(info.signer_title_vi.upper() or t("rp_signer_blank", lang), bold=True, size=14,
         align=center, cell=right, after=0)
    para(t("rp_sign_hint", lang), italic=True, size=13, align=center, cell=right, after=60)
    para(info.signer_name, bold=True, size=14, align=center, cell=right, after=0)
    _drop_empty_first(left)
    _drop_empty_first(right)
    return doc


def _table(doc: Any, result: AggregateResult, lang: str) -> None:
    """The compliance table, in words: no codes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    heads = [t("rp_number", lang), t("indicator", lang), t("target", lang),
             t("rp_this_period", lang), t("rp_ytd_value", lang), t("dx_last_year", lang),
             t("status", lang)]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    widths = (Mm(10), Mm(58), Mm(19), Mm(19), Mm(19), Mm(17), Mm(18))
    for cell, text, width in zip(table.rows[0].cells, heads, widths, strict=True):
        cell.width = width
        _cell_text(cell, text, bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    ytd, last = result.year_to_date, result.last_year
    for number, ind in enumerate(result.indicators, 1):
        unit = ind.unit_for(lang)
        so_far = ytd.indicator(ind.code) if ytd.available else None
        before = last.indicator(ind.code) if last.available else None
        values = [str(number), ind.name(lang),
                  target_text(ind.comparator, ind.target, unit, lang) + (" *" if ind.provisional else ""),
                  amount(ind.value, unit, lang) if ind.value is not None else "—",
                  (amount(so_far.value, unit, lang)
                   + (f" ({t('rp_ytd_stock', lang)})" if ind.stock else ""))
                  if so_far and so_far.value is not None else t("rp_no_data_yet", lang),
                  amount(before.value, unit, lang) if before and before.value is not None
                  else t("rp_no_data_yet", lang),
                  status_text(ind.status, lang, ind.no_data_reason)
                  + (" " + t("rp_partial_status", lang) if result.provisional
                     and ind.status in ("met", "not_met") else "")
                  + (" " + judged_words(ind, lang) if ind.judged_value is not None else "")]
        cells = table.add_row().cells
        for i, (cell, text, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            _cell_text(cell, text, size=11, bold=i == 6,
                       align=WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    table.autofit = False
    _widths(table, widths)


def _cell_text(cell: Any, text: str, *, bold: bool = False, size: float = 11, align: Any = None) -> None:
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.name = FONT


def _widths(table: Any, widths: tuple[Any, ...]) -> None:
    """Column widths Word and LibreOffice both keep: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _drop_empty_first(cell: Any) -> None:
    """A new cell holds one empty paragraph; text was added after it: remove it."""
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._element.getparent().remove(first._element)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))
