"""Xiaomi S400 through the live daemon: `ble2garmin run` against a simulated bluetoothd (private
system bus, python-dbusmock's bluez5 template) playing the scale's encrypted MiBeacon frames.

Frames, MAC and bindkey are shared/spec/device-s400.md §7.1 V1 (packet A: 69.9 kg, heart rate 92,
543.2 Ω at 50 kHz, profile 1) and V2 (packet B: 497.6 Ω at 250 kHz) of one weighing. The expected
row is export2garmin's S400 layout worked out by hand: weight 69.9, impedances rounded to 543 and
498, heart rate 92. User "adam" has profile id 1 and a weight range that does NOT contain 69.9 kg;
"bea" has no profile id and a range that does — so only the profile id makes the reading adam's.
"""
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from daemon_harness import DaemonTestCase  # noqa: E402
from fake_bluez import TIME_SCALE, wait_until  # noqa: E402

BINARY = sys.argv[1]
SCALE = "8C:D0:B2:F6:BE:EF"
OTHER_XIAOMI = "A4:C1:38:00:11:22"
BINDKEY = "0728974d657a4b60964c1b1677f35f7c"
WRONG_BINDKEY = "0728974d657a4b60964c1b1677f35f7d"
PACKET_A = "4859d53b0abc078ff2348c844138e930220000009e538599"
PACKET_B = "4859d53b0bd6ef0b25db72785e7e2f46d6000000d8642df6"
IDLE = "3058d53b00e080d38a43d408"
MIBEACON = 0xFE95
S400_HEADER_END = ";Impedance Low;Heart Rate [bpm]"

CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"

