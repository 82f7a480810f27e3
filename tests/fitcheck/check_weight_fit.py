#!/usr/bin/env python3
"""Decodes ble2garmin's weight-scale FIT files with Garmin's official SDK (@garmin/fitsdk).

Usage: check_weight_fit.py PATH/TO/write_weight_fit

For body-composition.md §8 vector 1 (male, 172 cm, 40 y, 55.2 kg, 508 Ohm, measured 2024-07-15T20:50:54Z)
and its weight-only variant: writes the file, decodes it with `node decode.mjs`, and compares the values
with the ones computed by hand below. A copy with one flipped byte must fail to decode (exit 1).
Runs `npm ci` in this folder when node_modules is missing. Exit 77 (CTest: skipped) without node.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = 77

MEASURED_UNIX = 1721076654
MEASURED_ISO = "2024-07-15T20:50:54.000Z"

# Vector 1 at full precision (body-composition.md §8), rounded to nearest at the FIT scale, then
# scaled back as the decoder does. Upstream truncates; where that differs the upstream value is noted.
EXPECTED_FULL = {
    "timestamp": MEASURED_ISO,
    "weight": 55.2,  # 5520
    "percentFat": 10.76,  # 10.761790… × 100 = 1076.18 -> 1076
    "percentHydration": 61.22,  # 61.217411… × 100 = 6121.74 -> 6122 (upstream 61.21)
    "boneMass": 2.55,  # 2.553752… × 100 = 255.38 -> 255
    "muscleMass": 46.71,  # 46.705738… × 100 = 4670.57 -> 4671 (upstream 46.7)
    "basalMet": 1217.25,  # 1217.2512 × 4 = 4869.0048 -> 4869
    "physiqueRating": 7,
    "metabolicAge": 19,  # 19.29382 -> 19
    "visceralFatRating": 4,  # 4.3904 -> 4
    "bmi": 18.7,  # 18.658734… × 10 = 186.59 -> 187 (upstream 18.6)
}
# Without impedance only the weight-based values exist.
EXPECTED_WEIGHT_ONLY = {
    key: EXPECTED_FULL[key] for key in ("timestamp", "weight", "basalMet", "visceralFatRating", "bmi")
}
# Never written with a value (export2garmin sends neither).
ALWAYS_ABSENT = ("visceralFatMass", "activeMet")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def same(actual, expected):
    if isinstance(expected, float):
        return isinstance(actual, (int, float)) and math.isclose(actual, expected, rel_tol=0, abs_tol=1e-9)
    return actual == expected


def ensure_node_modules():
    if os.path.isdir(os.path.join(HERE, "node_modules", "@garmin", "fitsdk")):
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install @garmin/fitsdk (node_modules is missing)")
    print("node_modules missing: running npm ci in", HERE, flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def write_file(writer, path, *inputs):
    subprocess.run([writer, path, str(MEASURED_UNIX), *inputs], check=True)
    with open(path, "rb") as f:
        return f.read()


def decode(node, path):
    return subprocess.run([node, os.path.join(HERE, "decode.mjs"), path], capture_output=True, text=True)


def check_file(node, writer, directory, name, inputs, expected):
    path = os.path.join(directory, name + ".fit")
    data = write_file(writer, path, *inputs)
    # Our header: 14 bytes, protocol 1.0, profile 21217, ".FIT".
    check(data[0] == 14 and data[1] == 0x10, f"{name}: header size/protocol {data[:2].hex()}")
    check(int.from_bytes(data[2:4], "little") == 21217, f"{name}: profile version {data[2:4].hex()}")
    check(data[8:12] == b".FIT", f"{name}: data type {data[8:12]!r}")

    result = decode(node, path)
    if result.returncode != 0:
        failures.append(f"{name}: decode failed ({result.returncode}): {result.stderr.strip()}")
        return
    messages = json.loads(result.stdout)

    file_ids = messages.get("fileIdMesgs", [])
    check(len(file_ids) == 1, f"{name}: {len(file_ids)} file_id messages")
    if file_ids:
        check(file_ids[0].get("type") == "weight", f"{name}: file_id.type {file_ids[0].get('type')!r}")
        check(file_ids[0].get("manufacturer") == "development",
              f"{name}: file_id.manufacturer {file_ids[0].get('manufacturer')!r}")
        check(file_ids[0].get("timeCreated") == MEASURED_ISO,
              f"{name}: file_id.timeCreated {file_ids[0].get('timeCreated')!r}")
    check(len(messages.get("fileCreatorMesgs", [])) == 1, f"{name}: file_creator missing")
    devices = messages.get("deviceInfoMesgs", [])
    check(len(devices) == 1 and devices[0].get("timestamp") == MEASURED_ISO, f"{name}: device_info {devices!r}")

    weights = messages.get("weightScaleMesgs", [])
    check(len(weights) == 1, f"{name}: {len(weights)} weight_scale messages")
    if weights:
        weight = weights[0]
        for key, value in expected.items():
            check(same(weight.get(key), value), f"{name}: weight_scale.{key} = {weight.get(key)!r}, expected {value!r}")
        for key in weight:
            check(key in expected, f"{name}: weight_scale.{key} = {weight[key]!r} should be invalid (absent)")
        for key in ALWAYS_ABSENT:
            check(key not in weight, f"{name}: weight_scale.{key} present")

    # One flipped bit in a record byte (the middle of the file) must fail the file CRC.
    corrupt = bytearray(data)
    corrupt[len(corrupt) // 2] ^= 0x01
    corrupt_path = os.path.join(directory, name + "-corrupt.fit")
    with open(corrupt_path, "wb") as f:
        f.write(corrupt)
    result = decode(node, corrupt_path)
    check(result.returncode == 1, f"{name}: corrupted copy decoded with exit {result.returncode}")

    # And so must a flipped bit in the header (its own CRC guards it).
    corrupt = bytearray(data)
    corrupt[3] ^= 0x01
    with open(corrupt_path, "wb") as f:
        f.write(corrupt)
    result = decode(node, corrupt_path)
    check(result.returncode == 1, f"{name}: copy with corrupted header decoded with exit {result.returncode}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    writer = sys.argv[1]
    node = shutil.which("node")
    if node is None:
        print("node not found: skipping the @garmin/fitsdk check")
        return SKIPPED
    ensure_node_modules()
    with tempfile.TemporaryDirectory(prefix="fitcheck-") as directory:
        check_file(node, writer, directory, "vector1", ["male", "172", "40", "55.2", "508"], EXPECTED_FULL)
        check_file(node, writer, directory, "vector1-weight-only", ["male", "172", "40", "55.2"], EXPECTED_WEIGHT_ONLY)
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print("ok: @garmin/fitsdk decodes both files as expected and rejects the corrupted copies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
