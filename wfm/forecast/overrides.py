"""Manual overrides: the planner's corrections on top of the model's forecast.

An :class:`Override` changes the forecast volume of one queue (or every queue) over a span of
intervals: by a percentage, or to an absolute number of calls. Overrides are kept *separate*
from the model output: :func:`apply_overrides` takes the model's frame and returns a copy with
the adjusted ``volume``, the untouched model value in ``volume_model`` and an ``overridden``
flag, so a refit never loses the planner's corrections and the chart can show both.

Semantics
---------
- The span is ``start <= interval_start < end`` (naive local wall-clock times, as in the
  forecast frame). A day is ``[day 00:00, next day 00:00)``; see :meth:`Override.for_days`.
- ``queue=None`` applies to every queue; an absolute value then applies to *each* queue.
- ``kind="percent"``: ``value=+10`` multiplies the volume by 1.10, ``-25`` by 0.75. An interval
  the model forecasts closed (zero) stays zero.
- ``kind="absolute"``: ``value`` is the total number of calls over the span, per queue. For a
  single interval that is the interval's volume. For a longer span (a day, a week) the total is
  spread over the span's intervals *in proportion to the forecast's shape there* (the volume
  as left by the overrides before it), so the intraday shape is kept and closed intervals stay
  closed. Only when the whole span is forecast at zero is the total spread evenly over its
  intervals (the planner's explicit number wins over the model's "closed").
- Overrides apply in order; a later one acts on the result of the earlier ones.
- ``volume_low``/``volume_high`` (P10/P90) are scaled by the same factor as ``volume`` in each
  interval, so the band keeps its relative width; where the volume was zero and an absolute
  override sets it, the band collapses onto the new value (the planner's number is not a model
  quantity with an error).

Edits as commands
-----------------
The list of overrides is an immutable :class:`OverrideList`. Each edit is a small frozen command
(:class:`AddOverride`, :class:`RemoveOverride`, :class:`ReplaceOverride`, :class:`SetOverrides`)
whose ``apply(overrides)`` returns the new list *and* the command that undoes it, so undo and
redo are testable without Qt (the window wraps these in one ``QUndoCommand``).

On disk
-------
:meth:`OverrideList.to_records` / :meth:`OverrideList.from_records` give plain dicts for the
project file; :meth:`OverrideList.save` / :meth:`OverrideList.load` write and read a TOML file::

    [[overrides]]
    start = 2026-11-02T00:00:00
    end = 2026-11-03T00:00:00
    queue = "Sales"          # omitted: every queue
    kind = "percent"
    value = 15.0
    note = "Mailing lands Monday"
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, cast, get_args

import numpy as np
import pandas as pd

from wfm.errors import InputError, WfmError
from wfm.io.atomic import atomic_write
from wfm.io.textfiles import read_toml

OverrideKind = Literal["percent", "absolute"]
KINDS: tuple[str, ...] = get_args(OverrideKind)


def _as_datetime(value: object, what: str) -> dt.datetime:
    """A naive ``datetime`` from a datetime, pandas Timestamp, date or ISO text."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise WfmError(
                f"{what} '{value}' is not a date and time like 2026-11-02T08:00"
            ) from None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise WfmError(f"{what} {value} must be a local wall-clock time without a time zone")
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    raise WfmError(f"{what} must be a date and time, not {value!r}")


