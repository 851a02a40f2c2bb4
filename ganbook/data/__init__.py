r"""Data: samplers for the toy distributions and the real images the book trains on.

Every sampler takes the sample count first and a required, keyword-only ``torch.Generator`` seeded
by the caller; global RNG state is never used. Random numbers are drawn on the CPU and the result is
moved to ``device`` afterwards, so a seed gives the same numbers on every device.

- ``toy``: a 1-D Gaussian and the swiss roll of the WGAN-GP toy code.
- ``gaussian_mixtures``: the ring of 8 Gaussians and the grid of 25 of the WGAN-GP toy code, with
  their mode centres and per-mode standard deviations.
- ``modes``: how many modes of a toy a set of samples covers.
- ``digits``: scikit-learn's 8×8 digits in [−1, 1] (optionally 16×16), with a fixed split.
"""

from ganbook.data.digits import (
    DIGITS_HELDOUT_SIZE,
    DIGITS_SPLIT_SEED,
    DIGITS_TRAIN_SIZE,
    digits_split_indices,
    load_digits_dataset,
    sample_rows,
)
from ganbook.data.gaussian_mixtures import (
    EIGHT_GAUSSIANS_STD,
    TWENTY_FIVE_GAUSSIANS_STD,
    eight_gaussians,
    eight_gaussians_centres,
    twenty_five_gaussians,
    twenty_five_gaussians_centres,
)
from ganbook.data.modes import count_covered_modes, samples_per_mode
from ganbook.data.toy import gaussian_1d, swiss_roll

__all__ = [
    "DIGITS_HELDOUT_SIZE",
    "DIGITS_SPLIT_SEED",
    "DIGITS_TRAIN_SIZE",
    "EIGHT_GAUSSIANS_STD",
    "TWENTY_FIVE_GAUSSIANS_STD",
    "count_covered_modes",
    "digits_split_indices",
    "eight_gaussians",
    "eight_gaussians_centres",
    "gaussian_1d",
    "load_digits_dataset",
    "sample_rows",
    "samples_per_mode",
    "swiss_roll",
    "twenty_five_gaussians",
    "twenty_five_gaussians_centres",
]
