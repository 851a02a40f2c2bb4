r"""Real images that ship with a package: scikit-learn's 8×8 handwritten digits, scaled to [−1, 1].

This module loads the digits, optionally upsamples them to 16×16, fixes the train/held-out split
forever, and draws minibatches with a caller's ``torch.Generator``. It does not train or score
anything, and it never downloads: the digits are bundled with scikit-learn.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

from ganbook._checks import (
    require_bool,
    require_choice,
    require_cpu_generator,
    require_device,
    require_non_empty_tensor,
    require_positive_int,
)

__all__ = [
    "DIGITS_HELDOUT_SIZE",
    "DIGITS_SPLIT_SEED",
    "DIGITS_TRAIN_SIZE",
    "digits_split_indices",
    "load_digits_dataset",
    "sample_rows",
]

DIGITS_TRAIN_SIZE: int = 1200
r"""Number of training images; the first 1,200 entries of the fixed permutation."""
DIGITS_HELDOUT_SIZE: int = 597
r"""Number of held-out images; the remaining 597 of the 1,797."""
DIGITS_SPLIT_SEED: int = 0
r"""Seed of the ``torch.Generator`` that draws the split permutation. Never change it."""

_SPLITS = ("train", "heldout")
_SIZES = (8, 16)


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    r"""The 1,797 images (1797, 8, 8) in [-1, 1], float32, and labels (1797,), int64; read-only."""
    bunch = load_digits()
    images = (bunch.images / 8.0 - 1.0).astype(np.float32)  # 0..16 -> [-1, 1]
    labels = bunch.target.astype(np.int64)
    images.flags.writeable = False  # the cache is shared: callers get copies
    labels.flags.writeable = False
    return images, labels


def digits_split_indices(split: str = "train") -> torch.Tensor:
    r"""Return the indices (into scikit-learn's order) of the images of one split.

    $$
    \pi = \mathrm{randperm}(1797;\ \mathrm{seed}\ 0), \quad
    \text{train} = \pi_{0..1199}, \quad \text{heldout} = \pi_{1200..1796}
    $$

    The permutation comes from ``torch.randperm(1797, generator=torch.Generator().manual_seed(0))``
    and is fixed forever; a test pins its first entries so that a change in torch is caught.

    Parameters
    ----------
    split : {"train", "heldout"}
        Which part: 1,200 training images or 597 held out.

    Returns
    -------
    torch.Tensor
        Shape (1200,) or (597,), int64, in permutation order; the two splits are disjoint and cover
        all 1,797 images.

    Examples
    --------
    >>> digits_split_indices("heldout").shape
    torch.Size([597])
    """
    split = require_choice("split", split, _SPLITS)
    n_images = DIGITS_TRAIN_SIZE + DIGITS_HELDOUT_SIZE
    generator = torch.Generator().manual_seed(DIGITS_SPLIT_SEED)
    permutation = torch.randperm(n_images, generator=generator)  # (1797,)
    return permutation[:DIGITS_TRAIN_SIZE] if split == "train" else permutation[DIGITS_TRAIN_SIZE:]


def load_digits_dataset(
    *,
    size: int = 8,
    split: str = "train",
    device: str | torch.device = "cpu",
    with_labels: bool = False,
) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    r"""Load one split of scikit-learn's digits as images in [−1, 1], optionally upsampled to 16×16.

    $$
    x = \frac{v}{8} - 1, \qquad v \in \{0, 1, \dots, 16\}
    $$

    For ``size=16`` the 8×8 images are resized with
    ``torch.nn.functional.interpolate(x, size=(16, 16), mode="bilinear", align_corners=False)`` and
    clamped to [−1, 1]. The split is that of ``digits_split_indices``. The scaled 8×8 array is read
    once per process and cached; every call returns new tensors that the caller may modify.

    Parameters
    ----------
    size : {8, 16}
        Side of the returned images in pixels: 8 (native) or 16 (bilinear upsampling).
    split : {"train", "heldout"}
        1,200 training images or 597 held out.
    device : str or torch.device
        Where the tensors live; they are built on the CPU first, so the values do not depend on it.
    with_labels : bool
        Also return the digit classes.

    Returns
    -------
    images : torch.Tensor
        Shape (N, 1, size, size), float32, values in [−1, 1]; N = 1200 or 597.
    labels : torch.Tensor
        Only with ``with_labels=True``: shape (N,), int64, classes 0 to 9.

    References
    ----------
    Alpaydin and Kaynak, "Optical Recognition of Handwritten Digits", UCI Machine Learning
    Repository, 1998. Pedregosa et al., "Scikit-learn: Machine Learning in Python", JMLR 2011
    (``sklearn.datasets.load_digits``).

    Examples
    --------
    >>> images = load_digits_dataset(size=16)
    >>> images.shape, images.dtype
    (torch.Size([1200, 1, 16, 16]), torch.float32)
    >>> images, labels = load_digits_dataset(split="heldout", with_labels=True)
    >>> images.shape, labels.shape
    (torch.Size([597, 1, 8, 8]), torch.Size([597]))
    """
    size = require_positive_int("size", size)
    if size not in _SIZES:
        raise ValueError(f"size must be 8 or 16, got {size}")
    device = require_device("device", device)
    with_labels = require_bool("with_labels", with_labels)
    index = digits_split_indices(split).numpy()
    all_images, all_labels = _digits_arrays()
    images = torch.from_numpy(all_images[index]).unsqueeze(1)  # (N, 8, 8) -> (N, 1, 8, 8), a copy
    if size == 16:
        images = F.interpolate(images, size=(16, 16), mode="bilinear", align_corners=False)
        images = images.clamp_(-1.0, 1.0)  # (N, 1, 16, 16)
    images = images.to(device)
    if not with_labels:
        return images
    return images, torch.from_numpy(all_labels[index]).to(device)  # (N,)


def sample_rows(data: torch.Tensor, n: int, *, generator: torch.Generator) -> torch.Tensor:
    r"""Draw ``n`` rows of ``data`` uniformly at random, with replacement: a minibatch.

    $$
    x_m = \text{data}[i_m], \qquad i_m \sim \mathcal{U}\{0, \dots, N - 1\},\ m = 1..n
    $$

    The indices are drawn on the CPU with ``generator`` (``torch.randint``) and then moved to the
    device of ``data``, so a seed picks the same rows on every device.

    Parameters
    ----------
    data : torch.Tensor
        Shape (N, ...), floating point, N ≥ 1, on any device.
    n : int
        Number of rows to draw, at least 1 (may exceed N).
    generator : torch.Generator
        A CPU generator seeded by the caller; the only source of randomness.

    Returns
    -------
    torch.Tensor
        Shape (n, ...), a new tensor on the device of ``data``.

    Examples
    --------
    >>> import torch
    >>> images = load_digits_dataset(size=16)
    >>> sample_rows(images, 64, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([64, 1, 16, 16])
    """
    require_non_empty_tensor("data", data)
    n = require_positive_int("n", n)
    require_cpu_generator("generator", generator)
    if data.ndim == 0:
        raise ValueError("data must have at least one dimension, got a 0-d tensor")
    index = torch.randint(0, data.shape[0], (n,), generator=generator)  # (n,) on the CPU
    return data[index.to(data.device)]  # (n, ...)
