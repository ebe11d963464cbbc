"""Stream a large shop to a partitioned Parquet dataset, its blocks simulated in parallel on Dask.

:func:`~custkit.simulate.generate` holds the whole shop in memory and assembles it at the end,
which is right for a classroom shop and too much for a million customers. :func:`stream_shop`
writes the same shop (the same rows, ids and values) block by block, so that memory stays that
of a few blocks however large the shop grows, and runs the blocks on a Dask cluster: a local one
with a worker per core by default, or one that already exists (``scheduler=``).

The layout (see :mod:`custkit.partitioned`): one folder per table, one Parquet file per block
(``orders/part-00007.parquet`` holds block 7's orders), the global tables (products, campaigns,
marketing_spend) in one part each, and ``manifest.json`` with every part's rows and SHA-256.

Ids. The ids of orders, visits, tickets and surveys are numbered in time order across the whole
shop, as in memory (:func:`~custkit.simulate.blocks.renumber`), so no block can number its rows
alone. Two passes do it without holding the shop:

1. Each worker simulates a block, writes its tables aside (Arrow files with block-local ids, in
   a scratch folder of the output) and returns only its time keys: one timestamp per order,
   visit, ticket and survey, and the number of events of each visit.
2. The client ranks the keys of all blocks (a few bytes per row: 8 million visits take about
   200 MB for a moment) exactly as ``renumber`` does: by time, then block, then local id; events
   by visit, then local id. Each worker then rewrites its block's files with those ids into the
   final parts.

A block's local ids are already in its time order, so every part holds rows in ascending id
order, and reading all parts of a table and sorting by id gives the in-memory table.

Determinism: every part is a function of the config and the block alone (each block draws from
its own seed child), so the files are byte-identical for any number of workers, any scheduling
order and any cluster. Atomicity: everything is written in a hidden sibling folder, moved into
place only when complete; an error or an interrupt (Ctrl-C) deletes it, and a killed run's
leftover is deleted by the next write to the same path.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from custkit._version import __version__
from custkit.config import ShopConfig
from custkit.errors import ConfigError, CustkitError
from custkit.io import folder_aside
from custkit.schema import ALL_TABLES

SCRATCH = ".scratch"
CONNECT_TIMEOUT = "20s"  # to reach an existing scheduler
# Tables whose ids are renumbered across blocks (their block-local files go to the scratch folder
# in pass 1), with the columns that hold their own or another table's ids.
RENUMBERED = ("orders", "order_items", "sessions", "events", "tickets", "surveys")
TIME_KEYS = {"orders": "order_date", "sessions": "start", "tickets": "created", "surveys": "sent_date"}
ID_COLUMNS = {  # table -> [(column, table whose ids it holds)]; "events" ids are numbered by visit
    "orders": [("order_id", "orders"), ("session_id", "sessions")],
    "order_items": [("order_id", "orders")],
    "sessions": [("session_id", "sessions"), ("order_id", "orders")],
    "events": [("event_id", "events"), ("session_id", "sessions")],
    "tickets": [("ticket_id", "tickets"), ("order_id", "orders")],
    "surveys": [("survey_id", "surveys"), ("order_id", "orders")],
}
BLOCK_TABLES = ("customers", "truth")  # ids global already: written as they are made
GLOBAL_TABLES = ("products", "campaigns", "marketing_spend")


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def stream_shop(config: ShopConfig | None, path: str | Path, *, workers: int | None = None,
                scheduler: object = None, overwrite: bool = False,
                progress: Callable[[int, int], object] | None = None) -> Path:
    """Simulate ``config``'s shop straight into a partitioned Parquet dataset at ``path``.

    Parameters
    ----------
    config
        The shop (``None``: the classroom shop). The files hold exactly the rows, ids and values of
        ``generate(config)``; :func:`custkit.load_shop` reads them back into equal frames.
    path
        The folder to create (written aside and moved into place when complete).
    workers
        Size of the local Dask cluster started for the run (one process per worker, one thread
        each). ``None``: one per core. Ignored when ``scheduler`` is given.
    scheduler
        Address of a running Dask scheduler (``"tcp://10.0.0.5:8786"``), or a
        ``distributed.Client``, to run the blocks on an existing cluster. Its workers write the
        parts themselves, so ``path`` must be on a file system every worker sees at the same path.
    overwrite
        Replace ``path`` if it holds a shop (as :func:`custkit.io.write_shop`).
    progress
        Optional ``progress(done, total)``, called as blocks finish on any worker: two steps per
        block (simulate, then write with global ids) and one for the global tables.

    Returns
    -------
    Path
        ``path``, made absolute.

    Notes
    -----
    Peak memory is that of the client (the time keys: about 30 bytes per order, visit, ticket or
    survey) plus one block per worker; time is spread over the workers. The files do not depend on
    the number of workers; ``benchmarks/bench_scale.py`` measures both. :func:`write_partitioned`
    writes ``generate(config)`` in the same files, from memory.
    """
    config = ShopConfig() if config is None else config
    if not isinstance(config, ShopConfig):
        raise ConfigError(f"stream_shop needs a ShopConfig (e.g. ShopConfig.preset('large')), "
                          f"got {type(config).__name__}.")
    if not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"stream_shop needs a folder path (str or Path), got {type(path).__name__}.")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer))
                                or workers < 1):
        raise CustkitError(f"workers must be a whole number of at least 1 (or None: one per core), got {workers!r}.")
    if progress is not None and not callable(progress):
        raise CustkitError(f"progress must be a function progress(done, total) or None, got {progress!r}.")
    path = Path(os.path.abspath(path))  # now: "." names nothing once an old folder is moved away
    with folder_aside(path, overwrite=overwrite) as tmp:
        with _dask_client(workers, scheduler, config.n_blocks) as client, _cluster_errors():
            parts = _run(client, config, tmp, progress)
        _write_manifest(config, parts, tmp)
    return path


@contextlib.contextmanager
def _cluster_errors():
    """The cluster's own failures (a worker killed, by the system's out-of-memory killer say, a
    lost connection, a cancelled task) as CustkitErrors saying what to try."""
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    try:
        yield
    except KilledWorker as exc:
        step, _, block = str(exc.task).rpartition("-")
        what = f"{'simulating' if 'simulate' in step else 'writing'} block {block}" if block.isdigit() else repr(exc.task)
        raise CustkitError(f"a Dask worker died while {what} (often the system stopping a process "
                           f"that ran out of memory); nothing was written. Try fewer workers "
                           f"(--workers) or a smaller block_size.") from None
    except (CommClosedError, asyncio.CancelledError) as exc:
        raise CustkitError(f"the Dask cluster went away during the run ({type(exc).__name__}: {exc}); nothing "
                           f"was written. Check that the scheduler and its workers are still running, then "
                           f"run again.") from None


def write_partitioned(shop, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a simulated shop held in memory in the layout of :func:`stream_shop`, byte for byte.

    Each table's rows are split by the generation block they came from (a customer's rows by
    ``(customer_id - 1) % n_blocks``, an anonymous visitor's visits by the visitor's rank, events
    and order lines with their visit and order), so ``write_partitioned(generate(cfg), path)``
    writes exactly the files of ``stream_shop(cfg, path)``: a way to check the stream, and to give
    a shop made in memory the layout that :func:`custkit.load_shop` reads by column.
    """
    from custkit import io
    from custkit.shop import Shop

    if not isinstance(shop, Shop) or not isinstance(shop.config, ShopConfig) or shop.truth is None:
        raise CustkitError("write_partitioned needs a simulated shop (custkit.generate(cfg)): its blocks come "
                           "from its config. Write any other shop with shop.write(path, format='parquet').")
    frames = io._frames_to_write(shop)
    config = shop.config
    block = _row_blocks(config, frames)
    if not isinstance(path, (str, os.PathLike)):
        raise CustkitError(f"write_partitioned needs a folder path (str or Path), got {type(path).__name__}.")
    path = Path(os.path.abspath(path))
    with folder_aside(path, overwrite=overwrite) as tmp:
        parts = {table: {} for table in ALL_TABLES}
        for table in ALL_TABLES:
            os.mkdir(tmp / table)
            df = frames[table]
            if table in GLOBAL_TABLES:
                parts[table][0] = _write_arrow_part(_arrow(table, df), tmp, table, 0)
                continue
            for k in range(config.n_blocks):
                part = df[block[table] == k].reset_index(drop=True)
                parts[table][k] = _write_arrow_part(_arrow(table, part), tmp, table, k)
        _write_manifest(config, parts, tmp)
    return path


