"""An interactive explorer: move a knob of the shop, re-simulate, see retention, CLV and equity move.

Notebook 06 asks what a policy does to customers; a sweep (:mod:`custkit.experiments`) answers it
with many shops and seeds. The explorer is the quick, hands-on version: sliders for the main
knobs (late deliveries and support response time, concept D3 [003]; discount depth, B2 [001];
the loyalty programme, D7 [001]; the persona mix, B2) re-simulate a small shop (400 accounts by
default, about half a second of CPU) and redraw retention (D1 [002]), customer lifetime value
and customer equity (D5 [002]) next to the shop it started from.

Every shop of one explorer uses the same seed (common random numbers, as in a sweep), so what
changes between two redraws owes more to the knob than to chance; a small shop is still noisy,
so a difference of a point or two proves nothing (run a sweep for that).

The logic is plain functions that need no widgets (:func:`explorer_config`,
:func:`reweight_mix`, :func:`summarise_shop`, :func:`simulate_summary`, :func:`summary_text`,
:func:`draw`); :func:`explorer` wires them to ipywidgets.

>>> from custkit.explorer import explorer     # doctest: +SKIP
>>> explorer()                                # in JupyterLab: sliders and a figure
"""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from custkit._checks import require_in_range, require_positive
from custkit.config import PERSONAS, ShopConfig
from custkit.errors import CustkitError
from custkit.retention.cohorts import period_retention, pooled_retention
from custkit.retention.equity import equity_from_orders

__all__ = [
    "DEFAULT_CUSTOMERS",
    "ExplorerSummary",
    "draw",
    "explorer",
    "explorer_config",
    "reweight_mix",
    "simulate_summary",
    "summarise_shop",
    "summary_table",
    "summary_text",
]

DEFAULT_CUSTOMERS = 400
"""Accounts of an explorer shop: small enough to re-simulate in about a second."""


def reweight_mix(mix: Mapping[str, float], name: str, share: float) -> dict[str, float]:
    """A persona mix with ``name`` at ``share`` and the others rescaled to fill the rest.

    The other personas keep their proportions to each other (each is multiplied by
    (1 - share) / (their old total)); if they had no share at all, the rest is split equally.

    Examples
    --------
    >>> reweight_mix({"a": 0.5, "b": 0.3, "c": 0.2}, "a", 0.0)
    {'a': 0.0, 'b': 0.6, 'c': 0.4}
    """
    if not isinstance(mix, Mapping) or not mix:
        raise CustkitError(f"mix must be a non-empty dict name -> share, got {mix!r}.")
    if name not in mix:
        raise CustkitError(f"{name!r} is not in the mix; choose one of {list(mix)}.")
    share = require_in_range(share, "share", 0.0, 1.0)
    others = [k for k in mix if k != name]
    rest = float(sum(float(mix[k]) for k in others))
    out = {}
    for k in mix:
        if k == name:
            out[k] = share
        elif rest > 0:
            out[k] = float(mix[k]) * (1.0 - share) / rest
        else:
            out[k] = (1.0 - share) / len(others)
    return out


def explorer_config(
    base_config: ShopConfig | None = None,
    *,
    n_customers: int = DEFAULT_CUSTOMERS,
    late_delivery_rate: float | None = None,
    support_response_hours: float | None = None,
    discount_depth: float | None = None,
    loyalty_programme: bool | None = None,
    persona: str | None = None,
    persona_share: float | None = None,
) -> ShopConfig:
    """The small shop the explorer simulates: ``base_config`` with the slider values applied.

    The shop keeps the base's dates and seed (two calendar years are needed to measure yearly
    retention) and drops what the explorer does not draw: no anonymous visitors and one week of
    hidden future. ``None`` leaves a knob at the base's value.

    Parameters
    ----------
    base_config
        Starting shop; default the classroom shop ``ShopConfig()``.
    n_customers
        Registered accounts (10 or more); a few hundred keep a redraw near one second.
    late_delivery_rate, discount_depth, loyalty_programme
        The :class:`ShopConfig` fields of the same names.
    support_response_hours
        Mean hours to the first answer after a purchase (``support_response_hours_after``); the
        advice answer before a purchase keeps the base's ratio to it (8 h to 16 h in the
        classroom shop), so one slider moves both.
    persona, persona_share
        Give both to set one persona's share of the mix; the others are rescaled
        (:func:`reweight_mix`).

    Raises
    ------
    CustkitError
        A :class:`~custkit.errors.ConfigError` for a value outside a knob's range, or a
        persona without its share (or the reverse).
    """
    base = ShopConfig() if base_config is None else base_config
    if not isinstance(base, ShopConfig):
        raise CustkitError(f"base_config must be a ShopConfig or None, got {type(base).__name__}.")
    changes: dict[str, Any] = {"n_customers": n_customers, "anonymous_visitors": 0, "horizon_weeks": 1}
    for knob, value in (("late_delivery_rate", late_delivery_rate), ("discount_depth", discount_depth),
                        ("loyalty_programme", loyalty_programme)):
        if value is not None:
            changes[knob] = value
    if support_response_hours is not None:
        hours = require_positive(support_response_hours, "support_response_hours")
        ratio = base.support_response_hours_before / base.support_response_hours_after
        changes["support_response_hours_after"] = hours
        changes["support_response_hours_before"] = max(0.05, hours * ratio)
    if (persona is None) != (persona_share is None):
        raise CustkitError("give persona and persona_share together (e.g. persona='discount_seeker', "
                           "persona_share=0.4), or neither.")
    if persona is not None:
        if persona not in PERSONAS:
            raise CustkitError(f"persona must be one of {list(PERSONAS)}, got {persona!r}.")
        changes["persona_mix"] = reweight_mix(base.persona_mix, persona, persona_share)
    return base.replace(**changes)


