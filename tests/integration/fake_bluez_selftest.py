"""Self-test of fake_bluez.py: the simulated BlueZ behaves as the daemon's integration tests assume.

Run with the system interpreter (it has python3-dbus and python3-dbusmock):
    /usr/bin/python3 tests/integration/fake_bluez_selftest.py [path/to/ble2garmin]   # argument unused
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dbus  # noqa: E402

import fake_bluez  # noqa: E402
from fake_bluez import FakeBluez  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "fake_bluez.py"
SCALE = "C8:47:8C:00:00:01"
SCALE_PATH = "/org/bluez/hci0/dev_C8_47_8C_00_00_01"
MI_SCALE_2 = "0000181b-0000-1000-8000-00805f9b34fb"
# Mi Scale 2 vector of shared/spec/test-tools.md §3 (stabilised, with impedance).
FRAME = "0226b20705040f0201ac018642"


def pid_alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def processes_mentioning(text):
    """Live PIDs whose command line or environment contains `text`: the dbus-daemon names its
    config file, the mock inherits DBUS_SYSTEM_BUS_ADDRESS (to find what a child left behind)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                blob = entry.joinpath("cmdline").read_bytes() + entry.joinpath("environ").read_bytes()
            except OSError:
                continue
            if text.encode() in blob and pid_alive(entry.name):
                found.append(int(entry.name))
    return found


class DaemonLikeClient:
    """Calls BlueZ the way ble2garmin's scanner does, on its own connection."""

    def __init__(self, address):
        self.bus = dbus.bus.BusConnection(address)

    def adapter(self, name="hci0"):
        return dbus.Interface(self.bus.get_object("org.bluez", f"/org/bluez/{name}"), "org.bluez.Adapter1")

    def start_scanning(self, name="hci0"):
        adapter = self.adapter(name)
        adapter.SetDiscoveryFilter(dbus.Dictionary({"Transport": "le", "DuplicateData": True}, signature="sv"))
        adapter.StartDiscovery()

    def managed_objects(self):
        manager = dbus.Interface(self.bus.get_object("org.bluez", "/"), "org.freedesktop.DBus.ObjectManager")
        return fake_bluez.to_native(manager.GetManagedObjects())

    def close(self):
        self.bus.close()


