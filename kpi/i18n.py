"""User-facing texts in Vietnamese (default) and English, and Vietnamese number formatting."""

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
    "templates_written": ("Đã tạo {n} biểu mẫu trong {dir}", "Wrote {n} templates to {dir}"),
    "unknown_agency_opt": ("Không có đơn vị {code} trong kế hoạch", "No agency {code} in the plan"),
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


def fmt_number(value: float | int | None, lang: str, decimals: int = 1) -> str:
    """92.345 -> '92,3' in Vietnamese, '92.3' in English; thousands grouped (1.234 / 1,234)."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")

AGG_TEXTS: dict[str, tuple[str, str]] = {
    "agg_title": ("Kết quả thực hiện kế hoạch {plan}, kỳ {period} ({start} – {end})",
                  "Results of plan {plan}, period {period} ({start} – {end})"),
    "completeness": (
        "Đầy đủ: nhận {received}/{expected} báo cáo (đúng hạn {on_time}, trễ hạn {late}); "
        "thiếu {missing}",
        "Completeness: received {received}/{expected} reports ({on_time} on time, {late} late); "
        "missing {missing}",
    ),
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
    "cannot_write": ("Không ghi được {path}: {reason}", "Cannot write {path}: {reason}"),
}
TEXTS.update(AGG_TEXTS)
