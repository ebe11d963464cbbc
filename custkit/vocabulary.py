"""The shop's shared words: every label the simulator writes and the analyses read, in one place.

Each tuple is in its natural order (the funnel's steps in sequence, tiers from lowest to highest),
which is the order of tables and plots. The simulator, the schema's descriptions, the analyses
and the exercises import them from here, so that a word cannot drift between two copies.
"""

from __future__ import annotations

PERSONAS: tuple[str, ...] = ("searcher", "discount_seeker", "researcher", "hesitant", "impulsive", "brand_switcher")
"""Behavioural personas, the hidden types of the sales view (article [000], concept B2)."""

ACCOUNT_TYPES: tuple[str, ...] = ("consumer", "business", "employee")
"""Kinds of account: a person, an organisation (B2B), a member of staff (internal customer)."""

CHANNELS: tuple[str, ...] = ("search", "social", "ads", "email", "referral", "direct")
"""Acquisition and traffic channels."""

PAID_CHANNELS: tuple[str, ...] = ("search", "social", "ads", "email")
"""Channels the shop pays for (``marketing_spend``)."""

DEVICES: tuple[str, ...] = ("mobile", "desktop", "tablet")

FUNNEL_STAGES: tuple[str, ...] = ("visit", "product_view", "add_to_cart", "checkout", "purchase")
"""The web funnel's steps in order (``sessions.furthest_stage``)."""

LOYALTY_TIERS: tuple[str, ...] = ("none", "bronze", "silver", "gold")
"""Loyalty-programme tiers from lowest to highest (``customers.loyalty_tier``)."""

LIFECYCLE_STATES: tuple[str, ...] = ("never_bought", "active", "at_risk", "dissatisfied", "lost")
"""Relationship states at the end of the window (``truth.lifecycle_state``)."""

RECIPIENTS: tuple[str, ...] = ("self", "child", "partner", "parent", "friend", "colleague", "organisation")
"""Whom an order is for (``orders.recipient``)."""

SOCIO_ECONOMIC_CLASSES: tuple[str, ...] = ("low", "lower_middle", "middle", "upper_middle", "high")

AGE_BANDS: tuple[str, ...] = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

DAYS_PER_MONTH: float = 365.25 / 12
"""An average month: 1/12 of a Julian year, 30.44 days (4.35 weeks)."""
