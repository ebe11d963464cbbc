"""Scale benchmark: a streamed shop of 100,000 and 1,000,000 customers on 1 and 2 Dask workers,
then the per-customer summary, RFM and a BG/NBD fit read from the 1M-customer dataset.

Run with ``.venv/bin/python benchmarks/bench_scale.py [--verify]`` (about twelve minutes on two
cores, one more with ``--verify``; about 15 GB of temporary disk). Not a test: timings depend on
the machine and its load. ``--verify`` also makes the smallest shop in memory with ``generate()``,
writes it by block (``write_partitioned``) and compares every file with the streamed ones.

The shops are ``ShopConfig.preset("large")`` (100,000 customers, 3.5 million anonymous visitors)
and ``ShopConfig.preset("large").with_customers(1_000_000)`` (35 million anonymous visitors: as in
every preset 35 per account, so that the web funnel keeps its published magnitudes), each
streamed by ``custkit.simulate.stream.stream_shop`` into a partitioned Parquet dataset.

Every case runs in a fresh subprocess. Measured, for the whole process tree (the client, Dask's
scheduler, nannies and workers):

* wall time, and CPU time (user + system) of the tree: ``RUSAGE_CHILDREN`` of this process, which
  holds every reaped descendant (each nanny reaps its worker, the client its nannies);
* peak memory: the largest sum of the resident sets of all processes of the tree, sampled every
  50 ms with psutil (a process's RSS counts the pages it shares with others, so the sum slightly
  overstates it);
* rows written per second (all tables, truth included) and wall time per 1,000 customers.

Targets (issue 13): at least 1 million rows a second and at most 4 GB of memory at 1M customers;
time per customer at 1M no worse than at 100k; the analyses at 1M in 30 s or less and 4 GB or less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_ROWS_PER_S = 1_000_000
TARGET_PEAK_GB = 4.0
TARGET_ANALYSIS_S = 30.0
ORDER_COLUMNS = ["customer_id", "order_date", "transaction_type", "status", "net"]


def _config(customers: int):
    from custkit.config import ShopConfig

    return ShopConfig.preset("large").with_customers(customers)


# ------------------------------------------------------------------------------------ children
def child_stream(customers: int, workers: int, out: str) -> dict:
    from custkit.simulate.stream import stream_shop

    cfg = _config(customers)
    start = time.perf_counter()
    stream_shop(cfg, out, workers=workers)
    wall = time.perf_counter() - start
    manifest = json.loads((Path(out) / "manifest.json").read_text())
    rows = {name: entry["rows"] for name, entry in manifest["tables"].items()}
    size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    return {"wall": wall, "rows": sum(rows.values()), "tables": rows, "bytes": size,
            "customers": rows["customers"]}


def child_verify(customers: int, streamed: str, out: str) -> dict:
    """generate() in memory, written by block (write_partitioned), against the streamed files."""
    from custkit.simulate import generate
    from custkit.simulate.stream import write_partitioned

    start = time.perf_counter()
    shop = generate(_config(customers))
    generated = time.perf_counter() - start
    write_partitioned(shop, out)
    wall = time.perf_counter() - start
    files = sum(1 for p in Path(streamed).rglob("*") if p.is_file())
    return {"wall": wall, "generate": generated, "files": files, "differ": differing_files(Path(streamed), Path(out))}


def differing_files(a: Path, b: Path) -> list[str]:
    """Relative names of the files that are in only one of two folders or differ in a byte."""
    names_a = {str(p.relative_to(a)) for p in a.rglob("*") if p.is_file()}
    names_b = {str(p.relative_to(b)) for p in b.rglob("*") if p.is_file()}
    return sorted((names_a ^ names_b) | {n for n in names_a & names_b
                                         if (a / n).read_bytes() != (b / n).read_bytes()})


def child_analyse(folder: str) -> dict:
    import custkit as ck
    from custkit.purchases import purchase_mask
    from custkit.retention.models import BetaGeoNBD
    from custkit.segmentation import rfm_scores, rfm_segments, rfm_table
    from custkit.transactions import customer_summary

    times = {}
    start = t = time.perf_counter()
    shop = ck.load_shop(folder, columns={"orders": ORDER_COLUMNS})
    orders = shop.orders
    log = orders.loc[purchase_mask(orders), ["customer_id", "order_date", "net"]].reset_index(drop=True)
    times["read orders (5 columns)"] = time.perf_counter() - t
    t = time.perf_counter()
    summary = customer_summary(log, as_of=shop.end, freq="W")
    times["customer_summary"] = time.perf_counter() - t
    t = time.perf_counter()
    segments = rfm_segments(rfm_scores(rfm_table(log, shop.end, value="net")))
    times["rfm"] = time.perf_counter() - t
    t = time.perf_counter()
    model = BetaGeoNBD().fit(summary)
    times["bgnbd_fit"] = time.perf_counter() - t
    return {"wall": time.perf_counter() - start, "times": times, "orders": len(orders), "purchases": len(log),
            "customers": len(summary), "buyers_scored": len(segments),
            "params": {k: round(float(v), 4) for k, v in model.params_.items()}}


# ------------------------------------------------------------------------------------ parent
def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(args: list[str]) -> dict:
    """Run this script with ``args`` in a subprocess; its JSON result plus the tree's figures."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"case {args} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(process_wall=wall, peak_gb=peak[0] / 1e9,
                  cpu=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return result


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], metavar="N")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], metavar="W")
    parser.add_argument("--scratch", type=Path, default=None, help="where the shops are written (default: a temp dir)")
    parser.add_argument("--skip-analysis", action="store_true")
    parser.add_argument("--verify", action="store_true",
                        help="also make the smallest shop in memory (generate) and compare its files, "
                             "written by block, with the streamed ones byte for byte")
    parser.add_argument("--child-stream", nargs=3, metavar=("N", "W", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-analyse", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--child-verify", nargs=3, metavar=("N", "STREAMED", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_stream:
        n, w, out = args.child_stream
        print(json.dumps(child_stream(int(n), int(w), out)))
        return 0
    if args.child_verify:
        n, streamed, out = args.child_verify
        print(json.dumps(child_verify(int(n), streamed, out)))
        return 0
    if args.child_analyse:
        print(json.dumps(child_analyse(args.child_analyse)))
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="custkit-bench-scale-", dir=args.scratch))
    print(f"{os.cpu_count()} cores; shops written under {scratch}\n")
    header = (f"{'customers':>10} {'workers':>7} {'rows':>11} {'wall s':>7} {'cpu s':>7} {'peak GB':>7} "
              f"{'rows/s':>10} {'s/1k cust':>9}")
    print(header)
    results = {}
    try:
        for n in args.sizes:
            for w in args.workers:
                out = scratch / f"shop-{n}-{w}"
                r = measure(["--child-stream", str(n), str(w), str(out)])
                r["rows_per_s"] = r["rows"] / r["wall"]
                r["s_per_1k"] = r["wall"] / n * 1000
                results[(n, w)] = r
                print(f"{n:>10,} {w:>7} {r['rows']:>11,} {r['wall']:>7.1f} {r['cpu']:>7.1f} {r['peak_gb']:>7.2f} "
                      f"{r['rows_per_s']:>10,.0f} {r['s_per_1k']:>9.3f}", flush=True)
        big, most = max(args.sizes), max(args.workers)
        small = min(args.sizes)
        if len(args.workers) > 1:
            print()
            for n in args.sizes:
                first = scratch / f"shop-{n}-{args.workers[0]}"
                same = all(differing_files(first, scratch / f"shop-{n}-{w}") == [] for w in args.workers[1:])
                print(f"{n:,} customers: files on {' and '.join(map(str, args.workers))} workers byte-identical: {same}")
        best = results[(big, most)]
        print(f"\n{big:,} customers, {most} workers: {best['rows_per_s']:,.0f} rows/s "
              f"(target >= {TARGET_ROWS_PER_S:,}): {verdict(best['rows_per_s'] >= TARGET_ROWS_PER_S)}")
        print(f"peak memory of the process tree {best['peak_gb']:.2f} GB (target <= {TARGET_PEAK_GB} GB): "
              f"{verdict(best['peak_gb'] <= TARGET_PEAK_GB)}")
        if small != big:
            ratio = best["s_per_1k"] / results[(small, most)]["s_per_1k"]
            print(f"time per customer at {big:,} / at {small:,}: {ratio:.2f} (target <= 1): {verdict(ratio <= 1)}")
        if len(args.workers) > 1:
            one = results[(big, min(args.workers))]
            print(f"speed-up of {most} workers over {min(args.workers)} at {big:,}: {one['wall'] / best['wall']:.2f}x")
        if args.verify:
            v = measure(["--child-verify", str(small), str(scratch / f"shop-{small}-{most}"),
                         str(scratch / f"memory-{small}")])
            print(f"\nin memory, {small:,} customers: generate() {v['generate']:.1f} s, written by block "
                  f"{v['wall']:.1f} s in all, peak {v['peak_gb']:.2f} GB; {v['files'] - len(v['differ'])} of "
                  f"{v['files']} files byte-identical to the streamed ones"
                  + (f"; DIFFERENT: {v['differ'][:5]}" if v["differ"] else ""))
        if not args.skip_analysis:
            a = measure(["--child-analyse", str(scratch / f"shop-{big}-{most}")])
            print(f"\nAnalyses of the {big:,}-customer dataset ({a['orders']:,} orders, {a['purchases']:,} purchases, "
                  f"{a['customers']:,} buyers), one process:")
            for name, secs in a["times"].items():
                print(f"  {name:<24} {secs:6.1f} s")
            print(f"  {'total':<24} {a['wall']:6.1f} s, peak {a['peak_gb']:.2f} GB; BG/NBD {a['params']}")
            print(f"time {a['wall']:.1f} s (target <= {TARGET_ANALYSIS_S:.0f} s): {verdict(a['wall'] <= TARGET_ANALYSIS_S)}; "
                  f"memory {a['peak_gb']:.2f} GB (target <= {TARGET_PEAK_GB} GB): {verdict(a['peak_gb'] <= TARGET_PEAK_GB)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
