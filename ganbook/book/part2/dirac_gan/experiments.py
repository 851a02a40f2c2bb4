r"""Experiments of the Dirac-GAN chapter: trajectories, eigenvalues and the WGAN-GP stall.

Real data $\delta_0$, generator $\delta_\theta$, critic $D_\psi(x) = \psi x$ (Mescheder et al.,
2018). Everything here calls `ganbook.theory` (`dirac_vector_field`, `dirac_jacobian`,
`simulate_dirac`); the experiments only choose the games, the step size and the starting point,
and measure what the chapter says about the results. Pure numpy: no training, no device.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.registry import RunContext, experiment
from ganbook.engine.result import ExperimentResult
from ganbook.theory import dirac_jacobian, dirac_vector_field, simulate_dirac

GAMES = ("gan", "wgan", "wgan-gp", "r1")
MODES = ("simultaneous", "alternating")
PLAY = {"start": [1.0, 1.0], "lr": 0.1, "clip": 1.0, "lam": 1.0, "gamma": 1.0}
PARAMETER = {"wgan": "clip", "wgan-gp": "lam", "r1": "gamma"}  # each game's hyperparameter


def hyperparameters(game: str, params) -> dict[str, float]:
    r"""The keyword argument that `ganbook.theory` expects for ``game``: ``{}`` for ``"gan"``."""
    name = PARAMETER.get(game)
    return {name: params[name]} if name else {}


def slug(game: str, mode: str | None = None) -> str:
    r"""A result key for a game (and mode): ``"wgan-gp"`` becomes ``"wgan_gp"``."""
    return game.replace("-", "_") + (f"_{mode[:3]}" if mode else "")


@experiment(
    "dirac_trajectories",
    params={**PLAY, "steps": 1000, "span": 3.0, "grid": 21},
    uses_torch_device=False,
    title="Dirac-GAN: vector fields and simultaneous/alternating trajectories of four games",
)
def dirac_trajectories(params, _context: RunContext) -> ExperimentResult:
    axis = np.linspace(-params["span"], params["span"], params["grid"])
    theta, psi = np.meshgrid(axis, axis)
    arrays: dict[str, np.ndarray] = {"axis": axis}
    scalars: dict[str, float | int | bool] = {"steps": params["steps"], "lr": params["lr"]}
    scalars.update({name: params[name] for name in PARAMETER.values()})
    half = params["steps"] // 2
    for game in GAMES:
        extra = hyperparameters(game, params)
        field = dirac_vector_field(theta, psi, game, **extra)
        arrays[f"field_{slug(game)}"] = np.stack(field)  # (2, grid, grid): theta-dot, psi-dot
        for mode in MODES:
            path = simulate_dirac(
                game, params["start"], params["lr"], params["steps"], mode, **extra
            )
            distance = np.hypot(path[:, 0], path[:, 1])  # ||(theta, psi)||
            key = slug(game, mode)
            arrays[f"path_{key}"] = path
            scalars[f"{key}_final"] = float(distance[-1])
            scalars[f"{key}_final_theta"] = float(path[-1, 0])
            scalars[f"{key}_final_psi"] = float(path[-1, 1])
            scalars[f"{key}_tail_min"] = float(distance[half:].min())
            scalars[f"{key}_tail_max"] = float(distance[half:].max())
            scalars[f"{key}_always_grows"] = bool(np.all(np.diff(distance) > 0))
    scalars["start_distance"] = float(np.hypot(*params["start"]))
    scalars["start_theta"], scalars["start_psi"] = (float(v) for v in params["start"])
    return ExperimentResult(arrays=arrays, scalars=scalars)


def step_map(game: str, mode: str, lr: float, eps: float = 1e-6, **extra: float) -> np.ndarray:
    r"""The Jacobian of one update $z_k \mapsto z_{k+1}$ at the equilibrium, by central differences.

    Each column is $(S(\varepsilon e_k) - S(-\varepsilon e_k)) / 2\varepsilon$, where $S$ is one
    step of `simulate_dirac`: it measures the update the package runs, not a formula.
    """
    columns = []
    for direction in np.eye(2):
        plus = simulate_dirac(game, eps * direction, lr, 1, mode, **extra)[1]
        minus = simulate_dirac(game, -eps * direction, lr, 1, mode, **extra)[1]
        columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1)


def r1_closed_form(gammas: np.ndarray) -> np.ndarray:
    r"""$-\gamma/2 \pm \sqrt{\gamma^2/4 - 1/4}$, shape (len(gammas), 2), ``+`` root first."""
    root = np.sqrt(gammas.astype(complex) ** 2 / 4 - 0.25)
    return np.stack([-gammas / 2 + root, -gammas / 2 - root], axis=1)


def sorted_eigenvalues(matrix: np.ndarray) -> np.ndarray:
    r"""Eigenvalues sorted by real part, then imaginary part, descending."""
    values = np.linalg.eigvals(matrix)
    return values[np.lexsort((-values.imag, -values.real))]


@experiment(
    "dirac_eigenvalues",
    params={**PLAY, "gamma_max": 2.0, "gamma_points": 201},
    uses_torch_device=False,
    title="Dirac-GAN: Jacobian eigenvalues at the equilibrium, and of one update step",
)
def dirac_eigenvalues(params, _context: RunContext) -> ExperimentResult:
    gammas = np.linspace(0.0, params["gamma_max"], params["gamma_points"])
    computed = np.stack([sorted_eigenvalues(dirac_jacobian("r1", gamma=g)) for g in gammas])
    closed = np.stack([sorted_eigenvalues(np.diag(row)) for row in r1_closed_form(gammas)])
    slowest = computed.real.max(axis=1)  # the decay rate of the slowest mode
    complex_pair = gammas < 1.0
    scalars: dict[str, float] = {"lr": params["lr"], "gamma": params["gamma"]}
    for game in ("gan", "wgan", "r1"):
        top = sorted_eigenvalues(dirac_jacobian(game, **hyperparameters(game, params)))
        scalars[f"{slug(game)}_eig_real"] = float(top[0].real) + 0.0  # no "-0.0" in prose
        scalars[f"{slug(game)}_eig_imag"] = float(abs(top[0].imag))
        scalars[f"{slug(game)}_eig_other_real"] = float(top[1].real) + 0.0
        for mode in MODES:
            update = step_map(game, mode, params["lr"], **hyperparameters(game, params))
            scalars[f"{slug(game, mode)}_step_radius"] = float(
                np.abs(np.linalg.eigvals(update)).max()
            )
            scalars[f"{slug(game, mode)}_step_det"] = float(np.linalg.det(update))
    # steps for one simultaneous WGAN step factor to double the distance: log 2 / log radius
    scalars["wgan_sim_doubling_steps"] = float(np.log(2) / np.log(scalars["wgan_sim_step_radius"]))
    # WGAN-GP on the half plane psi > 0, at the point where the chapter finds it stalls
    lam = params["lam"]
    one_sided = sorted_eigenvalues(dirac_jacobian("wgan-gp", theta=-2 * lam, psi=1e-9, lam=lam))
    scalars["wgan_gp_one_sided_eig_real"] = float(one_sided[0].real)
    scalars["wgan_gp_one_sided_eig_other_real"] = float(one_sided[1].real)
    scalars["wgan_gp_one_sided_eig_imag"] = float(abs(one_sided[0].imag))
    scalars["r1_closed_form_gap"] = float(np.abs(computed - closed).max())
    scalars["r1_circle_gap"] = float(np.abs(np.abs(computed[complex_pair]) - 0.5).max())
    scalars["r1_fastest_gamma"] = float(gammas[np.argmin(slowest)])
    scalars["r1_fastest_rate"] = float(-slowest.min())
    return ExperimentResult(
        arrays={
            "gammas": gammas,
            "eigenvalues": computed,
            "closed_form": closed,
            "slowest": slowest,
        },
        scalars=scalars,
    )


@experiment(
    "dirac_wgan_gp_stall",
    params={
        "start": PLAY["start"],
        "lr": PLAY["lr"],
        "steps": 2000,
        "lams": [0.5, 1.0, 2.0, 4.0],
        "paper_lam": 10.0,
        "paper_lr": 0.01,
        "paper_steps": 60000,
    },
    uses_torch_device=False,
    title="Dirac-GAN: the literal WGAN-GP penalty stalls at theta = -2 lambda for lambda >= 1",
)
def dirac_wgan_gp_stall(params, _context: RunContext) -> ExperimentResult:
    lams = np.asarray(params["lams"], dtype=float)
    paths = np.stack(
        [
            simulate_dirac("wgan-gp", params["start"], params["lr"], params["steps"], lam=lam)
            for lam in lams
        ]
    )
    half = params["steps"] // 2
    scalars: dict[str, float | int] = {"steps": params["steps"], "lr": params["lr"]}
    scalars["start_theta"], scalars["start_psi"] = (float(v) for v in params["start"])
    for lam, path in zip(lams, paths, strict=True):
        key = f"lam_{lam:g}".replace(".", "_")
        scalars[f"{key}_final_theta"] = float(path[-1, 0])
        scalars[f"{key}_final_psi"] = float(path[-1, 1])
        scalars[f"{key}_psi_min"] = float(path[:, 1].min())
        scalars[f"{key}_tail_min"] = float(np.hypot(*path[half:].T).min())
    paper = simulate_dirac(
        "wgan-gp",
        params["start"],
        params["paper_lr"],
        params["paper_steps"],
        lam=params["paper_lam"],
    )
    scalars.update(
        paper_lam=params["paper_lam"],
        paper_lr=params["paper_lr"],
        paper_steps=params["paper_steps"],
        paper_final_theta=float(paper[-1, 0]),
        paper_final_psi=float(paper[-1, 1]),
        paper_psi_min=float(paper[:, 1].min()),
    )
    return ExperimentResult(arrays={"lams": lams, "paths": paths}, scalars=scalars)
