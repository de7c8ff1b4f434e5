"""The OpenAPI document describes `GET /api/runs/{run_id}/report?format=json` and its structured report."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from tests.web.pages.test_report_structured import structured


def test_the_report_operation_lists_format_json_with_the_structured_schema(client) -> None:
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/runs/{run_id}/report"]["get"]
    (fmt,) = [p for p in operation["parameters"] if p["name"] == "format"]
    assert fmt["in"] == "query" and fmt["schema"]["enum"] == ["markdown", "html", "json"]
    assert fmt["schema"]["default"] == "markdown" and "format=json" in operation["description"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"text/markdown", "text/html", "application/json"}
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/StructuredReport"}
    assert "application/json" in operation["responses"]["404"]["content"]  # report_not_ready

    schemas = document["components"]["schemas"]
    # The nested models are hoisted into components, and money is a decimal string.
    assert {"StructuredReport", "BudgetSummary", "TaskRow", "Check", "FactRow"} <= set(schemas)
    assert "$defs" not in schemas["StructuredReport"]
    assert schemas["BudgetSummary"]["properties"]["committed_usd"]["type"] == "string"
    assert schemas["StructuredReport"]["properties"]["budget"] == {
        "$ref": "#/components/schemas/BudgetSummary"
    }

    body = structured().model_dump(mode="json")
    validator = Draft202012Validator(
        {**content["application/json"]["schema"], "components": document["components"]}
    )
    assert not list(validator.iter_errors(body))
    assert list(validator.iter_errors({**body, "budget": {**body["budget"], "committed_usd": 4321.5}}))
