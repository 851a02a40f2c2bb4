"""Animated figures: matplotlib frames encoded as a GIF, same frames, same bytes.

A figure registered with ``format="gif"`` returns ``gif_bytes(frames)`` from its draw function.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ganbook.figures.style import figure_bytes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def gif_bytes(frames: Iterable[Figure], *, frame_ms: int = 120, last_frame_ms: int = 1200) -> bytes:
    """Encode matplotlib figures as a looping GIF; each figure is closed once drawn.

    Parameters
    ----------
    frames : iterable of matplotlib.figure.Figure
        The frames, in order, all of the same size.
    frame_ms : int
        How long each frame shows, in milliseconds.
    last_frame_ms : int
        How long the last frame holds before the loop restarts.

    Returns
    -------
    bytes
        The GIF file. The palette is computed per frame by Pillow's deterministic quantiser, and no
        timestamp is written, so equal frames give equal bytes.
    """
    from PIL import Image

    images = []
    for frame in frames:
        png = figure_bytes(frame, "png")
        images.append(Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, dither=0))
    if not images:
        raise ValueError("an animation needs at least one frame")
    durations = [frame_ms] * (len(images) - 1) + [last_frame_ms]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=durations,
        loop=0,
        optimize=False,
        disposal=2,
    )
    return buffer.getvalue()
