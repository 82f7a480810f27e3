"""A simulated BlueZ for ble2garmin's integration tests and demo: private system bus + dbusmock.

Starts a private dbus-daemon with a system-bus configuration in a temporary directory, points
DBUS_SYSTEM_BUS_ADDRESS at it (for this process and its children), and runs python-dbusmock's
`bluez5` template as bluetoothd. The functions below then drive the mock the way bluetoothd would
drive the daemon under test: adapters and devices appearing and disappearing, advertisements
arriving by each of BlueZ's three routes (GetManagedObjects, InterfacesAdded, PropertiesChanged),
power and discovery changes, a bluetoothd restart. Recipes: shared/spec/test-tools.md §1-§3.

Written for Debian 12's python3-dbusmock 0.28.7 (works with later versions). Needs the system
interpreter (/usr/bin/python3) because that is the one with python3-dbus and python3-dbusmock.

    from fake_bluez import FakeBluez
    with FakeBluez() as bluez:                       # bus + mock running, env exported
        bluez.add_adapter("hci0")
        daemon = subprocess.Popen([binary, "run", "--config", cfg])   # inherits the bus address
        bluez.play_weighing("hci0", "C8:47:8C:00:00:01", ["0226b2...", "02a6b2..."], interval=0.2)
        bluez.get_method_calls("hci0", "StartDiscovery")

CLI (`/usr/bin/python3 tests/integration/fake_bluez.py --help`):
    serve  start bus + mock (+ adapters/devices), print the address, run until SIGINT/SIGTERM;
           SIGUSR1 restarts the mock bluetoothd
    play   play hex frames as a weighing onto a running fake (--address)
    run    start bus + mock, run a command with DBUS_SYSTEM_BUS_ADDRESS set, stop afterwards

dbusmock 0.28.7 quirks handled here (details at each function):
  - AddAdapter derives the adapter address from the last character of the name, which must be a
    digit (hci0 -> 00:01:02:03:04:05, hci1 -> 01:02:03:04:05:06).
  - AddDevice initialises ServiceData/ManufacturerData/AdvertisingFlags/AdvertisingData with
    wrong signatures (aa{sv}, aa{qv}, aay, aa{yv}); `add_device(typed=True)` replaces them.
  - StartDiscovery/StopDiscovery raise KeyError without a prior SetDiscoveryFilter, do not check
    Powered and never fail with InProgress; add_adapter(strict=True) installs BlueZ-like versions.
  - UpdateProperties breaks on dictionary values; everything here uses Properties.Set (which
    emits PropertiesChanged even for identical bytes, emulating DuplicateData=true) or EmitSignal.
  - AddObject does not emit InterfacesAdded; emit_device_added() sends it itself.
  - The mock logs every call on stdout; it goes to a file (mock_log) so no pipe can fill up.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import dbus
import dbus.bus
import dbus.mainloop.glib

# The interpreter running this file has python3-dbus (imported above): the mock runs with it too.
PYTHON = sys.executable
BLUEZ = "org.bluez"
MOCK_IFACE = "org.freedesktop.DBus.Mock"
BLUEZ_MOCK_IFACE = "org.bluez.Mock"
ADAPTER_IFACE = "org.bluez.Adapter1"
DEVICE_IFACE = "org.bluez.Device1"
OBJECT_MANAGER_IFACE = "org.freedesktop.DBus.ObjectManager"
PROPERTIES_IFACE = "org.freedesktop.DBus.Properties"
BLUETOOTH_BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb"

# System-bus configuration of test-tools.md §2, plus <allow user="*"/> so that a daemon started
# under another UID (setpriv, a test user) may connect: a <type>system</type> bus otherwise admits
# only its own user. The unrestricted receive/eavesdrop rules are needed for method replies to
# reach clients at all and let dbus-monitor / busctl monitor watch the traffic.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
"""

