"""`ble2garmin login` / `tokens import|status|verify` against the Garmin mock (garmin_mock/server.py).

TLS verification stays on: the binary trusts the mock only through `ca_file`. Every command runs with
debug logging and all of its output is kept; the last check greps it for every secret the test knows.
Run: /usr/bin/python3 tests/integration/garmin_login_test.py path/to/ble2garmin
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "garmin_mock"))
sys.dont_write_bytecode = True
from selftest import MockProcess  # noqa: E402  (starts server.py, waits for its port file)

BINARY = sys.argv[1]
UNIT_TESTS = sys.argv[2] if len(sys.argv) > 2 else None
ANDROID_SERVICE = "https://mobile.integration.garmin.com/gcm/android"
PASSWORD = "Pw-secret-4711"
MFA_CODE = "864213"


class GarminLoginTest(unittest.TestCase):
    mock = None
    outputs = []   # every stdout/stderr of the binary, for the secret grep
    secrets = set()

    @classmethod
    def setUpClass(cls):
        cls.mock = MockProcess(Path(tempfile.gettempdir()) / "no-fitcheck-here")

    @classmethod
    def tearDownClass(cls):
        stderr = cls.mock.stop()
        assert "Traceback" not in stderr, stderr

    def setUp(self):
        self.mock.control("reset", {})
        self.mock.control("scenario", {"users": {
            "me@x": {"password": PASSWORD},
            "mfa2@x": {"password": PASSWORD, "mfa": True, "mfa_code": MFA_CODE}}})
        self.secrets.update({PASSWORD, MFA_CODE, "mock-secret"})
        self.dir = Path(tempfile.mkdtemp(prefix="ble2garmin-garmin-login-"))
        self.state = self.dir / "state"
        self.config = self.write_config(ca_file=True)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_config(self, ca_file, name="ble2garmin.toml"):
        base = self.mock.base
        lines = ["[general]", f'state_directory = "{self.state}"', 'log_level = "debug"', "", "[garmin]",
                 "enabled = true", f'sso_base_url = "{base}"', f'api_base_url = "{base}"',
                 f'diauth_base_url = "{base}"', f'oauth_consumer_url = "{base}/oauth_consumer.json"',
                 "timeout_seconds = 20"]
        if ca_file:
            lines.append(f'ca_file = "{self.mock.ca_file}"')
        path = self.dir / name
        path.write_text("\n".join(lines) + "\n")
        return path

    def run_cli(self, *args, stdin="", config=None):
        result = subprocess.run([BINARY, *args, "--config", str(config or self.config)], input=stdin,
                                capture_output=True, text=True, timeout=60)
        self.outputs.append(result.stdout + result.stderr)  # not argv: --ticket is the user's own input
        return result

    def login(self, email, stdin=PASSWORD + "\n", *extra):
        return self.run_cli("login", "--email", email, *extra, stdin=stdin)

    def account(self, email):
        return self.state / "garmin" / email

    def tokens(self, email):
        data = json.loads((self.account(email) / "garmin_tokens.json").read_text())
        self.secrets.update({data["di_token"], data["di_refresh_token"]})
        return data

    def requests(self, path, method=None):
        query = f"requests?path={path}" + (f"&method={method}" if method else "")
        return self.mock.control(query)

    def assert_private(self, email, files):
        self.assertEqual(stat.S_IMODE(os.stat(self.state / "garmin").st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(self.account(email)).st_mode), 0o700)
        for name in files:
            self.assertEqual(stat.S_IMODE(os.lstat(self.account(email) / name).st_mode), 0o600, name)

    # --- login ---------------------------------------------------------------------------------------
    def test_login_ok(self):
        result = self.login("me@x")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("login ok: me@x", result.stdout)
        tokens = self.tokens("me@x")
        self.assertEqual(tokens["di_client_id"], "GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4")
        self.assert_private("me@x", ["garmin_tokens.json"])
        di = self.requests("/di-oauth2-service/oauth/token")
        self.assertEqual([r["status"] for r in di], [401, 200])  # first client id rejected, second accepted
        self.assertEqual(len(self.requests("/mobile/sso/en/sign-in", "GET")), 1)

    def test_login_with_mfa_from_stdin(self):
        result = self.login("mfa2@x", f"{PASSWORD}\n{MFA_CODE}\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.tokens("mfa2@x")
        verify = self.requests("/mobile/api/mfa/verifyCode")
        self.assertEqual(len(verify), 1)
        self.assertEqual(verify[0]["body"]["json"]["mfaMethod"], "email")

    def test_login_with_a_wrong_mfa_code_then_none(self):
        result = self.login("mfa2@x", f"{PASSWORD}\n000000\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("login failed (mfa-failed)", result.stdout)
        self.assertFalse((self.account("mfa2@x") / "garmin_tokens.json").exists())

    def test_wrong_password(self):
        result = self.login("me@x", "not-the-password\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("login failed (invalid-credentials): me@x: wrong e-mail address or password", result.stdout)
        self.assertEqual(len(self.requests("/mobile/api/login", "POST")), 1)

    def test_rate_limited_login_is_not_retried(self):
        self.mock.control("scenario", {"name": "login_429", "retry_after": "3600"})
        result = self.login("me@x")
        self.assertEqual(result.returncode, 1)
        self.assertIn("login failed (rate-limited)", result.stdout)
        self.assertIn("wait", result.stdout)
        self.assertIn("3600", result.stdout)
        self.assertEqual(len(self.requests("/mobile/api/login", "POST")), 1)
        self.assertEqual(len(self.requests("/di-oauth2-service")), 0)

    def test_rate_limit_as_json_is_not_retried(self):
        result = self.login("ratelimit-json@x", "secret\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("login failed (rate-limited)", result.stdout)
        self.assertEqual(len(self.requests("/mobile/api/login", "POST")), 1)

    def test_captcha_locked_and_cloudflare(self):
        for email, status in (("captcha@x", "captcha"), ("locked@x", "locked"), ("cf403@x", "blocked")):
            with self.subTest(email=email):
                result = self.login(email, "secret\n")
                self.assertEqual(result.returncode, 1)
                self.assertIn(f"login failed ({status})", result.stdout)

    def test_login_with_a_ticket(self):
        ticket = self.mock.control("ticket", {"user": "me@x", "service": ANDROID_SERVICE})["ticket"]
        self.secrets.add(ticket)
        result = self.run_cli("login", "--email", "me@x", "--ticket", ticket)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.tokens("me@x")
        self.assertEqual(len(self.requests("/mobile/api/login")), 0)
        # Single use: the same ticket again is refused.
        again = self.run_cli("login", "--email", "me@x", "--ticket", ticket)
        self.assertEqual(again.returncode, 1)
        self.assertIn("ticket was not accepted", again.stdout)

    def test_without_ca_file_the_certificate_is_refused(self):
        config = self.write_config(ca_file=False, name="no-ca.toml")
        result = self.run_cli("login", "--email", "me@x", stdin=PASSWORD + "\n", config=config)
        self.assertEqual(result.returncode, 4)
        self.assertIn("login failed (network)", result.stdout)
        self.assertIn("certificate", result.stdout)
        self.assertFalse(self.account("me@x").exists())

    def test_check_config_prints_the_garmin_table(self):
        result = self.run_cli("check-config")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("[garmin]\nenabled = true\n", result.stdout)
        self.assertIn(f'api_base_url = "{self.mock.base}"', result.stdout)
        self.assertIn(f'ca_file = "{self.mock.ca_file}"', result.stdout)
        self.assertIn("client_ids = [", result.stdout)

    # --- tokens ---------------------------------------------------------------------------------------
    def test_refresh_rotates_and_saves_the_refresh_token(self):
        self.assertEqual(self.login("me@x").returncode, 0)
        first = self.tokens("me@x")
        # Reactive: the mock stops accepting the access token → 401 → one refresh → one retry.
        self.mock.control("expire", {"access": True})
        result = self.run_cli("tokens", "verify", "--email", "me@x")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("tokens ok: me@x: Garmin profile ", result.stdout)
        second = self.tokens("me@x")
        self.assertNotEqual(second["di_refresh_token"], first["di_refresh_token"])
        self.assertEqual([r["status"] for r in self.requests("/userprofile-service/socialProfile")], [401, 200])
        # Forced: rotates again; the new token is on disk and the old one is dead.
        result = self.run_cli("tokens", "verify", "--email", "me@x", "--refresh")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        third = self.tokens("me@x")
        self.assertNotEqual(third["di_refresh_token"], second["di_refresh_token"])
        self.assert_private("me@x", ["garmin_tokens.json"])
        (self.account("me@x") / "garmin_tokens.json").write_text(json.dumps(second))
        stale = self.run_cli("tokens", "verify", "--email", "me@x", "--refresh")
        self.assertEqual(stale.returncode, 1)
        self.assertIn("auth-failed", stale.stdout)
        self.assertIn("log in again", stale.stdout)

    def test_proactive_refresh_before_expiry(self):
        self.mock.control("scenario", {"name": "short_tokens", "expires_in": 600})
        self.assertEqual(self.login("me@x").returncode, 0)
        before = self.tokens("me@x")
        self.mock.control("requests", method="DELETE")
        result = self.run_cli("tokens", "verify", "--email", "me@x")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        log = self.mock.control("requests")
        self.assertEqual([r["path"] for r in log],
                         ["/di-oauth2-service/oauth/token", "/userprofile-service/socialProfile"])
        self.assertEqual(log[0]["body"]["form"]["grant_type"], "refresh_token")
        self.assertNotEqual(self.tokens("me@x")["di_refresh_token"], before["di_refresh_token"])

    def test_legacy_garth_folder_import_and_use(self):
        for user, email in (("ok@x", "legacy@x"), ("mfa@x", "legacymfa@x")):
            with self.subTest(user=user):
                oauth1 = self.mock.control("oauth1_token", {"user": user})
                self.secrets.update({oauth1["oauth_token"], oauth1["oauth_token_secret"]})
                if oauth1.get("mfa_token"):
                    self.secrets.add(oauth1["mfa_token"])
                garth = self.dir / ("garth-" + user)
                garth.mkdir()
                (garth / "oauth1_token.json").write_text(json.dumps({
                    "oauth_token": oauth1["oauth_token"], "oauth_token_secret": oauth1["oauth_token_secret"],
                    "mfa_token": oauth1.get("mfa_token"), "mfa_expiration_timestamp": None,
                    "domain": "garmin.com"}, indent=4))
                (garth / "oauth2_token.json").write_text(json.dumps({
                    "scope": "CONNECT_READ", "jti": "j", "token_type": "Bearer", "access_token": "expired-access",
                    "refresh_token": "unused", "expires_in": 86400, "expires_at": 1000,
                    "refresh_token_expires_in": 2591999, "refresh_token_expires_at": 2000}, indent=4))
                os.chmod(garth / "oauth1_token.json", 0o644)
                result = self.run_cli("tokens", "import", str(garth), "--email", email)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("imported legacy garth tokens", result.stdout)
                self.assert_private(email, ["oauth1_token.json", "oauth2_token.json"])
                result = self.run_cli("tokens", "verify", "--email", email)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                exchange = self.requests("/oauth-service/oauth/exchange/user/2.0")[-1]
                self.assertEqual(exchange["status"], 200, exchange.get("note"))
                oauth2 = json.loads((self.account(email) / "oauth2_token.json").read_text())
                self.secrets.add(oauth2["access_token"])
                self.assertNotEqual(oauth2["access_token"], "expired-access")
                self.assertGreater(oauth2["expires_at"], 2000)
                self.assertEqual(len(self.requests("/oauth_consumer.json")), 1 if user == "ok@x" else 2)

    def test_revoked_legacy_token_says_log_in(self):
        oauth1 = self.mock.control("oauth1_token", {"user": "ok@x"})
        garth = self.dir / "garth"
        garth.mkdir()
        (garth / "oauth1_token.json").write_text(json.dumps(
            {"oauth_token": oauth1["oauth_token"], "oauth_token_secret": oauth1["oauth_token_secret"]}))
        self.assertEqual(self.run_cli("tokens", "import", str(garth), "--email", "old@x").returncode, 0)
        self.mock.control("revoke", {"oauth1": True})
        result = self.run_cli("tokens", "verify", "--email", "old@x")
        self.assertEqual(result.returncode, 1)
        self.assertIn("log in again", result.stdout)

    def test_tokens_status(self):
        self.assertEqual(self.login("me@x").returncode, 0)
        oauth1 = self.mock.control("oauth1_token", {"user": "ok@x"})
        garth = self.dir / "garth"
        garth.mkdir()
        (garth / "oauth1_token.json").write_text(json.dumps(
            {"oauth_token": oauth1["oauth_token"], "oauth_token_secret": oauth1["oauth_token_secret"]}))
        self.assertEqual(self.run_cli("tokens", "import", str(garth), "--email", "old@x").returncode, 0)
        result = self.run_cli("tokens", "status")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        lines = result.stdout.splitlines()
        me = next(line for line in lines if line.startswith("me@x:"))
        self.assertIn("DI OAuth2", me)
        self.assertIn("access token expires", me)
        self.assertIn("refresh token expires", me)
        old = next(line for line in lines if line.startswith("old@x:"))
        self.assertIn("legacy garth", old)
        tokens = self.tokens("me@x")
        for secret in (tokens["di_token"], tokens["di_refresh_token"], oauth1["oauth_token"]):
            self.assertNotIn(secret, result.stdout)

    @unittest.skipUnless(UNIT_TESTS, "needs the unit_tests binary as the second argument")
    def test_upload_multipart_through_the_real_client(self):
        """GarminLiveMock (tests/unit/garmin/live_mock_test.cpp): libcurl multipart, 401 → refresh → resend."""
        self.assertEqual(self.login("me@x").returncode, 0)
        self.tokens("me@x")
        self.mock.control("reject_next_bearer", {"count": 1})
        env = dict(os.environ, BLE2GARMIN_GARMIN_MOCK=self.mock.base, BLE2GARMIN_GARMIN_MOCK_CA=self.mock.ca_file,
                   BLE2GARMIN_GARMIN_TOKEN_DIR=str(self.state / "garmin"), BLE2GARMIN_GARMIN_EMAIL="me@x")
        result = subprocess.run([UNIT_TESTS, "--gtest_filter=GarminLiveMock.*"], env=env, capture_output=True,
                                text=True, timeout=120)
        self.outputs.append(result.stdout + result.stderr)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("[  PASSED  ] 1 test", result.stdout)
        uploads = self.requests("/upload-service/upload", "POST")
        self.assertEqual([u["status"] for u in uploads], [401, 202, 409])
        parts = [u["body"]["parts"] for u in uploads]
        for entry in parts:
            self.assertEqual([(p["name"], p["filename"], p["size"]) for p in entry],
                             [("file", "body_composition.fit", 212)])
        self.assertEqual(len({entry[0]["sha256"] for entry in parts}), 1)  # the same bytes every time
        self.assertEqual(uploads[1]["headers"]["x-garmin-client-platform"], "Android")
        self.assertEqual(len(self.requests("/di-oauth2-service/oauth/token")), 3)  # login: 2 ids; one refresh
        self.tokens("me@x")

    def test_zz_no_secret_in_any_output(self):
        """Runs last (unittest sorts by name): every output of every test, searched for every secret."""
        result = self.login("mfa2@x", f"{PASSWORD}\n{MFA_CODE}\n")
        self.assertEqual(result.returncode, 0)
        self.tokens("mfa2@x")
        self.mock.control("expire", {"access": True})
        self.assertEqual(self.run_cli("tokens", "verify", "--email", "mfa2@x").returncode, 0)
        self.tokens("mfa2@x")
        self.assertEqual(self.run_cli("tokens", "verify", "--email", "mfa2@x", "--refresh").returncode, 0)
        self.tokens("mfa2@x")
        self.run_cli("tokens", "status")
        self.assertGreater(len(self.outputs), 10)
        everything = "\n".join(self.outputs)
        self.assertIn("debug", everything)  # debug logging was really on
        self.assertGreater(len(self.secrets), 10)
        for number, secret in enumerate(sorted(self.secrets)):
            self.assertTrue(secret)
            self.assertFalse(secret in everything, f"secret #{number} ({len(secret)} characters) is in the output")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
