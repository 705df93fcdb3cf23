"""Generate the bundled sample centre, "Northwind Energy", in ``sample_data/``.

Run from the repository root::

    python sample_data/generate.py              # rewrites the files beside this script
    python sample_data/generate.py --out DIR    # writes them into DIR instead

Everything comes from one seeded generator, ``numpy.random.default_rng(20261101)``, drawn in a
fixed order, so every run writes byte-identical files (for a given NumPy / pandas / ``holidays``
version; the gzip file has no time stamp and no file name in its header). It takes a few
seconds.

The centre is fictional: the names, customer IDs and phone numbers are made up (callers use
Ofcom's drama range 07700 900000-900999, the engineer's test line 01632 960xxx).

Files written
-------------
``history.csv``
    The canonical interval history (written only through
    :meth:`wfm.io.history.IntervalHistory.write_csv`): queues ``Sales`` and ``Support``,
    30-minute intervals, every interval from 2024-11-01 00:00 to 2026-10-31 23:30 (730 days,
    2 x 730 x 48 = 70,080 rows; closed intervals are present with offered 0). Times are the UK
    local wall clock without UTC offset; the centre is closed at night, so the DST changes never
    touch an open interval.
``calls_2026-10.csv.gz``
    Every call of October 2026, one row per call, as a messy ACD export (see below).
``agents.csv``
    100 agents with teams, skills, contracts, costs and preferences (UTF-8).
``shift_templates.toml``
    Shift templates (Early, Day, Late, Weekend, Part-time) and the working-time rules.
``sample-centre.wfmp``
    The same centre as a ready plan (:mod:`wfm.io.project`), what the app opens by default:
    the history (read back from ``history.csv``), the calendar ``events.toml``, the agents,
    the shift templates and rules, the target 80 % in 20 s with 30 % shrinkage (Erlang C: the
    files give no callers' patience), the forecast page set to 28 days from 2026-11-02, and the
    text of ``scenarios.toml`` when it exists. No forecast or roster: the app computes them.
    ``events.toml`` and ``scenarios.toml`` are written by hand and read from beside this script.
    Its content is fixed (the save time too); the test compares it table by table
    (:func:`wfm.io.project.project_digest`), not byte by byte.
``README.md``
    What the files are, the centre's patterns and the exact defects of the call file, with
    the line numbers and counts of this run.

Opening hours (local time; zero calls outside them)
---------------------------------------------------
- Support: Mon-Fri 08:00-20:00, Sat 09:00-17:00, Sun 10:00-16:00.
- Sales:   Mon-Fri 08:00-18:00, Sat 09:00-13:00, closed Sunday.
- Both queues are closed all day on the GB (England) bank holidays from
  ``holidays.country_holidays("GB", subdiv="ENG")`` (16 of them fall in the two years:
  Christmas, Boxing Day, New Year, Good Friday, Easter Monday, the May, Spring and Late Summer
  bank holidays).

Daily volume
------------
The expected offered calls of a queue on a day are::

    base x weekday factor x season x trend x after-holiday x promotion x day noise

- ``base``: 1,840 Support and 870 Sales calls, the level of a Wednesday (factor 1.00) on the
  middle day of the history, 2025-11-01. Averaged over all Mon-Fri business days of the two
  years that is about 1,900 Support and 900 Sales calls a day.
- weekday factors, both queues Mon 1.25, Tue 1.05, Wed 1.00, Thu 0.97, Fri 0.90;
  Sat 0.42 for Support and 0.30 for Sales (Sales is open only 4 hours); Sun 0.22 for Support.
- season (an energy company is busier in winter): ``1 + 0.10 cos(2 pi (day_of_year - 20) /
  365.25)``, highest around 20 January (+10 %), lowest in late July (-10 %).
- trend: +6 % a year, ``1.06 ** (years since 2025-11-01)`` (0.94 at the start, 1.06 at the end).
- after a bank holiday the next Mon-Fri day that is not itself a holiday is 20 % busier
  (x 1.20; e.g. Tue 2025-04-22 after Easter, Mon 2025-12-29 after Christmas).
- Sales promotions: the "winter tariff campaign" 2025-11-24 (Mon) to 2025-12-05 (Fri), uplift
  ``0.60 x 0.5 ** (days since 24 Nov / 3)``, i.e. +60 % on the first day decaying with a
  half-life of 3 days (+4.7 % on 5 Dec); the "spring boiler-cover offer" 2026-05-11 to
  2026-05-15, a flat +30 %.
- day noise: one gamma factor per queue and day, mean 1, coefficient of variation 8 %
  (shape 156.25), so days scatter like real ones.

Intraday shape
--------------
Each queue and weekday has its own curve (sums of Gaussian bumps over the opening hours, see
:func:`intraday_weights`): Support has a morning peak around 10:00-10:30, an early-afternoon
shoulder around 14:00 and a small after-work bump at 18:30; on Monday the morning peak is much
stronger and earlier (09:45), on Friday the afternoon fades (volume after 15:00 falls away).
Sales has a morning peak at 10:30, a lunchtime bump at 12:45 and an afternoon peak at 15:00;
Monday morning is stronger, Friday afternoon fades. Saturday peaks late morning, Sunday around
midday.

Counts
------
- offered: Poisson with the interval's expected rate (day total x intraday weight).
- abandoned: Binomial(offered, p) with ``p = 0.02 + 0.08 * min(1, busy) ** 2``, where ``busy``
  is the interval's expected rate over the queue's 98th-percentile rate; so 2 % when quiet,
  up to 10 % at the peaks (and during the campaign).
- handled = offered - abandoned.

Handle times (AHT)
------------------
Every handled call gets a talk time (log-normal, coefficient of variation 0.6, whole seconds,
20 s to 2 h) and a wrap time (log-normal, CV 0.5, whole seconds, at most 600 s); its handle
time is talk + wrap. ``aht_seconds`` of an interval is the mean handle time of its handled
calls (NaN when none was handled), so it is noisy like a real one. The mean handle time by
time of day ``h`` (hours):

- Support: ``412 + 75 / (1 + exp(-(h - 17.5) / 0.7))`` s, wrap 45 s of it: about 412 s in
  the day, rising to about 480 s in the evening (about 420 s over all calls).
- Sales: ``315 + 55 exp(-((h - 12.9) / 0.9) ** 2 / 2)`` s, wrap 30 s of it: about 315 s,
  about 370 s at lunchtime (about 330 s over all calls).

The per-call file (``calls_2026-10.csv.gz``)
--------------------------------------------
gzip-compressed, cp1252, ``;``-delimited, CRLF line ends, day-first dates. Header::

    Call Start;Queue;Result;Wait Time;Talk Time;Wrap Time;Caller Number;Customer ID;Agent;Call ID

- ``Call Start`` ``dd/mm/yyyy HH:MM:SS``, uniform inside the call's interval; ``Result``
  ``Answered`` or ``Abandoned``; ``Wait Time`` whole seconds (time to answer, or to hang up);
  ``Talk Time`` ``m:ss`` (``h:mm:ss`` from an hour), empty when abandoned; ``Wrap Time``
  seconds, empty when abandoned; ``Caller Number`` ``07700 9xxxxx``; ``Customer ID``
  ``Cnnnnnn``, empty for about 20 % of calls (caller not identified); ``Agent`` the name of an
  agent from ``agents.csv`` whose skills and team hours fit the call, empty when abandoned;
  ``Call ID`` a unique integer, 100001 upwards in time order for the real calls.
- The real calls are exactly the history's October 2026: each interval has exactly its
  ``offered`` calls, ``abandoned`` of them abandoned, and the answered calls' talk + wrap
  average to its ``aht_seconds`` (up to the file's 0.1 s rounding).
- On top of the real calls the file has these defects (their line numbers are in README.md):

  - 12 exact duplicate rows: a real call's line repeated, 50 to 5,000 lines later;
  - 5 rows whose ``Call Start`` is garbage (``##########``, ``31/09/2026 25:61:00``,
    ``#VALUE!``, ``00/00/0000 00:00:00``, ``15/10/2026 1O:3O:00`` with letter O), Call IDs
    900006-900010;
  - 3 extra answered calls with a negative ``Wait Time``, Call IDs 900001-900003:
    900001 Support 2026-10-05 10:17:42 wait -3 s (interval Support 2026-10-05 10:00),
    900002 Sales 2026-10-13 14:41:09 wait -12 s (Sales 2026-10-13 14:30),
    900003 Support 2026-10-22 09:05:55 wait -1 s (Support 2026-10-22 09:00);
  - 2 extra answered calls with an absurd talk time (over 10 hours), Call IDs 900004-900005:
    900004 Support 2026-10-08 16:33:20 talk 11:02:37 (Support 2026-10-08 16:30),
    900005 Sales 2026-10-27 11:58:04 talk 13:45:10 (Sales 2026-10-27 11:30);
  - 2 completely blank lines;
  - 4 rows whose ``Result`` is ``Test call`` (engineer's test calls before opening, not
    customer calls), Call IDs 900011-900014: Support 2026-10-01 07:41:05, Sales 2026-10-01
    07:43:30, Support 2026-10-15 07:48:12, Sales 2026-10-29 07:52:40 (all in closed 07:30
    intervals).

  So the file has (history's October offered) + 26 data rows + 2 blank lines + the header.
  Dropping the duplicates, the blank lines, the garbage starts, the test calls and the five
  Call IDs 900001-900005 gives back the history's October offered and abandoned exactly; an
  importer that keeps the negative-wait and long-talk calls counts one call more in each of
  the five intervals named above.
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere: make ``wfm`` importable
    sys.path.insert(0, str(ROOT))

from wfm.io.history import IntervalHistory  # noqa: E402

SEED = 20261101
FIRST_DAY = date(2024, 11, 1)
LAST_DAY = date(2026, 10, 31)
MID_DAY = date(2025, 11, 1)
SLOTS = 48  # 30-minute intervals per day
QUEUES = ("Sales", "Support")  # alphabetical: the history's row order

HISTORY_FILE = "history.csv"
CALLS_FILE = "calls_2026-10.csv.gz"
AGENTS_FILE = "agents.csv"
TEMPLATES_FILE = "shift_templates.toml"
README_FILE = "README.md"
OUTPUT_FILES = (HISTORY_FILE, CALLS_FILE, AGENTS_FILE, TEMPLATES_FILE, README_FILE)
#: The ready plan; compared by content (project_digest), not bytes, so not in OUTPUT_FILES.
PROJECT_FILE = "sample-centre.wfmp"
EVENTS_FILE = "events.toml"  # written by hand, read from beside this script
SCENARIOS_FILE = "scenarios.toml"  # written by hand, read from beside this script
PROJECT_NAME = "Northwind Energy sample"
CENTRE_NAME = "Northwind Energy"
PROJECT_SAVED_AT = "2026-11-01T00:00:00"
FORECAST_START = "2026-11-02"
FORECAST_DAYS = 28

CALLS_MONTH = (2026, 10)
CALLS_HEADER = (
    "Call Start;Queue;Result;Wait Time;Talk Time;Wrap Time;Caller Number;Customer ID;Agent;Call ID"
)
FIRST_CALL_ID = 100001

BASE = {"Support": 1840.0, "Sales": 870.0}
WEEKDAY_FACTOR = {
    "Support": (1.25, 1.05, 1.00, 0.97, 0.90, 0.42, 0.22),
    "Sales": (1.25, 1.05, 1.00, 0.97, 0.90, 0.30, 0.0),
}
# (open, close) in hours per weekday, None = closed
OPENING = {
    "Support": ((8, 20),) * 5 + ((9, 17), (10, 16)),
    "Sales": ((8, 18),) * 5 + ((9, 13), None),
}
SEASON_AMPLITUDE = 0.10
SEASON_PEAK_DOY = 20
TREND_PER_YEAR = 0.06
AFTER_HOLIDAY_UPLIFT = 0.20
DAY_NOISE_CV = 0.08
CAMPAIGNS = (
    # queue, first day, last day, uplift on day one, half-life in days (None = flat)
    ("Sales", date(2025, 11, 24), date(2025, 12, 5), 0.60, 3.0),
    ("Sales", date(2026, 5, 11), date(2026, 5, 15), 0.30, None),
)
ABANDON_MIN, ABANDON_SPAN = 0.02, 0.08
BUSY_QUANTILE = 0.98
WRAP_MEAN = {"Support": 45.0, "Sales": 30.0}
TALK_CV, WRAP_CV = 0.6, 0.5
TALK_MIN, TALK_MAX, WRAP_MAX = 20, 7200, 600

# --- the defects of the call file: fixed, so the documentation can name them ------------------
N_DUPLICATES = 12
N_BLANK_LINES = 2
GARBAGE_STARTS = (
    "##########",
    "31/09/2026 25:61:00",
    "#VALUE!",
    "00/00/0000 00:00:00",
    "15/10/2026 1O:3O:00",
)
# Call ID, queue, start, wait s, talk s, wrap s
NEGATIVE_WAIT_CALLS = (
    (900001, "Support", datetime(2026, 10, 5, 10, 17, 42), -3, 388, 41),
    (900002, "Sales", datetime(2026, 10, 13, 14, 41, 9), -12, 296, 22),
    (900003, "Support", datetime(2026, 10, 22, 9, 5, 55), -1, 455, 57),
)
ABSURD_TALK_CALLS = (
    (900004, "Support", datetime(2026, 10, 8, 16, 33, 20), 14, 11 * 3600 + 2 * 60 + 37, 38),
    (900005, "Sales", datetime(2026, 10, 27, 11, 58, 4), 6, 13 * 3600 + 45 * 60 + 10, 25),
)
GARBAGE_CALL_IDS = tuple(range(900006, 900011))
TEST_CALLS = (
    (900011, "Support", datetime(2026, 10, 1, 7, 41, 5)),
    (900012, "Sales", datetime(2026, 10, 1, 7, 43, 30)),
    (900013, "Support", datetime(2026, 10, 15, 7, 48, 12)),
    (900014, "Sales", datetime(2026, 10, 29, 7, 52, 40)),
)
TEST_CALL_AGENT = "Rebecca Stanhope"
TEST_LINE = "01632 960001"

# --- agents ------------------------------------------------------------------------------
AGENT_NAMES = (
    "Zoë Brontë", "José Núñez", "Siobhán O'Connor", "Amelia Hartley", "Oliver Bennett",
    "Priya Chandra", "Daniel Okafor", "Grace Whitfield", "Mohammed Rahman", "Chloë Ashworth",
    "Liam Fairbairn", "Hannah Pryce", "Tomáš Novák", "Aisha Begum", "Jack Thornton",
    "Renée Dubois", "Ethan Marsh", "Sophie Kettering", "Kwame Mensah", "Emily Rowntree",
    "Søren Lindqvist", "Megan Lloyd", "Harvey Sutcliffe", "Inés Ferrández", "Ryan McAllister",
    "Charlotte Dunmore", "Arjun Mehta", "Lucy Fenwick", "Aoife Ní Bhriain", "Callum Reid",
    "Bethany Holloway", "Noël Marchand", "Jessica Quayle", "Dylan Pritchard", "Fatima Hussain",
    "George Ellison", "Françoise Leclerc", "Nathan Boateng", "Holly Garside", "Ciarán Doherty",
    "Rebecca Stanhope", "Imran Qureshi", "Olivia Tennant", "Björn Åkesson", "Jasmine Clarke",
    "Kieran Walsh", "Agnieszka Wójcik", "Samuel Fairclough", "Niamh Brennan", "Lewis Drummond",
    "Eleanor Voss", "Marek Kowalczyk", "Abigail Turnbull", "Connor Maguire", "Leah Abernethy",
    "Rohan Kapoor", "Millie Sandford", "Seán Ó Briain", "Ruby Calloway", "Tyler Hendry",
    "Nadia Haddad", "Joseph Kirkland", "Isla Macpherson", "Adebayo Adeyemi", "Phoebe Carrington",
    "Lukas Müller", "Freya Lindsay", "Matthew Oyelaran", "Ellie Summerfield", "Declan Hughes",
    "Yasmin Akhtar", "Alfie Braddock", "Maëlle Garnier", "Harry Penhaligon", "Keisha Campbell",
    "Owen Llewellyn", "Sinéad Ryan", "Benjamin Cartwright", "Zara Mahmood", "Finley Ashcroft",
    "Gabriela Sousa", "Thomas Wetherby", "Anjali Nair", "Jamie Colquhoun", "Lauren Pickering",
    "Dominik Schäfer", "Molly Treharne", "Kofi Asante", "Erin McCready", "Adam Whitlock",
    "Ayesha Siddiqui", "Reece Armitage", "Caitlin Moorcroft", "Raúl Castellanos",
    "Tilly Braithwaite", "Hamza Chaudhry", "Ffion Bowen", "Joel Ambrose", "Mariam Osei",
    "Patrick Keogh",
)  # fmt: skip
TEAMS = (("Sales", 22), ("Support Early", 26), ("Support Day", 30), ("Support Late", 22))
# hours of the weekday a team takes calls (on Sat/Sun any agent who works that day)
TEAM_HOURS = {
    "Sales": (8.0, 18.0),
    "Support Early": (8.0, 16.5),
    "Support Day": (9.0, 18.5),
    "Support Late": (11.5, 20.0),
}
N_CROSS_SKILLED = {"Sales": 6, "Support Early": 2, "Support Day": 6, "Support Late": 2}
SECONDARY_QUEUE_WEIGHT = 0.25
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# =========================================================================================
# The interval history
# =========================================================================================
def _gauss(h: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((h - centre) / width) ** 2)


def intraday_weights(queue: str, weekday: int) -> np.ndarray:
    """The share of the day's calls in each of the 48 half-hours (zero when closed; sums to 1)."""
    hours = OPENING[queue][weekday]
    w = np.zeros(SLOTS)
    if hours is None:
        return w
    h = np.arange(SLOTS) / 2 + 0.25  # mid-point of each half-hour, in hours
    if queue == "Support":
        if weekday == 0:  # Monday: a strong, early morning peak
            w = 0.30 + 1.70 * _gauss(h, 9.75, 1.15) + 0.65 * _gauss(h, 14.0, 1.6)
            w += 0.25 * _gauss(h, 18.5, 1.0)
        elif weekday in (1, 2, 3):  # Tue-Thu: ordinary days, the afternoon grows a little
            after = {1: 0.75, 2: 0.80, 3: 0.85}[weekday]
            w = 0.32 + 1.00 * _gauss(h, 10.25, 1.3) + after * _gauss(h, 14.0, 1.6)
            w += 0.30 * _gauss(h, 18.5, 1.0)
        elif weekday == 4:  # Friday: the afternoon fades
            w = 0.30 + 1.05 * _gauss(h, 10.25, 1.3) + 0.60 * _gauss(h, 13.75, 1.4)
            w *= np.where(h > 15.0, np.exp(-(h - 15.0) / 4.5), 1.0)
        elif weekday == 5:  # Saturday
            w = 0.35 + 1.0 * _gauss(h, 11.25, 1.6)
        else:  # Sunday
            w = 0.45 + 0.8 * _gauss(h, 12.5, 1.8)
    else:
        if weekday == 0:
            w = 0.25 + 1.35 * _gauss(h, 10.0, 1.2) + 0.55 * _gauss(h, 12.75, 0.6)
            w += 0.60 * _gauss(h, 15.0, 1.4)
        elif weekday in (1, 2, 3):
            w = 0.28 + 0.90 * _gauss(h, 10.5, 1.3) + 0.60 * _gauss(h, 12.75, 0.6)
            w += 0.70 * _gauss(h, 15.0, 1.5)
        elif weekday == 4:
            w = 0.28 + 0.95 * _gauss(h, 10.5, 1.3) + 0.60 * _gauss(h, 12.75, 0.6)
            w += 0.45 * _gauss(h, 14.5, 1.3)
            w *= np.where(h > 14.5, np.exp(-(h - 14.5) / 3.5), 1.0)
        else:  # Saturday morning
            w = 0.40 + 1.0 * _gauss(h, 11.0, 1.0)
    open_ = (h >= hours[0]) & (h < hours[1])
    w = np.where(open_, w, 0.0)
    return w / w.sum()


