"""Omron cuffs through the live daemon: `ble2garmin run` against a simulated bluetoothd (private
system bus, python-dbusmock's bluez5 template) with a simulated HEM-7322T cuff on GATT
(omron_fake.py / omron_cuff.py: Device1, GattService1, the unlock characteristic, four TX/RX
channels, an EEPROM image).

The EEPROM holds shared/spec/device-omron.md §10.1's four real HEM-7322T records (hass-omron#13) in
user 1's slots 36–39 (0x04A4 = 0x02AC + 36·14), index cursor 40, and one record for user 2 in slot 0
(0x0824): 150/85 mmHg, pulse 65, 2024-07-17 17:45:30, MOV set (bytes written by hand from §6.2). The
expected rows are the spec's decoded values with the category of §9.2 (eu) worked out by hand; the
daemon runs in UTC so Unix Time = the cuff's clock read as UTC.
"""
import calendar
import json
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path

import dbus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import omron_fake  # noqa: E402

omron_fake.prepare_environment()  # before any mock bluetoothd starts: it imports omron_cuff
from daemon_harness import ADAM, DaemonTestCase, GarminMockCase  # noqa: E402
from daemon_test import frame, weighing  # noqa: E402
from fake_bluez import TIME_SCALE, wait_until  # noqa: E402

BINARY = sys.argv[1]
CUFF = "00:5F:BF:4A:11:22"
SCALE = "C8:47:8C:A1:B2:C3"
KEY = omron_fake.DEFAULT_KEY

INDEX_FIRST = "0028000180008000"   # user 1 next slot 40, user 2 next slot 1, nothing unread flags
INDEX_SECOND = "0029000180008000"  # after one more user-1 measurement
USER1_RECORDS = ("4f611642244a155c00638d809457" "53681648285216cd005b7d800dce"
                 "4b5f1646285217480047518034f7" "525f16442b0c1e8300627e808043")
USER2_RECORD = "557d18419e310b5e000000000000"
NEW_RECORD = "5b781a4819d71b42000014006996"  # §10.1 [HO] HEM-7600T vector: 145/91/72, 2026-06-14 23:45:02


def t(*fields):
    return calendar.timegm(fields)


# (T, sys, dia, pulse, category (eu), MOV, IHB, email)
FIRST = [
    (t(2022, 9, 2, 10, 21, 28), 122, 79, 66, "Normal", 0, 0, "adam@x"),
    (t(2022, 10, 2, 18, 27, 13), 129, 83, 72, "Normal", 0, 0, "adam@x"),
    (t(2022, 10, 2, 18, 29, 8), 120, 75, 70, "Normal", 0, 0, "adam@x"),
    (t(2022, 10, 24, 12, 58, 3), 120, 82, 68, "Normal", 0, 0, "adam@x"),
    (t(2024, 7, 17, 17, 45, 30), 150, 85, 65, "Grade_1", 1, 0, "bea@x"),
]
# 145/91 is in none of the eu rules (Grade_1 needs dia < 90, Grade_2 sys ≥ 160 or dia ≥ 100): "None".
NEW = (t(2026, 6, 14, 23, 45, 2), 145, 91, 72, "None", 0, 0, "adam@x")

CONFIG = """
[general]
state_directory = "{state}"
timezone = "UTC"
log_level = "debug"

[storage]
blood_pressure_category = "eu"

[[users]]
name = "adam"
sex = "male"
height_cm = 172
birth_date = 1984-04-02
garmin_email = "adam@x"
min_weight_kg = 50
max_weight_kg = 65
omron_slot = 1

[[users]]
name = "bea"
sex = "female"
height_cm = 168
birth_date = 1986-09-12
garmin_email = "bea@x"
min_weight_kg = 70
max_weight_kg = 90
omron_slot = 2

[devices.omron]
mac = "{cuff}"
model = "hem-7322t"
quiet_seconds = 1

[devices.mi_scale]
mac = "{scale}"
"""


