"""Locales of the simulated shop: places, names, contact details, calendar and holiday sales.

Two locales exist: ``en_US`` (USD, US states and cities) and ``fa_IR`` (toman, the 31 provinces
of Iran, Persian names written with the Persian letters ی and ک, Jalali dates), so that a course
can be taught on either side; the customer profile they feed (gender, job, area)
is the one article [001] lists under principle D9 and article [004] segments on (concept E1).

Faker only *builds* name and company pools, once per (locale, seed), because it is slow (about
3,000 names a second); the simulator then samples those pools with NumPy. Everything is
deterministic for a given seed, in any process.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from numbers import Integral
from pathlib import Path

import jdatetime
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from custkit._checks import require_frame, require_columns
from custkit.errors import ConfigError, CustkitError, SchemaError

DATA_DIR = Path(__file__).parent / "data"
LOCALE_CODES = ("en_US", "fa_IR")

TOMAN_PER_USD = 115_000.0
"""Default open-market toman per US dollar of fa_IR shops (``ShopConfig.toman_per_usd``).

The Tehran open-market rate moved from about 50,000 toman per dollar early in 2024 to
110,000-122,000 late in 2025 (market reports, e.g. bonbast.com quotes). Shops price imported goods
at the open-market rate, not at the far lower official ones.
"""

IRAN_PRICE_LEVEL = 0.25
"""What an Iranian online basket costs in dollars at the market rate, relative to the US shop's.

