r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

The Dirac-GAN is deterministic (iterated maps and analytic Jacobians, no sampling): the claims
are equalities to rounding error and inequalities on the iterates.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

MODES = ("sim", "alt")


def _lam_key(lam: float) -> str:
    return f"lam_{lam:g}".replace(".", "_")


@claim(
    "dirac_trajectories",
    "unregularised GAN, simultaneous steps: the distance to the equilibrium grows at every "
    "step, to more than 1.5 times where it started",
)
def unregularised_simultaneous_spirals_out(result: ExperimentResult):
    s = result.scalars
    return [
        holds("grows at every step", s["gan_sim_always_grows"]),
        at_least("final over starting distance", s["gan_sim_final"] / s["start_distance"], 1.5),
    ]


@claim(
    "dirac_trajectories",
    "unregularised GAN, alternating steps: over the second half the distance stays within 10% "
    "of the starting distance, neither converging nor diverging",
)
def unregularised_alternating_circles(result: ExperimentResult):
    s = result.scalars
    start = s["start_distance"]
    return [
        at_least("smallest distance over the start", s["gan_alt_tail_min"] / start, 0.9),
        at_most("largest distance over the start", s["gan_alt_tail_max"] / start, 1.1),
    ]


@claim(
    "dirac_trajectories",
    "clipped WGAN: in both modes the iterates end on an orbit of radius between 0.95c and 1.2c",
)
def clipped_wgan_orbits_at_the_fence(result: ExperimentResult):
    s, checks = result.scalars, []
    for mode in MODES:
        checks += [
            at_least(
                f"{mode}: smallest distance over c", s[f"wgan_{mode}_tail_min"] / s["clip"], 0.95
            ),
            at_most(
                f"{mode}: largest distance over c", s[f"wgan_{mode}_tail_max"] / s["clip"], 1.2
            ),
        ]
    return checks


@claim(
    "dirac_trajectories",
    "only R1 reaches the equilibrium, in both modes; WGAN-GP stalls at (−2λ, 0) instead, and the "
    "other two games end far from it",
)
def only_r1_converges(result: ExperimentResult):
    s, checks = result.scalars, []
    for mode in MODES:
        checks += [
            at_most(f"R1 {mode}: final distance", s[f"r1_{mode}_final"], 1e-12),
            close_to(
                f"WGAN-GP {mode}: final θ", s[f"wgan_gp_{mode}_final_theta"], -2 * s["lam"], 1e-6
            ),
            close_to(f"WGAN-GP {mode}: final ψ", s[f"wgan_gp_{mode}_final_psi"], 0.0, 1e-6),
            at_least(f"GAN {mode}: final distance", s[f"gan_{mode}_final"], 0.5),
            at_least(f"WGAN {mode}: final distance", s[f"wgan_{mode}_final"], 0.5),
        ]
    return checks


@claim("dirac_eigenvalues", "the unregularised GAN's eigenvalues at the equilibrium are ±i/2")
def unregularised_eigenvalues_are_imaginary(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("real part", s["gan_eig_real"], 0.0, 1e-12),
        close_to("imaginary part", s["gan_eig_imag"], 0.5, 1e-12),
    ]


@claim("dirac_eigenvalues", "WGAN's eigenvalues at the equilibrium are ±i: twice as fast")
def wgan_eigenvalues_rotate_twice_as_fast(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("real part", s["wgan_eig_real"], 0.0, 1e-12),
        close_to("imaginary part", s["wgan_eig_imag"], 1.0, 1e-12),
    ]


@claim("dirac_eigenvalues", "at γ = 1 R1 has a double eigenvalue −1/2")
def r1_double_eigenvalue_at_gamma_one(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("first", s["r1_eig_real"], -0.5, 1e-7),
        close_to("second", s["r1_eig_other_real"], -0.5, 1e-7),
    ]


@claim(
    "dirac_eigenvalues",
    "R1's eigenvalues follow the closed form −γ/2 ± sqrt(γ²/4 − 1/4) over the sweep, on the "
    "circle of radius 1/2 for γ < 1",
)
def r1_eigenvalues_follow_the_closed_form(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest gap to the closed form", s["r1_closed_form_gap"], 1e-7),
        at_most("largest distance from the circle, γ < 1", s["r1_circle_gap"], 1e-12),
    ]


