r"""Claims about the experiments of `ganbook.book.part2.optimal_discriminator.experiments`."""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, claim, holds
from ganbook.engine.result import ExperimentResult

# ---- optimal_discriminator_pointwise: exact (a grid, a solver and the closed form) ------------


@claim(
    "optimal_discriminator_pointwise",
    "on a grid the best y lies within one grid spacing of a/(a + b), and a bounded scalar solver "
    "within 1e-8",
)
def maximiser_is_a_over_a_plus_b(result: ExperimentResult):
    s = result.scalars
    return [
        at_most(
            "largest distance of the grid maximiser from a/(a + b)", s["grid_gap"], s["spacing"]
        ),
        at_most("largest distance of the solver's maximiser from a/(a + b)", s["solver_gap"], 1e-8),
    ]


@claim(
    "optimal_discriminator_pointwise",
    "no grid point beats the closed-form maximum a log a + b log b - (a + b) log(a + b)",
)
def no_grid_point_beats_the_closed_form(result: ExperimentResult):
    return at_least(
        "closed-form maximum minus the best grid value, smallest over the points",
        result.scalars["value_gap"],
        -1e-15,
    )


@claim(
    "optimal_discriminator_pointwise",
    "D* is below 1/2 at x = -2, where the generator has more mass than the data, and above 1/2 "
    "at x = 1",
)
def d_star_sides_of_one_half(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("D* at x = -2", s["d_star_first"], 0.5),
        at_least("D* at x = 1", s["d_star_last"], 0.5),
    ]


@claim(
    "optimal_discriminator_pointwise",
    "counting the fake half of the loss twice moves the maximiser at x = -2 from a/(a + b) down "
    "to a/(a + 2b)",
)
def double_weight_on_fakes_lowers_the_maximiser(result: ExperimentResult):
    s = result.scalars
    return holds(
        "a/(a + 2b) < a/(a + b) at x = -2",
        s["tilted_first"] < s["d_star_first"],
        (s["tilted_first"], s["d_star_first"]),
    )


# ---- optimal_discriminator_training: a seed ensemble of logistic discriminators ---------------


@claim(
    "optimal_discriminator_training",
    "after the last step every trained discriminator, in every seed and at every θ, lies within "
    "0.05 of D* on the whole plotted range, with φ within 0.1 of φ*",
    profiles=("standard", "full"),
)
def trained_discriminators_end_close_to_d_star(result: ExperimentResult):
    s = result.scalars
    return [
        at_most("largest final max_x |D − D*| over seeds and θ", s["gap_final_max"], 0.05),
        at_most(
            "largest final |φ − φ*| over seeds, θ and both parameters",
            s["phi_error_final_max"],
            0.1,
        ),
    ]


@claim(
    "optimal_discriminator_training",
    "at the first snapshot every seed's discriminator is still more than 0.1 away from D* at the "
    "hardest θ",
    profiles=("standard", "full"),
)
def discriminators_start_far_from_d_star(result: ExperimentResult):
    return at_least(
        "smallest over seeds of the gap at the first snapshot (worst θ)",
        result.scalars["gap_first_snapshot_min"],
        0.1,
    )


@claim(
    "optimal_discriminator_training",
    "the gap to D* shrinks during training, for every θ and every seed: the final gap is below "
    "the largest gap of the first ten steps",
)
def gap_shrinks_for_every_theta_and_seed(result: ExperimentResult):
    gap = result.arrays["gap"]  # (members, θ, steps + 1)
    final, early = gap[:, :, -1], gap[:, :, 1:11].max(axis=2)
    return holds(
        "final gap < largest early gap, for every seed and θ",
        bool(np.all(final < early)),
        float((final / early).max()),
    )
