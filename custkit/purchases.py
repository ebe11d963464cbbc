"""What counts as a purchase: one rule, read by every analysis.

An order is a customer's purchase when

- its transaction type is one in which ``customer_id`` buys: B2C, B2B and C2C (on the shop's
  marketplace the buyer buys; the shop earns a commission), not C2B (the shop buys a trade-in from
  the customer, concept A5 of article [001]);
- its status says it was bought: ``delivered`` or ``returned`` (the customer did buy; a return's
  ``shop_revenue`` is already 0), not ``cancelled`` (never bought).

A table without the type or the status column (a researcher's bare log, the output of
:func:`custkit.transactions.from_transactions`) holds purchases only.

Real logs have statuses of their own (``pending``, ``shipped``, ``refunded``). The rule does not
guess what they mean: a value outside the kit's vocabulary is refused with a CustkitError that
names it and shows how to map it onto the kit's words, e.g.
``orders.replace({"status": {"shipped": "delivered", "pending": "cancelled"}})``. Analyses that
take a list of counted values (``custkit.definitions.purchases_until(types=..., statuses=...)``)
accept any value the user lists there; the rest do not count.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from custkit.errors import SchemaError

PURCHASE_TYPES: tuple[str, ...] = ("B2C", "B2B", "C2C")
"""Transaction types in which ``orders.customer_id`` buys something."""

NON_PURCHASE_TYPES: tuple[str, ...] = ("C2B",)
"""Transaction types that are not the customer's purchase (the shop buys from the customer)."""

PURCHASE_STATUSES: tuple[str, ...] = ("delivered", "returned")
"""Order statuses that count as a purchase."""

NON_PURCHASE_STATUSES: tuple[str, ...] = ("cancelled",)
"""Order statuses that do not (a cancelled order was never bought)."""

TRANSACTION_TYPES: tuple[str, ...] = PURCHASE_TYPES + NON_PURCHASE_TYPES
ORDER_STATUSES: tuple[str, ...] = PURCHASE_STATUSES + NON_PURCHASE_STATUSES


def check_vocabulary(orders: pd.DataFrame, *, transaction_type: str = "transaction_type", status: str = "status",
                     extra_types: Iterable[str] | None = (), extra_statuses: Iterable[str] | None = (),
                     name: str = "orders") -> None:
    """Raise a SchemaError if a type or status column holds values outside the kit's words.

    ``extra_types`` and ``extra_statuses`` are values the caller has decided about (listed them
    as counted or as excluded), which are therefore known too; ``None`` accepts every value of
    that column. Missing columns are fine (a bare log).
    """
    for column, known, extra, words in (
        (transaction_type, TRANSACTION_TYPES, extra_types, "transaction types"),
        (status, ORDER_STATUSES, extra_statuses, "order statuses"),
    ):
        if column not in orders.columns or extra is None:
            continue
        values = orders[column]
        allowed = set(known) | set(extra)
        unknown = sorted({str(v) for v in values.dropna().unique() if v not in allowed})
        if values.isna().any():
            unknown.append("<missing>")
        if unknown:
            raise SchemaError(
                f"{name}[{column!r}] holds {words} the kit's purchase rule does not know: {unknown[:8]}; "
                f"it knows {list(known)}. Map yours onto these first, e.g. "
                f"{name}.replace({{{column!r}: {{{unknown[0]!r}: {known[0]!r}}}}}), so that every "
                f"analysis counts the same purchases (custkit.purchases explains the rule)."
            )


def purchase_mask(orders: pd.DataFrame, *, transaction_type: str = "transaction_type", status: str = "status",
                  types: Iterable[str] | None = PURCHASE_TYPES,
                  statuses: Iterable[str] | None = PURCHASE_STATUSES, name: str = "orders") -> np.ndarray:
    """Boolean array: which rows of ``orders`` are purchases under the rule (see the module).

    ``types`` and ``statuses`` list the counted values (``None`` counts every value); a table
    without one of the columns counts every row for it. Values outside the vocabulary that the
    caller has not listed raise a SchemaError (:func:`check_vocabulary`).
    """
    types = None if types is None else list(types)
    statuses = None if statuses is None else list(statuses)
    check_vocabulary(orders, transaction_type=transaction_type, status=status, extra_types=types,
                     extra_statuses=statuses, name=name)
    keep = np.ones(len(orders), dtype=bool)
    if types is not None and transaction_type in orders.columns:
        keep &= orders[transaction_type].isin(types).to_numpy()
    if statuses is not None and status in orders.columns:
        keep &= orders[status].isin(statuses).to_numpy()
    return keep
