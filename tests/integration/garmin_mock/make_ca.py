#!/usr/bin/python3
"""Throwaway CA + localhost server certificate for the Garmin Connect mock, made with the openssl CLI.

Usage: make_ca.py DIR        -> DIR/ca.pem (trust this), DIR/server.pem + DIR/server.key (server side)
As a module: make_ca(dir) returns {"ca_file", "cert_file", "key_file"}; existing files are reused.

The server certificate is valid for DNS:localhost, IP:127.0.0.1 and IP:::1, carries serverAuth,
SubjectKeyIdentifier/AuthorityKeyIdentifier, and is signed by a CA with basicConstraints CA:TRUE, so
strict verifiers (OpenSSL X509_V_FLAG_X509_STRICT, libcurl, Python) accept it. Keys are P-256 and
unencrypted: they exist only for the duration of a test run.
"""
import os
import secrets
import subprocess
import sys
from pathlib import Path

DAYS = "30"


def _openssl(*args, cwd):
    run = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")


def make_ca(directory):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {"ca_file": directory / "ca.pem", "cert_file": directory / "server.pem",
             "key_file": directory / "server.key"}
    if all(path.is_file() and path.stat().st_size > 0 for path in files.values()):
        return {k: str(v) for k, v in files.items()}
    (directory / "ca.ext").write_text(
        "basicConstraints=critical,CA:TRUE\n"
        "keyUsage=critical,keyCertSign,cRLSign\n"
        "subjectKeyIdentifier=hash\n")
    (directory / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid,issuer\n")
    old_umask = os.umask(0o077)
    try:
        _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key", cwd=directory)
        _openssl("req", "-new", "-key", "ca.key", "-subj", "/CN=ble2garmin Garmin mock test CA", "-out", "ca.csr",
                 cwd=directory)
        _openssl("x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-days", DAYS, "-sha256",
                 "-extfile", "ca.ext", "-set_serial", str(secrets.randbits(63)), "-out", "ca.pem", cwd=directory)
        _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key", cwd=directory)
        _openssl("req", "-new", "-key", "server.key", "-subj", "/CN=localhost", "-out", "server.csr", cwd=directory)
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", DAYS,
                 "-sha256", "-extfile", "server.ext", "-set_serial", str(secrets.randbits(63)),
                 "-out", "server.pem", cwd=directory)
    finally:
        os.umask(old_umask)
    for leftover in ("ca.csr", "server.csr", "ca.ext", "server.ext"):
        (directory / leftover).unlink(missing_ok=True)
    (directory / "ca.pem").chmod(0o644)
    (directory / "server.pem").chmod(0o644)
    return {k: str(v) for k, v in files.items()}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_ca.py DIR")
    for key, value in make_ca(sys.argv[1]).items():
        print(f"{key}={value}")
