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
from custkit.simulate.precision import held

from custkit.vocabulary import PAID_CHANNELS  # noqa: F401  (re-exported)


@dataclass(frozen=True, eq=False)
class Calendar:
    """Day-by-day facts the purchase process needs, from ``start_date`` to the end of the horizon.

    Day ``d`` is ``start + d days``. ``end_day`` is the index of the observation end.

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
    """

    days: np.ndarray
    end_day: int
    rhythm: np.ndarray
    campaign_id: np.ndarray
    discount_pct: np.ndarray
    promotion: np.ndarray

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
    """
    if not hasattr(locale, "promotion_days"):
        raise CustkitError(f"locale must be a Locale from custkit.simulate.locales.get_locale(...), got {locale!r}.")
    last = horizon_end(cfg)
    span_days = (last - cfg.start).days + 1
    n_regular = int(round(cfg.campaigns_per_year * span_days / 365.25))
    start = cfg.start + pd.to_timedelta(np.sort(rng.integers(0, span_days - 3, size=n_regular)), unit="D")
    length = rng.integers(3, 15, size=n_regular)
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
    promos = promos.assign(channel="ads", discount_pct=float(cfg.promotion_discount), is_promotion_day=True)
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
    """Day-level rhythm and best running offer, for every day of window and horizon.

    Where campaigns overlap, the deepest discount wins (a promotion day beats a campaign).
    """
    last = horizon_end(cfg)
    days = np.arange(np.datetime64(cfg.start_date), np.datetime64(last.date()) + 1, dtype="datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    rhythm = np.asarray(cfg.rhythm)
    rhythm = (rhythm / rhythm.mean())[weekday]
    n = len(days)
    campaign_id = np.zeros(n, dtype=np.int64)
    discount = np.zeros(n)
    promotion = np.zeros(n, dtype=bool)
    first = np.datetime64(cfg.start_date, "D")
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
    return Calendar(days=days, end_day=end_day, rhythm=rhythm, campaign_id=campaign_id,
                    discount_pct=discount, promotion=promotion)


def signup_schedule(cfg: ShopConfig, rng: np.random.Generator) -> np.ndarray:
    """Sign-up day index (0 = ``start_date``) of every registered customer, sorted.

    The daily rate of new sign-ups grows by ``growth_per_year`` (exponentially) and follows the
    weekly rhythm; ids are then given in sign-up order, so customer 1 signed up first.
    """
    first = np.datetime64(cfg.start_date, "D")
    n_days = int((np.datetime64(cfg.end_date, "D") - first).astype(np.int64)) + 1
    days = first + np.arange(n_days)
    weekday = (days.astype(np.int64) + 3) % 7
    rhythm = np.asarray(cfg.rhythm)[weekday]
    intensity = rhythm * held((1.0 + cfg.growth_per_year) ** (np.arange(n_days) / 365.25))
    cdf = np.cumsum(intensity) / intensity.sum()
    return np.sort(np.searchsorted(cdf, rng.random(cfg.n_customers), side="right")).astype(np.int64)
