"""One store per state directory: `ble2garmin run` holds an exclusive flock(2) on
`<state_directory>/ble2garmin.lock` (which holds its pid) for its whole life, and `ble2garmin upload`
and `ble2garmin replay` against the same state directory are refused while it does: exit code 1,
exactly one line on stderr naming the daemon's pid and saying to stop the daemon first, and nothing
in the state directory created, modified or renamed.

Set-up: garmin_daemon_test.GarminDaemonTest's (Garmin mock, adam -> ok@x logged in, the daemon
running on the simulated bluetoothd); the two-process test adds bea -> bea@x. Weighings are Mi Body
Composition Scale 2 frames (daemon_test.frame) with the scale clock a few minutes in the past, so a
row's Unix time is that clock. Weights: raw / 200 kg.
Run: /usr/bin/python3 tests/integration/store_lock_test.py path/to/ble2garmin
"""
import collections
import fcntl
import hashlib
import os
import re
import stat
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import garmin_daemon_test  # noqa: E402  (GarminDaemonTest: the mock, the config, the login, the daemon)
from daemon_harness import Daemon  # noqa: E402
from daemon_test import SCALE, frame  # noqa: E402
from fake_bluez import wait_until  # noqa: E402

BINARY = sys.argv[1]
LOCK_FILE = "ble2garmin.lock"
UPLOADS = "requests?path=/upload-service/upload&method=POST"

BEA = """
[[users]]
name = "bea"
sex = "female"
height_cm = 168
birth_date = 1986-09-12
garmin_email = "bea@x"
min_weight_kg = 66
max_weight_kg = 90
"""


def weighing_of(when, kg, impedance):
    """One weighing as the scale sends it: stabilized weight, then with impedance, then step-off."""
    raw = round(kg * 200)
    return [frame(0x24, when, raw=raw)] * 2 + [frame(0x26, when, impedance=impedance, raw=raw)] * 2 + \
        [frame(0xA6, when, impedance=impedance, raw=raw)]


