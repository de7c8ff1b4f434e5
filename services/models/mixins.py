"""`OrgScoped`: fetch a row by id only within one organisation.

Every tenant's rows share the tables, so "get by id" without the organisation is a leak waiting to
happen; views wrote `get(id)` then `if row.org_id != org: 404` by hand, each a little differently.
A model that belongs to an organisation mixes this in, and the lookup takes both the id and the
organisation: another organisation's id reads as None, the same answer as an id that never existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Select, select

from services.db import db

_SQL_INTEGER_MAX = 2**63 - 1  # the widest integer key the databases store (BIGINT)

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped


class OrgScoped:
    """A model whose rows belong to an organisation (its `org_id`, unless `_in_org` says otherwise)."""

    if TYPE_CHECKING:
        id: Mapped[Any]
        org_id: Mapped[int]

    @classmethod
    def accepts_id(cls, object_id: object) -> bool:
        """Whether `object_id` can be a key of this model: an integer the database can hold.

        Anything else (a string, a bool, an integer too wide for the column) is no row, and is
        never sent to the database, where it could fail as an error instead of being absent.
        """
        return isinstance(object_id, int) and not isinstance(object_id, bool) and 0 < object_id <= _SQL_INTEGER_MAX

    @classmethod
    def _in_org(cls, query: Select[Any], org_id: int) -> Select[Any]:
        """Narrow `query` to the organisation's rows; a model owned through another table overrides it."""
        return query.where(cls.org_id == org_id)

    @classmethod
    def get_by_id_and_org(cls, object_id: object, org_id: int, **match: object) -> Self | None:
        """The row with this id in the organisation, else None (whether absent or another tenant's).

        `match` narrows further by column equality, e.g. `user_id=me` for a row only its owner sees.
        """
        if not cls.accepts_id(object_id):
            return None
        query = cls._in_org(select(cls).where(cls.id == object_id), org_id)
        for column, value in match.items():
            query = query.where(getattr(cls, column) == value)
        return db.session.scalar(query)
