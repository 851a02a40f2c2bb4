r"""What a training run leaves behind: per-step numbers and sample snapshots, as numpy arrays.

A `History` is plain data. It saves to three files, none of them a pickle: ``STEM.npz`` (the
arrays), ``STEM.json`` (the config and provenance) and ``STEM.timing.json`` (the wall-clock
times, the one part that differs between two identical runs). The first two are byte-identical
for identical runs. This module stores results; it does not train.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ganbook.training.atomic import atomic_write

__all__ = ["D_SERIES", "G_SERIES", "SERIES", "History"]

D_SERIES = ("d_loss", "penalty", "d_real", "d_fake", "d_grad_norm")
r"""Per-step series of the discriminator updates, each the mean over the step's ``n_critic``."""
G_SERIES = ("g_loss", "d_fake_g", "g_grad_norm")
r"""Per-step series of the generator update."""
SERIES = D_SERIES + G_SERIES
r"""Every per-step series, in the column order the trainer records them."""

FORMAT_VERSION = 1
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # a fixed member date: np.savez stamps the current time


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    r"""An ``.npz`` of ``arrays`` with fixed member dates, so that equal arrays give equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _json_bytes(payload: Any) -> bytes:
    return (json.dumps(payload, indent=1, sort_keys=True) + "\n").encode()


def _paths(stem: str | Path) -> tuple[Path, Path, Path]:
    stem = Path(stem)
    return (
        stem.with_name(stem.name + ".npz"),
        stem.with_name(stem.name + ".json"),
        stem.with_name(stem.name + ".timing.json"),
    )


@dataclass(eq=False)
class History:
    r"""Per-step losses, discriminator outputs, gradient norms, wall time and sample snapshots.

    Step $t = 1, \dots, T$ is the $t$-th generator update. The discriminator series are means
    over that step's ``n_critic`` updates. $D(\cdot)$ is reported as a probability for losses
    whose discriminator outputs a logit and as the raw score otherwise:

    $$
    \overline{D}(x) = \frac{1}{B}\sum_{i=1}^{B} \sigma\bigl(\ell(x_i)\bigr)
    \ \text{(logit output)}, \qquad
    \overline{D}(x) = \frac{1}{B}\sum_{i=1}^{B} D(x_i) \ \text{(score output)}
    $$

    Parameters
    ----------
    steps : numpy.ndarray
        Shape (T,), int64: 1, 2, …, T.
    d_loss, penalty, d_real, d_fake, d_grad_norm : numpy.ndarray
        Shape (T,), float32: the discriminator loss $L_D$ (without penalty), the added penalty
        ($\lambda\,\mathrm{GP} + \tfrac{\gamma}{2}R_1$, 0 without one), $\overline{D}(x)$,
        $\overline{D}(G(z))$ before the update and $\lVert\nabla_\varphi\rVert_2$.
    g_loss, d_fake_g, g_grad_norm : numpy.ndarray
        Shape (T,), float32: $L_G$, $\overline{D}(G(z))$ after the discriminator's updates, and
        $\lVert\nabla_\theta\rVert_2$.
    wall_time : numpy.ndarray
        Shape (T,), float64: seconds from the start of training to the end of each step (host
        time; on an accelerator the queued work is exact only where the trainer waits for it).
    snapshot_steps : numpy.ndarray
        Shape (K,), int64: the steps at which samples were taken (0 is before training).
    snapshots : numpy.ndarray
        Shape (K, S, *sample_shape), float32: $G(z_j)$ for the same $S$ latents every time.
    metadata : dict
        JSON data: the config (``TrainConfig.to_dict``), the device, torch's version.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> h = History.empty(3)
    >>> h.d_loss.shape, h.snapshots.shape
    ((3,), (0, 0))
    >>> stem = pathlib.Path(tempfile.mkdtemp()) / "history"
    >>> [p.name for p in h.save(stem)]
    ['history.npz', 'history.json', 'history.timing.json']
    >>> History.load(stem).identical(h)
    True
    """

    steps: np.ndarray
    d_loss: np.ndarray
    penalty: np.ndarray
    d_real: np.ndarray
    d_fake: np.ndarray
    d_grad_norm: np.ndarray
    g_loss: np.ndarray
    d_fake_g: np.ndarray
    g_grad_norm: np.ndarray
    wall_time: np.ndarray
    snapshot_steps: np.ndarray
    snapshots: np.ndarray
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def empty(cls, steps: int) -> History:
        r"""A history of ``steps`` zero-filled steps and no snapshot (for examples and tests)."""
        series = {name: np.zeros(steps, dtype=np.float32) for name in SERIES}
        return cls(
            steps=np.arange(1, steps + 1, dtype=np.int64),
            **series,
            wall_time=np.zeros(steps),
            snapshot_steps=np.zeros(0, dtype=np.int64),
            snapshots=np.zeros((0, 0), dtype=np.float32),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        r"""Every deterministic array by name (all but ``wall_time`` and ``metadata``)."""
        names = ("steps", *SERIES, "snapshot_steps", "snapshots")
        return {name: getattr(self, name) for name in names}

    def identical(self, other: History) -> bool:
        r"""Whether every array but ``wall_time`` and the metadata are bitwise equal."""
        mine, theirs = self.arrays(), other.arrays()
        return self.metadata == other.metadata and all(
            a.dtype == theirs[k].dtype
            and a.shape == theirs[k].shape
            and a.tobytes() == theirs[k].tobytes()
            for k, a in mine.items()
        )

    def save(self, stem: str | Path) -> tuple[Path, Path, Path]:
        r"""Write ``STEM.npz``, ``STEM.json`` and ``STEM.timing.json``, each atomically.

        Returns the three paths. No pickle is written: ``np.load(..., allow_pickle=False)`` and
        ``json.load`` read them back (see `load`).
        """
        arrays_path, meta_path, timing_path = _paths(stem)
        payload = {"format": FORMAT_VERSION, "metadata": self.metadata}
        timing = {"format": FORMAT_VERSION, "wall_time": self.wall_time.tolist()}
        atomic_write(arrays_path, lambda f: f.write(_npz_bytes(self.arrays())))
        atomic_write(meta_path, lambda f: f.write(_json_bytes(payload)))
        atomic_write(timing_path, lambda f: f.write(_json_bytes(timing)))
        return arrays_path, meta_path, timing_path

    @classmethod
    def load(cls, stem: str | Path) -> History:
        r"""Read a history written by `save` (no pickle is ever loaded)."""
        arrays_path, meta_path, timing_path = _paths(stem)
        payload = json.loads(meta_path.read_text())
        timing = json.loads(timing_path.read_text())
        for name, content in (("json", payload), ("timing", timing)):
            if content.get("format") != FORMAT_VERSION:
                raise ValueError(f"{name} file of {stem} has format {content.get('format')!r}")
        with np.load(arrays_path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        wall_time = np.asarray(timing["wall_time"], dtype=np.float64)
        return cls(**arrays, wall_time=wall_time, metadata=payload["metadata"])
