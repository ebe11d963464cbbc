"""Shop folders on disk: exact file contents, lossless round trips, atomic writes, clear errors."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custkit.io as ckio
from custkit import CustkitError, Shop
from custkit.errors import DataIntegrityError, OutputError, OutputExistsError, SchemaError
from custkit.io import load_shop, table_filename, write_shop
from custkit.schema import ALL_TABLES, PANDAS_DTYPE, TABLES

# Text that trips naive CSV code: separators, quotes, line breaks, Persian letters, and words
# that pandas would read as missing values by default.
AWKWARD_TEXT = ["plain", 'a "quoted", comma', "two\nlines", "علی کریمی", "NA", "nan", "None", " pad "]
AWKWARD_FLOATS = [0.1, 1 / 3, 1e-300, 123456789.12345679, -2.5, 5e300, 0.0, 2.0**-1074]


def tiny_frame(table: str, n: int = 8, seed: int = 0, *, with_missing: bool = True) -> pd.DataFrame:
    """A small table with the schema's columns and dtypes, awkward values, and missing values."""
    rng = np.random.default_rng(seed)
    data = {}
    for i, col in enumerate(ALL_TABLES[table]):
        missing = with_missing and col.kind in {"Int", "float", "str"} and i % 2 == 0
        if col.kind in {"int", "Int"}:
            values = pd.array(rng.integers(-5, 10**12, n), dtype=PANDAS_DTYPE[col.kind])
        elif col.kind == "float":
            values = pd.array(np.resize(AWKWARD_FLOATS, n) * rng.choice([1, -1], n), dtype="float64")
        elif col.kind == "bool":
            values = pd.array(rng.random(n) < 0.5, dtype="bool")
        elif col.kind == "str":
            values = pd.array(list(np.resize(np.array(AWKWARD_TEXT, dtype=object), n)), dtype="str")
        elif col.kind == "date":
            days = rng.integers(0, 20_000, n).astype("timedelta64[D]")
            values = pd.array(np.datetime64("1960-01-01", "s") + days.astype("timedelta64[s]"))
        else:  # datetime, to the second
            secs = rng.integers(0, 2_000_000_000, n).astype("timedelta64[s]")
            values = pd.array(np.datetime64("1970-01-01T00:00:00", "s") + secs)
        s = pd.Series(values, name=col.name).astype(PANDAS_DTYPE[col.kind])
        if missing:
            s = s.mask(pd.Series(np.arange(n) % 3 == 1))
        data[col.name] = s
    return pd.DataFrame(data)


def tiny_shop(seed: int = 0, *, truth: bool = True) -> Shop:
    tables = {name: tiny_frame(name, n=6 + k, seed=seed + k) for k, name in enumerate(TABLES)}
    return Shop(tables=tables, truth=tiny_frame("truth", 7, seed) if truth else None)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def rewrite_with_manifest(folder: Path, filename: str, data: bytes) -> None:
    """Replace a file and update its checksum, so that only the content checks can catch it."""
    (folder / filename).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["tables"].values():
        if entry["file"] == filename:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# What is written
# ---------------------------------------------------------------------------------------------


