"""``mkdocs serve``: it builds once and stays idle, and an edit to ``ganbook/`` is what it shows.

Nothing the build writes triggers a rebuild. When the code changes while it serves, the next
build runs (experiments in fresh workers) and draws and checks (figures and claims, after the
plugin reloads the edited modules) with the new code, and stores its results under the new key
only: a later build from scratch reads them back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import MKDOCS, ROOT, free_port


def test_serve_builds_once_and_does_not_loop(tmp_path, built_site):
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = {
        **os.environ,
        "GANBOOK_PROFILE": "test",
        "GANBOOK_SITE_URL": f"http://127.0.0.1:{port}/",
        # the session build's cache: serving needs no experiment to run again
        "GANBOOK_CACHE_DIR": str(built_site.cache_dir),
        "GANBOOK_DEVICE": "cpu",
        "NO_MKDOCS_2_WARNING": "1",
    }
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "mkdocs"),
                "serve",
                "--strict",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180
        while "Serving on" not in log_path.read_text():
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/part-1/shift-toy/") as response:
            assert response.status == 200
            assert b"gb-figure" in response.read()
        time.sleep(6)  # longer than the watcher's debounce: a loop would have rebuilt by now
        log = log_path.read_text()
        assert log.count("Building documentation") == 1, log
        assert "Detected file changes" not in log, log
    finally:
        server.terminate()
        server.wait(timeout=30)


TINY_EXPERIMENT = '''"""A one-number chapter for the serve test."""

from ganbook.engine.registry import experiment
from ganbook.engine.result import ExperimentResult


@experiment("tiny_value", uses_torch_device=False)
def tiny_value(_params, _context):
    """The number on the page."""
    return ExperimentResult(scalars={"value": 41})
'''
TINY_FIGURE = '''"""The figure of the tiny chapter: bytes that name its value and a label."""

from ganbook.engine.figures import figure


@figure("tiny_figure", experiments=("tiny_value",), caption="Tiny.", alt="Tiny.", format="svg")
def tiny_figure(results):
    """No drawing: the bytes say what the code and the result were."""
    return f"label A, value {results['tiny_value'].scalar('value')}".encode()
'''
TINY_CLAIM = '''"""The claim of the tiny chapter."""

from ganbook.engine.claims import at_least, claim


@claim("tiny_value", "the value is at least forty")
def large(result):
    """The number on the page is at least 40."""
    return at_least("value", result.scalar("value"), 40)
'''
TINY_PAGE = """# Tiny

The value is {{ result tiny_value.value }}. It is large. {{ claim tiny_value.large }}

{{ figure tiny_figure }}
"""
TINY_CONFIG = """site_name: tiny
site_url: http://127.0.0.1:{port}/
docs_dir: docs
nav:
  - Tiny: part-1/tiny.md
markdown_extensions:
  - attr_list
  - md_in_html
plugins:
  - ganbook:
      cache_dir: {cache}
      device: cpu
      profile: test
      workers: 1
"""


def tiny_project(base: Path, port: int) -> Path:
    """A copy of the project whose book is one chapter, ``part-1/tiny``, with one experiment."""
    project = base / "project"
    shutil.copytree(
        ROOT / "ganbook", project / "ganbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    book = project / "ganbook" / "book" / "__init__.py"
    text = book.read_text()
    chapters = re.search(r"^CHAPTERS = \(\n.*?^\)\n", text, re.MULTILINE | re.DOTALL)
    assert chapters, "ganbook/book/__init__.py has no CHAPTERS tuple"
    text = text.replace(chapters.group(0), 'CHAPTERS = (Chapter("part-1/tiny"),)\n')
    book.write_text(text)
    chapter = project / "ganbook" / "book" / "part1" / "tiny"
    chapter.mkdir()
    (chapter / "__init__.py").write_text('"""The tiny chapter."""\n')
    (chapter / "experiments.py").write_text(TINY_EXPERIMENT)
    (chapter / "figures.py").write_text(TINY_FIGURE)
    (chapter / "claims.py").write_text(TINY_CLAIM)
    (project / "docs" / "part-1").mkdir(parents=True)
    (project / "docs" / "part-1" / "tiny.md").write_text(TINY_PAGE)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    config = TINY_CONFIG.format(port=port, cache=base / "cache")
    (project / "mkdocs.yml").write_text(config)
    return project


def fetch(url: str) -> str:
    """The page at ``url``; a server stuck on a failed rebuild times out instead of hanging."""
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode()


def wait_for(condition, what: str, server, log_path: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert server.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, f"{what}:\n{log_path.read_text()}"
        time.sleep(0.5)


def test_an_edit_while_serving_is_what_the_next_build_shows_and_stores(tmp_path):
    port = free_port()
    project = tiny_project(tmp_path, port)
    env = {
        **os.environ,
        "PYTHONPATH": str(project),  # the copy's ganbook, in the server and in its workers
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_MKDOCS_2_WARNING": "1",
    }
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(MKDOCS), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    page = f"http://127.0.0.1:{port}/part-1/tiny/"
    try:
        wait_for(
            lambda: "Serving on" in log_path.read_text(), "serve did not start", server, log_path
        )
        assert "The value is" in fetch(page)
        assert ">41<" in fetch(page)
        chapter = project / "ganbook" / "book" / "part1" / "tiny"
        for name, old, new in (
            ("experiments.py", '"value": 41', '"value": 42'),
            ("figures.py", "label A", "label B"),
            ("claims.py", "at least forty", "at least forty-one"),
        ):
            path = chapter / name
            path.write_text(path.read_text().replace(old, new))
        source = project / "docs" / "part-1" / "tiny.md"
        source.write_text(source.read_text() + "\n")  # the server watches docs/, not ganbook/
        wait_for(lambda: ">42<" in fetch(page), "the edit never reached the page", server, log_path)
        figure = fetch(f"http://127.0.0.1:{port}/figures/tiny_figure.svg")
        assert figure == "label B, value 42"
        ledger = fetch(f"http://127.0.0.1:{port}/reference/claims/")
        assert "at least forty-one" in ledger
        assert "reloaded the code" in log_path.read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
    # every entry of the experiment holds what its key's code computes: 41 under the first key,
    # 42 under the edited one; a build from scratch reads the new entries back and shows 42
    cache = tmp_path / "cache"
    stored = {}
    for entry in (cache / "experiments").glob("tiny_value-*"):
        record = json.loads((entry / "result.json").read_text())
        stored[record["key"]] = record["scalars"]["value"]
    assert sorted(stored.values()) == [41, 42]
    figures = sorted(p.read_text() for p in (cache / "figures").glob("tiny_figure-*.svg"))
    assert figures == ["label A, value 41", "label B, value 42"]
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "computed" not in done.stderr
    assert "rendered" not in done.stderr
    built = (tmp_path / "site" / "part-1" / "tiny" / "index.html").read_text()
    assert ">42<" in built
    assert (tmp_path / "site" / "figures" / "tiny_figure.svg").read_text() == "label B, value 42"
    key = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ganbook.engine.runner import experiment_key; "
            "print(experiment_key('tiny_value', profile='test', device='cpu'))",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert stored[key] == 42
