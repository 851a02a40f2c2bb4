r"""Measures of an image generator: Fréchet distance, class balance, precision/recall, copying.

- `gaussian_fit`, `frechet_distance`, `feature_frechet`, `resampled_frechet`: the Fréchet distance
  between Gaussians fitted to two sets of features (FID when the features are a classifier's), and
  its spread over resamples, the real-vs-real floor when both sets are real.
- `class_histogram`, `class_coverage`, `class_histogram_kl`: how a generator's samples spread over
  the classes a classifier assigns them.
- `knn_radii`, `precision_recall`: improved precision and recall from $k$-NN balls.
- `nearest_neighbour_distances`: distance of each sample to its nearest training image.

Everything takes numpy arrays (rows are samples) and returns float64 numbers or arrays.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ganbook._checks import require_finite_number, require_positive_int

__all__ = [
    "class_coverage",
    "class_histogram",
    "class_histogram_kl",
    "feature_frechet",
    "frechet_distance",
    "gaussian_fit",
    "knn_radii",
    "nearest_neighbour_distances",
    "precision_recall",
    "resampled_frechet",
]

_CHUNK = 1024  # rows of queries per distance block: 1024 × 1200 float64 is ~10 MB
_EXACT = "donot_use_mm_for_euclid_dist"  # exact differences: a copy is at distance 0, not 1e-8


def _rows(name: str, value: object, *, min_rows: int = 1) -> np.ndarray:
    r"""``value`` as a float64 array of flattened rows (N, d); ValueError if empty, 0-d or NaN."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension (rows), got a scalar")
    if array.ndim == 1:
        array = array[:, None]  # N scalars are N one-dimensional rows
    if array.shape[0] < min_rows or array.size == 0:
        raise ValueError(f"{name} must have at least {min_rows} non-empty rows, got {array.shape}")
    array = array.reshape(array.shape[0], -1)
    if array.shape[1] == 0:
        raise ValueError(f"{name} must have at least {min_rows} non-empty rows, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _labels(name: str, labels: object, n_classes: int) -> np.ndarray:
    r"""``labels`` as an int64 vector of classes in ``0..n_classes-1``; ValueError otherwise."""
    n_classes = require_positive_int("n_classes", n_classes)
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.min() < 0 or array.max() >= n_classes:
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}, got {array.min()}..{array.max()}")
    return array.astype(np.int64)


def _pairwise(queries: np.ndarray, references: np.ndarray) -> np.ndarray:
    r"""Euclidean distances (n, m) between rows, in float64 blocks of `_CHUNK` queries."""
    ref = torch.from_numpy(references)
    blocks = [
        torch.cdist(torch.from_numpy(queries[i : i + _CHUNK]), ref, compute_mode=_EXACT).numpy()
        for i in range(0, len(queries), _CHUNK)
    ]
    return np.concatenate(blocks, axis=0)


