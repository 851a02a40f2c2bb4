"""A strict build of the whole site with the ``test`` profile, shared by the site tests.

With ``GANBOOK_PUBLISHED_SITE=DIR`` set, the fixture instead hands over the site already built
in ``DIR`` by ``make site`` (the published, ``standard`` build): ``.ci/run`` runs the browser
tests against it, at the site's own URL, with every request answered from ``DIR``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browsing import SiteFromDirectory, launch_chromium, serve_directory

from helpers import locked, shared_tmp_dir

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"


@dataclass(frozen=True)
class BuiltSite:
    site_dir: Path
    cache_dir: Path | None
    log: str
    port: int
    published_url: str | None = None  # the site's own URL, for the published build


def published_site_url() -> str:
    """The URL ``make site`` builds for: ``GANBOOK_SITE_URL``, else mkdocs.yml's default."""
    if os.environ.get("GANBOOK_SITE_URL"):
        return os.environ["GANBOOK_SITE_URL"]
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r'^site_url: !ENV \[GANBOOK_SITE_URL, "([^"]+)"\]', config, re.MULTILINE)
    assert match, "mkdocs.yml's site_url is not the expected !ENV form"
    return match.group(1)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_site(
    site_dir: Path, cache_dir: Path, profile: str = "test", port: int = 8000
) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` into ``site_dir`` with its own cache, on the CPU.

    The site URL is set to ``http://127.0.0.1:PORT/``: Material's instant navigation only follows
    links whose host, port and path match its sitemap.
    """
    env = {
        **os.environ,
        "GANBOOK_SITE_URL": f"http://127.0.0.1:{port}/",
        "GANBOOK_PROFILE": profile,
        "GANBOOK_CACHE_DIR": str(cache_dir),
        "GANBOOK_DEVICE": "cpu",
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The site built once per test run; pytest-xdist's workers share it (the first builds it)."""
    published = os.environ.get("GANBOOK_PUBLISHED_SITE")
    if published:
        site_dir = Path(published).resolve()
        assert (site_dir / "index.html").is_file(), f"no built site in {site_dir}"
        return BuiltSite(site_dir, None, "", 0, published_site_url())
    base = shared_tmp_dir(tmp_path_factory, "built")
    record = base / "build.json"  # the build's outcome, for the workers that did not run it
    with locked(base / "build.lock"):
        if not record.is_file():
            port = free_port()
            result = build_site(base / "site", base / "cache", port=port)
            outcome = {"log": result.stdout + result.stderr, "port": port, "rc": result.returncode}
            record.write_text(json.dumps(outcome), encoding="utf-8")
    outcome = json.loads(record.read_text(encoding="utf-8"))
    assert outcome["rc"] == 0, outcome["log"]
    return BuiltSite(base / "site", base / "cache", outcome["log"], outcome["port"])


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    """Where the site is served: its published URL (answered from the directory) or a local port.

    The local server takes any free port, so that test files running side by side in two
    workers never compete for one: only a test that follows instant navigation needs the port
    the site was built for, and test_browser overrides this fixture with a server on that port.
    """
    if built_site.published_url:
        yield built_site.published_url
        return
    with serve_directory(built_site.site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(built_site):
    """Headless Chromium; for the published build, one that answers its URL from the directory."""
    with launch_chromium() as chromium:
        if built_site.published_url:
            yield SiteFromDirectory(chromium, built_site.site_dir, built_site.published_url)
        else:
            yield chromium
