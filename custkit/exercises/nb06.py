"""Exercises of notebook 06 (research playground): sweeps, their spread, your own data, the knobs.

Expected answers are computed with the kit's functions from what the notebook made: the shop it
opened and, for the sweep questions, the sweep it ran (``runs``), so the questions stay right
under other papermill parameters or another sweep. Q6 asks for by hand (pandas and scipy) what
:func:`custkit.experiments.summarise_sweep` gives; Q7 and Q8 are multiple choice: reading a paired
interval, and choosing a sound way on after the kit refuses to fit a model on six customers.
"""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
from scipy import stats

from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.exercises.core import Choice, Exercise, Mistake
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
    """The questions of notebook 06 as ``q1`` ... ``q8``.

    ``q1``, ``q2``, ``q5``, ``q6`` and ``q7`` are about the sweep ``runs`` (the output of
    :func:`custkit.experiments.sweep` with the metrics ``period_retention`` and
    ``revenue_per_customer``); they can be checked only when ``runs`` is given. ``q3`` uses
    ``shop.orders``; ``q4`` the knobs of :class:`ShopConfig`; ``q8`` the message of the kit's
    refusal to fit BG/NBD on the six customers of the notebook's log.
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
        hint=("Each knob value has one mean over the seeds; the question asks for the knob value (not the "
              "retention itself) where that mean is smallest.",
              "experiments.summarise_sweep(runs) gives one row per knob value and metric; keep the "
              f"{RETENTION_METRIC!r} rows and take rows.loc[rows['mean'].idxmin(), 'knob_value']."),
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
        hint=("The interval of the mean has two ends; its width is the distance between them, not the "
              "distance from the mean to one end.",
              "summarise_sweep gives ci_low and ci_high per knob value; take the revenue_per_customer row of "
              "the largest knob value (rows['knob_value'].idxmax()) and subtract ci_low from ci_high."),
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
        hint=("A bare log cannot tell a cancelled order or a trade-in from a purchase: remove them from "
              "shop.orders before from_transactions. A repeat purchase shows in the summary's frequency.",
              "keep = (shop.orders['status'] != 'cancelled') & (shop.orders['transaction_type'] != 'C2B'); "
              "customer_summary counts repeat purchase days in its frequency column: count the customers "
              "with frequency >= 1."),
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
        hint=("The table of knobs (ShopConfig.describe()) says for each knob which concept of the course "
              "it illustrates.",
              "Keep the rows of ShopConfig.describe() whose concept column is 'D3' and make a set of their "
              "field column."),
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
        hint=("Pair first, then summarise: paired_effects turns each shop into its difference from the same "
              "seed's shop at the first value. Zero is excluded when the whole interval lies on one side of it.",
              "experiments.summarise_sweep(experiments.paired_effects(runs)) gives ci_low and ci_high of the "
              "effect per knob value; take the row of the largest value: zero is excluded when both bounds "
              "have the same sign."),
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
    def retention_runs(value=None) -> pd.DataFrame:
        """The period_retention rows of ``runs`` at one knob value (default: the largest)."""
        retention_rows()  # the same checks and messages as Q1
        one = runs[runs["metric"] == RETENTION_METRIC]
        if value is None:
            value = one["knob_value"].astype(float).max()
        return one[one["knob_value"].astype(float) == float(value)]

    def upper_end(values: pd.Series, *, q: float = 0.975, df_less: int = 1, ddof: int = 1,
                  root: bool = True, z: bool = False, sign: float = 1.0) -> float:
        """mean + sign * t * sd / sqrt(n), with the variations that make the typical mistakes of Q6."""
        n = len(values)
        t = 1.959964 if z else float(stats.t.ppf(q, n - df_less))
        spread = float(values.std(ddof=ddof)) / (np.sqrt(n) if root else 1.0)
        return float(values.mean()) + sign * t * spread

    def top_retention_row() -> pd.Series:
        rows = retention_rows()
        return rows.loc[rows["knob_value"].astype(float).idxmax()]

    def q6_like(answer, **variant) -> bool:
        if not _number(answer):
            return False
        values = retention_runs(variant.pop("value", None))["value"]
        return bool(np.isclose(float(answer), upper_end(values, **variant), rtol=1e-4)) and not np.isclose(
            float(answer), float(top_retention_row()["ci_high"]), rtol=1e-4)

    def q6_pooled(answer) -> bool:
        if not _number(answer):
            return False
        values = runs.loc[runs["metric"] == RETENTION_METRIC, "value"]
        return bool(np.isclose(float(answer), upper_end(values), rtol=1e-4))

    def first_value():
        return retention_rows()["knob_value"].iloc[0]

    q6 = Exercise(
        "Q6",
        f"By hand, with pandas and scipy: from runs alone, compute the upper end of the 95 % interval of the "
        f"mean {RETENTION_METRIC} at the largest knob value of the sweep, mean + t * sd / sqrt(n), with "
        "t = scipy.stats.t.ppf(0.975, n - 1). (summarise_sweep gives it as ci_high: compute it yourself, "
        "then compare.)",
        expected=lambda: float(top_retention_row()["ci_high"]),
        hint=("Keep the rows of runs for one metric and one knob value: they are the seeds' shops. Their "
              "mean, their standard deviation and their number n are all you need.",
              f"one = runs[(runs['metric'] == {RETENTION_METRIC!r}) & (runs['knob_value'] == "
              "runs['knob_value'].max())]['value']; then n = len(one), t = stats.t.ppf(0.975, n - 1) and "
              "one.mean() + t * one.std() / n ** 0.5 (pandas' .std() divides by n - 1)."),
        solution="from scipy import stats\n"
                 f"one = runs[(runs['metric'] == {RETENTION_METRIC!r}) & (runs['knob_value'] == runs['knob_value'].max())]\n"
                 "values = one['value']\n"
                 "n = len(values)\n"
                 "t = stats.t.ppf(0.975, n - 1)             # 4.30 for three seeds\n"
                 "answer = values.mean() + t * values.std() / n ** 0.5   # pandas' std: ddof = 1\n"
                 "# the same as summarise_sweep(runs)'s ci_high of that row",
        rel_tol=1e-6,
        mistakes=[
            Mistake(lambda a: q6_like(a, z=True),
                    "that uses the normal quantile 1.96; with a few seeds the interval of the mean uses "
                    "Student's t with n - 1 degrees of freedom (4.30 for three seeds), which is wider."),
            Mistake(lambda a: q6_like(a, ddof=0),
                    "that divides the squared deviations by n (ddof=0, numpy's np.std default); the t interval "
                    "needs the sample standard deviation, which divides by n - 1: pandas' .std() does."),
            Mistake(lambda a: q6_like(a, root=False),
                    "that forgets to divide the standard deviation by sqrt(n): the mean of n shops varies "
                    "less than one shop does."),
            Mistake(lambda a: q6_like(a, df_less=0),
                    "that takes t with n degrees of freedom; the interval of a mean of n runs uses n - 1."),
            Mistake(lambda a: q6_like(a, q=0.95),
                    "t.ppf(0.95, ...) leaves 5 % in one tail, a 90 % interval; a two-sided 95 % interval "
                    "leaves 2.5 % in each tail: t.ppf(0.975, n - 1)."),
            Mistake(lambda a: q6_like(a, sign=-1.0),
                    "that is the lower end of the interval (mean minus t * sd / sqrt(n)); the question asks "
                    "for the upper end."),
            Mistake(lambda a: q6_like(a, value=first_value()),
                    "that is the interval at the first knob value; the question asks about the largest one."),
            Mistake(q6_pooled,
                    "that pools the shops of every knob value; keep only the rows of the largest value, the "
                    "seeds' shops at that value."),
        ],
    )

    def first_step() -> pd.Series:
        retention_rows()  # the same checks and messages as Q1
        effects = summarise_sweep(paired_effects(runs))
        rows = effects[effects["metric"] == RETENTION_METRIC]
        if rows.empty:
            raise CustkitError("the sweep needs at least two knob values for a paired effect.")
        return rows.iloc[0]

    def reading() -> str:
        row = first_step()
        if row["ci_high"] < 0:
            return "a"
        if row["ci_low"] > 0:
            return "e"
        return "b"

    q7 = Choice(
        "Q7",
        f"Look at the paired effect of the first step of the sweep (the second knob value against the first) "
        f"on {RETENTION_METRIC}, in retention_effect. Which conclusion do the numbers allow? (answer with a "
        f"letter)",
        options={
            "a": "Three small shops are already enough to say that this step of late deliveries costs retention.",
            "b": "A sizeable loss and no change at all both fit these shops; nobody should quote a size for this "
                 "step before a sweep with more seeds or bigger shops.",
            "c": "This step of late deliveries leaves retention as it is.",
            "d": "The mean change is negative, so the step surely costs retention, whatever its interval.",
            "e": "This step of late deliveries raises retention.",
        },
        answer=reading,
        hint=("Look at both ends of the interval of the first row, ci_low and ci_high: on which side of zero "
              "do they lie? The mean alone is not enough.",
              "Wholly below zero means ci_high < 0; wholly above, ci_low > 0; otherwise the interval holds "
              "zero, and with it sizeable losses as well as no effect at all: the effect is not shown yet, "
              "which is not the same as no effect."),
        solution="effects = experiments.summarise_sweep(experiments.paired_effects(runs))\n"
                 f"first = effects[effects['metric'] == {RETENTION_METRIC!r}].iloc[0]\n"
                 "if first['ci_high'] < 0:\n"
                 "    answer = 'a'   # the whole interval is a loss\n"
                 "elif first['ci_low'] > 0:\n"
                 "    answer = 'e'   # the whole interval is a gain\n"
                 "else:\n"
                 "    answer = 'b'   # zero is inside: not shown yet, which is not the same as no effect\n"
                 "# an interval that straddles zero does not prove there is no effect (c): it also holds\n"
                 "# losses as large as its lower end. The mean alone (d) moves by chance in three small shops.",
        why={
            "a": "that needs the whole interval below zero; check ci_high of the first row: is the upper end "
                 "below zero?",
            "b": "that is the reading of an interval that holds zero; check both ends of the first row: is "
                 "ci_low below zero and ci_high above it?",
            "c": "an interval that holds zero also holds losses as large as its lower end: not shown is not the "
                 "same as no effect. Check whether it holds zero at all, then say what more data would settle.",
            "d": "the mean of three small shops moves by chance; the interval says how far. Read the interval, "
                 "not the mean alone.",
            "e": "that needs the whole interval above zero; check ci_low of the first row: is the lower end "
                 "above zero?",
        },
    )
    q8 = Choice(
        "Q8",
        "In section 5 the kit refuses to fit BG/NBD on the researcher's six customers, and the researcher "
        "cannot collect more customers this year. A colleague proposes four ways to go on. Which one is "
        "sound? (answer with a letter)",
        options={
            "a": "Report the parameters where the fit stopped: they are the best these six customers allow.",
            "b": "Take the four parameters estimated from the shop's thousands of customers (the last cell "
                 "of section 5), if those customers are like the researcher's, give them to the model with "
                 "set_params(...), and predict for the six.",
            "c": "Run the fit again with more iterations until it converges.",
            "d": "Drop the two customers without a repeat purchase and fit on the four who came back.",
        },
        answer="b",
        hint=("Read the refusal to its end: it names two ways out. One of them is closed to this researcher; "
              "which proposal takes the other?",
              "'Ran to the edge' means the likelihood kept rising towards a limiting case: there is no best "
              "point inside to report or to find with more iterations, and fewer customers tell the model "
              "even less. What is left are values that do not come from these six customers: known values, "
              "from a fit on many similar customers."),
        solution="message = ''\n"
                 "try:\n"
                 "    ck.retention.BetaGeoNBD().fit(history)\n"
                 "except ck.CustkitError as refusal:\n"
                 "    message = str(refusal)\n"
                 "print(message[message.index('This happens'):])   # the two ways out\n"
                 "buys = ck.definitions.purchases_until(shop.orders, shop.end)\n"
                 "shop_history = ck.transactions.customer_summary(buys, as_of=shop.end, freq='W')\n"
                 "shop_model = ck.retention.BetaGeoNBD().fit(shop_history)   # thousands of customers: it fits\n"
                 "known = ck.retention.BetaGeoNBD().set_params(**dict(shop_model.params_))\n"
                 "print(known.probability_alive(history['frequency'], history['recency'], history['T']).round(2))\n"
                 "answer = 'b'\n"
                 "# more customers are out, so known values are the way: a fit on many similar customers.\n"
                 "# Edge values mean nothing (a), more iterations only walk further to the edge (c), fewer\n"
                 "# customers make it worse (d).",
        why={
            "a": "at the edge the model has collapsed to a limiting case (everybody buying at one rate, nobody "
                 "leaving): where the search stopped is arbitrary, so those numbers look precise and mean "
                 "nothing.",
            "c": "the search did not stop too early: the likelihood keeps rising towards the edge, so more "
                 "iterations only walk further; there is no peak inside for them to find.",
            "d": "fewer customers make it worse: the model learns about dropping out from customers who "
                 "stopped buying, and learns spread from many customers, not from four.",
        },
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5, q6=q6, q7=q7, q8=q8)


def _number(value: object) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))


def _same(a: object, b: object) -> bool:
    if _number(a) and _number(b):
        return bool(np.isclose(float(a), float(b), rtol=1e-9, atol=1e-12))
    return a == b
