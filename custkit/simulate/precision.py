"""Fixed precision for the simulator's continuous values, so that its bytes do not depend on the CPU.

NumPy picks the code for ``exp``, ``log``, ``log1p``, ``expm1`` and ``power`` by the processor it
runs on (AVX-512, AVX2, NEON, ...), and those paths differ in the last bit of some results (about
one part in 10**16). The random draws that call the platform's maths library (gamma, beta,
lognormal) can differ the same way between operating systems. Left alone, such a difference
reaches ``truth.csv`` (a checksum changes) and, through later draws and comparisons, could reach a
customer's history.

So every continuous value the simulator makes with one of those functions is *held* where it is
made: rounded to a fixed number of decimals before anything else uses it. Every later draw,
comparison and file then sees the same number on any machine, unless the exact value lies within a
last bit of a rounding boundary: with 6 decimals on a 0-1 scale that happens to about one value in
5 * 10**9 (for the classroom shop's tens of thousands of held values a chance of about 1 in 100,000
that any byte differs; about 1 in 500 for a million customers).

The precisions (recorded in the datasheet, ``datasets/README.md``):

- :data:`TRAIT_DECIMALS` (6) for traits, rates, probabilities, satisfaction and multiplicative
  noise: far finer than any effect the simulator models;
- cents (2 decimals) for money held in a currency (``wallet``);
- whole seconds for moments in time (made by truncating to integer seconds, which is a holding of
  its own).
"""

from __future__ import annotations

import numpy as np

TRAIT_DECIMALS = 6
MONEY_DECIMALS = 2


def held(values, decimals: int = TRAIT_DECIMALS) -> np.ndarray:
    """``values`` rounded to ``decimals`` decimals, as float64 (a negative zero becomes 0.0).

    Rounding uses only multiplication, round-half-to-even and division, which IEEE 754 fixes
    exactly, so two machines that agree on the input agree on the output.
    """
    return np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0


def logistic(x) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, held at :data:`TRAIT_DECIMALS` decimals."""
    return held(1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64))))


def held_exp(x) -> np.ndarray:
    """``exp(x)`` held at :data:`TRAIT_DECIMALS` decimals (for multiplicative noise and weights)."""
    return held(np.exp(np.asarray(x, dtype=np.float64)))
