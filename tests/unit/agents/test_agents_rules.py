"""The safe rule evaluator: what it accepts, what it refuses, and that it never evaluates code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agents.rules import Rule, RuleError, evaluate

NAMES = {"budget": Decimal("60000"), "industry": "healthcare", "timeline_days": 90,
         "objectives": 3, "country": "us"}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('budget > 50000 and industry == "healthcare"', True),
        ('budget > 50000 and industry == "retail"', False),
        ("budget >= 60000", True),
        ("10000 < budget <= 60000", True),
        ("10000 < budget < 60000", False),
        ('industry in ["healthcare", "finance"]', True),
        ('industry not in ("healthcare", "finance")', False),
        ('not industry == "retail"', True),
        ('timeline_days < 30 or country == "us"', True),
        ("budget > 59999.99", True),
        ("objectives == 3 and not (timeline_days > 100)", True),
        ("budget > -1", True),
        ("True", True),
    ],
)
def test_accepts_the_small_language(rule: str, expected: bool) -> None:
    assert evaluate(rule, NAMES) is expected


@pytest.mark.parametrize(
    ("rule", "what"),
    [
        ("budget.real > 1", "attribute access"),
        ("industry.upper() == 'X'", "a function call"),
        ("len(industry) > 3", "a function call"),
        ("__import__('os').system('true')", "a function call"),
        ("industry[0] == 'h'", "subscripting"),
        ("(lambda: 1)()", "a function call"),
        ("(lambda: 1) == 1", "a lambda"),
        ("[x for x in [1, 2]] == [1, 2]", "a comprehension"),
        ("any(x for x in [1])", "a function call"),
        ("__builtins__ == 1", "not allowed"),
        ("_secret == 1", "not allowed"),
        ("f'{budget}' == '1'", "an f-string"),
        ("().__class__.__bases__[0].__subclasses__()", "a function call"),
        ("().__class__.__bases__[0]", "subscripting"),
        ("().__class__", "attribute access"),
        ("budget + 1 > 2", "arithmetic"),
        ("(budget := 1) == 1", "an assignment expression"),
        ("industry in industry", "list or tuple literal"),
        ("industry in [budget]", "only numbers and strings"),
        ("{'a': 1} == 1", "a dict literal"),
        ("1 if budget else 2", "a conditional expression"),
        ("budget is None", "Is"),
        ("budget >", "not a valid condition"),
        ("import os", "not a valid condition"),
        ("", "non-empty"),
        ("x" * 600, "at most"),
    ],
)
def test_refuses_everything_else_before_evaluating(rule: str, what: str) -> None:
    with pytest.raises(RuleError) as caught:
        Rule(rule)
    assert what in str(caught.value)


def test_unknown_names_and_bad_comparisons_are_rule_errors() -> None:
    with pytest.raises(RuleError, match="unknown name"):
        evaluate("revenue > 1", NAMES)
    with pytest.raises(RuleError, match="cannot compare"):
        evaluate('budget > "a lot"', NAMES)


def test_a_parsed_rule_is_reusable_and_lists_its_names() -> None:
    rule = Rule("budget > 100 and industry == 'x'")
    assert rule.names == {"budget", "industry"}
    assert rule.evaluate({"budget": 200, "industry": "x"})
    assert not rule.evaluate({"budget": 50, "industry": "x"})
