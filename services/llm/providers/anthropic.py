"""Anthropic Messages API through the official SDK.

Structured output by forcing one tool whose input schema is the answer schema (the tool is named
after the prompt template); models that refuse forced tools use `output_config.format` instead.
SDK retries are off: the client above owns the retry policy.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

from services.llm.providers.base import (
    ProviderCall,
    ProviderError,
    ProviderReply,
    connection_error,
    not_a_reply,
    status_error,
    withheld,
)

DEFAULT_BASE_URL = "https://api.anthropic.com"
_TOOL_DESCRIPTION = "Record the answer. The tool input is the complete answer object."


class AnthropicProvider:
    """One SDK client per provider instance; thread-safe as the SDK's sync client is."""

    name = "anthropic"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        timeout_seconds: float,
        structured_output: str = "tool",
        http_client: Any = None,
    ):
        self._structured_output = structured_output
        # `http_client`: the address-checking client when an org admin chose the base URL.
        extra: dict[str, Any] = {"http_client": http_client} if http_client is not None else {}
        self._client = anthropic.Anthropic(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout_seconds,
            max_retries=0,
            **extra,
        )

    def _structure(self, call: ProviderCall) -> dict[str, Any]:
        if self._structured_output == "output_format":
            return {"output_config": {"format": {"type": "json_schema", "schema": call.schema}}}
        return {
            "tools": [
                {"name": call.schema_name, "description": _TOOL_DESCRIPTION, "input_schema": call.schema}
            ],
            "tool_choice": {"type": "tool", "name": call.schema_name},
        }

    def close(self) -> None:
        """Release the SDK's connection pool."""
        self._client.close()

    def complete(self, call: ProviderCall) -> ProviderReply:
        messages = [{"role": turn.role, "content": turn.content} for turn in call.turns]
        try:
            message = self._client.messages.create(
                model=call.model,
                max_tokens=call.max_tokens,
                system=call.system,
                messages=messages,  # type: ignore[arg-type]
                **self._structure(call),
            )
        except anthropic.APITimeoutError as exc:
            raise ProviderError("Anthropic request timed out", kind="timeout", transient=True) from exc
        except anthropic.APIConnectionError as exc:
            raise connection_error("Anthropic", exc, exc.message) from exc
        except anthropic.APIStatusError as exc:
            raise status_error(
                withheld(f"Anthropic answered {exc.status_code}", exc.message), exc.status_code, exc.response.headers
            ) from exc
        except anthropic.AnthropicError as exc:
            raise ProviderError(withheld("Anthropic call failed", exc), kind="server_error", transient=False) from exc
        except ValueError as exc:  # a body announced as JSON that is not (json.JSONDecodeError)
            raise not_a_reply("Anthropic", exc) from exc
        try:
            return _reply(message, call)
        except (AttributeError, TypeError, IndexError, KeyError) as exc:
            raise not_a_reply("Anthropic", message) from exc


def _reply(message: Any, call: ProviderCall) -> ProviderReply:
    text = ""
    texts: list[str] = []
    for block in message.content or []:
        if block.type == "tool_use" and block.name == call.schema_name:
            text = json.dumps(block.input, ensure_ascii=False)
            break
        if block.type == "text":
            texts.append(block.text)
    else:
        text = "".join(texts)
    usage = message.usage
    # Prompt caching is not requested, so the cache counters are normally zero; if a proxy reports
    # them anyway they are still tokens we were billed for.
    input_tokens = (
        (usage.input_tokens or 0)
        + (usage.cache_creation_input_tokens or 0)
        + (usage.cache_read_input_tokens or 0)
    )
    return ProviderReply(
        text=text,
        input_tokens=input_tokens,
        output_tokens=usage.output_tokens or 0,
        model=message.model or call.model,
    )
