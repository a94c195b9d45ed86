"""kpi: KPI calculator for provincial programmes monitored through spreadsheet submissions.

Everything the command line does is callable from Python::

    from kpi import load_plan, validate_file
    plan = load_plan()
    sub = validate_file("CA_TINH_2025-10.xlsx", plan)
"""

__version__ = "0.1.0"

from .plan import Plan, PlanError, check_plan_file, load_plan  # noqa: E402
from .validate import Submission, validate_file  # noqa: E402

__all__ = ["Plan", "PlanError", "Submission", "__version__", "check_plan_file", "load_plan",
           "validate_file"]