def _row_blocks(config: ShopConfig, frames: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """The generation block of every row of every block table (see :mod:`custkit.simulate.blocks`)."""
    from custkit.simulate.blocks import shared_parts

    nb, n = config.n_blocks, config.n_customers

    def ids(table: str, column: str) -> np.ndarray:
        return frames[table][column].to_numpy(np.int64)

    problems = [f"{t}.{c} is not 1..{len(frames[t])}" for t, c in (("orders", "order_id"), ("sessions", "session_id"))
                if not np.array_equal(ids(t, c), np.arange(1, len(frames[t]) + 1))]
    limits = [("customers", "customer_id", n), ("truth", "customer_id", n), ("orders", "customer_id", n),
              ("tickets", "customer_id", n), ("surveys", "customer_id", n),
              ("sessions", "visitor_id", n + config.anonymous_visitors),
              ("order_items", "order_id", len(frames["orders"])), ("events", "session_id", len(frames["sessions"]))]
    problems += [f"{t}.{c} holds ids outside 1..{top}" for t, c, top in limits
                 if len(frames[t]) and (ids(t, c).min() < 1 or ids(t, c).max() > top)]
    if problems:
        raise CustkitError(f"write_partitioned needs the shop as generate(shop.config) made it, and here "
                           f"{'; '.join(problems)} (rows were removed, or the config was replaced). Write a "
                           f"changed shop with shop.write(path, format='parquet').")
    by_customer = {t: (frames[t]["customer_id"].to_numpy(np.int64) - 1) % nb
                   for t in ("customers", "truth", "orders", "tickets", "surveys")}
    rank = np.empty(n + config.anonymous_visitors, dtype=np.int64)
    rank[shared_parts(config).visitor_id - 1] = np.arange(len(rank))
    visit_rank = rank[frames["sessions"]["visitor_id"].to_numpy(np.int64) - 1]
    session_block = np.where(visit_rank < n, visit_rank, visit_rank - n) % nb
    order_block = np.zeros(len(frames["orders"]) + 1, dtype=np.int64)
    order_block[frames["orders"]["order_id"].to_numpy(np.int64)] = by_customer["orders"]
    session_of = np.zeros(len(frames["sessions"]) + 1, dtype=np.int64)
    session_of[frames["sessions"]["session_id"].to_numpy(np.int64)] = session_block
    return {**by_customer, "sessions": session_block,
            "order_items": order_block[frames["order_items"]["order_id"].to_numpy(np.int64)],
            "events": session_of[frames["events"]["session_id"].to_numpy(np.int64)]}


def _write_manifest(config: ShopConfig, parts: dict[str, dict[int, dict]], folder: Path) -> None:
    from custkit import io

    manifest = {
        "manifest_version": io.MANIFEST_VERSION,
        "custkit_version": __version__,
        "format": "parquet",
        "layout": "partitioned",
        "config": config.to_dict(),
        "versions": io.library_versions(),
        "tables": {table: _table_entry(table, [parts[table][k] for k in sorted(parts[table])])
                   for table in ALL_TABLES},
    }
    (folder / io.MANIFEST).write_text(io._dump_json(manifest), encoding="utf-8", newline="\n")


@contextlib.contextmanager
def _dask_client(workers: int | None, scheduler: object, n_blocks: int):
    """A ``distributed.Client``: on the given scheduler, or on a local cluster closed afterwards."""
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        if not isinstance(scheduler, str) or not scheduler.strip():
            raise CustkitError(f"scheduler must be a Dask scheduler address like 'tcp://host:8786' (or a "
                               f"distributed.Client), got {scheduler!r}.")
        with _connected(scheduler) as client:
            yield client
        return
    import dask

    n = min(workers or default_workers(), max(n_blocks, 1))
    # Dask's nannies set MALLOC_TRIM_THRESHOLD_ for their workers, which also switches off glibc's
    # adaptive mmap threshold: every large NumPy array is then mapped and unmapped afresh, and at a
    # million customers the page faults took 29 s of system time in 118 s of CPU. Unset here.
    # One thread per worker: the simulation holds the GIL; processes give each block a core.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}), _sigint_ignored():
        try:
            # CRITICAL: a task that fails is reported once, as the error this process raises, not
            # also as a worker's log with its traceback
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.CRITICAL)
        except RuntimeError as exc:
            raise CustkitError(
                f"could not start {n} local Dask worker(s) ({exc}). Worker processes import the script "
                f"that starts them: in a script, call stream_shop under `if __name__ == \"__main__\":`."
            ) from None
    with cluster, Client(cluster) as client:
        yield client


