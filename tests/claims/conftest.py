"""The shops every lesson's claims are checked on: the committed classroom shop and three seeds.

A sentence in a notebook that states a direction or a size ("most", "falls", "the hardest step")
must hold on the shop the notebook opens and on other draws of the same configuration: a lesson
that holds for one seed only is luck. Each ``test_NN_*.py`` here guards the notebook of the same
number, so that a change of the simulator fails where a lesson breaks.
"""

from __future__ import annotations

import functools

import pytest

import custkit as ck

SHOPS = ("committed", "seed_1", "seed_2", "seed_3")
"""The committed classroom shop (``datasets/``) and the classroom configuration on seeds 1-3."""


@functools.cache
def shop_named(name: str) -> ck.Shop:
    """One of :data:`SHOPS`, generated once per test process."""
    if name == "committed":
        return ck.load_shop()
    return ck.generate(ck.ShopConfig(seed=int(name.removeprefix("seed_"))))


@pytest.fixture(params=SHOPS, scope="module")
def shop(request) -> ck.Shop:
    """Each claim test runs on every shop of :data:`SHOPS`."""
    return shop_named(request.param)
