"""The OpenAPI document is the routes: none undocumented, none invented, money described truly."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from agents.state import PLAIN_TEXT_PATTERN, Company
from services.provider_settings import BASE_URL_PATTERN, ProviderChange
from tests.conftest import build_app
from web.api.decimal_schema import DECIMAL_INPUT_PATTERN, MAX_EXPONENT_DIGITS
from web.api.openapi import IGNORED_METHODS, document, documented_routes, openapi_path
from web.api.runs import RunListQuery, _has_control
from web.api.spec import documented


@pytest.fixture
def sqlite_app(tmp_path: Path):
    return build_app(tmp_path, "sqlite")


def test_every_api_route_is_documented_and_every_operation_is_routed(sqlite_app) -> None:
    missing = [f"{method} {rule.rule}" for rule, method, spec in documented_routes(sqlite_app) if spec is None]
    assert not missing, f"undocumented API routes (add @documented(...)): {missing}"
    with sqlite_app.app_context():
        paths = document()["paths"]
    routed = {
        (openapi_path(rule), method.lower())
        for rule in sqlite_app.url_map.iter_rules()
        for method in (rule.methods or set()) - IGNORED_METHODS
    }
    documented_ops = {(path, method) for path, methods in paths.items() for method in methods}
    assert documented_ops <= routed
    assert {(p, m) for p, m in routed if p.startswith("/api/")} <= documented_ops


def test_an_undocumented_route_is_reported(tmp_path: Path) -> None:
    app = build_app(tmp_path, "sqlite")
    app.add_url_rule("/api/forgotten/<int:item_id>", "forgotten", lambda item_id: "", methods=["GET", "POST"])
    found = {(rule.rule, method) for rule, method, spec in documented_routes(app) if spec is None}
    assert found == {("/api/forgotten/<int:item_id>", "GET"), ("/api/forgotten/<int:item_id>", "POST")}

    def view(item_id: int) -> str:
        return ""

    app.view_functions["forgotten"] = documented("Forgotten", tag="meta", responses={200: "text/plain"})(view)
    assert not [spec for rule, _method, spec in documented_routes(app) if spec is None]


def test_path_parameters_come_from_the_converters(sqlite_app) -> None:
    with sqlite_app.app_context():
        paths = document()["paths"]
    (token_id,) = paths["/api/tokens/{token_id}"]["delete"]["parameters"]
    assert token_id == {"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
    (run_id,) = paths["/api/runs/{run_id}"]["get"]["parameters"]
    assert run_id["schema"] == {"type": "string", "pattern": "^[^/]+$"}


def test_money_is_a_number_or_decimal_string_in_requests_and_a_decimal_string_in_answers(sqlite_app) -> None:
    with sqlite_app.app_context():
        schemas = document()["components"]["schemas"]
    number, string = schemas["Brief"]["properties"]["budget_usd"]["anyOf"]
    assert number == {"type": "number", "minimum": 100.0, "maximum": 1000000.0}
    assert string["type"] == "string" and string["pattern"] == DECIMAL_INPUT_PATTERN
    answered = schemas["RunOut"]["properties"]["budget_usd"]
    assert answered["type"] == "string"
    for written in ("5000.00", "0", "1E-7", "1.5E+3"):
        assert re.fullmatch(answered["pattern"], written)
    assert not re.fullmatch(answered["pattern"], "5,000")


_DECIMAL = TypeAdapter(Decimal)


def _accepted(text: str) -> bool:
    try:
        _DECIMAL.validate_python(text)
    except ValidationError:
        return False
    return True


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.text(alphabet="0123456789_.eE+- \t\n\u00a0\u0661\u0663xN", max_size=8))
def test_the_decimal_pattern_accepts_exactly_what_the_model_does(text: str) -> None:
    assert bool(re.fullmatch(DECIMAL_INPUT_PATTERN, text)) == _accepted(text), repr(text)


# The case the fuzz found: underscores everywhere and a 23-digit exponent, beyond what Decimal takes.
_HUGE_EXPONENT = "\r\r___._9___5__3E___2__5_4__4__2_31__0_9_4__7_2_2_8_180__03_0_7_1_0\r\t\r"


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(
    mantissa=st.from_regex(r"\A_*[+-]?_*(?:[0-9٣_]{1,30}(?:\.[0-9_]{0,30})?|\.[0-9_]{1,30})\Z"),
    sign=st.sampled_from(["", "+", "-"]),
    exponent=st.text(alphabet="0123456789_٠", min_size=1, max_size=40),
)
@example(mantissa="1", sign="", exponent="9" * MAX_EXPONENT_DIGITS)
@example(mantissa="._9_5", sign="-", exponent="0" * (MAX_EXPONENT_DIGITS + 1))
def test_the_decimal_pattern_holds_long_numbers_and_exponents(mantissa: str, sign: str, exponent: str) -> None:
    text = f" {mantissa}E{sign}{exponent}\n"
    if re.fullmatch(DECIMAL_INPUT_PATTERN, text):
        assert _accepted(text), repr(text)  # whatever the number of digits
    elif _accepted(text):
        # Only a longer exponent than the pattern allows; Decimal's own limit depends on the digits.
        assert sum(ch.isdecimal() for ch in exponent) > MAX_EXPONENT_DIGITS, repr(text)
    assert not re.fullmatch(DECIMAL_INPUT_PATTERN, _HUGE_EXPONENT) and not _accepted(_HUGE_EXPONENT)


def _url_accepted(text: str) -> bool:
    try:
        ProviderChange(openai_base_url=text)
    except ValidationError:
        return False
    return True


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.from_regex(BASE_URL_PATTERN))
def test_every_base_url_the_schema_allows_is_accepted(text: str) -> None:
    assert _url_accepted(text), repr(text)


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.text(alphabet="hHtpsS:/[]@.%a1f:0 \t\x1c\x01é?#", max_size=24).map(lambda rest: "http://" + rest))
@example("http://[::1]:8080/v1")
@example("https://user:secret@example.com")
@example("http://example.com:0")
@example("http://[v1.x]/")
def test_the_base_url_pattern_is_what_the_model_accepts(text: str) -> None:
    assert bool(re.fullmatch(BASE_URL_PATTERN, text)) == _url_accepted(text), repr(text)


def _plain_text_accepted(text: str) -> bool:
    """What POST /api/runs takes as a company's location: the model, then the view's control check."""
    try:
        company = Company(name="Acme", industry="Retail", location=text)
    except ValidationError:
        return False
    return not _has_control(company.location)


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(st.text(alphabet="a \t\n\r\x0b\x0c\x1c\x1f\x00\x03\x85\u00a0\u3000\u202e\u2066é", max_size=8))
def test_the_plain_text_pattern_is_what_a_brief_accepts(text: str) -> None:
    assert bool(re.fullmatch(PLAIN_TEXT_PATTERN, text)) == _plain_text_accepted(text), repr(text)


def _search_accepted(text: str) -> bool:
    try:
        RunListQuery.model_validate({"text": text})
    except ValidationError:
        return False
    return True


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.text(alphabet="a \t\n\x0b\x0c\x1c\x1f\x00\x03\x85\u3000", max_size=6))
@example("\x1cabc")
def test_the_runs_search_pattern_is_what_the_query_accepts(text: str) -> None:
    pattern = RunListQuery.model_json_schema()["properties"]["text"]["pattern"]
    assert bool(re.fullmatch(pattern, text)) == _search_accepted(text), repr(text)


def test_budget_settings_say_their_bounds_and_known_agents(sqlite_app) -> None:
    with sqlite_app.app_context():
        schemas = document()["components"]["schemas"]
    patch = schemas["BudgetSettingsPatch"]["properties"]
    assert patch["thresholds"]["items"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert patch["thresholds"]["uniqueItems"] is True
    caps = patch["agent_share_caps"]
    assert caps["additionalProperties"] is False and "branding" in caps["properties"]
    assert caps["properties"]["branding"]["x-decimal-places"] == 2


def test_a_decision_is_one_of_its_kinds_and_a_new_run_links_to_its_operations(sqlite_app) -> None:
    with sqlite_app.app_context():
        spec = document()
    plain, edit = spec["components"]["schemas"]["DecisionIn"]["oneOf"]
    assert plain["properties"]["cut"]["maxItems"] == 0
    assert edit["properties"]["decision"] == {"const": "edit"} and edit["properties"]["cut"]["minItems"] == 1
    links = spec["paths"]["/api/runs"]["post"]["responses"]["201"]["links"]
    assert links["patch_api_runs_run_id"] == {
        "operationId": "patch_api_runs_run_id",
        "parameters": {"path.run_id": "$response.body#/id"},
    }
    assert "post_api_runs_run_id_approve" in links
