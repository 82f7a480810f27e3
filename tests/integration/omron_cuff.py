"""The Omron cuff's GATT behaviour, loaded INSIDE the mock bluetoothd (python-dbusmock): the device,
service and characteristic objects' method code strings call into this module
(`import omron_cuff; omron_cuff.on_write(self, args)`), so one Python process owns the bus names and
the cuff's state. The test side is omron_fake.py (FakeOmronCuff), which creates the objects and
configures the cuff through the device's org.ble2garmin.FakeCuff methods.

Written from shared/spec/device-omron.md §3–§4 (frames, XOR checksum, channel split, unlock
answers) and test-tools.md §4, independently of the daemon's modules/omron.

Answers go out as PropertiesChanged(GattCharacteristic1, {Value}) on the RX channels, 16 bytes per
channel, after `delay_ms` (GLib timer: the mock's loop keeps serving everything else meanwhile, so
a scale can advertise during a slow download).
"""
import json

import dbus
from gi.repository import GLib

from dbusmock import mockobject

CHAR_IFACE = "org.bluez.GattCharacteristic1"
DEVICE_IFACE = "org.bluez.Device1"
UNLOCK = "b305b680-aee7-11e1-a730-0002a5d5c51b"
TX = ["db5b55e0-aee7-11e1-965e-0002a5d5c51b", "e0b8a060-aee7-11e1-92f4-0002a5d5c51b",
      "0ae12b00-aee8-11e1-a192-0002a5d5c51b", "10e1ba60-aee8-11e1-89e5-0002a5d5c51b"]
RX = ["49123040-aee8-11e1-a74d-0002a5d5c51b", "4d0bf320-aee8-11e1-a0d9-0002a5d5c51b",
      "5128ce60-aee8-11e1-b84b-0002a5d5c51b", "560f1420-aee8-11e1-8184-0002a5d5c51b"]

CUFFS = {}  # device path -> Cuff


def xor(data):
    value = 0
    for b in data:
        value ^= b
    return value


class Cuff:
    def __init__(self, device_path):
        self.device_path = device_path
        self.eeprom = bytearray(b"\xff" * 0x1000)
        self.key = bytes(16)
        self.pairing_mode = False
        self.delay_ms = 0
        self.pending = bytearray()
        # Faults: "refuse_connect" (Connect fails), "connect_no_reply" (Connect times out),
        # "no_services" (connected, but the services are
        # never resolved), "corrupt" (every answer's checksum wrong),
        # "silent" (no answer at all), "disconnect_after_reads" (the link drops after N reads).
        self.faults = {}
        self.reads = 0
        self.frames = []  # hex of every complete host frame
        self.writes = []  # [address, hex] of every EEPROM write
        self.sessions = 0
        # [bus name, object path] of the pairing agent to ask, as bluetoothd does during Pair for a
        # confirmation (numeric comparison; a NoInputNoOutput agent accepts or rejects it).
        self.confirm_with = None
        self.confirmations = []  # the agent's answers: "accepted" or the D-Bus error name

    def char_path(self, uuid):
        for path, obj in mockobject.objects.items():
            if path.startswith(self.device_path + "/") and CHAR_IFACE in obj.props:
                if str(obj.props[CHAR_IFACE]["UUID"]) == uuid:
                    return path
        raise KeyError(uuid)

    def notify(self, uuid, value):
        obj = mockobject.objects[self.char_path(uuid)]
        array = dbus.Array([dbus.Byte(b) for b in value], signature="y")
        obj.props[CHAR_IFACE]["Value"] = array
        obj.EmitSignal(dbus.PROPERTIES_IFACE, "PropertiesChanged", "sa{sv}as",
                       [CHAR_IFACE, dbus.Dictionary({"Value": dbus.Array(array, signature="y", variant_level=1)},
                                                    signature="sv"), dbus.Array([], signature="s")])

    def later(self, fn):
        if self.delay_ms:
            GLib.timeout_add(self.delay_ms, lambda: (fn(), False)[1])
        else:
            fn()

    def set_device(self, **props):
        obj = mockobject.objects[self.device_path]
        changed = {}
        for name, value in props.items():
            obj.props[DEVICE_IFACE][name] = dbus.Boolean(value, variant_level=1)
            changed[name] = dbus.Boolean(value, variant_level=1)
        obj.EmitSignal(dbus.PROPERTIES_IFACE, "PropertiesChanged", "sa{sv}as",
                       [DEVICE_IFACE, dbus.Dictionary(changed, signature="sv"), dbus.Array([], signature="s")])

    # --- the cuff's answers

    def unlock_write(self, value):
        if not value:
            return
        command, tail = value[0], bytes(value[1:])
        if command == 0x01:
            answer = bytes([0x81, 0x00 if tail == self.key else 0x01])
        elif command == 0x02:
            answer = bytes([0x82 if self.pairing_mode else 0x81, 0x00])
        elif command == 0x00 and self.pairing_mode:
            self.key = tail
            answer = bytes([0x80, 0x00])
        else:
            return
        self.later(lambda: self.notify(UNLOCK, answer))

    def tx_write(self, channel, value):
        if channel == 0:
            self.pending = bytearray()
        self.pending += bytes(value)
        if self.pending and len(self.pending) >= self.pending[0]:
            frame = bytes(self.pending[:self.pending[0]])
            self.pending = bytearray()
            self.host_frame(frame)

    def host_frame(self, frame):
        self.frames.append(frame.hex())
        if xor(frame) != 0 or self.faults.get("silent"):
            return
        kind = frame[1:3]
        address = (frame[3] << 8) | frame[4]
        n = frame[5]
        if kind == b"\x00\x00":
            self.sessions += 1
            answer = bytes([0x18, 0x80, 0x00, 0x00, 0x00, 0x10]) + bytes(16) + b"\x00"
        elif kind == b"\x01\x00":
            limit = self.faults.get("disconnect_after_reads")
            if limit is not None and self.reads >= limit:
                del self.faults["disconnect_after_reads"]  # once
                self.set_device(Connected=False, ServicesResolved=False)
                return
            self.reads += 1
            answer = bytes([8 + n, 0x81, 0x00, frame[3], frame[4], n]) + bytes(self.eeprom[address:address + n]) + b"\x00"
        elif kind == b"\x01\xc0":
            data = frame[6:6 + n]
            self.writes.append([address, data.hex()])
            self.eeprom[address:address + n] = data
            answer = bytes([frame[0], 0x81, 0xC0]) + frame[3:6 + n] + b"\x00"
        elif kind == b"\x0f\x00":
            answer = bytes([0x08, 0x8F, 0x00, 0x00, 0x00, 0x00, 0x00])
        else:
            return
        answer += bytes([xor(answer)])
        if self.faults.get("corrupt"):
            answer = answer[:-1] + bytes([answer[-1] ^ 0x01])
        pieces = [answer[i:i + 16] for i in range(0, len(answer), 16)]

        def send():
            for channel, piece in enumerate(pieces):
                self.notify(RX[channel], piece)
        self.later(send)


