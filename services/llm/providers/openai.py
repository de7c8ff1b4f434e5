"""OpenAI-compatible chat completions (OpenAI, OpenRouter, Ollama, vLLM) through the official SDK.

Structured output uses `response_format` json_schema named after the prompt template. The SDK's own
retries are off: the client above retries with its own policy and circuit breaker.
"""

from __future__ import annotations

from typing import Any

import openai

from services.llm.providers.base import (
    ProviderCall,
    ProviderError,
    ProviderReply,
    connection_error,
    not_a_reply,
    status_error,
    withheld,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def strict_compatible(schema: Any) -> bool:
    """True when OpenAI's strict mode accepts the schema: closed objects, every property required."""
    if isinstance(schema, list):
        return all(strict_compatible(item) for item in schema)
    if not isinstance(schema, dict):
        return True
    if "default" in schema:
        return False
    properties = schema.get("properties")
    if schema.get("type") == "object" or isinstance(properties, dict):
        if schema.get("additionalProperties") is not False:
            return False
        if set(schema.get("required", [])) != set((properties or {}).keys()):
            return False
    return all(strict_compatible(value) for value in schema.values() if isinstance(value, (dict, list)))


class OpenAIProvider:
    """One SDK client per provider instance; thread-safe as the SDK's sync client is."""

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        timeout_seconds: float,
        max_tokens_param: str = "max_completion_tokens",
        http_client: Any = None,
    ):
        self._max_tokens_param = max_tokens_param
        # `http_client`: the address-checking client when an org admin chose the base URL.
        extra: dict[str, Any] = {"http_client": http_client} if http_client is not None else {}
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or DEFAULT_BASE_URL,
            timeout=timeout_seconds,
            max_retries=0,
            **extra,
        )

    def close(self) -> None:
        """Release the SDK's connection pool."""
        self._client.close()

    def complete(self, call: ProviderCall) -> ProviderReply:
        messages: list[dict[str, str]] = [{"role": "system", "content": call.system}]
        messages.extend({"role": turn.role, "content": turn.content} for turn in call.turns)
        response_format = {
            "type": "json_schema",
            "json_schema": {
                "name": call.schema_name,
                "schema": call.schema,
                "strict": strict_compatible(call.schema),
            },
        }
        options: dict[str, Any] = {self._max_tokens_param: call.max_tokens}
        try:
            completion = self._client.chat.completions.create(
                model=call.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=response_format,  # type: ignore[arg-type]
                **options,
            )
        except openai.APITimeoutError as exc:
            raise ProviderError("OpenAI request timed out", kind="timeout", transient=True) from exc
        except openai.APIConnectionError as exc:
            raise connection_error("OpenAI", exc, exc.message) from exc
        except openai.APIStatusError as exc:
            raise status_error(
                withheld(f"OpenAI answered {exc.status_code}", exc.message), exc.status_code, exc.response.headers
            ) from exc
        except openai.OpenAIError as exc:
            raise ProviderError(withheld("OpenAI call failed", exc), kind="server_error", transient=False) from exc
        except ValueError as exc:  # a body announced as JSON that is not (json.JSONDecodeError)
            raise not_a_reply("OpenAI", exc) from exc
        try:
            return _reply(completion, call.model)
        except (AttributeError, TypeError, IndexError, KeyError) as exc:
            raise not_a_reply("OpenAI", completion) from exc


def _reply(completion: Any, requested_model: str) -> ProviderReply:
    if not completion.choices:
        raise ProviderError("OpenAI returned no choices", kind="server_error", transient=True)
    message = completion.choices[0].message
    refusal = getattr(message, "refusal", None)
    if refusal:  # the server's own words: logged, not shown
        raise ProviderError(withheld("the model refused to answer", refusal), kind="refused", transient=False)
    usage = completion.usage
    return ProviderReply(
        text=message.content or "",
        input_tokens=usage.prompt_tokens if usage else 0,
        output_tokens=usage.completion_tokens if usage else 0,
        model=completion.model or requested_model,
    )