@claim("dirac_eigenvalues", "the slowest R1 mode decays fastest, at rate 1/2, at γ = 1")
def r1_fastest_at_gamma_one(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("best γ", s["r1_fastest_gamma"], 1.0, 1e-12),
        close_to("its rate", s["r1_fastest_rate"], 0.5, 1e-7),
    ]


@claim(
    "dirac_eigenvalues",
    "one simultaneous step expands the unregularised games: modulus sqrt(1 + η²/4) for the GAN "
    "and sqrt(1 + η²) for WGAN, both above 1",
)
def simultaneous_steps_expand(result: ExperimentResult):
    s = result.scalars
    h = s["lr"]
    return [
        close_to("GAN modulus", s["gan_sim_step_radius"], np.sqrt(1 + h**2 / 4), 1e-9),
        close_to("WGAN modulus", s["wgan_sim_step_radius"], np.sqrt(1 + h**2), 1e-9),
        at_least("GAN modulus minus 1", s["gan_sim_step_radius"] - 1.0, 1e-4),
    ]


@claim(
    "dirac_eigenvalues",
    "one alternating step of the unregularised games preserves area: determinant 1, largest "
    "modulus 1",
)
def alternating_steps_preserve_area(result: ExperimentResult):
    s, checks = result.scalars, []
    for game in ("gan", "wgan"):
        checks += [
            close_to(f"{game}: determinant", s[f"{game}_alt_step_det"], 1.0, 1e-9),
            close_to(f"{game}: largest modulus", s[f"{game}_alt_step_radius"], 1.0, 1e-6),
        ]
    return checks


@claim(
    "dirac_eigenvalues",
    "R1 contracts in both modes: alternating determinant 1 − ηγ, simultaneous modulus 1 − η/2",
)
def r1_steps_contract(result: ExperimentResult):
    s = result.scalars
    h = s["lr"]
    return [
        close_to("alternating determinant", s["r1_alt_step_det"], 1 - h * s["gamma"], 1e-9),
        close_to("simultaneous modulus", s["r1_sim_step_radius"], 1 - h / 2, 1e-4),
        at_most("alternating modulus", s["r1_alt_step_radius"], 1.0 - 1e-6),
    ]


@claim(
    "dirac_eigenvalues",
    "on ψ > 0 the WGAN-GP field with λ = 1 has a double eigenvalue −λ at the stall point: "
    "critically damped",
)
def wgan_gp_one_sided_field_is_critically_damped(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("first", s["wgan_gp_one_sided_eig_real"], -1.0, 1e-6),
        close_to("second", s["wgan_gp_one_sided_eig_other_real"], -1.0, 1e-6),
    ]


@claim(
    "dirac_wgan_gp_stall",
    "for every λ ≥ 1 of the figure the generator stops at θ = −2λ with ψ → 0 from above, ψ never "
    "negative",
)
def stalls_at_minus_two_lambda(result: ExperimentResult):
    s, checks = result.scalars, []
    for lam in result.arrays["lams"]:
        if lam >= 1:
            key = _lam_key(lam)
            checks += [
                close_to(f"λ = {lam:g}: final θ", s[f"{key}_final_theta"], -2 * lam, 1e-6),
                between(f"λ = {lam:g}: final ψ", s[f"{key}_final_psi"], -1e-15, 1e-6),
                at_least(f"λ = {lam:g}: smallest ψ", s[f"{key}_psi_min"], 0.0),
            ]
    return checks


@claim(
    "dirac_wgan_gp_stall",
    "for λ < 1 ψ changes sign and the iterates keep circling, more than 0.5 from the "
    "equilibrium over the second half",
)
def keeps_circling_below_lambda_one(result: ExperimentResult):
    s, checks = result.scalars, []
    for lam in result.arrays["lams"]:
        if lam < 1:
            key = _lam_key(lam)
            checks += [
                at_most(f"λ = {lam:g}: smallest ψ", s[f"{key}_psi_min"], -1e-3),
                at_least(f"λ = {lam:g}: closest, second half", s[f"{key}_tail_min"], 0.5),
            ]
    return checks


@claim(
    "dirac_wgan_gp_stall",
    "with the paper's λ = 10 and a smaller step the generator also stops 2λ from the data, ψ "
    "never negative",
)
def paper_lambda_stalls_too(result: ExperimentResult):
    s = result.scalars
    return [
        close_to("final θ", s["paper_final_theta"], -2 * s["paper_lam"], 1e-6),
        at_least("smallest ψ", s["paper_psi_min"], 0.0),
    ]
