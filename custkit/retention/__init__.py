"""Retention economics (notebook 04): cohorts, churn, lifetime value, equity, satisfaction and loyalty.

Every function takes plain tables (custkit.schema) with column names as parameters and returns a
tidy DataFrame; time-dependent ones need an ``as_of`` date. By default cancelled orders and C2B
trade-ins (the shop buys from the customer) are not purchases and bring no revenue; C2C
marketplace sales count as the buyer's purchases, with the shop's commission as revenue (see
``exclude_types`` and ``exclude_statuses``). The probability models (sBG, BG/NBD, Pareto/NBD,
Gamma-Gamma) live in :mod:`custkit.retention.models`.
"""

from custkit.retention._common import EXCLUDED_STATUSES, EXCLUDED_TYPES
from custkit.retention.acquisition import acquisition_cost_by_channel, payback_months
from custkit.retention.cohorts import (
    churn_flags,
    cohort_matrix,
    cohort_table,
    period_retention,
    pooled_retention,
    retention_curve,
)
from custkit.retention.compare import compare_shops, shop_metrics
from custkit.retention.equity import OrdersEquity, equity_from_orders
from custkit.retention.loyalty import QUADRANT_STRATEGIES, loyalty_quadrants, quadrant_summary
from custkit.retention.satisfaction import csat_by_lateness, csat_by_response_time, repurchase_by_csat
from custkit.retention.value import article_lost_customer_example, customer_equity, retention_clv, simple_clv
from custkit.retention.wallet import customer_wallets, share_of_wallet
from custkit.retention.yearly import TIER_ORDER, tier_summary, yearly_margins
from custkit.retention import models
from custkit.retention.models import (
    BetaGeoNBD,
    GammaGamma,
    ParetoNBD,
    ShiftedBetaGeometric,
    customer_lifetime_value,
    score_clv,
)

__all__ = [
    "BetaGeoNBD",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "customer_lifetime_value",
    "models",
    "score_clv",
    "EXCLUDED_STATUSES",
    "EXCLUDED_TYPES",
    "TIER_ORDER",
    "QUADRANT_STRATEGIES",
    "acquisition_cost_by_channel",
    "article_lost_customer_example",
    "churn_flags",
    "cohort_matrix",
    "cohort_table",
    "compare_shops",
    "csat_by_lateness",
    "csat_by_response_time",
    "customer_equity",
    "customer_wallets",
    "loyalty_quadrants",
    "payback_months",
    "period_retention",
    "pooled_retention",
    "equity_from_orders",
    "OrdersEquity",
    "quadrant_summary",
    "repurchase_by_csat",
    "retention_clv",
    "retention_curve",
    "share_of_wallet",
    "shop_metrics",
    "simple_clv",
    "tier_summary",
    "yearly_margins",
]
