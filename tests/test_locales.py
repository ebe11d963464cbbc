"""Tests of custkit.simulate.locales: places, name pools, contacts, holidays, Jalali dates."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest

from custkit.errors import ConfigError, CustkitError, SchemaError
from custkit.simulate.locales import (
    IRAN_PRICE_LEVEL,
    get_locale,
    make_emails,
    make_phones,
    normalize_name,
    people_pool,
    company_pool,
    sample_names,
    to_jalali,
    to_latin,
)

ARABIC_YEH, ARABIC_KAF = "\u064a", "\u0643"
TITLES = ("دکتر", "مهندس", "سرکار", "خانم", "جناب", "آقای", "حاج")


# ---------------------------------------------------------------- locales and cities
def test_unknown_locale_lists_valid_codes():
    with pytest.raises(ConfigError, match="en_US, fa_IR"):
        get_locale("de_DE")


def test_locale_fields():
    fa, us = get_locale("fa_IR"), get_locale("en_US")
    assert (fa.currency, us.currency) == ("toman", "USD")
    assert us.usd_rate == us.market_rate == 1.0
    assert 110_000 <= fa.market_rate <= 122_000  # the late-2025 open-market rate
    assert fa.usd_rate == fa.market_rate * IRAN_PRICE_LEVEL  # prices at Iran's price level
    assert get_locale("fa_IR", 90_000).market_rate == 90_000 and get_locale("en_US", 90_000).market_rate == 1.0
    with pytest.raises(ConfigError, match="toman_per_usd"):
        get_locale("fa_IR", -5)
    assert (fa.first_weekday, us.first_weekday) == (5, 6)  # Saturday, Sunday
    # Same groups in the same order: the simulator keys age rules on student (0) and retired (9).
    assert len(fa.occupations) == len(us.occupations) == 12
    assert (us.occupations[0], us.occupations[9]) == ("student", "retired")
    assert (fa.occupations[0], fa.occupations[9]) == ("دانشجو", "بازنشسته")


def test_fa_cities_cover_31_provinces_in_persian_letters():
    cities = get_locale("fa_IR").cities
    assert list(cities.columns) == ["city", "province", "weight"]
    assert cities["province"].nunique() == 31
    assert len(cities) >= 80
    assert cities["weight"].sum() == pytest.approx(1.0)
    text = "".join(cities["city"]) + "".join(cities["province"])
    assert ARABIC_YEH not in text and ARABIC_KAF not in text
    by_city = cities.set_index("city")["weight"]
    # Ordering of the 2016 census: Tehran > Mashhad > Isfahan > Karaj > Shiraz.
    assert by_city["تهران"] > by_city["مشهد"] > by_city["اصفهان"] > by_city["کرج"] > by_city["شیراز"]
    assert by_city["تهران"] / by_city["مشهد"] == pytest.approx(8_693_706 / 3_001_184)


def test_us_cities_cover_every_state():
    cities = get_locale("en_US").cities
    assert cities["province"].nunique() == 51  # 50 states and the District of Columbia
    assert len(cities) >= 80
    assert cities["weight"].sum() == pytest.approx(1.0)
    top = cities.sort_values("weight", ascending=False)["city"].iloc[:3].tolist()
    assert top == ["New York", "Los Angeles", "Chicago"]


def test_get_locale_returns_fresh_cities():
    a = get_locale("fa_IR")
    a.cities.loc[0, "weight"] = 99.0
    assert get_locale("fa_IR").cities.loc[0, "weight"] < 1


# ---------------------------------------------------------------- promotion days
def _days(df, name):
    return df.loc[df["name"] == name, "date"].dt.strftime("%Y-%m-%d").tolist()


def test_fa_promotion_days_2024():
    days = get_locale("fa_IR").promotion_days(date(2024, 1, 1), date(2024, 12, 31))
    assert str(days["date"].dtype) == "datetime64[s]"
    assert days["date"].is_monotonic_increasing and days["date"].is_unique
    assert "2024-03-20" in _days(days, "Nowruz")  # 1 Farvardin 1403
    assert _days(days, "Yalda")[-1] == "2024-12-20"  # 30 Azar 1403
    assert _days(days, "Black Friday") == ["2024-11-29"]


def test_fa_nowruz_follows_the_calendar_not_a_fixed_day():
    days = get_locale("fa_IR").promotion_days("2025-03-01", "2025-04-30")
    nowruz = _days(days, "Nowruz")
    # 1 Farvardin 1404 fell on 21 March 2025; the sale runs from 7 days before to 3 days after.
    assert nowruz[0] == "2025-03-14" and nowruz[-1] == "2025-03-24" and len(nowruz) == 11


def test_us_promotion_days():
    days = get_locale("en_US").promotion_days(date(2023, 1, 1), date(2024, 12, 31))
    # Thanksgiving 2023 was Thursday 23 November, 2024 Thursday 28 November.
    assert _days(days, "Black Friday") == ["2023-11-24", "2024-11-29"]
    assert _days(days, "Cyber Monday") == ["2023-11-27", "2024-12-02"]
    assert _days(days, "Independence Day") == ["2023-07-04", "2024-07-04"]
    assert "2024-12-24" in _days(days, "Christmas") and "2024-12-25" not in _days(days, "Christmas")


def test_promotion_days_window_is_inclusive():
    days = get_locale("en_US").promotion_days(pd.Timestamp("2024-11-29"), pd.Timestamp("2024-11-29"))
    assert days["name"].tolist() == ["Black Friday"]


def test_promotion_days_bad_input():
    loc = get_locale("en_US")
    with pytest.raises(CustkitError, match="after end"):
        loc.promotion_days(date(2024, 2, 1), date(2024, 1, 1))
    with pytest.raises(CustkitError, match="start must be a date"):
        loc.promotion_days(20240101, date(2024, 1, 1))


# ---------------------------------------------------------------- names
def test_normalize_name_fixes_letters_and_titles():
    assert normalize_name("جناب آقای دكتر علي كريمي", "fa_IR") == "علی کریمی"
    assert normalize_name("سرکار خانم  مريم احمدی", "fa_IR") == "مریم احمدی"
    assert normalize_name("Dr. Jane Smith PhD", "en_US") == "Jane Smith"
    with pytest.raises(ConfigError):
        normalize_name("x", "xx")
    with pytest.raises(CustkitError, match="text"):
        normalize_name(None, "fa_IR")


def test_to_latin():
    assert to_latin("محمدرضا", "fa_IR") == "mohammadreza"  # split into known pieces
    assert to_latin("رضا زاده", "fa_IR") == "rezazadeh"
    assert to_latin("بابک", "fa_IR") == "babk"  # letter-by-letter fallback: b-a-b-k
    assert to_latin("José O'Neil", "en_US") == "joseoneil"
    with pytest.raises(CustkitError, match="text"):
        to_latin(3, "en_US")


def test_fa_pool_is_clean_and_gendered():
    pool = people_pool("fa_IR", seed=7)
    assert len(pool) == 3000
    assert list(pool.columns) == ["first_name", "last_name", "gender", "latin"]
    assert (pool["gender"] == "female").sum() == 1500
    names = pool["first_name"] + " " + pool["last_name"]
    text = "".join(names)
    assert ARABIC_YEH not in text and ARABIC_KAF not in text
    words = set(" ".join(names).split())
    assert not words & set(TITLES)
    assert pool["latin"].str.fullmatch(r"[a-z]+\.[a-z]+").all()
    from faker.providers.person.fa_IR import Provider

    females = {normalize_name(n, "fa_IR") for n in Provider.first_names_female}
    males = {normalize_name(n, "fa_IR") for n in Provider.first_names_male}
    is_f = pool["gender"] == "female"
    assert pool.loc[is_f, "first_name"].isin(females).all()
    assert pool.loc[~is_f, "first_name"].isin(males).all()


def test_pool_is_cached_but_returned_as_copy():
    a = people_pool("en_US", seed=3, size=10)
    a.loc[0, "first_name"] = "changed"
    b = people_pool("en_US", seed=3, size=10)
    assert b.loc[0, "first_name"] != "changed"
    assert b["latin"].str.fullmatch(r"[a-z]+\.[a-z]+").all()


def test_us_pool_has_no_titles():
    pool = people_pool("en_US", seed=4, size=3000)
    words = set(" ".join(pool["first_name"] + " " + pool["last_name"]).split())
    assert not words & {"Mr.", "Mrs.", "Ms.", "Dr.", "Miss", "Jr.", "MD", "PhD", "DDS", "II", "III"}
    assert (pool["gender"] == "male").sum() == 1500


def test_pool_same_in_another_process():
    code = (
        "from custkit.simulate.locales import people_pool;"
        "print('|'.join(people_pool('fa_IR', 11, 40)['latin']))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = "|".join(people_pool("fa_IR", 11, 40)["latin"])
    assert other.stdout.strip() == here
    assert here != "|".join(people_pool("fa_IR", 12, 40)["latin"])


def test_pool_bad_input():
    with pytest.raises(CustkitError, match="seed"):
        people_pool("fa_IR", seed=-1)
    with pytest.raises(CustkitError, match="size"):
        people_pool("fa_IR", seed=1, size=1)
    with pytest.raises(ConfigError):
        people_pool("fr_FR", seed=1)


def test_company_pool():
    fa = company_pool("fa_IR", seed=5)
    assert len(fa) == 400 and len(set(fa)) == 400
    assert ARABIC_YEH not in "".join(fa) and ARABIC_KAF not in "".join(fa)
    assert list(company_pool("en_US", 5, 20)) == list(company_pool("en_US", 5, 20))
    with pytest.raises(CustkitError, match="distinct"):
        company_pool("fa_IR", seed=5, size=5_000)


def test_sample_names_keep_gender_and_match_slugs():
    pool = pd.DataFrame(
        {
            "first_name": ["مریم", "سارا", "علی"],
            "last_name": ["احمدی", "کریمی", "نوری"],
            "gender": ["female", "female", "male"],
            "latin": ["maryam.ahmadi", "sara.karimi", "ali.nouri"],
        }
    )
    gender = np.array(["male"] * 50 + ["female"] * 50)
    names, latin = sample_names(np.random.default_rng(0), pool, gender)
    first = [n.split(" ")[0] for n in names]
    assert set(first[:50]) == {"علی"} and set(first[50:]) == {"مریم", "سارا"}
    slug = {"مریم": "maryam", "سارا": "sara", "علی": "ali", "احمدی": "ahmadi", "کریمی": "karimi", "نوری": "nouri"}
    assert [f"{slug[a]}.{slug[b]}" for a, b in (n.split(" ") for n in names)] == list(latin)
    # Last names are drawn from every row, independently of the first name.
    assert {n.split(" ")[1] for n in names[:50]} == {"احمدی", "کریمی", "نوری"}
    again, _ = sample_names(np.random.default_rng(0), pool, gender)
    assert list(again) == list(names)


def test_sample_names_from_a_real_pool_are_varied():
    pool = people_pool("fa_IR", seed=7)
    names, latin = sample_names(np.random.default_rng(0), pool, np.array(["female", "male"] * 500))
    assert len(set(names)) > 900  # 55 x 97 possible female names, as many male ones
    assert pd.Series(latin).str.fullmatch(r"[a-z]+\.[a-z]+").all()


def test_sample_names_bad_input():
    pool = people_pool("en_US", seed=1, size=10)
    with pytest.raises(CustkitError, match="female"):
        sample_names(np.random.default_rng(0), pool, np.array(["f", "male"]))
    with pytest.raises(SchemaError, match="latin"):
        sample_names(np.random.default_rng(0), pool.drop(columns="latin"), np.array(["male"]))
    with pytest.raises(CustkitError, match="Generator"):
        sample_names(0, pool, np.array(["male"]))


# ---------------------------------------------------------------- contacts
def test_emails_unique_and_safe():
    rng = np.random.default_rng(1)
    latin = np.array(["sara.ahmadi"] * 500, dtype=object)
    emails = make_emails(rng, latin, np.arange(1, 501))
    assert len(set(emails)) == 500
    assert all(re.fullmatch(r"[a-z._]+\d+@example\.(com|org|net)", e) for e in emails)
    assert all(e.split("@")[0].endswith(str(i)) for e, i in zip(emails, range(1, 501)))
    first = make_emails(np.random.default_rng(1), latin[:3], np.array([7, 8, 9]))
    assert list(first) == list(make_emails(np.random.default_rng(1), latin[:3], np.array([7, 8, 9])))


def test_emails_bad_input():
    rng = np.random.default_rng(1)
    with pytest.raises(CustkitError, match="unique"):
        make_emails(rng, np.array(["a.b", "c.d"], dtype=object), np.array([1, 1]))
    with pytest.raises(CustkitError, match="equal length"):
        make_emails(rng, np.array(["a.b"], dtype=object), np.array([1, 2]))


def test_phones_formats():
    fa = make_phones(np.random.default_rng(2), "fa_IR", 200)
    assert all(re.fullmatch(r"09\d\d \d{3} \d{4}", p) for p in fa)
    us = make_phones(np.random.default_rng(2), "en_US", 200)
    assert all(re.fullmatch(r"\(\d{3}\) 555-01\d\d", p) for p in us)
    assert len(make_phones(np.random.default_rng(2), "en_US", 0)) == 0
    with pytest.raises(CustkitError, match="non-negative"):
        make_phones(np.random.default_rng(2), "en_US", -1)


# ---------------------------------------------------------------- Jalali dates
def test_to_jalali_known_days_and_missing():
    s = pd.Series(pd.to_datetime(["2024-03-20 23:59:00", None, "2024-12-20 00:00:00", "2025-03-21 08:00:00"]),
                  index=[10, 11, 12, 13], name="order_date")
    out = to_jalali(s)
    assert str(out.dtype) == "str"
    assert out.index.tolist() == [10, 11, 12, 13] and out.name == "order_date"
    assert out[10] == "1403-01-01" and out[12] == "1403-09-30" and out[13] == "1404-01-01"
    assert pd.isna(out[11])


def test_to_jalali_reads_iso_text_and_rejects_junk():
    assert to_jalali(pd.Series(["2024-03-19"])).tolist() == ["1402-12-29"]  # last day of 1402
    with pytest.raises(SchemaError, match="could not read"):
        to_jalali(pd.Series(["not a date"]))
    with pytest.raises(SchemaError, match="Series"):
        to_jalali(["2024-03-19"])
    assert len(to_jalali(pd.Series([], dtype="datetime64[s]"))) == 0


def test_to_jalali_many_rows_is_fast():
    import time

    s = pd.Series(pd.date_range("2023-01-01", periods=1_000_000, freq="90s"))
    t = time.perf_counter()
    out = to_jalali(s)
    assert time.perf_counter() - t < 5
    assert out.iloc[0] == "1401-10-11"  # 1 January 2023 = 11 Dey 1401
