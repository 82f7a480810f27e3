"""`ble2garmin decode` against the vectors of shared/spec/device-mi-scale.md §8 (copied here)."""
import json
import subprocess
from decimal import ROUND_HALF_UP, Decimal
import sys
import unittest

BINARY = sys.argv[1]
POUND = 0.45359237

# hex, unit, weight_kg, impedance_ohm, stabilized, impedance_present, load_removed, final, timestamp
SCALE2 = [
    ("0226b20705040f0201ac018642", "kg", 85.15, 428, True, True, False, True, "1970-05-04T15:02:01"),
    ("0204b207010112101a0000a852", "kg", 105.8, None, False, False, False, False, "1970-01-01T18:16:26"),
    ("0282b20705040f020100000000", "kg", 0.0, None, False, True, True, False, "1970-05-04T15:02:01"),
    ("0226e607020e10293af7019a38", "kg", 72.45, 503, True, True, False, True, "2022-02-14T16:41:58"),
    ("0224e607020e10293a00009a38", "kg", 72.45, None, True, False, False, True, "2022-02-14T16:41:58"),
    ("0624e607020e10293a0000fc03", "kg", 5.1, None, True, False, False, False, "2022-02-14T16:41:58"),
    ("0326e607020e10293af701f136", "lbs", 140.65 * POUND, 503, True, True, False, True, "2022-02-14T16:41:58"),
    ("0724e607020e10293a0000ce04", "lbs", 12.3 * POUND, None, True, False, False, False, "2022-02-14T16:41:58"),
    ("02a6e607020e10293af7019a38", "kg", 72.45, 503, True, True, True, False, "2022-02-14T16:41:58"),
]
SCALE1 = [
    ("229e43e507040b101301", "kg", 86.55, True, False, True, "2021-04-11T16:19:01"),
    ("a22044b20701010a1a15", "kg", 87.2, True, True, False, "1970-01-01T10:26:21"),
    ("821400e507040b101708", "kg", 0.1, False, True, False, "2021-04-11T16:23:08"),
    ("223e30e607020e10293a", "kg", 61.75, True, False, True, "2022-02-14T16:41:58"),
    ("627607e607020e10293a", "kg", 9.55, True, False, False, "2022-02-14T16:41:58"),
    ("237233e607020e10293a", "lbs", 131.7 * POUND, True, False, True, "2022-02-14T16:41:58"),
    ("637607e607020e10293a", "lbs", 19.1 * POUND, True, False, False, "2022-02-14T16:41:58"),
]


def recorded(unit, kg):
    """The recorded weight: the exact value (Decimal, from the display units) half-up to 0.1 kg."""
    if unit == "lbs":
        exact = Decimal(repr(round(kg / POUND, 2))) * Decimal("0.45359237")
    else:
        exact = Decimal(repr(round(kg, 3)))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def decode(*args):
    return subprocess.run([BINARY, "decode", *args], capture_output=True, text=True, timeout=10)


