"""OpenAI-compatible chat completions (OpenAI, OpenRouter, Ollama, vLLM, llama.cpp) through the SDK.

Servers differ in how they accept a schema for the answer, so the structured-output mode is chosen
per model or setting (`services.llm.registry.STRUCTURED_OUTPUT_MODES`):
- `json_schema`: OpenAI's `response_format` json_schema, strict when the schema allows;
- `json_object_schema`: `{"type": "json_object", "schema": ...}`, the grammar-constrained form of
  llama.cpp and vLLM;
- `json_object`: JSON mode, the schema spelled out in the system turn;
- `prompt`: no response format at all, the schema in the system turn, the JSON found in the text;
- `auto`: start with `json_schema`; when the server answers that it does not support the response
  format, step down to the next mode and remember, per base URL and model for the process, the
  first one that worked. Such an answer is a negotiation, not a failure: it never reaches the
  circuit breaker.
The SDK's own retries are off: the client above retries with its own policy and circuit breaker.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import openai

from services.llm.estimate import estimate_tokens
from services.llm.messages import schema_instruction
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
# The order `auto` tries, from the most to the least the server does for us.
STEP_DOWN = ("json_schema", "json_object_schema", "json_object", "prompt")
_SCHEMA_IN_PROMPT = frozenset({"json_object", "prompt"})

log = logging.getLogger(__name__)

# Tokenizer endpoints of OpenAI-compatible servers, for answers without usage: (path, request
# field, answer field): llama-cpp-python's, then llama.cpp's and vLLM's own.
_TOKENIZE_ENDPOINTS = [("/extras/tokenize/count", "input", "count"), ("/tokenize", "content", "tokens")]
_FRAMING_TOKENS = 4  # role markers and separators a chat template adds per message
_tokenizers: dict[str, str | None] = {}  # server root -> the endpoint that worked (None: none did)

_learned_lock = threading.Lock()
_learned: dict[tuple[str, str], str] = {}


def learned_mode(base_url: str, model: str) -> str | None:
    """The mode `auto` found to work for this server and model in this process, if any."""
    with _learned_lock:
        return _learned.get((base_url, model))


def forget_learned_modes() -> None:
    """Start negotiating afresh (tests; an operator changing the server behind a URL restarts)."""
    with _learned_lock:
        _learned.clear()


def _learn(base_url: str, model: str, mode: str) -> None:
    with _learned_lock:
        before = _learned.get((base_url, model))
        _learned[(base_url, model)] = mode
    if before != mode:
        log.info("structured output for %s at %s: %s", model, base_url, mode,
                 extra={"llm_model": model, "llm_structured_output": mode})


class FormatUnsupported(Exception):
    """The server refused the response format itself (not the request's content)."""

    def __init__(self, mode: str, detail: str):
        super().__init__(f"the server does not support structured output mode {mode!r}")
        self.mode = mode
        self.detail = detail


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


def response_format(mode: str, call: ProviderCall) -> dict[str, Any] | None:
    """The `response_format` a mode sends (None: the parameter is left out)."""
    if mode == "json_schema":
        strict = strict_compatible(call.schema)
        return {"type": "json_schema", "json_schema": {"name": call.schema_name, "schema": call.schema, "strict": strict}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": call.schema}
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def _error_text(exc: openai.APIStatusError) -> str:
    body = exc.body
    try:
        text = json.dumps(body) if body is not None else ""
    except (TypeError, ValueError):
        text = str(body)
    return f"{exc.message} {text}"


def _refuses_format(exc: openai.APIStatusError) -> bool:
    """A 4xx/5xx whose body names the response format: the server cannot do this mode."""
    return exc.status_code >= 400 and "response_format" in _error_text(exc)


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
        structured_output: str = "json_schema",
        http_client: Any = None,
    ):
        if structured_output != "auto" and structured_output not in STEP_DOWN:
            raise ValueError(f"unknown structured output mode {structured_output!r}")
        self._max_tokens_param = max_tokens_param
        self._mode = structured_output
        self._base_url = base_url or DEFAULT_BASE_URL
        # `http_client`: the address-checking client when an org admin chose the base URL.
        extra: dict[str, Any] = {"http_client": http_client} if http_client is not None else {}
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=self._base_url,
            timeout=timeout_seconds,
            max_retries=0,
            **extra,
        )

    def close(self) -> None:
        """Release the SDK's connection pool."""
        self._client.close()

    def models(self) -> list[str]:
        """The model ids the server reports at `GET /models` (ProviderError when it cannot)."""
        try:
            return sorted(model.id for model in self._client.models.list())
        except openai.APITimeoutError as exc:
            raise ProviderError("the server did not answer in time", kind="timeout", transient=True) from exc
        except openai.APIConnectionError as exc:
            raise connection_error("OpenAI", exc, exc.message) from exc
        except openai.APIStatusError as exc:
            raise status_error(f"the server answered {exc.status_code}", exc.status_code, None, _error_text(exc)) from exc
        except (openai.OpenAIError, ValueError, AttributeError, TypeError) as exc:
            raise not_a_reply("OpenAI", exc) from exc

    def mode_for(self, model: str) -> str:
        """The mode the next call to `model` uses."""
        if self._mode != "auto":
            return self._mode
        return learned_mode(self._base_url, model) or STEP_DOWN[0]

    def complete(self, call: ProviderCall) -> ProviderReply:
        mode = self.mode_for(call.model)
        while True:
            try:
                reply = self._complete(call, mode)
            except FormatUnsupported as refused:
                lower = STEP_DOWN.index(mode) + 1
                if self._mode != "auto" or lower == len(STEP_DOWN):
                    raise ProviderError(
                        withheld(
                            f"the server does not support structured output mode {mode!r}; choose "
                            "another mode (LLM_STRUCTURED_OUTPUT, or auto)",
                            refused.detail,
                        ),
                        kind="unsupported",
                        transient=False,
                        detail=refused.detail,
                    ) from None
                log.warning(
                    "%s at %s refused structured output %s; trying %s",
                    call.model, self._base_url, mode, STEP_DOWN[lower],
                    extra={"llm_model": call.model, "llm_structured_output": STEP_DOWN[lower]},
                )
                mode = STEP_DOWN[lower]
                continue
            if self._mode == "auto":
                _learn(self._base_url, call.model, mode)
            return reply

    def _messages(self, call: ProviderCall, mode: str) -> list[dict[str, str]]:
        system = call.system
        if mode in _SCHEMA_IN_PROMPT:
            system = f"{system}\n\n{schema_instruction(call.schema)}"
        messages = [{"role": "system", "content": system}]
        messages.extend({"role": turn.role, "content": turn.content} for turn in call.turns)
        return messages

    def _complete(self, call: ProviderCall, mode: str) -> ProviderReply:
        messages = self._messages(call, mode)
        options: dict[str, Any] = {self._max_tokens_param: call.max_tokens}
        format_ = response_format(mode, call)
        if format_ is not None:
            options["response_format"] = format_
        try:
            completion = self._client.chat.completions.create(
                model=call.model,
                messages=messages,  # type: ignore[arg-type]
                **options,
            )
        except openai.APITimeoutError as exc:
            raise ProviderError("OpenAI request timed out", kind="timeout", transient=True) from exc
        except openai.APIConnectionError as exc:
            raise connection_error("OpenAI", exc, exc.message) from exc
        except openai.APIStatusError as exc:
            if format_ is not None and exc.status_code != 429 and _refuses_format(exc):
                raise FormatUnsupported(mode, _error_text(exc)) from exc
            raise status_error(
                withheld(f"OpenAI answered {exc.status_code}", exc.message),
                exc.status_code,
                exc.response.headers,
                _error_text(exc),
            ) from exc
        except openai.OpenAIError as exc:
            raise ProviderError(withheld("OpenAI call failed", exc), kind="server_error", transient=False) from exc
        except ValueError as exc:  # a body announced as JSON that is not (json.JSONDecodeError)
            raise not_a_reply("OpenAI", exc) from exc
        try:
            return self._reply(completion, call.model, mode, messages)
        except (AttributeError, TypeError, IndexError, KeyError) as exc:
            raise not_a_reply("OpenAI", completion) from exc


    def _reply(
        self, completion: Any, requested_model: str, mode: str, messages: list[dict[str, str]]
    ) -> ProviderReply:
        if not completion.choices:
            raise ProviderError("OpenAI returned no choices", kind="server_error", transient=True)
        message = completion.choices[0].message
        refusal = getattr(message, "refusal", None)
        if refusal:  # the server's own words: logged, not shown
            raise ProviderError(withheld("the model refused to answer", refusal), kind="refused", transient=False)
        text = message.content or ""
        usage = completion.usage
        if usage is not None and usage.prompt_tokens is not None:
            input_tokens, output_tokens, estimated = usage.prompt_tokens, usage.completion_tokens or 0, False
        else:  # no usage from the server: count, with its own tokenizer where it has one, and say so
            prompt = "\n".join(message["content"] for message in messages)
            input_tokens = self._count(prompt) + _FRAMING_TOKENS * len(messages)
            output_tokens, estimated = self._count(text), True
        return ProviderReply(
            text=text,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            model=completion.model or requested_model,
            structured_output=mode,
            usage_estimated=estimated,
        )

    def _count(self, text: str) -> int:
        """Tokens in `text`: the server's own tokenizer (llama.cpp, vLLM) if it has one, else a
        generous estimate (3 bytes a token)."""
        root = self._base_url.rstrip("/").removesuffix("/v1")
        endpoint = _tokenizers.get(root, "unknown")
        candidates = _TOKENIZE_ENDPOINTS if endpoint == "unknown" else [e for e in _TOKENIZE_ENDPOINTS if e[0] == endpoint]
        for path, field, answer in candidates:
            try:
                counted = self._client.post(f"{root}{path}", cast_to=object, body={field: text})
                value = counted.get(answer) if isinstance(counted, dict) else None
                count = len(value) if isinstance(value, list) else value
            except (openai.OpenAIError, ValueError, AttributeError) as exc:
                log.debug("no tokenizer at %s%s: %s", root, path, exc)
                continue
            if isinstance(count, int) and count >= 0:
                _tokenizers[root] = path
                return count
        _tokenizers[root] = None
        return estimate_tokens(text)
