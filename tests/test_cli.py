"""The ``custkit`` command: options reach the config, files are written, errors are one clear line.

Most tests replace the simulator by a stub returning a small hand-built shop, so that they test
the command itself; tests/test_dataset.py runs the real simulator end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_io import tiny_shop

import custkit.simulate
from custkit import Shop
from custkit.cli import (
    SCHEMA_BEGIN,
    SCHEMA_END,
    build_parser,
    main,
    schema_markdown,
    summary_table,
    update_datasheet,
)
from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.io import load_shop
from custkit.schema import TABLES

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def seen(monkeypatch):
    """Replace the simulator by a stub; the list collects the configs it was called with."""
    configs = []

    def fake_generate(cfg):
        configs.append(cfg)
        return Shop(tables=tiny_shop(seed=cfg.seed % 1000).tables, truth=tiny_shop().truth, config=cfg)

    monkeypatch.setattr(custkit.simulate, "generate", fake_generate, raising=False)
    return configs


def test_generate_writes_the_shop_and_prints_a_summary(tmp_path, seen, capsys):
    assert main(["generate", "--out", str(tmp_path / "shop"), "--seed", "7"]) == 0
    assert seen == [ShopConfig(seed=7)]
    shop = load_shop(tmp_path / "shop")
    assert shop.config == ShopConfig(seed=7)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Wrote {tmp_path / 'shop'}"
    assert lines[1].split() == ["table", "rows", "file", "size"]
    orders = next(line.split() for line in lines if line.startswith("orders "))
    assert orders[:3] == ["orders", str(len(shop.orders)), "orders.csv"]
    assert any(line.startswith("truth (hidden)") for line in lines)
    assert lines[-1].startswith("total")
    assert len(lines) == 3 + len(TABLES) + 2  # title, header, rule, tables, truth, total


def test_options_are_applied_over_the_preset(tmp_path, seen):
    assert main(["generate", "--preset", "production_centric", "--seed", "3", "--customers", "250",
                 "--locale", "fa_IR", "--out", str(tmp_path / "s")]) == 0
    expected = ShopConfig.preset("production_centric").with_customers(250).replace(seed=3, locale="fa_IR")
    assert seen == [expected] and expected.anonymous_visitors == 250 * 35
    assert main(["generate", "--customers", "250", "--visitors", "1000", "--out", str(tmp_path / "v")]) == 0
    assert seen[-1] == ShopConfig().replace(n_customers=250, anonymous_visitors=1000)


def test_parquet_format_streams_a_partitioned_dataset_without_the_in_memory_shop(tmp_path, seen, capsys):
    assert main(["generate", "--out", str(tmp_path / "s"), "--format", "parquet", "--customers", "200",
                 "--workers", "1"]) == 0
    assert seen == []  # streamed block by block (custkit.simulate.stream), never generate()
    assert (tmp_path / "s" / "orders" / "part-00000.parquet").is_file()
    manifest = load_shop(tmp_path / "s", tables=["orders"]).manifest
    assert manifest["format"] == "parquet" and manifest["layout"] == "partitioned"
    orders = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("orders "))
    assert orders[:3] == ["orders", f"{manifest['tables']['orders']['rows']:,}", "orders"]


def test_dataset_and_worker_options_that_do_not_fit_the_format_are_refused(tmp_path, seen, capsys):
    assert main(["generate", "--out", str(tmp_path / "a"), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "add --format parquet" in capsys.readouterr().err
    assert main(["generate", "--out", str(tmp_path / "b"), "--format", "parquet", "--dataset"]) == 2
    assert "leave out --format parquet" in capsys.readouterr().err
    assert seen == [] and list(tmp_path.iterdir()) == []


def test_config_file_and_manifest_reproduce_a_config(tmp_path, seen):
    cfg = ShopConfig(seed=11, n_customers=300, late_delivery_rate=0.2)
    cfg.to_json(tmp_path / "cfg.json")
    assert main(["generate", "--config", str(tmp_path / "cfg.json"), "--out", str(tmp_path / "a")]) == 0
    assert main(["generate", "--config", str(tmp_path / "a" / "manifest.json"), "--out", str(tmp_path / "b")]) == 0
    assert seen == [cfg, cfg]
    assert (tmp_path / "a" / "orders.csv").read_bytes() == (tmp_path / "b" / "orders.csv").read_bytes()


def test_existing_folder_needs_force_and_the_error_is_one_line(tmp_path, seen, capsys):
    out = tmp_path / "shop"
    out.mkdir()
    assert main(["generate", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"custkit: error: {out} already exists")
    assert "--force" in err and "Traceback" not in err
    assert seen == []  # refused before simulating
    assert main(["generate", "--out", str(out), "--force"]) == 0


def test_dataset_keeps_the_datasheet(tmp_path, seen):
    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "README.md").write_text("# Datasheet\n", encoding="utf-8")
    assert main(["generate", "--out", str(folder), "--force", "--dataset"]) == 0
    assert main(["generate", "--out", str(folder), "--force", "--dataset", "--seed", "5"]) == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "# Datasheet\n"
    assert json.loads((folder / "manifest.json").read_text())["config"]["seed"] == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--customers", "0"], "custkit: error: ShopConfig.n_customers must lie in [10, 2000000], got 0."),
        (["--seed", "-1"], "custkit: error: ShopConfig.seed must lie in [0, 4294967295], got -1."),
        (["--preset", "large", "--config", "x.json"], "custkit: error: give either --preset or --config"),
        (["--config", "missing.toml"], "custkit: error: config file missing.toml does not exist"),
        (["--config", "cfg.yaml"], "custkit: error: cfg.yaml must end in .json or .toml"),
    ],
)
def test_bad_options_give_a_custkit_error_and_status_2(tmp_path, seen, capsys, args, message):
    assert main(["generate", "--out", str(tmp_path / "s"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message), err
    assert "Traceback" not in err
    assert not (tmp_path / "s").exists()


def test_a_manifest_without_config_cannot_be_reproduced(tmp_path, seen, capsys):
    tiny_shop().write(tmp_path / "hand")
    assert main(["generate", "--config", str(tmp_path / "hand" / "manifest.json"), "--out", str(tmp_path / "s")]) == 2
    assert "without a config" in capsys.readouterr().err


def test_argparse_rejects_unknown_choices_with_status_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--out", str(tmp_path / "s"), "--preset", "huge"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'huge'" in capsys.readouterr().err


def test_help_documents_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--preset", "--config", "--seed", "--customers", "--locale", "--out", "--format",
                   "--force", "--dataset", "--workers", "--scheduler", "--visitors"):
        assert option in text
    gen = build_parser()._subparsers._group_actions[0].choices["generate"]
    documented = [a for a in gen._actions if a.option_strings and a.dest != "help"]
    assert len(documented) == 12 and all(a.help for a in documented)


def test_a_simulator_reporting_blocks_gets_a_progress_callback(tmp_path, monkeypatch):
    calls = []

    def generate_with_progress(cfg, progress=None):
        for k in range(cfg.n_blocks):
            progress(k + 1, cfg.n_blocks)  # the simulator's protocol: progress(done, total)
            calls.append("block")
        return Shop(tables=tiny_shop().tables, config=cfg)

    monkeypatch.setattr(custkit.simulate, "generate", generate_with_progress, raising=False)
    # 1,000 customers in blocks of 250: 4 blocks, 4 progress reports.
    cfg = ShopConfig(n_customers=1000, block_size=250)
    cfg.to_json(tmp_path / "cfg.json")
    assert main(["generate", "--config", str(tmp_path / "cfg.json"), "--out", str(tmp_path / "s")]) == 0
    assert calls == ["block"] * 4


def test_python_dash_m_custkit_runs():
    done = subprocess.run([sys.executable, "-m", "custkit", "generate", "--help"], capture_output=True,
                          text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: custkit generate")


def test_check_verifies_a_folder(tmp_path, seen, capsys):
    main(["generate", "--out", str(tmp_path / "s")])
    capsys.readouterr()
    assert main(["check", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out.startswith(f"OK: {tmp_path / 's'}")
    (tmp_path / "s" / "orders.csv").write_text("edited\n")
    assert main(["check", str(tmp_path / "s")]) == 2
    assert capsys.readouterr().err.startswith(f"custkit: error: {tmp_path / 's' / 'orders.csv'} was changed")


def test_summary_table_sizes_and_alignment(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"x" * 10)
    (tmp_path / "b.csv.gz").write_bytes(b"x" * 2048)
    manifest = {"tables": {"orders": {"file": "a.csv", "rows": 1234}, "truth": {"file": "b.csv.gz", "rows": 5}}}
    # Columns: left-aligned names and files, right-aligned numbers, two spaces between; widths
    # 14 ("truth (hidden)"), 5 ("1,234"), 8 ("b.csv.gz"), 6 ("2.0 KB": 2,058 B / 1024 = 2.01).
    assert summary_table(tmp_path, manifest).splitlines() == [
        f"Wrote {tmp_path}",
        "table" + " " * 12 + "rows" + " " * 2 + "file" + " " * 8 + "size",
        "-" * 14 + "  " + "-" * 5 + "  " + "-" * 8 + "  " + "-" * 6,
        "orders" + " " * 10 + "1,234" + " " * 2 + "a.csv" + " " * 7 + "10 B",
        "truth (hidden)" + " " * 6 + "5" + " " * 2 + "b.csv.gz" + " " * 2 + "2.0 KB",
        "total" + " " * 28 + "2.0 KB",
    ]


def test_schema_markdown_lists_every_column_with_type_and_unit():
    text = schema_markdown()
    # Written out by hand from custkit/schema.py's MARKETING_SPEND.
    assert (
        "### `marketing_spend`\n\nFile `marketing_spend.csv`.\n\n"
        "| column | type | unit | meaning |\n|---|---|---|---|\n"
        "| `date` | date (YYYY-MM-DD) |  | Day. |\n"
        "| `channel` | text |  | Paid channel: search, social, ads, email. |\n"
        "| `spend` | number | currency | Money spent. |\n"
        "| `impressions` | integer | impressions | Times an ad or e-mail was shown. |\n"
        "| `clicks` | integer | clicks | Clicks that led to a visit. |\n"
    ) in text
    assert "### `truth` (hidden: the simulation's ground truth)" in text
    assert "File `events.csv.gz`." in text


def test_update_datasheet_rewrites_only_the_generated_block(tmp_path):
    sheet = tmp_path / "README.md"
    sheet.write_text(f"# Intro\n\n{SCHEMA_BEGIN}\nstale\n{SCHEMA_END}\n\n## After\n", encoding="utf-8")
    assert update_datasheet(sheet) is True
    text = sheet.read_text(encoding="utf-8")
    assert text == f"# Intro\n\n{SCHEMA_BEGIN}\n\n{schema_markdown()}\n{SCHEMA_END}\n\n## After\n"
    assert update_datasheet(sheet) is False


def test_update_datasheet_without_markers_says_what_to_add(tmp_path, capsys):
    sheet = tmp_path / "README.md"
    sheet.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(CustkitError, match="has no generated block; add the two lines"):
        update_datasheet(sheet)
    assert main(["schema", "--update", str(tmp_path / "nope.md")]) == 2
    assert "does not exist" in capsys.readouterr().err


def _under_a_file(tmp: Path) -> Path:
    (tmp / "afile").write_text("x")
    return tmp / "afile" / "shop"


@pytest.mark.parametrize("make_out, message", [
    (_under_a_file, "is a file, so no folder can be made"),
    (lambda tmp: tmp / ("y" * 300), "bytes long"),
])
def test_an_unwritable_path_is_refused_before_simulating_without_a_traceback(tmp_path, seen, capsys, make_out, message):
    out = make_out(tmp_path)
    assert main(["generate", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("custkit: error:") and message in err and "Traceback" not in err
    assert seen == []  # no simulation was wasted


def test_an_os_error_after_simulating_is_one_line_too(tmp_path, seen, capsys, monkeypatch):
    import custkit.io as ckio

    def no_space(df, schema, file):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ckio, "_write_csv", no_space)
    assert main(["generate", "--out", str(tmp_path / "shop")]) == 2
    err = capsys.readouterr().err
    assert "\ncustkit: error: could not write the shop" in err and "the disk is full" in err
    assert "Traceback" not in err
