"""A fake OpenAI chat-completions endpoint, real HTTP, enough for the official SDK.

    with FakeOpenAIServer() as server:
        server.script(rate_limited(retry_after=0), ok())
        client = OpenAI(base_url=server.base_url, api_key="test", max_retries=0)

It needs `response_format={"type": "json_schema", "json_schema": {"name": <prompt>, ...}}`: the
schema name says which prompt to answer, and the data is read back from the delimited user message.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from services.llm.messages import DATA_BEGIN, parse_data_message
from tests.fakes.scripted import Answer, Behaviour, ScriptedServer, SeenRequest

_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error"}


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def _schema_in_prompt(system: str) -> dict[str, Any] | None:
    marker = "JSON Schema:\n"
    at = system.rfind(marker)
    if at < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(system, at + len(marker))
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


class FakeOpenAIServer(ScriptedServer):
    """Answers every structured-output mode Catalyst has, unless told to refuse some formats.

    `refused_formats`: response_format types ("json_schema", "json_object") answered 400 with a
    message naming `response_format`, as llama.cpp, LM Studio and older vLLM do.
    """

    _ids = itertools.count(1)
    served_models: tuple[str, ...] = ("fake-small", "fake-large")

    def __init__(self, *args: Any, refused_formats: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.refused_formats = set(refused_formats)

    def handle(self, seen: SeenRequest) -> Answer:
        if seen.method == "GET" and seen.path.rstrip("/").endswith("/models"):
            models = [{"id": name, "object": "model", "created": 0, "owned_by": "fake"} for name in self.served_models]
            return Answer(200, {"object": "list", "data": models})
        if not seen.path.rstrip("/").endswith("/chat/completions"):  # no scripted answer is used up
            with self._lock:
                self.requests.append(seen)
            return self._error(404, f"fake OpenAI server: no route {seen.path}")
        return super().handle(seen)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    # --- helpers for assertions --------------------------------------------------------------
    @staticmethod
    def messages(seen: SeenRequest) -> list[dict[str, Any]]:
        return list(seen.body.get("messages", [])) if isinstance(seen.body, dict) else []

    @classmethod
    def system_text(cls, seen: SeenRequest) -> str:
        instructions = [m for m in cls.messages(seen) if m.get("role") in ("system", "developer")]
        return "\n".join(_text(m.get("content")) for m in instructions)

    @classmethod
    def schema_name(cls, seen: SeenRequest) -> str | None:
        """The prompt asked: the json_schema name, else the prompt whose schema was sent."""
        body = seen.body if isinstance(seen.body, dict) else {}
        format_ = body.get("response_format") or {}
        try:
            return format_["json_schema"]["name"]
        except (KeyError, TypeError):
            pass
        schema = format_.get("schema") if isinstance(format_, dict) else None
        if schema is None:
            schema = _schema_in_prompt(cls.system_text(seen))
        return _prompt_of(schema)

    @classmethod
    def data(cls, seen: SeenRequest) -> dict[str, Any]:
        for message in cls.messages(seen):
            text = _text(message.get("content"))
            if message.get("role") == "user" and DATA_BEGIN in text:
                return parse_data_message(text)
        raise ValueError("no delimited data in the request")

    # --- protocol ----------------------------------------------------------------------------
    def _error(self, status: int, message: str, retry_after: str | None = None) -> Answer:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        error = {"message": message, "type": kind, "param": None, "code": None}
        return Answer(status, {"error": error}, headers)

    def answer(self, seen: SeenRequest, behaviour: Behaviour) -> Answer:
        if not seen.path.rstrip("/").endswith("/chat/completions"):
            return self._error(404, f"fake OpenAI server: no route {seen.path}")
        format_type = (seen.body.get("response_format") or {}).get("type") if isinstance(seen.body, dict) else None
        if format_type in self.refused_formats:
            return self._error(400, f"response_format type {format_type!r} is not supported by this server")
        if behaviour.kind == "error":
            message = behaviour.payload if isinstance(behaviour.payload, str) else f"scripted {behaviour.status}"
            return self._error(behaviour.status, message, behaviour.retry_after)
        name = self.schema_name(seen)
        if behaviour.kind == "malformed":
            content = str(behaviour.payload)
        elif behaviour.kind == "schema_invalid" or behaviour.payload is not None:
            content = json.dumps(behaviour.payload)
        else:
            if not name:
                return self._error(400, "fake OpenAI server: response_format json_schema name is required")
            try:
                content = json.dumps(self.responder(name, self.data(seen)))
            except (LookupError, TypeError, ValueError) as exc:
                return self._error(400, f"fake OpenAI server cannot answer {name!r}: {exc}")
        prompt_text = "".join(_text(m.get("content")) for m in self.messages(seen))
        input_tokens, output_tokens = self.usage_for(behaviour, prompt_text, content)
        number = next(self._ids)
        return Answer(
            200,
            {
                "id": f"chatcmpl-fake-{number}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": seen.body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                **({} if behaviour.kind == "no_usage" else {"usage": {
                    "prompt_tokens": input_tokens,
                    "completion_tokens": output_tokens,
                    "total_tokens": input_tokens + output_tokens,
                }}),
            },
        )


def _prompt_of(schema: Any) -> str | None:
    """The prompt template whose output schema is `schema` (matched by the schema's title)."""
    if not isinstance(schema, dict):
        return None
    from agents.outputs import OUTPUT_SCHEMAS

    title = schema.get("title")
    for prompt, model in OUTPUT_SCHEMAS.items():
        if model.model_json_schema().get("title") == title:
            return prompt
    return title if isinstance(title, str) else None
