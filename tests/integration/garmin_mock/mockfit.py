"""FIT checker and decoder used by the Garmin Connect mock (Python 3.11 standard library only).

Written from the FIT description in docs spec `fit.md` (header, CRC-16 nibble table, record headers,
definition and data messages, base types) for the messages ble2garmin writes: file_id, file_creator,
device_info, user_profile, weight_scale, blood_pressure (plus names for a few activity messages).

decode(data) -> dict, or raises FitError(kind, message) where kind is
  "header"  the bytes are not a FIT file (size, header size, ".FIT" tag, data_size, trailing bytes),
  "crc"     header CRC or file CRC mismatch,
  "records" the records cannot be decoded (undefined local type, overrun, file_id not first, ...).
"""
import datetime
import struct

FIT_EPOCH_UNIX = 631065600          # 1989-12-31T00:00:00Z
SYSTEM_TIME_LIMIT = 0x10000000      # date_time values below this are relative "system time"

CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)


def crc16(data, crc=0):
    """FIT CRC-16 (= CRC-16/ARC): low nibble first, then high nibble of every byte."""
    for byte in data:
        tmp = CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ CRC_TABLE[byte & 0xF]
        tmp = CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ CRC_TABLE[(byte >> 4) & 0xF]
    return crc


class FitError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


# base type number -> (name, size, struct code or None, invalid raw value or None)
BASE_TYPES = {
    0: ("enum", 1, "B", 0xFF),
    1: ("sint8", 1, "b", 0x7F),
    2: ("uint8", 1, "B", 0xFF),
    3: ("sint16", 2, "h", 0x7FFF),
    4: ("uint16", 2, "H", 0xFFFF),
    5: ("sint32", 4, "i", 0x7FFFFFFF),
    6: ("uint32", 4, "I", 0xFFFFFFFF),
    7: ("string", 1, None, None),
    8: ("float32", 4, "f", None),
    9: ("float64", 8, "d", None),
    10: ("uint8z", 1, "B", 0),
    11: ("uint16z", 2, "H", 0),
    12: ("uint32z", 4, "I", 0),
    13: ("byte", 1, "B", 0xFF),
    14: ("sint64", 8, "q", 0x7FFFFFFFFFFFFFFF),
    15: ("uint64", 8, "Q", 0xFFFFFFFFFFFFFFFF),
    16: ("uint64z", 8, "Q", 0),
}

FILE_TYPES = {1: "device", 2: "settings", 3: "sport", 4: "activity", 5: "workout", 6: "course",
              9: "weight", 14: "blood_pressure", 15: "monitoring_a", 20: "activity_summary",
              28: "monitoring_daily", 32: "monitoring_b"}
MANUFACTURERS = {1: "garmin", 11: "tanita", 14: "nautilus", 15: "dynastream", 19: "beurer",
                 21: "a_and_d", 40: "concept2", 118: "waterrower", 255: "development"}

