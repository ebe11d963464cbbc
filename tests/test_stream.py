"""Streamed shops: a partitioned Parquet dataset, made on Dask, equal to the in-memory shop.

The identity tests run a small shop (four blocks) three ways: one local worker, two local workers
(an existing cluster, passed as a ``distributed.Client``), and ``generate()`` in memory. The two
streamed folders must hold byte-identical files; loading either must give the in-memory frames
exactly (values, dtypes, row order, ids).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.errors import ConfigError, CustkitError, DataIntegrityError, OutputExistsError, SchemaError
from custkit.schema import ALL_TABLES, TABLES
from custkit.simulate.stream import global_ids, stream_shop, write_partitioned

SMALL = ck.ShopConfig().replace(n_customers=700, block_size=200, anonymous_visitors=20_000, seed=11)


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def streamed(tmp_path_factory, client) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("stream")
    steps = []
    one = stream_shop(SMALL, root / "one", workers=1, progress=lambda done, total: steps.append((done, total)))
    two = stream_shop(SMALL, root / "two", scheduler=client.scheduler.address)  # as --scheduler ADDRESS
    return {"one": one, "two": two, "steps": steps}


@pytest.fixture(scope="module")
def in_memory() -> ck.Shop:
    return ck.generate(SMALL)


def test_one_and_two_workers_write_byte_identical_files(streamed):
    one, two = all_files(streamed["one"]), all_files(streamed["two"])
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert len([n for n in one if n.startswith("events/")]) == SMALL.n_blocks == 4


def test_the_in_memory_shop_written_by_block_gives_the_same_files(streamed, in_memory, tmp_path):
    folder = write_partitioned(in_memory, tmp_path / "memory")
    one, memory = all_files(streamed["one"]), all_files(folder)
    assert sorted(memory) == sorted(one)
    assert [name for name in one if one[name] != memory[name]] == []


def test_write_partitioned_needs_a_simulated_shop(tmp_path):
    from test_io import tiny_shop

    with pytest.raises(CustkitError, match="needs a simulated shop"):
        write_partitioned(tiny_shop(), tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_a_streamed_shop_loads_into_the_in_memory_shop_exactly(streamed, in_memory):
    got = ck.load_shop(streamed["one"])
    assert list(got.tables) == list(TABLES)
    for name, df in in_memory.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], df, check_exact=True, obj=name)
    pd.testing.assert_frame_equal(got.truth, in_memory.truth, check_exact=True, obj="truth")
    assert got.config == SMALL


def test_every_part_holds_one_blocks_rows_in_ascending_id_order(streamed, in_memory):
    import pyarrow.parquet as pq

    manifest = json.loads((streamed["one"] / "manifest.json").read_text())
    assert manifest["layout"] == "partitioned"
    customers = []
    for k, part in enumerate(manifest["tables"]["orders"]["parts"]):
        ids = pq.read_table(streamed["one"] / "orders" / part["file"], columns=["order_id", "customer_id"])
        assert part["file"] == f"part-{k:05d}.parquet"
        assert np.all(np.diff(ids["order_id"].to_numpy()) > 0)
        # block k holds every n_blocks-th customer in sign-up order
        assert set((ids["customer_id"].to_numpy() - 1) % SMALL.n_blocks) == {k}
        customers.append(ids.num_rows)
    assert sum(customers) == len(in_memory.orders) == manifest["tables"]["orders"]["rows"]
    for name in ("products", "campaigns", "marketing_spend"):
        assert len(manifest["tables"][name]["parts"]) == 1


def test_the_manifest_checksums_every_part_and_each_table(streamed):
    folder = streamed["one"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["tables"]) == set(ALL_TABLES)
    for name, entry in manifest["tables"].items():
        lines = ""
        for part in entry["parts"]:
            data = (folder / name / part["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == part["sha256"]
            lines += f"{part['sha256']}  {part['file']}\n"
        assert hashlib.sha256(lines.encode()).hexdigest() == entry["sha256"]
    assert not list(folder.parent.glob(".one.*")), "no temporary sibling is left behind"
    assert not (folder / ".scratch").exists()


def test_progress_counts_two_steps_per_block_and_one_for_the_global_tables(streamed):
    total = 2 * SMALL.n_blocks + 1
    assert streamed["steps"] == [(i, total) for i in range(1, total + 1)]


def test_reading_only_some_tables_and_columns(streamed, in_memory):
    cols = ["order_date", "customer_id", "net"]
    got = ck.load_shop(streamed["two"], columns={"orders": cols}, tables=["customers"])
    assert list(got.tables) == ["customers", "orders"] and got.truth is None
    pd.testing.assert_frame_equal(got.orders, in_memory.orders[["customer_id", "order_date", "net"]], check_exact=True)
    pd.testing.assert_frame_equal(got.customers, in_memory.customers, check_exact=True)
    with pytest.raises(CustkitError, match=r"no 'events' table.*add 'events'"):
        got.events
    with pytest.raises(SchemaError, match=r"no column\(s\) \['nett'\]"):
        ck.load_shop(streamed["two"], columns={"orders": ["nett"]})
    with pytest.raises(CustkitError, match="unknown table"):
        ck.load_shop(streamed["two"], tables=["order"])


def test_the_same_selection_works_on_a_csv_folder(tmp_path, in_memory):
    in_memory.write(tmp_path / "csv")
    got = ck.load_shop(tmp_path / "csv", columns={"sessions": ["session_id", "channel"]})
    assert list(got.tables) == ["sessions"]
    pd.testing.assert_frame_equal(got.sessions, in_memory.sessions[["session_id", "channel"]])


def test_an_edited_or_missing_part_is_named(streamed, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(streamed["one"], copy)
    part = copy / "events" / "part-00002.parquet"
    part.write_bytes(part.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(DataIntegrityError, match="part-00002.parquet was changed"):
        ck.load_shop(copy)
    ck.load_shop(copy, tables=["orders"])  # a table that was not touched still loads
    part.unlink()
    with pytest.raises(DataIntegrityError, match="part-00002.parquet is listed in manifest.json but missing"):
        ck.load_shop(copy, tables=["events"])


def test_a_persian_shop_streams_with_its_jalali_columns(tmp_path, client):
    cfg = SMALL.replace(locale="fa_IR", n_customers=400, anonymous_visitors=4000)
    got = ck.load_shop(stream_shop(cfg, tmp_path / "fa", scheduler=client))
    want = ck.generate(cfg)
    assert "order_date_jalali" in got.orders.columns
    for name, df in want.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], df, check_exact=True, obj=name)


def test_an_interrupted_run_leaves_no_dataset_and_no_scratch(tmp_path, client):
    def interrupt(done, total):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        stream_shop(SMALL, tmp_path / "cut", scheduler=client, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_refused_before_any_work(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(OutputExistsError, match="already exists"):
        stream_shop(SMALL, tmp_path / "taken")
    with pytest.raises(OutputExistsError, match="not a shop folder"):
        stream_shop(SMALL, tmp_path / "taken", overwrite=True)
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("kwargs, error, message", [
    ({"workers": 0}, CustkitError, "workers must be a whole number of at least 1"),
    ({"workers": 1.5}, CustkitError, "workers must be a whole number"),
    ({"scheduler": 8786}, CustkitError, "scheduler must be a Dask scheduler address"),
    ({"progress": "yes"}, CustkitError, "progress must be a function"),
])
def test_bad_arguments_are_named(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        stream_shop(SMALL, tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


def test_an_unreachable_scheduler_is_named_with_the_fix(tmp_path, monkeypatch):
    import socket

    import custkit.simulate.stream as stream

    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(stream, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(CustkitError, match=rf"could not reach a Dask scheduler at tcp://127.0.0.1:{port}.*dask scheduler"):
        stream_shop(SMALL, tmp_path / "x", scheduler=f"tcp://127.0.0.1:{port}")
    assert list(tmp_path.iterdir()) == []


def test_a_config_that_is_not_a_shopconfig_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="needs a ShopConfig"):
        stream_shop({"n_customers": 10}, tmp_path / "x")


def test_global_ids_rank_by_time_then_block_then_local_id():
    # block 0: times 1, 5, 9; block 1: times 1, 5 (within a block, local ids are in time order)
    blocks = [
        {"times": {"orders": np.array([1, 5, 9]), "sessions": np.array([3, 7]), "tickets": np.array([], np.int64),
                   "surveys": np.array([2])},
         "events_per_session": np.array([2, 1])},
        {"times": {"orders": np.array([1, 5]), "sessions": np.array([3]), "tickets": np.array([4]),
                   "surveys": np.array([2])},
         "events_per_session": np.array([3])},
    ]
    maps = global_ids(blocks)
    # orders by time: b0#1 (1), b1#1 (1), b0#2 (5), b1#2 (5), b0#3 (9)
    assert maps[0]["orders"].tolist() == [1, 3, 5] and maps[1]["orders"].tolist() == [2, 4]
    # sessions: b0#1 (3), b1#1 (3), b0#2 (7); events go visit by visit in that order
    assert maps[0]["sessions"].tolist() == [1, 3] and maps[1]["sessions"].tolist() == [2]
    assert maps[0]["events"].tolist() == [1, 6] and maps[1]["events"].tolist() == [3]
    assert maps[0]["tickets"].tolist() == [] and maps[1]["tickets"].tolist() == [1]
    assert maps[0]["surveys"].tolist() == [1] and maps[1]["surveys"].tolist() == [2]
    assert blocks[0]["times"] == {} and blocks[1]["times"] == {}  # consumed, to free the client's memory
    blocks[0]["times"] = {"orders": np.array([5, 1, 9])}
    blocks[1]["times"] = {"orders": np.array([1, 5])}
    with pytest.raises(CustkitError, match="block 0's orders are not in time order"):
        global_ids(blocks)


def test_the_command_line_streams_parquet_and_checks_it(tmp_path):
    out = tmp_path / "big"
    run = subprocess.run([sys.executable, "-m", "custkit.cli", "generate", "--customers", "300", "--seed", "3",
                          "--format", "parquet", "--workers", "1", "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "events" in run.stdout and (out / "events" / "part-00000.parquet").is_file()
    check = subprocess.run([sys.executable, "-m", "custkit.cli", "check", str(out)],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("OK:")
    bad = subprocess.run([sys.executable, "-m", "custkit.cli", "generate", "--workers", "2", "--out",
                          str(tmp_path / "csv")], capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "add --format parquet" in bad.stderr
    assert not (tmp_path / "csv").exists()


def test_check_folder_reads_footers_not_rows_and_catches_a_wrong_count(streamed, tmp_path):
    import shutil

    from custkit.io import check_folder

    assert check_folder(streamed["one"])["layout"] == "partitioned"
    copy = tmp_path / "copy"
    shutil.copytree(streamed["one"], copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["tables"]["sessions"]["parts"][1]["rows"] += 1  # consistent with the table's count:
    manifest["tables"]["sessions"]["rows"] += 1              # only the part's footer tells
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DataIntegrityError, match=r"part-00001.parquet holds \d+ rows, manifest.json says"):
        check_folder(copy)


def test_a_cluster_started_with_the_dask_commands_writes_the_same_files(streamed, tmp_path):
    """The existing-cluster case as a researcher meets it: `dask scheduler` and `dask worker`
    started by hand (here as subprocesses), the run given only the scheduler's address."""
    import time

    dask_cli = Path(sys.executable).parent / "dask"
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([str(dask_cli), "scheduler", "--port", "0", "--dashboard-address", ":0",
                               "--scheduler-file", str(info)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        procs.append(subprocess.Popen([str(dask_cli), "worker", "--scheduler-file", str(info), "--nworkers", "2",
                                       "--nthreads", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        address = json.loads(info.read_text())["address"]
        from distributed import Client

        with Client(address, timeout="60s") as c:
            c.wait_for_workers(2, timeout=60)
        out = stream_shop(SMALL, tmp_path / "cluster", scheduler=address)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=60)
    assert all_files(out) == all_files(streamed["one"])


def test_ctrl_c_during_a_streamed_run_leaves_no_dataset_and_no_process(tmp_path):
    """Ctrl-C in a terminal: SIGINT to the whole process group (the command and its Dask workers)."""
    import os
    import signal
    import time

    import psutil

    out = tmp_path / "big"
    proc = subprocess.Popen([sys.executable, "-m", "custkit.cli", "generate", "--customers", "60000",
                             "--format", "parquet", "--workers", "2", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not list(tmp_path.glob(".big.writing-*/customers/part-*")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        assert list(tmp_path.glob(".big.writing-*/customers/part-*")), "the run never started writing"
        group = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "custkit: interrupted; nothing was written." in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
    time.sleep(2)
    assert [pid for pid in group if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"] == []


@pytest.mark.parametrize("changes", [
    # a block with visits but no orders (found in review: its missing sessions.order_id were looked up)
    {"n_customers": 101, "block_size": 100, "anonymous_visitors": 5000, "seed": 0, "growth_per_year": -0.9},
    # no account exported and no anonymous visitor: a shop without a single visit (generate raised)
    {"n_customers": 10, "block_size": 100, "anonymous_visitors": 0, "seed": 25, "growth_per_year": 5.0},
])
def test_nearly_empty_blocks_stream_like_generate(tmp_path, client, changes):
    cfg = ck.ShopConfig().replace(history_years=10.0, start_date="2024-03-01", end_date="2024-03-29", **changes)
    want = ck.generate(cfg)
    got = ck.load_shop(stream_shop(cfg, tmp_path / "s", scheduler=client))
    for name, df in want.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], df, check_exact=True, obj=name)


def test_a_worker_that_dies_is_a_custkit_error_and_leaves_nothing(tmp_path):
    import os

    import dask
    from distributed import Client, LocalCluster

    cfg = ck.ShopConfig().replace(n_customers=4000, block_size=500, anonymous_visitors=20_000)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster, Client(cluster) as c:
        def kill_workers(done, total):  # as the system's out-of-memory killer would
            if done == 1:
                for pid in c.run(os.getpid).values():
                    os.kill(pid, 9)

        with pytest.raises(CustkitError, match=r"a Dask worker died while \w+ block \d+.*fewer workers"):
            stream_shop(cfg, tmp_path / "x", scheduler=c, progress=kill_workers)
    assert list(tmp_path.iterdir()) == []


def test_an_address_that_is_not_a_scheduler_fails_within_the_deadline(tmp_path, monkeypatch):
    import socket
    import time

    import custkit.simulate.stream as stream

    with socket.socket() as server:  # accepts connections and never says a word (as a dashboard port might)
        server.bind(("127.0.0.1", 0))
        server.listen()
        monkeypatch.setattr(stream, "CONNECT_TIMEOUT", "1s")
        start = time.monotonic()
        with pytest.raises(CustkitError, match="could not reach a Dask scheduler.*not the dashboard's 8787"):
            stream_shop(SMALL, tmp_path / "x", scheduler=f"tcp://127.0.0.1:{server.getsockname()[1]}")
        assert time.monotonic() - start < 30
    assert list(tmp_path.iterdir()) == []


def test_overwrite_refuses_a_users_file_inside_a_table_folder(streamed, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(streamed["one"], copy)
    (copy / "orders" / "my_notes.txt").write_text("mine")
    with pytest.raises(OutputExistsError, match=r"does not list: \['orders/my_notes.txt'\]"):
        stream_shop(SMALL, copy, overwrite=True)
    with pytest.raises(OutputExistsError, match="orders/my_notes.txt"):
        ck.generate(SMALL.replace(n_customers=100)).write(copy, overwrite=True)
    assert (copy / "orders" / "my_notes.txt").read_text() == "mine"


@pytest.mark.parametrize("edit, error, message", [
    (lambda m: m["tables"]["orders"].update(parts=None), DataIntegrityError, "lists its parts wrongly"),
    (lambda m: m["tables"]["orders"].update(columns="order_id"), DataIntegrityError, "not a list of its column names"),
    (lambda m: m["tables"]["orders"]["columns"].remove("net"), SchemaError, r"missing column\(s\) \['net'\]"),
    (lambda m: m["tables"]["orders"].update(rows=m["tables"]["orders"]["rows"] + 1), DataIntegrityError,
     r"parts of 'orders' hold \d+ rows but the table"),
    (lambda m: (m["tables"]["orders"]["parts"].pop(),
                m["tables"]["orders"].update(rows=sum(p["rows"] for p in m["tables"]["orders"]["parts"]))),
     DataIntegrityError, "not those the shop was written with"),
])
def test_a_hand_edited_manifest_is_named_by_load_and_check(streamed, tmp_path, edit, error, message):
    import shutil

    from custkit.io import check_folder

    copy = tmp_path / "copy"
    shutil.copytree(streamed["one"], copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    edit(manifest)
    (copy / "manifest.json").write_text(json.dumps(manifest))
    for read in (ck.load_shop, check_folder):
        with pytest.raises(error, match=message):
            read(copy)


def test_write_partitioned_refuses_a_shop_changed_after_generation(in_memory, tmp_path):
    from custkit.shop import Shop

    orders = in_memory.orders[in_memory.orders["status"] != "cancelled"].reset_index(drop=True)
    changed = Shop(tables={**in_memory.tables, "orders": orders}, truth=in_memory.truth, config=in_memory.config)
    with pytest.raises(CustkitError, match=r"orders.order_id is not 1..\d+.*shop.write\(path, format='parquet'\)"):
        write_partitioned(changed, tmp_path / "x")
    other = Shop(tables=in_memory.tables, truth=in_memory.truth, config=SMALL.replace(n_customers=100))
    with pytest.raises(CustkitError, match=r"customers.customer_id holds ids outside 1..100"):
        write_partitioned(other, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_load_arguments_of_other_shapes(streamed):
    from custkit.io import check_folder

    got = ck.load_shop(streamed["one"], columns={"orders": pd.Index(["customer_id", "net"])})
    assert list(got.orders.columns) == ["customer_id", "net"]
    with pytest.raises(CustkitError, match="tables must be a list of table names"):
        ck.load_shop(streamed["one"], tables=[["orders"]])
    with pytest.raises(CustkitError, match="check_folder needs a folder path"):
        check_folder(5)
    no_truth = ck.load_shop(streamed["one"], tables=["orders", "customers"])
    with pytest.raises(CustkitError, match="add 'truth' to load_shop's tables"):
        ck.segmentation.simulate_campaign(no_truth, no_truth.customers["customer_id"].head(5),
                                          ck.segmentation.Offer())
