"""What ble2garmin takes in over MQTT, against a real mosquitto on loopback: export2garmin's ESP32
feed (shared/spec/export2garmin-compat.md §3) and the advertisements gateways relay to a hub.

Expected rows are export2garmin's, worked out from the spec: the ESP32 payload "T;58.4;521;3.5;5"
becomes the pending row "to_import;T;58.4;521;3.5;5" under the header with ";Battery [V];Battery [%]"
(§6.1) — the row export2garmin's import_data.sh writes with the time zone UTC (its +tz×3600
correction is 0 there, the one difference elsewhere: defect 2 of §12)."""
import json
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from daemon_harness import Daemon, DaemonTestCase  # noqa: E402
from daemon_test import SCALE, frame  # noqa: E402
from fake_bluez import TIME_SCALE, FakeBluez, wait_until  # noqa: E402
import mqtt_broker  # noqa: E402
from mqtt_broker import Broker, publish  # noqa: E402

BINARY = sys.argv[1]

EXPORT2GARMIN_HEADER = (
    "Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
    "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
    "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
    "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]"
    ";Battery [V];Battery [%]")

USER = """
[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
min_weight_kg = 50
max_weight_kg = 65
garmin_email = "adam@example.com"
"""

ESP32_CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"
timezone = "UTC"

[garmin]
enabled = true
dry_run = true
{user}
[devices.mi_scale]
mac = "{scale}"

[mqtt]
host = "127.0.0.1"
port = {port}
esp32 = true
reconnect_min_seconds = 1
reconnect_max_seconds = 2
"""

GATEWAY_CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"

[devices.mi_scale]
mac = "{scale}"

[mqtt]
host = "127.0.0.1"
port = {port}
role = "gateway"
gateway_name = "{name}"
reconnect_min_seconds = 1
reconnect_max_seconds = 2
"""

HUB_CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"
timezone = "UTC"
{user}
[devices.mi_scale]
mac = "{scale}"

