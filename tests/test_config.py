"""ShopConfig: defaults, presets, validation messages, and round trips through dict, JSON and TOML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest

from custkit.config import PRESETS, ShopConfig
from custkit.errors import ConfigError, CustkitError


def test_default_is_the_classroom_preset():
    assert ShopConfig() == ShopConfig.preset("classroom")
    cfg = ShopConfig()
    assert (cfg.start_date, cfg.end_date, cfg.horizon_weeks) == ("2024-01-01", "2025-12-31", 52)
    assert cfg.n_customers == 5000 and cfg.locale == "en_US" and cfg.currency == "USD"


def test_every_field_is_documented_for_the_reference_page():
    for f in dataclasses.fields(ShopConfig):
        assert set(f.metadata) == {"doc", "unit", "low", "high", "concept", "notebook"}, f.name
        assert len(f.metadata["doc"]) > 20, f.name
    table = ShopConfig.describe()
    assert list(table["field"]) == [f.name for f in dataclasses.fields(ShopConfig)]
    assert table.set_index("field").loc["late_delivery_rate", "concept"] == "D3"


def test_presets_differ_in_policy_as_documented():
    cc, pc = ShopConfig.preset("customer_centric"), ShopConfig.preset("production_centric")
    assert cc.late_delivery_rate < ShopConfig().late_delivery_rate < pc.late_delivery_rate
    assert cc.support_response_hours_after < pc.support_response_hours_after
    assert cc.loyalty_programme and not pc.loyalty_programme
    assert ShopConfig.preset("large").n_customers == 100_000
    assert set(PRESETS) == {"classroom", "customer_centric", "production_centric", "large"}


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ConfigError, match="classroom.*customer_centric.*production_centric.*large"):
        ShopConfig.preset("medium")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"seed": -1}, r"ShopConfig.seed must lie in \[0, 4294967295\], got -1"),
        ({"n_customers": 5}, r"ShopConfig.n_customers must lie in \[10, 2000000\], got 5"),
        ({"n_customers": "5000"}, r"n_customers must be a whole number.*'5000' \(str\)"),
        ({"n_customers": 10.5}, r"n_customers must be a whole number"),
        ({"late_delivery_rate": 1.5}, r"late_delivery_rate must lie in \[0.0, 1.0\], got 1.5"),
        ({"late_delivery_rate": float("nan")}, r"late_delivery_rate must lie in"),
        ({"loyalty_programme": 1}, r"loyalty_programme must be True or False, got 1"),
        ({"locale": "de_DE"}, r"locale must be one of \['en_US', 'fa_IR'\], got 'de_DE'"),
        ({"persona_mix": {"searcher": 0.5, "shopaholic": 0.5}}, r"persona_mix has unknown name\(s\) \['shopaholic'\]"),
        ({"persona_mix": {"searcher": 0.5, "impulsive": 0.4}}, r"persona_mix must sum to 1, got 0.9"),
        ({"account_type_mix": {"consumer": 1.2, "business": -0.2}}, r"account_type_mix\['consumer'\] must be a share"),
        ({"knowledge_mix": (0.5, 0.5)}, r"knowledge_mix must be a list of 3 numbers"),
        ({"knowledge_mix": (0.5, 0.3, 0.1)}, r"knowledge_mix must sum to 1, got 0.9"),
        ({"weekly_rhythm": (1, 1, 1, 1, 1, 1, 0)}, r"weekly_rhythm\[6\] must be a number in \[0.1, 5.0\], got 0"),
        ({"end_date": "2023-12-31"}, r"end_date \(2023-12-31\) must come after start_date \(2024-01-01\)"),
        ({"end_date": "2024-01-10"}, r"has 10 days; use at least 4 weeks"),
        ({"start_date": "2024-13-01"}, r"start_date must be an ISO date like '2024-01-31', got '2024-13-01'"),
        ({"start_date": 20240101}, r"start_date must be an ISO date string"),
        ({"loyalty_tier_spend_usd": (500, 100, 1000)}, r"must rise from bronze to gold"),
        ({"c2c_share": 0.4, "c2b_share": 0.3}, r"c2c_share \+ c2b_share = 0.7"),
    ],
)
def test_bad_values_name_field_value_and_range(changes, message):
    with pytest.raises(ConfigError, match=message):
        ShopConfig().replace(**changes)
    assert issubclass(ConfigError, CustkitError)


def test_replace_validates_and_rejects_unknown_fields():
    cfg = ShopConfig().replace(seed=7, n_customers=1000)
    assert (cfg.seed, cfg.n_customers) == (7, 1000)
    assert ShopConfig().seed == 42  # the original is unchanged (frozen)
    with pytest.raises(ConfigError, match=r"unknown ShopConfig field\(s\) \['customers'\]"):
        ShopConfig().replace(customers=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.seed = 3  # type: ignore[misc]


def test_configs_pickle_and_copy():
    import copy
    import pickle

    cfg = ShopConfig.preset("production_centric").replace(persona_mix={"searcher": 0.5, "hesitant": 0.5})
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert copy.deepcopy(cfg) == cfg and copy.copy(cfg) == cfg


def test_mixes_cannot_be_changed_after_validation():
    cfg = ShopConfig()
    with pytest.raises(TypeError):
        cfg.persona_mix["searcher"] = 0.9  # type: ignore[index]


def test_dates_accept_date_objects_and_normalise_to_iso():
    cfg = ShopConfig(start_date=dt.date(2023, 3, 1), end_date=dt.datetime(2024, 2, 29, 15, 0))
    assert (cfg.start_date, cfg.end_date) == ("2023-03-01", "2024-02-29")


def test_weekly_rhythm_defaults_to_the_locale_week():
    assert ShopConfig().weekly_rhythm is None
    us, ir = ShopConfig().rhythm, ShopConfig(locale="fa_IR").rhythm
    assert len(us) == len(ir) == 7
    assert ir[4] == min(ir)  # Friday, the Iranian weekend, is the quietest day
    assert us[6] == max(us)  # Sunday in the US
    own = ShopConfig(locale="fa_IR", weekly_rhythm=[1, 1, 1, 1, 1, 1, 2])
    assert own.rhythm == (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0)
    with pytest.raises(ConfigError, match="weekly_rhythm must be a list of 7 numbers"):
        ShopConfig(weekly_rhythm="busy")


def test_n_blocks_rounds_up():
    # 5000 customers in blocks of 2500 -> 2 blocks; 5001 -> 3 blocks (ceil).
    assert ShopConfig().n_blocks == 2
    assert ShopConfig(n_customers=5001).n_blocks == 3


@pytest.mark.parametrize("name", list(PRESETS))
def test_dict_round_trip(name):
    cfg = ShopConfig.preset(name)
    d = cfg.to_dict()
    assert isinstance(d["persona_mix"], dict) and isinstance(d["knowledge_mix"], list)
    assert ShopConfig.from_dict(d) == cfg
    assert ShopConfig.from_dict(json.loads(json.dumps(d))) == cfg


def test_json_round_trip_via_file(tmp_path):
    cfg = ShopConfig(seed=3, locale="fa_IR", persona_mix={"searcher": 0.5, "impulsive": 0.5})
    path = tmp_path / "shop.json"
    text = cfg.to_json(path)
    assert path.read_text(encoding="utf-8") == text
    assert json.loads(text)["persona_mix"]["impulsive"] == 0.5
    assert ShopConfig.from_file(path) == cfg
    assert hash(ShopConfig.from_file(path)) == hash(cfg)


def test_toml_file(tmp_path):
    path = tmp_path / "shop.toml"
    path.write_text(
        'seed = 9\nn_customers = 800\nweekly_rhythm = [1, 1, 1, 1, 1, 1.5, 1.5]\n'
        "[persona_mix]\nsearcher = 0.6\nresearcher = 0.4\n",
        encoding="utf-8",
    )
    cfg = ShopConfig.from_file(path)
    assert (cfg.seed, cfg.n_customers) == (9, 800)
    assert cfg.weekly_rhythm == (1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.5)
    assert cfg.persona_mix["discount_seeker"] == 0.0  # unnamed personas get share 0
    assert cfg.late_delivery_rate == ShopConfig().late_delivery_rate  # missing fields: defaults


def test_from_file_bad_inputs(tmp_path):
    with pytest.raises(ConfigError, match="must end in .json or .toml"):
        ShopConfig.from_file(tmp_path / "shop.yaml")
    with pytest.raises(ConfigError, match="does not exist"):
        ShopConfig.from_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="could not read"):
        ShopConfig.from_file(bad)
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"customers": 10}', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown ShopConfig field"):
        ShopConfig.from_file(unknown)
    with pytest.raises(ConfigError, match="needs a dict"):
        ShopConfig.from_dict([("seed", 1)])  # type: ignore[arg-type]


def test_numpy_scalars_are_read_as_the_numbers_they_hold():
    cfg = ShopConfig(seed=np.int64(3), n_customers=np.int64(50), late_delivery_rate=np.float64(0.2))
    assert (cfg.seed, cfg.n_customers, cfg.late_delivery_rate) == (3, 50, 0.2)
    assert type(cfg.seed) is int and type(cfg.late_delivery_rate) is float


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_config_file_in_utf8_with_or_without_a_mark_or_utf16_is_read(tmp_path, encoding):
    path = tmp_path / "shop.toml"
    path.write_bytes("# فروشگاه\nseed = 3\nlocale = 'fa_IR'\n".encode(encoding))
    cfg = ShopConfig.from_file(path)
    assert (cfg.seed, cfg.locale) == (3, "fa_IR")


def test_a_config_file_in_another_encoding_gets_a_clear_error(tmp_path):
    path = tmp_path / "shop.toml"
    path.write_bytes("# café\nseed = 3\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="is not UTF-8 text; save it as UTF-8"):
        ShopConfig.from_file(path)


def test_with_customers_scales_the_anonymous_visitors_and_keeps_the_funnel():
    """35 visitors per account in every preset; with_customers keeps that ratio (replace does not)."""
    from custkit import realism
    from custkit.simulate import generate

    for name in PRESETS:
        cfg = ShopConfig.preset(name)
        assert cfg.anonymous_visitors == 35 * cfg.n_customers
        assert cfg.with_customers(1_000_000).anonymous_visitors == 35_000_000
    assert ShopConfig().with_customers(777).replace(anonymous_visitors=0) == ShopConfig().replace(
        n_customers=777, anonymous_visitors=0)
    with pytest.raises(ConfigError, match="n_customers"):
        ShopConfig().with_customers(5)

    def purchase_share(cfg):  # share of visits that end in a purchase, with its published range
        row = realism.scorecard(generate(cfg)).set_index("metric").loc["purchase_sessions"]
        return row["value"], row["low"], row["high"]

    # four times the accounts: scaled visitors keep the purchase share in its range, fixed ones do not
    small = ShopConfig().replace(n_customers=1500, anonymous_visitors=52_500, seed=3)
    value, low, high = purchase_share(small.with_customers(6000))
    assert low <= value <= high
    value, low, high = purchase_share(small.replace(n_customers=6000))
    assert value > high
