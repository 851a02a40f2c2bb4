r"""What an experiment receives besides its parameters: its seed's named streams and its needs.

This module is part of every experiment's cache key (`ganbook.engine.fingerprint.ALWAYS`): the
streams it derives, and the way it hands over the results of an experiment's ``needs``, decide
the numbers an experiment computes. torch is imported only when a stream is asked for.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ganbook._checks import require_positive_int
from ganbook.engine.result import ExperimentResult

if TYPE_CHECKING:
    import torch

AxisValue = str | int | float | bool
"""The type of a grid axis value (it is part of a cell's name and of its cache key)."""


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


def cell_seed(seed: int, cell: Mapping[str, AxisValue]) -> int:
    r"""The seed of a grid cell: the grid's seed, or its stream ``("seed", v)`` on a seed axis.

    $$
    s_{\text{cell}} = \begin{cases}
      \texttt{derived\_seed}(s, \text{"seed"}, v) & \text{if the cell has an axis }
      \texttt{seed} = v,\\
      s & \text{otherwise.}
    \end{cases}
    $$

    So cells that differ only in another axis (a loss, a dataset) share their random streams
    (common random numbers: the comparison is paired), and cells of different seed values are
    independent. A seed axis value must be a non-negative int.

    Examples
    --------
    >>> cell_seed(7, {"loss": "hinge"})
    7
    >>> cell_seed(7, {"loss": "hinge", "seed": 1}) == cell_seed(7, {"loss": "bce", "seed": 1})
    True
    >>> cell_seed(7, {"seed": 1}) == cell_seed(7, {"seed": 2})
    False
    """
    if "seed" not in cell:
        return seed
    value = cell["seed"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a grid's seed axis takes non-negative ints, got {value!r}")
    return derived_seed(seed, "seed", value)


@dataclass(frozen=True)
class GridResults(Mapping):
    r"""The results of every cell of a grid, as an experiment that ``needs`` the grid gets them.

    A mapping from a cell's point (the tuple of its axis values, in the order of ``axes``) to
    its result. :meth:`where` selects cells by some axis values and :meth:`scalars` stacks one
    scalar of every cell into an array with one dimension per axis.

    Parameters
    ----------
    name : str
        The grid's name.
    axes : mapping of str to tuple
        Each axis and its values, in order.
    results : mapping of tuple to ExperimentResult
        One result per point of the product of the axes.
    """

    name: str
    axes: Mapping[str, tuple[AxisValue, ...]]
    results: Mapping[tuple[AxisValue, ...], ExperimentResult]

    def __post_init__(self) -> None:
        expected = set(itertools.product(*self.axes.values()))
        if set(self.results) != expected:
            raise ValueError(f"grid {self.name!r}: the results do not cover every cell once")

    def point(self, values: tuple[AxisValue, ...]) -> dict[str, AxisValue]:
        """The cell ``values`` as ``{axis: value}``."""
        return dict(zip(self.axes, values, strict=True))

    def __getitem__(self, point: tuple[AxisValue, ...] | Mapping[str, AxisValue]):
        if isinstance(point, Mapping):
            point = tuple(point[axis] for axis in self.axes)
        return self.results[tuple(point)]

    def __iter__(self) -> Iterator[tuple[AxisValue, ...]]:
        return iter(itertools.product(*self.axes.values()))

    def __len__(self) -> int:
        return len(self.results)

    def where(self, **fixed: AxisValue) -> list[tuple[dict[str, AxisValue], ExperimentResult]]:
        """The cells whose axes take the values ``fixed``, as ``(point, result)``, in grid order."""
        unknown = set(fixed) - set(self.axes)
        if unknown:
            raise KeyError(
                f"grid {self.name!r} has no axis {sorted(unknown)}; it has {list(self.axes)}"
            )
        cells = [(self.point(values), self.results[values]) for values in self]
        return [(p, r) for p, r in cells if all(p[a] == v for a, v in fixed.items())]

    def scalars(self, key: str) -> np.ndarray:
        r"""The scalar ``key`` of every cell, shaped ``(len(axis_1), ..., len(axis_n))``."""
        shape = tuple(len(values) for values in self.axes.values())
        flat = [self.results[values].scalar(key) for values in self]
        return np.array(flat).reshape(shape)


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
        The experiment's seed, shifted by the reseed check's offset when there is one (for a grid
        cell, `cell_seed` of that).
    profile : str
        The profile being run (for information: the parameters already reflect it).
    member : int or None
        The index of this context in its ensemble (:meth:`members`), None for the experiment's.
    needed : mapping
        The results of the experiment's ``needs``, by the names it gave: an
        `ExperimentResult` for an experiment, a `GridResults` for a grid.
    cell : mapping
        For a grid cell, its point ``{axis: value}`` (also merged into the parameters); empty
        otherwise.
    """

    device: torch.device
    seed: int
    profile: str
    member: int | None = None
    needed: Mapping[str, Any] = field(default_factory=dict)
    cell: Mapping[str, AxisValue] = field(default_factory=dict)

    def stream(self, name: str) -> torch.Generator:
        r"""A CPU ``torch.Generator`` for the stream ``name`` of this seed (`derived_seed`)."""
        import torch

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
