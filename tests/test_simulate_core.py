"""generate(): schema, ids, consistency between tables, blocks, and reproducibility across processes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from custkit.config import ShopConfig
from custkit.errors import ConfigError, CustkitError
from custkit.schema import ALL_TABLES, PANDAS_DTYPE, TABLES
from custkit.simulate import generate
from custkit.simulate.blocks import assemble, block_members, conform, generate_block, shared_parts

SMALL = dict(n_customers=900, anonymous_visitors=500, block_size=300, n_products=80, seed=11)


@pytest.fixture(scope="module")
def cfg() -> ShopConfig:
    return ShopConfig(**SMALL)


@pytest.fixture(scope="module")
def shop(cfg):
    return generate(cfg)


def _ids_ok(df: pd.DataFrame, col: str) -> bool:
    return df[col].tolist() == list(range(1, len(df) + 1))


def test_tables_columns_and_dtypes_follow_the_schema(shop):
    assert list(shop.tables) == list(TABLES)
    for name, cols in ALL_TABLES.items():
        df = shop.truth if name == "truth" else shop.tables[name]
        expected = [c.name for c in cols if not c.optional]  # en_US: no Jalali columns
        assert list(df.columns) == expected, name
        for c in cols:
            if not c.optional:
                assert str(df[c.name].dtype) == PANDAS_DTYPE[c.kind], (name, c.name, df[c.name].dtype)
        assert len(df) > 0, name


def test_ids_start_at_one_and_rows_are_sorted(shop):
    # customer ids are given when an account opens: the export leaves out older accounts that
    # bought nothing in the window, so their ids are missing (gaps), ids still rise with sign-up
    ids = shop.customers["customer_id"]
    assert ids.is_unique and ids.is_monotonic_increasing and ids.min() >= 1 and ids.max() <= shop.config.n_customers
    assert shop.truth["customer_id"].equals(ids)
    for name, col in [("products", "product_id"), ("sessions", "session_id"),
                      ("events", "event_id"), ("orders", "order_id"), ("tickets", "ticket_id"),
                      ("surveys", "survey_id"), ("campaigns", "campaign_id")]:
        assert _ids_ok(shop.tables[name], col), name
    items = shop.order_items
    assert items.equals(items.sort_values(["order_id", "line"]).reset_index(drop=True))
    # ids follow time: customers by sign-up, orders by order time
    assert shop.customers["signup_date"].is_monotonic_increasing
    assert shop.orders["order_date"].is_monotonic_increasing


def test_no_hidden_column_leaks_into_observed_tables(shop):
    hidden = {"persona", "knowledge_type", "ability", "aptitude", "gift_like", "popularity", "day", "_block",
              "satisfaction", "purchase_rate", "dropout_prob", "wallet", "advocate"}
    for name, df in shop.tables.items():
        assert not hidden & set(df.columns), name


def test_order_totals_match_their_lines_to_the_cent(shop):
    o, it = shop.orders, shop.order_items
    assert set(it["order_id"]) == set(o["order_id"])
    cents = lambda s: np.round(s * 100).astype(np.int64)  # noqa: E731
    assert (cents(it["line_net"]) == cents(it["unit_price"]) * it["quantity"] - cents(it["discount"])).all()
    lines = it.assign(g=cents(it["unit_price"]) * it["quantity"], d=cents(it["discount"]), n=cents(it["line_net"]))
    sums = lines.groupby("order_id")[["g", "d", "n"]].sum()
    assert (sums["g"].to_numpy() == cents(o["gross"]).to_numpy()).all()
    assert (sums["d"].to_numpy() == cents(o["discount"]).to_numpy()).all()
    assert (sums["n"].to_numpy() == cents(o["net"]).to_numpy()).all()
    assert (cents(o["net"]) == cents(o["gross"]) - cents(o["discount"])).all()
    assert (it.groupby("order_id")["line"].agg(lambda s: list(s) == list(range(1, len(s) + 1)))).all()


def test_shop_revenue_follows_transaction_type_and_status(cfg, shop):
    o = shop.orders
    lost = o["status"].isin(["cancelled", "returned"])
    assert (o.loc[lost, "shop_revenue"] == 0).all()
    kept = o[~lost]
    sale = kept["transaction_type"].isin(["B2C", "B2B"])
    assert np.allclose(kept.loc[sale, "shop_revenue"], kept.loc[sale, "net"])
    c2c = kept[kept["transaction_type"] == "C2C"]
    # commission in cents, halves rounded up: 10 % of 35.45 is 3.545 -> 3.55
    expected = np.floor(np.round(c2c["net"] * 100) * cfg.marketplace_commission + 0.5) / 100
    assert (c2c["shop_revenue"] == expected).all() and len(c2c) > 0
    c2b = kept[kept["transaction_type"] == "C2B"]
    assert len(c2b) > 0 and (c2b["shop_revenue"] == -c2b["net"]).all() and (c2b["shop_revenue"] < 0).all()
    # the seller is named exactly for C2C, and is someone else
    is_c2c = o["transaction_type"] == "C2C"
    assert (o["seller_customer_id"].notna() == is_c2c).all() and is_c2c.sum() > 0
    assert (o.loc[is_c2c, "seller_customer_id"] != o.loc[is_c2c, "customer_id"]).all()
    assert set(o["status"]) == {"delivered", "returned", "cancelled"}
    assert set(o["transaction_type"]) == {"B2C", "B2B", "C2C", "C2B"}
    assert (o.loc[o["transaction_type"] == "B2B", "recipient"] == "organisation").all()


def test_delivery_dates(cfg, shop):
    o = shop.orders
    assert (o["delivered_date"].isna() == (o["status"] == "cancelled")).all()
    promised_days = (o["promised_date"] - o["order_date"].dt.normalize()).dt.days
    assert (promised_days == cfg.delivery_days).all()


def test_observed_tables_stop_at_the_end_date(cfg, shop):
    end = pd.Timestamp(cfg.end_date) + pd.Timedelta(days=1)
    assert shop.orders["order_date"].max() < end
    assert shop.sessions["start"].max() < end
    assert shop.events["timestamp"].max() < end
    assert shop.tickets["created"].max() < end
    assert shop.surveys["sent_date"].max() < end
    assert shop.customers["signup_date"].max() < end
    assert shop.campaigns["start_date"].max() < end
    md = shop.marketing_spend
    assert md["date"].min() == pd.Timestamp(cfg.start_date) and md["date"].max() == pd.Timestamp(cfg.end_date)
    assert len(md) == 4 * len(pd.date_range(cfg.start_date, cfg.end_date))


def test_foreign_keys_agree(shop):
    o, s, t, sv, c = shop.orders, shop.sessions, shop.tickets, shop.surveys, shop.customers
    ids = set(c["customer_id"])
    for df in (o, t, sv):
        assert set(df["customer_id"]) <= ids
    assert set(shop.order_items["product_id"]) <= set(shop.products["product_id"])
    assert set(o["campaign_id"].dropna()) <= set(shop.campaigns["campaign_id"])
    # orders <-> sessions point at each other
    linked = o.dropna(subset=["session_id"])
    back = s.set_index("session_id").loc[linked["session_id"].to_numpy(), "order_id"].to_numpy()
    assert (back == linked["order_id"].to_numpy()).all()
    assert (s.set_index("session_id").loc[linked["session_id"].to_numpy(), "customer_id"].to_numpy()
            == linked["customer_id"].to_numpy()).all()
    assert set(shop.events["session_id"]) <= set(s["session_id"])
    # tickets and surveys are about the customer's own orders
    after = t.dropna(subset=["order_id"])
    assert (after["stage"] == "after_purchase").all() and (t["order_id"].isna() == (t["stage"] == "before_purchase")).all()
    owner = o.set_index("order_id")["customer_id"]
    assert (owner.loc[after["order_id"].to_numpy()].to_numpy() == after["customer_id"].to_numpy()).all()
    assert (owner.loc[sv["order_id"].to_numpy()].to_numpy() == sv["customer_id"].to_numpy()).all()
    surveyed = o.set_index("order_id").loc[sv["order_id"].to_numpy()]
    assert (surveyed["status"] == "delivered").all()
    assert (sv["sent_date"].to_numpy() > surveyed["delivered_date"].to_numpy()).all()
    # referrals point to earlier customers
    ref = c.dropna(subset=["referred_by"])
    assert len(ref) > 0
    signup = c.set_index("customer_id")["signup_date"]
    assert (signup.loc[ref["referred_by"].to_numpy()].to_numpy() < ref["signup_date"].to_numpy()).all()
    assert (ref["acquisition_channel"] == "referral").all()


def test_business_accounts_have_companies(shop):
    c = shop.customers
    assert (c["company"].notna() == (c["account_type"] == "business")).all()
    assert set(c["account_type"]) == {"consumer", "business", "employee"}


def _slice_matches(full: pd.DataFrame, part: pd.DataFrame, id_col: str | None, maps: dict, fks: dict) -> dict:
    """Compare the block-k rows of a full run with block k generated alone, mapping local ids."""
    full = full.reset_index(drop=True)
    part = part.reset_index(drop=True)
    assert len(full) == len(part)
    if id_col is not None:
        maps[id_col] = dict(zip(part[id_col].tolist(), full[id_col].tolist()))
        part = part.assign(**{id_col: full[id_col]})
    for col, kind in fks.items():
        mapped = part[col].map(lambda v: maps[kind][v] if pd.notna(v) else pd.NA)
        part = part.assign(**{col: pd.array(mapped, dtype="Int64").astype(full[col].dtype)})
    pd.testing.assert_frame_equal(full, part)
    return maps


def test_block_alone_equals_its_slice_of_a_full_run(cfg, shop):
    k = 1
    alone = generate_block(cfg, k)  # builds the global parts itself
    part = {name: conform(name, df) for name, df in alone.items()}
    ranks, anon = block_members(cfg, k)
    cust = set(ranks + 1)
    assert set(part["customers"]["customer_id"]) <= cust  # the block's accounts that are exported
    assert set(part["customers"]["customer_id"]) == cust & set(shop.customers["customer_id"])
    pd.testing.assert_frame_equal(shop.customers[shop.customers["customer_id"].isin(cust)].reset_index(drop=True),
                                  part["customers"])
    pd.testing.assert_frame_equal(shop.truth[shop.truth["customer_id"].isin(cust)].reset_index(drop=True),
                                  part["truth"])
    maps: dict = {}
    orders = shop.orders[shop.orders["customer_id"].isin(cust)]
    sessions = shop.sessions[shop.sessions["visitor_id"].isin(set(part["sessions"]["visitor_id"]))]
    _slice_matches(sessions.drop(columns="order_id"), part["sessions"].drop(columns="order_id"), "session_id", maps, {})
    _slice_matches(orders, part["orders"], "order_id", maps, {"session_id": "session_id"})
    _slice_matches(sessions, part["sessions"], None, maps, {"session_id": "session_id", "order_id": "order_id"})
    events = shop.events[shop.events["session_id"].isin(set(sessions["session_id"]))]
    _slice_matches(events, part["events"], "event_id", maps, {"session_id": "session_id"})
    items = shop.order_items[shop.order_items["order_id"].isin(set(orders["order_id"]))]
    _slice_matches(items, part["order_items"], None, maps, {"order_id": "order_id"})
    for name, col in (("tickets", "ticket_id"), ("surveys", "survey_id")):
        full = shop.tables[name][shop.tables[name]["customer_id"].isin(cust)]
        _slice_matches(full, part[name], col, maps, {"order_id": "order_id"})


def test_blocks_partition_customers_and_visitors(cfg):
    seen_c, seen_a = [], []
    for k in range(cfg.n_blocks):
        c, a = block_members(cfg, k)
        seen_c += list(c)
        seen_a += list(a)
    assert sorted(seen_c) == list(range(cfg.n_customers))
    assert sorted(seen_a) == list(range(cfg.anonymous_visitors))


def test_assemble_of_blocks_is_generate(cfg, shop):
    shared = shared_parts(cfg)
    again = assemble(cfg, shared, [generate_block(cfg, k, shared) for k in range(cfg.n_blocks)])
    for name in TABLES:
        pd.testing.assert_frame_equal(again.tables[name], shop.tables[name])


_HASH_SCRIPT = """
import pandas as pd
from custkit.config import ShopConfig
from custkit.simulate import generate
shop = generate(ShopConfig(**{small!r}))
for name, df in [*shop.tables.items(), ("truth", shop.truth)]:
    print(name, int(pd.util.hash_pandas_object(df, index=True).sum()), list(df.columns) == list(df.columns))