def test_csv_files_hold_iso_dates_shortest_floats_and_empty_missing_values(tmp_path):
    campaigns = pd.DataFrame(
        {
            "campaign_id": pd.array([1, 2], dtype="int64"),
            "name": pd.array(["Yalda, night", None], dtype="str"),
            "channel": pd.array(["email", "ads"], dtype="str"),
            "start_date": pd.array(np.array(["2024-12-20", "2025-03-01"], dtype="datetime64[s]")),
            "end_date": pd.array(np.array(["2024-12-21", "NaT"], dtype="datetime64[s]")),
            "discount_pct": [0.1, 1 / 3],
            "is_promotion_day": [True, False],
        }
    )
    tables = {name: tiny_frame(name, 3) for name in TABLES} | {"campaigns": campaigns}
    sessions = tables["sessions"].copy()
    sessions["start"] = pd.Series(np.array(["2024-12-20T09:05:07"] * 3, dtype="datetime64[s]"))
    tables["sessions"] = sessions
    out = write_shop(Shop(tables=tables), tmp_path / "shop")

    # Expected text written by hand: quoted comma, empty field for the missing name and end date,
    # 1/3 in Python's shortest round-trip form, days without a time, booleans as True/False.
    assert (out / "campaigns.csv").read_bytes().decode("utf-8") == (
        "campaign_id,name,channel,start_date,end_date,discount_pct,is_promotion_day\n"
        '1,"Yalda, night",email,2024-12-20,2024-12-21,0.1,True\n'
        "2,,ads,2025-03-01,,0.3333333333333333,False\n"
    )
    with gzip.open(out / "sessions.csv.gz", "rt", encoding="utf-8") as fh:
        first_row = fh.read().splitlines()[1].split(",")
    assert first_row[3] == "2024-12-20 09:05:07"  # a moment: date, a space, time to the second


