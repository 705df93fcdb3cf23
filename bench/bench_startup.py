"""Start-up benchmark: how soon the window is usable, with the sample plan loaded.

Usage::

    python bench/bench_startup.py [--repeats 5]

Each run is a fresh interpreter (``python -c``) under ``QT_QPA_PLATFORM=offscreen`` that
imports ``ui.app``, creates the application and the window, shows it, opens the bundled sample
plan (``sample_data/sample-centre.wfmp``) as ``wfm-planner`` does without arguments, and quits
once the plan is on the pages (``MainWindow.projectLoaded``). It reports, from the start of the
interpreter's own clock:

- ``shown``: the window is on screen (after ``show()`` and the first processed events);
- ``loaded``: the plan is read (off the GUI thread) and on every page;

and which of prophet, ortools and openpyxl were imported by then (none should be: they load
when first used). Medians of ``--repeats`` runs; the interpreter's start-up before the first
line of the script is included (measured from the parent, ``total``).

The baseline, side by side: ``import PySide6.QtWidgets`` and an empty ``QMainWindow`` shown,
in the same kind of fresh interpreter. Target: usable within 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
HEAVY = ("prophet", "ortools", "openpyxl", "cmdstanpy")

WINDOW = r"""
import time
t0 = time.perf_counter()
import sys, json
sys.path.insert(0, {repo!r})
from PySide6.QtCore import QTimer
from ui.app import create_application, sample_project_path
app = create_application(["wfm-planner"])
from ui.main_window import MainWindow
window = MainWindow()
window.show()
marks = {{}}
def shown():
    marks["shown"] = time.perf_counter() - t0
QTimer.singleShot(0, shown)
def loaded():
    marks["loaded"] = time.perf_counter() - t0
    marks["heavy"] = [m for m in {heavy!r} if m in sys.modules]
    marks["history_rows"] = len(window.history)
    window.ask_hook = lambda box: 0
    app.quit()
window.projectLoaded.connect(loaded)
QTimer.singleShot(0, lambda: window.open_path(sample_project_path()))
QTimer.singleShot(30000, app.quit)
app.exec()
print(json.dumps(marks))
"""

BASELINE = r"""
import time
t0 = time.perf_counter()
import json
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["baseline"])
window = QMainWindow()
window.resize(1400, 900)
window.show()
marks = {}
def shown():
    marks["shown"] = time.perf_counter() - t0
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
print(json.dumps(marks))
"""


def run(code: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO
    )
    total = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"run failed:\n{out.stderr}")
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    marks["total"] = total
    return marks


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs if key in r)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    window_code = WINDOW.format(repo=str(REPO), heavy=HEAVY)
    run(window_code)  # warm the file cache once (not counted)
    ours = [run(window_code) for _ in range(args.repeats)]
    base = [run(BASELINE) for _ in range(args.repeats)]
    print(f"# Start-up ({platform.python_version()}, {platform.machine()}, offscreen)")
    print(f"median of {args.repeats} fresh interpreters; seconds from the script's first line")
    print()
    print("| | window shown | plan loaded | process total |")
    print("|---|---:|---:|---:|")
    print(
        f"| WFM Planner + sample plan | {median(ours, 'shown'):.2f} | "
        f"{median(ours, 'loaded'):.2f} | {median(ours, 'total'):.2f} |"
    )
    print(
        f"| baseline: PySide6 + empty QMainWindow | {median(base, 'shown'):.2f} | – | "
        f"{median(base, 'total'):.2f} |"
    )
    print()
    heavy = sorted({m for r in ours for m in r.get("heavy", [])})
    print(f"history rows loaded: {ours[0].get('history_rows', 0):,}")
    print(f"heavy modules imported at 'loaded': {', '.join(heavy) if heavy else 'none'}")
    for name in HEAVY:
        print(f"  {name}: {'imported' if name in heavy else 'not imported'}")
    target = 2.0
    verdict = "within" if median(ours, "loaded") <= target else "OVER"
    print(f"target: usable within {target:.0f} s -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