def mean_handle_seconds(queue: str, hour: np.ndarray) -> np.ndarray:
    """Target mean handle time (talk + wrap) at the given time of day (hours)."""
    if queue == "Support":
        return 412.0 + 75.0 / (1.0 + np.exp(-(hour - 17.5) / 0.7))
    return 315.0 + 55.0 * _gauss(hour, 12.9, 0.9)


def bank_holidays() -> list[date]:
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    found = holidays.country_holidays("GB", subdiv="ENG", years=years)
    return sorted(d for d in found if FIRST_DAY <= d <= LAST_DAY)


@dataclass
class Calendar:
    days: pd.DatetimeIndex
    weekday: np.ndarray
    holiday: np.ndarray  # bool
    after_holiday: np.ndarray  # bool
    season: np.ndarray
    trend: np.ndarray


def calendar() -> Calendar:
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    weekday = days.day_of_week.to_numpy()
    hol_set = {pd.Timestamp(d) for d in bank_holidays()}
    holiday = np.array([d in hol_set for d in days])
    after = np.zeros(len(days), dtype=bool)
    for i in np.flatnonzero(holiday):
        j = i + 1
        while j < len(days) and (holiday[j] or weekday[j] >= 5):
            j += 1
        if j < len(days):
            after[j] = True
    doy = days.day_of_year.to_numpy()
    season = 1.0 + SEASON_AMPLITUDE * np.cos(2 * np.pi * (doy - SEASON_PEAK_DOY) / 365.25)
    years = (days - pd.Timestamp(MID_DAY)).days.to_numpy() / 365.25
    trend = (1.0 + TREND_PER_YEAR) ** years
    return Calendar(days, weekday, holiday, after, season, trend)


