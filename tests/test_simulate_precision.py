"""Held values: the simulator's continuous numbers at a fixed precision, the same on any CPU."""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit.io import DEFAULT_DATASET_DIR
from custkit.simulate.precision import TRAIT_DECIMALS, held, held_exp, logistic


def test_held_rounds_half_to_even_at_the_given_decimals():
    x = np.array([0.1234564, 0.1234565, 0.1234575, 1.0, 1191.2849, -0.0000001])
    assert held(x).tolist() == [0.123456, 0.123456, 0.123458, 1.0, 1191.2849, 0.0]
    assert held(x, 2).tolist() == [0.12, 0.12, 0.12, 1.0, 1191.28, 0.0]


def test_held_never_returns_a_negative_zero():
    out = held(np.array([-1e-9, -0.0]))
    assert np.signbit(out).tolist() == [False, False]


def test_logistic_and_exp_by_hand():
    # 1 / (1 + e^0) = 0.5; 1 / (1 + e^-2) = 0.8807970779...; e^1 = 2.718281828...
    assert logistic([0.0, 2.0, -2.0]).tolist() == [0.5, 0.880797, 0.119203]
    assert held_exp([0.0, 1.0]).tolist() == [1.0, 2.718282]


def test_a_last_bit_difference_is_held_to_the_same_number():
    # what an AVX-512 and an AVX2 exp can give for the same input: one unit in the last place apart
    x = np.array([0.4217878895829964, 0.7018864534587490, 0.0005676844083060])
    assert (held(x) == held(np.nextafter(x, 1.0))).all()
    assert (held(x) == held(np.nextafter(x, 0.0))).all()


def test_the_committed_truth_holds_traits_at_six_decimals():
    truth = pd.read_csv(DEFAULT_DATASET_DIR / "truth.csv")
    for column in ("ability", "aptitude", "purchase_rate", "dropout_prob", "satisfaction"):
        values = truth[column].to_numpy()
        assert (held(values, TRAIT_DECIMALS) == values).all(), column
        assert (values >= 0).all()
    assert (held(truth["wallet"].to_numpy(), 2) == truth["wallet"].to_numpy()).all()
