"""The catalogue of problems a submission can have, and the Issue record.

Like frictionless' error catalogue: every problem has a stable code that scripts and tests rely
on, a fixed severity, and a message template in Vietnamese and English. A rule's severity comes
from the plan instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """An error rejects the file; a warning is reported only."""

    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Every issue code (stable: scripts rely on them; a test keeps this list equal to the
    catalogue below and to the README's table)."""

    UNREADABLE_FILE = "unreadable-file"
    ENCRYPTED_FILE = "encrypted-file"
    TOO_LARGE_FILE = "too-large-file"
    NOT_A_SPREADSHEET = "not-a-spreadsheet"
    NOT_A_TEMPLATE = "not-a-template"
    MISSING_VALUE = "missing-value"
    FORMULA_WITHOUT_VALUE = "formula-without-value"
    NOT_A_NUMBER = "not-a-number"
    NOT_WHOLE = "not-whole"
    NEGATIVE = "negative"
    TOO_LARGE = "too-large"
    AMBIGUOUS_NUMBER = "ambiguous-number"
    FORMULA_ERROR = "formula-error"
    TEXT_NUMBER = "text-number"
    MISSING_ELEMENT = "missing-element"
    MISSING_BREAKDOWN = "missing-breakdown"
    INCOMPLETE_BREAKDOWN = "incomplete-breakdown"
    BREAKDOWN_SUM = "breakdown-sum"
    BREAKDOWN_NOT_ASKED = "breakdown-not-asked"
    DUPLICATE_CODE = "duplicate-code"
    UNKNOWN_CODE = "unknown-code"
    WRONG_FORM_FOR_AGENCY = "wrong-form-for-agency"
    UNKNOWN_AGENCY = "unknown-agency"
    INACTIVE_AGENCY = "inactive-agency"
    BAD_PERIOD = "bad-period"
    WRONG_RHYTHM = "wrong-rhythm"
    PERIOD_OUT_OF_COVERAGE = "period-out-of-coverage"
    BAD_DATE = "bad-date"
    IMPLAUSIBLE_DATE = "implausible-date"
    NAME_MISMATCH = "name-mismatch"
    PERIOD_FROM_DATE = "period-from-date"
    AMBIGUOUS_VERSION = "ambiguous-version"
    KPI_OUTPUT = "kpi-output"
    CORRECTED_MARKED_COPY = "corrected-marked-copy"
    MISSING_INFO = "missing-info"
    RULE = "rule"
    PROVINCE_RULE = "province-rule"
    ROUNDED_NUMBER = "rounded-number"
    IMPLAUSIBLE_VALUE = "implausible-value"
    GRID_HEADER = "grid-header"
    GRID_HEADER_ORDER = "grid-header-order"
    NON_LATIN_CODE = "non-latin-code"
    UNUSUAL_VALUE = "unusual-value"


