#!/usr/bin/python3
"""Self-test of the Garmin Connect mock (stdlib unittest).

Starts server.py as a subprocess on an ephemeral port with a fresh CA and talks to it with urllib over
TLS verified against that CA. Run: /usr/bin/python3 tests/integration/garmin_mock/selftest.py
"""
import base64
import hashlib
import hmac
import http.client
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

sys.dont_write_bytecode = True              # the unit tests import server.py / mockfit.py from the tree
HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.py"
REAL_FITCHECK = HERE.parent.parent / "fitcheck"

ANDROID_SERVICE = "https://mobile.integration.garmin.com/gcm/android"
IOS_SERVICE = "https://mobile.integration.garmin.com/gcm/ios"
WIDGET_SERVICE = "https://sso.garmin.com/sso/embed"
DI_GRANT = "https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket"
DI_IDS = ["GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2", "GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4",
          "GARMIN_CONNECT_MOBILE_ANDROID_DI", "GARMIN_CONNECT_MOBILE_IOS_DI"]
FIT_EPOCH = 631065600
LOGIN_QUERY = {"clientId": "GCM_ANDROID_DARK", "locale": "en-US", "service": ANDROID_SERVICE}


# ---------------------------------------------------------------------------------------------- helpers

def crc16_arc(data):
    """Bit-by-bit CRC-16/ARC (poly 0xA001 reflected, init 0): independent of the mock's nibble table."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def build_fit(messages, header_size=14):
    """messages: [(local, global, [(field_num, base_type_byte, raw_bytes), ...]), ...] -> FIT bytes."""
    records = b""
    for local, global_num, fields in messages:
        records += bytes([0x40 | local, 0, 0]) + struct.pack("<HB", global_num, len(fields))
        records += b"".join(bytes([num, len(raw), base]) for num, base, raw in fields)
        records += bytes([local]) + b"".join(raw for _, _, raw in fields)
    header = struct.pack("<BBHI4s", header_size, 0x20, 21217, len(records), b".FIT")
    if header_size == 14:
        header += struct.pack("<H", crc16_arc(header))
    body = header + records
    return body + struct.pack("<H", crc16_arc(body))


def file_id(created_unix, serial, extra=()):
    return (0, 0, [(0, 0x00, bytes([9])),                              # type = weight
                   (1, 0x84, struct.pack("<H", 255)),                  # manufacturer = development
                   (3, 0x8C, struct.pack("<I", serial)),
                   (4, 0x86, struct.pack("<I", created_unix - FIT_EPOCH)), *extra])


def weight_scale(unix, weight_kg_x100, fat_x100):
    return (3, 30, [(253, 0x86, struct.pack("<I", unix - FIT_EPOCH)), (0, 0x84, struct.pack("<H", weight_kg_x100)),
                    (1, 0x84, struct.pack("<H", fat_x100))])


def multipart(file_bytes, name="file", filename="body_composition.fit"):
    boundary = "----mockboundary" + secrets.token_hex(8)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n")
    body = head.encode() + file_bytes + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def pct(value):
    return quote(value, safe="~")


def oauth1_header(method, url, key, secret, token=None, token_secret="", body_params=(), nonce=None,
                  timestamp=None, tamper=False):
    """RFC 5849 HMAC-SHA1 signature, written for the test from RFC 5849 §3.4 (independent of server.py)."""
    split = urlsplit(url)
    oauth = [("oauth_nonce", nonce or str(secrets.randbelow(10 ** 30))),
             ("oauth_timestamp", str(timestamp or int(time.time()))), ("oauth_version", "1.0"),
             ("oauth_signature_method", "HMAC-SHA1"), ("oauth_consumer_key", key)]
    if token:
        oauth.append(("oauth_token", token))
    params = parse_qsl(split.query, keep_blank_values=True) + oauth + list(body_params)
    normalized = "&".join(f"{k}={v}" for k, v in sorted((pct(k), pct(v)) for k, v in params))
    base = "&".join([method, pct(f"{split.scheme}://{split.netloc.lower()}{split.path}"), pct(normalized)])
    signature = base64.b64encode(hmac.new(f"{pct(secret)}&{pct(token_secret)}".encode(), base.encode(),
                                          hashlib.sha1).digest()).decode()
    if tamper:
        signature = ("B" if signature[0] == "A" else "A") + signature[1:]
    return "OAuth " + ", ".join(f'{k}="{pct(v)}"' for k, v in oauth + [("oauth_signature", signature)])


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode())

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class MockProcess:
    def __init__(self, fitcheck_dir):
        self.dir = Path(tempfile.mkdtemp(prefix="garmin-mock-selftest-"))
        self.port_file = self.dir / "port"
        self.stderr = open(self.dir / "stderr.log", "wb")
        self.proc = subprocess.Popen([sys.executable, str(SERVER), "--port-file", str(self.port_file),
                                      "--ca-dir", str(self.dir / "ca"), "--fitcheck-dir", str(fitcheck_dir)],
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        deadline = time.time() + 60
        while not self.port_file.exists():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("mock did not start: " + (self.dir / "stderr.log").read_text())
            time.sleep(0.05)
        self.port = int(self.port_file.read_text())
        self.base = f"https://localhost:{self.port}"
        self.ca_file = str(self.dir / "ca" / "ca.pem")
        self.context = ssl.create_default_context(cafile=self.ca_file)

    def stop(self):
        """Stops the server (SIGTERM must end it promptly) and returns its stderr."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("the mock ignored SIGTERM for 5 s")
        self.stderr.close()
        stderr = (self.dir / "stderr.log").read_text(errors="replace")
        shutil.rmtree(self.dir, ignore_errors=True)
        return stderr

    def opener(self, cookies=False):
        handlers = [urllib.request.HTTPSHandler(context=self.context)]
        if cookies:
            handlers.append(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        return urllib.request.build_opener(*handlers)

    def call(self, method, path, *, json_body=None, form=None, data=None, headers=None, opener=None, timeout=15,
             base=None):
        headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif form is not None:
            data = urlencode(form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request((base or self.base) + path, data=data, headers=headers, method=method)
        try:
            with (opener or self.opener()).open(request, timeout=timeout) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Reply(error.code, error.headers, error.read())

    def control(self, path, body=None, method=None):
        reply = self.call(method or ("POST" if body is not None else "GET"), "/__mock/" + path,
                          json_body=body if body is not None else None)
        assert reply.status == 200, (path, reply.status, reply.text)
        return reply.json()


# ---------------------------------------------------------------------------------------------- tests

class MockTestCase(unittest.TestCase):
    mock = None

    @classmethod
    def setUpClass(cls):
        cls.mock = MockProcess(Path(tempfile.gettempdir()) / "no-fitcheck-here")

    @classmethod
    def tearDownClass(cls):
        stderr = cls.mock.stop()
        assert "Traceback" not in stderr, "the mock printed a traceback:\n" + stderr

    def setUp(self):
        self.mock.control("reset", {})

    # -- flows used by several tests

    def login(self, user="ok@x", password="secret", opener=None, query=None, area="mobile"):
        opener = opener or self.mock.opener(cookies=True)
        q = urlencode(query or LOGIN_QUERY)
        return opener, self.mock.call("POST", f"/{area}/api/login?{q}", opener=opener, json_body={
            "username": user, "password": password, "rememberMe": False, "captchaToken": ""})

    def ticket(self, user="ok@x", service=ANDROID_SERVICE):
        opener = self.mock.opener(cookies=True)
        page = self.mock.call("GET", "/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK", opener=opener)
        self.assertEqual(page.status, 200)
        query = dict(LOGIN_QUERY, service=service)
        if service == IOS_SERVICE:
            query["clientId"] = "GCM_IOS_DARK"
        _, reply = self.login(user, opener=opener, query=query)
        body = reply.json()
        if body["responseStatus"]["type"] == "MFA_REQUIRED":
            reply = self.mock.call("POST", "/mobile/api/mfa/verifyCode?" + urlencode(query), opener=opener,
                                   json_body={"mfaMethod": "email", "mfaVerificationCode": "123456",
                                              "rememberMyBrowser": False, "reconsentList": [], "mfaSetup": False})
            body = reply.json()
        self.assertEqual(body["responseStatus"]["type"], "SUCCESSFUL", body)
        return body["serviceTicketId"]

    def di_exchange(self, ticket, client_id, service=ANDROID_SERVICE):
        auth = base64.b64encode(f"{client_id}:".encode()).decode()
        return self.mock.call("POST", "/di-oauth2-service/oauth/token", headers={
            "Authorization": "Basic " + auth, "Accept": "application/json,text/html;q=0.9,*/*;q=0.8",
            "Cache-Control": "no-cache", "User-Agent": "GCM-Android-5.23", "X-Garmin-Client-Platform": "Android"},
            form={"client_id": client_id, "service_ticket": ticket, "grant_type": DI_GRANT, "service_url": service})

    def di_refresh(self, refresh_token, client_id=DI_IDS[1]):
        auth = base64.b64encode(f"{client_id}:".encode()).decode()
        return self.mock.call("POST", "/di-oauth2-service/oauth/token", headers={"Authorization": "Basic " + auth},
                              form={"grant_type": "refresh_token", "client_id": client_id,
                                    "refresh_token": refresh_token})

    def di_tokens(self, user="ok@x"):
        reply = self.di_exchange(self.ticket(user), DI_IDS[1])
        self.assertEqual(reply.status, 200, reply.text)
        return reply.json()

    def api(self, method, path, token, **kwargs):
        headers = dict(kwargs.pop("headers", {}), Authorization="Bearer " + token)
        return self.mock.call(method, path, headers=headers, **kwargs)

    def upload(self, token, fit_bytes, path="/upload-service/upload", **kwargs):
        body, ctype = multipart(fit_bytes)
        return self.api("POST", path, token, data=body, headers={"Content-Type": ctype}, **kwargs)

    def log(self, prefix=""):
        return self.mock.control("requests?path=" + prefix)


class UnitTests(unittest.TestCase):
    """Pure-Python checks of the mock's building blocks (no server)."""

    def test_crc_vector(self):
        sys.path.insert(0, str(HERE))
        import mockfit
        self.assertEqual(mockfit.crc16(b"123456789"), 0xBB3D)
        self.assertEqual(crc16_arc(b"123456789"), 0xBB3D)
        data = secrets.token_bytes(300)
        self.assertEqual(mockfit.crc16(data), crc16_arc(data))

    def test_spec_golden_vector_decodes(self):
        sys.path.insert(0, str(HERE))
        import mockfit
        vector = bytes.fromhex(
            "0c106c00c60000002e464954" "40000000000603048c040486010284020284050284000100"
            "0000000000f8920740ffffffffffff09" "410000310002000284010102" "01ffffff"
            "42000017000cfd048603048c0704860804860202840402840502840a02840001020101020601020b0102"
            "02f892074000000000ffffffffffffffffffffffffffffffffffffffff"
            "4300001e000dfd04860002840102840202840302840402840502840702840902840801020a01020b01020d0284"
            "03f8920740761b3a079015ffff3601cc0b0019ffff052307e000" "6c3d")
        decoded = mockfit.decode(vector)
        self.assertEqual(decoded["file_type"], "weight")
        scale = decoded["by_mesg"]["weight_scale"][0]
        self.assertEqual(scale["timestamp"], "2024-01-15T07:30:00Z")
        self.assertEqual((scale["weight"], scale["percent_fat"], scale["bmi"], scale["basal_met"]),
                         (70.3, 18.5, 22.4, 1600))
        corrupt = bytearray(vector)
        corrupt[40] ^= 1
        with self.assertRaises(mockfit.FitError) as caught:
            mockfit.decode(bytes(corrupt))
        self.assertEqual(caught.exception.kind, "crc")

    def test_oauth1_known_answer(self):
        """The published Twitter OAuth 1.0a example (HMAC-SHA1, query + form body) verifies."""
        sys.path.insert(0, str(HERE))
        import server
        app = server.MockApp("/nonexistent", True, [443])
        app.config.update(consumer_key="xvz1evFS4wEEPTGEFPHBog",
                          consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", oauth_max_skew_s=10 ** 10)
        app.oauth1["370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"] = {
            "user": "ok@x", "secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE", "mfa_token": None, "revoked": False}
        for signature, expected in (("hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", None),
                                    ("hCtSmYh%2BiHYCEqBWrE7C7hYmtUK%3D", "signature mismatch")):
            raw = ("Host: api.twitter.com\r\nContent-Type: application/x-www-form-urlencoded\r\nAuthorization: OAuth "
                   'oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", '
                   'oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", '
                   f'oauth_signature="{signature}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", '
                   'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"\r\n\r\n')
            body = b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
            request = server.Request("POST", "/1.1/statuses/update.json?include_entities=true",
                                     http.client.parse_headers(io.BytesIO(raw.encode())), body, True)
            self.assertEqual(app.verify_oauth1(request, True)[2], expected)


class TlsTests(MockTestCase):
    def test_trusted_ca_verifies_localhost_and_ip(self):
        self.assertEqual(self.mock.call("GET", "/__mock/health").status, 200)
        reply = self.mock.call("GET", "/__mock/health", base=f"https://127.0.0.1:{self.mock.port}")
        self.assertEqual(reply.status, 200)

    def test_client_without_the_ca_fails_verification(self):
        before = self.mock.control("state")["counters"]["tls_failures"]
        untrusting = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ssl.create_default_context()))
        with self.assertRaises(urllib.error.URLError) as caught:
            untrusting.open(self.mock.base + "/__mock/health", timeout=10)
        self.assertIsInstance(caught.exception.reason, ssl.SSLCertVerificationError)
        time.sleep(0.2)
        self.assertGreater(self.mock.control("state")["counters"]["tls_failures"], before)


class LoginTests(MockTestCase):
    def test_login_without_mfa_then_di_with_client_id_iteration(self):
        opener = self.mock.opener(cookies=True)
        page = self.mock.call("GET", "/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK", opener=opener)
        self.assertEqual(page.status, 200)
        self.assertIn("<title>Garmin SSO Portal</title>", page.text)
        self.assertEqual(self.mock.call("GET", "/portal/sso/embed", opener=opener).status, 200)
        _, reply = self.login(opener=opener)
        self.assertEqual(reply.status, 200)
        body = reply.json()
        self.assertEqual(body["responseStatus"]["type"], "SUCCESSFUL")
        self.assertEqual(body["serviceURL"], ANDROID_SERVICE)
        ticket = body["serviceTicketId"]
        self.assertRegex(ticket, r"^ST-\d{7}-[A-Za-z0-9]{20}-sso$")
        # The client tries the ids in order: the first is rejected without consuming the ticket.
        first = self.di_exchange(ticket, DI_IDS[0])
        self.assertEqual(first.status, 401)
        self.assertEqual(first.json()["error"], "unauthorized_client")
        second = self.di_exchange(ticket, DI_IDS[1])
        self.assertEqual(second.status, 200, second.text)
        tokens = second.json()
        for key in ("access_token", "token_type", "refresh_token", "expires_in", "refresh_token_expires_in", "scope",
                    "jti", "customerId"):
            self.assertIn(key, tokens)
        self.assertEqual((tokens["expires_in"], tokens["refresh_token_expires_in"]), (14400, 2592000))
        header, payload, _ = tokens["access_token"].split(".")
        pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
        self.assertEqual(json.loads(base64.urlsafe_b64decode(pad(header)))["alg"], "HS256")
        claims = json.loads(base64.urlsafe_b64decode(pad(payload)))
        self.assertEqual(claims["client_id"], DI_IDS[1])
        self.assertEqual(claims["iss"], "https://diauth.garmin.com")
        self.assertAlmostEqual(claims["exp"] - claims["iat"], 14400)
        # Ticket is single use.
        self.assertEqual(self.di_exchange(ticket, DI_IDS[1]).json()["error"], "invalid_grant")
        profile = self.api("GET", "/userprofile-service/socialProfile", tokens["access_token"])
        self.assertEqual(profile.status, 200)
        self.assertEqual(profile.json()["displayName"], "mockuser")
        settings = self.api("GET", "/userprofile-service/userprofile/user-settings", tokens["access_token"])
        self.assertEqual(settings.json()["userData"]["measurementSystem"], "metric")
        # Request log: cookies from the page GET came back, Basic carries the client id, tokens are hashed.
        entries = self.log()
        login = [e for e in entries if e["path"] == "/mobile/api/login"][0]
        self.assertIn("SESSION", login["cookies"])
        self.assertEqual(login["body"]["json"]["password"], "<redacted>")
        self.assertIn("CASTGC", login["set_cookies"])
        di = [e for e in entries if e["path"] == "/di-oauth2-service/oauth/token"]
        self.assertEqual([e["authorization"]["user"] for e in di], [DI_IDS[0], DI_IDS[1], DI_IDS[1]])
        self.assertEqual([e["status"] for e in di], [401, 200, 400])
        self.assertEqual(di[1]["body"]["form"]["service_url"], ANDROID_SERVICE)
        self.assertEqual(di[1]["headers"]["cache-control"], "no-cache")
        prof = [e for e in entries if e["path"] == "/userprofile-service/socialProfile"][0]
        token_hash = hashlib.sha256(tokens["access_token"].encode()).hexdigest()[:16]
        self.assertEqual(prof["authorization"], {"scheme": "Bearer", "sha256": token_hash})
        dump = json.dumps(self.mock.control("requests"))
        for secret in (tokens["access_token"], tokens["refresh_token"], ticket, '"secret"'):
            self.assertNotIn(secret, dump)

    def test_mfa_login_wrong_then_right_code(self):
        opener = self.mock.opener(cookies=True)
        self.mock.call("GET", "/mobile/sso/en/sign-in?clientId=GCM_ANDROID_DARK", opener=opener)
        _, reply = self.login("mfa@x", opener=opener)
        body = reply.json()
        self.assertEqual(body["responseStatus"]["type"], "MFA_REQUIRED")
        self.assertIsNone(body["serviceTicketId"])
        self.assertEqual(body["customerMfaInfo"]["mfaLastMethodUsed"], "email")
        verify = "/mobile/api/mfa/verifyCode?" + urlencode(LOGIN_QUERY)
        code = {"mfaMethod": "email", "rememberMyBrowser": False, "reconsentList": [], "mfaSetup": False}
        wrong = self.mock.call("POST", verify, opener=opener, json_body=dict(code, mfaVerificationCode="000000"))
        self.assertEqual(wrong.status, 200)
        self.assertEqual(wrong.json()["responseStatus"]["type"], "INVALID_MFA_CODE")
        right = self.mock.call("POST", verify, opener=opener, json_body=dict(code, mfaVerificationCode="123456"))
        self.assertEqual(right.json()["responseStatus"]["type"], "SUCCESSFUL", right.text)
        ticket = right.json()["serviceTicketId"]
        tokens = self.di_exchange(ticket, DI_IDS[1])
        self.assertEqual(tokens.status, 200)
        profile = self.api("GET", "/userprofile-service/socialProfile", tokens.json()["access_token"])
        self.assertEqual(profile.json()["userName"], "mfa@x")
        # A verify without the session cookie has no pending state.
        orphan = self.mock.call("POST", verify, json_body=dict(code, mfaVerificationCode="123456"))
        self.assertEqual(orphan.status, 400)

    def test_mfa_attempts_exhausted_gives_429(self):
        self.mock.control("scenario", {"name": "mfa_max_attempts", "attempts": 2})
        opener, reply = self.login("mfa@x")
        verify = "/mobile/api/mfa/verifyCode?" + urlencode(LOGIN_QUERY)
        code = {"mfaMethod": "email", "mfaVerificationCode": "999999", "rememberMyBrowser": True,
                "reconsentList": [], "mfaSetup": False}
        statuses = [self.mock.call("POST", verify, opener=opener, json_body=code).status for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 429])

    def test_wrong_password_and_badpw_user(self):
        for user, password in (("ok@x", "wrong"), ("badpw", "anything"), ("nobody@x", "secret")):
            _, reply = self.login(user, password)
            self.assertEqual(reply.status, 401)
            body = reply.json()
            self.assertEqual(body["responseStatus"],
                             {"type": "INVALID_USERNAME_PASSWORD", "message": "generalLoginInvalidUsernameOrPassword",
                              "httpStatus": "UNAUTHORIZED"})

    def test_captcha_locked_cloudflare_users(self):
        _, captcha = self.login("captcha@x")
        self.assertEqual((captcha.status, captcha.json()["responseStatus"]["type"]), (200, "CAPTCHA_REQUIRED"))
        _, locked = self.login("locked@x")
        self.assertEqual((locked.status, locked.json()["responseStatus"]["type"]), (200, "LOCKED"))
        _, cf403 = self.login("cf403@x")
        self.assertEqual((cf403.status, cf403.headers["Server"]), (403, "cloudflare"))
        _, limited = self.login("ratelimit@x")
        self.assertEqual((limited.status, limited.headers["Server"], limited.headers["Retry-After"]),
                         (429, "cloudflare", "3600"))
        self.assertIn("Cloudflare", limited.text)
        _, limited_json = self.login("ratelimit-json@x")
        self.assertEqual((limited_json.status, limited_json.json()["error"]["status-code"]), (200, "429"))

    def test_login_429_scenario_with_count(self):
        self.mock.control("scenario", {"name": "login_429", "count": 2, "retry_after": "86400"})
        statuses = [self.login()[1] for _ in range(3)]
        self.assertEqual([r.status for r in statuses], [429, 429, 200])
        self.assertEqual(statuses[0].headers["Retry-After"], "86400")
        self.assertEqual(len(self.log("/mobile/api/login")), 3)
        self.assertEqual(self.log("/mobile/api/login")[0]["fault"], "login_429")

    def test_login_scenarios_captcha_json429_session_cookie(self):
        self.mock.control("scenario", {"name": "login_captcha"})
        self.assertEqual(self.login()[1].json()["responseStatus"]["type"], "CAPTCHA_REQUIRED")
        self.mock.control("scenario", {"name": ["default", "login_429_json"], "count": 1})
        self.assertEqual(self.login()[1].json(), {"error": {"status-code": "429", "message": "Too Many Requests"}})
        self.mock.control("scenario", {"name": ["default", "require_session_cookie"]})
        self.assertEqual(self.login()[1].status, 403)
        opener = self.mock.opener(cookies=True)
        self.mock.call("GET", "/mobile/sso/en_US/sign-in?clientId=GCM_ANDROID_DARK", opener=opener)
        self.assertEqual(self.login(opener=opener)[1].status, 200)

    def test_login_request_validation(self):
        opener = self.mock.opener(cookies=True)
        missing = self.mock.call("POST", "/mobile/api/login?" + urlencode(LOGIN_QUERY), opener=opener,
                                 json_body={"username": "ok@x", "password": "secret"})
        self.assertEqual(missing.status, 400)
        mismatch = dict(LOGIN_QUERY, service=IOS_SERVICE)
        self.assertEqual(self.login(query=mismatch)[1].status, 400)
        portal = {"clientId": "GarminConnect", "locale": "en-US", "service": "https://connect.garmin.com/app"}
        self.assertEqual(self.login(query=portal, area="portal")[1].json()["responseStatus"]["type"], "SUCCESSFUL")

    def test_ticket_service_binding_and_expiry(self):
        ticket = self.ticket(service=IOS_SERVICE)
        self.assertEqual(self.di_exchange(ticket, DI_IDS[1], service=ANDROID_SERVICE).status, 400)
        self.assertEqual(self.di_exchange(ticket, DI_IDS[1], service=IOS_SERVICE).status, 200)
        late = self.ticket()
        self.mock.control("clock", {"advance_s": 121})
        reply = self.di_exchange(late, DI_IDS[1])
        self.assertEqual(reply.json(), {"error": "invalid_grant", "error_description": "Invalid service ticket"})

    def test_di_basic_auth_must_match_and_scenarios(self):
        ticket = self.ticket()
        no_auth = self.mock.call("POST", "/di-oauth2-service/oauth/token", form={
            "client_id": DI_IDS[1], "service_ticket": ticket, "grant_type": DI_GRANT, "service_url": ANDROID_SERVICE})
        self.assertEqual((no_auth.status, no_auth.json()["error"]), (401, "invalid_client"))
        self.mock.control("scenario", {"name": "di_reject_all"})
        self.assertEqual([self.di_exchange(ticket, i).status for i in DI_IDS], [401] * 4)
        self.mock.control("scenario", {"name": ["default", "di_429"], "count": 1})
        limited = self.di_exchange(ticket, DI_IDS[1])
        self.assertEqual((limited.status, limited.headers["Retry-After"]), (429, "60"))
        self.assertEqual(self.di_exchange(ticket, DI_IDS[1]).status, 200)

    def test_widget_flow_with_and_without_mfa(self):
        params = urlencode({"id": "gauth-widget", "embedWidget": "true", "gauthHost": "https://sso.garmin.com/sso",
                            "service": WIDGET_SERVICE, "source": WIDGET_SERVICE,
                            "redirectAfterAccountLoginUrl": WIDGET_SERVICE,
                            "redirectAfterAccountCreationUrl": WIDGET_SERVICE})
        for user in ("ok@x", "mfa@x"):
            opener = self.mock.opener(cookies=True)
            embed = self.mock.call("GET", "/sso/embed?id=gauth-widget&embedWidget=true", opener=opener)
            self.assertIn("GAuth Embedded Version", embed.text)
            signin = self.mock.call("GET", "/sso/signin?" + params, opener=opener)
            self.assertIn("<title>GARMIN Authentication Application</title>", signin.text)
            csrf = re.search(r'name="_csrf" value="([0-9A-F]+)"', signin.text).group(1)
            self.assertEqual(len(csrf), 100)
            page = self.mock.call("POST", "/sso/signin?" + params, opener=opener, form={
                "username": user, "password": "secret", "embed": "true", "_csrf": csrf})
            if user == "mfa@x":
                self.assertIn("<title>Enter MFA code for login</title>", page.text)   # after the 302
                self.assertIn('var mfaMethod = "email";', page.text)
                csrf = re.search(r'name="_csrf" value="([0-9A-F]+)"', page.text).group(1)
                page = self.mock.call("POST", "/sso/verifyMFA/loginEnterMfaCode?" + params, opener=opener, form={
                    "mfa-code": "123456", "embed": "true", "_csrf": csrf, "fromPage": "setupEnterMfaCode"})
            self.assertIn("<title>Success</title>", page.text)
            ticket = re.search(r'embed\?ticket=(ST-[^"]+-cas)"', page.text).group(1)
            self.assertIn('var response_url = "https:\\/\\/sso.garmin.com\\/sso\\/embed?ticket=' + ticket, page.text)
            self.assertEqual(self.di_exchange(ticket, DI_IDS[1], service=WIDGET_SERVICE).status, 200)
        bad = self.mock.call("POST", "/sso/signin?" + params, form={"username": "ok@x", "password": "x", "_csrf": "0"})
        self.assertEqual(bad.status, 403)


