"""Fault injection shared by the fault tests: writes that fail part-way through.

The package writes files with ``os.write`` in chunks (``micrograd_magic.files``); wrapping
``os.write`` makes a write fail after a given number of bytes, as a full disk or an interrupt
would, without touching the code under test.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path


def make_error(name: str) -> BaseException:
    """``KeyboardInterrupt`` by that name, else an OSError with the errno of that name."""
    if name == "KeyboardInterrupt":
        return KeyboardInterrupt()
    code = getattr(errno, name)
    return OSError(code, os.strerror(code))


def failing_write(
    real: Callable[[int, bytes], int], folder: str | Path, after: int, error: str
) -> Callable[[int, bytes], int]:
    """``os.write`` that fails once ``after`` bytes went to regular files under ``folder``."""
    prefix = os.path.realpath(folder) + os.sep
    written = 0

    def write(fd: int, data: bytes) -> int:
        nonlocal written
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return real(fd, data)
        if not path.startswith(prefix) or not stat.S_ISREG(os.fstat(fd).st_mode):
            return real(fd, data)
        room = after - written
        if len(data) <= room:
            written += len(data)
            return real(fd, data)
        if room > 0:
            written += real(fd, bytes(data[:room]))
        raise make_error(error)

    return write


def install_write_fault(folder: str | Path, after: int, error: str) -> None:
    """Replace ``os.write`` for the rest of this process (used by the child processes)."""
    os.write = failing_write(os.write, folder, after, error)
