r"""The registry of experiments and grids: parameterised computations whose results feed the site.

An experiment is a function ``compute(params, context) -> ExperimentResult`` registered under a
name with its parameters for each profile. Profiles trade time for fidelity: ``test`` (tiny, for the
test suite only), ``standard`` (the published site) and ``full`` (longer runs, more seeds).

An experiment may **need** others (``needs=("other",)``): the runner obtains their results first
and hands them over as ``context.needed["other"]``, and their cache keys are part of its own. A
**grid** (`experiment_grid`) registers one experiment, a *cell*, per point of the product of its
axes, named ``grid[axis=value,...]``: each cell is cached, computed and invalidated on its own. An
experiment that needs the grid's name gets every cell's result as one `GridResults`.

`experiment_names` lists every unit that has a cache entry, so grid cells are listed (each by its
name); `grid_names` lists the grids.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ganbook._checks import require_choice, require_positive
from ganbook.engine.context import (
    AxisValue,
    GridResults,
    RunContext,
    cell_seed,
    derived_seed,
)
from ganbook.engine.result import ExperimentResult

__all__ = [
    "PROFILES",
    "Experiment",
    "Grid",
    "GridResults",
    "RunContext",
    "cell_name",
    "derived_seed",
    "expanded_needs",
    "experiment",
    "experiment_grid",
    "experiment_names",
    "get_experiment",
    "get_grid",
    "grid_names",
    "load_catalogue",
    "needed_results",
]

PROFILES = ("test", "standard", "full")
"""The parameter sets of every experiment: ``test`` (tests only), ``standard`` (the published
site), ``full`` (longer runs, more seeds)."""

Compute = Callable[[Mapping[str, Any], RunContext], ExperimentResult]


@dataclass(frozen=True)
class Experiment:
    """A registered experiment, or one cell of a grid (see :func:`experiment`)."""

    name: str
    compute: Compute
    params: Mapping[str, Any]
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    seed: int = 0
    uses_torch_device: bool = True
    title: str = ""
    needs: tuple[str, ...] = ()
    grid: str | None = None
    cell: Mapping[str, AxisValue] = field(default_factory=dict)
    cost: float = 1.0

    @property
    def module(self) -> str:
        """The module that defines :attr:`compute` (its source is part of the cache key)."""
        return self.compute.__module__

    @property
    def source_link(self) -> str:
        """Path and first line of :attr:`compute` in the repository, e.g. ``ganbook/x.py#L10``."""
        path = self.module.replace(".", "/") + ".py"
        line = inspect.getsourcelines(self.compute)[1]
        return f"{path}#L{line}"

    def params_for(self, profile: str) -> dict[str, Any]:
        """The parameters of ``profile``: the standard ones, the profile's overrides, the cell."""
        require_choice("profile", profile, PROFILES)
        return {**self.params, **self.overrides.get(profile, {}), **self.cell}

    def seed_for(self, seed_offset: int = 0) -> int:
        """The seed the experiment runs with: its own, shifted, then `cell_seed` for a cell."""
        return cell_seed(self.seed + seed_offset, self.cell)


@dataclass(frozen=True)
class Grid:
    """A registered grid: its axes and the names of its cells, in the order of the product."""

    name: str
    axes: Mapping[str, tuple[AxisValue, ...]]
    cells: tuple[str, ...]


_REGISTRY: dict[str, Experiment] = {}
_GRIDS: dict[str, Grid] = {}


def _register(exp: Experiment) -> None:
    known = _REGISTRY.get(exp.name)
    if exp.name in _GRIDS or (
        known is not None
        and (known.module, known.compute.__qualname__) != (exp.module, exp.compute.__qualname__)
    ):
        raise ValueError(f"experiment {exp.name!r} is registered twice")
    _REGISTRY[exp.name] = exp


