"""The :class:`ShopConfig`: every knob of the simulated shop, validated, with presets.

Each field carries metadata (``doc``, ``unit``, ``low``, ``high``, ``concept``, ``notebook``) so
that the reference page of the knobs can be generated from the class itself
(:meth:`ShopConfig.describe`). Concepts are the codes of the concept map (``docs/concepts.md``):
e.g. D3 = on-time delivery and fitting responses before and after purchase, article [003].

>>> cfg = ShopConfig.preset("customer_centric")          # doctest: +SKIP
>>> cfg.replace(seed=7, n_customers=1000).to_json()      # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from custkit.errors import ConfigError
from custkit.vocabulary import (  # noqa: F401  (re-exported)
    ACCOUNT_TYPES,
    CHANNELS,
    PERSONAS,
    WEEKDAYS,
)

LOCALES = {"en_US": "USD", "fa_IR": "toman"}
LOCALE_RHYTHM = {
    # Monday first. US shops: Sunday evening and Monday busiest, Saturday quiet. Iran: the week
    # starts on Saturday and Friday is the weekend, so Saturday and Sunday are busy, Friday quiet.
    "en_US": (1.1, 1.0, 1.0, 1.0, 0.92, 0.85, 1.13),
    "fa_IR": (1.0, 1.0, 1.05, 0.95, 0.80, 1.15, 1.1),
}
LOCALE_PRICE_RISE = {
    # Yearly rise of shop prices when price_rise_per_year is None. Iran: consumer prices rose
    # 32-35 % a year in 2024-25 (Statistical Centre of Iran, CPI). US consumer prices rose about
    # 3 % a year (BLS CPI, 2024); the US classroom shop keeps its prices flat, a stated
    # simplification (the datasheet), so that a product keeps one price in the lessons.
    "en_US": 0.0,
    "fa_IR": 0.35,
}


def _f(default: Any, doc: str, unit: str = "", low: Any = None, high: Any = None,
       concept: str = "", notebook: str = "") -> Any:
    meta = {"doc": doc, "unit": unit, "low": low, "high": high, "concept": concept, "notebook": notebook}
    if isinstance(default, (dict, list, tuple)):
        return field(default_factory=lambda d=default: _freeze(d), metadata=meta)
    return field(default=default, metadata=meta)


def _freeze(value: Any) -> Any:
    """Mixes become read-only mappings and sequences tuples, so a config cannot change after checks."""
    if isinstance(value, Mapping):
        return types.MappingProxyType(dict(value))
    if isinstance(value, list):
        return tuple(value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class ShopConfig:
    """All parameters of a simulated shop; ``ShopConfig()`` is the classroom shop.

    The observation window is fixed (``start_date`` .. ``end_date``); the simulation continues
    ``horizon_weeks`` after ``end_date`` and keeps that future only in the hidden truth, so that
    lifetime-value predictions can be scored. Nothing reads the clock: the same config always
    gives the same shop. Rates and shares are fractions (0.1 = 10 %); discounts are percent.
    Money thresholds are in US dollars and converted with the locale's exchange rate.

    Raises
    ------
    ConfigError
        On construction, for any field of the wrong type or outside its documented range
        (the message names the field, the value and the allowed range).
    """

    seed: int = _f(42, "Seed of the random generator; the same config gives byte-identical tables.",
                   "", 0, 2**32 - 1, "", "06_research_playground")
    locale: str = _f("en_US", "Country of the shop: en_US (USD) or fa_IR (toman, Persian names, Jalali dates).",
                     "", None, None, "E1", "00_start_here")
    toman_per_usd: float = _f(115_000.0, "Open-market toman per US dollar of a fa_IR shop (late 2025: "
                              "110,000-122,000): prices, wallets and costs are converted with it. Ignored "
                              "for en_US.", "toman per USD", 1_000.0, 10_000_000.0, "E1", "00_start_here")
    price_rise_per_year: float | None = _f(None, "Yearly rise of list prices over the window (0.35 = +35 % a "
                                           "year); None = the locale's usual rate (fa_IR 0.35, after Iran's "
                                           "2024 CPI; en_US 0: flat prices), see ShopConfig.price_rise.",
                                           "per year", 0.0, 5.0, "E1", "00_start_here")
    start_date: str = _f("2024-01-01", "First day of the observation window (ISO date).", "date",
                         "2000-01-01", "2100-12-31", "", "00_start_here")
    end_date: str = _f("2025-12-31", "Last day of the observation window (ISO date); no data after it "
                       "is observed.", "date", "2000-01-01", "2100-12-31", "", "00_start_here")
    horizon_weeks: int = _f(52, "Weeks simulated after end_date; kept only in the truth (future orders "
                            "and revenue) to score lifetime-value predictions.", "weeks", 1, 260,
                            "D5", "04_retention_economics")
    n_customers: int = _f(5000, "Registered accounts the shop opened (buyers and leads who never buy), "
                          "before and in the window; an account opened before the window is exported only "
                          "if it buys or sells in the window.", "customers",
                          10, 2_000_000, "A4", "01_customer_definitions")
    anonymous_visitors: int = _f(175_000, "Visitors who browse but never register (most of a shop's "
                                 "visits: with them about 2-3 % of visits end in a purchase).", "visitors",
                                 0, 100_000_000, "C1", "03_funnel_stages")
    n_products: int = _f(240, "Products in the catalogue.", "products", 10, 20_000, "D4",
                         "04_retention_economics")
    persona_mix: dict = _f({"searcher": 0.22, "discount_seeker": 0.18, "researcher": 0.16,
                            "hesitant": 0.16, "impulsive": 0.14, "brand_switcher": 0.14},
                           "Share of each behavioural persona among people (sums to 1).", "share",
                           0.0, 1.0, "B2", "02_customer_typology")
    knowledge_mix: tuple = _f((0.35, 0.40, 0.25), "Shares of knowledge types 1, 2, 3 (knows neither / "
                              "what not where / both; sums to 1).", "share", 0.0, 1.0, "B1", "02_customer_typology")
    account_type_mix: dict = _f({"consumer": 0.93, "business": 0.05, "employee": 0.02},
                                "Share of consumer, business (B2B) and employee accounts (sums to 1).",
                                "share", 0.0, 1.0, "A4", "01_customer_definitions")
    channel_mix: dict = _f({"search": 0.36, "social": 0.12, "ads": 0.12, "email": 0.06,
                            "referral": 0.06, "direct": 0.28},
                           "Acquisition channel of the first visit (sums to 1); customers referred by "
                           "an advocate always count as referral.", "share", 0.0, 1.0, "E1", "05_segmentation")
    history_years: float = _f(2.0, "Years the shop was already open before start_date: accounts opened then "
                              "are in customers (signup_date before the window) and buy on; their earlier "
                              "orders are not recorded. 0 opens the shop on start_date with no customers.",
                              "years", 0.0, 10.0, "D5", "04_retention_economics")
    growth_per_year: float = _f(0.35, "Yearly growth of the number of new sign-ups (0.35 = +35 % a year).",
                                "per year", -0.9, 5.0, "D5", "04_retention_economics")
    weekly_rhythm: tuple | None = _f(None, "Relative traffic and sales by weekday, Monday first (7 values); "
                                     "None = the locale's usual week (en_US: busy Sunday and Monday; fa_IR: "
                                     "busy Saturday, quiet Friday), see ShopConfig.rhythm.",
                                     "multiplier", 0.1, 5.0, "C2", "03_funnel_stages")
    campaigns_per_year: int = _f(10, "Regular discount campaigns per year (besides promotion days).",
                                 "campaigns", 0, 100, "E2", "05_segmentation")
    discount_depth: float = _f(12.0, "Discount of a regular campaign.", "percent", 0.0, 80.0, "B2",
                               "02_customer_typology")
    promotion_discount: float = _f(30.0, "Discount on promotion days (Black Friday, Nowruz, ...).",
                                   "percent", 0.0, 90.0, "B2", "02_customer_typology")
    late_delivery_rate: float = _f(0.12, "Share of orders delivered after the promised date.", "share",
                                   0.0, 1.0, "D3", "04_retention_economics")
    delivery_days: int = _f(3, "Days promised between order and delivery.", "days", 0, 60, "D3",
                            "04_retention_economics")
    support_response_hours_before: float = _f(8.0, "Mean hours to the first answer of an advice ticket "
                                              "before purchase.", "hours", 0.05, 720.0, "D3",
                                              "04_retention_economics")
    support_response_hours_after: float = _f(16.0, "Mean hours to the first answer of a support ticket "
                                             "after purchase.", "hours", 0.05, 720.0, "D3",
                                             "04_retention_economics")
    loyalty_programme: bool = _f(True, "Whether the shop runs the bronze/silver/gold tier programme; tiers "
                                 "lower the chance to stop.", "", None, None, "D7", "04_retention_economics")
    loyalty_tier_spend_usd: tuple = _f((100.0, 400.0, 1200.0), "Spend (US dollars, delivered orders) "
                                       "needed for bronze, silver, gold; silver also needs 180 days and "
                                       "gold 365 days of tenure.", "USD", 0.0, 1e7, "D7",
                                       "04_retention_economics")
    return_rate: float = _f(0.12, "Base share of delivered orders that are returned, for an order of the "
                            "catalogue's average category mix (fashion comes back about 3 times as often as "
                            "electronics; late deliveries and impulsive buyers return more): about 17 % of "
                            "orders overall, as online (NRF 2024: 16.9 %).", "share", 0.0, 0.9, "D3",
                            "04_retention_economics")
    cancel_rate: float = _f(0.03, "Base share of orders cancelled before delivery.", "share", 0.0, 0.9,
                            "C1", "03_funnel_stages")
    survey_rate: float = _f(1.0, "Share of delivered orders followed by a survey invitation (an e-mail "
                            "after delivery).", "share", 0.0, 1.0, "D2", "04_retention_economics")
    survey_response_rate: float = _f(0.15, "Base share of invitations answered; the very dissatisfied answer "
                                     "far more often than the indifferent, the delighted a little more. "
                                     "About 13 % of invitations are answered, as in e-mail surveys of "
                                     "consumers (Satmetrix: 13-16 %).", "share", 0.0, 1.0, "D2",
                                     "04_retention_economics")
    referral_strength: float = _f(1.0, "How strongly advocates bring new customers: the chance that a "
                                  "new customer is referred is this times the share of advocates among "
                                  "earlier customers (capped at 0.6).", "multiplier", 0.0, 10.0, "C1",
                                  "03_funnel_stages")
    satisfaction_churn_steepness: float = _f(20.0, "Steepness of the logistic links from satisfaction to "
                                             "loyalty: merely satisfied customers stop after a purchase "
                                             "several times as often, and buy again half as fast, as "
                                             "completely satisfied ones (Jones & Sasser 1995), and the "
                                             "dissatisfied stop most (0 = no link).",
                                             "1/satisfaction", 0.0, 50.0, "D2", "04_retention_economics")
    staff_discount: float = _f(30.0, "Discount employees get on every order.", "percent", 0.0, 100.0,
                               "A4", "01_customer_definitions")
    c2c_share: float = _f(0.04, "Share of transactions that are marketplace sales between customers (C2C).",
                          "share", 0.0, 0.5, "A5", "01_customer_definitions")
    c2b_share: float = _f(0.02, "Share of transactions that are trade-ins the shop buys from a customer (C2B).",
                          "share", 0.0, 0.5, "A5", "01_customer_definitions")
    marketplace_commission: float = _f(0.10, "Commission the shop keeps on a C2C sale.", "share", 0.0, 1.0,
                                       "A5", "01_customer_definitions")
    block_size: int = _f(2500, "Customers per generation block (bounds memory). Each block draws from its "
                         "own random stream, so another block_size gives another, equally valid shop; "
                         "referrals stay within a block.", "customers", 100, 1_000_000, "",
                         "06_research_playground")

    # ------------------------------------------------------------------ validation
    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, _freeze(self._check_field(f, value)))
        if self.start_date >= self.end_date:
            raise ConfigError(
                f"end_date ({self.end_date}) must come after start_date ({self.start_date}); "
                f"set an end_date later than the start."
            )
        days = (dt.date.fromisoformat(self.end_date) - dt.date.fromisoformat(self.start_date)).days
        if days < 28:
            raise ConfigError(f"the observation window {self.start_date}..{self.end_date} has {days + 1} days; "
                              f"use at least 4 weeks.")
        spend = self.loyalty_tier_spend_usd
        if not spend[0] <= spend[1] <= spend[2]:
            raise ConfigError(f"loyalty_tier_spend_usd must rise from bronze to gold, got {tuple(spend)}.")
        if self.c2c_share + self.c2b_share > 0.6:
            raise ConfigError(f"c2c_share + c2b_share = {self.c2c_share + self.c2b_share:g}; keep it <= 0.6 "
                              f"so that most orders are sales by the shop.")

    @staticmethod
    def _check_field(f: dataclasses.Field, value: Any) -> Any:
        name, meta = f.name, f.metadata
        low, high = meta["low"], meta["high"]
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        where = f"ShopConfig.{name}"
        if isinstance(value, np.generic):  # a NumPy scalar (np.int64(3), np.float64(0.2), np.bool_)
            value = value.item()
        if name in ("start_date", "end_date"):
            return _check_date(value, where)
        if name in ("weekly_rhythm", "price_rise_per_year") and value is None:
            return None
        if name == "price_rise_per_year":
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where} must be None or a number in [{low}, {high}], got {value!r} "
                                  f"({type(value).__name__}).")
            return float(_check_range(value, where, low, high))
        if name == "weekly_rhythm":
            return _check_vector(value, where, 7, low, high, is_mix=False)
        if name == "locale":
            if value not in LOCALES:
                raise ConfigError(f"{where} must be one of {list(LOCALES)}, got {value!r}.")
            return value
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be True or False, got {value!r} ({type(value).__name__}).")
            return value
        if isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise ConfigError(f"{where} must be a whole number in [{low}, {high}], got {value!r} "
                                      f"({type(value).__name__}).")
            return int(_check_range(value, where, low, high))
        if isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where} must be a number in [{low}, {high}], got {value!r} "
                                  f"({type(value).__name__}).")
            return float(_check_range(value, where, low, high))
        if isinstance(default, Mapping):
            return _check_mix(value, where, tuple(default))
        if isinstance(default, tuple):
            return _check_vector(value, where, len(default), low, high, is_mix=name == "knowledge_mix")
        raise AssertionError(f"no check for {name}")  # pragma: no cover - every field type is handled

    # ------------------------------------------------------------------ derived
    @property
    def currency(self) -> str:
        """The shop's currency: USD for en_US, toman for fa_IR."""
        return LOCALES[self.locale]

    @property
    def rhythm(self) -> tuple[float, ...]:
        """The weekly rhythm in use (Monday first): ``weekly_rhythm``, or the locale's usual week."""
        return self.weekly_rhythm if self.weekly_rhythm is not None else LOCALE_RHYTHM[self.locale]

    @property
    def price_rise(self) -> float:
        """The yearly rise of list prices in use: ``price_rise_per_year``, or the locale's usual rate."""
        return self.price_rise_per_year if self.price_rise_per_year is not None else LOCALE_PRICE_RISE[self.locale]

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.start_date)

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.end_date)

    @property
    def opening(self) -> pd.Timestamp:
        """The day the shop opened: ``history_years`` (in whole days) before ``start_date``."""
        return self.start - pd.Timedelta(days=round(self.history_years * 365.25))

    @property
    def n_blocks(self) -> int:
        """How many generation blocks the customers are split into."""
        return -(-self.n_customers // self.block_size)

    # ------------------------------------------------------------------ construction
    @classmethod
    def preset(cls, name: str) -> ShopConfig:
        """A named shop: classroom (default), customer_centric, production_centric or large."""
        if name not in PRESETS:
            raise ConfigError(f"unknown preset {name!r}; choose one of {list(PRESETS)}.")
        return cls(**PRESETS[name])

    def replace(self, **changes: Any) -> ShopConfig:
        """A copy with some fields changed (validated like a new config)."""
        _check_names(changes)
        return dataclasses.replace(self, **changes)

    def with_customers(self, n_customers: int) -> ShopConfig:
        """A copy with ``n_customers`` accounts and the anonymous visitors scaled in proportion.

        Most visits come from people who never register, so the web funnel's magnitudes (about
        2-3 % of visits end in a purchase, 60-80 % of carts abandoned, the cost of a new buyer)
        depend on visitors per account: 35 in every preset. Changing ``n_customers`` alone keeps
        the visitors and moves the funnel off its published ranges (four times the accounts with
        the same visitors puts the share of visits that buy above 4 %); this keeps it there.
        ``replace(n_customers=...)`` still sets the field alone.
        """
        scaled = self.replace(n_customers=n_customers)  # validates n_customers
        ratio = self.anonymous_visitors / self.n_customers
        return scaled.replace(anonymous_visitors=int(round(ratio * scaled.n_customers)))

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of every field (mixes as dicts, vectors as lists): JSON- and TOML-ready."""
        return {f.name: _thaw(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ShopConfig:
        """Config from a dict such as :meth:`to_dict` returns; missing fields take their defaults."""
        if not isinstance(d, Mapping):
            raise ConfigError(f"ShopConfig.from_dict needs a dict of fields, got {type(d).__name__}.")
        _check_names(d)
        return cls(**d)

    def to_json(self, path: str | Path | None = None) -> str:
        """The config as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    @classmethod
    def from_file(cls, path: str | Path) -> ShopConfig:
        """Read a config written by :meth:`to_json` (``.json``) or a TOML file (``.toml``)."""
        path = Path(path)
        if path.suffix not in (".json", ".toml"):
            raise ConfigError(f"{path} must end in .json or .toml, got {path.suffix!r}.")
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist; check the path.")
        try:
            text = _config_text(path.read_bytes())
            d = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except OSError as exc:
            raise ConfigError(f"could not read {path}: {exc.strerror}; check its permissions.") from None
        except UnicodeDecodeError:
            raise ConfigError(
                f"{path} is not UTF-8 text; save it as UTF-8 (most editors: 'Save with encoding')."
            ) from None
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"could not read {path}: {exc}.") from None
        return cls.from_dict(d)

    @classmethod
    def describe(cls) -> pd.DataFrame:
        """One row per field: name, default, unit, range, concept, notebook and documentation."""
        rows = []
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else _thaw(f.default_factory())
            rows.append({"field": f.name, "default": default, **f.metadata})
        return pd.DataFrame(rows)

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __reduce__(self):
        # Read-only mappings cannot be pickled; rebuild from the plain dict (for multiprocessing).
        return (ShopConfig.from_dict, (self.to_dict(),))


