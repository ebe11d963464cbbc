"""Notebook 01's exercises: solutions check as correct on the classroom shop, mistakes teach."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb01


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def ex(shop):
    return nb01.exercises(shop)


NAMES = ["q1", "q2", "q3", "q4"]


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, ex, name):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, namespace)
    assert getattr(ex, name).check(namespace["answer"]).correct


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted(ex, name):
    assert getattr(ex, name).check(...).status == "not_attempted"
    assert getattr(ex, name).check(None).status == "not_attempted"


def test_analysis_day_is_last_order_day(shop):
    day = nb01.analysis_day(shop)
    assert day == shop.orders["order_date"].max().normalize()
    assert day.hour == 0 and day.minute == 0


def test_q1_independent_count(shop, ex):
    # A lead has no delivered or returned B2C/B2B/C2C order; counted here with plain sets.
    o = shop.orders
    buyers = set(o.loc[o["transaction_type"].isin(["B2C", "B2B", "C2C"])
                       & o["status"].isin(["delivered", "returned"]), "customer_id"])
    ids = shop.customers["customer_id"].tolist()
    assert ex.q1.answer == pytest.approx(sum(i not in buyers for i in ids) / len(ids))


def test_q1_mistakes_teach(shop, ex):
    assert "percentage" in ex.q1.check(ex.q1.answer * 100).message
    roles = ck.definitions.audience_counts(shop.customers, shop.sessions, shop.orders,
                                           nb01.analysis_day(shop)).set_index("role")
    assert "anonymous visitors" in ex.q1.check(float(roles.loc["lead", "share"])).message
    any_order = float((~shop.customers["customer_id"].isin(shop.orders["customer_id"])).mean())
    result = ex.q1.check(any_order)
    assert result.status == "incorrect" and "cancelled" in result.message


def test_q2_mistakes_teach(shop, ex):
    table = ck.definitions.buyer_vs_consumer(shop.orders, shop.order_items, shop.products)
    all_orders = float(table.loc[table["orders"].idxmax(), "share_for_others"])
    purchases = ck.definitions.purchases_until(shop.orders, shop.end)
    all_categories = float(ck.definitions.buyer_vs_consumer(purchases)["share_for_others"].iloc[0])
    # each typical mistake the data can tell from the answer gets its own message (cancellations
    # do not depend on whom an order is for, so counting them can land on the answer itself)
    told = 0
    for wrong, word in ((all_orders, "cancelled"), (all_categories, "all categories")):
        if wrong != pytest.approx(ex.q2.answer, abs=5e-4):
            assert word in ex.q2.check(wrong).message
            told += 1
    assert told >= 1
    assert "as a number" in ex.q2.check("Fashion").message
    assert ex.q2.check(ex.q2.answer * 100).status == "incorrect"


def test_q3_answer_and_mistakes(shop, ex):
    # C2B: the shop pays the customer, so shop_revenue is negative by the schema's definition.
    assert ex.q3.answer == "C2B"
    assert ex.q3.check("c2b ").correct
    assert "commission" in ex.q3.check("C2C").message
    assert "keeps the whole price" in ex.q3.check("B2B").message


def test_q4_mistakes_teach(shop, ex):
    types = ck.definitions.general_types(shop.customers, shop.sessions, shop.orders,
                                         nb01.analysis_day(shop), include_visitors=False)
    registered_only = int((types["potential_kind"] == "maybe_buyer").sum())
    assert registered_only < ex.q4.answer
    assert "anonymous visitors" in ex.q4.check(registered_only).message
    everyone = ck.definitions.general_types(shop.customers, shop.sessions, shop.orders, nb01.analysis_day(shop))
    potential = int((everyone["general_type"] == "potential").sum())
    assert "browsers" in ex.q4.check(potential).message


def test_bad_input_raises():
    with pytest.raises(ck.CustkitError, match="needs a custkit Shop"):
        nb01.exercises(None)