class TokenTests(MockTestCase):
    def test_refresh_rotates_and_old_token_is_rejected(self):
        tokens = self.di_tokens()
        first = self.di_refresh(tokens["refresh_token"])
        self.assertEqual(first.status, 200, first.text)
        rotated = first.json()
        self.assertNotEqual(rotated["refresh_token"], tokens["refresh_token"])
        self.assertNotEqual(rotated["access_token"], tokens["access_token"])
        reuse = self.di_refresh(tokens["refresh_token"])
        self.assertEqual(reuse.status, 400)
        self.assertEqual(reuse.json(), {"error": "invalid_grant",
                                        "error_description": "Invalid refresh token: " + tokens["refresh_token"]})
        second = self.di_refresh(rotated["refresh_token"])
        self.assertEqual(second.status, 200)
        self.assertEqual(self.di_refresh(second.json()["refresh_token"], client_id=DI_IDS[0]).status, 401)
        self.mock.control("expire", {"refresh": True, "access": False})
        self.assertEqual(self.di_refresh(second.json()["refresh_token"]).status, 400)

    def test_expired_revoked_and_rejected_access_tokens_get_401(self):
        tokens = self.di_tokens()
        token = tokens["access_token"]
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", token).status, 200)
        self.mock.control("expire", {"access": True})
        expired = self.api("GET", "/userprofile-service/socialProfile", token)
        self.assertEqual(expired.status, 401)
        self.assertEqual(expired.headers["WWW-Authenticate"],
                         'Bearer error="invalid_token", error_description="Token is not active"')
        fresh = self.di_refresh(tokens["refresh_token"]).json()["access_token"]
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", fresh).status, 200)
        self.mock.control("clock", {"advance_s": 14401})
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", fresh).status, 401)
        other = self.di_tokens()["access_token"]
        self.mock.control("revoke", {"token": other})
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", other).status, 401)
        newest = self.di_tokens()["access_token"]
        self.mock.control("reject_next_bearer", {})
        self.assertEqual([self.api("GET", "/userprofile-service/socialProfile", newest).status for _ in range(2)],
                         [401, 200])
        self.assertEqual(self.mock.call("GET", "/userprofile-service/socialProfile").status, 401)
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", "garbage").status, 401)

    def test_short_tokens_scenario(self):
        self.mock.control("scenario", {"name": "short_tokens", "expires_in": 1})
        tokens = self.di_tokens()
        self.assertEqual(tokens["expires_in"], 1)
        time.sleep(1.2)
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", tokens["access_token"]).status, 401)

    def test_seeded_tokens_for_token_file_tests(self):
        seeded = self.mock.control("di_token", {"user": "mfa@x"})
        self.assertEqual(seeded["client_id"], DI_IDS[1])
        profile = self.api("GET", "/userprofile-service/socialProfile", seeded["access_token"])
        self.assertEqual(profile.json()["userName"], "mfa@x")
        ticket = self.mock.control("ticket", {"user": "ok@x"})["ticket"]
        self.assertEqual(self.di_exchange(ticket, DI_IDS[1]).status, 200)


