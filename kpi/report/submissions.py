"""Every expected agency and month: on time, late, missing or rejected; then the other files."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from ..aggregate import ACCEPTED, AggregateResult, FileRecord, final_files
from ..i18n import skip_reason, t
from ..present import inert, period_label, period_name
from ..xlsx import (
    DATE_FORMAT,
    INT_FORMAT,
    auto_widths,
    fill_cell,
    header,
    print_setup,
    put,
    table,
    title,
)
from .common import (
    SUBMISSION_FILLS,
    Files,
    footer,
    label,
    submission_state,
)


def _completeness(ws: Worksheet, result: AggregateResult, lang: str, show: Files) -> None:
    plan = result.plan
    title(ws, label("completeness_title", lang, period=period_name(result.span.code, lang)))
    header_row = 3
    labels = [t("agency", lang), t("name", lang), t("month", lang), t("status", lang),
              t("file", lang), label("submitted", lang), label("deadline", lang), label("reporter", lang),
              label("errors", lang), label("warnings", lang), label("note", lang)]
    header(ws, header_row, labels)
    final = result.final or final_files(result.files)
    order = {a.code: i for i, a in enumerate(plan.agencies)}
    expected = sorted(plan.expected(result.span), key=lambda p: (order[p[0]], p[1]))
    used: set[int] = set()
    row = header_row + 1

    def put_row(agency: str | None, month: str | None, state: str, record: FileRecord | None,
                note: str = "", file: str | None = None) -> None:
        nonlocal row
        known = plan.agency_by_code.get(agency or "")
        due = plan.calendar.deadline(month) if month and plan.covers(month) else None
        sub = record.submission if record else None
        put(ws, row, 1, agency or "")
        put(ws, row, 2, known.name(lang) if known else "")
        put(ws, row, 3, period_label(month, lang) if month else "")
        fill_cell(put(ws, row, 4, label(f"st_{state}", lang)), SUBMISSION_FILLS[state])
        put(ws, row, 5, show(sub.file) if sub else (file or ""))
        put(ws, row, 6, sub.submitted if sub else None, DATE_FORMAT)
        put(ws, row, 7, due, DATE_FORMAT)
        put(ws, row, 8, inert(sub.reporter) if sub else "")
        put(ws, row, 9, len(sub.errors) if sub else None, INT_FORMAT)
        put(ws, row, 10, len(sub.warnings) if sub else None, INT_FORMAT)
        if sub and record and record.status == ACCEPTED and sub.submitted is None:
            note = note or label("no_date", lang)
        put(ws, row, 11, note)
        row += 1

    for agency, month in expected:
        record = final.get((agency, month))
        if record is None:
            put_row(agency, month, "missing", None)
            continue
        used.add(id(record))
        put_row(agency, month, submission_state(record), record)
    for record in result.files:
        if id(record) in used:
            continue
        note = label("replaced_by", lang, file=show(record.replaced_by)) if record.replaced_by else ""
        put_row(record.submission.agency, record.submission.period, submission_state(record),
                record, note)
    for path, reason in result.skipped:
        put_row(None, None, "skipped", None, skip_reason(reason, lang), file=show(path))
    last = row - 1
    table(ws, header_row, last, len(labels))
    auto_widths(ws, header_row, len(labels), maximum=45)
    ws.column_dimensions["D"].width = max(ws.column_dimensions["D"].width, 14)
    print_setup(ws, header_row)
    footer(ws, lang)
