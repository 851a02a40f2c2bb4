r"""A small digit classifier whose features and predictions measure a digit generator.

- `DigitClassifier`: two convolutions, a 128-d feature layer and a 10-way head, for 16×16 digits.
- `train_digit_classifier`: trains it on the "train" split with Adam, deterministically per seed.
- `classifier_features`, `classifier_predictions`, `classifier_accuracy`: the penultimate
  features (for `feature_frechet`, `precision_recall`), the predicted classes (for
  `class_coverage`) and the accuracy on labelled images.
- `classifier_parameters`, `classifier_from_parameters`: a trained classifier stored as arrays
  and rebuilt, so that one classifier trained at build serves every chapter that measures.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganbook._checks import require_device, require_positive, require_positive_int
from ganbook.data.digits import load_digits_dataset

__all__ = [
    "DigitClassifier",
    "classifier_accuracy",
    "classifier_features",
    "classifier_from_parameters",
    "classifier_parameters",
    "classifier_predictions",
    "train_digit_classifier",
]

FEATURE_DIM = 128
N_CLASSES = 10
_SIDE = 16


def _check_images(name: str, images: torch.Tensor) -> torch.Tensor:
    r"""``images`` as a float tensor of shape (N, 1, 16, 16), N ≥ 1; ValueError otherwise."""
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(images)
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(images).__name__}")
    if not images.is_floating_point():
        raise ValueError(f"{name} must be floating point, got dtype {images.dtype}")
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, _SIDE, _SIDE):
        raise ValueError(f"{name} must have shape (N, 1, 16, 16), got {tuple(images.shape)}")
    if images.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one image")
    if not torch.isfinite(images).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return images.float()


class DigitClassifier(nn.Module):
    r"""A small CNN for (N, 1, 16, 16) digits in [−1, 1].

    $$
    x \xrightarrow{\text{conv}_{3\times3}(16),\,\mathrm{ReLU},\,\text{pool}_2}
    \xrightarrow{\text{conv}_{3\times3}(32),\,\mathrm{ReLU},\,\text{pool}_2}
    \xrightarrow{\text{linear}(128),\,\mathrm{ReLU}} \phi(x) \in \mathbb R^{128}
    \xrightarrow{\text{linear}(10)} \text{logits}
    $$

    `features` returns $\phi(x)$, the penultimate layer; `forward` the logits.

    Examples
    --------
    >>> model = DigitClassifier()
    >>> model(torch.zeros(2, 1, 16, 16)).shape, model.features(torch.zeros(2, 1, 16, 16)).shape
    (torch.Size([2, 10]), torch.Size([2, 128]))
    """

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)  # 16×16
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)  # 8×8
        self.fc = nn.Linear(32 * 4 * 4, FEATURE_DIM)
        self.head = nn.Linear(FEATURE_DIM, N_CLASSES)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        r"""The 128-d penultimate features $\phi(x)$, shape (N, 128), of x (N, 1, 16, 16)."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # (N, 16, 8, 8)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # (N, 32, 4, 4)
        return F.relu(self.fc(x.flatten(1)))  # (N, 128)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r"""Class logits, shape (N, 10)."""
        return self.head(self.features(x))


