"""The :class:`Shop`: one shop's observed tables, its hidden truth, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from custkit.schema import TABLES

if TYPE_CHECKING:
    from custkit.config import ShopConfig


@dataclass(frozen=True, eq=False)
class Shop:
    """A shop's data: the observed tables, the hidden ``truth``, and the config that made it.

    Parameters
    ----------
    tables
        Observed tables by name, with the columns of :data:`custkit.schema.TABLES`.
    truth
        One row per customer with the hidden traits and the future after the observation end
        (:data:`custkit.schema.TRUTH`); ``None`` for a shop that was not simulated.
    config
        The :class:`~custkit.config.ShopConfig` that generated it, or ``None``.
    manifest
        What the shop's files record about it (versions, row counts, checksums); filled when a
        shop is written or loaded.
    """

    tables: dict[str, pd.DataFrame]
    truth: pd.DataFrame | None = None
    config: ShopConfig | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    # One property per observed table, so that ``shop.orders`` reads like the design says.
    customers = property(lambda self: self._table("customers"))
    products = property(lambda self: self._table("products"))
    sessions = property(lambda self: self._table("sessions"))
    events = property(lambda self: self._table("events"))
    orders = property(lambda self: self._table("orders"))
    order_items = property(lambda self: self._table("order_items"))
    tickets = property(lambda self: self._table("tickets"))
    surveys = property(lambda self: self._table("surveys"))
    campaigns = property(lambda self: self._table("campaigns"))
    marketing_spend = property(lambda self: self._table("marketing_spend"))

    def _table(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            from custkit.errors import CustkitError

            raise CustkitError(f"this shop holds no {name!r} table (it holds {sorted(self.tables)}); a shop "
                               f"loaded with load_shop(path, tables=[...]) has only those: add {name!r} "
                               f"to the list.") from None

    @property
    def start(self) -> pd.Timestamp:
        """The first day of the data: the config's ``start_date``, else the day of the first order."""
        from custkit._checks import require_datetime, require_day
        from custkit.errors import CustkitError

        if self.config is not None:
            return require_day(self.config.start_date, "config.start_date")
        orders = self.tables.get("orders")
        if not isinstance(orders, pd.DataFrame) or "order_date" not in orders.columns or orders.empty:
            raise CustkitError("this shop has no config and no orders with an order_date, so it has no first day; "
                               "pass the first day of your data explicitly.")
        return require_day(require_datetime(orders, "order_date", "orders").min().normalize(), "the first order_date")

    @property
    def end(self) -> pd.Timestamp:
        """The shop's analysis day, the one default of every analysis that takes ``as_of``.

        The config's ``end_date`` (the last observed day; a simulated shop's truth holds what
        follows it) when the shop has a config, else the day of its last order. Raises a
        CustkitError for a shop with neither.
        """
        from custkit._checks import require_datetime, require_day
        from custkit.errors import CustkitError

        if self.config is not None:
            return require_day(self.config.end_date, "config.end_date")
        orders = self.tables.get("orders")
        if not isinstance(orders, pd.DataFrame) or "order_date" not in orders.columns or orders.empty:
            raise CustkitError(
                "this shop has no config and no orders with an order_date, so it has no analysis day; "
                "pass as_of (the last day of your data) explicitly."
            )
        return require_day(require_datetime(orders, "order_date", "orders").max(), "the last order_date")

    def write(self, path: str | Path, format: str = "csv", overwrite: bool = False) -> Path:
        """Write every table and ``manifest.json`` to folder ``path``; see :func:`custkit.io.write_shop`."""
        from custkit.io import write_shop

        return write_shop(self, path, format=format, overwrite=overwrite)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(df):,}" for name, df in self.tables.items() if name in TABLES)
        seed = getattr(self.config, "seed", None)
        return f"Shop(seed={seed}, {sizes}, truth={'yes' if self.truth is not None else 'no'})"
