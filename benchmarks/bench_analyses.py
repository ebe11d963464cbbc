"""Analysis benchmark: wall time of the kit's analyses on a large synthetic log, and what they recover.

Run with ``.venv/bin/python benchmarks/bench_analyses.py [--customers N] [--only NAME ...]``. Not a
test (pytest does not collect it): timings depend on the machine and its load, and nothing is
asserted; the recovered parameters are printed next to the true ones.

The data: a seeded BG/NBD process (Fader, Hardie and Lee 2005) for 100,000 customers whose first
purchases are spread over 12 weeks, observed for 52 weeks, with Gamma-Gamma spends. Each case is a
named function in ``CASES`` taking the shared context dict (add cases for other analyses there).

``--classroom`` runs the same cases on the committed classroom shop's purchases. Targets:
``customer_summary``, the cohort table, RFM and the BG/NBD fit take seconds, not minutes. Wall and CPU time are
both printed: on a shared machine the wall time can be several times the CPU time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

TRUE_BGNBD = {"r": 0.5, "alpha": 5.0, "a": 0.8, "b": 2.5}  # alpha per week
TRUE_SPEND = {"p": 4.0, "q": 3.0, "v": 60.0}
AS_OF = pd.Timestamp("2025-12-31")
START = AS_OF - pd.Timedelta(weeks=52)


def synthetic_log(n: int, seed: int = 2026) -> pd.DataFrame:
    """Transactions of ``n`` customers from a BG/NBD purchase process and Gamma-Gamma spends."""
    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUE_BGNBD.values()
    p, q, v = TRUE_SPEND.values()
    lam = rng.gamma(r, 1 / alpha, n)  # purchases per week while alive
    drop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1 / v, n)
    first = rng.uniform(0, 12, n)  # week of the first purchase
    customers = [np.arange(n)]
    weeks = [first]
    t = first.copy()
    active = np.ones(n, dtype=bool)
    while active.any():
        t[active] += rng.exponential(1 / lam[active])
        bought = active & (t <= 52)
        customers.append(np.flatnonzero(bought))
        weeks.append(t[bought])
        active = bought & (rng.random(n) >= drop)
    who = np.concatenate(customers)
    when = np.concatenate(weeks)
    seconds = np.round(when * 7 * 86400).astype("int64")
    return pd.DataFrame(
        {
            "customer_id": who + 1,
            "order_date": (START + pd.to_timedelta(seconds, unit="s")).astype("datetime64[s]"),
            "net": np.round(rng.gamma(p, 1 / nu[who]), 2),
        }
    )


def case_cohort_table(ctx: dict) -> str:
    from custkit.retention import cohort_table

    table = cohort_table(ctx["log"], as_of=ctx["as_of"], freq="M", revenue="net")
    return f"{table['cohort'].nunique()} monthly cohorts, {len(table):,} cohort-period rows"


def case_rfm(ctx: dict) -> str:
    from custkit.segmentation import rfm_scores, rfm_segments, rfm_table

    segments = rfm_segments(rfm_scores(rfm_table(ctx["log"], ctx["as_of"], value="net")))
    return f"{len(segments):,} buyers scored"


def case_customer_summary(ctx: dict) -> str:
    from custkit.transactions import customer_summary

    ctx["summary"] = customer_summary(ctx["log"], as_of=ctx["as_of"], freq="W")
    s = ctx["summary"]
    return f"{len(s):,} customers, {int((s['frequency'] == 0).sum()):,} without repeat purchase"


def case_bgnbd_fit(ctx: dict) -> str:
    from custkit.retention.models import BetaGeoNBD

    model = BetaGeoNBD().fit(ctx["summary"])
    ctx["bgnbd"] = model
    got = ", ".join(f"{k}={model.params_[k]:.3f}" + (f" (true {v})" if ctx["synthetic"] else "")
                    for k, v in TRUE_BGNBD.items())
    return f"{got}; LL {model.log_likelihood_:,.1f}"


def case_gamma_gamma_fit(ctx: dict) -> str:
    from custkit.retention.models import GammaGamma

    model = GammaGamma().fit(ctx["summary"])
    ctx["gamma_gamma"] = model
    return ", ".join(f"{k}={model.params_[k]:.3f}" + (f" (true {v})" if ctx["synthetic"] else "")
                     for k, v in TRUE_SPEND.items())


def case_clv(ctx: dict) -> str:
    from custkit.retention.models import customer_lifetime_value

    clv = customer_lifetime_value(ctx["bgnbd"], ctx["gamma_gamma"], ctx["summary"], horizon_months=12)
    return f"mean 12-month CLV {clv['clv'].mean():,.2f}"


CASES: list[tuple[str, Callable[[dict], str]]] = [
    ("cohort_table", case_cohort_table),
    ("rfm", case_rfm),
    ("customer_summary", case_customer_summary),
    ("bgnbd_fit", case_bgnbd_fit),
    ("gamma_gamma_fit", case_gamma_gamma_fit),
    ("clv_12_months", case_clv),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--classroom", action="store_true",
                        help="run on the committed classroom shop's purchases instead of the synthetic log")
    parser.add_argument(
        "--only", nargs="*",
        help="names of the cases to run (default: all); a case needs the earlier ones it builds on",
    )
    args = parser.parse_args(argv)
    print(f"{'case':<18} {'wall':>8} {'cpu':>8}  result")
    t0, c0 = time.perf_counter(), time.process_time()
    if args.classroom:
        import custkit as ck

        shop = ck.load_shop()
        orders = shop.orders
        purchases = orders[(orders["status"] != "cancelled") & (orders["transaction_type"] != "C2B")]
        ctx = {"log": purchases[["customer_id", "order_date", "net"]].reset_index(drop=True),
               "as_of": shop.config.end, "synthetic": False}
        label = "classroom shop"
    else:
        ctx = {"log": synthetic_log(args.customers), "as_of": AS_OF, "synthetic": True}
        label = "synthetic log"
    print(f"{label:<18} {time.perf_counter() - t0:7.2f}s {time.process_time() - c0:7.2f}s  "
          f"{len(ctx['log']):,} transactions of {ctx['log']['customer_id'].nunique():,} customers")
    for name, case in CASES:
        if args.only and name not in args.only:
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        note = case(ctx)
        print(f"{name:<18} {time.perf_counter() - t0:7.2f}s {time.process_time() - c0:7.2f}s  {note}")


if __name__ == "__main__":
    main()
