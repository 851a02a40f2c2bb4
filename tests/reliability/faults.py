"""What the reliability tests share (``import faults``): running the CLI, judging, injecting faults.

A fault is injected for real where this machine allows it: a read-only bind mount and a small
tmpfs need root and mount rights, which a developer's laptop or a CI container may lack. There
the same fault comes from a patched writer that raises the same ``OSError`` (EROFS, ENOSPC) for
every path below the directory, which is what the kernel would have done.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    """What a command did: its exit status and what it printed."""

    rc: int
    out: str
    err: str

    @property
    def text(self) -> str:
        """Standard output and standard error together."""
        return self.out + self.err


def cli(*argv: str) -> Outcome:
    """Run ``ganbook ARGV`` in this process (`ganbook.cli.main`) and return what it did.

    An exception that escapes `main` is what the console script would have shown as a
    traceback: the test fails with it.
    """
    from ganbook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main([str(a) for a in argv])
        except SystemExit as stop:  # argparse's usage errors
            rc = stop.code if isinstance(stop.code, int) else 1
        except BaseException as error:  # a traceback is the failure under test
            pytest.fail(f"`ganbook {' '.join(map(str, argv))}` raised {error!r}: a traceback")
    return Outcome(rc, out.getvalue(), err.getvalue())


def cli_process(
    *argv: str, env: dict[str, str] | None = None, timeout: float = 300, **popen
) -> Outcome:
    """Run ``python -m ganbook ARGV`` in a new process (for signals, pipes, interpreter flags)."""
    done = subprocess.run(
        [sys.executable, "-m", "ganbook", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
        **popen,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def assert_clear_error(outcome: Outcome, *words: str) -> None:
    """A clear error: exit status ≠ 0, no traceback, one ``error:`` line naming every word."""
    assert outcome.rc != 0, f"expected a failure, got exit 0:\n{outcome.text}"
    assert "Traceback" not in outcome.text, outcome.text
    lines = [line for line in outcome.err.splitlines() if "error:" in line]
    assert len(lines) == 1, f"expected one error line on stderr, got:\n{outcome.err}"
    for word in words:
        assert word in lines[0], f"{word!r} is not named in {lines[0]!r}"


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def _denied_writes(root: Path, code: int) -> Iterator[None]:
    """Make every write below ``root`` raise ``OSError(code)``, as the kernel would."""
    root = root.resolve()
    message = os.strerror(code)

    def below(path) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(root)
        except (TypeError, ValueError):
            return False

    def deny(path):
        raise OSError(code, message, os.fsdecode(path))

    real_open, real_os_open = builtins.open, os.open
    real_mkdir, real_replace, real_rename = os.mkdir, os.replace, os.rename
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def patched_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+") and below(file):
            deny(file)
        return real_open(file, mode, *args, **kwargs)

    def patched_os_open(path, flags, *args, **kwargs):
        if flags & writing and below(path):
            deny(path)
        return real_os_open(path, flags, *args, **kwargs)

    def patched_mkdir(path, *args, **kwargs):
        if below(path):
            deny(path)
        return real_mkdir(path, *args, **kwargs)

    def patched_move(real):
        def move(src, dst, *args, **kwargs):
            if below(dst) or below(src):
                deny(dst)
            return real(src, dst, *args, **kwargs)

        return move

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", patched_open)
        patch.setattr(io, "open", patched_open)
        patch.setattr(os, "open", patched_os_open)
        patch.setattr(os, "mkdir", patched_mkdir)
        patch.setattr(os, "replace", patched_move(real_replace))
        patch.setattr(os, "rename", patched_move(real_rename))
        yield


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[str]:
    """Make ``directory`` read-only for the block; yields how: ``"mount"`` or ``"patched"``.

    With root and mount rights, a read-only bind mount of the directory onto itself (root
    ignores file modes, the kernel does not ignore a read-only mount); else patched writers.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if _can_mount() and _mount("--bind", str(directory), str(directory)):
        try:
            if _mount("-o", "remount,bind,ro", str(directory)):
                yield "mount"
                return
        finally:
            subprocess.run(["umount", str(directory)], check=False)
    with _denied_writes(directory, errno.EROFS):
        yield "patched"


@contextlib.contextmanager
def full_disk(directory: Path, size_kib: int = 256) -> Iterator[str]:
    """Make ``directory`` a filesystem with no space left; yields ``"tmpfs"`` or ``"patched"``.

    With mount rights, a ``size_kib`` tmpfs filled up to its last block; else patched writers
    that raise ENOSPC for every path below it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if _can_mount() and _mount("-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(directory)):
        try:
            filler = directory / ".filler"
            with contextlib.suppress(OSError), filler.open("wb", buffering=0) as stream:
                while True:
                    stream.write(b"\0" * 4096)
            yield "tmpfs"
        finally:
            subprocess.run(["umount", str(directory)], check=False)
        return
    with _denied_writes(directory, errno.ENOSPC):
        yield "patched"


def tree_digest(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` (relative path → bytes): to prove that nothing changed."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


class Forked:
    """``ganbook ARGV`` in a forked child: a real process to signal, without a new interpreter.

    The child inherits everything imported here (torch, ganbook), so it starts in milliseconds
    instead of the seconds a fresh ``python -m ganbook`` spends importing. ``prepare(pause)``
    runs in the child before `ganbook.cli.main`, to patch the point to stop at: calling
    ``pause()`` there tells the parent (`wait_for_pause`) and sleeps, for the parent to send a
    signal at that very point. SIGINT raises ``KeyboardInterrupt`` in the child, as in a
    terminal, whatever handler the parent's shell left.
    """

    def __init__(self, *argv: str, prepare=None, workdir: Path) -> None:
        self._out, self._err = workdir / "forked.out", workdir / "forked.err"
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            self._child([str(a) for a in argv], prepare, write_fd)
        os.close(write_fd)
        self.pid, self._marks = pid, read_fd
        self.rc: int | None = None

    def _child(self, argv: list[str], prepare, mark_fd: int) -> None:
        import signal
        import time
        import traceback

        code = 99
        try:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            for fd, path in ((1, self._out), (2, self._err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
            sys.stdout = open(1, "w", buffering=1, closefd=False)
            sys.stderr = open(2, "w", buffering=1, closefd=False)

            def pause() -> None:
                os.write(mark_fd, b"P")
                time.sleep(300)

            if prepare is not None:
                prepare(pause)
            from ganbook.cli import main

            code = main(argv)
        except BaseException:  # reported through the child's standard error
            traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)

    def wait_for_pause(self, timeout: float = 120) -> bool:
        """Whether the child reached ``pause()`` (``False``: it ended first, or timed out)."""
        import select

        ready, _, _ = select.select([self._marks], [], [], timeout)
        return bool(ready) and os.read(self._marks, 1) == b"P"

    def send(self, signum: int) -> None:
        """Send ``signum`` to the child."""
        os.kill(self.pid, signum)

    def finish(self, timeout: float = 120) -> Outcome:
        """Wait for the child (SIGKILL after ``timeout`` s); its status (−N for signal N)."""
        import time

        deadline = time.monotonic() + timeout
        while self.rc is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.rc = os.waitstatus_to_exitcode(status)
            elif time.monotonic() > deadline:
                os.kill(self.pid, 9)
            else:
                time.sleep(0.02)
        os.close(self._marks)
        out, err = (p.read_text() if p.exists() else "" for p in (self._out, self._err))
        return Outcome(self.rc, out, err)
