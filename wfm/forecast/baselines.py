"""The simple baselines every model must beat (Taylor, 2008).

- **last-week**: each interval gets the same interval of the most recent *normal* same weekday
  before the forecast start (seasonal naive with period one week; for the second week of the
  horizon and beyond, the same source day repeats);
- **mean-4-weeks**: each interval gets the mean of the same interval over the 4 most recent
  normal same weekdays.

"Normal" skips days with no data, holidays, special days and unexpected closures (see
:mod:`wfm.forecast.days`), so a missing or closed Monday is not copied into next Monday. The
baselines get the same calendar handling as the model: zero on closed days and in closed
intervals, special-day volumes, and events (the source days are divided by their event impact,
the forecast day multiplied by its own).
"""

from __future__ import annotations

import numpy as np

from wfm.forecast.days import QueueDays

BASELINE_WEEKS = {"last-week": 1, "mean-4-weeks": 4}


def baseline_matrix(days: QueueDays, o: int, h: int, weeks: int) -> np.ndarray:
    """(h, slots) forecast of rows ``o .. o+h-1`` from the last ``weeks`` normal same weekdays."""
    closed, fixed = days.status(o, h)
    out = np.zeros((h, days.slots))
    by_weekday: dict[int, np.ndarray] = {}
    for w in range(7):
        rows = days.same_weekday_rows(o, w, weeks)
        if len(rows):
            by_weekday[w] = np.mean(np.nan_to_num(days.volume[rows]) / days.impact[rows, None], axis=0)
    profiles = days.profiles(o)
    for k in range(h):
        i = o + k
        if closed[k]:
            continue
        w = int(days.weekday[i])
        values = by_weekday.get(w, np.zeros(days.slots)) * days.impact[i]
        if np.isfinite(fixed[k]):
            total = values.sum()
            values = values * (fixed[k] / total) if total > 0 else profiles[w] * fixed[k]
        out[k] = values
    return out

