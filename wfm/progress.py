"""Progress reporting and cancelling for slow work (Orange3's ``wrap_callback`` pattern).

Every slow ``wfm`` function takes ``progress: ProgressCallback | None``. It is called with a
fraction in [0, 1] and a short message. To cancel, the callback raises :class:`Cancelled`;
the function lets it propagate and leaves nothing half-done behind.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[float, str], None]


class Cancelled(Exception):  # noqa: N818 - the planner's word for it
    """Raised by a progress callback to stop the work in progress."""


def report(progress: ProgressCallback | None, fraction: float, message: str = "") -> None:
    """Call ``progress`` if there is one."""
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)


def wrap_callback(
    progress: ProgressCallback | None, start: float, end: float
) -> ProgressCallback | None:
    """Map a sub-task's 0..1 onto ``start..end`` of the parent's bar."""
    if progress is None:
        return None

    def sub(fraction: float, message: str = "") -> None:
        progress(start + (end - start) * fraction, message)

    return sub