class FakeBluezTest(unittest.TestCase):
    def setUp(self):
        self.saved_env = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
        self.bluez = FakeBluez().start()
        self.addCleanup(self.bluez.stop)
        self.client = DaemonLikeClient(self.bluez.address)
        self.addCleanup(self.client.close)

    def test_bus_address_is_exported_to_children(self):
        self.assertEqual(os.environ["DBUS_SYSTEM_BUS_ADDRESS"], self.bluez.address)
        self.bluez.add_adapter("hci0")
        # busctl uses sd-bus, like sdbus-c++'s createSystemBusConnection().
        tree = subprocess.run(["busctl", "--system", "tree", "org.bluez"], capture_output=True, text=True, timeout=10)
        self.assertEqual(tree.returncode, 0, tree.stderr)
        self.assertIn("/org/bluez/hci0", tree.stdout)

    def test_discovery_as_the_daemon_starts_it(self):
        self.bluez.add_adapter("hci0")
        with self.bluez.watch_signals(signal_name="PropertiesChanged", path="/org/bluez/hci0") as watcher:
            self.client.start_scanning()
            changed = watcher.wait(lambda s: "Discovering" in s.args[1])
        self.assertEqual(changed.args[0], "org.bluez.Adapter1")
        self.assertIs(changed.args[1]["Discovering"], True)
        calls = self.bluez.get_method_calls("hci0", "SetDiscoveryFilter")
        self.assertEqual([args for _, args in calls], [[{"Transport": "le", "DuplicateData": True}]])
        self.assertEqual(len(self.bluez.get_method_calls("hci0", "StartDiscovery")), 1)
        self.assertEqual(self.bluez.discovery_filter("hci0"), {"Transport": "le", "DuplicateData": True})
        self.assertIs(self.bluez.get_property("/org/bluez/hci0", "org.bluez.Adapter1", "Discovering"), True)

    def test_strict_adapter_answers_like_bluetoothd(self):
        self.bluez.add_adapter("hci0")
        adapter = self.client.adapter()
        with self.assertRaises(dbus.exceptions.DBusException) as bad:
            adapter.SetDiscoveryFilter(dbus.Dictionary({"Transport": "le", "DuplicateData": dbus.Int32(1)},
                                                       signature="sv"))
        self.assertEqual(bad.exception.get_dbus_name(), "org.bluez.Error.InvalidArguments")
        with self.assertRaises(dbus.exceptions.DBusException) as stop:
            adapter.StopDiscovery()
        self.assertEqual(stop.exception.get_dbus_name(), "org.bluez.Error.Failed")
        adapter.StartDiscovery()  # real BlueZ needs no filter first (the template raises KeyError)
        with self.assertRaises(dbus.exceptions.DBusException) as again:
            adapter.StartDiscovery()
        self.assertEqual(again.exception.get_dbus_name(), "org.bluez.Error.InProgress")
        self.bluez.set_powered("hci0", False)
        self.assertIs(self.bluez.get_property("/org/bluez/hci0", "org.bluez.Adapter1", "Discovering"), False)
        with self.assertRaises(dbus.exceptions.DBusException) as unpowered:
            adapter.StartDiscovery()
        self.assertEqual(unpowered.exception.get_dbus_name(), "org.bluez.Error.NotReady")
        self.bluez.set_powered("hci0", True)
        adapter.StartDiscovery()
        self.bluez.set_discovering("hci0", False)  # stopped behind the daemon's back
        adapter.StartDiscovery()

    def test_service_data_arrives_as_properties_changed(self):
        self.bluez.add_adapter("hci0")
        self.assertEqual(self.bluez.add_device("hci0", SCALE.lower(), "MIBFS"), SCALE_PATH)
        self.client.start_scanning()
        with self.bluez.watch_signals(signal_name="PropertiesChanged", bus_name="org.bluez",
                                      path=SCALE_PATH) as watcher:
            for _ in range(3):  # identical bytes are re-emitted, as with DuplicateData=true
                self.bluez.set_service_data("hci0", SCALE, 0x181B, FRAME)
            watcher.wait(lambda s: len(watcher.signals) >= 3)
            watcher.pump(0.2)
        self.assertEqual(len(watcher.signals), 3)
        for received in watcher.signals:
            self.assertEqual(received.interface, "org.freedesktop.DBus.Properties")
            self.assertEqual(received.args, ["org.bluez.Device1",
                                             {"ServiceData": {MI_SCALE_2: bytes.fromhex(FRAME)}}, []])
        # Route 1: the stored value comes back from GetManagedObjects with BlueZ's types.
        device = self.client.managed_objects()[SCALE_PATH]["org.bluez.Device1"]
        self.assertEqual(device["ServiceData"], {MI_SCALE_2: bytes.fromhex(FRAME)})
        self.assertEqual(device["Address"], SCALE)

    def test_add_device_keeps_or_fixes_the_template_types(self):
        self.bluez.add_adapter("hci0")
        untyped = self.bluez.add_device("hci0", "AA:BB:CC:DD:EE:01")
        typed = self.bluez.add_device("hci0", "AA:BB:CC:DD:EE:02", typed=True)
        signature = lambda path, name: subprocess.run(  # noqa: E731
            ["busctl", "--system", "get-property", "org.bluez", path, "org.bluez.Device1", name],
            capture_output=True, text=True, timeout=10).stdout.split()[0]
        self.assertEqual(signature(untyped, "ServiceData"), "aa{sv}")  # dbusmock 0.28.7 quirk
        self.assertEqual(signature(typed, "ServiceData"), "a{sv}")
        self.assertEqual(signature(typed, "ManufacturerData"), "a{qv}")

    def test_new_device_arrives_with_interfaces_added(self):
        self.bluez.add_adapter("hci0")
        with self.bluez.watch_signals(signal_name="InterfacesAdded", bus_name="org.bluez") as watcher:
            path = self.bluez.emit_device_added("hci0", SCALE, alias="MIBFS", service_data={0x181B: FRAME},
                                                rssi=-55)
            added = watcher.wait()
        self.assertEqual(added.path, "/")
        self.assertEqual(added.args[0], path)
        device = added.args[1]["org.bluez.Device1"]
        self.assertEqual(device["ServiceData"], {MI_SCALE_2: bytes.fromhex(FRAME)})
        self.assertEqual(device["RSSI"], -55)
        self.assertNotIn("ManufacturerData", device)  # absent, as bluetoothd omits it
        self.assertIn(path, self.client.managed_objects())
        # The object is real: later adverts and expiry work on it.
        self.bluez.set_service_data("hci0", SCALE, "181b", FRAME)
        with self.bluez.watch_signals(signal_name="InterfacesRemoved") as watcher:
            self.bluez.remove_device("hci0", SCALE)
            self.assertEqual(watcher.wait().args, [path, ["org.bluez.Device1"]])
        self.assertNotIn(path, self.client.managed_objects())

    def test_play_weighing_uses_route_two_then_three(self):
        self.bluez.add_adapter("hci0")
        frames = ["0226b20705040f0201ac018642", "0226b20705040f0201ac018642", "02a6b20705040f0201ac018642"]
        with self.bluez.watch_signals(bus_name="org.bluez") as watcher:
            started = time.monotonic()
            self.bluez.play_weighing("hci0", SCALE, frames, interval=0.05)
            self.assertGreaterEqual(time.monotonic() - started, 0.1)
            watcher.wait(lambda s: len([x for x in watcher.signals if x.member == "PropertiesChanged"]) >= 2)
        # The mock also emits org.freedesktop.DBus.Mock.MethodCalled for each mock method call
        # (here the GetManagedObjects of device_exists()); a BlueZ client filters by interface.
        members = [s.member for s in watcher.signals if s.interface != "org.freedesktop.DBus.Mock"]
        self.assertEqual(members, ["InterfacesAdded", "PropertiesChanged", "PropertiesChanged"])
        self.assertEqual(watcher.signals[-1].args[1]["ServiceData"][MI_SCALE_2], bytes.fromhex(frames[-1]))

    def test_adapter_removal_and_return(self):
        self.bluez.add_adapter("hci0")
        self.bluez.add_device("hci0", SCALE)
        with self.bluez.watch_signals(signal_name="InterfacesRemoved") as watcher:
            self.bluez.remove_adapter("hci0")
            watcher.wait(lambda s: s.args[0] == "/org/bluez/hci0")
        self.assertEqual([s.args[0] for s in watcher.signals], [SCALE_PATH, "/org/bluez/hci0"])
        self.assertEqual(list(self.client.managed_objects()), ["/org/bluez"])
        self.bluez.add_adapter("hci0")
        self.assertEqual(self.bluez.adapter_address("hci0"), "00:01:02:03:04:05")
        self.client.start_scanning()
        with self.assertRaises(ValueError):
            self.bluez.add_adapter("usb-dongle")

    def test_restart_bluetoothd_changes_owner_and_empties_the_tree(self):
        self.bluez.add_adapter("hci0")
        self.bluez.add_device("hci0", SCALE)
        old_owner = self.bluez.bluez_owner()
        old_pid = self.bluez.mock_pid
        with self.bluez.watch_signals(signal_name="NameOwnerChanged", dbus_interface="org.freedesktop.DBus",
                                      arg0="org.bluez") as watcher:
            new_owner = self.bluez.restart_bluetoothd()
            watcher.wait(lambda s: s.args[2] == new_owner)
        self.assertEqual([s.args for s in watcher.signals],
                         [["org.bluez", old_owner, ""], ["org.bluez", "", new_owner]])
        self.assertNotEqual(old_owner, new_owner)
        self.assertFalse(pid_alive(old_pid))
        self.assertEqual(list(self.client.managed_objects()), ["/org/bluez"])
        self.bluez.add_adapter("hci0")
        self.client.start_scanning()  # the restarted mock has a fresh call log and state
        self.assertEqual(len(self.bluez.get_method_calls("hci0", "StartDiscovery")), 1)

    def test_waiting_for_bluez(self):
        self.bluez.stop_bluetoothd()
        self.assertEqual(self.bluez.bluez_owner(), "")
        with self.assertRaises(dbus.exceptions.DBusException):
            self.client.managed_objects()
        self.bluez.start_bluetoothd()
        self.assertEqual(list(self.client.managed_objects()), ["/org/bluez"])

    def test_malformed_property_without_state_change(self):
        self.bluez.add_adapter("hci0")
        self.bluez.add_device("hci0", SCALE, typed=True)
        with self.bluez.watch_signals(signal_name="PropertiesChanged", path=SCALE_PATH) as watcher:
            self.bluez.emit_properties_changed(SCALE_PATH, "org.bluez.Device1",
                                               {"ServiceData": dbus.String("garbage", variant_level=1)})
            self.assertEqual(watcher.wait().args[1], {"ServiceData": "garbage"})
        self.assertEqual(self.bluez.get_property(SCALE_PATH, "org.bluez.Device1", "ServiceData"), {})

    def test_stop_leaves_nothing_behind(self):
        self.bluez.add_adapter("hci0")
        workdir = self.bluez.workdir
        pids = [self.bluez._bus_process.pid, self.bluez.mock_pid]
        self.bluez.stop()
        self.bluez.stop()  # idempotent
        for pid in pids:
            self.assertFalse(pid_alive(pid), pid)
        self.assertFalse(workdir.exists())
        self.assertEqual(os.environ.get("DBUS_SYSTEM_BUS_ADDRESS"), self.saved_env)


