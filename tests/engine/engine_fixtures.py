"""The fixture ``toys``: the engine's test experiments (`engine_toys`), for one test only.

A test module that uses it says ``pytest_plugins = ["engine_fixtures"]``. It holds no assert,
so pytest need not rewrite it (PYTEST_DONT_REWRITE: doctest collection imports it first).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from ganbook.engine import figures as figure_registry
from ganbook.engine import registry

HERE = Path(__file__).resolve().parent


@pytest.fixture
def toys(monkeypatch, tmp_path):
    """A function ``load(**env)`` that (re-)imports `engine_toys` with ``GANBOOK_TOYS_*`` set.

    Worker processes see the same environment, so they register the same toys. Every
    registration is undone after the test. The computations log to ``tmp_path / "toys.log"``.
    """
    registry.load_catalogue()
    experiments, grids = dict(registry._REGISTRY), dict(registry._GRIDS)
    figures = dict(figure_registry._REGISTRY)
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setenv("GANBOOK_TOYS", "1")  # engine_toys registers nothing without it
    monkeypatch.setenv("GANBOOK_TOYS_LOG", str(tmp_path / "toys.log"))

    def restore() -> None:
        for mapping, before in (
            (registry._REGISTRY, experiments),
            (registry._GRIDS, grids),
            (figure_registry._REGISTRY, figures),
        ):
            mapping.clear()
            mapping.update(before)
        sys.modules.pop("engine_toys", None)

    def load(**env: str):
        """Import the toys afresh with ``GANBOOK_TOYS_<NAME>=value`` for ``env`` (others unset)."""
        restore()
        for name in ("seeds", "cell_lr", "n"):
            monkeypatch.delenv(f"GANBOOK_TOYS_{name.upper()}", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(f"GANBOOK_TOYS_{name.upper()}", value)
        return importlib.import_module("engine_toys")

    yield load
    restore()
