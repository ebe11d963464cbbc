"""Where each customer stands at the observation end, and who referred whom.

* Lifecycle state (concept B2's active / at risk / dissatisfied / lost types, [001]): ``lost``
  if the customer stopped, ``dissatisfied`` if still buying but unhappy, ``at_risk`` if
  lukewarm or silent for half a year, ``active`` otherwise, ``never_bought`` for leads.
* Referrals (concept C1, the advocate step of the loyalty ladder, [001]): a new customer is
  referred with probability ``referral_strength`` times the share of advocates among the
  customers who signed up before (capped at 0.6), by an advocate chosen at random among those who
  had become advocates before that sign-up, within the same block.
"""

from __future__ import annotations

import numpy as np

from custkit.errors import CustkitError

from custkit.vocabulary import LIFECYCLE_STATES  # noqa: F401  (re-exported)
DISSATISFIED_BELOW = 0.6
AT_RISK_BELOW = 0.72
AT_RISK_SILENT_DAYS = 180


def lifecycle_state(n_orders: np.ndarray, alive: np.ndarray, satisfaction: np.ndarray,
                    last_day: np.ndarray, end_day: int) -> np.ndarray:
    """State label per customer at the observation end (object array of LIFECYCLE_STATES).

    Rules, first match wins: no (uncancelled) order -> never_bought; stopped -> lost;
    satisfaction < 0.6 -> dissatisfied; satisfaction < 0.72 or no order in the last 180 days
    -> at_risk; else active.
    """
    silent = (end_day - last_day) > AT_RISK_SILENT_DAYS
    code = np.select(
        [n_orders == 0, ~alive, satisfaction < DISSATISFIED_BELOW, (satisfaction < AT_RISK_BELOW) | silent],
        [0, 4, 3, 2], 1)
    return np.array(LIFECYCLE_STATES, dtype=object)[code]


def assign_referrals(rng: np.random.Generator, signup_day: np.ndarray, advocate_day: np.ndarray,
                     strength: float) -> np.ndarray:
    """Referrer position (index into the block's customers) of each customer, -1 if none.

    ``signup_day`` must be sorted (customers in sign-up order); ``advocate_day`` is the day each
    became an advocate (-1 for never). Only advocates who became so strictly before the
    referee's sign-up day can refer.
    """
    signup_day, advocate_day = np.asarray(signup_day), np.asarray(advocate_day)
    if signup_day.shape != advocate_day.shape or signup_day.ndim != 1:
        raise CustkitError(f"signup_day and advocate_day must be 1-D and of equal length, got shapes "
                           f"{signup_day.shape} and {advocate_day.shape}.")
    if (np.diff(signup_day) < 0).any():
        raise CustkitError("signup_day must be sorted (customers in sign-up order); sort the customers first.")
    if not strength >= 0:
        raise CustkitError(f"strength must be >= 0, got {strength!r}.")
    adv = np.flatnonzero(advocate_day >= 0)
    adv = adv[np.argsort(advocate_day[adv], kind="stable")]
    adv_days = advocate_day[adv]
    n_adv_before = np.searchsorted(adv_days, signup_day, side="left")
    n_before = np.searchsorted(signup_day, signup_day, side="left")
    p = np.minimum(0.6, strength * n_adv_before / np.maximum(n_before, 1))
    referred = (rng.random(len(signup_day)) < p) & (n_adv_before > 0)
    pick = rng.integers(0, np.maximum(n_adv_before, 1))
    return np.where(referred, adv[np.minimum(pick, max(len(adv) - 1, 0))] if len(adv) else -1, -1)