@dataclass(frozen=True)
class ExplorerSummary:
    """What the explorer draws for one shop.

    Attributes
    ----------
    config
        The shop's config (``None`` for a shop that was not simulated).
    retention
        :func:`custkit.retention.period_retention` by quarter.
    clv
        One row per buyer of the last year: ``customer_id``, ``new``, ``margin`` (per year) and
        ``clv``.
    equity
        The build-up table of :func:`custkit.retention.customer_equity`.
    metrics
        ``buyers``, ``quarterly_retention`` (pooled), ``yearly_retention`` (pooled, the r of the
        CLV), ``mean_clv`` and ``customer_equity``.
    currency
        The shop's currency.
    """

    config: ShopConfig | None
    retention: pd.DataFrame
    clv: pd.DataFrame
    equity: pd.DataFrame
    metrics: pd.Series
    currency: str


def summarise_shop(shop: object, *, as_of: object = None, discount: float = 0.10, horizon: int = 3,
                   margin_rate: float = 1.0) -> ExplorerSummary:
    """Retention, lifetime value per customer and customer equity of one shop, from its orders.

    The same recipe as :func:`custkit.experiments.shop_equity` (so the equity agrees with a
    sweep's), keeping the intermediate tables for the plots:

    1. yearly margin m_i of each buyer of the last 365 days (:func:`custkit.retention.yearly.yearly_margins`);
    2. yearly retention r, pooled over complete calendar years (:func:`custkit.retention.period_retention`);
    3. CLV_i = m_i r / (1 + d - r) (:func:`custkit.retention.retention_clv`, Gupta and Lehmann 2003);
    4. customer equity = sum CLV_i + ``horizon`` yearly cohorts as large and as valuable as last
       year's new buyers, discounted (:func:`custkit.retention.customer_equity`, Gupta, Lehmann
       and Stuart 2004).

    Assumes one retention rate for every customer and that last year's margins and acquisitions
    repeat; revenue stands in for margin unless ``margin_rate`` < 1. Quarterly retention is
    returned for the plot.

    Raises
    ------
    CustkitError
        If the shop is not a custkit Shop, its orders cover fewer than two complete calendar
        years (no yearly retention), or nobody bought in the last year.
    """
    tables = getattr(shop, "tables", None)
    if not isinstance(tables, dict) or "orders" not in tables:
        raise CustkitError(f"expected a custkit Shop (from ck.generate or ck.load_shop), got {type(shop).__name__}.")
    orders = tables["orders"]
    config = getattr(shop, "config", None)
    if as_of is None:
        as_of = shop.end
    value = equity_from_orders(orders, as_of=as_of, discount=discount, horizon=horizon, margin_rate=margin_rate)
    quarterly = period_retention(orders, as_of=as_of, freq="Q")
    metrics = pd.Series({
        "buyers": float(len(value.clv)),
        "quarterly_retention": pooled_retention(quarterly),
        "yearly_retention": value.yearly_retention,
        "mean_clv": float(value.clv["clv"].mean()),
        "customer_equity": value.total,
    }, name="value")
    currency = config.currency if config is not None else ""
    return ExplorerSummary(config, quarterly, value.clv, value.equity, metrics, currency)


