"""Getting call data in: reading ACD exports, cleaning them, and the interval history.

The public entry points:

- :func:`wfm.io.importer.inspect_file` reads the first rows of a file and says what it found
  (encoding, delimiter, shape, which column is which);
- :func:`wfm.io.importer.import_log` turns a per-call log or an interval report into an
  :class:`~wfm.io.history.IntervalHistory` with a :class:`~wfm.io.cleaning.CleaningReport`;
- :class:`~wfm.io.history.IntervalHistory` is the canonical per-interval form every later
  stage reads and writes (CSV ``queue,interval_start,offered,handled,abandoned,aht_seconds``).
"""
