"""`ble2garmin run` against a simulated bluetoothd: a private system bus with python-dbusmock's
bluez5 template (tests/integration/fake_bluez.py). Covers the three routes advertisements arrive
by, duplicates, a bluetoothd restart, adapter loss and power, malformed properties, discovery
restarts, SIGHUP reload, sd_notify and SIGTERM.

Expected rows are worked out by hand: Mi Scale 2 frames are built here from their byte layout
(shared/spec/device-mi-scale.md §2) with the current UTC time as the scale clock, so the row's
Unix time is that clock; 11040 raw = 55.2 kg; impedance 508. User "adam" (male, 172 cm, born
1984-04-02) has the inputs of body-composition.md §8 vector 1 except his age, so BMI is
55.2 / 1.72² = 18.7.
"""
import calendar
import signal
import socket
import struct
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from daemon_harness import DaemonTestCase, receive_until  # noqa: E402
from fake_bluez import TIME_SCALE, wait_until  # noqa: E402

BINARY = sys.argv[1]
SCALE = "C8:47:8C:A1:B2:C3"
OTHER = "D4:11:22:33:44:55"

CONFIG = """
[general]
state_directory = "{state}"
log_level = "debug"

[bluetooth]
adapter = "{adapter}"
silence_restart_seconds = {silence}

[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
min_weight_kg = {min_weight}
max_weight_kg = 65

[devices.mi_scale]
mac = "{scale}"
"""


def frame(control1, when, impedance=0, raw=11040):
    """A Mi Scale 2 payload: control bytes, scale clock (UTC), impedance, weight raw (LE)."""
    t = time.gmtime(when)
    return (bytes([0x02, control1]) + struct.pack("<HBBBBB", t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min,
                                                  t.tm_sec) + struct.pack("<HH", impedance, raw)).hex()


def weighing(when):
    """What the scale sends for one weighing: stable weight x3, then with impedance x3, then the
    step-off frame."""
    stable = frame(0x24, when)
    final = frame(0x26, when, impedance=508)
    return [stable, stable, stable, final, final, final, frame(0xA6, when, impedance=508)]


