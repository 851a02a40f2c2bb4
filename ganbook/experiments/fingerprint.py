"""Fingerprints of code: the source of a module and of the ganbook modules it imports, transitively.

A cached result stays valid exactly as long as the code that computed it is unchanged, so the cache
key hashes the source of the experiment's module and of every ``ganbook`` module reachable from it
through import statements (read from the syntax tree, not by executing anything).
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from pathlib import Path

PACKAGE = "ganbook"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: Modules that only import others to register them: following them would tie every experiment
#: to every other one.
REGISTRATION_MODULES = frozenset(
    {
        "ganbook.experiments.catalogue",
        "ganbook.figures.catalogue",
        "ganbook.experiments.claims",  # claims are checked on results, never part of a key
        "ganbook.claims",
    }
)


def _module_path(module: str) -> Path | None:
    """The source file of ganbook module ``module``, found on disk without importing it."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _absolute(module: str, level: int, name: str | None, is_package: bool) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _imported_modules(module: str) -> set[str]:
    """The ganbook modules that ``module`` names in its import statements.

    ``from a.b import c`` counts ``a.b`` and, when it is a module, ``a.b.c``. Parent packages that
    Python runs implicitly are not followed: their ``__init__`` only re-exports.
    """
    path = _module_path(module)
    if path is None:
        return set()
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.level, node.module, is_package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {
        name
        for name in found
        if name not in REGISTRATION_MODULES and _module_path(name) is not None
    }


@cache
def module_closure(module: str) -> tuple[str, ...]:
    """Return ``module`` and every ganbook module it imports, directly or not, sorted."""
    seen = {module}
    frontier = [module]
    while frontier:
        for name in _imported_modules(frontier.pop()):
            if name not in seen:
                seen.add(name)
                frontier.append(name)
    return tuple(sorted(seen))


def source_fingerprint(module: str) -> str:
    """Return the SHA-256 of the source text of :func:`module_closure` of ``module``.

    Not cached: an edited file must change the fingerprint within one long-lived process
    (``mkdocs serve``).
    """
    digest = hashlib.sha256()
    for name in module_closure(module):
        path = _module_path(name)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