class LegacyOAuthTests(MockTestCase):
    def consumer(self):
        reply = self.mock.call("GET", "/oauth_consumer.json")
        self.assertEqual(reply.json(), {"consumer_key": "mock-key", "consumer_secret": "mock-secret"})
        return reply.json()["consumer_key"], reply.json()["consumer_secret"]

    def preauthorize(self, ticket, tamper=False, service=ANDROID_SERVICE):
        key, secret = self.consumer()
        path = f"/oauth-service/oauth/preauthorized?ticket={ticket}&login-url={service}&accepts-mfa-tokens=true"
        header = oauth1_header("GET", self.mock.base + path, key, secret, tamper=tamper)
        return self.mock.call("GET", path, headers={"Authorization": header,
                                                    "User-Agent": "com.garmin.android.apps.connectmobile"})

    def exchange(self, oauth, body_params, tamper=False, sent_params=None, content_type=None, nonce=None):
        key, secret = self.consumer()
        url = self.mock.base + "/oauth-service/oauth/exchange/user/2.0"
        header = oauth1_header("POST", url, key, secret, oauth["oauth_token"], oauth["oauth_token_secret"],
                               body_params, tamper=tamper, nonce=nonce)
        return self.mock.call("POST", "/oauth-service/oauth/exchange/user/2.0",
                              data=urlencode(sent_params if sent_params is not None else body_params).encode(),
                              headers={"Authorization": header,
                                       "Content-Type": content_type or "application/x-www-form-urlencoded"})

    def test_signed_preauthorized_and_exchange(self):
        ticket = self.ticket("mfa@x")
        self.assertEqual(self.preauthorize(ticket, tamper=True).status, 401)
        reply = self.preauthorize(ticket)
        self.assertEqual(reply.status, 200, reply.text)
        self.assertTrue(reply.headers["Content-Type"].startswith("text/plain"))
        oauth = dict(parse_qsl(reply.text))
        self.assertRegex(oauth["mfa_token"], r"^MFA-\d{4}-.+-cas$")
        self.assertRegex(oauth["mfa_expiration_timestamp"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000$")
        self.assertEqual(self.preauthorize(ticket).status, 401)                         # ticket used
        params = [("audience", "GARMIN_CONNECT_MOBILE_ANDROID_DI"), ("mfa_token", oauth["mfa_token"])]
        self.assertEqual(self.exchange(oauth, params, tamper=True).status, 401)
        # Body params are signed: sending another audience than the signed one fails.
        self.assertEqual(self.exchange(oauth, params, sent_params=[("audience", "X"), params[1]]).status, 401)
        self.assertEqual(self.exchange(oauth, params[:1]).status, 401)                 # mfa_token required
        self.assertEqual(self.exchange(oauth, params, content_type="text/plain").status, 500)
        good = self.exchange(oauth, params, nonce="12345678901234567890")
        self.assertEqual(good.status, 200, good.text)
        token = good.json()
        self.assertEqual(token["token_type"], "bearer")
        self.assertEqual((token["expires_in"], token["refresh_token_expires_in"]), (86400, 2591999))
        self.assertEqual(self.exchange(oauth, params, nonce="12345678901234567890").status, 401)   # replayed nonce
        refresh = self.exchange(oauth, params[1:])                                       # garth "refresh"
        self.assertEqual(refresh.status, 200)
        self.assertEqual(self.api("GET", "/userprofile-service/socialProfile", token["access_token"]).status, 200)
        entry = [e for e in self.log("/oauth-service/oauth/exchange") if e["status"] == 200][0]
        self.assertEqual(entry["authorization"]["scheme"], "OAuth")
        self.assertEqual(entry["authorization"]["params"]["oauth_consumer_key"], "mock-key")
        self.assertIn("mfa_token", entry["oauth1"]["signed_keys"])
        self.mock.control("revoke", {"oauth1": True, "access": False})
        self.assertEqual(self.exchange(oauth, params[1:]).status, 401)

    def test_preauthorized_checks_login_url(self):
        ticket = self.ticket()
        self.assertEqual(self.preauthorize(ticket, service=IOS_SERVICE).status, 401)
        reply = self.preauthorize(ticket)
        self.assertNotIn("mfa_token", dict(parse_qsl(reply.text)))

    def test_seeded_oauth1_token(self):
        oauth = self.mock.control("oauth1_token", {"user": "ok@x", "oauth_token": "tok-1",
                                                   "oauth_token_secret": "sec-1"})
        self.assertEqual(self.exchange(oauth, []).status, 200)


class UploadTests(MockTestCase):
    def tiny_fit(self, serial=1234, extra=()):
        return build_fit([file_id(int(time.time()), serial, extra)])

    def test_tiny_fit_accepted_then_duplicate(self):
        token = self.di_tokens()["access_token"]
        fit = self.tiny_fit()
        reply = self.upload(token, fit)
        self.assertEqual(reply.status, 202, reply.text)
        result = reply.json()["detailedImportResult"]
        self.assertIsInstance(result["uploadId"], int)
        self.assertRegex(result["uploadUuid"]["uuid"], r"^[0-9a-f-]{36}$")
        self.assertEqual((result["fileSize"], result["fileName"], result["failures"]),
                         (len(fit), "body_composition.fit", []))
        self.assertRegex(result["creationDate"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} GMT$")
        self.assertIn("/activity-service/activity/status/", reply.headers["Location"])
        duplicate = self.upload(token, fit)
        self.assertEqual(duplicate.status, 409)
        dup = duplicate.json()["detailedImportResult"]
        self.assertEqual(dup["uploadId"], "")
        self.assertEqual(dup["failures"][0]["messages"][0], {"code": 202, "content": "Duplicate Activity."})
        entry = self.log("/upload-service/upload")[0]
        self.assertEqual(entry["upload"]["raw_hex"], fit.hex())
        self.assertEqual(entry["upload"]["decoded"]["by_mesg"]["file_id"][0]["type"], "weight")
        self.assertEqual(entry["upload"]["decoded"]["by_mesg"]["file_id"][0]["serial_number"], 1234)
        self.assertEqual(entry["upload"]["fitsdk"], {"available": False})
        self.assertEqual(entry["body"]["parts"][0]["name"], "file")
        self.assertEqual(entry["body"]["parts"][0]["sha256"], hashlib.sha256(fit).hexdigest())
        uploads = self.mock.control("uploads")
        self.assertEqual(len(uploads), 1)
        self.assertEqual(uploads[0]["file_type"], "weight")
        # The other path variants and the 201 scenario.
        self.mock.control("scenario", {"name": "upload_201"})
        self.assertEqual(self.upload(token, self.tiny_fit(5), path="/upload-service/upload/.fit").status, 201)

    def test_weight_fit_reaches_the_weight_store(self):
        token = self.di_tokens()["access_token"]
        moment = 1705303800                                           # 2024-01-15T07:30:00Z
        fit = build_fit([file_id(moment, 99), weight_scale(moment, 7030, 1850)], header_size=12)
        self.assertEqual(self.upload(token, fit).status, 202)
        day = self.api("GET", "/weight-service/weight/dayview/2024-01-15?includeAll=true", token).json()
        item = day["dateWeightList"][0]
        self.assertEqual((item["weight"], item["bodyFat"], item["sourceType"], item["calendarDate"]),
                         (70300.0, 18.5, "INDEX_SCALE", "2024-01-15"))
        self.assertEqual(item["timestampGMT"], moment * 1000)
        ranged = self.api("GET", "/weight-service/weight/range/2024-01-14/2024-01-16", token).json()
        self.assertEqual(ranged["dailyWeightSummaries"][0]["allWeightMetrics"][0]["samplePk"], item["samplePk"])
        dated = self.api("GET", "/weight-service/weight/dateRange?startDate=2024-01-15&endDate=2024-01-15", token)
        self.assertEqual(dated.json()["totalAverage"]["weight"], 70300.0)
        self.assertEqual(self.api("DELETE", f"/weight-service/weight/2024-01-15/byversion/{item['samplePk']}",
                                  token).status, 204)
        after = self.api("GET", "/weight-service/weight/dayview/2024-01-15", token).json()
        self.assertEqual(after["dateWeightList"], [])

    def test_bad_fit_is_rejected(self):
        token = self.di_tokens()["access_token"]
        corrupt = bytearray(self.tiny_fit())
        corrupt[-1] ^= 0xFF
        reply = self.upload(token, bytes(corrupt))
        self.assertEqual(reply.status, 415)
        self.assertEqual(reply.json()["detailedImportResult"]["failures"][0]["messages"][0]["content"],
                         "The file is of a type we do not support")
        self.assertEqual(self.log("/upload-service/upload")[0]["upload"]["error"]["kind"], "crc")
        self.assertEqual(self.upload(token, b"not a fit file at all").status, 415)
        orphan_data = build_fit([(0, 0, [(0, 0x00, bytes([9]))])])[:-2]
        orphan_data = orphan_data[:14] + orphan_data[14:] + bytes([0x05])                # data for local 5
        orphan_data = orphan_data[:4] + struct.pack("<I", len(orphan_data) - 14) + orphan_data[8:]
        orphan_data = orphan_data[:12] + struct.pack("<H", crc16_arc(orphan_data[:12])) + orphan_data[14:]
        self.assertEqual(self.upload(token, orphan_data + struct.pack("<H", crc16_arc(orphan_data))).status, 400)
        body, ctype = multipart(self.tiny_fit(), name="upload")
        self.assertEqual(self.api("POST", "/upload-service/upload", token, data=body,
                                  headers={"Content-Type": ctype}).status, 400)

    def test_upload_429_500_and_slow_scenarios(self):
        token = self.di_tokens()["access_token"]
        self.mock.control("scenario", {"name": "upload_429", "count": 1, "retry_after": "30"})
        limited = self.upload(token, self.tiny_fit(1))
        self.assertEqual((limited.status, limited.headers["Retry-After"]), (429, "30"))
        self.assertEqual(self.upload(token, self.tiny_fit(1)).status, 202)
        self.mock.control("scenario", {"name": "upload_500", "count": 2})
        self.assertEqual([self.upload(token, self.tiny_fit(2)).status for _ in range(3)], [500, 500, 202])
        self.mock.control("scenario", {"name": "upload_slow", "delay_s": 2, "count": 1})
        started = time.time()
        with self.assertRaises((TimeoutError, urllib.error.URLError)):
            self.upload(token, self.tiny_fit(3), timeout=0.5)
        self.assertLess(time.time() - started, 1.5)
        time.sleep(2)
        self.assertEqual(self.upload(token, self.tiny_fit(3)).status, 202)
        statuses = [e["status"] for e in self.log("/upload-service/upload")]
        self.assertEqual(statuses, [429, 202, 500, 500, 202, 202, 202])

    def test_401_mid_session_then_retry_with_same_body(self):
        tokens = self.di_tokens()
        self.mock.control("reject_next_bearer", {})
        fit = self.tiny_fit(77)
        self.assertEqual(self.upload(tokens["access_token"], fit).status, 401)
        fresh = self.di_refresh(tokens["refresh_token"]).json()["access_token"]
        self.assertEqual(self.upload(fresh, fit).status, 202)
        parts = [e["body"]["parts"][0]["sha256"] for e in self.log("/upload-service/upload")]
        self.assertEqual(parts, [hashlib.sha256(fit).hexdigest()] * 2)


class BloodPressureTests(MockTestCase):
    BP = {"measurementTimestampLocal": "2024-01-15T08:30:00.000", "measurementTimestampGMT": "2024-01-15T07:30:00.000",
          "systolic": 120, "diastolic": 80, "pulse": 60, "sourceType": "MANUAL", "notes": ""}

    def test_post_validate_and_read_back(self):
        token = self.di_tokens()["access_token"]
        reply = self.api("POST", "/bloodpressure-service/bloodpressure", token, json_body=self.BP)
        self.assertEqual(reply.status, 200, reply.text)
        stored = reply.json()
        self.assertIsInstance(stored["version"], int)
        self.assertEqual(stored["systolic"], 120)
        for bad in ({"systolic": 300}, {"diastolic": 39}, {"pulse": 251}, {"systolic": 120.5}, {"pulse": None},
                    {"measurementTimestampGMT": "2024-01-15T07:30:00Z"},
                    {"measurementTimestampLocal": "2024-01-15T08:37:00.000"}):
            self.assertEqual(self.api("POST", "/bloodpressure-service/bloodpressure", token,
                                      json_body=dict(self.BP, **bad)).status, 400, bad)
        missing = dict(self.BP)
        del missing["sourceType"]
        self.assertEqual(self.api("POST", "/bloodpressure-service/bloodpressure", token, json_body=missing).status, 400)
        self.mock.control("scenario", {"name": "bp_pulse_optional"})
        self.assertEqual(self.api("POST", "/bloodpressure-service/bloodpressure", token,
                                  json_body=dict(self.BP, pulse=None, systolic=130)).status, 200)
        listed = self.api("GET", "/bloodpressure-service/bloodpressure/range/2024-01-15/2024-01-15?includeAll=true",
                          token).json()
        self.assertEqual((listed["from"], listed["until"]), ("2024-01-15", "2024-01-15"))
        measurements = listed["measurementSummaries"][0]["measurements"]
        self.assertEqual([(m["systolic"], m["pulse"]) for m in measurements], [(120, 60), (130, None)])
        self.assertEqual(measurements[0]["measurementTimestampGMT"], "2024-01-15T07:30:00.000")
        path = f"/bloodpressure-service/bloodpressure/2024-01-15/{stored['version']}"
        self.assertEqual(self.api("DELETE", path, token).status, 204)
        self.assertEqual(self.api("DELETE", path, token).status, 404)
        entry = self.log("/bloodpressure-service/bloodpressure")[0]
        self.assertEqual(entry["body"]["json"], self.BP)

    def test_weigh_in_json(self):
        token = self.di_tokens()["access_token"]
        body = {"dateTimestamp": "2024-07-01T08:00:00.000", "gmtTimestamp": "2024-07-01T06:00:00.000",
                "unitKey": "lbs", "sourceType": "MANUAL", "value": 150}
        self.assertEqual(self.api("POST", "/weight-service/user-weight", token, json_body=body).status, 204)
        self.assertEqual(self.api("POST", "/weight-service/user-weight", token,
                                  json_body=dict(body, unitKey="stone")).status, 400)
        item = self.api("GET", "/weight-service/weight/dayview/2024-07-01", token).json()["dateWeightList"][0]
        self.assertEqual((item["weight"], item["sourceType"]), (68038.9, "MANUAL"))


class FitSdkPlumbingTests(unittest.TestCase):
    """The node decoder hook, with a stand-in decode.mjs (and the real one when tests/fitcheck is installed)."""

    FAKE_DECODER = r"""
import { readFileSync } from 'node:fs';
const b = readFileSync(process.argv[2]);
if (b.includes(Buffer.from('FAILME'))) { console.error('stand-in decoder: refused'); process.exit(1); }
console.log(JSON.stringify({ standIn: true, size: b.length, fileIdMesgs: [{ type: 'weight' }] }));
"""

    @unittest.skipUnless(shutil.which("node"), "node is not installed")
    def test_stand_in_decoder_output_is_logged(self):
        fitcheck = Path(tempfile.mkdtemp(prefix="garmin-mock-fitcheck-"))
        try:
            (fitcheck / "node_modules" / "@garmin" / "fitsdk").mkdir(parents=True)
            (fitcheck / "decode.mjs").write_text(self.FAKE_DECODER)
            mock = MockProcess(fitcheck)
            try:
                helper = MockTestCase("setUp")
                helper.mock = mock
                token = helper.di_tokens()["access_token"]
                fit = build_fit([file_id(int(time.time()), 1)])
                self.assertEqual(helper.upload(token, fit).status, 202)
                sdk = mock.control("requests?path=/upload-service")[0]["upload"]["fitsdk"]
                expected = {"standIn": True, "size": len(fit), "fileIdMesgs": [{"type": "weight"}]}
                self.assertEqual(sdk, {"available": True, "ok": True, "messages": expected})
                self.assertEqual(mock.control("uploads")[0]["fitsdk"]["messages"]["size"], len(fit))
                refused = build_fit([file_id(int(time.time()), 2, [(8, 0x07, b"FAILME\0\0")])])
                reply = helper.upload(token, refused)
                self.assertEqual(reply.status, 400)
                self.assertIn("refused", mock.control("requests?path=/upload-service")[1]["upload"]["fitsdk"]["stderr"])
                mock.control("scenario", {"name": "fitsdk_lenient"})
                self.assertEqual(helper.upload(token, refused).status, 202)
            finally:
                self.assertNotIn("Traceback", mock.stop())
        finally:
            shutil.rmtree(fitcheck, ignore_errors=True)

    @unittest.skipUnless(shutil.which("node") and (REAL_FITCHECK / "node_modules" / "@garmin" / "fitsdk").is_dir()
                         and (REAL_FITCHECK / "decode.mjs").is_file(),
                         "tests/fitcheck with @garmin/fitsdk not installed")
    def test_real_fitsdk_decodes_weight_upload(self):
        mock = MockProcess(REAL_FITCHECK)
        try:
            helper = MockTestCase("setUp")
            helper.mock = mock
            token = helper.di_tokens()["access_token"]
            moment = 1705303800
            fit = build_fit([file_id(moment, 7), weight_scale(moment, 7525, 1076)])
            self.assertEqual(helper.upload(token, fit).status, 202)
            sdk = mock.control("uploads")[0]["fitsdk"]
            self.assertTrue(sdk["ok"], sdk)
            self.assertEqual(sdk["messages"]["fileIdMesgs"][0]["type"], "weight")
            self.assertEqual(sdk["messages"]["weightScaleMesgs"][0]["weight"], 75.25)
        finally:
            self.assertNotIn("Traceback", mock.stop())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[1:], verbosity=2)