@dataclass(frozen=True)
class Override:
    """One manual correction of the forecast volume (see the module docs for the semantics).

    Parameters
    ----------
    start, end
        The span: intervals starting at or after ``start`` and before ``end``.
    queue
        The queue it corrects; ``None`` for every queue.
    kind
        ``"percent"`` (``value=10`` is +10 %) or ``"absolute"`` (``value`` calls over the span).
    value
        Above -100 for a percentage, 0 or more for an absolute volume.
    note
        Why (shown in the list and saved with the plan).

    Raises
    ------
    WfmError
        For an empty span, an unknown kind or a value out of range.
    """

    start: dt.datetime
    end: dt.datetime
    queue: str | None
    kind: OverrideKind
    value: float
    note: str = ""

    def __post_init__(self) -> None:
        start = _as_datetime(self.start, "override start")
        end = _as_datetime(self.end, "override end")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        if end <= start:
            raise WfmError(
                f"override: the end ({end:%Y-%m-%d %H:%M}) must be after the start "
                f"({start:%Y-%m-%d %H:%M})"
            )
        if self.kind not in KINDS:
            raise WfmError(f"override: kind must be 'percent' or 'absolute', not {self.kind!r}")
        if isinstance(self.value, bool) or not isinstance(self.value, int | float | np.number):
            raise WfmError(f"override: the value must be a number, not {self.value!r}")
        value = float(self.value)
        if not math.isfinite(value):
            raise WfmError(f"override: the value must be a number, not {self.value!r}")
        if self.kind == "percent" and value <= -100:
            raise WfmError(
                f"override: a percentage change must be above -100 %, not {value:g} % "
                "(use an absolute override of 0 calls to close)"
            )
        if self.kind == "absolute" and value < 0:
            raise WfmError(f"override: an absolute volume must be 0 calls or more, not {value:g}")
        object.__setattr__(self, "value", value)
        if self.queue is not None:
            queue = str(self.queue).strip()
            object.__setattr__(self, "queue", queue or None)
        object.__setattr__(self, "note", str(self.note or ""))

    @classmethod
    def for_days(
        cls,
        first: dt.date,
        last: dt.date | None = None,
        *,
        queue: str | None = None,
        kind: OverrideKind = "percent",
        value: float = 0.0,
        note: str = "",
    ) -> Override:
        """An override of whole days ``first .. last`` (inclusive; one day without ``last``)."""
        last = first if last is None else last
        start = dt.datetime.combine(first, dt.time())
        end = dt.datetime.combine(last, dt.time()) + dt.timedelta(days=1)
        return cls(start, end, queue, kind, value, note)

    @classmethod
    def for_interval(
        cls,
        start: dt.datetime,
        minutes: int,
        *,
        queue: str | None = None,
        kind: OverrideKind = "absolute",
        value: float = 0.0,
        note: str = "",
    ) -> Override:
        """An override of the one interval starting at ``start`` of length ``minutes``."""
        begin = _as_datetime(start, "override start")
        return cls(begin, begin + dt.timedelta(minutes=minutes), queue, kind, value, note)

    def mask(self, frame: pd.DataFrame) -> np.ndarray:
        """Which rows of a forecast frame (``queue``, ``interval_start``) this override touches."""
        stamps = frame["interval_start"]
        inside = (stamps >= pd.Timestamp(self.start)) & (stamps < pd.Timestamp(self.end))
        if self.queue is not None:
            inside &= frame["queue"] == self.queue
        return np.asarray(inside, dtype=bool)

    def to_record(self) -> dict[str, Any]:
        """Plain values (``queue`` left out when it is every queue)."""
        record: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "value": self.value,
            "note": self.note,
        }
        if self.queue is not None:
            record["queue"] = self.queue
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Override:
        """The inverse of :meth:`to_record`; ``start``/``end`` may also be ISO text."""
        known = {"start", "end", "queue", "kind", "value", "note"}
        missing = sorted({"start", "end", "kind", "value"} - set(record))
        if missing:
            raise WfmError(f"missing {', '.join(missing)}")
        unknown = sorted(set(record) - known)
        if unknown:
            raise WfmError(f"unknown key(s) {', '.join(unknown)}")
        queue = record.get("queue")
        if queue is not None and not isinstance(queue, str):
            raise WfmError(f"'queue' must be a queue name, not {queue!r}")
        return cls(
            start=_as_datetime(record["start"], "start"),
            end=_as_datetime(record["end"], "end"),
            queue=queue,
            kind=record["kind"],
            value=record["value"],
            note=str(record.get("note", "")),
        )


def apply_overrides(frame: pd.DataFrame, overrides: Sequence[Override]) -> pd.DataFrame:
    """The forecast frame with ``overrides`` applied, in order (see the module docs).

    Parameters
    ----------
    frame
        The model's forecast: ``queue``, ``interval_start``, ``volume`` and optionally
        ``volume_low``/``volume_high`` (other columns are passed through).
    overrides
        Applied first to last.

    Returns
    -------
    DataFrame
        A copy with the adjusted ``volume`` (and band), ``volume_model`` (the model's volume,
        untouched) and ``overridden`` (True where at least one override applies).
    """
    out = frame.copy()
    model = out["volume"].to_numpy(dtype=float, copy=True)
    volume = model.copy()
    bands = [c for c in ("volume_low", "volume_high") if c in out.columns]
    band_values = {c: out[c].to_numpy(dtype=float, copy=True) for c in bands}
    touched = np.zeros(len(out), dtype=bool)
    queues = out["queue"].to_numpy()
    for override in overrides:
        mask = override.mask(out)
        if not mask.any():
            continue
        touched |= mask
        old = volume[mask]
        if override.kind == "percent":
            new = old * (1.0 + override.value / 100.0)
        else:
            # Spread the total per queue in proportion to the current shape over the span.
            q = queues[mask]
            current = pd.Series(old)
            total = current.groupby(q).transform("sum").to_numpy(dtype=float)
            count = current.groupby(q).transform("size").to_numpy(dtype=float)
            new = np.where(total > 0, old / np.where(total > 0, total, 1.0), 1.0 / count)
            new = new * override.value
        for c in bands:
            b = band_values[c][mask]
            ratio = np.divide(new, old, out=np.ones_like(new), where=old > 0)
            band_values[c][mask] = np.where(old > 0, b * ratio, new)
        volume[mask] = new
    out["volume"] = volume
    for c in bands:
        out[c] = band_values[c]
    out["volume_model"] = model
    out["overridden"] = touched
    return out


