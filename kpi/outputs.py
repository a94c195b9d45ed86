"""What `kpi aggregate` writes beside its table: the consolidated workbook (.xlsx) or a CSV
table, the Word draft, and the feedback folder.

The options are checked before anything is read (a suffix kpi does not write, an option that
would change nothing), every target is checked before anything is written (a draft that would
land on someone else's file refuses the run, not half of it), and each file is written whole.
The CLI only turns the options into :class:`Outputs` and an :class:`OutputError` into exit 2.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KpiError
from .i18n import t
from .present import inert

if TYPE_CHECKING:
    from rich.console import Console

    from .aggregate import AggregateResult
    from .feedback import Feedback
    from .plan import Contact, ReportInfo


class OutputError(KpiError):
    """An output kpi cannot write as asked: refused before the run, or failed while writing."""

    @classmethod
    def keyed(cls, key: str, **params: object) -> OutputError:
        return cls(t(key, "vi", **params), t(key, "en", **params))


@dataclass
class Outputs:
    """The files one run writes, and who the report and the letters come from."""

    out: Path | None = None  # .xlsx: the workbook; .csv: the table chosen by ``table``
    table: str = "indicators"
    docx: Path | None = None
    feedback: Path | None = None
    issuer: str | None = None
    to: list[str] = field(default_factory=list)
    signer_title: str | None = None  # "\n" typed as backslash-n starts a line
    signer_name: str | None = None
    place: str | None = None
    sender_office: str | None = None
    sender_person: str | None = None
    sender_phone: str | None = None
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # edited output -> written instead
    # The plans kpi knows: the report and the letters are issued by the body of the plan in
    # force on the day of the run (README "Báo cáo về kỳ của tỉnh cũ").
    plans: list = field(default_factory=list)

    @property
    def writes_report(self) -> bool:
        return self.docx is not None or (self.out is not None and self.out.suffix.lower() == ".xlsx")

    def check(self, sources: Sequence[Path] = ()) -> None:
        """Refuse, before anything is read, what could not be written or would change nothing;
        ``sources``: the paths the run reads (no output goes into a folder among them)."""
        self._check_texts()
        self._check_places(sources)
        if self.out is not None and self.out.suffix.lower() not in (".xlsx", ".csv"):
            raise OutputError.keyed("out_suffix", path=inert(self.out))
        if self.docx is not None and self.docx.suffix.lower() != ".docx":
            raise OutputError.keyed("docx_suffix", path=inert(self.docx))
        # An option that would change nothing is refused: the analyst expects to see it used.
        report = ("--issuer", self.issuer), ("--to", self.to), ("--signer-title", self.signer_title), \
            ("--signer-name", self.signer_name), ("--place", self.place)
        sender = ("--sender-office", self.sender_office), ("--sender-person", self.sender_person), \
            ("--sender-phone", self.sender_phone)
        for options, used, needs in ((report, self.writes_report, "--out FILE.xlsx / --docx FILE.docx"),
                                     (sender, self.feedback is not None, "--feedback")):
            given = [name for name, value in options if value]
            if given and not used:
                raise OutputError.keyed("option_unused", option=given[0], needs=needs)

    def targets(self) -> list[tuple[str, Path]]:
        return [(option, path) for option, path in (("--out", self.out), ("--docx", self.docx),
                                                    ("--feedback", self.feedback)) if path]

    def _check_texts(self) -> None:
        """Texts that go into the draft, the report and the letters hold no control character
        (a tab or a line break aside): Word cannot store one, and none is typed on purpose."""
        texts = [("--issuer", self.issuer), ("--signer-title", self.signer_title),
                 ("--signer-name", self.signer_name), ("--place", self.place),
                 ("--sender-office", self.sender_office), ("--sender-person", self.sender_person),
                 ("--sender-phone", self.sender_phone)] + [("--to", x) for x in self.to]
        for option, value in texts:
            bad = next((c for c in value or "" if _control(c)), None)
            if bad is not None:
                raise OutputError.keyed("control_in_option", option=option,
                                        char=ascii(bad).strip("'"))

    def _check_places(self, sources: Sequence[Path]) -> None:
        """Every output goes into a folder (not under a file), and never into a folder the run
        reads submissions from: that folder is for the agencies' files only."""
        for option, path in self.targets():
            parent = not_a_folder(path if option == "--feedback" else path.parent)
            if parent is not None:
                raise OutputError.keyed("parent_not_folder", option=option, path=inert(path),
                                        parent=inert(parent))
            folder = submissions_folder(path, sources)
            if folder is not None:
                raise OutputError.keyed("into_submissions", option=option, path=inert(path),
                                        folder=inert(folder))

    def issuing_plan(self, result: AggregateResult):
        """The plan whose body issues this run's report and letters: the one in force on the
        day of the run when the period belongs to a former province's plan (Kon Tum's periods,
        reported on today by Quảng Ngãi), else the period's own plan."""
        from .catalog import current_plan

        if not self.plans:
            return result.plan
        today = current_plan(self.plans, result.generated_at.date())
        former = today.id != result.plan.id and today.province and \
            today.province != result.plan.province and today.coverage_start > result.plan.coverage_end
        return today if former else result.plan

    def sender(self, result: AggregateResult) -> Contact:
        """Who signs the feedback letters: the issuing plan's [contact], options winning."""
        return self.issuing_plan(result).contact.replaced(self.sender_office, self.sender_person,
                                                          self.sender_phone)

    def report_info(self, result: AggregateResult) -> ReportInfo:
        """The plan's [report] with what the options give instead; for a former province's
        period, today's body issues it about the former province's area."""
        from dataclasses import replace

        base = result.plan.report
        issuing = self.issuing_plan(result)
        if issuing is not result.plan:
            own, province = base, result.plan.province
            subject = {lang: own.subject(lang) or issuing.report.subject(lang) for lang in ("vi", "en")}
            base = replace(
                issuing.report, cited_vi=own.cited_vi, cited_en=own.cited_en,
                subject_vi=t("rp_former_area", "vi", subject=subject["vi"], province=province),
                subject_en=t("rp_former_area", "en", subject=subject["en"], province=province))
        return base.merged(
            issuer_vi=self.issuer, recipients_vi=self.to,
            signer_title_vi=(self.signer_title or "").replace("\\n", "\n"),
            signer_name=self.signer_name, place_vi=self.place)


