r"""Fingerprints of code: the source of a module and of the ganbook code it really uses.

A cached result stays valid exactly as long as the code that computed it is unchanged, so the cache
key hashes the source of every ``ganbook`` module whose code an experiment uses, read from the
syntax trees (nothing is executed). Two rules keep that closure *semantic*, so that an edit
re-runs only what it can change:

- **Names are followed to where they are defined.** An experiment's closure starts at its compute
  function, not at its whole module; a definition uses the names in it (and those of its
  module's top-level statements that run at import), followed to other definitions of the
  module and, through its imports, to the module that defines each imported name:
  ``from ganbook.models import MLPGenerator`` reaches ``ganbook/models/mlp.py``, not
  ``ganbook/models/__init__.py``, which only re-exports it (and would pull in every model), and
  ``reproducible_torch`` reaches ``training/loop.py`` without the trainer's step that ``train``
  in the same file uses. Every module reached is hashed whole; a name that cannot be resolved
  statically (a star import, a module used as a namespace) takes its whole module.
- **Machinery is never entered** (`NON_SEMANTIC`): the progress bar, atomic file writes, the
  CLI and its applications, the site, the chapter list, the claims, and the engine's own
  registration, caching and scheduling code. What they do cannot change a number; what the
  engine decides for a run (parameters, seed, device kind, threads, the keys of the needs)
  enters the key as values instead.

Parent packages that Python runs implicitly when a submodule is imported are not followed: their
``__init__`` only re-exports. A module imported inside a function counts like any other.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "ganbook"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]

NON_SEMANTIC = frozenset(
    {
        "ganbook.__main__",
        "ganbook.cli",  # the command line
        "ganbook.apps.train_cli",  # `ganbook train` and its argument parsing
        "ganbook.apps.preview",  # sample images written by `ganbook train`
        "ganbook.training.progress",  # the progress bar (silent in a build)
        "ganbook.training.atomic",  # write-then-rename of files
        "ganbook.book",  # the list of chapters: importing it registers everything
        "ganbook.engine",  # the engine's re-exports
        "ganbook.engine.registry",  # registration of experiments and grids
        "ganbook.engine.figures",  # registration of figures
        "ganbook.engine.claims",  # claims are checked on results, never part of a key
        "ganbook.engine.runner",  # cache lookup, keys and storage
        "ganbook.engine.executors",  # where and in what order experiments run
        "ganbook.engine.cache",  # pruning
        "ganbook.engine.build",  # the build's orchestration
        "ganbook.engine.freshness",  # reloading edited code
        "ganbook.engine.fingerprint",  # this module
    }
)
"""Modules that no closure enters: machinery whose edits change no result.

Besides these, every module under ``ganbook.site`` (the MkDocs plugin) and every chapter's
``claims`` module (``ganbook.book.*.claims``) is machinery. ``ganbook.apps.benchmark`` is not:
the ``trainer_benchmark`` experiment runs it. Logging goes through the standard library, which is
not part of any closure.
"""

ALWAYS = ("ganbook.engine.context",)
"""Modules in every experiment's closure: the named seed streams and the hand-over of ``needs``
decide numbers even in an experiment that does not import them."""


def is_non_semantic(module: str) -> bool:
    """Whether ``module`` is machinery that no closure enters (`NON_SEMANTIC`)."""
    if module in NON_SEMANTIC or module.startswith("ganbook.site."):
        return True
    return module.startswith("ganbook.book.") and module.rsplit(".", 1)[-1] == "claims"


def module_path(module: str) -> Path | None:
    """The source file of ganbook module ``module``, found on disk without importing it."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _origin(module: str) -> Path | None:
    """The source file of a module outside the package, if Python can find one."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    return Path(origin) if origin and origin.endswith(".py") else None


def _absolute(module: str, level: int, name: str | None, is_package: bool) -> str:
    """The absolute name of ``from .name import …`` (``level`` dots) written in ``module``."""
    if level == 0:
        return name or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


Import = tuple[str, tuple[str, ...] | None]
"""``(module, names)`` of one import statement: ``names`` None for ``import module``."""


@dataclass(frozen=True)
class _Source:
    """What the syntax tree of one module says about its imports and the names it defines."""

    imports: tuple[Import, ...]
    """Every import statement of the module, at any depth."""
    bindings: dict[str, tuple[str, str | None]]
    """Top-level names bound by an import: name → (module, name there; None for a module)."""
    definitions: dict[str, frozenset[str]]
    """Top-level names defined here (``def``, ``class``, assignment) → the names they use."""
    local_imports: dict[str, tuple[Import, ...]]
    """The imports inside the definitions of a top-level name (a function's lazy imports)."""
    always: frozenset[str]
    """Names used by the top-level statements that define nothing (they run at import)."""
    always_imports: tuple[Import, ...]
    """Top-level ``import a.b`` statements without ``as``: every definition may use them."""


_PARSED: dict[tuple[str, str], _Source] = {}


def _names(node: ast.AST | None) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node else set()


def _imports(node: ast.AST, module: str, is_package: bool) -> list[Import]:
    found: list[Import] = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Import):
            found += [(alias.name, None) for alias in inner.names]
        elif isinstance(inner, ast.ImportFrom):
            base = _absolute(module, inner.level, inner.module, is_package)
            found.append((base, tuple(alias.name for alias in inner.names)))
    return found


