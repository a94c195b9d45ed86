"""What the sheets of the report share: labels, number formats, file names shown short."""

from __future__ import annotations

import os
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList

from ..aggregate import ACCEPTED, OUT_OF_SPAN, REJECTED, SUPERSEDED, AggregateResult, FileRecord
from ..i18n import t
from ..indicators import MET, NO_DATA, NOT_MET, TRACKED, IndicatorResult
from ..present import inert
from ..xlsx import BODY_SIZE, INT_FORMAT, PCT_FORMAT, page_footer, wrapped_lines

STATUS_FILLS = {MET: "C6EFCE", NOT_MET: "FFC7CE", NO_DATA: "EDEDED", TRACKED: "DDEBF7"}
SUBMISSION_FILLS = {"on_time": "C6EFCE", "late": "FFEB9C", "missing": "FFC7CE",
                    "rejected": "FFC7CE", "superseded": "EDEDED", "out_of_span": "EDEDED",
                    "skipped": "EDEDED"}
SEVERITY_FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
SHEET_KEYS = ("summary", "chart", "breakdowns", "agencies", "trend", "completeness", "problems", "data")
SHEETS = {key: (t(f"sheet_{key}", "vi"), t(f"sheet_{key}", "en")) for key in SHEET_KEYS}


def label(key: str, lang: str, **params: object) -> str:
    return t(f"rp_{key}", lang, **params)


def sheet_title(key: str, lang: str) -> str:
    return t(f"sheet_{key}", lang)


def lines(text: object, width: float, size: float = BODY_SIZE) -> int:
    return wrapped_lines(text, width, size)


def footer(ws: Any, lang: str) -> None:
    page_footer(ws, label("page_footer", lang))


class Files:
    """Shows file paths relative to the folder that holds them all, so names stay short."""

    def __init__(self, result: AggregateResult) -> None:
        paths = [r.file for r in result.files] + [p for p, _ in result.skipped]
        parents = [os.path.dirname(os.path.abspath(p)) for p in paths if p]
        try:
            self.root = os.path.commonpath(parents) if parents else ""
        except ValueError:  # different drives
            self.root = ""

    def __call__(self, path: str | None) -> str:
        if not path:
            return ""
        if self.root:
            full = os.path.abspath(path)
            if full.startswith(self.root.rstrip(os.sep) + os.sep):
                return inert(os.path.relpath(full, self.root))
        return inert(path)


def value_format(ind: IndicatorResult) -> str:
    if ind.unit == "%":
        return PCT_FORMAT
    if ind.value is not None and not float(ind.value).is_integer():
        return "#,##0.0"
    return INT_FORMAT


def count_format(value: float | int | None) -> str:
    if value is None or float(value).is_integer():
        return INT_FORMAT
    return "#,##0.0"


def quoted(text: str) -> str:
    """The plan's text in quotation marks, as an official quotes a document."""
    bare = text.strip().strip('“”"')
    return f"“{bare}”" if bare else ""


def charted(ind: IndicatorResult) -> bool:
    """Target indicators with a value: what the bar chart shows."""
    return ind.status in (MET, NOT_MET) and ind.value is not None and ind.target is not None


def text_categories(chart: BarChart | LineChart, ref: Reference) -> None:
    """Categories are text (codes, months): a string reference, not openpyxl's numeric one."""
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=str(ref)))


def value_labels(number_format: str) -> DataLabelList:
    """Each bar's value written above it, and nothing else (no series, category or legend)."""
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = False
    labels.showPercent = labels.showLeaderLines = False
    labels.numFmt = number_format
    labels.position = "outEnd"
    return labels


def submission_state(record: FileRecord) -> str:
    if record.status == ACCEPTED:
        return "on_time" if record.on_time else "late"
    if record.status == REJECTED:
        return "rejected"
    if record.status == SUPERSEDED:
        return "superseded"
    if record.status == OUT_OF_SPAN:
        return "out_of_span"
    return "rejected"