class OmronDaemonTest(DaemonTestCase):
    binary = BINARY

    def write_config(self):
        self.config.write_text(CONFIG.format(state=self.state, cuff=CUFF, scale=SCALE))

    def setUp(self):
        super().setUp()
        self.cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=True)
        self.cuff.configure({"key": KEY, "eeprom": {"0260": INDEX_FIRST, "04a4": USER1_RECORDS, "0824": USER2_RECORD}})

    def omron_rows(self):
        path = self.state / "omron_backup.csv"
        return path.read_text().splitlines()[1:] if path.exists() else []

    def measured(self):
        """(T, sys, dia, pulse, category, MOV, IHB, email) of each row (local rows: Garmin is off)."""
        out = []
        for row in self.omron_rows():
            f = row.split(";")
            self.assertEqual(f[0], "local", row)
            self.assertEqual(len(f), 14, row)
            out.append((int(f[1]), int(f[4]), int(f[5]), int(f[6]), f[7], int(f[8]), int(f[9]), f[10]))
        return out

    def session_done(self, count, device=CUFF):
        self.daemon.wait_log(r"device session done device=" + device, timeout=15 * TIME_SCALE, count=count)

    def session_failed(self, count):
        self.daemon.wait_log(r"device session failed, tried again at its next advertisement", timeout=30 * TIME_SCALE,
                             count=count)

    def advertise_after_quiet(self):
        time.sleep(1.2)  # quiet_seconds = 1 after a session, 1 s after a failure
        self.cuff.advertise()

    def test_first_session_stores_everything_and_the_next_only_the_new_record(self):
        self.start_daemon()
        self.cuff.advertise()
        self.session_done(1)
        self.assertEqual(sorted(self.measured()), FIRST)
        # Nothing was written to the cuff: reads, start and end only.
        state = self.cuff.state()
        self.assertEqual(state["writes"], [])
        self.assertTrue(all(f[2:4] in ("00", "01", "0f") and f[2:6] != "01c0" for f in state["frames"]), state["frames"])
        self.assertFalse(state["connected"], "the daemon disconnects after the session")
        # A new measurement of user 1; the cuff advertises again.
        self.cuff.configure({"eeprom": {"0260": INDEX_SECOND, "04dc": NEW_RECORD}})
        reads_before = state["reads"]
        self.advertise_after_quiet()
        self.session_done(2)
        self.assertEqual(sorted(self.measured()), sorted(FIRST + [NEW]))
        # New records only: index + a few slots back to the newest stored one, not 2 × 25 blocks.
        self.assertLess(self.cuff.state()["reads"] - reads_before, 10)
        # A third session adds nothing.
        self.advertise_after_quiet()
        self.session_done(3)
        self.assertEqual(len(self.omron_rows()), 6)
        # The cursors survive a restart: after it, still nothing new.
        self.daemon.stop()
        self.start_daemon()
        self.advertise_after_quiet()
        self.session_done(1)
        self.assertEqual(len(self.omron_rows()), 6)

    def test_rows_export2garmin_already_downloaded_are_not_stored_again(self):
        header = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];"
                  "Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];"
                  "Difference Time [s]")
        old = f"uploaded;{FIRST[0][0]};02.09.2022;10:21;122;79;66;Normal;0;0;adam@x;03.09.2022;08:00;77552"
        self.state.mkdir(mode=0o700, exist_ok=True)
        (self.state / "omron_backup.csv").write_text(header + "\n" + old + "\n")
        self.start_daemon()
        self.cuff.advertise()
        self.session_done(1)
        rows = self.omron_rows()
        self.assertEqual(rows[0], old)
        self.assertEqual(len(rows), 5, rows)
        self.assertEqual([int(r.split(";")[1]) for r in rows].count(FIRST[0][0]), 1)

    def start_with_a_new_cuff(self):
        """A new cuff (the configured one): not bonded, in pairing mode ("P" flashing), holding no
        key yet, one record of user 1. The daemon runs and has registered its agent."""
        cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", "00:5F:BF:4A:11:33", paired=False)
        cuff.configure({"key": "00" * 16, "pairing_mode": True, "eeprom": {"0260": "0001800080008000",
                                                                            "02ac": USER1_RECORDS[:28]}})
        self.config.write_text(self.config.read_text().replace(CUFF, "00:5F:BF:4A:11:33"))
        self.start_daemon()
        wait_until(lambda: self.bluez.get_method_calls("/org/bluez", "RegisterAgent"), timeout=5, what="RegisterAgent")
        return cuff

    def test_pairing_programs_the_key_through_the_agent(self):
        cuff = self.start_with_a_new_cuff()
        agent = self.bluez.get_method_calls("/org/bluez", "RegisterAgent")[0][1]
        self.assertEqual(agent[1], "NoInputNoOutput")
        self.assertTrue(self.bluez.get_method_calls("/org/bluez", "RequestDefaultAgent"))
        cuff.advertise()
        self.session_done(1, device=cuff.mac)
        self.assertEqual(cuff.state()["key"], KEY)
        self.assertEqual(self.bluez.get_property(cuff.path, "org.bluez.Device1", "Paired"), True)
        self.assertEqual(self.measured(), [FIRST[0]])
        self.daemon.wait_log(r"pairing key programmed into the cuff")

    def agent_bus_name(self):
        """The daemon's connection that registered the agent (the one serving its object path)."""
        bus = self.bluez._bus()
        for name in bus.list_names():
            if not name.startswith(":"):
                continue
            try:
                xml = bus.get_object(name, "/org/ble2garmin/agent", introspect=False).Introspect(
                    dbus_interface="org.freedesktop.DBus.Introspectable", timeout=2)
            except dbus.exceptions.DBusException:
                continue
            if "org.bluez.Agent1" in xml:
                return str(name)
        return None

    def test_the_agent_confirms_pairing_of_a_configured_cuff_and_refuses_others(self):
        # bluetoothd asks the agent to confirm during Pair (numeric comparison): the daemon's
        # NoInputNoOutput agent accepts for the cuff it pairs, and refuses a device it does not know.
        cuff = self.start_with_a_new_cuff()
        name = self.agent_bus_name()
        self.assertIsNotNone(name, "no connection serves /org/ble2garmin/agent")
        cuff.configure({"confirm_with": [name, "/org/ble2garmin/agent"]})
        cuff.advertise()
        self.session_done(1, device=cuff.mac)
        self.assertEqual(cuff.state()["confirmations"], ["accepted"])
        self.assertEqual(self.measured(), [FIRST[0]])
        self.daemon.wait_log(r"pairing request accepted request=confirmation device=00:5F:BF:4A:11:33")
        # A device that is not in the configuration: refused, with one line saying so.
        stranger = self.bluez.device_path("hci0", "11:22:33:44:55:66")
        agent = self.bluez._bus().get_object(name, "/org/ble2garmin/agent", introspect=False)
        with self.assertRaises(dbus.exceptions.DBusException) as refused:
            agent.RequestConfirmation(dbus.ObjectPath(stranger), dbus.UInt32(1), dbus_interface="org.bluez.Agent1")
        self.assertEqual(refused.exception.get_dbus_name(), "org.bluez.Error.Rejected")
        self.daemon.wait_log(r"pairing request refused, not a configured device request=confirmation "
                             r"device=11:22:33:44:55:66")

    def test_agent_is_registered_again_after_a_bluetoothd_restart(self):
        self.start_daemon()
        wait_until(lambda: self.bluez.get_method_calls("/org/bluez", "RegisterAgent"), timeout=5, what="RegisterAgent")
        self.bluez.restart_bluetoothd()
        self.bluez.add_adapter("hci0")
        wait_until(lambda: self.bluez.get_method_calls("/org/bluez", "RegisterAgent"), timeout=5,
                   what="RegisterAgent with the new bluetoothd")

    def test_link_failures_are_retried_at_the_next_advert_losing_and_duplicating_nothing(self):
        self.start_daemon()
        failures = 0
        for fault in ({"refuse_connect": True}, {"connect_no_reply": True}, {"corrupt": True},
                      {"disconnect_after_reads": 3}):
            self.cuff.configure({"faults": fault})
            self.advertise_after_quiet()
            failures += 1
            self.session_failed(failures)
            self.assertEqual(self.omron_rows(), [], fault)  # a failed session records nothing
        self.assertRegex(self.daemon.text(), r"Connect got no answer within \d+ ms")  # the connect timeout
        # No notification at all (5 tries of 1 s for the start of transmission).
        self.cuff.configure({"faults": {"silent": True}})
        self.advertise_after_quiet()
        failures += 1
        self.session_failed(failures)
        self.cuff.configure({"faults": {}})
        self.advertise_after_quiet()
        self.session_done(1)
        self.assertEqual(sorted(self.measured()), FIRST)
        # Interrupted while the new record is read: the next session adds it, once.
        self.cuff.configure({"eeprom": {"0260": INDEX_SECOND, "04dc": NEW_RECORD}, "faults": {"disconnect_after_reads": 1}})
        self.advertise_after_quiet()
        failures += 1
        self.session_failed(failures)
        self.assertEqual(len(self.omron_rows()), 5)
        self.advertise_after_quiet()
        self.session_done(2)
        self.assertEqual(sorted(self.measured()), sorted(FIRST + [NEW]))

    def test_a_cuff_whose_services_never_resolve_is_given_up_after_10_s_and_disconnected(self):
        self.cuff.configure({"faults": {"no_services": True}})
        self.start_daemon()
        started = time.monotonic()
        self.cuff.advertise()
        self.daemon.wait_log(r"device session failed, tried again at its next advertisement: the services of "
                             + CUFF + r" were not resolved within 10 s", timeout=20 * TIME_SCALE)
        self.assertGreaterEqual(time.monotonic() - started, 9.5)
        wait_until(lambda: not self.cuff.state()["connected"], timeout=5 * TIME_SCALE, what="the daemon disconnects")
        self.assertEqual(self.omron_rows(), [])
        self.cuff.configure({"faults": {}})
        self.advertise_after_quiet()
        self.session_done(1)
        self.assertEqual(sorted(self.measured()), FIRST)

    def test_a_scale_weighing_during_a_download_is_stored_within_a_second(self):
        self.cuff.configure({"delay_ms": 100})  # ~55 round trips: a download of about 6 s
        self.start_daemon()
        self.cuff.advertise()
        self.daemon.wait_log(r"device session started device=" + CUFF)
        time.sleep(1.0)
        when = int(time.time())
        sent = time.monotonic()
        self.bluez.play_weighing("hci0", SCALE, weighing(when)[3:], interval=0.02)
        wait_until(lambda: self.rows(), timeout=1.0 * TIME_SCALE, what="the scale row within 1 s")
        self.assertLess(time.monotonic() - sent, 1.0 * TIME_SCALE)
        self.assertNotIn("device session done", self.daemon.text(), "the download was still running")
        self.session_done(1)
        self.assertEqual(sorted(self.measured()), FIRST)


    def status(self, *extra):
        result = subprocess.run([BINARY, "status", "--config", str(self.config), *extra], capture_output=True,
                                text=True, timeout=30 * TIME_SCALE)
        return json.loads(result.stdout) if "--json" in extra else result.stdout

    def cuff_sessions(self):
        return {d["address"]: d.get("session") for d in self.status("--json")["devices"] if d["module"] == "omron"}

    def test_two_cuffs_each_with_their_own_slots_and_status_shows_their_downloads(self):
        # The bedroom cuff (CUFF): adam is slot 1, bea slot 2. The office cuff: bea is slot 1.
        office = "00:5F:BF:4A:11:44"
        text = self.config.read_text().replace("[devices.omron]", "[[devices.omron]]")
        text = text.replace("omron_slot = 1", f'omron_slot = {{ "{CUFF}" = 1 }}')
        text = text.replace("omron_slot = 2", f'omron_slot = {{ "{CUFF}" = 2, "{office.lower()}" = 1 }}')
        text += f'\n[[devices.omron]]\nmac = "{office}"\nmodel = "hem-7322t"\nquiet_seconds = 1\n'
        self.config.write_text(text)
        cuff2 = omron_fake.FakeOmronCuff(self.bluez, "hci0", office, paired=True)
        cuff2.configure({"key": KEY, "eeprom": {"0260": "0001800080008000", "02ac": NEW_RECORD}})
        self.start_daemon()
        self.cuff.advertise()
        self.session_done(1)
        cuff2.advertise()
        self.session_done(1, device=office)
        # The office's slot 1 is bea's: the same slot number as adam's on the bedroom cuff.
        self.assertEqual(sorted(self.measured()), sorted(FIRST + [NEW[:7] + ("bea@x",)]))
        wait_until(lambda: all(s and s["ended_at"] for s in self.cuff_sessions().values()), timeout=5 * TIME_SCALE,
                   what="both downloads in status")
        sessions = self.cuff_sessions()
        self.assertEqual((sessions[CUFF]["new_records"], sessions[CUFF]["error"], sessions[CUFF]["running"]),
                         (5, None, False))
        self.assertEqual((sessions[office]["new_records"], sessions[office]["error"]), (1, None))
        self.assertRegex(self.status(), r"omron 00:5F:BF:4A:11:44: .*; last download [^;]*, 1 new record\n")
        # A failed download: status says so until the next one succeeds.
        cuff2.configure({"faults": {"refuse_connect": True}})
        time.sleep(1.2)
        cuff2.advertise()
        self.session_failed(1)
        wait_until(lambda: self.cuff_sessions()[office]["error"], timeout=5 * TIME_SCALE, what="the failure in status")
        self.assertEqual(self.cuff_sessions()[office]["new_records"], 0)
        self.assertIn("FAILED", self.status())


