"""The one catalogue of user-facing texts, in Vietnamese (default) and English.

Every text a user reads comes from here by key (:func:`t`), except the issue messages, which
live with the issue catalogue (kpi.issues) and the plan's own texts (names, messages), which come
from the plan file.
"""

from __future__ import annotations

import os
import re
import string
from contextvars import ContextVar

TEXTS: dict[str, tuple[str, str]] = {
    "file": ("Tệp", "File"),
    "agency": ("Đơn vị", "Agency"),
    "period": ("Kỳ", "Period"),
    "month": ("Tháng", "Month"),
    "sheet": ("Trang", "Sheet"),
    "cell": ("Ô", "Cell"),
    "element": ("Mã", "Code"),
    "code": ("Mã", "Code"),
    "severity": ("Mức", "Severity"),
    "message": ("Nội dung", "Message"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "valid": ("Hợp lệ", "Valid"),
    "invalid": ("Có lỗi", "Has errors"),
    "unreadable": ("Không đọc được", "Unreadable"),
    "validate_summary": (
        "{files} tệp: {valid} hợp lệ, {invalid} có lỗi; {errors} lỗi, {warnings} cảnh báo",
        "{files} {files:|file|files}: {valid} valid, {invalid} with errors; {errors} "
        "{errors:|error|errors}, {warnings} {warnings:|warning|warnings}",
    ),
    "no_problem": ("Không có lỗi hay cảnh báo.", "No errors or warnings."),
    "name": ("Tên", "Name"),
    "forms": ("Biểu", "Forms"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "target": ("Mục tiêu", "Target"),
    "result": ("Kết quả", "Result"),
    "num_den": ("Tử số / mẫu số", "Numerator / denominator"),
    "status": ("Tình trạng", "Status"),
    "aggregation": ("Cách cộng", "Aggregation"),
    "source": ("Căn cứ", "Plan text"),
    "tracked_target": ("Theo dõi", "Tracked"),
    "plan_ok": (
        "Kế hoạch {id} hợp lệ: {forms} biểu, {elements} chỉ tiêu số liệu, {agencies} đơn vị, "
        "{rules} quy tắc, {indicators} chỉ số.",
        "Plan {id} is sound: {forms} {forms:|form|forms}, {elements} data {elements:|element|elements}, "
        "{agencies} {agencies:|agency|agencies}, {rules} {rules:|rule|rules}, {indicators} "
        "{indicators:|indicator|indicators}.",
    ),
    "plan_bad": ("Kế hoạch {path} có {n} lỗi:", "Plan {path} has {n} {n:|mistake|mistakes}:"),
    "templates_written": ("Đã tạo {n} biểu mẫu trong {dir} ({plan})",
                          "Wrote {n} {n:|template|templates} to {dir} ({plan})"),
    "unknown_agency_opt": ("Không có đơn vị {code} trong {plan}",
                           "No agency {code} in {plan}"),
    "template_inactive": ("Không tạo biểu mẫu cho {code}: đơn vị không hoạt động trong kỳ {period} "
                          "(hoạt động {active})",
                          "No template for {code}: not active in {period} (active {active})"),
    "template_not-due": ("Không tạo biểu mẫu cho {code}: đơn vị không có kỳ báo cáo nào kết thúc "
                         "trong {period} (báo cáo theo quý, 6 tháng hoặc năm)",
                         "No template for {code}: none of its reporting periods ends in {period} "
                         "(it reports by quarter, half year or year)"),
    "no_plans": ("Không có tệp kế hoạch (*.toml) nào trong {path}",
                 "No plan file (*.toml) in {path}"),
    "template_refused": (
        "Không ghi đè {path}: tệp đã có và không phải biểu mẫu trống do kpi tạo (có thể là báo cáo "
        "đã điền); hãy chọn thư mục khác",
        "Will not overwrite {path}: it exists and is not a blank template kpi wrote (it may be a "
        "filled report); choose another folder",
    ),
    "plans_title": ("Các kế hoạch", "Plans"),
    "plan_report_line": ("Báo cáo tổng hợp: {issuer} gửi {to}; người ký: {signer}",
                         "Consolidated report: {issuer} to {to}; signed by: {signer}"),
    "plan_contact_line": ("Văn bản phản hồi cho đơn vị do {contact} gửi",
                          "Feedback letters to the units are sent by {contact}"),
    "plan_not_set": ("(chưa ghi)", "(not set)"),
    "plan_report_unset": ("Báo cáo tổng hợp: kế hoạch chưa ghi cơ quan ban hành, nơi nhận, người ký "
                          "([report]; để trống trên báo cáo, hoặc ghi bằng --issuer, --to, --signer-title)",
                          "Consolidated report: the plan names no issuer, recipient or signer "
                          "([report]; left blank on the report, or given with --issuer, --to, "
                          "--signer-title)"),
    "plan_contact_unset": ("Văn bản phản hồi cho đơn vị: kế hoạch chưa ghi người gửi ([contact])",
                           "Feedback letters to the units: the plan names no sender ([contact])"),
    "coverage": ("Thời gian", "Coverage"),
    "in_force": ("Đang dùng", "In use"),
    "rules": ("Quy tắc kiểm tra", "Validation rules"),
    "expression": ("Biểu thức", "Expression"),
    "choose_agency": (
        "Hãy chọn --agency MÃ (có thể nhiều lần) hoặc --all",
        "Choose --agency CODE (repeatable) or --all",
    ),
    "bad_period_opt": ("Kỳ không hợp lệ: {value}", "Not a valid period: {value}"),
    "period_forms": (
        "Các cách ghi kỳ:\n"
        "  tháng:       {y}-07, 07/{y}, tháng 7/{y}\n"
        "  quý:         {y}-Q3, Q3/{y}, quý 3/{y}, quý III năm {y}\n"
        "  6 tháng:     {y}-H1, 6 tháng đầu năm {y}, {y}-H2, 6 tháng cuối năm {y}\n"
        "  năm:         {y}, năm {y}\n"
        "  nhiều tháng: {y}-01..{y}-06",
        "Accepted forms:\n"
        "  month:       {y}-07, 07/{y}\n"
        "  quarter:     {y}-Q3, Q3/{y}\n"
        "  half year:   {y}-H1, {y}-H2\n"
        "  year:        {y}\n"
        "  months:      {y}-01..{y}-06",
    ),
    "no_files": ("Không tìm thấy tệp nào: {path}", "No file found: {path}"),
    "status_met": ("Đạt", "Met"),
    "status_not_met": ("Chưa đạt", "Not met"),
    "status_no_data": ("Không phát sinh", "No case arose"),
    "status_tracked": ("Theo dõi", "Tracked"),
    "where": ("Vị trí", "Where"),
    "skipped_label": ("Bỏ qua:", "Skipped:"),
    "rejected_label": ("Bị trả lại:", "Rejected:"),
    "n_errors": ("({n} lỗi)", "({n} {n:|error|errors})"),
    "warnings_title": ("Các cảnh báo (tệp vẫn được tính):", "Warnings (the files still count):"),
    "province": ("toàn tỉnh", "province"),
    "more_warnings": ("… và {n} cảnh báo khác (xem --format json hoặc báo cáo --out)",
                      "… and {n} more (see --format json or the --out report)"),
    "no_spreadsheet": ("Không tìm thấy bảng tính nào (.xlsx, .xlsm, .xls, .ods) trong {paths}",
                       "No spreadsheet (.xlsx, .xlsm, .xls, .ods) found in {paths}"),
    "no_spreadsheet_skipped": ("Đã bỏ qua:", "Skipped:"),
    "option_unused": ("{option} chỉ có tác dụng khi ghi kèm {needs}; lệnh này không dùng đến nó",
                      "{option} only acts with {needs}; this command would not use it"),
    "docx_suffix": (
        "--docx {path}: bản dự thảo báo cáo bằng lời là tệp Word .docx; ví dụ --docx bao-cao.docx",
        "--docx {path}: the draft report is a Word file, .docx; for example --docx report.docx"),
    "out_suffix": (
        "--out {path}: chỉ ghi được báo cáo tổng hợp .xlsx hoặc bảng .csv (chọn bảng bằng "
        "--table); ví dụ --out bao-cao.xlsx",
        "--out {path}: kpi writes the consolidated report as .xlsx or a table as .csv (chosen "
        "with --table); e.g. --out report.xlsx",
    ),
    "bad_choice": ("{option} {value}: hãy chọn {choices}", "{option} {value}: choose {choices}"),
    "bad_lang": ("Ngôn ngữ không hỗ trợ: {what}; hãy chọn vi (tiếng Việt) hoặc en (tiếng Anh)",
                 "Language not supported: {what}; choose vi (Vietnamese) or en (English)"),
    "plan_missing": ("Không tìm thấy tệp kế hoạch: {path}", "Plan file not found: {path}"),
}


LANGUAGES = ("vi", "en")
_LANG = re.compile(r"^(vi|en)(?:[-_][a-z]{2,4})?(?:\.[\w-]+)?$")
# The language of this run, once the command line has said it (`kpi --lang en ...`).
SESSION_LANG: ContextVar[str | None] = ContextVar("kpi_lang", default=None)


def parse_lang(value: str | None) -> str | None:
    """"vi", "en" (also "en-US", "vi_VN.UTF-8") -> "vi" / "en"; anything else -> None."""
    m = _LANG.match((value or "").strip().lower())
    return m.group(1) if m else None


def current_lang(lang: str | None = None) -> str:
    """The language asked for: ``lang``, else this run's, else KPI_LANG, else Vietnamese. The
    command line refuses a language it does not know; here one falls back to Vietnamese."""
    for value in (lang, SESSION_LANG.get(), os.environ.get("KPI_LANG")):
        if value:
            return parse_lang(value) or "vi"
    return "vi"


class _Plurals(string.Formatter):
    """``{n:|file|files}``: the singular when n is 1, else the plural (English texts)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("|"):
            one, _, many = format_spec[1:].partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_PLURALS = _Plurals()


def t(key: str, lang: str, **params: object) -> str:
    vi, en = TEXTS[key]
    text = en if lang == "en" else vi
    return _PLURALS.format(text, **params) if ":|" in text else text.format(**params)


AGG_TEXTS: dict[str, tuple[str, str]] = {
    "agg_title": ("Kết quả thực hiện {plan}, kỳ {period} ({start} – {end})",
                  "Results under {plan}, period {period} ({start} – {end})"),
    "completeness": (
        "Đầy đủ: nhận {received}/{expected} báo cáo (đúng hạn {on_time}, trễ hạn {late}); "
        "thiếu {missing}",
        "Completeness: received {received}/{expected} reports ({on_time} on time, {late} late); "
        "missing {missing}",
    ),
    "not_due_list": ("Không tính là thiếu (báo cáo theo kỳ dài hơn kỳ này): {items}",
                     "Not due in this span (they report on a longer rhythm): {items}"),
    "cut_list": ("Không tính trong kỳ này vì kỳ báo cáo của đơn vị vượt ra ngoài: {items}",
                 "Not counted in this span, their reporting period reaches beyond it: {items}"),
    "provisional_note": ("Mục tiêu tạm áp dụng: {basis}", "Provisional target: {basis}"),
    "not_counted_note": ("{code}: không tính {units} (không hoạt động trong kỳ)",
                         "{code}: {units} not counted (not active in the period)"),
    "missing_list": ("Chưa có báo cáo hợp lệ: {items}", "No valid report yet: {items}"),
    "files_summary": (
        "Tệp: {accepted} được tính, {rejected} bị trả lại, {superseded} bị thay thế, "
        "{out_of_span} ngoài kỳ, {skipped} bỏ qua",
        "Files: {accepted} accepted, {rejected} rejected, {superseded} superseded, "
        "{out_of_span} out of span, {skipped} skipped",
    ),
    "problems_summary": ("Vấn đề: {errors} lỗi, {warnings} cảnh báo",
                         "Problems: {errors} {errors:|error|errors}, {warnings} "
                         "{warnings:|warning|warnings}"),
    "rejected_file": ("Bị trả lại: {file} ({n} lỗi)", "Rejected: {file} ({n} {n:|error|errors})"),
    "skipped_file": ("Bỏ qua: {file} ({reason})", "Skipped: {file} ({reason})"),
    "report_written": ("Đã ghi báo cáo tổng hợp: {path}", "Consolidated report written: {path}"),
    "docx_written": ("Đã ghi bản dự thảo báo cáo (Word): {path}", "Word draft written: {path}"),
    "reading": ("Đang đọc", "Reading"),
    "no_period": (
        "Không xác định được kỳ báo cáo: hãy dùng --period (ví dụ 2025-Q3)",
        "Cannot tell the period: use --period (e.g. 2025-Q3)",
    ),
    "path_missing": ("Không tìm thấy: {path}", "Not found: {path}"),
    "out_exists": (
        "Tệp {path} đã có; dùng --force để ghi đè",
        "{path} already exists; use --force to overwrite",
    ),
    "csv_foreign": ("tệp đã có và không phải bảng CSV do kpi ghi; hãy chọn tên khác hoặc xóa tệp đó",
                    "the file exists and is not a CSV table written by kpi; choose another name or "
                    "delete it"),
    "cannot_write": ("Không ghi được {path}: {reason}", "Cannot write {path}: {reason}"),
}
TEXTS.update(AGG_TEXTS)

# Marked copies (kpi validate --annotate) and feedback to agencies (kpi aggregate --feedback).
FEEDBACK_TEXTS: dict[str, tuple[str, str]] = {
    "ann_sheet": ("Kết quả kiểm tra", "Validation results"),
    "ann_title": ("KẾT QUẢ KIỂM TRA BÁO CÁO", "VALIDATION RESULTS"),
    "ann_code": ("Mã ở cột A", "Code in column A"),
    "ann_verdict_invalid": (
        "Có lỗi: {errors} lỗi, {warnings} cảnh báo. Báo cáo chưa được tổng hợp: hãy sửa các ô "
        "tô đỏ rồi gửi lại.",
        "Has errors: {errors} {errors:|error|errors}, {warnings} {warnings:|warning|warnings}. The "
        "report is not counted: fix the red cells and send it again.",
    ),
    "ann_verdict_warnings": (
        "Hợp lệ, có {warnings} cảnh báo: hãy xem lại các ô tô vàng.",
        "Valid, with {warnings} {warnings:|warning|warnings}: check the yellow cells.",
    ),
    "ann_verdict_clean": ("Hợp lệ: không có lỗi hay cảnh báo.", "Valid: no errors or warnings."),
    "ann_legend_error": ("Ô tô đỏ: lỗi, phải sửa (tệp có lỗi bị trả lại)",
                         "Red cell: an error, must be fixed (a file with errors is returned)"),
    "ann_legend_warning": ("Ô tô vàng: cảnh báo, hãy kiểm tra lại (không làm tệp bị trả lại)",
                           "Yellow cell: a warning, check it (the file still counts)"),
    "ann_howto": (
        "Bấm vào ô ở cột 'Ô' để đến ô cần sửa; rê chuột lên ô tô màu để đọc ghi chú.",
        "Click a cell in column 'Cell' to go to it; hover over a coloured cell to read its note.",
    ),
    "ann_rebuilt": (
        "Bản này được dựng lại từ giá trị các ô của tệp {suffix} gốc (cùng trang, cùng vị trí ô); "
        "định dạng của tệp gốc không được giữ.",
        "This copy is rebuilt from the cell values of the original {suffix} file (same sheets, "
        "same cell positions); the original formatting is not kept.",
    ),
    "ann_more": ("… và {n} vấn đề khác, mỗi vấn đề vẫn được đánh dấu tại ô của nó.",
                 "… and {n} more, each still marked on its cell."),
    "ann_written": ("Đã ghi bản kiểm tra: {path}", "Marked copy written: {path}"),
    "ann_unreadable": ("Không tạo bản kiểm tra cho {file}: tệp không đọc được",
                       "No marked copy of {file}: the file cannot be read"),
    "ann_failed": ("Không ghi được bản kiểm tra {path}: {reason}",
                   "Cannot write the marked copy {path}: {reason}"),
    "ann_out_suffix": (
        "--annotate-out {path}: bản kiểm tra luôn là tệp .xlsx; hãy cho một tệp .xlsx (khi kiểm "
        "tra một tệp) hoặc một thư mục",
        "--annotate-out {path}: the marked copy is always .xlsx; give a .xlsx file (for one "
        "file) or a folder",
    ),
    "ann_out_several": (
        "--annotate-out {path}: có nhiều tệp, hãy cho một thư mục",
        "--annotate-out {path}: several files need a folder",
    ),
    "ann_over_original": ("Không ghi đè tệp gốc: {path}", "Will not overwrite the original: {path}"),
    "ann_over_foreign": (
        "Không ghi đè {path}: tệp đã có và không do kpi tạo; hãy chọn tên khác",
        "Will not overwrite {path}: it exists and kpi did not make it; choose another name",
    ),
    "ann_out_not_folder": (
        "--annotate-out {path}: đã có tệp tên này; hãy cho một thư mục hoặc một tệp .xlsx",
        "--annotate-out {path}: a file of that name exists; give a folder or a .xlsx file",
    ),
    "fb_written": ("Đã ghi phản hồi vào {dir}: {texts} văn bản, {copies} bản kiểm tra",
                   "Feedback written to {dir}: {texts} {texts:|text|texts}, {copies} marked "
                   "{copies:|copy|copies}"),
    "fb_removed": ("Đã xóa phản hồi của lần trước, nay không còn phải gửi (đơn vị không còn tệp "
                   "bị trả lại):",
                   "Removed earlier feedback that no longer needs sending (this run found nothing of "
                   "the agency's to send back):"),
    "fb_none": ("Không có tệp nào bị trả lại: không có phản hồi để gửi.",
                "No file was rejected: no feedback to send."),
    "fb_subject": ("Tiêu đề: Đề nghị sửa và gửi lại báo cáo {months} ({ref})",
                   "Subject: please correct and resend the report for {months} ({ref})"),
    "fb_to": ("Kính gửi: {name}", "To: {name}"),
    "fb_no_sender": (
        "Cảnh báo: các văn bản phản hồi không có người gửi: kế hoạch {plan} chưa ghi mục [contact]. "
        "Hãy ghi [contact] trong tệp kế hoạch, hoặc dùng --sender-office, --sender-person, "
        "--sender-phone.",
        "Warning: the feedback letters have no sender: plan {plan} has no [contact]. Add "
        "[contact] to the plan file, or use --sender-office, --sender-person, --sender-phone.",
    ),
    "fb_unknown_title": ("Ghi chú cho người tổng hợp: tệp không rõ đơn vị gửi ({ref}, kỳ {period})",
                         "Note for the analyst: files whose agency is unknown ({ref}, period {period})"),
    "fb_unknown_what": (
        "Các tệp dưới đây không ghi đơn vị báo cáo mà kế hoạch biết (ô Đơn vị báo cáo, trang "
        "Thông tin chung), nên chưa được tổng hợp và kpi không biết gửi phản hồi cho ai. Cách "
        "xử lý: tìm đơn vị đã gửi từng tệp (qua thư điện tử hoặc người gửi), đề nghị đơn vị ghi "
        "đúng ô Đơn vị báo cáo, sửa các lỗi nêu dưới đây và gửi lại; bản đánh dấu lỗi kèm theo "
        "có thể chuyển cho đơn vị. Ghi chú này không gửi cho đơn vị.",
        "The files below do not name an agency the plan knows (Reporting agency, cover sheet), "
        "so they are not counted and kpi cannot tell whom to send feedback to. What to do: find "
        "the agency that sent each file (by its email or sender), ask it to fill in the "
        "Reporting agency cell, fix the errors listed below and send the file again; the marked "
        "copy can be forwarded to it. This note is not for the agencies.",
    ),
    "fb_to_unknown": (
        "Các tệp dưới đây không xác định được đơn vị gửi (ô Đơn vị báo cáo, trang Thông tin "
        "chung); hãy tìm đơn vị đã gửi để chuyển phản hồi.",
        "The files below do not say which agency sent them (Reporting agency, cover sheet); "
        "find the sender to forward this feedback.",
    ),
    "fb_intro": (
        "Qua kiểm tra, báo cáo của đơn vị theo {ref} chưa được tổng hợp vì còn lỗi. "
        "Đề nghị đơn vị sửa các ô nêu dưới đây, lưu lại và gửi lại:",
        "The agency's report under {ref} cannot be counted yet because it has errors. "
        "Please fix the cells below, save the file and send it again:",
    ),
    "fb_intro_check": (
        "Qua kiểm tra, báo cáo của đơn vị theo {ref} đã được tổng hợp, nhưng có số liệu "
        "khác thường so với các tháng trước của đơn vị. Đề nghị đơn vị kiểm tra các ô nêu dưới "
        "đây; nếu số liệu sai, hãy sửa, lưu lại và gửi lại; nếu đúng, không cần gửi lại:",
        "The agency's report under {ref} has been counted, but some values are far from "
        "the agency's earlier months. Please check the cells below; if a value is wrong, fix "
        "it, save the file and send it again; if it is right, nothing needs sending:",
    ),
    "fb_file": ("{n}. Tệp {file}, báo cáo {month}: {errors} lỗi, {warnings} cảnh báo.",
                "{n}. File {file}, report for {month}: {errors} {errors:|error|errors}, {warnings} "
                "{warnings:|warning|warnings}."),
    "fb_must_fix": ("   Phải sửa:", "   Must be fixed:"),
    "fb_check": ("   Nên kiểm tra lại:", "   Please check:"),
    "fb_where": ("trang \"{sheet}\", ô {cell}", "sheet \"{sheet}\", cell {cell}"),
    "fb_sheet": ("trang \"{sheet}\"", "sheet \"{sheet}\""),
    "fb_whole_file": ("cả tệp", "whole file"),
    "fb_how": ("cách sửa: {hint}", "to fix: {hint}"),
    "fb_copy": (
        "   Bản kiểm tra gửi kèm (ô lỗi tô đỏ, ô cảnh báo tô vàng): {copy}; hãy sửa trong tệp báo "
        "cáo của đơn vị rồi gửi lại tệp đó.",
        "   Marked copy attached (errors in red, warnings in yellow): {copy}; correct the agency's "
        "own file and send that file again.",
    ),
    "fb_no_copy": ("   Không tạo được bản kiểm tra: {reason}", "   No marked copy: {reason}"),
    "fb_unreadable": ("tệp không đọc được", "the file cannot be read"),
    "fb_due": ("   Thời hạn gửi lại: chậm nhất ngày {due} (hạn nộp báo cáo {month}).",
               "   Send it again by {due} at the latest (the deadline for {month})."),
    "fb_due_late": (
        "   Thời hạn gửi lại: càng sớm càng tốt, chậm nhất ngày {due} (hạn nộp báo cáo "
        "{month} là ngày {deadline}, đã qua).",
        "   Send it again as soon as possible, by {due} at the latest (the deadline for {month} "
        "was {deadline}).",
    ),
    "fb_due_unknown": ("   Thời hạn gửi lại: càng sớm càng tốt, chậm nhất ngày {due}.",
                       "   Send it again as soon as possible, by {due} at the latest."),
    "fb_notes": (
        "Lưu ý: ô để trống không được coi là 0, nếu không phát sinh hãy ghi 0; chỉ ghi số nguyên, "
        "không ghi chữ vào cột số liệu; không sửa mã ở cột A; khi gửi lại, ghi ngày gửi mới ở "
        "trang Thông tin chung.",
        "Note: a blank cell is not 0, write 0 when nothing happened; write whole numbers only, no "
        "words in the value column; do not change the codes in column A; when sending again, "
        "write the new date sent on the cover sheet.",
    ),
    "fb_thanks": ("Trân trọng cảm ơn.", "Thank you."),
    "fb_sender": ("Người gửi:", "From:"),
    "fb_person": ("Cán bộ đầu mối: {value}", "Contact: {value}"),
    "fb_phone": ("Điện thoại: {value}", "Phone: {value}"),
    "fb_email": ("Thư điện tử: {value}", "Email: {value}"),
    "fb_unknown_month": ("(không rõ)", "(unknown)"),
    "fix_not-a-number": ("ghi bằng chữ số (0, 1, 2, ...)", "type digits (0, 1, 2, ...)"),
    "fix_not-a-number_example": ("ghi bằng chữ số, ví dụ {example}", "type digits, e.g. {example}"),
    "fix_not-whole": ("ghi số nguyên, không có phần thập phân", "write a whole number"),
    "fix_negative": ("ghi số không âm", "write a number of 0 or more"),
    "fix_too-large": ("kiểm tra lại số liệu", "check the number"),
    "fix_rule": ("đối chiếu và sửa các ô {cells}", "compare and correct cells {cells}"),
    "fix_wrong-form-for-agency": (
        "xóa số liệu ở ô này, hoặc sửa ô Đơn vị báo cáo nếu ghi nhầm đơn vị",
        "clear this cell, or correct the reporting agency if it is wrong",
    ),
    "fix_inactive-agency": ("kiểm tra lại đơn vị và kỳ báo cáo", "check the agency and the period"),
    "fix_not-a-template": ("dùng đúng biểu mẫu đã gửi cho đơn vị", "use the template sent to the agency"),
    "fix_unreadable-file": (
        "mở biểu mẫu bằng Excel hoặc LibreOffice, lưu dạng .xlsx rồi gửi lại",
        "open the template in Excel or LibreOffice, save it as .xlsx and send it again",
    ),
    "fix_not-a-spreadsheet": ("gửi tệp Excel (.xlsx) theo biểu mẫu", "send the Excel template (.xlsx)"),
    "fix_too-large-file": ("gửi lại đúng biểu mẫu, không chèn ảnh hay dữ liệu khác",
                           "send the template alone, without pictures or other data"),
}
TEXTS.update(FEEDBACK_TEXTS)

# The consolidated report (kpi.report): sheet titles, then labels.
REPORT_TEXTS: dict[str, tuple[str, str]] = {
    "sheet_summary": ("Tổng hợp", "Summary"),
    "sheet_chart": ("Biểu đồ", "Chart"),
    "sheet_breakdowns": ("Phân tổ", "Breakdowns"),
    "sheet_agencies": ("Theo đơn vị", "By agency"),
    "sheet_trend": ("Theo tháng", "By month"),
    "sheet_completeness": ("Tình hình nộp", "Submissions"),
    "sheet_problems": ("Lỗi, cảnh báo", "Problems"),
    "sheet_data": ("Số liệu gốc", "Data"),

    "rp_report_title": ("BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN {ref}",
                     "CONSOLIDATED REPORT ON THE IMPLEMENTATION OF {ref}"),
    "rp_period": ("Kỳ báo cáo", "Reporting period"),
    "rp_window": ("{label}: số liệu từ {start} đến {end}", "{label}: data from {start} to {end}"),
    "rp_generated": ("Lập lúc", "Generated"),
    "rp_plan_id": ("Mã kế hoạch", "Plan id"),
    "rp_completeness": ("Tình hình nộp báo cáo tháng của các đơn vị",
                     "Monthly reports from the agencies"),
    "rp_expected": ("Phải nộp", "Expected"),
    "rp_received": ("Đã nhận", "Received"),
    "rp_on_time": ("Đúng hạn", "On time"),
    "rp_late": ("Nộp muộn", "Late"),
    "rp_missing": ("Còn thiếu", "Missing"),
    "rp_missing_note": (
        "Còn thiếu gồm {absent} chưa nộp và {rejected} bị trả lại vì có lỗi. Chi tiết: trang "
        "'{sheet_c}' và '{sheet_p}' ({errors} lỗi, {warnings} cảnh báo).",
        "Missing: {absent} not sent and {rejected} rejected for errors. Details: sheets "
        "'{sheet_c}' and '{sheet_p}' ({errors} {errors:|error|errors}, {warnings} "
        "{warnings:|warning|warnings}).",
    ),
    "rp_motto": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "rp_tagline": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "rp_issuer_blank": ("(TÊN CƠ QUAN BAN HÀNH)", "(ISSUING BODY)"),
    "rp_doc_number": ("Số:        /{suffix}", "No.:        /{suffix}"),
    "rp_place_date": ("{place}, ngày      tháng      năm {year}", "{place}, ...... {year}"),
    "rp_doc_kind": ("BÁO CÁO", "REPORT"),
    "rp_subject": ("Kết quả {subject} {period}", "Results of {subject}, {period}"),
    "rp_former_area": ("{subject} trên địa bàn tỉnh {province} (cũ)",
                       "{subject} in the former {province} province"),
    "rp_subject_plan": ("thực hiện {ref}", "{ref}"),
    "rp_cited": ("(Thực hiện {cited})", "(Under {cited})"),
    "rp_to": ("Kính gửi: {to}", "To: {to}"),
    "rp_copies": ("Nơi nhận:", "Copies to:"),
    "rp_copies_same": ("Như trên", "As above"),
    "rp_signer_blank": ("THỦ TRƯỞNG CƠ QUAN", "HEAD OF THE ISSUING BODY"),
    "rp_sign_hint": ("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name, seal)"),
    "rp_window_line": (
        "Kỳ báo cáo: {label}, số liệu từ ngày {start} đến ngày {end}. Lập lúc {generated}.",
        "Reporting period: {label}, data from {start} to {end}. Generated {generated}."),
    "rp_number": ("STT", "No."),
    "rp_quote": ("Căn cứ (trích văn bản)", "Basis (the document's words)"),
    "rp_this_period": ("Kết quả kỳ này", "This period"),
    "rp_change": ("Tăng, giảm so với cùng kỳ", "Change on the same period"),
    "rp_ytd_head": ("Lũy kế từ {start}", "Year to date (from {start})"),
    "rp_last_year_head": ("Cùng kỳ năm trước ({span})", "Same period last year ({span})"),
    "rp_months_data": ("({n}/{total} tháng có số liệu)", "({n} of {total} months with data)"),
    "rp_no_data_yet": ("Chưa có số liệu", "No data"),
    "rp_not_in_plan": ("Không có trong kế hoạch khi đó", "Not in the plan then"),
    "rp_partial_status": ("(tạm tính)", "(provisional)"),
    "rp_footnote_exact": (
        "Cách tính: mỗi chỉ số = tử số / mẫu số × 100, tính trên số liệu của cả kỳ, không phải "
        "trung bình các tháng. Số phát sinh (tiếp nhận, giải quyết, khởi tố ...) được cộng qua các "
        "tháng; số tồn đầu kỳ lấy của tháng đầu kỳ, số đang có (mô hình đang hoạt động ...) lấy "
        "của tháng cuối kỳ, mỗi đơn vị một lần, rồi cộng các đơn vị. Lũy kế từ đầu năm và cùng kỳ "
        "năm trước tính theo cùng cách. 'Không phát sinh': mẫu số bằng 0. 'Theo dõi': kế hoạch "
        "không đặt chỉ tiêu bằng số. 'Chưa có số liệu': không có báo cáo nào được chấp nhận trong "
        "kỳ so sánh (không phải bằng 0).",
        "How figures are made: each indicator = numerator / denominator × 100 over the whole "
        "period's data, not a mean of months. Flows (received, resolved, prosecuted ...) are "
        "added over the months; an opening balance is the first month's, a stock (active models "
        "...) the last month's, once per agency, then agencies are added. Year to date and the "
        "same period last year are made the same way. 'No case arose': the denominator is 0. "
        "'Tracked': the plan sets no number. 'No data': no accepted report in the compared "
        "period (not zero)."),
    "rp_partial_note": (
        "Chỉ {n}/{total} tháng của kỳ có báo cáo được chấp nhận ({months}): kết quả là tạm tính.",
        "Only {n} of the period's {total} months have an accepted report ({months}): results "
        "are provisional."),
    "rp_ytd_clipped": ("Lũy kế tính từ {start}: tháng đầu của kế hoạch, hoặc tháng đầu năm có "
                       "báo cáo được chấp nhận trong thư mục.",
                       "Year to date counts from {start}: the plan's first month, or the year's "
                       "first month with an accepted report in the folder."),
    "rp_reading_incomplete": (
        "{what} tính trên {received}/{expected} báo cáo phải nộp (còn thiếu {missing}): các tệp "
        "chưa có trong thư mục được chỉ ra thì không được tính.",
        "{what} is computed on {received}/{expected} expected reports ({missing} missing): files "
        "not in the folders given are not counted."),
    "rp_reading_ytd": ("Lũy kế từ {start}", "Year to date from {start}"),
    "rp_reading_last_year": ("Cùng kỳ năm trước", "The same period last year"),
    "rp_other_plan_note": (
        "Cùng kỳ năm trước thuộc {ref}: so sánh các chỉ số cùng mã.",
        "The same period last year falls under {ref}: indicators are compared by code."),
    "kind_unreadable-file": ("Tệp không đọc được", "File cannot be read"),
    "kind_encrypted-file": ("Tệp có mật khẩu", "Password-protected file"),
    "kind_too-large-file": ("Tệp quá lớn", "File too large"),
    "kind_not-a-spreadsheet": ("Không phải bảng tính", "Not a spreadsheet"),
    "kind_not-a-template": ("Không theo biểu mẫu", "Not the template"),
    "kind_missing-value": ("Ô để trống", "Blank cell"),
    "kind_formula-without-value": ("Công thức chưa có kết quả", "Formula without a saved result"),
    "kind_not-a-number": ("Không phải số", "Not a number"),
    "kind_not-whole": ("Số không nguyên", "Not a whole number"),
    "kind_negative": ("Số âm", "Negative number"),
    "kind_too-large": ("Số quá lớn", "Number too large"),
    "kind_ambiguous-number": ("Số viết không rõ (dấu phẩy)", "Ambiguous number (comma)"),
    "kind_formula-error": ("Công thức bị lỗi", "Formula error"),
    "kind_text-number": ("Số nhập dạng chữ", "Number typed as text"),
    "kind_missing-element": ("Thiếu dòng của biểu", "Row of the form missing"),
    "kind_missing-breakdown": ("Thiếu bảng chia nhỏ", "Breakdown missing"),
    "kind_incomplete-breakdown": ("Bảng chia nhỏ còn ô trống", "Breakdown with blank cells"),
    "kind_breakdown-sum": ("Các phần không khớp số tổng", "Parts do not add up"),
    "kind_breakdown-not-asked": ("Chia nhỏ không được yêu cầu", "Breakdown not asked for"),
    "kind_duplicate-code": ("Mã bị lặp", "Code repeated"),
    "kind_unknown-code": ("Mã không có trong kế hoạch", "Code not in the plan"),
    "kind_wrong-form-for-agency": ("Biểu không thuộc đơn vị", "Form not the agency's"),
    "kind_unknown-agency": ("Không rõ đơn vị", "Unknown agency"),
    "kind_inactive-agency": ("Đơn vị không hoạt động trong kỳ", "Agency not active then"),
    "kind_bad-period": ("Kỳ báo cáo không hợp lệ", "Bad reporting period"),
    "kind_wrong-rhythm": ("Sai kỳ báo cáo của đơn vị", "Wrong reporting rhythm"),
    "kind_period-out-of-coverage": ("Kỳ ngoài thời gian kế hoạch", "Period outside the plan"),
    "kind_bad-date": ("Ngày gửi không hợp lệ", "Bad date sent"),
    "kind_implausible-date": ("Ngày gửi không thể đúng", "Impossible date sent"),
    "kind_name-mismatch": ("Tên tệp khác trang bìa", "File name differs from cover"),
    "kind_period-from-date": ("Kỳ ghi dạng ngày", "Period typed as a date"),
    "kind_ambiguous-version": ("Không rõ bản nào gửi sau", "Which version is last unknown"),
    "kind_kpi-output": ("Tệp do kpi tạo", "A file kpi made"),
    "kind_missing-info": ("Thiếu thông tin người lập", "Reporter details missing"),
    "kind_rule": ("Số liệu không hợp lý", "Figures inconsistent"),
    "kind_province-rule": ("Số liệu toàn tỉnh không hợp lý", "Province figures inconsistent"),
    "kind_rounded-number": ("Số lẻ do làm tròn, đọc là số nguyên", "Rounding noise read as whole"),
    "kind_implausible-value": ("Số lớn bất thường", "Implausibly large value"),
    "kind_grid-header": ("Tiêu đề bảng chia nhỏ không khớp", "Grid header matches no options"),
    "kind_grid-header-order": ("Cột bảng chia nhỏ khác thứ tự", "Grid columns in another order"),
    "kind_non-latin-code": ("Mã có chữ không phải Latinh", "Code with non-Latin letters"),
    "nr_same": ("bằng cùng kỳ năm {year}", "the same as in the same period of {year}"),
    "nr_points": ("điểm %", "points"),
    "nr_up": ("tăng {size} so với cùng kỳ năm {year}", "up {size} on the same period of {year}"),
    "nr_down": ("giảm {size} so với cùng kỳ năm {year}", "down {size} on the same period of {year}"),
    "nr_no_case": ("{name}: không phát sinh trong kỳ (không có trường hợp nào phải tính)",
                   "{name}: no case arose in the period"),
    "nr_met": ("đạt chỉ tiêu ({target})", "meeting the target ({target})"),
    "nr_not_met": ("chưa đạt chỉ tiêu ({target})", "below the target ({target})"),
    "nr_provisional": (", tạm áp dụng", ", provisional"),
    "nr_reached": ("{name} đạt {value}, {verdict}", "{name} reached {value}, {verdict}"),
    "nr_tracked": ("{name}: {value}", "{name}: {value}"),
    "nr_no_last_year": ("chưa có số liệu cùng kỳ năm {year} để so sánh",
                        "no data for the same period of {year} to compare with"),
    "nr_ytd": ("; lũy kế từ {start} đạt {value}", "; year to date (from {start}) {value}"),
    "nr_partial": (" (tạm tính: {n}/{total} tháng có số liệu)",
                   " (provisional: {n} of {total} months with data)"),
    "nr_completeness": (
        "Trong kỳ, đã nhận {received}/{expected} báo cáo của các đơn vị ({on_time} đúng hạn, "
        "{late} nộp muộn); còn thiếu {missing} báo cáo.",
        "In the period, {received} of {expected} reports were received ({on_time} on time, "
        "{late} late); {missing} are missing."),
    "dx_intro": ("Thực hiện {cited}, {issuer} báo cáo kết quả {subject} {period} như sau:",
                 "Under {cited}, {issuer} reports the results of {subject}, {period}, as follows:"),
    "dx_part_submissions": ("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", "I. REPORTS FROM THE AGENCIES"),
    "dx_part_results": ("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. RESULTS AGAINST THE TARGETS"),
    "dx_part_table": ("III. BẢNG TỔNG HỢP", "III. SUMMARY TABLE"),
    "dx_part_next": ("IV. NHẬN XÉT, ĐỀ XUẤT", "IV. ASSESSMENT AND PROPOSALS"),
    "dx_next_hint": ("(Phần này do cán bộ tổng hợp viết: nguyên nhân các chỉ tiêu chưa đạt, "
                     "giải pháp, kiến nghị.)",
                     "(For the analyst to write: why targets were missed, measures, proposals.)"),
    "dx_the_issuer": ("đơn vị", "the office"),
    "dx_last_year": ("Cùng kỳ năm trước", "Same period last year"),
    "docx_foreign": ("tệp đã có và không phải bản dự thảo do kpi tạo; hãy chọn tên khác hoặc xóa tệp đó",
                     "the file exists and is not a draft kpi made; choose another name or delete it"),
    "rp_unit": ("ĐVT", "Unit"),
    "rp_numerator": ("Tử số", "Numerator"),
    "rp_denominator": ("Mẫu số", "Denominator"),
    "rp_footnote": (
        "Chỉ số của cả kỳ = tổng tử số / tổng mẫu số của các tháng và các đơn vị. "
        "'Không phát sinh': mẫu số bằng 0. 'Theo dõi': kế hoạch không đặt chỉ tiêu bằng số.",
        "An indicator over the period = sum of numerators / sum of denominators over months and "
        "agencies. 'No case arose': the denominator is 0. 'Tracked': the plan sets no number.",
    ),
    "rp_bd_title": ("Nạn nhân theo giới tính, độ tuổi, dân tộc - {period}",
                    "Victims by sex, age and ethnicity - {period}"),
    "rp_bd_note": ("Số liệu tổng hợp từ các ô chia nhỏ của báo cáo được chấp nhận; mỗi bảng cộng "
                   "lại bằng số tổng của chỉ tiêu.",
                   "Totals of the breakdown cells of the accepted reports; each table adds up to "
                   "the element's total."),
    "rp_bd_and": (" và ", " and "),
    "rp_bd_heading": ("{element} ({unit}), theo {by}", "{element} ({unit}), by {by}"),
    "rp_bd_total": ("Tổng", "Total"),
    "rp_bd_count": ("Số lượng", "Number"),
    "rp_bd_chart": ("{element}, theo {by}", "{element}, by {by}"),
    "rp_chart_title": ("Kết quả so với mục tiêu ({period})", "Result against target ({period})"),
    "rp_chart_basis": ("Mục tiêu theo {plan} ({title}), kế hoạch áp dụng cho kỳ {period}.",
                       "Targets under {plan} ({title}), the plan in force for {period}."),
    "rp_no_chart": ("Không có chỉ tiêu nào có mục tiêu và có số liệu trong kỳ.",
                 "No indicator with a target has data in this period."),
    "rp_agencies_title": ("Số liệu theo đơn vị, {period}", "Values per agency, {period}"),
    "rp_form_heading": ("Biểu: {form}", "Form: {form}"),
    "rp_months_with_data": ("Số tháng có số liệu", "Months with data"),
    "rp_total": ("Tổng cộng", "Total"),
    "rp_level_total": ("Trong đó: {level}", "Of which: {level}"),
    "rp_form": ("Biểu", "Form"),
    "rp_trend_title": ("Chỉ số theo từng tháng, {period}", "Indicators month by month, {period}"),
    "rp_figure": ("Số liệu", "Figure"),
    "rp_month_rate": ("Tỷ lệ trong tháng", "The month's rate"),
    "rp_month_count": ("Trong tháng", "In the month"),
    "rp_ytd_value": ("Lũy kế từ đầu năm", "Year to date"),
    "rp_trend_note": (
        "Tử số và mẫu số của từng tháng; tỷ lệ trong tháng có thể vượt 100 % khi giải quyết cả "
        "vụ việc của các tháng trước. Dòng 'Lũy kế từ đầu năm' (nền xám) tính từ tháng 1 (hoặc "
        "tháng đầu của kế hoạch) đến hết tháng đó, theo cách tính ở trang Tổng hợp. Tháng không "
        "có báo cáo nào được chấp nhận để trống. Biểu đồ vẽ tỷ lệ lũy kế của các chỉ số có mục "
        "tiêu (trừ chỉ số về một ngày trong năm, như ngày 30/7).",
        "Each month's numerator and denominator; a month's rate can pass 100 % when cases of "
        "earlier months are resolved. The 'Year to date' row (grey) runs from January (or the "
        "plan's first month) to the end of that month, computed as on the Summary sheet. Months "
        "without any accepted report are blank. The chart plots the year-to-date rates of the "
        "indicators with a target (not those about one day a year, such as 30 July)."),
    "rp_whole_span": ("Cả kỳ", "Whole period"),
    "rp_trend_chart": ("Tỷ lệ lũy kế từ đầu năm của các chỉ số có mục tiêu",
                       "Year-to-date rates of the indicators with a target"),
    "rp_completeness_title": ("Tình hình nộp báo cáo, {period}", "Submissions, {period}"),
    "rp_submitted": ("Ngày gửi", "Date sent"),
    "rp_deadline": ("Hạn nộp", "Deadline"),
    "rp_reporter": ("Người lập", "Prepared by"),
    "rp_errors": ("Số lỗi", "Errors"),
    "rp_warnings": ("Số cảnh báo", "Warnings"),
    "rp_note": ("Ghi chú", "Note"),
    "rp_st_on_time": ("Đúng hạn", "On time"),
    "rp_st_late": ("Nộp muộn", "Late"),
    "rp_st_missing": ("Chưa nộp", "Missing"),
    "rp_st_rejected": ("Bị trả lại (có lỗi)", "Rejected (errors)"),
    "rp_st_superseded": ("Đã có bản thay thế", "Superseded"),
    "rp_st_out_of_span": ("Ngoài kỳ báo cáo", "Outside the period"),
    "rp_st_skipped": ("Bỏ qua", "Skipped"),
    "rp_replaced_by": ("Thay bằng {file}", "Replaced by {file}"),
    "rp_no_date": ("Không ghi ngày gửi", "No date sent"),
    "rp_problems_title": ("Lỗi và cảnh báo, {period}", "Errors and warnings, {period}"),
    "rp_issue_code": ("Loại", "Type"),
    "rp_province": ("(toàn tỉnh)", "(province)"),
    "rp_no_problem": ("Không có lỗi hay cảnh báo.", "No errors or warnings."),
    "rp_data_title": ("Số liệu gốc đã chấp nhận (mỗi số một dòng, kèm tệp và ô)",
                   "Accepted raw values (one number a row, with its file and cell)"),
    "rp_value": ("Giá trị", "Value"),
    "rp_code_column": ("Mã (tra cứu)", "Code (for lookup)"),
    "rp_data_print_note": (
        "{rows} dòng. Khi in, chỉ in 20 dòng đầu; để in hết: Bố cục trang > Vùng in > Xóa vùng in.",
        "{rows} rows. Printing prints the first 20; to print all: Page Layout > Print Area > Clear."),
    "rp_page_footer": ("&A - Trang &P/&N", "&A - Page &P of &N"),
}
TEXTS.update(REPORT_TEXTS)

# "No data" is not "no case arose"; files of another period; the wording of hints (issue 21).
NODATA_TEXTS: dict[str, tuple[str, str]] = {
    "status_no_reports": ("Chưa có số liệu", "No data"),
    "status_reports": ("({received}/{expected} báo cáo)", "({received}/{expected} reports)"),
    "open_note": ("Kỳ chưa kết thúc (đến {end}): kết quả là tạm tính.",
                  "The period has not ended yet (it runs to {end}): results are provisional."),
    "nr_open": (" (tạm tính: kỳ chưa kết thúc)", " (provisional: the period has not ended)"),
    "nr_no_reports": ("{name}: chưa có số liệu (chưa nhận được báo cáo nào của các đơn vị liên quan, "
                      "{received}/{expected} báo cáo)",
                      "{name}: no data yet (no accepted report from the units concerned, "
                      "{received} of {expected} reports)"),
    "rp_no_reports_note": ("'Chưa có số liệu' ở cột Tình trạng: chưa nhận được báo cáo hợp lệ "
                           "nào của các đơn vị cung cấp số liệu cho chỉ tiêu (không phải bằng 0, "
                           "không phải không phát sinh).",
                           "'No data' as a status: no accepted report yet from the units that feed the "
                           "indicator (not zero, and not 'no case arose')."),
    "other_period_all": ("Không tệp nào thuộc kỳ {period}: các tệp là của kỳ {found}.",
                         "No file is for {period}: the files are for {found}."),
    "other_period_try": ("Để tổng hợp kỳ đó: --period {code}", "To roll that period up: --period {code}"),
    "other_period_title": ("Tệp không được tính trong kỳ này (của kỳ khác hoặc đã bị thay thế):",
                           "Files not counted in this period (for another one, or replaced):"),
    "other_period_line": ("{file}: trang Thông tin chung ghi kỳ {found}, không phải {period}",
                          "{file}: its cover sheet says {found}, not {period}"),
    "warnings_title_plain": ("Các cảnh báo (tệp vẫn được tính):", "Warnings (the files still count):"),
    "fb_other_month": (
        "{n}. Tệp {file} ghi kỳ báo cáo {found} ở trang Thông tin chung, nên không được tính cho "
        "kỳ {period}; báo cáo {period} của đơn vị vẫn chưa nhận được. Nếu tệp đó là báo cáo "
        "{period}, hãy sửa ô Kỳ báo cáo ở trang Thông tin chung rồi gửi lại; nếu không, đề nghị "
        "gửi báo cáo {period}.",
        "{n}. File {file} says {found} on its cover sheet, so it does not count for {period}; the "
        "agency's report for {period} has still not been received. If that file is the report "
        "for {period}, correct the Reporting period on the cover sheet and send it again; if "
        "not, please send the report for {period}."),
    "agency_list_hint": ("Danh sách đơn vị: {command}", "The agencies are listed by: {command}"),
    "csv_written": ("Đã ghi bảng {table} (CSV): {path}", "Table of {table} written (CSV): {path}"),
    "csv_table_indicators": ("chỉ tiêu", "indicators"),
    "csv_table_totals": ("tổng số liệu", "totals"),
    "csv_table_breakdowns": ("phân tổ", "breakdowns"),
}
TEXTS.update(NODATA_TEXTS)
# Each unit against its own past (kpi/history.py).
TEXTS.update({
    "hist_times": (", gấp {ratio} lần mức thường", ", {ratio} times the usual"),
    "hist_cumulative": (", xấp xỉ lũy kế từ đầu năm (các tháng trước cộng lại: {total}): có phải đã "
                        "ghi số lũy kế thay cho số của tháng không?",
                        ", about the year's running total (earlier months together: {total}): was "
                        "the year-to-date figure typed instead of the month's?"),
    "hist_stock": (", tháng trước {previous}: một tháng khó thay đổi nhiều như vậy",
                   ", last month {previous}: too large a change for one month"),
    "hist_summary": ("Kiểm tra theo lịch sử: {checked} báo cáo được so với các tháng trước của "
                     "đơn vị, {flagged} số liệu khác thường",
                     "History check: {checked} {checked:|report|reports} compared with the "
                     "unit's earlier months, {flagged} unusual {flagged:|value|values}"),
    "hist_too_little": ("Chưa kiểm tra theo lịch sử (chưa đủ {n} báo cáo trước trong 12 tháng): "
                        "{count} báo cáo",
                        "Not checked against history (fewer than {n} earlier reports in 12 "
                        "months): {count} {count:|report|reports}"),
    "hist_no_folder": ("--history {path}: không có thư mục này", "--history {path}: no such folder"),
    "hist_source": ("Lịch sử đọc từ: {folder}", "History read from: {folder}"),
    "hist_none": ("Không kiểm tra theo lịch sử: tệp không nằm trong thư mục tháng (nop/2026-08/) và "
                  "không có --history",
                  "No history check: the file is not in a month folder (nop/2026-08/) and no "
                  "--history was given"),
})

# The cover sheet of the template, as the clerk reads it.
TEXTS.update({
    "meta_agency": ("Đơn vị báo cáo", "Reporting agency"),
    "meta_period": ("Kỳ báo cáo", "Reporting period"),
    "meta_reporter": ("Người lập báo cáo", "Prepared by"),
    "meta_phone": ("Số điện thoại liên hệ", "Contact phone"),
    "meta_submitted": ("Ngày gửi báo cáo", "Date sent"),
})

# Why an entry was not read (collect_files, aggregate): the reason codes are JSON's; people read these.
TEXTS.update({
    "skip_lock-file": ("tệp khóa của Excel/LibreOffice", "Excel/LibreOffice lock file"),
    "skip_not-a-spreadsheet": ("không phải tệp bảng tính", "not a spreadsheet"),
    "skip_marked-copy": ("bản kiểm tra do kpi tạo", "marked copy made by kpi"),
    "skip_kpi-output": ("báo cáo do kpi tạo", "report made by kpi"),
    "skip_kpi-temp-file": ("tệp tạm của kpi", "kpi's temporary file"),
    "skip_not-a-file": ("không phải tệp thông thường (đường ống, thiết bị)",
                        "not a regular file (a pipe or a device)"),
    "skip_broken-link": ("liên kết tới tệp không còn", "link to a file that is gone"),
    "skip_link-loop": ("liên kết vòng", "link loop"),
    "skip_folder-link": ("liên kết tới thư mục (không mở)", "link to a folder (not entered)"),
    "skip_unreadable-folder": ("thư mục không đọc được", "folder that cannot be read"),
})

# kpi's decisions (kpi.decisions): which file counts and why, read before signing.
TEXTS.update({
    "decisions_title": ("Các quyết định của kpi (đọc trước khi ký):",
                        "kpi's decisions (read before signing):"),
    "decisions_more": ("… và {n} quyết định khác (đủ trong --format json)",
                       "… and {n} more {n:|decision|decisions} (all in --format json)"),
    "dec_sent": ("gửi {when}", "sent {when}"),
    "dec_sent_unknown": ("không có ngày gửi đọc được", "no readable date sent"),
    "dec_later-date-sent": (
        "{who} {period}: tính tệp {chosen_name} ({sent}); {others} gửi trước nên bị thay thế",
        "{who} {period}: {chosen_name} counts ({sent}); {others} {n:|was|were} sent earlier and "
        "{n:|is|are} superseded"),
    "dec_same-content": (
        "{who} {period}: {names} có cùng số liệu, là một báo cáo: tính một lần (tệp {chosen_name}), "
        "tệp còn lại là bản trùng",
        "{who} {period}: {names} hold the same figures, one report: counted once ({chosen_name}), "
        "the other is a duplicate"),
    "dec_undecided-version": (
        "{who} {period}: không biết tệp nào gửi sau cùng ({why}): {names}; số liệu khác nhau "
        "nên không tệp nào được tính cho đến khi xóa tệp sai hoặc đơn vị gửi lại bản có ngày giờ gửi",
        "{who} {period}: which file was sent last cannot be told ({why}): {names}; their "
        "figures differ, so none counts until the wrong file is removed or the agency sends one "
        "with its date and time sent"),
    "ambiguous_todo": (
        "Hãy xóa tệp sai khỏi thư mục nộp, hoặc gửi lại bản đúng có ghi ngày và giờ gửi "
        "(dd/mm/yyyy hh:mm)",
        "Remove the wrong file from the submissions folder, or send the right one again with the "
        "date and time sent (dd/mm/yyyy hh:mm)"),
    "ambiguous_todo_clerk": (
        "Hãy gửi lại một bản đúng, ghi ngày và giờ gửi (dd/mm/yyyy hh:mm) ở trang Thông tin chung",
        "Send the right version again, with the date and time sent (dd/mm/yyyy hh:mm) on the "
        "cover sheet"),
    "dec_why_same_time": ("cùng ngày giờ gửi {when}", "the same date and time sent, {when}"),
    "dec_why_same_day": ("cùng ngày gửi {when}, không ghi giờ để phân biệt",
                         "the same day sent, {when}, with no time to tell them apart"),
    "dec_why_unknown": ("{names} không có ngày gửi đọc được", "{names}: no readable date sent"),
    "dec_name-cover-mismatch": (
        "{who} {period}: tệp {file} mang tên đơn vị {named} nhưng trang Thông tin chung ghi "
        "{who}; tệp này không thay cho tệp của chính {who} ({chosen_name}) và không được tính",
        "{who} {period}: {file} is named for {named} but its cover sheet says {who}; it "
        "does not replace {who}'s own file ({chosen_name}) and does not count"),
    "dec_date-form": ("{file}: ngày gửi '{text}' được đọc là {when}{note}",
                      "{file}: date sent '{text}' read as {when}{note}"),
    "dec_two_digit_year": (" (năm hai chữ số hiểu là 20yy)", " (a two-digit year is 20yy)"),
    "dec_default-period": (
        "Không ghi --period: tổng hợp kỳ {period}, tháng gần nhất có báo cáo hợp lệ mà kỳ đã bắt "
        "đầu (từ {start}){skipped}",
        "No --period given: rolled up {period}, the latest month with a valid report whose "
        "period has begun (on {start}){skipped}"),
    "dec_default-period-any": (
        "Không ghi --period và không có báo cáo hợp lệ: tổng hợp kỳ {period}, tháng gần nhất có báo "
        "cáo mà kỳ đã bắt đầu (từ {start}){skipped}",
        "No --period given and no valid report: rolled up {period}, the latest month with a "
        "report whose period has begun (on {start}){skipped}"),
    "dec_default_skipped": ("; không chọn {months} vì kỳ chưa bắt đầu (hôm nay {today})",
                            "; not {months}, whose period has not begun (today is {today})"),
    "no_period_begun": (
        "Các báo cáo chỉ ghi kỳ chưa bắt đầu ({months}; hôm nay {today}), nên không chọn được kỳ "
        "mặc định: hãy dùng --period",
        "The submissions state only periods that have not begun ({months}; today is {today}), "
        "so there is no default period: use --period"),
})


# kpi's own outputs: edited ones kept, the lock, where outputs may go (kpi.outputs, kpi.ledger).
TEXTS.update({
    "skip_blank-template": ("biểu mẫu trống do kpi tạo, chưa điền",
                            "blank template made by kpi, not filled in"),
    "out_edited_kept": ("Giữ nguyên {path} (đã sửa sau khi kpi ghi); bản mới: {new}",
                        "Kept {path} (changed after kpi wrote it); the new one: {new}"),
    "fb_kept": (
        "Giữ lại phản hồi của lần trước đã được sửa sau khi kpi ghi (kpi không xóa tệp đã sửa):",
        "Kept earlier feedback that was changed after kpi wrote it (kpi never removes an edited "
        "file):"),
    "ann_edited": (
        "Không ghi đè {path}: bản kiểm tra đã được sửa sau khi kpi ghi; hãy chọn tên khác",
        "Will not overwrite {path}: the marked copy was changed after kpi wrote it; choose "
        "another name"),
    "outputs_locked": (
        "Một lần chạy kpi khác (tiến trình {holder}) đang ghi vào {folder}; đã chờ {seconds} giây. "
        "Hãy chạy lại khi lần kia xong; nếu chắc không còn kpi nào đang chạy, hãy xóa {lock}",
        "Another kpi run (process {holder}) is writing into {folder}; waited {seconds} seconds. "
        "Run again when it has finished; if no kpi is running any more, delete {lock}"),
    "into_submissions": (
        "{option} {path}: nằm trong thư mục {folder}, nơi đang đọc báo cáo nộp; thư mục báo cáo "
        "nộp chỉ chứa báo cáo của đơn vị: hãy ghi ra thư mục khác (ví dụ bao-cao/, phan-hoi/)",
        "{option} {path}: it is inside {folder}, which is being read for submissions; that folder "
        "holds the agencies' files only: write elsewhere (e.g. bao-cao/, phan-hoi/)"),
    "template_into_submissions": (
        "--out {path}: thư mục này đã chứa báo cáo đơn vị gửi ({file}), tức là thư mục báo cáo "
        "nộp; biểu mẫu trống không ghi vào đó: hãy chọn thư mục khác (ví dụ mau-bieu/2026-08)",
        "--out {path}: the folder already holds a submission ({file}), so it is a submissions "
        "folder; blank templates are not written there: choose another (e.g. mau-bieu/2026-08)"),
    "parent_not_folder": ("{option} {path}: {parent} là một tệp, không phải thư mục",
                          "{option} {path}: {parent} is a file, not a folder"),
    "control_in_option": (
        "{option}: có ký tự điều khiển {char} (không in được, không ghi vào văn bản được); hãy gõ lại",
        "{option}: holds a control character {char} (not printable, cannot go into a document); "
        "type it again"),
    "stdout_failed": ("kpi không ghi được kết quả ra đầu ra chuẩn: {reason}",
                      "kpi could not write to standard output: {reason}"),
})

def issue_kind(code: str, lang: str) -> str:
    """An issue's kind in words, for the pages people read (the code stays in JSON)."""
    key = f"kind_{code}"
    return t(key, lang) if key in TEXTS else code


def skip_reason(reason: str, lang: str) -> str:
    """Why an entry was not read, in words (the reason code when kpi has no words for it)."""
    key = f"skip_{reason}"
    return t(key, lang) if key in TEXTS else reason

# The window a target is judged on, the reports a comparison rests on, stocks (issue 24 items 1-3).
TEXTS.update({
    "nr_judged_year": ("{name} trong kỳ đạt {value}{over}; lũy kế từ {start} đạt {ytd}{basis}, "
                       "{verdict}",
                       "{name} reached {value} in the period{over}; year to date (from {start}) "
                       "{ytd}{basis}, {verdict}"),
    "nr_met_year": ("đạt chỉ tiêu năm ({target})", "meeting the yearly target ({target})"),
    "nr_not_met_year": ("chưa đạt chỉ tiêu năm ({target})", "below the yearly target ({target})"),
    "nr_over_100": (" (trên 100\u00a0% vì số giải quyết trong kỳ gồm cả các trường hợp phát sinh "
                    "từ các kỳ trước)",
                    " (above 100\u00a0% because the cases dealt with in the period include cases "
                    "from earlier periods)"),
    "nr_reports_basis": (" (tính trên {received}/{expected} báo cáo)",
                         " (on {received} of {expected} reports)"),
    "nr_stock": (" (số cuối kỳ, không cộng dồn)", " (at the end of the period, not added up)"),
    "status_judged_year": ("(theo lũy kế từ {start}: {value})",
                           "(judged on the year to date from {start}: {value})"),
    "rp_ytd_stock": ("cuối kỳ", "end of period"),
    "rp_judged_year_note": (
        "Chỉ tiêu tính theo năm ({names}): tình trạng được đánh giá trên số lũy kế từ đầu năm; "
        "tỷ lệ của kỳ chỉ để tham khảo và có thể trên 100 % vì số giải quyết trong kỳ gồm cả "
        "các trường hợp phát sinh từ các kỳ trước.",
        "Yearly targets ({names}): the status is judged on the year to date; the period's own "
        "rate is information and can exceed 100 % because the cases dealt with in the period "
        "include cases from earlier periods."),
    "rp_stock_note": (
        "Số hiện có ({names}): cột lũy kế ghi số cuối kỳ (ghi 'cuối kỳ'), không cộng dồn các tháng.",
        "Stocks ({names}): the year-to-date column gives the value at the end of the period "
        "(marked 'end of period'), not a sum of months."),
})

# The command line's own words: usage errors and the frame of --help.
TEXTS.update({
    "usage": ("Cách dùng:", "Usage:"),
    "usage_try": ("Xem '{command}' để biết cách dùng.", "Try '{command}' for help."),
    "usage_error": ("Lỗi: {message}", "Error: {message}"),
    "h_arguments": ("Đối số", "Arguments"),
    "h_options": ("Tùy chọn", "Options"),
    "h_commands": ("Lệnh", "Commands"),
    "aborted": ("Đã dừng.", "Aborted!"),
    "use_missing_argument": ("Thiếu đối số {name}.", "Missing argument {name}."),
    "use_missing_option": ("Thiếu tùy chọn {name}.", "Missing option {name}."),
    "use_no_option": ("Không có tùy chọn {name}.", "No such option: {name}"),
    "use_did_you_mean": ("Có phải ý bạn là: {names}?", "Did you mean {names}?"),
    "use_needs_value": ("Tùy chọn {name} cần một giá trị.", "Option {name} requires an argument."),
    "use_takes_no_value": ("Tùy chọn {name} không nhận giá trị.",
                           "Option {name} does not take a value."),
    "use_extra": ("Thừa đối số: {args}", "Got unexpected extra arguments: {args}"),
    "use_no_command": ("Không có lệnh '{name}'.", "No such command '{name}'."),
    "use_missing_command": ("Thiếu lệnh.", "Missing command."),
    "use_bad_value": ("Giá trị không hợp lệ cho {name}: {message}",
                      "Invalid value for {name}: {message}"),
    "cannot_read": ("Không đọc được {path}: {reason}", "Cannot read {path}: {reason}"),
})

# `kpi ... --help` in Vietnamese: each help text of kpi.cli (English there) and its Vietnamese.
# tests/test_first_week.py checks that every help text of the command line is here.
HELP_VI: dict[str, str] = {
    # kpi
    "KPI calculator for provincial programmes monitored through spreadsheets.\n\n"
    "\b\nExample: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out report.xlsx":
    "Tính chỉ tiêu của kế hoạch cấp tỉnh từ các bảng tính báo cáo của đơn vị.\n\n"
    "\b\nVí dụ: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out bao-cao.xlsx",
    "KPI calculator for provincial programmes monitored through spreadsheets.":
    "Tính chỉ tiêu của kế hoạch cấp tỉnh từ các bảng tính báo cáo của đơn vị.",
    "Show the version and exit.": "In phiên bản rồi thoát.",
    "Show this message and exit.": "In hướng dẫn này rồi thoát.",
    "Language of what kpi writes: vi (default) or en; also KPI_LANG.":
    "Ngôn ngữ kpi dùng: vi (mặc định) hoặc en; cũng đặt được bằng biến KPI_LANG.",
    "Plan file (TOML) to use; default: the plan in force for the period.":
    "Tệp kế hoạch (TOML); mặc định: kế hoạch áp dụng cho kỳ báo cáo.",
    "Folder of plan files to choose from; default: the plans bundled with kpi.":
    "Thư mục chứa các tệp kế hoạch để chọn; mặc định: các kế hoạch có sẵn trong kpi.",
    "table or json": "table (bảng) hoặc json",
    "table, json or csv": "table (bảng), json hoặc csv",
    # validate
    "Check submissions and list every problem with its sheet and cell.\n\n"
    "\b\nExample: kpi validate nop/2026-08/CA_TINH_2026-08.xlsx --format json\n\n"
    "Exit 0 when every file is valid (warnings allowed), 1 when a file has errors,\n"
    "2 when a file cannot be read at all (or its marked copy cannot be written).":
    "Kiểm tra báo cáo của đơn vị, liệt kê mọi lỗi kèm trang và ô.\n\n"
    "\b\nVí dụ: kpi validate nop/2026-08/CA_TINH_2026-08.xlsx --format json\n\n"
    "Mã thoát 0 khi mọi tệp hợp lệ (được có cảnh báo), 1 khi có tệp có lỗi,\n"
    "2 khi có tệp không đọc được (hoặc không ghi được bản kiểm tra).",
    "Folder of the units' earlier reports to compare each value with (default: the month folders "
    "beside the file's, for nop/2026-08/FILE).":
    "Thư mục chứa các báo cáo trước của đơn vị để so sánh từng số liệu (mặc định: các thư mục "
    "tháng bên cạnh thư mục của tệp, với nop/2026-08/TỆP).",
    "Submission workbooks (.xlsx .xlsm .xls .ods), or folders of them (searched recursively).":
    "Tệp báo cáo (.xlsx .xlsm .xls .ods), hoặc thư mục chứa chúng (tìm cả thư mục con).",
    "Write a marked copy <name>.kiem-tra.xlsx next to each file.":
    "Ghi bản kiểm tra <tên>.kiem-tra.xlsx (ô lỗi tô đỏ, ô cảnh báo tô vàng) cạnh mỗi tệp.",
    "Where the marked copy goes: a .xlsx file (one FILE) or a folder. Implies --annotate.":
    "Nơi ghi bản kiểm tra: một tệp .xlsx (khi kiểm tra một tệp) hoặc một thư mục. Bao gồm "
    "--annotate.",
    # template
    "Write the blank Excel template each agency fills.\n\n"
    "\b\nExample: kpi template --all --period 2026-08 --out mau-bieu/2026-08":
    "Tạo biểu mẫu Excel trống để đơn vị điền.\n\n"
    "\b\nVí dụ: kpi template --all --period 2026-08 --out mau-bieu/2026-08",
    "Agency code; repeatable.": "Mã đơn vị; dùng được nhiều lần.",
    "One template for every agency.": "Mỗi đơn vị một biểu mẫu.",
    "Period to prefill: a month (2026-08), or a quarter, half year or year for the agencies "
    "that report so.":
    "Kỳ ghi sẵn vào biểu mẫu: một tháng (2026-08), hoặc quý, 6 tháng, năm cho đơn vị báo cáo "
    "theo kỳ đó.",
    "Folder to write to.": "Thư mục ghi biểu mẫu.",
    # aggregate
    "Roll up a period's submissions and compare each indicator with its target.\n\n"
    "\b\nExample: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out report.xlsx\n\n"
    "Exit 0 when every target with data is met and no file was rejected, 1 otherwise,\n"
    "2 for wrong usage or a path that does not exist. An existing --out file is replaced.":
    "Tổng hợp báo cáo của một kỳ và so từng chỉ tiêu với mục tiêu.\n\n"
    "\b\nVí dụ: kpi aggregate examples/quangngai-2026-08 --period 2026-08 --out bao-cao.xlsx\n\n"
    "Mã thoát 0 khi mọi chỉ tiêu có số liệu đều đạt và không tệp nào bị trả lại, 1 nếu không,\n"
    "2 khi dùng sai lệnh hoặc đường dẫn không tồn tại. Tệp --out do kpi tạo trước đó được ghi đè.",
    "Submission files or folders (searched recursively).":
    "Tệp báo cáo hoặc thư mục (tìm cả thư mục con).",
    "2026-08 or 08/2026, 2026-Q3 or Q3/2026, 2026-H1, 2026, or 2026-01..2026-06; default: the "
    "latest month found.":
    "2026-08 hoặc 08/2026, 2026-Q3 hoặc quý 3/2026, 2026-H1 (6 tháng đầu năm 2026), 2026 "
    "(năm 2026), hoặc 2026-01..2026-06; mặc định: tháng mới nhất có báo cáo.",
    "Consolidated report to write: .xlsx (the workbook) or .csv (the --table).":
    "Báo cáo tổng hợp cần ghi: .xlsx (sổ tính) hoặc .csv (bảng chọn bằng --table).",
    "Which table CSV holds: indicators, totals or breakdowns.":
    "Bảng ghi ra CSV: indicators (chỉ tiêu), totals (tổng số liệu) hoặc breakdowns (phân tổ).",
    "Word draft of the narrative report to write (.docx).":
    "Ghi bản dự thảo báo cáo bằng lời (Word, .docx).",
    "Issuing body of the report (default: the plan's [report]).":
    "Cơ quan ban hành báo cáo (mặc định: mục [report] của kế hoạch).",
    "Recipient ('Kính gửi'); repeat for several.":
    "Nơi nhận ở dòng 'Kính gửi'; nhắc lại tùy chọn cho nhiều nơi.",
    "Signer's title, e.g. 'KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC'.":
    "Chức vụ người ký, ví dụ 'KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC'.",
    "Signer's name.": "Họ và tên người ký.",
    "Place in the date line.": "Địa danh ở dòng ngày tháng.",
    "Folder for a marked copy of each rejected file and a text per agency.":
    "Thư mục ghi phản hồi: bản kiểm tra của mỗi tệp bị trả lại và một văn bản cho mỗi đơn vị.",
    "Office that signs the feedback texts (default: the plan's [contact]).":
    "Cơ quan ký các văn bản phản hồi (mặc định: mục [contact] của kế hoạch).",
    "Contact person named in the feedback texts.": "Cán bộ đầu mối ghi trong văn bản phản hồi.",
    "Contact phone given in the feedback texts.": "Số điện thoại liên hệ ghi trong văn bản phản hồi.",
    # validate and aggregate
    "Read every file anew: neither use nor fill the cache of what was read (also KPI_NO_CACHE=1).":
    "Đọc lại mọi tệp từ đầu: không dùng và không ghi bộ nhớ đệm những gì đã đọc (cũng đặt được "
    "bằng biến KPI_NO_CACHE=1).",
    # plan
    "Show or check a plan file.": "Xem hoặc kiểm tra tệp kế hoạch.",
    "List the plans kpi knows with their coverage, then one plan's units, forms, rules and\n"
    "targets.\n\n"
    "\b\nExample: kpi plan show --period 2025-05 --format json":
    "Liệt kê các kế hoạch kpi biết và thời gian áp dụng, rồi đơn vị, biểu, quy tắc và mục tiêu\n"
    "của một kế hoạch.\n\n"
    "\b\nVí dụ: kpi plan show --period 2025-05 --format json",
    "Show the plan in force for this period (default: today's).":
    "Xem kế hoạch áp dụng cho kỳ này (mặc định: kỳ hiện tại).",
    "Report every mistake in a plan file at once.\n\n"
    "\b\nExample: kpi plan check my_province.toml   (exit 0 when sound, 1 when it has mistakes,\n"
    "2 when the file cannot be read)":
    "Liệt kê một lần mọi lỗi của tệp kế hoạch.\n\n"
    "\b\nVí dụ: kpi plan check ke_hoach_tinh.toml   (mã thoát 0 khi hợp lệ, 1 khi có lỗi,\n"
    "2 khi không đọc được tệp)",
    "Plan file (TOML) to check.": "Tệp kế hoạch (TOML) cần kiểm tra.",
}

# Placeholders in usage lines and option lists.
METAVAR_VI: dict[str, str] = {
    "[OPTIONS]": "[TÙY_CHỌN]", "COMMAND [ARGS]...": "LỆNH [ĐỐI_SỐ]...", "FILE...": "TỆP...",
    "PATH...": "ĐƯỜNG_DẪN...", "FILE": "TỆP", "DIR": "THƯ_MỤC", "PATH": "ĐƯỜNG_DẪN",
    "PERIOD": "KỲ", "CODE": "MÃ", "TEXT": "CHỮ",
}
