"""Writing files so that a failure never costs the old file: temporary file, then rename.

Every file the package writes (exported pages, MyST assets, the command line's pictures) goes
through :func:`write_text` or :func:`write_bytes`. The new content goes into a temporary file in
the target's own folder (so the rename cannot cross file systems), and only a complete file is
renamed over the target. If anything fails first (text that cannot be encoded, a full disk, an
interrupt) the old file is untouched and the temporary file is removed.

A symlink keeps pointing where it did: the file it points to is replaced. A target that is not a
regular file (``/dev/null``, a pipe) cannot be replaced by a rename and is written in place.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

__all__ = ["temporary_name", "write_bytes", "write_text"]

# Small enough that an interrupt lands between two writes rather than after a huge one.
_CHUNK = 1 << 16


def temporary_name(target: Path) -> Path:
    """A fresh temporary file name beside ``target``: hidden, and ending in ``.tmp``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see the module docstring); returns ``Path(path)``.

    The text is encoded before any file is touched, so an encoding error changes nothing.
    """
    return write_bytes(path, text.encode(encoding))


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see the module docstring); returns ``Path(path)``.

    Raises OSError (FileNotFoundError for a missing folder, IsADirectoryError, ...) naming
    ``path``; the old file is then as it was and no temporary file is left behind.
    """
    target = Path(path)
    real = Path(os.path.realpath(target))
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise _naming(err, target) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "is a directory", str(target))
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:
            fd = os.open(real, os.O_WRONLY | os.O_TRUNC)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
        except OSError as err:
            raise _naming(err, target) from None
        return target
    temporary: Path | None = None
    try:
        fd, temporary = _create_beside(real)
        try:
            if info is not None:
                os.fchmod(fd, stat.S_IMODE(info.st_mode))
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, real)
        temporary = None
    except OSError as err:
        raise _naming(err, target) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return target


def _create_beside(real: Path) -> tuple[int, Path]:
    """Create a new temporary file next to ``real`` with the permissions a plain open gives."""
    while True:
        candidate = temporary_name(real)
        try:
            # 0o666: the umask then applies, as for any new file
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), candidate
        except FileExistsError:
            continue


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _naming(err: OSError, target: Path) -> OSError:
    """The same error, naming the target rather than a temporary file."""
    if err.errno is None:
        return err
    return OSError(err.errno, err.strerror, str(target))
