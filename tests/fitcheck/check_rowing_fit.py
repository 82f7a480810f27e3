#!/usr/bin/env python3
"""Decodes ble2garmin's rowing FIT activities with Garmin's official SDK (@garmin/fitsdk).

Usage: check_rowing_fit.py PATH/TO/ble2garmin

Converts two TCX files with `ble2garmin rowing convert` and checks what the independent decoder reads:
- tests/data/rowing/coxswain_10k.tcx, the real Coxswain session: the issue's acceptance (20 laps of
  19 x 500 m and 499 m summing to 9,999 m, strokes = the TCX's Steps, timer time = its TotalTimeSeconds)
  and the averages/maxima, computed here from the TCX with Python's own XML parser;
- tests/data/rowing/other_app.tcx, written by hand (other prefixes and order, no extensions): values
  computed by hand from its description (tests/data/rowing/README.md).
A copy with one flipped byte must fail to decode. Exit 77 (CTest: skipped) without node.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "rowing")
SKIPPED = 77
TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
AX = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def close(actual, expected, tolerance):
    return isinstance(actual, (int, float)) and math.isclose(actual, expected, rel_tol=0, abs_tol=tolerance)


def ensure_node_modules():
    if os.path.isdir(os.path.join(HERE, "node_modules", "@garmin", "fitsdk")):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install @garmin/fitsdk (node_modules is missing)")
    print("node_modules missing: running npm ci in", HERE, flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def decode(node, path):
    return subprocess.run([node, os.path.join(HERE, "decode.mjs"), path], capture_output=True, text=True)


def convert(binary, tcx, fit):
    result = subprocess.run([binary, "rowing", "convert", tcx, "-o", fit], capture_output=True, text=True)
    if result.returncode != 0:
        failures.append(f"{os.path.basename(tcx)}: convert exit {result.returncode}: {result.stderr.strip()}")
        return False
    return True


def coxswain_expected(path):
    """Session values from the TCX itself (Python's XML parser, independent of src/rowing)."""
    root = ET.parse(path).getroot()
    lap = root.find(f"{TCX}Activities/{TCX}Activity/{TCX}Lap")
    points = lap.findall(f"{TCX}Track/{TCX}Trackpoint")
    heart = [int(p.find(f"{TCX}HeartRateBpm/{TCX}Value").text) for p in points]
    heart = [h for h in heart if h > 0]
    cadence = [int(p.find(f"{TCX}Cadence").text) for p in points]
    speed = [float(p.find(f"{TCX}Extensions/{AX}TPX/{AX}Speed").text) for p in points]
    watts = [int(p.find(f"{TCX}Extensions/{AX}TPX/{AX}Watts").text) for p in points]
    rowing = [c for c in cadence if c > 0]
    timer = float(lap.find(f"{TCX}TotalTimeSeconds").text)
    distance = float(lap.find(f"{TCX}DistanceMeters").text)
    return {
        "records": len(points),
        "totalTimerTime": timer,
        "totalElapsedTime": timer,
        "totalDistance": distance,
        "totalStrokes": int(lap.find(f"{TCX}Extensions/{AX}LX/{AX}Steps").text),
        "totalCalories": int(lap.find(f"{TCX}Calories").text),
        "avgHeartRate": round(sum(heart) / len(heart)),
        "maxHeartRate": max(heart),
        "minHeartRate": min(heart),
        "avgCadence": round(sum(rowing) / len(rowing)),
        "maxCadence": max(cadence),
        "avgPower": round(sum(watts) / len(watts)),
        "maxPower": max(watts),
        "maxSpeed": max(max(speed), distance / timer),  # never below the average (docs/rowing.md)
        "avgSpeed": distance / timer,
        # 9,999 m by 500 m: 19 whole laps and 499 m.
        "laps": [500.0] * 19 + [499.0],
    }


# other_app.tcx by hand: 1,200 m at 4 m/s in 300 s, points every 30 s, HR 100 + 10 i, cadence 24 (0 at
# i = 0). Laps at 500 m (125 s) and 1,000 m (250 s); calories by the Concept2 formula at 2.8 x 4^3 W.
OTHER_APP = {
    "records": 11,
    "totalTimerTime": 300.0,
    "totalElapsedTime": 300.0,
    "totalDistance": 1200.0,
    "totalStrokes": 108,
    "totalCalories": 76,
    "avgHeartRate": 150,
    "maxHeartRate": 200,
    "minHeartRate": 100,
    "avgCadence": 24,
    "maxCadence": 24,
    "avgSpeed": 4.0,
    "laps": [500.0, 500.0, 200.0],
    "lapTimes": [125.0, 125.0, 50.0],
    "lapStrokes": [48, 48, 12],
}


def check_file(node, binary, directory, name, expected):
    tcx = os.path.join(DATA, name + ".tcx")
    fit = os.path.join(directory, name + ".fit")
    if not convert(binary, tcx, fit):
        return
    result = decode(node, fit)
    if result.returncode != 0:
        failures.append(f"{name}: decode failed ({result.returncode}): {result.stderr.strip()}")
        return
    m = json.loads(result.stdout)

    file_ids = m.get("fileIdMesgs", [])
    check(len(file_ids) == 1 and file_ids[0].get("type") == "activity", f"{name}: file_id {file_ids!r}")
    check(len(m.get("deviceInfoMesgs", [])) == 1, f"{name}: device_info missing")
    events = [(e.get("event"), e.get("eventType")) for e in m.get("eventMesgs", [])]
    check(events == [("timer", "start"), ("timer", "stopAll")], f"{name}: events {events!r}")
    records = m.get("recordMesgs", [])
    check(len(records) == expected["records"], f"{name}: {len(records)} records")
    check(all("positionLat" not in r and "positionLong" not in r for r in records), f"{name}: records have positions")
    distances = [r.get("distance") for r in records if "distance" in r]
    check(distances == sorted(distances), f"{name}: record distances fall")

    sessions = m.get("sessionMesgs", [])
    check(len(sessions) == 1, f"{name}: {len(sessions)} sessions")
    if not sessions:
        return
    session = sessions[0]
    check(session.get("sport") == "rowing" and session.get("subSport") == "indoorRowing",
          f"{name}: sport {session.get('sport')!r}/{session.get('subSport')!r}")
    for key in ("totalTimerTime", "totalElapsedTime", "totalDistance", "avgSpeed", "maxSpeed"):
        if key in expected:
            check(close(session.get(key), expected[key], 0.0015), f"{name}: session.{key} = {session.get(key)!r}, expected {expected[key]!r}")
    for key in ("totalStrokes", "totalCalories", "avgHeartRate", "maxHeartRate", "minHeartRate", "avgCadence",
                "maxCadence", "avgPower", "maxPower"):
        if key in expected:
            actual = session.get(key)
            if key == "totalStrokes" and actual is None:
                actual = session.get("totalCycles")
            if key == "avgCadence" and actual is None:
                actual = session.get("avgPaddlesportCadence")
            check(actual == expected[key], f"{name}: session.{key} = {actual!r}, expected {expected[key]!r}")

    laps = m.get("lapMesgs", [])
    check(session.get("numLaps") == len(laps), f"{name}: numLaps {session.get('numLaps')} vs {len(laps)} laps")
    lap_distances = [lap.get("totalDistance") for lap in laps]
    check(lap_distances == expected["laps"], f"{name}: lap distances {lap_distances!r}")
    # Laps add up exactly (in the file's units) to the session.
    check(round(sum(d * 100 for d in lap_distances)) == round(session.get("totalDistance", 0) * 100),
          f"{name}: lap distances sum {sum(lap_distances)} != session {session.get('totalDistance')}")
    lap_times = [lap.get("totalTimerTime") for lap in laps]
    check(round(sum(t * 1000 for t in lap_times)) == round(session.get("totalTimerTime", 0) * 1000),
          f"{name}: lap times sum {sum(lap_times)} != session {session.get('totalTimerTime')}")
    if "lapTimes" in expected:
        check(lap_times == expected["lapTimes"], f"{name}: lap times {lap_times!r}")
    lap_strokes = [lap.get("totalStrokes", lap.get("totalCycles")) for lap in laps]
    check(sum(lap_strokes) == expected["totalStrokes"], f"{name}: lap strokes {lap_strokes!r}")
    if "lapStrokes" in expected:
        check(lap_strokes == expected["lapStrokes"], f"{name}: lap strokes {lap_strokes!r}")
    check(sum(lap.get("totalCalories", 0) for lap in laps) == expected["totalCalories"], f"{name}: lap calories")
    for index, lap in enumerate(laps):
        check(lap.get("sport") == "rowing" and lap.get("event") == "lap" and lap.get("eventType") == "stop",
              f"{name}: lap {index} {lap.get('sport')!r} {lap.get('event')!r} {lap.get('eventType')!r}")
        check(lap.get("messageIndex") == index, f"{name}: lap {index} messageIndex {lap.get('messageIndex')!r}")
    check([lap.get("lapTrigger") for lap in laps] == ["distance"] * (len(laps) - 1) + ["sessionEnd"],
          f"{name}: lap triggers")

    activities = m.get("activityMesgs", [])
    check(len(activities) == 1, f"{name}: {len(activities)} activity messages")
    if activities:
        activity = activities[0]
        check(close(activity.get("totalTimerTime"), expected["totalTimerTime"], 0.0015),
              f"{name}: activity.totalTimerTime = {activity.get('totalTimerTime')!r}")
        check(activity.get("numSessions") == 1, f"{name}: activity.numSessions")

    with open(fit, "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0x01
    corrupt = os.path.join(directory, name + "-corrupt.fit")
    with open(corrupt, "wb") as f:
        f.write(data)
    check(decode(node, corrupt).returncode == 1, f"{name}: corrupted copy decoded")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    node = shutil.which("node")
    if node is None:
        print("node not found: skipping the @garmin/fitsdk check")
        return SKIPPED
    ensure_node_modules()
    with tempfile.TemporaryDirectory(prefix="fitcheck-rowing-") as directory:
        check_file(node, binary, directory, "coxswain_10k", coxswain_expected(os.path.join(DATA, "coxswain_10k.tcx")))
        check_file(node, binary, directory, "other_app", OTHER_APP)
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print("ok: @garmin/fitsdk decodes both rowing activities as expected and rejects the corrupted copies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
