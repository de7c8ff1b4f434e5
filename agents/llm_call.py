"""One structured LLM call from a node, with the engine's rules around it.

Cancellation is checked before every call; an exhausted AI budget pauses the run with
`interrupt()` and the call is retried after resume; a failed call emits `agent.failed` and is
re-raised so the run fails visibly.
"""

from __future__ import annotations

import logging
from typing import Any

from langgraph.types import interrupt

from agents.context import RunContext
from agents.events import agent_event
from agents.outputs import OUTPUT_SCHEMAS
from agents.ports import AIBudgetExhausted, LLMError, LLMRequest, LLMResponse
from agents.prompts import load_prompt

log = logging.getLogger(__name__)


def request_for(
    ctx: RunContext, *, agent: str, prompt: str, data: dict[str, Any], max_tokens: int = 1200, attempt: int = 1
) -> LLMRequest:
    """The request `ask` sends (the quote's forecast prices the same requests before they are made)."""
    template = load_prompt(prompt)
    return LLMRequest(
        run_id=ctx.run_id,
        call_id=f"{ctx.run_id}:{agent}:{template.name}.{template.version}"
        + (f":{attempt}" if attempt > 1 else ""),
        agent=agent,
        prompt=template.name,
        prompt_version=template.version,
        system=template.text,
        data=data,
        output_schema=OUTPUT_SCHEMAS[template.name],
        max_tokens=max_tokens,
    )


def ask(
    ctx: RunContext,
    *,
    agent: str,
    prompt: str,
    phase: str,
    data: dict[str, Any],
    max_tokens: int = 1200,
    attempt: int = 1,
) -> LLMResponse:
    """Call the LLM with template `prompt` and JSON `data`; return the validated response."""
    request = request_for(ctx, agent=agent, prompt=prompt, data=data, max_tokens=max_tokens, attempt=attempt)
    schema = request.output_schema
    while True:
        ctx.check_cancelled()
        try:
            response = ctx.llm.generate(request)
        except AIBudgetExhausted as exc:
            log.info("run %s: AI budget exhausted (%s) before %s call", ctx.run_id, exc.scope, agent)
            interrupt(
                {
                    "reason": "ai_budget_exhausted",
                    "scope": exc.scope,
                    "used": str(exc.used),
                    "cap": str(exc.cap),
                    "agent": agent,
                }
            )
            continue
        except LLMError as exc:
            agent_event(
                "failed", agent, phase, {"error": {"code": exc.code, "message": str(exc)}}
            )
            raise
        if not isinstance(response.output, schema):
            response.output = schema.model_validate(response.output.model_dump())
        return response
