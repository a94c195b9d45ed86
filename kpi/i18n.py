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
