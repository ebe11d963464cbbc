"""What to do with each type: the tactics of [001] for its eleven sales-view types (concept B2).

The article lists, for each type, what a business should do to win or keep such a customer.
:func:`tactics_table` gives them as a table (English summaries in our own words, with the
article's Persian name of each type) so that notebook 02 can put the inferred types next to
the action they call for. [004] (concept B3) adds the reason for the table: people differ, so one
message for all fails.
"""

from __future__ import annotations

import pandas as pd

from custkit._checks import require_choice

# (type, family, Persian name in [001], who they are, recommended tactics)
_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("searcher", "persona", "مشتری جستجوگر",
     "Compares your products and service with competitors'.",
     "Make the site attractive and draw the eye to what matters; good user experience; competent, "
     "fast support; few intrusive ads and pop-ups; easy search and browsing."),
    ("discount_seeker", "persona", "مشتری تخفیف‌بگیر",
     "Decides to buy because of a discount; hard to keep when there is none.",
     "Show the real value of the products; offer added value found nowhere else; give full "
     "details of the deal and its conditions to help the decision."),
    ("researcher", "persona", "مشتری محقق",
     "Buys after research; details matter.",
     "Publish credentials and track record; an About page with achievements and activity reports "
     "that build trust in the quality of the offer."),
    ("hesitant", "persona", "مشتری مردد",
     "Like the searcher but undecided; not yet a customer.",
     "Keep many contact channels open; stress unique offers rivals cannot match; show clearly "
     "what they gain; excellent service and support at every step."),
    ("impulsive", "persona", "مشتری هیجانی یا آنی",
     "Does not plan purchases; decides in the moment.",
     "Remove every obstacle on the way to checkout; short, well-timed special offers; an "
     "attractive, easy-to-use site."),
    ("brand_switcher", "persona", "مشتری که قصد تغییر برند دارد",
     "Wants to leave another brand and is ready to buy and pay.",
     "Study competitors and learn their mistakes; fill the gaps in the market; state the "
     "advantages of your products; learn what blocks the customer's decision."),
    ("active", "relationship", "مشتری فعال",
     "Buys from you now, but would leave for a better offer.",
     "Give your best service; keep friendly, regular contact; above all keep them satisfied."),
    ("lost", "relationship", "مشتری گمشده",
     "Left the business after some problem.",
     "Find out why they left (poor service, higher prices); fix the problem fast and tell them; "
     "contact them, apologise and say the problems are solved."),
    ("dissatisfied", "relationship", "مشتری ناراضی",
     "Bought from you but is unhappy with the product or service.",
     "Handle with care: remove the cause of dissatisfaction as fast as possible; stay in touch "
     "(e.g. on social media) and ask for feedback on what was done."),
    ("at_risk", "relationship", "مشتری در معرض خطر",
     "Unhappy with the brand and may stop buying and cut contact.",
     "Contact them personally; ask why they no longer use your service and work to fix it."),
    ("referred", "relationship", "مشتری معرفی‌شده",
     "Introduced by loyal customers; may know little about the brand.",
     "Plan an onboarding programme; accompany them through every step of the purchase so that "
     "the first experience is pleasant."),
)

KNOWLEDGE_NAMES: dict[int, tuple[str, str]] = {
    1: ("knows neither what they want nor where to find it", "نه می‌دانند چه می‌خواهند، نه از کجا پیدایش کنند"),
    2: ("knows what they want but not where to find it", "می‌دانند چه می‌خواهند ولی نمی‌دانند از کجا"),
    3: ("knows both what they want and where to find it", "هم می‌دانند چه می‌خواهند هم از کجا"),
}
"""The three knowledge types of [000]: number -> (English, Persian)."""


def tactics_table(family: str | None = None) -> pd.DataFrame:
    """The eleven sales-view types of [001] with the tactics the article recommends.

    Parameters
    ----------
    family
        ``"persona"`` (the six behavioural types), ``"relationship"`` (active, lost,
        dissatisfied, at risk, referred) or None for all eleven.

    Returns
    -------
    DataFrame
        ``number`` (the article's order, 1-11), ``type`` (the label used by
        :func:`custkit.typology.sales_types`), ``family``, ``name_fa`` (the article's Persian
        name), ``who`` and ``tactics`` (English summaries).
    """
    if family is not None:
        require_choice(family, "family", ["persona", "relationship"])
    out = pd.DataFrame(_ROWS, columns=["type", "family", "name_fa", "who", "tactics"]).astype("str")
    out.insert(0, "number", range(1, len(out) + 1))
    if family is not None:
        out = out.loc[out["family"] == family].reset_index(drop=True)
    return out


def knowledge_table() -> pd.DataFrame:
    """The three knowledge types of [000]: ``knowledge_type``, ``description`` and ``name_fa``."""
    return pd.DataFrame({
        "knowledge_type": pd.array(list(KNOWLEDGE_NAMES), dtype="int64"),
        "description": pd.array([v[0] for v in KNOWLEDGE_NAMES.values()], dtype="str"),
        "name_fa": pd.array([v[1] for v in KNOWLEDGE_NAMES.values()], dtype="str"),
    })
