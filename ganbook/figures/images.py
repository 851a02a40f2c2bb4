r"""Grids of small images (the digits of Part III): tiled into one picture, drawn as ink on paper.

Value 1 is dark ink and −1 light paper, on the fixed range [−1, 1] with the ``Greys`` map, so
that every figure of digits shares one scale.
"""

from __future__ import annotations

import numpy as np

GAP = -1.0  # the gutter between tiles is paper


def mosaic(images: np.ndarray, cols: int) -> np.ndarray:
    r"""Images (n, h, w) tiled row by row, ``cols`` a row, with a one-pixel gutter."""
    images = np.asarray(images, dtype=float)
    rows = -(-len(images) // cols)
    h, w = images.shape[-2:]
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), GAP)
    for index, image in enumerate(images):
        r, c = divmod(index, cols)
        out[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = image
    return out


def ink(ax, picture: np.ndarray, title: str | None = None) -> None:
    r"""One mosaic of digits in ink on paper, without axes."""
    ax.imshow(picture, cmap="Greys", vmin=-1.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