# Adapter1 methods installed by add_adapter(strict=True): what bluetoothd 5.66 does (adapter.c)
# where it matters to a scanning client, instead of the template's lenient versions.
_STRICT_SET_DISCOVERY_FILTER = """
allowed = {'UUIDs': dbus.Array, 'RSSI': dbus.Int16, 'Pathloss': dbus.UInt16,
           'Transport': dbus.String, 'DuplicateData': dbus.Boolean, 'Discoverable': dbus.Boolean,
           'Pattern': dbus.String}
for key, value in args[0].items():
    if key not in allowed or not isinstance(value, allowed[key]):
        raise dbus.exceptions.DBusException('Invalid arguments in method call',
                                            name='org.bluez.Error.InvalidArguments')
    if key == 'Transport' and value not in ('auto', 'bredr', 'le'):
        raise dbus.exceptions.DBusException('Invalid arguments in method call',
                                            name='org.bluez.Error.InvalidArguments')
self.fake_discovery_filter = dict(args[0])
"""
_STRICT_START_DISCOVERY = """
props = self.props['org.bluez.Adapter1']
if not props['Powered']:
    raise dbus.exceptions.DBusException('Resource Not Ready', name='org.bluez.Error.NotReady')
if props['Discovering']:
    raise dbus.exceptions.DBusException('Operation already in progress',
                                        name='org.bluez.Error.InProgress')
props['Discovering'] = dbus.Boolean(True, variant_level=1)
self.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as',
                ['org.bluez.Adapter1', {'Discovering': dbus.Boolean(True, variant_level=1)}, []])
"""
_STRICT_STOP_DISCOVERY = """
props = self.props['org.bluez.Adapter1']
if not props['Powered']:
    raise dbus.exceptions.DBusException('Resource Not Ready', name='org.bluez.Error.NotReady')
if not props['Discovering']:
    raise dbus.exceptions.DBusException('No discovery started', name='org.bluez.Error.Failed')
props['Discovering'] = dbus.Boolean(False, variant_level=1)
self.EmitSignal('org.freedesktop.DBus.Properties', 'PropertiesChanged', 'sa{sv}as',
                ['org.bluez.Adapter1', {'Discovering': dbus.Boolean(False, variant_level=1)}, []])
"""


class FakeBluezError(RuntimeError):
    """The bus or the mock did not come up, or a mock call failed."""


# --- value helpers --------------------------------------------------------------------------------

def normalize_mac(mac: str) -> str:
    """'c8-47-8c-00-00-01' -> 'C8:47:8C:00:00:01'; ValueError for anything but six hex octets."""
    octets = mac.replace("-", ":").upper().split(":")
    if len(octets) != 6 or any(len(o) != 2 or any(c not in "0123456789ABCDEF" for c in o) for o in octets):
        raise ValueError(f"not a Bluetooth address: {mac!r}")
    return ":".join(octets)


def uuid128(uuid: int | str) -> str:
    """0x181B, '181b', '0x181B' or a full UUID -> '0000181b-0000-1000-8000-00805f9b34fb' (BlueZ's
    lower-case service-data key)."""
    if isinstance(uuid, int):
        return f"{uuid:08x}{BLUETOOTH_BASE_UUID_SUFFIX}"
    text = uuid.strip().lower()
    if len(text) == 36:
        return text
    return f"{int(text, 16):08x}{BLUETOOTH_BASE_UUID_SUFFIX}"


def hex_bytes(payload: str | bytes) -> bytes:
    """'02 26:b2' / '0226b2' / b'...' -> bytes."""
    if isinstance(payload, (bytes, bytearray)):
        return bytes(payload)
    return bytes.fromhex(payload.replace(":", "").replace(" ", ""))


def ay(payload: str | bytes, variant_level: int = 1) -> dbus.Array:
    """A D-Bus `ay` (as a variant by default) from hex text or bytes."""
    return dbus.Array([dbus.Byte(b) for b in hex_bytes(payload)], signature="y", variant_level=variant_level)


def service_data_value(entries: Mapping[int | str, str | bytes]) -> dbus.Dictionary:
    """ServiceData as BlueZ sends it: a{sv}, key = 128-bit UUID, value = variant ay."""
    return dbus.Dictionary({uuid128(k): ay(v) for k, v in entries.items()}, signature="sv", variant_level=1)


def manufacturer_data_value(entries: Mapping[int, str | bytes]) -> dbus.Dictionary:
    """ManufacturerData as BlueZ sends it: a{qv}, key = company id, value = variant ay."""
    return dbus.Dictionary({dbus.UInt16(k): ay(v) for k, v in entries.items()}, signature="qv", variant_level=1)


