"""Failed writes: in a short `ble2garmin replay`, every call that persists data under the state
directory fails once, in turn (ENOSPC), and every such call from one point on (EIO: a disk that
stays broken); the same replay is then run again without the fault, and every weighing must be in
miscale_backup.csv exactly once.

The faults come from an LD_PRELOAD shim (tests/faultinject/fail_nth_write.cpp, which lists the
calls it watches). A first run counts the write points; each is then failed in a fresh state
directory, from empty in both ways, and once more with half of the weighings already recorded
(fails once only: the second half's writes are the same calls as from empty, and the test must
stay short under ASan). A run with a fault may report failure (exit 1, or 4 when the state cannot
be opened) but must not crash.

Under an ASan build whose runtime is a shared library (g++ -fsanitize=address) that library is put
first in LD_PRELOAD, as ASan requires; clang links its runtime into the executable.
Exit 77 (CTest: skipped) when the binary is not dynamically linked. Under qemu-user (cross builds)
the shim is handed to the emulated program with QEMU_SET_ENV.

  FAULT_WEIGHINGS  weighings in the session (default 2: the first creates the files, the second
                   appends)
  CRASH_TMPDIR     where the state directories go (default /dev/shm, see weighing_session.py)
"""
import os
import re
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from weighing_session import Tally, backup_rows, scratch_directory, session, write_config  # noqa: E402

BINARY = sys.argv[1]
SHIM = sys.argv[2]
# Cross-compiled, BINARY is a script that runs the ARM program under qemu-user: the shim then goes
# to the emulated program through QEMU_SET_ENV, and the host's shell never sees it.
EMULATED = os.environ.get("BLE2GARMIN_TEST_EMULATED") == "1"
WEIGHINGS = int(os.environ.get("FAULT_WEIGHINGS", "2"))
SKIPPED = 77
MODES = [  # (name, FAULT_ERRNO, FAULT_STICKY)
    ("fails once", "ENOSPC", "0"),
    ("fails from then on", "EIO", "1"),
]


def preload_list() -> str | None:
    """LD_PRELOAD for the shim, after a shared ASan runtime if the binary has one; None when the
    binary is static."""
    if EMULATED:
        return SHIM  # no sanitizer in cross builds
    ldd = subprocess.run(["ldd", BINARY], capture_output=True, text=True)
    if ldd.returncode != 0 or "not a dynamic executable" in ldd.stdout + ldd.stderr:
        return None
    runtime = re.search(r"^\s*(?:libasan\.so|libclang_rt\.asan)\S*\s*=>\s*(\S+)", ldd.stdout, re.M)
    return f"{runtime.group(1)}:{SHIM}" if runtime else SHIM


class WriteFaultTest(unittest.TestCase):
    preload = None

    def setUp(self):
        self.tmp = scratch_directory()
        self.dir = Path(self.tmp.name).resolve()  # the shim compares canonical paths
        text, self.expected = session(WEIGHINGS)
        self.session = self.dir / "session.replay"
        self.session.write_text(text)
        self.runs = 0
        # The state a fault meets in the "half recorded" case: the first half of the weighings.
        first_half = self.dir / "first_half.replay"
        first_half.write_text(session(max(WEIGHINGS // 2, 1))[0])
        config, self.half_recorded = self.fresh_state(None)
        self.clean(config, first_half)

    def tearDown(self):
        self.tmp.cleanup()

    def fresh_state(self, template: Path | None) -> tuple[Path, Path]:
        """(config, state directory) of a new state directory: empty, or a copy of `template`."""
        self.runs += 1
        folder = self.dir / f"run{self.runs}"
        state = folder / "state"
        if template is None:
            state.mkdir(parents=True)
        else:
            shutil.copytree(template, state)
        write_config(folder / "ble2garmin.toml", state)
        return folder / "ble2garmin.toml", state

    def replay(self, config: Path, replay: Path, fault: dict | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        if fault is not None:
            env.update(fault)
            env["QEMU_SET_ENV" if EMULATED else "LD_PRELOAD"] = ("LD_PRELOAD=" if EMULATED else "") + self.preload
        return subprocess.run([BINARY, "replay", str(replay), "--config", str(config)], env=env,
                              capture_output=True, text=True, timeout=60)

    def clean(self, config: Path, replay: Path) -> None:
        run = self.replay(config, replay)
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])

    def write_points(self, template: Path | None) -> list[str]:
        """The watched calls of a replay without a fault, as "call file" (file relative to state/)."""
        config, state = self.fresh_state(template)
        log = config.parent / "fault.log"
        run = self.replay(config, self.session, {"FAULT_DIR": str(state), "FAULT_LOG": str(log)})
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        tally = Tally(self.expected, *backup_rows(state / "miscale_backup.csv"))
        self.assertTrue(tally.ok(), f"a replay without a fault is already wrong: {tally}")
        points = [line.split(" ", 1)[1].replace(str(state), "state")
                  for line in (log.read_text().splitlines() if log.exists() else [])]
        self.assertTrue(points, f"the shim saw no write under {state}: not preloaded? LD_PRELOAD={self.preload}")
        return points

    def fail_each_point(self, template: Path | None, modes: list[tuple[str, str, str]]) -> list[str]:
        points = self.write_points(template)
        failures, not_reached = [], 0
        for mode, error, sticky in modes:
            for number, point in enumerate(points, start=1):
                config, state = self.fresh_state(template)
                log = config.parent / "fault.log"
                faulty = self.replay(config, self.session, {
                    "FAULT_DIR": str(state), "FAULT_LOG": str(log), "FAULT_NTH": str(number),
                    "FAULT_ERRNO": error, "FAULT_STICKY": sticky})
                where = f"{mode} ({error}) at write point {number}/{len(points)} ({point})"
                self.assertIn(faulty.returncode, (0, 1, 4), f"{where}:\n{faulty.stderr[-3000:]}")
                self.assertNotIn("Sanitizer", faulty.stderr, where)
                # A store whose calls depend on more than the input may not reach point N every time.
                not_reached += " FAILED" not in log.read_text()
                self.clean(config, self.session)
                tally = Tally(self.expected, *backup_rows(state / "miscale_backup.csv"))
                if not tally.ok():
                    failures.append(f"{where}: {tally}")
        print(f"\nwrite faults ({'from empty' if template is None else 'half recorded'}): {len(points)} write "
              f"points x {len(modes)} modes, {not_reached} not reached, {len(failures)} ended wrong",
              file=sys.stderr)
        self.assertLess(not_reached, len(points) * len(modes), "no fault was ever injected")
        return failures

    def test_a_failed_write_from_empty_loses_and_repeats_nothing(self):
        failures = self.fail_each_point(None, MODES)
        if failures:
            self.fail("\n".join(failures))

    def test_a_failed_write_with_half_recorded_loses_and_repeats_nothing(self):
        failures = self.fail_each_point(self.half_recorded, MODES[:1])
        if failures:
            self.fail("\n".join(failures))


if __name__ == "__main__":
    WriteFaultTest.preload = preload_list()
    if WriteFaultTest.preload is None:
        print(f"{BINARY} is not a dynamic executable: LD_PRELOAD cannot inject faults, skipping")
        sys.exit(SKIPPED)
    unittest.main(argv=sys.argv[:1] + sys.argv[3:])
