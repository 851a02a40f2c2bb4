r"""Every hyperparameter of one training run, in one typed dataclass that checks itself.

`TrainConfig` holds numbers and names only: no model, no data, no device object. A field left at
``None`` takes the paper's value for the chosen loss (`PAPER_DEFAULTS`), so ``TrainConfig(loss=
"wgan-gp")`` and ``TrainConfig.for_loss("wgan-gp")`` are the same run. This module does not train.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ganbook._checks import (
    require_choice,
    require_in_half_open,
    require_non_negative_int,
    require_positive,
    require_positive_int,
)
from ganbook.devices import DEVICE_CHOICES
from ganbook.losses import get_loss
from ganbook.training.inputs import DiscriminatorInputs

__all__ = ["OPTIMISERS", "PAPER_DEFAULTS", "TrainConfig"]

OPTIMISERS = ("adam", "rmsprop", "sgd")
r"""Optimiser names a network may use: ``torch.optim.Adam``, ``RMSprop`` or ``SGD``."""

# Radford et al. (2016), DCGAN §4: Adam, learning rate 2e-4, β₁ = 0.5 (β₂ left at 0.999).
_DCGAN = {"optimiser": "adam", "lr": 2e-4, "betas": (0.5, 0.999)}
# Arjovsky et al. (2017), Algorithm 1: RMSprop, α = 5e-5 (no momentum, so no betas).
_WGAN = {"optimiser": "rmsprop", "lr": 5e-5, "betas": None}
# Gulrajani et al. (2017): Adam, α = 1e-4 as in Algorithm 1, but β = (0.5, 0.9) from the authors'
# released toy code (gan_toy.py); Algorithm 1 itself states β₁ = 0, β₂ = 0.9.
_WGAN_GP = {"optimiser": "adam", "lr": 1e-4, "betas": (0.5, 0.9)}


def _both(optimiser: dict, **extra: Any) -> dict[str, Any]:
    r"""The same optimiser setting for both networks, plus loss-specific fields."""
    fields = {f"{net}_{key}": value for net in ("d", "g") for key, value in optimiser.items()}
    return {**fields, **extra}


PAPER_DEFAULTS: dict[str, dict[str, Any]] = {
    # Goodfellow et al. used SGD with momentum; we use the DCGAN setting, as most later work does.
    "minimax": _both(_DCGAN, n_critic=1),
    "non-saturating": _both(_DCGAN, n_critic=1),
    # Mao et al. (2017) §4: Adam, 2e-4, β₁ = 0.5 for their scene experiments: the DCGAN setting.
    "least-squares": _both(_DCGAN, n_critic=1),
    # WGAN: c = 0.01, n_critic = 5 (the 100-step critic warm-up of the authors' code is left out).
    "wasserstein": _both(_WGAN, n_critic=5, clip_value=0.01),
    # WGAN-GP: λ = 10, n_critic = 5 (the toy code uses λ = 0.1; pass gp_weight=0.1 for it).
    "wgan-gp": _both(_WGAN_GP, n_critic=5, gp_weight=10.0),
    # Miyato et al. (2018), Table 1, setting C: α = 2e-4, β = (0.5, 0.999), n_dis = 1 = DCGAN's.
    "hinge": _both(_DCGAN, n_critic=1),
    # Jolicoeur-Martineau (2018), CIFAR-10 "DCGAN setup": Adam, 2e-4, β = (0.5, 0.999), n_D = 1.
    "relativistic": _both(_DCGAN, n_critic=1),
}
r"""Per-loss defaults from the papers, by registry name: the values `TrainConfig` fills in."""


@dataclass(frozen=True)
class TrainConfig:
    r"""Hyperparameters of one GAN training run; checks itself when constructed.

    One *step* is one generator update, preceded by ``n_critic`` discriminator updates, each on
    a fresh real batch and fresh latents $z \sim \mathcal{N}(0, I)$ (Algorithm 1 of both WGAN
    papers; ``n_critic = 1`` is Goodfellow et al.'s $k = 1$):

    $$
    \underbrace{\varphi \leftarrow \varphi - \eta_D \widehat{\nabla}_\varphi
    \bigl(L_D + \mathcal{R}\bigr)}_{n_{\text{critic}} \text{ times}}, \qquad
    \theta \leftarrow \theta - \eta_G \widehat{\nabla}_\theta L_G
    $$

    with $\mathcal{R} = \lambda\,\mathrm{GP} + \tfrac{\gamma}{2} R_1$ (either may be absent) and
    $\widehat{\nabla}$ the optimiser's update direction. A field left at ``None`` takes the
    paper's value for ``loss`` from `PAPER_DEFAULTS`.

    Parameters
    ----------
    loss : str
        A name of `ganbook.losses.loss_names`.
    steps : int
        Number of generator updates, at least 1.
    batch_size : int
        Real and generated examples per update, at least 1.
    n_critic : int, optional
        Discriminator updates per generator update, at least 1.
    d_optimiser, g_optimiser : {"adam", "rmsprop", "sgd"}, optional
        Optimiser of the discriminator and of the generator.
    d_lr, g_lr : float, optional
        Learning rates, positive.
    d_betas, g_betas : tuple of two floats in [0, 1), optional
        Adam's $(\beta_1, \beta_2)$; must be ``None`` for RMSprop and SGD. The default betas
        are filled in only when the network keeps the default optimiser; for WGAN-GP they are
        the authors' code's $(0.5, 0.9)$, not Algorithm 1's $(0, 0.9)$ (see Notes).
    clip_value : float, optional
        Weight-clipping bound $c > 0$; only for losses that clip (``"wasserstein"``).
    gp_weight : float, optional
        Gradient-penalty weight $\lambda > 0$; only for losses with a penalty (``"wgan-gp"``).
    r1_gamma : float, optional
        $\gamma > 0$ of the R1 penalty $\tfrac{\gamma}{2}\mathbb{E}\lVert\nabla D(x)\rVert^2$ on
        real data, added to any loss; ``None`` (the default) turns it off.
    r1_every : int
        Lazy regularisation (Karras et al. 2020, appendix B): the R1 term is added only on
        every $k$-th discriminator update, multiplied by $k$ so that its average weight is
        unchanged, $\tfrac{k\gamma}{2}\mathbb{E}\lVert\nabla D(x)\rVert^2$ every $k$ updates.
        1 (the default) adds it on every update; needs ``r1_gamma``.
    instance_noise : float, optional
        $\sigma > 0$ of the Gaussian noise added to every input of $D$, real or generated
        (Sønderby et al. 2017); ``None`` (the default) adds none.
    minibatch_std : bool
        Append the minibatch standard deviation to every input of $D$ (Karras et al. 2018);
        $D$'s input is then one wider (`DiscriminatorInputs.width`).
    pack : int
        PacGAN's $m$ (Lin et al. 2018): $D$ judges $m$ examples of one kind at once; the batch
        size must be a multiple of it, and $D$'s input is $m$ times as wide. 1: no packing.
    snapshot_every : int
        Steps between sample snapshots; step 0 and the last step are always snapshotted.
    snapshot_size : int
        Number of fixed latents whose images each snapshot stores.
    seed : int
        Seeds every random stream of the run (real batches, latents, penalty points), $\ge 0$.
    device : {"auto", "cpu", "cuda", "cuda:N", "mps"}
        Where to train; ``"auto"`` picks CUDA, then MPS, then the CPU when training starts.
    threads : int
        ``torch.set_num_threads`` during the run; results are bitwise reproducible for a fixed
        device and thread count.

    Raises
    ------
    ValueError
        For an unknown loss, optimiser or device, a non-positive count or rate, betas outside
        [0, 1), betas given to a non-Adam optimiser (or missing for Adam), a clip value or
        penalty weight given to a loss they do not belong to. The message names the field.
    TypeError
        For a field of the wrong type (a float step count, a bool, …).

    Notes
    -----
    Departures from the papers, all deliberate:

    - minimax and non-saturating use the DCGAN optimiser (Adam, 2e-4, β = (0.5, 0.999)), not
      Goodfellow et al.'s SGD with momentum.
    - WGAN runs ``n_critic = 5`` from the first step: the authors' code runs 100 critic steps
      for the first 25 generator steps and every 500th, which is left out.
    - WGAN-GP's Adam uses $\beta = (0.5, 0.9)$, the value of the authors' released code
      (``gan_toy.py``, whose ring toy this book's experiments follow), not the $\beta_1 = 0$,
      $\beta_2 = 0.9$ of the paper's Algorithm 1; pass ``d_betas=(0.0, 0.9)`` and
      ``g_betas=(0.0, 0.9)`` for the paper's.
    - WGAN-GP's λ is the paper's 10; its toy code uses 0.1 (``gp_weight=0.1``).
    - ``batch_size`` defaults to 64 (WGAN, WGAN-GP on images); DCGAN used 128, the toy code 256,
      the relativistic GAN's CIFAR-10 scripts 32.

    References
    ----------
    Radford, Metz and Chintala (2016), arXiv:1511.06434. Arjovsky, Chintala and Bottou (2017),
    arXiv:1701.07875. Gulrajani et al. (2017), arXiv:1704.00028. Mao et al. (2017),
    arXiv:1611.04076. Miyato et al. (2018), arXiv:1802.05957. Jolicoeur-Martineau (2018),
    arXiv:1807.00734. Mescheder, Geiger and Nowozin (2018), arXiv:1801.04406 (R1).

    Examples
    --------
    >>> config = TrainConfig.for_loss("wgan-gp", steps=100)
    >>> config.d_optimiser, config.d_lr, config.d_betas, config.n_critic, config.gp_weight
    ('adam', 0.0001, (0.5, 0.9), 5, 10.0)
    >>> TrainConfig(loss="wasserstein", steps=10).clip_value
    0.01
    >>> TrainConfig(loss="hinge", steps=0)
    Traceback (most recent call last):
    ...
    ValueError: steps must be at least 1, got 0
    """

    loss: str = "non-saturating"  # the registry's name: the loss pair and its constraint
    steps: int = 1000  # generator updates; the papers count iterations the same way
    batch_size: int = 64  # WGAN and WGAN-GP's image batch; the toy datasets use 256
    n_critic: int | None = None  # D updates per G update: 5 for both WGANs, 1 otherwise
    d_optimiser: str | None = None  # per loss: Adam, except RMSprop for WGAN (no momentum)
    d_lr: float | None = None  # per loss: 2e-4 DCGAN, 5e-5 WGAN, 1e-4 WGAN-GP
    d_betas: tuple[float, float] | None = None  # Adam only: β₁ = 0.5 (DCGAN; WGAN-GP's code)
    g_optimiser: str | None = None  # the papers use one optimiser for both networks
    g_lr: float | None = None  # the papers use one learning rate for both networks
    g_betas: tuple[float, float] | None = None  # likewise
    clip_value: float | None = None  # WGAN's c = 0.01; any other loss must leave it None
    gp_weight: float | None = None  # WGAN-GP's λ = 10; any other loss must leave it None
    r1_gamma: float | None = None  # R1 off unless asked; Mescheder et al. use γ = 10 mostly
    r1_every: int = 1  # lazy R1 (StyleGAN2): every k-th D update, weighted by k; 1 = every update
    instance_noise: float | None = None  # σ of the noise on D's inputs; off unless asked
    minibatch_std: bool = False  # the batch's standard deviation as one more input of D
    pack: int = 1  # PacGAN: examples per input of D; 1 = one at a time
    snapshot_every: int = 100  # a figure needs tens of frames, not one per step
    snapshot_size: int = 512  # enough points for a scatter plot or a W1 estimate
    seed: int = 0  # one seed drives data, latents and penalty points
    device: str = "auto"  # CUDA, then MPS, then CPU
    threads: int = 1  # small models gain little from more; pinned for bitwise reproducibility

    def __post_init__(self) -> None:
        pair = get_loss(self.loss)  # ValueError naming "loss" if unknown
        defaults = PAPER_DEFAULTS[pair.name]
        for name, value in defaults.items():
            if getattr(self, name) is None and not name.endswith("_betas"):
                object.__setattr__(self, name, value)
        for net in ("d", "g"):  # the paper's betas go with the paper's optimiser only
            betas, optimiser = f"{net}_betas", f"{net}_optimiser"
            if getattr(self, betas) is None and getattr(self, optimiser) == defaults[optimiser]:
                object.__setattr__(self, betas, defaults[betas])
        for name in ("steps", "batch_size", "n_critic", "snapshot_every", "snapshot_size"):
            require_positive_int(name, getattr(self, name))
        require_positive_int("threads", self.threads)
        require_non_negative_int("seed", self.seed)
        for net in ("d", "g"):
            self._check_optimiser(net)
        self._check_constraint("clip_value", pair.uses_weight_clipping, "weight clipping")
        self._check_constraint("gp_weight", pair.uses_gradient_penalty, "a gradient penalty")
        if self.r1_gamma is not None:
            require_positive("r1_gamma", self.r1_gamma)
        require_positive_int("r1_every", self.r1_every)
        if self.r1_every != 1 and self.r1_gamma is None:
            raise ValueError("r1_every is the interval of the R1 penalty: give r1_gamma too")
        if self.instance_noise is not None:
            require_positive("instance_noise", self.instance_noise)
        if not isinstance(self.minibatch_std, bool):
            raise TypeError(
                f"minibatch_std must be a bool, got {type(self.minibatch_std).__name__}"
            )
        require_positive_int("pack", self.pack)
        if self.batch_size % self.pack:
            raise ValueError(
                f"pack must divide batch_size: a batch of {self.batch_size} cannot be packed "
                f"by {self.pack}"
            )
        if not isinstance(self.device, str):
            raise TypeError(f"device must be a str, got {type(self.device).__name__}")
        require_choice("device", self.device.split(":")[0], DEVICE_CHOICES)

    def _check_optimiser(self, net: str) -> None:
        name = f"{net}_optimiser"
        optimiser = require_choice(name, getattr(self, name), OPTIMISERS)
        require_positive(f"{net}_lr", getattr(self, f"{net}_lr"))
        betas = getattr(self, f"{net}_betas")
        if optimiser != "adam":
            if betas is not None:
                raise ValueError(f"{net}_betas applies to Adam only, not to {optimiser!r}")
            return
        if betas is None:
            raise ValueError(f"{net}_betas must be given when {net}_optimiser is 'adam'")
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"{net}_betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            require_in_half_open(f"{net}_betas[{i}]", beta, 0.0, 1.0)
        object.__setattr__(self, f"{net}_betas", (float(betas[0]), float(betas[1])))

    def _check_constraint(self, name: str, belongs: bool, what: str) -> None:
        value = getattr(self, name)
        if belongs:
            require_positive(name, value)
        elif value is not None:
            raise ValueError(f"{name} applies only to losses with {what}, not to {self.loss!r}")

    @property
    def discriminator_inputs(self) -> DiscriminatorInputs:
        r"""The remedies on $D$'s input (instance noise, minibatch std, packing) of this run."""
        return DiscriminatorInputs(self.instance_noise, self.minibatch_std, self.pack)

    @classmethod
    def for_loss(cls, loss: str, **overrides: Any) -> TrainConfig:
        r"""Return the config of ``loss`` with the paper's defaults, changed by ``overrides``.

        Examples
        --------
        >>> TrainConfig.for_loss("non-saturating", steps=5, d_lr=1e-3).d_lr
        0.001
        """
        return cls(loss=loss, **overrides)

    def to_dict(self) -> dict[str, Any]:
        r"""Every field as JSON-ready data (betas as lists); `from_dict` inverts it."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.asdict().items()}

    def asdict(self) -> dict[str, Any]:
        r"""Every field by name, values as stored."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> TrainConfig:
        r"""Rebuild a config from `to_dict`'s output (unknown keys are an error)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ValueError(f"unknown TrainConfig field(s): {', '.join(unknown)}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
