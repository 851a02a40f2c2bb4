r"""Writing an output all at once: a file or a whole folder, staged beside it, then renamed.

A reader (or a crash) sees the old output or the complete new one, never a half-written one.

- `atomic_write`: a file, written to a temp file in its folder, then one ``os.replace``.
- `StagedDirectory`: a folder (a run of ``ganbook train``), written into a hidden sibling
  ``.NAME.XXXXXXXX.tmp`` and put in place by `replace_directory`. Over an existing folder that is
  one ``renameat2(RENAME_EXCHANGE)`` on Linux (the old and new folders swap names in one step,
  then the old one is deleted); where the kernel has no exchange, the old folder is renamed
  aside to ``.NAME.XXXXXXXX.old`` first, and a later `StagedDirectory.sweep` puts it back if a
  crash came between the two renames. Every crash thus leaves the old folder or the complete new
  one at ``NAME``, plus at most a hidden leftover that the next run deletes (a stage is locked
  with ``flock`` while its writer lives, so only the leftovers of dead writers are swept).

This module writes bytes and folders; it does not know what they mean.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no locks, so leftovers are never swept (they are harmless)
    fcntl = None

__all__ = ["PROBE_PREFIX", "StagedDirectory", "atomic_write", "replace_directory"]


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


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    r"""Swap the names ``a`` and ``b`` in one step; ``False`` where the kernel cannot."""
    if sys.platform != "linux":
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a libc without renameat2
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # no exchange on this filesystem
        return False
    raise OSError(code, os.strerror(code), os.fspath(a), None, os.fspath(b))


def _remove_tree(path: Path) -> None:
    r"""Delete a folder that is no longer anyone's output (an old run, a dead stage)."""
    shutil.rmtree(path, ignore_errors=True)


def _aside(new: Path) -> Path:
    r"""Where the old folder waits while ``new`` is renamed in, without an exchange."""
    return new.with_name(new.name.removesuffix(".tmp") + ".old")


def replace_directory(new: str | os.PathLike, path: str | os.PathLike) -> Path:
    r"""Put the folder ``new`` at ``path``, deleting what was there; return ``path``.

    ``path`` absent or an empty folder: one ``os.rename``. Otherwise the two names are swapped
    in one step (Linux) and the old folder, now at ``new``, is deleted; without an exchange,
    ``path`` is renamed aside (``.NAME.XXXXXXXX.old``), ``new`` renamed in, the aside deleted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "run").mkdir(); _ = (root / "run" / "old.txt").write_text("old")
    >>> (root / "new").mkdir(); _ = (root / "new" / "new.txt").write_text("new")
    >>> sorted(p.name for p in replace_directory(root / "new", root / "run").iterdir())
    ['new.txt']
    >>> sorted(p.name for p in root.iterdir())
    ['run']
    """
    new, path = Path(new), Path(path)
    if not os.path.lexists(path):
        os.rename(new, path)
        return path
    if _exchange(new, path):
        _remove_tree(new)  # holds the old folder now
        return path
    with contextlib.suppress(OSError):  # an empty folder is replaced by a plain rename
        os.rename(new, path)
        return path
    aside = _aside(new)
    os.rename(path, aside)
    try:
        os.rename(new, path)
    except BaseException:
        os.rename(aside, path)  # the old folder back where it was
        raise
    _remove_tree(aside)
    return path


def _lock(folder: Path) -> int | None:
    r"""An open descriptor of ``folder`` holding its exclusive ``flock``; ``None`` if taken.

    Raises ``BlockingIOError`` if another process holds the lock. Where ``flock`` is missing
    or refused (Windows, some network filesystems), returns ``None``: nothing is locked.
    """
    if fcntl is None:
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise
    except OSError:
        os.close(fd)
        return None
    return fd


