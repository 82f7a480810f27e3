"""`ble2garmin replay` with a user's own config: units, two scales, bad lines, an existing
export2garmin backup with history, and config errors."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from daemon_harness import measured

BINARY = sys.argv[1]
DATA = Path(os.environ["BLE2GARMIN_TEST_DATA"])

CONFIG = """
[general]
state_directory = "{state}"
timezone = "Europe/Warsaw"

[[users]]
name = "ewa"
sex = "female"
height_cm = 165
birth_date = 1990-01-01
min_weight_kg = 55
max_weight_kg = 70

[[users]]
name = "jan"
sex = "male"
height_cm = 180
birth_date = 1980-01-01
garmin_email = "jan@example.com"
min_weight_kg = 80
max_weight_kg = 95

[[devices.mi_scale]]
mac = "AA:BB:CC:DD:EE:01"

[[devices.mi_scale]]
mac = "aa:bb:cc:dd:ee:02"
"""

# Scale 1 (Mi Scale 2, in pounds): 140.65 lb = 63.80 kg at scale clock 2022-02-14T16:41:58Z
# (Unix 1644856918). Scale 2 (v1): 86.55 kg at 2021-04-11T16:19:01Z (Unix 1618157941).
SESSION = """
2022-02-14T16:41:59Z AA:BB:CC:DD:EE:01 181b 0324e607020e10293a0000f136
2022-02-14T16:42:01Z AA:BB:CC:DD:EE:01 181b 0326e607020e10293af701f136
2022-02-14T16:42:02Z AA:BB:CC:DD:EE:01 181b 0326e607020e10293af701f136
this line is not an advertisement
2021-04-11T16:19:02Z AA:BB:CC:DD:EE:02 181d 229e43e507040b101301
2021-04-11T16:19:03Z AA:BB:CC:DD:EE:02 181d 229e43e507040b101301
"""


class ReplayCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.config = self.dir / "ble2garmin.toml"
        self.config.write_text(CONFIG.format(state=self.dir / "state"))
        self.session = self.dir / "session.replay"
        self.session.write_text(SESSION)

    def tearDown(self):
        self.tmp.cleanup()

    def replay(self):
        return subprocess.run([BINARY, "replay", str(self.session), "--config", str(self.config)],
                              capture_output=True, text=True, timeout=30)

    def test_two_scales_units_and_bad_lines(self):
        run = self.replay()
        self.assertEqual(run.returncode, 0, run.stderr)
        rows = (self.dir / "state" / "miscale_backup.csv").read_text().splitlines()[1:]
        # Garmin is off: complete rows at once. Jan's weighing has no impedance, so the columns that
        # need one stay empty. 86.55 kg is recorded half-up as 86.6; BMI 86.6 / 1.80² = 26.7.
        self.assertEqual([measured(row) for row in rows], ["local;1644856918;63.8;503", "local;1618157941;86.6;"])
        self.assertRegex(rows[1], r"^local;1618157941;11\.04\.2021;\d\d:\d\d;86\.6;0\.0;26\.7;;;;;;\d+;;\d+;;"
                                  r"[\d.]+;;;;jan@example\.com;;;$")
        self.assertIn(f"{self.session}:5: skipped:", run.stderr)
        self.assertIn("2 measurements recorded (0 unassigned), 2 duplicates", run.stdout)

    def test_existing_export2garmin_backup_keeps_its_history(self):
        state = self.dir / "state"
        state.mkdir()
        original = (DATA / "export2garmin" / "miscale_backup.csv").read_bytes()
        (state / "miscale_backup.csv").write_bytes(original)
        run = self.replay()
        self.assertEqual(run.returncode, 0, run.stderr)
        after = (state / "miscale_backup.csv").read_bytes()
        self.assertTrue(after.startswith(original if original.endswith(b"\n") else original + b"\n"))
        added = after[len(original):].decode().strip("\n").split("\n")
        self.assertEqual([measured(row) for row in added], ["local;1644856918;63.8;503", "local;1618157941;86.6;"])

    def test_an_s400_weighing_cut_short_by_the_end_of_the_recording_is_recorded(self):
        # shared/spec/device-s400.md §7.1 V1 (69.9 kg, 92 bpm, 543.2 Ω) is the last S400 frame of the
        # recording: its 250 kHz packet never came, so it is recorded alone, dated by its receive time
        # 2025-04-10T02:03:26Z = Unix 1744250606.
        with self.config.open("a") as config:
            config.write('\n[devices.s400]\nmac = "8C:D0:B2:F6:BE:EF"\n'
                         'bindkey = "0728974d657a4b60964c1b1677f35f7c"\n')
        self.session.write_text("2025-04-10T02:03:26Z 8C:D0:B2:F6:BE:EF fe95 "
                                "4859d53b0abc078ff2348c844138e930220000009e538599\n")
        run = self.replay()
        self.assertEqual(run.returncode, 0, run.stderr)
        rows = (self.dir / "state" / "miscale_backup.csv").read_text().splitlines()[1:]
        self.assertEqual([measured(row) for row in rows], ["local;1744250606;69.9;543;;92"])
        self.assertIn("1 measurements recorded (0 unassigned)", run.stdout)
        self.assertIn("(receive time)\n", run.stdout)

    def test_config_error_exits_3_with_position(self):
        self.config.write_text(CONFIG.format(state=self.dir) + "\n[pipeline]\nduplicate_window = 5\n")
        run = self.replay()
        self.assertEqual(run.returncode, 3)
        line = CONFIG.format(state=self.dir).count("\n") + 3
        self.assertIn(f"{self.config}:{line}:1", run.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