def gaussian_fit(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean and unbiased covariance of a set of feature vectors (rows are samples).

    $$
    \hat\mu = \frac1N \sum_i x_i, \qquad
    \hat\Sigma = \frac{1}{N-1} \sum_i (x_i - \hat\mu)(x_i - \hat\mu)^\top
    $$

    Parameters
    ----------
    features : array_like, shape (N, d)
        N ≥ 2 finite rows (higher-rank arrays are flattened per row; a vector is N values, d = 1).

    Returns
    -------
    mu : np.ndarray
        Shape (d,), float64.
    cov : np.ndarray
        Shape (d, d), float64, symmetric positive semi-definite.

    Examples
    --------
    >>> mu, cov = gaussian_fit(np.array([[0.0], [2.0]]))
    >>> float(mu[0]), float(cov[0, 0])
    (1.0, 2.0)
    """
    x = _rows("features", features, min_rows=2)
    mu = x.mean(axis=0)
    centred = x - mu
    cov = centred.T @ centred / (len(x) - 1)
    return mu, (cov + cov.T) / 2.0


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    r"""Symmetric square root of a symmetric PSD matrix by eigen-decomposition (negatives → 0)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    r"""Fréchet (2-Wasserstein squared) distance between two Gaussians.

    $$
    d^2 = \lVert \mu_1 - \mu_2 \rVert_2^2
    + \operatorname{tr}\bigl(\Sigma_1 + \Sigma_2 - 2 (\Sigma_1 \Sigma_2)^{1/2}\bigr),
    \qquad
    \operatorname{tr}(\Sigma_1\Sigma_2)^{1/2}
    = \operatorname{tr}\bigl(\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2}\bigr)^{1/2}
    $$

    The trace of the cross term is computed from the eigenvalues of the symmetric PSD matrix
    $\Sigma_1^{1/2}\Sigma_2\Sigma_1^{1/2}$ (negative rounding clipped to 0), which is stable even
    for singular covariances; the result is clipped at 0.

    Parameters
    ----------
    mu1, mu2 : array_like, shape (d,)
        Means.
    cov1, cov2 : array_like, shape (d, d)
        Covariances, symmetric positive semi-definite.

    Returns
    -------
    float
        $d^2 \ge 0$; 0 for identical Gaussians.

    References
    ----------
    Dowson, D. C. and Landau, B. V. (1982). The Fréchet distance between multivariate normal
    distributions. *J. Multivariate Analysis* 12(3). Heusel, M. et al. (2017). GANs trained by a
    two time-scale update rule converge to a local Nash equilibrium. *NeurIPS* (FID).

    Examples
    --------
    >>> round(frechet_distance(np.zeros(1), np.eye(1), np.ones(1), 4 * np.eye(1)), 6)
    2.0
    """
    arrays = {}
    for name, value, ndim in (
        ("mu1", mu1, 1),
        ("cov1", cov1, 2),
        ("mu2", mu2, 1),
        ("cov2", cov2, 2),
    ):
        array = np.asarray(value, dtype=np.float64)
        if array.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-dimensional, got shape {array.shape}")
        if array.size == 0:
            raise ValueError(f"{name} must not be empty")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} contains NaN or infinite values")
        arrays[name] = array
    d = arrays["mu1"].shape[0]
    if arrays["mu2"].shape != (d,):
        raise ValueError(f"mu2 must have shape ({d},), got {arrays['mu2'].shape}")
    for name in ("cov1", "cov2"):
        if arrays[name].shape != (d, d):
            raise ValueError(f"{name} must have shape ({d}, {d}), got {arrays[name].shape}")
    m1, c1, m2, c2 = arrays["mu1"], arrays["cov1"], arrays["mu2"], arrays["cov2"]
    root1 = _psd_sqrt(c1)
    cross = root1 @ c2 @ root1
    eigenvalues = np.linalg.eigvalsh((cross + cross.T) / 2.0)
    trace_root = float(np.sqrt(np.clip(eigenvalues, 0.0, None)).sum())
    diff = m1 - m2
    value = float(diff @ diff + np.trace(c1) + np.trace(c2) - 2.0 * trace_root)
    return max(value, 0.0)


def feature_frechet(a: np.ndarray, b: np.ndarray) -> float:
    r"""Fréchet distance between Gaussians fitted to two feature sets (FID for Inception features).

    $$
    \mathrm{FD}(a, b) = d^2\bigl(\mathcal N(\hat\mu_a, \hat\Sigma_a),
    \mathcal N(\hat\mu_b, \hat\Sigma_b)\bigr)
    $$

    Parameters
    ----------
    a, b : array_like, shapes (n, d) and (m, d)
        At least two rows each, same feature dimension d.

    Returns
    -------
    float
        See `frechet_distance`. It is biased upwards for small n (Chong and Forsyth, 2020): compare
        only values at equal sample sizes, and against `resampled_frechet` of two real sets.

    References
    ----------
    Heusel, M. et al. (2017). GANs trained by a two time-scale update rule converge to a local
    Nash equilibrium. *NeurIPS*.

    Examples
    --------
    >>> x = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    >>> feature_frechet(x, x)
    0.0
    >>> round(feature_frechet(x, x + 1.0), 6)
    2.0
    """
    a = _rows("a", a, min_rows=2)
    b = _rows("b", b, min_rows=2)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"a and b must have the same feature dimension, got {a.shape[1]} and {b.shape[1]}"
        )
    return frechet_distance(*gaussian_fit(a), *gaussian_fit(b))


