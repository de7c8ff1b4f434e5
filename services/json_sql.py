"""JSON written by the database: SQL expressions that build a JSON object per row, on SQLite and
PostgreSQL alike, in the form the app's JSON provider (web/json_provider.py) writes.

Why: for a page of 50 runs, turning each row into Python values (instants parsed, JSON columns
decoded, decimals made) and back into JSON cost more than the query and the response together;
the database writes the same text for less (bench/in_process.py: SQLite's whole request 2.1 ->
1.5 ms; on PostgreSQL the app's instructions halve while the server's execution grows by about
16 µs a run, json_build_object's own cost). What the app would write is the contract, and
tests/web/api/test_run_output.py holds each expression to it:

- an instant is ISO 8601 in UTC with `Z`, its microseconds in six digits unless they are zero;
- a decimal is a string with the column's scale ("1234.50");
- a boolean is `true`/`false`, a JSON column is embedded as JSON, not as a string.

Each construct compiles per dialect (`sqlalchemy.ext.compiler`); statements using them are cached
as any other.
"""

from __future__ import annotations

import re
from typing import Any, cast

from sqlalchemy import Numeric, Text, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class json_object(FunctionElement[Any]):
    """A JSON object of the pairs, in their order. The keys are ours and written into the SQL as
    literals: PostgreSQL cannot tell the type of a bound key (json_build_object takes "any")."""

    type = Text()
    inherit_cache = True

    def __init__(self, pairs: dict[str, Any]) -> None:
        arguments: list[Any] = []
        for key, value in pairs.items():
            if not _KEY.fullmatch(key):
                raise ValueError(f"{key!r} is not a plain key")
            arguments += (literal_column(f"'{key}'"), value)
        super().__init__(*arguments)


class json_text(FunctionElement[Any]):
    """A JSON value as its text, so the driver hands the text over instead of decoding it."""

    type = Text()
    inherit_cache = True


class json_embedded(FunctionElement[Any]):
    """A JSON value (a JSON column, or an object built in a CASE) placed as JSON inside another
    object: SQLite keeps JSON-ness only on a function's direct result, so it is re-read there."""

    type = Text()
    inherit_cache = True


class json_instant(FunctionElement[Any]):
    """A UTC instant (services.db.UTCDateTime) as the app writes it: `2026-12-03T14:20:00.267972Z`."""

    type = Text()
    inherit_cache = True


class json_bool(FunctionElement[Any]):
    """A boolean expression as `true`/`false` (SQLite has no boolean: it would write 1 or 0)."""

    type = Text()
    inherit_cache = True


class json_decimal(FunctionElement[Any]):
    """A NUMERIC column as a string with its scale, as Python's `str(Decimal)` of it reads."""

    type = Text()
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        if not isinstance(column.type, Numeric) or column.type.scale is None:
            raise TypeError(f"{column} has no NUMERIC scale to write")
        super().__init__(column)


_KEY = re.compile(r"[a-z_]+")


def _argument(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    (only,) = element.clauses.clauses
    return compiler.process(only, **kw)


def _arguments(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clause_expr, **kw)  # "(a, b, …)", parentheses included


@compiles(json_object, "sqlite")
def _object_sqlite(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return "json_object" + _arguments(element, compiler, **kw)


@compiles(json_object, "postgresql")
def _object_postgresql(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return "json_build_object" + _arguments(element, compiler, **kw)


@compiles(json_text, "sqlite")
def _text_sqlite(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    return _argument(element, compiler, **kw)  # SQLite's JSON already is text


@compiles(json_text, "postgresql")
def _text_postgresql(element: json_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_argument(element, compiler, **kw)} AS TEXT)"


@compiles(json_embedded, "sqlite")
def _embedded_sqlite(element: json_embedded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json({_argument(element, compiler, **kw)})"  # json(NULL) is NULL


@compiles(json_embedded, "postgresql")
def _embedded_postgresql(element: json_embedded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_argument(element, compiler, **kw)} AS JSON)"


@compiles(json_instant, "sqlite")
def _instant_sqlite(element: json_instant, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as SQLAlchemy writes a DATETIME on SQLite: `2026-12-03 14:20:00.267972` (UTC, no
    # zone), or without the fraction where SQLite wrote it (services/db.py reads the same forms).
    # NULL stays NULL through replace() and ||.
    value = _argument(element, compiler, **kw)
    return f"replace(replace({value}, '.000000', ''), ' ', 'T') || 'Z'"


@compiles(json_instant, "postgresql")
def _instant_postgresql(element: json_instant, compiler: SQLCompiler, **kw: Any) -> str:
    value = _argument(element, compiler, **kw)
    text = f"""to_char(({value} AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS.US')"""
    return f"replace({text}, '.000000', '') || 'Z'"  # NULL stays NULL through both


@compiles(json_bool, "sqlite")
def _bool_sqlite(element: json_bool, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json(CASE WHEN {_argument(element, compiler, **kw)} THEN 'true' ELSE 'false' END)"


@compiles(json_bool, "postgresql")
def _bool_postgresql(element: json_bool, compiler: SQLCompiler, **kw: Any) -> str:
    return f"coalesce({_argument(element, compiler, **kw)}, false)"


@compiles(json_decimal, "sqlite")
def _decimal_sqlite(element: json_decimal, compiler: SQLCompiler, **kw: Any) -> str:
    (column,) = element.clauses.clauses
    value = compiler.process(column, **kw)
    scale = cast(Numeric, column.type).scale  # checked when the construct was made
    return f"CASE WHEN {value} IS NULL THEN NULL ELSE printf('%.{scale}f', {value}) END"


@compiles(json_decimal, "postgresql")
def _decimal_postgresql(element: json_decimal, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_argument(element, compiler, **kw)} AS TEXT)"  # numeric(p, s) prints s decimals