def _needs(name: str, needs: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    needs = tuple(needs)
    if not all(isinstance(n, str) and n for n in needs) or len(set(needs)) != len(needs):
        raise ValueError(f"{name!r}: needs must be distinct experiment or grid names, got {needs}")
    if name in needs:
        raise ValueError(f"experiment {name!r} needs itself")
    return needs


def experiment(
    name: str,
    *,
    params: Mapping[str, Any] | None = None,
    test: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    seed: int = 0,
    uses_torch_device: bool = True,
    title: str = "",
    needs: tuple[str, ...] = (),
    cost: float = 1.0,
) -> Callable[[Compute], Compute]:
    """Register the decorated function as the experiment ``name``.

    Parameters
    ----------
    name : str
        Unique name, used in pages (``{{ result name.key }}``) and on the command line.
    params : mapping
        Parameters of the ``standard`` profile.
    test, full : mapping, optional
        Overrides of ``params`` for the ``test`` and ``full`` profiles.
    seed : int
        Seed handed to the function through :class:`RunContext`.
    uses_torch_device : bool
        False for pure numpy computations: their results do not depend on the device, so the
        device is left out of their cache key.
    title : str
        One line describing what is computed.
    needs : tuple of str
        Experiments or grids whose results this one reads (``context.needed[name]``); they are
        obtained first, with the same profile, device, threads and seed offset, and their keys
        are part of this one's. A need that does not exist, or a cycle, is an error when the
        experiment is run.
    cost : float
        Roughly how many seconds a cold ``standard`` run takes, for scheduling only (not part of
        the cache key): a build's workers start the ready experiment with the longest chain of
        cost still ahead of it first. Leave it at 1 for anything that takes seconds.
    """
    needs = _needs(name, needs)
    cost = require_positive("cost", cost)

    def register(compute: Compute) -> Compute:
        overrides = {"test": dict(test or {}), "full": dict(full or {})}
        _register(
            Experiment(
                name,
                compute,
                dict(params or {}),
                overrides,
                seed,
                uses_torch_device,
                title,
                needs,
                cost=cost,
            )
        )
        return compute

    return register


def cell_name(grid: str, point: Mapping[str, AxisValue]) -> str:
    """The name of the cell ``point`` of ``grid``: ``grid[axis=value,...]`` in axis order.

    Examples
    --------
    >>> cell_name("loss_study", {"loss": "hinge", "seed": 3})
    'loss_study[loss=hinge,seed=3]'
    """
    return f"{grid}[{','.join(f'{axis}={value}' for axis, value in point.items())}]"


def _axes(name: str, axes: Mapping[str, Any]) -> dict[str, tuple[AxisValue, ...]]:
    if not axes:
        raise ValueError(f"grid {name!r} needs at least one axis")
    checked = {}
    for axis, values in axes.items():
        values = tuple(values)
        if not isinstance(axis, str) or not axis.isidentifier():
            raise ValueError(f"grid {name!r}: axis names are identifiers, got {axis!r}")
        if not values or not all(isinstance(v, AxisValue) for v in values):
            raise ValueError(f"grid {name!r}: axis {axis!r} needs values of {AxisValue}")
        if len({str(v) for v in values}) != len(values):
            raise ValueError(f"grid {name!r}: axis {axis!r} repeats a value: {values}")
        checked[axis] = values
    return checked


def experiment_grid(
    name: str,
    *,
    axes: Mapping[str, tuple[AxisValue, ...]],
    params: Mapping[str, Any] | None = None,
    test: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    seed: int = 0,
    uses_torch_device: bool = True,
    title: str = "",
    needs: tuple[str, ...] = (),
    cell_params: Callable[[Mapping[str, AxisValue]], Mapping[str, Any]] | None = None,
) -> Callable[[Compute], Compute]:
    r"""Register the decorated function as the grid ``name``: one experiment per point of ``axes``.

    The cell at point $(v_1, \dots, v_n)$ of axes $(a_1, \dots, a_n)$ is the experiment
    ``name[a1=v1,...,an=vn]``. It runs the decorated function with the grid's parameters,
    updated by ``cell_params(point)``, then by the profile's overrides, then by ``{a_i: v_i}``
    (also in ``context.cell``), and with the seed `cell_seed`: cells that differ only off the
    ``seed`` axis share their random streams. Every cell has its own cache entry, keyed by its
    own parameters: a change that reaches one cell's parameters re-runs that cell only, and a
    new axis value adds cells without touching the others. The axes are the same in every
    profile.

    Parameters
    ----------
    axes : mapping of str to tuple
        Each axis (an identifier, not a parameter name) and its values (str, int, float or bool;
        distinct as strings, since they name the cell).
    params, test, full, seed, uses_torch_device, title, needs
        As for :func:`experiment`, for every cell.
    cell_params : callable, optional
        ``point -> {parameter: value}``: parameters that depend on the cell (say, each loss's
        learning rate).
    """
    checked = _axes(name, axes)
    needs = _needs(name, needs)
    clash = set(checked) & (set(params or {}) | set(test or {}) | set(full or {}))
    if clash:
        raise ValueError(f"grid {name!r}: {sorted(clash)} are both axes and parameters")

    def register(compute: Compute) -> Compute:
        if name in _REGISTRY or (name in _GRIDS and _GRIDS[name].axes != checked):
            raise ValueError(f"grid {name!r} is registered twice")
        overrides = {"test": dict(test or {}), "full": dict(full or {})}
        cells = []
        for values in itertools.product(*checked.values()):
            point = dict(zip(checked, values, strict=True))
            cell = cell_name(name, point)
            own = dict(cell_params(point)) if cell_params else {}
            if set(own) & set(checked):
                raise ValueError(f"grid {name!r}: cell_params may not set an axis")
            _register(
                Experiment(
                    cell,
                    compute,
                    {**(params or {}), **own},
                    overrides,
                    seed,
                    uses_torch_device,
                    title,
                    needs,
                    grid=name,
                    cell=point,
                )
            )
            cells.append(cell)
        _GRIDS[name] = Grid(name, checked, tuple(cells))
        return compute

    return register


def get_experiment(name: str) -> Experiment:
    """Return the experiment or grid cell ``name``; ``ValueError`` naming the known ones if none.

    The book is loaded first unless ``name`` is registered already (a worker process imports
    only the modules of what it runs).
    """
    if name not in _REGISTRY:
        load_catalogue()
    require_choice("experiment", name, sorted(_REGISTRY))
    return _REGISTRY[name]


def get_grid(name: str) -> Grid:
    """Return the grid ``name``; ``ValueError`` naming the known grids if there is none."""
    load_catalogue()
    require_choice("grid", name, sorted(_GRIDS))
    return _GRIDS[name]


def experiment_names() -> list[str]:
    """Names of every registered experiment and every grid cell, sorted."""
    load_catalogue()
    return sorted(_REGISTRY)


def grid_names() -> list[str]:
    """Names of every registered grid, sorted."""
    load_catalogue()
    return sorted(_GRIDS)


def expanded_needs(name: str) -> tuple[str, ...]:
    """The experiments ``name`` needs, a grid's cells in its place; ``ValueError`` if unknown."""
    exp = get_experiment(name)
    if not all(need in _GRIDS or need in _REGISTRY for need in exp.needs):
        load_catalogue()
    found: list[str] = []
    for need in exp.needs:
        if need in _GRIDS:
            found += _GRIDS[need].cells
        elif need in _REGISTRY:
            found.append(need)
        else:
            raise ValueError(
                f"experiment {name!r} needs {need!r}, which is neither an experiment nor a grid"
            )
    return tuple(found)


def needed_results(
    name: str, results: Mapping[str, ExperimentResult]
) -> dict[str, ExperimentResult | GridResults]:
    """What ``context.needed`` holds for ``name``, from the results of `expanded_needs`."""
    needed: dict[str, ExperimentResult | GridResults] = {}
    for need in get_experiment(name).needs:
        if need in _GRIDS:
            grid = _GRIDS[need]
            cells = {tuple(_REGISTRY[cell].cell.values()): results[cell] for cell in grid.cells}
            needed[need] = GridResults(need, grid.axes, cells)
        else:
            needed[need] = results[need]
    return needed


_LOADED: list[bool] = []


def load_catalogue() -> None:
    """Import the book once (`ganbook.book.load_book`), which registers everything it holds."""
    if not _LOADED:
        from ganbook.book import load_book

        load_book()
        _LOADED.append(True)
