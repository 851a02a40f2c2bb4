r"""The per-step series of a run: kept on the device, reduced in batches, checked for divergence.

A step hands over a `StepRecord`; `Recorder.add` copies its numbers (loss, penalty, gradient
norms, the discriminator's raw outputs) into buffers allocated once, so that nothing a step
computed outlives it: holding freshly allocated tensors from step to step was measured to slow
the small models' steps by a few percent, as the allocator can no longer reuse warm memory.
`Recorder.flush` reduces the buffers into rows of the series with a handful of tensor
operations for many steps, and checks them with one host-device synchronisation: that is where
a NaN or an Inf stops the run, naming the first step at which it appeared. This module records;
it does not train or write files.
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


def _readout(raw: torch.Tensor, logit: bool) -> torch.Tensor:
    r"""Per row of ``raw`` (n, B): mean $\sigma(\ell)$ (logits) or mean score; NaN if not finite."""
    mean = (raw.sigmoid() if logit else raw).mean(dim=1)  # (n,)
    return torch.where(raw.isfinite().all(dim=1), mean, torch.nan)


class _Buffers:
    r"""One network's numbers for up to ``rows`` updates, on the device.

    Scalars (loss, [penalty,] ‖∇w‖ per parameter) and the discriminator's raw outputs ([on real
    data,] on generated data).
    """

    def __init__(self, rows: int, record: StepRecord, zero: torch.Tensor) -> None:
        self.of_discriminator = record.d_real is not None  # then a penalty column, real outputs
        self.zero = zero  # stands for "no penalty"
        width = 1 + self.of_discriminator + len(record.grad_norms)
        outputs = record.d_fake.numel() * (2 if record.d_real is not None else 1)
        self.scalars = torch.zeros(rows, width, dtype=zero.dtype, device=zero.device)
        self.outputs = torch.zeros(rows, outputs, dtype=record.d_fake.dtype, device=zero.device)
        self._rows = list(zip(self.scalars.unbind(), self.outputs.unbind(), strict=True))
        self.count = 0

    def write(self, record: StepRecord) -> None:
        r"""Copy ``record`` into the next row (two copies, no reference kept)."""
        if self.count == len(self._rows):
            raise RuntimeError(f"more than {self.count} updates recorded without a flush")
        scalar_row, output_row = self._rows[self.count]  # views made once, at allocation
        if self.of_discriminator:
            penalty = self.zero if record.penalty is None else record.penalty
            torch.stack([record.loss, penalty, *record.grad_norms], out=scalar_row)
            torch.cat([record.d_real.reshape(-1), record.d_fake.reshape(-1)], out=output_row)
        else:
            torch.stack([record.loss, *record.grad_norms], out=scalar_row)
            output_row.copy_(record.d_fake.reshape(-1))
        self.count += 1

    def columns(self, logit: bool) -> torch.Tensor:
        r"""Shape (rows, 5): loss, penalty, D(x), D(G(z)), ‖∇‖₂ for every row (stale ones too)."""
        loss = self.scalars[:, 0]
        penalty = self.scalars[:, 1] if self.of_discriminator else torch.zeros_like(loss)
        norm = torch.linalg.vector_norm(self.scalars[:, 1 + self.of_discriminator :], dim=1)
        if self.of_discriminator:  # real outputs, then generated ones
            half = self.outputs.shape[1] // 2
            d_real = _readout(self.outputs[:, :half], logit)
            d_fake = _readout(self.outputs[:, half:], logit)
        else:
            d_real, d_fake = torch.zeros_like(loss), _readout(self.outputs, logit)
        return torch.stack([loss, penalty, d_real, d_fake, norm], dim=1).float()


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
        The most steps between two flushes. The buffers hold ``chunk`` steps and every flush
        reduces all of them, so that a step's numbers do not depend on where the flushes fall:
        on a GPU a reduction's bits can depend on the shape of the tensor it runs over.
    """

    def __init__(
        self, steps: int, n_critic: int, logit: bool, loss: str, device: torch.device, chunk: int
    ) -> None:
        self.rows = torch.zeros(steps, len(SERIES), device=device)
        self.done = 0  # steps reduced into rows and checked
        self._n_critic, self._logit, self._loss, self._chunk = n_critic, logit, loss, chunk
        self._d: _Buffers | None = None  # allocated at the first step, when sizes are known
        self._g: _Buffers | None = None

    def discriminator(self, record: StepRecord) -> None:
        r"""Copy the record of one discriminator update (``n_critic`` of them per step)."""
        if self._d is None:
            zero = torch.zeros((), dtype=record.loss.dtype, device=self.rows.device)
            self._d = _Buffers(self._chunk * self._n_critic, record, zero)
        self._d.write(record)

    def generator(self, record: StepRecord) -> None:
        r"""Copy the record of the generator update that ends a step."""
        if self._g is None:
            self._g = _Buffers(self._chunk, record, self._d.zero)
        self._g.write(record)

    def flush(self) -> None:
        r"""Reduce pending steps into rows; raise `TrainingDivergedError` at a non-finite value."""
        k = 0 if self._g is None else self._g.count
        if k == 0:
            return
        d = self._d.columns(self._logit).reshape(self._chunk, self._n_critic, -1).mean(dim=1)
        g = self._g.columns(self._logit)
        block = torch.cat([d[:k], g[:k, [0, 3, 4]]], dim=1)  # (k, 8) in SERIES order
        self._d.count = self._g.count = 0
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