def test_one_file_per_table_large_tables_gzipped_and_truth_beside_them(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    expected = {f"{t}.csv" for t in TABLES if t not in {"events", "sessions", "order_items"}}
    expected |= {"events.csv.gz", "sessions.csv.gz", "order_items.csv.gz", "truth.csv", "manifest.json"}
    assert {p.name for p in out.iterdir()} == expected
    assert table_filename("orders", "parquet") == "orders.parquet"


def test_gzip_header_has_no_time_and_no_file_name(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    head = (out / "events.csv.gz").read_bytes()[:10]
    assert head[:3] == b"\x1f\x8b\x08"
    assert head[3] & 0x08 == 0  # FNAME flag (RFC 1952): no original file name stored
    assert head[4:8] == b"\x00\x00\x00\x00"  # MTIME = 0


def test_manifest_records_rows_checksums_versions_and_no_time(tmp_path):
    shop = tiny_shop()
    out = write_shop(shop, tmp_path / "shop")
    text = (out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert shop.manifest == manifest  # the shop learns what was written
    assert manifest["config"] is None and manifest["format"] == "csv"
    assert set(manifest["versions"]) == {"python", "numpy", "pandas", "faker", "pyarrow"}
    assert manifest["versions"]["pandas"] == pd.__version__
    assert set(manifest["tables"]) == set(TABLES) | {"truth"}
    for name, entry in manifest["tables"].items():
        df = shop.truth if name == "truth" else shop.tables[name]
        assert entry["rows"] == len(df)
        assert entry["columns"] == list(df.columns)
        assert entry["sha256"] == hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest()
    # Sorted keys and nothing that depends on when or where it was written (no timestamps).
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert set(manifest) == {"config", "custkit_version", "format", "manifest_version", "tables", "versions"}


class _FakeConfig:
    def to_dict(self):
        return {"seed": 7, "locale": "fa_IR", "start": __import__("datetime").date(2024, 3, 20)}


def test_manifest_stores_the_config_dict(tmp_path):
    shop = Shop(tables=tiny_shop().tables, config=_FakeConfig())
    out = write_shop(shop, tmp_path / "shop")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config"] == {"locale": "fa_IR", "seed": 7, "start": "2024-03-20"}


# ---------------------------------------------------------------------------------------------
# Round trips and determinism
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_then_load_gives_equal_frames_and_rewrites_identical_bytes(tmp_path, fmt):
    shop = tiny_shop(seed=3)
    first = write_shop(shop, tmp_path / "a", format=fmt)
    loaded = load_shop(first)
    for name in TABLES:
        pd.testing.assert_frame_equal(loaded.tables[name], shop.tables[name], check_exact=True)
        assert [str(t) for t in loaded.tables[name].dtypes] == [PANDAS_DTYPE[c.kind] for c in ALL_TABLES[name]]
    pd.testing.assert_frame_equal(loaded.truth, shop.truth, check_exact=True)
    assert loaded.config is None
    assert loaded.manifest["tables"] == shop.manifest["tables"]

    second = write_shop(loaded, tmp_path / "b", format=fmt)
    assert folder_bytes(second) == folder_bytes(first)


def test_awkward_text_survives_exactly(tmp_path):
    customers = tiny_frame("customers", 16)  # "name" gets every awkward text, "email" some missing
    loaded = load_shop(write_shop(Shop(tables=tiny_shop().tables | {"customers": customers}), tmp_path / "s"))
    assert loaded.customers["name"].tolist() == customers["name"].tolist()
    assert set(AWKWARD_TEXT) <= set(loaded.customers["name"])
    assert loaded.customers["email"].isna().tolist() == customers["email"].isna().tolist()
    assert customers["email"].isna().sum() == 5  # rows 1, 4, 7, 10, 13


def test_optional_columns_may_be_absent(tmp_path):
    shop = tiny_shop()
    tables = dict(shop.tables)
    tables["orders"] = tables["orders"].drop(columns=["order_date_jalali"])
    loaded = load_shop(write_shop(Shop(tables=tables), tmp_path / "shop"))
    assert "order_date_jalali" not in loaded.orders.columns
    pd.testing.assert_frame_equal(loaded.orders, tables["orders"], check_exact=True)
    assert loaded.truth is None


def test_writing_is_deterministic(tmp_path):
    a = write_shop(tiny_shop(seed=5), tmp_path / "a")
    b = write_shop(tiny_shop(seed=5), tmp_path / "b")
    c = write_shop(tiny_shop(seed=6), tmp_path / "c")
    assert folder_bytes(a) == folder_bytes(b)
    assert folder_bytes(a)["orders.csv"] != folder_bytes(c)["orders.csv"]


def test_writing_does_not_modify_the_shop(tmp_path):
    shop = tiny_shop()
    before = {name: df.copy() for name, df in shop.tables.items()}
    write_shop(shop, tmp_path / "shop")
    for name, df in shop.tables.items():
        pd.testing.assert_frame_equal(df, before[name], check_exact=True)


# ---------------------------------------------------------------------------------------------
# Refusing to clobber, atomic replacement
# ---------------------------------------------------------------------------------------------


def test_refuses_an_existing_folder_even_empty_and_a_file(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.txt").write_text("keep me")
    for target in (tmp_path / "empty", tmp_path / "file.txt"):
        with pytest.raises(OutputExistsError, match=r"already exists.*overwrite=True.*--force") as err:
            write_shop(tiny_shop(), target)
        assert str(target) in str(err.value)
    assert (tmp_path / "file.txt").read_text() == "keep me"
    assert list((tmp_path / "empty").iterdir()) == []


def test_overwrite_replaces_a_shop_folder_and_keeps_only_the_named_files(tmp_path):
    out = write_shop(tiny_shop(seed=1), tmp_path / "shop")
    (out / "README.md").write_text("datasheet")
    (out / "notes.txt").write_text("a student's notes")
    # a file the manifest does not list may be the user's: refused, not deleted
    with pytest.raises(OutputExistsError, match=r"does not list: \['notes.txt'\]"):
        write_shop(tiny_shop(seed=2), out, overwrite=True, keep=["README.md"])
    assert (out / "notes.txt").read_text() == "a student's notes"
    (out / "notes.txt").unlink()
    write_shop(tiny_shop(seed=2), out, overwrite=True, keep=["README.md"])
    assert (out / "README.md").read_text() == "datasheet"
    pd.testing.assert_frame_equal(load_shop(out).orders, tiny_shop(seed=2).orders, check_exact=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]  # no temporary folders left


def test_overwrite_accepts_a_folder_holding_only_kept_files(tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "README.md").write_text("datasheet")
    write_shop(tiny_shop(), tmp_path / "datasets", overwrite=True, keep=["README.md"])
    assert (tmp_path / "datasets" / "README.md").read_text() == "datasheet"
    assert (tmp_path / "datasets" / "manifest.json").is_file()


def test_overwrite_refuses_a_folder_that_is_not_a_shop(tmp_path):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "thesis.tex").write_text("years of work")
    with pytest.raises(OutputExistsError, match="not a shop folder"):
        write_shop(tiny_shop(), tmp_path / "project", overwrite=True)
    assert (tmp_path / "project" / "thesis.tex").read_text() == "years of work"


def test_a_failure_midway_loses_nothing(tmp_path, monkeypatch):
    out = write_shop(tiny_shop(seed=1), tmp_path / "shop")
    before = folder_bytes(out)
    calls = []

    def failing_write(df, schema, file):
        calls.append(file.name)
        if len(calls) == 3:
            raise OSError("disk full")
        file.write_bytes(b"partial")

    monkeypatch.setattr(ckio, "_write_csv", failing_write)
    with pytest.raises(OutputError, match="disk full. Nothing was changed"):
        write_shop(tiny_shop(seed=2), out, overwrite=True)
    assert folder_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]


def test_creates_missing_parent_folders(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "a" / "b" / "shop")
    assert (out / "manifest.json").is_file()


# ---------------------------------------------------------------------------------------------
# Bad input when writing
# ---------------------------------------------------------------------------------------------


def _with(table: str, df: pd.DataFrame) -> Shop:
    return Shop(tables=tiny_shop().tables | {table: df})


def test_write_rejects_bad_arguments(tmp_path):
    with pytest.raises(CustkitError, match="format must be one of"):
        write_shop(tiny_shop(), tmp_path / "s", format="xlsx")
    with pytest.raises(CustkitError, match="needs a custkit Shop, got dict"):
        write_shop({"orders": None}, tmp_path / "s")


def test_write_rejects_tables_that_break_the_schema(tmp_path):
    shop = tiny_shop()
    missing_table = Shop(tables={k: v for k, v in shop.tables.items() if k != "surveys"})
    with pytest.raises(SchemaError, match="lacks the 'surveys' table"):
        write_shop(missing_table, tmp_path / "s")
    with pytest.raises(SchemaError, match=r"\['returns'\] that custkit.schema does not know"):
        write_shop(Shop(tables=shop.tables | {"returns": shop.orders}), tmp_path / "s")
    with pytest.raises(SchemaError, match=r"'orders'.*missing column\(s\) \['net'\]"):
        write_shop(_with("orders", shop.orders.drop(columns=["net"])), tmp_path / "s")
    with pytest.raises(SchemaError, match=r"unexpected column\(s\) \['margin'\]"):
        write_shop(_with("orders", shop.orders.assign(margin=1.0)), tmp_path / "s")
    with pytest.raises(SchemaError, match=r"orders\['customer_id'\] has dtype float64.*int64"):
        write_shop(_with("orders", shop.orders.astype({"customer_id": "float64"})), tmp_path / "s")
    with pytest.raises(SchemaError, match=r"customers\['city'\] holds empty strings"):
        write_shop(_with("customers", shop.customers.assign(city="")), tmp_path / "s")
    with_time = shop.customers.assign(signup_date=pd.Timestamp("2024-01-01 10:30").as_unit("s"))
    with pytest.raises(SchemaError, match=r"signup_date.*calendar-day column but holds times"):
        write_shop(_with("customers", with_time), tmp_path / "s")
    assert not (tmp_path / "s").exists()


# ---------------------------------------------------------------------------------------------
# Loading: integrity and schema checks
# ---------------------------------------------------------------------------------------------


def test_load_names_a_missing_folder_manifest_or_file(tmp_path):
    with pytest.raises(CustkitError, match="needs a folder path .* got int"):
        load_shop(42)
    with pytest.raises(CustkitError, match="No shop folder at"):
        load_shop(tmp_path / "nowhere")
    out = write_shop(tiny_shop(), tmp_path / "shop")
    (out / "tickets.csv").unlink()
    with pytest.raises(DataIntegrityError, match=r"tickets\.csv is listed in manifest\.json but missing"):
        load_shop(out)
    (out / "manifest.json").unlink()
    with pytest.raises(DataIntegrityError, match="has no manifest.json"):
        load_shop(out)


def test_load_names_an_edited_file_and_how_to_restore_it(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    with open(out / "orders.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(DataIntegrityError, match=r"orders\.csv was changed.*custkit generate --config"):
        load_shop(out)


def test_load_of_the_default_folder_points_to_make_data_and_git(tmp_path, monkeypatch):
    out = write_shop(tiny_shop(), tmp_path / "datasets")
    monkeypatch.setattr(ckio, "DEFAULT_DATASET_DIR", out.resolve())
    assert len(load_shop().orders) == len(tiny_shop().orders)
    (out / "surveys.csv").write_text("x\n")
    with pytest.raises(DataIntegrityError, match=r"surveys\.csv was changed.*git checkout -- datasets/.*make data"):
        load_shop()


def test_load_without_an_installed_default_shop_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(ckio, "DEFAULT_DATASET_DIR", tmp_path)
    with pytest.raises(CustkitError, match=r"installed without its datasets/ folder.*make data"):
        load_shop()


def test_load_names_the_table_and_its_wrong_columns(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    text = (out / "products.csv").read_text(encoding="utf-8").replace("unit_cost", "cost", 1)
    rewrite_with_manifest(out, "products.csv", text.encode("utf-8"))
    with pytest.raises(SchemaError, match=r"products\.csv.*'products'.*missing column\(s\) \['unit_cost'\]; unexpected column\(s\) \['cost'\]"):
        load_shop(out)


@pytest.mark.parametrize(
    ("filename", "bad", "message"),
    [
        ("campaigns.csv", b"campaign_id,name,channel,start_date,end_date,discount_pct,is_promotion_day\n"
         b"1,x,email,2024-13-45,2024-12-21,0.1,True\n", r"campaigns\.csv: column 'start_date' must hold dates"),
        ("campaigns.csv", b"campaign_id,name,channel,start_date,end_date,discount_pct,is_promotion_day\n"
         b"one,x,email,2024-12-20,2024-12-21,0.1,True\n", r"campaigns\.csv \(table 'campaigns'\) could not be read"),
        ("campaigns.csv", b"campaign_id,name,channel,start_date,end_date,discount_pct,is_promotion_day\n"
         b'1,"x,email,2024-12-20,2024-12-21,0.1,True\n', r"campaigns\.csv \(table 'campaigns'\) could not be read"),
        ("campaigns.csv", b"", r"campaigns\.csv \(table 'campaigns'\) could not be read"),
        ("events.csv.gz", b"not gzip at all", r"events\.csv\.gz \(table 'events'\) could not be read"),
    ],
)
def test_a_malformed_file_gets_a_schema_error_naming_it(tmp_path, filename, bad, message):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    rewrite_with_manifest(out, filename, bad)
    with pytest.raises(SchemaError, match=message):
        load_shop(out)


def test_a_malformed_parquet_file_gets_a_schema_error_naming_it(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop", format="parquet")
    rewrite_with_manifest(out, "orders.parquet", b"PAR1 truncated")
    with pytest.raises(SchemaError, match=r"orders\.parquet \(table 'orders'\) could not be read"):
        load_shop(out)


def test_load_rejects_a_manifest_without_tables(tmp_path):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    (out / "manifest.json").write_text('{"format": "csv"}', encoding="utf-8")
    with pytest.raises(DataIntegrityError, match="lacks a 'tables' entry"):
        load_shop(out)
    (out / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataIntegrityError, match="is not valid JSON"):
        load_shop(out)


def test_overwriting_the_current_folder_by_dot_works(tmp_path, monkeypatch):
    out = write_shop(tiny_shop(seed=1), tmp_path / "shop")
    monkeypatch.chdir(out)
    assert write_shop(tiny_shop(seed=2), ".", overwrite=True) == out
    pd.testing.assert_frame_equal(load_shop(out).orders, tiny_shop(seed=2).orders, check_exact=True)


def test_helpers_reject_bad_input(tmp_path):
    with pytest.raises(CustkitError, match="format must be one of"):
        table_filename("orders", "xlsx")
    with pytest.raises(SchemaError, match="unknown table 'returns'"):
        table_filename("returns")
    with pytest.raises(DataIntegrityError, match="is not a file"):
        ckio.file_sha256(tmp_path / "missing.csv")
    (tmp_path / "abc.txt").write_bytes(b"abc")
    # SHA-256("abc"), the FIPS 180-2 test vector.
    assert ckio.file_sha256(tmp_path / "abc.txt") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_check_output_refuses_before_anything_is_written(tmp_path):
    ckio.check_output(tmp_path / "new")  # nothing there: fine
    (tmp_path / "old").mkdir()
    with pytest.raises(OutputExistsError, match="already exists"):
        ckio.check_output(tmp_path / "old")
    ckio.check_output(tmp_path / "old", overwrite=True)  # an empty folder may be replaced
    assert not (tmp_path / "new").exists()


# ---------------------------------------------------------------------------------------------
# What the operating system refuses, and folders that are not the kit's
# ---------------------------------------------------------------------------------------------


def test_overwrite_refuses_a_folder_whose_manifest_is_not_the_kits(tmp_path):
    project = tmp_path / "web_app"
    project.mkdir()
    (project / "manifest.json").write_text('{"name": "my web app"}')
    (project / "app.js").write_text("code")
    with pytest.raises(OutputExistsError, match="no manifest.json written by custkit"):
        write_shop(tiny_shop(), project, overwrite=True)
    assert sorted(p.name for p in project.iterdir()) == ["app.js", "manifest.json"]


def test_a_path_under_a_file_and_a_long_name_are_refused_before_writing(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError, match="afile is a file, so no folder can be made under it"):
        write_shop(tiny_shop(), tmp_path / "afile" / "shop")
    with pytest.raises(OutputError, match="folder name is 300 bytes long"):
        write_shop(tiny_shop(), tmp_path / ("x" * 300))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_an_os_error_midway_is_a_custkit_error_naming_the_cause(tmp_path, monkeypatch):
    def no_space(df, schema, file):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ckio, "_write_csv", no_space)
    with pytest.raises(OutputError, match="the disk is full"):
        write_shop(tiny_shop(), tmp_path / "shop")
    assert list(tmp_path.iterdir()) == []


def test_a_write_cleans_up_what_a_killed_write_left_behind(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)  # a process that has ended
    abandoned = tmp_path / f".shop.writing-{pid}-0123456789ab"
    abandoned.mkdir()
    (abandoned / "orders.csv").write_text("partial")
    running = tmp_path / f".shop.writing-{os.getpid()}-0123456789ab"  # this process: alive
    running.mkdir()
    write_shop(tiny_shop(), tmp_path / "shop")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, "shop"])


def test_an_empty_table_with_date_columns_is_written_and_read_back(tmp_path):
    shop = tiny_shop()
    empty = Shop(tables=shop.tables | {"tickets": shop.tickets.iloc[:0]})
    back = load_shop(write_shop(empty, tmp_path / "shop"))
    assert len(back.tickets) == 0 and list(back.tickets.columns) == list(shop.tickets.columns)


@pytest.mark.parametrize("entry, message", [
    ({"file": "../elsewhere.csv"}, "not a plain file name"),
    ({"file": 5}, "not a plain file name"),
    ({"rows": "many"}, "not a count"),
    ({"sha256": "abc"}, "no valid sha256"),
])
def test_a_manifest_entry_of_the_wrong_type_or_outside_the_folder_is_refused(tmp_path, entry, message):
    out = write_shop(tiny_shop(), tmp_path / "shop")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["tables"]["orders"].update(entry)
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DataIntegrityError, match=message):
        load_shop(out)
