"""Forecasting: interval volume and AHT, calendars and events, baselines and backtests.

The public names are exported lazily (PEP 562), so ``import wfm.forecast`` stays cheap and
never imports prophet or pandas; prophet is imported only inside the worker that fits it.

- :mod:`wfm.forecast.events`: :class:`Event`, :class:`SpecialDay`, :class:`Calendar`;
- :mod:`wfm.forecast.model`: :data:`METHODS`, :data:`METHOD_LABELS`, :class:`Forecast`,
  :func:`forecast`;
- :mod:`wfm.forecast.backtest`: :class:`BacktestResult`, :func:`backtest`;
- :mod:`wfm.forecast.baselines`: the "last-week" and "mean-4-weeks" baselines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfm.forecast.backtest import BacktestResult, backtest
    from wfm.forecast.events import Calendar, Event, SpecialDay
    from wfm.forecast.model import FORECAST_COLUMNS, METHOD_LABELS, METHODS, Forecast, forecast

_EXPORTS = {
    "Event": "wfm.forecast.events",
    "SpecialDay": "wfm.forecast.events",
    "Calendar": "wfm.forecast.events",
    "METHODS": "wfm.forecast.model",
    "METHOD_LABELS": "wfm.forecast.model",
    "FORECAST_COLUMNS": "wfm.forecast.model",
    "Forecast": "wfm.forecast.model",
    "forecast": "wfm.forecast.model",
    "BacktestResult": "wfm.forecast.backtest",
    "backtest": "wfm.forecast.backtest",
}

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "FORECAST_COLUMNS",
    "BacktestResult",
    "Calendar",
    "Event",
    "Forecast",
    "SpecialDay",
    "backtest",
    "forecast",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wfm.forecast' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