@dataclass(frozen=True)
class OverrideList:
    """The planner's overrides, in the order they apply (immutable; edit through commands)."""

    items: tuple[Override, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Override]:
        return iter(self.items)

    def __getitem__(self, index: int) -> Override:
        return self.items[index]

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """:func:`apply_overrides` with these overrides."""
        return apply_overrides(frame, self.items)

    def affected_rows(self, frame: pd.DataFrame) -> list[int]:
        """How many rows of ``frame`` each override touches (0: it has no effect there)."""
        return [int(o.mask(frame).sum()) for o in self.items]

    # --- records and files -------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        """Plain dicts for the project file (see :meth:`Override.to_record`)."""
        return [o.to_record() for o in self.items]

    @classmethod
    def from_records(
        cls, records: Sequence[Mapping[str, Any]], *, source: str | Path | None = None
    ) -> OverrideList:
        """Build the list from :meth:`to_records` output (or parsed TOML/JSON).

        Raises
        ------
        InputError
            Naming the entry ("override 2: ...") of the first problem.
        """
        items = []
        for i, record in enumerate(records, 1):
            if not isinstance(record, Mapping):
                raise InputError(f"override {i}: must be a table", file=source)
            try:
                items.append(Override.from_record(record))
            except WfmError as exc:
                msg = str(exc).removeprefix("override: ")
                raise InputError(f"override {i}: {msg}", file=source) from None
        return cls(tuple(items))

    def to_toml(self) -> str:
        """The overrides as TOML text (what :meth:`save` writes)."""
        lines = ["# Manual forecast overrides, applied in this order.", ""]
        for o in self.items:
            lines += [
                "[[overrides]]",
                f"start = {o.start.isoformat(timespec='minutes')}:00",
                f"end = {o.end.isoformat(timespec='minutes')}:00",
            ]
            if o.queue is not None:
                lines.append(f"queue = {json.dumps(o.queue, ensure_ascii=False)}")
            lines += [
                f"kind = {json.dumps(o.kind)}",
                f"value = {float(o.value)!r}",
                f"note = {json.dumps(o.note, ensure_ascii=False)}",
                "",
            ]
        return "\n".join(lines)

    def save(self, path: str | Path) -> Path:
        """Write the overrides as TOML, atomically."""
        text = self.to_toml()
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> OverrideList:
        """Read a TOML file written by :meth:`save`.

        Raises
        ------
        InputError
            For a missing or unreadable file, or naming the first bad entry.
        """
        path = Path(path)
        data = read_toml(path, "TOML overrides file")
        unknown = sorted(set(data) - {"overrides"})
        if unknown:
            raise InputError(f"unknown key(s) {', '.join(unknown)} (expected overrides)", file=path)
        records = data.get("overrides", [])
        if not isinstance(records, list):
            raise InputError("'overrides' must be a list of tables ([[overrides]])", file=path)
        return cls.from_records(cast(list[Mapping[str, Any]], records), source=path)


# --- edit commands -----------------------------------------------------------------------------
class OverrideCommand(Protocol):
    """An edit of an :class:`OverrideList`: returns the new list and the command undoing it."""

    def apply(self, overrides: OverrideList) -> tuple[OverrideList, OverrideCommand]: ...


def _check_index(overrides: OverrideList, index: int, *, allow_end: bool = False) -> None:
    top = len(overrides) + (1 if allow_end else 0)
    if not 0 <= index < top:
        raise WfmError(f"there is no override number {index + 1} (the list has {len(overrides)})")


@dataclass(frozen=True)
class AddOverride:
    """Insert ``override`` at ``index`` (``None``: at the end, so it applies last)."""

    override: Override
    index: int | None = None

    def apply(self, overrides: OverrideList) -> tuple[OverrideList, OverrideCommand]:
        index = len(overrides) if self.index is None else self.index
        _check_index(overrides, index, allow_end=True)
        items = list(overrides.items)
        items.insert(index, self.override)
        return OverrideList(tuple(items)), RemoveOverride(index)


@dataclass(frozen=True)
class RemoveOverride:
    """Remove the override at ``index``."""

    index: int

    def apply(self, overrides: OverrideList) -> tuple[OverrideList, OverrideCommand]:
        _check_index(overrides, self.index)
        items = list(overrides.items)
        removed = items.pop(self.index)
        return OverrideList(tuple(items)), AddOverride(removed, self.index)


@dataclass(frozen=True)
class ReplaceOverride:
    """Put ``override`` in the place of the one at ``index``."""

    index: int
    override: Override

    def apply(self, overrides: OverrideList) -> tuple[OverrideList, OverrideCommand]:
        _check_index(overrides, self.index)
        items = list(overrides.items)
        old = items[self.index]
        items[self.index] = self.override
        return OverrideList(tuple(items)), ReplaceOverride(self.index, old)


@dataclass(frozen=True)
class SetOverrides:
    """Replace the whole list (clear all, load a file)."""

    items: tuple[Override, ...]

    def apply(self, overrides: OverrideList) -> tuple[OverrideList, OverrideCommand]:
        return OverrideList(tuple(self.items)), SetOverrides(overrides.items)
