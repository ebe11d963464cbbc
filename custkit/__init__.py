"""custkit: a teaching and research kit on knowing your customers.

A simulated online shop whose customers have hidden types, and the analyses that study any shop's
tables: customer definitions, typology, funnel stages, retention economics and segmentation.

>>> import custkit as ck
>>> shop = ck.generate(ck.ShopConfig())        # the classroom shop          # doctest: +SKIP
>>> shop = ck.load_shop()                      # the same shop, from datasets/ # doctest: +SKIP
"""

from custkit.errors import CustkitError
from custkit.shop import Shop

__version__ = "0.1.0"

__all__ = ["CustkitError", "Shop", "__version__"]
