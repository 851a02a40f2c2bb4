r"""Measuring tools of the common-mistakes chapter: gradients in the logits, tiny players."""

from __future__ import annotations

import itertools

import numpy as np
import torch

from ganbook.engine.registry import RunContext


def logit(d: float) -> float:
    r"""$\ell = \log d - \log(1 - d)$, the logit at which $\sigma(\ell) = d$."""
    return float(np.log(d) - np.log1p(-d))


def logit_gradient(loss, logits: np.ndarray, *, on_probabilities: bool) -> np.ndarray:
    r"""Per-element $\partial\mathcal{L}/\partial\ell$ of a mean loss (times the batch size).

    ``on_probabilities``: the loss takes $\sigma(\ell)$, as a network ending in a sigmoid gives.
    """
    ell = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    value = loss(torch.sigmoid(ell) if on_probabilities else ell) * ell.numel()
    (grad,) = torch.autograd.grad(value, ell)
    return grad.numpy()


def init_normal_(module: torch.nn.Module, rng: torch.Generator, gain: float = 1.0):
    r"""Draw each weight of ``module`` from $\mathcal{N}(0, \text{gain}/\text{fan-in})$."""
    with torch.no_grad():
        for p in module.parameters():
            fan_in = p.shape[-1] if p.dim() > 1 else p.shape[0]
            p.copy_(torch.randn(p.shape, generator=rng, dtype=p.dtype) * (gain / fan_in) ** 0.5)
    return module


def mlp(*widths: int) -> torch.nn.Sequential:
    """A float64 MLP with tanh between its linear layers, e.g. ``mlp(2, 16, 1)``."""
    layers = []
    for fan_in, fan_out in itertools.pairwise(widths):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1]).double()


def tiny_players(context: RunContext, z_dim: int = 4, hidden: int = 16):
    r"""A linear generator $z \mapsto x \in \mathbb{R}^2$ and a small tanh MLP discriminator.

    Float64, every weight drawn from $\mathcal{N}(0, 1/\text{fan-in})$ by the stream ``init``.
    """
    rng = context.stream("init")
    generator = init_normal_(torch.nn.Linear(z_dim, 2).double(), rng)
    return generator, init_normal_(mlp(2, hidden, 1), rng)


def parameter_gradient(loss: torch.Tensor, module: torch.nn.Module) -> torch.Tensor:
    """The gradient of ``loss`` in the parameters of ``module``, as one vector."""
    return torch.cat([g.flatten() for g in torch.autograd.grad(loss, list(module.parameters()))])


def flat_grad(module: torch.nn.Module) -> torch.Tensor:
    """The module's ``.grad`` fields as one vector (zeros where a field is ``None``)."""
    return torch.cat(
        [
            (p.grad if p.grad is not None else torch.zeros_like(p)).flatten()
            for p in module.parameters()
        ]
    )


def value_and_gradient(loss, logits: list[float], dtype=torch.float32) -> tuple[float, np.ndarray]:
    """The mean loss at ``logits`` (in ``dtype``) and its gradient with respect to them."""
    ell = torch.tensor(logits, dtype=dtype, requires_grad=True)
    value = loss(ell)
    (grad,) = torch.autograd.grad(value, ell)
    return float(value.detach()), grad.numpy().astype(np.float64)


def optimal_logits(loss, p: np.ndarray, q: np.ndarray, iterations: int = 64) -> np.ndarray:
    r"""$\arg\min_\ell \sum_i p_i\,r(\ell_i) + q_i\,f(\ell_i)$ for a discriminator loss's terms.

    ``loss(ell, ell)`` with ``reduction="none"`` gives the real and fake terms $r$ and $f$ at
    each grid point. The objective is convex and separable in the logits, so each $\ell_i$ is
    found by bisection on the sign of its autograd derivative, in $[-40, 40]$ (float64).
    """
    lo, hi = np.full(p.shape, -40.0), np.full(p.shape, 40.0)
    weights = torch.tensor(p), torch.tensor(q)
    for _ in range(iterations):
        mid = torch.tensor((lo + hi) / 2.0, requires_grad=True)
        real_term, fake_term = loss(mid, mid, reduction="none")
        objective = (weights[0] * real_term + weights[1] * fake_term).sum()
        (slope,) = torch.autograd.grad(objective, mid)
        rising = slope.numpy() > 0
        hi, lo = (
            np.where(rising, mid.detach().numpy(), hi),
            np.where(rising, lo, mid.detach().numpy()),
        )
    return (lo + hi) / 2.0
