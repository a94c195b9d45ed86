"""Run kpi from another copy of its sources, to measure a "before" with the same harness.

    python benchmarks/kpi_at.py SOURCE_DIR [kpi arguments...]

SOURCE_DIR holds a ``kpi/`` package (e.g. ``git archive COMMIT kpi | tar -x -C SOURCE_DIR``);
it is imported instead of the installed (editable) kpi. ``run.py --kpi-source SOURCE_DIR`` uses it.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    source = sys.argv.pop(1)
    # An editable install puts its own finder on sys.meta_path, ahead of sys.path: drop it.
    sys.meta_path[:] = [f for f in sys.meta_path
                        if "__editable__" not in getattr(f, "__module__", "")]
    sys.path.insert(0, source)
    sys.argv[0] = "kpi"
    from kpi.cli import run

    if not run.__code__.co_filename.startswith(source.rstrip("/") + "/"):
        sys.exit(f"kpi_at.py: kpi imported from {run.__code__.co_filename}, not {source}")
    sys.exit(run())
