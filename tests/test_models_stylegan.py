"""The StyleGAN generator: demodulation, modulation, grouped convolution, truncation, mixing, noise.

Each property is checked against a route that shares no code with the module: a closed form for
the output variance, a plain ``F.conv2d`` per example, scaling the input channels by hand.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from ganbook.models import (
    DCGANDiscriminator,
    MappingNetwork,
    ModulatedConv2d,
    NoiseInjection,
    StyleGenerator,
    modulated_weights,
)


def seeded(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def small_generator(**overrides) -> StyleGenerator:
    options = {"latent_dim": 8, "w_dim": 16, "channels": 8, "generator": seeded(0)}
    return StyleGenerator(**{**options, **overrides})


def test_demodulated_weights_give_unit_output_variance_by_the_closed_form():
    torch.manual_seed(0)
    weight, style = torch.randn(5, 4, 3, 3, dtype=torch.float64), torch.randn(3, 4).double()
    w2 = modulated_weights(weight, style)  # (N, O, I, K, K)
    # closed form: Var(y_j) = Σ_{i,k} w''²_ijk · Var(x), with Var(x) = 1
    assert torch.allclose(w2.pow(2).sum(dim=(2, 3, 4)), torch.ones(3, 5, dtype=torch.float64))
    # and w'' is w' divided by its own norm, computed here by hand
    by_hand = weight[None] * style[:, None, :, None, None]
    by_hand = by_hand / by_hand.flatten(2).norm(dim=2)[:, :, None, None, None]
    assert torch.allclose(w2, by_hand)


def test_demodulated_convolution_has_unit_output_variance_empirically():
    conv = ModulatedConv2d(6, 4, 3, w_dim=5, generator=seeded(1))
    with torch.no_grad():
        conv.affine.weight.mul_(20.0)  # styles far from 1, so modulation matters
    w = torch.randn(4, 5, generator=seeded(3))
    xs = torch.randn(400, 6, 24, 24, generator=seeded(4))
    with torch.no_grad():
        y = conv(xs, w[:1].expand(400, -1))  # one style, many unit-variance inputs
        y_nodemod = F.conv2d(
            xs, conv.weight * conv.affine(w[:1])[0][None, :, None, None], padding=1
        )
    inner = y[:, :, 1:-1, 1:-1]  # away from the zero-padded borders
    variance = inner.var(dim=(0, 2, 3))
    assert torch.allclose(variance, torch.ones(4), atol=0.02)
    # without demodulation the variance is the squared norm of the modulated weights, not 1
    expected = (conv.weight * conv.affine(w[:1])[0][None, :, None, None]).pow(2).sum((1, 2, 3))
    got = y_nodemod[:, :, 1:-1, 1:-1].var(dim=(0, 2, 3))
    assert torch.allclose(got, expected.detach(), rtol=0.05)
    assert not torch.allclose(expected.detach(), torch.ones(4), rtol=0.5)


def test_modulation_equals_scaling_the_input_channels_by_the_style():
    conv = ModulatedConv2d(3, 5, 3, w_dim=4, demodulate=False, generator=seeded(5))
    x, w = torch.randn(6, 3, 7, 7, generator=seeded(6)), torch.randn(6, 4, generator=seeded(7))
    with torch.no_grad():
        s = conv.affine(w)  # (N, C_in)
        second_route = F.conv2d(x * s[:, :, None, None], conv.weight, padding=1)
        assert torch.allclose(conv(x, w), second_route, atol=1e-5)


def test_demodulation_equals_scaling_the_outputs_by_the_inverse_norm():
    conv = ModulatedConv2d(3, 5, 3, w_dim=4, generator=seeded(8))
    x, w = torch.randn(6, 3, 7, 7, generator=seeded(9)), torch.randn(6, 4, generator=seeded(10))
    with torch.no_grad():
        s = conv.affine(w)
        sigma = (conv.weight[None] * s[:, None, :, None, None]).pow(2).sum((2, 3, 4)).sqrt()
        second_route = F.conv2d(x * s[:, :, None, None], conv.weight, padding=1)
        assert torch.allclose(conv(x, w), second_route / sigma[:, :, None, None], atol=1e-5)


def test_the_grouped_convolution_equals_a_loop_of_plain_convolutions():
    conv = ModulatedConv2d(4, 3, 3, w_dim=6, generator=seeded(11))
    x, w = torch.randn(5, 4, 8, 8, generator=seeded(12)), torch.randn(5, 6, generator=seeded(13))
    with torch.no_grad():
        weights = modulated_weights(conv.weight, conv.affine(w))
        loop = torch.cat([F.conv2d(x[n : n + 1], weights[n], padding=1) for n in range(5)])
        assert torch.allclose(conv(x, w), loop, atol=1e-6)


def test_the_mapping_network_normalises_z_first():
    f = MappingNetwork(6, 10, layers=2, generator=seeded(14))
    z = torch.randn(4, 6, generator=seeded(15))
    assert torch.allclose(f(z), f(3.7 * z), atol=1e-5)  # z and a multiple map alike


def test_truncation_at_psi_zero_gives_the_mean_and_at_one_the_identity():
    G = small_generator()
    with torch.no_grad():
        G.w_avg.copy_(torch.randn(G.w_dim, generator=seeded(16)))
    w = torch.randn(5, G.n_layers, G.w_dim, generator=seeded(17))
    assert torch.equal(G.truncate(w, 1.0), w)
    assert torch.allclose(G.truncate(w, 0.0), G.w_avg.expand_as(w))
    half = G.truncate(w, 0.5)
    assert torch.allclose(half, 0.5 * (w + G.w_avg), atol=1e-6)


def test_w_avg_is_an_ema_of_w_updated_in_training_mode_only():
    G = small_generator(w_avg_beta=0.9)
    z = torch.randn(7, G.latent_dim, generator=seeded(18))
    G.eval()
    G(z)
    assert torch.equal(G.w_avg, torch.zeros(G.w_dim))
    G.train()
    G(z)
    with torch.no_grad():
        expected = 0.1 * G.mapping(z).mean(dim=0)  # 0.9 · 0 + 0.1 · batch mean
    assert torch.allclose(G.w_avg, expected, atol=1e-6)
    G(z)
    assert torch.allclose(G.w_avg, expected * 1.9, atol=1e-6)  # 0.9 · e + 0.1 · m, e = 0.1 m


@pytest.mark.parametrize("per", [1, 2])
def test_style_mixing_with_the_same_w_everywhere_equals_the_plain_forward(per):
    G = small_generator(convs_per_resolution=per).eval()
    z = torch.randn(4, G.latent_dim, generator=seeded(19))
    with torch.no_grad():
        w = G.mapping(z)
        plain = G(z, noise=False)
        assert torch.equal(G(G.mix(w, w), noise=False), plain)
        assert torch.equal(G([w] * G.n_layers, noise=False), plain)
        other = G.mapping(torch.randn(4, G.latent_dim, generator=seeded(20)))
        assert not torch.allclose(G(G.mix(w, other), noise=False), plain)


def test_coarse_and_fine_layers_split_at_sixteen():
    assert small_generator(convs_per_resolution=2).coarse_layers == (0, 1, 2, 3)
    assert small_generator(convs_per_resolution=2).fine_layers == (4, 5, 6)
    G = small_generator(convs_per_resolution=1)
    assert (G.n_layers, G.coarse_layers, G.fine_layers) == (4, (0, 1), (2, 3))


def test_noise_off_is_deterministic_and_noise_on_follows_its_generator():
    G = small_generator().eval()
    with torch.no_grad():
        for noise in G.noises:
            noise.scale.fill_(0.5)
        z = torch.randn(3, G.latent_dim, generator=seeded(21))
        assert torch.equal(G(z, noise=False), G(z, noise=False))
        a = G(z, noise_generator=seeded(22))
        assert torch.equal(a, G(z, noise_generator=seeded(22)))
        assert not torch.allclose(a, G(z, noise_generator=seeded(23)))
        assert not torch.allclose(a, G(z, noise=False))


def test_noise_injection_adds_scaled_shared_noise():
    inject = NoiseInjection(3)
    with torch.no_grad():
        inject.scale.copy_(torch.tensor([0.0, 1.0, 2.0]))
    x = torch.zeros(2, 3, 4, 4)
    y = inject(x, generator=seeded(24))
    xi = torch.randn(2, 1, 4, 4, generator=seeded(24))
    assert torch.equal(y, torch.cat([0 * xi, xi, 2 * xi], dim=1))
    assert torch.equal(inject(x, enabled=False), x)


def test_the_construction_generator_decides_the_weights():
    a, b, c = small_generator(), small_generator(), small_generator(generator=seeded(1))
    for p, q in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
        assert torch.equal(p, q)
    assert not torch.equal(a.const, c.const)


def test_shapes_and_range_and_the_discriminator_fits():
    G = small_generator()
    x = G(torch.randn(6, G.latent_dim, generator=seeded(25)))
    assert x.shape == (6, 1, 16, 16)
    assert x.abs().max() < 1
    D = DCGANDiscriminator(channels=8, batch_norm=False, generator=seeded(26))
    assert D(x).shape == (6, 1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda G: G(torch.randn(3, 5)), "shape"),
        (lambda G: G(torch.randn(3, 2, 16)), "shape"),
        (lambda G: G([torch.randn(3, 16)] * 2), "entries"),
        (lambda G: G.truncate(torch.randn(3, 5), 0.5), "w_dim"),
        (lambda G: G.truncate(torch.randn(3, 16), float("nan")), "finite"),
        (lambda G: G.mix(torch.randn(3, 16), torch.randn(2, 16)), "rows"),
        (lambda G: G.convs[0](torch.randn(2, 3, 4, 4), torch.randn(2, 16)), "shape"),
        (lambda G: G.convs[0](torch.randn(2, 8, 4, 4), torch.randn(3, 16)), "rows"),
        (lambda _G: StyleGenerator(channels=0), "at least 1"),
        (lambda _G: StyleGenerator(w_avg_beta=1.0), "w_avg_beta"),
        (lambda _G: ModulatedConv2d(2, 2, 2), "odd"),
    ],
)
def test_bad_inputs_raise_one_line_value_errors(call, match):
    with pytest.raises(ValueError, match=match) as error:
        call(small_generator())
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("demodulate", [True, False])
def test_the_scaling_route_equals_the_grouped_convolution(demodulate):
    grouped = ModulatedConv2d(4, 3, 3, w_dim=6, demodulate=demodulate, generator=seeded(27))
    scaled = ModulatedConv2d(
        4, 3, 3, w_dim=6, demodulate=demodulate, grouped=False, generator=seeded(27)
    )
    x, w = torch.randn(5, 4, 8, 8, generator=seeded(28)), torch.randn(5, 6, generator=seeded(29))
    with torch.no_grad():
        assert torch.allclose(grouped(x, w), scaled(x, w), atol=1e-5)


def test_a_generator_by_the_scaling_route_makes_the_same_images():
    a, b = small_generator().eval(), small_generator(grouped=False).eval()
    z = torch.randn(4, a.latent_dim, generator=seeded(30))
    with torch.no_grad():
        assert torch.allclose(a(z, noise=False), b(z, noise=False), atol=1e-5)