def to_native(value: Any) -> Any:
    """dbus-python values -> plain Python (dict, list, tuple, bytes for ay, str, int, bool, float)."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32, dbus.Int64, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Double):
        return float(value)
    if isinstance(value, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(value)
    if isinstance(value, dbus.ByteArray):
        return bytes(value)
    if isinstance(value, dbus.Dictionary) or isinstance(value, dict):
        return {to_native(k): to_native(v) for k, v in value.items()}
    if isinstance(value, dbus.Array):
        if value.signature == "y":
            return bytes(int(b) for b in value)
        return [to_native(v) for v in value]
    if isinstance(value, (dbus.Struct, tuple)):
        return tuple(to_native(v) for v in value)
    if isinstance(value, list):
        return [to_native(v) for v in value]
    return value


# Under an emulator (the cross-compiled tests run every ARM program under qemu-user) each step takes
# longer: waits and time limits are multiplied by this. CMake sets it for cross builds; 1 natively.
TIME_SCALE = float(os.environ.get("BLE2GARMIN_TEST_TIME_SCALE", "1"))


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, interval: float = 0.02,
               what: str = "condition") -> Any:
    """Polls predicate until it returns something truthy and returns that; FakeBluezError on timeout.
    The timeout is multiplied by TIME_SCALE."""
    timeout *= TIME_SCALE
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise FakeBluezError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def _die_with_parent() -> None:
    # PR_SET_PDEATHSIG(SIGTERM): a killed test run does not leave a dbus-daemon behind.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


# --- signal watching ------------------------------------------------------------------------------

@dataclass
class Signal:
    """One received D-Bus signal, values already converted with to_native()."""
    sender: str
    path: str
    interface: str
    member: str
    args: list = field(default_factory=list)


class SignalWatcher:
    """Records signals on the fake bus in this process (dbus-python + GLib main loop pumped through
    ctypes, so python3-gi is not needed). Match keywords are those of add_signal_receiver:
    signal_name, dbus_interface, path, bus_name (sender), arg0 … Use as a context manager or close()."""

    _glib = None

    def __init__(self, address: str, **match: Any) -> None:
        if SignalWatcher._glib is None:
            SignalWatcher._glib = ctypes.CDLL("libglib-2.0.so.0")
        self.signals: list[Signal] = []
        self._connection = dbus.bus.BusConnection(address, mainloop=dbus.mainloop.glib.DBusGMainLoop())
        self._match = self._connection.add_signal_receiver(
            self._on_signal, sender_keyword="sender", path_keyword="path",
            interface_keyword="interface", member_keyword="member", **match)
        # A round trip to the bus after AddMatch: the rule is active before we return.
        self._connection.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "GetId", "", [])

    def _on_signal(self, *args: Any, sender: str = "", path: str = "", interface: str = "", member: str = "") -> None:
        self.signals.append(Signal(str(sender), str(path), str(interface), str(member), [to_native(a) for a in args]))

    def pump(self, seconds: float = 0.0) -> None:
        """Dispatches pending messages, for `seconds` at least."""
        deadline = time.monotonic() + seconds
        while True:
            while self._glib.g_main_context_iteration(None, False):
                pass
            if time.monotonic() >= deadline:
                return
            time.sleep(0.005)

    def wait(self, predicate: Callable[[Signal], bool] = lambda s: True, timeout: float = 5.0) -> Signal:
        """The first recorded signal (old or new) matching predicate; FakeBluezError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            for received in self.signals:
                if predicate(received):
                    return received
            if time.monotonic() >= deadline:
                raise FakeBluezError(f"no matching signal within {timeout} s; got {self.signals!r}")
            time.sleep(0.005)

    def clear(self) -> None:
        self.pump()
        self.signals.clear()

    def close(self) -> None:
        self._match.remove()
        self._connection.close()

    def __enter__(self) -> "SignalWatcher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# --- the fake -------------------------------------------------------------------------------------

