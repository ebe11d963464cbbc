"""custkit: a teaching and research kit on knowing your customers.

A simulated online shop whose customers have hidden types, and the analyses that study any shop's
tables: customer definitions, typology, funnel stages, retention economics and segmentation.

>>> import custkit as ck
>>> shop = ck.load_shop()                      # the committed classroom shop   # doctest: +SKIP
>>> shop = ck.generate(ck.ShopConfig())        # the same shop, simulated      # doctest: +SKIP

The analysis modules are reached as attributes (``ck.funnel``, ``ck.retention``, ...) and
imported on first use, so ``import custkit`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.io import load_shop, open_shop
from custkit.shop import Shop
from custkit.simulate import generate

from custkit._version import __version__  # noqa: E402

_SUBMODULES = (
    "definitions", "typology", "funnel", "retention", "segmentation", "transactions",
    "plots", "exercises", "schema", "io", "config", "tour", "experiments", "explorer",
    "reading", "realism", "glossary",
)


# Functions reached from the top level, imported on first use like the modules.
_FUNCTIONS = {"from_transactions": "transactions",  # the researcher's door: a log -> the kit's tables
              "stream_shop": "simulate.stream"}  # a large shop straight to partitioned Parquet, on Dask


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"custkit.{name}")
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f"custkit.{_FUNCTIONS[name]}"), name)
    raise AttributeError(f"module 'custkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_SUBMODULES, *_FUNCTIONS])


__all__ = ["CustkitError", "Shop", "ShopConfig", "generate", "load_shop", "open_shop", "__version__",
           *_SUBMODULES, *_FUNCTIONS]
