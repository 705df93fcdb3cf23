"""Atomic saves: write to a temporary file beside the target, then rename over it.

A crash or a full disk in the middle of a save leaves the previous file untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from wfm.errors import WfmError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp_path)`` and move the result onto ``path`` in one rename.

    Raises
    ------
    WfmError
        When the folder cannot be written or the target is locked by another program
        (Excel keeps files it has open locked on Windows).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WfmError(f"Cannot save {path.name}: the folder {folder} does not exist.")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WfmError(f"Cannot save {path.name}: {folder} is not writable ({exc.strerror}).") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); give it the mode the old file had, or the
        # mode a normally created file would get.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except PermissionError as exc:
        raise WfmError(
            f"Cannot save {path.name}: it is open in another program or read-only. "
            "Close it there and save again."
        ) from exc
    except OSError as exc:
        raise WfmError(f"Cannot save {path.name}: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
