"""`ble2garmin run` with [mqtt] against a real mosquitto on loopback (tests/integration/mqtt_broker.py)
and the simulated bluetoothd: what is published, Home Assistant discovery, nothing lost or repeated
across a broker outage or a daemon restart, removed users cleaned up, a wrong password, TLS.

Expected values are worked out by hand from the specs, not taken from our output: the Mi Scale 2
frames carry 11040 raw = 55.2 kg (× 0.005, device-mi-scale.md §2) and impedance 508; user "adam"
is 172 cm, so BMI = 55.2 / 1.72² = 18.66 (2 decimals, as lolouk44/xiaomi_mi_scale publishes);
the payload keys and their order are xiaomi_mi_scale's (shared/spec/mqtt.md §1.3); the timestamp
carries the real offset of the configured zone at that instant (zoneinfo)."""
import datetime
import json
import os
import subprocess
import sys
import time
import unittest
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from daemon_harness import DaemonTestCase  # noqa: E402
from daemon_test import SCALE, frame, weighing  # noqa: E402
from fake_bluez import TIME_SCALE, wait_until  # noqa: E402
import mqtt_broker  # noqa: E402
from mqtt_broker import Broker, Subscriber, retained  # noqa: E402

BINARY = sys.argv[1]
ZONE = "Europe/Warsaw"

CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"
timezone = "{zone}"

