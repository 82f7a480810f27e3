#!/usr/bin/python3
"""How ble2garmin's cost grows with the history in miscale_backup.csv.

    bench/history_footprint.py [--binary build/gcc/src/ble2garmin] [--sizes 0,10000,100000]
                               [--pending 20] [--repeat 3] [--export2garmin DIR] [--keep]

For each history size (rows already `uploaded`, export2garmin's layouts, a family of four over the
years) the script writes a backup and measures, with the real binary:

1. `ble2garmin run` against the simulated bluetoothd of the integration tests
   (tests/integration/fake_bluez.py, daemon_harness.py), Garmin off, a handful of pending rows at
   the end of the file: time from exec to sd_notify READY=1, CPU time until then, and VmRSS /
   VmHWM once it is idle.
2. `ble2garmin upload --dry-run` with nothing pending and with --pending rows: wall time, user+sys
   CPU and peak RSS (wait4 rusage; peak RSS from GNU time's %M, because a child forked from this
   Python process inherits the parent's RSS high-water mark until exec).
3. `ble2garmin upload` of the --pending rows (spread over four Garmin accounts) against the Garmin
   HTTPS mock (tests/integration/garmin_mock, TLS verified against the mock's CA): the same figures,
   then a second upload of --pending other rows under `strace -f -y` that counts the renames onto
   miscale_backup.csv (each is one atomic rewrite), the bytes written to it and its temp files,
   and the bytes read from it.
4. export2garmin reading the same file. Always: a minimal equivalent of what export2garmin's
   `miscale/miscale_export.py` does with it (a new /usr/bin/python3 process, csv.reader with ';',
   stop at the first `failed`/`to_import` row). With --export2garmin DIR (a local checkout of
   RobertWojtowicz/export2garmin; nothing is downloaded): its own `miscale/miscale_export.py`, run
   in a scratch copy of the tree with a stub `garminconnect` module (no network, no login), so the
   figure is its config + CSV read + body-composition calculation.

Prints a markdown table (one column per size) for docs/performance.md; progress goes to stderr.
Run it with the system interpreter (python3-dbus, python3-dbusmock) and, for figures worth
publishing, a Release or RelWithDebInfo build. Figures are medians of --repeat runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
INTEGRATION = REPO / "tests" / "integration"
sys.dont_write_bytecode = True  # no __pycache__ inside tests/
sys.path.insert(0, str(INTEGRATION))
sys.path.insert(0, str(INTEGRATION / "garmin_mock"))
from daemon_harness import Daemon, receive_until  # noqa: E402
from fake_bluez import FakeBluez  # noqa: E402
from selftest import MockProcess  # noqa: E402

PYTHON = "/usr/bin/python3"
GNU_TIME = "/usr/bin/time"
TZ_NAME = "Europe/Warsaw"
TZ = ZoneInfo(TZ_NAME)
SCALE = "C8:47:8C:A1:B2:C3"
PASSWORD = "secret"
TICKS = os.sysconf("SC_CLK_TCK")
HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
          "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
          "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
          "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]")
# The history ends here; pending rows follow it. Fixed so that every run writes the same history.
HISTORY_END = int(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc).timestamp())
MAX_SPAN = 20 * 365 * 86400  # at most 20 years of history; denser weighing beyond ~29,000 rows
DAEMON_PENDING = 5  # "a handful" of to_import rows at the end of the daemon's file


@dataclass
class Person:
    name: str
    sex: str
    height_cm: int
    born: dt.date
    email: str
    min_kg: float
    max_kg: float
    adult_kg: float | None  # adults wander around this weight; children grow
    growth: tuple[float, float] = (0.0, 0.0)  # children: kg = a * age + b

    def age(self, when: dt.datetime) -> int:
        d = when.date()
        return d.year - self.born.year - ((d.month, d.day) < (self.born.month, self.born.day))


# Non-overlapping ranges for today's weights, so that every pending row has exactly one owner.
FAMILY = [
    Person("adam", "male", 181, dt.date(1980, 3, 14), "adam.kowalski@example.com", 80, 120, 88.0),
    Person("beata", "female", 167, dt.date(1983, 7, 22), "beata.kowalska@example.com", 50, 79.9, 63.0),
    Person("celina", "female", 158, dt.date(2012, 5, 20), "celina.kowalska@example.com", 35, 49.9, None,
           (2.8, 6.0)),
    Person("daniel", "male", 146, dt.date(2015, 1, 10), "daniel.kowalski@example.com", 15, 34.9, None,
           (2.4, 5.0)),
]


# ---------------------------------------------------------------------------------------- the backup

def local(unix: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix, TZ)


def plausible_composition(p: Person, weight: float, impedance: int, when: dt.datetime) -> list[str]:
    """Body-composition columns W..Protein of an uploaded row. Plausible values from textbook
    formulas (Deurenberg, Mifflin-St Jeor), not export2garmin's: only their shape and size matter."""
    age = max(p.age(when), 4)
    h = p.height_cm / 100
    bmi = weight / (h * h)
    male = p.sex == "male"
    fat = min(max(1.2 * bmi + 0.23 * age - 10.8 * male - 5.4 + (impedance - 480) * 0.01, 5.0), 45.0)
    lbm = weight * (1 - fat / 100)
    bone = lbm * 0.05
    muscle = lbm - bone
    water = (100 - fat) * 0.7 * 0.98
    bmr = 10 * weight + 6.25 * p.height_cm - 5 * age + (5 if male else -161)
    ideal = 22 * h * h
    ideal_fat = 20 if male else 28
    to_ideal = weight * (fat - ideal_fat) / 100
    physique = 1 + min(int(fat / 6), 8)
    visceral = max(1, int(bmi - 14))
    metabolic_age = min(max(age + int(bmi - 22), 15), 80)
    protein = min(max(muscle / weight * 100 - water, 5.0), 32.0)
    return [f"{weight:.1f}", None, f"{bmi:.1f}", f"{fat:.1f}", f"{muscle:.1f}", f"{bone:.1f}", f"{water:.1f}",
            str(physique), str(visceral), str(metabolic_age), f"{bmr:.0f}", f"{lbm:.1f}", f"{ideal:.1f}",
            (f"to_lose:{to_ideal:.1f}" if to_ideal >= 0 else f"to_gain:{-to_ideal:.1f}"), f"{protein:.1f}"]