def campaign_factor(queue: str, days: pd.DatetimeIndex) -> np.ndarray:
    f = np.ones(len(days))
    for q, first, last, uplift, half_life in CAMPAIGNS:
        if q != queue:
            continue
        age = (days - pd.Timestamp(first)).days.to_numpy()
        inside = (age >= 0) & (days <= pd.Timestamp(last))
        up = uplift * 0.5 ** (age / half_life) if half_life else np.full(len(days), uplift)
        f = np.where(inside, f * (1.0 + up), f)
    return f


@dataclass
class Simulation:
    cal: Calendar
    rate: np.ndarray  # [queue, day, slot] expected offered
    busy: np.ndarray  # [queue, day, slot] rate / the queue's busy reference
    offered: np.ndarray  # [queue, day, slot] int
    abandoned: np.ndarray
    handled: np.ndarray
    talk: np.ndarray  # per handled call, in (queue, day, slot) order, whole seconds
    wrap: np.ndarray
    aht: np.ndarray  # [queue, day, slot] mean talk + wrap, NaN when nothing handled


def _lognormal(rng: np.random.Generator, mean: np.ndarray, cv: float) -> np.ndarray:
    sigma2 = np.log1p(cv**2)
    return rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2))


def simulate(rng: np.random.Generator) -> Simulation:
    cal = calendar()
    n_days = len(cal.days)
    rate = np.zeros((len(QUEUES), n_days, SLOTS))
    shapes = {q: np.stack([intraday_weights(q, wd) for wd in range(7)]) for q in QUEUES}
    for qi, q in enumerate(QUEUES):
        level = (
            BASE[q]
            * np.asarray(WEEKDAY_FACTOR[q])[cal.weekday]
            * cal.season
            * cal.trend
            * np.where(cal.after_holiday, 1.0 + AFTER_HOLIDAY_UPLIFT, 1.0)
            * campaign_factor(q, cal.days)
        )
        shape_k = 1.0 / DAY_NOISE_CV**2
        noise = rng.gamma(shape_k, 1.0 / shape_k, size=n_days)
        daily = np.where(cal.holiday, 0.0, level * noise)
        rate[qi] = daily[:, None] * shapes[q][cal.weekday]
    busy = np.zeros_like(rate)
    for qi in range(len(QUEUES)):
        ref = np.quantile(rate[qi][rate[qi] > 0], BUSY_QUANTILE)
        busy[qi] = rate[qi] / ref
    offered = rng.poisson(rate)
    p_abandon = ABANDON_MIN + ABANDON_SPAN * np.minimum(busy, 1.0) ** 2
    abandoned = rng.binomial(offered, p_abandon)
    handled = offered - abandoned

    # per handled call: talk and wrap, in (queue, day, slot) order
    flat_handled = handled.ravel()
    interval_of_call = np.repeat(np.arange(flat_handled.size), flat_handled)
    hour = (np.arange(SLOTS) / 2 + 0.25)[interval_of_call % SLOTS]
    queue_of_call = interval_of_call // (n_days * SLOTS)
    handle_mean = np.empty(interval_of_call.size)
    wrap_mean = np.empty(interval_of_call.size)
    for qi, q in enumerate(QUEUES):
        m = queue_of_call == qi
        handle_mean[m] = mean_handle_seconds(q, hour[m])
        wrap_mean[m] = WRAP_MEAN[q]
    talk = np.clip(np.rint(_lognormal(rng, handle_mean - wrap_mean, TALK_CV)), TALK_MIN, TALK_MAX)
    wrap = np.clip(np.rint(_lognormal(rng, wrap_mean, WRAP_CV)), 0, WRAP_MAX)
    talk, wrap = talk.astype(np.int64), wrap.astype(np.int64)
    total = np.bincount(interval_of_call, weights=talk + wrap, minlength=flat_handled.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(flat_handled > 0, total / flat_handled, np.nan).reshape(handled.shape)
    return Simulation(cal, rate, busy, offered, abandoned, handled, talk, wrap, aht)


def history_frame(sim: Simulation) -> pd.DataFrame:
    n_days = len(sim.cal.days)
    starts = (
        np.asarray(sim.cal.days, dtype="datetime64[ns]")[:, None]
        + (np.arange(SLOTS) * 30).astype("timedelta64[m]")[None, :]
    ).ravel()
    parts = []
    for qi, q in enumerate(QUEUES):
        parts.append(
            pd.DataFrame(
                {
                    "queue": q,
                    "interval_start": starts,
                    "offered": sim.offered[qi].ravel().astype(float),
                    "handled": sim.handled[qi].ravel().astype(float),
                    "abandoned": sim.abandoned[qi].ravel().astype(float),
                    "aht_seconds": sim.aht[qi].ravel(),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    assert len(frame) == len(QUEUES) * n_days * SLOTS
    return frame


# =========================================================================================
# Agents
# =========================================================================================
def build_agents(rng: np.random.Generator) -> pd.DataFrame:
    for name in AGENT_NAMES:
        name.encode("cp1252")  # every name must survive the ACD export's encoding
    assert len(AGENT_NAMES) == len(set(AGENT_NAMES)) == 100
    order = rng.permutation(len(AGENT_NAMES))
    names = [AGENT_NAMES[i] for i in order]
    rows = []
    k = 0
    for team, size in TEAMS:
        cross = set(rng.choice(size, N_CROSS_SKILLED[team], replace=False).tolist())
        for j in range(size):
            name = names[k]
            k += 1
            primary = "Sales" if team == "Sales" else "Support"
            skills = "Sales;Support" if j in cross else primary
            kind = rng.choice(3, p=(0.62, 0.32, 0.06))  # full-time, part-time, 16-hour
            if kind == 0:
                lo, hi = 37.5, 40.0
            elif kind == 1:
                lo = float(rng.choice((20.0, 22.5, 25.0, 30.0)))
                hi = lo + 5.0
            else:
                lo, hi = 16.0, 20.0
            cost = 14.50 + 0.05 * int(rng.integers(0, 91))  # 14.50 .. 19.00
            if team == "Sales":
                unavailable = str(rng.choice(("Sun", "Sat;Sun"), p=(0.7, 0.3)))
            else:
                p = (0.5, 0.3, 0.2) if kind == 0 else (0.3, 0.2, 0.5)
                unavailable = str(rng.choice(("", "Sun", "Sat;Sun"), p=p))
            pref_choices = {
                "Sales": (("day", "early", ""), (0.5, 0.2, 0.3)),
                "Support Early": (("early", ""), (0.8, 0.2)),
                "Support Day": (("day", "", "early", "late"), (0.6, 0.3, 0.05, 0.05)),
                "Support Late": (("late", ""), (0.8, 0.2)),
            }[team]
            preferred = str(rng.choice(pref_choices[0], p=pref_choices[1]))
            rows.append(
                {
                    "name": name,
                    "team": team,
                    "skills": skills,
                    "min_weekly_hours": lo,
                    "max_weekly_hours": hi,
                    "hourly_cost": cost,
                    "unavailable_days": unavailable,
                    "preferred_shift": preferred,
                }
            )
    return pd.DataFrame(rows)


def agents_csv_text(agents: pd.DataFrame) -> str:
    lines = [",".join(agents.columns)]
    for r in agents.itertuples(index=False):
        lines.append(
            f"{r.name},{r.team},{r.skills},{r.min_weekly_hours:g},{r.max_weekly_hours:g},"
            f"{r.hourly_cost:.2f},{r.unavailable_days},{r.preferred_shift}"
        )
    return "\n".join(lines) + "\n"


def _eligible_agents(agents: pd.DataFrame, queue: str, weekday: int, hour: float):
    """Indices of the agents who could answer a call, and their weights."""
    idx, weights = [], []
    for i, r in enumerate(agents.itertuples(index=False)):
        skills = r.skills.split(";")
        if queue not in skills:
            continue
        if WEEKDAY_NAMES[weekday] in r.unavailable_days.split(";"):
            continue
        if weekday < 5:
            lo, hi = TEAM_HOURS[r.team]
            if not lo <= hour < hi:
                continue
        primary = "Sales" if r.team == "Sales" else "Support"
        idx.append(i)
        weights.append(1.0 if queue == primary else SECONDARY_QUEUE_WEIGHT)
    if not idx:
        raise AssertionError(f"nobody can answer {queue} on weekday {weekday} at {hour}")
    w = np.asarray(weights)
    return np.asarray(idx), w / w.sum()


# =========================================================================================
# The per-call ACD export
# =========================================================================================
def _talk_text(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _line(start: str, queue: str, result: str, wait, talk, wrap, number, customer, agent, cid):
    fields = (start, queue, result, wait, talk, wrap, number, customer, agent, cid)
    return ";".join("" if v is None else str(v) for v in fields)


@dataclass
class CallsFile:
    data: bytes  # the uncompressed cp1252 text
    n_real: int
    oct_totals: dict  # queue -> (offered, abandoned, handled)
    defects: list  # (kind, line number, Call ID or None, description)


def build_calls(rng: np.random.Generator, sim: Simulation, agents: pd.DataFrame) -> CallsFile:
    cal = sim.cal
    year, month = CALLS_MONTH
    day_mask = (cal.days.year == year) & (cal.days.month == month)
    day_idx = np.flatnonzero(day_mask)
    n_days = len(cal.days)

    # --- the real calls, interval by interval ---
    q_list, d_list, s_list, ab_list, talk_list, wrap_list = [], [], [], [], [], []
    handled_offsets = np.concatenate(([0], np.cumsum(sim.handled.ravel())))
    oct_totals = {}
    for qi, q in enumerate(QUEUES):
        off = sim.offered[qi][day_idx]
        ab = sim.abandoned[qi][day_idx]
        oct_totals[q] = (int(off.sum()), int(ab.sum()), int(off.sum() - ab.sum()))
        for k, d in enumerate(day_idx):
            for s in np.flatnonzero(off[k]):
                n, a = int(off[k, s]), int(ab[k, s])
                flat = (qi * n_days + d) * SLOTS + s
                lo, hi = handled_offsets[flat], handled_offsets[flat + 1]
                assert hi - lo == n - a
                q_list.append(np.full(n, qi))
                d_list.append(np.full(n, d))
                s_list.append(np.full(n, s))
                ab_list.append(np.r_[np.ones(a, bool), np.zeros(n - a, bool)])
                talk_list.append(np.r_[np.zeros(a, np.int64), sim.talk[lo:hi]])
                wrap_list.append(np.r_[np.zeros(a, np.int64), sim.wrap[lo:hi]])
    qc = np.concatenate(q_list)
    dc = np.concatenate(d_list)
    sc = np.concatenate(s_list)
    abandoned = np.concatenate(ab_list)
    talk = np.concatenate(talk_list)
    wrap = np.concatenate(wrap_list)
    n = qc.size

    sec = rng.integers(0, 1800, size=n)  # arrival second inside the interval
    start_s = dc * 86400 + sc * 1800 + sec
    order = np.lexsort((qc, start_s))  # by time, then queue
    qc, dc, sc, abandoned, talk, wrap, start_s = (
        a[order] for a in (qc, dc, sc, abandoned, talk, wrap, start_s)
    )
    busy = sim.busy[qc, dc, sc]

    wait_answered = rng.exponential(8.0 + 100.0 * np.minimum(busy, 1.2) ** 2)
    wait_abandoned = 20.0 + rng.exponential(40.0 + 60.0 * np.minimum(busy, 1.2))
    wait = np.rint(np.where(abandoned, wait_abandoned, wait_answered)).astype(np.int64)

    # callers: 30,000 customers, a few of them calling often; phones from Ofcom's drama range
    n_customers = 30000
    customer_ids = rng.choice(900000, n_customers, replace=False) + 100000
    customer_phone = rng.integers(0, 1000, size=n_customers)
    pick_w = 1.0 / (np.arange(n_customers) + 50.0) ** 0.7
    caller = rng.choice(n_customers, size=n, p=pick_w / pick_w.sum())
    identified = rng.random(n) >= 0.20

    # agents: among those with the skill, working that day and (Mon-Fri) in their team's hours
    agent_of_call = np.full(n, -1)
    weekday = cal.weekday[dc]
    answered_idx = np.flatnonzero(~abandoned)
    group = (qc * 7 + weekday) * SLOTS + sc
    g_ans = group[answered_idx]
    for g in np.unique(g_ans):
        members = answered_idx[g_ans == g]
        qi, rest = divmod(int(g), 7 * SLOTS)
        wd, s = divmod(rest, SLOTS)
        idx, w = _eligible_agents(agents, QUEUES[qi], wd, s / 2 + 0.25)
        agent_of_call[members] = idx[rng.choice(idx.size, size=members.size, p=w)]

    base = pd.Timestamp(cal.days[0])
    start_text = (base + pd.to_timedelta(start_s, unit="s")).strftime("%d/%m/%Y %H:%M:%S")
    names = agents["name"].tolist()
    lines = []
    for i in range(n):
        cust = customer_ids[caller[i]]
        phone = f"07700 9{customer_phone[caller[i]]:05d}"
        if abandoned[i]:
            result, t, wr, agent = "Abandoned", None, None, None
        else:
            result, t, wr, agent = (
                "Answered",
                _talk_text(talk[i]),
                int(wrap[i]),
                names[agent_of_call[i]],
            )
        lines.append(
            _line(
                start_text[i], QUEUES[qc[i]], result, int(wait[i]), t, wr, phone,
                f"C{cust}" if identified[i] else None, agent, FIRST_CALL_ID + i,
            )
        )  # fmt: skip

    # --- the defects, as (insert before real row k, kind, call id, description, line) ---
    inserts = []
    real_start = base + pd.to_timedelta(start_s, unit="s")

    def position(when: datetime) -> int:
        return int(np.searchsorted(real_start.to_numpy(), np.datetime64(when), side="right"))

    def extra_answered(cid, q, when, w, t, wr):
        agent = _agent_for(agents, q, when)
        cust = customer_ids[int(rng.integers(0, n_customers))]
        phone = f"07700 9{int(rng.integers(0, 1000)):05d}"
        text = when.strftime("%d/%m/%Y %H:%M:%S")
        return _line(text, q, "Answered", w, _talk_text(t), wr, phone, f"C{cust}", agent, cid)

    for cid, q, when, w, t, wr in NEGATIVE_WAIT_CALLS:
        desc = f"{q} {when:%Y-%m-%d %H:%M:%S}, Wait Time {w}"
        inserts.append(
            (position(when), "negative wait", cid, desc, extra_answered(cid, q, when, w, t, wr))
        )
    for cid, q, when, w, t, wr in ABSURD_TALK_CALLS:
        desc = f"{q} {when:%Y-%m-%d %H:%M:%S}, Talk Time {_talk_text(t)}"
        inserts.append(
            (position(when), "absurd talk time", cid, desc, extra_answered(cid, q, when, w, t, wr))
        )
    for cid, q, when in TEST_CALLS:
        text = when.strftime("%d/%m/%Y %H:%M:%S")
        line = _line(text, q, "Test call", 0, "0:12", 0, TEST_LINE, None, TEST_CALL_AGENT, cid)
        inserts.append((position(when), "test call", cid, f"{q} {when:%Y-%m-%d %H:%M:%S}", line))
    garbage_pos = np.sort(rng.choice(np.arange(1, n), size=len(GARBAGE_STARTS), replace=False))
    for cid, text, pos in zip(GARBAGE_CALL_IDS, GARBAGE_STARTS, garbage_pos, strict=True):
        src = int(pos)  # borrow the rest of the row from a neighbouring real call
        fields = lines[src].split(";")
        fields[0], fields[-1] = text, str(cid)
        inserts.append(
            (int(pos), "garbage Call Start", cid, f"Call Start '{text}'", ";".join(fields))
        )
    dup_src = np.sort(rng.choice(n, size=N_DUPLICATES, replace=False))
    for src in dup_src:
        pos = min(n, int(src) + 1 + int(rng.integers(50, 5001)))
        cid = FIRST_CALL_ID + int(src)
        inserts.append((pos, "duplicate", cid, f"repeats line {int(src) + 2}", lines[src]))
    for pos in np.sort(rng.choice(np.arange(1, n), size=N_BLANK_LINES, replace=False)):
        inserts.append((int(pos), "blank line", None, "empty line", ""))

    inserts.sort(key=lambda item: item[0])  # stable: equal positions keep their order above
    out, defects = [CALLS_HEADER], []
    j = 0
    for k in range(n + 1):
        while j < len(inserts) and inserts[j][0] == k:
            _, kind, cid, desc, line = inserts[j]
            out.append(line)
            defects.append((kind, len(out), cid, desc))
            j += 1
        if k < n:
            out.append(lines[k])
    # a duplicate names the line it repeats, which insertions before it have moved on
    real_line = {}
    for ln, text in enumerate(out, start=1):
        if text and text.rsplit(";", 1)[-1].isdigit():
            cid = int(text.rsplit(";", 1)[-1])
            real_line.setdefault(cid, ln)
    defects = [
        (kind, ln, cid, f"repeats line {real_line[cid]}" if kind == "duplicate" else desc)
        for kind, ln, cid, desc in defects
    ]
    data = ("\r\n".join(out) + "\r\n").encode("cp1252")
    return CallsFile(data, n, oct_totals, defects)


def _agent_for(agents: pd.DataFrame, queue: str, when: datetime) -> str:
    idx, _ = _eligible_agents(agents, queue, when.weekday(), when.hour + when.minute / 60)
    return agents["name"].iloc[int(idx[0])]


def gzip_bytes(data: bytes) -> bytes:
    """gzip without time stamp or file name, so the bytes depend on the content only."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buf.getvalue()


# =========================================================================================
# Shift templates
# =========================================================================================
SHIFT_TEMPLATES_TOML = """\
# Shift templates of the Northwind Energy sample centre (generated by sample_data/generate.py).
#
# A template says when a shift may start (start_earliest .. start_latest, every
# start_step_minutes), how long it may be (lengths_hours), on which days it is used, and its
# breaks: each break has a kind, a length and a window counted from the shift's start.

[[template]]
name = "Early"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
start_earliest = "07:30"
start_latest = "09:00"
start_step_minutes = 30
lengths_hours = [8.5]
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 90
latest_after_start_minutes = 150
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = 300
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 360
latest_after_start_minutes = 420

[[template]]
name = "Day"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
start_earliest = "09:00"
start_latest = "10:30"
start_step_minutes = 30
lengths_hours = [8.5]
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 90
latest_after_start_minutes = 150
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = 300
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 360
latest_after_start_minutes = 420

# Ends by 20:00, when Support closes.
[[template]]
name = "Late"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
start_earliest = "10:30"
start_latest = "11:30"
start_step_minutes = 30
lengths_hours = [8.5]
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 90
latest_after_start_minutes = 150
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 180
latest_after_start_minutes = 300
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 360
latest_after_start_minutes = 420

# Saturday (Support 09:00-17:00, Sales 09:00-13:00) and Sunday (Support 10:00-16:00).
[[template]]
name = "Weekend"
days = ["Sat", "Sun"]
start_earliest = "09:00"
start_latest = "12:00"
start_step_minutes = 30
lengths_hours = [5.0, 6.0, 7.0]
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 90
latest_after_start_minutes = 180
[[template.break]]
kind = "lunch"
minutes = 30
earliest_after_start_minutes = 150
latest_after_start_minutes = 240

[[template]]
name = "Part-time"
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
start_earliest = "08:00"
start_latest = "16:00"
start_step_minutes = 30
lengths_hours = [4.0, 5.0, 6.0]
[[template.break]]
kind = "short"
minutes = 15
earliest_after_start_minutes = 90
latest_after_start_minutes = 180

[rules]
min_rest_hours = 11
max_consecutive_days = 6
days_off_per_week = 2
max_hours_per_day = 10
max_hours_per_week = 48
"""


# =========================================================================================
# README
# =========================================================================================
def readme_text(sim: Simulation, calls: CallsFile, agents: pd.DataFrame, n_history: int) -> str:
    cal = sim.cal
    business = (cal.weekday < 5) & ~cal.holiday
    daily = sim.offered.sum(axis=2)  # [queue, day]
    wd_rows = []
    for wd in range(7):
        m = (cal.weekday == wd) & ~cal.holiday
        cells = [f"{daily[qi][m].mean():,.0f}" for qi in range(len(QUEUES))]
        wd_rows.append(f"| {WEEKDAY_NAMES[wd]} | {cells[1]} | {cells[0]} |")
    aht = {}
    for qi, q in enumerate(QUEUES):
        h = sim.handled[qi]
        aht[q] = np.nansum(sim.aht[qi] * h) / h.sum()
    ab_rate = {q: sim.abandoned[qi].sum() / sim.offered[qi].sum() for qi, q in enumerate(QUEUES)}
    n_data = calls.n_real + sum(1 for d in calls.defects if d[0] != "blank line")
    n_lines = 1 + n_data + N_BLANK_LINES
    oct_rows = "\n".join(
        f"| {q} | {o:,} | {h:,} | {a:,} |" for q, (o, a, h) in calls.oct_totals.items()
    )
    total_o = sum(v[0] for v in calls.oct_totals.values())
    total_a = sum(v[1] for v in calls.oct_totals.values())
    defect_rows = "\n".join(
        f"| {ln} | {kind} | {cid if cid is not None else ''} | {desc} |"
        for kind, ln, cid, desc in calls.defects
    )
    teams = agents["team"].value_counts()
    team_text = ", ".join(f"{t} {teams[t]}" for t, _ in TEAMS)
    cross = int((agents["skills"] == "Sales;Support").sum())
    full = int((agents["min_weekly_hours"] == 37.5).sum())
    sixteen = int((agents["min_weekly_hours"] == 16).sum())
    part = len(agents) - full - sixteen
    hol_list = ", ".join(d.isoformat() for d in bank_holidays())
    after_list = ", ".join(d.date().isoformat() for d in cal.days[cal.after_holiday])
    return f"""\
# Sample centre: Northwind Energy

A fictional UK energy supplier's contact centre with two queues, **Sales** and **Support**,
bundled so the planner can be tried (and tested) without real data. Every file here is written
by `generate.py`; do not edit them by hand.

## Regenerating

From the repository root:

```
python sample_data/generate.py            # rewrites the files in sample_data/
python sample_data/generate.py --out DIR  # writes them into DIR instead
```

The generator is seeded (`numpy.random.default_rng({SEED})`) and writes byte-identical files
on every run (for the same NumPy, pandas and `holidays` versions; the gzip header carries no
time stamp). `tests/test_sample_data.py` regenerates into a temporary folder and compares.

## Files

| File | What it is |
|---|---|
| `{HISTORY_FILE}` | The canonical interval history (`queue,interval_start,offered,handled,abandoned,aht_seconds`), 30-minute intervals from 2024-11-01 00:00 to 2026-10-31 23:30 for both queues: {n_history:,} rows, closed intervals present with offered 0. Local wall-clock times, no UTC offset (the centre is closed over the DST changes). |
| `{CALLS_FILE}` | Every call of October 2026, one row per call, as a messy ACD export: gzip, cp1252, `;`-delimited, CRLF, day-first dates. Consistent with the history (see below). |
| `{AGENTS_FILE}` | {len(agents)} agents (UTF-8): `name,team,skills,min_weekly_hours,max_weekly_hours,hourly_cost,unavailable_days,preferred_shift`. |
| `{TEMPLATES_FILE}` | Shift templates (Early, Day, Late, Weekend, Part-time) with breaks, and the `[rules]` table (11 h rest, at most 6 days in a row, 2 days off a week, at most 10 h a day and 48 h a week). |
| `events.toml` | The forecast calendar, written by hand (not by this script): GB (England) bank holidays and the two campaigns described below, with the uplifts used here, for `wfm forecast --events` and the Forecast page. |
| `scenarios.toml` | What-if scenarios for this centre, written by hand (not by this script), for `wfm whatif` and the Scenarios page. |
| `{PROJECT_FILE}` | All of the above as one ready plan (a WFM Planner project, SQLite), what the app opens by default: the history, `events.toml` as the calendar, the agents, shift templates and rules, the target 80 % answered in 20 s with 30 % shrinkage (Erlang C), the forecast page set to {FORECAST_DAYS} days from {FORECAST_START}, and `scenarios.toml`. No forecast or roster yet (the app computes them). `wfm project extract` writes its parts back out as files. |
| `{README_FILE}` | This file. |

## The centre's patterns

**Opening hours** (zero calls outside them): Support Mon-Fri 08:00-20:00, Sat 09:00-17:00,
Sun 10:00-16:00; Sales Mon-Fri 08:00-18:00, Sat 09:00-13:00, closed Sunday.

**Bank holidays** (GB, England, from the `holidays` package): both queues closed all day on
{hol_list}.
The next Mon-Fri day that is not a holiday is 20 % busier: {after_list}.

**Daily volume** = base x weekday factor x season x trend x after-holiday x promotion x day noise:

- base 1,840 Support / 870 Sales calls (a Wednesday on 2025-11-01);
- weekday factors Mon 1.25, Tue 1.05, Wed 1.00, Thu 0.97, Fri 0.90, Sat 0.42 (Support) /
  0.30 (Sales), Sun 0.22 (Support; Sales closed);
- season `1 + 0.10 cos(2 pi (day_of_year - 20) / 365.25)`: +10 % around 20 January, -10 % in
  late July;
- trend +6 % a year (x0.94 at the start of the history, x1.06 at the end);
- Sales promotions: the winter tariff campaign 2025-11-24 to 2025-12-05, +60 % on the first
  day halving every 3 days; the spring boiler-cover offer 2026-05-11 to 2026-05-15, +30 %;
- day noise: a gamma factor per queue and day, mean 1, coefficient of variation 8 %.

Average offered per day over the two years (bank holidays left out):

| Weekday | Support | Sales |
|---|---:|---:|
{chr(10).join(wd_rows)}

Mon-Fri business days average {daily[1][business].mean():,.0f} Support and
{daily[0][business].mean():,.0f} Sales calls.

**Intraday shapes** differ by weekday: Support peaks mid-morning with an early-afternoon
shoulder and a small after-work bump; Monday's morning peak is much stronger and earlier,
Friday fades after 15:00. Sales has a morning peak, a lunchtime bump at 12:45 and an afternoon
peak; Monday morning is stronger, Friday afternoon fades. Weekends peak late morning / midday.

**Counts**: offered is Poisson around the expected rate; abandoned is Binomial with a rate of
2 % in quiet intervals rising to 10 % in the busiest (`0.02 + 0.08 min(1, busy)^2`, busy =
rate / the queue's 98th-percentile rate); handled = offered - abandoned. Over the two years
{ab_rate["Support"]:.1%} of Support and {ab_rate["Sales"]:.1%} of Sales calls were abandoned.

**Handle time**: each handled call has a log-normal talk time (CV 0.6) and wrap time (CV 0.5),
whole seconds; `aht_seconds` is the mean of the interval's talk + wrap. Support averages about
420 s (about 412 s in the day, about 480 s in the evening; wrap 45 s); Sales about 330 s
(about 315 s most of the day, about 370 s at lunchtime; wrap 30 s). Handled-weighted over the
two years: Support {aht["Support"]:.0f} s, Sales {aht["Sales"]:.0f} s.

## Agents

{len(agents)} fictional agents in four teams ({team_text}); {cross} are cross-skilled
(`Sales;Support`). {full} full-time (min 37.5 h, max 40 h), {part} part-time (min 20-30 h, max
5 h more), {sixteen} on 16-hour contracts (max 20 h). Hourly cost 14.50-19.00. The same names
(some with accents, e.g. Zoë Brontë, José Núñez, Siobhán O'Connor) answer the calls in
`{CALLS_FILE}`: an answered call goes to an agent with the skill who works that weekday and,
Mon-Fri, whose team covers that hour (Sales 08:00-18:00, Support Early 08:00-16:30, Support
Day 09:00-18:30, Support Late 11:30-20:00).

## The call file

Header:

```
{CALLS_HEADER}
```

`Call Start` `dd/mm/yyyy HH:MM:SS`; `Result` `Answered` or `Abandoned`; `Wait Time` seconds;
`Talk Time` `m:ss` (`h:mm:ss` from an hour) and `Wrap Time` seconds, both empty when
abandoned; `Caller Number` a fake mobile `07700 9xxxxx`; `Customer ID` `Cnnnnnn`, empty for
about 20 % of calls; `Agent` empty when abandoned; `Call ID` unique, {FIRST_CALL_ID} upwards in
time order for the real calls, 900001 upwards for the planted extra rows.

The **{calls.n_real:,} real calls** are exactly the history's October 2026: every interval has
exactly its `offered` calls (arrival times uniform inside it), `abandoned` of them abandoned,
and the answered calls' talk + wrap average to its `aht_seconds` (to the history's 0.1 s).

October 2026 in `{HISTORY_FILE}`:

| Queue | Offered | Handled | Abandoned |
|---|---:|---:|---:|
{oct_rows}
| Total | {total_o:,} | {total_o - total_a:,} | {total_a:,} |

### Defects (on top of the real calls)

| Defect | Rows |
|---|---:|
| exact duplicate rows (a real call's line repeated 50-5,000 lines later) | {N_DUPLICATES} |
| garbage `Call Start` (Call IDs 900006-900010) | {len(GARBAGE_STARTS)} |
| negative `Wait Time`, extra answered calls (Call IDs 900001-900003) | {len(NEGATIVE_WAIT_CALLS)} |
| talk time over 10 hours, extra answered calls (Call IDs 900004-900005) | {len(ABSURD_TALK_CALLS)} |
| completely blank lines | {N_BLANK_LINES} |
| `Result` = `Test call` (engineer's test calls before opening; Call IDs 900011-900014) | {len(TEST_CALLS)} |

The file has {n_lines:,} lines: the header, {n_data:,} data rows ({calls.n_real:,} real calls +
{n_data - calls.n_real} planted rows) and {N_BLANK_LINES} blank lines. Dropping the duplicates,
blank lines, garbage starts, test calls and the Call IDs 900001-900005 gives back the history's
October offered and abandoned exactly. An importer that keeps the negative-wait and long-talk
calls counts one extra answered call in each of these intervals: Support 2026-10-05 10:00,
Sales 2026-10-13 14:30, Support 2026-10-22 09:00 (negative wait), Support 2026-10-08 16:30,
Sales 2026-10-27 11:30 (long talk).

Where they are (line numbers of the decompressed file, the header is line 1):

| Line | Defect | Call ID | Detail |
|---:|---|---:|---|
{defect_rows}
"""


# =========================================================================================
def generate(out_dir: str | Path = HERE) -> dict:
    """Write the five sample files and the sample project into ``out_dir``; returns a few
    numbers about them."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    sim = simulate(rng)
    frame = history_frame(sim)
    IntervalHistory(frame, 30).write_csv(out / HISTORY_FILE)
    agents = build_agents(rng)
    (out / AGENTS_FILE).write_bytes(agents_csv_text(agents).encode("utf-8"))
    calls = build_calls(rng, sim, agents)
    (out / CALLS_FILE).write_bytes(gzip_bytes(calls.data))
    (out / TEMPLATES_FILE).write_bytes(SHIFT_TEMPLATES_TOML.encode("utf-8"))
    readme = readme_text(sim, calls, agents, len(frame))
    (out / README_FILE).write_bytes(readme.encode("utf-8"))
    write_sample_project(out)
    return {
        "history_rows": len(frame),
        "calls_real": calls.n_real,
        "oct_totals": calls.oct_totals,
        "defects": calls.defects,
    }


def sample_project(out_dir: str | Path = HERE):  # -> wfm.io.project.Project
    """The sample plan, built from the files written into ``out_dir`` (and the hand-written
    ``events.toml`` and ``scenarios.toml`` beside this script)."""
    from wfm.forecast.events import Calendar
    from wfm.io.project import Project
    from wfm.scheduling.loaders import read_agents_csv, read_shift_setup
    from wfm.staffing.requirement import StaffingTarget

    out = Path(out_dir)
    scenarios = HERE / SCENARIOS_FILE
    return Project(
        name=PROJECT_NAME,
        centre=CENTRE_NAME,
        history=IntervalHistory.read_csv(out / HISTORY_FILE),
        source=HISTORY_FILE,
        calendar=Calendar.load(HERE / EVENTS_FILE),
        # The README gives abandon rates but no callers' patience, so Erlang C.
        target=StaffingTarget(service_level=0.8, answer_seconds=20.0, shrinkage=0.3),
        agents=read_agents_csv(out / AGENTS_FILE),
        setup=read_shift_setup(out / TEMPLATES_FILE),
        scenarios_text=scenarios.read_text(encoding="utf-8") if scenarios.exists() else "",
        settings={"forecast.start": FORECAST_START, "forecast.days": FORECAST_DAYS},
        stamps={"history": PROJECT_SAVED_AT},
    )


def write_sample_project(out_dir: str | Path = HERE) -> Path:
    """Write ``sample-centre.wfmp`` into ``out_dir`` (a fresh file, with a fixed save time)."""
    from wfm.io.project import save_project

    path = Path(out_dir) / PROJECT_FILE
    path.unlink(missing_ok=True)  # written fresh, so the same content gives the same bytes
    return save_project(sample_project(out_dir), path, saved_at=PROJECT_SAVED_AT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the Northwind Energy sample centre.")
    parser.add_argument("--out", default=str(HERE), help="folder to write into (default: here)")
    args = parser.parse_args(argv)
    info = generate(args.out)
    print(f"history: {info['history_rows']:,} rows; October calls: {info['calls_real']:,} real")
    for q, (o, a, h) in info["oct_totals"].items():
        print(f"  {q}: offered {o:,}, handled {h:,}, abandoned {a:,}")
    for kind, ln, cid, desc in info["defects"]:
        print(f"  line {ln:>6}: {kind:<18} {cid if cid is not None else '':>7} {desc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