[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
min_weight_kg = 50
max_weight_kg = 65
{more_users}
[devices.mi_scale]
mac = "{scale}"

[mqtt]
host = "127.0.0.1"
port = {port}
keepalive_seconds = 5
reconnect_min_seconds = 1
reconnect_max_seconds = 2
{mqtt_extra}
"""

BEATA = """
[[users]]
name = "beata"
sex = "female"
height_cm = 165
birth_date = 1990-01-01
min_weight_kg = 66
max_weight_kg = 90
"""

# xiaomi_mi_scale's keys in its order (spec §1.3), ours after them.
MI_KEYS = ["weight", "weight_unit", "bmi", "basal_metabolism", "visceral_fat", "lean_body_mass", "body_fat",
           "water", "bone_mass", "muscle_mass", "protein", "body_type", "metabolic_age", "impedance", "timestamp"]
METRICS = ["weight", "bmi", "body_fat", "water", "muscle_mass", "bone_mass", "lean_body_mass", "visceral_fat",
           "protein", "metabolic_age", "basal_metabolism", "body_type", "impedance", "impedance_high",
           "heart_rate", "systolic", "diastolic", "pulse"]


def weighing_with(when, raw):
    stable = frame(0x24, when, raw=raw)
    final = frame(0x26, when, impedance=508, raw=raw)
    return [stable, final, final, frame(0xA6, when, impedance=508, raw=raw)]


class MqttCase(DaemonTestCase):
    """A broker per test, started before the daemon's config is written (it names the port)."""
    binary = BINARY
    more_users = ""
    mqtt_extra = ""

    def setUp(self):
        import tempfile
        self.broker_dir = tempfile.TemporaryDirectory()
        self.work = Path(self.broker_dir.name)
        self.broker = Broker(self.work / "broker", **self.broker_options()).start()
        self.subscribers = []
        super().setUp()

    def tearDown(self):
        try:
            super().tearDown()
        finally:
            for subscriber in self.subscribers:
                subscriber.stop()
            self.broker.stop()
            self.broker_dir.cleanup()

    def broker_options(self):
        return {}

    def write_config(self):
        self.config.write_text(CONFIG.format(state=self.state, zone=ZONE, scale=SCALE, port=self.broker.port,
                                             more_users=self.more_users, mqtt_extra=self.mqtt_extra))

    def subscribe(self, topics, name="sub", **login):
        subscriber = Subscriber(self.broker, topics, self.work, name, **login)
        self.subscribers.append(subscriber)
        return subscriber

    def start_connected(self):
        self.start_daemon()
        self.daemon.wait_log(r"MQTT broker 127\.0\.0\.1:\d+ connected")


@unittest.skipUnless(mqtt_broker.available(), "mosquitto and mosquitto_sub are needed (scripts/install-deps)")
class MqttPublishTest(MqttCase):
    # --- acceptance: on the broker within 1 s, the documented payload, discovery retained ------------

    def test_weighing_is_published_within_a_second_with_the_documented_payload(self):
        subscriber = self.subscribe(["miscale/#"])
        self.start_connected()
        when = int(time.time()) - 30
        frames = weighing(when)
        self.bluez.play_weighing("hci0", SCALE, frames[:3], interval=0.02)
        time.sleep(0.2)
        sent = time.monotonic()
        self.bluez.play_weighing("hci0", SCALE, frames[3:], interval=0.02)
        messages = subscriber.wait("miscale/adam/weight", timeout=1.0)
        elapsed = time.monotonic() - sent
        print(f"\nstate on the broker {elapsed * 1000:.0f} ms after the final frames were sent", file=sys.stderr)
        self.assertLess(elapsed, 1.0 * TIME_SCALE)
        self.assertEqual(len(messages), 1, messages)
        state = json.loads(messages[0][2])
        self.assertEqual(list(state)[:len(MI_KEYS)], MI_KEYS)
        self.assertEqual(state["weight"], 55.2)
        self.assertEqual(state["weight_unit"], "kg")
        self.assertEqual(state["bmi"], 18.66)  # 55.2 / 1.72²
        self.assertEqual(state["impedance"], 508)
        self.assertEqual(state["device"], SCALE)
        self.assertEqual(state["source"], "hci0")
        zone = zoneinfo.ZoneInfo(ZONE)
        expected = datetime.datetime.fromtimestamp(when, zone).isoformat()
        self.assertEqual(state["timestamp"], expected)
        self.assertIn(state["body_type"], ["Obese", "Overweight", "Thick-set", "Lack-exercise", "Balanced",
                                           "Balanced-muscular", "Skinny", "Balanced-skinny", "Skinny-muscular"])
        # Retained: a subscriber that comes later gets it.
        self.assertEqual(retained(self.broker, "miscale/adam/weight")["miscale/adam/weight"], messages[0][2])
        self.assertEqual(retained(self.broker, "miscale/availability")["miscale/availability"], "online")
        status = json.loads(retained(self.broker, "miscale/status")["miscale/status"])
        self.assertEqual(status["state"], "online")
        self.assertEqual(status["last_reading"], expected)
        self.assertEqual(status["pending_uploads"], 0)
        self.assertEqual(status["garmin"]["uploads"], "off")

    def test_home_assistant_discovery_for_every_metric_is_retained(self):
        self.start_connected()
        configs = {}
        wait_until(lambda: len(configs.update(retained(self.broker, "homeassistant/#")) or configs) >= len(METRICS),
                   timeout=5 * TIME_SCALE, what="discovery configs")
        self.assertEqual(sorted(configs), sorted(f"homeassistant/sensor/ble2garmin_adam/{m}/config" for m in METRICS))
        for metric in METRICS:
            config = json.loads(configs[f"homeassistant/sensor/ble2garmin_adam/{metric}/config"])
            self.assertEqual(config["unique_id"], f"ble2garmin_adam_{metric}")
            self.assertEqual(config["availability_topic"], "miscale/availability")
            self.assertEqual(config["device"]["identifiers"], ["ble2garmin_adam"])
            self.assertIn(metric, config["value_template"])
            expected_topic = "miscale/adam/blood_pressure" if metric in ("systolic", "diastolic", "pulse") \
                else "miscale/adam/weight"
            self.assertEqual(config["state_topic"], expected_topic)
            if metric != "body_type":
                self.assertEqual(config["state_class"], "measurement")
            else:
                self.assertNotIn("state_class", config)
        weight = json.loads(configs["homeassistant/sensor/ble2garmin_adam/weight/config"])
        self.assertEqual((weight["unit_of_measurement"], weight["device_class"]), ("kg", "weight"))
        self.assertEqual(json.loads(configs["homeassistant/sensor/ble2garmin_adam/body_fat/config"])
                         ["unit_of_measurement"], "%")
        self.assertEqual(json.loads(configs["homeassistant/sensor/ble2garmin_adam/systolic/config"])
                         ["unit_of_measurement"], "mmHg")
        self.assertEqual(json.loads(configs["homeassistant/sensor/ble2garmin_adam/impedance/config"])
                         ["unit_of_measurement"], "Ω")

    def test_an_idle_connection_is_kept_alive_by_the_loop(self):
        # keepalive_seconds = 5: the broker drops a client it hears nothing from for 7.5 s. The daemon
        # has no network thread; its loop must ping on time while nothing else happens.
        self.start_connected()
        time.sleep(9.0)
        self.assertNotIn("exceeded timeout", self.broker.text())
        self.assertNotIn("connection lost", self.daemon.text())
        self.assertRegex(self.broker.text(), r"Received PINGREQ from ble2garmin-")

    def test_stopping_says_offline(self):
        self.start_connected()
        self.daemon.stop()
        self.assertEqual(retained(self.broker, "miscale/availability")["miscale/availability"], "offline")


class BrokerOutageTest(MqttCase):
    """Acceptance: a broker stopped during three weighings and restarted: all three published, once each."""

    def test_broker_stopped_during_three_weighings(self):
        subscriber = self.subscribe(["miscale/adam/weight"], name="before")
        self.start_connected()
        base = int(time.time()) - 600
        self.bluez.play_weighing("hci0", SCALE, weighing_with(base, 11000), interval=0.02)
        subscriber.wait("miscale/adam/weight")
        subscriber.stop()
        self.subscribers.remove(subscriber)
        self.broker.stop()
        self.daemon.wait_log(r"MQTT broker 127\.0\.0\.1:\d+ not connected: connection lost")
        for i, raw in enumerate((11040, 11080, 11120)):  # 55.2, 55.4, 55.6 kg
            self.bluez.play_weighing("hci0", SCALE, weighing_with(base + 60 * (i + 1), raw), interval=0.02)
        wait_until(lambda: len(self.rows()) == 4, timeout=5 * TIME_SCALE, what="4 rows")
        self.assertIn("3 to publish", self.status_words())
        self.broker.start()
        after = self.subscribe(["miscale/adam/weight"], name="after")
        messages = after.wait("miscale/adam/weight", count=3, timeout=10)
        time.sleep(1.0 * TIME_SCALE)  # and nothing more
        weights = [json.loads(payload)["weight"] for _, _, payload in after.messages("miscale/adam/weight")]
        self.assertEqual(weights, [55.2, 55.4, 55.6], messages)  # oldest first, once each, not the first again
        position = json.loads((self.state / "mqtt_published.json").read_text())
        self.assertEqual(position["scale"]["rows"], 4)
        self.assertEqual(position["scale"]["last"], base + 180)
        self.assertEqual(oct((self.state / "mqtt_published.json").stat().st_mode & 0o777), "0o600")

    def test_daemon_restarted_during_the_outage_publishes_after_the_broker_returns(self):
        self.start_connected()
        self.broker.stop()
        self.daemon.wait_log(r"connection lost")
        base = int(time.time()) - 300
        self.bluez.play_weighing("hci0", SCALE, weighing_with(base, 11040), interval=0.02)
        self.bluez.play_weighing("hci0", SCALE, weighing_with(base + 60, 11080), interval=0.02)
        wait_until(lambda: len(self.rows()) == 2, timeout=5 * TIME_SCALE, what="2 rows")
        self.assertEqual(self.daemon.stop(), 0)
        self.start_daemon()
        self.daemon.wait_log(r"MQTT: 2 rows to publish from the scale backup")
        self.broker.start()
        after = self.subscribe(["miscale/adam/weight"], name="after")
        after.wait("miscale/adam/weight", count=2, timeout=10)
        time.sleep(0.5 * TIME_SCALE)
        self.assertEqual([json.loads(p)["weight"] for _, _, p in after.messages("miscale/adam/weight")], [55.2, 55.4])
        # A third start publishes nothing again.
        self.assertEqual(self.daemon.stop(), 0)
        again = self.subscribe(["miscale/adam/weight"], name="again")
        self.start_connected()
        time.sleep(1.0 * TIME_SCALE)
        self.assertEqual([m for m in again.messages("miscale/adam/weight") if not m[0]], [])

    def status_words(self):
        path = self.state / "status.json"
        wait_until(lambda: path.exists() and "to publish" in path.read_text(), timeout=5 * TIME_SCALE,
                   what="status.json with the backlog")
        return path.read_text()


class RemovedUserTest(MqttCase):
    more_users = BEATA

    def test_entities_of_a_removed_user_are_deleted(self):
        self.start_connected()
        wait_until(lambda: len(retained(self.broker, "homeassistant/sensor/ble2garmin_beata/#")) == len(METRICS),
                   timeout=5 * TIME_SCALE, what="beata's entities")
        self.assertEqual(self.daemon.stop(), 0)
        self.more_users = ""
        self.write_config()
        self.start_connected()
        self.daemon.wait_log(r"removing the Home Assistant entities of user=beata")
        wait_until(lambda: not retained(self.broker, "homeassistant/sensor/ble2garmin_beata/#"),
                   timeout=5 * TIME_SCALE, what="beata's entities gone")
        self.assertEqual(len(retained(self.broker, "homeassistant/sensor/ble2garmin_adam/#")), len(METRICS))


class FlatTopicsTest(MqttCase):
    mqtt_extra = "flat_topics = true\nprotocol = \"3.1.1\""

    def test_flat_topics_carry_plain_numbers(self):
        subscriber = self.subscribe(["miscale/adam/+"])
        self.start_connected()
        self.bluez.play_weighing("hci0", SCALE, weighing(int(time.time()) - 30), interval=0.02)
        self.assertEqual(subscriber.wait("miscale/adam/weight")[0][1], "miscale/adam/weight")
        wait_until(lambda: subscriber.messages("miscale/adam/bmi"), timeout=2 * TIME_SCALE, what="flat bmi")
        self.assertEqual(subscriber.messages("miscale/adam/bmi")[0][2], "18.66")
        self.assertEqual(subscriber.messages("miscale/adam/impedance")[0][2], "508")


class WrongPasswordTest(MqttCase):
    def broker_options(self):
        passwd = self.work / "passwd"
        passwd.write_text("")
        subprocess.run(["mosquitto_passwd", "-b", str(passwd), "scale", "right-secret"], check=True)
        return {"password_file": passwd}

    def write_config(self):
        secret = self.dir / "mqtt-password"
        secret.write_text("wrong-secret\n")
        secret.chmod(0o600)
        self.mqtt_extra = f'username = "scale"\npassword_file = "{secret}"'
        super().write_config()

    def test_wrong_password_is_one_clear_error_and_retried_with_back_off(self):
        self.start_daemon()
        self.daemon.wait_log(r"refused the login", timeout=5)
        self.daemon.wait_log(r"still not connected", timeout=5 * TIME_SCALE, count=2)
        text = self.daemon.text()
        # One error line for the cause; the retries at debug level, spaced by the back-off (1 s, then
        # 2 s: reconnect_max_seconds), measured between the log lines' own times (an emulated or slow
        # machine takes longer, never shorter).
        attempts = [l for l in text.splitlines() if "refused the login" in l]
        self.assertEqual(len([l for l in attempts if " error " in l]), 1, text)
        self.assertEqual(len([l for l in attempts if "still not connected" in l]), len(attempts) - 1, text)
        times = [datetime.datetime.strptime(l[:23], "%Y-%m-%d %H:%M:%S.%f") for l in attempts]
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
        self.assertGreaterEqual(gaps[0], 0.85, text)  # ±10 % jitter
        self.assertTrue(all(gap >= 1.75 for gap in gaps[1:]), text)
        self.assertNotIn("wrong-secret", text)
        # The right password (SIGHUP reload) connects.
        (self.dir / "mqtt-password").write_text("right-secret\n")
        self.daemon.process.send_signal(__import__("signal").SIGHUP)
        self.daemon.wait_log(r"MQTT broker 127\.0\.0\.1:\d+ connected", timeout=10)
        self.assertNotIn("right-secret", self.daemon.text())


class TlsTest(MqttCase):
    def broker_options(self):
        ca = make_test_ca(self.work / "tls")
        self.tls_files = ca
        return {"tls": ca}

    def write_config(self):
        self.mqtt_extra = f'ca_file = "{self.tls_files["ca"]}"'
        super().write_config()

    def test_tls_with_a_test_ca(self):
        subscriber = self.subscribe(["miscale/adam/weight"])
        self.start_connected()
        self.bluez.play_weighing("hci0", SCALE, weighing(int(time.time()) - 30), interval=0.02)
        self.assertEqual(json.loads(subscriber.wait("miscale/adam/weight")[0][2])["weight"], 55.2)
        self.assertIn("tls=on", self.daemon.text())


class TlsUntrustedTest(TlsTest):
    def write_config(self):
        other = make_test_ca(self.work / "other", name="Other CA")
        self.mqtt_extra = f'ca_file = "{other["ca"]}"'
        MqttCase.write_config(self)

    def test_tls_with_a_test_ca(self):
        self.start_daemon()
        self.daemon.wait_log(r"not connected: the TLS handshake failed", timeout=5)
        self.assertNotRegex(self.daemon.text(), r"MQTT broker 127\.0\.0\.1:\d+ connected")


class TlsClientCertificateTest(MqttCase):
    """The broker requires a client certificate signed by the test CA: with cert_file and key_file the
    daemon is let in; without them it is not."""

    def broker_options(self):
        self.tls_files = make_test_ca(self.work / "tls", client=self.work / "client")
        return {"tls": dict(self.tls_files, require_certificate=True)}

    def write_config(self):
        files = self.tls_files
        self.mqtt_extra = (f'ca_file = "{files["ca"]}"\ncert_file = "{files["client_cert"]}"\n'
                           f'key_file = "{files["client_key"]}"')
        super().write_config()

    def test_client_certificate(self):
        self.start_connected()
        self.assertIn("tls=on", self.daemon.text())
        self.assertEqual(self.daemon.stop(), 0)
        self.mqtt_extra = f'ca_file = "{self.tls_files["ca"]}"'
        MqttCase.write_config(self)
        self.start_daemon()
        # The broker's alert (a protocol error), a reset or a TLS error, depending on who is quicker.
        self.daemon.wait_log(r"not connected: .*(did the broker refuse|the broker refused) the client certificate",
                             timeout=5 * TIME_SCALE)
        self.assertNotRegex(self.daemon.text(), r"MQTT broker 127\.0\.0\.1:\d+ connected")


class NodeRedFlowTest(unittest.TestCase):
    """docs/mqtt/node-red-flow.json imports as is: a JSON array of nodes with unique ids, every node on
    the flow's tab, every wire and broker reference pointing at a node of the file, and the input on
    the state topic this page documents (default prefix "miscale")."""

    def test_flow_is_complete(self):
        flow = json.loads((Path(__file__).parents[2] / "docs" / "mqtt" / "node-red-flow.json").read_text())
        ids = [node["id"] for node in flow]
        self.assertEqual(len(ids), len(set(ids)))
        tabs = {node["id"] for node in flow if node["type"] == "tab"}
        brokers = {node["id"] for node in flow if node["type"] == "mqtt-broker"}
        self.assertEqual(len(tabs), 1)
        for node in flow:
            if node["type"] in ("tab", "mqtt-broker"):
                continue
            self.assertIn(node["z"], tabs, node["id"])
            for output in node["wires"]:
                for target in output:
                    self.assertIn(target, ids, node["id"])
            if node["type"].startswith("mqtt"):
                self.assertIn(node["broker"], brokers)
            if node["type"] == "function":
                self.assertEqual(len(node["wires"]), node["outputs"])
        inputs = [node for node in flow if node["type"] == "mqtt in"]
        self.assertEqual([(n["topic"], n["datatype"]) for n in inputs], [("miscale/+/weight", "json")])


def make_test_ca(directory: Path, name: str = "ble2garmin test CA", client: Path | None = None) -> dict:
    """A CA and a server certificate for 127.0.0.1 / localhost, made with openssl now; with `client`, a
    client certificate and key there too."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert = (directory / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ext = directory / "server.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", f"/CN={name}")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=127.0.0.1")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(cert),
        "-days", "2", "-extfile", str(ext))
    for path in (ca_key, key):
        os.chmod(path, 0o644)  # mosquitto reads it as the test user
    files = {"ca": ca, "cert": cert, "key": key}
    if client:
        client.mkdir(parents=True, exist_ok=True)
        client_key, client_csr, client_cert = client / "client.key", client / "client.csr", client / "client.pem"
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(client_key), "-out", str(client_csr), "-subj",
            "/CN=ble2garmin")
        run("x509", "-req", "-in", str(client_csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out",
            str(client_cert), "-days", "2")
        files.update(client_cert=client_cert, client_key=client_key)
    return files


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:])  # further arguments: test names
