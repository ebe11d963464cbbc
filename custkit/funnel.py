"""The web funnel and the loyalty ladder (concepts C1-C2 of the concept map).

Two ladders that students should not confuse:

- the *web funnel* of one visit (C2): visit -> product view -> add to cart -> checkout ->
  purchase, counted from ``sessions.furthest_stage`` (or derived from ``events``);
- the *loyalty ladder* of a relationship (C1, [001]): potential -> prospect -> first-time buyer
  -> repeat buyer -> loyal -> advocate, which takes months or years to climb.

Purchases, ``as_of`` and the linking of visits to accounts follow :mod:`custkit.definitions`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from custkit._checks import (
    require_columns,
    require_datetime,
    require_frame,
    require_ids,
    require_in_range,
    require_numeric,
    require_positive,
)
from custkit.definitions import (
    FUNNEL_STAGES,
    _stage_depth,
    as_of_cutoff,
    link_sessions,
    purchases_until,
)
from custkit.errors import CustkitError, SchemaError
from custkit.vocabulary import DAYS_PER_MONTH as _DAYS_PER_MONTH

EVENT_STAGE = {
    "page_view": "visit",
    "search": "visit",
    "product_view": "product_view",
    "add_to_cart": "add_to_cart",
    "checkout": "checkout",
    "purchase": "purchase",
}
"""Which funnel stage each ``events.event_type`` shows the visit reached."""

LADDER: tuple[str, ...] = ("potential", "prospect", "first_time_buyer", "repeat_buyer", "loyal", "advocate")
"""The six steps of the loyalty ladder of [001], lowest first."""



def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


# --------------------------------------------------------------------------- C2: the web funnel
def furthest_stage_from_events(
    events: pd.DataFrame, *, session: str = "session_id", event_type: str = "event_type"
) -> pd.DataFrame:
    """The deepest funnel stage each visit reached, from its events.

    A visit with any event counts as ``visit``; ``page_view`` and ``search`` add nothing more;
    the other event types map to the stage of the same name (:data:`EVENT_STAGE`).

    Returns
    -------
    DataFrame
        ``session_id``, ``furthest_stage``, one row per visit, sorted by visit.
    """
    require_frame(events, "events")
    require_columns(events, [session, event_type], "events")
    stage = events[event_type].map(EVENT_STAGE)
    bad = events.loc[stage.isna(), event_type]
    if len(bad):
        raise SchemaError(
            f"events[{event_type!r}] holds {sorted(map(str, bad.unique()))[:5]}; expected one of {list(EVENT_STAGE)}."
        )
    depth = pd.Series(_stage_depth(stage, "events", event_type), index=events.index)
    deepest = depth.groupby(events[session]).max()
    return pd.DataFrame(
        {
            session: deepest.index.to_numpy(),
            "furthest_stage": pd.array([FUNNEL_STAGES[i] for i in deepest.to_numpy()], dtype="str"),
        }
    )


def funnel_counts(
    sessions: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    per: str | None = None,
    stage: str = "furthest_stage",
) -> pd.DataFrame:
    """Counts, step conversion, overall conversion and drop-off at each funnel step.

    A visit *reached* a step when its ``furthest_stage`` is that step or a later one. With
    ``per="visitor_id"`` (or ``"customer_id"``) the unit is a person instead of a visit: a person
    reached a step if any of their visits (within the group) did. ``by`` splits the funnel by any
    column(s) of ``sessions`` (``channel``, ``device``, or a persona the caller merged in);
    missing values form their own group.

    Definitions, for steps k = 1..5 with ``reached`` n_k:
    ``step_conversion`` = n_k / n_{k-1}; ``overall_conversion`` = n_k / n_1;
    ``lost`` = n_{k-1} - n_k (those who stopped right before step k); ``drop_off`` =
    1 - step_conversion. The first step has step conversion 1 and nothing lost.

    Returns
    -------
    DataFrame
        ``[by]``, ``stage``, ``step``, ``reached``, ``lost``, ``step_conversion``, ``drop_off``,
        ``overall_conversion``: five rows per group, in funnel order.
    """
    require_frame(sessions, "sessions")
    keys = _keys(by)
    require_columns(sessions, keys + [stage] + ([per] if per else []), "sessions")
    depth = pd.Series(_stage_depth(sessions[stage], "sessions", stage), index=sessions.index, name="_depth")
    frame = sessions[keys].assign(_depth=depth)
    if per:
        if sessions[per].isna().any():
            raise SchemaError(f"sessions[{per!r}] has missing values; drop them or count per visit (per=None).")
        units = frame.assign(_unit=sessions[per]).groupby(keys + ["_unit"], dropna=False, as_index=False)
        frame = units["_depth"].max()
    rows = []
    groups = frame.groupby(keys, dropna=False, sort=True) if keys else [((), frame)]
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        d = part["_depth"].to_numpy()
        reached = np.array([(d >= i).sum() for i in range(len(FUNNEL_STAGES))], dtype="int64")
        previous = np.concatenate([[reached[0]], reached[:-1]])
        with np.errstate(invalid="ignore", divide="ignore"):
            step_conv = np.where(previous > 0, reached / np.where(previous > 0, previous, 1), np.nan)
            overall = np.where(reached[0] > 0, reached / max(reached[0], 1), np.nan)
        for i, name in enumerate(FUNNEL_STAGES):
            rows.append(
                dict(zip(keys, key))
                | {
                    "stage": name,
                    "step": i + 1,
                    "reached": int(reached[i]),
                    "lost": int(previous[i] - reached[i]),
                    "step_conversion": float(step_conv[i]),
                    "drop_off": float(1 - step_conv[i]),
                    "overall_conversion": float(overall[i]),
                }
            )
    out = pd.DataFrame(rows)
    out["stage"] = out["stage"].astype("str")
    return out


def intervention_value(
    funnel: pd.DataFrame,
    value_per_purchase: float,
    *,
    uplift: float = 0.05,
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Where an intervention would pay most: the loss at each step valued in money.

    For step k (reached by n_k of the n_{k-1} at the step before), a person recovered at step k
    goes on to buy with the funnel's own downstream rate n_5 / n_k. Two values follow:

    - ``value_of_uplift`` = n_{k-1} x min(uplift, 1 - step conversion) x (n_5 / n_k) x value:
      what raising the step's conversion by ``uplift`` (absolute, e.g. 0.05 = five points) would
      earn. This is the number to plan with; ``best`` marks the step where it is largest
      (none with ``uplift=0``).
    - ``value_lost`` = lost_k x (n_5 / n_k) x ``value_per_purchase``: the whole loss, what the
      step would earn if it lost nobody (a step conversion of 100 %). That is a ceiling no shop
      reaches, not money on the table: it equals the funnel's own revenue (n_5 x value) times
      lost_k / n_k, so at any step that keeps fewer than half of those who arrive it is larger
      than everything the funnel earned (at a step that keeps one in five, four times as much).

    Both assume that recovered visitors behave like those who got through on their own, an
    optimistic assumption (they were less keen), so read them as upper bounds and compare steps.

    Parameters
    ----------
    funnel
        Output of :func:`funnel_counts` (with the same ``by``).
    value_per_purchase
        Money one purchase brings, e.g. mean ``shop_revenue`` per order.
    uplift
        Absolute rise in step conversion to value, in [0, 1].

    Returns
    -------
    DataFrame
        ``[by]``, ``stage``, ``lost``, ``downstream_conversion``, ``value_lost``,
        ``value_of_uplift``, ``best`` (bool: the step, or tied steps, with the largest
        ``value_of_uplift`` in the group): one row per step after the first.
    """
    require_frame(funnel, "funnel")
    keys = _keys(by)
    require_columns(funnel, keys + ["stage", "step", "reached", "lost", "step_conversion"], "funnel")
    for column in ("step", "reached", "lost", "step_conversion"):
        require_numeric(funnel, column, "funnel")
    value = require_positive(value_per_purchase, "value_per_purchase")
    up = require_in_range(uplift, "uplift", 0, 1)
    parts = []
    groups = funnel.groupby(keys, dropna=False, sort=False) if keys else [((), funnel)]
    for _key, part in groups:
        part = part.sort_values("step")
        if len(part) != len(FUNNEL_STAGES):
            raise SchemaError(
                f"funnel must hold the {len(FUNNEL_STAGES)} steps per group; pass by= as in funnel_counts."
            )
        n = part["reached"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            downstream = np.where(n > 0, n[-1] / np.where(n > 0, n, 1), np.nan)
        downstream[-1] = 1.0  # reaching the last step is buying
        previous = np.concatenate([[n[0]], n[:-1]])
        gain = np.minimum(up, 1 - part["step_conversion"].to_numpy(dtype=float))
        res = part[keys + ["stage", "lost"]].assign(
            downstream_conversion=downstream,
            value_lost=part["lost"].to_numpy() * downstream * value,
            value_of_uplift=previous * gain * downstream * value,
        ).iloc[1:]
        best = res["value_of_uplift"].to_numpy()
        res = res.assign(best=(best == np.nanmax(best)) & (best > 0) if np.isfinite(best).any() else False)
        parts.append(res)
    return pd.concat(parts, ignore_index=True)


def time_to_convert(
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    visitor: str = "visitor_id",
    customer: str = "customer_id",
    start: str = "start",
    date: str = "order_date",
) -> pd.DataFrame:
    """Time from each customer's first visit to their first purchase, as of ``as_of``.

    First visit: the earliest visit of the customer's visitor id(s), before sign-up included
    (:func:`custkit.definitions.link_sessions`). First purchase: the earliest purchase
    (:func:`custkit.definitions.purchases_until`). Customers who have not bought yet are kept,
    with ``converted`` False, ``days`` as the time they have been waiting so far (to the end of
    ``as_of``): censored, as survival analysis calls it. A negative ``days`` means a purchase
    placed before any recorded visit (an order by phone, say).

    Returns
    -------
    DataFrame
        One row per customer with a visit or a purchase by ``as_of``:
        ``customer_id``, ``first_visit`` (NaT if none), ``first_purchase`` (NaT if none), ``converted``,
        ``days`` (float), ``visits`` (visits up to and including the first purchase, or so far).
    """
    linked = link_sessions(sessions, as_of, visitor=visitor, customer=customer, start=start)
    linked = linked.loc[linked["person_id"].notna()]
    if linked.empty:
        raise CustkitError("no visit in sessions belongs to an account by as_of; nothing to measure.")
    first_visit = linked.groupby("person_id")[start].min()
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    first_buy = bought.groupby(customer)[date].min()
    ids = first_visit.index.union(pd.Index(first_buy.index, dtype="Int64")).astype("int64")
    out = pd.DataFrame({customer: ids.to_numpy()})
    out["first_visit"] = first_visit.reindex(ids).to_numpy()
    out["first_purchase"] = first_buy.reindex(ids).to_numpy()
    out["converted"] = out["first_purchase"].notna().to_numpy()
    end = out["first_purchase"].fillna(as_of_cutoff(as_of))
    out["days"] = (end - out["first_visit"]).dt.total_seconds() / 86400
    visits = linked[["person_id", start]].merge(
        end.rename("_end").to_frame().assign(person_id=pd.array(ids, dtype="Int64")), on="person_id"
    )
    counts = visits.loc[visits[start] <= visits["_end"]].groupby("person_id").size()
    out["visits"] = counts.reindex(ids, fill_value=0).to_numpy(dtype="int64")
    return out


# --------------------------------------------------------------------------- C1: the loyalty ladder
def loyalty_ladder(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    sessions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    loyal_min_orders: int = 3,
    loyal_min_months: float = 6,
    loyal_within_days: float | None = 365,
    advocate_min_nps: int = 9,
    customer: str = "customer_id",
    signup: str = "signup_date",
    referred_by: str = "referred_by",
    date: str = "order_date",
) -> pd.DataFrame:
    """The highest step of the loyalty ladder of [001] each person has reached on ``as_of``.

    Rules (each step requires the one below it; parameters in brackets):

    1. ``potential``: anyone in the market for this kind of product. The shop's tables only see
       people from step 2 on; give the market size to :func:`ladder_counts` to count them.
    2. ``prospect``: registered by ``as_of``, or (with ``sessions``) an anonymous visitor who
       visited: they saw the shop and could buy.
    3. ``first_time_buyer``: one purchase (:func:`custkit.definitions.purchases_until`).
    4. ``repeat_buyer``: two or more purchases.
    5. ``loyal``: at least ``loyal_min_orders`` purchases [3] spread over at least
       ``loyal_min_months`` months [6] from first to last, and (unless ``loyal_within_days`` is
       None) the last one within ``loyal_within_days`` days [365] of ``as_of``: they keep coming back.
    6. ``advocate``: loyal and recommends the shop: their latest NPS answer sent by ``as_of`` is
       at least ``advocate_min_nps`` [9] (needs ``surveys``), or they referred someone who
       registered by ``as_of`` (``customers.referred_by``).

    Returns
    -------
    DataFrame
        ``customer_id`` (Int64), ``visitor_id`` (Int64, anonymous visitors only), ``purchases``,
        ``step`` (str), ``step_number`` (2-6).
    """
    require_positive(loyal_min_orders, "loyal_min_orders")
    require_positive(loyal_min_months, "loyal_min_months", allow_zero=True)
    if loyal_within_days is not None:
        require_positive(loyal_within_days, "loyal_within_days")
    require_in_range(advocate_min_nps, "advocate_min_nps", 0, 10)
    require_frame(customers, "customers")
    require_columns(customers, [customer, signup, referred_by], "customers")
    require_ids(customers, customer, "customers", unique=True)
    cutoff = as_of_cutoff(as_of)
    signed = require_datetime(customers, signup, "customers") < cutoff
    people = customers.loc[signed.to_numpy()]
    ids = people[customer].to_numpy()
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    stats = bought.groupby(customer)[date].agg(["size", "min", "max"]).reindex(ids)
    n = stats["size"].fillna(0).to_numpy(dtype="int64")
    span_days = (stats["max"] - stats["min"]).dt.total_seconds().to_numpy() / 86400
    loyal = (n >= loyal_min_orders) & (np.nan_to_num(span_days) >= loyal_min_months * _DAYS_PER_MONTH)
    if loyal_within_days is not None:
        last_day = cutoff - pd.Timedelta(days=1)
        since_last = (last_day - stats["max"].dt.normalize()).dt.days.to_numpy(dtype=float)
        loyal = loyal & (np.nan_to_num(since_last, nan=np.inf) <= loyal_within_days)
    referrers = set(people[referred_by].dropna().astype("int64").tolist())
    recommends = np.isin(ids, list(referrers))
    if surveys is not None:
        recommends = recommends | np.isin(ids, _promoters(surveys, cutoff, advocate_min_nps, customer))
    number = np.select([loyal & recommends, loyal, n >= 2, n == 1], [6, 5, 4, 3], 2)
    out = pd.DataFrame(
        {
            customer: pd.array(ids, dtype="Int64"),
            "visitor_id": pd.array([pd.NA] * len(ids), dtype="Int64"),
            "purchases": n,
            "step_number": number,
        }
    )
    if sessions is not None:
        linked = link_sessions(sessions, as_of, customer=customer)
        anon = np.sort(linked.loc[linked["person_id"].isna(), "visitor_id"].unique())
        extra = pd.DataFrame(
            {
                customer: pd.array([pd.NA] * len(anon), dtype="Int64"),
                "visitor_id": pd.array(anon, dtype="Int64"),
                "purchases": np.zeros(len(anon), dtype="int64"),
                "step_number": np.full(len(anon), 2),
            }
        )
        out = pd.concat([out, extra], ignore_index=True) if len(extra) else out
    out["step_number"] = out["step_number"].astype("int64")
    out.insert(3, "step", pd.array([LADDER[i - 1] for i in out["step_number"]], dtype="str"))
    return out


def _promoters(surveys: pd.DataFrame, cutoff: pd.Timestamp, min_nps: int, customer: str) -> np.ndarray:
    require_frame(surveys, "surveys")
    require_columns(surveys, [customer, "sent_date", "nps"], "surveys")
    require_numeric(surveys, "nps", "surveys")
    sent = require_datetime(surveys, "sent_date", "surveys")
    answered = surveys.loc[((sent < cutoff) & surveys["nps"].notna()).to_numpy()].assign(_sent=sent)
    latest = answered.sort_values("_sent", kind="stable").groupby(customer)["nps"].last()
    return latest.index[latest.to_numpy(dtype=float) >= min_nps].to_numpy()


def ladder_counts(ladder: pd.DataFrame, *, market_size: int | None = None, step: str = "step") -> pd.DataFrame:
    """People at and above each step of the loyalty ladder, and the conversion between steps.

    Parameters
    ----------
    ladder
        Output of :func:`loyalty_ladder` (or any frame with a ``step`` column of ladder names).
    market_size
        Number of potential customers (the whole market). Default: the people in ``ladder``,
        so that the first step equals the second.

    Returns
    -------
    DataFrame
        ``step``, ``step_number``, ``people`` (exactly at the step), ``reached`` (at or above),
        ``share_of_market`` (reached / market size), ``step_conversion`` (reached / reached at
        the step below).
    """
    require_frame(ladder, "ladder")
    require_columns(ladder, [step], "ladder")
    unknown = sorted(set(ladder[step].dropna()) - set(LADDER))
    if unknown or ladder[step].isna().any():
        raise SchemaError(f"ladder[{step!r}] holds {unknown or 'missing values'}; expected one of {list(LADDER)}.")
    counts = ladder[step].value_counts().reindex(list(LADDER), fill_value=0).to_numpy(dtype="int64", copy=True)
    known = int(counts.sum())
    market = known if market_size is None else int(require_positive(market_size, "market_size"))
    if market < known:
        raise CustkitError(f"market_size ({market}) is smaller than the {known} people already on the ladder.")
    counts[0] += market - known
    reached = counts[::-1].cumsum()[::-1]
    previous = np.concatenate([[reached[0]], reached[:-1]])
    return pd.DataFrame(
        {
            "step": pd.array(LADDER, dtype="str"),
            "step_number": np.arange(1, len(LADDER) + 1),
            "people": counts,
            "reached": reached,
            "share_of_market": reached / market,
            "step_conversion": np.where(previous > 0, reached / np.maximum(previous, 1), np.nan),
        }
    )


__all__ = [
    "EVENT_STAGE",
    "FUNNEL_STAGES",
    "LADDER",
    "funnel_counts",
    "furthest_stage_from_events",
    "intervention_value",
    "ladder_counts",
    "loyalty_ladder",
    "time_to_convert",
]