def write_outputs(result: AggregateResult, outputs: Outputs, lang: str) -> Feedback | None:
    """Write every output of the run, holding the lock on their folders; the feedback written,
    when asked. OutputError when one cannot be written (those written before it stay whole) or
    another run is writing there. A report, draft or CSV changed since kpi wrote it is kept, and
    the new one goes beside it (``outputs.kept`` says where)."""
    from .ledger import Locked, locked

    folders = [p.parent for _, p in outputs.targets()]
    try:
        with locked(folders):
            return _write_outputs(result, outputs, lang)
    except Locked as exc:
        from .ledger import WAIT_SECONDS

        raise OutputError.keyed("outputs_locked", holder=inert(exc.holder),
                                folder=inert(exc.lock.parent), lock=inert(exc.lock),
                                seconds=f"{WAIT_SECONDS:g}") from None
    except OSError as exc:  # the lock itself cannot be written
        reason = exc.strerror or str(exc)
        path = exc.filename or folders[0]
        raise OutputError(t("cannot_write", "vi", path=inert(path), reason=reason),
                          t("cannot_write", "en", path=inert(path), reason=reason)) from None


def _write_outputs(result: AggregateResult, outputs: Outputs, lang: str) -> Feedback | None:
    from .render import is_own_csv
    from .word import is_own_docx

    inputs = [r.file for r in result.files if r.file]
    inputs += [p for p, why in result.skipped if why not in ("kpi-output", "marked-copy")]
    if outputs.docx is not None:
        outputs.docx = _instead(outputs, outputs.docx, inputs, is_own_docx)
    if outputs.out is not None:
        own = is_own_csv if outputs.out.suffix.lower() == ".csv" else None
        outputs.out = _instead(outputs, outputs.out, inputs, own)
    info = outputs.report_info(result)
    docx = outputs.docx
    if docx is not None:
        from .word import refuse_foreign

        _guarded(docx, lambda: refuse_foreign(result, docx, lang))
    if outputs.out is not None:
        out = outputs.out
        if out.suffix.lower() == ".csv":
            _guarded(out, lambda: write_csv(result, out, lang, outputs.table))
        else:
            from .report import write_report

            _guarded(out, lambda: write_report(result, out, lang, info))
    if docx is not None:
        from .word import write_docx

        _guarded(docx, lambda: write_docx(result, docx, lang, info))
    if outputs.feedback is None:
        return None
    from .feedback import write_feedback

    folder = outputs.feedback
    sender = outputs.sender(result)
    sent: list[Feedback] = []
    _guarded(folder, lambda: sent.append(write_feedback(result, folder, lang, sender=sender)))
    return sent[0]


