"""A fair targeting experiment: several targeting rules, the same offer, the same budget (E2, E4).

[004] advises aiming marketing spend at the most profitable groups and starting with the group
one is sure of. Whether a rule (an RFM segment, a cluster, a demographic group) *is* that group
can only be tested: :func:`compare_targeting` sends the same offer to each rule's customers,
at most ``budget`` reachable contacts each, and reports what each earns, from a simulated shop's
hidden truth (:func:`custkit.segmentation.targeting.simulate_campaign`).

Fairness has three parts here: every rule gets the same number of contacts (a random, seeded
sample of its list when the list is longer; a shorter list is kept whole and shows it); on the
e-mail channel only customers who opted in count as reachable, so no rule is charged for people
it could not e-mail ([004], E1); and every customer answers the same way whichever rule contacts
them (``simulate_campaign``'s common random numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_frame, require_positive
from custkit.errors import CustkitError
from custkit.segmentation.targeting import Offer, simulate_campaign

__all__ = ["compare_targeting", "lists_from_segments"]


def compare_targeting(
    shop: object,
    lists: Mapping[str, Iterable[int]],
    offer: Offer,
    *,
    budget: int | None = None,
    seed: int = 0,
    margin: float | None = None,
) -> pd.DataFrame:
    """Compare targeting rules on one offer and one budget, answered from the hidden truth.

    Parameters
    ----------
    shop
        A simulated :class:`~custkit.shop.Shop` (with ``truth``).
    lists
        Rule name -> the customer ids that rule would target (duplicates are dropped).
    offer
        The :class:`~custkit.segmentation.targeting.Offer` sent to everyone.
    budget
        Most contacts per rule (a whole number >= 1); ``None`` contacts every reachable customer
        of each list. A longer list is cut to a random sample of ``budget`` drawn with ``seed``.
    seed
        Seed of the samples and of the customers' responses.
    margin
        Gross margin at list price; default: estimated from the shop (see ``simulate_campaign``).

    Returns
    -------
    DataFrame
        One row per rule, in the order given: ``rule``, ``list_size`` (customers on the list),
        ``reachable`` (those the channel can reach: opted in, for e-mail), then the columns of
        ``simulate_campaign``'s summary (``contacted`` ... ``roi``) and ``profit_per_contact``.

    Raises
    ------
    CustkitError
        When ``lists`` is empty, a list reaches nobody, or ``budget`` is not a whole number >= 1.
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    if not isinstance(lists, Mapping) or not lists:
        raise CustkitError("lists must be a non-empty dict: rule name -> customer ids to target.")
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, int | np.integer):
            raise CustkitError(f"budget must be a whole number of contacts (or None), got {budget!r}.")
        require_positive(budget, "budget")
    customers = getattr(shop, "customers", None)
    if not isinstance(customers, pd.DataFrame):
        raise CustkitError("shop must be a custkit Shop with a customers table.")
    require_columns(customers, ["customer_id", "marketing_opt_in"], "customers")
    opted_in = set(customers.loc[customers["marketing_opt_in"].astype(bool).to_numpy(), "customer_id"].tolist())
    rows = []
    for name, ids in lists.items():
        try:
            wanted = pd.unique(pd.Series(list(ids), dtype="int64"))
        except (TypeError, ValueError):
            raise CustkitError(f"lists[{name!r}] must hold whole-number customer ids.") from None
        reachable = np.sort([i for i in wanted if i in opted_in] if offer.channel == "email" else wanted)
        if len(reachable) == 0:
            raise CustkitError(f"lists[{name!r}] reaches nobody on the {offer.channel} channel; drop the rule.")
        if budget is not None and len(reachable) > budget:
            # sorted ids, so the sample depends on the seed and the list, not on the list's order
            reachable = np.sort(np.random.default_rng(seed).choice(reachable, size=int(budget), replace=False))
        result = simulate_campaign(shop, reachable, offer, seed=seed, margin=margin).summary
        row = {"rule": name, "list_size": len(wanted),
               "reachable": int(sum(i in opted_in for i in wanted)) if offer.channel == "email" else len(wanted)}
        rows.append(row | result.to_dict("records")[0])
    out = pd.DataFrame(rows)
    out["rule"] = out["rule"].astype("str")
    out["profit_per_contact"] = out["profit"] / out["contacted"]
    return out


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
