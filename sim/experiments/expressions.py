"""Expressions a researcher writes over a table's columns: custom outcome measures, the condition of scenario
discovery, and ad-hoc outcomes of a report.

The language is Python's arithmetic and comparisons over column names, where a name may be dotted as settings and
policies are (``water.inflow < 0.9 and expand.total_welfare_sum <= slice.total_welfare_sum``), with a few functions
(``abs``, ``sqrt``, ``log``, ``exp``, ``min``, ``max``, ``where``). It is read by Python's own parser and evaluated
on numpy arrays by walking the tree: nothing is executed, no attribute of any object is reached, so an expression in
a sweep file is as safe to read as the rest of the file.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterable, Mapping

import numpy as np

from sim.errors import InputError
from sim.suggest import did_you_mean

FUNCTIONS = {
    "abs": np.abs,
    "sqrt": np.sqrt,
    "log": np.log,
    "exp": np.exp,
    "min": np.minimum,
    "max": np.maximum,
    "where": np.where,
}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow, ast.Mod: operator.mod, ast.FloorDiv: operator.floordiv}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}
MAX_LENGTH = 2000


def _dotted(node: ast.AST) -> str | None:
    """``water.inflow`` (an attribute chain of plain names) as one column name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


class Expression:
    """A checked expression: ``names`` it reads; :meth:`evaluate` over a mapping of name -> array (or a DataFrame).

    ``field`` names where it was written (``outcomes.gain``, ``--where``) in every error."""

    def __init__(self, text: str, field: str = "expression") -> None:
        self.text = text.strip() if isinstance(text, str) else text
        self.field = field
        if not isinstance(text, str) or not self.text:
            raise InputError(field, f"{text!r} is not an expression", "e.g. total_welfare_sum / 40")
        if len(self.text) > MAX_LENGTH:
            raise InputError(field, f"is {len(self.text)} characters long", f"at most {MAX_LENGTH}")
        try:
            self.tree = ast.parse(self.text.replace("\n", " "), mode="eval")
        except SyntaxError as error:
            raise InputError(field, f"{self.text!r} is not an expression ({error.msg})",
                             "arithmetic and comparisons of measures and settings, e.g. water.inflow < 0.9") from None
        self.names: list[str] = []
        self._check(self.tree.body)

    def _check(self, node: ast.AST) -> None:
        name = _dotted(node)
        if name is not None:
            if name not in self.names:
                self.names.append(name)
            return
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or isinstance(node.value, (int, float)):
                return
            raise InputError(self.field, f"{node.value!r} in {self.text!r} is not a number", "numbers, true or false")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            self._check(node.operand)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self._check(value)
        elif isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            self._check(node.left)
            for comparator in node.comparators:
                self._check(comparator)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS \
                and not node.keywords:
            for argument in node.args:
                self._check(argument)
        else:
            part = ast.get_source_segment(self.text, node) or type(node).__name__
            raise InputError(self.field, f"{part!r} cannot be used in an expression",
                             "names of measures and settings, numbers, + - * / ** %, comparisons, and, or, not, "
                             f"and the functions {', '.join(FUNCTIONS)}")

    def check_names(self, known: Iterable[str], what: str = "a column of this table") -> None:
        """Every name the expression reads must be ``known``; an unknown one is named with the nearest known."""
        known = list(known)
        missing = [n for n in self.names if n not in known]
        if missing:
            hints = "; ".join(f"{n!r}{did_you_mean(n, known)}" for n in missing)
            raise InputError(self.field, f"{hints} in {self.text!r}: not {what}",
                             f"{', '.join(known[:40])}{', ...' if len(known) > 40 else ''}")

    def evaluate(self, columns: Mapping[str, object]) -> np.ndarray:
        """The expression's value for every row (an array; a comparison gives true/false)."""
        self.check_names(list(columns.keys()) if hasattr(columns, "keys") else list(columns))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(self._eval(self.tree.body, columns))

    def _eval(self, node: ast.AST, columns: Mapping[str, object]):
        name = _dotted(node)
        if name is not None:
            value = columns[name]
            return np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._as_number(node.left, columns), self._as_number(node.right, columns))
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand, columns)
            if isinstance(node.op, ast.Not):
                return np.logical_not(operand)
            return -np.asarray(operand, dtype=float) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BoolOp):
            values = [np.asarray(self._eval(v, columns), dtype=bool) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            out = values[0]
            for value in values[1:]:
                out = combine(out, value)
            return out
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, columns)
            out = None
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self._eval(comparator, columns)
                result = _COMPARE[type(op)](left, right)
                out = result if out is None else np.logical_and(out, result)
                left = right
            return out
        assert isinstance(node, ast.Call)  # _check admitted nothing else
        return FUNCTIONS[node.func.id](*(self._eval(a, columns) for a in node.args))

    def _as_number(self, node: ast.AST, columns):
        value = self._eval(node, columns)
        array = np.asarray(value)
        return array.astype(float) if array.dtype == bool else value

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"
