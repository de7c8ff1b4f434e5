"""JSON Schema of money: what a `Decimal` field really accepts, and what the API really returns.

Pydantic's default schema says a request's decimal may be "a number or any string", which lets a
client (or a fuzzer) believe "abc" is fine; the API refuses it with 422. A `Decimal` field takes a
JSON number, or a string that Python's `Decimal` parses: surrounding whitespace is stripped,
underscores are ignored wherever they stand, any Unicode decimal digit counts, an exponent is
allowed, and NaN and infinities are refused. `DECIMAL_INPUT_PATTERN` says exactly that (in Python's
Unicode regular-expression semantics, where `\\d` and `\\s` mean what `Decimal` means by a digit and
whitespace); a test compares it with pydantic's verdicts.

One limit is narrower than `Decimal`'s: the exponent has at most 17 digits. `Decimal` refuses an
exponent beyond about 10**18, and where exactly depends on how many digits the number has, which no
regular expression can weigh; 17 digits are always within it, and no bound of the API comes near.

A field's number of decimal places (`decimal_places`) is not a pattern either (an exponent moves
the point): it is stated as `x-decimal-places` and in the description.

Responses carry money as the strings `str(Decimal)` writes (e.g. "5000.00", "1E-7"), the pattern
pydantic builds for serialisation.
"""

from __future__ import annotations

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

_U = "_*"  # underscores may stand anywhere in the number: Decimal drops them all
_DIGITS = rf"\d(?:{_U}\d)*"
_MANTISSA = rf"(?:{_DIGITS}{_U}(?:\.{_U}(?:{_DIGITS}{_U})?)?|\.{_U}{_DIGITS}{_U})"
MAX_EXPONENT_DIGITS = 17
_EXPONENT = rf"(?:[eE]{_U}[+-]?{_U}\d(?:{_U}\d){{0,{MAX_EXPONENT_DIGITS - 1}}}{_U})"

DECIMAL_INPUT_PATTERN = rf"^\s*{_U}[+-]?{_U}{_MANTISSA}{_EXPONENT}?\s*$"
"""A string that a pydantic `Decimal` field (without inf/nan) accepts, before range checks."""


class ApiJsonSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema with money described as the API parses and writes it."""

    def get_decimal_pattern(self, schema: core_schema.DecimalSchema) -> str | None:
        if self.mode == "validation":
            return DECIMAL_INPUT_PATTERN
        return self.build_decimal_pattern(schema)

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        json_schema = super().decimal_schema(schema)
        places = schema.get("decimal_places")
        if self.mode == "validation":
            json_schema["anyOf"][1]["description"] = (
                "A decimal string; the bounds of the number form apply to it too"
            )
            if places is not None:
                json_schema["x-decimal-places"] = places
                json_schema["description"] = f"At most {places} decimal places"
        return json_schema
