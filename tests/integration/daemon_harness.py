"""`ble2garmin run` as a child process for the integration tests: its log captured in a file
next to its config, helpers to wait for log lines and to stop it with SIGTERM, a test case base
with a temp folder and a simulated bluetoothd (one adapter, hci0), and one with the Garmin mock
beside them."""
import re
import signal
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from fake_bluez import TIME_SCALE, FakeBluez, wait_until

HERE = Path(__file__).resolve().parent
FITCHECK = HERE.parent / "fitcheck"

# The user the Garmin tests record for: adam, 50–65 kg, whose Garmin account is the mock's ok@x.
ADAM = """
[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
garmin_email = "ok@x"
min_weight_kg = 50
max_weight_kg = 65
"""


def receive_until(notify, needle):
    """Datagrams from the notify socket until one contains `needle`; all of them, in order."""
    messages = []
    while not messages or needle not in messages[-1]:
        messages.append(notify.recv(4096).decode())
    return messages


def measured(row):
    """A backup row reduced to what was measured: "status;T;weight;impedance[;extras]". A pending row
    (to_import;T;W;Z[;extras]) is that already; a complete row (local or uploaded, export2garmin's 24
    columns, the pending row's extras after them) gives its status, T, weight (5th) and impedance
    (20th). The computed columns are checked where they are the point of a test."""
    fields = row.split(";")
    if fields[0] in ("local", "uploaded") and len(fields) >= 24:
        return ";".join([fields[0], fields[1], fields[4], fields[19]] + fields[24:])
    return row


class Daemon:
    def __init__(self, binary: str, config: Path, env: dict, notify_socket: str | None = None):
        self.log_path = config.parent / "daemon.log"
        self.log = open(self.log_path, "w")
        env = dict(env)
        if notify_socket:
            env["NOTIFY_SOCKET"] = notify_socket
        self.process = subprocess.Popen([binary, "run", "--config", str(config)], stdout=self.log,
                                        stderr=subprocess.STDOUT, env=env)

    def text(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def wait_log(self, pattern: str, timeout: float = 5.0, count: int = 1) -> None:
        wait_until(lambda: len(re.findall(pattern, self.text())) >= count, timeout=timeout,
                   what=f"log {pattern!r} x{count}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=5 * TIME_SCALE)
        finally:
            self.log.close()


class DaemonTestCase(unittest.TestCase):
    """A temp folder with `state/` and `ble2garmin.toml` (written by the subclass's write_config()),
    a simulated bluetoothd with hci0, and the daemon once start_daemon() ran. The daemon must end
    with `expected_exit` (its log is printed otherwise)."""

    binary = None  # the ble2garmin executable, set by the test module

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.state = self.dir / "state"
        self.config = self.dir / "ble2garmin.toml"
        self.write_config()
        self.prepare()
        self.bluez = FakeBluez(workdir=self.dir / "bus").start()
        self.bluez.add_adapter("hci0")
        self.daemon = None
        self.expected_exit = 0

    def tearDown(self):
        code = self.daemon.stop() if self.daemon else 0
        self.bluez.stop()
        log = self.daemon.log_path.read_text() if self.daemon else ""
        if self.daemon and code != self.expected_exit:
            print(log, file=sys.stderr)
        self.tmp.cleanup()
        self.assertEqual(code, self.expected_exit, "daemon exit code")
        for complaint in ("Sanitizer", "runtime error:", "terminate called", "pure virtual method called"):
            self.assertNotIn(complaint, log)  # ASan/UBSan reports, std::terminate of a joinable thread

    def write_config(self):
        raise NotImplementedError

    def prepare(self):
        """What must happen once the config is written and before bluetoothd runs."""

    def start_daemon(self, notify_socket=None):
        self.daemon = Daemon(self.binary, self.config, self.bluez.env(), notify_socket)
        self.daemon.wait_log(r"ble2garmin running")

    def lines(self):
        """Every line of the scale backup, the header first; [] before it exists."""
        path = self.state / "miscale_backup.csv"
        return path.read_text().splitlines() if path.exists() else []

    def rows(self):
        return self.lines()[1:]

    def measured_rows(self):
        """The rows as "status;T;weight;impedance[;extras]" (see measured())."""
        return [measured(row) for row in self.rows()]


class GarminMockCase(DaemonTestCase):
    """DaemonTestCase with the Garmin mock (garmin_mock/: HTTPS with its own CA, every FIT decoded by
    @garmin/fitsdk) for the whole class, reset before each test. The subclass's config includes
    garmin_table(); `ok@x` is logged in before bluetoothd and the daemon start."""

    mock = None

    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, str(HERE / "garmin_mock"))
        from selftest import MockProcess
        cls.mock = MockProcess(FITCHECK)

    @classmethod
    def tearDownClass(cls):
        cls.mock.stop()

    def setUp(self):
        self.mock.control("reset", {})
        super().setUp()

    def garmin_table(self) -> str:
        base = self.mock.base
        return f"""
[garmin]
enabled = true
sso_base_url = "{base}"
api_base_url = "{base}"
diauth_base_url = "{base}"
ca_file = "{self.mock.ca_file}"
timeout_seconds = 30
"""

    def prepare(self):
        login = subprocess.run([self.binary, "login", "--email", "ok@x", "--config", str(self.config)],
                               input="secret\n", capture_output=True, text=True, timeout=60 * TIME_SCALE)
        self.assertEqual(login.returncode, 0, login.stdout + login.stderr)
