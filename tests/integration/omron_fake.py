"""A simulated Omron cuff on the fake bluetoothd (fake_bluez.FakeBluez): its Device1 with Connect,
Disconnect, Pair, Paired/ServicesResolved; the classic-stack GattService1 with the unlock
characteristic and four TX/RX channels; the cuff's behaviour in omron_cuff.py, which runs inside the
mock (shared/spec/test-tools.md §4). The mock must be started with this folder on PYTHONPATH
(FakeOmronCuff.prepare_environment() before FakeBluez.start())."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dbus

from fake_bluez import DEVICE_IFACE, MOCK_IFACE, OBJECT_MANAGER_IFACE, FakeBluez, manufacturer_data_value, normalize_mac

HERE = Path(__file__).resolve().parent
SERVICE_IFACE = "org.bluez.GattService1"
CHAR_IFACE = "org.bluez.GattCharacteristic1"
FAKE_IFACE = "org.ble2garmin.FakeCuff"
PARENT_SERVICE = "ecbe3980-c9a2-11e1-b1bd-0002a5d5c51b"
UNLOCK = "b305b680-aee7-11e1-a730-0002a5d5c51b"
TX = ["db5b55e0-aee7-11e1-965e-0002a5d5c51b", "e0b8a060-aee7-11e1-92f4-0002a5d5c51b",
      "0ae12b00-aee8-11e1-a192-0002a5d5c51b", "10e1ba60-aee8-11e1-89e5-0002a5d5c51b"]
RX = ["49123040-aee8-11e1-a74d-0002a5d5c51b", "4d0bf320-aee8-11e1-a0d9-0002a5d5c51b",
      "5128ce60-aee8-11e1-b84b-0002a5d5c51b", "560f1420-aee8-11e1-8184-0002a5d5c51b"]
OMRON_COMPANY = 0x020E
DEFAULT_KEY = "deadbeaf12341234deadbeaf12341234"


def prepare_environment() -> None:
    """Puts this folder on PYTHONPATH so the mock bluetoothd can import omron_cuff."""
    paths = [str(HERE)] + [p for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    os.environ["PYTHONPATH"] = ":".join(paths)


def _call(code: str) -> str:
    return f"import omron_cuff; {code}"


class FakeOmronCuff:
    def __init__(self, bluez: FakeBluez, adapter: str, mac: str, paired: bool = True) -> None:
        self.bluez = bluez
        self.mac = normalize_mac(mac)
        self.path = bluez.device_path(adapter, self.mac)
        props = {
            "Address": dbus.String(self.mac, variant_level=1),
            "AddressType": dbus.String("public", variant_level=1),
            "Adapter": dbus.ObjectPath(bluez.adapter_path(adapter), variant_level=1),
            "Alias": dbus.String("BLEsmart_00000116", variant_level=1),
            "Name": dbus.String("BLEsmart_00000116", variant_level=1),
            "Paired": dbus.Boolean(paired, variant_level=1),
            "Bonded": dbus.Boolean(paired, variant_level=1),
            "Trusted": dbus.Boolean(paired, variant_level=1),
            "Connected": dbus.Boolean(False, variant_level=1),
            "ServicesResolved": dbus.Boolean(False, variant_level=1),
            "UUIDs": dbus.Array([], signature="s", variant_level=1),
            "ManufacturerData": manufacturer_data_value({}),
        }
        methods = [("Connect", "", "", _call("omron_cuff.connect(self)")),
                   ("Disconnect", "", "", _call("omron_cuff.disconnect(self)")),
                   ("Pair", "", "", _call("omron_cuff.pair(self)")),
                   ("CancelPairing", "", "", "")]
        bluez._call("/", MOCK_IFACE, "AddObject", "ssa{sv}a(ssss)",
                    [self.path, DEVICE_IFACE, dbus.Dictionary(props, signature="sv"),
                     dbus.Array(methods, signature="(ssss)")])
        # The test's own handle on the cuff: configure it, read back what happened.
        self._mock(self.path).AddMethods(FAKE_IFACE, dbus.Array([
            ("Configure", "s", "", _call("omron_cuff.configure(self, args[0])")),
            ("State", "", "s", _call("ret = omron_cuff.state(self)")),
        ], signature="(ssss)"))
        self.configure({})
        service = f"{self.path}/service0010"
        bluez._call("/", MOCK_IFACE, "AddObject", "ssa{sv}a(ssss)", [
            service, SERVICE_IFACE,
            dbus.Dictionary({"UUID": dbus.String(PARENT_SERVICE, variant_level=1),
                             "Device": dbus.ObjectPath(self.path, variant_level=1),
                             "Primary": dbus.Boolean(True, variant_level=1)}, signature="sv"),
            dbus.Array([], signature="(ssss)")])
        chars = [(UNLOCK, ["write", "notify"])] + [(u, ["write", "write-without-response"]) for u in TX] + \
                [(u, ["notify"]) for u in RX]
        for number, (uuid, flags) in enumerate(chars):
            path = f"{service}/char{0x11 + number:04x}"
            bluez._call("/", MOCK_IFACE, "AddObject", "ssa{sv}a(ssss)", [
                path, CHAR_IFACE,
                dbus.Dictionary({"UUID": dbus.String(uuid, variant_level=1),
                                 "Service": dbus.ObjectPath(service, variant_level=1),
                                 "Flags": dbus.Array(flags, signature="s", variant_level=1),
                                 "Notifying": dbus.Boolean(False, variant_level=1),
                                 "Value": dbus.Array([], signature="y", variant_level=1)}, signature="sv"),
                dbus.Array([("StartNotify", "", "", _call("omron_cuff.start_notify(self)")),
                            ("StopNotify", "", "", _call("omron_cuff.stop_notify(self)")),
                            ("WriteValue", "aya{sv}", "", _call("omron_cuff.write_value(self, args)")),
                            ("ReadValue", "a{sv}", "ay", "ret = dbus.Array([], signature='y')")],
                           signature="(ssss)")])
        # Nothing heard of it yet: a device bonded earlier, out of range.
        bluez.emit_signal("/", OBJECT_MANAGER_IFACE, "InterfacesAdded", "oa{sa{sv}}",
                          [dbus.ObjectPath(self.path), dbus.Dictionary({DEVICE_IFACE: dbus.Dictionary(props, signature="sv")},
                                                                       signature="sa{sv}")])

    def _mock(self, path: str) -> dbus.Interface:
        return dbus.Interface(self.bluez._bus().get_object("org.bluez", path), MOCK_IFACE)

    def configure(self, config: dict[str, Any]) -> None:
        """eeprom {hex address: hex bytes}, key, pairing_mode, delay_ms, faults {...}."""
        dbus.Interface(self.bluez._bus().get_object("org.bluez", self.path), FAKE_IFACE).Configure(json.dumps(config))

    def state(self) -> dict[str, Any]:
        return json.loads(str(dbus.Interface(self.bluez._bus().get_object("org.bluez", self.path), FAKE_IFACE).State()))

    def advertise(self) -> None:
        """One advertisement: ManufacturerData of company 0x020E, as bluetoothd reports it
        (PropertiesChanged on the device; emitted even for identical bytes, DuplicateData=true)."""
        self.bluez.set_property(self.path, DEVICE_IFACE, "ManufacturerData",
                                manufacturer_data_value({OMRON_COMPANY: "0100"}))
