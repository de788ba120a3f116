"""The one rounding rule of every document (quote, sales order, contract, later bills), in Python.

The database computes and stores the amounts (``definitions/sales_documents.sql``: ``crm.money_round``,
``crm.line_amount``, ``crm.line_net_amount``, ``crm.spread_discount``); this module is its exact
mirror for the form's preview while the user types, so what the form shows is what the save stores.
``tests/db/test_quotes.py`` compares the two on random line sets.

The rule:

* money is rounded to the cent, half up (amounts are never negative);
* a line's amount is round(quantity × unit price); after its own discount round(amount × rate);
* a whole-document discount rate gives the total round(Σ line nets × rate); each line gets
  round(net × rate) and the cents left over (either sign) go to the largest line (the first of
  equals), so the lines add up to the total exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ONE = Decimal("1")


def money_round(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return money_round(Decimal(quantity) * Decimal(unit_price))


def line_net_amount(amount: Decimal, discount: Decimal) -> Decimal:
    return money_round(Decimal(amount) * Decimal(discount))


def spread_discount(nets: list[Decimal], rate: Decimal) -> list[Decimal]:
    if not nets:
        return []
    target = money_round(sum(nets, Decimal(0)) * rate)
    result = [money_round(n * rate) for n in nets]
    largest = 0
    for i, n in enumerate(nets):
        if n > nets[largest]:
            largest = i
    result[largest] += target - sum(result, Decimal(0))
    return result


@dataclass(frozen=True)
class LineFigures:
    amount: Decimal
    net_amount: Decimal
    discounted_amount: Decimal


@dataclass(frozen=True)
class DocumentFigures:
    lines: tuple[LineFigures, ...]
    total_quantity: Decimal
    total_amount: Decimal
    net_amount: Decimal
    discounted_total: Decimal

    @property
    def effective_rate(self) -> Decimal:
        """折扣 %: the total after all discounts over the total before (1 for an empty document)."""
        if self.total_amount == 0:
            return ONE
        return (self.discounted_total / self.total_amount).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def document_figures(lines: list[tuple[Decimal, Decimal, Decimal]], rate: Decimal = ONE) -> DocumentFigures:
    """``lines`` as (quantity, unit price, line rate), in line order: every stored figure."""
    amounts = [line_amount(q, p) for q, p, _d in lines]
    nets = [line_net_amount(a, d) for a, (_q, _p, d) in zip(amounts, lines)]
    finals = spread_discount(nets, Decimal(rate))
    return DocumentFigures(
        lines=tuple(LineFigures(a, n, f) for a, n, f in zip(amounts, nets, finals)),
        total_quantity=sum((Decimal(q) for q, _p, _d in lines), Decimal(0)),
        total_amount=sum(amounts, Decimal(0)),
        net_amount=sum(nets, Decimal(0)),
        discounted_total=sum(finals, Decimal(0)),
    )