def _targets(node: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]


def _source(module: str, path: Path, text: bytes) -> _Source:
    """Parse ``module`` (memoised on its text, so an edit is always seen)."""
    key = (module, hashlib.sha256(text).hexdigest())
    if key in _PARSED:
        return _PARSED[key]
    tree = ast.parse(text, filename=str(path))
    is_package = path.name == "__init__.py"
    bindings: dict[str, tuple[str, str | None]] = {}
    definitions: dict[str, set[str]] = {}
    local_imports: dict[str, list[Import]] = {}
    always: set[str] = set()
    always_imports: list[Import] = []

    def define(names: list[str], node: ast.AST, uses: set[str]) -> None:
        for name in names:
            definitions.setdefault(name, set()).update(uses)
            local_imports.setdefault(name, []).extend(_imports(node, module, is_package))

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.ImportFrom):
                base = _absolute(module, node.level, node.module, is_package)
                for alias in node.names:
                    bindings[alias.asname or alias.name] = (base, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        bindings[alias.asname] = (alias.name, None)
                    else:  # ``import a.b`` binds ``a``, through which ``a.b`` is used
                        always_imports.append((alias.name, None))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                define([node.name], node, _names(node))
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [name for target in targets for name in _targets(target)]
                define(names, node, _names(node.value) | _names(node))
            elif isinstance(node, ast.If | ast.While):
                always.update(_names(node.test))
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.With):
                always.update(*(_names(item) for item in node.items))
                visit(node.body)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody):
                    visit(block)
                for handler in node.handlers:
                    always.update(_names(handler.type))
                    visit(handler.body)
            else:  # an expression, a loop…: it runs at import and may change what is defined
                always.update(_names(node))

    visit(tree.body)
    _PARSED[key] = _Source(
        tuple(_imports(tree, module, is_package)),
        bindings,
        {name: frozenset(uses) for name, uses in definitions.items()},
        {name: tuple(found) for name, found in local_imports.items()},
        frozenset(always),
        tuple(always_imports),
    )
    return _PARSED[key]


Unit = tuple[str, str | None]
"""``(module, name)``: a top-level definition of a module, or the whole module (name None)."""


def _unit(root: str) -> Unit:
    module, _, name = root.partition(":")
    return module, name or None