def simulate_summary(config: ShopConfig, **kwargs: Any) -> ExplorerSummary:
    """Simulate ``config`` (:func:`custkit.generate`) and summarise it (:func:`summarise_shop`)."""
    from custkit.simulate import generate

    return summarise_shop(generate(config), **kwargs)


_ROWS = (("buyers", "buyers in the last year", "{:,.0f}"),
         ("quarterly_retention", "quarterly retention", "{:.1%}"),
         ("yearly_retention", "yearly retention", "{:.1%}"),
         ("mean_clv", "mean CLV per buyer", "{:,.0f}"),
         ("customer_equity", "customer equity", "{:,.0f}"))


def summary_table(current: ExplorerSummary, baseline: ExplorerSummary | None = None) -> pd.DataFrame:
    """The key numbers as text, one row per metric: ``metric``, ``start`` (when given) and ``now``."""
    rows = []
    for key, label, fmt in _ROWS:
        unit = f" {current.currency}" if key in ("mean_clv", "customer_equity") and current.currency else ""
        row = {"metric": label}
        if baseline is not None:
            row["start"] = fmt.format(baseline.metrics[key]) + unit
        row["now"] = fmt.format(current.metrics[key]) + unit
        rows.append(row)
    return pd.DataFrame(rows)


def summary_text(current: ExplorerSummary, baseline: ExplorerSummary | None = None) -> str:
    """A plain-text summary of the key numbers (what a static copy of the notebook shows)."""
    cfg = current.config
    head = (f"Explorer shop: {cfg.n_customers:,} accounts, seed {cfg.seed}, late deliveries "
            f"{cfg.late_delivery_rate:.0%}, support answers in {cfg.support_response_hours_after:g} h, "
            f"discount {cfg.discount_depth:g} %, loyalty programme {'on' if cfg.loyalty_programme else 'off'}"
            if cfg is not None else "Explorer shop")
    return head + "\n" + summary_table(current, baseline).to_string(index=False)


def draw(current: ExplorerSummary, baseline: ExplorerSummary | None = None) -> Figure:
    """The explorer's figure: retention, CLV distribution and equity build-up, start shop in grey.

    A bare :class:`matplotlib.figure.Figure` (not pyplot), so that nothing is shown twice by the
    notebook's inline backend.
    """
    from custkit.plots.explorer import plot_clv_distribution, plot_equity_buildup, plot_period_retention

    # A fixed layout: constrained layout would lay the text out several times (a third of a second).
    fig = Figure(figsize=(15, 5.2))
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.24, top=0.92, wspace=0.3)
    axes = fig.subplots(1, 3)
    plot_period_retention(current.retention, baseline=None if baseline is None else baseline.retention, ax=axes[0])
    plot_clv_distribution(current.clv, baseline=None if baseline is None else baseline.clv,
                          currency=current.currency, ax=axes[1])
    plot_equity_buildup(current.equity, baseline=None if baseline is None else baseline.equity,
                        currency=current.currency, ax=axes[2])
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def explorer(base_config: ShopConfig | None = None, n_customers: int = DEFAULT_CUSTOMERS, *,
             discount: float = 0.10, horizon: int = 3) -> Any:
    """Sliders for the main knobs that re-simulate a small shop and redraw retention, CLV and equity.

    Parameters
    ----------
    base_config
        The shop to start from (its seed, dates and knobs are the sliders' start values);
        default the classroom shop.
    n_customers
        Accounts of every simulated shop (see :func:`explorer_config`).
    discount, horizon
        Yearly discount rate and future yearly cohorts of the customer equity (:func:`summarise_shop`).

    Returns
    -------
    ipywidgets.VBox
        The controls, the figure and a table of the key numbers, start against now. Its static
        representation (the ``text/plain`` that nbval compares, the ``image/png`` an exported
        page shows in place of the widget) is the start shop's summary and figure, which depend
        only on the config. Needs ``ipywidgets`` (the ``notebooks`` extra).
    """
    start = explorer_config(base_config, n_customers=n_customers)
    require_positive(discount, "discount", allow_zero=True)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 0:
        raise CustkitError(f"horizon must be a whole number of years >= 0, got {horizon!r}.")
    return _panel_class()(start, discount=discount, horizon=horizon)


_PANEL: list[type] = []


