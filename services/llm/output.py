"""Turning a model's raw answer into a validated pydantic object, or a short reason why not.

The reason is what the one repair attempt sends back to the model, so it is concise and never
echoes the input values.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ValidationError

MAX_PROBLEM_CHARS = 1000
_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n(?P<body>.*)\n```\s*$", re.DOTALL)


class AnswerProblem(ValueError):
    """The answer is not JSON, or does not match the output schema."""


def _strip_fence(text: str) -> str:
    # Some OpenAI-compatible local models wrap JSON in a Markdown fence despite the schema.
    match = _FENCE.match(text)
    return match.group("body") if match else text


def _summarise(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        where = ".".join(str(part) for part in item["loc"]) or "(root)"
        parts.append(f"{where}: {item['msg']}")
    return "does not match the schema: " + "; ".join(parts)


def _embedded_object(body: str) -> object | None:
    """The first JSON object inside prose ("Here is the plan: {...} Hope it helps"), if any.

    Servers without any response format (the `prompt` structured-output mode) often answer so.
    """
    decoder = json.JSONDecoder(strict=False)
    start = body.find("{")
    while start >= 0:
        try:
            value, _ = decoder.raw_decode(body, start)
        except json.JSONDecodeError:
            start = body.find("{", start + 1)
            continue
        return value
    return None


def parse_answer(text: str, schema: type[BaseModel]) -> BaseModel:
    """Validate `text` against `schema`; raise `AnswerProblem` with a repair hint otherwise."""
    body = _strip_fence(text.strip())
    if not body:
        raise AnswerProblem("the answer was empty")
    try:
        # strict=False: a raw tab or newline inside a string (small models under a grammar write
        # them) is still the text the model meant, not a reason to fail the answer.
        value = json.loads(body, strict=False)
    except json.JSONDecodeError as exc:
        # Only prose around an object is searched: a broken object must not yield its first part.
        value = None if body.startswith(("{", "[")) else _embedded_object(body)
        if value is None:
            raise AnswerProblem(
                f"it is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        raise AnswerProblem(_summarise(exc)[:MAX_PROBLEM_CHARS]) from None
