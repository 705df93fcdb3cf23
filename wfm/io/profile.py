"""Import profiles: how to read one ACD's export.

A profile is a small TOML (or JSON) file that says which column is what, how dates and times
are written, which outcome values mean answered, abandoned or "drop this row", and the time
zone. Anything a profile leaves out is detected from the file. Example::

    name = "Anonymous Bank, Feb 1999 (Technion SEE)"
    shape = "calls"
    delimiter = "\\t"
    date_format = "%y%m%d"
    time_format = "%H:%M:%S"
    null_values = ["0:00:00"]
    abandoned_values = ["HANG"]
    answered_values = ["AGENT"]
    drop_values = ["PHANTOM"]

    [columns]
    date = "date"
    arrival = "q_start"
    arrival_fallback = "vru_exit"
    queue = "type"
    outcome = "outcome"

Roles for per-call logs are in :data:`CALL_ROLES`, for interval reports in
:data:`INTERVAL_ROLES`; :data:`PERSONAL_ROLES` are read only to be thrown away.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wfm.errors import InputError
from wfm.io.atomic import atomic_write

Shape = Literal["auto", "calls", "intervals"]

#: Per-call log roles, with the label a planner sees.
CALL_ROLES: dict[str, str] = {
    "arrival": "Arrival (date and time, or time with a date column)",
    "date": "Date (when date and time are separate columns)",
    "arrival_fallback": "Arrival when the first is empty (e.g. voice-menu exit)",
    "day_reference": "Earlier time of the same call (detects calls crossing midnight)",
    "queue": "Queue / service / skill",
    "outcome": "Outcome (answered / abandoned)",
    "wait_seconds": "Wait / queue time",
    "talk_seconds": "Talk time",
    "hold_seconds": "Hold time",
    "acw_seconds": "After-call work / wrap-up",
    "handle_seconds": "Handle time (talk + hold + wrap)",
    "ivr_seconds": "Voice-menu (IVR) time",
    "call_id": "Call id",
}

#: Interval report roles.
INTERVAL_ROLES: dict[str, str] = {
    "interval_start": "Interval start (date and time, or time with a date column)",
    "date": "Date (when date and time are separate columns)",
    "queue": "Queue / service / skill",
    "offered": "Offered calls",
    "handled": "Handled / answered calls",
    "abandoned": "Abandoned calls",
    "aht_seconds": "Average handle time",
    "handle_seconds_total": "Total handle time",
}

#: Columns that identify people. They are recognised only so they can be dropped at once:
#: nothing in them ever reaches the interval history, a report, a profile or the screen.
PERSONAL_ROLES: dict[str, str] = {
    "caller": "Caller number (never kept)",
    "customer_id": "Customer id (never kept)",
    "agent": "Agent name (never kept; used only to tell named from unnamed servers)",
}

ALL_ROLES: dict[str, str] = {**CALL_ROLES, **INTERVAL_ROLES, **PERSONAL_ROLES}


@dataclass(frozen=True)
class ImportProfile:
    """How to read one ACD's export. Every field left at its default is detected."""

    name: str = ""
    shape: Shape = "auto"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    #: Rows to skip above the header (title lines some ACD reports print first).
    skip_rows: int = 0
    #: role -> column name in the file; an empty name means "this file has no such column"
    #: (stops detection from guessing one).
    columns: Mapping[str, str] = field(default_factory=dict)
    #: strftime formats; ``datetime_format`` for a combined column, else date + time.
    datetime_format: str | None = None
    date_format: str | None = None
    time_format: str | None = None
    #: True for dates written day first (31/01/2026) when no format is given.
    dayfirst: bool | None = None
    #: Values that mean "empty" in time and duration columns (e.g. "0:00:00").
    null_values: tuple[str, ...] = ()
    answered_values: tuple[str, ...] = ()
    abandoned_values: tuple[str, ...] = ()
    #: Outcome values whose rows are not calls at all (test calls, phantoms): dropped, counted.
    drop_values: tuple[str, ...] = ()
    #: Agent values that mean "no real agent" (the call is counted, its handle time is not).
    unnamed_agent_values: tuple[str, ...] = ()
    #: Zone the timestamps are written in ("UTC" for UTC exports); None = local wall clock.
    source_timezone: str | None = None
    #: The centre's zone; set it to convert UTC exports and to label DST days exactly.
    timezone: str | None = None
    #: Abandons after waiting less than this are not counted as offered (0 keeps them all).
    short_abandon_seconds: float = 0.0
    #: Handle or wait times above this are treated as errors (kept out of AHT).
    max_duration_seconds: float = 4 * 3600.0
    #: Unit of numeric duration columns: "s" or "min" (text like 0:04:05 is always read).
    duration_unit: Literal["s", "min"] = "s"

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(ALL_ROLES))
        if unknown:
            raise InputError(
                f"unknown column role(s) {', '.join(unknown)}; known roles are "
                + ", ".join(ALL_ROLES)
            )
        if self.shape not in ("auto", "calls", "intervals"):
            raise InputError(f"shape must be 'calls', 'intervals' or 'auto', not '{self.shape}'")
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise InputError(f"the delimiter must be one character, not {self.delimiter!r}")
        if self.duration_unit not in ("s", "min"):
            raise InputError(f"duration_unit must be 's' or 'min', not '{self.duration_unit}'")
        if self.skip_rows < 0:
            raise InputError("skip_rows cannot be negative")
        for name in ("datetime_format", "date_format", "time_format"):
            fmt = getattr(self, name)
            if fmt is not None and not _valid_format(fmt):
                raise InputError(f"{name} '{fmt}' is not a valid date/time format (e.g. %d/%m/%Y %H:%M)")

    @property
    def mapped(self) -> dict[str, str]:
        """The roles that have a column (leaves out the "no such column" markers)."""
        return {r: c for r, c in self.columns.items() if c}

    def with_columns(self, columns: Mapping[str, str]) -> ImportProfile:
        """A copy with this role -> column mapping (an empty name: the role has no column)."""
        return dataclasses.replace(self, columns=dict(columns))

    # --- files ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> ImportProfile:
        """Read a profile from a ``.toml`` or ``.json`` file.

        Raises
        ------
        InputError
            For a missing file, bad syntax or an unknown setting, naming the file.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError("import profile not found", file=path) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read import profile ({exc})", file=path) from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"not a valid profile: {exc}", file=path) from None
        try:
            return cls.from_dict(data)
        except InputError as exc:
            raise InputError(exc.message, file=path) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportProfile:
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InputError(f"unknown setting(s) {', '.join(unknown)}")
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            kind = _KINDS.get(key)
            if kind is not None and value is not None and not isinstance(value, kind):
                wanted = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
                raise InputError(f"'{key}' must be {wanted[kind[0]]}, not {value!r}")
            if known[key].type.startswith("tuple"):
                if isinstance(value, str):
                    value = [value]
                value = tuple(str(v) for v in value)
            elif key == "columns":
                if not isinstance(value, Mapping):
                    raise InputError("'columns' must be a table of role = column name")
                value = {str(k): str(v) for k, v in value.items()}
            kwargs[key] = value
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """The settings that differ from the defaults (what a profile file holds)."""
        default = ImportProfile()
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[f.name] = dict(value) if f.name == "columns" else value
        return out

    def to_toml(self) -> str:
        lines = []
        data = self.to_dict()
        columns = data.pop("columns", {})
        for key, value in data.items():
            lines.append(f"{key} = {_toml_value(value)}")
        if columns:
            lines += ["", "[columns]"]
            lines += [f"{role} = {_toml_value(col)}" for role, col in columns.items()]
        return "\n".join(lines) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write as TOML (or JSON for a ``.json`` name), atomically."""
        path = Path(path)
        if path.suffix.lower() == ".json":
            text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        else:
            text = self.to_toml()
        return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


#: Expected types of the scalar settings (checked when a profile file is read).
_KINDS: dict[str, tuple[type, ...]] = {
    "name": (str,), "shape": (str,), "encoding": (str,), "delimiter": (str,), "sheet": (str,),
    "skip_rows": (int,), "datetime_format": (str,), "date_format": (str,), "time_format": (str,),
    "dayfirst": (bool,), "source_timezone": (str,), "timezone": (str,),
    "short_abandon_seconds": (float, int), "max_duration_seconds": (float, int), "duration_unit": (str,),
}


def _valid_format(fmt: str) -> bool:
    """A strftime format with only directives strptime knows."""
    import datetime as dt

    sample = dt.datetime(2026, 1, 2, 3, 4, 5)
    try:
        dt.datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError:
        return False
    return True


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid TOML string


def bundled_profiles_dir() -> Path:
    """Folder of the profiles shipped with the planner (``resources/profiles``)."""
    return Path(__file__).resolve().parents[2] / "resources" / "profiles"


def bundled_profiles() -> dict[str, Path]:
    """Shipped profiles by file stem."""
    folder = bundled_profiles_dir()
    return {p.stem: p for p in sorted(folder.glob("*.toml"))} if folder.is_dir() else {}
