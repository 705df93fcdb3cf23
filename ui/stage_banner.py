"""Which stage of the plan is out of date, and the strip that says so.

The stages run history -> forecast -> staffing requirement -> roster -> scenarios. The plan
keeps, per stage, the time it was last computed (``Project.stamps``: ISO times). A stage is
*stale* when a stage it is computed from was computed after it: a forecast older than the
history, a requirement older than the forecast, a roster older than the requirement, a
scenario comparison older than the requirement or the roster. The window shows a
:class:`StageBanner` at the top of each page with the reason and a one-click "Recompute".

Times are compared as times (a stamp written by ``wfm project update`` has seconds, one from
the window microseconds); :func:`new_stamp` never returns a time at or before one it is
given, so two changes in the same microsecond still come out in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

STAGES = ("history", "forecast", "staffing", "roster", "scenarios")
#: What each stage is computed from.
UPSTREAM: dict[str, tuple[str, ...]] = {
    "forecast": ("history",),
    "staffing": ("forecast",),
    "roster": ("staffing",),
    "scenarios": ("staffing", "roster"),
}

BANNER_STYLE = (
    "QFrame#stageBanner { background: #fff4d6; border: 1px solid #e6c66b; border-radius: 3px; }"
    "QFrame#stageBanner QLabel { color: #6b4e00; }"
)


def parse_stamp(text: str | None) -> dt.datetime | None:
    """The time of an ISO stamp; None for a missing or unreadable one."""
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(str(text)).replace(tzinfo=None)
    except ValueError:
        return None


def new_stamp(previous: Iterable[str] = ()) -> str:
    """Now as an ISO stamp (microseconds), strictly after every stamp in ``previous``."""
    now = dt.datetime.now().replace(tzinfo=None)
    times = [t for t in (parse_stamp(p) for p in previous) if t is not None]
    latest = max(times, default=None)
    if latest is not None and now <= latest:
        now = latest + dt.timedelta(microseconds=1)
    return now.isoformat(timespec="microseconds")


def stale_stages(stamps: Mapping[str, str]) -> dict[str, str]:
    """``{stage: upstream stage computed after it}`` for every stale stage with a stamp."""
    out: dict[str, str] = {}
    for stage, sources in UPSTREAM.items():
        mine = parse_stamp(stamps.get(stage))
        if mine is None:
            continue
        newer = [
            (t, s) for s in sources if (t := parse_stamp(stamps.get(s))) is not None and t > mine
        ]
        if newer:
            out[stage] = max(newer)[1]
    return out


def when_label(text: str | None) -> str:
    """``Tue 10:42`` (today and this week), ``Tue 03 Nov 10:42`` otherwise."""
    when = parse_stamp(text)
    if when is None:
        return ""
    if abs((dt.datetime.now() - when).days) < 6:
        return when.strftime("%a %H:%M")
    return when.strftime("%a %d %b %Y %H:%M")


class StageBanner(QFrame):
    """A thin strip: why the page's result is out of date, and a button to recompute it.

    Hidden while the page is up to date.
    """

    #: The planner pressed the button.
    recomputeRequested = Signal()  # noqa: N815 - Qt naming

    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageBanner")
        self.setStyleSheet(BANNER_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(button_text)
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.recomputeRequested)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.setVisible(False)
        self._stale = False

    @property
    def is_stale(self) -> bool:
        return self._stale

    def set_stale(self, message: str | None) -> None:
        """Show ``message`` (the page is out of date), or hide the strip (None)."""
        self._stale = message is not None
        if message is not None:
            self.label.setText(message)
        self.setVisible(message is not None)

    def text(self) -> str:
        return self.label.text() if self._stale else ""
