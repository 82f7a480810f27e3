"""Crash consistency of the real binary: `ble2garmin replay` of a few hundred distinct weighings is
killed with SIGKILL at random moments and re-run from the start, again and again, then run once to
the end; every weighing must be in miscale_backup.csv exactly once — none lost, none twice.

The kills are spread over rounds: each round starts from an empty state directory, kills runs
until all weighings are in the backup (or a run ends before its kill), then runs the replay to the
end and checks. Half of the kills come at a random time in [0, start-up + the time the missing
weighings take] (timed on an uninterrupted run): start-up, the writing and the moments between.
Start-up can be most of a run, so the other half aims at the writing: they wait until the files
of the state directory have grown past a random size (whatever the store writes first: backup,
journal or duplicate memory), then a random fraction of two weighings' time longer.

  CRASH_KILLS      kills in all (default 30; the long run: 1000)
  CRASH_WEIGHINGS  weighings in the session (default 300, at most 1000)
  CRASH_SEED       seed of the random moments (default random; printed)
  CRASH_TMPDIR     where the state directories go (default /dev/shm, see weighing_session.py)
"""
import os
import random
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from weighing_session import Tally, backup_rows, scratch_directory, session, write_config  # noqa: E402

BINARY = sys.argv[1]
KILLS = int(os.environ.get("CRASH_KILLS", "30"))
WEIGHINGS = int(os.environ.get("CRASH_WEIGHINGS", "300"))
SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(2**32))))
POLL_SECONDS = 0.0002


def size_of(state: Path) -> int:
    """Bytes in the files of a state directory (0 before it exists)."""
    total = 0
    try:
        with os.scandir(state) as entries:
            for entry in entries:
                try:
                    total += entry.stat(follow_symlinks=False).st_size if entry.is_file() else 0
                except FileNotFoundError:
                    pass  # a temp file renamed away meanwhile
    except FileNotFoundError:
        pass
    return total


class CrashConsistencyTest(unittest.TestCase):
    def setUp(self):
        self.tmp = scratch_directory()
        self.dir = Path(self.tmp.name)
        text, self.expected = session(WEIGHINGS)
        self.session = self.dir / "session.replay"
        self.session.write_text(text)
        self.empty_session = self.dir / "empty.replay"
        self.empty_session.write_text("# nothing recorded\n")
        self.rng = random.Random(SEED)

    def tearDown(self):
        self.tmp.cleanup()

    def fresh_state(self, name: str) -> tuple[Path, Path]:
        """(config, backup CSV) of a new, empty state directory."""
        state = self.dir / name / "state"
        state.parent.mkdir()
        config = self.dir / name / "ble2garmin.toml"
        write_config(config, state)
        return config, state / "miscale_backup.csv"

    def start(self, config: Path, replay: Path) -> subprocess.Popen:
        # stderr to a file, not a pipe: a pipe nobody reads could block the run and skew the kills.
        self.log = open(config.parent / "replay.log", "w")
        return subprocess.Popen([BINARY, "replay", str(replay), "--config", str(config)],
                                stdout=subprocess.DEVNULL, stderr=self.log)

    def finish(self, process: subprocess.Popen, config: Path) -> None:
        """Waits for a run that was not killed; it must have succeeded."""
        code = process.wait(timeout=120)
        self.log.close()
        self.assertEqual(code, 0, (config.parent / "replay.log").read_text()[-3000:])

    def timed_run(self, config: Path, replay: Path) -> float:
        begin = time.monotonic()
        self.finish(self.start(config, replay), config)
        return time.monotonic() - begin

    def wait_for_a_random_moment(self, process: subprocess.Popen, state: Path, missing: int) -> str:
        """Returns at the moment chosen for the kill (or earlier, when the run ends); its kind."""
        if self.rng.random() < 0.5:
            deadline = time.monotonic() + self.rng.uniform(0, self.startup + self.work * missing / WEIGHINGS)
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(min(POLL_SECONDS * 10, max(deadline - time.monotonic(), 0)))
            return "timed"
        target = self.rng.uniform(size_of(state), self.full_size)
        while process.poll() is None and size_of(state) < target:
            time.sleep(POLL_SECONDS)
        time.sleep(self.rng.uniform(0, 2 * self.work / WEIGHINGS))
        return "in the writing"

    def test_every_weighing_exactly_once_after_random_kills(self):
        config, csv = self.fresh_state("baseline")
        self.startup = self.timed_run(config, self.empty_session)
        whole = self.timed_run(config, self.session)
        baseline = Tally(self.expected, *backup_rows(csv))
        self.assertTrue(baseline.ok(), f"an uninterrupted run is already wrong: {baseline}")
        self.work = max(whole - self.startup, 0.001)
        self.full_size = size_of(csv.parent)

        kills = {"timed": 0, "in the writing": 0}
        ended_before_kill = rounds = 0
        failures = []
        began = time.monotonic()
        while sum(kills.values()) < KILLS:
            rounds += 1
            config, csv = self.fresh_state(f"round{rounds}")
            while sum(kills.values()) < KILLS:
                rows, _ = backup_rows(csv)
                missing = sum(1 for key in self.expected if rows[key] == 0)
                if missing == 0:
                    break
                process = self.start(config, self.session)
                kind = self.wait_for_a_random_moment(process, csv.parent, missing)
                if process.poll() is not None:
                    ended_before_kill += 1
                    self.finish(process, config)
                    break
                process.send_signal(signal.SIGKILL)
                process.wait()
                self.log.close()
                kills[kind] += 1
            # The clean, complete run after the crashes.
            self.finish(self.start(config, self.session), config)
            tally = Tally(self.expected, *backup_rows(csv))
            if not tally.ok():
                failures.append((rounds, tally))

        duplicates = sum(t.duplicates for _, t in failures)
        lost = sum(len(t.lost) for _, t in failures)
        print(f"crash consistency: seed={SEED} weighings={WEIGHINGS} kills={sum(kills.values())} "
              f"(timed {kills['timed']}, in the writing {kills['in the writing']}) rounds={rounds} "
              f"runs_ended_before_kill={ended_before_kill} startup={self.startup:.3f}s "
              f"uninterrupted_run={whole:.3f}s total={time.monotonic() - began:.1f}s "
              f"failed_rounds={len(failures)} duplicates={duplicates} lost={lost}", file=sys.stderr)
        if failures:
            self.fail("\n".join(f"round {r}: {t}" for r, t in failures))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[2:])
