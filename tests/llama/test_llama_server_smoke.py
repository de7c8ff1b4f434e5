"""The server answers as an OpenAI-compatible endpoint: the model list and one chat completion."""

import requests

from tests.support.llama_server import DEFAULT_ALIAS as LLAMA_ALIAS


def test_models_lists_the_alias(llama_base_url: str) -> None:
    response = requests.get(f"{llama_base_url}/models", timeout=10)
    assert response.status_code == 200
    assert LLAMA_ALIAS in [model["id"] for model in response.json()["data"]]


def test_chat_completion_returns_text_and_usage(llama_base_url: str) -> None:
    response = requests.post(
        f"{llama_base_url}/chat/completions",
        json={
            "model": LLAMA_ALIAS,
            "messages": [{"role": "user", "content": "Name one colour of the sky."}],
            "temperature": 0,
            "max_tokens": 16,
        },
        timeout=120,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["choices"][0]["message"]["content"].strip()
    usage = body["usage"]
    assert usage["prompt_tokens"] > 0
    assert 0 < usage["completion_tokens"] <= 16
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
