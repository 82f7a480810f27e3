#!/usr/bin/python3
"""Footprint of `ble2garmin run` on a simulated bluetoothd (tests/integration/fake_bluez.py):
resident memory, CPU time and wake-ups while idle, and the latency from the D-Bus signal of a
scale's final advertisement to its fsync'ed CSV row (median and p99 over N weighings).

    bench/footprint.py BINARY [--weighings 200] [--idle-seconds 60]

Run it with a Release build; the figures go into docs/performance.md. The latency is measured
from just before the simulated bluetoothd is asked to emit the PropertiesChanged signal to the
moment the new row is visible in the file, polled every 0.2 ms, so it slightly overstates the
daemon's own time (D-Bus round trips of the simulator included).
"""
import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))
from fake_bluez import FakeBluez, wait_until  # noqa: E402

SCALE = "C8:47:8C:A1:B2:C3"
CONFIG = """
[general]
state_directory = "{state}"
[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
min_weight_kg = 10
max_weight_kg = 200
[devices.mi_scale]
mac = "{scale}"
"""
TICKS = os.sysconf("SC_CLK_TCK")


def frame(control1, when, impedance, raw):
    t = time.gmtime(when)
    return (bytes([0x02, control1]) + struct.pack("<HBBBBB", t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min,
                                                  t.tm_sec) + struct.pack("<HH", impedance, raw)).hex()


def status(pid):
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def cpu_seconds(pid):
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / TICKS  # utime + stime


def wakeups(pid):
    s = status(pid)
    return int(s["voluntary_ctxt_switches"]) + int(s["nonvoluntary_ctxt_switches"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--weighings", type=int, default=200)
    parser.add_argument("--idle-seconds", type=float, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, FakeBluez(workdir=Path(tmp) / "bus") as bluez:
        bluez.add_adapter("hci0")
        state = Path(tmp) / "state"
        config = Path(tmp) / "ble2garmin.toml"
        config.write_text(CONFIG.format(state=state, scale=SCALE))
        log = open(Path(tmp) / "daemon.log", "w")
        daemon = subprocess.Popen([args.binary, "run", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT,
                                  env=bluez.env())
        try:
            csv = state / "miscale_backup.csv"
            wait_until(lambda: "ble2garmin running" in Path(log.name).read_text(), timeout=10, what="daemon start")
            start_rss = status(daemon.pid)["VmRSS"]
            bluez.add_device("hci0", SCALE, "MIBFS", typed=True)

            latencies = []
            base = int(time.time()) - 10 * args.weighings
            for i in range(args.weighings):
                when = base + 10 * i
                raw = 11000 + i  # a different weight each time: a new weighing
                for _ in range(3):  # the scale repeats its stable frame while measuring
                    bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x24, when, 0, raw))
                size = csv.stat().st_size if csv.exists() else 0
                sent = time.perf_counter()
                bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when, 500, raw))
                while not csv.exists() or csv.stat().st_size == size:
                    if time.perf_counter() - sent > 5:
                        raise SystemExit(f"no row for weighing {i}; see {log.name}")
                    time.sleep(0.0002)
                latencies.append(time.perf_counter() - sent)
            rows = len(csv.read_text().splitlines()) - 1
            busy = status(daemon.pid)

            cpu_before, wake_before = cpu_seconds(daemon.pid), wakeups(daemon.pid)
            time.sleep(args.idle_seconds)
            cpu_idle = cpu_seconds(daemon.pid) - cpu_before
            wake_idle = wakeups(daemon.pid) - wake_before
        finally:
            daemon.terminate()
            daemon.wait(timeout=5)
            log.close()

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    print(f"| figure | value |\n|---|---|")
    print(f"| weighings played / CSV rows | {args.weighings} / {rows} |")
    print(f"| RSS after start | {start_rss} |")
    print(f"| RSS after {args.weighings} weighings (peak VmHWM) | {busy['VmRSS']} ({busy['VmHWM']}) |")
    print(f"| latency signal → fsync'ed CSV row, median | {statistics.median(latencies) * 1000:.2f} ms |")
    print(f"| latency signal → fsync'ed CSV row, p99 | {p99 * 1000:.2f} ms |")
    print(f"| CPU time while idle for {args.idle_seconds:.0f} s | {cpu_idle:.2f} s |")
    print(f"| wake-ups (context switches) while idle for {args.idle_seconds:.0f} s | {wake_idle} |")
    return 0 if rows == args.weighings else 1


if __name__ == "__main__":
    sys.exit(main())
