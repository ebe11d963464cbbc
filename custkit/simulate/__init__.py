"""The shop simulator: ShopConfig -> population -> orders -> traffic -> fulfilment -> service -> feedback -> churn.

>>> import custkit as ck                                            # doctest: +SKIP
>>> shop = ck.generate(ck.ShopConfig.preset("customer_centric"))    # doctest: +SKIP

Modules, one stage each: :mod:`~custkit.simulate.calendar` (campaigns, promotion days, rhythm,
growth), :mod:`~custkit.simulate.population` (traits and demographics),
:mod:`~custkit.simulate.purchasing` (the weekly purchase and dropout process, order lines),
:mod:`~custkit.simulate.fulfilment`, :mod:`~custkit.simulate.service`,
:mod:`~custkit.simulate.feedback`, :mod:`~custkit.simulate.lifecycle`,
:mod:`~custkit.simulate.traffic` (visits; its knobs in :mod:`~custkit.simulate.traffic_params`),
:mod:`~custkit.simulate.events` (click streams), :mod:`~custkit.simulate.spend`, and
:mod:`~custkit.simulate.blocks` (seeds, blocks, assembly).
"""

from __future__ import annotations

from collections.abc import Callable

from custkit.config import ShopConfig
from custkit.errors import ConfigError, CustkitError


def generate(config: ShopConfig | None = None, *,
             progress: Callable[[int, int], object] | None = None) -> "custkit.shop.Shop":  # noqa: F821
    """Simulate a whole shop: the observed tables, the hidden truth and the config.

    Parameters
    ----------
    config
        A :class:`~custkit.config.ShopConfig`; ``None`` means the classroom shop.
    progress
        Optional callback, called as ``progress(done, total)`` after each customer block (e.g. to
        move a progress bar); it does not change the result.

    Returns
    -------
    Shop
        Tables and columns exactly as :mod:`custkit.schema`, rows sorted by id, ids from 1;
        ``truth`` one row per customer. The same config gives byte-identical tables in any
        process: every draw comes from ``np.random.SeedSequence(config.seed)`` children, and
        nothing reads the clock.

    Notes
    -----
    Orders placed up to ``end_date`` are recorded with their final outcome (delivery date,
    return), as in an export made once the last parcels arrived; tickets, surveys and visits are
    recorded only up to ``end_date``; everything after it lives only in ``truth``.
    Customers are generated in blocks of about ``block_size`` (a loop over blocks; each block
    vectorised with NumPy), then assembled; see :mod:`custkit.simulate.blocks`.
    """
    from custkit.simulate.blocks import assemble, generate_block, shared_parts

    if config is None:
        config = ShopConfig()
    if not isinstance(config, ShopConfig):
        raise ConfigError(f"generate needs a ShopConfig (e.g. ShopConfig.preset('classroom')), "
                          f"got {type(config).__name__}.")
    if progress is not None and not callable(progress):
        raise CustkitError(f"progress must be a function progress(done, total) or None, got {progress!r}.")
    shared = shared_parts(config)
    blocks = []
    for k in range(config.n_blocks):
        blocks.append(generate_block(config, k, shared))
        if progress is not None:
            progress(k + 1, config.n_blocks)
    return assemble(config, shared, blocks)


__all__ = ["generate"]