class StagedDirectory:
    r"""A folder written in a hidden sibling of ``path`` and renamed onto ``path`` when complete.

    Use `open` (or ``with``) to make the stage, write into it, and `commit` to put it in place;
    leaving the ``with`` block without `commit` deletes the stage, and ``path`` is as it was.

    Parameters
    ----------
    path : str or os.PathLike
        The folder to create or replace. Its parent is created if missing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> run = pathlib.Path(tempfile.mkdtemp()) / "run"
    >>> staged = StagedDirectory(run)
    >>> with staged as stage:
    ...     _ = (stage / "a.txt").write_text("a")
    ...     _ = staged.commit()
    >>> with StagedDirectory(run) as stage:  # no commit: the stage is deleted
    ...     _ = (stage / "b.txt").write_text("b")
    >>> [p.name for p in run.iterdir()], [p.name for p in run.parent.iterdir()]
    (['a.txt'], ['run'])
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(os.path.abspath(path))  # "." and "a/.." get a name and a parent
        if not self.path.name:
            raise ValueError(f"{os.fspath(path)!r} is a filesystem root, not a folder to replace")
        self.stage: Path | None = None
        self._fd: int | None = None
        self._committed = False

    def _leftovers(self, suffix: str) -> list[Path]:
        pattern = f".{glob.escape(self.path.name)}.*{suffix}"
        return [
            entry
            for entry in sorted(self.path.parent.glob(pattern))
            if entry.is_dir() and not entry.is_symlink() and entry != self.stage
        ]

    def sweep(self) -> list[Path]:
        r"""Clear the leftovers of dead writers of ``path``; return what was removed or restored.

        A ``.NAME.*.old`` folder is an old output set aside by a writer that died before it
        renamed its new one in: it goes back to ``path`` if ``path`` is missing (else it is
        deleted). A ``.NAME.*.tmp`` stage whose lock is free belongs to a dead writer and is
        deleted; a locked one is another live writer's, and is left alone.
        """
        if not self.path.parent.is_dir():
            return []
        touched = []
        for aside in self._leftovers(".old"):
            if not os.path.lexists(self.path):
                os.rename(aside, self.path)
            else:
                _remove_tree(aside)
            touched.append(aside)
        for stage in self._leftovers(".tmp"):
            try:
                fd = _lock(stage)
            except BlockingIOError:
                continue  # a live writer's
            except OSError:
                continue  # gone meanwhile, or not ours to read
            if fd is None:
                continue  # no locks here: cannot tell a dead writer from a live one
            try:
                _remove_tree(stage)
            finally:
                os.close(fd)
            touched.append(stage)
        return touched

    def open(self) -> Path:
        r"""Make (and lock) the stage beside ``path``, after proving that it can be written.

        Raises ``OSError`` (naming the path) if ``path`` exists but is not a folder, if the
        parent cannot take a new folder and a file in it, or if an existing ``path`` cannot be
        written or replaced (a read-only folder, a mount point).
        """
        path = self.path
        if os.path.lexists(path) and (path.is_symlink() or not path.is_dir()):
            raise NotADirectoryError(errno.ENOTDIR, "exists and is not a folder", str(path))
        if path.is_dir():
            _probe(path)  # a read-only folder cannot be replaced either
            if os.path.ismount(path):
                raise OSError(errno.EBUSY, "is a mount point, which cannot be replaced", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        self.stage = stage
        try:
            os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes 0700; give what mkdir would
            self._fd = _lock(stage)
            _probe(stage)
        except BaseException:
            self.discard()
            raise
        return stage

    def commit(self) -> Path:
        r"""Put the stage at ``path`` (see `replace_directory`) and release it; return ``path``."""
        if self.stage is None:
            raise RuntimeError("commit() before open()")
        replace_directory(self.stage, self.path)
        self._committed = True
        self._release()
        return self.path

    def discard(self) -> None:
        r"""Delete the stage unless it was committed; ``path`` is left as it was."""
        if self.stage is not None and not self._committed:
            aside = _aside(self.stage)
            if aside.is_dir() and not os.path.lexists(self.path):  # interrupted mid-replace
                os.rename(aside, self.path)
            _remove_tree(self.stage)
        self._release()

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Path:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.discard()


PROBE_PREFIX = ".probe."
r"""Name prefix of the file `StagedDirectory.open` writes and deletes to prove a folder writable."""


def _probe(folder: Path) -> None:
    r"""Create, write and delete a hidden file in ``folder``: ``OSError`` if it cannot be done."""
    handle, probe = tempfile.mkstemp(prefix=PROBE_PREFIX, dir=folder)
    try:
        os.write(handle, b"\0")
    finally:
        os.close(handle)
        os.unlink(probe)
