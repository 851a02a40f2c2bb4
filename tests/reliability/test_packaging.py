"""``pip install ganbook`` as a library user gets it: ranges, not pins, and a clean source tree.

The wheel is built from the checkout and installed into a new virtual environment with the
site's constraints (``requirements.lock``: torch 2.13.0 on the CPU, which pip finds locally), as
the README tells a library user; then every public module is imported and the CLI runs.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from faults import REPO

import ganbook

RUNTIME = ("torch", "numpy", "scipy", "matplotlib", "pot")


def _name(requirement: str) -> str:
    return requirement.split(";")[0].split("[")[0].strip().split("<")[0].split(">")[0].split("=")[0]


def test_runtime_dependencies_are_ranges_and_the_lock_pins_them():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {_name(r): r for r in project["dependencies"]}
    for name in RUNTIME:
        assert name in declared, f"{name} is not a declared dependency"
        spec = declared[name]
        assert "==" not in spec, f"{spec}: a library pins no exact version"
        assert ">=" in spec, f"{spec}: a compatible range has a lower end"
        assert "<" in spec, f"{spec}: a compatible range has an upper end"
    lock = (REPO / "requirements.lock").read_text().splitlines()
    assert "torch==2.13.0+cpu" in lock or "torch==2.13.0" in lock
    for name in RUNTIME:
        assert any(line.lower().startswith(f"{name}==") for line in lock), f"{name} not locked"


def _public_modules() -> list[str]:
    """Every module of the package but the MkDocs plugin (``ganbook.site``: the docs extra)."""
    found = [
        info.name
        for info in pkgutil.walk_packages(ganbook.__path__, prefix="ganbook.")
        if not info.name.startswith("ganbook.site") and ".__main__" not in info.name
    ]
    return sorted(found)


def _git_state() -> str:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return done.stdout


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_wheel_installs_into_a_fresh_environment_and_imports(tmp_path):
    before = _git_state()
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO],
        check=True,
    )
    assert _git_state() == before, "building the wheel left files in the source tree"
    (wheel,) = wheels.glob("ganbook-*.whl")

    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", env], check=True)
    python = env / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--constraint", REPO / "requirements.lock",
         wheel],
        check=True,
    )  # fmt: skip
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True
    ).stdout.lower()
    assert "torch==2.13.0" in listed
    for extra in ("mkdocs", "pytest", "ray"):
        assert f"\n{extra}==" not in f"\n{listed}", f"{extra} is not a runtime dependency"

    modules = _public_modules()
    assert len(modules) > 60
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import ganbook; print(ganbook.__file__)\n"
        "print('mkdocs' in sys.modules)\n"
    )
    done = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    where, mkdocs_loaded = done.stdout.split()
    assert Path(where).is_relative_to(env), "imported the checkout, not the installed wheel"
    assert mkdocs_loaded == "False"

    run = tmp_path / "run"
    cli = subprocess.run(
        [env / "bin" / "ganbook", "train", "ring", "--loss", "hinge", "--dry-run", "--out", run],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr
    assert (run / "checkpoint.pt").is_file()
