"""The cleaning report: everything the importer noticed, counted, with example rows.

Nothing is dropped silently: every row the importer does not turn into a call, and every
value it does not trust, is counted in a :class:`Finding` that says what was done with it.
The report never holds a value from a personal column (caller, customer, agent).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from wfm.errors import WfmError
from wfm.io.reader import DELIMITER_NAMES

Severity = Literal["info", "warning", "error"]
MAX_EXAMPLES = 10


@dataclass(frozen=True)
class Finding:
    """One kind of problem (or notable fact) found while importing.

    ``rows`` are example row numbers as the user sees them in the file (at most
    :data:`MAX_EXAMPLES`); for findings about intervals or days, ``examples`` lists them.
    """

    code: str
    title: str
    count: int
    action: str
    severity: Severity = "warning"
    rows: tuple[int, ...] = ()
    examples: tuple[str, ...] = ()

    def to_text(self) -> str:
        text = f"{self.title}: {self.count:,}. {self.action}."
        if self.rows:
            more = ", ..." if self.count > len(self.rows) else ""
            text += " Rows " + ", ".join(f"{r:,}" for r in self.rows) + more + "."
        if self.examples:
            more = ", ..." if self.count > len(self.examples) else ""
            text += " E.g. " + ", ".join(self.examples) + more + "."
        return text


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _finding_from_dict(data: Any) -> Finding:
    if not isinstance(data, Mapping):
        raise WfmError(f"a cleaning report's finding must be an object, not {data!r}")
    severity = str(data.get("severity", "warning"))
    if severity not in ("info", "warning", "error"):
        raise WfmError(f"a cleaning report's finding has the unknown severity '{severity}'")
    return Finding(
        code=str(data["code"]),
        title=str(data["title"]),
        count=int(data["count"]),
        action=str(data["action"]),
        severity=cast(Severity, severity),
        rows=tuple(int(r) for r in data.get("rows") or ()),
        examples=tuple(str(e) for e in data.get("examples") or ()),
    )


def finding(
    code: str,
    title: str,
    mask: np.ndarray,
    row_numbers: np.ndarray,
    action: str,
    severity: Severity = "warning",
) -> Finding | None:
    """A finding for the rows where ``mask`` is true, or None when there are none."""
    count = int(np.count_nonzero(mask))
    if count == 0:
        return None
    rows = tuple(int(r) for r in row_numbers[np.asarray(mask, dtype=bool)][:MAX_EXAMPLES])
    return Finding(code, title, count, action, severity, rows)


class RowLedger:
    """Which rows of a table are still kept, and a finding for each kind of row noted.

    Shared by the per-call and the interval-report importers. ``keep`` is updated in place,
    so a local alias of it stays current. Empty rows and rows with stray delimiters (the
    importer reports those) are set aside at once.
    """

    def __init__(
        self, row_numbers: np.ndarray, blank: np.ndarray, extra_fields: np.ndarray | None
    ) -> None:
        self.rows = row_numbers
        self.keep = np.ones(len(row_numbers), dtype=bool)
        self.findings: list[Finding] = []
        self.add("empty_rows", "Empty rows", blank, "skipped", "info")
        self.keep &= ~blank
        if extra_fields is not None:
            self.keep &= ~extra_fields

    def add(
        self, code: str, title: str, mask: np.ndarray, action: str, severity: Severity = "warning"
    ) -> None:
        """Note the rows where ``mask`` is true (does not drop them)."""
        found = finding(code, title, mask, self.rows, action, severity)
        if found is not None:
            self.findings.append(found)

    def drop_outside_dates(
        self, local: pd.Series, start: dt.date | None, end: dt.date | None, noun: str
    ) -> None:
        """Drop kept rows whose local date is outside ``start..end`` (inclusive)."""
        if not (start or end):
            return
        day = local.dt.normalize()
        lo = pd.Timestamp(start) if start else pd.Timestamp.min
        hi = pd.Timestamp(end) if end else pd.Timestamp.max
        out = ((day < lo) | (day > hi)).to_numpy() & self.keep
        self.add(
            "out_of_range",
            f"{noun} outside {start or '...'} to {end or '...'}",
            out,
            "dropped",
            "info",
        )
        self.keep &= ~out


@dataclass(frozen=True)
class CleaningReport:
    """What an import read, what it kept, and every problem it met."""

    file: str
    shape: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    findings: tuple[Finding, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)

    def finding(self, code: str) -> Finding | None:
        return next((f for f in self.findings if f.code == code), None)

    def count(self, code: str) -> int:
        f = self.finding(code)
        return f.count if f else 0

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity != "info")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CleaningReport:
        """The report :meth:`to_dict` gave (also after a trip through JSON, e.g. the one a
        project file keeps): ``from_dict(r.to_dict()) == r``.

        Parameters
        ----------
        data
            ``file, shape, encoding, delimiter, rows_read, findings, summary``; each finding
            ``code, title, count, action`` and optionally ``severity, rows, examples``.
            Keys this version does not know are ignored.

        Returns
        -------
        CleaningReport

        Raises
        ------
        WfmError
            A part is missing or of the wrong kind (naming it).
        """
        if not isinstance(data, Mapping):
            raise WfmError(f"a cleaning report must be a JSON object, not {type(data).__name__}")
        findings = data.get("findings", ())
        summary = data.get("summary", {})
        findings = () if findings is None else findings
        summary = {} if summary is None else summary
        if not isinstance(findings, list | tuple) or not isinstance(summary, Mapping):
            raise WfmError("a cleaning report's findings must be a list and its summary an object")
        try:
            return cls(
                file=str(data["file"]),
                shape=str(data["shape"]),
                encoding=_text_or_none(data.get("encoding")),
                delimiter=_text_or_none(data.get("delimiter")),
                rows_read=int(data["rows_read"]),
                findings=tuple(_finding_from_dict(f) for f in findings),
                summary=dict(summary),
            )
        except KeyError as exc:
            raise WfmError(f"the cleaning report has no '{exc.args[0]}'") from None
        except (TypeError, ValueError) as exc:
            raise WfmError(f"the cleaning report cannot be read: {exc}") from None

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def to_text(self) -> str:
        """The report as a planner reads it."""
        enc = f", {self.encoding}" if self.encoding else ""
        delim = DELIMITER_NAMES.get(self.delimiter or "", self.delimiter or "")
        lines = [
            f"Import of {self.file} ({'per-call records' if self.shape == 'calls' else 'interval report'}"
            f"{enc}{', ' + delim + '-separated' if delim else ''}): {self.rows_read:,} rows read."
        ]
        for key, value in self.summary.items():
            label = key.replace("_", " ")
            lines.append(
                f"  {label}: {value:,}" if isinstance(value, int) else f"  {label}: {value}"
            )
        if not self.problems:
            lines.append("No problems found.")
        for f in self.findings:
            mark = {"info": "-", "warning": "!", "error": "X"}[f.severity]
            lines.append(f"{mark} {f.to_text()}")
        return "\n".join(lines) + "\n"
