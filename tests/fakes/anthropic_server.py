"""A fake Anthropic Messages endpoint, real HTTP, enough for the official SDK.

It answers forced-tool requests with a `tool_use` block named after the tool (the prompt template
name), reading the data back from the delimited user message. Requests using
`output_config.format` instead get a text block; they carry no prompt name, so script an `ok(payload)`.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from services.llm.messages import DATA_BEGIN, parse_data_message
from tests.fakes.scripted import Answer, Behaviour, ScriptedServer, SeenRequest

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            block.get("text", "") if block.get("type") == "text" else json.dumps(block.get("input", ""))
            for block in content
            if isinstance(block, dict)
        )
    return ""


class FakeAnthropicServer(ScriptedServer):
    _ids = itertools.count(1)

    # --- helpers for assertions --------------------------------------------------------------
    @staticmethod
    def messages(seen: SeenRequest) -> list[dict[str, Any]]:
        return list(seen.body.get("messages", [])) if isinstance(seen.body, dict) else []

    @staticmethod
    def system_text(seen: SeenRequest) -> str:
        return _text(seen.body.get("system", "")) if isinstance(seen.body, dict) else ""

    @staticmethod
    def tool_name(seen: SeenRequest) -> str | None:
        choice = seen.body.get("tool_choice") if isinstance(seen.body, dict) else None
        if isinstance(choice, dict) and choice.get("type") == "tool":
            return choice.get("name")
        return None

    schema_name = tool_name

    @classmethod
    def data(cls, seen: SeenRequest) -> dict[str, Any]:
        for message in cls.messages(seen):
            text = _text(message.get("content"))
            if message.get("role") == "user" and DATA_BEGIN in text:
                return parse_data_message(text)
        raise ValueError("no delimited data in the request")

    # --- protocol ----------------------------------------------------------------------------
    def _error(self, status: int, message: str, retry_after: str | None = None) -> Answer:
        headers = {"retry-after": retry_after} if retry_after is not None else {}
        kind = _ERROR_TYPES.get(status, "api_error")
        return Answer(status, {"type": "error", "error": {"type": kind, "message": message}}, headers)

    def answer(self, seen: SeenRequest, behaviour: Behaviour) -> Answer:
        if not seen.path.rstrip("/").endswith("/v1/messages"):
            return self._error(404, f"fake Anthropic server: no route {seen.path}")
        if behaviour.kind == "error":
            return self._error(behaviour.status, f"scripted {behaviour.status}", behaviour.retry_after)
        name = self.tool_name(seen)
        if behaviour.kind == "malformed":
            block: dict[str, Any] = {"type": "text", "text": str(behaviour.payload)}
        else:
            if behaviour.kind == "schema_invalid" or behaviour.payload is not None:
                value = behaviour.payload
            elif not name:
                return self._error(400, "fake Anthropic server: a forced tool (the prompt name) is required")
            else:
                try:
                    value = self.responder(name, self.data(seen))
                except (LookupError, TypeError, ValueError) as exc:
                    return self._error(400, f"fake Anthropic server cannot answer {name!r}: {exc}")
            if name:
                block = {"type": "tool_use", "id": f"toolu_{next(self._ids)}", "name": name, "input": value}
            else:
                block = {"type": "text", "text": json.dumps(value)}
        answer_text = block["text"] if block["type"] == "text" else json.dumps(block["input"])
        prompt_text = self.system_text(seen) + "".join(_text(m.get("content")) for m in self.messages(seen))
        input_tokens, output_tokens = self.usage_for(behaviour, prompt_text, answer_text)
        return Answer(
            200,
            {
                "id": f"msg_fake_{next(self._ids)}",
                "type": "message",
                "role": "assistant",
                "model": seen.body.get("model", "fake"),
                "content": [block],
                "stop_reason": "tool_use" if block["type"] == "tool_use" else "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
            },
        )
