"""The code itself: types checked (mypy) and lint clean (ruff), as CI runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_types_are_consistent():
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
                    reason="ruff is not installed (pip install -e '.[test]')")
def test_lint_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    done = subprocess.run([ruff, "check", "kpi", "tests", "benchmarks", "examples"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def _kpi_imports(module: str) -> set[str]:
    """Every kpi module ``module`` imports, directly or through others (read from the source,
    so the package's own __init__ does not blur the picture)."""
    import ast

    seen: set[str] = set()
    pending = [module]
    while pending:
        name = pending.pop()
        path = ROOT / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / name.replace(".", "/") / "__init__.py"
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                if node.module:
                    found.append(".".join(base + [node.module]))
                else:  # from . import expr
                    found += [".".join(base + [alias.name]) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kpi"):
                found.append(node.module or "")
            for target in found:
                if target not in seen and ((ROOT / (target.replace(".", "/") + ".py")).exists()
                                           or (ROOT / target.replace(".", "/")).is_dir()):
                    seen.add(target)
                    pending.append(target)
    return seen


@pytest.mark.parametrize(("module", "never"), [
    ("kpi.annotate", ("kpi.aggregate", "kpi.report", "kpi.rollup", "kpi.collect")),
    ("kpi.templates", ("kpi.validate", "kpi.aggregate", "kpi.report", "kpi.annotate")),
    ("kpi.validate", ("kpi.aggregate", "kpi.report", "kpi.annotate", "kpi.templates")),
    ("kpi.read", ("kpi.validate", "kpi.plan", "kpi.aggregate")),
    ("kpi.present", ("kpi.plan", "kpi.validate", "kpi.aggregate")),
])
def test_dependencies_point_down(module, never):
    """A single-file feature does not load the roll-up; the reader knows nothing of plans;
    what a reader sees is worded without knowing where the figures come from."""
    assert sorted(_kpi_imports(module) & set(never)) == []


def test_importing_a_single_file_feature_leaves_pandas_alone():
    code = ("import sys, kpi.annotate, kpi.templates, kpi.validate; "
            "print(sorted(m for m in ('pandas', 'kpi.aggregate', 'kpi.rollup') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