# code: (severity, Vietnamese template, English template)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "unreadable-file": (
        "error",
        "Không đọc được tệp: {detail}",
        "The file cannot be read: {detail}",
    ),
    "encrypted-file": (
        "error",
        "Tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại",
        "The file is password-protected; remove the password and send it again",
    ),
    "too-large-file": (
        "error",
        "Tệp quá lớn để là một báo cáo ({detail}); không đọc",
        "The file is too large to be a report ({detail}); not read",
    ),
    "not-a-spreadsheet": (
        "error",
        "Không phải tệp bảng tính (.xlsx, .xlsm, .xls, .ods)",
        "Not a spreadsheet file (.xlsx, .xlsm, .xls, .ods)",
    ),
    "not-a-template": (
        "error",
        "Tệp không theo biểu mẫu báo cáo: không tìm thấy mã chỉ tiêu nào ở cột A",
        "The file does not follow the report template: no element code found in column A",
    ),
    "missing-value": (
        "error",
        "Ô bắt buộc để trống ({label}){hint_vi}",
        "Required cell is blank ({label}){hint_en}",
    ),
    "formula-without-value": (
        "error",
        "Ô có công thức nhưng tệp không lưu kết quả ({label}); hãy mở tệp bằng Excel hoặc "
        "LibreOffice, lưu lại rồi gửi, hoặc ghi số thay cho công thức",
        "The cell holds a formula whose result was never saved ({label}); open the file in "
        "Excel or LibreOffice and save it, or type the number instead of the formula",
    ),
    "not-a-number": (
        "error",
        "'{value}' không phải là số ({label})",
        "'{value}' is not a number ({label})",
    ),
    "not-whole": (
        "error",
        "'{value}' không phải là số nguyên; số lượng phải là số nguyên ({label})",
        "'{value}' is not a whole number; counts must be whole numbers ({label})",
    ),
    "negative": (
        "error",
        "'{value}' là số âm; số lượng không được âm ({label})",
        "'{value}' is negative; counts cannot be negative ({label})",
    ),
    "too-large": (
        "error",
        "'{value}' quá lớn, không hợp lý cho số lượng ({label})",
        "'{value}' is too large to be a count ({label})",
    ),
    "ambiguous-number": (
        "error",
        "'{value}' có hai cách hiểu: {thousands} (dấu phẩy ngăn cách hàng nghìn) hoặc {decimal} "
        "(dấu phẩy thập phân) ({label}); hãy ghi số không có dấu phẩy, ví dụ {plain}",
        "'{value}' reads two ways: {thousands} (comma as thousands separator) or {decimal} "
        "(decimal comma) ({label}); type the number without a comma, e.g. {plain}",
    ),
    "formula-error": (
        "error",
        "Ô có lỗi công thức {value} ({label}); hãy sửa công thức hoặc ghi số thay cho công thức",
        "The cell holds a formula error {value} ({label}); fix the formula or type the number",
    ),
    "text-number": (
        "warning",
        "Số được nhập dạng chữ '{value}', đã đọc là {number} ({label})",
        "Number typed as text '{value}', read as {number} ({label})",
    ),
    "missing-element": (
        "error",
        "Thiếu dòng chỉ tiêu {element} ({label}) trong biểu {form}; hãy dùng đúng biểu mẫu",
        "Row {element} ({label}) is missing from form {form}; use the official template",
    ),
    "missing-breakdown": (
        "error",
        "Biểu thiếu phần chia theo {by} của chỉ tiêu {label}; hãy dùng biểu mẫu hiện hành của kế "
        "hoạch",
        "The breakdown by {by} of {label} is missing; use the plan's current template",
    ),
    "incomplete-breakdown": (
        "error",
        "Phần chia nhỏ của chỉ tiêu {label} còn ô trống ({blank}); ô trống không được coi là 0, "
        "nếu không có hãy ghi 0",
        "The breakdown of {label} has blank cells ({blank}); a blank is not 0: write 0 where "
        "there is none",
    ),
    "breakdown-sum": (
        "error",
        "Các ô chia nhỏ ({parts}) cộng lại bằng {sum}, khác số tổng {total} ở ô {total_cell} "
        "({label}); hãy sửa để tổng các phần bằng số tổng",
        "The parts ({parts}) add up to {sum}, not the total {total} in cell {total_cell} "
        "({label}); correct them so the parts add up to the total",
    ),
    "breakdown-not-asked": (
        "warning",
        "Kế hoạch chỉ yêu cầu số tổng của chỉ tiêu {label}; phần chia nhỏ ở dòng này không được "
        "tính",
        "The plan asks only for the total of {label}; the breakdown on this row is not counted",
    ),
    "duplicate-code": (
        "error",
        "Mã {element} xuất hiện hai lần (đã có ở {first}); hãy xóa dòng thừa",
        "Code {element} appears twice (first at {first}); delete the extra row",
    ),
    "unknown-code": (
        "warning",
        "Mã {element} không có trong kế hoạch; dòng này bị bỏ qua",
        "Code {element} is not in the plan; the row is ignored",
    ),
    "wrong-form-for-agency": (
        "error",
        "Đơn vị {agency} không báo cáo biểu {form}; số liệu ở {element} sẽ không được tính",
        "Agency {agency} does not report form {form}; the value of {element} would not count",
    ),
    "unknown-agency": (
        "error",
        "Không nhận ra đơn vị '{value}'; hãy ghi mã đơn vị theo biểu mẫu (ví dụ {example})",
        "Unknown agency '{value}'; write the agency code from the template (e.g. {example})",
    ),
    "inactive-agency": (
        "error",
        "Đơn vị {agency} không còn (hoặc chưa) báo cáo trong kỳ {period}",
        "Agency {agency} is not expected to report in {period}",
    ),
    "bad-period": (
        "error",
        "Kỳ báo cáo '{value}' không hợp lệ; hãy ghi dạng {example} hoặc {example_code}",
        "Reporting period '{value}' is not valid; write it as {example_code} or {example}",
    ),
    "wrong-rhythm": (
        "error",
        "Sai kỳ báo cáo: {detail}",
        "Wrong reporting period: {detail}",
    ),
    "period-out-of-coverage": (
        "error",
        "Kỳ báo cáo {period} nằm ngoài thời gian của kế hoạch ({start} đến {end})",
        "Reporting period {period} is outside the plan ({start} to {end})",
    ),
    "bad-date": (
        "warning",
        "Ngày gửi '{value}' không đọc được; hãy ghi dạng dd/mm/yyyy",
        "Submission date '{value}' cannot be read; write it as dd/mm/yyyy",
    ),
    "implausible-date": (
        "error",
        "Ngày gửi {value} {why}; hãy ghi đúng ngày gửi báo cáo (dd/mm/yyyy)",
        "Date sent {value} is {why}; write the day the report is sent (dd/mm/yyyy)",
    ),
    "name-mismatch": (
        "warning",
        "Tên tệp '{name}' ghi {said} nhưng trang Thông tin chung ghi {says}; số liệu được tính "
        "theo trang Thông tin chung, hãy kiểm tra đây có đúng tệp không",
        "The file name '{name}' says {said} but the cover sheet says {says}; the numbers count "
        "as the cover sheet says: check this is the right file",
    ),
    "period-from-date": (
        "warning",
        "Kỳ báo cáo được ghi là ngày {value}; theo ngày chốt số liệu của kế hoạch, ngày này thuộc "
        "kỳ {period} ({start} – {end}) nên tệp được tính vào kỳ {period}; hãy ghi kỳ dạng {period}",
        "The reporting period is typed as the date {value}; by the plan's cut-off that day lies in "
        "period {period} ({start} – {end}), so the file counts for {period}; type the period as "
        "{period}",
    ),
    "ambiguous-version": (
        "error",
        "Đơn vị có {n} tệp khác nhau cho kỳ {period} mà không biết tệp nào gửi sau cùng ({why}): "
        "{files}; không tệp nào được tính. {todo_vi}",
        "The agency has {n} different files for {period} and which was sent last cannot be told "
        "({why}): {files}; none of them counts. {todo_en}",
    ),
    "kpi-output": (
        "error",
        "Đây là tệp do kpi tạo ({kind}), không phải báo cáo của đơn vị; không tổng hợp",
        "This is a file made by kpi ({kind}), not an agency's report; not counted",
    ),
    "corrected-marked-copy": (
        "warning",
        "Tệp là bản kiểm tra do kpi tạo, đã được sửa: được đọc như báo cáo của đơn vị",
        "The file is a marked copy made by kpi that has since been corrected: read as the "
        "agency's report",
    ),
    "missing-info": (
        "warning",
        "Chưa ghi {label}",
        "{label} is not filled in",
    ),
    "rule": (
        "error",  # overridden by the rule's own severity
        "{message} ({detail})",
        "{message} ({detail})",
    ),
    "province-rule": (
        "warning",
        "{message} ({detail})",
        "{message} ({detail})",
    ),
    "rounded-number": (
        "warning",
        "Ô chứa {value} (sai số làm tròn của công thức, Excel hiển thị {number}), đã đọc là "
        "{number} ({label})",
        "The cell holds {value} (a formula's rounding noise, shown as {number} by Excel), read "
        "as {number} ({label})",
    ),
    "implausible-value": (
        "error",
        "'{value}' lớn hơn mức hợp lý của chỉ tiêu này (tối đa {bound}); số này không được cộng "
        "vào tổng. Hãy kiểm tra lại: có thể nhập nhầm số điện thoại, số lũy kế hoặc thừa chữ "
        "số ({label})",
        "'{value}' is above what this element can plausibly hold (at most {bound}); it is not "
        "added to any total. Check it: a phone number, a cumulative figure or an extra digit "
        "typed by mistake? ({label})",
    ),
    "grid-header": (
        "error",
        "Dòng tiêu đề của bảng chia nhỏ {label} ghi {found}, không khớp với các lựa chọn của "
        "kế hoạch ({expected}); số liệu của bảng không được đọc. Hãy dùng biểu mẫu hiện hành "
        "hoặc ghi lại tiêu đề cột: {expected}",
        "The header row of the breakdown of {label} says {found}, which matches none of the "
        "plan's options ({expected}); the grid is not read. Use the current template or write "
        "the column headers back: {expected}",
    ),
    "grid-header-order": (
        "warning",
        "Bảng chia nhỏ {label} có các cột theo thứ tự {found}, khác thứ tự của kế hoạch "
        "({expected}); số liệu được đọc theo tên cột ở dòng tiêu đề",
        "The breakdown of {label} has its columns in the order {found}, not the plan's "
        "({expected}); the values are read by the column names in the header row",
    ),
    "non-latin-code": (
        "error",
        "Mã ở ô {where} có ký tự không phải chữ Latinh: {chars}; mã trông giống {element} nhưng "
        "tệp không được tính cho đến khi mã được gõ lại bằng chữ Latinh (hoặc dùng biểu mẫu "
        "gốc)",
        "The code in cell {where} holds a non-Latin character: {chars}; it looks like {element}, "
        "but the file does not count until the code is typed again in Latin letters (or the "
        "original template is used)",
    ),
    "unusual-value": (
        "warning",
        "Số liệu khác thường so với {n} báo cáo trước của đơn vị ({label}): thường {range}, "
        "tháng này {value}{why}; hãy kiểm tra lại (thừa số 0, nhầm ô, số điện thoại, số lũy kế), "
        "nếu số liệu đúng thì không cần sửa",
        "Unusual against the unit's {n} earlier reports ({label}): usually {range}, this month "
        "{value}{why}; please check it (an extra zero, a wrong cell, a phone number, a year-to-date "
        "figure); if it is right, nothing needs changing",
    ),
}


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str  # a Severity
    file: str
    sheet: str | None
    cell: str | None
    element: str | None
    message_vi: str
    message_en: str
    cells: tuple[str, ...] = field(default=())
    # The same problem worded for the clerk who fixes it (marked copy, feedback letter): names
    # and cells instead of the plan's codes. Empty when the message already reads so. Not in
    # JSON, whose message stays the analyst's.
    clerk_vi: str = field(default="", compare=False)
    clerk_en: str = field(default="", compare=False)
    # The number the fix's example gives ("'mười' is not a number": 10), when the value typed
    # was a number word; None: a neutral example. Not in JSON.
    example: int | None = field(default=None, compare=False)

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_vi

    def for_clerk(self, lang: str) -> str:
        """The message as the clerk reads it."""
        clerk = self.clerk_en if lang == "en" else self.clerk_vi
        return clerk or self.message(lang)

    def to_dict(self, lang: str, *, with_file: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if with_file:
            data["file"] = self.file
        data.update(code=self.code, severity=self.severity, sheet=self.sheet, cell=self.cell,
                    element=self.element, message=self.message(lang))
        if self.cells:
            data["cells"] = list(self.cells)
        return data


def make_issue(code: str, file: str, *, sheet: str | None = None, cell: str | None = None,
               element: str | None = None, severity: str | None = None,
               cells: tuple[str, ...] = (), vi: dict[str, Any] | None = None,
               en: dict[str, Any] | None = None, clerk_vi: dict[str, Any] | None = None,
               clerk_en: dict[str, Any] | None = None, **params: Any) -> Issue:
    """Build an Issue from the catalogue; ``vi``/``en`` override params per language,
    ``clerk_vi``/``clerk_en`` further for the clerk's wording (names, cells) where the
    message names codes."""
    default_severity, vi_template, en_template = CATALOGUE[code]
    code = Code(code)
    params.setdefault("element", element)
    if code == "missing-value" and element and not element.startswith("META_"):
        params.setdefault("hint_vi", "; nếu không phát sinh, hãy ghi 0")
        params.setdefault("hint_en", "; write 0 if nothing happened")
    params.setdefault("hint_vi", "")
    params.setdefault("hint_en", "")
    return Issue(
        code=code,
        severity=Severity(severity or default_severity),
        file=file,
        sheet=sheet,
        cell=cell,
        element=element,
        message_vi=vi_template.format(**{**params, **(vi or {})}),
        message_en=en_template.format(**{**params, **(en or {})}),
        cells=cells,
        clerk_vi=vi_template.format(**{**params, **(vi or {}), **clerk_vi}) if clerk_vi else "",
        clerk_en=en_template.format(**{**params, **(en or {}), **clerk_en}) if clerk_en else "",
    )