def _panel_class() -> type:
    """The widget class, built on first use so that the plain functions need no ipywidgets."""
    if _PANEL:
        return _PANEL[0]
    try:
        import ipywidgets as w
    except ImportError:  # pragma: no cover - ipywidgets ships with the notebooks extra
        raise CustkitError("the explorer needs ipywidgets: pip install 'custkit[notebooks]'.") from None

    class ExplorerPanel(w.VBox):
        """Controls, figure and numbers; every change re-simulates with the start shop's seed."""

        def __init__(self, start: ShopConfig, *, discount: float, horizon: int) -> None:
            self._start_config, self._discount, self._horizon = start, discount, horizon
            slider = {"continuous_update": False, "style": {"description_width": "12em"},
                      "layout": w.Layout(width="30em")}
            self.late = w.FloatSlider(value=start.late_delivery_rate, min=0.0, max=0.6, step=0.01,
                                      readout_format=".0%", description="late deliveries", **slider)
            self.support = w.FloatSlider(value=start.support_response_hours_after, min=1.0, max=96.0, step=1.0,
                                         readout_format=".0f", description="support answer (hours)", **slider)
            self.discount_depth = w.FloatSlider(value=start.discount_depth, min=0.0, max=50.0, step=1.0,
                                                readout_format=".0f", description="campaign discount (%)", **slider)
            self.loyalty = w.Checkbox(value=start.loyalty_programme, description="loyalty programme",
                                      indent=False)
            self.persona = w.Dropdown(options=list(PERSONAS), value="discount_seeker", description="persona",
                                      style=slider["style"], layout=w.Layout(width="30em"))
            self.persona_share = w.FloatSlider(value=start.persona_mix["discount_seeker"], min=0.0, max=0.9,
                                               step=0.01, readout_format=".0%", description="share of persona",
                                               **slider)
            self.status = w.HTML()
            self.figure = w.Output()
            self.numbers = w.HTML()
            self.baseline = simulate_summary(start, discount=discount, horizon=horizon)
            self.current = self.baseline
            self._png = _png(draw(self.baseline, None))
            self._show(self.baseline, self._png, "The start shop. Move a slider to re-simulate it.")
            left = w.VBox([self.late, self.support, self.discount_depth])
            right = w.VBox([self.loyalty, self.persona, self.persona_share])
            super().__init__([w.HBox([left, right]), self.status, self.figure, self.numbers])
            self.persona.observe(self._on_persona, names="value")
            for control in (self.late, self.support, self.discount_depth, self.loyalty, self.persona_share):
                control.observe(self._on_change, names="value")

        def config(self) -> ShopConfig:
            """The config the controls describe now."""
            return explorer_config(self._start_config, n_customers=self._start_config.n_customers,
                                   late_delivery_rate=self.late.value, support_response_hours=self.support.value,
                                   discount_depth=self.discount_depth.value, loyalty_programme=self.loyalty.value,
                                   persona=self.persona.value, persona_share=self.persona_share.value)

        def _on_persona(self, change: dict) -> None:
            # Show the chosen persona's current share; its observer re-simulates if the share moves.
            share = self.current.config.persona_mix[change["new"]]
            if share == self.persona_share.value:
                return
            self.persona_share.value = share

        def _on_change(self, _change: dict) -> None:
            self.status.value = "<i>Re-simulating...</i>"
            t0 = time.perf_counter()
            try:
                self.current = simulate_summary(self.config(), discount=self._discount, horizon=self._horizon)
            except CustkitError as err:
                self.status.value = f"<b>Cannot simulate this shop:</b> {err}"
                return
            png = _png(draw(self.current, self.baseline))
            self._show(self.current, png, f"Re-simulated in {time.perf_counter() - t0:.1f} s "
                                          f"(grey: the start shop, same seed).")

        def _show(self, summary: ExplorerSummary, png: bytes, status: str) -> None:
            self.figure.outputs = ({"output_type": "display_data", "metadata": {},
                                    "data": {"image/png": base64.b64encode(png).decode("ascii"),
                                             "text/plain": "<explorer figure>"}},)
            baseline = None if summary is self.baseline else self.baseline
            self.numbers.value = summary_table(summary, baseline).to_html(index=False)
            self.status.value = status

        def _repr_mimebundle_(self, **kwargs: Any) -> dict:
            data = super()._repr_mimebundle_(**kwargs)
            data["text/plain"] = summary_text(self.baseline)
            data["image/png"] = base64.b64encode(self._png).decode("ascii")
            return data

    _PANEL.append(ExplorerPanel)
    return ExplorerPanel
