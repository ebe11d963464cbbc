"""Exercises of notebook 06 (research playground): sweeps, their spread, your own data, the knobs.

Expected answers are computed with the kit's functions from what the notebook made: the shop it
opened and, for the sweep questions, the sweep it ran (``runs``), so the questions stay right
under other papermill parameters or another sweep.
"""

from __future__ import annotations

import types

import numpy as np
import pandas as pd

from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.exercises.core import Exercise, Mistake
from custkit.experiments import paired_effects, summarise_sweep
from custkit.transactions import customer_summary, from_transactions

__all__ = ["RETENTION_METRIC", "REVENUE_METRIC", "exercises", "repeat_buyers", "sweep_levels"]

RETENTION_METRIC = "period_retention"
"""Q1 is about this metric of the sweep."""
REVENUE_METRIC = "revenue_per_customer"
"""Q2 is about this metric of the sweep."""


def repeat_buyers(orders: pd.DataFrame, *, drop_statuses=("cancelled",), drop_types=("C2B",),
                  by: str = "day") -> int:
    """Customers with at least one repeat purchase in a bare log made from ``orders`` (Q3).

    The orders whose status is in ``drop_statuses`` or whose ``transaction_type`` is in
    ``drop_types`` are dropped, the rest go through :func:`custkit.transactions.from_transactions`
    (customer_id, order_date, net) and :func:`custkit.transactions.customer_summary`; a customer
    counts when ``frequency >= 1`` (``by="day"``: repeat purchase days, the models' convention)
    or when they have 2+ orders (``by="order"``).
    """
    keep = ~orders["status"].isin(list(drop_statuses)) & ~orders["transaction_type"].isin(list(drop_types))
    log = from_transactions(orders[keep.to_numpy()], customer="customer_id", time="order_date", amount="net")
    if by == "order":
        return int((log["orders"].groupby("customer_id").size() >= 2).sum())
    return int((customer_summary(log["orders"])["frequency"] >= 1).sum())


def sweep_levels(runs: pd.DataFrame | None, metric: str) -> pd.DataFrame:
    """The summary rows (:func:`custkit.experiments.summarise_sweep`) of one metric of ``runs``."""
    if runs is None:
        raise CustkitError("this question is about the notebook's sweep: after running it, make the questions "
                           "again with ex = nb06.exercises(shop, runs=runs).")
    summary = summarise_sweep(runs)
    rows = summary[summary["metric"] == metric].reset_index(drop=True)
    if rows.empty:
        raise CustkitError(f"the sweep has no {metric!r} metric; run it with metrics including {metric!r}.")
    return rows


