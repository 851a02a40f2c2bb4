r"""What the chapters measure and set up, defined once: every chapter imports it, none another.

- `samples`: the ring's data, modes, coverage and per-mode mass, and the exact sample $W_1$ with
  its real-vs-real floor.
- `critics`: a critic or discriminator on a grid of the plane, its gradient norms at
  interpolates, its weights and Lipschitz bound.
- `toy_runs`: the toy-run harness (players on named streams, configs from parameters, seed
  ensembles), and the ring ensembles per loss of Part I.
- `critic_runs`: ring runs whose critic is examined at stops (the two Wasserstein chapters).
- `fixed_generator`: a discriminator trained against a generator that never moves.
- `shift_toy`: the shift toy's data and $\theta$ grid, and its optimal discriminator as a model.
- `generators`: measures of an image generator: Fréchet distance of features, class balance,
  improved precision/recall and nearest-neighbour distances to the training images.
- `digit_classifier`: a small digit CNN whose features and predictions those measures use.
- `protocol`: how Part III compares two sets of images through that classifier (FD over
  resamples, precision and recall, class coverage and KL), the same in every chapter.
- `summaries`: the spread of a value over an ensemble's members, and the member a figure shows.

This layer imports the library (data, models, penalties, theory, training); the book's chapters
import it, and never each other.
"""

from ganbook.measures.critic_runs import (
    CRITIC_EXTENT,
    WGAN_RING,
    WGAN_RING_FULL,
    WGAN_RING_TEST,
    ensemble_arrays,
    ensemble_scalars,
    evaluation_steps,
    examine,
    train_and_examine,
)
from ganbook.measures.critics import (
    critic_weights,
    evaluate,
    fraction_at_bound,
    gradient_norms_at_interpolates,
    on_plane_grid,
    plane_grid,
    spectral_norm_product,
)
from ganbook.measures.digit_classifier import (
    DigitClassifier,
    classifier_accuracy,
    classifier_features,
    classifier_from_parameters,
    classifier_parameters,
    classifier_predictions,
    train_digit_classifier,
)
from ganbook.measures.fixed_generator import fixed_generator_game, train_discriminator
from ganbook.measures.generators import (
    class_coverage,
    class_histogram,
    class_histogram_kl,
    feature_frechet,
    frechet_distance,
    gaussian_fit,
    knn_radii,
    nearest_neighbour_distances,
    precision_recall,
    resampled_frechet,
)
from ganbook.measures.samples import (
    COVERAGE_RADIUS,
    RING_MODES,
    covered_modes,
    mode_shares,
    nearest_mode,
    on_mode,
    real_w1_floor,
    ring_data,
    sample_w1,
)
from ganbook.measures.shift_toy import (
    SHIFT_TOY,
    SHIFT_TOY_THETAS,
    SHIFT_TOY_THETAS_TEST,
    nearest_index,
    optimal_logistic_discriminator,
    theta_grid,
)
from ganbook.measures.summaries import add_spread, median_member, spread
from ganbook.measures.toy_runs import (
    DCGAN_RING,
    DCGAN_RING_FULL,
    DCGAN_RING_TEST,
    LOSS_KEYS,
    Member,
    ToyEnsemble,
    ring_loss_runs,
    toy_config,
    toy_ensemble,
    toy_players,
)

__all__ = [
    "COVERAGE_RADIUS",
    "CRITIC_EXTENT",
    "DCGAN_RING",
    "DCGAN_RING_FULL",
    "DCGAN_RING_TEST",
    "LOSS_KEYS",
    "RING_MODES",
    "SHIFT_TOY",
    "SHIFT_TOY_THETAS",
    "SHIFT_TOY_THETAS_TEST",
    "WGAN_RING",
    "WGAN_RING_FULL",
    "WGAN_RING_TEST",
    "DigitClassifier",
    "Member",
    "ToyEnsemble",
    "add_spread",
    "class_coverage",
    "class_histogram",
    "class_histogram_kl",
    "classifier_accuracy",
    "classifier_features",
    "classifier_from_parameters",
    "classifier_parameters",
    "classifier_predictions",
    "covered_modes",
    "critic_weights",
    "ensemble_arrays",
    "ensemble_scalars",
    "evaluate",
    "evaluation_steps",
    "examine",
    "feature_frechet",
    "fixed_generator_game",
    "fraction_at_bound",
    "frechet_distance",
    "gaussian_fit",
    "gradient_norms_at_interpolates",
    "knn_radii",
    "median_member",
    "mode_shares",
    "nearest_index",
    "nearest_mode",
    "nearest_neighbour_distances",
    "on_mode",
    "on_plane_grid",
    "optimal_logistic_discriminator",
    "plane_grid",
    "precision_recall",
    "real_w1_floor",
    "resampled_frechet",
    "ring_data",
    "ring_loss_runs",
    "sample_w1",
    "spectral_norm_product",
    "spread",
    "theta_grid",
    "toy_config",
    "toy_ensemble",
    "toy_players",
    "train_and_examine",
    "train_digit_classifier",
    "train_discriminator",
]
