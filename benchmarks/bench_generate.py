"""Generation benchmark: wall time, rows per second and peak memory, with PASS/FAIL per target.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_generate.py``. Not a test (pytest
does not collect it): timings depend on the machine and its load.

Cases, each in a fresh subprocess so that peak memory (``ru_maxrss``) and cold caches are its own:

* ``classroom``: ``generate(ShopConfig())``, 5,000 customers and 150,000 anonymous visitors
  (about 230,000 visits: only 2-3 % of visits buy, as in a real shop). Target: <= 8 s.
* ``large``: ``generate(ShopConfig.preset("large"))``, 100,000 customers and 3 million anonymous
  visitors (about 4.6 million visits and 14 million events). Target: <= 45 s.
* ``customers``: the customer-profile columns of 100,000 customers made the way the simulator makes
  them (traits drawn with NumPy, names sampled from a pool that Faker builds once, vectorised
  e-mails and phones), against
* ``faker``: a per-row Faker loop making the same columns (name by gender, e-mail, phone, birth
  date, city, state, job, company for some) for 2,000 rows. Target: custkit's customer rows per
  second >= 50 x Faker's.

Module imports and Faker's constructor are outside the timings; custkit's time includes building
its name pool with Faker (done once per process), because every first shop pays for it. Verdicts
use wall time, as a user feels it; CPU time is printed beside it because on a busy machine wall
time grows with the load. Options: ``--skip-large`` for a quick run; ``--faker-rows N``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

TARGETS = {"classroom": 8.0, "large": 45.0}  # seconds
RATIO_TARGET = 50.0
CUSTOMER_ROWS = 100_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _child_generate(preset: str) -> dict:
    import custkit.simulate.blocks  # noqa: F401  (module imports are not generation time)
    from custkit.config import ShopConfig
    from custkit.simulate import generate

    cfg = ShopConfig.preset(preset)
    start, cpu = time.perf_counter(), time.process_time()
    shop = generate(cfg)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = sum(len(df) for df in shop.tables.values()) + len(shop.truth)
    return {"wall": wall, "cpu": cpu, "rows": rows, "customers": len(shop.customers), "peak_mb": _peak_mb()}


def _child_customers(n: int) -> dict:
    """The customers table's profile columns, as custkit's simulator makes them (blocks.py)."""
    import numpy as np
    import pandas as pd

    from custkit.config import ShopConfig
    from custkit.simulate import population
    from custkit.simulate.blocks import NAME_POOL_SEED, NAME_POOL_SIZE
    from custkit.simulate.locales import (company_pool, get_locale, make_emails, make_phones, people_pool,
                                          sample_names)

    cfg = ShopConfig(n_customers=n)
    # From here on, including the Faker name pool (built once per process, not cached yet).
    start, cpu = time.perf_counter(), time.process_time()
    rng = np.random.default_rng(0)
    loc = get_locale(cfg.locale)
    tr = population.draw_traits(cfg, rng, n, cfg.end, loc.usd_rate, len(loc.occupations))
    ids = np.arange(1, n + 1)
    gender = np.where(tr["gender"], "female", "male").astype(object)
    names, latin = sample_names(rng, people_pool(cfg.locale, NAME_POOL_SEED, NAME_POOL_SIZE), gender)
    city = rng.choice(len(loc.cities), size=n, p=loc.cities["weight"].to_numpy())
    companies = company_pool(cfg.locale, NAME_POOL_SEED, 200)
    birth = population.birth_dates(rng, tr["age"], cfg.end)
    df = pd.DataFrame({
        "customer_id": ids,
        "name": names,
        "email": make_emails(rng, latin, ids),
        "phone": make_phones(rng, cfg.locale, n),
        "gender": gender,
        "birth_date": birth,
        "city": loc.cities["city"].to_numpy(object)[city],
        "province": loc.cities["province"].to_numpy(object)[city],
        "occupation": np.array(loc.occupations, dtype=object)[tr["occupation"]],
        "company": np.where(tr["account_type"] == 1, companies[rng.integers(0, len(companies), n)], None),
    })
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "rows": len(df), "peak_mb": _peak_mb()}


def _child_faker(n: int) -> dict:
    import random

    from faker import Faker

    fake = Faker("en_US")
    Faker.seed(0)
    random.seed(0)
    start, cpu = time.perf_counter(), time.process_time()
    rows = []
    for i in range(n):
        female = random.random() < 0.5
        rows.append({
            "customer_id": i + 1,
            "name": fake.name_female() if female else fake.name_male(),
            "email": fake.email(),
            "phone": fake.phone_number(),
            "gender": "female" if female else "male",
            "birth_date": fake.date_of_birth(minimum_age=18, maximum_age=85),
            "city": fake.city(),
            "province": fake.state(),
            "occupation": fake.job(),
            "company": fake.company() if random.random() < 0.05 else None,
        })
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "rows": len(rows), "peak_mb": _peak_mb()}


def _run_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark case {args} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-large", action="store_true", help="leave out the 100,000-customer shop")
    parser.add_argument("--faker-rows", type=int, default=2000, help="rows of the Faker loop (default 2000)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, value = args.child
        result = {"generate": _child_generate, "customers": _child_customers, "faker": _child_faker}[kind](
            value if kind == "generate" else int(value))
        print(json.dumps(result))
        return 0

    results, verdicts = {}, []
    # CPU seconds beside wall seconds: on a busy machine wall time grows, CPU time much less.
    print(f"{'case':<12} {'wall s':>8} {'cpu s':>7} {'rows':>11} {'rows/s':>11} {'peak MB':>8}  target")
    for preset in ("classroom", "large"):
        if preset == "large" and args.skip_large:
            continue
        r = results[preset] = _run_child("generate", preset)
        ok = r["wall"] <= TARGETS[preset]
        verdicts.append(ok)
        print(f"{preset:<12} {r['wall']:8.2f} {r['cpu']:7.2f} {r['rows']:11,} {r['rows'] / r['wall']:11,.0f} {r['peak_mb']:8.0f}  "
              f"<= {TARGETS[preset]:.0f} s: {_verdict(ok)}  ({r['customers']:,} customers)")
    ck = _run_child("customers", str(CUSTOMER_ROWS))
    fk = _run_child("faker", str(args.faker_rows))
    ck_rate, fk_rate = ck["rows"] / ck["wall"], fk["rows"] / fk["wall"]
    for name, r in (("customers", ck), ("faker loop", fk)):
        print(f"{name:<12} {r['wall']:8.2f} {r['cpu']:7.2f} {r['rows']:11,} {r['rows'] / r['wall']:11,.0f} {r['peak_mb']:8.0f}")
    ratio = ck_rate / fk_rate
    verdicts.append(ratio >= RATIO_TARGET)
    print(f"\ncustomer rows per second: custkit {ck_rate:,.0f}, Faker per-row loop {fk_rate:,.0f}; "
          f"ratio {ratio:,.1f} (target >= {RATIO_TARGET:.0f}): {_verdict(ratio >= RATIO_TARGET)}")
    print(f"overall: {_verdict(all(verdicts))}")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