[mqtt]
host = "127.0.0.1"
port = {port}
role = "hub"
reconnect_min_seconds = 1
reconnect_max_seconds = 2
"""


def weighing_with(when, raw):
    stable = frame(0x24, when, raw=raw)
    final = frame(0x26, when, impedance=508, raw=raw)
    return [stable, final, final, frame(0xA6, when, impedance=508, raw=raw)]


class BrokerCase(DaemonTestCase):
    def setUp(self):
        self.broker_dir = tempfile.TemporaryDirectory()
        self.work = Path(self.broker_dir.name)
        self.broker = Broker(self.work / "broker").start()
        super().setUp()

    def tearDown(self):
        try:
            super().tearDown()
        finally:
            self.broker.stop()
            self.broker_dir.cleanup()

    def start_connected(self):
        self.start_daemon()
        self.daemon.wait_log(r"MQTT broker 127\.0\.0\.1:\d+ connected")

    def journal(self):
        path = self.state / "measurements.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@unittest.skipUnless(mqtt_broker.available(), "mosquitto and mosquitto_sub are needed (scripts/install-deps)")
class Esp32Test(BrokerCase):
    binary = BINARY

    def write_config(self):
        self.config.write_text(ESP32_CONFIG.format(state=self.state, user=USER, scale=SCALE, port=self.broker.port))

    def test_esp32_payload_becomes_export2garmins_row(self):
        when = int(time.time()) - 120
        # Retained, as the sketch publishes it: the daemon gets it when it subscribes.
        publish(self.broker, "data", f"{when};58.4;521;3.5;5", retain=True)
        self.start_connected()
        wait_until(lambda: self.rows(), timeout=3 * TIME_SCALE, what="the ESP32 row")
        self.assertEqual(self.lines(), [EXPORT2GARMIN_HEADER, f"to_import;{when};58.4;521;3.5;5"])
        self.assertEqual(self.journal()[-1]["source"], "mqtt:data")
        # The retained message again at the next start: the same weighing, no second row.
        self.assertEqual(self.daemon.stop(), 0)
        self.start_connected()
        self.daemon.wait_log(r"duplicate|already recorded", timeout=3)
        time.sleep(0.3)
        self.assertEqual(len(self.rows()), 1)

    def test_bad_payloads_are_one_line_each_and_never_a_row(self):
        self.start_connected()
        now = int(time.time())
        bad = {
            "abc": "expected 5 fields",
            f"{now};58.4;521;3.5": "expected 5 fields",
            f"{now};58,4;521;3.5;5": "weight",
            f"{now};58.4;-1;3.5;5": "impedance",
            f"{now};999;521;3.5;5": "weight",
            f"{now};58.4;521;3.5;101": "battery percent",
            f"{now - 7200};58.4;521;3.5;5": "away from now",
            "\x00\xff;;;;": "unix time",
        }
        for payload in bad:
            publish(self.broker, "data", payload)
        for payload, cause in bad.items():
            self.daemon.wait_log(r"MQTT message ignored: [^\n]*" + cause, timeout=3)
        text = self.daemon.text()
        self.assertEqual(len([line for line in text.splitlines() if "MQTT message ignored" in line]), len(bad), text)
        self.assertEqual(self.rows(), [])
        self.assertIsNone(self.daemon.process.poll())
        # And a good one after them is taken.
        publish(self.broker, "data", f"{now - 60};58.4;521;3.5;5")
        wait_until(lambda: self.rows(), timeout=3 * TIME_SCALE, what="the good row")


@unittest.skipUnless(mqtt_broker.available(), "mosquitto and mosquitto_sub are needed (scripts/install-deps)")
class GatewayHubTest(BrokerCase):
    """Acceptance: two gateways and one hub on one broker: one CSV row per weighing, the hub's row names
    the gateway(s)."""
    binary = BINARY

    def write_config(self):
        self.config.write_text(HUB_CONFIG.format(state=self.state, user=USER.replace(
            'garmin_email = "adam@example.com"\n', ""), scale=SCALE, port=self.broker.port))

    def start_gateway(self, name):
        folder = self.dir / name
        folder.mkdir()
        bluez = FakeBluez(workdir=folder / "bus", export_env=False).start()
        bluez.add_adapter("hci0")
        config = folder / "ble2garmin.toml"
        config.write_text(GATEWAY_CONFIG.format(state=folder / "state", scale=SCALE, port=self.broker.port, name=name))
        daemon = Daemon(self.binary, config, bluez.env())
        daemon.wait_log(r"MQTT broker 127\.0\.0\.1:\d+ connected")
        daemon.wait_log(r"discovery started on hci0")
        self.gateways.append((bluez, daemon, folder))
        return bluez

    def setUp(self):
        self.gateways = []
        super().setUp()

    def tearDown(self):
        for bluez, daemon, folder in self.gateways:
            code = daemon.stop()
            bluez.stop()
            if code != 0:
                print(daemon.text(), file=sys.stderr)
        try:
            super().tearDown()
        finally:
            for _, _, folder in self.gateways:
                # A gateway records nothing: no backup, no journal.
                self.assertFalse((folder / "state" / "miscale_backup.csv").exists())

    def test_two_gateways_and_a_hub_one_row_per_weighing(self):
        self.start_connected()
        self.daemon.wait_log(r"MQTT taking in topic=ble2garmin/gateway/\+")
        bathroom = self.start_gateway("bathroom")
        hall = self.start_gateway("hall")
        base = int(time.time()) - 300
        # Weighing 1 heard by both gateways (interleaved), weighing 2 by the hall only.
        frames = weighing_with(base, 11040)
        for f in frames:
            bathroom.play_weighing("hci0", SCALE, [f], interval=0)
            hall.play_weighing("hci0", SCALE, [f], interval=0)
            time.sleep(0.05)
        wait_until(lambda: len(self.rows()) == 1, timeout=3 * TIME_SCALE, what="the first row")
        hall.play_weighing("hci0", SCALE, weighing_with(base + 120, 11080), interval=0.05)
        wait_until(lambda: len(self.rows()) == 2, timeout=3 * TIME_SCALE, what="the second row")
        time.sleep(1.0 * TIME_SCALE)
        self.assertEqual(self.measured_rows(), [f"local;{base};55.2;508", f"local;{base + 120};55.4;508"])
        sources = [entry.get("source") for entry in self.journal()]
        self.assertIn(sources[0], ("mqtt:bathroom", "mqtt:hall"))
        self.assertEqual(sources[1], "mqtt:hall")
        self.daemon.wait_log(r"measurement recorded [^\n]*source=mqtt:(bathroom|hall)", count=2)
        # The hub's own radio heard nothing; the gateways' advertisements were taken as local ones.
        self.assertNotIn("MQTT message ignored", self.daemon.text())

    def test_bad_gateway_messages_are_ignored(self):
        self.start_connected()
        self.daemon.wait_log(r"MQTT taking in topic=ble2garmin/gateway/\+")
        bad = {
            "not json": "not a JSON object",
            '{"g":"x","a":"C8:47:8C:A1:B2:C3","t":1764745200123,"s":{"181b":"zz"}}': "not hex",
            '{"g":"x","a":"nope","t":1764745200123,"s":{"181b":"00"}}': "device address",
            '{"g":"y","a":"C8:47:8C:A1:B2:C3","t":1764745200123,"s":{"181b":"00"}}': "topic",
            '{"g":"x","a":"C8:47:8C:A1:B2:C3","t":1764745200123}': "neither service data",
        }
        for payload in bad:
            publish(self.broker, "ble2garmin/gateway/x", payload)
        for cause in bad.values():
            self.daemon.wait_log(r"MQTT message ignored: [^\n]*" + cause, timeout=3)
        self.assertEqual(self.rows(), [])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:])  # further arguments: test names