Iranian incomes and prices in dollars are a fraction of US ones: Digikala's average order was
about $22-32 at market rates (annual reports, 2023-24), against $75-100 for US online shops
(Dynamic Yield and Shopify benchmarks). 0.25 sets the fa_IR classroom shop's mean B2C order,
averaged over a window whose prices rise about 35 % a year, inside that range. Prices, wallets and
marketing costs all scale by it, so a fa_IR shop's customers behave like the US shop's.
"""


# The same occupation groups in both locales, in the same order, so that position i means the
# same group everywhere (the simulator may key income or class on the position).
_OCCUPATIONS = {
    "en_US": (
        "student", "office worker", "teacher", "engineer", "healthcare worker", "shop owner",
        "manual worker", "driver", "homemaker", "retired", "self-employed", "IT professional",
    ),
    "fa_IR": (
        "دانشجو", "کارمند", "معلم", "مهندس", "کادر درمان", "مغازه‌دار",
        "کارگر", "راننده", "خانه‌دار", "بازنشسته", "شغل آزاد", "برنامه‌نویس",
    ),
}

# Real mobile prefixes of Iran's operators (MCI 091x/099x, Irancell 093x/090x, Rightel 0921-0922).
_FA_MOBILE_PREFIXES = (
    "0912", "0913", "0914", "0915", "0916", "0917", "0918", "0919", "0990", "0991",
    "0935", "0936", "0937", "0938", "0939", "0930", "0933", "0901", "0902", "0903",
    "0921", "0922",
)
# Real US area codes of large cities; the 555-0100..555-0199 range keeps every number fictional.
_US_AREA_CODES = (
    "212", "718", "213", "310", "312", "773", "713", "602", "215", "210", "619", "214", "408",
    "512", "904", "817", "614", "317", "704", "415", "206", "303", "202", "615", "405", "617",
    "503", "702", "313", "901", "502", "410", "414", "505", "520", "559", "916", "816", "404",
)
# Domains reserved for examples (RFC 2606): no mail can ever reach a real person.
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

# Faker's fa_IR data mixes Arabic ي/ك (and a few other Arabic forms) with Persian ی/ک.
_FA_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا"})
_ARABIC_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
_FA_TITLES = (
    "جناب آقای", "سرکار خانم", "جناب", "سرکار", "آقای", "آقا", "خانم", "دکتر", "مهندس", "حاج", "حاجی",
    "استاد", "سید", "سیده",
)
_EN_TITLES = ("Mr.", "Mrs.", "Ms.", "Miss", "Mx.", "Dr.", "Prof.")
_EN_SUFFIXES = ("Jr.", "Sr.", "MD", "PhD", "DDS", "DVM", "II", "III", "IV", "V")
# A run-together pair of names in Faker 40.54's fa_IR list; redrawn instead of used.
_FAKER_TYPOS = frozenset({"فاطمیاسارینا"})

# Persian -> Latin letters for words missing from data/fa_IR_latin.csv. Written by hand: no light
# library transliterates Persian, and short vowels are not written, so the per-word table above
# (every name in Faker's fa_IR lists) does the real work and this is only a fallback.
_FA_CHAR_LATIN = {
    "آ": "a", "ا": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "gh", "ک": "k", "گ": "g",
    "ل": "l", "م": "m", "ن": "n", "و": "o", "ه": "h", "ی": "i", "ئ": "", "ء": "", "ؤ": "o",
}


# --------------------------------------------------------------------------------------------
# Locale
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Locale:
    """Where and when a simulated shop trades.

    Attributes
    ----------
    code
        ``"en_US"`` or ``"fa_IR"``.
    currency
        ``"USD"`` or ``"toman"``: the unit of every money column of the shop.
    usd_rate
        Local currency units that buy what one US dollar buys in the US shop: the catalog's USD
        prices, the wallets, the loyalty thresholds and the marketing costs are multiplied by it
        (fa_IR: ``market_rate * IRAN_PRICE_LEVEL``; en_US: 1).
    market_rate
        Local currency units per US dollar on the market (fa_IR: ``ShopConfig.toman_per_usd``,
        :data:`TOMAN_PER_USD` by default; en_US: 1): divide a money column by it for dollars.
    cities
        Columns ``city``, ``province`` (state for en_US) and ``weight``, the city's share of the
        listed cities' population (sums to 1). fa_IR: 2016 census order of magnitude; en_US: 2020
        census. Treat as read-only: each :func:`get_locale` call builds a fresh copy.
    occupations
        Occupation groups, in the same order in both locales (position i is the same group).
    first_weekday
        First day of the week, 0=Monday: 5 (Saturday) in Iran, whose weekend is Friday; 6 (Sunday)
        in the US.
    """

    code: str
    currency: str
    usd_rate: float
    market_rate: float
    cities: pd.DataFrame
    occupations: tuple[str, ...]
    first_weekday: int

    def promotion_days(self, start: date, end: date) -> pd.DataFrame:
        """Every holiday sale day in ``[start, end]``, computed from the calendar.

        fa_IR: ``Nowruz`` (the week before 1 Farvardin, when Iranians shop for the new year, to
        4 Farvardin), ``Yalda`` (28-30 Azar, the night of 30 Azar is Shab-e Yalda) and
        ``Black Friday`` (Iranian online shops run it too). en_US: ``Independence Day`` (4 July),
        ``Black Friday`` (the day after Thanksgiving, the fourth Thursday of November),
        ``Cyber Monday`` (three days later) and ``Christmas`` (15-24 December). Jalali dates
        come from jdatetime, so leap years of either calendar are handled.

        Parameters
        ----------
        start, end
            First and last day (``datetime.date``, ``pd.Timestamp`` or ISO string), inclusive.

        Returns
        -------
        DataFrame
            Columns ``date`` (``datetime64[s]``) and ``name`` (``str``), one row per day, sorted.
        """
        first = _as_day(start, "start")
        last = _as_day(end, "end")
        if first > last:
            raise CustkitError(f"start ({first.date()}) lies after end ({last.date()}); swap them.")
        rows: list[tuple[date, str]] = []
        for year in range(first.year, last.year + 1):
            rows += _HOLIDAYS[self.code](year)
        out = pd.DataFrame(rows, columns=["date", "name"])
        out["date"] = pd.to_datetime(out["date"]).astype("datetime64[s]")
        out["name"] = out["name"].astype("str")
        out = out[(out["date"] >= first) & (out["date"] <= last)]
        out = out.drop_duplicates("date").sort_values("date", kind="stable")
        return out.reset_index(drop=True)


def _black_friday(year: int) -> date:
    """The day after Thanksgiving (the fourth Thursday of November)."""
    nov1 = date(year, 11, 1)
    first_thursday = nov1 + timedelta(days=(3 - nov1.weekday()) % 7)
    return first_thursday + timedelta(days=22)


def _days(first: date, n: int, name: str) -> list[tuple[date, str]]:
    return [(first + timedelta(days=i), name) for i in range(n)]


def _fa_holidays(year: int) -> list[tuple[date, str]]:
    # 1 Farvardin and 30 Azar of Jalali year (year - 621) both fall in Gregorian `year`.
    nowruz = jdatetime.date(year - 621, 1, 1).togregorian()
    yalda = jdatetime.date(year - 621, 9, 30).togregorian()
    return (
        _days(nowruz - timedelta(days=7), 11, "Nowruz")
        + _days(yalda - timedelta(days=2), 3, "Yalda")
        + [(_black_friday(year), "Black Friday")]
    )


def _us_holidays(year: int) -> list[tuple[date, str]]:
    black_friday = _black_friday(year)
    return (
        [(date(year, 7, 4), "Independence Day"), (black_friday, "Black Friday"),
         (black_friday + timedelta(days=3), "Cyber Monday")]
        + _days(date(year, 12, 15), 10, "Christmas")
    )


_HOLIDAYS = {"fa_IR": _fa_holidays, "en_US": _us_holidays}


def _as_day(value: object, name: str) -> pd.Timestamp:
    if isinstance(value, (pd.Timestamp, date, str, np.datetime64)):
        try:
            ts = pd.Timestamp(value)
        except (ValueError, TypeError):
            ts = pd.NaT
        if ts is not pd.NaT:
            return ts.normalize()
    raise CustkitError(
        f"{name} must be a date such as datetime.date(2024, 1, 31) or '2024-01-31', got {value!r}."
    )


def _check_code(code: object) -> str:
    if code not in LOCALE_CODES:
        raise ConfigError(f"Unknown locale {code!r}; valid codes are: {', '.join(LOCALE_CODES)}.")
    return str(code)


@functools.lru_cache(maxsize=None)
def _read_cities(code: str) -> pd.DataFrame:
    raw = pd.read_csv(DATA_DIR / f"{code}_cities.csv", dtype={"city": "str", "province": "str"})
    weight = raw["population"] / raw["population"].sum()
    return pd.DataFrame({"city": raw["city"], "province": raw["province"], "weight": weight})


def get_locale(code: str, toman_per_usd: float | None = None) -> Locale:
    """The :class:`Locale` for ``code`` (``"en_US"`` or ``"fa_IR"``).

    ``toman_per_usd`` is the market rate of a fa_IR shop (``ShopConfig.toman_per_usd``;
    :data:`TOMAN_PER_USD` when None); en_US ignores it.

    Raises
    ------
    ConfigError
        For any other code; the message lists the valid ones.
    """
    code = _check_code(code)
    return Locale(
        code=code,
        currency="toman" if code == "fa_IR" else "USD",
        usd_rate=_market_rate(code, toman_per_usd) * (IRAN_PRICE_LEVEL if code == "fa_IR" else 1.0),
        market_rate=_market_rate(code, toman_per_usd),
        cities=_read_cities(code).copy(),
        occupations=_OCCUPATIONS[code],
        first_weekday=5 if code == "fa_IR" else 6,
    )


def _market_rate(code: str, toman_per_usd: float | None) -> float:
    if code != "fa_IR":
        return 1.0
    rate = TOMAN_PER_USD if toman_per_usd is None else toman_per_usd
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) or not rate > 0:
        raise ConfigError(f"toman_per_usd must be a positive number of toman per dollar, got {rate!r}.")
    return float(rate)


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
def normalize_name(name: str, code: str) -> str:
    """Clean one Faker name: Persian letters (ی, ک) for fa_IR, no titles, single spaces.

    Titles are dropped wherever they stand as whole words at the start or the end (fa_IR:
    جناب آقای، سرکار خانم، دکتر، مهندس ...; en_US: Mr., Dr., Jr., PhD ...).
    """
    code = _check_code(code)
    if not isinstance(name, str):
        raise CustkitError(f"name must be text, got {name!r} ({type(name).__name__}).")
    words = name
    if code == "fa_IR":
        words = _ARABIC_DIACRITICS.sub("", words.translate(_FA_LETTERS))
    tokens = words.split()
    if code == "fa_IR":
        tokens = _strip_titles(tokens, _FA_TITLES, _FA_TITLES)
    else:
        tokens = _strip_titles(tokens, _EN_TITLES, _EN_SUFFIXES)
    return " ".join(tokens)


def _strip_titles(tokens: list[str], prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> list[str]:
    pre = sorted((p.split() for p in prefixes), key=len, reverse=True)
    suf = sorted((s.split() for s in suffixes), key=len, reverse=True)
    changed = True
    while changed and tokens:
        changed = False
        for p in pre:
            if len(tokens) > len(p) and tokens[: len(p)] == p:
                tokens, changed = tokens[len(p):], True
                break
        for s in suf:
            if len(tokens) > len(s) and tokens[-len(s):] == s:
                tokens, changed = tokens[: -len(s)], True
                break
    return tokens


@functools.lru_cache(maxsize=None)
def _fa_word_latin() -> dict[str, str]:
    table = pd.read_csv(DATA_DIR / "fa_IR_latin.csv", dtype="str")
    return dict(zip(table["persian"], table["latin"], strict=True))


def to_latin(name: str, code: str) -> str:
    """ASCII slug of a (first or last) name for e-mail addresses: lower-case letters only.

    fa_IR names go word by word through the hand-written table ``data/fa_IR_latin.csv``; a word
    that is missing is split into known pieces (محمدرضا -> mohammad + reza) and, failing that,
    spelt letter by letter with a fixed map (short vowels are not written in Persian, so this
    fallback is rough). en_US names lose accents and anything that is not a letter.
    """
    code = _check_code(code)
    if not isinstance(name, str):
        raise CustkitError(f"name must be text, got {name!r} ({type(name).__name__}).")
    if code == "en_US":
        ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return re.sub("[^a-z]", "", ascii_.lower())
    table = _fa_word_latin()
    return "".join(_fa_word_to_latin(w, table) for w in name.replace("\u200c", " ").split())


def _fa_word_to_latin(word: str, table: dict[str, str]) -> str:
    if word in table:
        return table[word]
    for cut in range(len(word) - 1, 0, -1):  # longest known head, then the rest
        if word[:cut] in table:
            return table[word[:cut]] + _fa_word_to_latin(word[cut:], table)
    latin = "".join(_FA_CHAR_LATIN.get(ch, "") for ch in word)
    return re.sub("[^a-z]", "", latin)


def _check_seed_size(seed: object, size: object) -> tuple[int, int]:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise CustkitError(f"seed must be a non-negative integer, got {seed!r}.")
    if isinstance(size, bool) or not isinstance(size, Integral) or size < 2:
        raise CustkitError(f"size must be an integer >= 2 (one name of each gender at least), got {size!r}.")
    return int(seed), int(size)


def _faker(code: str, seed: int):
    from faker import Faker  # imported here: it takes a second to load and only pools need it

    fake = Faker(code)
    fake.seed_instance(seed)
    return fake


@functools.lru_cache(maxsize=16)
def _people_pool(code: str, seed: int, size: int) -> pd.DataFrame:
    fake = _faker(code, seed)
    gender = np.where(np.arange(size) % 2 == 0, "female", "male")
    first, last = [], []
    for g in gender:
        draw = fake.first_name_female if g == "female" else fake.first_name_male
        name = normalize_name(draw(), code)
        while name in _FAKER_TYPOS or not name:
            name = normalize_name(draw(), code)
        first.append(name)
        surname = normalize_name(fake.last_name(), code)
        while not surname:
            surname = normalize_name(fake.last_name(), code)
        last.append(surname)
    first_latin = [to_latin(n, code) or "user" for n in first]
    last_latin = [to_latin(n, code) or "user" for n in last]
    return pd.DataFrame(
        {
            "first_name": pd.array(first, dtype="str"),
            "last_name": pd.array(last, dtype="str"),
            "gender": pd.array(gender, dtype="str"),
            "latin": pd.array([f"{a}.{b}" for a, b in zip(first_latin, last_latin)], dtype="str"),
        }
    )


def people_pool(code: str, seed: int, size: int = 3000) -> pd.DataFrame:
    """A pool of ``size`` people's names built once by Faker (cached per arguments).

    Half the rows are female and half male (alternating), drawn from Faker's gendered name lists,
    so a name always matches its gender. fa_IR names use the Persian letters ی and ک and carry
    no title (Faker adds جناب آقای، سرکار خانم ... to some); see :func:`normalize_name`.

    Returns
    -------
    DataFrame
        Columns ``first_name``, ``last_name``, ``gender`` (``female``/``male``) and ``latin``
        (``first.last`` in ASCII letters, for e-mail addresses). A copy: changing it does not
        change the cache.
    """
    code = _check_code(code)
    seed, size = _check_seed_size(seed, size)
    return _people_pool(code, seed, size).copy()


people_pool.cache_clear = _people_pool.cache_clear  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=16)
def _company_pool(code: str, seed: int, size: int) -> tuple[str, ...]:
    fake = _faker(code, seed)
    names: dict[str, None] = {}
    misses = 0
    while len(names) < size and misses < 2000:  # 2,000 repeats in a row: the list is used up
        name = normalize_name(_fa_company(fake) if code == "fa_IR" else fake.company(), code)
        if name and name not in names:
            names[name], misses = None, 0
        else:
            misses += 1
    if len(names) < size:
        raise CustkitError(
            f"Only {len(names)} distinct {code} company names could be made; "
            f"ask for size <= {len(names)}."
        )
    return tuple(names)


# Faker's fa_IR company list holds real listed companies (banks, petrochemicals ...); fictional
# names are composed instead from a kind of business and a surname or a city.
_FA_COMPANY_BY_SURNAME = (
    "بازرگانی {}", "گروه صنعتی {}", "{} و شرکا", "تولیدی {}", "شرکت خدماتی {}", "مهندسی {}",
    "دفتر فنی {}", "کارگاه {}", "تجارت‌گستر {}", "پخش {}",
)
_FA_COMPANY_BY_CITY = (
    "صنایع غذایی {}", "پخش مویرگی {}", "فناوران {}", "نساجی {}", "ساختمانی {}", "حمل و نقل {}",
    "کشت و صنعت {}", "چاپ و نشر {}",
)


def _fa_company(fake) -> str:
    if fake.random.random() < 0.6:
        return fake.random.choice(_FA_COMPANY_BY_SURNAME).format(fake.last_name())
    cities = _read_cities("fa_IR")["city"].tolist()
    return fake.random.choice(_FA_COMPANY_BY_CITY).format(fake.random.choice(cities))


def company_pool(code: str, seed: int, size: int = 400) -> np.ndarray:
    """``size`` distinct, fictional company names for business accounts (cached per arguments).

    en_US: Faker's company names (surnames joined, "Smith, Ibarra and Parks"). fa_IR: a kind of
    business and a surname or city ("بازرگانی کریمی", "صنایع غذایی رشت"), because Faker's fa_IR
    list is made of real listed companies. Persian letters ی and ک throughout.
    """
    code = _check_code(code)
    seed, size = _check_seed_size(seed, size)
    return np.array(_company_pool(code, seed, size), dtype=object)


def sample_names(
    rng: np.random.Generator, pool: pd.DataFrame, gender: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Full names and e-mail slugs for people of the given genders, drawn from ``pool``.

    The first name is drawn from the pool's rows of the same gender and the last name from any
    row, independently, so a pool of 3,000 rows yields far more than 3,000 distinct full names.

    Parameters
    ----------
    rng
        NumPy random generator.
    pool
        A :func:`people_pool` table (columns ``first_name``, ``last_name``, ``gender``, ``latin``).
    gender
        One ``"female"`` or ``"male"`` per person.

    Returns
    -------
    (names, latin)
        Object arrays: ``"first last"`` and the matching ``first.last`` slug.
    """
    _check_rng(rng)
    require_frame(pool, "pool")
    require_columns(pool, ["first_name", "last_name", "gender", "latin"], "pool")
    g = np.asarray(gender, dtype=object)
    bad = set(pd.unique(g)) - {"female", "male"}
    if bad:
        raise CustkitError(f"gender must hold only 'female' or 'male'; found {sorted(map(str, bad))}.")
    first_latin = pool["latin"].str.split(".", n=1).str[0].to_numpy(dtype=object)
    last_latin = pool["latin"].str.split(".", n=1).str[1].to_numpy(dtype=object)
    pool_gender = pool["gender"].to_numpy(dtype=object)
    first_rows = np.empty(len(g), dtype=np.int64)
    for value in ("female", "male"):
        wanted = np.flatnonzero(g == value)
        rows = np.flatnonzero(pool_gender == value)
        if len(wanted) and not len(rows):
            raise CustkitError(f"pool has no {value} names; build it with people_pool(...).")
        first_rows[wanted] = rows[rng.integers(0, len(rows), size=len(wanted))]
    last_rows = rng.integers(0, len(pool), size=len(g))
    first = pool["first_name"].to_numpy(dtype=object)[first_rows]
    last = pool["last_name"].to_numpy(dtype=object)[last_rows]
    names = first + " " + last
    latin = first_latin[first_rows] + "." + last_latin[last_rows]
    return names, latin


