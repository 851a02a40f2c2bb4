"""The DCGAN chapter: layer arithmetic, the nearest-neighbour measure and the result's shapes.

The output-size formulas are checked against torch's own layers (an independent truth), and the
nearest-neighbour distance against a brute-force loop over pairs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from ganbook.book.part3.dcgan.experiments import (
    LAYER_KINDS,
    conv_output_side,
    convolutions_matching,
    layer_table,
    slerp,
    transposed_output_side,
)
from ganbook.measures import nearest_neighbour_distances
from ganbook.models import DCGANDiscriminator, DCGANGenerator

GEOMETRIES = [
    (n, k, s, p) for n in (1, 2, 4, 7, 8) for k in (1, 3, 4) for s in (1, 2) for p in (0, 1)
]


@pytest.mark.parametrize(("side", "kernel", "stride", "padding"), GEOMETRIES)
def test_the_output_side_formulas_agree_with_torch(side, kernel, stride, padding):
    x = torch.zeros(1, 1, side, side)
    if transposed_output_side(side, kernel, stride, padding) > 0:  # torch refuses empty outputs
        up = nn.ConvTranspose2d(1, 1, kernel, stride, padding)
        assert transposed_output_side(side, kernel, stride, padding) == up(x).shape[-1]
    if side + 2 * padding >= kernel:
        down = nn.Conv2d(1, 1, kernel, stride, padding)
        assert conv_output_side(side, kernel, stride, padding) == down(x).shape[-1]


def test_the_layer_table_reads_every_layer_of_both_networks():
    G = DCGANGenerator(100, 8, generator=torch.Generator().manual_seed(0))
    D = DCGANDiscriminator(8, batch_norm=True, generator=torch.Generator().manual_seed(1))
    g_table = layer_table(G, torch.zeros(2, 100))
    d_table = layer_table(D, torch.zeros(2, 1, 16, 16))
    assert len(g_table) == len(G.net)
    assert len(d_table) == len(D.net)
    assert tuple(g_table[0, 1:3]) == (100, 1)
    assert tuple(g_table[-1, 3:5]) == (1, 16)
    assert [LAYER_KINDS[k] for k in g_table[:, 0]].count("ConvTranspose2d") == 3
    assert [LAYER_KINDS[k] for k in d_table[:, 0]].count("Conv2d") == 3
    assert d_table[-1, 3] == 1  # one logit per image
    for table in (g_table, d_table):  # each layer's input is the previous layer's output
        assert np.array_equal(table[1:, 1:3], table[:-1, 3:5])
        assert convolutions_matching(table) == (3, 3)
    assert G.training
    assert D.training


def test_a_wrong_side_is_caught_by_the_formula():
    G = DCGANGenerator(100, 4, generator=torch.Generator().manual_seed(0))
    table = layer_table(G, torch.zeros(1, 100))
    table[0, 4] += 1  # pretend the first transposed convolution gave a 5×5 map
    assert convolutions_matching(table) == (2, 3)


def test_nearest_neighbour_distances_equal_a_brute_force_loop():
    rng = np.random.default_rng(0)
    queries = rng.uniform(-1, 1, size=(13, 4, 4))
    references = rng.uniform(-1, 1, size=(17, 4, 4))
    expected = [min(math.sqrt(float(np.sum((q - r) ** 2))) for r in references) for q in queries]
    found = nearest_neighbour_distances(torch.tensor(queries), torch.tensor(references))
    assert np.allclose(found, expected, rtol=0, atol=1e-12)
    copies = nearest_neighbour_distances(torch.tensor(references[:5]), torch.tensor(references))
    assert np.all(copies == 0)


def test_slerp_goes_from_end_to_end_along_an_arc_at_a_constant_angular_speed():
    z = torch.randn(2, 100, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    z = z / z.norm(dim=1, keepdim=True) * 10.0  # two ends of one norm: the path keeps it
    path = slerp(z[0], z[1], torch.linspace(0, 1, 5, dtype=torch.float64))
    assert torch.allclose(path[0], z[0])
    assert torch.allclose(path[-1], z[1])
    unit = path / path.norm(dim=1, keepdim=True)
    steps = torch.arccos((unit[1:] * unit[:-1]).sum(dim=1).clamp(-1, 1))
    assert torch.allclose(steps, steps[0].expand_as(steps))
    assert torch.allclose(path.norm(dim=1), torch.full((5,), 10.0, dtype=torch.float64))


def test_the_result_holds_what_the_next_chapter_reads(results):
    r = results["dcgan"]
    a, s = r.arrays, r.scalars
    members = s["members"]
    assert members == 2
    assert s["eval_samples"] == 600
    assert s["latent_dim"] == 100
    assert a["final_samples"].shape == (members, 600, 16, 16)
    assert a["final_samples"].dtype == np.float32
    assert np.all(np.abs(a["final_samples"]) <= 1)
    assert a["snapshots"].shape == (members, len(a["snapshot_steps"]), s["grid"], 16, 16)
    assert a["snapshot_steps"][0] == 0
    assert a["snapshot_steps"][-1] == s["steps"]
    assert a["interpolation"].shape == (members, s["interpolation_steps"], 16, 16)
    assert a["sample_nn"].shape == (members, 600)
    assert a["heldout_nn"].shape == (s["heldout_images"],) == (597,)
    assert s["convs_matching"] == s["convs_checked"] == 6


def test_a_tiny_run_is_deterministic():
    from ganbook.book.part3.dcgan.experiments import DCGAN, DCGAN_TEST, dcgan
    from ganbook.engine.registry import RunContext

    params = {**DCGAN, **DCGAN_TEST, "members": 1, "steps": 2, "eval_samples": 8}
    context = RunContext(torch.device("cpu"), seed=3, profile="test")
    first, second = dcgan(params, context), dcgan(params, context)
    for name in ("final_samples", "snapshots", "sample_nn", "interpolation"):
        assert np.array_equal(first.arrays[name], second.arrays[name]), name