class DecodeCliTest(unittest.TestCase):
    def test_scale2_vectors(self):
        for hexa, unit, kg, ohm, stable, imp, removed, final, stamp in SCALE2:
            with self.subTest(hexa=hexa):
                run = decode("mi_scale2", hexa, "--json")
                self.assertEqual(run.returncode, 0, run.stderr)
                out = json.loads(run.stdout)
                self.assertEqual(out["unit"], unit)
                self.assertAlmostEqual(out["weight_kg"], kg, places=9)
                self.assertEqual(out["recorded_weight_kg"], recorded(unit, kg))
                self.assertEqual(out["impedance_ohm"], ohm)
                self.assertEqual(out["stabilized"], stable)
                self.assertEqual(out["impedance_present"], imp)
                self.assertEqual(out["load_removed"], removed)
                self.assertEqual(out["final"], final)
                self.assertEqual(out["timestamp"], stamp)

    def test_scale1_vectors(self):
        for hexa, unit, kg, stable, removed, final, stamp in SCALE1:
            with self.subTest(hexa=hexa):
                run = decode("mi_scale1", hexa, "--json")
                self.assertEqual(run.returncode, 0, run.stderr)
                out = json.loads(run.stdout)
                self.assertEqual(out["unit"], unit)
                self.assertAlmostEqual(out["weight_kg"], kg, places=9)
                self.assertEqual(out["recorded_weight_kg"], recorded(unit, kg))
                self.assertIsNone(out["impedance_ohm"])
                self.assertEqual(out["stabilized"], stable)
                self.assertEqual(out["load_removed"], removed)
                self.assertEqual(out["final"], final)
                self.assertEqual(out["timestamp"], stamp)

    def test_failures_exit_1_with_one_line(self):
        for args in (["mi_scale2", "0226b2"], ["mi_scale2", "0226zz"], ["mi_scale1", "0226b20705040f0201ac018642"],
                     ["no_such_scale", "00"]):
            with self.subTest(args=args):
                run = decode(*args)
                self.assertEqual(run.returncode, 1)
                self.assertEqual(run.stdout, "")
                self.assertEqual(len(run.stderr.strip().splitlines()), 1, run.stderr)

    # shared/spec/device-omron.md §10: one vector per record family (real records where the spec has
    # them), the values as the spec decodes them.
    OMRON = [
        ("hem-7322t", "4f611642244a155c00638d809457", 122, 79, 66, 0, 0, "2022-09-02T10:21:28"),
        ("hem-7600t", "5b781a4819d71b42000014006996", 145, 91, 72, 0, 0, "2026-06-14T23:45:02"),
        ("hem-7155t", "6558541a331ade1800004c00ba000000", 126, 88, 84, 0, 0, "2026-06-17T19:35:30"),
        ("hem-7155t", "5f504118311e5e0b0000000000000000", 120, 80, 65, 0, 0, "2024-07-17T17:45:30"),
        ("hem-7380t1", "5f504118311e5e0b0000000000000000", 120, 80, 65, 0, 0, "2024-07-17T17:45:30"),
        ("hem-7377t1", "5f504118311e5e0b0000000000010000", 120, 80, 65, 0, 0, "2024-07-17T17:45:30"),
        ("hem-7322t", "505f18411e310b5e000000000000", 120, 80, 65, 0, 0, "2024-07-17T17:45:30"),
        ("hem-7530t", "505fd8411e310b5e000000000000", 120, 80, 65, 0, 0, "2024-07-17T17:45:30"),
        # V = 0x9e31: bit 15 is MOV on the 7322t, IHB on the 6232t (swapped).
        ("hem-7322t", "505f18419e310b5e000000000000", 120, 80, 65, 1, 0, "2024-07-17T17:45:30"),
        ("hem-6232t", "505f18419e310b5e000000000000", 120, 80, 65, 0, 1, "2024-07-17T17:45:30"),
    ]

    def test_omron_record_vectors(self):
        for model, hexa, sys_, dia, pulse, mov, ihb, stamp in self.OMRON:
            with self.subTest(model=model, hexa=hexa):
                run = decode("omron-record", "--model", model, hexa, "--json")
                self.assertEqual(run.returncode, 0, run.stderr)
                out = json.loads(run.stdout)
                self.assertEqual((out["systolic"], out["diastolic"], out["pulse"]), (sys_, dia, pulse))
                self.assertEqual((out["mov"], out["ihb"]), (mov, ihb))
                self.assertEqual(out["timestamp"], stamp)
                self.assertIs(out["empty"], False)
        run = decode("omron-record", "--model", "hem-7322t", "ff" * 14, "--json")
        self.assertEqual(run.returncode, 0, run.stderr)
        out = json.loads(run.stdout)
        self.assertIs(out["empty"], True)
        self.assertIsNone(out["systolic"])

    def test_omron_record_failures_exit_1_with_the_reason(self):
        for args, reason in ((["--model", "hem-7155t", "505f18411e310b5e000000000000"], "16 bytes, not 14"),
                             (["--model", "hem-7322t", "505f18413e310b5e000000000000"], "does not exist"),
                             (["--model", "hem-9999t", "505f18411e310b5e000000000000"], "not a supported cuff"),
                             (["505f18411e310b5e000000000000"], "model")):
            with self.subTest(args=args):
                run = decode("omron-record", *args, "--json")
                self.assertEqual(run.returncode, 1)
                self.assertEqual(run.stdout, "")
                self.assertIn(reason, run.stderr)

    def test_help_on_every_subcommand(self):
        for command in ("decode", "compose", "check-config", "migrate-config", "replay", "demo"):
            with self.subTest(command=command):
                run = subprocess.run([BINARY, command, "--help"], capture_output=True, text=True, timeout=10)
                self.assertEqual(run.returncode, 0, run.stderr)
                self.assertIn("Usage", run.stdout + run.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
