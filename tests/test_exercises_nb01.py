"""Notebook 01's exercises: on the classroom shop and three other seeds every solution checks as
correct, and a typical mistake of each exercise is told what it got wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb01
from tests.claims.conftest import SHOPS, shop_named

NAMES = ["q1", "q2", "q3", "q4"]


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return shop_named(request.param)


@pytest.fixture(scope="module")
def ex(shop):
    return nb01.exercises(shop)


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, ex, name):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, namespace)
    assert getattr(ex, name).check(namespace["answer"]).correct


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted_and_two_level_hints(ex, name):
    q = getattr(ex, name)
    assert q.check(...).status == "not_attempted"
    assert q.check(None).status == "not_attempted"
    assert len(q.hints) == 2 and q.hints[0] != q.hints[1]


def test_analysis_day_is_last_order_day(shop):
    day = nb01.analysis_day(shop)
    assert day == shop.orders["order_date"].max().normalize()
    assert day.hour == 0 and day.minute == 0


def _opened_ids(shop):
    # counted here without the kit: signup on or after the first day of the data
    return {i for i, day in zip(shop.customers["customer_id"], shop.customers["signup_date"]) if day >= shop.start}


def test_q1_independent_count(shop, ex):
    # A lead has no delivered or returned B2C/B2B/C2C order; counted here with plain sets, among the
    # accounts opened in the window.
    o = shop.orders
    buyers = set(o.loc[o["transaction_type"].isin(["B2C", "B2B", "C2C"])
                       & o["status"].isin(["delivered", "returned"]), "customer_id"])
    ids = _opened_ids(shop)
    assert 0 < len(ids) < len(shop.customers)
    assert ex.q1.answer == pytest.approx(sum(i not in buyers for i in ids) / len(ids))


def test_q1_mistakes_teach(shop, ex):
    assert "percentage" in ex.q1.check(ex.q1.answer * 100).message
    day = nb01.analysis_day(shop)
    # the older accounts counted too: the old question's answer
    status = ck.definitions.customer_status(shop.customers, shop.orders, day)
    everyone = float((status["role"] == "lead").mean())
    assert everyone < ex.q1.answer - 0.02
    result = ex.q1.check(everyone)
    assert result.status == "incorrect" and "opened before the window" in result.message
    assert "opened_since" in result.message
    opened = shop.customers[shop.customers["customer_id"].isin(_opened_ids(shop))]
    for accounts in (opened, shop.customers):
        roles = ck.definitions.audience_counts(accounts, shop.sessions, shop.orders, day).set_index("role")
        assert "anonymous visitors" in ex.q1.check(float(roles.loc["lead", "share"])).message
    any_order = float((~opened["customer_id"].isin(shop.orders["customer_id"])).mean())
    result = ex.q1.check(any_order)
    assert result.status == "incorrect" and "cancelled" in result.message


def test_q2_answer_follows_the_data_and_wrong_options_teach(shop, ex):
    purchases = ck.definitions.purchases_until(shop.orders, shop.end)
    share = ck.definitions.buyer_vs_consumer(purchases, shop.order_items, shop.products).set_index("category")[
        "share_for_others"]
    gift = share.loc[list(nb01.GIFT_LIKE)]
    assert len(gift) == 5
    # (b): more common in the gift-like categories, yet below one half everywhere
    assert gift.min() > share.drop(list(nb01.GIFT_LIKE)).max() and share.max() < 0.5
    assert ex.q2.answer == "b"
    assert "most purchases are for the buyer" in ex.q2.options["b"]
    assert "buyers are also" not in ex.q2.options["b"]
    assert ex.q2.check(" (b) ").correct
    assert "not 'mostly'" in ex.q2.check("a").message
    assert "category matters" in ex.q2.check("c").message


def test_q3_answer_and_mistakes(shop, ex):
    # C2B: the shop pays the customer, so shop_revenue is negative by the schema's definition.
    assert ex.q3.answer == "C2B"
    assert ex.q3.check("c2b ").correct
    assert "commission" in ex.q3.check("C2C").message
    assert "keeps the whole price" in ex.q3.check("B2B").message


def test_q4_agrees_with_the_kit_and_independent_count(shop, ex):
    day = nb01.repeat_day(shop)
    assert day < shop.end
    opened = _opened_ids(shop)
    accounts = shop.customers[shop.customers["customer_id"].isin(opened)]
    status = ck.definitions.customer_status(accounts, shop.orders, day)
    assert ex.q4.answer == int((status["role"] == "repeat_buyer").sum())
    counts = {}
    for row in shop.orders.itertuples():
        if (row.customer_id in opened and row.order_date.normalize() <= day
                and row.transaction_type in ("B2C", "B2B", "C2C") and row.status in ("delivered", "returned")):
            counts[row.customer_id] = counts.get(row.customer_id, 0) + 1
    assert ex.q4.answer == sum(k >= 2 for k in counts.values())


def test_q4_mistakes_teach(shop, ex):
    day = nb01.repeat_day(shop)
    o = shop.orders
    kept = o[o["transaction_type"].isin(["B2C", "B2B", "C2C"]) & o["status"].isin(["delivered", "returned"])]
    on_day = kept[kept["order_date"] < day + pd.Timedelta(days=1)]
    # the older accounts counted too (the rule right, the accounts not)
    older_too = int((on_day.groupby("customer_id").size() >= 2).sum())
    assert older_too > ex.q4.answer
    result = ex.q4.check(older_too)
    assert result.status == "incorrect" and "opened before the window" in result.message
    new = o["customer_id"].isin(_opened_ids(shop))
    by_day = o[new & (o["order_date"] < day + pd.Timedelta(days=1))]
    everything = int((by_day.groupby("customer_id").size() >= 2).sum())
    assert everything > ex.q4.answer
    assert "every order" in ex.q4.check(everything).message
    opened_kept = kept[kept["customer_id"].isin(_opened_ids(shop))]
    whole_window = int((opened_kept.groupby("customer_id").size() >= 2).sum())
    assert whole_window > ex.q4.answer
    assert "belongs to a day" in ex.q4.check(whole_window).message
    buyers = int(on_day.loc[on_day["customer_id"].isin(_opened_ids(shop)), "customer_id"].nunique())
    assert "two or more" in ex.q4.check(buyers).message
    assert "do not round" not in ex.q4.check(ex.q4.answer + 500).message


def test_bad_input_raises():
    with pytest.raises(ck.CustkitError, match="needs a custkit Shop"):
        nb01.exercises(None)
