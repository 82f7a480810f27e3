"""The daemon uploads what it records: `ble2garmin run` against a simulated bluetoothd (private
system bus + python-dbusmock) and the Garmin mock (HTTPS with its own CA, fitsdk decoding).

A Mi Scale 2 weighing of 55.2 kg / 508 Ω (daemon_test.py's frames, scale clock = now) for adam,
whose Garmin account is ok@x: the row is written `to_import` first, then becomes `uploaded` once
the mock accepted the FIT. A slow Garmin never holds up the Bluetooth side.
"""
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
from daemon_harness import ADAM, Daemon, GarminMockCase  # noqa: E402
from daemon_test import SCALE, frame, weighing  # noqa: E402
from fake_bluez import TIME_SCALE, wait_until  # noqa: E402

BINARY = sys.argv[1]


class GarminDaemonTest(GarminMockCase):
    binary = BINARY

    def write_config(self):
        self.config.write_text(f"""
[general]
state_directory = "{self.state}"
log_level = "debug"
{self.garmin_table()}{ADAM}
[devices.mi_scale]
mac = "{SCALE}"
""")

    def setUp(self):
        super().setUp()
        self.start_daemon()

    def test_a_recorded_weighing_is_uploaded_once(self):
        when = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(when), interval=0.05)
        wait_until(lambda: self.rows() and self.rows()[0].startswith("uploaded;"), timeout=15,
                   what="the row uploaded")
        self.assertTrue(self.rows()[0].startswith(f"uploaded;{when};"), self.rows())
        self.assertIn(";508;ok@x;", self.rows()[0])
        uploads = self.mock.control("uploads")
        self.assertEqual(len(uploads), 1)
        scale = uploads[0]["fitsdk"]["messages"]["weightScaleMesgs"][0]
        self.assertAlmostEqual(scale["weight"], 55.2, places=2)
        self.daemon.wait_log(r"uploaded to Garmin Connect row=\d+ user=adam account=ok@x")
        time.sleep(1)
        self.assertEqual(len(self.mock.control("requests?path=/upload-service/upload&method=POST")), 1)

    def test_a_slow_garmin_does_not_hold_up_the_scale(self):
        self.mock.control("scenario", {"name": "upload_slow", "delay_s": 6, "count": 1})
        first = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(first), interval=0.05)
        self.daemon.wait_log(r"uploading row=", timeout=10)
        # While Garmin takes its time, a second weighing (another weight) is recorded at once.
        second = first + 1
        sent = time.monotonic()
        frames = [frame(0x24, second, raw=11200)] * 2 + [frame(0x26, second, impedance=500, raw=11200)] * 2 + \
            [frame(0xA6, second, impedance=500, raw=11200)]
        self.bluez.play_weighing("hci0", SCALE, frames, interval=0.05)
        wait_until(lambda: len(self.rows()) == 2, timeout=2, what="the second row while the upload hangs")
        self.assertLess(time.monotonic() - sent, 2.0 * TIME_SCALE)
        # Both end up uploaded, each once.
        wait_until(lambda: all(r.startswith("uploaded;") for r in self.rows()), timeout=30,
                   what="both rows uploaded")
        self.assertEqual(len(self.mock.control("uploads")), 2)

    def test_stopping_during_an_upload_is_quick_and_loses_nothing(self):
        # Garmin takes 30 s to answer the upload. SIGTERM while it is in flight: the daemon aborts the
        # HTTP call, joins its upload thread and exits 0 within 2 s, without a sanitizer complaint.
        self.mock.control("scenario", {"name": "upload_slow", "delay_s": 30, "count": 1})
        when = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(when), interval=0.05)
        self.daemon.wait_log(r"uploading row=")
        wait_until(lambda: self.mock.control("requests?path=/upload-service/upload&method=POST"), timeout=10,
                   what="the upload request at the mock")  # in flight: the mock holds it for 30 s
        time.sleep(0.2)
        process = self.daemon.process
        process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        elapsed = time.monotonic() - signalled
        self.daemon.stop()  # closes its log
        log = self.daemon.log_path.read_text()
        self.assertEqual(code, 0, log)
        self.assertLess(elapsed, 2.0 * TIME_SCALE, f"the daemon took {elapsed:.1f} s to stop\n{log}")
        for complaint in ("Sanitizer", "runtime error:", "terminate called", "pure virtual method called"):
            self.assertNotIn(complaint, log)  # ASan/UBSan/TSan reports, std::terminate of a joinable thread
        rows = self.rows()
        self.assertEqual(len(rows), 1, rows)
        self.assertRegex(rows[0], rf"^(to_import|failed);{when};55\.2;508$")  # still pending: sent at the next start
        # A restart sends it once (Garmin may already have it: 409 is as good as 202), and Garmin holds it once.
        last = max(r["id"] for r in self.mock.control("requests"))
        self.daemon = Daemon(BINARY, self.config, self.bluez.env())
        self.daemon.wait_log(r"ble2garmin running")
        wait_until(lambda: self.rows()[0].startswith("uploaded;"), timeout=30, what="uploaded after restart")
        self.assertEqual(len(self.rows()), 1, self.rows())
        sent = self.mock.control(f"requests?path=/upload-service/upload&method=POST&since={last}")
        self.assertEqual(len(sent), 1, sent)
        self.assertIn(sent[0]["status"], (200, 201, 202, 409))
        self.assertEqual(len(self.mock.control("uploads")), 1)


if __name__ == "__main__":
    # garmin_daemon_test.py BINARY [TEST...]: one case can be repeated on its own (docs/building.md).
    unittest.main(argv=sys.argv[:1] + sys.argv[2:])
