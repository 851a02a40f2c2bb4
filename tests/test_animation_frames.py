"""Animations: `gif_bytes` encodes matplotlib frames; `animation_frames` gives them back as PNGs.

The truth is the frames themselves: figures filled with known colours must come back, frame by
frame, as those colours, in order, with the durations `gif_bytes` was asked for.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from ganbook.figures.animation import gif_bytes
from ganbook.site.players import animation_frames, frame_uri, player_attributes

COLOURS = [(255, 0, 0), (0, 128, 255), (20, 200, 40), (250, 250, 250)]


def solid(colour) -> Figure:
    fig = Figure(figsize=(1.0, 0.5), dpi=40)
    fig.patch.set_facecolor(np.array(colour) / 255)
    return fig


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_the_frames_come_back_in_order_with_their_colours_and_durations():
    gif = gif_bytes((solid(c) for c in COLOURS), frame_ms=90, last_frame_ms=700)
    frames = animation_frames(gif)
    assert len(frames) == len(COLOURS)
    assert frames.durations_ms == (90, 90, 90, 700)
    for png, colour in zip(frames.pngs, COLOURS, strict=True):
        assert png.startswith(b"\x89PNG")
        image = pixels(png)
        assert image.shape == (20, 40, 3)
        assert (image == np.array(colour, dtype=np.uint8)).all(), colour


def test_equal_frames_give_equal_bytes_both_ways():
    first = gif_bytes(solid(c) for c in COLOURS)
    second = gif_bytes(solid(c) for c in COLOURS)
    assert first == second
    assert animation_frames(first) == animation_frames(second)


def test_an_animation_without_frames_is_refused():
    with pytest.raises(ValueError, match="at least one frame"):
        gif_bytes([])


def test_a_file_that_is_not_a_gif_is_refused_by_name():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    with pytest.raises(ValueError, match="figure 'x' is a PNG file, not a GIF"):
        animation_frames(buffer.getvalue(), what="figure 'x'")
    with pytest.raises(ValueError, match="not an image"):
        animation_frames(b"GIF89a but truncated")


def test_the_players_attributes_pair_frames_with_durations():
    assert frame_uri("a", 12) == "figures/a/frame-012.png"
    assert 'data-durations="[1, 2]"' in player_attributes(["x", "y"], (1, 2))
    with pytest.raises(ValueError, match="2 frame URLs for 1 durations"):
        player_attributes(["x", "y"], (1,))