class DaemonTest(DaemonTestCase):
    binary = BINARY

    def write_config(self, adapter="", silence=600, min_weight=50):
        self.config.write_text(CONFIG.format(state=self.state, adapter=adapter, silence=silence,
                                             min_weight=min_weight, scale=SCALE))

    def wait_rows(self, count, timeout=5.0):
        wait_until(lambda: len(self.rows()) >= count, timeout=timeout, what=f"{count} CSV rows")
        time.sleep(0.3)  # and no more than that
        self.assertEqual(len(self.rows()), count, self.rows())

    # --- acceptance ------------------------------------------------------------------------------

    def test_one_weighing_gives_one_row_within_a_second(self):
        self.start_daemon()
        when = int(time.time())
        frames = weighing(when)
        self.bluez.play_weighing("hci0", SCALE, frames[:3], interval=0.05)
        self.daemon.wait_log(r"frame not final: waiting for impedance", count=3)
        self.assertEqual(self.rows(), [])
        sent = time.monotonic()
        self.bluez.play_weighing("hci0", SCALE, frames[3:], interval=0.05)
        wait_until(lambda: self.rows(), timeout=1.0, what="the row within 1 s")
        self.assertLess(time.monotonic() - sent, 1.0 * TIME_SCALE)
        time.sleep(0.3)
        self.assertEqual(self.measured_rows(), [f"local;{when};55.2;508"])
        # Garmin is off: the row is complete at once (export2garmin's 24 columns, no upload time);
        # BMI 55.2 / 1.72² = 18.66, Email User is the user's name (no garmin_email).
        self.assertRegex(self.rows()[0], rf"^local;{when};\d\d\.\d\d\.\d{{4}};\d\d:\d\d;55\.2;0\.0;18\.7;\d+\.\d;"
                                         r"([^;]*;){11}508;adam;;;$")
        self.daemon.wait_log(r"measurement recorded module=mi_scale2 device=C8:47:8C:A1:B2:C3 user=adam "
                             r"weight_kg=55\.2 impedance=508 bmi=18\.7 body_fat=\d+\.\d")

    def test_discovery_filter_is_le_with_duplicates_and_no_uuids(self):
        self.start_daemon()
        calls = self.bluez.get_method_calls("hci0", "SetDiscoveryFilter")
        self.assertTrue(calls)
        arguments = calls[-1][2][0] if isinstance(calls[-1], (list, tuple)) and len(calls[-1]) > 2 else None
        self.assertEqual(self.bluez.discovery_filter("hci0"), {"Transport": "le", "DuplicateData": True}, arguments)
        self.assertTrue(self.bluez.get_method_calls("hci0", "StartDiscovery"))

    def test_bluetoothd_restart_keeps_readings_flowing(self):
        self.start_daemon()
        first = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(first), interval=0.02)
        self.wait_rows(1)
        self.bluez.restart_bluetoothd()
        self.bluez.add_adapter("hci0")
        self.daemon.wait_log(r"discovery started on hci0", count=2)
        second = first + 120
        self.bluez.play_weighing("hci0", SCALE, weighing(second)[3:], interval=0.02)
        self.wait_rows(2)
        self.assertEqual(self.measured_rows()[1], f"local;{second};55.2;508")
        self.assertIsNone(self.daemon.process.poll())
        # bluetoothd adds its adapter a moment after taking the bus name: no false "no adapter".
        self.assertNotIn("no Bluetooth adapter", self.daemon.text())

    def test_adapter_removal_and_return(self):
        self.start_daemon()
        self.bluez.remove_adapter("hci0")
        self.daemon.wait_log(r"adapter hci0 disappeared")
        # Still gone after bluetoothd's grace: now it is said, once.
        self.daemon.wait_log(r"warn(ing)?\s+bluez: no Bluetooth adapter found, waiting for one", timeout=8)
        self.bluez.add_adapter("hci0")
        self.daemon.wait_log(r"discovery started on hci0", count=2)
        when = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(when)[3:], interval=0.02)
        self.wait_rows(1)

    def test_adapter_power_cycle_restarts_discovery(self):
        self.start_daemon()
        self.bluez.set_powered("hci0", False)  # Discovering=false first, then Powered=false, as bluetoothd
        self.daemon.wait_log(r"adapter hci0 powered off")
        time.sleep(2.5)  # longer than the wait for a Powered=false that explains a stopped discovery
        # One line for one cause: no "stopped by another program", no NotReady from a restart attempt.
        warnings = [line for line in self.daemon.text().splitlines() if " warn" in line]
        self.assertEqual(len(warnings), 1, warnings)
        self.assertIn("adapter hci0 powered off; waiting for power", warnings[0])
        self.bluez.set_powered("hci0", True)
        self.daemon.wait_log(r"discovery started on hci0 reason=adapter powered on")

    def test_discovery_stopped_by_someone_else_is_restarted(self):
        self.start_daemon()
        self.bluez.set_discovering("hci0", False)
        self.daemon.wait_log(r"discovery started on hci0 reason=stopped by another program")
        self.assertIn("discovery on hci0 was stopped by another program; started it again", self.daemon.text())

    def test_a_never_set_scale_clock_is_said_once_in_words(self):
        self.start_daemon()
        for count, when in enumerate((10_681_321, 10_681_921), start=1):  # 1970-05-04, as after a battery change
            self.bluez.play_weighing("hci0", SCALE, weighing(when), interval=0.02)
            self.wait_rows(count)
        said = [line for line in self.daemon.text().splitlines() if "scale clock is" in line]
        self.assertEqual(len(said), 1, said)
        self.assertRegex(said[0], r"info +pipeline: scale clock is 5\d\.\d years behind; using the receive time "
                                  r".* device=C8:47:8C:A1:B2:C3$")

    def test_silence_watchdog_restarts_discovery(self):
        self.write_config(silence=1)
        self.start_daemon()
        self.daemon.wait_log(r"nothing heard on hci0 for 1 s; restarting discovery", timeout=5)
        self.daemon.wait_log(r"discovery started on hci0 reason=silence watchdog")

    # --- the three routes ------------------------------------------------------------------------

    def test_route_get_managed_objects(self):
        when = int(time.time())
        self.bluez.add_device("hci0", SCALE, "MIBFS", typed=True)
        self.bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when, impedance=508))
        self.start_daemon()
        self.wait_rows(1)
        self.assertEqual(self.measured_rows(), [f"local;{when};55.2;508"])

    def test_route_interfaces_added(self):
        self.start_daemon()
        when = int(time.time())
        self.bluez.emit_device_added("hci0", SCALE, alias="MIBFS",
                                     service_data={0x181B: frame(0x26, when, impedance=508)})
        self.wait_rows(1)

    def test_route_properties_changed_and_duplicates(self):
        self.start_daemon()
        self.bluez.add_device("hci0", SCALE, "MIBFS", typed=True)
        when = int(time.time())
        for _ in range(10):
            self.bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when, impedance=508))
        self.wait_rows(1)

    def test_other_devices_and_other_adapters_are_ignored(self):
        self.bluez.add_adapter("hci1")
        self.write_config(adapter="hci0")
        self.start_daemon()
        when = int(time.time())
        self.bluez.play_weighing("hci0", OTHER, weighing(when), interval=0.0)
        self.bluez.play_weighing("hci1", SCALE, weighing(when), interval=0.0)
        # A sentinel from the right scale on the right adapter: the bus delivers in order, so once
        # its row is there, the frames above were seen and ignored.
        self.bluez.play_weighing("hci0", SCALE, [frame(0x26, when + 30, impedance=508)], interval=0.0)
        self.wait_rows(1)
        self.assertEqual(self.measured_rows(), [f"local;{when + 30};55.2;508"])

    # --- scan ------------------------------------------------------------------------------------

    def test_scan_lists_recognised_devices_with_their_last_value(self):
        scan = subprocess.Popen([BINARY, "scan", "--seconds", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=self.bluez.env())
        time.sleep(1.0)
        when = int(time.time())
        self.bluez.emit_device_added("hci0", SCALE, alias="MIBFS", service_data={0x181B: frame(0x26, when, 508)},
                                     rssi=-58)
        self.bluez.emit_device_added("hci0", OTHER, alias="phone", manufacturer_data={0x004C: "0215"})
        out, err = scan.communicate(timeout=10)
        self.assertEqual(scan.returncode, 0, err)
        self.assertIn("1 recognised device", out)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when))
        self.assertRegex(out, rf"{SCALE}  mi_scale2  rssi -58  MIBFS  .*\"weight_kg\":55\.2.*\"impedance_ohm\":508"
                              rf".*\"timestamp\":\"{stamp}\"")
        self.assertNotIn(OTHER, out)

    # --- bad input -------------------------------------------------------------------------------

    def test_malformed_property_types_are_logged_and_skipped(self):
        import dbus
        self.start_daemon()
        path = self.bluez.add_device("hci0", SCALE, "MIBFS", typed=False)  # dbusmock's aa{sv}
        self.bluez.emit_properties_changed(path, "org.bluez.Device1",
                                           {"ServiceData": dbus.String("oops", variant_level=1)})
        self.bluez.emit_properties_changed(path, "org.bluez.Device1", {"RSSI": dbus.String("loud", variant_level=1)})
        self.bluez.emit_properties_changed(path, "org.bluez.Device1", {
            "ServiceData": dbus.Dictionary({"0000181b-0000-1000-8000-00805f9b34fb": dbus.String("x", variant_level=1)},
                                           signature="sv", variant_level=1)})
        self.daemon.wait_log(r"device properties skipped: ServiceData has type")
        # A truncated frame: one clear line, the daemon keeps running.
        self.bluez.set_service_data("hci0", SCALE, 0x181B, "0226b207")
        self.daemon.wait_log(r"advertisement not decoded: Mi Scale 2 payload must be 13 bytes, got 4")
        when = int(time.time())
        self.bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when, impedance=508))
        self.wait_rows(1)
        self.assertIsNone(self.daemon.process.poll())

    # --- signals and systemd ---------------------------------------------------------------------

    def test_sigterm_during_activity_stops_within_two_seconds(self):
        self.start_daemon()
        self.bluez.add_device("hci0", SCALE, "MIBFS", typed=True)
        when = int(time.time())
        self.bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when - 60, impedance=508))
        self.wait_rows(1)
        for i in range(20):
            self.bluez.set_service_data("hci0", SCALE, 0x181B, frame(0x26, when + i, impedance=508))
        started = time.monotonic()
        self.daemon.process.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.process.wait(timeout=2 * TIME_SCALE), 0)
        self.assertLess(time.monotonic() - started, 2.0 * TIME_SCALE)
        rows = self.measured_rows()
        self.assertTrue(rows)
        for row in rows:  # every row complete
            self.assertRegex(row, r"^local;\d{10};55\.2;508$")
        self.assertIn("signal SIGTERM received, stopping", self.daemon.text())

    def test_sighup_reloads_and_keeps_the_old_config_when_the_new_one_is_invalid(self):
        self.start_daemon()
        self.config.write_text(self.config.read_text() + "\n[pipeline]\nno_such_key = 1\n")
        self.daemon.process.send_signal(signal.SIGHUP)
        self.daemon.wait_log(r"configuration not reloaded, keeping the running one: .*no_such_key")
        when = int(time.time())
        self.bluez.play_weighing("hci0", SCALE, weighing(when)[3:4], interval=0.0)
        self.wait_rows(1)
        self.assertEqual(self.measured_rows(), [f"local;{when};55.2;508"])
        # A valid new config: adam's range no longer contains 55.2 kg → the next weighing is unassigned.
        self.write_config(min_weight=60)
        self.daemon.process.send_signal(signal.SIGHUP)
        self.daemon.wait_log(r"configuration reloaded from")
        self.bluez.play_weighing("hci0", SCALE, [frame(0x26, when + 60, impedance=508)], interval=0.0)
        self.wait_rows(2)
        self.assertEqual(self.rows()[1], f"unassigned;{when + 60};55.2;508")

    def test_losing_the_system_bus_exits_cleanly_for_a_restart(self):
        self.start_daemon()
        self.bluez._bus_process.kill()  # dbus-daemon gone: nothing can be heard any more
        self.assertEqual(self.daemon.process.wait(timeout=5), 4)
        self.assertIn("system D-Bus connection lost", self.daemon.text())
        self.assertNotIn("terminate called", self.daemon.text())
        self.expected_exit = 4

    def test_sd_notify_ready_status_and_stopping(self):
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = str(self.dir / "notify.sock")
        notify.bind(path)
        notify.settimeout(5)
        try:
            self.start_daemon(notify_socket=path)
            ready = receive_until(notify, "READY=1")[-1]
            self.assertIn("STATUS=scanning hci0 · 1 device · no reading yet", ready)
            when = int(time.time())
            self.bluez.play_weighing("hci0", SCALE, weighing(when)[3:4], interval=0.0)
            hhmm = time.strftime("%H:%M", time.localtime(when))
            self.assertEqual(receive_until(notify, "last reading")[-1],
                             f"STATUS=scanning hci0 · 1 device · last reading {hhmm}")
            self.daemon.process.send_signal(signal.SIGTERM)
            self.assertEqual(self.daemon.process.wait(timeout=2), 0)
            receive_until(notify, "STOPPING=1")
        finally:
            notify.close()

    def test_waiting_for_bluez_is_ready_and_says_so(self):
        self.bluez.stop_bluetoothd()
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        path = str(self.dir / "notify.sock")
        notify.bind(path)
        notify.settimeout(5)
        try:
            self.start_daemon(notify_socket=path)
            self.assertIn("STATUS=waiting for bluetoothd", receive_until(notify, "READY=1")[-1])
            self.bluez.start_bluetoothd()
            self.bluez.add_adapter("hci0")
            self.daemon.wait_log(r"discovery started on hci0")
        finally:
            notify.close()


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
