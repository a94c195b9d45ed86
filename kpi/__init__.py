"""kpi: KPI calculator for provincial programmes monitored through spreadsheet submissions.

Everything the command line does is callable from Python::

    from kpi import load_plan, roll_up, validate_file
    plan = load_plan()
    sub = validate_file("examples/kontum-2025-Q2/CA_TINH_2025-05.xlsx", plan)
    result = roll_up(["examples/quangngai-2026-08"], "2026-08")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

import os as _os  # noqa: E402

# openpyxl writes through lxml when it is installed (python-docx brings it): worksheets then go
# through temporary files, and a formula without a result is written <v></v> rather than
# <v/>. kpi builds every workbook in memory and reads its own output byte for byte: the same
# writer everywhere, unless the caller chose otherwise.
_os.environ.setdefault("OPENPYXL_LXML", "False")

from .errors import KpiError  # noqa: E402
from .plan import Plan, PlanError, check_plan_file, load_plan  # noqa: E402
from .validate import Submission, validate_file  # noqa: E402

if TYPE_CHECKING:
    from .rollup import roll_up

__all__ = ["KpiError", "Plan", "PlanError", "Submission", "__version__", "check_plan_file",
           "load_plan", "roll_up", "validate_file"]


def __getattr__(name: str) -> Any:
    # The roll-up is loaded on first use: a single-file feature (validate, a marked copy, a
    # template) never loads the roll-up and what it brings.
    if name == "roll_up":
        from .rollup import roll_up

        return roll_up
    raise AttributeError(f"module 'kpi' has no attribute {name!r}")
