"""Exercises of notebook 00 (start here): first looks at the shop's tables.

Expected answers are computed from the shop passed in, so the questions check correctly on any
shop the notebook's parameters open (another seed, another preset).
"""

from __future__ import annotations

import types

import pandas as pd

from custkit.errors import CustkitError
from custkit import tour
from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.purchases import PURCHASE_STATUSES, PURCHASE_TYPES
from custkit.shop import Shop

_SHORT_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def _mode(values: pd.Series) -> str:
    """Most frequent value; ties go to the alphabetically first, so the answer is well defined."""
    counts = values.value_counts()
    return str(min(counts.index[counts == counts.max()]))


def exercises(shop: Shop) -> types.SimpleNamespace:
    """Return the questions of notebook 00 as ``warmup``, ``q1`` ... ``q5``."""
    if not isinstance(shop, Shop):
        raise CustkitError(f"exercises(shop) needs a custkit Shop such as ck.load_shop(), got {type(shop).__name__}.")
    customers, orders, sessions, products = shop.customers, shop.orders, shop.sessions, shop.products
    returned_share = float((orders["status"] == "returned").mean())
    not_kept_share = float(orders["status"].isin(["returned", "cancelled"]).mean())
    returned_of_kept = float((orders.loc[orders["status"] != "cancelled", "status"] == "returned").mean())
    delivered = orders["delivered_date"].notna()
    late = orders["delivered_date"] > orders["promised_date"]
    late_share = float(late[delivered].mean())
    late_of_all = float(late.mean())
    late_or_on_day = float((orders["delivered_date"] >= orders["promised_date"])[delivered].mean())
    # the scorecard's rows count purchases only: B2C, B2B and C2C orders, delivered or returned
    purchase = orders["transaction_type"].isin(PURCHASE_TYPES) & orders["status"].isin(PURCHASE_STATUSES)
    late_of_purchases = float(late[purchase & delivered].mean())
    returned_of_purchases = float((orders.loc[purchase, "status"] == "returned").mean())

    warmup = Exercise(
        "Warm-up",
        "How many products does the shop's catalogue hold? (an integer)",
        expected=lambda: len(products),
        hint=("The catalogue is one of the shop's tables; how many rows does it have?",
              "Every product is one row of shop.products; len(shop.products) counts the rows."),
        solution="answer = len(shop.products)",
        mistakes=[
            Mistake(products["category"].nunique(),
                    "that is the number of categories; count the products (rows), not their categories."),
        ],
    )
    q1 = Exercise(
        "Q1",
        "Compute it yourself from shop.orders: of all the orders that were delivered (every order with a "
        "delivered_date: any type, trade-ins included, and returned orders too, since they were delivered "
        "first), what share arrived after the promised date? Your unrounded share must agree with the fact "
        "sheet's row 'share of delivered orders that came late', which prints it rounded (the scorecard's "
        "late-delivery row counts purchases only, so it can differ a little). Give a share between 0 and 1.",
        expected=lambda: late_share,
        hint=("Two columns of shop.orders say when an order was promised and when it arrived; an order "
              "that was never delivered has no arrival date, so it is neither late nor on time.",
              "Keep the rows where delivered_date is not missing (notna()), compare delivered_date > "
              "promised_date, and take the mean of that True/False column."),
        solution=(
            "orders = shop.orders\n"
            'delivered = orders[orders["delivered_date"].notna()]\n'
            'answer = (delivered["delivered_date"] > delivered["promised_date"]).mean()\n'
            "# the fact sheet: tour.shop_facts(shop.tables) prints the same share as a percentage"
        ),
        decimals=3,
        mistakes=[
            Mistake(late_of_all,
                    "that divides by all orders, cancelled ones too; a cancelled order was never "
                    "delivered, so it cannot be late. Keep only the delivered orders in the denominator."),
            Mistake(late_or_on_day,
                    "that counts an order that arrived on the promised day as late (>=); on the promised "
                    "day it is on time, so compare with >."),
            Mistake(int(late[delivered].sum()),
                    "that is the number of late orders; divide by the number of delivered orders."),
            Mistake(late_of_purchases,
                    "that is the scorecard's late-delivery row: it counts purchases only (B2C, B2B and C2C). "
                    "The question, like the fact sheet, counts every delivered order, the shop's C2B "
                    "trade-ins too: do not filter on transaction_type."),
        ],
    )
    q2 = Exercise(
        "Q2",
        "What share of all orders was returned? All orders means every row of shop.orders, of any "
        "status (cancelled ones too) and any type. This is not the scorecard's returns row, which is a "
        "share of purchases only. Give a share between 0 and 1.",
        expected=lambda: returned_share,
        hint=("Every order has a status; the question asks about all of them, whatever the status.",
              'Compare shop.orders["status"] with "returned"; the mean of a True/False column is a share.'),
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
            # the scorecard's figure as a share (to 3 decimals) or as the percentage it prints (to 1)
            Mistake(lambda a: isinstance(a, int | float) and not isinstance(a, bool) and (
                        abs(a - returned_of_purchases) <= 0.0005 or abs(a - 100 * returned_of_purchases) <= 0.05),
                    "that is the scorecard's returns row, a share of purchases: it leaves out the cancelled "
                    "orders and the trade-ins (C2B), which can never be returned. The question asks for a "
                    "share of all orders, any status: divide the returned orders by len(shop.orders)."),
        ],
    )
    q3 = Exercise(
        "Q3",
        "Through which acquisition channel did the most registered customers arrive? (a channel name)",
        expected=lambda: _mode(customers["acquisition_channel"]),
        hint=("How a customer first arrived is a column of the customers table, not of the visits.",
              'shop.customers["acquisition_channel"].value_counts() ranks the channels; idxmax() '
              "gives the name of the first."),
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
        hint=("Every order has a date and time; pandas can turn a date into the name of its weekday.",
              'shop.orders["order_date"].dt.day_name() gives the weekday of each order; value_counts() '
              "and idxmax() give the most frequent."),
        solution='answer = shop.orders["order_date"].dt.day_name().value_counts().idxmax()',
        mistakes=[
            Mistake(lambda a: isinstance(a, str) and a.strip().casefold() in _SHORT_DAYS,
                    "write the weekday in full (e.g. \"Monday\"), as dt.day_name() gives it."),
            Mistake(lambda a: not isinstance(a, str),
                    "give the weekday's name as text; dt.day_of_week numbers days from 0 = Monday, "
                    "which is easy to misread."),
        ],
    )
    lift = tour.promotion_lift(orders, shop.campaigns, start=shop.start, end=shop.end)
    black_friday = lift.loc[lift["name"].str.startswith("Black Friday")]

    def q5_answer() -> str:
        # (b) holds when every Black Friday lifted its own day more than its week
        if len(black_friday) and (black_friday["day_lift"] > 1.2).all() and (
                black_friday["week_lift"] < black_friday["day_lift"]).all():
            return "b"
        return "a"

    q5 = Choice(
        "Q5",
        "A manager looks at the weekly line and says: \"Black Friday did nothing for us; its week is no "
        "busier than the weeks before.\" Look at the table of promotion_lift above. Which reading is right?",
        options={
            "a": "The manager is right: the sale brought no extra orders.",
            "b": "The sale day itself had far more orders than the same weekday before; one day is a small "
                 "part of a week, so the weekly line hides most of it.",
            "c": "Every week with a promotion day is the busiest week of its year, so the line must be wrong.",
        },
        answer=q5_answer,
        hint=("The table measures two things for each sale: what happened on the day, and what happened "
              "to the whole week.",
              "Compare day_lift with week_lift in the Black Friday rows: a day_lift of 3 means three times "
              "the orders of the same weekday in the four weeks before."),
        solution=(
            "lift = tour.promotion_lift(shop.orders, shop.campaigns, start=shop.start, end=shop.end)\n"
            'black_friday = lift[lift["name"].str.startswith("Black Friday")]\n'
            'print(black_friday[["name", "day_lift", "week_lift"]])\n'
            "# The day is two to six times a normal Friday, the week much less: the line hides the day.\n"
            'day_beats_week = (black_friday["day_lift"] > 1.2).all() and (black_friday["week_lift"] < black_friday["day_lift"]).all()\n'
            'answer = "b" if len(black_friday) and day_beats_week else "a"'
        ),
        why={
            "a": "the weekly line mixes one sale day with six ordinary days. Look at day_lift: the sale day "
                 "had several times the orders of the same weekday before.",
            "c": "only the Christmas sale, ten days long, makes the busiest weeks; the one-day sales have "
                 "week_lift near 1, and some below.",
        },
    )
    return types.SimpleNamespace(warmup=warmup, q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)