class OmronCliTest(DaemonTestCase):
    """`ble2garmin omron read` and `omron pair` against the same simulated cuff; the cuff advertises
    every 0.3 s while the command runs, as one whose button was pressed."""
    binary = BINARY

    def write_config(self):
        self.config.write_text(CONFIG.format(state=self.state, cuff=CUFF, scale=SCALE))

    def run_cli(self, cuff, *args):
        process = subprocess.Popen([BINARY, "omron", *args, "--seconds", "10"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=self.bluez.env())

        def advertise():
            while process.poll() is None:
                cuff.advertise()
                time.sleep(0.3)
        thread = threading.Thread(target=advertise)
        thread.start()
        out, err = process.communicate(timeout=60 * TIME_SCALE)
        thread.join()
        return process.returncode, out, err

    def test_read_prints_every_record_and_writes_nothing_without_store(self):
        cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=True)
        cuff.configure({"key": KEY, "eeprom": {"0260": INDEX_FIRST, "04a4": USER1_RECORDS, "0824": USER2_RECORD}})
        code, out, err = self.run_cli(cuff, "read", "--model", "hem-7322t", "--mac", CUFF, "--all",
                                      "--config", str(self.config))
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 5, out)
        self.assertIn("user1  2022-09-02 10:21:28  122/79 mmHg  pulse 66  MOV 0  IHB 0", lines)
        self.assertIn("user2  2024-07-17 17:45:30  150/85 mmHg  pulse 65  MOV 1  IHB 0", lines)
        self.assertFalse((self.state / "omron_backup.csv").exists())
        self.assertEqual(cuff.state()["writes"], [])

    def test_read_store_records_once(self):
        cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=True)
        cuff.configure({"key": KEY, "eeprom": {"0260": INDEX_FIRST, "04a4": USER1_RECORDS, "0824": USER2_RECORD}})
        code, out, err = self.run_cli(cuff, "read", "--model", "hem-7322t", "--mac", CUFF, "--store",
                                      "--config", str(self.config))
        self.assertEqual(code, 0, err)
        self.assertIn("5 new stored", err)
        rows = (self.state / "omron_backup.csv").read_text().splitlines()[1:]
        self.assertEqual(len(rows), 5)
        code, out, err = self.run_cli(cuff, "read", "--model", "hem-7322t", "--mac", CUFF, "--store",
                                      "--config", str(self.config))
        self.assertEqual(code, 0, err)
        self.assertIn("0 records read", err)
        self.assertEqual(len((self.state / "omron_backup.csv").read_text().splitlines()[1:]), 5)

    def test_pair_programs_the_key_and_prints_the_config_lines(self):
        cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=False)
        cuff.configure({"key": "00" * 16, "pairing_mode": True})
        code, out, err = self.run_cli(cuff, "pair", "--model", "hem-7322t")
        self.assertEqual(code, 0, out + err)
        self.assertIn(f'mac = "{CUFF}"', out)
        self.assertIn('model = "hem-7322t"', out)
        self.assertEqual(cuff.state()["key"], KEY)
        self.assertTrue(self.bluez.get_method_calls("/org/bluez", "RegisterAgent"))

    def test_pair_says_what_to_do_when_the_cuff_is_not_in_pairing_mode(self):
        cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=True)
        cuff.configure({"key": "11" * 16, "pairing_mode": False})
        code, out, err = self.run_cli(cuff, "pair", "--model", "hem-7322t")
        self.assertEqual(code, 1, out + err)
        self.assertIn("\"P\" flashes", err)


