r"""Writing an output file all at once: a temp file beside it, then one ``os.replace``.

A reader (or a crash) sees the old file or the complete new one, never a half-written one. This
module writes bytes; it does not know what they mean.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write"]


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read the umask is to set it
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    r"""Call ``write(stream)`` on a temp file in ``path``'s folder, then rename it to ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace; its folder is created if missing.
    write : callable
        Writes the content to the binary stream it is given.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    If ``write`` raises, the temp file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda f: f.write(b"hi")).read_bytes()
    b'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
