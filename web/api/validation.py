"""Reading JSON bodies and query strings into pydantic models, with the API's error shape.

`IsoDate` is a date as the OpenAPI document describes it (`YYYY-MM-DD`): pydantic's plain `date`
also takes a Unix timestamp, so `?to=0` quietly meant 1 January 1970.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, TypeVar

from flask import request
from pydantic import BaseModel, BeforeValidator, ValidationError

from web.errors import ApiError, validation_details

M = TypeVar("M", bound=BaseModel)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date_only(value: object) -> object:
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("enter a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


def json_body(model: type[M]) -> M:
    """The request's JSON body validated by `model`; 400 for bad JSON, 422 for bad fields."""
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with Content-Type: application/json.")
    try:
        payload: Any = request.get_json(silent=True)
    except RecursionError:  # nesting deeper than the parser's recursion limit
        payload = None
    if payload is None:
        raise ApiError(400, "The body is not valid JSON.", code="invalid_json")
    if not isinstance(payload, dict):
        raise ApiError(422, "The body must be a JSON object.", details=[{"field": "body", "message": "expected an object"}])
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ApiError(422, "Some fields are not valid.", details=validation_details(exc)) from None


def query_args(model: type[M]) -> M:
    """Query-string parameters validated by `model` (422 with field errors)."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiError(422, "Some query parameters are not valid.", details=validation_details(exc)) from None