@contextlib.contextmanager
def _connected(address: str):
    """A Client of the scheduler at ``address``, or a CustkitError within ``CONNECT_TIMEOUT``.

    ``Client(timeout=)`` bounds the TCP connection but not the handshake: an address that accepts
    connections but is no scheduler (the dashboard's port 8787 instead of 8786, say) would hang
    for ever. So the client is made in a helper thread, waited for with a deadline of our own.
    """
    import dask
    from distributed import Client

    seconds = dask.utils.parse_timedelta(CONNECT_TIMEOUT)
    made: dict = {}

    def connect():
        try:
            made["client"] = Client(address, timeout=CONNECT_TIMEOUT)
        except BaseException as exc:  # handed to the waiting thread
            made["error"] = exc

    worker = threading.Thread(target=connect, name="custkit-connect", daemon=True)
    worker.start()
    worker.join(seconds + 5)
    if "client" not in made:
        cause = made.get("error") or f"no Dask handshake within {CONNECT_TIMEOUT}: is it the scheduler's port?"
        raise CustkitError(f"could not reach a Dask scheduler at {address} ({cause}); start one with "
                           f"`dask scheduler` and workers with `dask worker {address}` (the scheduler's "
                           f"port, 8786 by default, not the dashboard's 8787), or leave scheduler unset to "
                           f"run on this machine.") from None
    with made["client"] as client:
        yield client


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore SIGINT while the local workers are spawned, so that they inherit the ignoring.

    Ctrl-C in a terminal signals the whole process group: without this, every worker would die
    printing its own traceback while this process cleans up. An ignored signal stays ignored
    across exec, and Python does not install its Ctrl-C handler where SIGINT is ignored at start,
    so the workers leave the interrupt to this process, which closes them. (A Ctrl-C during the
    second or so of the start-up itself is lost.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run(client, config: ShopConfig, tmp: Path, progress) -> dict[str, dict[int, dict]]:
    """Both passes on ``client`` into folder ``tmp``; the manifest entries of every part."""
    from distributed import as_completed

    from custkit.simulate.blocks import catalog_parts, global_tables

    nb = config.n_blocks
    total, done = 2 * nb + 1, 0
    for table in ALL_TABLES:
        os.mkdir(tmp / table)
    os.mkdir(tmp / SCRATCH)
    seen = client.run(os.path.isdir, str(tmp))
    blind = sorted(w for w, ok in seen.items() if not ok)
    if blind:
        raise CustkitError(f"the Dask worker(s) {blind[:3]} cannot see {tmp.parent}; stream_shop's workers "
                           f"write the parts themselves, so the output must be on a file system every "
                           f"worker shares at the same path.")

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    # pass 1: simulate every block; keep only its time keys. Task keys name the run, so that two
    # runs on one cluster never share a result.
    run = tmp.name.rsplit("-", 1)[-1]
    keys, parts = {}, {table: {} for table in ALL_TABLES}
    futures = [client.submit(simulate_block, config, k, str(tmp), key=f"custkit-simulate-{run}-{k}", pure=False)
               for k in range(nb)]
    try:
        for future in as_completed(futures):
            out = future.result()
            future.release()
            keys[out["block"]] = out
            for table, entry in out["parts"].items():
                parts[table][out["block"]] = entry
            step()
        # the whole shop's numbering, then pass 2: every block rewritten with it
        client.run(_release_memory)
        maps = global_ids([keys[k] for k in range(nb)])
        paid_visits = sum(keys[k]["paid_visits"] for k in range(nb))
        del keys
        # each block's ids go to the workers as a file beside its tables, not through the
        # scheduler, which would hold every block's (some 800 MB at a million customers) at once;
        # a block is submitted as soon as its file is written
        futures = []
        for k in range(nb):
            np.savez(_ids_file(tmp, k), **maps[k])
            maps[k] = None
            futures.append(client.submit(write_block, config, k, str(tmp), key=f"custkit-write-{run}-{k}",
                                         pure=False))
        del maps
        # the global tables, while the workers write (they need the whole shop's paid visits)
        locale, products, campaigns = catalog_parts(config)
        shared = SimpleNamespace(locale=locale, products=products, campaigns=campaigns)
        for table, df in global_tables(config, shared, paid_visits).items():
            parts[table][0] = write_part(config, table, df, tmp, 0)
        for future in as_completed(futures):
            out = future.result()
            future.release()
            for table, entry in out["parts"].items():
                parts[table][out["block"]] = entry
            step()
    except BaseException:
        client.cancel(futures)
        raise
    os.rmdir(tmp / SCRATCH)
    step()
    return parts


def _table_entry(table: str, parts: list[dict]) -> dict:
    """A manifest entry of a partitioned table: its folder, rows, columns, its parts, and one
    SHA-256 of the table: of the parts' SHA-256 lines in order (changes when any part changes)."""
    from custkit.partitioned import parts_digest

    return {"file": table, "rows": sum(p["rows"] for p in parts), "columns": parts[0]["columns"],
            "sha256": parts_digest(parts), "parts": [{k: p[k] for k in ("file", "rows", "sha256")} for p in parts]}


# ------------------------------------------------------------------------------ on the workers
@functools.lru_cache(maxsize=2)
def _shared(config: ShopConfig):
    """The global parts of a shop, built once per worker process (about half a second each)."""
    from custkit.simulate.blocks import shared_parts

    return shared_parts(config)


def simulate_block(config: ShopConfig, k: int, folder: str) -> dict:
    """Pass 1 on a worker: simulate block ``k``; write customers and truth as final parts and the
    other tables aside with block-local ids; return the block's time keys and paid visits."""
    from custkit.simulate.blocks import finish_table, generate_block
    from custkit.simulate.spend import paid_visit_counts

    blk = generate_block(config, k, _shared(config))
    folder = Path(folder)
    out = {"block": k, "parts": {}, "times": {}}
    for table, column in TIME_KEYS.items():
        out["times"][table] = _compact_seconds(config, blk[table][column])
    n_sessions = len(blk["sessions"])
    out["events_per_session"] = np.bincount(blk["events"]["session_id"].to_numpy(np.int64),
                                            minlength=n_sessions + 1)[1:].astype(np.int32)
    out["paid_visits"] = paid_visit_counts(config, blk["sessions"])
    for table in BLOCK_TABLES:
        out["parts"][table] = write_part(config, table, blk[table], folder, k)
    for table in RENUMBERED:
        _write_scratch(_arrow(table, finish_table(config, table, blk[table])), folder, table, k)
    return out


def _release_memory() -> None:
    """Hand a worker's freed memory back to the system (glibc's ``malloc_trim``), once pass 1 is done.

    glibc keeps freed heap memory for reuse, so an idle worker would go on holding its last
    block's worth, and the client's ranking between the passes, the memory peak of a large run,
    would come on top of every worker's block. Once, between the passes: after every block it
    cost 10 % more CPU (the next block faults the pages back in). Elsewhere than glibc (macOS,
    musl) it does nothing.
    """
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _compact_seconds(config: ShopConfig, moments: pd.Series) -> np.ndarray:
    """Seconds since the shop opened, as int32 when they fit (68 years; a config allows at most
    ten years of history): half the bytes of the time keys that the client holds for every row."""
    base = np.datetime64(config.opening.date(), "s").astype(np.int64)
    seconds = moments.to_numpy("datetime64[s]").view(np.int64) - base
    fits = len(seconds) == 0 or (seconds.min() >= 0 and seconds.max() < 2**31)
    return seconds.astype(np.int32) if fits else seconds


def global_ids(blocks: list[dict]) -> list[dict[str, np.ndarray]]:
    """Per block, the whole shop's ids of its rows, from every block's time keys (pass 1's output).

    For orders, visits, tickets and surveys: ``ids[local_id - 1]``, ranked by time, then block,
    then local id (as :func:`~custkit.simulate.blocks.renumber`). For events: the shop's id of the
    first event of each of the block's visits (events are numbered visit by visit, in the visits'
    new order, then by local id).

    Consumes each block's ``times`` (they are popped, so that their memory goes as they are ranked).
    Assumes what every block's renumbering makes true: within a block, local ids are in time
    order (times non-decreasing). Then one *stable* sort of all blocks' times, laid end to end in
    block order, breaks ties by block and then by local id, with no other key in memory: at a
    million customers and 35 million visitors this is the peak of the client.
    """
    maps = [{} for _ in blocks]
    for table in TIME_KEYS:
        pieces = [b["times"].pop(table) for b in blocks]  # consumed: the client's memory is freed as it goes
        for k, piece in enumerate(pieces):
            if len(piece) > 1 and (np.diff(piece) < 0).any():
                raise CustkitError(f"block {k}'s {table} are not in time order; global_ids needs each block's "
                                   f"local ids in time order (as blocks.renumber makes them).")
        sizes = np.array([len(p) for p in pieces], dtype=np.int64)
        times = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
        del pieces
        rank = np.argsort(times, kind="stable")  # the blocks are sorted runs: timsort merges them
        del times
        new = np.empty(len(rank), dtype=_id_dtype(len(rank)))
        new[rank] = np.arange(1, len(rank) + 1, dtype=new.dtype)
        del rank
        for k, part in enumerate(np.split(new, np.cumsum(sizes)[:-1])):
            maps[k][table] = part
        del new
    n_events = sum(int(b["events_per_session"].sum(dtype=np.int64)) for b in blocks)
    counts = np.zeros(sum(len(b["events_per_session"]) for b in blocks), dtype=_id_dtype(n_events))
    for k, b in enumerate(blocks):
        counts[maps[k]["sessions"] - 1] = b["events_per_session"]
    np.cumsum(counts, out=counts)  # in place: the last event id of each visit, in new visit order
    for k, b in enumerate(blocks):  # its first: the last minus the visit's events, plus one
        maps[k]["events"] = counts[maps[k]["sessions"] - 1] - b["events_per_session"] + 1
    return maps


def _id_dtype(n: int) -> type:
    """int32 for ids up to two billion (half the client's memory at a million customers), else int64."""
    return np.int32 if n < 2**31 - 1 else np.int64


def write_block(config: ShopConfig, k: int, folder: str) -> dict:
    """Pass 2 on a worker: rewrite block ``k``'s set-aside tables with the shop's ids (the file
    the client wrote from :func:`global_ids`) as final parts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    folder = Path(folder)
    with np.load(_ids_file(folder, k)) as stored:
        ids = {name: stored[name] for name in stored.files}
    _ids_file(folder, k).unlink()
    out = {"block": k, "parts": {}}
    for table in RENUMBERED:
        scratch = _scratch_file(folder, table, k)
        with pa.OSFile(str(scratch), "rb") as fh:
            data = pa.ipc.open_file(fh).read_all()
        for column, target in ID_COLUMNS[table]:
            old = data.column(column)
            missing = old.is_null().to_numpy(zero_copy_only=False) if old.null_count else None
            local = pc.fill_null(old, 1).to_numpy().astype(np.int64) if old.null_count else \
                old.to_numpy().astype(np.int64)
            if target == "events":  # first event of its visit + its place within the visit
                session = data.column("session_id").to_numpy().astype(np.int64)
                per_visit = np.bincount(session, minlength=len(ids["events"]) + 1)[1:]
                local_first = np.r_[0, np.cumsum(per_visit)[:-1]] + 1
                new = ids["events"][session - 1] + (local - local_first[session - 1])
            elif missing is not None:  # a block may have visits but no orders: look up only the ids present
                new = np.zeros(len(local), dtype=np.int64)
                new[~missing] = ids[target][local[~missing] - 1]
            else:
                new = ids[target][local - 1]
            data = data.set_column(data.schema.get_field_index(column), column,
                                   pa.array(new, type=pa.int64(), mask=missing))
        out["parts"][table] = _write_arrow_part(data, folder, table, k)
        scratch.unlink()
    return out


# ------------------------------------------------------------------------------ files
def _arrow(table: str, df: pd.DataFrame):
    """``df`` (conformed) as an Arrow table of one fixed schema per table and config (so every
    part of a table has the same column types, whatever its values)."""
    import pyarrow as pa

    return pa.Table.from_pandas(df, schema=_arrow_schema(table, tuple(df.columns)),
                                preserve_index=False).replace_schema_metadata(None)


@functools.lru_cache(maxsize=64)
def _arrow_schema(table: str, columns: tuple[str, ...]):
    import pyarrow as pa

    from custkit.schema import PANDAS_DTYPE

    empty = pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPE[c.kind]) for c in ALL_TABLES[table]
                          if c.name in columns})
    return pa.Schema.from_pandas(empty, preserve_index=False).remove_metadata()


def write_part(config: ShopConfig, table: str, df: pd.DataFrame, folder: Path, k: int) -> dict:
    """Write one part of ``table`` (finished and conformed here) and return its manifest entry."""
    from custkit.simulate.blocks import finish_table

    return _write_arrow_part(_arrow(table, finish_table(config, table, df)), folder, table, k)


def _write_arrow_part(data, folder: Path, table: str, k: int) -> dict:
    from custkit.io import file_sha256
    from custkit.partitioned import part_name, write_parquet

    file = Path(folder) / table / part_name(k)
    write_parquet(data, file)
    return {"file": file.name, "rows": data.num_rows, "columns": data.column_names, "sha256": file_sha256(file)}


def _ids_file(folder: Path, k: int) -> Path:
    return Path(folder) / SCRATCH / f"ids-{k:05d}.npz"


def _scratch_file(folder: Path, table: str, k: int) -> Path:
    return Path(folder) / SCRATCH / f"{table}-{k:05d}.arrow"


def _write_scratch(data, folder: Path, table: str, k: int) -> None:
    import pyarrow as pa

    # Arrow's own file format with LZ4: read back whole in pass 2 at memory speed.
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(_scratch_file(folder, table, k)), "wb") as fh, \
            pa.ipc.new_file(fh, data.schema, options=options) as writer:
        writer.write_table(data)


__all__ = ["default_workers", "stream_shop", "write_partitioned"]
