"""Repository contracts: pins, the two commands, CI, workflows, nothing generated tracked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _runtime_requirements() -> list[str]:
    return list(_pyproject()["project"]["dependencies"])


def _extra_requirements() -> list[str]:
    extras = _pyproject()["project"]["optional-dependencies"].values()
    return [req for group in extras for req in group]


def _locked() -> dict[str, str]:
    locked = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = version.split("+")[0]
    return locked


def test_the_site_extras_are_pinned_exactly():
    for requirement in _extra_requirements():
        if requirement.startswith("ray"):
            continue  # the optional executor: a range, like the runtime (the lock pins it)
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.+]*", requirement), requirement


def test_torch_is_locked_to_the_cpu_wheel_on_disk():
    assert any(r.startswith("torch>=") for r in _pyproject()["project"]["dependencies"])
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(r"^torch==2\.13\.0(\+cpu)?$", lock, flags=re.MULTILINE)


def test_the_lock_satisfies_every_declared_requirement():
    from packaging.requirements import Requirement

    locked = _locked()
    for text in _runtime_requirements() + _extra_requirements():
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in locked, f"{name} is declared but not in requirements.lock"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{name}: requirements.lock has {locked[name]}, pyproject wants {requirement.specifier}"
        )


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^make test\b", readme, flags=re.MULTILINE)
    assert match, "README must state the test command `make test`"
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in ci_lines


def test_ci_builds_the_published_site_and_tests_it_in_the_browser():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    order = [lines.index("make test"), lines.index("make site")]
    browser = next(i for i, line in enumerate(lines) if "GANBOOK_PUBLISHED_SITE=site" in line)
    assert order[0] < order[1] < browser
    assert "GANBOOK_PROFILE" not in " ".join(lines), "CI must build the published profile"
    pages = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "actions/cache" not in pages, "Pages must build cold, as CI does"
    assert "GANBOOK_PUBLISHED_SITE=site" in pages


@pytest.mark.parametrize(
    "workflow", sorted((ROOT / ".github" / "workflows").glob("*.yml")), ids=lambda p: p.name
)
def test_workflow_matches_the_github_schema(workflow):
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_exist():
    names = {p.name for p in (ROOT / ".github" / "workflows").glob("*.yml")}
    assert {"ci.yml", "pages.yml"} <= names


def test_pages_workflow_builds_with_make_site_and_deploys_site_dir():
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "run: make site" in text
    assert "path: site" in text
    assert "actions/deploy-pages" in text


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_refreshes_the_venv_only_when_the_pins_change(tmp_path):
    for name in (
        "Makefile",
        "pyproject.toml",
        "requirements.lock",
        "package.json",
        "package-lock.json",
    ):
        shutil.copy(ROOT / name, tmp_path / name)
    stamp = tmp_path / ".venv" / ".ganbook-installed"
    stamp.parent.mkdir()

    def planned_commands() -> str:
        return subprocess.run(
            ["make", "-n", "test"], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout

    assert "pip install" in planned_commands()  # no venv yet: install
    stamp.touch()
    assert "pip install" not in planned_commands()  # fresh: reuse
    later = stamp.stat().st_mtime + 10

    os.utime(tmp_path / "pyproject.toml", (later, later))
    assert "pip install" in planned_commands()  # pins changed: refresh


def test_git_tracks_no_generated_file():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    forbidden = re.compile(r"\.(png|gif|jpe?g|ipynb|npz|pt|pth|whl)$|^(site|\.cache|\.venv)/", re.I)
    offenders = [path for path in tracked if forbidden.search(path)]
    assert offenders == []
