"""`ble2garmin upload` against the Garmin mock (garmin_mock/server.py), TLS verification on (the mock's
CA only through `ca_file`). The mock decodes every uploaded FIT with Garmin's @garmin/fitsdk.

Backup rows and expected values are written by hand: adam (ok@x) weighed 55.2 kg / 508 Ω at Unix
1721076654 and 56.0 kg / 500 Ω at 1721080000; bea (no Garmin account) 72.4 kg. A row becomes
`uploaded` only once Garmin accepted it; 409 counts as accepted; 500 is retried; 429 pauses.
Run: /usr/bin/python3 tests/integration/garmin_upload_test.py path/to/ble2garmin
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "garmin_mock"))
sys.dont_write_bytecode = True
from selftest import MockProcess  # noqa: E402
from daemon_harness import ADAM  # noqa: E402

BINARY = sys.argv[1]
# Waits and time limits are multiplied by this under an emulator (tests/integration/CMakeLists.txt).
TIME_SCALE = float(os.environ.get("BLE2GARMIN_TEST_TIME_SCALE", "1"))
FITCHECK = HERE.parent / "fitcheck"
HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];Weight [kg];Change [kg];BMI;Body Fat [%];"
          "Skeletal Muscle Mass [kg];Bone Mass [kg];Body Water [%];Physique Rating;Visceral Fat;"
          "Metabolic Age [years];BMR [kCal];LBM [kg];Ideal Wieght [kg];Fat Mass To Ideal [type:mass kg];"
          "Protein [%];Impedance;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];Difference Time [s]")
OMRON_HEADER = ("Data Status;Unix Time;Date [dd.mm.yyyy];Time [hh:mm];SYStolic [mmHg];DIAstolic [mmHg];"
                "Heart Rate [bpm];Category;MOV;IHB;Email User;Upload Date [dd.mm.yyyy];Upload Time [hh:mm];"
                "Difference Time [s]")
ROWS = ["to_import;1721076654;55.2;508", "failed;1721080000;56.0;500", "to_import;1721090000;72.4;480"]

USERS = ADAM + """
[[users]]
name = "bea"
sex = "female"
height_cm = 168
birth_date = 1986-09-12
min_weight_kg = 66
max_weight_kg = 90
"""


class GarminUploadTest(unittest.TestCase):
    mock = None
    outputs = []
    secrets = {"secret"}

    @classmethod
    def setUpClass(cls):
        if not (FITCHECK / "node_modules" / "@garmin" / "fitsdk").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FITCHECK, check=True)
        cls.mock = MockProcess(FITCHECK)

    @classmethod
    def tearDownClass(cls):
        stderr = cls.mock.stop()
        assert "Traceback" not in stderr, stderr
        text = "\n".join(cls.outputs)
        for secret in cls.secrets:
            assert secret not in text, "a secret appeared in the output"

    def setUp(self):
        self.mock.control("reset", {})
        self.dir = Path(tempfile.mkdtemp(prefix="ble2garmin-garmin-upload-"))
        self.state = self.dir / "state"
        self.state.mkdir()
        self.backup = self.state / "miscale_backup.csv"
        self.backup.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n")
        base = self.mock.base
        self.config = self.dir / "ble2garmin.toml"
        self.config.write_text(f"""
[general]
state_directory = "{self.state}"
log_level = "debug"
timezone = "Europe/Warsaw"

