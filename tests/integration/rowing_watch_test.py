"""The rowing watch folder and `rowing convert --upload` against the Garmin mock (HTTPS with its own CA,
decoding each FIT with @garmin/fitsdk), with `ble2garmin run` on a simulated bluetoothd.

- A TCX written into [rowing] watch_dir in two pieces (a slow copy) is converted once it is closed, the
  FIT lands beside it and in Garmin once; the same bytes under another name, and a restart, send
  nothing more (rowing_sessions.json, 0600).
- A TCX dropped while the daemon is stopped is uploaded when it starts.
- A session Garmin already has (409) counts as done.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
from daemon_harness import ADAM, Daemon, GarminMockCase  # noqa: E402
from daemon_test import SCALE  # noqa: E402
from fake_bluez import wait_until  # noqa: E402

BINARY = sys.argv[1]
DATA = HERE.parent / "data" / "rowing"
UPLOAD = "requests?path=/upload-service/upload&method=POST"


class RowingWatchTest(GarminMockCase):
    binary = BINARY

    def write_config(self):
        self.watch = self.dir / "watch"
        self.watch.mkdir()
        self.config.write_text(f"""
[general]
state_directory = "{self.state}"
log_level = "debug"
{self.garmin_table()}
[rowing]
watch_dir = "{self.watch}"
user = "adam"
{ADAM}
[devices.mi_scale]
mac = "{SCALE}"
""")

    def start(self):
        self.daemon = Daemon(BINARY, self.config, self.bluez.env())
        self.daemon.wait_log(r"ble2garmin running")
        self.daemon.wait_log(r"watching for rowing sessions dir=.* uploads=ok@x")

    def stop(self):
        code = self.daemon.stop()
        if code != 0:
            print(self.daemon.text(), file=sys.stderr)
        self.assertEqual(code, 0)
        log = self.daemon.log_path.read_text()
        for complaint in ("Sanitizer", "runtime error:", "terminate called"):
            self.assertNotIn(complaint, log)
        self.daemon = None

    def uploads(self):
        return self.mock.control("uploads")

    def ledger(self):
        return json.loads((self.state / "rowing_sessions.json").read_text())["sessions"]

    def test_a_session_dropped_in_the_folder_reaches_garmin_once_also_across_a_restart(self):
        self.start()
        data = (DATA / "other_app.tcx").read_bytes()
        target = self.watch / "morning.tcx"
        # A slow copy: half the file, a pause, the rest. Nothing may be taken before it is closed.
        with open(target, "wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
            time.sleep(1.0)
            self.assertEqual(self.uploads(), [])
            handle.write(data[len(data) // 2:])
        wait_until(lambda: len(self.uploads()) == 1, timeout=20, what="the session at Garmin")
        upload = self.uploads()[0]
        self.assertEqual(upload["fileName"], "morning.fit")
        self.assertEqual(upload["file_type"], "activity")
        sdk = upload["fitsdk"]["messages"]
        self.assertEqual(sdk["sessionMesgs"][0]["sport"], "rowing")
        self.assertEqual(sdk["sessionMesgs"][0]["totalDistance"], 1200)
        self.assertEqual(len(sdk["lapMesgs"]), 3)
        self.daemon.wait_log(r"rowing session uploaded file=.*morning\.tcx account=ok@x")
        self.assertTrue((self.watch / "morning.fit").exists())
        wait_until(lambda: (self.state / "rowing_sessions.json").exists(), what="the ledger")
        self.assertEqual(os.stat(self.state / "rowing_sessions.json").st_mode & 0o777, 0o600)
        self.assertEqual([s["status"] for s in self.ledger().values()], ["uploaded"])

        # The same bytes under another name: recognised, not sent.
        shutil.copy(target, self.watch / "copy.tcx")
        self.daemon.wait_log(r"rowing session already done file=.*copy\.tcx")
        # A restart scans the folder: both files are known, nothing is sent.
        self.stop()
        self.start()
        time.sleep(1.5)
        self.assertEqual(len(self.mock.control(UPLOAD)), 1)
        self.assertEqual(len(self.uploads()), 1)

    def test_a_session_dropped_while_stopped_is_uploaded_at_start_and_a_broken_one_is_reported(self):
        shutil.copy(DATA / "coxswain_10k.tcx", self.watch / "10k.tcx")
        (self.watch / "broken.tcx").write_text("<?xml version='1.0'?>\n<TrainingCenterDatabase>\n")
        (self.watch / "notes.txt").write_text("not a session")
        self.start()
        wait_until(lambda: len(self.uploads()) == 1, timeout=30, what="the 10 km session at Garmin")
        session = self.uploads()[0]["fitsdk"]["messages"]["sessionMesgs"][0]
        self.assertEqual(session["totalDistance"], 9999)
        self.assertEqual(session["totalTimerTime"], 2295)
        self.assertEqual(session.get("totalStrokes", session.get("totalCycles")), 849)
        self.daemon.wait_log(r"rowing session not converted: .*broken\.tcx: line 2: not a TCX file")
        statuses = sorted(s["status"] for s in self.ledger().values())
        self.assertEqual(statuses, ["invalid", "uploaded"])
        self.assertFalse((self.watch / "notes.fit").exists())

    def test_a_session_garmin_already_has_counts_as_done(self):
        # Uploaded by hand first (rowing convert --upload); the same FIT from the folder gets 409.
        tcx = self.dir / "by-hand.tcx"
        shutil.copy(DATA / "other_app.tcx", tcx)
        first = subprocess.run([BINARY, "rowing", "convert", str(tcx), "--upload", "--config", str(self.config)],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        self.assertIn("uploaded to Garmin Connect", first.stdout)
        again = subprocess.run([BINARY, "rowing", "convert", str(tcx), "--upload", "--user", "adam",
                                "--config", str(self.config)], capture_output=True, text=True, timeout=60)
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("already in Garmin Connect (409)", again.stdout)
        self.start()
        shutil.copy(tcx, self.watch / "by-hand.tcx")
        self.daemon.wait_log(r"rowing session already in Garmin Connect \(409\)", timeout=20)
        # The ledger is on disk before the line is logged.
        self.assertEqual([s["status"] for s in self.ledger().values()], ["duplicate"])
        self.assertEqual(len(self.uploads()), 1)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
