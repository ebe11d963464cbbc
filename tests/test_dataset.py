"""The committed default shop in datasets/: current, loadable, reproducible byte for byte.

If the simulator changes on purpose, regenerate the folder with `make data` and commit it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from custkit import realism
from custkit.cli import REALISM_BEGIN, REALISM_END, SCHEMA_BEGIN, SCHEMA_END, generated_block, schema_markdown
from custkit.config import ShopConfig
from custkit.io import DEFAULT_DATASET_DIR, MANIFEST, file_sha256, library_versions, load_shop, write_shop
from custkit.schema import ALL_TABLES, PANDAS_DTYPE, TABLES
from custkit.simulate import generate

REPO = Path(__file__).resolve().parent.parent
DATASETS = REPO / "datasets"
MAX_BYTES = 30 * 1024**2


def committed_manifest() -> dict:
    return json.loads((DATASETS / MANIFEST).read_text(encoding="utf-8"))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_package_finds_the_repository_datasets_folder():
    assert DEFAULT_DATASET_DIR == DATASETS


def test_datasheet_column_tables_are_current():
    text = (DATASETS / "README.md").read_text(encoding="utf-8")
    block = text[text.index(SCHEMA_BEGIN) + len(SCHEMA_BEGIN): text.index(SCHEMA_END)]
    assert block == "\n\n" + schema_markdown() + "\n", (
        "datasets/README.md is out of date: run `python -m custkit schema --update datasets/README.md`"
    )


def test_datasheet_realism_table_is_the_scorecard_of_the_committed_shop():
    text = (DATASETS / "README.md").read_text(encoding="utf-8")
    block = generated_block(text, REALISM_BEGIN, REALISM_END)
    expected = realism.markdown(realism.scorecard(load_shop()))
    assert block == expected, "datasets/README.md's scorecard is out of date: run `make data`"
    assert "| in range |" in block and "too high" not in block and "too low" not in block


def test_the_datasheet_covers_what_a_datasheet_must():
    text = (DATASETS / "README.md").read_text(encoding="utf-8")
    for heading in ("## Why it exists", "## How it was made", "## `truth`: the hidden answers",
                    "## Known simplifications", "## Tables and columns"):
        assert heading in text
    assert "python -m custkit.cli generate --preset classroom --out datasets --force --dataset" in text
    for table in ALL_TABLES:
        assert f"### `{table}`" in text


def test_the_committed_folder_holds_exactly_the_manifest_files_and_is_small():
    manifest = committed_manifest()
    listed = {entry["file"] for entry in manifest["tables"].values()}
    assert {p.name for p in DATASETS.iterdir()} == listed | {MANIFEST, "README.md"}
    assert set(manifest["tables"]) == set(TABLES) | {"truth"}
    total = sum(p.stat().st_size for p in DATASETS.iterdir())
    assert total <= MAX_BYTES, f"datasets/ is {total / 1024**2:.1f} MB, the limit is 30 MB"


def test_the_committed_shop_is_the_classroom_config_made_with_the_locked_versions():
    manifest = committed_manifest()
    assert manifest["config"] == ShopConfig().to_dict()
    assert manifest["format"] == "csv"
    lock = (REPO / "requirements.lock").read_text(encoding="utf-8")
    for dist in ("numpy", "pandas", "Faker", "pyarrow"):
        assert f"{dist}=={manifest['versions'][dist.lower()]}\n" in lock, dist


def test_load_shop_returns_the_committed_shop_with_schema_dtypes():
    shop = load_shop()
    manifest = committed_manifest()
    assert shop.config == ShopConfig()
    assert shop.manifest == manifest
    for name, entry in manifest["tables"].items():
        df = shop.truth if name == "truth" else shop.tables[name]
        assert len(df) == entry["rows"] > 0
        expected = [PANDAS_DTYPE[c.kind] for c in ALL_TABLES[name] if c.name in df.columns]
        assert [str(t) for t in df.dtypes] == expected, name
    # of the 5,000 accounts opened, the export holds those opened in the window and the older
    # ones that bought or sold in it
    opened_in_window = shop.customers["signup_date"] >= pd.Timestamp(ShopConfig().start_date)
    assert 0.7 * ShopConfig().n_customers < len(shop.customers) <= ShopConfig().n_customers
    assert 0.15 < (~opened_in_window).mean() < 0.4
    older = shop.customers.loc[~opened_in_window, "customer_id"]
    active = set(shop.orders["customer_id"]) | set(shop.orders["seller_customer_id"].dropna())
    assert older.isin(active).all()
    # en_US shop: the Jalali columns (fa_IR only) are absent.
    assert "order_date_jalali" not in shop.orders.columns


@pytest.mark.slow
def test_regenerating_the_default_shop_gives_the_committed_checksums(tmp_path):
    manifest = committed_manifest()
    if manifest["versions"] != library_versions():
        pytest.fail(f"versions differ from the committed manifest: {manifest['versions']} vs "
                    f"{library_versions()}; install requirements.lock (make install)")
    out = write_shop(generate(ShopConfig()), tmp_path / "shop")
    fresh = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    mismatched = [name for name, entry in manifest["tables"].items()
                  if fresh["tables"][name]["sha256"] != entry["sha256"]]
    assert mismatched == [], f"these tables differ from datasets/ (regenerate with `make data`): {mismatched}"
    assert fresh == manifest
    for entry in manifest["tables"].values():
        assert file_sha256(out / entry["file"]) == file_sha256(DATASETS / entry["file"])


# The x86-64 dispatch targets of NumPy, highest first: AVX-512 (X86_V4) and AVX2 (X86_V3) machines
# compute exp and log with different code, which differ in the last bit.
_DISPATCH_TARGETS = ("X86_V4", "X86_V3")
_CPU_FEATURES = (
    "import json; from numpy._core._multiarray_umath import __cpu_features__ as f, __cpu_dispatch__ as d; "
    "print(json.dumps({'features': {k: bool(v) for k, v in f.items()}, 'dispatch': list(d)}))"
)
_REGENERATE = (
    "import sys; from custkit.config import ShopConfig; from custkit.io import write_shop; "
    "from custkit.simulate import generate; write_shop(generate(ShopConfig()), sys.argv[1])"
)


def _cpu_features(env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _CPU_FEATURES], capture_output=True, text=True,
                          cwd=REPO, env=env, check=True)
    return json.loads(done.stdout)


def top_dispatch_target(cpu: dict) -> str | None:
    """The highest code path NumPy uses on this processor: X86_V4 or X86_V3 on x86-64, else the
    last enabled entry of ``__cpu_dispatch__`` (an ARM extension, say); None when NumPy runs its
    baseline code only."""
    features = cpu["features"]
    enabled = [t for t in cpu["dispatch"] if features.get(t)]
    return next((t for t in _DISPATCH_TARGETS if features.get(t)), enabled[-1] if enabled else None)


def test_top_dispatch_target_by_hand():
    assert top_dispatch_target({"features": {"X86_V3": True, "X86_V4": True}, "dispatch": ["X86_V3", "X86_V4"]}) == "X86_V4"
    assert top_dispatch_target({"features": {"ASIMDHP": True, "SVE": False}, "dispatch": ["ASIMDHP", "SVE"]}) == "ASIMDHP"
    assert top_dispatch_target({"features": {"X86_V3": False}, "dispatch": ["X86_V3"]}) is None


@pytest.mark.slow
def test_the_default_shop_has_the_same_bytes_with_the_top_cpu_dispatch_target_off(tmp_path):
    """Byte-identical on another processor: NumPy's highest dispatch target switched off."""
    top = top_dispatch_target(_cpu_features(dict(os.environ)))
    if top is None:
        pytest.skip("NumPy runs only its baseline code on this processor: there is no other code path to compare")
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": top}
    assert _cpu_features(env)["features"][top] is False, f"NPY_DISABLE_CPU_FEATURES={top} did not take effect"
    done = subprocess.run([sys.executable, "-c", _REGENERATE, str(tmp_path / "shop")], capture_output=True,
                          text=True, cwd=REPO, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = committed_manifest()
    differ = [entry["file"] for entry in manifest["tables"].values()
              if file_sha256(tmp_path / "shop" / entry["file"]) != entry["sha256"]]
    assert differ == [], f"with {top} switched off these files differ from datasets/: {differ}"


_WRITE_IN_PROCESS = (
    "import sys; from custkit.config import ShopConfig; from custkit.simulate import generate; "
    "generate(ShopConfig(seed=int(sys.argv[1]), n_customers=150, anonymous_visitors=150, "
    "locale=sys.argv[2])).write(sys.argv[3])"
)


def _run(args: list[str], hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en_US", "fa_IR"])
def test_two_processes_write_byte_identical_folders(tmp_path, locale):
    # Different hash seeds: set and dict-of-str ordering must not leak into the files.
    _run(["-c", _WRITE_IN_PROCESS, "9", locale, str(tmp_path / "a")], hash_seed="1")
    _run(["-c", _WRITE_IN_PROCESS, "9", locale, str(tmp_path / "b")], hash_seed="2")
    assert folder_bytes(tmp_path / "a") == folder_bytes(tmp_path / "b")
    # The command line makes the same shop from its manifest.
    _run(["-m", "custkit", "generate", "--config", str(tmp_path / "a" / MANIFEST), "--out", str(tmp_path / "c")],
         hash_seed="3")
    assert folder_bytes(tmp_path / "c") == folder_bytes(tmp_path / "a")
    # Another seed gives another shop.
    _run(["-c", _WRITE_IN_PROCESS, "10", locale, str(tmp_path / "d")], hash_seed="1")
    assert folder_bytes(tmp_path / "d")["orders.csv"] != folder_bytes(tmp_path / "a")["orders.csv"]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_simulated_fa_ir_shop_round_trips_exactly(tmp_path, fmt):
    shop = generate(ShopConfig(seed=5, n_customers=150, anonymous_visitors=150, locale="fa_IR"))
    first = write_shop(shop, tmp_path / "a", format=fmt)
    loaded = load_shop(first)
    assert loaded.config == shop.config
    assert "order_date_jalali" in loaded.orders.columns
    for name in TABLES:
        pd.testing.assert_frame_equal(loaded.tables[name], shop.tables[name], check_exact=True)
    pd.testing.assert_frame_equal(loaded.truth, shop.truth, check_exact=True)
    second = write_shop(loaded, tmp_path / "b", format=fmt)
    assert folder_bytes(second) == folder_bytes(first)
