"""Feedback for the agencies whose files were rejected, ready to send back.

For every rejected file: a marked copy (:mod:`kpi.annotate`) named by agency and month
(``H_DAKHA_2025-08.kiem-tra.xlsx``; the file's own name when the agency or month is unknown).
For every agency: a short text (``H_DAKHA.txt``) to paste into an email: which file, which cells,
what to fix, and by when. Files whose agency is unknown go to ``khong-ro-don-vi.txt``.

By when: the month's deadline (:func:`kpi.periods.deadline`) while it has not passed; once it
has, "as soon as possible, at the latest" the day of the run plus the plan's ``deadline_days``
(the same number of days the plan gives for a report, 3 in the bundled plan).

Each text ends with who sends it: the office, contact person, phone and email of the plan's
``[contact]``, or of ``--sender-office``, ``--sender-person`` and ``--sender-phone`` (which win);
a letter says only what is known. Units are named by their names, problems in the clerk's words
(cells, not the plan's codes).

Texts are UTF-8 with a byte-order mark and Windows line ends, so Notepad on an old office PC
shows the Vietnamese right. Every file is written atomically; earlier files of the same name
are replaced while they are as kpi wrote them (:mod:`kpi.ledger`); one someone has edited is
kept and the new text takes the next free name (``H_DAKHA-2.txt``). The folder holds the
feedback of the latest run: kpi's own texts and marked copies left there by an earlier run, not
written again (the agency has since sent a correct file) and still as kpi wrote them, are
removed, so an out-of-date request is never sent by mistake; an edited one is kept and listed,
and any other file in the folder is left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .aggregate import AggregateResult, FileRecord
from .annotate import SUFFIX, AnnotateError, annotate
from .i18n import TEXTS, t
from .issues import Issue
from .ledger import forget
from .periods import period_kind
from .plan import Contact, Plan
from .present import inert, period_label
from .xlsx import occupied, write_bytes_atomic

UNKNOWN_AGENCY_FILE = "khong-ro-don-vi.txt"


@dataclass
class Returned:
    """One rejected file and its marked copy (or why there is none)."""

    record: FileRecord
    copy: Path | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.record.file, "agency": self.record.submission.agency,
                "month": self.record.submission.period,
                "copy": str(self.copy) if self.copy else None, "problem": self.problem,
                "status": self.record.status}


@dataclass
class Feedback:
    folder: Path
    returned: list[Returned] = field(default_factory=list)
    texts: dict[str | None, Path] = field(default_factory=dict)  # agency (None: unknown) -> text
    removed: list[Path] = field(default_factory=list)  # kpi's earlier feedback, now out of date
    kept: list[Path] = field(default_factory=list)  # kpi's earlier feedback someone edited: left

    @property
    def written(self) -> list[Path]:
        """Every file written: per agency, its text then its copies."""
        paths: list[Path] = []
        for agency, text in self.texts.items():
            paths.append(text)
            paths += [r.copy for r in self.returned if r.copy and r.record.submission.agency == agency]
        return paths

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder),
                "texts": [{"agency": a, "file": str(p)} for a, p in self.texts.items()],
                "files": [r.to_dict() for r in self.returned],
                "removed": [str(p) for p in self.removed],
                "kept": [str(p) for p in self.kept]}


def copy_name(record: FileRecord) -> str:
    sub = record.submission
    if sub.agency and sub.period:
        return f"{sub.agency}_{sub.period}{SUFFIX}"
    return Path(sub.file).stem + SUFFIX


def write_feedback(result: AggregateResult, folder: Path | str, lang: str = "vi",
                   today: date | None = None, sender: Contact | None = None) -> Feedback:
    """Write copies and texts for ``result.rejected`` into ``folder`` (created when missing).
    ``sender``: who signs the texts (default: the plan's ``[contact]``).

    Raises OSError when the folder or a file cannot be written.
    """
    folder = Path(folder)
    today = today or result.generated_at.date()
    sender = result.plan.contact if sender is None else sender
    feedback = Feedback(folder)
    inputs = {os.path.realpath(r.file) for r in result.files}
    inputs |= {os.path.realpath(p) for p, why in result.skipped
               if why not in ("kpi-output", "marked-copy")}
    earlier, edited = _earlier_feedback(folder, inputs)
    if _to_send(result) or other_month_files(result):
        folder.mkdir(parents=True, exist_ok=True)
        _write_all_feedback(result, feedback, folder, inputs, lang, today, sender)
    written = {os.path.realpath(p) for p in feedback.written}
    for path in earlier:
        if os.path.realpath(path) not in written:
            path.unlink(missing_ok=True)
            forget(path)
            feedback.removed.append(path)
    feedback.kept = [p for p in edited if os.path.realpath(p) not in written]
    return feedback


def _earlier_feedback(folder: Path, inputs: set[str]) -> tuple[list[Path], list[Path]]:
    """kpi's own feedback at the top of ``folder``: what is still as kpi wrote it (the ledger
    vouches for it: it may be removed), and what someone has edited since (never removed).
    Never an input of the run."""
    if not folder.is_dir():
        return [], []
    untouched_files, edited = [], []
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file() or os.path.realpath(path) in inputs:
            continue
        name = path.name.lower()
        if name.endswith(".txt"):
            why = occupied(path, inputs, own=_our_text)
        elif name.endswith(SUFFIX):
            why = occupied(path, inputs)
        else:
            continue
        if why is None:
            untouched_files.append(path)
        elif why == "edited":
            edited.append(path)
    return untouched_files, edited


def _write_all_feedback(result: AggregateResult, feedback: Feedback, folder: Path,
                        inputs: set[str], lang: str, today: date, sender: Contact) -> None:
    used: set[str] = set()
    order = {a.code: i for i, a in enumerate(result.plan.agencies)}
    rejected = sorted(_to_send(result), key=lambda r: (
        r.submission.agency is None, order.get(r.submission.agency or "", len(order)),
        r.submission.period or "", r.file))
    for record in rejected:
        item = Returned(record)
        if record.submission.readable:
            target = folder / _unique(copy_name(record), folder, used, inputs)
            try:
                item.copy = annotate(record.submission, target, lang, inputs=inputs)
            except AnnotateError as exc:
                item.problem = str(exc)
        else:
            item.problem = t("fb_unreadable", lang)
        feedback.returned.append(item)
    agencies: dict[str | None, list[Returned]] = {}
    for item in feedback.returned:
        agencies.setdefault(item.record.submission.agency, []).append(item)
    elsewhere = other_month_files(result)
    for code in sorted(set(elsewhere) - set(agencies)):
        agencies[code] = []
    agencies = dict(sorted(agencies.items(), key=lambda kv: (kv[0] is None,
                                                            order.get(kv[0] or "", len(order)))))
    for agency, items in agencies.items():
        name = f"{agency}.txt" if agency else UNKNOWN_AGENCY_FILE
        path, n = folder / name, 1
        while occupied(path, inputs, own=_our_text) or path.name.casefold() in used:
            n += 1  # a text of someone else's, or an input of the run: never written over
            path = folder / f"{Path(name).stem}-{n}.txt"
        used.add(path.name.casefold())
        _write_text(path, agency_text(result.plan, agency, items, lang, today, sender,
                                      elsewhere.get(agency or "", []), result.span.code))
        feedback.texts[agency] = path


def other_month_files(result: AggregateResult) -> dict[str, list[FileRecord]]:
    """Agency -> its files named for the period asked whose cover sheet says another period
    (so they are not counted), while the agency's report for the period is still missing: it
    is told which period its file is for and that this one is still due."""
    from .aggregate import OUT_OF_SPAN

    missing = {agency for agency, _ in result.completeness.missing}
    found: dict[str, list[FileRecord]] = {}
    for record in result.files:
        agency = record.submission.agency
        if (record.status == OUT_OF_SPAN and agency in missing and not record.cut
                and any(i.code == "name-mismatch" for i in record.submission.issues)):
            found.setdefault(agency, []).append(record)
    return found


def _to_send(result: AggregateResult) -> list[FileRecord]:
    """The rejected files, then the accepted ones holding a value far from the unit's past
    (``unusual-value``, kpi/history.py): counted, but the clerk is asked to check them."""
    return result.rejected + [r for r in result.files if r.status == "accepted"
                              and any(i.code == "unusual-value" for i in r.submission.issues)]


def _our_text(path: Path) -> bool:
    """A feedback text kpi wrote earlier: it starts with one of kpi's subject lines."""
    try:
        with path.open("rb") as handle:
            head = handle.read(200).decode("utf-8-sig", "replace")
    except OSError:
        return False
    return any(head.startswith(t(key, lang, months="", ref="", period="").split("{")[0][:20])
               for key in ("fb_subject", "fb_unknown_title")
               for lang in ("vi", "en"))


