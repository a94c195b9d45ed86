"""One sentence per indicator, as an analyst writes the narrative report: the result, against the
target, against the same period last year, and the year to date. Vietnamese by default:

    Tỷ lệ giải quyết tố giác, tin báo, kiến nghị khởi tố đạt 83,3 %, chưa đạt chỉ tiêu (trên
    90 %), giảm 4,1 điểm % so với cùng kỳ năm 2024; lũy kế từ đầu năm đạt 80,0 %.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compare import change
from .i18n import t
from .indicators import IndicatorResult, Status
from .periods import parse_span
from .present import fmt_number, unit_for_value, vi_int

if TYPE_CHECKING:
    from .aggregate import AggregateResult

_TARGET_WORDS = {
    "vi": {">": "trên {t}", ">=": "từ {t} trở lên", "<": "dưới {t}", "<=": "không quá {t}",
           "==": "{t}"},
    "en": {">": "above {t}", ">=": "{t} or more", "<": "below {t}", "<=": "at most {t}",
           "==": "{t}"},
}


def amount(value: float | int | None, unit: str, lang: str) -> str:
    """83,3 % / 152 tin, bài / 1.234 người: a figure as a sentence says it."""
    if value is None:
        return "—"
    if unit == "%":
        return f"{fmt_number(value, lang)}\u00a0%"  # never "83,3" at a line's end and "%" below
    if float(value).is_integer():
        text = vi_int(int(value)) if lang != "en" else f"{int(value):,}"
    else:
        text = fmt_number(value, lang)
    unit = unit_for_value(unit, value, lang)
    return f"{text}\u00a0{unit}" if unit else text


def target_words(ind: IndicatorResult, lang: str) -> str:
    """"trên 90 %", "100 %" (a target of 100 % or more is simply 100 %)."""
    lang = "en" if lang == "en" else "vi"
    assert ind.comparator is not None and ind.target is not None
    shown = amount(ind.target, ind.unit_for(lang), lang)
    if ind.comparator == ">=" and ind.unit == "%" and ind.target >= 100:
        return shown
    return _TARGET_WORDS[lang].get(ind.comparator, "{t}").format(t=shown)


def change_words(ind: IndicatorResult, previous: IndicatorResult | None, year: int, lang: str) -> str:
    """"giảm 4,1 điểm % so với cùng kỳ năm 2024"; empty without a figure to compare."""
    diff = change(ind, previous)
    if diff is None:
        return ""
    if diff == 0:
        return t("nr_same", lang, year=year)
    unit = t("nr_points", lang) if ind.unit == "%" else ind.unit_for(lang)
    size = amount(abs(diff), "", lang) + (f"\u00a0{unit}" if unit else "")
    return t("nr_up" if diff > 0 else "nr_down", lang, size=size, year=year)


def sentence(result: AggregateResult, ind: IndicatorResult, lang: str) -> str:
    """The indicator in one sentence, in ``lang``."""
    name = ind.name(lang)
    unit = ind.unit_for(lang)
    if ind.status == Status.NO_DATA and ind.no_data_reason == "no-reports":
        return t("nr_no_reports", lang, name=name, received=ind.received or 0,
                 expected=ind.expected or 0) + "."
    if ind.status == Status.NO_DATA:
        return t("nr_no_case", lang, name=name)
    parts = []
    last = result.last_year
    previous = last.indicator(ind.code) if last.available else None
    year = last.span.year if last.span is not None else result.span.year - 1
    ytd = result.year_to_date
    so_far = ytd.indicator(ind.code) if ytd.available and ytd.result is not result else None
    start = f"{ytd.span.first[5:]}/{ytd.span.first[:4]}" if ytd.span else ""
    over = t("nr_over_100", lang) if ind.unit == "%" and (ind.value or 0) > 100 else ""
    if ind.status in (Status.MET, Status.NOT_MET):
        target = target_words(ind, lang) + (t("nr_provisional", lang) if ind.provisional else "")
        verdict = t("nr_met" if ind.status == Status.MET else "nr_not_met", lang, target=target)
        if ind.judged_value is not None and so_far is not None:
            # Judged on the year (the plan says so): the period's rate is information.
            verdict = t("nr_met_year" if ind.status == Status.MET else "nr_not_met_year", lang,
                        target=target)
            parts.append(t("nr_judged_year", lang, name=name, value=amount(ind.value, unit, lang),
                           over=over, start=start, ytd=amount(ind.judged_value, unit, lang),
                           basis=reports_basis(so_far, lang), verdict=verdict))
            so_far = None  # said already
        else:
            parts.append(t("nr_reached", lang, name=name, value=amount(ind.value, unit, lang) + over,
                           verdict=verdict))
    else:
        parts.append(t("nr_tracked", lang, name=name, value=amount(ind.value, unit, lang))
                     + (t("nr_stock", lang) if ind.stock else ""))
    versus = change_words(ind, previous, year, lang)
    if versus:
        parts.append(versus + (reports_basis(previous, lang) if previous is not None else ""))
    elif last.span is not None:
        parts.append(t("nr_no_last_year", lang, year=year))
    text = ", ".join(parts)
    # A stock has no "lũy kế": its year to date is its value at the end, said once above.
    if so_far is not None and so_far.value is not None and not ind.stock:
        text += t("nr_ytd", lang, value=amount(so_far.value, unit, lang), start=start)
        text += reports_basis(so_far, lang)
    if result.partial and ind.status in (Status.MET, Status.NOT_MET):
        text += t("nr_partial", lang, n=len(result.months_with_data), total=len(result.span.months))
    elif result.is_open and ind.status in (Status.MET, Status.NOT_MET):
        text += t("nr_open", lang)
    return text + "."


def judged_words(ind: IndicatorResult, lang: str) -> str:
    """"(theo lũy kế từ 01/2025: 95,0 %)" after the status of an indicator judged on the year;
    empty for one judged on its period."""
    if ind.judged_value is None or ind.judged_span is None:
        return ""
    first = parse_span(ind.judged_span).first
    return t("status_judged_year", lang, start=f"{first[5:]}/{first[:4]}",
             value=amount(ind.judged_value, ind.unit_for(lang), lang))


def reports_basis(other: IndicatorResult, lang: str) -> str:
    """" (tính trên 105/218 báo cáo)" when a comparison's figure rests on fewer reports than
    expected (a year to date whose earlier months were not all sent); empty when complete."""
    if other.expected is None or other.received is None or other.received >= other.expected:
        return ""
    return t("nr_reports_basis", lang, received=other.received, expected=other.expected)


def completeness_sentence(result: AggregateResult, lang: str) -> str:
    done = result.completeness
    return t("nr_completeness", lang, received=done.received, expected=done.expected,
             on_time=done.on_time, late=done.late, missing=len(done.missing))
