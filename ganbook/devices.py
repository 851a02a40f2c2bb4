r"""Choosing the compute device: ``"auto"`` means CUDA, then Apple's MPS, then the CPU.

A device string is checked here, once, so that every caller gets the same ``ValueError``
naming it: an unknown kind, a malformed index (``"cuda:x"``, ``"cuda:-1"``, which torch itself
rejects with a ``RuntimeError``), an accelerator this machine lacks, or a CUDA index
$i \notin \{0, \dots, n - 1\}$ for the $n$ GPUs that ``torch.cuda.device_count()`` sees.
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
        If ``device`` is not a known kind, is malformed (``"cuda:x"``, ``"cuda:-1"``), names an
        accelerator this machine does not have, or a CUDA index beyond its GPUs.
    TypeError
        If ``device`` is neither a string nor a ``torch.device``.

    Examples
    --------
    >>> resolve_device("cpu")
    device(type='cpu')
    >>> resolve_device("cuda:x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: invalid device 'cuda:x': ...
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
    if kind not in DEVICE_CHOICES or kind == "auto":  # "auto" itself was handled above
        raise ValueError(f"unknown device {device!r}; expected one of {', '.join(DEVICE_CHOICES)}")
    try:
        resolved = torch.device(device)
    except (RuntimeError, ValueError):  # "cuda:x", "cuda:-1", "cpu:0:1": torch's message
        # only repeats the string; say what is expected instead
        raise ValueError(
            f"invalid device {device!r}: expected {kind!r} or '{kind}:N' with an index N >= 0"
        ) from None
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} was asked for, but this machine has no CUDA GPU")
    if kind == "cuda" and resolved.index is not None:
        count = torch.cuda.device_count()
        if resolved.index >= count:
            have = f"cuda:0 to cuda:{count - 1}" if count > 1 else "cuda:0"
            raise ValueError(
                f"device {device!r} was asked for, but this machine has {count} CUDA "
                f"GPU{'s' if count != 1 else ''} ({have})"
            )
    if kind == "mps" and not _mps_available():
        raise ValueError(f"device {device!r} was asked for, but MPS is not available here")
    return resolved
