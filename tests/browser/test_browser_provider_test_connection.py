"""An admin points the provider at llama.cpp's real server (SmolLM2, alias "smollm2"), saves, and
Test connection shows the structured-output mode that worked, the latency and the token usage.

The admin belongs to an organisation of its own, so the other browser tests keep the offline
provider of the shared server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.browser.browsing import DESKTOP, PHONE, Session, expect
from tests.support.llama_server import DEFAULT_ALIAS as LLAMA_ALIAS
from tests.support.server import CatalystServer, create_user, free_port

ADMIN = "provider-admin@initech.example"
SCREENSHOT = Path("/tmp/provider-test-connection.png")
PHONE_SCREENSHOT = Path("/tmp/provider-test-connection-phone.png")
FAILED_SCREENSHOT = Path("/tmp/provider-test-connection-failed.png")
# One structured answer from a 135M model on two CPU cores, after the model's first load.
CALL_TIMEOUT_MS = 240_000
MODES = ("json_schema", "json_object_schema", "json_object", "prompt")


def test_test_connection_against_llama_cpp_shows_the_mode_latency_and_tokens(
    server: CatalystServer,
    session: Callable[[str], Session],
    llama_base_url: str,
) -> None:
    create_user(server.database, ADMIN, "admin", org="Initech")
    admin = session("provider-admin")
    page = admin.login(ADMIN)
    admin.goto("/admin/provider")

    page.select_option("#provider", "openai")
    page.fill("#model", LLAMA_ALIAS)
    page.fill("#openai_base_url", llama_base_url)
    # A model outside the registry with no price: the page says so before anything is saved.
    expect(page.locator("#price-not-set")).to_be_visible()
    expect(page.locator("#timeout_seconds")).to_have_attribute("placeholder", "300")
    # Only the OpenAI-compatible modes are offered for this provider.
    expect(page.locator('#structured_output optgroup[data-provider="anthropic"]')).to_be_hidden()
    with page.expect_navigation():
        page.click("#save-provider")
    expect(page.locator(".flash-success")).to_contain_text("Provider settings saved")
    expect(page.locator("#effective-model")).to_have_text(LLAMA_ALIAS)
    # The page asked the server for its models while it rendered.
    expect(page.locator(f'#model-options option[value="{LLAMA_ALIAS}"]')).to_have_count(1)
    expect(page.locator("#server-models-hint")).to_contain_text("Your server reports")

    with page.expect_navigation(timeout=CALL_TIMEOUT_MS):
        page.click("#test-connection", timeout=CALL_TIMEOUT_MS)
    result = page.locator("#connection-result")
    expect(result).to_be_visible()
    expect(page.locator("#connection-title")).to_have_text("Connection works")
    mode = page.locator("#result-mode").inner_text().strip()
    assert mode in MODES, mode
    assert re.fullmatch(r"\d+ ms|\d+\.\d s", page.locator("#result-latency").inner_text().strip())
    tokens = page.locator("#result-tokens").inner_text()
    match = re.match(r"(\d+) / (\d+)", tokens)
    assert match and int(match.group(1)) > 0 and int(match.group(2)) > 0, tokens
    assert page.evaluate("document.activeElement && document.activeElement.id") == "connection-result"

    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.set_viewport_size(PHONE)
    admin.no_horizontal_scroll()
    page.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
    page.set_viewport_size(DESKTOP)

    # Nothing listens there: the failure panel says why, and the form keeps what was tested.
    page.fill("#openai_base_url", f"http://127.0.0.1:{free_port()}/v1")
    with page.expect_navigation():
        page.click("#test-connection")
    expect(page.locator("#connection-title")).to_have_text("Connection failed")
    expect(page.locator("#result-error")).not_to_be_empty()
    expect(page.locator("#server-models-error")).not_to_be_empty()  # a hint, not a failure of the page
    page.screenshot(path=str(FAILED_SCREENSHOT), full_page=True)
    admin.assert_clean()
