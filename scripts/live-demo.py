#!/usr/bin/python3
"""The live daemon without hardware: starts a simulated bluetoothd (a private system bus with
python-dbusmock's bluez5 template, tests/integration/fake_bluez.py), runs the real
`ble2garmin run` against it with the demo configuration (data/demo/demo.toml), plays the recorded
morning at a Mi Body Composition Scale 2 (data/demo/morning.replay) the way bluetoothd emits it
— with the scale clock moved to today and the pauses shortened — then stops the daemon with
SIGTERM and prints the CSV backup it wrote.

    scripts/live-demo.py BINARY [--output DIR]
"""
import argparse
import datetime
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from fake_bluez import FakeBluez, wait_until  # noqa: E402


def parse_session(path):
    """(receive time, address, uuid16, payload bytes) per line of a replay file."""
    for line in path.read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 4:
            when = datetime.datetime.fromisoformat(words[0].replace("Z", "+00:00"))
            yield when, words[1], int(words[2], 16), bytes.fromhex(words[3])


def move_scale_clock(payload, shift):
    """A 13-byte Mi Scale 2 frame with its clock (bytes 2-8, UTC) moved by `shift`."""
    if len(payload) != 13:
        return payload
    year = payload[2] | payload[3] << 8
    clock = datetime.datetime(year, *payload[4:9], tzinfo=datetime.timezone.utc) + shift
    fields = bytes([clock.year & 0xFF, clock.year >> 8, clock.month, clock.day, clock.hour, clock.minute,
                    clock.second])
    return payload[:2] + fields + payload[9:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--output", default="ble2garmin-demo")
    args = parser.parse_args()

    state = Path(args.output).resolve()
    state.mkdir(parents=True, exist_ok=True)
    for name in ("miscale_backup.csv", "seen_readings.tsv"):
        (state / name).unlink(missing_ok=True)
    config = state / "ble2garmin.toml"
    # The morning is played in seconds, so the scale clock runs up to 20 minutes ahead of the
    # receive time; a wider tolerance keeps the scale's own times in the backup.
    config.write_text(f'[general]\nstate_directory = "{state}"\n\n[pipeline]\nscale_clock_tolerance_seconds = 3600\n\n'
                      + (ROOT / "data/demo/demo.toml").read_text())
    session = list(parse_session(ROOT / "data/demo/morning.replay"))
    first = session[0][0]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

    print("Simulated bluetoothd on a private system bus; starting `ble2garmin run`:\n", flush=True)
    with FakeBluez() as bluez:
        bluez.add_adapter("hci0")
        daemon = subprocess.Popen([args.binary, "run", "--config", str(config)], env=bluez.env())
        try:
            time.sleep(0.5)
            previous = first
            for when, address, uuid16, payload in session:
                time.sleep(min((when - previous).total_seconds(), 1.0) * 0.3)
                previous = when
                frame = move_scale_clock(payload, now - first).hex()
                if bluez.device_exists("hci0", address):
                    bluez.set_service_data("hci0", address, uuid16, frame)
                else:
                    bluez.emit_device_added("hci0", address, alias="MIBFS", service_data={uuid16: frame})
            time.sleep(0.5)
        finally:
            daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(timeout=5)
    csv = state / "miscale_backup.csv"
    print(f"\n{csv} (export2garmin format):")
    print(csv.read_text() if csv.exists() else "(missing)")
    return code


if __name__ == "__main__":
    sys.exit(main())
