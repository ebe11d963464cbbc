"""Notebook 00's exercises: solutions check as correct on the classroom shop, mistakes teach."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb00


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def ex(shop):
    return nb00.exercises(shop)


NAMES = ["warmup", "q1", "q2", "q3", "q4"]


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, ex, name):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, namespace)
    assert getattr(ex, name).check(namespace["answer"]).correct


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted(ex, name):
    assert getattr(ex, name).check(...).status == "not_attempted"


def test_expected_values_by_independent_counts(shop, ex):
    # Counted here with plain Python over the rows, not with the exercise's pandas code.
    assert ex.warmup.answer == sum(1 for _ in shop.products.itertuples())
    assert ex.q1.answer == len(set(shop.customers["customer_id"].tolist()))
    statuses = shop.orders["status"].tolist()
    assert ex.q2.answer == pytest.approx(statuses.count("returned") / len(statuses))
    assert ex.q3.answer in set(shop.customers["acquisition_channel"])


def test_warmup_mistake_categories(shop, ex):
    result = ex.warmup.check(shop.products["category"].nunique())
    assert result.status == "incorrect" and "categories" in result.message


def test_q1_buyers_only_is_a_taught_mistake(shop, ex):
    result = ex.q1.check(int(shop.orders["customer_id"].nunique()))
    assert result.status == "incorrect" and "never buy" in result.message


def test_q2_percent_and_cancelled_mistakes(shop, ex):
    share = ex.q2.answer
    assert "percentage" in ex.q2.check(share * 100).message
    both = shop.orders["status"].isin(["returned", "cancelled"]).mean()
    assert "cancelled" in ex.q2.check(float(both)).message
    assert not ex.q2.check(share + 0.05).correct


def test_q3_wrong_type_teaches(ex):
    result = ex.q3.check(1234)
    assert result.status == "incorrect" and "as text" in result.message


def test_q4_short_weekday_teaches(ex):
    short = ex.q4.answer[:3]
    result = ex.q4.check(short)
    assert result.status == "incorrect" and "in full" in result.message
    assert ex.q4.check(ex.q4.answer.upper()).correct  # case does not matter


def test_bad_input_raises():
    with pytest.raises(ck.CustkitError, match="needs a custkit Shop"):
        nb00.exercises(None)
