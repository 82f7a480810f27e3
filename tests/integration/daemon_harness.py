"""`ble2garmin run` as a child process for the integration tests: its log captured in a file
next to its config, helpers to wait for log lines and to stop it with SIGTERM."""
import re
import signal
import subprocess
from pathlib import Path

from fake_bluez import wait_until


def receive_until(notify, needle):
    """Datagrams from the notify socket until one contains `needle`; all of them, in order."""
    messages = []
    while not messages or needle not in messages[-1]:
        messages.append(notify.recv(4096).decode())
    return messages


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
            return self.process.wait(timeout=5)
        finally:
            self.log.close()