[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
min_weight_kg = 50
max_weight_kg = 65
s400_profile_id = 1

[[users]]
name = "bea"
sex = "female"
height_cm = 168
birth_date = 1986-09-12
min_weight_kg = 60
max_weight_kg = 80

[devices.s400]
mac = "{scale}"
bindkey_file = "s400_bindkey"
session_grace_seconds = {grace}
"""


class S400DaemonTest(DaemonTestCase):
    binary = BINARY

    def write_config(self, grace=10, bindkey=BINDKEY):
        self.config.write_text(CONFIG.format(state=self.state, scale=SCALE, grace=grace))
        key = self.dir / "s400_bindkey"
        key.write_text(bindkey + "\n")
        key.chmod(0o600)

    def play(self, frames, interval=0.05):
        self.bluez.play_weighing("hci0", SCALE, frames, interval=interval, uuid16=MIBEACON, alias="MJTZC01YM")

    def assert_one_row(self, pattern, since):
        rows = self.measured_rows()
        self.assertEqual(len(rows), 1, rows)
        match = re.fullmatch(pattern, rows[0])
        self.assertIsNotNone(match, rows[0])
        # The row is dated by the first packet's receive time (the S400's own clock is not trusted).
        self.assertLessEqual(since - 1, int(match.group(1)))
        self.assertLessEqual(int(match.group(1)), time.time() + 1)

    def test_two_packets_give_one_row_with_both_impedances_heart_rate_and_the_profiles_user(self):
        self.start_daemon()
        started = int(time.time())
        self.play([PACKET_A, PACKET_A, PACKET_A])
        self.daemon.wait_log(r"frame not final: waiting for the 250 kHz packet")
        self.daemon.wait_log(r"frame not final: repeated frame", count=2)
        self.assertEqual(self.rows(), [])
        sent = time.monotonic()
        self.play([PACKET_B, PACKET_B, PACKET_B, IDLE])
        wait_until(lambda: self.rows(), timeout=1.0, what="the row within 1 s")
        self.assertLess(time.monotonic() - sent, 1.0 * TIME_SCALE)
        time.sleep(0.3)
        self.assertTrue(self.lines()[0].endswith(S400_HEADER_END), self.lines()[0])
        self.assert_one_row(r"local;(\d+);69\.9;543;498;92", started)
        self.daemon.wait_log(r"measurement recorded module=s400 device=8C:D0:B2:F6:BE:EF user=adam "
                             r"weight_kg=69\.9 impedance=543 impedance_high=498 heart_rate=92 bmi=23\.6 "
                             r"body_fat=\d+\.\d")

        # The same frames again (the scale repeats itself; a replay attack): no second row.
        self.play([PACKET_A, PACKET_B, PACKET_A, PACKET_B])
        time.sleep(0.5)
        self.assertEqual(len(self.rows()), 1)

        # …nor after a restart, when only the persistent duplicate memory knows the weighing.
        self.assertEqual(self.daemon.stop(), 0)
        self.start_daemon()
        self.play([PACKET_A, PACKET_B])
        self.daemon.wait_log(r"reading already recorded, not recorded again module=s400 device=8C:D0:B2:F6:BE:EF")
        time.sleep(0.3)
        self.assertEqual(len(self.rows()), 1, self.rows())
        self.assertNotIn("measurement recorded", self.daemon.text())

    def test_a_quiet_scale_after_the_first_packet_gives_its_row_after_the_grace_time(self):
        self.write_config(grace=2)
        self.start_daemon()
        started = int(time.time())
        self.play([PACKET_A])
        self.daemon.wait_log(r"frame not final: waiting for the 250 kHz packet")
        # Nothing else is heard from the scale: the daemon's own timer ends the wait.
        wait_until(lambda: self.rows(), timeout=4.0, what="the row after the 2 s grace time")
        self.assert_one_row(r"local;(\d+);69\.9;543;;92", started)
        # The late 250 kHz packet adds nothing.
        self.play([PACKET_B])
        self.daemon.wait_log(r"250 kHz packet without a weight packet")
        self.assertEqual(len(self.rows()), 1)

    def test_stopping_records_a_weighing_still_waiting_for_its_second_packet(self):
        self.start_daemon()
        started = int(time.time())
        self.play([PACKET_A])
        self.daemon.wait_log(r"frame not final: waiting for the 250 kHz packet")
        self.assertEqual(self.rows(), [])
        self.assertEqual(self.daemon.stop(), 0)
        self.assert_one_row(r"local;(\d+);69\.9;543;;92", started)

    def test_a_failed_write_is_kept_and_retried(self):
        self.start_daemon()
        backup = self.state / "miscale_backup.csv"
        if backup.exists():
            backup.unlink()
        backup.mkdir()  # appending to it now fails (EISDIR)
        started = int(time.time())
        self.play([PACKET_A, PACKET_B])
        self.daemon.wait_log(r"measurement not written, will try again")
        backup.rmdir()
        wait_until(lambda: backup.is_file() and self.rows(), timeout=15.0, what="the row written on retry")
        time.sleep(0.3)
        self.assert_one_row(r"local;(\d+);69\.9;543;498;92", started)
        self.daemon.wait_log(r"measurement recorded module=s400")

    def test_scan_finds_the_scale_before_it_has_a_bindkey(self):
        # A new user runs `scan` before anything is configured: the S400 is recognised by the
        # product id in its (unencrypted) frame header; another Xiaomi scale in the same service
        # data (an S200, product 0x4C04, shared/spec/device-s400.md §7) is not listed as an S400.
        scan = subprocess.Popen([BINARY, "scan", "--seconds", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=self.bluez.env())
        time.sleep(1.0)
        self.bluez.emit_device_added("hci0", SCALE, alias="MJTZC01YM", service_data={MIBEACON: PACKET_A}, rssi=-60)
        self.bluez.emit_device_added("hci0", OTHER_XIAOMI, alias="S200",
                                     service_data={MIBEACON: "4859044c019a80a275939010f0abc4fadc0600003d29c044"})
        out, err = scan.communicate(timeout=10)
        self.assertEqual(scan.returncode, 0, err)
        self.assertIn("1 recognised device", out)
        self.assertRegex(out, rf'{SCALE}  s400  rssi -60  MJTZC01YM  .*"model":"MJTZC01YM".*"encrypted":true')
        self.assertNotIn(OTHER_XIAOMI, out)

    def test_a_wrong_bindkey_is_one_clear_line_and_no_row(self):
        self.write_config(bindkey=WRONG_BINDKEY)
        self.start_daemon()
        self.play([PACKET_A, PACKET_A, PACKET_B, PACKET_B, PACKET_A])
        self.daemon.wait_log(r"advertisement not decoded: S400 frame failed authentication")
        time.sleep(0.5)
        text = self.daemon.text()
        self.assertEqual(len(re.findall(r"failed authentication", text)), 1, text)
        self.assertIn("the bindkey is wrong or stale", text)
        self.assertNotIn(WRONG_BINDKEY, text)
        self.assertNotIn(BINDKEY, text)
        self.assertEqual(self.rows(), [])
        self.assertIsNone(self.daemon.process.poll(), "the daemon keeps running")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
