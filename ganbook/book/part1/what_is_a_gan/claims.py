r"""Claims about this chapter's experiments (its ``experiments`` module), checked at every build.

`ring_run` is a seed ensemble: every claim about what its runs do is checked on every member (the
figures of one run show one of them, and what they show must not depend on which). `bce_terms` is
exact.
"""

from __future__ import annotations

import numpy as np

from ganbook.engine.claims import at_least, at_most, between, claim, close_to, holds
from ganbook.engine.result import ExperimentResult

TRAINED = ("standard", "full")  # profiles long enough for the ring to form


def share_of_runs(count: int, members: int) -> float:
    r"""``count`` as a share of ``members``: "in at least four fifths of the runs" is ≥ 0.8."""
    return count / members


# ---- ring_run: one seed ensemble of minimax runs on the ring ----------------------------------


@claim(
    "ring_run",
    "in every run G(z) starts as a small blob near the origin, its mean distance from the centre "
    "under a quarter of the ring's radius, and covers no mode",
)
def starts_as_a_blob(result: ExperimentResult):
    s = result.scalars
    return [
        at_most(
            "mean distance from the centre at step 0, largest over the runs",
            s["start_radius_max"],
            0.25 * s["ring_radius"],
        ),
        at_most("modes covered at step 0, most over the runs", s["modes_start_max"], 0),
    ]


@claim(
    "ring_run",
    "in every run D's loss over its first ten steps is within 0.1 of log 4, the value of logits "
    "at 0",
)
def discriminator_starts_at_log4(result: ExperimentResult):
    s, log4 = result.scalars, result.scalars["log4"]
    return [
        close_to(
            "D's loss over the first ten steps, lowest over the runs",
            s["d_loss_start_min"],
            log4,
            0.1,
        ),
        close_to(
            "D's loss over the first ten steps, highest over the runs",
            s["d_loss_start_max"],
            log4,
            0.1,
        ),
    ]


@claim(
    "ring_run",
    "at the first panel the samples have left the centre in every run (at least three times "
    "their mean distance at step 0) but cover at most two modes",
    profiles=TRAINED,
)
def first_panel_spread_but_few_modes(result: ExperimentResult):
    a, s = result.arrays, result.scalars
    first = int(np.flatnonzero(a["snapshot_steps"] == s["first_panel"])[0])
    growth = a["radius"][:, first] / a["radius"][:, 0]
    return [
        at_least(
            "mean distance at the first panel over that at step 0, smallest over the runs",
            growth.min(),
            3.0,
        ),
        at_most(
            "modes covered at the first panel, most over the runs", s["first_panel_modes_max"], 2
        ),
    ]


@claim(
    "ring_run",
    "at the last step the samples lie on the ring in every run: their mean distance from the "
    "centre is within 0.1 of the ring's radius",
    profiles=TRAINED,
)
def on_the_ring_at_the_end(result: ExperimentResult):
    s = result.scalars
    return [
        close_to(
            "mean distance from the centre at the end, smallest over the runs",
            s["final_radius_min"],
            s["ring_radius"],
            0.1,
        ),
        close_to(
            "mean distance from the centre at the end, largest over the runs",
            s["final_radius_max"],
            s["ring_radius"],
            0.1,
        ),
    ]


@claim(
    "ring_run",
    "at the last step the median over the runs of the modes covered is more than half of the eight",
    profiles=TRAINED,
)
def median_run_covers_most_modes(result: ExperimentResult):
    return at_least(
        "modes covered at the end, median over the runs", result.scalars["modes_final_median"], 5
    )


@claim(
    "ring_run",
    "in every run more than a fifth of the latent cloud lands more than 3σ from every mode",
    profiles=TRAINED,
)
def latent_cloud_partly_between_modes(result: ExperimentResult):
    return at_most(
        "share of the latent cloud on a mode, largest over the runs",
        result.scalars["latent_on_mode_max"],
        0.8,
    )


def wedge_ratios(result: ExperimentResult) -> np.ndarray:
    r"""Per run, the largest share of the latent cloud on one mode over the smallest (inf at 0)."""
    shares = result.arrays["latent_share"]  # (members, 8)
    most, least = shares.max(axis=1), shares.min(axis=1)
    return np.divide(most, least, out=np.full_like(most, np.inf), where=least > 0)


@claim(
    "ring_run",
    "the latent wedges are unequal in every run: the mode that receives the most of the latent "
    "cloud receives at least half as much again as the mode that receives the least",
    profiles=TRAINED,
)
def latent_wedges_unequal(result: ExperimentResult):
    most = result.arrays["latent_share"].max(axis=1)
    return [
        at_least(
            "largest over smallest share of a mode, smallest over the runs",
            wedge_ratios(result).min(),
            1.5,
        ),
        holds("every run puts some of the latent cloud on a mode", bool((most > 0).all())),
    ]


@claim(
    "ring_run",
    "in at least four fifths of the runs the mode that receives the most of the latent cloud "
    "receives at least three times as much as the mode that receives the least",
    profiles=TRAINED,
)
def latent_wedges_far_from_equal_in_most_runs(result: ExperimentResult):
    ratios = wedge_ratios(result)
    return at_least(
        "share of the runs whose largest share is ≥ 3 times the smallest",
        share_of_runs(int((ratios >= 3.0).sum()), len(ratios)),
        0.8,
    )