# --- entry points of the mock methods (self = the mock object, args = the call's arguments)

def cuff_of(obj):
    path = obj.path
    while path not in CUFFS:
        path = path.rsplit("/", 1)[0]
    return CUFFS[path]


def configure(obj, text):
    cuff = CUFFS.setdefault(obj.path, Cuff(obj.path))
    config = json.loads(text)
    for address, data in config.get("eeprom", {}).items():
        raw = bytes.fromhex(data)
        cuff.eeprom[int(address, 16):int(address, 16) + len(raw)] = raw
    if "key" in config:
        cuff.key = bytes.fromhex(config["key"])
    for name in ("pairing_mode", "delay_ms"):
        if name in config:
            setattr(cuff, name, config[name])
    if "faults" in config:
        cuff.faults = dict(config["faults"])
    if "confirm_with" in config:
        cuff.confirm_with = config["confirm_with"]


def state(obj):
    cuff = CUFFS[obj.path]
    return json.dumps({"key": cuff.key.hex(), "frames": cuff.frames, "writes": cuff.writes,
                       "reads": cuff.reads, "sessions": cuff.sessions, "confirmations": cuff.confirmations,
                       "connected": bool(mockobject.objects[obj.path].props[DEVICE_IFACE]["Connected"])})


def connect(obj):
    cuff = cuff_of(obj)
    if cuff.faults.get("refuse_connect"):
        raise dbus.exceptions.DBusException("le-connection-abort-by-local", name="org.bluez.Error.Failed")
    if cuff.faults.get("connect_no_reply"):
        # What the caller's libdbus reports when Connect's timeout passes without a reply (the mock
        # cannot hold a reply back without stopping every other object on the bus).
        raise dbus.exceptions.DBusException("Did not receive a reply", name="org.freedesktop.DBus.Error.NoReply")
    cuff.set_device(Connected=True)
    if not cuff.faults.get("no_services"):
        cuff.set_device(ServicesResolved=True)


def disconnect(obj):
    cuff_of(obj).set_device(Connected=False, ServicesResolved=False)


def pair(obj):
    cuff = cuff_of(obj)
    if cuff.confirm_with:
        name, path = cuff.confirm_with
        agent = obj.connection.get_object(name, path, introspect=False)
        try:
            agent.RequestConfirmation(dbus.ObjectPath(cuff.device_path), dbus.UInt32(123456),
                                      dbus_interface="org.bluez.Agent1", timeout=5)
            cuff.confirmations.append("accepted")
        except dbus.exceptions.DBusException as error:
            cuff.confirmations.append(error.get_dbus_name())
            raise dbus.exceptions.DBusException("Authentication Failed",
                                                name="org.bluez.Error.AuthenticationFailed")
    cuff.set_device(Paired=True, Bonded=True)


def start_notify(obj):
    obj.props[CHAR_IFACE]["Notifying"] = dbus.Boolean(True, variant_level=1)


def stop_notify(obj):
    obj.props[CHAR_IFACE]["Notifying"] = dbus.Boolean(False, variant_level=1)


def write_value(obj, args):
    cuff = cuff_of(obj)
    if not bool(mockobject.objects[cuff.device_path].props[DEVICE_IFACE]["Connected"]):
        raise dbus.exceptions.DBusException("Not connected", name="org.bluez.Error.NotConnected")
    uuid = str(obj.props[CHAR_IFACE]["UUID"])
    value = bytes(int(b) for b in args[0])
    if uuid == UNLOCK:
        cuff.unlock_write(value)
    elif uuid in TX:
        cuff.tx_write(TX.index(uuid), value)