def _seeded_init(model: nn.Module, generator: torch.Generator) -> None:
    r"""Re-draw every parameter from ``generator``: $\mathcal U(-b, b)$, $b = 1/\sqrt{n_{in}}$."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                fan_in = module.weight[0].numel()
                bound = 1.0 / fan_in**0.5
                weight = torch.rand(module.weight.shape, generator=generator) * 2 - 1
                module.weight.copy_(weight * bound)
                bias = torch.rand(module.bias.shape, generator=generator) * 2 - 1
                module.bias.copy_(bias * bound)


def train_digit_classifier(
    *,
    seed: int,
    steps: int = 600,
    batch_size: int = 64,
    lr: float = 1e-3,
    device: str | torch.device = "cpu",
) -> DigitClassifier:
    r"""Train a `DigitClassifier` on the "train" split at 16×16 with Adam and cross-entropy.

    $$
    \min_\theta \ \mathbb E_{(x, y) \sim \text{batch}}\bigl[-\log \operatorname{softmax}
    (f_\theta(x))_y\bigr]
    $$

    Weights and batches (with replacement, as `sample_rows` does) are drawn from two CPU
    ``torch.Generator`` streams spawned from ``numpy.random.SeedSequence(seed)``, so two runs
    with the same seed and thread count give identical weights. The book's chapter "Measuring a
    generator" trains it at build time and reports its held-out accuracy there.

    Parameters
    ----------
    seed : int
        Seed of the initialisation and of the batches.
    steps : int
        Adam steps.
    batch_size : int
        Images per step.
    lr : float
        Adam learning rate.
    device : str or torch.device
        Where to train; the weights depend on it only through floating-point rounding.

    Returns
    -------
    DigitClassifier
        In eval mode, on ``device``.

    References
    ----------
    Kingma, D. P. and Ba, J. (2015). Adam: a method for stochastic optimization. *ICLR*.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    steps = require_positive_int("steps", steps)
    batch_size = require_positive_int("batch_size", batch_size)
    lr = require_positive("lr", lr)
    device = require_device("device", device)
    images, labels = load_digits_dataset(size=_SIDE, split="train", with_labels=True)
    model = DigitClassifier()
    init_seed, batch_seed = (  # two independent streams of one seed, never seed + k
        int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
        for child in np.random.SeedSequence(seed).spawn(2)
    )
    _seeded_init(model, torch.Generator().manual_seed(init_seed))
    model.to(device)
    images, labels = images.to(device), labels.to(device)
    batches = torch.Generator().manual_seed(batch_seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        rows = torch.randint(0, len(images), (batch_size,), generator=batches).to(device)
        loss = F.cross_entropy(model(images[rows]), labels[rows])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
    return model.eval()


def _device_of(classifier: nn.Module) -> torch.device:
    return next(classifier.parameters()).device


def _batched(
    classifier: DigitClassifier, images: torch.Tensor, batch: int, fn: str
) -> torch.Tensor:
    if not isinstance(classifier, DigitClassifier):
        raise TypeError(f"classifier must be a DigitClassifier, got {type(classifier).__name__}")
    images = _check_images("images", images)
    batch = require_positive_int("batch", batch)
    device = _device_of(classifier)
    was_training = classifier.training
    classifier.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            x = images[start : start + batch].to(device)
            out.append((classifier.features(x) if fn == "features" else classifier(x)).cpu())
    classifier.train(was_training)
    return torch.cat(out)


def classifier_features(
    classifier: DigitClassifier, images: torch.Tensor, batch: int = 512
) -> np.ndarray:
    r"""The 128-d penultimate features $\phi(x)$ of ``images``, without gradients, in batches.

    $$
    \Phi = \bigl[\phi(x_1), \dots, \phi(x_N)\bigr]^\top \in \mathbb R^{N \times 128}
    $$

    Parameters
    ----------
    classifier : DigitClassifier
        E.g. from `train_digit_classifier`; evaluated in eval mode.
    images : torch.Tensor
        Shape (N, 1, 16, 16), floating point, in [−1, 1].
    batch : int
        Images per forward pass.

    Returns
    -------
    np.ndarray
        Shape (N, 128), float64.

    Examples
    --------
    >>> classifier_features(DigitClassifier(), torch.zeros(3, 1, 16, 16)).shape
    (3, 128)
    """
    return _batched(classifier, images, batch, "features").double().numpy()


def classifier_predictions(classifier: DigitClassifier, images: torch.Tensor) -> np.ndarray:
    r"""Predicted classes $\hat y_i = \arg\max_c f(x_i)_c$, shape (N,), int64.

    Examples
    --------
    >>> classifier_predictions(DigitClassifier(), torch.zeros(2, 1, 16, 16)).shape
    (2,)
    """
    return _batched(classifier, images, 512, "logits").argmax(dim=1).numpy().astype(np.int64)


def classifier_accuracy(
    classifier: DigitClassifier, images: torch.Tensor, labels: torch.Tensor
) -> float:
    r"""Share of ``images`` whose predicted class equals ``labels``.

    $$
    \text{acc} = \frac1N \sum_i [\hat y_i = y_i]
    $$

    Parameters
    ----------
    classifier : DigitClassifier
    images : torch.Tensor
        Shape (N, 1, 16, 16).
    labels : torch.Tensor or np.ndarray
        Shape (N,), integer classes.

    Returns
    -------
    float
        In [0, 1].
    """
    predictions = classifier_predictions(classifier, images)
    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels must have shape ({len(predictions)},), got {labels.shape}")
    return float(np.mean(predictions == labels))


def classifier_parameters(classifier: DigitClassifier) -> dict[str, np.ndarray]:
    r"""Every parameter of ``classifier`` as a float32 array on the CPU, keyed by its name.

    The inverse of `classifier_from_parameters`: a classifier trained once (an experiment of
    the book) can be stored in a result and rebuilt, bit for bit, by every chapter that
    measures with it.

    Examples
    --------
    >>> model = DigitClassifier()
    >>> rebuilt = classifier_from_parameters(classifier_parameters(model))
    >>> all(torch.equal(a, b) for a, b in zip(model.parameters(), rebuilt.parameters()))
    True
    """
    if not isinstance(classifier, DigitClassifier):
        raise TypeError(f"classifier must be a DigitClassifier, got {type(classifier).__name__}")
    return {
        name: value.detach().cpu().numpy().astype(np.float32)
        for name, value in classifier.state_dict().items()
    }


def classifier_from_parameters(
    parameters: dict[str, np.ndarray], device: str | torch.device = "cpu"
) -> DigitClassifier:
    r"""A `DigitClassifier` in eval mode with the given parameters (from `classifier_parameters`).

    Raises a one-line ``ValueError`` naming the first missing, unexpected or misshapen
    parameter.
    """
    device = require_device("device", device)
    model = DigitClassifier()
    expected = model.state_dict()
    missing = sorted(set(expected) - set(parameters))
    unexpected = sorted(set(parameters) - set(expected))
    if missing or unexpected:
        raise ValueError(
            f"classifier parameters do not match: missing {missing}, unexpected {unexpected}"
        )
    state = {}
    for name, reference in expected.items():
        value = torch.as_tensor(np.asarray(parameters[name]), dtype=torch.float32)
        if value.shape != reference.shape:
            raise ValueError(
                f"classifier parameter {name!r} has shape {tuple(value.shape)}, "
                f"expected {tuple(reference.shape)}"
            )
        state[name] = value
    model.load_state_dict(state)
    return model.to(device).eval()
