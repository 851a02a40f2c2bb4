r"""The per-step series of a run: kept on the device, reduced in batches, checked for divergence.

A step hands over `StepRecord`s (references to tensors it computed anyway). `Recorder.flush`
turns all pending records into rows of the series at once, a handful of tensor operations for
many steps, and checks them with one host-device synchronisation: that is where a NaN or an
Inf stops the run, naming the first step at which it appeared. This module records; it does
not train or write files.
"""

from __future__ import annotations

import numpy as np
import torch

from ganbook.training.history import D_SERIES, SERIES
from ganbook.training.steps import StepRecord

__all__ = ["Recorder", "TrainingDivergedError"]

_WHAT = {
    "d_loss": "loss",
    "penalty": "penalty",
    "d_real": "output on real data",
    "d_fake": "output on generated data",
    "d_grad_norm": "gradient norm",
    "g_loss": "loss",
    "d_fake_g": "output on generated data",
    "g_grad_norm": "gradient norm",
}


class TrainingDivergedError(RuntimeError):
    r"""A loss, a penalty, a discriminator output or a gradient became NaN or infinite.

    Attributes
    ----------
    step : int
        The first step (1-based generator update) where it happened.
    network : {"discriminator", "generator"}
        The network whose update produced it.
    series : str
        The recorded series (`history.SERIES`), such as ``"d_loss"`` or ``"g_grad_norm"``.
    loss : str
        The registry name of the loss being trained.
    value : float
        The offending value (NaN, +inf or −inf).
    """

    def __init__(self, step: int, series: str, loss: str, value: float) -> None:
        self.step, self.series, self.loss, self.value = step, series, loss, value
        self.network = "discriminator" if series in D_SERIES else "generator"
        super().__init__(
            f"training diverged at step {step}: the {self.network}'s {_WHAT[series]} "
            f"({series}) is {value} with loss {loss!r}"
        )


def _padded(records: list[StepRecord], n: int) -> list[StepRecord]:
    r"""``records`` repeated at the end up to ``n``: every reduction then sees the same shapes."""
    return records + records[-1:] * (n - len(records))


def _readout(outputs: list[torch.Tensor], logit: bool) -> torch.Tensor:
    r"""Per record: mean $\sigma(\ell)$ (logits) or mean score; NaN if any output is not finite."""
    raw = torch.stack(outputs).flatten(1)  # (n, B)
    mean = (raw.sigmoid() if logit else raw).mean(dim=1)  # (n,)
    return torch.where(raw.isfinite().all(dim=1), mean, torch.nan)


def _columns(records: list[StepRecord], logit: bool) -> torch.Tensor:
    r"""Shape (n, 5): loss, penalty, D(x), D(G(z)) and total gradient norm of each record."""
    n, first = len(records), records[0]
    scalars = [r.loss for r in records] + [r.penalty for r in records if first.penalty is not None]
    outputs = [r.d_fake for r in records] + [r.d_real for r in records if first.d_real is not None]
    scalars, readouts = torch.stack(scalars).float(), _readout(outputs, logit)  # (n or 2n,)
    zeros = torch.zeros_like(scalars[:n])
    penalty = scalars[n:] if first.penalty is not None else zeros
    d_real = readouts[n:] if first.d_real is not None else zeros
    norms = torch.stack([r.grad_norms for r in records])  # (n, P)
    grad_norm = torch.linalg.vector_norm(norms, dim=1).float()  # ‖∇‖₂ over all parameters
    return torch.stack([scalars[:n], penalty, d_real, readouts[:n], grad_norm], dim=1)


class Recorder:
    r"""The rows of `history.SERIES` for every step, in one (steps, 8) float32 device tensor.

    Parameters
    ----------
    steps : int
        Number of steps of the run.
    n_critic : int
        Discriminator records per step; their rows are averaged.
    logit : bool
        Whether discriminator outputs are logits (read out as mean $\sigma$) or scores.
    loss : str
        The loss's registry name, for error messages.
    device : torch.device
        Where the rows live.
    chunk : int
        The most steps one `flush` reduces. Every flush reduces exactly ``chunk`` steps (the
        last record repeated), so that a step's numbers do not depend on where the flushes fall:
        on a GPU a reduction's bits can depend on the shape of the tensor it runs over.
    """

    def __init__(
        self, steps: int, n_critic: int, logit: bool, loss: str, device: torch.device, chunk: int
    ) -> None:
        self.rows = torch.zeros(steps, len(SERIES), device=device)
        self.done = 0  # steps reduced into rows and checked
        self._n_critic, self._logit, self._loss, self._chunk = n_critic, logit, loss, chunk
        self._discriminator: list[StepRecord] = []
        self._generator: list[StepRecord] = []

    def add(self, discriminator: list[StepRecord], generator: StepRecord) -> None:
        r"""Keep one step's records (``n_critic`` discriminator updates, one generator update)."""
        self._discriminator.extend(discriminator)
        self._generator.append(generator)

    def flush(self) -> None:
        r"""Reduce pending steps into rows; raise `TrainingDivergedError` at a non-finite value."""
        k, chunk, m = len(self._generator), self._chunk, self._n_critic
        if k == 0:
            return
        if k > chunk:
            raise RuntimeError(f"{k} steps pending, more than a flush takes ({chunk})")
        d = _columns(_padded(self._discriminator, chunk * m), self._logit)  # (chunk·m, 5)
        d = d.reshape(chunk, m, -1).mean(dim=1)[:k]  # mean over the n_critic updates of a step
        g = _columns(_padded(self._generator, chunk), self._logit)[:k]  # (k, 5)
        block = torch.cat([d, g[:, [0, 3, 4]]], dim=1)  # (k, 8) in SERIES order
        self._discriminator.clear()
        self._generator.clear()
        if not bool(torch.isfinite(block).all()):  # the one host-device synchronisation
            rows = block.cpu().numpy()
            row, column = np.argwhere(~np.isfinite(rows))[0]  # earliest step; D before G in it
            value = float(rows[row, column])
            raise TrainingDivergedError(self.done + int(row) + 1, SERIES[column], self._loss, value)
        self.rows[self.done : self.done + k] = block
        self.done += k

    def series(self) -> dict[str, np.ndarray]:
        r"""Every series as a float32 numpy array of length ``steps`` (flush first)."""
        rows = self.rows.cpu().numpy()
        return {name: np.ascontiguousarray(rows[:, j]) for j, name in enumerate(SERIES)}
