"""The registry of named experiments: parameterised computations whose results feed the site.

An experiment is a function ``compute(params, context) -> ExperimentResult`` registered under a
name with its parameters for each profile. Profiles trade time for fidelity: ``test`` (tiny, for the
test suite only), ``standard`` (the published site) and ``full`` (longer runs, more seeds).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from ganbook._checks import require_choice
from ganbook.experiments.result import ExperimentResult

PROFILES = ("test", "standard", "full")
"""The parameter sets of every experiment: ``test`` (tests only), ``standard`` (the published
site), ``full`` (longer runs, more seeds)."""


@dataclass(frozen=True)
class RunContext:
    """What the runner hands to an experiment besides its parameters.

    Parameters
    ----------
    device : torch.device
        Where tensors are created and models trained.
    seed : int
        The experiment's seed; build every ``torch.Generator`` from it.
    profile : str
        The profile being run (for information: the parameters already reflect it).
    """

    device: torch.device
    seed: int
    profile: str

    def generator(self, offset: int = 0) -> torch.Generator:
        """A CPU ``torch.Generator`` seeded with ``seed + offset``."""
        return torch.Generator().manual_seed(self.seed + offset)


@dataclass(frozen=True)
class Experiment:
    """A registered experiment (see :func:`experiment`)."""

    name: str
    compute: Callable[[Mapping[str, Any], RunContext], ExperimentResult]
    params: Mapping[str, Any]
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    seed: int = 0
    uses_torch_device: bool = True
    title: str = ""

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
        """The parameters of ``profile``: the standard ones updated by the profile's overrides."""
        require_choice("profile", profile, PROFILES)
        return {**self.params, **self.overrides.get(profile, {})}


_REGISTRY: dict[str, Experiment] = {}


def experiment(
    name: str,
    *,
    params: Mapping[str, Any] | None = None,
    test: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    seed: int = 0,
    uses_torch_device: bool = True,
    title: str = "",
) -> Callable:
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
    """

    def register(compute: Callable) -> Callable:
        if name in _REGISTRY and _REGISTRY[name].compute.__qualname__ != compute.__qualname__:
            raise ValueError(f"experiment {name!r} is registered twice")
        overrides = {"test": dict(test or {}), "full": dict(full or {})}
        _REGISTRY[name] = Experiment(
            name, compute, dict(params or {}), overrides, seed, uses_torch_device, title
        )
        return compute

    return register


def get_experiment(name: str) -> Experiment:
    """Return the experiment ``name``; ``ValueError`` naming the known ones if there is none."""
    _load_catalogue()
    require_choice("experiment", name, sorted(_REGISTRY))
    return _REGISTRY[name]


def experiment_names() -> list[str]:
    """Names of every registered experiment, sorted."""
    _load_catalogue()
    return sorted(_REGISTRY)


def _load_catalogue() -> None:
    # Importing the catalogue registers every experiment of the book.
    import ganbook.experiments.catalogue  # noqa: F401
