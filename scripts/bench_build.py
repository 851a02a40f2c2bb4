"""A warm rebuild of the site against MkDocs' own speed on the same pages.

Measures, in one run:

(a) ``mkdocs build --strict`` of the real site with nothing changed since the last build (the
    ganbook plugin reads its snapshot back; nothing is run or drawn), and
(b) the same pages built without the ganbook plugin and without mkdocs-jupyter: same theme,
    Markdown extensions and mkdocstrings, the pages copied into a temporary directory with their
    ``{{ … }}`` directives removed, the notebook page left out of the navigation (its file is
    copied as a plain file, so links to it still resolve), the claims ledger a stub page, and
    MathJax copied in as the plugin would add it.

It prints the median of ``--repeat`` timed builds of each, and the ratio (a) / (b); the target is
at most 2 (``DESIGN.md`` §6). It never runs a cold build by accident: unless ``--allow-cold`` is
given, it stops when the cache holds no snapshot for the current code and options.

Usage::

    .venv/bin/python scripts/bench_build.py [--profile standard] [--repeat 3] [--allow-cold]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.config import load_config
from mkdocs.utils import yaml_load

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).parent / "mkdocs"
WITHOUT = ("ganbook", "mkdocs-jupyter")
"""The plugins the baseline leaves out."""


def _env(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GANBOOK_PROFILE": args.profile,
        "GANBOOK_CACHE_DIR": str(args.cache_dir),
        "GANBOOK_ONLY": "",
    }


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"bench_build: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return seconds, done.stdout + done.stderr


def _has_snapshot(args: argparse.Namespace) -> bool:
    """Whether the plugin would find the snapshot of a build with nothing changed."""
    from ganbook.site.snapshot import load_snapshot

    os.environ.update(_env(args))
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["ganbook"]
    plugin.on_config(config)
    return load_snapshot(plugin.cache_dir, plugin.snapshot_key(config)) is not None


def _strip_nav(nav, dropped: set[str]):
    """``nav`` without the entries that point at ``dropped`` files."""
    if isinstance(nav, list):
        kept = [_strip_nav(item, dropped) for item in nav]
        return [item for item in kept if item is not None]
    if isinstance(nav, dict):
        ((title, value),) = nav.items()
        value = _strip_nav(value, dropped)
        return None if value is None else {title: value}
    return None if nav in dropped else nav


def baseline_project(workdir: Path) -> Path:
    """Write the baseline's pages and ``mkdocs.yml`` under ``workdir``; return the config file."""
    from ganbook.site.ledger import LEDGER_URI
    from ganbook.site.markup import expand
    from ganbook.site.vendored import VENDORED

    docs = workdir / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        stripped = expand(
            text,
            figure=lambda *_: "",
            result=lambda *_: "0",
            claim=lambda *_: "",
            table=lambda *_: "| a |\n| --- |\n| 0 |",
            where=str(page),
        )
        page.write_text(stripped, encoding="utf-8")
    (docs / LEDGER_URI).write_text("# Claims ledger\n\nA stub of the generated page.\n")
    for uri, path in (pair for library in VENDORED for pair in library.files(ROOT)):
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / uri)
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as stream:
        config = yaml_load(stream)
    config["plugins"] = [
        p for p in config["plugins"] if (p if isinstance(p, str) else next(iter(p))) not in WITHOUT
    ]
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "mkdocstrings" in plugin:
            plugin["mkdocstrings"]["handlers"]["python"]["paths"] = [str(ROOT)]
    notebooks = {p.relative_to(docs).as_posix() for p in docs.rglob("*.nb.py")}
    config["nav"] = _strip_nav(config["nav"], notebooks)
    config["docs_dir"] = str(docs)
    config["strict"] = False  # the notebook's page is gone; links to it are plain files now
    path = workdir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def main() -> int:
    """Run both builds ``--repeat`` times each and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="standard")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".cache" / "ganbook")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--allow-cold", action="store_true", help="build once first, computing what is missing"
    )
    args = parser.parse_args()
    env = _env(args)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        site = ["--site-dir", str(work / "site-a")]
        if not _has_snapshot(args):
            if not args.allow_cold:
                print(
                    f"bench_build: {args.cache_dir} holds no snapshot of a build of this code "
                    f"with profile {args.profile}: a build would go through the engine and may "
                    "compute experiments. Build the site first, or pass --allow-cold.",
                    file=sys.stderr,
                )
                return 2
            seconds, _ = _timed([str(MKDOCS), "build", "--strict", *site], env)
            print(f"first build (not timed as warm): {seconds:.1f} s")
        warm = []
        for _ in range(args.repeat + 1):  # the first run warms the file system caches
            seconds, log = _timed([str(MKDOCS), "build", "--strict", *site], env)
            if "nothing changed since the build of snapshot" not in log:
                sys.exit(f"bench_build: the build was not warm:\n{log}")
            warm.append(seconds)
        config = baseline_project(work)
        bare = []
        for _ in range(args.repeat + 1):
            seconds, _ = _timed(
                [str(MKDOCS), "build", "-f", str(config), "--site-dir", str(work / "site-b")], env
            )
            bare.append(seconds)
    a, b = statistics.median(warm[1:]), statistics.median(bare[1:])
    print(f"(a) warm build with the ganbook plugin:      {a:.2f} s  (runs: {_runs(warm[1:])})")
    print(f"(b) same pages, no ganbook, no jupyter:      {b:.2f} s  (runs: {_runs(bare[1:])})")
    print(f"ratio (a)/(b): {a / b:.2f} (target: at most 2)")
    return 0


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


if __name__ == "__main__":
    sys.exit(main())
