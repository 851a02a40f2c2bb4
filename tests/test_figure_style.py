"""The figures' weight rule: dense translucent layers become pixels, the rest stays vector."""

from __future__ import annotations

import io
import re

import numpy as np

from ganbook.figures.style import (
    DENSE_VERTICES,
    book_style,
    figure_bytes,
    new_figure,
    rasterise_dense_translucent_layers,
)


def band_figure(points: int):
    x = np.linspace(0.0, 1.0, points)
    noise = np.random.default_rng(0).normal(size=points)
    fig, ax = new_figure()
    ax.fill_between(x, noise - 1.0, noise + 1.0, alpha=0.2, lw=0)  # translucent, dense
    faint = ax.plot(x, noise, alpha=0.3, lw=0.5)[0]  # translucent, dense
    bold = ax.plot(x, np.sin(x), lw=1.6)[0]  # opaque: stays a vector
    return fig, ax, faint, bold


def test_only_dense_translucent_layers_are_rasterised():
    with book_style():
        fig, ax, faint, bold = band_figure(4 * DENSE_VERTICES)
        assert rasterise_dense_translucent_layers(fig) == 2
        assert faint.get_rasterized()
        assert ax.collections[0].get_rasterized()
        assert not bold.get_rasterized()
        fig2, _, faint2, _ = band_figure(DENSE_VERTICES // 4)  # sparse: 2 vertices per point
        assert rasterise_dense_translucent_layers(fig2) == 0
        assert not faint2.get_rasterized()
        for f in (fig, fig2):
            figure_bytes(f, "png")  # closes it


def test_an_svg_with_a_dense_band_embeds_it_as_an_image_and_shrinks():
    points = 20 * DENSE_VERTICES
    with book_style():
        svg = figure_bytes(band_figure(points)[0], "svg").decode()
        fig, *_ = band_figure(points)
        vector = io.BytesIO()
        fig.savefig(vector, format="svg")  # the same figure, every layer a vector
    assert len(re.findall(r"<image\b", svg)) >= 1
    assert len(svg) < len(vector.getvalue()) / 3
