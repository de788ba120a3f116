"""The letterhead and the print templates (server_schema/0024_printing.sql)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Identity, LargeBinary, SmallInteger
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.orm import Mapped, mapped_column

from crm_desktop.model.base import Base, Versioned


class PrintLetterhead(Versioned, Base):
    """The one row (id 1) every printout's header is taken from."""

    __tablename__ = "print_letterhead"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    name: Mapped[str] = mapped_column(default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime: Mapped[str | None]
    address: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    fax: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    website: Mapped[str] = mapped_column(default="")
    bank: Mapped[str] = mapped_column(default="")
    tax_number: Mapped[str] = mapped_column(default="")


class PrintTemplateRow(Versioned, Base):
    __tablename__ = "print_template"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    kind: Mapped[str]
    title: Mapped[str] = mapped_column(default="")
    footer: Mapped[str] = mapped_column(default="")
    hidden_columns: Mapped[list[str]] = mapped_column(ARRAY(TEXT), default=list)
