"""kpi: KPI calculator for provincial programmes monitored through spreadsheet submissions.

Everything the command line does is callable from Python::

    from kpi import load_plan, roll_up, validate_file
    plan = load_plan()
    sub = validate_file("CA_TINH_2025-10.xlsx", plan)
    result = roll_up(["examples/2025-Q3"], "2025-Q3", plan)
"""

__version__ = "0.1.0"

from .errors import KpiError  # noqa: E402
from .plan import Plan, PlanError, check_plan_file, load_plan  # noqa: E402
from .rollup import roll_up  # noqa: E402  (pandas is imported only when a roll-up runs)
from .validate import Submission, validate_file  # noqa: E402

__all__ = ["KpiError", "Plan", "PlanError", "Submission", "__version__", "check_plan_file",
           "load_plan", "roll_up", "validate_file"]