class CommandLineTest(unittest.TestCase):
    def test_run_executes_a_command_on_the_fake_bus(self):
        result = subprocess.run([sys.executable, str(SCRIPT), "run", "--adapter", "hci0", "--device", SCALE + "=MIBFS",
                                 "--", "busctl", "--system", "tree", "org.bluez"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(SCALE_PATH, result.stdout)

    def test_serve_play_restart_and_stop(self):
        with tempfile.TemporaryDirectory() as workdir:
            serve = subprocess.Popen([sys.executable, str(SCRIPT), "serve", "--workdir", workdir, "--adapter", "hci0",
                                      "--readd"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                line = serve.stdout.readline().strip()
                self.assertTrue(line.startswith("export DBUS_SYSTEM_BUS_ADDRESS="), line)
                address = line.split("=", 1)[1]
                fake = FakeBluez.attach(address)
                with fake.watch_signals(bus_name="org.bluez", signal_name="PropertiesChanged") as watcher:
                    play = subprocess.run([sys.executable, str(SCRIPT), "play", "--address", address, "--mac", SCALE,
                                           "--interval", "0", FRAME, FRAME], capture_output=True, text=True,
                                          timeout=60)
                    self.assertEqual(play.returncode, 0, play.stderr)
                    watcher.wait()
                old_owner = fake.bluez_owner()
                serve.send_signal(signal.SIGUSR1)
                fake_bluez.wait_until(lambda: fake.bluez_owner() not in ("", old_owner), 10, what="new owner")
                fake_bluez.wait_until(lambda: "/org/bluez/hci0" in fake.managed_objects(), 10, what="re-added hci0")
                fake.stop()
                self.assertTrue(processes_mentioning(workdir))
                serve.send_signal(signal.SIGTERM)
                self.assertEqual(serve.wait(timeout=20), 0, serve.stderr.read())
            finally:
                if serve.poll() is None:
                    serve.kill()
                    serve.wait()
                serve.stdout.close()
                serve.stderr.close()
            self.assertEqual(processes_mentioning(workdir), [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