"""


def test_same_config_gives_identical_tables_in_another_process(cfg, shop):
    out = subprocess.run([sys.executable, "-c", _HASH_SCRIPT.format(small=SMALL)], capture_output=True,
                         text=True, check=True).stdout.split("\n")
    theirs = {line.split()[0]: int(line.split()[1]) for line in out if line.strip()}
    ours = {name: int(pd.util.hash_pandas_object(df, index=True).sum())
            for name, df in [*shop.tables.items(), ("truth", shop.truth)]}
    assert theirs == ours


def test_another_seed_gives_another_shop(cfg, shop):
    other = generate(cfg.replace(seed=12))
    assert not other.orders["net"].equals(shop.orders["net"])


def test_fa_ir_shop_has_jalali_dates_and_toman(cfg):
    shop = generate(cfg.replace(locale="fa_IR", n_customers=300, anonymous_visitors=100))
    assert shop.config.currency == "toman"
    c, o = shop.customers, shop.orders
    assert list(c.columns) == [col.name for col in ALL_TABLES["customers"]]
    assert list(o.columns) == [col.name for col in ALL_TABLES["orders"]]
    assert str(c["signup_date_jalali"].dtype) == "str"
    # Known days: 2024-01-02 = 12 Dey 1402; 2024-03-20 = 1 Farvardin 1403 (Nowruz); 2025-03-21 = 1 Farvardin 1404;
    # 2025-12-31 = 10 Dey 1404.
    known = {"2024-01-02": "1402-10-12", "2024-03-20": "1403-01-01", "2025-03-21": "1404-01-01",
             "2025-12-31": "1404-10-10"}
    both = pd.concat([c[["signup_date", "signup_date_jalali"]].set_axis(["day", "jalali"], axis=1),
                      o[["order_date", "order_date_jalali"]].set_axis(["day", "jalali"], axis=1)])
    hits = both[both["day"].dt.strftime("%Y-%m-%d").isin(known)]
    assert len(hits) > 0
    assert (hits["jalali"] == hits["day"].dt.strftime("%Y-%m-%d").map(known)).all()
    assert (o["net"] == np.round(o["net"])).all()  # whole toman
    assert c["name"].str.contains("ي|ك").sum() == 0  # Persian, not Arabic, letters


def test_generate_rejects_what_is_not_a_config():
    with pytest.raises(ConfigError, match="generate needs a ShopConfig"):
        generate("classroom")  # type: ignore[arg-type]
    with pytest.raises(CustkitError, match=r"progress must be a function progress\(done, total\)"):
        generate(ShopConfig(), progress=3)  # type: ignore[arg-type]


def test_progress_is_reported_once_per_block():
    calls = []
    tiny = ShopConfig(n_customers=250, anonymous_visitors=10, block_size=100, n_products=20, seed=1)
    generate(tiny, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]  # ceil(250 / 100) = 3 blocks


def test_generate_block_rejects_a_block_that_does_not_exist(cfg):
    with pytest.raises(CustkitError, match=r"block k must be an integer in \[0, 2\], got 3"):
        generate_block(cfg, 3)


def test_a_tiny_shop_without_orders_still_follows_the_schema():
    # 10 customers who know nothing (knowledge type 1) over four weeks: seed 21 places no order.
    tiny = ShopConfig(seed=21, n_customers=10, anonymous_visitors=2, horizon_weeks=1, start_date="2024-01-01",
                      end_date="2024-01-29", n_products=10, block_size=100, knowledge_mix=(1, 0, 0),
                      history_years=0.0)  # a new shop: every account opens in the window
    shop = generate(tiny)
    assert len(shop.orders) == 0 and len(shop.order_items) == 0 and len(shop.customers) == 10
    for name, cols in ALL_TABLES.items():
        df = shop.truth if name == "truth" else shop.tables[name]
        assert [str(df[c.name].dtype) for c in cols if not c.optional] == [
            PANDAS_DTYPE[c.kind] for c in cols if not c.optional], name
    assert (shop.truth["lifecycle_state"] == "never_bought").all()
