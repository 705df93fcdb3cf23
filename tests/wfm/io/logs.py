"""Small call logs made by the tests, with known answers."""

from __future__ import annotations

HEADER = ["Call Start", "Queue", "Result", "Wait Time", "Talk Time", "Wrap Time",
          "Caller Number", "Customer ID", "Agent", "Call ID"]

# 2026-03-02 is a Monday. Known answer at 30 minutes:
#   Sales 09:00: 3 offered (1 abandoned), AHT (200+20 + 100+10)/2 = 165
#   Sales 09:30: 1 offered, AHT 300
#   Support 09:00: 2 offered (0 abandoned), AHT (60 + 120)/2 = 90 (wrap empty)
ROWS = [
    ["2026-03-02 09:01:10", "Sales", "Answered", "12", "200", "20", "+44 7700 900111", "C-0001", "Ann Smith", "1"],
    ["2026-03-02 09:10:00", "Sales", "Abandoned", "45", "", "", "+44 7700 900222", "C-0002", "", "2"],
    ["2026-03-02 09:29:59", "Sales", "Answered", "3", "100", "10", "+44 7700 900333", "C-0003", "Zoë Brontë", "3"],
    ["2026-03-02 09:30:00", "Sales", "Answered", "0", "280", "20", "+44 7700 900444", "", "José Núñez", "4"],
    ["2026-03-02 09:05:00", "Support", "Answered", "5", "60", "", "+44 7700 900555", "C-0005", "Ann Smith", "5"],
    ["2026-03-02 09:06:00", "Support", "Answered", "7", "120", "", "+44 7700 900666", "C-0006", "李伟", "6"],
]
PERSONAL = ["+44 7700 900", "C-000", "Ann Smith", "Zoë", "Brontë", "José", "Núñez", "李伟", "7700"]


def write_log(path, rows=ROWS, header=HEADER, *, sep=",", encoding="utf-8", newline="\n"):
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path
