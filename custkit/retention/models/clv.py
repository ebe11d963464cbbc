"""Customer lifetime value from a purchase model and a spend model, and how to grade it.

:func:`customer_lifetime_value` combines a fitted :class:`~custkit.retention.models.BetaGeoNBD`
(or :class:`~custkit.retention.models.ParetoNBD`) with a fitted
:class:`~custkit.retention.models.GammaGamma`, month by month with discounting, in the manner of
``lifetimes.utils._customer_lifetime_value``. :func:`score_clv` grades such predictions against
what the customers really did later (a simulated shop's ``truth`` table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import mean_absolute_error, root_mean_squared_error

from custkit._checks import require_columns, require_frame, require_in_range
from custkit.errors import CustkitError
from custkit.retention.models._common import check_histories, check_recency_t
from custkit.transactions import UNIT_DAYS

__all__ = ["customer_lifetime_value", "score_clv"]

from custkit.vocabulary import DAYS_PER_MONTH  # noqa: F401  (re-exported: 30.44 days, 4.35 weeks)


def customer_lifetime_value(
    transaction_model,
    spend_model,
    data: pd.DataFrame,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    monetary_value: str = "monetary_value",
    horizon_months: int = 12,
    monthly_discount_rate: float = 0.01,
    freq: str | None = None,
) -> pd.DataFrame:
    """Expected purchases, spend and discounted value of each customer over the next months.

    For month i = 1 .. ``horizon_months``, the expected purchases in that month (the conditional
    expectation of the purchase model for the end of month i minus that for the end of month
    i - 1) are multiplied by the expected spend per purchase (Gamma-Gamma conditional mean) and
    discounted to today by (1 + ``monthly_discount_rate``)^i: cash is counted at the end of the
    month in which it is spent (Fader, Hardie and Lee 2005, *JMR* 42(4), section "CLV";
    ``lifetimes``' ``customer_lifetime_value``).

    Assumptions: the two models' own (purchases independent of spend, see
    :class:`~custkit.retention.models.GammaGamma`); the value is revenue, not margin (multiply by
    a margin rate for profit); the customer base is observed at the summary's ``as_of``.

    Parameters
    ----------
    transaction_model
        A fitted BetaGeoNBD or ParetoNBD (anything with ``conditional_expected_purchases``).
    spend_model
        A fitted GammaGamma.
    data
        Customer summary in the time unit the models were fitted in.
    frequency, recency, T, monetary_value
        Column names.
    horizon_months
        Months ahead (whole number >= 1).
    monthly_discount_rate
        Discount rate per month, in [0, 1) (0.01 is about 12.7% a year).
    freq
        Time unit of ``data``: ``"D"`` or ``"W"``; defaults to ``data.attrs["freq"]``, which
        :func:`custkit.transactions.customer_summary` sets.

    Returns
    -------
    DataFrame
        Same index as ``data``; columns ``expected_orders`` (undiscounted, over the horizon),
        ``expected_spend`` (per order), ``expected_revenue`` (their product, undiscounted) and
        ``clv`` (discounted).
    """
    if not hasattr(transaction_model, "conditional_expected_purchases"):
        raise CustkitError("transaction_model must be a fitted BetaGeoNBD or ParetoNBD.")
    if not hasattr(spend_model, "conditional_expected_average_spend"):
        raise CustkitError("spend_model must be a fitted GammaGamma.")
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, (int, np.integer)) or horizon_months < 1:
        raise CustkitError(f"horizon_months must be a whole number >= 1, got {horizon_months!r}.")
    rate = require_in_range(monthly_discount_rate, "monthly_discount_rate", 0.0, 1.0, high_open=True)
    require_frame(data, "data")
    unit = freq if freq is not None else data.attrs.get("freq")
    if unit not in UNIT_DAYS:
        raise CustkitError(
            f"freq must be 'D' or 'W' (the time unit of data), got {unit!r}; pass freq=... when the "
            f"summary was not made by customer_summary."
        )
    x, tx, big_t, m = check_histories(data, [frequency, recency, T, monetary_value], "data", integer=[frequency])
    check_recency_t(x, tx, big_t, [frequency, recency, T])
    month = DAYS_PER_MONTH / UNIT_DAYS[unit]

    spend = spend_model.conditional_expected_average_spend(x, m)
    previous = np.zeros(len(x))
    orders = np.zeros(len(x))
    value = np.zeros(len(x))
    for i in range(1, horizon_months + 1):
        cumulative = transaction_model.conditional_expected_purchases(i * month, x, tx, big_t)
        in_month = cumulative - previous
        orders += in_month
        value += in_month * spend / (1 + rate) ** i
        previous = cumulative
    return pd.DataFrame(
        {
            "expected_orders": orders,
            "expected_spend": spend,
            "expected_revenue": orders * spend,
            "clv": value,
        },
        index=data.index,
    )


def score_clv(
    predicted: pd.DataFrame,
    truth: pd.DataFrame,
    customer: str = "customer_id",
    predicted_orders: str = "expected_orders",
    predicted_revenue: str = "expected_revenue",
    true_orders: str = "future_orders",
    true_revenue: str = "future_revenue",
    top: float = 0.10,
) -> pd.DataFrame:
    """Grade predicted future orders and revenue per customer against what really happened.

    Customers are matched on ``customer`` (a column, or the index name of ``predicted``); only
    customers present in both tables are scored (a purchase model cannot predict customers who
    had not bought by ``as_of``), and every predicted customer must appear in ``truth``.

    Parameters
    ----------
    predicted
        E.g. the output of :func:`customer_lifetime_value`, indexed by customer.
    truth
        E.g. ``shop.truth`` (:data:`custkit.schema.TRUTH`): ``future_orders``, ``future_revenue``.
        The prediction should cover the same horizon as the truth, and the same money (net
        spend vs ``shop_revenue``).
    top
        Share of customers that forms the "top decile" (0.10 by default).

    Returns
    -------
    DataFrame
        One row per target (``orders``, ``revenue``) with ``n_customers``, ``mae``, ``rmse``,
        ``pearson`` and ``spearman`` correlations, ``predicted_total``, ``actual_total``,
        ``aggregate_error`` (predicted_total / actual_total - 1), ``top_decile_share`` (share of
        all actual value that goes to the customers the prediction ranks in its top ``top``) and
        ``top_decile_capture`` (that value divided by the value of the actual top ``top``: 1 is
        a perfect ranking).
    """
    top = require_in_range(top, "top", 0.0, 1.0, low_open=True)
    require_frame(predicted, "predicted")
    require_frame(truth, "truth")
    pred = predicted.reset_index() if customer not in predicted.columns and predicted.index.name == customer else predicted
    require_columns(pred, [customer, predicted_orders, predicted_revenue], "predicted")
    require_columns(truth, [customer, true_orders, true_revenue], "truth")
    if pred[customer].duplicated().any() or truth[customer].duplicated().any():
        raise CustkitError(f"{customer!r} must identify one row per customer in predicted and in truth.")
    # every row is checked at the edge, also those the scoring leaves out (customers not predicted)
    check_histories(pred, [predicted_orders, predicted_revenue], "predicted")
    check_histories(truth, [true_orders, true_revenue], "truth")
    unknown = ~pred[customer].isin(truth[customer])
    if unknown.any():
        raise CustkitError(
            f"{int(unknown.sum())} predicted customer(s) are missing from truth (e.g. "
            f"{pred.loc[unknown, customer].iloc[0]!r}); score predictions of the same shop."
        )
    joined = pred[[customer, predicted_orders, predicted_revenue]].merge(
        truth[[customer, true_orders, true_revenue]], on=customer, how="inner"
    )
    rows = []
    for target, p_col, t_col in (("orders", predicted_orders, true_orders), ("revenue", predicted_revenue, true_revenue)):
        p = check_histories(joined, [p_col], "predicted")[0]
        a = check_histories(joined, [t_col], "truth")[0]
        rows.append({"target": target, **_scores(p, a, top)})
    return pd.DataFrame(rows)


def _scores(pred: np.ndarray, actual: np.ndarray, top: float) -> dict[str, float]:
    n = len(pred)
    k = max(1, int(round(top * n)))
    constant = np.ptp(pred) == 0 or np.ptp(actual) == 0
    total_actual = float(actual.sum())
    predicted_top = np.argsort(-pred, kind="stable")[:k]
    best = np.sort(actual)[::-1][:k].sum()
    captured = float(actual[predicted_top].sum())
    return {
        "n_customers": n,
        "mae": mean_absolute_error(actual, pred),
        "rmse": root_mean_squared_error(actual, pred),
        "pearson": np.nan if constant else float(stats.pearsonr(pred, actual).statistic),
        "spearman": np.nan if constant else float(stats.spearmanr(pred, actual).statistic),
        "predicted_total": float(pred.sum()),
        "actual_total": total_actual,
        "aggregate_error": float(pred.sum()) / total_actual - 1 if total_actual else np.nan,
        "top_decile_share": captured / total_actual if total_actual else np.nan,
        "top_decile_capture": captured / best if best else np.nan,
    }
