"""The one catalogue of user-facing texts, in Vietnamese (default) and English.

Every text a user reads comes from here by key (:func:`t`), except the issue messages, which
live with the issue catalogue (kpi.issues) and the plan's own texts (names, messages), which come
from the plan file.
"""

from __future__ import annotations

import os

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
        "{files} files: {valid} valid, {invalid} with errors; {errors} errors, {warnings} warnings",
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
        "Plan {id} is sound: {forms} forms, {elements} data elements, {agencies} agencies, "
        "{rules} rules, {indicators} indicators.",
    ),
    "plan_bad": ("Kế hoạch {path} có {n} lỗi:", "Plan {path} has {n} mistakes:"),
    "templates_written": ("Đã tạo {n} biểu mẫu trong {dir} (kế hoạch {plan})",
                          "Wrote {n} templates to {dir} (plan {plan})"),
    "unknown_agency_opt": ("Không có đơn vị {code} trong kế hoạch {plan}",
                           "No agency {code} in plan {plan}"),
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
    "coverage": ("Thời gian", "Coverage"),
    "in_force": ("Đang dùng", "In use"),
    "rules": ("Quy tắc kiểm tra", "Validation rules"),
    "expression": ("Biểu thức", "Expression"),
    "choose_agency": (
        "Hãy chọn --agency MÃ (có thể nhiều lần) hoặc --all",
        "Choose --agency CODE (repeatable) or --all",
    ),
    "bad_period_opt": ("Kỳ không hợp lệ: {value}", "Not a valid period: {value}"),
    "no_files": ("Không tìm thấy tệp nào: {path}", "No file found: {path}"),
    "status_met": ("Đạt", "Met"),
    "status_not_met": ("Chưa đạt", "Not met"),
    "status_no_data": ("Không phát sinh", "No case arose"),
    "status_tracked": ("Theo dõi", "Tracked"),
}


def current_lang(lang: str | None = None) -> str:
    chosen = (lang or os.environ.get("KPI_LANG") or "vi").strip().lower()
    return "en" if chosen.startswith("en") else "vi"


def t(key: str, lang: str, **params: object) -> str:
    vi, en = TEXTS[key]
    return (en if lang == "en" else vi).format(**params)


AGG_TEXTS: dict[str, tuple[str, str]] = {
    "agg_title": ("Kết quả thực hiện kế hoạch {plan}, kỳ {period} ({start} – {end})",
                  "Results of plan {plan}, period {period} ({start} – {end})"),
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
                         "Problems: {errors} errors, {warnings} warnings"),
    "rejected_file": ("Bị trả lại: {file} ({n} lỗi)", "Rejected: {file} ({n} errors)"),
    "skipped_file": ("Bỏ qua: {file} ({reason})", "Skipped: {file} ({reason})"),
    "report_written": ("Đã ghi báo cáo tổng hợp: {path}", "Consolidated report written: {path}"),
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
        "Has errors: {errors} errors, {warnings} warnings. The report is not counted: fix the red "
        "cells and send it again.",
    ),
    "ann_verdict_warnings": (
        "Hợp lệ, có {warnings} cảnh báo: hãy xem lại các ô tô vàng.",
        "Valid, with {warnings} warnings: check the yellow cells.",
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
    "ann_out_suffix": ("{path}: bản kiểm tra luôn là tệp .xlsx", "{path}: the marked copy is always .xlsx"),
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
                   "Feedback written to {dir}: {texts} texts, {copies} marked copies"),
    "fb_none": ("Không có tệp nào bị trả lại: không có phản hồi để gửi.",
                "No file was rejected: no feedback to send."),
    "fb_subject": ("Tiêu đề: Đề nghị sửa và gửi lại báo cáo {months} (Kế hoạch {ref})",
                   "Subject: please correct and resend the report for {months} (plan {ref})"),
    "fb_to": ("Kính gửi: {name}", "To: {name}"),
    "fb_to_unknown": (
        "Các tệp dưới đây không xác định được đơn vị gửi (ô Đơn vị báo cáo, trang Thông tin "
        "chung); hãy tìm đơn vị đã gửi để chuyển phản hồi.",
        "The files below do not say which agency sent them (Reporting agency, cover sheet); "
        "find the sender to forward this feedback.",
    ),
    "fb_intro": (
        "Qua kiểm tra, báo cáo của đơn vị theo Kế hoạch {ref} chưa được tổng hợp vì còn lỗi. "
        "Đề nghị đơn vị sửa các ô nêu dưới đây, lưu lại và gửi lại:",
        "The agency's report under plan {ref} cannot be counted yet because it has errors. "
        "Please fix the cells below, save the file and send it again:",
    ),
    "fb_file": ("{n}. Tệp {file}, báo cáo tháng {month}: {errors} lỗi, {warnings} cảnh báo.",
                "{n}. File {file}, report for {month}: {errors} errors, {warnings} warnings."),
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
    "fb_due": ("   Thời hạn gửi lại: chậm nhất ngày {due} (hạn nộp báo cáo tháng {month}).",
               "   Send it again by {due} at the latest (the deadline for {month})."),
    "fb_due_late": (
        "   Thời hạn gửi lại: càng sớm càng tốt, chậm nhất ngày {due} (hạn nộp báo cáo tháng "
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
    "fix_not-a-number": ("ghi bằng chữ số, ví dụ 12", "type digits, e.g. 12"),
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

    "rp_report_title": ("BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN KẾ HOẠCH {ref}",
                     "CONSOLIDATED REPORT ON THE IMPLEMENTATION OF PLAN {ref}"),
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
        "'{sheet_c}' and '{sheet_p}' ({errors} errors, {warnings} warnings).",
    ),
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
    "rp_no_chart": ("Không có chỉ tiêu nào có mục tiêu và có số liệu trong kỳ.",
                 "No indicator with a target has data in this period."),
    "rp_agencies_title": ("Số liệu theo đơn vị, cả kỳ {period}", "Values per agency over {period}"),
    "rp_months_with_data": ("Số tháng có số liệu", "Months with data"),
    "rp_total": ("Tổng cộng", "Total"),
    "rp_level_total": ("Trong đó: {level}", "Of which: {level}"),
    "rp_form": ("Biểu", "Form"),
    "rp_trend_title": ("Chỉ số theo từng tháng, kỳ {period}", "Indicators month by month, {period}"),
    "rp_whole_span": ("Cả kỳ", "Whole period"),
    "rp_trend_chart": ("Các chỉ số có mục tiêu theo tháng", "Indicators with a target, by month"),
    "rp_completeness_title": ("Tình hình nộp báo cáo, kỳ {period}", "Submissions for {period}"),
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
    "rp_problems_title": ("Lỗi và cảnh báo, kỳ {period}", "Errors and warnings, {period}"),
    "rp_issue_code": ("Loại", "Type"),
    "rp_province": ("(toàn tỉnh)", "(province)"),
    "rp_no_problem": ("Không có lỗi hay cảnh báo.", "No errors or warnings."),
    "rp_data_title": ("Số liệu gốc đã chấp nhận (mỗi số một dòng, kèm tệp và ô)",
                   "Accepted raw values (one number a row, with its file and cell)"),
    "rp_value": ("Giá trị", "Value"),
    "rp_page_footer": ("&A - Trang &P/&N", "&A - Page &P of &N"),
}
TEXTS.update(REPORT_TEXTS)

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


def skip_reason(reason: str, lang: str) -> str:
    """Why an entry was not read, in words (the reason code when kpi has no words for it)."""
    key = f"skip_{reason}"
    return t(key, lang) if key in TEXTS else reason
