"""ganbook.models: shapes, the toy formulas, initialisation statistics, determinism, errors."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from ganbook.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    LogisticDiscriminator,
    MLPDiscriminator,
    MLPGenerator,
    ShiftGenerator,
    dcgan_init_,
    default_init_,
)

Z = 5.0  # standard errors allowed in statistical checks
BATCHES = [1, 3, 64]
WEIGHTED = (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)


def seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def same_parameters(a: nn.Module, b: nn.Module) -> bool:
    pairs = zip(a.state_dict().items(), b.state_dict().items(), strict=True)
    return all(na == nb and torch.equal(x, y) for (na, x), (nb, y) in pairs)


def feature_map_shapes(net: nn.Sequential, x: torch.Tensor, kind: type[nn.Module]) -> list:
    """Run ``x`` through ``net`` layer by layer; the output shape of every ``kind`` layer."""
    shapes = []
    for layer in net:
        x = layer(x)
        if isinstance(layer, kind):
            shapes.append(tuple(x.shape))
    return shapes


# --------------------------------------------------------------------------- toy models


@pytest.mark.parametrize("n", BATCHES)
def test_shift_generator_computes_z_plus_theta(n):
    g = ShiftGenerator(theta=-1.25)
    z = torch.randn(n, 1, generator=seeded())
    x = g(z)
    assert x.shape == (n, 1)
    torch.testing.assert_close(x, z - 1.25)
    assert g.latent_dim == 1
    assert [name for name, _ in g.named_parameters()] == ["theta"]
    assert g.theta.shape == ()


def test_shift_generator_gradient_with_respect_to_theta_is_the_batch_size():
    g = ShiftGenerator()
    g(torch.zeros(7, 1)).sum().backward()  # d/dθ Σ (z_i + θ) = N
    assert g.theta.grad.item() == 7.0


@pytest.mark.parametrize("n", BATCHES)
def test_logistic_discriminator_returns_the_affine_logit(n):
    d = LogisticDiscriminator(phi0=0.5, phi1=-2.0)
    x = torch.randn(n, 1, generator=seeded())
    logit = d(x)
    assert logit.shape == (n, 1)
    torch.testing.assert_close(logit, 0.5 - 2.0 * x)
    assert sorted(name for name, _ in d.named_parameters()) == ["phi0", "phi1"]


def test_toy_defaults_are_zero():
    assert ShiftGenerator().theta.item() == 0.0
    d = LogisticDiscriminator()
    assert d.phi0.item() == 0.0
    assert d.phi1.item() == 0.0


# --------------------------------------------------------------------------- MLPs


@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize(
    ("latent_dim", "hidden", "depth", "out_dim"), [(2, 128, 3, 2), (5, 16, 1, 3)]
)
def test_mlp_shapes(n, latent_dim, hidden, depth, out_dim):
    g = MLPGenerator(latent_dim, hidden, depth, out_dim)
    d = MLPDiscriminator(out_dim, hidden, depth)
    assert g.latent_dim == latent_dim
    x = g(torch.randn(n, latent_dim))
    assert x.shape == (n, out_dim)
    assert d(x).shape == (n, 1)


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_mlp_depth_counts_hidden_layers(depth):
    for model in (MLPGenerator(depth=depth), MLPDiscriminator(depth=depth)):
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
        assert len(linears) == depth + 1
        assert len(relus) == depth
        assert all(m.out_features == 128 for m in linears[:-1])


def test_default_init_matches_pytorch_default_distribution():
    layer = default_init_(nn.Linear(400, 300), generator=seeded())
    bound = 1 / math.sqrt(400)
    weight = layer.weight.detach()
    assert weight.abs().max() <= bound
    assert layer.bias.detach().abs().max() <= bound
    std = bound / math.sqrt(3)  # std of U[-b, b]
    assert abs(weight.mean().item()) < Z * std / math.sqrt(weight.numel())
    assert abs(weight.std().item() - std) < 0.01 * std + Z * std / math.sqrt(weight.numel())


# --------------------------------------------------------------------------- DCGAN


@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize(("latent_dim", "channels"), [(64, 32), (8, 4)])
def test_dcgan_shapes_and_range(n, latent_dim, channels):
    g = DCGANGenerator(latent_dim, channels)
    d = DCGANDiscriminator(channels)
    assert g.latent_dim == latent_dim
    images = g(torch.randn(n, latent_dim))
    assert images.shape == (n, 1, 16, 16)
    assert images.abs().max() < 1.0  # tanh output
    assert d(images).shape == (n, 1)
    assert DCGANDiscriminator(channels, batch_norm=True)(images).shape == (n, 1)


def test_dcgan_generator_feature_map_shapes():
    g = DCGANGenerator(latent_dim=10, channels=6)
    shapes = feature_map_shapes(g.net, torch.randn(2, 10, 1, 1), nn.ConvTranspose2d)
    assert shapes == [(2, 24, 4, 4), (2, 12, 8, 8), (2, 1, 16, 16)]
    assert sum(isinstance(m, nn.BatchNorm2d) for m in g.modules()) == 2


def test_dcgan_discriminator_feature_map_shapes():
    d = DCGANDiscriminator(channels=6)
    shapes = feature_map_shapes(d.net, torch.randn(2, 1, 16, 16), nn.Conv2d)
    assert shapes == [(2, 6, 8, 8), (2, 12, 4, 4), (2, 24, 2, 2)]
    leaky = [m for m in d.modules() if isinstance(m, nn.LeakyReLU)]
    assert len(leaky) == 3
    assert all(m.negative_slope == 0.2 for m in leaky)


def test_dcgan_discriminator_has_no_batch_norm_by_default():
    assert not DCGANDiscriminator().batch_norm
    norms = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)
    assert not any(isinstance(m, norms) for m in DCGANDiscriminator().modules())
    with_bn = DCGANDiscriminator(batch_norm=True)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in with_bn.modules()) == 2


def test_dcgan_discriminator_scores_examples_independently_without_batch_norm():
    d = DCGANDiscriminator(generator=seeded())
    x = torch.randn(5, 1, 16, 16, generator=seeded(1))
    torch.testing.assert_close(d(x)[2:3], d(x[2:3]))  # needed for the per-example penalty


def dcgan_discriminator_with_batch_norm(**kwargs) -> DCGANDiscriminator:
    return DCGANDiscriminator(batch_norm=True, **kwargs)


@pytest.mark.parametrize("model", [DCGANGenerator, dcgan_discriminator_with_batch_norm])
def test_dcgan_init_statistics(model):
    net = model(generator=seeded())
    checked = 0
    for layer in net.modules():
        if isinstance(layer, WEIGHTED):
            w = layer.weight.detach()
            m = w.numel()
            assert abs(w.mean().item()) < Z * 0.02 / math.sqrt(m)
            assert abs(w.std().item() - 0.02) < Z * 0.02 / math.sqrt(2 * m)
            assert layer.bias is None or torch.count_nonzero(layer.bias) == 0
            checked += 1
        elif isinstance(layer, nn.BatchNorm2d):
            w = layer.weight.detach()
            assert abs(w.mean().item() - 1.0) < Z * 0.02 / math.sqrt(w.numel())
            assert abs(w.std().item() - 0.02) < 0.01
            assert torch.count_nonzero(layer.bias) == 0
            checked += 1
    assert checked >= 5


def test_dcgan_init_returns_the_module_and_skips_other_layers():
    net = nn.Sequential(nn.Linear(3, 3), nn.LayerNorm(3))
    assert dcgan_init_(net, generator=seeded()) is net
    assert torch.equal(net[1].weight.detach(), torch.ones(3))  # LayerNorm untouched


@pytest.mark.parametrize(
    "model", [MLPGenerator, MLPDiscriminator, DCGANGenerator, DCGANDiscriminator]
)
def test_construction_is_deterministic_under_a_seeded_generator(model):
    torch.manual_seed(1)
    a = model(generator=seeded(0))
    torch.manual_seed(2)  # global RNG state must not matter
    b = model(generator=seeded(0))
    c = model(generator=seeded(1))
    assert same_parameters(a, b)
    assert not same_parameters(a, c)


def test_dcgan_init_draws_on_cpu_so_values_do_not_depend_on_device():
    net = nn.Linear(5, 4)
    meta = nn.Linear(5, 4, device="meta")
    dcgan_init_(net, generator=seeded())
    dcgan_init_(meta, generator=seeded())  # accepted on another device
    assert meta.weight.device.type == "meta"
    if torch.cuda.is_available():
        on_gpu = dcgan_init_(nn.Linear(5, 4).cuda(), generator=seeded())
        assert torch.equal(on_gpu.weight.detach().cpu(), net.weight.detach())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: ShiftGenerator(theta="1"), TypeError, "theta"),
        (lambda: ShiftGenerator(theta=math.inf), ValueError, "theta"),
        (lambda: LogisticDiscriminator(phi0=math.nan), ValueError, "phi0"),
        (lambda: LogisticDiscriminator(phi1=None), TypeError, "phi1"),
        (lambda: MLPGenerator(latent_dim=0), ValueError, "latent_dim"),
        (lambda: MLPGenerator(hidden=12.5), TypeError, "hidden"),
        (lambda: MLPGenerator(depth=0), ValueError, "depth"),
        (lambda: MLPGenerator(out_dim=-2), ValueError, "out_dim"),
        (lambda: MLPGenerator(generator=0), TypeError, "generator"),
        (lambda: MLPDiscriminator(in_dim=0), ValueError, "in_dim"),
        (lambda: MLPDiscriminator(hidden=0), ValueError, "hidden"),
        (lambda: MLPDiscriminator(depth=True), TypeError, "depth"),
        (lambda: DCGANGenerator(latent_dim=0), ValueError, "latent_dim"),
        (lambda: DCGANGenerator(channels=3.0), TypeError, "channels"),
        (lambda: DCGANGenerator(generator="seed"), TypeError, "generator"),
        (lambda: DCGANDiscriminator(channels=0), ValueError, "channels"),
        (lambda: DCGANDiscriminator(batch_norm="yes"), TypeError, "batch_norm"),
        (lambda: DCGANDiscriminator(generator=1), TypeError, "generator"),
        (lambda: dcgan_init_(torch.zeros(3)), TypeError, "module"),
        (lambda: dcgan_init_(nn.Linear(2, 2), generator=0), TypeError, "generator"),
        (lambda: default_init_("layer"), TypeError, "module"),
    ],
)
def test_bad_input_raises_an_error_naming_the_argument(call, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        call()