DT = "date_time"
# global number -> (message name, {field number: (field name, scale, kind)})
# kind: None (number), DT (FIT date_time), "file" / "manufacturer" (enum names), "string".
PROFILE = {
    0: ("file_id", {0: ("type", 1, "file"), 1: ("manufacturer", 1, "manufacturer"), 2: ("product", 1, None),
                    3: ("serial_number", 1, None), 4: ("time_created", 1, DT), 5: ("number", 1, None),
                    8: ("product_name", 1, "string")}),
    49: ("file_creator", {0: ("software_version", 1, None), 1: ("hardware_version", 1, None)}),
    23: ("device_info", {253: ("timestamp", 1, DT), 0: ("device_index", 1, None), 1: ("device_type", 1, None),
                         2: ("manufacturer", 1, "manufacturer"), 3: ("serial_number", 1, None),
                         4: ("product", 1, None), 5: ("software_version", 100, None),
                         6: ("hardware_version", 1, None), 7: ("cum_operating_time", 1, None),
                         10: ("battery_voltage", 256, None), 11: ("battery_status", 1, None),
                         18: ("sensor_position", 1, None), 19: ("descriptor", 1, "string"),
                         25: ("source_type", 1, None), 27: ("product_name", 1, "string"),
                         32: ("battery_level", 1, None)}),
    3: ("user_profile", {0: ("friendly_name", 1, "string"), 1: ("gender", 1, None), 2: ("age", 1, None),
                         3: ("height", 100, None), 4: ("weight", 10, None), 5: ("language", 1, None),
                         8: ("resting_heart_rate", 1, None), 17: ("activity_class", 1, None),
                         22: ("local_id", 1, None), 254: ("message_index", 1, None)}),
    30: ("weight_scale", {253: ("timestamp", 1, DT), 0: ("weight", 100, None), 1: ("percent_fat", 100, None),
                          2: ("percent_hydration", 100, None), 3: ("visceral_fat_mass", 100, None),
                          4: ("bone_mass", 100, None), 5: ("muscle_mass", 100, None),
                          7: ("basal_met", 4, None), 8: ("physique_rating", 1, None),
                          9: ("active_met", 4, None), 10: ("metabolic_age", 1, None),
                          11: ("visceral_fat_rating", 1, None), 12: ("user_profile_index", 1, None),
                          13: ("bmi", 10, None)}),
    51: ("blood_pressure", {253: ("timestamp", 1, DT), 0: ("systolic_pressure", 1, None),
                            1: ("diastolic_pressure", 1, None), 2: ("mean_arterial_pressure", 1, None),
                            3: ("map_3_sample_mean", 1, None), 4: ("map_morning_values", 1, None),
                            5: ("map_evening_values", 1, None), 6: ("heart_rate", 1, None),
                            7: ("heart_rate_type", 1, None), 8: ("status", 1, None),
                            9: ("user_profile_index", 1, None)}),
    21: ("event", {253: ("timestamp", 1, DT), 0: ("event", 1, None), 1: ("event_type", 1, None),
                   3: ("data", 1, None), 4: ("event_group", 1, None)}),
    20: ("record", {253: ("timestamp", 1, DT), 3: ("heart_rate", 1, None), 4: ("cadence", 1, None),
                    5: ("distance", 100, None), 6: ("speed", 1000, None), 7: ("power", 1, None)}),
    19: ("lap", {253: ("timestamp", 1, DT), 2: ("start_time", 1, DT), 7: ("total_elapsed_time", 1000, None),
                 8: ("total_timer_time", 1000, None), 9: ("total_distance", 100, None)}),
    18: ("session", {253: ("timestamp", 1, DT), 2: ("start_time", 1, DT), 5: ("sport", 1, None),
                     6: ("sub_sport", 1, None), 7: ("total_elapsed_time", 1000, None),
                     8: ("total_timer_time", 1000, None), 9: ("total_distance", 100, None)}),
    34: ("activity", {253: ("timestamp", 1, DT), 0: ("total_timer_time", 1000, None),
                      1: ("num_sessions", 1, None), 5: ("local_timestamp", 1, None)}),
}