def replay_text(when, kg, impedance):
    """A replay file (TIME ADDRESS KIND HEX) of one weighing, recorded at the scale's clock."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
    return "".join(f"{stamp} {SCALE} 181b {payload}\n" for payload in weighing_of(when, kg, impedance))


def snapshot(root: Path) -> dict:
    """Every entry under root (root included): type and mode, size, mtime and the content hash of
    files. A directory's mtime changes with any name created, removed or renamed in it."""
    entries = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else None
        entries[str(path.relative_to(root))] = (oct(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return entries


def differences(before: dict, after: dict) -> list:
    """What changed between two snapshots, one readable line per name."""
    lines = [f"created {name}" for name in after.keys() - before.keys()]
    lines += [f"removed {name}" for name in before.keys() - after.keys()]
    fields = ("mode", "size", "mtime", "content")
    for name in before.keys() & after.keys():
        changed = [field for field, old, new in zip(fields, before[name], after[name]) if old != new]
        if changed:
            lines.append(f"changed {name}: {', '.join(changed)}")
    return sorted(lines)


class StoreLockTest(garmin_daemon_test.GarminDaemonTest):
    """Only the tests defined here run (load_tests below), not the inherited ones."""

    def cli(self, *args, stdin=""):
        return subprocess.run([BINARY, *args, "--config", str(self.config)], input=stdin, capture_output=True,
                              text=True, timeout=60)

    def refusal_problem(self, result, pid):
        """Why `result` is not the refusal of the contract; None when it is."""
        lines = result.stderr.splitlines()
        if result.returncode != 1:
            return f"exit code {result.returncode}, expected 1"
        if len(lines) != 1:
            return f"{len(lines)} lines on stderr, expected exactly 1"
        if not re.search(rf"\b{pid}\b", lines[0]):
            return f"stderr does not name the daemon's pid {pid}"
        if not re.search(r"(?i)\bstop", lines[0]):
            return "stderr does not say to stop the daemon first"
        return None

    def assert_refused(self, result, pid, what):
        problem = self.refusal_problem(result, pid)
        self.assertIsNone(problem, f"{what}: {problem}\n--- stdout:\n{result.stdout}--- stderr:\n{result.stderr}")

    def lock_is_held(self):
        """Whether another process holds the lock file's flock (if not, it is taken and released at once)."""
        fd = os.open(self.state / LOCK_FILE, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    def stop_daemon(self):
        code = self.daemon.stop()
        self.assertEqual(code, 0, self.daemon.log_path.read_text())

    def add_bea(self):
        """bea (66-90 kg) with her own Garmin account bea@x; the daemon restarted with her."""
        self.stop_daemon()
        self.mock.control("scenario", {"users": {"bea@x": {"password": "secret"}}})
        self.config.write_text(self.config.read_text() + BEA)
        login = self.cli("login", "--email", "bea@x", stdin="secret\n")
        self.assertEqual(login.returncode, 0, login.stdout + login.stderr)
        self.daemon = Daemon(BINARY, self.config, self.bluez.env())
        self.daemon.wait_log(r"ble2garmin running")

    # --- the contract, one process at a time ------------------------------------------------------

    def test_upload_and_replay_are_refused_while_the_daemon_runs_and_change_nothing(self):
        # adam's weighing: Garmin answers 500 once, so the row is `failed` and the daemon waits
        # (30-60 s) before it tries again. A hand-run upload ignores that wait: without the lock it
        # would send and rewrite the row now, and the replay would append its weighing.
        self.mock.control("scenario", {"name": "upload_500", "count": 1})
        when = int(time.time()) - 60
        self.bluez.play_weighing("hci0", SCALE, weighing_of(when, 55.2, 508), interval=0.05)
        wait_until(lambda: self.rows() == [f"failed;{when};55.2;508"], timeout=20, what="the row failed")
        replay = self.dir / "morning.replay"  # outside the state directory
        replay.write_text(replay_text(when - 240, 56.4, 500))
        pid = self.daemon.process.pid

        with self.subTest("the daemon holds an exclusive flock on state/ble2garmin.lock holding its pid"):
            lock = self.state / LOCK_FILE
            self.assertTrue(lock.is_file(), f"{lock} does not exist")
            self.assertEqual(lock.read_text().split()[0], str(pid))
            self.assertTrue(self.lock_is_held(), "nobody holds the flock")

        time.sleep(0.5)  # the daemon's own writes (row, schedule) are done
        before = snapshot(self.state)
        time.sleep(0.5)
        self.assertEqual(differences(before, snapshot(self.state)), [],
                         "the daemon itself is still changing the state directory")

        upload = self.cli("upload")
        with self.subTest("ble2garmin upload is refused"):
            self.assert_refused(upload, pid, "upload")
        replayed = self.cli("replay", str(replay))
        with self.subTest("ble2garmin replay is refused"):
            self.assert_refused(replayed, pid, "replay")
        with self.subTest("nothing in the state directory changed"):
            self.assertEqual(differences(before, snapshot(self.state)), [])
            self.assertEqual(len(self.mock.control(UPLOADS)), 1, "only the daemon's first attempt reached Garmin")

        # Once the daemon is gone the lock is free and the same commands work.
        self.stop_daemon()
        if (self.state / LOCK_FILE).exists():
            self.assertFalse(self.lock_is_held(), "the lock is still held after the daemon exited")
        upload = self.cli("upload")
        self.assertEqual(upload.returncode, 0, upload.stdout + upload.stderr)
        replayed = self.cli("replay", str(replay))
        self.assertEqual(replayed.returncode, 0, replayed.stdout + replayed.stderr)
        rows = self.rows()
        self.assertEqual(len(rows), 2, rows)
        self.assertTrue(rows[0].startswith(f"uploaded;{when};"), rows)
        self.assertEqual(rows[1], f"to_import;{when - 240};56.4;500")
        self.assertEqual([u["user"] for u in self.mock.control("uploads")], ["ok@x"])

    # --- two processes, one store -----------------------------------------------------------------

    def test_two_processes_one_store(self):
        self.add_bea()
        pid = self.daemon.process.pid
        start = int(time.time()) - 300
        # (Unix time, kg, impedance, account): adam 50-65 kg -> ok@x, bea 66-90 kg -> bea@x.
        weighings = [(start + 20 * i, (55.2 + 0.4 * i) if i % 2 == 0 else (70.0 + 0.4 * i), 480 + i,
                      "ok@x" if i % 2 == 0 else "bea@x") for i in range(8)]
        replay = self.dir / "evening.replay"  # another weighing of adam's, never in the daemon's store
        replay.write_text(replay_text(start - 600, 57.0, 499))

        runs = []  # (command, CompletedProcess), appended by the second process loop
        done = threading.Event()

        def second_process():
            while not done.is_set() or len(runs) < 6:
                for command in (["upload"], ["replay", str(replay)]):
                    runs.append((command[0], self.cli(*command)))

        loop = threading.Thread(target=second_process, daemon=True)
        loop.start()
        try:
            for when, kg, impedance, _ in weighings:
                self.bluez.play_weighing("hci0", SCALE, weighing_of(when, kg, impedance), interval=0.02)
                time.sleep(0.3)
            expected = {when for when, *_ in weighings}

            def settled():
                rows = self.rows()
                try:
                    return all(r.startswith("uploaded;") for r in rows) and \
                        {int(r.split(";")[1]) for r in rows} >= expected
                except (IndexError, ValueError):  # a line being appended right now
                    return False

            wait_until(settled, timeout=60, interval=0.1, what="every weighing recorded and uploaded")
        finally:
            done.set()
            loop.join(timeout=120)
        self.assertFalse(loop.is_alive(), "the second process loop did not finish")

        # Every weighing exactly once in the backup, uploaded to its user's account; nothing else.
        with self.subTest("every weighing exactly once in the backup, uploaded"):
            rows = sorted((r.split(";") for r in self.rows()), key=lambda fields: int(fields[1]))
            self.assertEqual([int(r[1]) for r in rows], sorted(expected), self.rows())
            for fields, (when, kg, impedance, account) in zip(rows, weighings):
                self.assertEqual((fields[0], fields[4], fields[19], fields[20]),
                                 ("uploaded", f"{kg:.1f}", str(impedance), account), ";".join(fields))
        # ... and exactly once at Garmin: one accepted upload each, and no other upload request.
        with self.subTest("every weighing exactly once at Garmin"):
            accepted = collections.Counter((u["user"], round(u["by_mesg"]["weight_scale"][0]["weight"], 1))
                                           for u in self.mock.control("uploads"))
            wanted = collections.Counter((account, round(kg, 1)) for _, kg, _, account in weighings)
            self.assertEqual(accepted, wanted, f"accepted but not wanted (or twice): {accepted - wanted}; "
                                               f"wanted but not accepted: {wanted - accepted}")
            statuses = [r["status"] for r in self.mock.control(UPLOADS)]
            self.assertEqual(len(statuses), len(weighings), statuses)
            self.assertTrue(all(200 <= s < 300 for s in statuses), statuses)
        # Every upload and replay the second loop ran was refused, with the one clear line.
        with self.subTest("every upload and replay beside the daemon refused"):
            self.assertGreaterEqual(len(runs), 6)
            problems = [f"{command} #{index}: {problem}: {result.stderr.strip()[-300:]!r}"
                        for index, (command, result) in enumerate(runs)
                        if (problem := self.refusal_problem(result, pid))]
            self.assertFalse(problems, f"{len(problems)} of {len(runs)} runs were not refused as they should be, "
                                       f"e.g.\n" + "\n".join(problems[:4]))


def load_tests(loader, tests, pattern):
    return unittest.TestSuite(StoreLockTest(name) for name in sorted(vars(StoreLockTest))
                              if name.startswith("test_"))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
