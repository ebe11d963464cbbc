"""The shop's words live once, in custkit.vocabulary (and the purchase rule's in custkit.purchases)."""

from __future__ import annotations

import ast
from pathlib import Path

from custkit import purchases, vocabulary

PACKAGE = Path(__file__).resolve().parents[1] / "custkit"
HOMES = {PACKAGE / "vocabulary.py", PACKAGE / "purchases.py"}
WORDS = {name: value for module in (vocabulary, purchases) for name, value in vars(module).items()
         if name.isupper() and isinstance(value, tuple) and len(value) >= 3}


def string_tuples(source: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line, values) of every tuple or list literal made only of strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            found.append((node.lineno, tuple(e.value for e in node.elts)))
    return found


def test_string_tuples_reads_literals():
    assert string_tuples('A = ("x", "y")\nB = [1, "z"]\nC = ["p"]\n') == [(1, ("x", "y")), (3, ("p",))]


def test_no_module_writes_a_vocabulary_out_again():
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in HOMES:
            continue
        for line, values in string_tuples(path.read_text(encoding="utf-8")):
            copies += [f"{path.relative_to(PACKAGE.parent)}:{line} copies {name}"
                       for name, words in WORDS.items() if values == words]
    assert copies == [], "import these from custkit.vocabulary or custkit.purchases:\n" + "\n".join(copies)


def test_the_simulator_writes_only_the_vocabulary():
    from custkit.io import load_shop

    shop = load_shop()
    assert set(shop.customers["acquisition_channel"]) <= set(vocabulary.CHANNELS)
    assert set(shop.customers["loyalty_tier"]) <= set(vocabulary.LOYALTY_TIERS)
    assert set(shop.sessions["furthest_stage"]) <= set(vocabulary.FUNNEL_STAGES)
    assert set(shop.sessions["device"]) <= set(vocabulary.DEVICES)
    assert set(shop.orders["recipient"]) <= set(vocabulary.RECIPIENTS)
    assert set(shop.orders["status"]) <= set(purchases.ORDER_STATUSES)
    assert set(shop.truth["persona"]) <= set(vocabulary.PERSONAS)
    assert set(shop.truth["lifecycle_state"]) <= set(vocabulary.LIFECYCLE_STATES)
