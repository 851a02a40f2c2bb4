"""The registry of named figures: each draws from the results of one or more experiments."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ganbook._checks import require_choice
from ganbook.engine.registry import load_catalogue
from ganbook.engine.result import ExperimentResult

FORMATS = ("svg", "png", "gif")

DrawFunction = Callable[[Mapping[str, ExperimentResult]], object]


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure (see :func:`figure`)."""

    name: str
    draw: DrawFunction
    experiments: tuple[str, ...]
    caption: str
    alt: str
    format: str = "svg"

    @property
    def module(self) -> str:
        """The module that defines :attr:`draw` (its source is part of the figure's key)."""
        return self.draw.__module__

    @property
    def source_link(self) -> str:
        """Path and first line of :attr:`draw` in the repository."""
        line = inspect.getsourcelines(self.draw)[1]
        return f"{self.module.replace('.', '/')}.py#L{line}"

    @property
    def filename(self) -> str:
        """The file name of the figure on the site, under ``figures/``."""
        return f"{self.name}.{self.format}"


_REGISTRY: dict[str, FigureSpec] = {}


def figure(
    name: str, *, experiments: tuple[str, ...], caption: str, alt: str, format: str = "svg"
) -> Callable[[DrawFunction], DrawFunction]:
    """Register the decorated function as the figure ``name``.

    The function receives ``{experiment name: ExperimentResult}`` and returns a matplotlib
    ``Figure`` (``svg``/``png``) or, for ``gif``, the encoded bytes of the animation.
    """
    require_choice("format", format, FORMATS)
    if not experiments:
        raise ValueError(f"figure {name!r} must draw from at least one experiment")

    def register(draw: DrawFunction) -> DrawFunction:
        known = _REGISTRY.get(name)
        if known is not None and (known.module, known.draw.__qualname__) != (
            draw.__module__,
            draw.__qualname__,
        ):
            raise ValueError(f"figure {name!r} is registered twice")
        _REGISTRY[name] = FigureSpec(name, draw, tuple(experiments), caption, alt, format)
        return draw

    return register


def get_figure(name: str) -> FigureSpec:
    """Return the figure ``name``; ``ValueError`` naming the known ones if there is none."""
    load_catalogue()
    require_choice("figure", name, sorted(_REGISTRY))
    return _REGISTRY[name]


def figure_names() -> list[str]:
    """Names of every registered figure, sorted."""
    load_catalogue()
    return sorted(_REGISTRY)