def _unique(name: str, folder: Path, used: set[str], inputs: set[str]) -> str:
    """``name``, or ``<stem>-2.kiem-tra.xlsx`` ... when taken in this run, an input file, or a
    file kpi did not make."""
    stem = name[: -len(SUFFIX)]
    candidate, n = name, 1
    while candidate.casefold() in used or occupied(folder / candidate, inputs):
        n += 1
        candidate = f"{stem}-{n}{SUFFIX}"
    used.add(candidate.casefold())
    return candidate


# --- the text ---------------------------------------------------------------------------------------

def _month_label(month: str | None, lang: str) -> str:
    return period_label(month, lang) if month else t("fb_unknown_month", lang)


def _report_of(period: str | None, lang: str) -> str:
    """What follows "báo cáo": "tháng 08/2026" for a month, "Quý II/2026" for a quarter (never
    "tháng Quý II/2026"); in English the period alone."""
    label = _month_label(period, lang)
    if lang != "en" and period and period_kind(period) == "month":
        return f"tháng {label}"
    return label


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def agency_text(plan: Plan, agency: str | None, items: list[Returned], lang: str, today: date,
                sender: Contact | None = None, elsewhere: list[FileRecord] | None = None,
                span: str | None = None) -> str:
    """The message for one agency (``None``: files whose agency is unknown), signed by
    ``sender`` (default: the plan's contact). ``elsewhere``: its files for another period than
    ``span``, the one asked, whose report is still due."""
    ref = plan.named(lang)
    if agency is None:
        return unknown_note(plan, items, lang, today, span)
    elsewhere = elsewhere or []
    months = sorted({i.record.submission.period for i in items if i.record.submission.period})
    if elsewhere and span:
        months = sorted({*months, span})
    found = plan.agency_by_code.get(agency or "")
    lines = [t("fb_subject", lang, ref=ref,
               months=", ".join(_month_label(m, lang) for m in months) or t("fb_unknown_month", lang)),
             ""]
    if found is not None:
        lines.append(t("fb_to", lang, name=found.name(lang)))
    else:
        lines.append(t("fb_to_unknown", lang))
    if items:
        counted = all(i.record.status == "accepted" for i in items)  # only values to check
        lines += ["", t("fb_intro_check" if counted else "fb_intro", lang, ref=ref)]
    for n, item in enumerate(items, 1):
        lines += ["", *_file_lines(n, item, plan, lang, today)]
    for n, record in enumerate(elsewhere, len(items) + 1):
        found_period = record.submission.period
        lines += ["", t("fb_other_month", lang, n=n, file=inert(Path(record.file).name),
                        found=_month_label(found_period, lang), period=_month_label(span, lang))]
        lines.append(due_line(plan, span, lang, today))
    lines += ["", t("fb_notes", lang), "", t("fb_thanks", lang)]
    lines += signature(plan.contact if sender is None else sender, lang)
    return "\n".join(lines) + "\n"


