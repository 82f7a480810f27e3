"""The Debian package (cmake/Package.cmake, packaging/debian/): built with CPack from the build tree
under test, then checked as a user of `apt install ./ble2garmin_….deb` would meet it:

- its files, modes and owners (dpkg-deb -c), its control fields (dpkg-deb -f): the build machine's
  architecture, dependencies on Debian packages only;
- its maintainer scripts (dpkg-deb -e): the conffile, `sh -n`, and what each does when run with
  systemd "running" (a private /run in a mount namespace) and every tool it calls replaced by a stub
  that logs: the user and state directory created, systemd reloaded, the service never enabled or
  started by an install, only restarted by an upgrade when it was running, stopped on removal;
- installed for real into a throwaway root (dpkg --root, scripts run chrootless with DPKG_ROOT): the
  user created in that root's /etc/passwd and the machine's own untouched, /var/lib/ble2garmin 0700
  for it, the binary runs; removed, then purged: the history and the user stay;
- lintian: no error and no warning (the one override is justified in packaging/debian/lintian-overrides).

    /usr/bin/python3 tests/package/package_test.py BUILD_DIR ARTEFACT_DIR
"""
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

BUILD = Path(sys.argv[1]).resolve()
ARTEFACTS = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.gettempdir()) / "ble2garmin-package-artefacts"
# Cross-built (scripts/cross-test): the package is for the target, and its program runs under qemu.
HOST_ARCHITECTURE = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
ARCHITECTURE = os.environ.get("BLE2GARMIN_DEB_ARCHITECTURE", HOST_ARCHITECTURE)
EMULATOR = shlex.split(os.environ.get("BLE2GARMIN_EMULATOR", ""))

