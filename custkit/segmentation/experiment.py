"""An honest targeting experiment: several rules, the same offer, a holdout control group (E2, E4).

[004] advises aiming marketing spend at the most profitable groups and starting with the group
one is sure of. Whether a rule (an RFM segment, a cluster, a demographic group) *is* that group
can only be tested, and a test must measure what the offer *causes*: some customers would have
bought anyway, and a discount sent to them only gives margin away. :func:`compare_targeting`
therefore splits each rule's customers at random into a treated group (sent the offer) and a
control group (held out), as real campaigns do, and reports the response rates of both, their
difference (the uplift) and the incremental profit per contact, each with a bootstrap interval
(Efron and Tibshirani 1993, percentile method, :func:`scipy.stats.bootstrap`). Because the
shop is simulated, it also reports what the rule truly earns on average, from both potential
outcomes of every customer on its list (:func:`custkit.segmentation.targeting.simulate_campaign`).

Fairness has three parts: every rule gets the same number of customers in the test (a random,
seeded sample of its list when the list is longer; a shorter list is kept whole and shows it); on
the e-mail channel only customers who opted in count as reachable, so no rule is charged for
people it could not e-mail ([004], E1); and every customer answers the same way whichever rule
reaches them (common random numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from custkit._checks import require_columns, require_frame, require_in_range, require_positive
from custkit.errors import CustkitError
from custkit.segmentation.targeting import Offer, _baskets, _margin, purchase_probabilities, simulate_campaign

__all__ = ["MIN_GROUP", "compare_targeting", "lists_from_segments"]

N_BOOTSTRAP = 2000
"""Bootstrap resamples per interval."""

MIN_GROUP = 30
"""Fewest customers in each of the treated and the control group for an interval: below it a
bootstrap interval of a rate is misleading (with a dozen customers and no buyer it is [0, 0]), so
the interval is left empty (NaN) and the estimate stands alone."""


def compare_targeting(
    shop: object,
    lists: Mapping[str, Iterable[int]],
    offer: Offer,
    *,
    budget: int | None = None,
    holdout: float = 0.5,
    seed: int = 0,
    margin: float | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Compare targeting rules by the uplift they cause, against a holdout control group.

    For each rule: its reachable customers (opted in, for e-mail) are sampled down to ``budget``;
    a random ``holdout`` share of them is held out (the control group, not contacted) and the rest
    are sent the offer. The treated answer with the offer, the control group as they would
    without it, both from the hidden truth (:func:`~custkit.segmentation.targeting.simulate_campaign`).

    Parameters
    ----------
    shop
        A simulated :class:`~custkit.shop.Shop` (with ``truth``).
    lists
        Rule name -> the customer ids that rule would target (duplicates are dropped).
    offer
        The :class:`~custkit.segmentation.targeting.Offer` sent to the treated customers.
    budget
        Customers in the test per rule, treated and control together (a whole number >= 2);
        ``None`` tests every reachable customer of each list. A longer list is cut to a random
        sample of ``budget`` drawn with ``seed``.
    holdout
        Share of each rule's test customers held out as the control group, in (0, 1). Half (the
        default) measures the uplift most precisely for a given test size; real campaigns often
        hold out 10-20 % to contact more customers, and get wider intervals.
    seed
        Seed of the samples, the split and the customers' answers.
    margin
        Gross margin at list price; default: estimated from the shop (see ``simulate_campaign``).
    confidence
        Level of the bootstrap intervals.

    Returns
    -------
    DataFrame
        One row per rule, in the order given:

        - ``rule``, ``list_size`` (customers on the list), ``reachable`` (those the channel can
          reach), ``treated`` and ``control`` (customers in each group);
        - what the test measures: ``response_rate`` (treated who bought), ``control_rate``
          (control who bought anyway), ``uplift`` (their difference) with ``uplift_low`` and
          ``uplift_high`` (NaN when a group has fewer than :data:`MIN_GROUP` customers); ``response_profit_per_contact`` (margin on the treated buyers' orders
          after the discount, minus the contact cost, per treated customer: what a report
          without a control group shows); ``incremental_profit_per_contact`` (the same minus the
          control group's margin per customer: what the offer adds) with ``profit_low`` and
          ``profit_high``;
        - what only a simulation knows, averaged over every reachable customer of the rule from
          both outcomes: ``true_uplift`` and ``true_profit_per_contact`` (expected incremental
          profit per contact).

    Raises
    ------
    CustkitError
        When ``lists`` is empty, a list reaches fewer than 2 customers, ``budget`` is not a whole
        number >= 2 or ``holdout`` is not in (0, 1).
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    if not isinstance(lists, Mapping) or not lists:
        raise CustkitError("lists must be a non-empty dict: rule name -> customer ids to target.")
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, int | np.integer):
            raise CustkitError(f"budget must be a whole number of customers (or None), got {budget!r}.")
        require_positive(budget, "budget")
        if budget < 2:
            raise CustkitError(f"budget must be at least 2 (one treated, one control), got {budget}.")
    if isinstance(holdout, bool) or not isinstance(holdout, int | float) or not 0 < holdout < 1:
        raise CustkitError(f"holdout must be a share strictly between 0 and 1 (0.5 holds out half), got {holdout!r}.")
    require_in_range(confidence, "confidence", 0.5, 1, high_open=True)
    customers = getattr(shop, "customers", None)
    if not isinstance(customers, pd.DataFrame):
        raise CustkitError("shop must be a custkit Shop with a customers table.")
    require_columns(customers, ["customer_id", "marketing_opt_in"], "customers")
    truth = getattr(shop, "truth", None)
    if truth is None:
        raise CustkitError("this shop has no hidden truth: it was not simulated (make one with ck.generate(...)), "
                           "or it was loaded without it (add 'truth' to load_shop's tables=[...]); "
                           "compare_targeting needs it.")
    opted_in = set(customers.loc[customers["marketing_opt_in"].astype(bool).to_numpy(), "customer_id"].tolist())
    truth_by_id = truth.set_index("customer_id")
    m = _margin(shop) if margin is None else require_in_range(margin, "margin", 0, 1)
    baskets = _baskets(shop.orders)
    both = purchase_probabilities(truth_by_id, offer)
    d = offer.discount_pct / 100
    rng = np.random.default_rng(seed)
    rows = []
    for name, ids in lists.items():
        try:
            wanted = pd.unique(pd.Series(list(ids), dtype="int64"))
        except (TypeError, ValueError):
            raise CustkitError(f"lists[{name!r}] must hold whole-number customer ids.") from None
        unknown = [int(i) for i in wanted if i not in truth_by_id.index]
        if unknown:
            raise CustkitError(f"lists[{name!r}] holds ids that are not customers of this shop, e.g. {unknown[:3]}.")
        reachable = np.sort([i for i in wanted if i in opted_in] if offer.channel == "email" else wanted)
        if len(reachable) < 2:
            raise CustkitError(f"lists[{name!r}] reaches {len(reachable)} customer(s) on the {offer.channel} "
                               "channel; a test needs at least 2 (one treated, one control). Drop the rule.")
        # sorted ids, so the sample and the split depend on the seed and the list, not its order
        sample = reachable if budget is None or len(reachable) <= budget else np.sort(
            rng.choice(reachable, size=int(budget), replace=False))
        n_control = min(max(1, int(round(holdout * len(sample)))), len(sample) - 1)
        control = np.zeros(len(sample), dtype=bool)
        control[rng.choice(len(sample), size=n_control, replace=False)] = True
        treated_ids, control_ids = sample[~control], sample[control]
        treated = simulate_campaign(shop, treated_ids, offer, seed=seed, margin=m).customers
        held = simulate_campaign(shop, control_ids, offer, seed=seed, margin=m).customers
        bought_t = treated["responded"].to_numpy(dtype=float)
        bought_c = held["bought_without"].to_numpy(dtype=float)
        profit_t = treated["profit"].to_numpy(dtype=float) - offer.cost_per_contact
        profit_c = held["profit_without"].to_numpy(dtype=float)
        uplift_ci = _interval(bought_t, bought_c, confidence, rng)
        profit_ci = _interval(profit_t, profit_c, confidence, rng)
        p = both.loc[reachable]
        basket = baskets.reindex(reachable).fillna(baskets.mean()).to_numpy(dtype=float)
        true_profit = p["p_with"].to_numpy() * basket * (m - d) - p["p_without"].to_numpy() * basket * m
        rows.append({
            "rule": name,
            "list_size": len(wanted),
            "reachable": len(reachable),
            "treated": len(treated_ids),
            "control": len(control_ids),
            "response_rate": bought_t.mean(),
            "control_rate": bought_c.mean(),
            "uplift": bought_t.mean() - bought_c.mean(),
            "uplift_low": uplift_ci[0],
            "uplift_high": uplift_ci[1],
            "response_profit_per_contact": profit_t.mean(),
            "incremental_profit_per_contact": profit_t.mean() - profit_c.mean(),
            "profit_low": profit_ci[0],
            "profit_high": profit_ci[1],
            "true_uplift": float((p["p_with"] - p["p_without"]).mean()),
            "true_profit_per_contact": float(true_profit.mean()) - offer.cost_per_contact,
        })
    out = pd.DataFrame(rows)
    out["rule"] = out["rule"].astype("str")
    return out


def _interval(treated: np.ndarray, control: np.ndarray, confidence: float, rng: np.random.Generator) -> tuple:
    """Percentile bootstrap interval of mean(treated) - mean(control), the groups resampled apart;
    (NaN, NaN) when a group has fewer than :data:`MIN_GROUP` customers."""
    if len(treated) < MIN_GROUP or len(control) < MIN_GROUP:
        return (np.nan, np.nan)
    if np.ptp(treated) == 0 and np.ptp(control) == 0:
        diff = float(treated.mean() - control.mean())
        return (diff, diff)
    result = stats.bootstrap(
        (treated, control), lambda t, c, axis: t.mean(axis=axis) - c.mean(axis=axis),
        n_resamples=N_BOOTSTRAP, confidence_level=confidence, method="percentile", vectorized=True,
        random_state=rng,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def lists_from_segments(
    data: pd.DataFrame,
    names: Iterable[str] | None = None,
    *,
    segment: str = "segment",
    customer: str = "customer_id",
) -> dict[str, np.ndarray]:
    """Targeting lists from a segment column: segment name -> its customers' ids (sorted).

    ``names`` picks the segments and their order (default: every segment, largest first). A name
    absent from ``data`` is an error, not an empty list, so a typo cannot pass for a rule.
    """
    require_frame(data, "data")
    require_columns(data, [segment, customer], "data")
    present = data[segment].value_counts()
    wanted = list(present.index) if names is None else list(names)
    missing = [n for n in wanted if n not in present.index]
    if missing:
        raise CustkitError(f"segments {missing} are not in data[{segment!r}]; found {sorted(map(str, present.index))}.")
    return {str(n): np.sort(data.loc[data[segment] == n, customer].to_numpy(dtype="int64")) for n in wanted}