def _file_lines(n: int, item: Returned, plan: Plan, lang: str, today: date) -> list[str]:
    """One returned file in a letter or in the analyst's note: what must be fixed, what to
    check, the marked copy and by when."""
    sub = item.record.submission
    lines = [t("fb_file", lang, n=n, file=inert(Path(sub.file).name),
               month=_report_of(sub.period, lang), errors=len(sub.errors),
               warnings=len(sub.warnings))]
    if sub.errors:
        lines.append(t("fb_must_fix", lang))
        lines += [f"   - {issue_line(i, lang)}" for i in sub.errors]
    if sub.warnings:
        lines.append(t("fb_check", lang))
        lines += [f"   - {issue_line(i, lang)}" for i in sub.warnings]
    if item.copy is not None:
        lines.append(t("fb_copy", lang, copy=inert(item.copy.name)))
    elif item.problem:
        lines.append(t("fb_no_copy", lang, reason=inert(item.problem)))
    lines.append(due_line(plan, sub.period, lang, today))
    return lines


def unknown_note(plan: Plan, items: list[Returned], lang: str, today: date,
                 span: str | None = None) -> str:
    """``khong-ro-don-vi.txt``: a note to the analyst, not a letter (nobody to address it to):
    the files whose agency kpi could not tell, what each holds, and what to do with them."""
    lines = [t("fb_unknown_title", lang, ref=plan.named(lang),
               period=_month_label(span, lang) if span else t("fb_unknown_month", lang)),
             "", t("fb_unknown_what", lang), ""]
    for n, item in enumerate(items, 1):
        lines += _file_lines(n, item, plan, lang, today)
    return "\n".join(lines) + "\n"


