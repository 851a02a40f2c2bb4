"""The one visual style of every figure, and deterministic saving (same inputs, same bytes).

Figures are drawn on white, in mid-tone colours that stay distinguishable for colour-blind readers
(the Okabe–Ito palette). The site shows them as they are in its light scheme and on a framed light
card in its dark scheme (``docs/stylesheets/ganbook.css``), so one file serves both schemes and
every colour keeps its contrast against the white it was chosen for. matplotlib is imported when a
figure is drawn, not with this module: the colours and rcParams are plain data that a warm rebuild
can read without it.

Weight: lines are simplified to what a screen can show (``path.simplify``, matplotlib's default
threshold of 1/9 pixel, so no visible change), the shared scatter helpers rasterise their
points (`ganbook.figures.plotting.scatter`), since thousands of vector markers make an SVG of
megabytes, and so does `figure_bytes` with every dense translucent band or faint curve. Legends
go where they cover the fewest points (``legend.loc: best``), on a nearly opaque frame.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe–Ito colours by role.
COLORS = {
    "real": "#0072B2",
    "fake": "#D55E00",
    "discriminator": "#009E73",
    "saturating": "#CC79A7",
    "nonsaturating": "#E69F00",
    "theory": "#56B4E9",
    "neutral": "#777777",
}

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.facecolor": "white",
    "figure.facecolor": "white",
    "lines.linewidth": 1.8,
    "svg.hashsalt": "ganbook",
    "svg.fonttype": "path",
    "path.simplify": True,
    "path.simplify_threshold": 1 / 9,
    "legend.loc": "best",
    "legend.framealpha": 0.9,
}


def pyplot():
    """``matplotlib.pyplot``, on the non-interactive Agg backend: figures are files, not windows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@contextmanager
def book_style() -> Iterator[None]:
    """Apply the book's rcParams inside the ``with`` body only."""
    with pyplot().rc_context(RC):
        yield


def new_figure(ncols: int = 1, nrows: int = 1, *, width: float = 6.4, height: float = 3.2):
    """Return ``(fig, axes)`` in the book's size and layout."""
    fig, axes = pyplot().subplots(nrows, ncols, figsize=(width, height), layout="constrained")
    return fig, axes


DENSE_VERTICES = 1500
"""A translucent layer with more vertices than this is rasterised in an SVG."""


def rasterise_dense_translucent_layers(fig: Figure, most: int = DENSE_VERTICES) -> int:
    """Rasterise every translucent line or filled band of ``fig`` with more than ``most`` vertices.

    Such layers (a band from the smallest to the largest seed, the faint per-step curve behind a
    running mean) are what makes an SVG of a long run weigh a megabyte: a fill's outline is not
    simplified, and a noisy curve barely simplifies. Drawn at ``savefig.dpi`` they look the same
    on a screen; opaque lines, text and axes stay vectors. Returns how many were rasterised.
    """
    count = 0
    for ax in fig.axes:
        for artist in [*ax.lines, *ax.collections]:
            alpha = artist.get_alpha()
            if alpha is None or alpha >= 1 or artist.get_rasterized():
                continue
            if hasattr(artist, "get_xydata"):
                vertices = len(artist.get_xydata())
            else:
                vertices = sum(len(path.vertices) for path in artist.get_paths())
            if vertices > most:
                artist.set_rasterized(True)
                count += 1
    return count


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """Serialise ``fig`` as ``svg`` or ``png`` without dates or software stamps, then close it.

    In an SVG, dense translucent layers are rasterised (`rasterise_dense_translucent_layers`).
    """
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    try:
        if fmt == "svg":
            rasterise_dense_translucent_layers(fig)
        fig.savefig(buffer, format=fmt, metadata=metadata)
    finally:
        pyplot().close(fig)
    return buffer.getvalue()
