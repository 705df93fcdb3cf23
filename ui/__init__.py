"""The PySide6 desktop shell around the headless planner in :mod:`wfm`.

Nothing here computes a number a planner sees: widgets show what ``wfm`` returns, and
slow ``wfm`` calls run through :mod:`ui.tasks`, the one way this package uses threads.
"""

from ui.qt_compat import guard_emit_refcount_leak

guard_emit_refcount_leak()
