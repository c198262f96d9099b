"""The dependency locks (requirements/*.txt, made by `make lock`) agree with pyproject.toml:
each dependency is pinned with hashes in the lock that installs it, at a version its range
allows, and the pins of two locks never differ."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Which extras each lock installs (scripts/lock).
LOCKS = {"base": (), "test": ("test", "dev"), "bench": ("test", "dev", "bench")}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+?)\s*(\\)?$")

pytestmark = pytest.mark.engine_independent


def pins(name):
    """{package: (version, hashes)} of one lock."""
    found, current = {}, None
    for line in (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            found[current] = (match[2], [])
        elif line.strip().startswith("--hash=sha256:") and current:
            found[current][1].append(line.strip())
        elif not line.startswith(" "):
            current = None
    return found


def wanted(lock):
    project = PYPROJECT["project"]
    requirements = list(project["dependencies"]) + list(PYPROJECT["build-system"]["requires"])
    for extra in LOCKS[lock]:
        requirements += project["optional-dependencies"][extra]
    return [Requirement(r) for r in requirements]


def test_the_locks_were_made_from_the_dependencies_of_pyproject():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lock", list(LOCKS))
def test_every_dependency_is_pinned_in_its_lock_at_a_version_its_range_allows(lock):
    pinned = pins(lock)
    for requirement in wanted(lock):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is missing from requirements/{lock}.txt: make lock"
        version = pinned[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in requirements/{lock}.txt is outside {requirement}: make lock"
        )


@pytest.mark.parametrize("lock", list(LOCKS))
def test_every_pin_carries_its_hashes(lock):
    assert all(hashes for _version, hashes in pins(lock).values())


def test_a_package_has_the_same_pin_in_every_lock_that_holds_it():
    locks = {name: pins(name) for name in LOCKS}
    for smaller, larger in [("base", "test"), ("test", "bench")]:
        for package, (version, _hashes) in locks[smaller].items():
            assert locks[larger][package][0] == version, (package, smaller, larger)


def test_sonar_runs_without_uvicorn():
    # `sonar serve` runs granian; uvicorn only serves tests and benchmarks.
    assert "uvicorn" not in pins("base")
    for path in (ROOT / "sonar").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert "uvicorn" not in imported, path


def test_the_licence_is_an_spdx_expression():
    assert PYPROJECT["project"]["license"] == "AGPL-3.0-or-later"


def test_a_dependency_added_without_relocking_stops_the_install_with_the_command_to_run(tmp_path):
    for part in ("scripts/lock", "requirements/base.txt", "requirements/test.txt"):
        (tmp_path / part).parent.mkdir(exist_ok=True)
        (tmp_path / part).write_bytes((ROOT / part).read_bytes())
    (tmp_path / "requirements/bench.txt").write_bytes(
        (ROOT / "requirements/bench.txt").read_bytes()
    )
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        text.replace("dependencies = [\n", 'dependencies = [\n    "django-ninja>=1.3",\n', 1),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "lock"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "make lock" in result.stderr
    assert "requirements/base.txt" in result.stderr
