"""Exercises of notebook 00 (start here): first looks at the shop's tables.

Expected answers are computed from the shop passed in, so the questions check correctly on any
shop the notebook's parameters open (another seed, another preset).
"""

from __future__ import annotations

import types

import pandas as pd

from custkit.errors import CustkitError
from custkit.exercises.core import Exercise, Mistake
from custkit.shop import Shop

_SHORT_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _mode(values: pd.Series) -> str:
    """Most frequent value; ties go to the alphabetically first, so the answer is well defined."""
    counts = values.value_counts()
    return str(min(counts.index[counts == counts.max()]))


def exercises(shop: Shop) -> types.SimpleNamespace:
    """Return the questions of notebook 00 as ``warmup``, ``q1`` ... ``q4``."""
    if not isinstance(shop, Shop):
        raise CustkitError(f"exercises(shop) needs a custkit Shop such as ck.load_shop(), got {type(shop).__name__}.")
    customers, orders, sessions, products = shop.customers, shop.orders, shop.sessions, shop.products
    returned_share = float((orders["status"] == "returned").mean())
    not_kept_share = float(orders["status"].isin(["returned", "cancelled"]).mean())
    returned_of_kept = float((orders.loc[orders["status"] != "cancelled", "status"] == "returned").mean())

    warmup = Exercise(
        "Warm-up",
        "How many products does the shop's catalogue hold? (an integer)",
        expected=lambda: len(products),
        hint="Every product is one row of shop.products; len() counts rows.",
        solution="answer = len(shop.products)",
        mistakes=[
            Mistake(products["category"].nunique(),
                    "that is the number of categories; count the products (rows), not their categories."),
        ],
    )
    q1 = Exercise(
        "Q1",
        "How many registered customer accounts does the shop have? (an integer)",
        expected=lambda: int(customers["customer_id"].nunique()),
        hint="Registered accounts live in shop.customers, one row per account.",
        solution='answer = shop.customers["customer_id"].nunique()',
        mistakes=[
            Mistake(int(orders["customer_id"].nunique()),
                    "that counts only the accounts that placed an order; many registered accounts never buy "
                    "(they are leads, notebook 01)."),
            Mistake(int(sessions["visitor_id"].nunique()),
                    "that counts every visitor of the website, anonymous ones included; registered accounts "
                    "are the rows of shop.customers."),
        ],
    )
    q2 = Exercise(
        "Q2",
        "What share of all orders (any status) was returned? Give a share between 0 and 1.",
        expected=lambda: returned_share,
        hint='Compare shop.orders["status"] with "returned"; the mean of a True/False column is a share.',
        solution='answer = (shop.orders["status"] == "returned").mean()',
        mistakes=[
            Mistake(100 * returned_share, "that looks like a percentage; give a share between 0 and 1 "
                    "(0.05 rather than 5)."),
            Mistake(int((orders["status"] == "returned").sum()),
                    "that is the number of returned orders; divide by the number of all orders."),
            Mistake(not_kept_share, "that adds the cancelled orders; a cancelled order was never delivered, "
                    "so it cannot be returned."),
            Mistake(returned_of_kept, "that leaves the cancelled orders out of the denominator; the question "
                    "asks for a share of all orders."),
        ],
    )
    q3 = Exercise(
        "Q3",
        "Through which acquisition channel did the most registered customers arrive? (a channel name)",
        expected=lambda: _mode(customers["acquisition_channel"]),
        hint='Each account\'s first channel is shop.customers["acquisition_channel"]; value_counts() ranks them.',
        solution='answer = shop.customers["acquisition_channel"].value_counts().idxmax()',
        mistakes=[
            Mistake(_mode(sessions["channel"]),
                    "that is the channel of the most visits (sessions); the question asks how customers "
                    "arrived the first time, in shop.customers."),
            Mistake(lambda a: not isinstance(a, str),
                    "give the channel's name as text, e.g. \"email\", not a count or a table."),
        ],
    )
    q4 = Exercise(
        "Q4",
        "On which day of the week were the most orders placed? (a weekday name such as \"Monday\")",
        expected=lambda: _mode(orders["order_date"].dt.day_name().astype("str")),
        hint='shop.orders["order_date"].dt.day_name() gives the weekday of each order; count them.',
        solution='answer = shop.orders["order_date"].dt.day_name().value_counts().idxmax()',
        mistakes=[
            Mistake(lambda a: isinstance(a, str) and a.strip().casefold() in _SHORT_DAYS,
                    "write the weekday in full (e.g. \"Monday\"), as dt.day_name() gives it."),
            Mistake(lambda a: not isinstance(a, str),
                    "give the weekday's name as text; dt.day_of_week numbers days from 0 = Monday, "
                    "which is easy to misread."),
        ],
    )
    return types.SimpleNamespace(warmup=warmup, q1=q1, q2=q2, q3=q3, q4=q4)