def make_emails(rng: np.random.Generator, latin: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Synthetic e-mail addresses, unique because each ends its local part with the id.

    Styles vary (``sara.ahmadi.1042``, ``sara_ahmadi1042``, ``s.ahmadi.1042``,
    ``sarahmadi_1042``); the domain is one of example.com/.org/.net, reserved for examples
    (RFC 2606), so no address can reach a real person.
    """
    _check_rng(rng)
    slugs = np.asarray(latin, dtype=object)
    id_arr = np.asarray(ids)
    if slugs.shape != id_arr.shape or slugs.ndim != 1:
        raise CustkitError(
            f"latin and ids must be 1-D and of equal length, got {slugs.shape} and {id_arr.shape}."
        )
    if not np.issubdtype(id_arr.dtype, np.integer):
        raise CustkitError(f"ids must be integers (customer ids), got dtype {id_arr.dtype}.")
    if len(np.unique(id_arr)) != len(id_arr):
        raise CustkitError("ids must be unique: one e-mail address per customer id.")
    # Built with Arrow string kernels, one pass per column: slugs are nearly as many as people,
    # and Python-object string operations on them cost about a second per 40,000 people.
    slug = pc.fill_null(pa.array(slugs, type=pa.string(), from_pandas=True), "user")
    parts = pc.split_pattern(slug, pattern=".", max_splits=1)
    first = pc.list_element(parts, 0)
    first = pc.if_else(pc.equal(first, ""), pa.scalar("user"), first)
    last = pc.binary_join(pc.list_slice(parts, 1, 2), "")
    has_last = pc.not_equal(last, "")
    join = pc.binary_join_element_wise
    variants = [
        pc.if_else(has_last, join(first, ".", last, ".", ""), join(first, ".", "")),
        pc.if_else(has_last, join(first, "_", last, ""), join(first, "_", "")),
        pc.if_else(has_last, join(pc.utf8_slice_codeunits(first, 0, 1), ".", last, ".", ""), join(first, ".", "")),
        pc.if_else(has_last, join(first, last, "_", ""), join(first, "_", "")),
    ]
    style = rng.integers(0, 4, size=len(slugs))
    domain = np.array(_EMAIL_DOMAINS, dtype=object)[rng.integers(0, len(_EMAIL_DOMAINS), size=len(slugs))]
    local = pc.choose(pa.array(style.astype(np.int8)), *variants)
    ids_text = pc.cast(pa.array(id_arr.astype(np.int64)), pa.string())
    addresses = join(local, ids_text, "@", pa.array(domain, type=pa.string()), "")
    return addresses.to_numpy(zero_copy_only=False).astype(object)


def make_phones(rng: np.random.Generator, code: str, n: int) -> np.ndarray:
    """``n`` synthetic phone numbers.

    fa_IR: mobile numbers ``09xx xxx xxxx`` with real operator prefixes and random digits.
    en_US: ``(xxx) 555-01xx`` with a real area code; 555-0100 to 555-0199 are reserved for
    fiction, so none of them rings anyone.
    """
    _check_rng(rng)
    code = _check_code(code)
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise CustkitError(f"n must be a non-negative integer, got {n!r}.")
    if code == "fa_IR":
        prefixes = np.array(_FA_MOBILE_PREFIXES, dtype=object)
        prefix = prefixes[rng.integers(0, len(prefixes), size=n)]
        digits = rng.integers(0, 10_000_000, size=n)
        # vectorised: zero-padded digit groups joined as object strings (no loop over people)
        high = pd.Series(digits // 10_000).astype(str).str.zfill(3).to_numpy(object)
        low = pd.Series(digits % 10_000).astype(str).str.zfill(4).to_numpy(object)
        return prefix + " " + high + " " + low
    area_row = rng.integers(0, len(_US_AREA_CODES), size=n)
    tail = rng.integers(0, 100, size=n)
    # every (area code, tail) number written once, then picked by index
    table = np.array([f"({a}) 555-01{t:02d}" for a in _US_AREA_CODES for t in range(100)], dtype=object)
    return table[area_row * 100 + tail]


def to_jalali(dates: pd.Series) -> pd.Series:
    """The Jalali day of each date as ``YYYY-MM-DD`` text (``str`` dtype); missing stays missing.

    jdatetime converts each distinct day once and the result is spread back with an index, so
    millions of timestamps over a few years cost only a few hundred conversions. The time of day
    is ignored.
    """
    if not isinstance(dates, pd.Series):
        raise SchemaError(
            f"dates must be a pandas Series, got {type(dates).__name__}; "
            f"pass a column such as orders['order_date']."
        )
    if pd.api.types.is_datetime64_any_dtype(dates):
        days = dates
    else:
        try:
            days = pd.to_datetime(dates, errors="raise")
        except (ValueError, TypeError) as exc:
            raise SchemaError(
                f"dates must hold dates (datetime64 or ISO strings like 2024-01-31); "
                f"could not read them: {exc}."
            ) from None
    codes, uniques = pd.factorize(days.dt.floor("D"))
    jalali = [jdatetime.date.fromgregorian(date=d.date()) for d in uniques]
    text = np.array([f"{j.year:04d}-{j.month:02d}-{j.day:02d}" for j in jalali] + [None], dtype=object)
    return pd.Series(text[codes], index=dates.index, name=dates.name, dtype="str")


def _check_rng(rng: object) -> None:
    if not isinstance(rng, np.random.Generator):
        raise CustkitError(
            f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}."
        )
