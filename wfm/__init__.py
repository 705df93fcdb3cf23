"""The headless planner: every stage of the workforce-management pipeline, without Qt.

Stages live in one sub-package each, named after the planner's word for them:
``wfm.io`` (call-log import, cleaning, interval history), and later ``wfm.forecast``,
``wfm.staffing``, ``wfm.scheduling``, ``wfm.roster``, ``wfm.export``, ``wfm.scenarios``.
"""

__version__ = "0.1.0"
