r"""Whether the ganbook code a process runs is the code on disk, and reloading it when it is not.

A cache key is computed from the files on disk, but a long-lived process (``mkdocs serve``) runs
the modules it imported when it started. This module records the SHA-256 of each ganbook module's
source at the moment it is imported (a finder on ``sys.meta_path``, installed when this module is
first imported, which the engine does before anything else), so that

- `stale_modules` tells which of some modules were edited since this process imported them (the
  runner refuses to store such a result: `StaleCodeError`), and
- `reload_if_changed`, called by the MkDocs plugin at the start of every build, drops every
  ``ganbook`` module from ``sys.modules`` when any of them changed, so that the build imports the
  code on disk again: figures and claims are then drawn and checked by the new code too.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "ganbook"
KEEP = frozenset({__name__, "ganbook.site.plugin"})
"""Modules `reload_if_changed` neither checks nor unloads: this one (its records must survive)
and the MkDocs plugin, whose class MkDocs holds; the plugin imports the engine inside its hooks,
so it gets the new engine, but an edit to the plugin itself needs a restart of ``mkdocs serve``."""

_IMPORTED: dict[str, str] = {}
"""Module name → SHA-256 of its source file when this process imported it."""


class StaleCodeError(RuntimeError):
    """The code this process imported is not the code on disk any more."""


def _digest(path: str | Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _is_ganbook(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


class _SourceRecorder(importlib.abc.MetaPathFinder):
    """Finds nothing itself; notes the digest of each ganbook module's source as it is found."""

    def find_spec(self, name, path, _target=None):
        if _is_ganbook(name) and name not in _IMPORTED and path:
            leaf = name.rpartition(".")[2]
            for folder in path:
                for candidate in (Path(folder, f"{leaf}.py"), Path(folder, leaf, "__init__.py")):
                    if candidate.is_file():
                        _IMPORTED[name] = _digest(candidate)
                        return None
        return None


def _record_loaded() -> None:
    """Record the modules imported before this one (their source as it is now)."""
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if _is_ganbook(name) and name not in _IMPORTED and origin and origin.endswith(".py"):
            _IMPORTED[name] = _digest(origin)


def stale_modules(modules: Iterable[str]) -> list[str]:
    """Those of ``modules`` that this process imported and whose file has changed since, sorted."""
    stale = []
    for name in set(modules):
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None)
        if name in _IMPORTED and origin and _digest(origin) != _IMPORTED[name]:
            stale.append(name)
    return sorted(stale)


def reload_if_changed() -> list[str]:
    """If any loaded ganbook module changed on disk, unload every ganbook module but `KEEP`.

    The next ``import`` of a ganbook module then reads the code on disk, and the registries of
    experiments, figures and claims are filled anew by it. Returns the changed modules (empty
    when nothing changed, and nothing is unloaded).
    """
    changed = stale_modules(n for n in sys.modules if _is_ganbook(n) and n not in KEEP)
    if changed:
        for name in [n for n in sys.modules if _is_ganbook(n) and n not in KEEP]:
            del sys.modules[name]
            _IMPORTED.pop(name, None)
    return changed


if not any(isinstance(finder, _SourceRecorder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _SourceRecorder())
_record_loaded()
