"""Choosing the compute device: ``"auto"`` means CUDA, then Apple's MPS, then the CPU.

torch is imported when a device is resolved, not when this module is: the site's warm rebuild
reads `DEVICE_CHOICES` and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Return the ``torch.device`` that ``device`` names, checking that it exists here.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"`` (CUDA if present, then MPS, then CPU), ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or
        ``"mps"``.

    Returns
    -------
    torch.device

    Raises
    ------
    ValueError
        If ``device`` is not a known kind, or names an accelerator this machine does not have.

    Examples
    --------
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    import torch

    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise TypeError(f"device must be a string or torch.device, got {type(device).__name__}")
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if _mps_available() else torch.device("cpu")
    kind = device.split(":")[0]
    if kind not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {device!r}; expected one of {', '.join(DEVICE_CHOICES)}")
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} was asked for, but this machine has no CUDA GPU")
    if kind == "mps" and not _mps_available():
        raise ValueError(f"device {device!r} was asked for, but MPS is not available here")
    return torch.device(device)
