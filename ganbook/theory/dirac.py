r"""The Dirac-GAN: the smallest GAN whose training dynamics can be drawn and solved by hand.

The data is a point mass at 0, the generator a point mass at $\theta$, the critic
$D_\psi(x) = \psi x$ (Mescheder, Geiger and Nowozin, 2018, section 2.2). Training is gradient
play on $L(\theta, \psi) = f(\psi\theta) + f(0)$: the generator descends in $\theta$, the critic
ascends in $\psi$ on $L$ plus its regulariser $R$. This module gives the vector field of that
play, its Jacobian and discrete trajectories for the four games of
`ganbook.theory.dirac_games`; it does not train neural networks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ganbook._checks import (
    require_choice,
    require_finite_number,
    require_positive,
    require_positive_int,
)
from ganbook.divergences._validation import as_float_array
from ganbook.theory.dirac_games import DIRAC_GAMES, DiracGame, game_field, resolve_game

__all__ = ["DIRAC_GAMES", "DiracGame", "dirac_jacobian", "dirac_vector_field", "simulate_dirac"]


def dirac_vector_field(theta: Any, psi: Any, game: str, **params: float) -> tuple[Any, Any]:
    r"""Gradient-play direction of the Dirac-GAN at $(\theta, \psi)$, vectorised for quiver plots.

    $$
    v(\theta, \psi) = \begin{pmatrix} -\partial_\theta L \\ \partial_\psi L + R'(\psi) \end{pmatrix}
    = \begin{pmatrix} -\psi f'(\psi\theta) \\ \theta f'(\psi\theta) + R'(\psi) \end{pmatrix}
    $$

    Parameters
    ----------
    theta : array_like
        Generator positions, finite.
    psi : array_like, broadcastable with ``theta``
        Critic slopes, finite.
    game : {"gan", "wgan", "wgan-gp", "r1"}
        The game: ``"gan"`` has $f(t) = -\log(1 + e^{-t})$ and $R = 0$ (the unregularised
        minimax GAN); ``"wgan"`` has $f(t) = t$, $R = 0$ and clipping (not part of the field);
        ``"wgan-gp"`` has $f(t) = t$ and $R = -\lambda(|\psi| - 1)^2$; ``"r1"`` has the GAN's
        $f$ and $R = -\tfrac{\gamma}{2}\psi^2$.
    **params : float
        The game's hyperparameter: ``clip`` ($c > 0$, default 1) for ``"wgan"``, ``lam``
        ($\lambda \ge 0$, default 1) for ``"wgan-gp"``, ``gamma`` ($\gamma \ge 0$, default 1)
        for ``"r1"``.

    Returns
    -------
    tuple of numpy.ndarray
        $(\dot\theta, \dot\psi)$, each of the broadcast shape of ``theta`` and ``psi`` (numpy
        scalars when both are scalars).

    Notes
    -----
    The critic's gradient $\nabla_x D_\psi = \psi$ is the same at every $x$, so the WGAN-GP and R1
    penalties are exact functions of $\psi$ here: we use the literal WGAN-GP penalty
    $\lambda(\|\nabla_x D\| - 1)^2 = \lambda(|\psi| - 1)^2$ of Gulrajani et al. (2017). At
    $\psi = 0$ its gradient is taken as 0 ($\operatorname{sign} 0 = 0$), the midpoint of its jump.
    Default hyperparameters: $c = 1$ makes the critic 1-Lipschitz; $\lambda = 1$ rather than
    the 10 of Gulrajani et al. (2017), because at step $h$ the penalty alone multiplies
    $|\psi| - 1$ by $1 - 2h\lambda$ and is stable only for $h\lambda < 1$; $\gamma = 1$.

    References
    ----------
    Mescheder, L., Geiger, A. and Nowozin, S. (2018). Which training methods for GANs do
    actually converge? *ICML 2018*, section 2.2 and figure 3.

    Gulrajani, I. et al. (2017). Improved training of Wasserstein GANs. *NeurIPS 30*.

    Examples
    --------
    >>> d_theta, d_psi = dirac_vector_field(1.0, 1.0, "wgan")
    >>> float(d_theta), float(d_psi)
    (-1.0, 1.0)
    >>> dirac_vector_field([0.0, 1.0], 0.0, "r1", gamma=0.5)[1]
    array([0. , 0.5])
    """
    spec, value = resolve_game(game, params)
    theta = as_float_array("theta", theta)
    psi = as_float_array("psi", psi)
    try:
        theta, psi = np.broadcast_arrays(theta, psi)
    except ValueError:
        raise ValueError(
            f"theta and psi must broadcast together, got shapes {theta.shape} and {psi.shape}"
        ) from None
    return game_field(spec, value, theta, psi)


def dirac_jacobian(game: str, theta: float = 0.0, psi: float = 0.0, **params: float) -> np.ndarray:
    r"""Analytic Jacobian of the Dirac-GAN vector field at $(\theta, \psi)$, by default at (0, 0).

    $$
    J = \begin{pmatrix}
    -\psi^2 f''(t) & -f'(t) - t f''(t) \\
    f'(t) + t f''(t) & \theta^2 f''(t) + R''(\psi)
    \end{pmatrix},
    \qquad t = \psi\theta
    $$

    Parameters
    ----------
    game : {"gan", "wgan", "wgan-gp", "r1"}
        The game, as in `dirac_vector_field`.
    theta, psi : float, default 0.0
        The point; the equilibrium of every game is $(0, 0)$.
    **params : float
        The game's hyperparameter, as in `dirac_vector_field`.

    Returns
    -------
    numpy.ndarray, shape (2, 2)
        Rows are $(\dot\theta, \dot\psi)$, columns the derivatives in $(\theta, \psi)$.

    Notes
    -----
    At the equilibrium $J = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & R''(0) \end{pmatrix}$. For the
    unregularised GAN ($f'(0) = \tfrac12$, $R = 0$) its eigenvalues are $\pm \tfrac{i}{2}$: no
    damping, so continuous play circles the equilibrium and simultaneous gradient steps spiral out.
    R1 gives eigenvalues $-\tfrac{\gamma}{2} \pm \sqrt{\gamma^2/4 - f'(0)^2}$, with negative real
    part for every $\gamma > 0$ (Mescheder et al., 2018, theorem 4.1). Clipping (``"wgan"``) is
    not part of the field and is ignored here. The ``"wgan-gp"`` field jumps across $\psi = 0$,
    where it has no Jacobian: asking for one raises ``ValueError``.

    References
    ----------
    Mescheder, L., Geiger, A. and Nowozin, S. (2018). Which training methods for GANs do
    actually converge? *ICML 2018*, sections 2.2 and 4.

    Examples
    --------
    >>> dirac_jacobian("r1", gamma=1.0)
    array([[ 0. , -0.5],
           [ 0.5, -1. ]])
    >>> np.linalg.eigvals(dirac_jacobian("gan")).imag
    array([ 0.5, -0.5])
    """
    spec, value = resolve_game(game, params)
    theta = require_finite_number("theta", theta)
    psi = require_finite_number("psi", psi)
    if psi == 0 and not spec.smooth_at_zero:
        raise ValueError(f"the {game!r} vector field is not differentiable at psi = 0")
    t = np.float64(psi * theta)
    f1, f2 = spec.f_prime(t), spec.f_second(t)
    r2 = spec.regulariser_hess(np.float64(psi), value)
    return np.array(
        [
            [-(psi**2) * f2, -f1 - t * f2],  # d(theta_dot)/d(theta, psi)
            [f1 + t * f2, theta**2 * f2 + r2],  # d(psi_dot)/d(theta, psi)
        ],
        dtype=np.float64,
    )


def simulate_dirac(
    game: str,
    start: Any = (1.0, 1.0),
    lr: float = 0.1,
    steps: int = 1000,
    mode: str = "simultaneous",
    **params: float,
) -> np.ndarray:
    r"""Trajectory of gradient play on the Dirac-GAN with step size ``lr``.

    $$
    \text{simultaneous:}\ \
    \begin{aligned}
    \psi_{k+1} &= \Pi\bigl(\psi_k + h\,\dot\psi(\theta_k, \psi_k)\bigr) \\
    \theta_{k+1} &= \theta_k + h\,\dot\theta(\theta_k, \psi_k)
    \end{aligned}
    \qquad
    \text{alternating:}\ \
    \begin{aligned}
    \psi_{k+1} &= \Pi\bigl(\psi_k + h\,\dot\psi(\theta_k, \psi_k)\bigr) \\
    \theta_{k+1} &= \theta_k + h\,\dot\theta(\theta_k, \psi_{k+1})
    \end{aligned}
    $$

    Parameters
    ----------
    game : {"gan", "wgan", "wgan-gp", "r1"}
        The game, as in `dirac_vector_field`.
    start : pair of float, default (1.0, 1.0)
        Initial $(\theta_0, \psi_0)$, finite.
    lr : float, default 0.1
        Step size $h > 0$ of both players.
    steps : int, default 1000
        Number of updates $\ge 1$ (in alternating mode one update is one critic step followed
        by one generator step).
    mode : {"simultaneous", "alternating"}, default "simultaneous"
        ``"simultaneous"``: both players step from the same point. ``"alternating"``: the
        critic steps first, then the generator steps against the updated critic, as in the
        training loop of Goodfellow et al. (2014) with one critic step.
    **params : float
        The game's hyperparameter, as in `dirac_vector_field`.

    Returns
    -------
    numpy.ndarray, shape (steps + 1, 2)
        Row k is $(\theta_k, \psi_k)$; row 0 is ``start``.

    Notes
    -----
    $\Pi$ is the identity except for ``"wgan"``, where it clips $\psi$ to $[-c, c]$ after every
    critic step, as weight clipping does (Arjovsky et al., 2017); from outside the disc of radius
    $c$ the iterates then settle on an orbit of radius about $c$. Linearised at the equilibrium,
    a simultaneous step multiplies by $I + hJ$, whose eigenvalues $1 \pm ih/2$ for the
    unregularised GAN have modulus $> 1$: the iterates spiral outward. Alternating steps give a
    map of determinant 1 with eigenvalues on the unit circle (for $h f'(0) < 2$), so the iterates
    oscillate without converging. R1
    moves them inside, so the iterates converge (Mescheder et al., 2018).

    The literal WGAN-GP penalty does not converge either: for $\lambda \ge 1$ the iterates stall
    at $\theta = \mp 2\lambda$, $\psi \to 0^\pm$ (measured at $h = 0.1$). On $\psi > 0$ the field
    is $\dot\theta = -\psi$, $\dot\psi = (\theta + 2\lambda) - 2\lambda\psi$, a damped
    oscillator centred at $(-2\lambda, 0)$ on the edge $\psi = 0$, overdamped when
    $\lambda \ge 1$; it creeps into that point without crossing the edge.

    References
    ----------
    Mescheder, L., Geiger, A. and Nowozin, S. (2018). Which training methods for GANs do
    actually converge? *ICML 2018*, figures 1-3.

    Arjovsky, M., Chintala, S. and Bottou, L. (2017). Wasserstein generative adversarial
    networks. *ICML 2017*, algorithm 1.

    Goodfellow, I. et al. (2014). Generative adversarial nets. *NeurIPS 27*, algorithm 1.

    Examples
    --------
    >>> path = simulate_dirac("r1", start=(1.0, 1.0), lr=0.1, steps=500, gamma=1.0)
    >>> path.shape
    (501, 2)
    >>> bool(np.hypot(*path[-1]) < 1e-3)
    True
    """
    spec, value = resolve_game(game, params)
    start = as_float_array("start", start)
    if start.shape != (2,):
        raise ValueError(f"start must be a pair (theta, psi), got shape {start.shape}")
    lr = require_positive("lr", lr)
    steps = require_positive_int("steps", steps)
    mode = require_choice("mode", mode, ("simultaneous", "alternating"))
    # --8<-- [start:simulate_dirac_loop]
    bound = value if spec.clips else np.inf  # Pi: clip psi to [-c, c] for "wgan" only
    path = np.empty((steps + 1, 2))
    path[0] = start
    theta, psi = (np.float64(v) for v in start)
    for k in range(1, steps + 1):
        d_theta, d_psi = game_field(spec, value, theta, psi)
        psi_next = np.clip(psi + lr * d_psi, -bound, bound)  # critic step, then Pi
        if mode == "alternating":
            d_theta, _ = game_field(spec, value, theta, psi_next)  # generator sees the new critic
        theta, psi = theta + lr * d_theta, psi_next
        path[k] = theta, psi
    return path
    # --8<-- [end:simulate_dirac_loop]
