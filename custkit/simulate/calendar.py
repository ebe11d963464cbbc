"""The shop's calendar: campaigns, promotion days, the weekly rhythm and the growth of sign-ups.

Everything here is *global* (the same for every customer block) and is drawn from its own child
of the config's seed, so a block can be generated alone and still see the same calendar.
Promotion days come from the locale's holiday sales (Black Friday, Christmas; Nowruz, Yalda):
deeper discounts that discount seekers wait for (concept B2, article [001]).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.simulate.precision import held, held_exp

from custkit.vocabulary import PAID_CHANNELS  # noqa: F401  (re-exported)


@dataclass(frozen=True, eq=False)
class Calendar:
    """Day-by-day facts the purchase process needs, from the shop's opening to the end of the horizon.

    Day ``d`` is ``opening + d days`` (the shop's opening, ``history_years`` before
    ``start_date``). ``start_day`` and ``end_day`` are the indices of the first and last observed
    days.

    Attributes
    ----------
    days
        ``datetime64[D]`` of every simulated day.
    rhythm
        Weekday multiplier of demand per day (mean 1 over a week).
    campaign_id, discount_pct
        The best offer running that day (campaign id, percent), 0 where none runs.
    promotion
        Whether the day is a promotion day (holiday sale).
    price_index
        List prices of the day relative to ``start_date``'s (the products table's list prices):
        ``(1 + cfg.price_rise) ** (years since start_date)``; all ones when prices are flat.
    """

    days: np.ndarray
    start_day: int
    end_day: int
    rhythm: np.ndarray
    campaign_id: np.ndarray
    discount_pct: np.ndarray
    promotion: np.ndarray
    price_index: np.ndarray

    @property
    def n_days(self) -> int:
        return len(self.days)


def horizon_end(cfg: ShopConfig) -> pd.Timestamp:
    """Last simulated day: ``end_date`` plus ``horizon_weeks`` weeks."""
    return cfg.end + pd.Timedelta(weeks=cfg.horizon_weeks)


def build_campaigns(cfg: ShopConfig, locale, rng: np.random.Generator) -> pd.DataFrame:
    """Campaigns from ``start_date`` to the end of the horizon (schema ``campaigns`` columns).

    Regular campaigns (``campaigns_per_year`` a year) run 3-14 days on one paid channel with a
    discount of about ``discount_depth`` percent; each holiday
    sale (consecutive days of one holiday, e.g. Christmas 15-24 December) is one campaign with
    ``promotion_discount`` percent. Ids follow the start date.

    The regular campaigns follow a steady plan: the span is cut into equal slots, one per
    campaign, and each campaign starts at a random day of its slot and ends inside it. Offers then
    cover about the same share of days in every year, the hidden horizon included, so that a
    model fitted on the observed window is graded on a future of the same character (with
    campaigns placed at random over the span, the window and the horizon could differ by a factor
    of two in offer days, and with them in the purchases of discount seekers).
    """
    if not hasattr(locale, "promotion_days"):
        raise CustkitError(f"locale must be a Locale from custkit.simulate.locales.get_locale(...), got {locale!r}.")
    last = horizon_end(cfg)
    span_days = (last - cfg.start).days + 1
    n_regular = int(round(cfg.campaigns_per_year * span_days / 365.25))
    slot = span_days / max(n_regular, 1)
    length = np.minimum(rng.integers(3, 15, size=n_regular), max(int(slot), 1))
    slot_start = np.floor(np.arange(n_regular) * slot).astype(np.int64)
    room = np.maximum(np.floor((np.arange(n_regular) + 1) * slot).astype(np.int64) - slot_start - length, 0)
    offset = slot_start + np.floor(rng.random(n_regular) * (room + 1)).astype(np.int64)
    start = cfg.start + pd.to_timedelta(offset, unit="D")
    channel = rng.choice(np.array(PAID_CHANNELS, dtype=object), size=n_regular, p=[0.3, 0.25, 0.25, 0.2])
    depth = np.round(cfg.discount_depth * rng.uniform(0.6, 1.4, size=n_regular))
    regular = pd.DataFrame({
        "name": _campaign_names(rng, start, locale.code),
        "channel": channel,
        "start_date": start,
        "end_date": start + pd.to_timedelta(length - 1, unit="D"),
        "discount_pct": depth,
        "is_promotion_day": False,
    })
    promos = _promotion_runs(locale.promotion_days(cfg.start.date(), last.date()), locale.code)
    # holiday sales are announced to the shop's e-mail list (newsletters carry most of their traffic)
    promos = promos.assign(channel="email", discount_pct=float(cfg.promotion_discount), is_promotion_day=True)
    out = pd.concat([regular, promos], ignore_index=True)
    out = out.sort_values(["start_date", "is_promotion_day"], kind="stable").reset_index(drop=True)
    out.insert(0, "campaign_id", np.arange(1, len(out) + 1, dtype=np.int64))
    return out


# Campaign themes: any time of year, and by season (month -> theme) in the shop's language.
_THEMES = {
    "en_US": (("Flash sale", "New arrivals", "Members' week", "Clearance", "Gadget days"),
              {12: "Winter sale", 1: "Winter sale", 2: "Winter sale", 3: "Spring deals", 4: "Spring deals",
               5: "Spring deals", 6: "Summer sale", 7: "Summer sale", 8: "Back to school", 9: "Back to school",
               10: "Autumn offers", 11: "Autumn offers"}),
    "fa_IR": (("حراج لحظه‌ای", "محصولات تازه", "هفته اعضا", "حراج پایان فصل", "روزهای دیجیتال"),
              {12: "حراج زمستانه", 1: "حراج زمستانه", 2: "حراج زمستانه", 3: "تخفیف‌های بهاری",
               4: "تخفیف‌های بهاری", 5: "تخفیف‌های بهاری", 6: "حراج تابستانه", 7: "حراج تابستانه",
               8: "بازگشایی مدارس", 9: "بازگشایی مدارس", 10: "پیشنهادهای پاییزی", 11: "پیشنهادهای پاییزی"}),
}


_FA_HOLIDAY_NAMES = {"Nowruz": "حراج نوروز", "Yalda": "حراج یلدا", "Black Friday": "بلک فرایدی"}


def _promotion_runs(days: pd.DataFrame, code: str) -> pd.DataFrame:
    """Group the locale's promotion days (columns date, name) into runs of consecutive days."""
    d = days.sort_values("date").reset_index(drop=True)
    new_run = (d["name"] != d["name"].shift()) | (d["date"].diff() != pd.Timedelta(days=1))
    run = new_run.cumsum()
    out = d.groupby(run).agg(name=("name", "first"), start_date=("date", "min"), end_date=("date", "max"))
    name = out["name"].map(_FA_HOLIDAY_NAMES).fillna(out["name"]) if code == "fa_IR" else out["name"]
    return pd.DataFrame({"name": (name + " " + out["start_date"].dt.strftime("%Y")).to_numpy(object),
                         "start_date": out["start_date"].to_numpy(), "end_date": out["end_date"].to_numpy()})