def _instead(outputs: Outputs, path: Path, inputs: list[str], own) -> Path:
    """``path``, or when it holds an output of kpi's that was changed since kpi wrote it, the
    first free ``<stem>-2<suffix>`` ... beside it (noted in ``outputs.kept``)."""
    from .ledger import beside
    from .xlsx import occupied

    try:
        if occupied(path, inputs, own=own) != "edited":
            return path
        new = beside(path, lambda p: occupied(p, inputs, own=own) is None)
    except OSError:
        return path  # the writer says what is wrong
    outputs.kept.append((path, new))
    return new


def _control(char: str) -> bool:
    import unicodedata

    return char not in "\t\n" and unicodedata.category(char) == "Cc"


def not_a_folder(folder: Path) -> Path | None:
    """The first of ``folder`` and its parents that exists and is not a folder (a file where a
    folder is needed), else None."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def submissions_folder(target: Path, sources: Sequence[Path]) -> Path | None:
    """The folder among ``sources`` (the folders a run reads submissions from, searched with
    their sub-folders) that ``target`` would land in; None when outside them all. A file named
    on its own does not make its folder a submissions folder."""
    real = os.path.realpath(target)
    for source in sources:
        source = Path(source)
        if not source.is_dir():
            continue
        root = os.path.realpath(source)
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return source
    return None


def _guarded(path: Path, write) -> None:
    try:
        write()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(t("cannot_write", "vi", path=inert(path), reason=reason),
                          t("cannot_write", "en", path=inert(path), reason=reason)) from None


def write_csv(result: AggregateResult, out: Path, lang: str, table: str) -> None:
    """A CSV file Excel opens in Vietnamese: UTF-8 with its byte-order mark, values rounded to
    two decimals, written whole; never over an input or a file kpi did not write (known by the
    header of its tables)."""
    from .render import aggregate_csv, is_own_csv
    from .xlsx import occupied, write_bytes_atomic

    if occupied(out, [r.file for r in result.files], own=is_own_csv) is not None:
        raise OSError(errno.EEXIST, t("csv_foreign", lang))
    # Rounded as a reader reads them (JSON and --format csv keep every decimal).
    write_bytes_atomic(out, aggregate_csv(result, lang, table, rounded=True).encode("utf-8-sig"),
                       own=True)


def print_written(console: Console, outputs: Outputs, sent: Feedback | None, lang: str) -> None:
    """What the run wrote, after the table: the report, the draft, the feedback folder's files
    and the earlier feedback it removed."""
    for edited, new in outputs.kept:
        console.print(t("out_edited_kept", lang, path=inert(edited), new=inert(new)), markup=False)
    if outputs.out is not None and outputs.out.suffix.lower() == ".csv":  # a table, not the report
        console.print(t("csv_written", lang, table=t(f"csv_table_{outputs.table}", lang),
                        path=inert(outputs.out)),
                      markup=False)
    elif outputs.out is not None:
        console.print(t("report_written", lang, path=inert(outputs.out)), markup=False)
    if outputs.docx is not None:
        console.print(t("docx_written", lang, path=inert(outputs.docx)), markup=False)
    if sent is None:
        return
    if not sent.texts:
        console.print(t("fb_none", lang))
    else:
        console.print(t("fb_written", lang, dir=inert(outputs.feedback), texts=len(sent.texts),
                        copies=sum(r.copy is not None for r in sent.returned)), markup=False)
        for path in sent.written:
            console.print(f"  {inert(path)}", markup=False)
    if sent.removed:
        console.print(t("fb_removed", lang), markup=False)
        for path in sent.removed:
            console.print(f"  {inert(path)}", markup=False)
    if sent.kept:
        console.print(t("fb_kept", lang), markup=False)
        for path in sent.kept:
            console.print(f"  {inert(path)}", markup=False)


__all__ = ["OutputError", "Outputs", "not_a_folder", "print_written", "submissions_folder", "write_csv",
           "write_outputs"]
