"""What every retention analysis shares: reading ``as_of`` and choosing the orders that count.

Which orders count as a customer's purchase (and as the shop's revenue) is the one rule of
:mod:`custkit.purchases`: by default cancelled orders are left out, and so are C2B trade-ins (the
shop buys from a customer, concept A5 [001]). C2C marketplace sales count as the buyer's purchases
(the buyer uses the shop's marketplace), and their ``shop_revenue`` is only the shop's commission.
Returned orders stay: the customer did buy, and their ``shop_revenue`` is already 0
(custkit.schema.ORDERS). Statuses or types outside the kit's vocabulary are refused by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from custkit._checks import (
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_names,
    require_numeric,
)
from custkit.errors import CustkitError, SchemaError
from custkit.purchases import NON_PURCHASE_STATUSES, NON_PURCHASE_TYPES, check_vocabulary

EXCLUDED_TYPES: tuple[str, ...] = NON_PURCHASE_TYPES
"""Transaction types left out of purchases and revenue by default."""

EXCLUDED_STATUSES: tuple[str, ...] = NON_PURCHASE_STATUSES
"""Order statuses left out of purchases and revenue by default."""

ONE_DAY = pd.Timedelta(days=1)


def purchases(
    orders: pd.DataFrame,
    *,
    as_of: object,
    customer: str = "customer_id",
    date: str = "order_date",
    value_cols: Sequence[str] = (),
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
    name: str = "orders",
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The orders that count as purchases up to ``as_of``, as a small checked copy.

    Returns a frame with columns ``customer``, ``date`` (datetime64) and each of ``value_cols``
    (floats), keeping orders placed on or before the day ``as_of`` (the whole day counts), and
    the ``as_of`` day itself. Orders whose ``transaction_type`` is in ``exclude_types`` or whose
    ``status`` is in ``exclude_statuses`` are dropped; a table without those columns (a
    researcher's bare log, the output of :func:`custkit.transactions.from_transactions`) is taken
    to hold purchases only.
    """
    require_frame(orders, name)
    end = require_day(as_of)
    require_columns(orders, [customer, date, *value_cols], name)
    for col in value_cols:
        require_numeric(orders, col, name)
    when = require_datetime(orders, date, name)
    if when.isna().any():
        raise SchemaError(f"{name}[{date!r}] has missing dates; drop or fill those rows first.")
    if orders[customer].isna().any():
        raise SchemaError(
            f"{name}[{customer!r}] has missing customer ids; drop those rows "
            f"(anonymous purchases cannot be followed over time)."
        )
    keep = (when < end + ONE_DAY).to_numpy().copy()
    exclude_types = require_names(exclude_types, "exclude_types")
    exclude_statuses = require_names(exclude_statuses, "exclude_statuses")
    check_vocabulary(orders, transaction_type=transaction_type, status=status, extra_types=exclude_types,
                     extra_statuses=exclude_statuses, name=name)
    if exclude_types and transaction_type in orders.columns:
        keep &= ~orders[transaction_type].isin(exclude_types).to_numpy()
    if exclude_statuses and status in orders.columns:
        keep &= ~orders[status].isin(exclude_statuses).to_numpy()
    out = pd.DataFrame({"customer": orders[customer].to_numpy(), "date": when.to_numpy()})
    for col in value_cols:
        out[col] = orders[col].to_numpy(dtype=float, na_value=float("nan"))
    out = out[keep].reset_index(drop=True)
    if out.empty:
        raise CustkitError(
            f"{name} has no purchase on or before as_of ({end.date()}) once cancelled orders and "
            f"the types {exclude_types} are left out; check as_of and the exclusions."
        )
    return out, end


def require_table(df: object, columns: Iterable[str], name: str, *, numeric: Iterable[str] = ()) -> pd.DataFrame:
    """A non-empty DataFrame with ``columns`` (the ``numeric`` ones holding finite numbers), or a
    SchemaError naming what is wrong."""
    require_frame(df, name)
    require_columns(df, columns, name)
    for column in numeric:
        require_numeric(df, column, name)
    return df
