"""Admin provider API: test the connection to the organisation's LLM provider (admin only).

POST /api/admin/provider/test with an empty body tests the saved settings; with the provider
form's fields it tests those values without saving them (blank key fields: the saved keys).
Success is 200 with what worked; a call that failed is 502 with the error shape, the server's own
words (trimmed, anything like a key hidden) in `details.detail`.
"""

from __future__ import annotations

from typing import Literal

from flask_login import current_user
from pydantic import BaseModel, Field

from services.holdings import holdings
from services.llm.probe import ProbeResult
from services.provider_settings import (
    ProviderChange,
    ProviderSettingsError,
    config_for_change,
)
from web.api import bp
from web.api.spec import documented
from web.api.validation import json_body
from web.errors import ApiError, error_response
from web.pages.admin_provider import (
    CONNECTION_TEST_LIMIT,
    ConnectionTestRefused,
    run_connection_test,
)
from web.permissions import require_admin


class ConnectionTestOut(BaseModel):
    ok: Literal[True]
    tested: Literal["saved", "unsaved"] = Field(description="The saved settings, or the body's values, unsaved")
    provider: str
    model: str = Field(description="The model the server says answered")
    structured_output: str = Field(description="The structured-output mode that worked")
    latency_ms: float
    input_tokens: int
    output_tokens: int
    usage_estimated: bool = Field(description="The server reported no usage: counted from the text")


def _failed(result: ProbeResult, tested: str, provider: str) -> ApiError:
    details = {
        "tested": tested,
        "provider": provider,
        "model": result.model,
        "latency_ms": result.latency_ms,
        "detail": result.detail,
    }
    message = result.error or "The connection test failed."
    return ApiError(502, message, code="connection_failed", details=details)


@documented(
    "Test the connection to the LLM provider: one tiny structured call (admin)", tag="admin",
    responses={200: ConnectionTestOut}, errors=(400, 403, 502), body=ProviderChange,
    description="An empty body tests the saved settings; the provider form's fields test those values "
    "without saving them (blank key fields use the saved keys; keys are never echoed). "
    f"A real call: limited to {CONNECTION_TEST_LIMIT} per organisation. A failed call answers 502 "
    "`connection_failed` with the server's own words, trimmed and scrubbed, in `details.detail`.",
)
@bp.post("/admin/provider/test")
@require_admin
def post_provider_test():  # noqa: ANN201
    settings = holdings().settings
    wiring = holdings().run_service().wiring
    base = wiring.environment
    org_id = current_user.org_id
    change = json_body(ProviderChange)
    if change.model_fields_set:
        tested = "unsaved"
        try:
            config = config_for_change(org_id, change, base=base, secret_key=settings.secret_key)
        except ProviderSettingsError as exc:
            details = [{"field": field, "message": message} for field, message in exc.errors.items()]
            raise ApiError(422, "Some fields are not valid.", details=details) from None
    else:
        tested = "saved"
        config = wiring.llm_config(org_id)
    try:
        result = run_connection_test(org_id, config)
    except ConnectionTestRefused as exc:
        return error_response(429, str(exc), headers={"Retry-After": str(exc.retry_after)})
    if not result.ok:
        raise _failed(result, tested, config.provider)
    return ConnectionTestOut(
        ok=True,
        tested=tested,
        provider=config.provider,
        model=result.model,
        structured_output=result.structured_output,
        latency_ms=result.latency_ms,
        input_tokens=result.input_tokens,
        output_tokens=result.output_tokens,
        usage_estimated=result.usage_estimated,
    ).model_dump()
