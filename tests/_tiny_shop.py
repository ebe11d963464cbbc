"""A hand-built tiny shop (6 customers, 8 orders, 10 visits) shared by the analysis tests.

Small enough to work every expected value out by hand; each test file comments its arithmetic.
"""

import pandas as pd


def tiny_shop():
    ts = pd.Timestamp
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3, 4, 5, 6],
        "gender": pd.array(["female", "male", "female", "male", "female", "male"], dtype="str"),
        "age_band": pd.array(["25-34", "25-34", "35-44", "18-24", "35-44", "25-34"], dtype="str"),
        "province": pd.array(["Tehran", "Fars", "Tehran", "Tehran", "Fars", "Fars"], dtype="str"),
        "socio_economic_class": pd.array(["middle", "low", "high", "middle", "middle", "low"], dtype="str"),
        "account_type": pd.array(["consumer", "consumer", "business", "employee", "consumer", "consumer"], dtype="str"),
        "signup_date": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-02-01", "2024-02-01", "2024-03-01", "2024-07-01"]).astype("datetime64[s]"),
        "referred_by": pd.array([pd.NA, 1, pd.NA, pd.NA, pd.NA, pd.NA], dtype="Int64"),
        "marketing_opt_in": [True, False, True, True, True, False],
    })
    orders = pd.DataFrame({
        "order_id": [1, 2, 3, 4, 5, 6, 7, 8],
        "customer_id": [1, 1, 1, 2, 2, 3, 5, 5],
        "order_date": pd.to_datetime([
            "2024-01-10 10:00", "2024-03-15 12:00", "2024-06-30 18:00", "2024-02-01 09:00",
            "2024-04-01 12:00", "2024-02-10 08:00", "2024-05-01 15:00", "2024-07-02 11:00",
        ]).astype("datetime64[s]"),
        "transaction_type": pd.array(["B2C", "B2C", "B2C", "B2C", "C2C", "B2B", "C2B", "B2C"], dtype="str"),
        "recipient": pd.array(["self", "child", "partner", "self", "friend", "organisation", "self", "self"], dtype="str"),
        "status": pd.array(["delivered", "returned", "delivered", "cancelled", "delivered", "delivered", "delivered", "delivered"], dtype="str"),
        "gross": [110.0, 50.0, 80.0, 40.0, 200.0, 1000.0, 300.0, 120.0],
        "net": [100.0, 50.0, 80.0, 40.0, 200.0, 1000.0, 300.0, 120.0],
        "shop_revenue": [100.0, 0.0, 80.0, 0.0, 20.0, 1000.0, -300.0, 120.0],
    })
    sessions = pd.DataFrame({
        "session_id": list(range(1, 11)),
        "visitor_id": [10, 10, 11, 12, 12, 13, 14, 14, 15, 16],
        "customer_id": pd.array([pd.NA, 1, 2, pd.NA, pd.NA, pd.NA, pd.NA, 5, pd.NA, 4], dtype="Int64"),
        "start": pd.to_datetime([
            "2024-01-01 09:00", "2024-01-10 09:00", "2024-01-05 10:00", "2024-03-01 00:00",
            "2024-03-02 00:00", "2024-04-01 00:00", "2024-05-01 00:00", "2024-05-02 00:00",
            "2024-07-05 00:00", "2024-02-02 00:00",
        ]).astype("datetime64[s]"),
        "channel": pd.array(["search", "email", "social", "search", "search", "ads", "social", "email", "ads", "direct"], dtype="str"),
        "device": pd.array(["mobile"] * 5 + ["desktop"] * 5, dtype="str"),
        "pages": [3, 8, 5, 1, 2, 6, 3, 4, 9, 1],
        "furthest_stage": pd.array([
            "product_view", "purchase", "add_to_cart", "visit", "product_view", "add_to_cart",
            "product_view", "product_view", "checkout", "visit",
        ], dtype="str"),
    })
    return customers, orders, sessions
