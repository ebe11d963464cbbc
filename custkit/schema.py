"""The shop's tables and columns: the contract between the simulator, the files and the analyses.

Each table is a tuple of :class:`Column` in the order they are written. ``kind`` says how a column
is stored in memory (and restored from CSV):

===========  ===========================================================================
kind         pandas dtype
===========  ===========================================================================
``int``      ``int64`` (no missing values)
``Int``      ``Int64`` (nullable integer: ids that may be absent, answers with non-response)
``float``    ``float64`` (NaN where missing)
``bool``     ``bool``
``str``      ``str`` (pandas' string dtype; missing values are NA)
``date``     ``datetime64[s]`` at midnight (a calendar day)
``datetime`` ``datetime64[s]`` (a moment, to the second)
===========  ===========================================================================

Money columns are in the shop's currency (``ShopConfig.currency``: USD for en_US, toman for
fa_IR). Columns marked ``optional`` exist only in some shops (the Jalali dates of fa_IR shops).
The datasheet ``datasets/README.md`` explains every column in words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    unit: str = ""
    optional: bool = False


C = Column

CUSTOMERS = (
    C("customer_id", "int", "Registered account id (1, 2, ...)."),
    C("name", "str", "Full name (fa_IR: Persian letters ی and ک, no titles)."),
    C("email", "str", "E-mail address (synthetic)."),
    C("phone", "str", "Phone number (synthetic)."),
    C("gender", "str", "female or male, as given at sign-up."),
    C("birth_date", "date", "Date of birth."),
    C("age_band", "str", "Age at the observation end: 18-24, 25-34, 35-44, 45-54, 55-64, 65+."),
    C("city", "str", "City of residence."),
    C("province", "str", "Province (fa_IR) or state (en_US) of the city."),
    C("occupation", "str", "Occupation group."),
    C("socio_economic_class", "str", "low, lower_middle, middle, upper_middle or high."),
    C("account_type", "str", "consumer, business or employee (staff of the shop)."),
    C("company", "str", "Company name for business accounts, else missing."),
    C("signup_date", "date", "Day the account was registered."),
    C("signup_date_jalali", "str", "signup_date in the Jalali calendar (YYYY-MM-DD).", optional=True),
    C("acquisition_channel", "str", "Channel of the first visit: search, social, ads, email, referral, direct."),
    C("referred_by", "Int", "customer_id of the customer who referred this one, else missing."),
    C("loyalty_tier", "str", "Tier at the observation end: none, bronze, silver, gold."),
    C("marketing_opt_in", "bool", "Agreed to receive marketing e-mail."),
)

PRODUCTS = (
    C("product_id", "int", "Product id."),
    C("name", "str", "Product name."),
    C("category", "str", "Product category."),
    C("brand", "str", "Brand; the shop's own brand is one of them."),
    C("list_price", "float", "Price before discounts.", "currency"),
    C("unit_cost", "float", "What one unit costs the shop.", "currency"),
)

SESSIONS = (
    C("session_id", "int", "Visit id."),
    C("visitor_id", "int", "Browser/visitor id; the same person keeps it across visits."),
    C("customer_id", "Int", "Account id if the visitor was logged in or registered later in the visit, else missing."),
    C("start", "datetime", "When the visit started."),
    C("channel", "str", "How the visitor arrived: search, social, ads, email, referral, direct."),
    C("device", "str", "mobile, desktop or tablet."),
    C("campaign_id", "Int", "Campaign that brought the visit, else missing."),
    C("pages", "int", "Pages viewed in the visit.", "pages"),
    C("furthest_stage", "str", "Deepest funnel step reached: visit, product_view, add_to_cart, checkout, purchase."),
    C("order_id", "Int", "Order placed in this visit, else missing."),
)

EVENTS = (
    C("event_id", "int", "Event id, in time order within a visit."),
    C("session_id", "int", "Visit the event belongs to."),
    C("timestamp", "datetime", "When it happened."),
    C("event_type", "str", "page_view, search, product_view, add_to_cart, checkout or purchase."),
    C("product_id", "Int", "Product involved (product_view, add_to_cart), else missing."),
    C("query", "str", "Search text for search events, else missing."),
)

ORDERS = (
    C("order_id", "int", "Order id."),
    C("customer_id", "int", "Buyer (for C2B: the customer the shop buys from)."),
    C("session_id", "Int", "Visit in which the order was placed, else missing."),
    C("order_date", "datetime", "When the order was placed."),
    C("order_date_jalali", "str", "Order day in the Jalali calendar (YYYY-MM-DD).", optional=True),
    C("transaction_type", "str", "B2C (shop sells to a consumer), B2B (to a business account), "
      "C2C (a customer sells to another through the marketplace), C2B (the shop buys a trade-in from a customer)."),
    C("seller_customer_id", "Int", "For C2C: the selling customer's id, else missing."),
    C("recipient", "str", "Whom the order is for: self, child, partner, parent, friend, colleague, organisation."),
    C("status", "str", "delivered, returned or cancelled."),
    C("campaign_id", "Int", "Campaign whose offer applied, else missing."),
    C("gross", "float", "Sum of list prices x quantities.", "currency"),
    C("discount", "float", "Total discount given.", "currency"),
    C("net", "float", "gross - discount: what the buyer paid (C2B: what the shop paid the customer).", "currency"),
    C("shop_revenue", "float", "What the shop earns: net for B2C/B2B, the commission for C2C, "
      "minus the payment for C2B; 0 for cancelled orders, and 0 once returned.", "currency"),
    C("promised_date", "date", "Delivery date promised at checkout."),
    C("delivered_date", "date", "Actual delivery date, missing for cancelled orders."),
)

ORDER_ITEMS = (
    C("order_id", "int", "Order the line belongs to."),
    C("line", "int", "Line number within the order (1, 2, ...)."),
    C("product_id", "int", "Product."),
    C("quantity", "int", "Units.", "units"),
    C("unit_price", "float", "List price per unit.", "currency"),
    C("discount", "float", "Discount on the line.", "currency"),
    C("line_net", "float", "unit_price x quantity - discount.", "currency"),
)

TICKETS = (
    C("ticket_id", "int", "Support ticket id."),
    C("customer_id", "int", "Customer who asked."),
    C("order_id", "Int", "Order concerned (after-purchase tickets), else missing."),
    C("created", "datetime", "When the ticket was opened."),
    C("stage", "str", "before_purchase (advice) or after_purchase (support)."),
    C("topic", "str", "What it is about (product_question, delivery_delay, return, payment, ...)."),
    C("first_response_hours", "float", "Hours until the first answer.", "hours"),
    C("resolved", "bool", "Whether the issue was resolved."),
)

SURVEYS = (
    C("survey_id", "int", "Survey invitation id (one per delivered order that was surveyed)."),
    C("customer_id", "int", "Customer invited."),
    C("order_id", "int", "Order the survey follows."),
    C("sent_date", "date", "Day the invitation was sent."),
    C("responded", "bool", "Whether the customer answered."),
    C("csat", "Int", "Satisfaction 1 (very dissatisfied) to 5 (very satisfied); missing without response.", "1-5"),
    C("nps", "Int", "Likelihood to recommend 0-10; missing without response.", "0-10"),
    C("share_of_wallet", "float", "Stated share of their spending in the shop's categories that goes to the shop.", "0-1"),
)

CAMPAIGNS = (
    C("campaign_id", "int", "Campaign id."),
    C("name", "str", "Campaign name."),
    C("channel", "str", "Channel it runs on: search, social, ads, email."),
    C("start_date", "date", "First day."),
    C("end_date", "date", "Last day."),
    C("discount_pct", "float", "Discount it offers.", "percent"),
    C("is_promotion_day", "bool", "A promotion day (holiday sale) with deeper discounts."),
)

MARKETING_SPEND = (
    C("date", "date", "Day."),
    C("channel", "str", "Paid channel: search, social, ads, email."),
    C("spend", "float", "Money spent.", "currency"),
    C("impressions", "int", "Times an ad or e-mail was shown.", "impressions"),
    C("clicks", "int", "Clicks that led to a visit.", "clicks"),
)

TRUTH = (
    C("customer_id", "int", "Account id."),
    C("persona", "str", "Behavioural persona: searcher, discount_seeker, researcher, hesitant, impulsive, brand_switcher."),
    C("knowledge_type", "int", "1 knows neither what nor where, 2 knows what not where, 3 knows both (concept B1)."),
    C("ability", "float", "Ability to pay, 0-1 (concept A3).", "0-1"),
    C("aptitude", "float", "Awareness of how the product meets a need, 0-1 (concept A3).", "0-1"),
    C("purchase_rate", "float", "Purchases per week while alive (before satisfaction effects).", "per week"),
    C("dropout_prob", "float", "Baseline chance of stopping after each purchase.", "probability"),
    C("wallet", "float", "Yearly spending in the shop's categories, at all shops.", "currency per year"),
    C("satisfaction", "float", "Latent satisfaction at the observation end, 0-1.", "0-1"),
    C("alive_at_end", "bool", "Still a customer at the observation end."),
    C("churn_date", "date", "Day the customer stopped (may lie after the observation end), else missing."),
    C("lifecycle_state", "str", "At the observation end: never_bought, active, at_risk, dissatisfied or lost."),
    C("advocate", "bool", "Recommends the shop and refers others."),
    C("future_orders", "int", "Purchases (not cancelled, not C2B) placed in the horizon after the observation end.", "orders"),
    C("future_revenue", "float", "shop_revenue of those orders.", "currency"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "customers": CUSTOMERS,
    "products": PRODUCTS,
    "sessions": SESSIONS,
    "events": EVENTS,
    "orders": ORDERS,
    "order_items": ORDER_ITEMS,
    "tickets": TICKETS,
    "surveys": SURVEYS,
    "campaigns": CAMPAIGNS,
    "marketing_spend": MARKETING_SPEND,
}
"""The observed tables, in the order ``Shop.tables`` lists them."""

HIDDEN_TABLES: dict[str, tuple[Column, ...]] = {"truth": TRUTH}
"""Tables only a simulation knows; notebooks keep them out of sight until a grading step."""

ALL_TABLES: dict[str, tuple[Column, ...]] = {**TABLES, **HIDDEN_TABLES}

PANDAS_DTYPE = {
    "int": "int64",
    "Int": "Int64",
    "float": "float64",
    "bool": "bool",
    "str": "str",
    "date": "datetime64[s]",
    "datetime": "datetime64[s]",
}


def column_names(table: str, *, include_optional: bool = True) -> list[str]:
    """The column names of ``table`` in their written order."""
    return [c.name for c in ALL_TABLES[table] if include_optional or not c.optional]