# Every file the package holds, by hand (directories aside).
EXPECTED_FILES = {
    "./etc/ble2garmin/ble2garmin.toml.example": 0o644,
    "./usr/bin/ble2garmin": 0o755,
    "./usr/lib/systemd/system/ble2garmin.service": 0o644,
    "./usr/lib/sysusers.d/ble2garmin.conf": 0o644,
    "./usr/lib/tmpfiles.d/ble2garmin.conf": 0o644,
    "./usr/share/doc/ble2garmin/README.md": 0o644,
    "./usr/share/doc/ble2garmin/ble2garmin.toml.example": 0o644,
    "./usr/share/doc/ble2garmin/changelog.Debian.gz": 0o644,
    "./usr/share/doc/ble2garmin/configuration.md": 0o644,
    "./usr/share/doc/ble2garmin/copyright": 0o644,
    "./usr/share/doc/ble2garmin/garmin.md": 0o644,
    "./usr/share/doc/ble2garmin/migrating-from-export2garmin.md": 0o644,
    "./usr/share/doc/ble2garmin/operations.md": 0o644,
    "./usr/share/doc/ble2garmin/report.md": 0o644,
    "./usr/share/lintian/overrides/ble2garmin": 0o644,
    "./usr/share/man/man1/ble2garmin.1.gz": 0o644,
}
STUBBED = ["systemd-sysusers", "systemd-tmpfiles", "systemctl", "deb-systemd-invoke", "deb-systemd-helper"]


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        built = run(["cpack", "-G", "DEB", "-B", str(cls.dir / "out"), "--config", str(BUILD / "CPackConfig.cmake"),
                     "-D", "CPACK_INSTALL_PREFIX=/usr"], cwd=BUILD)
        assert built.returncode == 0, built.stdout + built.stderr
        [cls.deb] = (cls.dir / "out").glob("ble2garmin_*.deb")
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(cls.deb, ARTEFACTS / cls.deb.name)
        cls.control = cls.dir / "control"
        extracted = run(["dpkg-deb", "-e", str(cls.deb), str(cls.control)])
        assert extracted.returncode == 0, extracted.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def field(self, name):
        return run(["dpkg-deb", "-f", str(self.deb), name]).stdout.strip()

    # --- contents and control ----------------------------------------------------------------------

    def test_files_modes_and_owners(self):
        listing = run(["dpkg-deb", "-c", str(self.deb)]).stdout.splitlines()
        files = {}
        for line in listing:
            mode, owner, _, _, _, path = line.split(None, 5)
            self.assertEqual(owner, "root/root", line)
            if not mode.startswith("d"):
                files[path] = mode
        expected = {path: stat.filemode(stat.S_IFREG | mode) for path, mode in EXPECTED_FILES.items()}
        self.assertEqual(files, expected)

    def test_control_fields(self):
        self.assertEqual(self.field("Package"), "ble2garmin")
        self.assertEqual(self.field("Version"), "0.1.0-1")
        self.assertEqual(self.field("Architecture"), ARCHITECTURE)
        self.assertEqual(self.deb.name, f"ble2garmin_0.1.0-1_{self.field('Architecture')}.deb")
        depends = [d.strip().split(" ")[0] for d in self.field("Depends").split(",")]
        for package in ("bluez", "systemd", "init-system-helpers", "libc6", "libsdbus-c++1", "libcurl4"):
            self.assertIn(package, depends)
        # Every dependency is a package this machine (Debian 12) knows.
        for package in depends:
            self.assertEqual(run(["apt-cache", "show", "--no-all-versions", package]).returncode, 0, package)

    def test_binary_is_stripped_and_man_page_from_help(self):
        root = self.dir / "contents"
        run(["dpkg-deb", "-x", str(self.deb), str(root)])
        self.assertNotIn(b".debug_info", (root / "usr/bin/ble2garmin").read_bytes())
        page = run(["zcat", str(root / "usr/share/man/man1/ble2garmin.1.gz")]).stdout
        self.assertIn(".TH BLE2GARMIN \"1\"", page)
        for command in ("status", "report", "run", "upload"):
            self.assertIn(f".SS {command}\n", page)

    def test_conffile_and_script_syntax(self):
        self.assertEqual((self.control / "conffiles").read_text(), "/etc/ble2garmin/ble2garmin.toml.example\n")
        for script in ("postinst", "prerm", "postrm"):
            path = self.control / script
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o755)
            self.assertEqual(run(["sh", "-n", str(path)]).returncode, 0, script)
        postinst = (self.control / "postinst").read_text()
        # Never enabled or started by the package: only a restart of a running service on upgrade.
        code = "\n".join(line for line in postinst.splitlines() if not line.lstrip().startswith(("#", "echo")))
        self.assertNotRegex(code, r"\benable\b|\bstart\b(?! ble2garmin)")
        self.assertNotIn("deb-systemd-invoke start", code)

    # --- maintainer scripts with systemd "running" and stubs --------------------------------------

    def run_script(self, script, *arguments):
        """Runs a maintainer script as dpkg would on a systemd machine, every tool it calls a stub that
        logs its arguments; returns (exit code, the calls, stdout)."""
        stubs = self.dir / "stubs"
        stubs.mkdir(exist_ok=True)
        log = self.dir / "calls.log"
        log.write_text("")
        for tool in STUBBED:
            (stubs / tool).write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\n')
            (stubs / tool).chmod(0o755)
        path = f"{stubs}:/usr/sbin:/usr/bin:/sbin:/bin"
        result = run(["unshare", "--mount", "sh", "-c",
                      'mount -t tmpfs none /run && mkdir -p /run/systemd/system && exec env PATH="$0" sh "$@"',
                      path, str(self.control / script), *arguments])
        if os.geteuid() != 0:
            self.skipTest("a mount namespace needs root (CI runs as root)")
        if "unshare failed" in result.stderr or "Operation not permitted" in result.stderr:
            self.skipTest(f"no mount namespace here ({result.stderr.strip()}); the dpkg --root test still runs")
        return result.returncode, log.read_text().splitlines(), result.stdout

    def test_fresh_install_creates_user_reloads_and_does_not_start(self):
        code, calls, stdout = self.run_script("postinst", "configure", "")
        self.assertEqual(code, 0)
        self.assertEqual(calls, ["systemd-sysusers ble2garmin.conf", "systemd-tmpfiles --create ble2garmin.conf",
                                 "systemctl --system daemon-reload"])
        self.assertIn("ble2garmin: not started: write /etc/ble2garmin/ble2garmin.toml", stdout)
        self.assertIn("systemctl enable --now ble2garmin", stdout)

    def test_upgrade_restarts_only_a_running_service(self):
        code, calls, _ = self.run_script("postinst", "configure", "0.0.9-1")
        self.assertEqual(code, 0)
        self.assertEqual(calls[-1], "deb-systemd-invoke try-restart ble2garmin.service")
        self.assertEqual(len(calls), 4)

    def test_remove_stops_upgrade_does_not(self):
        self.assertEqual(self.run_script("prerm", "remove")[1], ["deb-systemd-invoke stop ble2garmin.service"])
        self.assertEqual(self.run_script("prerm", "upgrade", "0.2.0-1")[1], [])
        self.assertEqual(self.run_script("postrm", "remove")[1], ["systemctl --system daemon-reload"])
        self.assertEqual(self.run_script("postrm", "purge")[1],
                         ["systemctl --system daemon-reload", "deb-systemd-helper purge ble2garmin.service"])

    # --- installed into a throwaway root ------------------------------------------------------------

    def test_install_remove_purge_in_a_throwaway_root(self):
        if os.geteuid() != 0:
            self.skipTest("dpkg --root needs root to give the files their owners (CI runs as root)")
        root = self.dir / "root"
        for directory in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"):
            (root / directory).mkdir(parents=True)
        (root / "var/lib/dpkg/status").write_text("")
        for name in ("passwd", "group", "shadow", "gshadow"):
            if Path("/etc", name).exists():
                shutil.copy(Path("/etc", name), root / "etc" / name)
        host_passwd = Path("/etc/passwd").read_text()
        dpkg = ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null"]

        if ARCHITECTURE != HOST_ARCHITECTURE:
            added = run(dpkg + ["--add-architecture", ARCHITECTURE])
            self.assertEqual(added.returncode, 0, added.stderr)
        installed = run(dpkg + ["-i", str(self.deb)])
        self.assertEqual(installed.returncode, 0, installed.stdout + installed.stderr)
        self.assertIn("not started: write /etc/ble2garmin/ble2garmin.toml", installed.stdout)
        user = [line for line in (root / "etc/passwd").read_text().splitlines() if line.startswith("ble2garmin:")]
        self.assertEqual(len(user), 1, user)
        uid = int(user[0].split(":")[2])
        self.assertTrue(user[0].endswith(":/usr/sbin/nologin"), user)
        self.assertEqual(Path("/etc/passwd").read_text(), host_passwd)  # the machine's own: untouched
        state = (root / "var/lib/ble2garmin").stat()
        self.assertEqual((stat.S_IMODE(state.st_mode), state.st_uid), (0o700, uid))
        self.assertFalse((root / "etc/ble2garmin/ble2garmin.toml").exists())
        version = run(EMULATOR + [str(root / "usr/bin/ble2garmin"), "--version"])
        self.assertEqual(version.stdout.strip(), "ble2garmin 0.1.0")
        # Nothing enabled the unit.
        self.assertFalse((root / "etc/systemd/system/multi-user.target.wants/ble2garmin.service").exists())

        (root / "var/lib/ble2garmin/miscale_backup.csv").write_text("history\n")
        removed = run(dpkg + ["-r", "ble2garmin"])
        self.assertEqual(removed.returncode, 0, removed.stdout + removed.stderr)
        self.assertFalse((root / "usr/bin/ble2garmin").exists())
        self.assertTrue((root / "etc/ble2garmin/ble2garmin.toml.example").exists())  # a conffile stays
        purged = run(dpkg + ["-P", "ble2garmin"])
        self.assertEqual(purged.returncode, 0, purged.stdout + purged.stderr)
        self.assertFalse((root / "etc/ble2garmin/ble2garmin.toml.example").exists())
        self.assertEqual((root / "var/lib/ble2garmin/miscale_backup.csv").read_text(), "history\n")
        self.assertIn("ble2garmin:", (root / "etc/passwd").read_text())

    def test_lintian_reports_nothing(self):
        if shutil.which("lintian") is None:
            self.fail("lintian is not installed: run scripts/install-deps")
        result = run(["lintian", "--fail-on", "error,warning", str(self.deb)])
        (ARTEFACTS / "lintian.txt").write_text(result.stdout + result.stderr)
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
