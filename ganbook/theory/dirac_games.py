r"""The four Dirac-GAN games as data: each is its loss function $f$ and its critic regulariser $R$.

`ganbook.theory.dirac` turns a game into a vector field, a Jacobian and trajectories; this module
only says what the games are, so that no per-game code is written twice. A game is a `DiracGame`
holding the derivatives of $f$ and $R$ written by hand; `DIRAC_GAMES` names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from ganbook._checks import require_choice, require_non_negative, require_positive

Fn = Callable[[np.ndarray], np.ndarray]
RegFn = Callable[[np.ndarray, float], np.ndarray]


def _no_regulariser(psi: np.ndarray, _: float) -> np.ndarray:
    # R = 0
    return np.zeros_like(psi)


@dataclass(frozen=True)
class DiracGame:
    r"""One Dirac-GAN game: $f'$, $f''$, the critic regulariser's derivatives, its hyperparameter.

    The critic maximises $L(\theta, \psi) + R(\psi)$, the generator minimises $L$. Derivatives are
    written by hand so that `dirac_jacobian` is analytic.
    """

    f_prime: Fn  # f'(t)
    f_second: Fn  # f''(t)
    regulariser_grad: RegFn = _no_regulariser  # R'(psi) given the hyperparameter
    regulariser_hess: RegFn = _no_regulariser  # R''(psi) given the hyperparameter
    parameter: str | None = None  # name of the single hyperparameter, if any
    default: float = 0.0  # its default (reasons in the comment above DIRAC_GAMES)
    positive: bool = False  # whether it must be > 0 (else >= 0)
    clips: bool = False  # whether psi is projected onto [-c, c] after every critic step
    smooth_at_zero: bool = True  # whether R is twice differentiable at psi = 0


def _logistic_f_prime(t: np.ndarray) -> np.ndarray:
    # f(t) = -log(1 + e^{-t})  =>  f'(t) = sigmoid(-t), f'(0) = 1/2
    return expit(-t)


def _logistic_f_second(t: np.ndarray) -> np.ndarray:
    # f''(t) = -sigmoid(t) sigmoid(-t), f''(0) = -1/4
    return -expit(t) * expit(-t)


def _linear_f_prime(t: np.ndarray) -> np.ndarray:
    # f(t) = t  =>  f'(t) = 1
    return np.ones_like(t)


def _linear_f_second(t: np.ndarray) -> np.ndarray:
    # f''(t) = 0
    return np.zeros_like(t)


# --8<-- [start:dirac_regularisers]
def _gp_grad(psi: np.ndarray, lam: float) -> np.ndarray:
    # R = -lam (|psi| - 1)^2  =>  R' = -2 lam (|psi| - 1) sign(psi)  (0 at psi = 0 by sign(0) = 0)
    return -2.0 * lam * (np.abs(psi) - 1.0) * np.sign(psi)


def _gp_hess(psi: np.ndarray, lam: float) -> np.ndarray:
    # R'' = -2 lam for psi != 0; R' jumps from -2 lam to +2 lam across psi = 0
    return np.full_like(psi, -2.0 * lam)


def _r1_grad(psi: np.ndarray, gamma: float) -> np.ndarray:
    # R = -(gamma / 2) psi^2  =>  R' = -gamma psi
    return -gamma * psi
    # --8<-- [end:dirac_regularisers]


def _r1_hess(psi: np.ndarray, gamma: float) -> np.ndarray:
    # R'' = -gamma
    return np.full_like(psi, -gamma)


# Defaults: clip = 1 makes the critic 1-Lipschitz (|D'| = |psi|); lam = 1, not WGAN-GP's 10,
# because the penalty alone maps |psi| - 1 to (1 - 2 h lam)(|psi| - 1), stable only for
# h lam < 1 at the default step h = 0.1; gamma = 1 gives the critically damped R1 game.
DIRAC_GAMES: dict[str, DiracGame] = {
    "gan": DiracGame(_logistic_f_prime, _logistic_f_second),
    "wgan": DiracGame(
        _linear_f_prime, _linear_f_second, parameter="clip", default=1.0, positive=True, clips=True
    ),
    "wgan-gp": DiracGame(
        _linear_f_prime, _linear_f_second, _gp_grad, _gp_hess, "lam", 1.0, smooth_at_zero=False
    ),
    "r1": DiracGame(_logistic_f_prime, _logistic_f_second, _r1_grad, _r1_hess, "gamma", 1.0),
}
r"""The Dirac-GAN games by name: ``"gan"``, ``"wgan"``, ``"wgan-gp"``, ``"r1"``."""


def resolve_game(game: str, params: dict[str, Any]) -> tuple[DiracGame, float]:
    r"""Return the game's spec and its validated hyperparameter (its default if not given)."""
    spec = DIRAC_GAMES[require_choice("game", game, DIRAC_GAMES)]
    unexpected = sorted(set(params) - {spec.parameter})
    if unexpected:
        takes = repr(spec.parameter) if spec.parameter else "none"
        raise TypeError(
            f"game {game!r} got unexpected hyperparameter {unexpected}; it takes {takes}"
        )
    if spec.parameter is None:
        return spec, 0.0
    check = require_positive if spec.positive else require_non_negative
    return spec, check(spec.parameter, params.get(spec.parameter, spec.default))


def game_field(spec: DiracGame, value: float, theta: Any, psi: Any) -> tuple[Any, Any]:
    r"""Gradient-play direction (-dL/dtheta, dL/dpsi + R'(psi)), no validation."""
    # --8<-- [start:game_field]
    slope = spec.f_prime(psi * theta)  # f'(psi theta)
    d_theta = -psi * slope  # -dL/dtheta = -psi f'(psi theta)
    d_psi = theta * slope + spec.regulariser_grad(psi, value)  # theta f'(psi theta) + R'(psi)
    return d_theta, d_psi
    # --8<-- [end:game_field]
