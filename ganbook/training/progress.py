r"""The progress bar of a run: tqdm on a terminal, nothing at all otherwise.

When silent no tqdm object exists, so a silent run pays nothing per step. The bar is refreshed
only where the trainer already waits for the device (its finiteness checks), so showing it adds
no synchronisation either. This module displays; it does not train or record.
"""

from __future__ import annotations

import sys

import torch

__all__ = ["ProgressBar", "progress_enabled"]


def progress_enabled(progress: bool | None) -> bool:
    r"""``progress`` if given, else whether standard error is a terminal.

    Examples
    --------
    >>> progress_enabled(False)
    False
    """
    if progress is None:
        return sys.stderr.isatty()
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be a bool or None, got {type(progress).__name__}")
    return progress


class ProgressBar:
    r"""A tqdm bar over generator steps showing $D(x)$, $D(G(z))$, $L_D$ and $L_G$, or nothing.

    Parameters
    ----------
    enabled : bool
        Draw the bar (on standard error) or do nothing.
    total : int
        Number of steps of the run.
    initial : int
        Steps already done (a resumed run).
    description : str
        Text before the bar, such as the loss name.
    """

    def __init__(self, enabled: bool, total: int, initial: int, description: str) -> None:
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=initial, desc=description, file=sys.stderr)

    def update(self, step: int, row: torch.Tensor) -> None:
        r"""Move the bar to ``step`` and show its row of `history.SERIES` (one copy to the host)."""
        if self._bar is None:
            return
        d_loss, _, d_real, d_fake, _, g_loss, _, _ = row.tolist()
        self._bar.set_postfix_str(
            f"D(x)={d_real:.3f} D(G(z))={d_fake:.3f} L_D={d_loss:.3f} L_G={g_loss:.3f}",
            refresh=False,
        )
        self._bar.update(step - self._bar.n)

    def close(self) -> None:
        r"""Finish the bar's line (does nothing when silent)."""
        if self._bar is not None:
            self._bar.close()