def exercises(shop, runs: pd.DataFrame | None = None) -> types.SimpleNamespace:
    """The questions of notebook 06 as ``q1`` ... ``q5``.

    ``q1``, ``q2`` and ``q5`` are about the sweep ``runs`` (the output of :func:`custkit.experiments.sweep`
    with the metrics ``period_retention`` and ``revenue_per_customer``); they can be checked only
    when ``runs`` is given. ``q3`` uses ``shop.orders``; ``q4`` the knobs of :class:`ShopConfig`.
    """
    orders = shop.orders

    def retention_rows() -> pd.DataFrame:
        return sweep_levels(runs, RETENTION_METRIC)

    def revenue_at_top() -> pd.Series:
        rows = sweep_levels(runs, REVENUE_METRIC)
        return rows.loc[rows["knob_value"].astype(float).idxmax()]

    def lowest_mean_value():
        rows = retention_rows()
        return rows.loc[rows["mean"].idxmin(), "knob_value"]

    def lowest_single_run(answer) -> bool:
        one = runs[runs["metric"] == RETENTION_METRIC]
        value = one.loc[one["value"].idxmin(), "knob_value"]
        return _same(answer, value) and not _same(answer, lowest_mean_value())

    def is_lowest_rate(answer) -> bool:
        return _number(answer) and np.isclose(float(answer), retention_rows()["mean"].min(), rtol=1e-6)

    def width(row: pd.Series) -> float:
        return float(row["ci_high"] - row["ci_low"])

    def width_like(answer, kind: str) -> bool:
        if not _number(answer):
            return False
        row = revenue_at_top()
        n, sd = float(row["n"]), float(row["sd"])
        value = {"half": width(row) / 2, "z": 2 * 1.959964 * sd / np.sqrt(n), "sd": 2 * sd,
                 "no_sqrt": width(row) * np.sqrt(n)}[kind]
        return bool(np.isclose(float(answer), value, rtol=1e-3))

    q1 = Exercise(
        "Q1",
        f"In the sweep, at which value of the knob is the mean {RETENTION_METRIC} (over the seeds) lowest? "
        "Give the knob value, e.g. 0.15.",
        expected=lowest_mean_value,
        hint="experiments.summarise_sweep(runs) gives one row per knob value and metric; keep the "
             f"{RETENTION_METRIC!r} rows and find the row with the smallest mean.",
        solution="summary = experiments.summarise_sweep(runs)\n"
                 f"rows = summary[summary['metric'] == {RETENTION_METRIC!r}]\n"
                 "answer = rows.loc[rows['mean'].idxmin(), 'knob_value']",
        rel_tol=1e-9,
        mistakes=[
            Mistake(is_lowest_rate, "that is the lowest retention itself; the question asks at which knob "
                                    "value it happens (a value of the knob_value column)."),
            Mistake(lowest_single_run, "that is where one seed's shop had its lowest retention; a single small "
                                       "shop is noisy, so compare the means over the seeds."),
        ],
    )
    q2 = Exercise(
        "Q2",
        f"How wide is the 95 % interval of the mean {REVENUE_METRIC} at the largest knob value of the sweep "
        "(ci_high - ci_low, in the shop's currency)?",
        expected=lambda: width(revenue_at_top()),
        hint="summarise_sweep gives ci_low and ci_high per knob value; take the revenue_per_customer row of "
             "the largest knob value and subtract.",
        solution="summary = experiments.summarise_sweep(runs)\n"
                 f"rows = summary[summary['metric'] == {REVENUE_METRIC!r}]\n"
                 "top = rows.loc[rows['knob_value'].idxmax()]\n"
                 "answer = top['ci_high'] - top['ci_low']",
        mistakes=[
            Mistake(lambda a: width_like(a, "half"), "that is the half-width (mean to one end); the width runs "
                                                     "from ci_low to ci_high."),
            Mistake(lambda a: width_like(a, "z"), "that uses the normal quantile 1.96; with only a few seeds the "
                                                  "interval of the mean uses Student's t with n - 1 degrees of "
                                                  "freedom, which is much larger (4.30 for three seeds)."),
            Mistake(lambda a: width_like(a, "sd"), "that is two standard deviations of the runs; the interval of "
                                                   "the mean uses the standard error sd / sqrt(n) times t."),
            Mistake(lambda a: width_like(a, "no_sqrt"), "that forgets to divide the standard deviation by "
                                                        "sqrt(n): the mean of n runs varies less than one run."),
        ],
    )
    counts: dict[tuple, int] = {}

    def count(**variant) -> int:
        """repeat_buyers(orders, **variant), computed once, when a check first needs it."""
        key = tuple(sorted(variant.items()))
        if key not in counts:
            counts[key] = repeat_buyers(orders, **variant)
        return counts[key]

    def gives(answer, **variant) -> bool:
        return _number(answer) and round(float(answer)) == count(**variant) != count()

    def all_buyers(answer) -> bool:
        keep = (orders["status"] != "cancelled") & (orders["transaction_type"] != "C2B")
        return _number(answer) and round(float(answer)) == int(orders.loc[keep, "customer_id"].nunique())

    q3 = Exercise(
        "Q3",
        "Treat the shop's orders as a researcher's bare export: keep the purchases (drop cancelled orders and "
        "C2B trade-ins), pass them through from_transactions (customer_id, order_date, net) and "
        "customer_summary. How many customers made at least one repeat purchase? (an integer)",
        expected=count,
        hint="customer_summary counts repeat purchase days in its frequency column; count the customers "
             "with frequency >= 1.",
        solution="keep = (shop.orders['status'] != 'cancelled') & (shop.orders['transaction_type'] != 'C2B')\n"
                 "log = ck.transactions.from_transactions(shop.orders[keep], customer='customer_id',\n"
                 "                                        time='order_date', amount='net')\n"
                 "summary = ck.transactions.customer_summary(log['orders'])\n"
                 "answer = int((summary['frequency'] >= 1).sum())",
        rel_tol=0, abs_tol=0.5,
        mistakes=[
            Mistake(lambda a: _number(a) and 0 < float(a) < 1,
                    "that looks like a share; the question asks for a number of customers."),
            Mistake(lambda a: gives(a, drop_statuses=()),
                    "that keeps the cancelled orders: a bare log cannot tell a cancelled order from a "
                    "purchase, so drop them before from_transactions."),
            Mistake(lambda a: gives(a, drop_types=()),
                    "that keeps the C2B trade-ins, where the shop buys from the customer; they are not "
                    "purchases by the customer."),
            Mistake(lambda a: gives(a, by="order"),
                    "that counts customers with two or more orders; customer_summary counts repeat purchase "
                    "*days* (two orders on one day are one purchase occasion)."),
            Mistake(all_buyers,
                    "that counts every buyer; keep only those whose frequency (repeat purchases) is at least 1."),
        ],
    )
    knobs = ShopConfig.describe()
    d3 = {str(name) for name in knobs.loc[knobs["concept"] == "D3", "field"]}
    q4 = Exercise(
        "Q4",
        "Which knobs of ShopConfig would you turn to study concept D3 (on-time delivery and fitting "
        "responses before and after the purchase)? Give the set of field names that "
        "ShopConfig.describe() tags with concept D3.",
        expected=d3,
        hint="ShopConfig.describe() is a table with a concept column; keep the rows tagged 'D3'.",
        solution="knobs = ck.ShopConfig.describe()\n"
                 "answer = set(knobs.loc[knobs['concept'] == 'D3', 'field'])",
        mistakes=[
            Mistake(lambda a: isinstance(a, (set, frozenset, list, tuple)) and set(map(str, a)) < d3,
                    "some D3 knobs are missing: besides the delivery knobs, D3 covers the support answer "
                    "times and returns."),
            Mistake(lambda a: isinstance(a, (set, frozenset, list, tuple)) and set(map(str, a)) > d3,
                    "that includes knobs of other concepts; keep only the rows whose concept is D3."),
            Mistake(lambda a: isinstance(a, str), "give a set of field names, e.g. {'delivery_days', ...}."),
        ],
    )
    def top_effect() -> pd.Series:
        retention_rows()  # the same checks and messages as Q1
        effects = summarise_sweep(paired_effects(runs))
        rows = effects[effects["metric"] == RETENTION_METRIC]
        return rows.loc[rows["knob_value"].astype(float).idxmax()]

    def paired_excludes_zero() -> bool:
        row = top_effect()
        return bool(row["ci_high"] < 0 or row["ci_low"] > 0)

    def unpaired_says_different() -> bool:
        rows = retention_rows().set_index("knob_value")
        first, top = rows.iloc[0], rows.loc[top_effect()["knob_value"]]
        return bool(top["ci_high"] < first["ci_low"] or top["ci_low"] > first["ci_high"])

    q5 = Exercise(
        "Q5",
        f"Compare each seed's shop at the largest knob value with the same seed's shop at the first value "
        f"(paired_effects). Does the paired 95 % interval of the change in {RETENTION_METRIC} exclude zero? "
        "(True or False)",
        expected=paired_excludes_zero,
        hint="experiments.summarise_sweep(experiments.paired_effects(runs)) gives ci_low and ci_high of the "
             "effect per knob value; zero is excluded when both bounds have the same sign.",
        solution="effects = experiments.summarise_sweep(experiments.paired_effects(runs))\n"
                 f"rows = effects[effects['metric'] == {RETENTION_METRIC!r}]\n"
                 "top = rows.loc[rows['knob_value'].idxmax()]\n"
                 "answer = bool(top['ci_high'] < 0 or top['ci_low'] > 0)",
        mistakes=[
            Mistake(lambda a: isinstance(a, (bool, np.bool_)) and bool(a) == unpaired_says_different()
                    and bool(a) != paired_excludes_zero(),
                    "that is what the unpaired intervals of the figure say (do the bands at the two ends "
                    "overlap?); the question pairs each shop with the same seed's shop at the first value, "
                    "which removes the chance the two shops share."),
            Mistake(lambda a: not isinstance(a, (bool, np.bool_)), "answer True or False."),
        ],
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)


def _number(value: object) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _same(a: object, b: object) -> bool:
    if _number(a) and _number(b):
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12))
    return a == b
