"""`ble2garmin report` over a seeded two-year history of two people (history_seed.py), checked in the
page's text and in headless Chromium (Debian's chromium): SVG charts with their axis labels, no
console message (a page with one is the control that the check can fail), no overflow at 390 px and
1280 px, screenshots at both widths kept as artefacts, under 1 MB, memory flat with the history.

    /usr/bin/python3 tests/integration/report_test.py path/to/ble2garmin ARTEFACT_DIR

Expected values are worked out by hand from history_seed.py's lines (see each assertion).
"""
import html
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import history_seed  # noqa: E402

BINARY = sys.argv[1]
ARTEFACTS = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.gettempdir()) / "ble2garmin-report-artefacts"
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium(page: Path, *arguments):
    """Runs headless Chromium on `page` with a fresh profile; (stdout, stderr)."""
    if CHROMIUM is None:
        raise AssertionError("chromium is not installed: run scripts/install-deps")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments,
                                 page.as_uri()], capture_output=True, text=True, timeout=120)
    return result.stdout, result.stderr


def console_lines(stderr: str):
    """Chromium's log lines of the page's console (console.*, CSP refusals, script errors)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_size(path: Path):
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


class Sections(html.parser.HTMLParser):
    """Per user section: the figure captions, the SVG count, the texts and the CSV link."""

    def __init__(self):
        super().__init__()
        self.sections = {}
        self.current = None
        self.in_caption = False
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "section":
            self.current = {"captions": [], "svgs": 0, "text": "", "csv": None}
            self.sections[attributes["id"]] = self.current
        elif self.current is not None:
            if tag == "svg":
                self.current["svgs"] += 1
            elif tag == "figcaption":
                self.in_caption = True
            elif tag == "a" and attributes.get("href", "").startswith("data:text/csv"):
                self.current["csv"] = urllib.parse.unquote(attributes["href"].split(",", 1)[1])

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.in_caption = False

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data + "\n"
            if self.in_caption:
                self.current["captions"].append(data)


def eu_category(sys_, dia):
    """export2garmin's eu table (shared/spec/device-omron.md §9.2), written here from the spec."""
    if sys_ < 130 and dia < 85:
        return "Normal"
    if (130 <= sys_ <= 139 and dia < 85) or (sys_ < 130 and 85 <= dia <= 89):
        return "High-Normal"
    if (140 <= sys_ <= 159 and dia < 90) or (sys_ < 140 and 90 <= dia <= 99):
        return "Grade_1"
    if (160 <= sys_ <= 179 and dia < 100) or (sys_ < 160 and 100 <= dia <= 109):
        return "Grade_2"
    return "None"


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        cls.state = cls.dir / "state"
        history_seed.seed(cls.state, people=2, days=730, pending_days=2)
        cls.config = cls.dir / "ble2garmin.toml"
        cls.config.write_text(history_seed.config(cls.state, 2))
        cls.page = cls.dir / "report.html"
        cls.result = cls.report("--output", str(cls.page))
        ARTEFACTS.mkdir(parents=True, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def report(cls, *arguments, config=None):
        return subprocess.run([BINARY, "report", "--config", str(config or cls.config), *arguments],
                              capture_output=True, text=True, timeout=120)

    def sections(self, page=None):
        parser = Sections()
        parser.feed((page or self.page).read_text())
        return parser.sections

    # --- the page ---------------------------------------------------------------------------------

    def test_report_written_small_private_and_said_in_one_line(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        # 2 × 730 weighings; anna's cuff every third day: days 0, 3, …, 729 = 244 readings.
        self.assertRegex(self.result.stdout, r"^report: .*report\.html \(\d+ KiB\): 2 user\(s\), 1460 weighings, "
                                             r"244 blood-pressure readings, in \d+ ms\n$")
        self.assertLess(self.page.stat().st_size, 1_000_000)
        self.assertEqual(self.page.stat().st_mode & 0o777, 0o600)
        shutil.copy(self.page, ARTEFACTS / "report.html")

    def test_self_contained_no_script_no_network(self):
        text = self.page.read_text()
        self.assertNotIn("<script", text)
        self.assertNotIn("<link", text)
        self.assertNotRegex(text, r"\bsrc=")
        self.assertNotRegex(text, r"https?://")
        self.assertIn("default-src 'none'", text)

    def test_charts_axes_and_bands_per_user(self):
        sections = self.sections()
        self.assertEqual(list(sections), ["user-0", "user-1"])
        anna, ben = sections["user-0"], sections["user-1"]
        scale_charts = ["Weight (kg)", "Body fat (%)", "Muscle (kg)", "Water (%)", "Visceral fat (level)"]
        self.assertEqual(anna["captions"], scale_charts + ["Blood pressure (mmHg)", "Pulse (bpm)"])
        self.assertEqual(anna["svgs"], 7)
        self.assertEqual(ben["captions"], scale_charts)  # no cuff
        self.assertEqual(ben["svgs"], 5)
        # 2024-01-01 … 2025-12-30 is 729 days: a label every six months, from the first January or
        # July after the start.
        for label in ("07/24", "01/25", "07/25"):
            self.assertIn(label, anna["text"])
        self.assertNotIn("01/24", anna["text"])
        self.assertNotIn("01/26", anna["text"])
        # anna's weight 70.0 → 62.7, ±0.5 margin: 62.2 … 70.5 → ticks of 2 from 62 to 72.
        weight_svg = re.search(r"Weight \(kg\)</figcaption><svg.*?</svg>", self.page.read_text()).group(0)
        self.assertEqual(re.findall(r'text-anchor="end">([\d.]+)<', weight_svg), ["62", "64", "66", "68", "70", "72"])
        # BMI classes at 170 cm: normal 53.5–72.25 kg covers the axis; overweight starts above it.
        self.assertIn("normal (BMI 18.5–25)", anna["text"])
        self.assertNotIn("overweight", anna["text"])
        # ben, 185 cm, 95.0 → 102.3 kg: overweight 85.6–102.7 kg, obese above, axis 94–104.
        self.assertIn("overweight (BMI 25–30)", ben["text"])
        self.assertIn("obese (BMI ≥ 30)", ben["text"])
        self.assertNotIn("normal (BMI", ben["text"])

    def test_summary_tables_and_categories(self):
        anna, ben = self.sections()["user-0"], self.sections()["user-1"]
        self.assertIn("730 weighings from 2024-01-01 07:00 to 2025-12-30 07:00; latest 62.7 kg, -7.3 kg since the "
                      "first.", anna["text"].replace("\n", ""))
        # ben: 95.0 → 95.0 + 0.01 × 729 = 102.3 kg, BMI 102.3 / 1.85² = 29.9 (local rows carry it).
        self.assertIn("latest 102.3 kg (BMI 29.9), +7.3 kg since the first.", ben["text"].replace("\n", ""))
        rows = re.findall(r"<tr><td>(2025-12-\d\d \d\d:\d\d)</td><td>([\d.]+)</td>.*?<td class=\"status (\w+)\">",
                          self.page.read_text().split('id="user-1"')[0])
        self.assertEqual(rows[0], ("2025-12-30 07:00", "62.7", "to_import"))
        self.assertEqual(rows[1], ("2025-12-29 07:00", "62.7", "to_import"))  # 70 − 7.28 = 62.72
        self.assertEqual(rows[2], ("2025-12-28 07:00", "62.7", "uploaded"))
        counts = {}
        for day in range(0, 730, 3):
            category = eu_category(112 + day % 50, 72 + day % 30)
            counts[category] = counts.get(category, 0) + 1
        for category, count in counts.items():
            word = "None (beyond the tables)" if category == "None" else category
            self.assertIn(f" {word} {count}", anna["text"].replace("\n", ""))

    def test_every_row_in_the_csv_link(self):
        anna = self.sections()["user-0"]
        lines = anna["csv"].splitlines()
        self.assertEqual(lines[0], "time,weight_kg,bmi,body_fat_percent,muscle_kg,water_percent,visceral_fat,status")
        # Day 0: 70.0 kg, BMI 70 / 1.7² = 24.2, fat 30.0, muscle 45.0, water 50.0, visceral 6.
        self.assertEqual(lines[1], "2024-01-01T07:00:00Z,70,24.2,30,45,50,6,uploaded")
        self.assertEqual(lines[730], "2025-12-30T07:00:00Z,62.7,,,,,,to_import")
        self.assertEqual(lines[731], "time,systolic_mmhg,diastolic_mmhg,pulse_bpm,category,status")
        self.assertEqual(lines[732], "2024-01-01T07:02:00Z,112,72,64,Normal,uploaded")
        self.assertEqual(len(lines), 1 + 730 + 1 + 244)

    def test_user_and_since(self):
        page = self.dir / "anna-2025.html"
        result = self.report("--user", "anna", "--since", "2025-01-01", "--output", str(page))
        self.assertEqual(result.returncode, 0, result.stderr)
        # Days 366 … 729 (2025-01-01 … 2025-12-30): 364 weighings; cuff days 366, 369, …, 729: 122.
        self.assertIn("1 user(s), 364 weighings, 122 blood-pressure readings", result.stdout)
        self.assertEqual(list(self.sections(page)), ["user-0"])

    def test_refusals_in_one_line(self):
        result = self.report("--user", "zoe", "--output", str(self.dir / "zoe.html"))
        self.assertEqual((result.returncode, result.stderr), (1, "report: no user named 'zoe' in the configuration\n"))
        self.assertFalse((self.dir / "zoe.html").exists())
        result = self.report("--since", "last week", "--output", str(self.dir / "x.html"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("--since last week: expected a date as YYYY-MM-DD", result.stderr)
        link = self.dir / "link.html"
        link.symlink_to(self.dir / "elsewhere.html")
        result = self.report("--output", str(link))
        self.assertEqual(result.returncode, 1)
        self.assertFalse((self.dir / "elsewhere.html").exists())

    def test_memory_does_not_grow_with_the_history(self):
        # Twenty years of the same two people: ten times the rows, the same charts and tables.
        big = self.dir / "big"
        history_seed.seed(big / "state", people=2, days=7300, pending_days=2)
        config = big / "ble2garmin.toml"
        config.write_text(history_seed.config(big / "state", 2))
        small_rss, _ = self.peak_rss(self.config, self.dir / "small.html")
        large_rss, output = self.peak_rss(config, big / "report.html")
        print(f"report peak RSS: 2 years {small_rss} KiB, 20 years {large_rss} KiB; {output.strip()}",
              file=sys.stderr)
        if os.environ.get("BLE2GARMIN_ASSERT_FIGURES") == "1":
            self.assertLess(large_rss - small_rss, 2048, (small_rss, large_rss))  # KiB
        else:
            print("peak RSS not asserted: a Debug or sanitizer build (BLE2GARMIN_ASSERT_FIGURES unset)",
                  file=sys.stderr)

    @staticmethod
    def peak_rss(config, output):
        """The peak RSS (KiB) of one `report` process alone (wait4's rusage) and its stdout."""
        process = subprocess.Popen([BINARY, "report", "--config", str(config), "--output", str(output)],
                                   stdout=subprocess.PIPE, text=True)
        with process.stdout:
            stdout = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.returncode == 0, stdout
        return usage.ru_maxrss, stdout

    # --- in Chromium -------------------------------------------------------------------------------

    def test_console_check_can_fail(self):
        control = self.dir / "control.html"
        control.write_text('<!doctype html><html><body><script>console.error("control")</script></body></html>')
        _, stderr = chromium(control, "--dump-dom")
        self.assertTrue(console_lines(stderr), "Chromium's console lines are not in its log: the check is blind")

    def test_no_console_message_in_chromium(self):
        dom, stderr = chromium(self.page, "--dump-dom")
        self.assertEqual(console_lines(stderr), [])
        self.assertEqual(dom.count("<svg"), 12)

    def test_fits_phone_and_desktop_widths_with_screenshots(self):
        # The report in an iframe of the width (headless Chromium's own window is at least 500 px wide
        # for --dump-dom), and a probe in the outer page that writes the report's scroll width into the
        # DOM: the report itself has no script and forbids one.
        for width in (390, 1280):
            measured = self.scroll_width(self.page.read_text(), width)
            self.assertLessEqual(measured, width, f"the page is {measured} px wide in a {width} px window")
            shot = ARTEFACTS / f"report-{width}.png"
            shot.unlink(missing_ok=True)
            _, stderr = chromium(self.page, f"--window-size={width},2400", f"--screenshot={shot}")
            self.assertTrue(shot.exists(), stderr[-2000:])
            self.assertEqual(png_size(shot), (width, 2400))
            self.assertGreater(shot.stat().st_size, 20_000)  # charts drawn, not a blank page

    def scroll_width(self, page_text, width):
        probe = self.dir / f"probe-{width}.html"
        probe.write_text(f'<!doctype html><html><body style="margin:0"><iframe id="page" style="width:{width}px;'
                         f'height:900px;border:0" srcdoc="{html.escape(page_text, quote=True)}"></iframe><script>'
                         "window.onload = () => document.body.setAttribute('data-width', document.getElementById("
                         "'page').contentDocument.documentElement.scrollWidth)</script></body></html>")
        dom, stderr = chromium(probe, "--window-size=1400,900", "--dump-dom")
        found = re.search(r'data-width="(\d+)"', dom)
        self.assertTrue(found, stderr[-2000:])
        return int(found.group(1))

    def test_width_check_can_fail(self):
        self.assertGreater(self.scroll_width('<div style="width:2000px">x</div>', 390), 390)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
