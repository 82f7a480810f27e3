"""`ble2garmin demo` end to end: the README's first command leaves a valid export2garmin CSV.

Expected rows are worked out by hand from data/demo/morning.replay: the scale clock of each
weighing as a Unix time (UTC), the weight raw / 200 rounded to 1 decimal, the impedance.
"""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from daemon_harness import measured

BINARY = sys.argv[1]
HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
          "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
          "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
          "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]")


class DemoTest(unittest.TestCase):
    def test_demo_records_three_weighings_once(self):
        with tempfile.TemporaryDirectory() as output:
            run = subprocess.run([BINARY, "demo", "--output", output], capture_output=True, text=True, timeout=30)
            self.assertEqual(run.returncode, 0, run.stderr)
            lines = Path(output, "miscale_backup.csv").read_text().split("\n")
            self.assertEqual(lines[0], HEADER)
            # Garmin is off in the demo: the users' rows are complete at once.
            self.assertEqual([measured(line) for line in lines[1:]], [
                "local;1795245123;62.0;500",       # Alice, 2026-11-21T07:12:03Z, raw 12400
                "local;1795245612;85.2;428",       # Bob, 07:20:12, raw 17030 = 85.15 kg
                "unassigned;1795246260;40.2;",     # visitor in socks, 07:31:00, raw 8040, no impedance
                "",
            ])
            self.assertIn("3 measurements recorded (1 unassigned)", run.stdout)
            self.assertIn("0 measurements recorded (0 unassigned)", run.stdout)
            self.assertIn("Alice", run.stdout)
            # The garbled frame is logged once per pass, with its reason.
            self.assertEqual(run.stderr.count("payload must be 13 bytes, got 12"), 2, run.stderr)

    def test_demo_twice_starts_fresh(self):
        with tempfile.TemporaryDirectory() as output:
            for _ in range(2):
                run = subprocess.run([BINARY, "demo", "--output", output], capture_output=True, text=True, timeout=30)
                self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(len(Path(output, "miscale_backup.csv").read_text().splitlines()), 4)

    def test_demo_refuses_a_directory_with_a_real_backup(self):
        with tempfile.TemporaryDirectory() as output:
            backup = Path(output, "miscale_backup.csv")
            backup.write_text(HEADER + "\nuploaded;1;precious\n")
            run = subprocess.run([BINARY, "demo", "--output", output], capture_output=True, text=True, timeout=30)
            self.assertEqual(run.returncode, 1)
            self.assertIn("was not written by the demo", run.stderr)
            self.assertEqual(backup.read_text(), HEADER + "\nuploaded;1;precious\n")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
