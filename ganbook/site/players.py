"""Animations a reader can control: a GIF's own frames, published as PNGs for a player.

Every ``format="gif"`` figure is shown as a player (``docs/javascripts/players.js``: play, pause,
step, scrub, keyboard) over the frames of the very GIF the build drew, decoded here at build time
and published as ``figures/NAME/frame-KKK.png``. The page's ``<img>`` keeps the GIF itself, so a
reader without scripts still sees the animation; the player swaps in the PNG frames.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class AnimationFrames:
    """The frames of one animation, in order, each with how long it shows.

    Attributes
    ----------
    pngs : tuple of bytes
        Each frame as a PNG file (RGB), the GIF's pixels exactly.
    durations_ms : tuple of int
        How long each frame shows in the GIF, in milliseconds.
    """

    pngs: tuple[bytes, ...]
    durations_ms: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.pngs)


def animation_frames(gif: bytes, *, what: str = "the animation") -> AnimationFrames:
    """Decode every frame of a GIF into a PNG, with its duration.

    Parameters
    ----------
    gif : bytes
        A GIF file, as `ganbook.figures.animation.gif_bytes` writes it.
    what : str
        What the error message calls the file.

    Returns
    -------
    AnimationFrames
        The composited frames (as a browser shows them), in order.

    Raises
    ------
    ValueError
        When ``gif`` is not a GIF, or has no frame.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(gif))
    except UnidentifiedImageError as error:
        raise ValueError(f"{what} is not an image Pillow can read") from error
    if image.format != "GIF":
        raise ValueError(f"{what} is a {image.format} file, not a GIF")
    pngs, durations = [], []
    for frame in ImageSequence.Iterator(image):
        buffer = io.BytesIO()
        frame.convert("RGB").save(buffer, format="PNG", optimize=False)
        pngs.append(buffer.getvalue())
        durations.append(int(frame.info.get("duration", 100)))
    if not pngs:
        raise ValueError(f"{what} has no frame")
    return AnimationFrames(tuple(pngs), tuple(durations))


def frame_uri(name: str, index: int) -> str:
    """Where frame ``index`` of figure ``name`` lies in the site.

    Examples
    --------
    >>> frame_uri("alternation_ring_animation", 7)
    'figures/alternation_ring_animation/frame-007.png'
    """
    return f"figures/{name}/frame-{index:03d}.png"


def player_attributes(frame_urls: list[str], durations_ms: tuple[int, ...]) -> str:
    """The ``data-`` attributes that `players.js` reads: the frames' URLs and durations.

    Examples
    --------
    >>> player_attributes(["a.png", "b.png"], (120, 1200))
    'data-frames="[&quot;a.png&quot;, &quot;b.png&quot;]" data-durations="[120, 1200]"'
    """
    if len(frame_urls) != len(durations_ms):
        raise ValueError(
            f"{len(frame_urls)} frame URLs for {len(durations_ms)} durations: they must pair up"
        )
    frames = html.escape(json.dumps(frame_urls), quote=True)
    durations = html.escape(json.dumps(list(durations_ms)), quote=True)
    return f'data-frames="{frames}" data-durations="{durations}"'