def _campaign_names(rng: np.random.Generator, start: pd.DatetimeIndex, code: str) -> np.ndarray:
    """Half the campaigns get the season's theme, half a year-round one; the month is appended."""
    anytime, season = _THEMES[code]
    generic = np.array(anytime, dtype=object)[rng.integers(0, len(anytime), size=len(start))]
    seasonal = np.array([season[m] for m in start.month], dtype=object)
    theme = np.where(rng.random(len(start)) < 0.5, seasonal, generic)
    return theme + " " + start.strftime("%Y-%m").to_numpy(object)


def build_calendar(cfg: ShopConfig, campaigns: pd.DataFrame) -> Calendar:
    """Day-level rhythm and best running offer, for every day from the shop's opening
    (``cfg.opening``, ``history_years`` before ``start_date``) to the end of the horizon.

    Where campaigns overlap, the deepest discount wins (a promotion day beats a campaign).
    Campaigns run from ``start_date`` on: the years before the window are simulated only so that
    the window opens with the customers the shop already has.
    """
    last = horizon_end(cfg)
    opening = np.datetime64(cfg.opening.date(), "D")
    days = np.arange(opening, np.datetime64(last.date()) + 1, dtype="datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    rhythm = np.asarray(cfg.rhythm)
    rhythm = (rhythm / rhythm.mean())[weekday]
    n = len(days)
    campaign_id = np.zeros(n, dtype=np.int64)
    discount = np.zeros(n)
    promotion = np.zeros(n, dtype=bool)
    first = opening
    # Few campaigns (tens): a loop over campaigns, not over days or customers.
    order = np.lexsort((-campaigns["campaign_id"].to_numpy(), campaigns["discount_pct"].to_numpy()))
    for row in campaigns.iloc[order].itertuples(index=False):
        a = int((np.datetime64(row.start_date, "D") - first).astype(np.int64))
        b = int((np.datetime64(row.end_date, "D") - first).astype(np.int64)) + 1
        a, b = max(a, 0), min(b, n)
        campaign_id[a:b] = row.campaign_id
        discount[a:b] = row.discount_pct
        promotion[a:b] = row.is_promotion_day
    end_day = int((np.datetime64(cfg.end_date) - first).astype(np.int64))
    start_day = int((np.datetime64(cfg.start_date) - first).astype(np.int64))
    years = (np.arange(n) - start_day) / 365.25
    price_index = held_exp(np.log1p(cfg.price_rise) * years) if cfg.price_rise else np.ones(n)
    return Calendar(days=days, start_day=start_day, end_day=end_day, rhythm=rhythm, campaign_id=campaign_id,
                    discount_pct=discount, promotion=promotion, price_index=price_index)


def signup_schedule(cfg: ShopConfig, rng: np.random.Generator) -> np.ndarray:
    """Sign-up day index (0 = the opening day, ``cfg.opening``) of every registered customer, sorted.

    Sign-ups run from the opening to ``end_date``: those before ``start_date`` are the customer
    base the shop already has when the window opens. The daily rate of new sign-ups grows by
    ``growth_per_year`` (exponentially) and follows the weekly rhythm; ids are then given in
    sign-up order, so customer 1 signed up first.
    """
    first = np.datetime64(cfg.opening.date(), "D")
    n_days = int((np.datetime64(cfg.end_date, "D") - first).astype(np.int64)) + 1
    days = first + np.arange(n_days)
    weekday = (days.astype(np.int64) + 3) % 7
    rhythm = np.asarray(cfg.rhythm)[weekday]
    intensity = rhythm * held((1.0 + cfg.growth_per_year) ** (np.arange(n_days) / 365.25))
    cdf = np.cumsum(intensity) / intensity.sum()
    return np.sort(np.searchsorted(cdf, rng.random(cfg.n_customers), side="right")).astype(np.int64)