def resampled_frechet(
    a: np.ndarray, b: np.ndarray, *, n: int, resamples: int, rng: np.random.Generator
) -> np.ndarray:
    r"""`feature_frechet` of ``n`` rows of ``a`` and ``n`` of ``b``, redrawn ``resamples`` times.

    $$
    \mathrm{FD}_r = \mathrm{FD}\bigl(a[I_r], b[J_r]\bigr), \qquad
    I_r, J_r \text{ drawn without replacement}, \ |I_r| = |J_r| = n, \ r = 1..R
    $$

    With ``a`` and ``b`` two real sets, this is the real-vs-real floor: the FD that a generator
    equal to the data would score at sample size ``n``.

    Parameters
    ----------
    a, b : array_like, shapes (N_a, d) and (N_b, d)
        The two feature sets, same d.
    n : int
        Rows drawn from each per resample, 2 ≤ n ≤ min(N_a, N_b).
    resamples : int
        Number of resamples R ≥ 1.
    rng : np.random.Generator
        The only source of randomness.

    Returns
    -------
    np.ndarray
        Shape (R,), float64, one FD per resample.

    References
    ----------
    Heusel, M. et al. (2017), NeurIPS. Chong, M. J. and Forsyth, D. (2020). Effectively unbiased
    FID and Inception Score and where to find them. *CVPR*.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(50, 2))
    >>> resampled_frechet(x, x, n=50, resamples=3, rng=np.random.default_rng(1))
    array([0., 0., 0.])
    """
    a = _rows("a", a, min_rows=2)
    b = _rows("b", b, min_rows=2)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"a and b must have the same feature dimension, got {a.shape[1]} and {b.shape[1]}"
        )
    n = require_positive_int("n", n)
    resamples = require_positive_int("resamples", resamples)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if n < 2:
        raise ValueError(f"n must be at least 2 to fit a covariance, got {n}")
    if n > min(len(a), len(b)):
        raise ValueError(f"n must not exceed the rows of a ({len(a)}) and b ({len(b)}), got {n}")
    out = np.empty(resamples, dtype=np.float64)
    for r in range(resamples):
        i = rng.choice(len(a), size=n, replace=False)
        j = rng.choice(len(b), size=n, replace=False)
        out[r] = frechet_distance(*gaussian_fit(a[i]), *gaussian_fit(b[j]))
    return out


