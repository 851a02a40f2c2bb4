"""``mkdocs serve`` builds once and then stays idle: nothing the build writes triggers a rebuild."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, free_port


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
            assert response.status == 200 and b"gb-figure" in response.read()
        time.sleep(6)  # longer than the watcher's debounce: a loop would have rebuilt by now
        log = log_path.read_text()
        assert log.count("Building documentation") == 1, log
        assert "Detected file changes" not in log, log
    finally:
        server.terminate()
        server.wait(timeout=30)
