"""What every notebook does first: open the shop its parameters ask for.

Notebooks carry a papermill ``parameters`` cell (``data_path``, ``preset``, ``seed`` and a few
knobs); :func:`open_shop` turns those into a :class:`~custkit.shop.Shop`, so that the same
notebook runs on the committed classroom shop (the default, whose stored outputs students see),
on a shop written earlier, or on a freshly simulated preset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from custkit.errors import CustkitError
from custkit.shop import Shop


def open_shop(data_path: str | Path | None = None, preset: str | None = None,
              seed: int | None = None, **knobs: Any) -> Shop:
    """Return the shop a notebook's parameters describe.

    Parameters
    ----------
    data_path
        A folder written by ``shop.write`` or ``custkit generate``. Used when ``preset`` is None;
        ``None`` means the committed classroom shop in ``datasets/``.
    preset
        A :meth:`ShopConfig.preset` name ("classroom", "customer_centric", "production_centric",
        "large"): simulate that shop instead of loading files.
    seed, knobs
        With ``preset``: changes to the preset's config (``seed=7, late_delivery_rate=0.3``).
        Knobs set to ``None`` are ignored, so a parameters cell can list them all.

    Raises
    ------
    CustkitError
        When both ``data_path`` and ``preset`` are given, or knobs are given without a preset.
    """
    from custkit.config import ShopConfig
    from custkit.io import load_shop
    from custkit.simulate import generate

    changes = {k: v for k, v in knobs.items() if v is not None}
    if seed is not None:
        changes["seed"] = seed
    if preset is None:
        if changes:
            raise CustkitError(
                f"parameters {sorted(changes)} change a simulated shop; set preset='classroom' "
                f"(or another preset) to simulate one, or leave them None to load data_path."
            )
        return load_shop(data_path)
    if data_path is not None:
        raise CustkitError(
            "give either data_path (load a shop from files) or preset (simulate one), not both."
        )
    return generate(ShopConfig.preset(preset).replace(**changes))
