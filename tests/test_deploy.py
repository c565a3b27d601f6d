"""deploy/: the build context leaves the local environment out, compose hands the containers a
config and a feeds file, and the README sections the files cite exist."""
from __future__ import annotations

import re

import yaml

from conftest import ROOT


def _headings() -> set[str]:
    return {m.strip() for m in re.findall(r"^#{2,4} (.+)$", (ROOT / "README.md").read_text(), re.M)}


def test_files_cite_readme_sections_that_exist():
    cited = []
    for path in (ROOT / "deploy").iterdir():
        for line in path.read_text().splitlines():
            if "README" in line:
                cited += re.findall(r'"([^"]+)"', line.split("README", 1)[1])
    assert "A Prefect server with workers" in cited and "Configuration" in cited
    missing = [c for c in cited if c not in _headings()]
    assert not missing, missing


def test_dockerignore_keeps_the_environment_data_and_secrets_out():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", "data", ".git", "deploy/.env"} <= ignored
    copied = re.findall(r"^COPY (.+) \S+$", (ROOT / "deploy" / "Dockerfile").read_text(), re.M)
    assert not any(name in ignored for line in copied for name in line.split())  # the image still gets its sources


def test_compose_mounts_a_config_and_a_feeds_file_into_the_worker():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    worker = compose["services"]["worker"]
    mounts = {m["target"]: m for m in worker["volumes"] if isinstance(m, dict)}
    assert mounts["/app/newswatch.toml"]["source"] == "./newswatch.toml"
    assert mounts["/app/deploy/feeds.toml"]["source"] == "./feeds.toml"
    assert all(m["read_only"] and m["bind"]["create_host_path"] is False for m in mounts.values())
    assert worker["environment"]["NEWSWATCH_FEEDS_FILE"] == "/app/deploy/feeds.toml"
    assert "NEWSWATCH_DIR=/app" in (ROOT / "deploy" / "Dockerfile").read_text()  # runs start in /app
