"""The registry of named experiments: parameterised computations whose results feed the site.

An experiment is a function ``compute(params, context) -> ExperimentResult`` registered under a
name with its parameters for each profile. Profiles trade time for fidelity: ``test`` (tiny, for the
test suite only), ``standard`` (the published site) and ``full`` (longer runs, more seeds).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from ganbook._checks import require_choice, require_positive_int
from ganbook.experiments.result import ExperimentResult

PROFILES = ("test", "standard", "full")
"""The parameter sets of every experiment: ``test`` (tests only), ``standard`` (the published
site), ``full`` (longer runs, more seeds)."""


def _stream_key(name: str) -> int:
    r"""A stable 32-bit integer for a stream name (the first bytes of its SHA-256)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a random stream needs a non-empty name, got {name!r}")
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


def derived_seed(seed: int, *path: str | int) -> int:
    r"""A 63-bit seed for the stream ``path`` of ``seed``, from ``numpy.random.SeedSequence``.

    $$
    s_{\text{path}} = \operatorname{SeedSequence}(\text{entropy}=s,
    \ \text{spawn\_key}=\text{path}).\text{generate\_state}(1)
    $$

    Names are hashed to integers. Different ``(seed, path)`` give independent streams: in
    particular stream ``"a"`` of seed $s + 1$ is not stream ``"b"`` of seed $s$, which
    ``seed + k`` arithmetic would give.

    Examples
    --------
    >>> derived_seed(0, "init") == derived_seed(0, "init")
    True
    >>> derived_seed(0, "data") == derived_seed(1, "init")
    False
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    key = tuple(_stream_key(p) if isinstance(p, str) else int(p) for p in path)
    state = np.random.SeedSequence(entropy=seed, spawn_key=key).generate_state(2, np.uint32)
    return int(state[0]) | (int(state[1] & 0x7FFFFFFF) << 32)


@dataclass(frozen=True)
class RunContext:
    r"""What the runner hands to an experiment besides its parameters.

    Every random stream of an experiment comes from :meth:`stream` (a named stream of the
    experiment's seed) or from the contexts of :meth:`members` (one per member of a seed
    ensemble), never from seed arithmetic.

    Parameters
    ----------
    device : torch.device
        Where tensors are created and models trained.
    seed : int
        The experiment's seed, shifted by the reseed check's offset when there is one.
    profile : str
        The profile being run (for information: the parameters already reflect it).
    member : int or None
        The index of this context in its ensemble (:meth:`members`), None for the experiment's.
    """

    device: torch.device
    seed: int
    profile: str
    member: int | None = None

    def stream(self, name: str) -> torch.Generator:
        r"""A CPU ``torch.Generator`` for the stream ``name`` of this seed (`derived_seed`)."""
        return torch.Generator().manual_seed(derived_seed(self.seed, name))

    def stream_seed(self, name: str) -> int:
        r"""The integer seed of the stream ``name`` (for APIs that take a seed, e.g. a config)."""
        return derived_seed(self.seed, name)

    def members(self, count: int) -> list[RunContext]:
        r"""The contexts of a seed ensemble of ``count`` members.

        Member $k$ has the seed ``derived_seed(seed, "member", k)``: independent of every other
        member and of every member of another experiment seed.
        """
        count = require_positive_int("count", count)
        return [
            dataclasses.replace(self, seed=derived_seed(self.seed, "member", k), member=k)
            for k in range(count)
        ]


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