class FakeBluez:
    """Private system bus + dbusmock bluez5. start() (or `with`) brings both up and exports
    DBUS_SYSTEM_BUS_ADDRESS; stop() tears everything down and restores the environment.
    FakeBluez.attach(address) drives a fake that another process runs (no start/stop)."""

    def __init__(self, workdir: str | os.PathLike | None = None, export_env: bool = True,
                 start_bluetoothd: bool = True) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir else None
        self.export_env = export_env
        self._start_bluetoothd = start_bluetoothd
        self.address: str | None = None
        self._bus_process: subprocess.Popen | None = None
        self._mock_process: subprocess.Popen | None = None
        self._mock_log = None
        self._saved_env: str | None = None
        self._connection: dbus.bus.BusConnection | None = None
        self._owner = True

    # lifecycle ------------------------------------------------------------------------------------

    @classmethod
    def attach(cls, address: str) -> "FakeBluez":
        """A handle on a fake bus started elsewhere (e.g. `fake_bluez.py serve`)."""
        fake = cls(export_env=False, start_bluetoothd=False)
        fake.address = address
        fake._owner = False
        return fake

    def start(self) -> "FakeBluez":
        """Starts dbus-daemon, then the mock (unless start_bluetoothd=False); FakeBluezError if
        either does not come up within 10 s."""
        if self._own_workdir:
            self.workdir = Path(tempfile.mkdtemp(prefix="fake_bluez."))
        assert self.workdir is not None
        self.workdir.mkdir(parents=True, exist_ok=True)
        # Other UIDs must reach the socket (a daemon run as a test user).
        os.chmod(self.workdir, 0o755)
        config = self.workdir / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=self.workdir / "system_bus_socket"))
        try:
            # dbus-daemon warns about the fd limit when not run as root; harmless, kept in the log.
            with open(self.workdir / "dbus-daemon.log", "wb") as bus_log:
                self._bus_process = subprocess.Popen(
                    ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
                    stdout=subprocess.PIPE, stderr=bus_log, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
            assert self._bus_process.stdout is not None
            line = self._bus_process.stdout.readline().decode().strip()
            if not line:
                raise FakeBluezError("dbus-daemon printed no address; see " + str(self.workdir / "dbus-daemon.log"))
            self.address = line
            if self.export_env:
                self._saved_env = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
                os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = self.address
            if self._start_bluetoothd:
                self.start_bluetoothd()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stops the mock and the bus, waits for both, removes the temporary directory and
        restores DBUS_SYSTEM_BUS_ADDRESS. Safe to call twice."""
        if not self._owner:
            self._close_connection()
            return
        self.stop_bluetoothd()
        self._close_connection()
        if self._bus_process is not None:
            if self._bus_process.poll() is None:
                self._bus_process.terminate()
                try:
                    self._bus_process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._bus_process.kill()
                    self._bus_process.wait()
            if self._bus_process.stdout:
                self._bus_process.stdout.close()
            self._bus_process = None
        if self.export_env and self.address is not None:
            if self._saved_env is None:
                os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
            else:
                os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = self._saved_env
        self.address = None
        if self._own_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> "FakeBluez":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """A copy of `base` (default os.environ) with DBUS_SYSTEM_BUS_ADDRESS set, for Popen(env=)."""
        result = dict(os.environ if base is None else base)
        assert self.address is not None, "fake bus not started"
        result["DBUS_SYSTEM_BUS_ADDRESS"] = self.address
        return result

    @property
    def mock_log(self) -> Path | None:
        """Where the current mock writes its call log and errors (tracebacks of failing methods)."""
        return self.workdir / "mock.log" if self.workdir else None

    @property
    def mock_pid(self) -> int | None:
        return self._mock_process.pid if self._mock_process and self._mock_process.poll() is None else None

    def start_bluetoothd(self, timeout: float = 10.0) -> str:
        """Starts `python3 -m dbusmock --system --template bluez5` and waits until org.bluez
        answers; returns its unique bus name. No adapters or devices exist yet."""
        if self.mock_pid is not None:
            raise FakeBluezError("mock bluetoothd already running")
        assert self.workdir is not None and self.address is not None
        self._mock_log = open(self.workdir / "mock.log", "ab")
        self._mock_process = subprocess.Popen(
            [PYTHON, "-m", "dbusmock", "--system", "--template", "bluez5"],
            env=self.env(), stdout=self._mock_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent)

        def ready() -> str | None:
            if self._mock_process is not None and self._mock_process.poll() is not None:
                raise FakeBluezError(f"mock bluetoothd exited with {self._mock_process.returncode}; "
                                     f"see {self.mock_log}")
            owner = self.bluez_owner()
            if not owner:
                return None
            try:  # the name is claimed before the template loads; wait until it answers
                self._bus().call_blocking(BLUEZ, "/", OBJECT_MANAGER_IFACE, "GetManagedObjects", "", [], timeout=2)
            except dbus.exceptions.DBusException:
                return None
            return owner

        return wait_until(ready, timeout, 0.05, "org.bluez on the fake bus")

    def stop_bluetoothd(self, timeout: float = 5.0) -> None:
        """Kills the mock (SIGTERM, then SIGKILL) and waits until org.bluez has left the bus, so
        NameOwnerChanged(org.bluez, old, "") has been sent. No-op when it is not running."""
        if self._mock_process is not None:
            if self._mock_process.poll() is None:
                self._mock_process.terminate()
                try:
                    self._mock_process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._mock_process.kill()
                    self._mock_process.wait()
            self._mock_process = None
            if self.address is not None and self._bus_process is not None and self._bus_process.poll() is None:
                wait_until(lambda: not self.bluez_owner(), timeout, 0.02, "org.bluez to leave the bus")
        if self._mock_log is not None:
            self._mock_log.close()
            self._mock_log = None

    def restart_bluetoothd(self) -> str:
        """bluetoothd restart: kill the mock, start a fresh one with an empty object tree (nothing
        is re-added). Returns the new unique name of org.bluez."""
        self.stop_bluetoothd()
        return self.start_bluetoothd()

    def bluez_owner(self) -> str:
        """Unique name currently owning org.bluez, or ''."""
        try:
            return str(self._bus().call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                 "org.freedesktop.DBus", "GetNameOwner", "s", [BLUEZ]))
        except dbus.exceptions.DBusException:
            return ""

    def watch_signals(self, **match: Any) -> SignalWatcher:
        """A SignalWatcher on this bus, e.g. watch_signals(signal_name='PropertiesChanged',
        path=bluez.device_path('hci0', mac))."""
        assert self.address is not None
        return SignalWatcher(self.address, **match)

    # adapters -------------------------------------------------------------------------------------

    @staticmethod
    def adapter_path(adapter: str) -> str:
        """'hci0' -> '/org/bluez/hci0'; a path is returned unchanged."""
        return adapter if adapter.startswith("/") else f"/org/bluez/{adapter}"

    def add_adapter(self, name: str = "hci0", alias: str = "ble2garmin-test", strict: bool = True) -> str:
        """Mock.AddAdapter (emits InterfacesAdded; Powered=true, Discovering=false). The address is
        derived from the last digit of `name` (adapter_address()). strict=True replaces the
        template's discovery methods with BlueZ-like ones: SetDiscoveryFilter validates keys and
        types (InvalidArguments), StartDiscovery fails with NotReady when unpowered and InProgress
        when already discovering, StopDiscovery with Failed when not discovering, and neither
        needs a prior SetDiscoveryFilter. Returns the object path."""
        if not name or not name[-1].isdigit():
            raise ValueError(f"dbusmock derives the adapter address from the last digit of the name: {name!r}")
        path = str(self._call("/", BLUEZ_MOCK_IFACE, "AddAdapter", "ss", [name, alias]))
        if strict:
            self._call(path, MOCK_IFACE, "AddMethods", "sa(ssss)", [ADAPTER_IFACE, [
                ("SetDiscoveryFilter", "a{sv}", "", _STRICT_SET_DISCOVERY_FILTER),
                ("StartDiscovery", "", "", _STRICT_START_DISCOVERY),
                ("StopDiscovery", "", "", _STRICT_STOP_DISCOVERY),
            ]])
        return path

    def remove_adapter(self, name: str, with_devices: bool = True) -> None:
        """Adapter unplugged. with_devices=True (what bluetoothd does): InterfacesRemoved for every
        device of the adapter, then for the adapter (Mock.RemoveAdapterWithDevices).
        with_devices=False: only the adapter's InterfacesRemoved (Mock.RemoveAdapter); its devices
        stay on the bus, as after a crash. Both exist in 0.28.7; emulated with the generic mock API
        (RemoveObject + EmitSignal) where they do not."""
        method = "RemoveAdapterWithDevices" if with_devices else "RemoveAdapter"
        try:
            self._call("/", BLUEZ_MOCK_IFACE, method, "s", [name])
            return
        except dbus.exceptions.DBusException as error:
            if error.get_dbus_name() != "org.freedesktop.DBus.Error.UnknownMethod":
                raise
        adapter = self.adapter_path(name)
        if with_devices:
            for path in [p for p in self.managed_objects() if p.startswith(adapter + "/")]:
                self._remove_object(path, [DEVICE_IFACE])
        self._remove_object(adapter, [ADAPTER_IFACE])

    def adapter_address(self, adapter: str) -> str:
        return str(self.get_property(self.adapter_path(adapter), ADAPTER_IFACE, "Address"))

    def set_powered(self, adapter: str, powered: bool) -> None:
        """Adapter1.Powered via Properties.Set (emits PropertiesChanged). Powering off also sets
        Discovering=false first when it was true, as bluetoothd does."""
        path = self.adapter_path(adapter)
        if not powered and self.get_property(path, ADAPTER_IFACE, "Discovering"):
            self.set_discovering(adapter, False)
        self.set_property(path, ADAPTER_IFACE, "Powered", dbus.Boolean(powered, variant_level=1))

    def set_discovering(self, adapter: str, discovering: bool) -> None:
        """Adapter1.Discovering via Properties.Set: false emulates discovery stopped behind the
        daemon's back (adapter reset, another stack event)."""
        self.set_property(self.adapter_path(adapter), ADAPTER_IFACE, "Discovering",
                          dbus.Boolean(discovering, variant_level=1))

    def discovery_filter(self, adapter: str) -> dict | None:
        """The filter last set with SetDiscoveryFilter (from the call log), or None."""
        calls = self.get_method_calls(adapter, "SetDiscoveryFilter")
        return calls[-1][1][0] if calls else None

    # devices --------------------------------------------------------------------------------------

    def device_path(self, adapter: str, mac: str) -> str:
        return f"{self.adapter_path(adapter)}/dev_{normalize_mac(mac).replace(':', '_')}"

    def device_exists(self, adapter: str, mac: str) -> bool:
        return self.device_path(adapter, mac) in self.managed_objects()

    def add_device(self, adapter: str, mac: str, alias: str = "", typed: bool = False) -> str:
        """Mock.AddDevice: Device1 with RSSI -79 and the template's wrong-typed empty ServiceData
        (aa{sv}), ManufacturerData (aa{qv}), AdvertisingFlags, AdvertisingData, announced with
        InterfacesAdded. typed=True then sets ServiceData/ManufacturerData to empty a{sv}/a{qv}
        (two PropertiesChanged signals). Returns the object path."""
        path = str(self._call("/", BLUEZ_MOCK_IFACE, "AddDevice", "sss", [adapter, normalize_mac(mac), alias]))
        if typed:
            self.set_property(path, DEVICE_IFACE, "ServiceData", service_data_value({}))
            self.set_property(path, DEVICE_IFACE, "ManufacturerData", manufacturer_data_value({}))
        return path

    def emit_device_added(self, adapter: str, mac: str, alias: str | None = None,
                          service_data: Mapping[int | str, str | bytes] | None = None,
                          manufacturer_data: Mapping[int, str | bytes] | None = None,
                          rssi: int = -60, address_type: str = "public") -> str:
        """Route 2: a device first heard now. Creates the Device1 object with correctly typed
        properties (absent ones omitted, as bluetoothd does) and emits InterfacesAdded carrying
        them, ServiceData included. Later adverts: set_service_data() (route 3)."""
        mac = normalize_mac(mac)
        path = self.device_path(adapter, mac)
        props: dict[str, Any] = {
            "Address": dbus.String(mac, variant_level=1),
            "AddressType": dbus.String(address_type, variant_level=1),
            "Adapter": dbus.ObjectPath(self.adapter_path(adapter), variant_level=1),
            "Alias": dbus.String(alias if alias is not None else mac.replace(":", "-"), variant_level=1),
            "Paired": dbus.Boolean(False, variant_level=1),
            "Bonded": dbus.Boolean(False, variant_level=1),
            "Trusted": dbus.Boolean(False, variant_level=1),
            "Blocked": dbus.Boolean(False, variant_level=1),
            "Connected": dbus.Boolean(False, variant_level=1),
            "LegacyPairing": dbus.Boolean(False, variant_level=1),
            "ServicesResolved": dbus.Boolean(False, variant_level=1),
            "UUIDs": dbus.Array([], signature="s", variant_level=1),
            "RSSI": dbus.Int16(rssi, variant_level=1),
        }
        if alias is not None:
            props["Name"] = dbus.String(alias, variant_level=1)
        if service_data is not None:
            props["ServiceData"] = service_data_value(service_data)
        if manufacturer_data is not None:
            props["ManufacturerData"] = manufacturer_data_value(manufacturer_data)
        properties = dbus.Dictionary(props, signature="sv")
        self._call("/", MOCK_IFACE, "AddObject", "ssa{sv}a(ssss)",
                   [path, DEVICE_IFACE, properties, dbus.Array([
                       ("Connect", "", "", ""), ("Disconnect", "", "", ""),
                       ("Pair", "", "", ""), ("CancelPairing", "", "", "")], signature="(ssss)")])
        self.emit_signal("/", OBJECT_MANAGER_IFACE, "InterfacesAdded", "oa{sa{sv}}",
                         [dbus.ObjectPath(path), dbus.Dictionary({DEVICE_IFACE: properties}, signature="sa{sv}")])
        return path

    def remove_device(self, adapter: str, mac: str) -> None:
        """Temporary-device expiry: Adapter1.RemoveDevice (emits InterfacesRemoved)."""
        self._call(self.adapter_path(adapter), ADAPTER_IFACE, "RemoveDevice", "o",
                   [dbus.ObjectPath(self.device_path(adapter, mac))])

    def set_service_data(self, adapter: str, mac: str, uuid16: int | str, payload: str | bytes) -> None:
        """Route 3: Properties.Set(Device1, ServiceData, {uuid128: ay}) -> PropertiesChanged with the
        whole dict, as bluetoothd sends it. Identical bytes are re-emitted (DuplicateData=true)."""
        self.set_service_data_map(adapter, mac, {uuid16: payload})

    def set_service_data_map(self, adapter: str, mac: str, entries: Mapping[int | str, str | bytes]) -> None:
        """Like set_service_data() for several UUIDs at once (bluetoothd keeps every UUID seen)."""
        self.set_property(self.device_path(adapter, mac), DEVICE_IFACE, "ServiceData", service_data_value(entries))

    def set_manufacturer_data(self, adapter: str, mac: str, company_id: int, payload: str | bytes) -> None:
        """Properties.Set(Device1, ManufacturerData, {company: ay}) (Omron: 0x020E)."""
        self.set_property(self.device_path(adapter, mac), DEVICE_IFACE, "ManufacturerData",
                          manufacturer_data_value({company_id: payload}))

    def set_rssi(self, adapter: str, mac: str, rssi: int) -> None:
        self.set_property(self.device_path(adapter, mac), DEVICE_IFACE, "RSSI", dbus.Int16(rssi, variant_level=1))

    def emit_properties_changed(self, path: str, interface: str, changed: Mapping[str, Any],
                                invalidated: Sequence[str] = ()) -> None:
        """A raw PropertiesChanged from `path` without touching the stored state; `changed` values
        must be dbus-python values with variant_level=1 (use it for malformed types, e.g.
        {'ServiceData': dbus.String('oops', variant_level=1)})."""
        self.emit_signal(path, PROPERTIES_IFACE, "PropertiesChanged", "sa{sv}as",
                         [interface, dbus.Dictionary(dict(changed), signature="sv"),
                          dbus.Array(list(invalidated), signature="s")])

    def play_weighing(self, adapter: str, mac: str, frames: Iterable[str | bytes], interval: float = 0.1,
                      uuid16: int | str = 0x181B, alias: str | None = "MIBFS") -> None:
        """Plays hex service-data frames as one weighing: when the device is not on the bus yet the
        first frame arrives with InterfacesAdded (route 2), every further frame as
        PropertiesChanged (route 3), `interval` seconds apart."""
        for index, frame in enumerate(frames):
            if index > 0 and interval > 0:
                time.sleep(interval)
            if index == 0 and not self.device_exists(adapter, mac):
                self.emit_device_added(adapter, mac, alias=alias, service_data={uuid16: frame})
            else:
                self.set_service_data(adapter, mac, uuid16, frame)

    # generic --------------------------------------------------------------------------------------

    def managed_objects(self) -> dict:
        """GetManagedObjects on / as plain Python: {path: {interface: {property: value}}}."""
        return to_native(self._call("/", OBJECT_MANAGER_IFACE, "GetManagedObjects", "", []))

    def get_property(self, path: str, interface: str, name: str) -> Any:
        return to_native(self._call(path, PROPERTIES_IFACE, "Get", "ss", [interface, name]))

    def set_property(self, path: str, interface: str, name: str, value: Any) -> None:
        """Properties.Set on the mock: stores the value and emits PropertiesChanged({name: value})."""
        self._call(path, PROPERTIES_IFACE, "Set", "ssv", [interface, name, value])

    def emit_signal(self, path: str, interface: str, name: str, signature: str, args: Sequence[Any]) -> None:
        """org.freedesktop.DBus.Mock.EmitSignal on the mock object at `path`."""
        self._call(path, MOCK_IFACE, "EmitSignal", "sssav",
                   [interface, name, signature, dbus.Array(args, signature="v")])

    def get_method_calls(self, path: str, method: str | None = None) -> list:
        """Calls the mock object at `path` ('hci0' = its adapter) received since start or
        clear_calls(): [(unix_time, args)] for `method`, else [(unix_time, method, args)]; args as
        plain Python. Mock-API calls made by this module appear too."""
        path = self.adapter_path(path)
        if method is None:
            return [(int(t), str(m), to_native(a)) for t, m, a in self._call(path, MOCK_IFACE, "GetCalls", "", [])]
        return [(int(t), to_native(a)) for t, a in self._call(path, MOCK_IFACE, "GetMethodCalls", "s", [method])]

    def clear_calls(self, path: str) -> None:
        self._call(self.adapter_path(path), MOCK_IFACE, "ClearCalls", "", [])

    # internals ------------------------------------------------------------------------------------

    def _bus(self) -> dbus.bus.BusConnection:
        if self._connection is None:
            if self.address is None:
                raise FakeBluezError("fake bus not started")
            self._connection = dbus.bus.BusConnection(self.address)
        return self._connection

    def _close_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except dbus.exceptions.DBusException:
                pass
            self._connection = None

    def _call(self, path: str, interface: str, method: str, signature: str, args: Sequence[Any]) -> Any:
        return self._bus().call_blocking(BLUEZ, path, interface, method, signature, list(args), timeout=10)

    def _remove_object(self, path: str, interfaces: list[str]) -> None:
        self._call("/", MOCK_IFACE, "RemoveObject", "s", [path])
        self.emit_signal("/", OBJECT_MANAGER_IFACE, "InterfacesRemoved", "oas",
                         [dbus.ObjectPath(path), dbus.Array(interfaces, signature="s")])


# --- command line ---------------------------------------------------------------------------------

def _setup(fake: FakeBluez, adapters: Sequence[str], devices: Sequence[str]) -> None:
    for name in adapters:
        fake.add_adapter(name)
    for spec in devices:  # [ADAPTER/]MAC[=ALIAS]
        adapter, _, rest = spec.rpartition("/")
        mac, _, alias = rest.partition("=")
        fake.add_device(adapter or (adapters[0] if adapters else "hci0"), mac, alias, typed=True)


def _cmd_serve(args: argparse.Namespace) -> int:
    fake = FakeBluez(workdir=args.workdir).start()
    try:
        _setup(fake, args.adapter, args.device)
        print(f"export DBUS_SYSTEM_BUS_ADDRESS={fake.address}", flush=True)
        print(f"# fake BlueZ ready (pid {os.getpid()}): Ctrl-C stops it, "
              f"kill -USR1 {os.getpid()} restarts the mock bluetoothd", file=sys.stderr, flush=True)
        stop = []
        signal.signal(signal.SIGINT, lambda *_: stop.append(1))
        signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
        restart = []
        signal.signal(signal.SIGUSR1, lambda *_: restart.append(1))
        while not stop:
            if restart:
                restart.clear()
                owner = fake.restart_bluetoothd()
                if args.readd:
                    _setup(fake, args.adapter, args.device)
                print(f"# mock bluetoothd restarted as {owner}", file=sys.stderr, flush=True)
            time.sleep(0.1)
    finally:
        fake.stop()
    return 0


def _cmd_play(args: argparse.Namespace) -> int:
    fake = FakeBluez.attach(args.address or os.environ["DBUS_SYSTEM_BUS_ADDRESS"])
    try:
        fake.play_weighing(args.adapter, args.mac, args.frames, args.interval, args.uuid)
    finally:
        fake.stop()
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        print("run: missing command", file=sys.stderr)
        return 2
    with FakeBluez() as fake:
        _setup(fake, args.adapter, args.device)
        return subprocess.call(command, env=fake.env())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Simulated BlueZ on a private system bus (python3-dbusmock).")
    sub = parser.add_subparsers(dest="command_name", required=True)
    for name in ("serve", "run"):
        p = sub.add_parser(name)
        p.add_argument("--adapter", action="append", default=[], help="adapter to add (repeatable), e.g. hci0")
        p.add_argument("--device", action="append", default=[], help="[ADAPTER/]MAC[=ALIAS] to add (repeatable)")
    serve = sub.choices["serve"]
    serve.add_argument("--workdir", help="directory for the socket and logs (default: a new temporary one)")
    serve.add_argument("--readd", action="store_true", help="re-add adapters/devices after a SIGUSR1 restart")
    serve.set_defaults(func=_cmd_serve)
    run = sub.choices["run"]
    run.add_argument("command", nargs=argparse.REMAINDER, help="command to run with DBUS_SYSTEM_BUS_ADDRESS set")
    run.set_defaults(func=_cmd_run)
    play = sub.add_parser("play", help="play frames onto a running fake")
    play.add_argument("--address", help="bus address (default: $DBUS_SYSTEM_BUS_ADDRESS)")
    play.add_argument("--adapter", default="hci0")
    play.add_argument("--mac", required=True)
    play.add_argument("--uuid", default="181b", help="16-bit service UUID of the frames (default 181b)")
    play.add_argument("--interval", type=float, default=0.5, help="seconds between frames")
    play.add_argument("frames", nargs="+", help="service-data payloads in hex (without the UUID)")
    play.set_defaults(func=_cmd_play)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
