#!/usr/bin/python3
"""Loopback Garmin Connect mock for ble2garmin's integration tests (Python 3.11 standard library only).

One HTTPS server stands in for every Garmin host (sso, diauth, connectapi, thegarth s3): routing is by
path only, any Host header is accepted. Behaviour follows docs spec garmin-connect.md §3-§9; the
README.md next to this file lists endpoints, users, scenarios and the /__mock control API.

    /usr/bin/python3 server.py --port-file /tmp/port --ca-dir /tmp/ca
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import http.server
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True              # keep __pycache__ out of the source tree
import make_ca  # noqa: E402
import mockfit  # noqa: E402

DEFAULT_FITCHECK_DIR = HERE.parent.parent / "fitcheck"          # tests/fitcheck

DI_SERVICE_TICKET_GRANT = "https://connectapi.garmin.com/di-oauth2-service/oauth/grant/service_ticket"
DI_CLIENT_IDS = ["GARMIN_CONNECT_MOBILE_ANDROID_DI_2025Q2", "GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4",
                 "GARMIN_CONNECT_MOBILE_ANDROID_DI", "GARMIN_CONNECT_MOBILE_IOS_DI"]
# SSO clientId -> accepted endings of the service URL path (§3.2: clientId and service must be consistent)
SSO_CLIENTS = {"GCM_ANDROID_DARK": ("/gcm/android",), "GCM_IOS_DARK": ("/gcm/ios",),
               "GarminConnect": ("/app", "/modern", "/modern/")}
MAX_BODY = 32 * 1024 * 1024

DEFAULT_CONFIG = {
    "consumer_key": "mock-key",                # legacy OAuth1 consumer (served at /oauth_consumer.json)
    "consumer_secret": "mock-secret",
    "oauth_max_skew_s": 300,                   # |oauth_timestamp - real time|
    "oauth_require_mfa_token": True,           # exchange must carry mfa_token when the OAuth1 token has one
    "ticket_ttl_s": 120,
    "require_session_cookie": False,           # login POST without the SESSION cookie of the page GET
    "check_client_service": True,              # clientId / service / path consistency on SSO
    "mfa_max_attempts": 3,                     # wrong codes allowed; the next attempt gets 429
    "login_behaviour": None,                   # force every login: captcha|locked|ratelimit|ratelimit_json|cf403|badpw
    "login_retry_after": "3600",               # Retry-After on SSO 429s (None: header omitted)
    "di_accepted_client_ids": ["GARMIN_CONNECT_MOBILE_ANDROID_DI_2024Q4"],
    "di_expires_in": 14400,
    "di_refresh_expires_in": 2592000,
    "di_issuer": "https://diauth.garmin.com",
    "oauth2_expires_in": 86400,                # legacy OAuth2 (exchange/user/2.0)
    "oauth2_refresh_expires_in": 2591999,
    "upload_status": 202,                      # 202 (Garmin today) or 201
    "fitsdk_strict": True,                     # @garmin/fitsdk decode failure -> upload 400
    "bp_require_pulse": True,
    "tz_offset_s": 0,                          # account zone, for the local date of FIT-uploaded readings
}

DEFAULT_USERS = {
    "ok@x": {"password": "secret", "mfa": False, "profile_id": 2591602, "display_name": "mockuser",
             "full_name": "Mock User"},
    "mfa@x": {"password": "secret", "mfa": True, "mfa_code": "123456", "mfa_method": "email",
              "profile_id": 2591603, "display_name": "mfauser", "full_name": "Mfa User"},
    "badpw": {"password": None, "behaviour": "badpw"},
    "ratelimit@x": {"behaviour": "ratelimit"},
    "ratelimit-json@x": {"behaviour": "ratelimit_json"},
    "captcha@x": {"behaviour": "captcha"},
    "cf403@x": {"behaviour": "cf403"},
    "locked@x": {"behaviour": "locked"},
}
USER_DEFAULTS = {"password": "secret", "mfa": False, "mfa_code": "123456", "mfa_method": "email",
                 "behaviour": None, "code_sent_to": "m*****@x", "display_name": None, "full_name": None}

SECRET_KEYS = {"password", "refresh_token", "access_token", "service_ticket", "ticket", "mfa_token",
               "oauth_token", "oauth_token_secret", "serviceticketid", "logintoken", "token", "di_token",
               "di_refresh_token", "connect_access_token"}
LOGGED_RESPONSE_HEADERS = ("location", "retry-after", "www-authenticate", "server")

TS_MS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

CLOUDFLARE_429 = ("<!DOCTYPE html>\n<html><head><title>Access denied | sso.garmin.com used Cloudflare to restrict "
                  "access</title></head>\n<body><h1>Error 1015</h1><h2>You are being rate limited</h2>"
                  "<p>The owner of this website (sso.garmin.com) has banned you temporarily from accessing "
                  "this website.</p><p>Cloudflare Ray ID: 8f00mock0000</p></body></html>\n")
CLOUDFLARE_403 = ("<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>\n<body>"
                  "<noscript>Enable JavaScript and cookies to continue</noscript>"
                  "<div id=\"challenge-error-text\">Checking your browser</div></body></html>\n")


def short_hash(value):
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogateescape")
    return hashlib.sha256(value).hexdigest()[:16]


def redact(key, value):
    if value is None or key is None:
        return value
    if key.lower() == "password":
        return "<redacted>"
    if key.lower() in SECRET_KEYS and isinstance(value, str):
        return "sha256:" + short_hash(value)
    return value


def redact_json(obj):
    if isinstance(obj, dict):
        return {k: (redact(k, v) if isinstance(v, str) else redact_json(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [redact_json(v) for v in obj]
    return obj


def pct(value):
    """RFC 3986 percent-encoding (unreserved = A-Za-z0-9-._~), as OAuth1 requires."""
    return quote(value, safe="~")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rand_alnum(n):
    return "".join(random.SystemRandom().choice(string.ascii_letters + string.digits) for _ in range(n))


def iso_utc(epoch):
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def gmt_creation_date(epoch):
    moment = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d} GMT"


def parse_ts_ms(text):
    """'YYYY-MM-DDTHH:MM:SS.mmm' (naive) -> milliseconds since the epoch, reading the wall clock as UTC."""
    moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return int(round(moment.timestamp() * 1000))


def ms_to_date(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc).strftime("%Y-%m-%d")


def ms_to_ts(ms):
    moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def date_to_ms(text):
    return int(datetime.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def parse_header_params(value, header="content-disposition"):
    message = Message()
    message[header] = value
    return message


def parse_multipart(body, boundary):
    """Split a multipart/form-data body by hand (binary safe). Returns [{name, filename, headers, data}]."""
    delimiter = b"--" + boundary.encode("latin-1")
    start = body.find(delimiter)
    if start < 0:
        raise ValueError("boundary not found in body")
    pos = start + len(delimiter)
    parts = []
    while True:
        if body[pos:pos + 2] == b"--":
            return parts
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            raise ValueError("truncated multipart body")
        pos = line_end + 2
        next_delim = body.find(b"\r\n" + delimiter, pos)
        if next_delim < 0:
            raise ValueError("multipart body has no closing boundary")
        raw = body[pos:next_delim]
        if raw.startswith(b"\r\n"):
            head, data = b"", raw[2:]
        else:
            split = raw.find(b"\r\n\r\n")
            if split < 0:
                raise ValueError("multipart part without a header/body separator")
            head, data = raw[:split], raw[split + 4:]
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        disposition = parse_header_params(headers.get("content-disposition", ""))
        parts.append({"name": disposition.get_param("name", header="content-disposition"),
                      "filename": disposition.get_param("filename", header="content-disposition"),
                      "headers": headers, "data": data})
        pos = next_delim + 2 + len(delimiter)


class Resp:
    def __init__(self, status, body=b"", content_type=None, headers=None, server=None, note=None):
        self.status = status
        self.body = body.encode() if isinstance(body, str) else body
        self.content_type = content_type
        self.headers = list(headers or [])
        self.server = server
        self.note = note


def json_resp(status, obj, headers=None, note=None, server=None):
    return Resp(status, json.dumps(obj).encode(), "application/json;charset=UTF-8", headers, note=note, server=server)


def html_resp(status, html, headers=None, note=None, server=None):
    return Resp(status, html, "text/html;charset=UTF-8", headers, note=note, server=server)


def empty_resp(status, headers=None, note=None):
    return Resp(status, b"", None, headers, note=note)


class Request:
    def __init__(self, method, target, headers, body, tls):
        self.method = method
        split = urlsplit(target)
        self.path = split.path or "/"
        self.query_string = split.query
        self.query = parse_qsl(split.query, keep_blank_values=True)
        self.headers = headers                     # http.client.HTTPMessage (case-insensitive)
        self.body = body
        self.tls = tls
        self.cookies = {}
        for header in headers.get_all("Cookie") or []:
            for item in header.split(";"):
                if "=" in item:
                    key, value = item.split("=", 1)
                    self.cookies.setdefault(key.strip(), value.strip())
        self.extra = {}                            # added to the log entry

    def q(self, name):
        for key, value in self.query:
            if key == name:
                return value
        return None

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").strip()

    def is_form(self):
        return self.content_type.lower().startswith("application/x-www-form-urlencoded")

    def form_pairs(self):
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def form(self):
        result = {}
        for key, value in self.form_pairs():
            result.setdefault(key, value)
        return result

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def host(self, default):
        return (self.headers.get("Host") or default).strip().lower()


class MockApp:
    def __init__(self, fitcheck_dir, tls, port_ref, log_file=None):
        self.lock = threading.RLock()
        self.fitcheck_dir = Path(fitcheck_dir)
        self.tls = tls
        self.port_ref = port_ref
        self.log_file = log_file
        self.reset()

    # ------------------------------------------------------------------ state

    def reset(self):
        with self.lock:
            self.config = json.loads(json.dumps(DEFAULT_CONFIG))
            self.users = {}
            for name, info in DEFAULT_USERS.items():
                self._set_user(name, info)
            self.faults = []
            self.fault_seq = 0
            self.clock_offset = 0.0
            self.sessions = {}
            self.tickets = {}
            self.login_tokens = {}
            self.oauth1 = {}
            self.nonces = set()
            self.access = {}            # access token -> {kind, user, client_id, exp, revoked}
            self.refresh = {}           # DI refresh token -> {user, client_id, exp, state}
            self.legacy_refresh = {}    # legacy OAuth2 refresh tokens (never accepted anywhere, stored only)
            self.reject_bearer = 0
            self.uploads = []
            self.upload_hashes = {}
            self.weights = []
            self.bp = []
            self.log = []
            self.log_seq = 0
            self.upload_seq = 212157427938
            self.sample_seq = 1700000000000
            self.bp_version = 1
            self.counters = {"mfa_codes_sent": 0, "tls_failures": 0, "tickets_minted": 0, "di_tokens_minted": 0}
            self.jwt_key = secrets.token_bytes(32)

    def _set_user(self, name, info):
        user = dict(USER_DEFAULTS)
        user.update(info)
        index = len(self.users)
        user.setdefault("profile_id", 2591700 + index)
        user.setdefault("customer_guid", str(uuid.uuid5(uuid.NAMESPACE_DNS, "mock-" + name)))
        user["display_name"] = user["display_name"] or name.split("@")[0]
        user["full_name"] = user["full_name"] or name
        user["name"] = name
        self.users[name] = user

    def now(self):
        return time.time() + self.clock_offset

    # ------------------------------------------------------------------ entry point

    def handle(self, req):
        if req.path.startswith("/__mock/") or req.path == "/__mock":
            try:
                with self.lock:
                    return self.control(req)
            except (ValueError, KeyError, TypeError) as exc:
                return json_resp(400, {"error": "bad control request", "detail": str(exc)})
        started = time.time()
        entry = self._log_start(req)
        with self.lock:
            fault = self._match_fault(req)
        resp = None
        if fault is not None:
            entry["fault"] = fault["name"]
            if fault.get("delay_s"):
                time.sleep(float(fault["delay_s"]))
            if fault.get("status") is not None:
                resp = self._fault_response(fault, req)
        if resp is None:
            try:
                resp = self.route(req)
            except Exception as exc:                                    # a mock bug: make it visible
                import traceback
                traceback.print_exc()
                resp = json_resp(500, {"error": "mock internal error", "detail": repr(exc)})
        with self.lock:
            entry["status"] = resp.status
            entry["duration_ms"] = int((time.time() - started) * 1000)
            entry["response_headers"] = {k.lower(): v for k, v in resp.headers if k.lower() in LOGGED_RESPONSE_HEADERS}
            if resp.server:
                entry["response_headers"]["server"] = resp.server
            entry["response_content_type"] = resp.content_type
            set_cookies = [v.split("=", 1)[0] for k, v in resp.headers if k.lower() == "set-cookie"]
            if set_cookies:
                entry["set_cookies"] = set_cookies
            if resp.note:
                entry["note"] = resp.note
            entry.update(req.extra)
            if self.log_file:
                with open(self.log_file, "a", encoding="utf-8") as out:
                    out.write(json.dumps(entry) + "\n")
        return resp

    def _log_start(self, req):
        headers = {}
        for key, value in req.headers.items():
            low = key.lower()
            if low in ("authorization", "cookie", "proxy-authorization"):
                continue
            headers[low] = headers[low] + ", " + value if low in headers else value
        query = {}
        for key, value in req.query:
            query.setdefault(key, []).append(redact(key, value))
        entry = {"id": 0, "time": iso_utc(time.time()), "mock_time": iso_utc(self.now()), "method": req.method,
                 "path": req.path, "query": query, "headers": headers, "cookies": sorted(req.cookies),
                 "authorization": self._auth_summary(req.headers.get("Authorization")),
                 "body": self._body_summary(req), "status": None, "fault": None}
        with self.lock:
            self.log_seq += 1
            entry["id"] = self.log_seq
            self.log.append(entry)
        return entry

    @staticmethod
    def _auth_summary(value):
        if not value:
            return None
        scheme, _, credentials = value.strip().partition(" ")
        summary = {"scheme": scheme, "sha256": short_hash(credentials.strip())}
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(credentials.strip(), validate=True).decode().partition(":")
                summary["user"] = user
                summary["password_empty"] = password == ""
            except (ValueError, UnicodeDecodeError):
                summary["malformed"] = True
        elif scheme.lower() == "oauth":
            params, order = parse_oauth_header(value)
            summary["param_order"] = order
            summary["params"] = {k: ("sha256:" + short_hash(v) if k in ("oauth_token", "oauth_signature") else v)
                                 for k, v in params.items()}
        return summary

    @staticmethod
    def _body_summary(req):
        body = req.body
        if not body:
            return {"length": 0}
        ctype = req.content_type
        summary = {"content_type": ctype, "length": len(body)}
        low = ctype.lower()
        try:
            if low.startswith("application/json") or (not low and body[:1] in (b"{", b"[")):
                summary["json"] = redact_json(json.loads(body.decode("utf-8")))
            elif low.startswith("application/x-www-form-urlencoded"):
                summary["form"] = {k: redact(k, v) for k, v in req.form_pairs()}
                summary["form_keys"] = [k for k, _ in req.form_pairs()]
            elif low.startswith("multipart/"):
                summary["sha256"] = hashlib.sha256(body).hexdigest()
                boundary = parse_header_params(ctype, "content-type").get_param("boundary", header="content-type")
                parts = parse_multipart(body, boundary or "")
                summary["parts"] = [{"name": p["name"], "filename": p["filename"],
                                     "content_type": p["headers"].get("content-type"), "size": len(p["data"]),
                                     "sha256": hashlib.sha256(p["data"]).hexdigest()} for p in parts]
            else:
                summary["sha256"] = hashlib.sha256(body).hexdigest()
        except (ValueError, UnicodeDecodeError) as exc:
            summary["parse_error"] = str(exc)
            summary["sha256"] = hashlib.sha256(body).hexdigest()
        return summary

    # ------------------------------------------------------------------ faults

    def add_fault(self, name, path, status=None, method=None, count=None, delay_s=0, retry_after=None,
                  kind=None, body=None, json_body=None, headers=None):
        self.fault_seq += 1
        rule = {"id": self.fault_seq, "name": name, "path": path, "method": method.upper() if method else None,
                "status": status, "count": count, "delay_s": delay_s, "retry_after": retry_after, "kind": kind,
                "body": body, "json": json_body, "headers": headers or {}}
        self.faults.append(rule)
        return rule

    def _match_fault(self, req):
        for rule in self.faults:
            if rule["count"] is not None and rule["count"] <= 0:
                continue
            if rule["method"] and rule["method"] != req.method:
                continue
            paths = rule["path"] if isinstance(rule["path"], list) else [rule["path"]]
            if not any(req.path.startswith(p) for p in paths):
                continue
            if rule["count"] is not None:
                rule["count"] -= 1
            return dict(rule)
        return None

    def _fault_response(self, rule, req):
        headers = [(k, str(v)) for k, v in rule["headers"].items()]
        if rule.get("retry_after") is not None:
            headers.append(("Retry-After", str(rule["retry_after"])))
        kind = rule.get("kind")
        status = int(rule["status"])
        note = f"fault {rule['name']}"
        if kind == "cloudflare" or (kind is None and status in (403, 429) and is_sso_path(req.path)
                                    and rule["body"] is None and rule["json"] is None):
            headers.append(("CF-RAY", "8f00mock0000-AMS"))
            return html_resp(status, CLOUDFLARE_429 if status == 429 else CLOUDFLARE_403, headers,
                             note=note, server="cloudflare")
        if kind == "json429":
            return json_resp(200, {"error": {"status-code": "429", "message": "Too Many Requests"}}, headers,
                             note=note)
        if rule["json"] is not None:
            return json_resp(status, rule["json"], headers, note=note)
        if rule["body"] is not None:
            return Resp(status, rule["body"], "text/plain;charset=UTF-8", headers, note=note)
        messages = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                    503: "Service Unavailable", 504: "Gateway Timeout"}
        return json_resp(status, {"message": messages.get(status, "Injected error"), "status": status}, headers,
                         note=note)

    # ------------------------------------------------------------------ routing

    def route(self, req):
        for method, pattern, handler, needs_bearer, locked in ROUTES:
            match = pattern.fullmatch(req.path)
            if not match:
                continue
            if method != req.method:
                continue
            if needs_bearer:
                with self.lock:
                    user, error = self._bearer_user(req)
                if error:
                    return error
                req.extra["user"] = user["name"]
                args = (req, user, *match.groups())
            else:
                args = (req, *match.groups())
            if locked:
                with self.lock:
                    return handler(self, *args)
            return handler(self, *args)
        if any(pattern.fullmatch(req.path) for _, pattern, _, _, _ in ROUTES):
            return json_resp(405, {"error": "method not allowed", "path": req.path})
        return json_resp(404, {"error": "not found", "path": req.path})

    # ------------------------------------------------------------------ sessions, tickets, tokens

    def _session(self, req, create):
        """(session or None, Set-Cookie headers)."""
        sid = req.cookies.get("SESSION")
        if sid and sid in self.sessions:
            return self.sessions[sid], []
        if not create:
            return None, []
        sid = str(uuid.uuid4())
        session = {"id": sid, "created": self.now(), "pending_mfa": None, "widget_mfa": None, "csrf": None,
                   "mfa_attempts": 0}
        self.sessions[sid] = session
        return session, [("Set-Cookie", self._cookie("SESSION", sid)),
                         ("Set-Cookie", self._cookie("__cflb", rand_alnum(24), http_only=False))]

    def _cookie(self, name, value, http_only=True):
        text = f"{name}={value}; Path=/"
        if self.tls:
            text += "; Secure"
        if http_only:
            text += "; HttpOnly"
        return text

    def _login_cookies(self, user):
        return [("Set-Cookie", self._cookie("CASTGC", "TGT-" + rand_alnum(24) + "-cas")),
                ("Set-Cookie", self._cookie("GARMIN-SSO", "1", http_only=False)),
                ("Set-Cookie", self._cookie("GARMIN-SSO-CUST-GUID", user["customer_guid"], http_only=False)),
                ("Set-Cookie", self._cookie("GMN_TRACKABLE", "1", http_only=False))]

    def mint_ticket(self, user, service, suffix="sso"):
        ticket = f"ST-{random.SystemRandom().randint(0, 9999999):07d}-{rand_alnum(20)}-{suffix}"
        self.tickets[ticket] = {"user": user["name"], "service": service,
                                "expires": self.now() + self.config["ticket_ttl_s"], "used": False}
        self.counters["tickets_minted"] += 1
        return ticket

    def _ticket_problem(self, ticket, service):
        info = self.tickets.get(ticket or "")
        if info is None:
            return None, "unknown ticket"
        if info["used"]:
            return None, "ticket already used"
        if self.now() > info["expires"]:
            return None, "ticket expired"
        if service != info["service"]:
            return None, f"service {service!r} does not match the ticket's {info['service']!r}"
        return info, None

    def _jwt(self, claims):
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self.jwt_key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{b64url(signature)}"

    def mint_di(self, user, client_id):
        now = int(self.now())
        jti = str(uuid.uuid4())
        expires_in = int(self.config["di_expires_in"])
        refresh_in = int(self.config["di_refresh_expires_in"])
        access = self._jwt({"scope": ["CONNECT_READ", "CONNECT_WRITE"], "iss": self.config["di_issuer"],
                            "exp": now + expires_in, "iat": now, "jti": jti, "client_id": client_id,
                            "garmin_guid": user["customer_guid"], "user_name": user["name"]})
        refresh = "DIRT." + secrets.token_urlsafe(32)
        self.access[access] = {"kind": "di", "user": user["name"], "client_id": client_id, "exp": now + expires_in,
                               "revoked": False}
        self.refresh[refresh] = {"user": user["name"], "client_id": client_id, "exp": now + refresh_in,
                                 "state": "current"}
        self.counters["di_tokens_minted"] += 1
        return {"access_token": access, "token_type": "Bearer", "refresh_token": refresh, "expires_in": expires_in,
                "refresh_token_expires_in": refresh_in, "scope": "CONNECT_READ CONNECT_WRITE", "jti": jti,
                "customerId": user["profile_id"]}

    def mint_oauth2(self, user):
        now = int(self.now())
        expires_in = int(self.config["oauth2_expires_in"])
        jti = str(uuid.uuid4())
        access = self._jwt({"scope": ["CONNECT_READ", "CONNECT_WRITE", "GHS_UPLOAD"],
                            "iss": "https://connectapi.garmin.com", "exp": now + expires_in, "iat": now, "jti": jti,
                            "client_id": "GARMIN_CONNECT_MOBILE_ANDROID", "user_name": user["name"]})
        refresh = "LGRT." + secrets.token_urlsafe(24)
        self.access[access] = {"kind": "oauth2", "user": user["name"], "client_id": None, "exp": now + expires_in,
                               "revoked": False}
        self.legacy_refresh[refresh] = user["name"]
        return {"scope": "CONNECT_READ CONNECT_WRITE GHS_UPLOAD", "jti": jti, "access_token": access,
                "token_type": "bearer", "refresh_token": refresh, "expires_in": expires_in,
                "refresh_token_expires_in": int(self.config["oauth2_refresh_expires_in"])}

    def mint_oauth1(self, user, token=None, secret=None, mfa_token=None):
        token = token or str(uuid.uuid4())
        secret = secret or secrets.token_urlsafe(27)
        info = {"user": user["name"], "secret": secret, "mfa_token": mfa_token, "revoked": False}
        if user["mfa"] and mfa_token is None:
            info["mfa_token"] = f"MFA-{random.SystemRandom().randint(1000, 9999)}-{rand_alnum(40)}-cas"
            expiry = datetime.datetime.fromtimestamp(self.now() + 365 * 86400, tz=datetime.timezone.utc)
            info["mfa_expiration_timestamp"] = expiry.strftime("%Y-%m-%d %H:%M:%S.000")
        self.oauth1[token] = info
        return token, info

    def _bearer_user(self, req):
        """(user, None) or (None, 401 response)."""
        header = req.headers.get("Authorization") or ""
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        problem = None
        info = None
        if scheme.lower() != "bearer" or not token:
            problem = "no Bearer token"
        else:
            info = self.access.get(token)
            if info is None:
                problem = "unknown token"
            elif info["revoked"]:
                problem = "token revoked"
            elif self.now() >= info["exp"]:
                problem = "token expired"
            elif self.reject_bearer > 0:
                self.reject_bearer -= 1
                problem = "reject_next_bearer"
        if problem:
            return None, json_resp(401, {"error": "invalid_token", "error_description": "Token is not active"},
                                   [("WWW-Authenticate",
                                     'Bearer error="invalid_token", error_description="Token is not active"')],
                                   note=problem)
        req.extra["token_kind"] = info["kind"]
        return self.users[info["user"]], None

    # ------------------------------------------------------------------ OAuth1

    def verify_oauth1(self, req, token_required):
        """Returns (oauth params, token info or None, problem or None). Signature checked per RFC 5849 §3.4."""
        header = req.headers.get("Authorization") or ""
        if not header.strip().lower().startswith("oauth "):
            return None, None, "missing OAuth Authorization header"
        params, _ = parse_oauth_header(header)
        for key in ("oauth_consumer_key", "oauth_signature_method", "oauth_timestamp", "oauth_nonce",
                    "oauth_signature"):
            if key not in params:
                return params, None, f"missing {key}"
        if params["oauth_signature_method"] != "HMAC-SHA1":
            return params, None, "oauth_signature_method is not HMAC-SHA1"
        if params.get("oauth_version", "1.0") != "1.0":
            return params, None, "oauth_version is not 1.0"
        if params["oauth_consumer_key"] != self.config["consumer_key"]:
            return params, None, "unknown consumer key"
        try:
            skew = abs(int(params["oauth_timestamp"]) - time.time())
        except ValueError:
            return params, None, "oauth_timestamp is not an integer"
        if skew > self.config["oauth_max_skew_s"]:
            return params, None, f"oauth_timestamp off by {int(skew)} s"
        token_info, token_secret = None, ""
        if token_required:
            token = params.get("oauth_token")
            if not token:
                return params, None, "missing oauth_token"
            token_info = self.oauth1.get(token)
            if token_info is None:
                return params, None, "unknown oauth_token"
            token_secret = token_info["secret"]
        elif "oauth_token" in params:
            return params, None, "unexpected oauth_token"
        pairs = list(req.query)
        pairs += [(k, v) for k, v in params.items() if k not in ("oauth_signature", "realm")]
        if req.is_form():
            pairs += req.form_pairs()
        normalized = "&".join(f"{k}={v}" for k, v in sorted((pct(k), pct(v)) for k, v in pairs))
        default_port = ":443" if self.tls else ":80"
        host = req.host(f"localhost:{self.port_ref[0]}")
        if host.endswith(default_port):
            host = host[:-len(default_port)]
        base_uri = f"{'https' if self.tls else 'http'}://{host}{req.path}"
        base_string = "&".join([req.method.upper(), pct(base_uri), pct(normalized)])
        key = f"{pct(self.config['consumer_secret'])}&{pct(token_secret)}"
        expected = base64.b64encode(hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()).decode()
        req.extra["oauth1"] = {"base_uri": base_uri, "signed_keys": sorted(k for k, _ in pairs)}
        if not hmac.compare_digest(expected, params["oauth_signature"]):
            return params, token_info, "signature mismatch"
        nonce_key = (params["oauth_consumer_key"], params.get("oauth_token", ""), params["oauth_timestamp"],
                     params["oauth_nonce"])
        if nonce_key in self.nonces:
            return params, token_info, "nonce replayed"
        self.nonces.add(nonce_key)
        if token_info is not None and token_info["revoked"]:
            return params, token_info, "oauth_token revoked"
        return params, token_info, None

    # ------------------------------------------------------------------ control API

    def control(self, req):
        path, method = req.path, req.method
        body = {}
        if req.body:
            body = req.json()
            if not isinstance(body, dict):
                raise ValueError("control body must be a JSON object")
        if path == "/__mock/health":
            return json_resp(200, {"ok": True, "pid": os.getpid(), "port": self.port_ref[0]})
        if path == "/__mock/reset" and method == "POST":
            self.reset()
            return json_resp(200, {"ok": True})
        if path == "/__mock/scenarios" and method == "GET":
            return json_resp(200, {name: doc for name, (doc, _) in SCENARIOS.items()})
        if path == "/__mock/scenario":
            if method == "POST":
                applied = self.apply_scenario(body)
                return json_resp(200, {"applied": applied, "config": self.config, "faults": self.faults})
            return json_resp(200, {"config": self.config, "faults": self.faults, "users": self._public_users()})
        if path == "/__mock/fault" and method == "POST":
            rule = self.add_fault(body.get("name", "fault"), body["path"], body.get("status"), body.get("method"),
                                  body.get("count"), body.get("delay_s", 0), body.get("retry_after"),
                                  body.get("kind"), body.get("body"), body.get("json"), body.get("headers"))
            return json_resp(200, rule)
        if path == "/__mock/ratelimit" and method == "POST":
            variant = body.get("variant", "html")
            rule = self.add_fault("ratelimit", body.get("path", "/mobile/api/login"), 429, body.get("method"),
                                  body.get("count", 1), 0, body.get("retry_after", self.config["login_retry_after"]),
                                  "json429" if variant == "json" else None)
            return json_resp(200, rule)
        if path == "/__mock/clock":
            if method == "POST":
                if "set" in body:
                    self.clock_offset = float(body["set"]) - time.time()
                self.clock_offset += float(body.get("advance_s", 0))
            return json_resp(200, {"now": self.now(), "offset_s": self.clock_offset})
        if path == "/__mock/expire" and method == "POST":
            return json_resp(200, self._expire(body, revoke=False))
        if path == "/__mock/revoke" and method == "POST":
            return json_resp(200, self._expire(body, revoke=True))
        if path == "/__mock/reject_next_bearer" and method == "POST":
            self.reject_bearer += int(body.get("count", 1))
            return json_resp(200, {"reject_next_bearer": self.reject_bearer})
        if path == "/__mock/ticket" and method == "POST":
            user = self.users[body.get("user", "ok@x")]
            service = body.get("service", "https://mobile.integration.garmin.com/gcm/android")
            return json_resp(200, {"ticket": self.mint_ticket(user, service, body.get("suffix", "sso")),
                                   "service": service})
        if path == "/__mock/di_token" and method == "POST":
            user = self.users[body.get("user", "ok@x")]
            accepted = self.config["di_accepted_client_ids"]
            client_id = body.get("client_id") or (accepted[0] if accepted else DI_CLIENT_IDS[0])
            return json_resp(200, dict(self.mint_di(user, client_id), client_id=client_id))
        if path == "/__mock/oauth1_token" and method == "POST":
            user = self.users[body.get("user", "ok@x")]
            token, info = self.mint_oauth1(user, body.get("oauth_token"), body.get("oauth_token_secret"),
                                           body.get("mfa_token"))
            return json_resp(200, {"oauth_token": token, "oauth_token_secret": info["secret"],
                                   "mfa_token": info["mfa_token"],
                                   "mfa_expiration_timestamp": info.get("mfa_expiration_timestamp")})
        if path == "/__mock/requests":
            if method == "DELETE":
                self.log = []
                return json_resp(200, {"ok": True})
            since = int(req.q("since") or 0)
            prefix = req.q("path") or ""
            want_method = (req.q("method") or "").upper()
            rows = [e for e in self.log if e["id"] > since and e["path"].startswith(prefix)
                    and (not want_method or e["method"] == want_method)]
            return json_resp(200, rows)
        if path == "/__mock/uploads" and method == "GET":
            return json_resp(200, self.uploads)
        if path == "/__mock/state" and method == "GET":
            return json_resp(200, self._state())
        if path == "/__mock/shutdown" and method == "POST":
            threading.Thread(target=self.shutdown_hook, daemon=True).start()
            return json_resp(200, {"ok": True})
        return json_resp(404, {"error": "unknown control endpoint", "path": path})

    shutdown_hook = staticmethod(lambda: None)

    def _public_users(self):
        return {name: {k: v for k, v in user.items() if k != "password"} for name, user in self.users.items()}

    def _state(self):
        def token_rows(store):
            return [dict(info, sha256=short_hash(token)) for token, info in store.items()]
        return {"now": self.now(), "clock_offset_s": self.clock_offset, "config": self.config,
                "faults": self.faults, "counters": self.counters, "reject_next_bearer": self.reject_bearer,
                "sessions": len(self.sessions),
                "tickets": [dict(info, sha256=short_hash(t)) for t, info in self.tickets.items()],
                "access_tokens": token_rows(self.access), "refresh_tokens": token_rows(self.refresh),
                "oauth1_tokens": [{"sha256": short_hash(t), "user": i["user"], "revoked": i["revoked"],
                                   "has_mfa_token": bool(i["mfa_token"])} for t, i in self.oauth1.items()],
                "weights": self.weights, "blood_pressure": self.bp, "uploads": len(self.uploads)}

    def _expire(self, body, revoke):
        token = body.get("token")
        changed = {"access": 0, "refresh": 0, "oauth1": 0}
        past = self.now() - 1
        if body.get("access", token is None or token in self.access):
            for tok, info in self.access.items():
                if token in (None, tok):
                    changed["access"] += 1
                    if revoke:
                        info["revoked"] = True
                    else:
                        info["exp"] = min(info["exp"], past)
        if body.get("refresh", False) or (token is not None and token in self.refresh):
            for tok, info in self.refresh.items():
                if token in (None, tok):
                    changed["refresh"] += 1
                    if revoke:
                        info["state"] = "revoked"
                    else:
                        info["exp"] = min(info["exp"], past)
        if body.get("oauth1", False) or (token is not None and token in self.oauth1):
            for tok, info in self.oauth1.items():
                if token in (None, tok):
                    changed["oauth1"] += 1
                    info["revoked"] = True
        return changed

    def apply_scenario(self, body):
        applied = []
        body = dict(body)
        for key, value in (body.pop("config", None) or {}).items():
            if key not in DEFAULT_CONFIG:
                raise KeyError(f"unknown config key {key!r}")
            self.config[key] = value
            applied.append(f"config.{key}")
        for name, info in (body.pop("users", None) or {}).items():
            merged = dict(self.users.get(name, {}))
            merged.update(info)
            for drop in ("name",):
                merged.pop(drop, None)
            self._set_user(name, merged)
            applied.append(f"user {name}")
        names = body.pop("name", None)
        if names is not None:
            for name in (names if isinstance(names, list) else [names]):
                if name not in SCENARIOS:
                    raise KeyError(f"unknown scenario {name!r}; GET /__mock/scenarios lists them")
                SCENARIOS[name][1](self, body)
                applied.append(name)
        return applied

    # ------------------------------------------------------------------ SSO JSON API (§3.2, §3.3, §9.1)

    def sso_page(self, req, _area=None, _locale=None):
        session, cookies = self._session(req, create=True)
        html = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Garmin SSO Portal</title>"
                "</head><body><div id=\"root\"></div><script>window.GARMIN_SSO = {\"clientId\": "
                + json.dumps(req.q("clientId")) + "};</script></body></html>\n")
        return html_resp(200, html, cookies)

    def portal_embed(self, req):
        return empty_resp(200, [("Set-Cookie", self._cookie("__cflb", rand_alnum(24), http_only=False))])

    @staticmethod
    def login_json(kind, message="", http_status="OK", ticket=None, service=None, mfa_info=None):
        return {"serviceURL": service if ticket else None, "serviceTicketId": ticket,
                "responseStatus": {"type": kind, "message": message, "httpStatus": http_status},
                "responseReason": None, "customerMfaInfo": mfa_info,
                "consentTypeList": [] if mfa_info else None, "captchaAlreadyPassed": False,
                "samlResponse": None, "authType": "CAS" if ticket else None}

    def _sso_params_problem(self, req, area):
        client_id, locale, service = req.q("clientId"), req.q("locale"), req.q("service")
        if not client_id or not locale or not service:
            return "query must carry clientId, locale and service"
        if not self.config["check_client_service"]:
            return None
        if client_id not in SSO_CLIENTS:
            return f"unknown clientId {client_id!r}"
        if (area == "portal") != (client_id == "GarminConnect"):
            return f"clientId {client_id!r} does not belong on /{area}/api"
        split = urlsplit(service)
        if split.scheme != "https" or not split.netloc:
            return f"service {service!r} is not an https URL"
        if not split.path.endswith(SSO_CLIENTS[client_id]):
            return f"service {service!r} does not match clientId {client_id!r}"
        return None

    def _behaviour_response(self, behaviour):
        retry = self.config["login_retry_after"]
        headers = [("Retry-After", str(retry))] if retry is not None else []
        if behaviour == "ratelimit":
            return html_resp(429, CLOUDFLARE_429, headers + [("CF-RAY", "8f00mock0000-AMS")],
                             server="cloudflare", note="user ratelimit")
        if behaviour == "ratelimit_json":
            return json_resp(200, {"error": {"status-code": "429", "message": "Too Many Requests"}},
                             note="user ratelimit_json")
        if behaviour == "cf403":
            return html_resp(403, CLOUDFLARE_403, [("CF-RAY", "8f00mock0000-AMS")], server="cloudflare",
                             note="user cf403")
        if behaviour == "captcha":
            return json_resp(200, self.login_json("CAPTCHA_REQUIRED"), note="captcha")
        if behaviour == "locked":
            return json_resp(200, self.login_json("LOCKED", "generalLoginAccountLocked"), note="locked")
        return None

    def sso_login(self, req, area):
        problem = self._sso_params_problem(req, area)
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if problem is None:
            if not isinstance(body, dict):
                problem = "body must be a JSON object"
            else:
                missing = [k for k in ("username", "password", "rememberMe", "captchaToken") if k not in body]
                if missing:
                    problem = f"JSON body lacks {', '.join(missing)}"
        if problem:
            return json_resp(400, self.login_json("INVALID_REQUEST", problem, "BAD_REQUEST"), note=problem)
        session, cookies = self._session(req, create=not self.config["require_session_cookie"])
        if session is None:
            return json_resp(403, self.login_json("SESSION_REQUIRED", "no SESSION cookie from the sign-in page",
                                                  "FORBIDDEN"), note="missing SESSION cookie")
        user = self.users.get(str(body["username"]))
        behaviour = self.config["login_behaviour"] or (user or {}).get("behaviour")
        if behaviour and behaviour != "badpw":
            resp = self._behaviour_response(behaviour)
            resp.headers += cookies
            return resp
        if behaviour == "badpw" or user is None or user["password"] is None or body["password"] != user["password"]:
            return json_resp(401, self.login_json("INVALID_USERNAME_PASSWORD", "generalLoginInvalidUsernameOrPassword",
                                                  "UNAUTHORIZED"), cookies, note="bad credentials")
        service = req.q("service")
        if user["mfa"]:
            session["pending_mfa"] = {"user": user["name"], "service": service, "client_id": req.q("clientId"),
                                      "method": user["mfa_method"], "attempts": 0}
            self.counters["mfa_codes_sent"] += 1
            mfa_info = {"email": user["code_sent_to"], "phoneNumber": None, "mfaLastMethodUsed": user["mfa_method"],
                        "defaultMfaMethod": None,
                        "mfaUISetting": {"showRememberDevice": True, "mfaEnabled": True}}
            return json_resp(200, self.login_json("MFA_REQUIRED", mfa_info=mfa_info), cookies, note="mfa required")
        ticket = self.mint_ticket(user, service)
        return json_resp(200, self.login_json("SUCCESSFUL", ticket=ticket, service=service),
                         cookies + self._login_cookies(user), note="login ok")

    def sso_mfa(self, req, area):
        problem = self._sso_params_problem(req, area)
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if problem is None:
            if not isinstance(body, dict):
                problem = "body must be a JSON object"
            else:
                missing = [k for k in ("mfaMethod", "mfaVerificationCode", "rememberMyBrowser", "reconsentList",
                                       "mfaSetup") if k not in body]
                if missing:
                    problem = f"JSON body lacks {', '.join(missing)}"
        if problem:
            return json_resp(400, self.login_json("INVALID_REQUEST", problem, "BAD_REQUEST"), note=problem)
        session, _ = self._session(req, create=False)
        pending = session and session["pending_mfa"]
        if not pending:
            return json_resp(400, self.login_json("INVALID_SESSION", "no pending MFA login for this SESSION",
                                                  "BAD_REQUEST"), note="no pending mfa")
        if pending["attempts"] >= self.config["mfa_max_attempts"]:
            retry = self.config["login_retry_after"]
            return json_resp(429, {"error": {"status-code": "429", "message": "Too many MFA attempts"}},
                             [("Retry-After", str(retry))] if retry is not None else [], note="mfa attempts exhausted")
        user = self.users[pending["user"]]
        if body["mfaMethod"] == pending["method"] and str(body["mfaVerificationCode"]) == user["mfa_code"]:
            session["pending_mfa"] = None
            service = req.q("service") or pending["service"]
            ticket = self.mint_ticket(user, service)
            return json_resp(200, self.login_json("SUCCESSFUL", ticket=ticket, service=service),
                             self._login_cookies(user), note="mfa ok")
        pending["attempts"] += 1
        return json_resp(200, self.login_json("INVALID_MFA_CODE", "mfaCodeInvalid"), note="wrong mfa code")

    # ------------------------------------------------------------------ legacy HTML widget (§3.5, §9.1)

    def widget_embed(self, req):
        _, cookies = self._session(req, create=True)
        return html_resp(200, "<!DOCTYPE html>\n<html><head><title>GAuth Embedded Version</title></head><body>"
                              "<p>GAuth Embedded Version</p></body></html>\n", cookies)

    def _widget_form_page(self, session, title, extra=""):
        session["csrf"] = secrets.token_hex(50).upper()
        return ("<!DOCTYPE html>\n<html><head><title>" + title + "</title></head><body>" + extra +
                "<form method=\"post\" id=\"login-form\">"
                "<input type=\"hidden\" name=\"_csrf\" value=\"" + session["csrf"] + "\"/>"
                "<input type=\"text\" name=\"username\"/><input type=\"password\" name=\"password\"/>"
                "<input type=\"hidden\" name=\"embed\" value=\"true\"/></form></body></html>\n")

    def widget_signin_get(self, req):
        session, cookies = self._session(req, create=True)
        return html_resp(200, self._widget_form_page(session, "GARMIN Authentication Application"), cookies)

    def _success_page(self, user, service):
        ticket = self.mint_ticket(user, service, suffix="cas")
        url = (service + "?ticket=" + ticket).replace("/", "\\/")
        html = ("<!DOCTYPE html>\n<html><head><title>Success</title></head><body>\n<script type=\"text/javascript\">\n"
                f"  var response_url = \"{url}\";\n  var service_url = \"{service.replace('/', chr(92) + '/')}\";\n"
                "  parent.postMessage({status: 'SUCCESS', serviceUrl: service_url,"
                " serviceTicket: response_url}, '*');\n"
                "</script></body></html>\n")
        return html_resp(200, html, self._login_cookies(user), note="widget login ok")

    def widget_signin_post(self, req):
        session, _ = self._session(req, create=False)
        form = req.form()
        if session is None or not session.get("csrf") or form.get("_csrf") != session["csrf"]:
            return html_resp(403, "<html><head><title>Forbidden</title></head><body>Invalid CSRF token</body></html>",
                             note="csrf mismatch")
        user = self.users.get(form.get("username", ""))
        behaviour = self.config["login_behaviour"] or (user or {}).get("behaviour")
        if behaviour in ("ratelimit", "cf403"):
            return self._behaviour_response(behaviour)
        if behaviour == "locked":
            return html_resp(200, "<html><head><title>Account Locked</title></head><body>"
                                  "Your account has been locked.</body></html>", note="locked")
        if behaviour in ("captcha", "ratelimit_json"):
            return html_resp(200, self._widget_form_page(session, "GARMIN Authentication Application",
                                                         "<div id=\"captcha\">Please complete the CAPTCHA</div>"),
                             note=behaviour)
        if behaviour == "badpw" or user is None or user["password"] is None or form.get("password") != user["password"]:
            return html_resp(200, self._widget_form_page(session, "GARMIN Authentication Application - Invalid "
                                                         "username or password",
                                                         "<div class=\"error\">Invalid sign in.</div>"),
                             note="bad credentials")
        service = req.q("service") or "https://sso.garmin.com/sso/embed"
        if user["mfa"]:
            session["widget_mfa"] = {"user": user["name"], "service": service, "attempts": 0}
            self.counters["mfa_codes_sent"] += 1
            host = req.host(f"localhost:{self.port_ref[0]}")
            location = f"{'https' if self.tls else 'http'}://{host}/sso/verifyMFA/loginEnterMfaCode"
            if req.query_string:
                location += "?" + req.query_string
            return empty_resp(302, [("Location", location)], note="widget mfa required")
        return self._success_page(user, service)

    def _mfa_page(self, session, user, error=""):
        session["csrf"] = secrets.token_hex(50).upper()
        code_sent_to = user["code_sent_to"] if session["widget_mfa"].get("code_requested", True) else ""
        script = "".join(f"  var {name} = \"{value}\";\n" for name, value in (
            ("customerGuid", user["customer_guid"]), ("mfaMethod", user["mfa_method"]), ("locale", "en_US"),
            ("clientId", "GarminConnect"), ("codeSentTo", code_sent_to)))
        return ("<!DOCTYPE html>\n<html><head><title>Enter MFA code for login</title></head><body>\n"
                "<script type=\"text/javascript\">\n" + script + "</script>\n" + error +
                "<form method=\"post\" id=\"mfa-form\"><input type=\"hidden\" name=\"_csrf\" value=\""
                + session["csrf"] + "\"/><input type=\"text\" name=\"mfa-code\"/></form></body></html>\n")

    def widget_mfa_page(self, req):
        session, _ = self._session(req, create=False)
        if session is None or not session.get("widget_mfa"):
            return html_resp(401, "<html><head><title>Invalid session</title></head><body></body></html>",
                             note="no pending widget mfa")
        return html_resp(200, self._mfa_page(session, self.users[session["widget_mfa"]["user"]]))

    def widget_mfa_submit(self, req):
        session, _ = self._session(req, create=False)
        form = req.form()
        if session is None or not session.get("widget_mfa"):
            return html_resp(401, "<html><head><title>Invalid session</title></head><body></body></html>",
                             note="no pending widget mfa")
        if form.get("_csrf") != session.get("csrf"):
            return html_resp(403, "<html><head><title>Forbidden</title></head><body>Invalid CSRF token</body></html>",
                             note="csrf mismatch")
        pending = session["widget_mfa"]
        user = self.users[pending["user"]]
        if pending["attempts"] >= self.config["mfa_max_attempts"]:
            return html_resp(429, CLOUDFLARE_429, server="cloudflare", note="mfa attempts exhausted")
        if form.get("mfa-code") != user["mfa_code"]:
            pending["attempts"] += 1
            return html_resp(200, self._mfa_page(session, user, "<div class=\"error\">Invalid code.</div>"),
                             note="wrong mfa code")
        session["widget_mfa"] = None
        token = secrets.token_urlsafe(16)
        self.login_tokens[token] = {"user": user["name"], "service": pending["service"]}
        host = req.host(f"localhost:{self.port_ref[0]}")
        location = (f"{'https' if self.tls else 'http'}://{host}/sso/login?"
                    + urlencode({"logintoken": token, "service": pending["service"]}))
        return empty_resp(302, [("Location", location)], note="widget mfa ok")

    def widget_request_code(self, req):
        session, _ = self._session(req, create=False)
        self.counters["mfa_codes_sent"] += 1
        if session and session.get("widget_mfa"):
            session["widget_mfa"]["code_requested"] = True
        return json_resp(200, {})

    def widget_login_token(self, req):
        info = self.login_tokens.pop(req.q("logintoken") or "", None)
        if info is None:
            return html_resp(401, "<html><head><title>Invalid login token</title></head><body></body></html>",
                             note="unknown logintoken")
        return self._success_page(self.users[info["user"]], info["service"])

    # ------------------------------------------------------------------ legacy OAuth (§5, §9.2)

    def oauth_consumer(self, req):
        return json_resp(200, {"consumer_key": self.config["consumer_key"],
                               "consumer_secret": self.config["consumer_secret"]})

    @staticmethod
    def _oauth_401(reason):
        return html_resp(401, "<!doctype html><html><head><title>HTTP Status 401 – Unauthorized</title></head>"
                              "<body><h1>HTTP Status 401 – Unauthorized</h1><p><b>Message</b> " + reason
                              + "</p></body></html>", note=reason)

    def oauth_preauthorized(self, req):
        params, _, problem = self.verify_oauth1(req, token_required=False)
        if problem:
            return self._oauth_401(problem)
        info, problem = self._ticket_problem(req.q("ticket"), req.q("login-url"))
        if problem:
            return self._oauth_401(problem)
        info["used"] = True
        user = self.users[info["user"]]
        token, token_info = self.mint_oauth1(user)
        fields = [("oauth_token", token), ("oauth_token_secret", token_info["secret"])]
        if token_info["mfa_token"]:
            fields += [("mfa_token", token_info["mfa_token"]),
                       ("mfa_expiration_timestamp", token_info["mfa_expiration_timestamp"])]
        return Resp(200, urlencode(fields), "text/plain;charset=utf-8", note="oauth1 issued")

    def oauth_exchange(self, req):
        if not req.is_form():
            return json_resp(500, {"message": "Internal Server Error", "detail": "Content-Type must be "
                                   "application/x-www-form-urlencoded"}, note="exchange without form content type")
        params, token_info, problem = self.verify_oauth1(req, token_required=True)
        if problem:
            return self._oauth_401(problem)
        form = req.form()
        if token_info["mfa_token"] and self.config["oauth_require_mfa_token"] \
                and form.get("mfa_token") != token_info["mfa_token"]:
            return self._oauth_401("mfa_token missing or wrong")
        req.extra["exchange"] = {"audience": form.get("audience"), "mfa_token_sent": "mfa_token" in form}
        return json_resp(200, self.mint_oauth2(self.users[token_info["user"]]), note="oauth2 issued")

    # ------------------------------------------------------------------ DI OAuth2 (§4, §9.3)

    def di_token(self, req):
        if not req.is_form():
            return json_resp(400, {"error": "invalid_request", "error_description": "form body required"},
                             note="not a form")
        form = req.form()
        header = req.headers.get("Authorization") or ""
        scheme, _, credentials = header.strip().partition(" ")
        basic_id = None
        if scheme.lower() == "basic":
            try:
                basic_id, sep, password = base64.b64decode(credentials.strip(), validate=True).decode().partition(":")
                if not sep or password:
                    basic_id = None
            except (ValueError, UnicodeDecodeError):
                basic_id = None
        client_id = form.get("client_id")
        if basic_id is None or client_id is None or basic_id != client_id:
            return json_resp(401, {"error": "invalid_client",
                                   "error_description": "Basic base64(client_id:) must match form client_id"},
                             note="basic auth / client_id mismatch")
        if client_id not in self.config["di_accepted_client_ids"]:
            return json_resp(401, {"error": "unauthorized_client",
                                   "error_description": f"Client {client_id} is not accepted"},
                             note="client id rejected")
        grant = form.get("grant_type")
        if grant == DI_SERVICE_TICKET_GRANT:
            info, problem = self._ticket_problem(form.get("service_ticket"), form.get("service_url"))
            if problem:
                return json_resp(400, {"error": "invalid_grant", "error_description": "Invalid service ticket"},
                                 note=problem)
            info["used"] = True
            return json_resp(200, self.mint_di(self.users[info["user"]], client_id), note="di token from ticket")
        if grant == "refresh_token":
            token = form.get("refresh_token") or ""
            info = self.refresh.get(token)
            problem = None
            if info is None:
                problem = "unknown refresh token"
            elif info["state"] != "current":
                problem = f"refresh token {info['state']}"
            elif self.now() >= info["exp"]:
                problem = "refresh token expired"
            elif info["client_id"] != client_id:
                problem = "refresh token belongs to another client id"
            if problem:
                return json_resp(400, {"error": "invalid_grant",
                                       "error_description": f"Invalid refresh token: {token}"}, note=problem)
            info["state"] = "rotated"
            return json_resp(200, self.mint_di(self.users[info["user"]], client_id), note="di token refreshed")
        return json_resp(400, {"error": "unsupported_grant_type", "error_description": f"grant_type {grant!r}"},
                         note="bad grant type")

    # ------------------------------------------------------------------ profile (§6.5)

    def social_profile(self, req, user):
        return json_resp(200, {"id": 1, "profileId": user["profile_id"], "garminGUID": user["customer_guid"],
                               "displayName": user["display_name"], "fullName": user["full_name"],
                               "userName": user["name"]})

    def user_settings(self, req, user):
        return json_resp(200, {"id": user["profile_id"], "userData": {
            "gender": "MALE", "weight": 85100.0, "height": 184.0, "measurementSystem": "metric",
            "birthDate": "1966-09-15"}})

    # ------------------------------------------------------------------ uploads (§6.2, §9.4)

    def _import_result(self, upload_id, upload_uuid, user, size, file_name, failures=None):
        return {"detailedImportResult": {
            "uploadId": upload_id, "uploadUuid": {"uuid": upload_uuid} if upload_uuid else None,
            "owner": user["profile_id"], "fileSize": size, "processingTime": 36,
            "creationDate": gmt_creation_date(self.now()), "ipAddress": None, "fileName": file_name,
            "report": None, "successes": [], "failures": failures or []}}

    def _upload_failure(self, status, user, size, file_name, code, content, note):
        failure = [{"internalId": None, "externalId": None, "messages": [{"code": code, "content": content}]}]
        return json_resp(status, self._import_result("", None, user, size, file_name, failure), note=note)

    def run_fitsdk(self, data):
        decoder = self.fitcheck_dir / "decode.mjs"
        if not (self.fitcheck_dir / "node_modules" / "@garmin" / "fitsdk").is_dir() or not decoder.is_file():
            return {"available": False}
        node = shutil.which("node")
        if node is None:
            return {"available": False, "error": "node not found on PATH"}
        with tempfile.NamedTemporaryFile(suffix=".fit", delete=False) as handle:
            handle.write(data)
            name = handle.name
        try:
            run = subprocess.run([node, str(decoder), name], cwd=self.fitcheck_dir, capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            return {"available": True, "ok": False, "error": "timeout"}
        finally:
            os.unlink(name)
        if run.returncode != 0:
            return {"available": True, "ok": False, "exit_code": run.returncode,
                    "stderr": run.stderr.decode("utf-8", "replace")[-4000:]}
        try:
            return {"available": True, "ok": True, "messages": json.loads(run.stdout.decode("utf-8"))}
        except ValueError as exc:
            return {"available": True, "ok": False, "error": f"decoder output is not JSON: {exc}"}

    def upload(self, req, user, ext=None):
        """Runs without the lock while parsing/decoding (node may take a while); takes it for the store."""
        ctype = parse_header_params(req.content_type, "content-type")
        file_name = None
        if not req.content_type.lower().startswith("multipart/form-data"):
            return self._upload_failure(400, user, len(req.body), None, 400, "multipart/form-data required",
                                        "not multipart")
        try:
            parts = parse_multipart(req.body, ctype.get_param("boundary", header="content-type") or "")
        except ValueError as exc:
            return self._upload_failure(400, user, len(req.body), None, 400, f"bad multipart body: {exc}",
                                        "bad multipart")
        file_parts = [p for p in parts if p["name"] == "file"]
        if not file_parts:
            return self._upload_failure(400, user, len(req.body), None, 400, "Required part 'file' is missing",
                                        f"no part named file (got {[p['name'] for p in parts]})")
        part = file_parts[0]
        data, file_name = part["data"], part["filename"] or "upload"
        kind = (ext or "").lstrip(".").lower() or Path(file_name).suffix.lstrip(".").lower() or "fit"
        info = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "file_name": file_name,
                "part_content_type": part["headers"].get("content-type"), "kind": kind,
                "raw_hex": data[:1 << 20].hex()}
        req.extra["upload"] = info
        decoded = None
        if kind == "fit":
            try:
                decoded = mockfit.decode(data)
                info["valid"] = True
                info["decoded"] = decoded
            except mockfit.FitError as exc:
                info["valid"] = False
                info["error"] = {"kind": exc.kind, "message": exc.message}
            info["fitsdk"] = self.run_fitsdk(data)
            if not info["valid"]:
                if info["error"]["kind"] in ("header", "crc"):
                    return self._upload_failure(415, user, len(data), file_name, 415,
                                                "The file is of a type we do not support", exc_note(info))
                return self._upload_failure(400, user, len(data), file_name, 400,
                                            f"Invalid FIT file: {info['error']['message']}", exc_note(info))
            sdk = info["fitsdk"]
            if self.config["fitsdk_strict"] and sdk.get("available") and not sdk.get("ok") and "exit_code" in sdk:
                return self._upload_failure(400, user, len(data), file_name, 400,
                                            "Invalid FIT file (@garmin/fitsdk): " + sdk.get("stderr", "")[:300],
                                            "fitsdk rejected the file")
        elif kind in ("tcx", "gpx"):
            try:
                ElementTree.fromstring(data)
                info["valid"] = True
            except ElementTree.ParseError as exc:
                info["valid"] = False
                return self._upload_failure(400, user, len(data), file_name, 400, f"Invalid {kind.upper()}: {exc}",
                                            "bad xml")
        else:
            return self._upload_failure(415, user, len(data), file_name, 415,
                                        "The file is of a type we do not support", f"unsupported kind {kind!r}")
        with self.lock:
            key = (user["name"], info["sha256"])
            if key in self.upload_hashes:
                first = self.upload_hashes[key]
                failure = [{"internalId": first["uploadId"], "externalId": str(first["uploadId"] % 10 ** 10),
                            "messages": [{"code": 202, "content": "Duplicate Activity."}]}]
                return json_resp(409, self._import_result("", None, user, len(data), file_name, failure),
                                 note="duplicate")
            self.upload_seq += 1
            upload_id = self.upload_seq
            upload_uuid = str(uuid.uuid4())
            record = {"uploadId": upload_id, "uuid": upload_uuid, "user": user["name"], "fileName": file_name,
                      "size": len(data), "sha256": info["sha256"], "kind": kind, "time": iso_utc(self.now()),
                      "file_type": decoded["file_type"] if decoded else None,
                      "messages": decoded["messages"] if decoded else None,
                      "by_mesg": decoded["by_mesg"] if decoded else None,
                      "fitsdk": info.get("fitsdk"), "raw_hex": info["raw_hex"], "stored": []}
            if decoded:
                record["stored"] = self._store_fit_measurements(user, decoded, upload_id)
            self.uploads.append(record)
            self.upload_hashes[key] = record
            status = int(self.config["upload_status"])
            host = req.host(f"localhost:{self.port_ref[0]}")
            location = (f"{'https' if self.tls else 'http'}://{host}/activity-service/activity/status/"
                        f"{int(self.now() * 1000)}/{upload_uuid.replace('-', '')}")
            info["uploadId"] = upload_id
            return json_resp(status, self._import_result(upload_id, upload_uuid, user, len(data), file_name),
                             [("Location", location)], note="accepted")

    def upload_status(self, req, user, _ms, uuid_hex):
        for record in self.uploads:
            if record["uuid"].replace("-", "") == uuid_hex and record["user"] == user["name"]:
                return json_resp(200, self._import_result(record["uploadId"], record["uuid"], user, record["size"],
                                                          record["fileName"]))
        return json_resp(404, {"error": "unknown upload"})

    def _store_fit_measurements(self, user, decoded, upload_id):
        stored = []
        tz = int(self.config["tz_offset_s"])
        for message in decoded["messages"]:
            raw = message["raw"]
            ts = raw.get("timestamp")
            if not isinstance(ts, int) or ts < mockfit.SYSTEM_TIME_LIMIT:
                continue
            gmt_ms = (ts + mockfit.FIT_EPOCH_UNIX) * 1000
            if message["mesg"] == "weight_scale":
                weight = raw.get("weight")
                if not isinstance(weight, int) or weight >= 0xFFFE:
                    continue
                item = self._weight_item(user, gmt_ms, gmt_ms + tz * 1000, weight * 10.0, "INDEX_SCALE")
                scaled = lambda k, s: raw[k] / s if isinstance(raw.get(k), int) else None  # noqa: E731
                grams = lambda k: raw[k] * 10.0 if isinstance(raw.get(k), int) else None  # noqa: E731
                item.update({"bmi": scaled("bmi", 10), "bodyFat": scaled("percent_fat", 100),
                             "bodyWater": scaled("percent_hydration", 100),
                             "boneMass": grams("bone_mass"), "muscleMass": grams("muscle_mass"),
                             "physiqueRating": raw.get("physique_rating"),
                             "visceralFat": raw.get("visceral_fat_rating"), "metabolicAge": raw.get("metabolic_age"),
                             "uploadId": upload_id})
                self.weights.append(item)
                stored.append({"weight": item["samplePk"]})
            elif message["mesg"] == "blood_pressure":
                systolic, diastolic = raw.get("systolic_pressure"), raw.get("diastolic_pressure")
                if not isinstance(systolic, int) or not isinstance(diastolic, int):
                    continue
                item = self._bp_item(user, ms_to_ts(gmt_ms + tz * 1000), ms_to_ts(gmt_ms), systolic, diastolic,
                                     raw.get("heart_rate"), "FIT_FILE", "")
                item["uploadId"] = upload_id
                self.bp.append(item)
                stored.append({"blood_pressure": item["version"]})
        return stored

    # ------------------------------------------------------------------ weight (§6.4, §9.4)

    def _weight_item(self, user, gmt_ms, local_ms, grams, source):
        self.sample_seq += 1
        return {"samplePk": self.sample_seq, "date": local_ms, "calendarDate": ms_to_date(local_ms),
                "weight": grams, "bmi": None, "bodyFat": None, "bodyWater": None, "boneMass": None,
                "muscleMass": None, "physiqueRating": None, "visceralFat": None, "metabolicAge": None,
                "sourceType": source, "timestampGMT": gmt_ms, "weightDelta": None, "user": user["name"]}

    def post_weight(self, req, user):
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return json_resp(400, {"message": "body must be JSON"}, note="bad json")
        problems = []
        if not isinstance(body, dict):
            return json_resp(400, {"message": "body must be a JSON object"}, note="bad json")
        for key in ("dateTimestamp", "gmtTimestamp"):
            if not isinstance(body.get(key), str) or not TS_MS_RE.match(body[key]):
                problems.append(f"{key} must be YYYY-MM-DDTHH:MM:SS.mmm")
        if body.get("unitKey") not in ("kg", "lbs"):
            problems.append("unitKey must be kg or lbs")
        value = body.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            problems.append("value must be a positive number")
        if not isinstance(body.get("sourceType"), str):
            problems.append("sourceType must be a string")
        if not problems:
            problems += offset_problems(body["dateTimestamp"], body["gmtTimestamp"])
        if problems:
            return json_resp(400, {"message": "; ".join(problems)}, note="invalid weigh-in")
        grams = value * 1000.0 if body["unitKey"] == "kg" else value * 453.59237
        item = self._weight_item(user, parse_ts_ms(body["gmtTimestamp"]), parse_ts_ms(body["dateTimestamp"]),
                                 round(grams, 1), body["sourceType"])
        self.weights.append(item)
        req.extra["stored"] = {"weight": item["samplePk"]}
        return empty_resp(204, note="weigh-in stored")

    def _weights_between(self, user, start, end):
        rows = [w for w in self.weights if w["user"] == user["name"] and start <= w["calendarDate"] <= end]
        return sorted(rows, key=lambda w: w["date"])

    @staticmethod
    def _public_weight(item):
        return {k: v for k, v in item.items() if k not in ("user", "uploadId")}

    def _total_average(self, rows, start, end):
        def avg(key):
            values = [r[key] for r in rows if r.get(key) is not None]
            return sum(values) / len(values) if values else None
        result = {"from": date_to_ms(start), "until": date_to_ms(end) + 86399999}
        for key in ("weight", "bmi", "bodyFat", "bodyWater", "boneMass", "muscleMass", "physiqueRating",
                    "visceralFat", "metabolicAge"):
            result[key] = avg(key)
        return result

    def _weight_list(self, user, start, end):
        if not DATE_RE.match(start or "") or not DATE_RE.match(end or ""):
            return json_resp(400, {"message": "dates must be YYYY-MM-DD"})
        rows = self._weights_between(user, start, end)
        return json_resp(200, {"startDate": start, "endDate": end,
                               "dateWeightList": [self._public_weight(r) for r in rows],
                               "totalAverage": self._total_average(rows, start, end)})

    def weight_dayview(self, req, user, day):
        return self._weight_list(user, day, day)

    def weight_date_range(self, req, user):
        return self._weight_list(user, req.q("startDate"), req.q("endDate"))

    def weight_range(self, req, user, start, end):
        if not DATE_RE.match(start) or not DATE_RE.match(end):
            return json_resp(400, {"message": "dates must be YYYY-MM-DD"})
        rows = self._weights_between(user, start, end)
        days = {}
        for row in rows:
            days.setdefault(row["calendarDate"], []).append(self._public_weight(row))
        summaries = []
        for day in sorted(days, reverse=True):
            metrics = days[day]
            weights = [m["weight"] for m in metrics]
            summaries.append({"summaryDate": day, "numOfWeightEntries": len(metrics), "minWeight": min(weights),
                              "maxWeight": max(weights), "latestWeight": metrics[-1], "allWeightMetrics": metrics})
        return json_resp(200, {"dailyWeightSummaries": summaries,
                               "totalAverage": self._total_average(rows, start, end),
                               "previousDateWeight": None, "nextDateWeight": None})

    def weight_delete(self, req, user, day, sample_pk):
        self.weights = [w for w in self.weights if not (w["user"] == user["name"] and str(w["samplePk"]) == sample_pk
                                                        and w["calendarDate"] == day)]
        return empty_resp(204)

    # ------------------------------------------------------------------ blood pressure (§6.3, §9.4)

    def _bp_item(self, user, local, gmt, systolic, diastolic, pulse, source, notes):
        self.bp_version += 1
        return {"version": self.bp_version, "systolic": systolic, "diastolic": diastolic, "pulse": pulse,
                "notes": notes, "sourceType": source, "measurementTimestampLocal": local,
                "measurementTimestampGMT": gmt, "userProfilePk": user["profile_id"], "user": user["name"]}

    def post_bp(self, req, user):
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return json_resp(400, {"message": "body must be JSON"}, note="bad json")
        if not isinstance(body, dict):
            return json_resp(400, {"message": "body must be a JSON object"}, note="bad json")
        problems = []
        for key in ("measurementTimestampLocal", "measurementTimestampGMT"):
            if not isinstance(body.get(key), str) or not TS_MS_RE.match(body[key]):
                problems.append(f"{key} must be YYYY-MM-DDTHH:MM:SS.mmm (no zone)")
        limits = {"systolic": (70, 260), "diastolic": (40, 150), "pulse": (20, 250)}
        for key, (low, high) in limits.items():
            value = body.get(key)
            if key == "pulse" and value is None and not self.config["bp_require_pulse"]:
                continue
            if key not in body:
                problems.append(f"{key} missing")
            elif isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{key} must be an integer")
            elif not low <= value <= high:
                problems.append(f"{key} {value} outside {low}-{high}")
        if not isinstance(body.get("sourceType"), str):
            problems.append("sourceType must be a string")
        if "notes" in body and body["notes"] is not None and not isinstance(body["notes"], str):
            problems.append("notes must be a string")
        if not problems:
            problems += offset_problems(body["measurementTimestampLocal"], body["measurementTimestampGMT"])
        if problems:
            return json_resp(400, {"message": "; ".join(problems)}, note="invalid blood pressure")
        item = self._bp_item(user, body["measurementTimestampLocal"], body["measurementTimestampGMT"],
                             body["systolic"], body["diastolic"], body.get("pulse"), body["sourceType"],
                             body.get("notes"))
        self.bp.append(item)
        req.extra["stored"] = {"blood_pressure": item["version"]}
        return json_resp(200, {k: v for k, v in item.items() if k != "user"}, note="blood pressure stored")

    def bp_range(self, req, user, start, end):
        if not DATE_RE.match(start) or not DATE_RE.match(end):
            return json_resp(400, {"message": "dates must be YYYY-MM-DD"})
        days = {}
        for item in sorted(self.bp, key=lambda b: b["measurementTimestampGMT"]):
            day = item["measurementTimestampLocal"][:10]
            if item["user"] == user["name"] and start <= day <= end:
                days.setdefault(day, []).append({k: v for k, v in item.items() if k not in ("user", "uploadId")})
        summaries = [{"startDate": day, "endDate": day, "measurements": days[day]} for day in sorted(days)]
        return json_resp(200, {"from": start, "until": end, "measurementSummaries": summaries})

    def bp_delete(self, req, user, day, version):
        for item in self.bp:
            if item["user"] == user["name"] and str(item["version"]) == version \
                    and item["measurementTimestampLocal"][:10] == day:
                self.bp.remove(item)
                return empty_resp(204)
        return json_resp(404, {"message": "not found"}, note="unknown blood pressure version")


def exc_note(info):
    return f"FIT {info['error']['kind']} error: {info['error']['message']}"


def offset_problems(local, gmt):
    delta_s = (parse_ts_ms(local) - parse_ts_ms(gmt)) / 1000
    if abs(delta_s) > 14 * 3600:
        return [f"local and GMT timestamps differ by {delta_s:.0f} s (more than 14 h)"]
    if delta_s % 900:
        return [f"local and GMT timestamps differ by {delta_s:.0f} s, not a multiple of 15 min"]
    return []


def is_sso_path(path):
    return path.startswith(("/mobile/", "/portal/", "/sso/"))


def parse_oauth_header(value):
    params, order = {}, []
    for match in re.finditer(r'([A-Za-z0-9_\-]+)\s*=\s*"([^"]*)"', value.strip()[len("OAuth"):]):
        key, raw = unquote(match.group(1)), unquote(match.group(2))
        params[key] = raw
        order.append(key)
    return params, order


# method, path regex, handler, needs Bearer, run under the state lock
ROUTES = [(m, re.compile(p), h, b, lk) for m, p, h, b, lk in [
    ("GET", r"/(mobile|portal)/sso/([A-Za-z_\-]+)/sign-in", MockApp.sso_page, False, True),
    ("POST", r"/(mobile|portal)/api/login", MockApp.sso_login, False, True),
    ("POST", r"/(mobile|portal)/api/mfa/verifyCode", MockApp.sso_mfa, False, True),
    ("GET", r"/portal/sso/embed", MockApp.portal_embed, False, True),
    ("GET", r"/sso/embed", MockApp.widget_embed, False, True),
    ("GET", r"/sso/signin", MockApp.widget_signin_get, False, True),
    ("POST", r"/sso/signin", MockApp.widget_signin_post, False, True),
    ("GET", r"/sso/verifyMFA/loginEnterMfaCode", MockApp.widget_mfa_page, False, True),
    ("POST", r"/sso/verifyMFA/loginEnterMfaCode", MockApp.widget_mfa_submit, False, True),
    ("POST", r"/sso/verifyMFA/mfaCode", MockApp.widget_request_code, False, True),
    ("GET", r"/sso/login", MockApp.widget_login_token, False, True),
    ("GET", r"/oauth_consumer\.json", MockApp.oauth_consumer, False, True),
    ("GET", r"/oauth-service/oauth/preauthorized", MockApp.oauth_preauthorized, False, True),
    ("POST", r"/oauth-service/oauth/exchange/user/2\.0", MockApp.oauth_exchange, False, True),
    ("POST", r"/di-oauth2-service/oauth/token", MockApp.di_token, False, True),
    ("GET", r"/userprofile-service/socialProfile", MockApp.social_profile, True, True),
    ("GET", r"/userprofile-service/userprofile/user-settings", MockApp.user_settings, True, True),
    ("POST", r"/upload-service/upload(?:/(\.?[A-Za-z0-9]+))?", MockApp.upload, True, False),
    ("GET", r"/activity-service/activity/status/(\d+)/([0-9a-f]+)", MockApp.upload_status, True, True),
    ("POST", r"/bloodpressure-service/bloodpressure", MockApp.post_bp, True, True),
    ("GET", r"/bloodpressure-service/bloodpressure/range/([^/]+)/([^/]+)", MockApp.bp_range, True, True),
    ("DELETE", r"/bloodpressure-service/bloodpressure/([^/]+)/([^/]+)", MockApp.bp_delete, True, True),
    ("POST", r"/weight-service/user-weight", MockApp.post_weight, True, True),
    ("GET", r"/weight-service/weight/dayview/([^/]+)", MockApp.weight_dayview, True, True),
    ("GET", r"/weight-service/weight/dateRange", MockApp.weight_date_range, True, True),
    ("GET", r"/weight-service/weight/range/([^/]+)/([^/]+)", MockApp.weight_range, True, True),
    ("DELETE", r"/weight-service/weight/([^/]+)/byversion/([^/]+)", MockApp.weight_delete, True, True),
]]

LOGIN_POST_PATHS = ["/mobile/api/login", "/portal/api/login"]


def _scenario(doc):
    def register(fn):
        SCENARIOS[fn.__name__[3:]] = (doc, fn)
        return fn
    return register


SCENARIOS = {}


@_scenario("Back to the default config; drop every fault rule (state, tokens and the log are kept).")
def sc_default(app, p):
    app.config = json.loads(json.dumps(DEFAULT_CONFIG))
    app.faults = []


@_scenario("Login POSTs answer 429 with the Cloudflare HTML page (Server: cloudflare, Retry-After). "
           "Params: count (default: unlimited), retry_after.")
def sc_login_429(app, p):
    app.add_fault("login_429", LOGIN_POST_PATHS + ["/sso/signin"], 429, "POST", p.get("count"),
                  retry_after=p.get("retry_after", app.config["login_retry_after"]), kind="cloudflare")


@_scenario("Login POSTs answer 200 {\"error\":{\"status-code\":\"429\"}}. Params: count.")
def sc_login_429_json(app, p):
    app.add_fault("login_429_json", LOGIN_POST_PATHS, 429, "POST", p.get("count"), kind="json429")


@_scenario("Every SSO request (page GETs too) answers the Cloudflare 429 page. Params: count, retry_after.")
def sc_sso_429(app, p):
    app.add_fault("sso_429", ["/mobile/", "/portal/", "/sso/"], 429, None, p.get("count"),
                  retry_after=p.get("retry_after", app.config["login_retry_after"]), kind="cloudflare")


@_scenario("Login POSTs answer 403 with the Cloudflare challenge HTML. Params: count.")
def sc_login_403(app, p):
    app.add_fault("login_403", LOGIN_POST_PATHS + ["/sso/signin"], 403, "POST", p.get("count"), kind="cloudflare")


@_scenario("Every login answers 200 CAPTCHA_REQUIRED.")
def sc_login_captcha(app, p):
    app.config["login_behaviour"] = "captcha"


@_scenario("Every login answers 200 LOCKED (widget: title 'Account Locked').")
def sc_login_locked(app, p):
    app.config["login_behaviour"] = "locked"


@_scenario("Login POST needs the SESSION cookie of the sign-in page GET (403 SESSION_REQUIRED without).")
def sc_require_session_cookie(app, p):
    app.config["require_session_cookie"] = True


@_scenario("Wrong MFA codes allowed before 429. Params: attempts (default 3).")
def sc_mfa_max_attempts(app, p):
    app.config["mfa_max_attempts"] = int(p.get("attempts", 3))


@_scenario("Set the accepted DI client ids. Params: accepted (list).")
def sc_di_client_ids(app, p):
    app.config["di_accepted_client_ids"] = list(p["accepted"])


@_scenario("Accept only the first DI client id of the spec's list.")
def sc_di_accept_first(app, p):
    app.config["di_accepted_client_ids"] = [DI_CLIENT_IDS[0]]


@_scenario("Reject every DI client id (garmin-health-data #86).")
def sc_di_reject_all(app, p):
    app.config["di_accepted_client_ids"] = []


@_scenario("DI token endpoint answers 429 (JSON, Retry-After). Params: count, retry_after (default 60).")
def sc_di_429(app, p):
    app.add_fault("di_429", "/di-oauth2-service/oauth/token", 429, "POST", p.get("count"),
                  retry_after=p.get("retry_after", "60"))


@_scenario("Short token lifetimes. Params: expires_in (default 5) for DI and legacy OAuth2 access tokens, "
           "refresh_expires_in (optional) for DI refresh tokens.")
def sc_short_tokens(app, p):
    app.config["di_expires_in"] = int(p.get("expires_in", 5))
    app.config["oauth2_expires_in"] = int(p.get("expires_in", 5))
    if "refresh_expires_in" in p:
        app.config["di_refresh_expires_in"] = int(p["refresh_expires_in"])


@_scenario("The next Bearer request(s) get 401 'Token is not active' even with a good token. Params: count (1).")
def sc_reject_next_bearer(app, p):
    app.reject_bearer += int(p.get("count", 1))


@_scenario("Accepted uploads answer 201 instead of 202.")
def sc_upload_201(app, p):
    app.config["upload_status"] = 201


@_scenario("Uploads answer 500. Params: count (default unlimited).")
def sc_upload_500(app, p):
    app.add_fault("upload_500", "/upload-service/upload", 500, "POST", p.get("count"))


@_scenario("Uploads answer 429 with Retry-After. Params: count, retry_after (default '120').")
def sc_upload_429(app, p):
    app.add_fault("upload_429", "/upload-service/upload", 429, "POST", p.get("count"),
                  retry_after=p.get("retry_after", "120"))


@_scenario("Uploads are answered after delay_s seconds (default 5), then handled normally. Params: delay_s, count.")
def sc_upload_slow(app, p):
    app.add_fault("upload_slow", "/upload-service/upload", None, "POST", p.get("count"),
                  delay_s=float(p.get("delay_s", 5)))


@_scenario("Requests under path (default '/') are delayed by delay_s (default 5). "
           "Params: path, method, delay_s, count.")
def sc_api_slow(app, p):
    app.add_fault("api_slow", p.get("path", "/"), None, p.get("method"), p.get("count"),
                  delay_s=float(p.get("delay_s", 5)))


@_scenario("Requests under path answer status (default 500). Params: path (required), status, method, count, "
           "retry_after.")
def sc_api_error(app, p):
    app.add_fault("api_error", p["path"], int(p.get("status", 500)), p.get("method"), p.get("count"),
                  retry_after=p.get("retry_after"))


@_scenario("Blood-pressure JSON may omit pulse (python-garminconnect #426).")
def sc_bp_pulse_optional(app, p):
    app.config["bp_require_pulse"] = False


@_scenario("A @garmin/fitsdk decode failure is only logged, the upload is still accepted.")
def sc_fitsdk_lenient(app, p):
    app.config["fitsdk_strict"] = False


# ---------------------------------------------------------------------- HTTP plumbing

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "garmin-mock/1.0"
    sys_version = ""
    timeout = 120

    def version_string(self):
        return getattr(self, "_server_header", None) or self.server_version

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("garmin-mock: %s - %s\n" % (self.address_string(), fmt % args))

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self._send(json_resp(400, {"error": "unreadable body"}))
            return
        req = Request(self.command, self.path, self.headers, body, self.server.tls)
        resp = self.server.app.handle(req)
        self._send(resp)

    def _send(self, resp):
        self._server_header = resp.server
        try:
            self.send_response(resp.status)
            for key, value in resp.headers:
                self.send_header(key, value)
            if resp.content_type:
                self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            if self.command != "HEAD" and resp.body:
                self.wfile.write(resp.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, socket.timeout, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch


class MockServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False          # idle keep-alive connections must not delay SIGTERM
    allow_reuse_address = True

    def __init__(self, address, app, ssl_context, verbose):
        self.app = app
        self.ssl_context = ssl_context
        self.tls = ssl_context is not None
        self.verbose = verbose
        super().__init__(address, Handler)

    def finish_request(self, request, client_address):
        """The TLS handshake runs here, in the connection's own thread, so a stuck client blocks nobody."""
        if self.ssl_context is None:
            return super().finish_request(request, client_address)
        request.settimeout(30)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            with self.app.lock:
                self.app.counters["tls_failures"] += 1
            if self.verbose:
                sys.stderr.write(f"garmin-mock: TLS handshake with {client_address} failed: {exc}\n")
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, socket.timeout):
            pass
        finally:
            try:
                tls.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            tls.close()

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def write_atomic(path, text):
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Garmin Connect mock server (see README.md)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = ephemeral (default)")
    parser.add_argument("--port-file", help="write the port number (digits + newline) here once listening")
    parser.add_argument("--info-file", help="write {port, base_url, ca_file, pid} JSON here once listening")
    parser.add_argument("--ca-dir", help="directory for ca.pem/server.pem/server.key (made if missing; "
                                         "default: a fresh temporary directory)")
    parser.add_argument("--no-tls", action="store_true", help="plain HTTP (debugging only)")
    parser.add_argument("--fitcheck-dir", default=str(DEFAULT_FITCHECK_DIR),
                        help="folder with decode.mjs and node_modules/@garmin/fitsdk (default: tests/fitcheck)")
    parser.add_argument("--log-file", help="also append every request-log entry here as JSON lines")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    context, ca_file = None, None
    if not args.no_tls:
        ca_dir = Path(args.ca_dir or tempfile.mkdtemp(prefix="garmin-mock-ca-")).resolve()
        files = make_ca.make_ca(ca_dir)
        ca_file = files["ca_file"]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(files["cert_file"], files["key_file"])
        context.set_alpn_protocols(["http/1.1"])

    port_ref = [0]
    app = MockApp(args.fitcheck_dir, context is not None, port_ref, args.log_file)
    server = MockServer((args.host, args.port), app, context, args.verbose)
    port_ref[0] = server.server_address[1]
    app.shutdown_hook = lambda: server.shutdown()

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    scheme = "https" if context else "http"
    info = {"port": port_ref[0], "base_url": f"{scheme}://localhost:{port_ref[0]}", "ca_file": ca_file,
            "pid": os.getpid(), "fitsdk": (Path(args.fitcheck_dir) / "node_modules/@garmin/fitsdk").is_dir()}
    if args.info_file:
        write_atomic(args.info_file, json.dumps(info) + "\n")
    if args.port_file:
        write_atomic(args.port_file, f"{port_ref[0]}\n")
    print(json.dumps(info), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