def fit_time_to_iso(value):
    if value < SYSTEM_TIME_LIMIT:
        return None
    moment = datetime.datetime.fromtimestamp(value + FIT_EPOCH_UNIX, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_value(buf, base_num, size, little_endian):
    """Raw value of one field: int/float, list for arrays, str/bytes, or None when invalid."""
    name, base_size, code, invalid = BASE_TYPES.get(base_num, ("byte", 1, "B", 0xFF))
    if name == "string":
        text = buf.split(b"\0", 1)[0]
        return text.decode("utf-8", "replace") if text else None
    if size % base_size != 0:
        return buf.hex()                               # malformed size: keep the bytes
    count = size // base_size
    order = "<" if little_endian else ">"
    values = list(struct.unpack(order + code * count, buf))
    if name.startswith("float"):
        invalid_bits = (b"\xff" * base_size)
        chunks = [buf[i * base_size:(i + 1) * base_size] for i in range(count)]
        values = [None if chunk == invalid_bits else v for v, chunk in zip(values, chunks)]
    else:
        values = [None if v == invalid else v for v in values]
    if name == "byte" and count > 1:                   # byte arrays are invalid only if all 0xFF
        return None if all(v is None for v in values) else buf.hex()
    if count == 1:
        return values[0]
    return None if all(v is None for v in values) else values


def _decoded(raw, scale, kind):
    if raw is None:
        return None
    if kind == DT and isinstance(raw, int):
        return fit_time_to_iso(raw) or raw
    if kind == "file" and isinstance(raw, int):
        return FILE_TYPES.get(raw, raw)
    if kind == "manufacturer" and isinstance(raw, int):
        return MANUFACTURERS.get(raw, raw)
    if scale != 1:
        if isinstance(raw, list):
            return [None if v is None else v / scale for v in raw]
        if isinstance(raw, (int, float)):
            return raw / scale
    return raw


def check_header(data):
    """Validate size, header, tag, data_size, header CRC and file CRC. Returns (header_size, data_size, header)."""
    if len(data) < 12:
        raise FitError("header", f"file is {len(data)} bytes, shorter than a FIT header")
    header_size = data[0]
    if header_size not in (12, 14):
        raise FitError("header", f"header size {header_size} is neither 12 nor 14")
    if len(data) < header_size:
        raise FitError("header", "file shorter than its header")
    if data[8:12] != b".FIT":
        raise FitError("header", f"data type tag {data[8:12]!r} is not '.FIT'")
    protocol_version = data[1]
    profile_version, data_size = struct.unpack_from("<HI", data, 2)
    expected = header_size + data_size + 2
    if len(data) < expected:
        raise FitError("header", f"data_size {data_size} needs {expected} bytes, file has {len(data)}")
    if len(data) > expected:
        raise FitError("header", f"{len(data) - expected} trailing bytes after the file CRC")
    header = {"header_size": header_size, "protocol_version": protocol_version,
              "profile_version": profile_version, "data_size": data_size}
    if header_size == 14:
        header_crc = struct.unpack_from("<H", data, 12)[0]
        header["header_crc"] = header_crc
        if header_crc != 0 and header_crc != crc16(data[:12]):
            raise FitError("crc", f"header CRC 0x{header_crc:04X} != computed 0x{crc16(data[:12]):04X}")
    file_crc = struct.unpack_from("<H", data, header_size + data_size)[0]
    computed = crc16(data[:header_size + data_size])
    header["file_crc"] = file_crc
    if file_crc != computed:
        raise FitError("crc", f"file CRC 0x{file_crc:04X} != computed 0x{computed:04X}")
    return header_size, data_size, header


def decode(data):
    data = bytes(data)
    header_size, data_size, header = check_header(data)
    end = header_size + data_size
    pos = header_size
    definitions = {}
    messages = []
    last_timestamp = None

    def need(count, what):
        if pos + count > end:
            raise FitError("records", f"{what} at offset {pos} overruns data_size")

    while pos < end:
        record_offset = pos
        head = data[pos]
        pos += 1
        if head & 0x80:                                      # compressed timestamp data message
            local = (head >> 5) & 0x3
            offset = head & 0x1F
            if last_timestamp is None:
                raise FitError("records", f"compressed timestamp at offset {record_offset} without a prior timestamp")
            timestamp = (last_timestamp & ~0x1F) + offset
            if offset < (last_timestamp & 0x1F):
                timestamp += 0x20
            last_timestamp = timestamp
            compressed_ts = timestamp
        elif head & 0x40:                                    # definition message
            local = head & 0x0F
            need(5, "definition")
            architecture = data[pos + 1]
            if architecture not in (0, 1):
                raise FitError("records", f"definition at offset {record_offset}: architecture {architecture}")
            little = architecture == 0
            global_num = struct.unpack_from("<H" if little else ">H", data, pos + 2)[0]
            count = data[pos + 4]
            pos += 5
            need(3 * count, "field definitions")
            fields = []
            for i in range(count):
                num, size, base = data[pos + 3 * i:pos + 3 * i + 3]
                if size == 0:
                    raise FitError("records", f"definition at offset {record_offset}: field {num} has size 0")
                fields.append((num, size, base & 0x1F))
            pos += 3 * count
            dev_fields = []
            if head & 0x20:
                need(1, "developer field count")
                dev_count = data[pos]
                pos += 1
                need(3 * dev_count, "developer field definitions")
                for i in range(dev_count):
                    num, size, index = data[pos + 3 * i:pos + 3 * i + 3]
                    dev_fields.append((num, size, index))
                pos += 3 * dev_count
            definitions[local] = {"global": global_num, "little": little, "fields": fields, "dev": dev_fields}
            continue
        else:                                                # normal data message
            local = head & 0x0F
            compressed_ts = None
        definition = definitions.get(local)
        if definition is None:
            raise FitError("records", f"data message at offset {record_offset} uses undefined local type {local}")
        size = sum(f[1] for f in definition["fields"]) + sum(f[1] for f in definition["dev"])
        need(size, "data message")
        global_num = definition["global"]
        mesg_name, field_profile = PROFILE.get(global_num, (f"mesg_{global_num}", {}))
        raw, fields = {}, {}
        for num, fsize, base in definition["fields"]:
            value = _read_value(data[pos:pos + fsize], base, fsize, definition["little"])
            pos += fsize
            name, scale, kind = field_profile.get(num, (f"field_{num}", 1, None))
            raw[name] = value
            fields[name] = _decoded(value, scale, kind)
            if num == 253 and isinstance(value, int):
                last_timestamp = value
        for num, fsize, index in definition["dev"]:
            raw[f"dev_{index}_{num}"] = data[pos:pos + fsize].hex()
            pos += fsize
        if compressed_ts is not None:
            raw["timestamp"] = compressed_ts
            fields["timestamp"] = fit_time_to_iso(compressed_ts) or compressed_ts
        if not messages and global_num != 0:
            raise FitError("records", f"first data message is {mesg_name}, not file_id")
        messages.append({"mesg": mesg_name, "global": global_num, "local": local, "offset": record_offset,
                         "fields": {k: v for k, v in fields.items() if v is not None},
                         "raw": {k: v for k, v in raw.items() if v is not None}})
    if not messages:
        raise FitError("records", "no data messages")
    by_name = {}
    for message in messages:
        by_name.setdefault(message["mesg"], []).append(message["fields"])
    file_id = by_name["file_id"][0]
    return {"header": header, "file_type": file_id.get("type"), "messages": messages, "by_mesg": by_name}