class CodeView:
    """One reading of the package's files: each module read, parsed and resolved once.

    A build computes every key through one view, so shared modules are read once; a new view
    reads the files again, so an edit made while a process runs is seen by the next one.
    """

    def __init__(self) -> None:
        self._paths: dict[str, Path | None] = {}
        self._texts: dict[str, bytes] = {}
        self._dependencies: dict[Unit, frozenset[Unit]] = {}

    def path(self, module: str) -> Path | None:
        """The source file of ``module`` (`module_path`), looked up once."""
        if module not in self._paths:
            self._paths[module] = module_path(module)
        return self._paths[module]

    def text(self, module: str) -> bytes | None:
        """The source of ``module`` as this view read it, or None for a non-ganbook module."""
        if module not in self._texts:
            path = self.path(module)
            if path is None:
                return None
            self._texts[module] = path.read_bytes()
        return self._texts[module]

    def source(self, module: str) -> _Source | None:
        """What the syntax tree of ``module`` says (memoised on its text), or None."""
        text = self.text(module)
        return None if text is None else _source(module, self.path(module), text)

    def defining_unit(self, module: str, name: str | None) -> Unit | None:
        """Where ``name``, imported from ``module``, is defined; None outside the package.

        ``name`` may be a submodule (``from ganbook import measures``: the whole module); a name
        ``module`` binds by an import is followed to its origin; any other name is ``module``'s.
        """
        seen: set[Unit] = set()
        while (module, name) not in seen:
            seen.add((module, name))
            if name is None or self.path(f"{module}.{name}") is not None:
                whole = module if name is None else f"{module}.{name}"
                return (whole, None) if self.path(whole) is not None else None
            source = self.source(module)
            if source is None:
                return None
            if name not in source.bindings:
                return module, name
            module, name = source.bindings[name]
        return module, None

    def _resolved(self, imports) -> set[Unit | None]:
        found: set[Unit | None] = set()
        for base, names in imports:
            if names is None or names == ("*",):
                found.add(self.defining_unit(base, None))
            else:
                found.update(self.defining_unit(base, name) for name in names)
        return found

    def dependencies(self, unit: Unit) -> frozenset[Unit]:
        """The units whose code ``unit`` uses: what its definition names, resolved to theirs.

        A whole module uses everything it imports; a definition uses the names in it (and those
        of the module's top-level statements that run at import), followed within the module
        to other definitions and through its imports to other modules.
        """
        if unit in self._dependencies:
            return self._dependencies[unit]
        module, name = unit
        source = self.source(module)
        found: set[Unit | None] = set()
        if source is not None and (name is None or name not in source.definitions):
            found = self._resolved(source.imports)
        elif source is not None:
            found = self._resolved(source.always_imports)
            todo, seen = {name, *source.always}, set()
            while todo:
                current = todo.pop()
                seen.add(current)
                if current in source.definitions:
                    todo |= source.definitions[current] - seen
                    found |= self._resolved(source.local_imports[current])
                if current in source.bindings:
                    found.add(self.defining_unit(*source.bindings[current]))
        self._dependencies[unit] = frozenset(
            u for u in found if u is not None and u != unit and not is_non_semantic(u[0])
        )
        return self._dependencies[unit]

    def closure(self, *roots: str) -> tuple[str, ...]:
        """``roots`` and every ganbook module whose code they use, directly or not, sorted.

        A root is a module (``"ganbook.measures"``: all of it) or one of its top-level
        definitions (``"ganbook.book.part2.wgan_gp.experiments:wgan_gp"``: what that function
        uses). The roots themselves are always included (a root outside the package, such as a
        test's module, by its file); `NON_SEMANTIC` modules are never entered.
        """
        units = [_unit(root) for root in roots]
        for module, _ in units:
            if self.path(module) is None:  # a root outside the package (a test's module)
                self._paths[module] = _origin(module)
        seen = {unit for unit in units if self.path(unit[0]) is not None}
        frontier = list(seen)
        while frontier:
            for unit in self.dependencies(frontier.pop()):
                if unit not in seen:
                    seen.add(unit)
                    frontier.append(unit)
        return tuple(sorted({module for module, _ in seen}))

    def fingerprint(self, *roots: str) -> str:
        """The SHA-256 of the source text of :meth:`closure` of ``roots`` (whole files)."""
        digest = hashlib.sha256()
        for name in self.closure(*roots):
            digest.update(name.encode() + b"\0" + self.text(name) + b"\0")
        return digest.hexdigest()


def module_closure(*roots: str) -> tuple[str, ...]:
    """Return ``roots`` and every ganbook module whose code they use (`CodeView.closure`).

    Read from the files on every call, so an edit made while a process runs is seen.
    """
    return CodeView().closure(*roots)


def source_fingerprint(*roots: str) -> str:
    """Return the SHA-256 of the source text of :func:`module_closure` of ``roots``.

    Not cached: an edited file must change the fingerprint within one long-lived process
    (``mkdocs serve``).
    """
    return CodeView().fingerprint(*roots)


def experiment_roots(compute) -> tuple[str, ...]:
    """The roots of an experiment's closure: its compute function's definition, and `ALWAYS`.

    A nested function counts as the top-level definition that holds it.
    """
    return (f"{compute.__module__}:{compute.__qualname__.split('.')[0]}", *ALWAYS)


def experiment_fingerprint(compute, view: CodeView | None = None) -> str:
    """The fingerprint of the experiment computed by ``compute`` (`experiment_roots`)."""
    return (view or CodeView()).fingerprint(*experiment_roots(compute))


def package_digests() -> dict[str, str]:
    """The SHA-256 of every ``.py`` file of the package, by path relative to the package root."""
    return {
        path.relative_to(PACKAGE_ROOT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(PACKAGE_ROOT.rglob("*.py"))
        if "__pycache__" not in path.parts
    }
