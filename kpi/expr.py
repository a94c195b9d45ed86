"""Safe arithmetic and comparison expressions over element codes.

Plan files hold expressions such as ``TG_DA_GIAI_QUYET <= TG_TON_DAU_KY + TG_TIEP_NHAN``.
They are parsed with :mod:`ast` and only a whitelist of node types is accepted, so a plan file
can never run code. A parsed expression is a small tree evaluated by :func:`evaluate`.
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Number = int | float

_ARITH: dict[type, Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_COMPARE: dict[type, str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}
COMPARATORS: dict[str, Callable[[Number, Number], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
MAX_LENGTH = 2000
MAX_DEPTH = 100  # nesting levels; a plan's expressions have a few, and evaluation recurses


class ExprError(ValueError):
    """An expression that is not allowed or not well formed."""


@dataclass(frozen=True)
class Expr:
    """A parsed expression: its source text, tree and the element codes it names."""

    source: str
    tree: ast.expr
    names: tuple[str, ...]

    @property
    def is_comparison(self) -> bool:
        return isinstance(self.tree, ast.Compare)

    def sides(self) -> tuple[Expr, str, Expr]:
        """Split ``left OP right`` into its parts (comparison expressions only)."""
        if not isinstance(self.tree, ast.Compare):
            raise ExprError(f"not a comparison: {self.source}")
        left, op, right = self.tree.left, self.tree.ops[0], self.tree.comparators[0]
        return _wrap(self.source, left), _COMPARE[type(op)], _wrap(self.source, right)


def _wrap(source: str, node: ast.expr) -> Expr:
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    return Expr(text, node, tuple(_names(node)))


def selector_key(element: str, options: list[str] | tuple[str, ...]) -> str:
    """``NN_XAC_DINH[NU+U16]``: an element restricted to options of its breakdowns (options in
    alphabetical order, so the same selection always has the same key)."""
    return f"{element}[{'+'.join(sorted(options))}]"


def split_key(key: str) -> tuple[str, tuple[str, ...]]:
    """``NN_XAC_DINH[NU+U16]`` -> ("NN_XAC_DINH", ("NU", "U16")); a plain code -> (code, ())."""
    if key.endswith("]") and "[" in key:
        element, _, rest = key[:-1].partition("[")
        return element, tuple(rest.split("+"))
    return key, ()


def _selector(node: ast.Subscript) -> str:
    """The key of ``NN_XAC_DINH[U16]`` or ``NN_XAC_DINH[NU, U16]``."""
    if not isinstance(node.value, ast.Name):
        raise ExprError("only an element code can be followed by [options]")
    parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if not parts or not all(isinstance(p, ast.Name) for p in parts):
        raise ExprError("[...] after an element names option codes, e.g. NN_XAC_DINH[NU, U16]")
    return selector_key(node.value.id, [p.id for p in parts if isinstance(p, ast.Name)])


def _names(node: ast.AST) -> list[str]:
    seen: dict[str, None] = {}
    inside: set[int] = set()  # the Name nodes that are part of a selector
    for sub in ast.walk(node):
        if isinstance(sub, ast.Subscript):
            seen[_selector(sub)] = None
            inside.update(id(n) for n in ast.walk(sub) if isinstance(n, ast.Name))
        elif isinstance(sub, ast.Name) and id(sub) not in inside:
            seen[sub.id] = None
    return list(seen)


def _check(node: ast.AST, *, top: bool, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep")
    depth += 1
    if isinstance(node, ast.Compare):
        if not top:
            raise ExprError("a comparison may only stand at the top of an expression")
        if len(node.ops) != 1:
            raise ExprError("only one comparison is allowed (a <= b, not a <= b <= c)")
        if type(node.ops[0]) not in _COMPARE:
            raise ExprError(f"comparison not allowed: {type(node.ops[0]).__name__}")
        _check(node.left, top=False, depth=depth)
        _check(node.comparators[0], top=False, depth=depth)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITH:
            raise ExprError(f"operator not allowed: {type(node.op).__name__}")
        _check(node.left, top=False, depth=depth)
        _check(node.right, top=False, depth=depth)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ExprError(f"operator not allowed: {type(node.op).__name__}")
        _check(node.operand, top=False, depth=depth)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExprError(f"only numbers are allowed as constants, not {node.value!r}")
        if isinstance(node.value, float) and not math.isfinite(node.value):  # 1e999: infinity
            raise ExprError("a number too large to compute with (it reads as infinite)")
    elif isinstance(node, ast.Name):
        pass
    elif isinstance(node, ast.Subscript):
        _selector(node)  # raises when it is not ELEMENT[OPTION, ...]
    else:
        raise ExprError(f"not allowed in an expression: {type(node).__name__}")


def parse(source: str) -> Expr:
    """Parse ``source`` into an :class:`Expr`, or raise :class:`ExprError`."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("empty expression")
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    text = source.strip()
    try:
        # Python only warns about "1A" or "1if x" (SyntaxWarning, printed on stderr): an error here.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError, Warning) as exc:
        raise ExprError(f"syntax error in {text!r}") from exc
    try:
        _check(tree, top=True)
    except RecursionError as exc:
        raise ExprError("expression nested too deeply") from exc
    return Expr(text, tree, tuple(_names(tree)))


def evaluate(expr: Expr, values: Mapping[str, Number]) -> Number | bool | None:
    """Evaluate with element values; ``None`` when a value is missing, for a division by zero,
    and for a result too large for a float (a 400-digit constant divided by 3)."""
    try:
        return _eval(expr.tree, values)
    except (_Missing, ZeroDivisionError, OverflowError):
        return None


class _Missing(Exception):
    pass


def _eval(node: ast.expr, values: Mapping[str, Number]) -> Number | bool:
    if isinstance(node, ast.Constant):
        return node.value  # type: ignore[return-value]  # a number: _check allows no other
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        if value is None:
            raise _Missing(node.id)
        return value
    if isinstance(node, ast.Subscript):
        key = _selector(node)
        value = values.get(key)
        if value is None:
            raise _Missing(key)
        return value
    if isinstance(node, ast.BinOp):
        return _ARITH[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Compare):
        op = _COMPARE[type(node.ops[0])]
        return COMPARATORS[op](_eval(node.left, values), _eval(node.comparators[0], values))
    raise ExprError(f"not allowed: {type(node).__name__}")  # unreachable after parse()
