"""A real mosquitto on loopback for the MQTT tests, and a subscriber (mosquitto_sub) that records every
message it gets as (retained, topic, payload). Both are Debian's (mosquitto, mosquitto-clients).

The broker listens on a free port of 127.0.0.1 with the settings a test asks for (anonymous or a
password file, TLS with a test CA made by openssl at test time); no persistence, so a restart forgets
retained messages — which is what a test of "published again after the restart" needs."""
import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from fake_bluez import TIME_SCALE, wait_until


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> bool:
    return bool(shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists()) and bool(shutil.which("mosquitto_sub"))


class Broker:
    def __init__(self, workdir: Path, password_file: Path | None = None, tls: dict | None = None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.password_file = password_file
        self.tls = tls
        self.process = None
        self.log_path = workdir / "mosquitto.log"
        # Started as root, mosquitto drops to the user "mosquitto", who could not read the test's private
        # temp folder: it stays the user running the test.
        lines = [f"listener {self.port} 127.0.0.1", "persistence false", "log_dest stderr", "log_type all",
                 f"user {getpass.getuser()}"]
        if password_file:
            lines += ["allow_anonymous false", f"password_file {password_file}"]
        else:
            lines += ["allow_anonymous true"]
        if tls:
            lines += [f"cafile {tls['ca']}", f"certfile {tls['cert']}", f"keyfile {tls['key']}"]
            if tls.get("require_certificate"):
                lines += ["require_certificate true"]
        self.conf = workdir / "mosquitto.conf"
        self.conf.write_text("\n".join(lines) + "\n")

    def start(self) -> "Broker":
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen([binary, "-c", str(self.conf)], stdout=self.log, stderr=subprocess.STDOUT)

        def listening():
            if self.process.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {self.text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return True
            except OSError:
                return False
        wait_until(listening, timeout=5 * TIME_SCALE, what="mosquitto listening")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=5)
            self.log.close()
        self.process = None

    def text(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def client_args(broker: Broker, user: str | None = None, password: str | None = None) -> list[str]:
    args = ["-h", "127.0.0.1", "-p", str(broker.port)]
    if user:
        args += ["-u", user, "-P", password]
    if broker.tls:
        args += ["--cafile", str(broker.tls["ca"])]
    return args


class Subscriber:
    """mosquitto_sub on `topics`, every message as one line "retain<TAB>topic<TAB>payload"."""

    def __init__(self, broker: Broker, topics: list[str], workdir: Path, name: str = "sub", **login):
        self.path = workdir / f"{name}.out"
        self.out = open(self.path, "w")
        args = ["mosquitto_sub", *client_args(broker, **login), "-q", "1", "-F", "%r\t%t\t%p", "-i", f"test-{name}-{os.getpid()}"]
        for topic in topics:
            args += ["-t", topic]
        self.process = subprocess.Popen(args, stdout=self.out, stderr=subprocess.STDOUT)
        time.sleep(0.3 * TIME_SCALE)  # subscribed before anything is published

    def messages(self, topic: str | None = None) -> list[tuple[bool, str, str]]:
        self.out.flush()
        found = []
        for line in self.path.read_text().splitlines():
            parts = line.split("\t", 2)
            if len(parts) == 3 and (topic is None or parts[1] == topic):
                found.append((parts[0] == "1", parts[1], parts[2]))
        return found

    def wait(self, topic: str, count: int = 1, timeout: float = 5.0) -> list[tuple[bool, str, str]]:
        wait_until(lambda: len(self.messages(topic)) >= count, timeout=timeout * TIME_SCALE,
                   what=f"{count} message(s) on {topic}")
        return self.messages(topic)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)
        self.out.close()


def retained(broker: Broker, topic: str, wait: float = 1.0, **login) -> dict[str, str]:
    """Every retained message under `topic` (a filter), as {topic: payload}."""
    result = subprocess.run(["mosquitto_sub", *client_args(broker, **login), "-t", topic, "--retained-only",
                             "-F", "%t\t%p", "-W", str(max(1, int(wait * TIME_SCALE)))],
                            capture_output=True, text=True)
    found = {}
    for line in result.stdout.splitlines():
        parts = line.split("\t", 1)
        if len(parts) == 2:
            found[parts[0]] = parts[1]
    return found


def publish(broker: Broker, topic: str, payload: str | bytes, retain: bool = False, **login) -> None:
    """One message; the payload through stdin (-s), so any bytes can be sent."""
    args = ["mosquitto_pub", *client_args(broker, **login), "-q", "1", "-t", topic, "-s"]
    if retain:
        args.append("-r")
    data = payload.encode("latin-1") if isinstance(payload, str) else payload
    subprocess.run(args, check=True, timeout=10, input=data)
