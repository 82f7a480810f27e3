"""Many distinct Mi Scale 2 weighings as a replay file, a config that dates them by the scale's
clock, and the exactly-once check of miscale_backup.csv — shared by the crash and write-fault tests.

Frames follow shared/spec/device-mi-scale.md §2: control bytes 02 24 (weight stabilized) and 02 26
(stabilized + impedance), the scale clock in UTC, impedance Ω and weight raw (kg × 200), all LE.
Weighing i is at BASE + i minutes (scale clock = receive time), weighs a distinct tenth of a kg, and
is advertised once without and several times with its impedance, then with the step-off bit, as
the real scale repeats it.
With `scale_clock = "scale"` the CSV's Unix time is exactly that clock, so a row is identified by
(Unix time, weight).
"""
import calendar
import collections
import os
import struct
import tempfile
import time
from pathlib import Path

SCALE = "C8:47:8C:A1:B2:C3"
BASE = calendar.timegm((2026, 3, 1, 6, 0, 0))  # 2026-03-01T06:00:00Z
MAX_WEIGHINGS = 1000  # 45.0 … 144.9 kg, 1000 minutes: well inside the duplicate window

CONFIG = """
[general]
state_directory = "{state}"
timezone = "UTC"

[pipeline]
# Longer than the whole session, so every re-advertisement of a weighing is a duplicate.
duplicate_window_seconds = 86400
scale_clock = "scale"

[[users]]
name = "ola"
sex = "female"
height_cm = 168
birth_date = 1985-06-15
min_weight_kg = 40
max_weight_kg = 150

[[devices.mi_scale]]
mac = "{scale}"
"""


def scratch_directory() -> tempfile.TemporaryDirectory:
    """A temp folder for the state directories: $CRASH_TMPDIR, else /dev/shm when it is writable —
    a kill or a failed call does not depend on fsync, and without fsync waits the runs are short
    and a kill lands in the code rather than in the disk — else the system's temp folder."""
    parent = os.environ.get("CRASH_TMPDIR") or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    return tempfile.TemporaryDirectory(prefix="ble2garmin-", dir=parent)


def frame(control1: int, when: int, impedance: int, raw: int) -> str:
    """A Mi Scale 2 payload: control bytes, scale clock (UTC), impedance, weight raw (LE)."""
    t = time.gmtime(when)
    return (bytes([0x02, control1]) + struct.pack("<HBBBBB", t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour,
                                                  t.tm_min, t.tm_sec) + struct.pack("<HH", impedance, raw)).hex()


def iso(when: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


def weighing(i: int) -> tuple[int, int]:
    """(Unix time, weight in tenths of a kg) of weighing i; distinct in both for i < MAX_WEIGHINGS."""
    return BASE + 60 * i, 450 + (i * 37) % MAX_WEIGHINGS


def session(count: int, repeats: int = 3) -> tuple[str, set[tuple[int, int]]]:
    """Replay text of `count` weighings, each: stable frame, `repeats` impedance frames, step-off
    frame; and the (Unix time, tenths) every one of them must leave in the backup."""
    assert 0 < count <= MAX_WEIGHINGS
    lines, expected = [], set()
    for i in range(count):
        when, tenths = weighing(i)
        raw = tenths * 20  # 0.005 kg per LSB
        impedance = 400 + i % 200
        frames = [frame(0x24, when, 0, raw)] + [frame(0x26, when, impedance, raw)] * repeats
        frames.append(frame(0xA6, when, impedance, raw))
        lines += [f"{iso(when + 1 + k)} {SCALE} 181b {payload} -60" for k, payload in enumerate(frames)]
        expected.add((when, tenths))
    return "\n".join(lines) + "\n", expected


def write_config(path: Path, state: Path) -> None:
    path.write_text(CONFIG.format(state=state, scale=SCALE))


def backup_rows(csv: Path) -> tuple[collections.Counter, list[str]]:
    """(Unix time, tenths) of every row of the backup, counted; and the lines that are not rows."""
    rows, malformed = collections.Counter(), []
    if not csv.exists():
        return rows, malformed
    for line in csv.read_text().splitlines()[1:]:
        fields = line.split(";")
        try:
            # export2garmin's pending row "to_import;T;W;Z"; a complete row (Garmin off: `local`) has
            # its 24 columns, the weight in the fifth.
            if fields[0] in ("local", "uploaded"):
                if len(fields) != 24:
                    raise ValueError("incomplete row")
                weight = fields[4]
            else:
                weight = fields[2]
            rows[(int(fields[1]), round(float(weight) * 10))] += 1
        except (IndexError, ValueError):
            malformed.append(line)
    return rows, malformed


class Tally:
    """Rows seen more than once, expected rows missing, rows nobody weighed, unreadable lines; the
    weighings are named by (Unix time, tenths of a kg)."""

    def __init__(self, expected: set, rows: collections.Counter, malformed: list[str]):
        self.duplicates = sum(n - 1 for key, n in rows.items() if key in expected and n > 1)
        self.repeated = sorted(key for key, n in rows.items() if key in expected and n > 1)
        self.lost = sorted(key for key in expected if rows[key] == 0)
        self.unexpected = sorted(key for key in rows if key not in expected)
        self.malformed = malformed

    def ok(self) -> bool:
        return not (self.duplicates or self.lost or self.unexpected or self.malformed)

    def __str__(self) -> str:
        return (f"{self.duplicates} duplicate rows {self.repeated[:5]}, {len(self.lost)} lost {self.lost[:5]}, "
                f"{len(self.unexpected)} unexpected {self.unexpected[:5]}, "
                f"{len(self.malformed)} malformed {self.malformed[:3]}")