class OmronGarminTest(GarminMockCase):
    """The cuff's records reach Garmin Connect as blood pressure (the mock), through the same
    Garmin sink as every other row: to_import first, uploaded once the mock took them."""

    binary = BINARY

    def write_config(self):
        self.config.write_text(f"""
[general]
state_directory = "{self.state}"
timezone = "UTC"
log_level = "debug"
{self.garmin_table()}{ADAM}omron_slot = 1

[devices.omron]
mac = "{CUFF}"
model = "hem-7322t"
""")

    def setUp(self):
        super().setUp()
        self.cuff = omron_fake.FakeOmronCuff(self.bluez, "hci0", CUFF, paired=True)
        # User 1 only: the two newest real records (slots 38, 39).
        self.cuff.configure({"key": KEY, "eeprom": {"0260": INDEX_FIRST, "04c0": USER1_RECORDS[56:]}})
        self.start_daemon()

    def rows(self):
        path = self.state / "omron_backup.csv"
        return path.read_text().splitlines()[1:] if path.exists() else []

    def test_downloaded_records_are_uploaded_as_blood_pressure_once(self):
        self.cuff.advertise()
        self.daemon.wait_log(r"device session done device=" + CUFF, timeout=15 * TIME_SCALE)
        wait_until(lambda: len(self.rows()) == 2 and all(r.startswith("uploaded;") for r in self.rows()),
                   timeout=30 * TIME_SCALE, what="both rows uploaded")
        stored = self.mock.control("state")["blood_pressure"]
        self.assertEqual(sorted((b["systolic"], b["diastolic"], b["pulse"]) for b in stored),
                         [(120, 75, 70), (120, 82, 68)])
        posts = self.mock.control("requests?path=/bloodpressure-service/bloodpressure&method=POST")
        self.assertEqual(len(posts), 2)
        self.assertEqual(sorted(p["body"]["json"]["measurementTimestampGMT"] for p in posts),
                         ["2022-10-02T18:29:08.000", "2022-10-24T12:58:03.000"])
        self.assertTrue(all(";ok@x;" in r for r in self.rows()), self.rows())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[2:], verbosity=2)  # [test names…] after the binary
