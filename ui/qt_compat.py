"""Work-arounds for bugs in the Qt bindings, each with the probe that proves it is needed.

``SignalInstance.emit()`` leaks a reference to ``True`` (PySide6 6.12.0 returns the
``Py_True`` singleton without taking a reference; seen with CPython 3.11). Before CPython
3.12, ``True`` is an ordinary reference-counted object, so every emit lowers its count by
one. pyqtgraph emits signals on every repaint and mouse move: after a few thousand, the
count reaches zero and the interpreter aborts with "Fatal Python error: bool_dealloc".

:func:`guard_emit_refcount_leak` measures the leak with a private signal and, only when it
is there, gives ``True`` a reference count no session can exhaust (CPython 3.12 makes the
bools immortal in the same way). Remove it once the pinned PySide6 no longer leaks; the
probe makes it a no-op there already.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_PROBE_EMITS = 64
#: 2**48 emits would take years at a million emits a second.
_RESERVE = 1 << 48

_applied = False


class _Probe(QObject):
    ping = Signal()


def emit_leaks_true() -> bool:
    """True when emitting a signal drops a reference to ``True``."""
    if sys.version_info >= (3, 12):  # the bools are immortal there
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    leaked = before - sys.getrefcount(True)
    if leaked > 0:
        # Give back what the probe itself took, whatever happens next.
        ctypes.c_ssize_t.from_address(id(True)).value += leaked
    return leaked >= _PROBE_EMITS


def guard_emit_refcount_leak() -> bool:
    """Apply the work-around when this PySide6 needs it; returns whether it did."""
    global _applied
    if _applied:
        return True
    if emit_leaks_true():
        ctypes.c_ssize_t.from_address(id(True)).value += _RESERVE
        _applied = True
    return _applied
