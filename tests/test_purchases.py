"""One purchase rule: definitions, retention and transactions count the same purchases."""

from __future__ import annotations

import pandas as pd
import pytest

from custkit.definitions import purchases_until
from custkit.errors import SchemaError
from custkit.purchases import check_vocabulary, purchase_mask
from custkit.retention import cohort_table
from custkit.transactions import customer_summary

LOG = pd.DataFrame({
    "customer_id": [1, 1, 2, 2, 3, 3],
    "order_date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-01-10", "2024-03-01", "2024-01-20", "2024-02-20"]),
    "transaction_type": ["B2C", "C2B", "B2B", "C2C", "B2C", "B2C"],
    "status": ["delivered", "delivered", "returned", "delivered", "cancelled", "delivered"],
    "net": [10.0, 5.0, 20.0, 30.0, 40.0, 50.0],
    "shop_revenue": [10.0, -5.0, 0.0, 3.0, 0.0, 50.0],
})


def test_the_rule_by_hand():
    # C2B (row 1) and cancelled (row 4) are not purchases; returned and C2C are
    assert purchase_mask(LOG).tolist() == [True, False, True, True, False, True]
    assert purchase_mask(LOG.drop(columns=["transaction_type", "status"])).all()


def test_definitions_retention_and_transactions_count_the_same_purchases():
    kept = purchases_until(LOG, "2024-12-31")
    assert kept.index.tolist() == [0, 2, 3, 5]
    cohorts = cohort_table(LOG, as_of="2024-12-31", freq="Q")
    assert cohorts.loc[cohorts["period"] == 0, "cohort_size"].sum() == 3
    summary = customer_summary(LOG, as_of="2024-12-31")
    # customer 1: one purchase (the trade-in is not); 2: two; 3: one (the cancelled one is not)
    assert summary["frequency"].tolist() == [0, 1, 0]


@pytest.mark.parametrize("status", ["pending", "shipped"])
def test_a_status_outside_the_vocabulary_is_refused_everywhere_by_name(status):
    log = LOG.assign(status=LOG["status"].replace({"cancelled": status}))
    for call in (lambda: purchases_until(log, "2024-12-31"), lambda: cohort_table(log, as_of="2024-12-31"),
                 lambda: customer_summary(log, as_of="2024-12-31")):
        with pytest.raises(SchemaError, match=rf"order statuses the kit's purchase rule does not know: \['{status}'\].*replace"):
            call()
    # mapped onto the kit's words, every analysis runs
    mapped = log.replace({"status": {status: "cancelled"}})
    assert purchases_until(mapped, "2024-12-31").index.tolist() == [0, 2, 3, 5]


def test_values_a_caller_lists_are_known():
    log = LOG.assign(status=LOG["status"].replace({"cancelled": "shipped"}))
    kept = purchases_until(log, "2024-12-31", statuses=["delivered", "returned", "shipped"])
    assert kept.index.tolist() == [0, 2, 3, 4, 5]
    check_vocabulary(log, extra_statuses=None)  # None: any status goes
    with pytest.raises(SchemaError, match="<missing>"):
        check_vocabulary(LOG.assign(status=[None, "delivered", "delivered", "delivered", "delivered", "delivered"]))
