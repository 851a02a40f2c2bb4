r"""Measures of a trained critic or discriminator: its values on a grid, its slopes, its weights.

- `plane_grid`, `evaluate`, `on_plane_grid`: a network evaluated on points, or on a grid of the
  plane, on the host in float64.
- `gradient_norms_at_interpolates`: $\lVert\nabla D(\hat x_i)\rVert_2$ at the gradient penalty's
  own points, measured, not penalised.
- `critic_weights`, `fraction_at_bound`, `spectral_norm_product`: what weight clipping does to a
  critic, and the Lipschitz bound its layers give.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.penalties import interpolation_points
from ganbook.training import reproducible_torch

__all__ = [
    "critic_weights",
    "evaluate",
    "fraction_at_bound",
    "gradient_norms_at_interpolates",
    "on_plane_grid",
    "plane_grid",
    "spectral_norm_product",
]


def plane_grid(extent: float, points: int) -> np.ndarray:
    r"""The points of an evenly spaced ``points`` × ``points`` grid over $[-e, e]^2$, row by row.

    Row $i$ of the grid has $y$ = the $i$-th of ``numpy.linspace(-extent, extent, points)``.

    Examples
    --------
    >>> plane_grid(1.0, 2).tolist()
    [[-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]
    """
    axis = np.linspace(-extent, extent, points)
    xx, yy = np.meshgrid(axis, axis)  # row i has y = axis[i]
    return np.stack([xx.ravel(), yy.ravel()], axis=1)  # (points², 2)


@torch.no_grad()
def evaluate(module: torch.nn.Module, points: np.ndarray, device: torch.device) -> np.ndarray:
    r"""``module`` applied to ``points`` (N, d) on ``device``, one thread; float64 on the host."""
    with reproducible_torch(1):
        x = torch.as_tensor(points, dtype=torch.float32, device=device)
        return module(x).double().cpu().numpy()


def on_plane_grid(
    module: torch.nn.Module, extent: float, points: int, device: torch.device
) -> np.ndarray:
    r"""A critic's (or a discriminator's raw) output on `plane_grid`, shape (points, points).

    Entry $(i, j)$ is $D(x_j, y_i)$: row $i$ at the $i$-th grid value of $y$, as ``contourf``
    expects it.
    """
    return evaluate(module, plane_grid(extent, points), device).reshape(points, points)


def gradient_norms_at_interpolates(
    critic, real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator
) -> np.ndarray:
    r"""Per-example norms $\lVert\nabla D(\hat x_i)\rVert_2$ at $\hat x = x + \alpha(\tilde x - x)$.

    $$
    n_i = \bigl\lVert \nabla_x D(\hat x_i) \bigr\rVert_2, \qquad
    \hat x_i = x_i + \alpha_i(\tilde x_i - x_i),\ \alpha_i \sim U[0, 1)
    $$

    A measurement, not a penalty: no graph is kept. The points are `interpolation_points`, the
    penalty's own, with $\alpha$ drawn from ``generator``; the norm runs over every non-batch
    dimension. For a linear critic $D(x) = w^\top x + b$ every norm is $\lVert w\rVert_2$.

    Returns
    -------
    numpy.ndarray, shape (N,)
        One norm per example, on the host.
    """
    x_hat = interpolation_points(real, fake, generator).requires_grad_(True)
    (gradients,) = torch.autograd.grad(critic(x_hat).sum(), x_hat)
    return gradients.flatten(1).norm(dim=1).cpu().numpy()


def critic_weights(critic: torch.nn.Module) -> np.ndarray:
    r"""Every parameter of the critic (weights and biases: clipping bounds them all), flattened."""
    return torch.cat([p.detach().flatten() for p in critic.parameters()]).cpu().numpy()


def fraction_at_bound(weights: np.ndarray, c: float) -> float:
    r"""Share of weights within 1% of $\pm c$: $\#\{w : \bigl||w| - c\bigr| \le 0.01\,c\} / n$.

    Examples
    --------
    >>> fraction_at_bound(np.array([0.01, -0.01, 0.0, 0.005]), 0.01)
    0.5
    """
    return float(np.mean(np.abs(np.abs(weights) - c) <= 0.01 * c))


def spectral_norm_product(critic: torch.nn.Module) -> float:
    r"""$\prod_l \lVert W_l\rVert_2$ over the linear layers: a bound on the Lipschitz constant.

    ReLU is 1-Lipschitz and biases do not change slopes, so $\lVert\nabla D\rVert_2$ never exceeds
    this product.
    """
    layers = [m.weight.detach() for m in critic.modules() if isinstance(m, torch.nn.Linear)]
    return float(np.prod([torch.linalg.matrix_norm(w, ord=2).item() for w in layers]))
