"""Named errors of the library: each knows its message in Vietnamese and English, so the command
line shows the cause whatever it is (never a generic "cannot tell the period")."""

from __future__ import annotations


class KpiError(Exception):
    """A request kpi cannot carry out as asked (wrong usage, not a problem in a submission)."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class PathNotFound(KpiError):
    """A file or folder given to the roll-up does not exist."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__("\n".join(f"Không tìm thấy: {p}" for p in paths),
                         "\n".join(f"Not found: {p}" for p in paths))


class NoPeriod(KpiError, ValueError):
    """No period was asked and no submission says one."""

    def __init__(self) -> None:
        super().__init__(
            "Không có báo cáo nào ghi kỳ báo cáo đọc được, nên không biết tổng hợp kỳ nào: hãy "
            "dùng --period (ví dụ --period 2025-08)",
            "No submission states a readable period, so there is no period to roll up: use "
            "--period (e.g. --period 2025-08)")


class NoPeriodBegun(NoPeriod):
    """No period was asked and every period the submissions state is still to come."""

    def __init__(self, months: list[str], today: object) -> None:
        from .i18n import t
        from .present import month_label

        listed = ", ".join(month_label(m) for m in months)
        shown = today.strftime("%d/%m/%Y") if hasattr(today, "strftime") else str(today)
        KpiError.__init__(self, t("no_period_begun", "vi", months=listed, today=shown),
                          t("no_period_begun", "en", months=listed, today=shown))


class PeriodOutsidePlan(KpiError, ValueError):
    """The period asked for lies (partly) outside the plan's coverage."""

    def __init__(self, period: str, start: str, end: str, plan: str, plan_en: str | None = None) -> None:
        """``plan``: the plan as a sentence names it ("kế hoạch thực hiện Quyết định 33/QĐ-TTg",
        Plan.as_plan); a bare reference ("1583/KH-UBND") is prefixed with "kế hoạch"."""
        self.period, self.start, self.end = period, start, end
        if plan_en is None:
            plan, plan_en = f"kế hoạch {plan}", f"plan {plan}"

        def month(code: str) -> str:
            year, _, mm = code.partition("-")
            return f"{mm}/{year}"

        super().__init__(
            f"Kỳ {period} nằm ngoài thời gian của {plan} ({month(start)} – {month(end)}); "
            "hãy chọn kỳ trong thời gian đó",
            f"Period {period} lies outside {plan_en} ({month(start)} – {month(end)}); choose a "
            "period within it")


class NoSpreadsheet(KpiError):
    """The paths given hold no spreadsheet at all (an empty folder, a wrong folder): there is
    nothing to roll up, whatever the period."""

    SHOWN = 10  # entries named with why they were passed over

    def __init__(self, paths: list[str], skipped: list[tuple[str, str]]) -> None:
        from .i18n import skip_reason, t

        self.paths, self.skipped = paths, skipped
        where = ", ".join(paths)

        def text(lang: str) -> str:
            lines = [t("no_spreadsheet", lang, paths=where)]
            if skipped:
                lines.append(t("no_spreadsheet_skipped", lang))
                lines += [f"  {path} ({skip_reason(reason, lang)})"
                          for path, reason in skipped[:self.SHOWN]]
                if len(skipped) > self.SHOWN:
                    lines.append(f"  … +{len(skipped) - self.SHOWN}")
            return "\n".join(lines)

        super().__init__(text("vi"), text("en"))
