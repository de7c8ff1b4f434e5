"""An upper bound on what one `generate` call can cost, for the AI-spend reservation.

The ledger reserves this before the call and settles the real cost after, so the bound must not be
beaten: it assumes a dense tokenizer (3 UTF-8 bytes per token; byte-level BPE averages about 4 on
English and JSON), counts the schema the provider also bills as input, and includes the one repair
attempt (which resends the prompt plus the first answer).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

from agents.ports import LLMRequest
from services.llm.messages import data_message, repair_message, system_message
from services.llm.output import MAX_PROBLEM_CHARS
from services.llm.registry import ModelInfo

BYTES_PER_TOKEN = 3
# Chat framing, role markers and the provider's own tool/format preamble (Anthropic documents a
# few hundred tokens for forced tool use).
PER_CALL_OVERHEAD_TOKENS = 400


def estimate_tokens(text: str) -> int:
    """Generous token count for `text`."""
    return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)


def prompt_tokens(request: LLMRequest) -> int:
    """Estimated input tokens of the first attempt."""
    schema = json.dumps(request.output_schema.model_json_schema(), separators=(",", ":"))
    text = system_message(request.system) + data_message(request.data) + schema
    return estimate_tokens(text) + PER_CALL_OVERHEAD_TOKENS


def max_cost(request: LLMRequest, model: ModelInfo) -> Decimal:
    """Cost if both the attempt and the repair use every allowed output token."""
    first_input = prompt_tokens(request)
    repair_text = repair_message("x" * MAX_PROBLEM_CHARS)
    repair_input = first_input + request.max_tokens + estimate_tokens(repair_text)
    return model.cost(first_input + repair_input, 2 * request.max_tokens)