def signature(sender: Contact, lang: str) -> list[str]:
    """The lines that end a letter: "Người gửi:", the office, the contact person, phone and
    email, each only when known; nothing when nothing is."""
    if sender.empty:
        return []
    lines = ["", t("fb_sender", lang)]
    if sender.office(lang):
        lines.append(inert(sender.office(lang)))
    for key, value in (("fb_person", sender.person), ("fb_phone", sender.phone),
                       ("fb_email", sender.email)):
        if value:
            lines.append(t(key, lang, value=inert(value)))
    return lines


def issue_line(issue: Issue, lang: str) -> str:
    """``trang "TT Truyền thông", ô E8: <message>; cách sửa: <hint>``: the clerk finds the
    cell by its address in their own file, and reads the problem in names, not codes."""
    if issue.sheet and issue.cell:
        where = t("fb_where", lang, sheet=inert(issue.sheet), cell=inert(issue.cell))
    elif issue.sheet:
        where = t("fb_sheet", lang, sheet=inert(issue.sheet))
    else:
        where = t("fb_whole_file", lang)
    text = f"{where}: {inert(issue.for_clerk(lang))}"
    key = f"fix_{issue.code}"
    if issue.code == "not-a-number" and issue.example is not None:
        key = "fix_not-a-number_example"  # the example follows the word typed: 'mười' -> 10
    if key in TEXTS:
        cells = ", ".join(inert(_short_ref(c, issue.sheet)) for c in issue.cells)
        text += "; " + t("fb_how", lang, hint=t(key, lang, cells=cells, example=issue.example))
    return text



def _short_ref(ref: str, sheet: str | None) -> str:
    """``"TG Tố giác tin báo!E7"`` -> ``E7`` on the issue's own sheet, else unchanged."""
    where, _, cell = ref.rpartition("!")
    return cell if where == sheet else ref


def resend_days(plan: Plan) -> int:
    """Days given to send a corrected file once the deadline has passed: the plan's days after
    the cut-off, or a week when its deadline is a day of the following month."""
    return plan.calendar.deadline_days or 7


def due_line(plan: Plan, month: str | None, lang: str, today: date) -> str:
    later = _day(today + timedelta(days=resend_days(plan)))
    if not month:
        return t("fb_due_unknown", lang, due=later)
    due = plan.calendar.deadline(month)
    label = _report_of(month, lang)
    if today <= due:
        return t("fb_due", lang, due=_day(due), month=label)
    return t("fb_due_late", lang, due=later, month=label, deadline=_day(due))


def _write_text(path: Path, text: str) -> None:
    """UTF-8 with BOM and CRLF, written whole or not at all."""
    write_bytes_atomic(path, text.replace("\n", "\r\n").encode("utf-8-sig"), own=True)