@claim(
    "ring_run",
    "at the first panel, in every run, D is undecided (between 0.1 and 0.9) on at least a third of "
    "the square, and on more of it than at the last panel",
    profiles=TRAINED,
)
def early_discriminator_is_undecided(result: ExperimentResult):
    d = result.arrays["d_grid"]  # (members, panels, grid, grid)
    undecided = ((d > 0.1) & (d < 0.9)).mean(axis=(2, 3))
    return [
        at_least(
            "share of the square with 0.1 < D < 0.9 at the first panel, smallest over the runs",
            undecided[:, 0].min(),
            1 / 3,
        ),
        holds(
            "that share is larger at the first panel than at the last in every run (smallest "
            "difference shown)",
            bool((undecided[:, 0] > undecided[:, -1]).all()),
            (undecided[:, 0] - undecided[:, -1]).min(),
        ),
    ]


@claim(
    "ring_run",
    "at the end, in every run, D is lower on average on the generated samples between the modes "
    "than on the real samples, and than on the generated samples on the modes",
    profiles=TRAINED,
)
def discriminator_lowest_between_modes(result: ExperimentResult):
    a = result.arrays
    off, on = a["d_fake_off_mode"], a["d_fake_on_mode"]
    real = (1 / (1 + np.exp(-a["real_logit_final"]))).mean(axis=1)
    below_on = np.where(np.isnan(on), True, off < on)  # a run with no sample on a mode: vacuous
    return [
        holds(
            "mean D between the modes below mean D on real samples, every run (smallest gap shown)",
            bool((off < real).all()),
            np.nanmin(real - off),
        ),
        holds(
            "mean D between the modes below mean D on generated samples on the modes, every "
            "run (smallest gap shown)",
            bool(below_on.all()),
            np.nanmin(on - off),
        ),
    ]


@claim(
    "ring_run",
    "at the end D is above 1/2 at the centre of some mode in every run, and in at least four "
    "fifths of the runs it is above 1/2 on less than 5% of the square",
    profiles=TRAINED,
)
def discriminator_islands_at_the_end(result: ExperimentResult):
    a, s = result.arrays, result.scalars
    return [
        at_least(
            "largest D at a mode's centre, smallest over the runs",
            a["d_at_modes"].max(axis=1).min(),
            0.5,
        ),
        at_least(
            "share of the runs with D > 1/2 on less than 5% of the square",
            share_of_runs(s["members_small_islands"], s["members"]),
            0.8,
        ),
    ]


@claim(
    "ring_run",
    "in at least four fifths of the runs, the smaller a mode's share of the final samples, the "
    "higher D at its centre: the rank correlation between the two over the eight modes is negative",
    profiles=TRAINED,
)
def islands_mark_underfilled_modes(result: ExperimentResult):
    s = result.scalars
    return at_least(
        "share of the runs whose rank correlation is negative",
        share_of_runs(s["members_islands_underfilled"], s["members"]),
        0.8,
    )


@claim(
    "ring_run",
    "at the end D still tells real from fake, but weakly: in every run its mean on real samples is "
    "above its mean on generated ones, both are within 0.3 of 1/2, and its loss is below log 4",
    profiles=TRAINED,
)
def discriminator_nearly_fooled(result: ExperimentResult):
    a, s = result.arrays, result.scalars
    gap = 1 / (1 + np.exp(-a["real_logit_final"])) - 1 / (1 + np.exp(-a["fake_logit_final"]))
    return [
        holds(
            "mean D on real above mean D on generated in every run (smallest gap shown)",
            bool((gap.mean(axis=1) > 0).all()),
            gap.mean(axis=1).min(),
        ),
        between(
            "mean D on real samples, over the runs (lowest)", s["d_real_mean_final_min"], 0.2, 0.8
        ),
        between(
            "mean D on real samples, over the runs (highest)", s["d_real_mean_final_max"], 0.2, 0.8
        ),
        between(
            "mean D on generated samples, over the runs (lowest)",
            s["d_fake_mean_final_min"],
            0.2,
            0.8,
        ),
        between(
            "mean D on generated samples, over the runs (highest)",
            s["d_fake_mean_final_max"],
            0.2,
            0.8,
        ),
        at_most("D's loss at the end, highest over the runs", s["d_loss_final_max"], s["log4"]),
    ]


# ---- ring_run_mode_shares: each mode's share of the trained generators' samples ----------------


@claim(
    "ring_run_mode_shares",
    "in at least four fifths of the runs some mode receives less than a quarter of the data's "
    "share (1/32 of the samples, against 1/8)",
    profiles=TRAINED,
)
def some_mode_far_below_its_share(result: ExperimentResult):
    s = result.scalars
    return at_least(
        "share of the runs in which some mode gets under 1/32 of the samples",
        share_of_runs(s["members_some_mode_under_quarter"], s["members"]),
        0.8,
    )


@claim(
    "ring_run_mode_shares",
    "in the run shown at least one mode receives less than half of the data's share",
    profiles=TRAINED,
)
def shown_run_has_a_thin_mode(result: ExperimentResult):
    return at_least(
        "modes of the shown run with under 1/16 of the samples",
        result.scalars["shown_modes_under_half"],
        1,
    )


@claim(
    "ring_run",
    "in at least four fifths of the runs D at the centre of the mode with the fewest final samples "
    "is above 1/2 and above D at the centre of the mode with the most",
    profiles=TRAINED,
)
def least_filled_mode_looks_real(result: ExperimentResult):
    a = result.arrays
    shares, d = a["fake_mode_share"], a["d_at_modes"]  # (members, 8) each
    rows = np.arange(len(shares))
    least, most = d[rows, shares.argmin(axis=1)], d[rows, shares.argmax(axis=1)]
    return [
        at_least(
            "share of the runs with D > 1/2 at the least-filled mode",
            share_of_runs(int((least > 0.5).sum()), len(rows)),
            0.8,
        ),
        at_least(
            "share of the runs with D higher at the least-filled mode than at the most-filled",
            share_of_runs(int((least > most).sum()), len(rows)),
            0.8,
        ),
    ]