[garmin]
enabled = true
sso_base_url = "{base}"
api_base_url = "{base}"
diauth_base_url = "{base}"
oauth_consumer_url = "{base}/oauth_consumer.json"
ca_file = "{self.mock.ca_file}"
timeout_seconds = 20
""" + USERS)
        login = self.run_cli("login", "--email", "ok@x", stdin="secret\n")
        self.assertEqual(login.returncode, 0, login.stdout + login.stderr)
        self.remember_tokens()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_cli(self, *args, stdin=""):
        result = subprocess.run([BINARY, *args, "--config", str(self.config)], input=stdin, capture_output=True,
                                text=True, timeout=120)
        self.outputs.append(result.stdout + result.stderr)
        return result

    def remember_tokens(self):
        tokens = json.loads((self.state / "garmin" / "ok@x" / "garmin_tokens.json").read_text())
        self.secrets.update({tokens["di_token"], tokens["di_refresh_token"]})
        return tokens

    def rows(self):
        return self.backup.read_text().splitlines()[1:]

    def accepted(self):
        return self.mock.control("uploads")

    def upload_requests(self):
        return self.mock.control("requests?path=/upload-service/upload&method=POST")

    def test_every_pending_row_once_and_the_fit_decodes_as_written(self):
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("2 uploaded, 0 parked now, 0 parked earlier, 0 still pending", result.stdout)
        rows = self.rows()
        self.assertTrue(rows[0].startswith("uploaded;1721076654;15.07.2024;22:50;55.2;0.0;18.7;"), rows[0])
        self.assertTrue(rows[1].startswith("uploaded;1721080000;15.07.2024;23:46;56.0;0.8;18.9;"), rows[1])
        self.assertIn(";508;ok@x;", rows[0])
        self.assertEqual(rows[2], ROWS[2])  # bea has no Garmin account: kept, never sent
        uploads = self.accepted()
        self.assertEqual(len(uploads), 2)
        for upload, row, weight, unix in zip(uploads, rows, (55.2, 56.0), (1721076654, 1721080000)):
            self.assertEqual(upload["user"], "ok@x")
            sdk = upload["fitsdk"]
            self.assertTrue(sdk.get("ok"), sdk)
            scale = sdk["messages"]["weightScaleMesgs"][0]
            self.assertAlmostEqual(scale["weight"], weight, places=2)
            # The FIT carries what the uploaded row says (Fat column 8, BMI column 7, same rounding).
            fields = row.split(";")
            self.assertAlmostEqual(scale["percentFat"], float(fields[7]), delta=0.051)
            self.assertAlmostEqual(scale["bmi"], float(fields[6]), delta=0.051)
            # Timestamps are true UTC: the FIT epoch is 1989-12-31T00:00:00Z.
            self.assertEqual(scale["timestamp"], time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(unix)))
        # Row 1 is body-composition.md §8 vector 1 (male, 172 cm, 40 years, 55.2 kg, 508 Ω): its raw
        # values, rounded to the FIT field's resolution (ble2garmin rounds; upstream truncates).
        first = uploads[0]["fitsdk"]["messages"]["weightScaleMesgs"][0]
        expected = {"percentFat": round(10.761790840579721, 2), "percentHydration": round(61.21741148336231, 2),
                    "boneMass": round(2.553752783776, 2), "muscleMass": round(46.705738672224, 2),
                    "basalMet": round(1217.2512 * 4) / 4, "physiqueRating": 7, "metabolicAge": 19,
                    "visceralFatRating": 4, "bmi": round(18.658734451054627, 1)}
        for field, value in expected.items():
            self.assertAlmostEqual(first[field], value, places=3, msg=field)
        again = self.run_cli("upload")
        self.assertEqual(again.returncode, 0)
        self.assertEqual(len(self.upload_requests()), 2)
        # Each accepted upload was read back (verify_uploads, on by default) and found.
        reads = self.mock.control("requests?path=/weight-service/weight/dayview/2024-07-15")
        self.assertEqual([r["status"] for r in reads], [200, 200])
        self.assertNotIn("does not show", result.stdout + result.stderr)

    def test_an_accepted_upload_that_does_not_show_is_reported(self):
        # Garmin answers 202 but the day's weigh-ins stay empty (withings-sync #204).
        self.mock.control("fault", {"path": "/weight-service/weight/dayview", "status": 200,
                                    "json": {"dateWeightList": []}})
        self.backup.write_text(HEADER + "\n" + ROWS[0] + "\n")
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Garmin accepted the upload, but it does not show in Garmin Connect for 2024-07-15 "
                      "after 3 reads; check Garmin Connect row=1721076654 account=ok@x", result.stderr)
        self.assertTrue(self.rows()[0].startswith("uploaded;"))  # sending it again would only be a 409
        self.assertEqual(len(self.mock.control("requests?path=/weight-service/weight/dayview")), 3)

    def test_server_errors_then_recovery_upload_every_row_exactly_once(self):
        self.mock.control("scenario", {"name": "upload_500", "count": 1})
        first = self.run_cli("upload")
        self.assertEqual(first.returncode, 75)  # temporary: run again later
        self.assertIn("0 uploaded", first.stdout)
        self.assertEqual(self.rows()[0], "failed;1721076654;55.2;508")
        self.assertEqual(self.rows()[1], ROWS[1])  # adam's later row waits behind the older one
        second = self.run_cli("upload")
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertTrue(all(r.startswith("uploaded;") for r in self.rows()[:2]), self.rows())
        self.assertEqual(len(self.accepted()), 2)
        self.assertEqual([r["status"] for r in self.upload_requests()], [500, 202, 202])

    def test_a_timeout_then_recovery_uploads_every_row_once(self):
        timeout = 2 * TIME_SCALE  # under an emulator a TLS handshake alone can take seconds
        self.config.write_text(self.config.read_text().replace("timeout_seconds = 20",
                                                               f"timeout_seconds = {timeout:g}"))
        self.mock.control("scenario", {"name": "upload_slow", "delay_s": 2 * timeout, "count": 1})
        first = self.run_cli("upload")
        self.assertEqual(first.returncode, 75, first.stdout + first.stderr)
        self.assertIn("transient", first.stdout)
        self.assertEqual(self.rows()[0], "failed;1721076654;55.2;508")
        time.sleep(timeout + 1)  # the mock finishes the slow request meanwhile
        second = self.run_cli("upload")
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertTrue(all(r.startswith("uploaded;") for r in self.rows()[:2]), self.rows())
        # Garmin holds each weigh-in once, whether the slow request got through in the end or not.
        files = {u["sha256"] for u in self.accepted()}
        self.assertEqual(len(files), 2)

    def test_a_duplicate_answer_marks_the_row_uploaded(self):
        self.assertEqual(self.run_cli("upload").returncode, 0)
        # As if the rewrite after the upload had been lost: the row is pending again.
        lines = self.backup.read_text().splitlines()
        lines[1] = ROWS[0]
        self.backup.write_text("\n".join(lines) + "\n")
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("duplicate", result.stdout)
        self.assertTrue(self.rows()[0].startswith("uploaded;1721076654;"))
        self.assertEqual([r["status"] for r in self.upload_requests()], [202, 202, 409])
        self.assertEqual(len(self.accepted()), 2)

    def test_rate_limit_pauses_the_account_and_loses_nothing(self):
        self.mock.control("scenario", {"name": "upload_429", "count": 1, "retry_after": "120"})
        first = self.run_cli("upload")
        self.assertEqual(first.returncode, 75)
        self.assertEqual(self.rows()[:2], ROWS[:2])
        schedule = json.loads((self.state / "garmin_outbox.json").read_text())
        self.assertGreaterEqual(schedule["accounts"]["ok@x"]["rate_limits"], 1)
        # A second run respects the cool-down: nothing is sent.
        second = self.run_cli("upload")
        self.assertEqual(second.returncode, 75)
        self.assertIn("0 uploaded, 0 parked now, 0 parked earlier, 2 still pending", second.stdout)
        self.assertEqual(len(self.upload_requests()), 1)
        listed = self.run_cli("upload", "--list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertRegex(listed.stdout, r"ok@x +waits until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \(rate limited")
        self.assertIn("1721076654", listed.stdout)
        # A user who knows better sends now anyway, warned; everything goes, once.
        third = self.run_cli("upload", "--now")
        self.assertEqual(third.returncode, 0, third.stdout + third.stderr)
        self.assertIn("--now: ignoring Garmin's rate limit for ok@x", third.stderr)
        self.assertEqual(len(self.accepted()), 2)

    def test_an_expired_access_token_is_refreshed_and_the_new_refresh_token_kept(self):
        before = self.remember_tokens()
        self.mock.control("expire", {"access": True})
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        after = self.remember_tokens()
        self.assertNotEqual(after["di_refresh_token"], before["di_refresh_token"])
        self.assertEqual(len(self.accepted()), 2)

    def test_a_legacy_garth_token_folder_uploads(self):
        oauth1 = self.mock.control("oauth1_token", {"user": "ok@x"})
        self.secrets.update({oauth1["oauth_token"], oauth1["oauth_token_secret"]})
        garth = self.dir / "garth"
        garth.mkdir()
        (garth / "oauth1_token.json").write_text(json.dumps(
            {"oauth_token": oauth1["oauth_token"], "oauth_token_secret": oauth1["oauth_token_secret"]}))
        shutil.rmtree(self.state / "garmin" / "ok@x")
        imported = self.run_cli("tokens", "import", str(garth), "--email", "ok@x")
        self.assertEqual(imported.returncode, 0, imported.stdout + imported.stderr)
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(len(self.accepted()), 2)
        self.assertEqual({r["token_kind"] for r in self.upload_requests()}, {"oauth2"})

    def test_blood_pressure_rows_are_posted_as_json_with_local_and_gmt_times(self):
        # export2garmin's omron_backup.csv: 1721231144 = 2024-07-17T15:45:44Z = 17:45:44 in Warsaw (CEST).
        omron = self.state / "omron_backup.csv"
        omron.write_text(OMRON_HEADER + "\n"
                         "to_import;1721231144;17.07.2024;17:45;118;82;65;0;0;ok@x\n"
                         "to_import;1721231500;17.07.2024;17:51;300;82;65;0;0;ok@x\n"
                         "to_import;1721232000;17.07.2024;18:00;120;80;60;0;0;email@email.com\n")
        result = self.run_cli("upload")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)  # 300 mmHg is refused: tell the user
        self.assertIn("3 uploaded, 1 parked now, 0 parked earlier, 0 still pending", result.stdout)
        posts = self.mock.control("requests?path=/bloodpressure-service/bloodpressure&method=POST")
        self.assertEqual(len(posts), 1)  # the invalid row never leaves the machine
        self.assertEqual(posts[0]["body"]["json"], {
            "measurementTimestampLocal": "2024-07-17T17:45:44.000", "measurementTimestampGMT": "2024-07-17T15:45:44.000",
            "systolic": 118, "diastolic": 82, "pulse": 65, "sourceType": "MANUAL", "notes": ""})
        reads = self.mock.control("requests?path=/bloodpressure-service/bloodpressure/range/2024-07-17/2024-07-17")
        self.assertEqual([r["status"] for r in reads], [200])
        self.assertNotIn("does not show", result.stdout + result.stderr)
        stored = self.mock.control("state")["blood_pressure"]
        self.assertEqual([(b["systolic"], b["diastolic"], b["pulse"]) for b in stored], [(118, 82, 65)])
        rows = omron.read_text().splitlines()[1:]
        fields = rows[0].split(";")
        self.assertEqual(fields[:11], ["uploaded", "1721231144", "17.07.2024", "17:45", "118", "82", "65", "Normal",
                                       "0", "0", "ok@x"])
        self.assertEqual(len(fields), 14)
        self.assertEqual(rows[1], "failed;1721231500;17.07.2024;17:51;300;82;65;0;0;ok@x")
        self.assertEqual(rows[2], "to_import;1721232000;17.07.2024;18:00;120;80;60;0;0;email@email.com")

    def test_a_parked_row_fails_one_run_only_and_stays_listed(self):
        # An impossible reading (40/30 mmHg, export2garmin's S400 heart-rate-as-blood-pressure rows):
        # never sent, parked, reported once; later runs (cron, a timer) succeed and still list it.
        omron = self.state / "omron_backup.csv"
        omron.write_text(OMRON_HEADER + "\n" + "to_import;1721231500;17.07.2024;17:51;40;30;65;0;0;ok@x\n")
        first = self.run_cli("upload")
        self.assertEqual(first.returncode, 1, first.stdout + first.stderr)
        self.assertIn("2 uploaded, 1 parked now, 0 parked earlier, 0 still pending", first.stdout)
        second = self.run_cli("upload")
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertIn("0 uploaded, 0 parked now, 1 parked earlier, 0 still pending", second.stdout)
        self.assertNotIn("log lines above", second.stdout)
        listed = self.run_cli("upload", "--list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertRegex(listed.stdout, r"17\.07\.2024 17:51  1721231500  40/30 mmHg, pulse 65  → ok@x +parked: ")
        self.assertRegex(listed.stdout, r"72\.4 kg  → - +not sent: user bea has no garmin_email")
        # --retry-parked tries it again: checked again, parked again, reported again.
        retried = self.run_cli("upload", "--retry-parked")
        self.assertEqual(retried.returncode, 1, retried.stdout + retried.stderr)
        self.assertIn("1 parked now", retried.stdout)
        self.assertEqual(self.mock.control("requests?path=/bloodpressure-service/bloodpressure&method=POST"), [])

    def test_a_parked_row_garmin_refused_is_sent_again_with_retry_parked(self):
        self.backup.write_text(HEADER + "\n" + ROWS[0] + "\n")
        self.mock.control("fault", {"path": "/upload-service/upload", "method": "POST", "status": 400, "count": 1})
        first = self.run_cli("upload")
        self.assertEqual(first.returncode, 1, first.stdout + first.stderr)
        self.assertIn("1 parked now", first.stdout)
        self.assertEqual(self.run_cli("upload").returncode, 0)
        self.assertEqual(len(self.upload_requests()), 1)  # parked: not retried on its own
        again = self.run_cli("upload", "--retry-parked")
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("1 uploaded, 0 parked now, 0 parked earlier, 0 still pending", again.stdout)
        self.assertTrue(self.rows()[0].startswith("uploaded;1721076654;"))

    def test_dry_run_writes_the_fit_files_and_changes_nothing(self):
        out = self.dir / "fits"
        result = self.run_cli("upload", "--dry-run", "--output", str(out))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(sorted(p.name for p in (out / "ok@x").iterdir()), ["1721076654.fit", "1721080000.fit"])
        self.assertEqual((out / "ok@x" / "1721076654.fit").read_bytes()[8:12], b".FIT")
        self.assertEqual(self.rows(), ROWS)
        self.assertEqual(self.upload_requests(), [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
