"""The multi-worker recipe (deploy/prefect-sharded.yaml, deploy/compose.ducklake.yaml) names real
flows, parameters and settings, and its shards cover the feed list once. (No Docker engine runs
here: the recipe is checked, not started; the sharding itself is tested in test_storage_ducklake.)"""
from __future__ import annotations

import importlib
import inspect

import yaml

from conftest import ROOT
from flows.settings import Settings

SHARDED = ROOT / "deploy" / "prefect-sharded.yaml"
COMPOSE = ROOT / "deploy" / "compose.ducklake.yaml"


def _flow(entrypoint: str):
    path, name = entrypoint.split(":")
    return getattr(importlib.import_module(path.removesuffix(".py").replace("/", ".")), name)


def test_every_deployment_names_a_flow_and_its_parameters():
    spec = yaml.safe_load(SHARDED.read_text())
    for deployment in spec["deployments"]:
        flow = _flow(deployment["entrypoint"])
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment["parameters"]) <= accepted, deployment["name"]
        assert deployment["concurrency_limit"]["limit"] == 1, deployment["name"]


def test_the_shards_cover_the_feed_list_once_and_one_run_alerts():
    deployments = yaml.safe_load(SHARDED.read_text())["deployments"]
    shards = [d["parameters"] for d in deployments if d["entrypoint"] == "flows/ingest.py:ingest"]
    counts = {p["shards"] for p in shards}
    assert len(counts) == 1 and sorted(p["shard"] for p in shards) == list(range(counts.pop()))
    assert [d["entrypoint"] for d in deployments].count("flows/alerting.py:alerts") == 1


def test_the_compose_recipe_sets_real_settings_and_shares_the_lake():
    spec = yaml.safe_load(COMPOSE.read_text())
    environment = spec["services"]["worker"]["environment"]
    known = {f"NEWSWATCH_{name.upper()}" for name in Settings.model_fields}
    assert {k for k in environment if k.startswith("NEWSWATCH_")} <= known
    assert environment["NEWSWATCH_STORAGE_BACKEND"] == "ducklake"
    Settings(storage_backend="ducklake", ducklake_catalog=environment["NEWSWATCH_DUCKLAKE_CATALOG"])  # valid
    assert "lake-data:/lake" in spec["services"]["worker"]["volumes"]
    assert "prefect-sharded.yaml" in spec["services"]["register"]["command"]
    assert (ROOT / "deploy" / "postgres-lake.sql").exists()
