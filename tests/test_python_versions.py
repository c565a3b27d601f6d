"""Python 3.11 to 3.13: the lock carries wheels for each, the Makefile picks the newest
interpreter on the PATH (tested with stub interpreters), and the project's own code raises no
DeprecationWarning (pytest turns them into errors, see pyproject.toml)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from importlib import metadata

import pytest
from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from conftest import ROOT

VERSIONS = [(3, 11), (3, 12), (3, 13)]
LINUX = [f"manylinux_2_{minor}_x86_64" for minor in range(36, 4, -1)] + \
    ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64", "linux_x86_64"]


def _locked() -> dict[str, dict]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {canonicalize_name(p["name"]): p for p in lock["package"]}


def test_the_lock_covers_python_3_11_to_3_13():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    assert lock["requires-python"] == ">=3.11, <3.14"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11,<3.14"


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: f"py{v[0]}{v[1]}")
def test_every_installed_dependency_has_a_locked_wheel_for(version):
    """What this environment installed is what a Linux machine of that Python installs: each
    locked version must come as a wheel for it (no compiler on the user's machine)."""
    supported = {str(t) for t in cpython_tags(version, platforms=LINUX)} | \
        {str(t) for t in compatible_tags(version, platforms=LINUX)}
    locked, missing = _locked(), []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        package = locked.get(name)
        if package is None or package.get("source", {}).get("editable") or name == "newswatch":
            continue
        wheels = [parse_wheel_filename(w["url"].rsplit("/", 1)[1])[3] for w in package.get("wheels", [])]
        if not any(str(tag) in supported for tags in wheels for tag in tags):
            missing.append(f"{name} {package['version']}")
    assert not missing, f"no wheel for Python {version[0]}.{version[1]}: {missing}"


def _stub(folder, name: str, version: tuple[int, int]) -> None:
    """A stand-in interpreter: answers the Makefile's version check and `--version`."""
    fits = (3, 11) <= version <= (3, 13)
    script = folder / name
    script.write_text("#!/bin/sh\n"
                      f'if [ "$1" = "--version" ]; then echo "Python {version[0]}.{version[1]}.0"; exit 0; fi\n'
                      f"exit {0 if fits else 1}\n")
    script.chmod(0o755)


@pytest.mark.parametrize("present, chosen", [
    ({"python3.12": (3, 12), "python3": (3, 10)}, "python3.12"),
    ({"python3.13": (3, 13), "python3.12": (3, 12), "python3.11": (3, 11)}, "python3.13"),
    ({"python3": (3, 11)}, "python3"),
    ({"python3.14": (3, 14), "python3": (3, 10)}, None),
])
def test_the_makefile_picks_the_newest_supported_python(tmp_path, present, chosen):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    for name, version in present.items():
        _stub(tmp_path, name, version)
    env = {"PATH": str(tmp_path), "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run([make, "-s", "-C", str(ROOT), "python"], env=env, capture_output=True, text=True)
    if chosen is None:
        assert done.returncode != 0
        assert "needs Python 3.11, 3.12 or 3.13" in done.stderr and "found: Python 3.10.0" in done.stderr
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"using {chosen} (Python {present[chosen][0]}.{present[chosen][1]}.0)"


def test_the_lock_is_current():
    uv = ROOT / ".venv" / "bin" / "uv"
    if not uv.exists():
        pytest.skip("uv is not in .venv (make builds it)")
    done = subprocess.run([str(uv), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
