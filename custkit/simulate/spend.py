"""Daily marketing spend per paid channel, consistent with the visits those channels brought.

Only part of a channel's visits are paid for: most search visits come from the unpaid
(organic) results and some social visits from the shop's own posts, while every display-ad and
e-mail visit is bought (``PAID_SHARE``; Wolfgang Digital's E-commerce KPI Benchmarks put paid
search near 40 % of search sessions and paid social near 60 % of social sessions). Paid clicks
exceed the visits they bring, because some people leave before the page has loaded and is counted
(``VISITS_PER_CLICK``; Google Ads help, "clicks versus sessions": typically 10-20 % fewer
sessions than clicks). Spend per visit and per acquired customer can then be computed from the
tables (concept E2 [004]: aim spend at the most profitable groups). Impressions follow from a
click-through rate and spend from a cost per click, both typical of the channel (WordStream's
Google Ads benchmarks 2024: search about $1.0-1.2 a click for shopping, display about $0.5-0.6; Meta ads
about $0.6-0.7), with day-to-day noise; campaign days cost more per click. Costs are in US dollars
times the locale's rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import require_columns
from custkit.config import ShopConfig
from custkit.errors import SchemaError
from custkit.simulate.calendar import PAID_CHANNELS
from custkit.simulate.precision import held_exp

CTR = {"search": 0.035, "social": 0.012, "ads": 0.006, "email": 0.025}  # clicks per impression
CPC_USD = {"search": 1.00, "social": 0.60, "ads": 0.50, "email": 0.10}  # dollars per paid click
PAID_SHARE = {"search": 0.40, "social": 0.60, "ads": 1.0, "email": 1.0}  # paid visits of the channel's visits
VISITS_PER_CLICK = 0.85  # paid clicks that arrive as a recorded visit
BASE_IMPRESSIONS = {"search": 400, "social": 1500, "ads": 3000, "email": 800}  # on a day without clicks


def marketing_spend(cfg: ShopConfig, rng: np.random.Generator, sessions: pd.DataFrame,
                    campaigns: pd.DataFrame, usd_rate: float) -> pd.DataFrame:
    """One row per day of the observation window and paid channel (schema ``marketing_spend``).

    Parameters
    ----------
    sessions
        The shop's visits (``start``, ``channel``); paid clicks per day and channel follow from
        the visits through ``PAID_SHARE`` and ``VISITS_PER_CLICK``.
    campaigns
        Campaigns (``channel``, ``start_date``, ``end_date``): their channel costs 40 % more per
        click while they run.
    """
    for df, name in ((sessions, "sessions"), (campaigns, "campaigns")):
        if not isinstance(df, pd.DataFrame):  # may be empty: a tiny shop can have no paid visit
            raise SchemaError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
    require_columns(campaigns, ["channel", "start_date", "end_date"], "campaigns")
    return spend_from_visits(cfg, rng, paid_visit_counts(cfg, sessions), campaigns, usd_rate)


def paid_visit_counts(cfg: ShopConfig, sessions: pd.DataFrame) -> np.ndarray:
    """Visits of each paid channel on each day of the window, one row per day, a column per
    channel of ``PAID_CHANNELS``: what :func:`spend_from_visits` needs of the visits. Counts of
    parts of the visits (the blocks of a streamed shop) add up to the counts of the whole."""
    if not isinstance(sessions, pd.DataFrame):
        raise SchemaError(f"sessions must be a pandas DataFrame, got {type(sessions).__name__}.")
    require_columns(sessions, ["start", "channel"], "sessions")
    if not pd.api.types.is_datetime64_any_dtype(sessions["start"]):
        raise SchemaError(f"sessions['start'] must hold datetimes, found dtype {sessions['start'].dtype}; "
                          f"convert it with pd.to_datetime(...).")
    days = pd.date_range(cfg.start_date, cfg.end_date, freq="D")
    grid = pd.MultiIndex.from_product([days, list(PAID_CHANNELS)], names=["date", "channel"])
    paid = sessions[sessions["channel"].isin(PAID_CHANNELS)]
    visits = (paid.groupby([paid["start"].dt.normalize().astype("datetime64[ns]").rename("date"),
                            paid["channel"].astype(object).rename("channel")]).size()
              .reindex(grid, fill_value=0).to_numpy(np.int64))
    return visits.reshape(len(days), len(PAID_CHANNELS))


def spend_from_visits(cfg: ShopConfig, rng: np.random.Generator, visits: np.ndarray,
                      campaigns: pd.DataFrame, usd_rate: float) -> pd.DataFrame:
    """The ``marketing_spend`` rows from the paid visits per day and channel
    (:func:`paid_visit_counts`)."""
    days = pd.date_range(cfg.start_date, cfg.end_date, freq="D")
    visits = np.asarray(visits, dtype=np.int64).reshape(-1)
    channel = np.tile(np.array(PAID_CHANNELS, dtype=object), len(days))
    paid_visits = rng.binomial(visits, np.array([PAID_SHARE[c] for c in channel]))
    clicks = paid_visits + rng.poisson(paid_visits * (1.0 / VISITS_PER_CLICK - 1.0))
    date = np.repeat(days.to_numpy(), len(PAID_CHANNELS))
    ctr = np.array([CTR[c] for c in channel]) * held_exp(rng.normal(0, 0.25, len(channel)))
    impressions = np.maximum(np.round(clicks / ctr), 0).astype(np.int64)
    impressions += rng.poisson([BASE_IMPRESSIONS[c] for c in channel]).astype(np.int64)
    boost = np.ones(len(channel))
    for row in campaigns.itertuples(index=False):
        on = (channel == row.channel) & (date >= np.datetime64(row.start_date)) & (date <= np.datetime64(row.end_date))
        boost[on] = 1.4
    cpc = np.array([CPC_USD[c] for c in channel]) * boost * held_exp(rng.normal(0, 0.2, len(channel)))
    spend = np.round((clicks * cpc + impressions * 0.0004) * usd_rate, 2 if usd_rate == 1.0 else 0)
    return pd.DataFrame({"date": date, "channel": channel, "spend": spend, "impressions": impressions,
                         "clicks": clicks})
