"""The base every contract shares: frozen, versioned, tolerant of new fields."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """A frozen, versioned message model.

    ``extra="ignore"`` lets an older consumer read a message written by a newer
    producer that added optional fields.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=False)

    #: Stable name used in the ``schema`` field of a stream entry.
    contract_name: ClassVar[str] = "Contract"

    @classmethod
    def schema_tag(cls) -> str:
        """``Name/version`` as written in a stream entry's ``schema`` field."""
        version = cls.model_fields["schema_version"].default
        return f"{cls.contract_name}/{version}"