def _check_names(d: Mapping[str, Any]) -> None:
    known = {f.name for f in dataclasses.fields(ShopConfig)}
    unknown = [k for k in d if k not in known]
    if unknown:
        raise ConfigError(f"unknown ShopConfig field(s) {unknown}; the fields are: {sorted(known)}.")


def _check_range(value: float, where: str, low: float, high: float) -> float:
    if not (low <= value <= high):  # also False for NaN
        raise ConfigError(f"{where} must lie in [{low}, {high}], got {value!r}.")
    return value


def _check_date(value: Any, where: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be an ISO date string like '2024-01-31' or a date, got {value!r}.")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{where} must be an ISO date like '2024-01-31', got {value!r}.") from None
    if not ("2000-01-01" <= day.isoformat() <= "2100-12-31"):
        raise ConfigError(f"{where} must lie in [2000-01-01, 2100-12-31], got {value!r}.")
    return day.isoformat()


def _check_mix(value: Any, where: str, names: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a dict of shares over {list(names)}, got {value!r}.")
    unknown = [k for k in value if k not in names]
    if unknown:
        raise ConfigError(f"{where} has unknown name(s) {unknown}; allowed: {list(names)}.")
    out = {}
    for k in names:
        v = value.get(k, 0.0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0.0 <= v <= 1.0):
            raise ConfigError(f"{where}[{k!r}] must be a share in [0, 1], got {v!r}.")
        out[k] = float(v)
    total = sum(out.values())
    if abs(total - 1.0) > 1e-6:
        raise ConfigError(f"{where} must sum to 1, got {total:g} ({out}); rescale the shares.")
    return out


def _check_vector(value: Any, where: str, n: int, low: float, high: float, *, is_mix: bool) -> tuple:
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") or len(value) != n:
        raise ConfigError(f"{where} must be a list of {n} numbers, got {value!r}.")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (low <= v <= high):
            raise ConfigError(f"{where}[{i}] must be a number in [{low}, {high}], got {v!r}.")
        out.append(float(v))
    if is_mix and abs(sum(out) - 1.0) > 1e-6:
        raise ConfigError(f"{where} must sum to 1, got {sum(out):g} ({out}); rescale the shares.")
    return tuple(out)


PRESETS: dict[str, dict[str, Any]] = {
    "classroom": {},
    # D8 [001]: a customer-oriented shop answers fast, delivers on time and rewards loyalty ...
    # (both stay real shops: e-commerce parcels arrive on time 80-95 % of the time, so the better one
    # is late 7 % of the time and the worse 16 %; custkit.realism scores both against the ranges)
    "customer_centric": {"late_delivery_rate": 0.07, "delivery_days": 2, "support_response_hours_before": 2.0,
                         "support_response_hours_after": 4.0, "loyalty_programme": True},
    # ... a production-oriented one ignores its customers while demand exceeds supply.
    "production_centric": {"late_delivery_rate": 0.16, "delivery_days": 5, "support_response_hours_before": 24.0,
                           "support_response_hours_after": 48.0, "loyalty_programme": False},
    "large": {"n_customers": 100_000, "anonymous_visitors": 3_500_000, "n_products": 1200, "block_size": 10_000},
}
"""Field changes of each named shop relative to the classroom defaults."""


def _config_text(raw: bytes) -> str:
    """A config file's text: UTF-8 (with or without a byte-order mark) or UTF-16 with its mark
    (what some Windows editors save); anything else raises UnicodeDecodeError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")