class Family:
    """Weights that wander: adults around their own weight, children growing with age."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last: dict[str, float] = {}
        self.offset = {p.name: 0.0 for p in FAMILY}

    def weight(self, p: Person, when: dt.datetime) -> float:
        self.offset[p.name] = max(-4.0, min(4.0, self.offset[p.name] + self.rng.uniform(-0.3, 0.3)))
        if p.adult_kg is not None:
            base = p.adult_kg
        else:
            base = p.growth[0] * max(p.age(when), 4) + p.growth[1]
        return round(min(max(base + self.offset[p.name], 12.0), 150.0), 1)

    def impedance(self, p: Person) -> int:
        return self.rng.randint(420, 560) if p.adult_kg else self.rng.randint(520, 700)


def history_rows(count: int, rng: random.Random) -> list[str]:
    """`count` uploaded rows ending at HISTORY_END: the 24-field layout, the oldest 1% in the
    19-field pre-v3 layout (export2garmin issue #27), Change per user, Difference Time sometimes
    empty (export2garmin's quirk when the upload happened in a later iteration)."""
    if count == 0:
        return []
    step = min(6 * 3600, MAX_SPAN // count)
    start = HISTORY_END - count * step
    family = Family(rng)
    rows = []
    legacy = count // 100
    turn = 0
    for i in range(count):
        unix = start + i * step + rng.randint(0, step // 3)
        when = local(unix)
        present = [p for p in FAMILY if p.age(when) >= 4]
        p = present[turn % len(present)]
        turn += 1
        weight = family.weight(p, when)
        impedance = family.impedance(p)
        values = plausible_composition(p, weight, impedance, when)
        previous = family.last.get(p.name)
        values[1] = f"{weight - previous:.1f}" if previous is not None else "0.0"
        if values[1] == "-0.0":
            values[1] = "0.0"
        family.last[p.name] = weight
        delay = rng.randint(20, 900)
        uploaded = local(unix + delay)
        diff = "" if rng.random() < 0.1 else str(delay)
        if i < legacy:
            fields = ["uploaded", str(unix), when.strftime("%d.%m.%Y"), when.strftime("%H:%M"), *values[:10],
                      str(impedance), p.email, uploaded.strftime("%d.%m.%Y"), uploaded.strftime("%H:%M"), diff]
        else:
            fields = ["uploaded", str(unix), when.strftime("%d.%m.%Y"), when.strftime("%H:%M"), *values,
                      str(impedance), p.email, uploaded.strftime("%d.%m.%Y"), uploaded.strftime("%H:%M"), diff]
        rows.append(";".join(fields))
    return rows


def pending_rows(count: int, first: int, rng: random.Random) -> list[str]:
    """`count` Mi Scale 2 rows `to_import;T;W;Z` after the history, the family taking turns."""
    family = Family(rng)
    rows = []
    for i in range(count):
        unix = first + i * 3 * 3600 + rng.randint(0, 600)
        p = FAMILY[i % len(FAMILY)]
        weight = family.weight(p, local(unix))
        assert p.min_kg <= weight <= p.max_kg, (p.name, weight)
        rows.append(f"to_import;{unix};{weight:.1f};{family.impedance(p)}")
    return rows


def write_backup(path: Path, history: list[str], pending: list[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join([HEADER, *history, *pending]) + "\n"
    path.write_text(text)
    return len(text.encode())


# ------------------------------------------------------------------------------------ configuration

def users_toml() -> str:
    out = []
    for p in FAMILY:
        out.append(f"""
[[users]]
name = "{p.name}"
sex = "{p.sex}"
height_cm = {p.height_cm}
birth_date = {p.born.isoformat()}
garmin_email = "{p.email}"
min_weight_kg = {p.min_kg}
max_weight_kg = {p.max_kg}
""")
    return "".join(out)


def write_config(path: Path, state: Path, garmin: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""
[general]
state_directory = "{state}"
timezone = "{TZ_NAME}"

[devices.mi_scale]
mac = "{SCALE}"
{garmin}
{users_toml()}""")
    return path


def garmin_toml(mock: MockProcess) -> str:
    base = mock.base
    return f"""
[garmin]
enabled = true
sso_base_url = "{base}"
api_base_url = "{base}"
diauth_base_url = "{base}"
oauth_consumer_url = "{base}/oauth_consumer.json"
ca_file = "{mock.ca_file}"
timeout_seconds = 30
"""


# --------------------------------------------------------------------------------------- measuring

@dataclass
class Run:
    returncode: int
    wall: float
    user: float
    sys: float
    maxrss_kb: int
    output: str

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(cmd: list[str], workdir: Path, stdin_text: str | None = None, env: dict | None = None,
            cwd: Path | None = None) -> Run:
    """Runs `cmd` under GNU time: wall clock, user/sys CPU from wait4 (µs resolution; GNU time's own
    share is negligible) and the peak RSS of `cmd` itself from time's %M."""
    maxrss_file = workdir / "maxrss.txt"
    out_file = workdir / "output.txt"
    with open(out_file, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", str(maxrss_file), *cmd],
                                stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        if stdin_text is not None:
            proc.stdin.write(stdin_text.encode())
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in maxrss_file.read_text().splitlines() if line.strip().isdigit()]
    return Run(proc.returncode, wall, usage.ru_utime, usage.ru_stime, int(lines[-1]) if lines else 0,
               out_file.read_text(errors="replace"))


def median_run(runs: list[Run]) -> Run:
    return Run(runs[0].returncode, statistics.median(r.wall for r in runs), statistics.median(r.user for r in runs),
               statistics.median(r.sys for r in runs), int(statistics.median(r.maxrss_kb for r in runs)),
               runs[-1].output)


def proc_status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def kb(value: str) -> int:
    return int(value.split()[0])


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / TICKS


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fail(message: str, output: str = "") -> None:
    log(output)
    raise SystemExit("history_footprint: " + message)


# --------------------------------------------------------------------------------------- 1. daemon

@dataclass
class DaemonFigures:
    ready_s: float
    cpu_to_ready_s: float
    rss_kb: int
    hwm_kb: int


def measure_daemon(binary: str, bluez: FakeBluez, base: Path, backup_template: Path, repeat: int,
                   settle: float) -> DaemonFigures:
    results = []
    for attempt in range(repeat):
        folder = base / f"daemon-{attempt}"
        state = folder / "state"
        state.mkdir(parents=True)
        shutil.copyfile(backup_template, state / "miscale_backup.csv")
        config = write_config(folder / "ble2garmin.toml", state)
        notify_path = folder / "notify.sock"
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(str(notify_path))
        notify.settimeout(120)
        bluez.set_discovering("hci0", False)  # as bluetoothd would after the last client left
        daemon = None
        try:
            start = time.perf_counter()
            daemon = Daemon(binary, config, bluez.env(), str(notify_path))
            try:
                receive_until(notify, "READY=1")
            except socket.timeout:
                fail("the daemon sent no READY=1", daemon.text())
            ready = time.perf_counter() - start
            cpu = cpu_seconds(daemon.process.pid)
            time.sleep(settle)
            status = proc_status(daemon.process.pid)
            results.append(DaemonFigures(ready, cpu, kb(status["VmRSS"]), kb(status["VmHWM"])))
        finally:
            code = daemon.stop() if daemon else 0
            notify.close()
        if code != 0:
            fail(f"the daemon exited with {code}", daemon.text())
    return DaemonFigures(statistics.median(r.ready_s for r in results),
                         statistics.median(r.cpu_to_ready_s for r in results),
                         int(statistics.median(r.rss_kb for r in results)),
                         int(statistics.median(r.hwm_kb for r in results)))


# ---------------------------------------------------------------------------------- 2. dry-run upload

def measure_dry_run(binary: str, base: Path, backup_template: Path, expected: int, repeat: int) -> Run:
    runs = []
    for attempt in range(repeat):
        folder = base / f"{attempt}"
        state = folder / "state"
        state.mkdir(parents=True)
        shutil.copyfile(backup_template, state / "miscale_backup.csv")
        config = write_config(folder / "ble2garmin.toml", state)
        run = measure([binary, "upload", "--dry-run", "--output", str(folder / "fit"), "--config", str(config)],
                      folder)
        if run.returncode != 0 or f"dry run: {expected} FIT file(s) written" not in run.output:
            fail(f"upload --dry-run did not write {expected} FIT files", run.output)
        runs.append(run)
    return median_run(runs)


# ------------------------------------------------------------------------------------- 3. real upload

@dataclass
class IoFigures:
    renames: int = 0          # atomic rewrites: renames onto miscale_backup.csv
    appended_bytes: int = 0   # written to miscale_backup.csv itself
    temp_bytes: int = 0       # written to its rewrite temp files
    read_bytes: int = 0       # read from miscale_backup.csv
    opens: int = 0            # openat of miscale_backup.csv
    other_files: dict[str, int] = field(default_factory=dict)  # bytes written to other files, by name

    @property
    def written(self) -> int:
        return self.appended_bytes + self.temp_bytes


SYSCALL = re.compile(r"^(\d+)\s+(.*)$")
FD_PATH = re.compile(r"^\d+<(.*?)>")
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def parse_strace(text: str, backup_name: str = "miscale_backup.csv") -> IoFigures:
    figures = IoFigures()
    unfinished: dict[str, str] = {}
    temp_prefix = "." + backup_name + ".tmp-"
    for raw in text.splitlines():
        match = SYSCALL.match(raw)
        if not match:
            continue
        pid, line = match.groups()
        if line.endswith("<unfinished ...>"):
            unfinished[pid] = line[: -len("<unfinished ...>")].rstrip()
            continue
        resumed = re.match(r"^<\.\.\. \w+ resumed>\s?(.*)$", line)
        if resumed:
            line = unfinished.pop(pid, "") + resumed.group(1)
        name, paren, rest = line.partition("(")
        if not paren or " = " not in rest:
            continue
        args, _, result = rest.rpartition(" = ")
        number = re.match(r"-?\d+", result)
        if not number or int(number.group()) < 0:
            continue
        value = int(number.group())
        if name in ("write", "pwrite64", "writev", "pwritev", "pwritev2", "read", "pread64", "readv"):
            fd_path = FD_PATH.match(args)
            if not fd_path or not fd_path.group(1).startswith("/"):
                continue  # sockets, pipes, anonymous descriptors
            path = fd_path.group(1).removesuffix(" (deleted)")
            base_name = os.path.basename(path)
            if name.startswith(("read", "pread")):
                if base_name == backup_name:
                    figures.read_bytes += value
            elif base_name == backup_name:
                figures.appended_bytes += value
            elif base_name.startswith(temp_prefix):
                figures.temp_bytes += value
            elif not path.startswith(("/dev/", "/proc/")):
                key = re.sub(r"\.tmp-\w+$", ".tmp-*", base_name)
                figures.other_files[key] = figures.other_files.get(key, 0) + value
        elif name in ("rename", "renameat", "renameat2"):
            paths = QUOTED.findall(args)
            if paths and os.path.basename(paths[-1]) == backup_name:
                figures.renames += 1
        elif name in ("open", "openat", "openat2"):
            paths = QUOTED.findall(args)
            if paths and os.path.basename(paths[0]) == backup_name:
                figures.opens += 1
    return figures


def reset_mock(mock: MockProcess) -> None:
    mock.control("reset", {})
    mock.control("scenario", {"users": {p.email: {"password": PASSWORD} for p in FAMILY}})


def login_all(binary: str, config: Path) -> None:
    for p in FAMILY:
        result = subprocess.run([binary, "login", "--email", p.email, "--config", str(config)],
                                input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            fail(f"login of {p.email} failed", result.stdout + result.stderr)


def check_uploaded(run_output: str, returncode: int, backup: Path, history: int, pending: int) -> None:
    if returncode != 0 or f"{pending} uploaded, 0 parked" not in run_output:
        fail(f"upload did not upload {pending} rows", run_output)
    if "duplicate" in run_output:
        fail("Garmin answered 'duplicate': the mock already held a row, so this was not a first upload",
             run_output)
    statuses = [line.split(";", 1)[0] for line in backup.read_text().splitlines()[1:]]
    if statuses.count("uploaded") != history + pending or len(statuses) != history + pending:
        fail(f"the backup does not hold {history + pending} uploaded rows after the upload", run_output)


def measure_upload(binary: str, mock: MockProcess, base: Path, history: list[str], pending: int, repeat: int,
                   rng: random.Random) -> tuple[Run, IoFigures]:
    """`repeat` timed uploads, then one under strace; each of other pending rows (a week apart, so
    other FIT bytes: the mock accepts each, none is a duplicate)."""
    reset_mock(mock)  # every size starts from an empty Garmin: no 409 for a row another size sent
    state = base / "state"
    state.mkdir(parents=True)
    backup = state / "miscale_backup.csv"
    config = write_config(base / "ble2garmin.toml", state, garmin_toml(mock))
    login_all(binary, config)
    first = HISTORY_END + 3600
    runs = []
    for attempt in range(repeat):
        write_backup(backup, history, pending_rows(pending, first + attempt * 7 * 86400, rng))
        run = measure([binary, "upload", "--config", str(config)], base)
        check_uploaded(run.output, run.returncode, backup, len(history), pending)
        runs.append(run)
    write_backup(backup, history, pending_rows(pending, first + repeat * 7 * 86400, rng))
    trace = base / "strace.txt"
    out = subprocess.run(["strace", "-f", "-qq", "-y", "-s", "0", "-e", "signal=none", "-o", str(trace),
                          "-e", "trace=openat,read,pread64,readv,write,pwrite64,writev,pwritev,pwritev2,"
                                "rename,renameat,renameat2",
                          binary, "upload", "--config", str(config)],
                         capture_output=True, text=True, timeout=600)
    check_uploaded(out.stdout + out.stderr, out.returncode, backup, len(history), pending)
    figures = parse_strace(trace.read_text(errors="replace"))
    trace.unlink()
    return median_run(runs), figures


# ---------------------------------------------------------------------------------- 4. export2garmin

# What miscale_export.py does with the file (export2garmin-compat.md §1.3, §4): a new interpreter
# opens user/miscale_backup.csv, reads it with csv.reader(delimiter=';') and stops at the first
# row whose status is failed or to_import (export2garmin appends new rows, so: after the history).
EQUIVALENT = """
import csv, sys
with open(sys.argv[1], 'r') as csv_file:
    for row in csv.reader(csv_file, delimiter=';'):
        if str(row[0]) in ["failed", "to_import"]:
            found = (int(row[1]), float(row[2]), float(row[3]))
            break
print(found)
"""

# Stands in for the garminconnect package: every name is a do-nothing class, so the export script
# runs to its end without a network or tokens.
GARMINCONNECT_STUB = """
class _Anything(Exception):
    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


Garmin = _Anything


def __getattr__(name):
    return _Anything
"""


def export2garmin_tree(source: Path, root: Path, backup_template: Path) -> Path:
    """A scratch copy of an export2garmin checkout (its miscale/*.py) with our family as users."""
    tree = root / "export2garmin"
    (tree / "miscale").mkdir(parents=True)
    for script in (source / "miscale").glob("*.py"):
        shutil.copy(script, tree / "miscale" / script.name)
    user = tree / "user"
    user.mkdir()
    shutil.copyfile(backup_template, user / "miscale_backup.csv")
    lines = ["switch_miscale=on"]
    for i, p in enumerate(FAMILY, 1):
        lines.append(f'miscale_export_user{i}=("{p.sex}", {p.height_cm}, "{p.born.strftime("%d-%m-%Y")}", '
                     f'"{p.email}", {p.max_kg}, {p.min_kg})')
        (user / p.email).write_text("{}\n")  # the token store it opens (a file in v3.0, a folder later)
    (user / "export2garmin.cfg").write_text("\n".join(lines) + "\n")
    stub = root / "stub" / "garminconnect"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(GARMINCONNECT_STUB)
    return tree


def export2garmin_version(source: Path) -> str:
    text = (source / "miscale" / "miscale_export.py").read_text(errors="replace")
    found = re.search(r"Export 2 Garmin Connect (v[\d.]+)", text)
    return found.group(1) if found else "unknown version"


def measure_export2garmin(source: Path | None, base: Path, backup_template: Path,
                          repeat: int) -> tuple[Run, Run | None]:
    base.mkdir(parents=True)
    equivalent = median_run([measure([PYTHON, "-c", EQUIVALENT, str(backup_template)], base) for _ in range(repeat)])
    if equivalent.returncode != 0:
        fail("the export2garmin equivalent failed", equivalent.output)
    if source is None:
        return equivalent, None
    tree = export2garmin_tree(source, base, backup_template)
    env = dict(os.environ, PYTHONPATH=str(base / "stub"), PYTHONDONTWRITEBYTECODE="1")
    runs = [measure([PYTHON, str(tree / "miscale" / "miscale_export.py")], base, env=env, cwd=tree)
            for _ in range(repeat)]
    real = median_run(runs)
    if real.returncode != 0 or "MISCALE * Import data:" not in real.output:
        fail("export2garmin's miscale_export.py did not read a pending row", real.output)
    return equivalent, real


# ------------------------------------------------------------------------------------------- report

def mb(kib: int) -> str:
    return f"{kib / 1024:.1f} MB"


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def cpu_text(run: Run) -> str:
    return f"{run.cpu:.3f} s ({run.user:.3f} + {run.sys:.3f})"


def build_type(binary: Path) -> str:
    for folder in [binary.parent, *binary.parents]:
        cache = folder / "CMakeCache.txt"
        if cache.is_file():
            found = re.search(r"^CMAKE_BUILD_TYPE:STRING=(.*)$", cache.read_text(errors="replace"), re.M)
            return (found.group(1) or "no build type") if found else "unknown build type"
    return "unknown build type"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--binary", default=str(REPO / "build" / "gcc" / "src" / "ble2garmin"),
                        help="the ble2garmin executable (default: %(default)s)")
    parser.add_argument("--sizes", default="0,10000,100000",
                        help="history sizes in rows, comma-separated (default: %(default)s)")
    parser.add_argument("--pending", type=int, default=20, help="pending rows to upload (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per figure, the median is shown (default: %(default)s)")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds the daemon idles after READY=1 before its memory is read (default: %(default)s)")
    parser.add_argument("--export2garmin", type=Path, metavar="DIR",
                        help="a local export2garmin checkout: also time its own miscale/miscale_export.py")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated history")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    args = parser.parse_args()

    binary = Path(args.binary).resolve()
    if not os.access(binary, os.X_OK):
        parser.error(f"{binary} is not an executable; build it or pass --binary")
    for tool in (GNU_TIME, shutil.which("strace") or "/usr/bin/strace", PYTHON):
        if not os.access(tool, os.X_OK):
            parser.error(f"{tool} is needed")
    if args.export2garmin and not (args.export2garmin / "miscale" / "miscale_export.py").is_file():
        parser.error(f"{args.export2garmin}/miscale/miscale_export.py does not exist")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    pending = args.pending
    if pending < 1:
        parser.error("--pending must be at least 1")

    began = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="ble2garmin-history-"))
    results = {}
    mock = None
    bluez = None
    try:
        mock = MockProcess(root / "no-fitcheck")  # no @garmin/fitsdk decoding: keeps the mock quick
        bluez = FakeBluez(workdir=root / "bus").start()
        bluez.add_adapter("hci0")
        for size in sizes:
            log(f"== {size} history rows")
            base = root / f"history-{size}"
            base.mkdir()
            history = history_rows(size, random.Random(args.seed))
            rng = random.Random(args.seed + 1)
            first_pending = HISTORY_END + 3600
            daemon_file = base / "backup-daemon.csv"
            write_backup(daemon_file, history, pending_rows(DAEMON_PENDING, first_pending, rng))
            empty_file = base / "backup-0-pending.csv"
            write_backup(empty_file, history, [])
            pending_file = base / f"backup-{pending}-pending.csv"
            file_bytes = write_backup(pending_file, history, pending_rows(pending, first_pending, rng))
            figures = {"file_bytes": file_bytes}

            log("   daemon start-up")
            figures["daemon"] = measure_daemon(str(binary), bluez, base / "daemon", daemon_file, args.repeat,
                                               args.settle)
            log("   upload --dry-run")
            figures["dry0"] = measure_dry_run(str(binary), base / "dry-0", empty_file, 0, args.repeat)
            figures["dryN"] = measure_dry_run(str(binary), base / f"dry-{pending}", pending_file, pending,
                                              args.repeat)
            log("   upload to the Garmin mock")
            figures["upload"], figures["io"] = measure_upload(str(binary), mock, base / "upload", history, pending,
                                                              args.repeat, random.Random(args.seed + 2))
            log("   export2garmin")
            figures["e2g_equivalent"], figures["e2g"] = measure_export2garmin(
                args.export2garmin, base / "export2garmin", pending_file, args.repeat)
            results[size] = figures
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
        python_start = median_run([measure([PYTHON, "-c", "pass"], root) for _ in range(args.repeat)])
    finally:
        if bluez:
            bluez.stop()
        if mock:
            mock.stop()
        if args.keep:
            log(f"scratch folder kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    # ---- the table
    columns = [f"{size:,} rows" for size in sizes]
    print("| figure | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(sizes))

    def row(label: str, cell) -> None:
        print(f"| {label} | " + " | ".join(cell(results[size]) for size in sizes) + " |")

    row(f"miscale_backup.csv size (history + {pending} pending)", lambda f: f"{f['file_bytes'] / 1e6:.2f} MB")
    row("`run`: time from exec to READY=1", lambda f: seconds(f["daemon"].ready_s))
    row("`run`: CPU time until READY=1", lambda f: f"{f['daemon'].cpu_to_ready_s:.2f} s")
    row("`run`: RSS idle after READY (peak VmHWM)", lambda f: f"{mb(f['daemon'].rss_kb)} ({mb(f['daemon'].hwm_kb)})")
    row("`upload --dry-run`, 0 pending: wall", lambda f: seconds(f["dry0"].wall))
    row("`upload --dry-run`, 0 pending: CPU user+sys", lambda f: cpu_text(f["dry0"]))
    row("`upload --dry-run`, 0 pending: peak RSS", lambda f: mb(f["dry0"].maxrss_kb))
    row(f"`upload --dry-run`, {pending} pending: wall", lambda f: seconds(f["dryN"].wall))
    row(f"`upload --dry-run`, {pending} pending: CPU user+sys", lambda f: cpu_text(f["dryN"]))
    row(f"`upload --dry-run`, {pending} pending: peak RSS", lambda f: mb(f["dryN"].maxrss_kb))
    row(f"`upload` of {pending} rows to the mock: wall", lambda f: seconds(f["upload"].wall))
    row(f"`upload` of {pending} rows: CPU user+sys", lambda f: cpu_text(f["upload"]))
    row(f"`upload` of {pending} rows: peak RSS", lambda f: mb(f["upload"].maxrss_kb))
    row(f"`upload` of {pending} rows: rewrites of miscale_backup.csv (renames)", lambda f: str(f["io"].renames))
    row(f"`upload` of {pending} rows: bytes written to miscale_backup.csv (+ temp files)",
        lambda f: f"{f['io'].written / 1e6:.2f} MB")
    row(f"`upload` of {pending} rows: bytes read from miscale_backup.csv (opens)",
        lambda f: f"{f['io'].read_bytes / 1e6:.2f} MB ({f['io'].opens})")
    row("export2garmin-equivalent read (new python3, csv.reader to the first pending row): wall",
        lambda f: seconds(f["e2g_equivalent"].wall))
    row("export2garmin-equivalent read: CPU user+sys", lambda f: cpu_text(f["e2g_equivalent"]))
    row("export2garmin-equivalent read: peak RSS", lambda f: mb(f["e2g_equivalent"].maxrss_kb))
    if args.export2garmin:
        version = export2garmin_version(args.export2garmin)
        row(f"export2garmin `miscale_export.py` {version} (stub garminconnect): wall", lambda f: seconds(f["e2g"].wall))
        row(f"export2garmin `miscale_export.py` {version}: CPU user+sys", lambda f: cpu_text(f["e2g"]))
        row(f"export2garmin `miscale_export.py` {version}: peak RSS", lambda f: mb(f["e2g"].maxrss_kb))

    # ---- how it was measured
    other = {}
    for size in sizes:
        for name, value in results[size]["io"].other_files.items():
            other.setdefault(name, []).append(f"{value / 1e3:.1f} kB")
    print()
    print(f"{dt.date.today().isoformat()}, {binary.name} ({build_type(binary)}), {cpu_model()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()} at {PYTHON}; "
          f"median of {args.repeat} runs per figure, scratch files on {tempfile.gettempdir()}.")
    print(f"History: `uploaded` rows of a family of four (export2garmin's 24-field layout, the oldest 1% "
          f"in the 19-field pre-v3 layout), up to 20 years; the daemon's file adds {DAEMON_PENDING} "
          f"`to_import` rows, the upload files {pending}. The daemon runs against the simulated bluetoothd "
          f"with Garmin off; READY=1 is the sd_notify datagram, RSS is read {args.settle:g} s later. "
          f"CPU is user + system time of the process (wait4); peak RSS is its ru_maxrss. The upload goes to "
          f"the Garmin mock over verified TLS, four accounts, read-back on (verify_uploads); rewrites and "
          f"bytes come from a second upload of {pending} other rows under `strace -f -y`.")
    if other:
        print("Other files written by that upload: " + "; ".join(
            f"{name} {' / '.join(values)}" for name, values in sorted(other.items())) + ".")
    print(f"A python3 start-up alone (`python3 -c pass`): {seconds(python_start.wall)} wall, "
          f"{python_start.cpu:.3f} s CPU, {mb(python_start.maxrss_kb)} peak RSS.")
    if args.export2garmin:
        print(f"export2garmin: its own `miscale/miscale_export.py` ({export2garmin_version(args.export2garmin)}, "
              f"from {args.export2garmin}) with a stub `garminconnect` (the package's import and the "
              f"upload are not included); export2garmin runs it once per pending row. The "
              f"equivalent row is a minimal re-statement of its CSV read, not export2garmin's code.")
    else:
        print("export2garmin: NOT its own code — a minimal equivalent of what `miscale/miscale_export.py` "
              "does with the file (new python3, csv.reader with ';', stop at the first failed/to_import "
              "row); pass --export2garmin DIR to time the real script too.")
    log(f"done in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