def class_histogram(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    r"""Share of each class among ``labels``.

    $$
    h_c = \frac{1}{N}\,\#\{i : y_i = c\}, \qquad c = 0..C-1, \qquad \textstyle\sum_c h_c = 1
    $$

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Classes in ``0..n_classes-1``, N ≥ 1.
    n_classes : int
        The number of classes C.

    Returns
    -------
    np.ndarray
        Shape (C,), float64, summing to 1.

    Examples
    --------
    >>> class_histogram(np.array([0, 0, 1, 3]), n_classes=4)
    array([0.5 , 0.25, 0.  , 0.25])
    """
    y = _labels("labels", labels, n_classes)
    return np.bincount(y, minlength=n_classes).astype(np.float64) / len(y)


def class_coverage(labels: np.ndarray, n_classes: int = 10, min_share: float = 0.25) -> float:
    r"""Fraction of classes that get at least ``min_share`` of their fair share of ``labels``.

    $$
    \text{coverage} = \frac1C\,\#\Bigl\{c : h_c \ge \frac{s}{C}\Bigr\},
    \qquad s = \texttt{min\_share}
    $$

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Classes in ``0..n_classes-1`` (e.g. a classifier's predictions on generated images).
    n_classes : int
        The number of classes C.
    min_share : float
        Threshold as a fraction of the uniform share $1/C$, in (0, 1]: 0.25 counts a class when
        it holds at least a quarter of what a balanced sample would give it.

    Returns
    -------
    float
        In $\{1/C, 2/C, \dots, 1\}$: 1 for balanced labels, $1/C$ for a single class.

    Examples
    --------
    >>> class_coverage(np.arange(10))
    1.0
    >>> class_coverage(np.zeros(5, dtype=int))
    0.1
    """
    share = require_finite_number("min_share", min_share)
    if not 0.0 < share <= 1.0:
        raise ValueError(f"min_share must lie in (0, 1], got {share}")
    histogram = class_histogram(labels, n_classes)
    # a relative tolerance so that an exactly-at-threshold share is not lost to rounding
    covered = histogram >= share / n_classes * (1.0 - 1e-12)
    return float(covered.sum() / n_classes)


def class_histogram_kl(labels: np.ndarray, n_classes: int = 10) -> float:
    r"""KL divergence (nats) from the uniform distribution to the class histogram of ``labels``.

    $$
    \mathrm{KL}(h \,\|\, u) = \sum_c h_c \log \frac{h_c}{1/C} = \log C - H(h),
    \qquad 0 \log 0 = 0
    $$

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Classes in ``0..n_classes-1``.
    n_classes : int
        The number of classes C.

    Returns
    -------
    float
        In $[0, \log C]$: 0 for perfectly balanced labels, $\log C$ for a single class.

    Examples
    --------
    >>> class_histogram_kl(np.arange(10))
    0.0
    >>> round(class_histogram_kl(np.zeros(3, dtype=int)), 6) == round(float(np.log(10)), 6)
    True
    """
    h = class_histogram(labels, n_classes)
    nonzero = h[h > 0]
    value = float(np.sum(nonzero * np.log(nonzero * n_classes)))
    return min(max(value, 0.0), math.log(n_classes))


def knn_radii(features: np.ndarray, k: int = 3) -> np.ndarray:
    r"""Distance of each row to its $k$-th nearest *other* row.

    $$
    r_k(x_i) = \bigl\lVert x_i - \mathrm{NN}_k(x_i) \bigr\rVert_2,
    \qquad \mathrm{NN}_k \text{ over } \{x_j : j \ne i\}
    $$

    Parameters
    ----------
    features : array_like, shape (N, d)
        Rows (flattened if of higher rank).
    k : int
        Neighbour rank, 1 ≤ k < N.

    Returns
    -------
    np.ndarray
        Shape (N,), float64.

    References
    ----------
    Kynkäänniemi, T. et al. (2019). Improved precision and recall metric for assessing generative
    models. *NeurIPS*.

    Examples
    --------
    >>> knn_radii(np.array([[0.0], [1.0], [3.0]]), k=1)
    array([1., 1., 2.])
    """
    x = _rows("features", features)
    k = require_positive_int("k", k)
    if k >= len(x):
        raise ValueError(f"k must be smaller than the number of rows ({len(x)}), got {k}")
    radii = np.empty(len(x), dtype=np.float64)
    ref = torch.from_numpy(x)
    for start in range(0, len(x), _CHUNK):
        block = torch.cdist(
            torch.from_numpy(x[start : start + _CHUNK]), ref, compute_mode=_EXACT
        )  # (b, N)
        rows = torch.arange(block.shape[0])
        block[rows, rows + start] = math.inf  # exclude each row itself
        radii[start : start + block.shape[0]] = torch.kthvalue(block, k, dim=1).values.numpy()
    return radii


def _share_inside(points: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> float:
    r"""Share of ``points`` within ``radii[j]`` of at least one ``centres[j]``."""
    inside = np.zeros(len(points), dtype=bool)
    for start in range(0, len(points), _CHUNK):
        block = _pairwise(points[start : start + _CHUNK], centres)  # (b, M)
        inside[start : start + len(block)] = np.any(block <= radii[None, :], axis=1)
    return float(inside.mean())


def precision_recall(real: np.ndarray, fake: np.ndarray, *, k: int = 3) -> tuple[float, float]:
    r"""Improved precision and recall: the share of each set inside the other's $k$-NN balls.

    $$
    \text{precision} = \frac{1}{M} \sum_{j} \Bigl[\exists\, i :
    \lVert f_j - r_i \rVert \le r_k(r_i)\Bigr], \qquad
    \text{recall} = \frac{1}{N} \sum_{i} \Bigl[\exists\, j :
    \lVert r_i - f_j \rVert \le r_k(f_j)\Bigr]
    $$

    with $r_k$ the `knn_radii` within each set. Precision is the share of generated samples that
    look real (quality); recall the share of real samples the generator reaches (coverage).

    Parameters
    ----------
    real : array_like, shape (N, d)
        Real features (or flattened images), N > k.
    fake : array_like, shape (M, d)
        Generated features, M > k, same d.
    k : int
        Neighbour rank of the balls (the paper uses 3).

    Returns
    -------
    precision, recall : float
        Both in [0, 1].

    References
    ----------
    Kynkäänniemi, T., Karras, T., Laine, S., Lehtinen, J. and Aila, T. (2019). Improved precision
    and recall metric for assessing generative models. *NeurIPS*.

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> precision_recall(x, x, k=1)
    (1.0, 1.0)
    """
    r = _rows("real", real)
    f = _rows("fake", fake)
    if r.shape[1] != f.shape[1]:
        raise ValueError(
            f"real and fake must have the same dimension, got {r.shape[1]} and {f.shape[1]}"
        )
    k = require_positive_int("k", k)
    if k >= min(len(r), len(f)):
        raise ValueError(
            f"k must be smaller than the rows of real ({len(r)}) and fake ({len(f)}), got {k}"
        )
    precision = _share_inside(f, r, knn_radii(r, k))
    recall = _share_inside(r, f, knn_radii(f, k))
    return precision, recall


def nearest_neighbour_distances(queries: np.ndarray, references: np.ndarray) -> np.ndarray:
    r"""Euclidean distance from each query to its nearest reference (rows flattened).

    $$
    d_i = \min_j \lVert q_i - x_j \rVert_2
    $$

    Used to ask whether a generator copies its training images: a copy is at distance 0, and a
    generator's distances should look like those of held-out real images to the training set.

    Parameters
    ----------
    queries : array_like, shape (n, ...)
        E.g. generated images (N, 1, 16, 16); each row is flattened.
    references : array_like, shape (m, ...)
        E.g. the training images, same per-row size.

    Returns
    -------
    np.ndarray
        Shape (n,), float64.

    Examples
    --------
    >>> nearest_neighbour_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.zeros((1, 2)))
    array([0., 5.])
    """
    q = _rows("queries", queries)
    x = _rows("references", references)
    if q.shape[1] != x.shape[1]:
        raise ValueError(
            f"queries and references must have the same row size, got {q.shape[1]} and {x.shape[1]}"
        )
    return _pairwise(q, x).min(axis=1)
