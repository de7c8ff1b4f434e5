"""A small, safe evaluator for policy conditions such as `budget > 50000 and industry == "x"`.

Conditions come from configuration that admins edit, so they are parsed with `ast` and walked by
hand over a short allow-list of node types; anything else (attribute access, calls, subscripts,
lambdas, comprehensions, f-strings, dunder names, ...) is refused with a `RuleError` before any
evaluation. Nothing here ever calls `eval`.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

MAX_RULE_LENGTH = 500

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda left, right: left in right,
    ast.NotIn: lambda left, right: left not in right,
}


class RuleError(ValueError):
    """A condition that is not allowed or cannot be evaluated."""


class Rule:
    """A parsed and checked condition, ready to evaluate against many mappings."""

    def __init__(self, source: str):
        if not isinstance(source, str) or not source.strip():
            raise RuleError("a rule must be a non-empty string")
        if len(source) > MAX_RULE_LENGTH:
            raise RuleError(f"a rule may be at most {MAX_RULE_LENGTH} characters")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise RuleError(f"not a valid condition: {exc.msg}") from exc
        self.source = source.strip()
        self._body = tree.body
        _check(self._body)
        self.names = frozenset(
            node.id for node in ast.walk(self._body) if isinstance(node, ast.Name)
        )

    def evaluate(self, names: Mapping[str, Any]) -> bool:
        """True when the condition holds for these names (unknown names are an error)."""
        missing = sorted(self.names - set(names))
        if missing:
            raise RuleError(f"unknown name(s) {missing} in rule {self.source!r}")
        return bool(_value(self._body, names))

    def __repr__(self) -> str:
        return f"Rule({self.source!r})"


def evaluate(source: str, names: Mapping[str, Any]) -> bool:
    """Parse, check and evaluate one condition."""
    return Rule(source).evaluate(names)


def _check(node: ast.AST) -> None:
    """Refuse every construct outside the small language, naming what was found."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.Not, ast.USub)):
            raise RuleError(f"operator {type(node.op).__name__} is not allowed")
        _check(node.operand)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise RuleError(f"comparison {type(op).__name__} is not allowed")
        for op, right in zip(node.ops, node.comparators, strict=True):
            membership = isinstance(op, (ast.In, ast.NotIn))
            if membership and not isinstance(right, (ast.List, ast.Tuple)):
                raise RuleError("'in' needs a list or tuple literal on its right")
            _check(right)
        _check(node.left)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise RuleError("lists in rules may hold only numbers and strings")
            _check(element)
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise RuleError(f"name {node.id!r} is not allowed (names may not start with '_')")
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or node.value is None:
            return
        if not isinstance(node.value, (int, float, str)):
            raise RuleError(f"constant {node.value!r} is not allowed")
    else:
        raise RuleError(f"{_describe(node)} is not allowed in a rule")


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access",
        ast.Call: "a function call",
        ast.Subscript: "subscripting",
        ast.Lambda: "a lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a generator expression",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "an assignment expression",
        ast.IfExp: "a conditional expression",
        ast.BinOp: "arithmetic",
        ast.Dict: "a dict literal",
        ast.Set: "a set literal",
        ast.Starred: "unpacking",
    }
    return kinds.get(type(node), type(node).__name__)


def _value(node: ast.AST, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            result: Any = True
            for value in node.values:
                result = _value(value, names)
                if not result:
                    return result
            return result
        result = False
        for value in node.values:
            result = _value(value, names)
            if result:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, names)
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(operand, bool) or not isinstance(operand, (int, float, Decimal)):
            raise RuleError("unary minus needs a number")
        return -operand
    if isinstance(node, ast.Compare):
        left = _value(node.left, names)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _value(comparator, names)
            try:
                holds = _COMPARE[type(op)](_comparable(left), _comparable(right))
            except TypeError as exc:
                raise RuleError(f"cannot compare {left!r} with {right!r}") from exc
            if not holds:
                return False
            left = right
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(_value(element, names) for element in node.elts)
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.Constant):
        return node.value
    raise RuleError(f"{_describe(node)} is not allowed in a rule")


def _comparable(value: Any) -> Any:
    """Compare money and plain numbers alike (Decimal and float do not mix in Python)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, tuple):
        return tuple(_comparable(item) for item in value)
    return value
