r"""The PNG that ``ganbook train`` writes: the last snapshot of samples, beside real data.

A quick look at a run, not a figure of the book (those live in ``ganbook.figures``). The PNG is
rendered with matplotlib's Agg canvas, without pyplot's global state, and carries no software
or date metadata, so the same history gives the same bytes.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from ganbook.training.atomic import atomic_write

__all__ = ["write_samples_png"]


def _draw(axes, samples: np.ndarray, real: np.ndarray, kind: str) -> None:
    r"""Draw generated ``samples`` (and ``real`` for points and lines) on ``axes``."""
    if kind == "points":  # (S, 2)
        axes.scatter(real[:, 0], real[:, 1], s=4, c="0.6", label="real")
        axes.scatter(samples[:, 0], samples[:, 1], s=4, c="tab:orange", label="generated")
        axes.set_aspect("equal")
        axes.legend(loc="upper right", fontsize="small")
    elif kind == "line":  # (S, 1)
        axes.hist(real[:, 0], bins=40, alpha=0.5, color="0.6", label="real")
        axes.hist(samples[:, 0], bins=40, alpha=0.5, color="tab:orange", label="generated")
        axes.legend(loc="upper right", fontsize="small")
    else:  # images (S, 1, H, W): the first 64 in an 8 × 8 grid
        tiles = samples[:64, 0]
        side, (h, w) = int(np.ceil(np.sqrt(len(tiles)))), tiles.shape[1:]
        grid = np.full((side * h, side * w), -1.0, dtype=np.float32)
        for k, tile in enumerate(tiles):
            row, col = divmod(k, side)
            grid[row * h : (row + 1) * h, col * w : (col + 1) * w] = tile
        axes.imshow(grid, cmap="gray", vmin=-1.0, vmax=1.0)
        axes.set_axis_off()


def write_samples_png(
    path: str | os.PathLike, samples: np.ndarray, real: np.ndarray, kind: str, title: str
) -> Path:
    r"""Render ``samples`` (and ``real``) as a PNG at ``path``, written atomically.

    Parameters
    ----------
    path : path
        The PNG to write.
    samples : numpy.ndarray
        Generated samples: (S, 2) points, (S, 1) values or (S, 1, H, W) images in [−1, 1].
    real : numpy.ndarray
        Real samples of the same shape (not drawn for images).
    kind : {"points", "line", "images"}
        How to draw them.
    title : str
        The figure's title.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.png"
    >>> points = np.zeros((8, 2))
    >>> write_samples_png(path, points, points, "points", "ring").read_bytes()[:4]
    b'\x89PNG'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _draw(axes, np.asarray(samples), np.asarray(real), kind)
    axes.set_title(title, fontsize="small")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return atomic_write(path, lambda stream: stream.write(buffer.getvalue()))
