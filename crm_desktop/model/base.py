"""The declarative base: every table is in schema ``crm``; versioned rows let the server bump
``version`` (trigger) and SQLAlchemy refuses a stale update."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, FetchedValue, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Base(DeclarativeBase):
    metadata = MetaData(schema="crm")


class Versioned:
    """Rows with a server-maintained version (crm.bump_version)."""

    version: Mapped[int] = mapped_column(server_default="1")
    created_at: Mapped[datetime] = mapped_column(server_default="now()")
    updated_at: Mapped[datetime] = mapped_column(server_default="now()")
    updated_by: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue(),
                                                   server_onupdate=FetchedValue())
    """The account that saved the row last (kept by the version triggers)."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False,
                "eager_defaults": True}
