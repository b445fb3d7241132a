"""Render the HTML report in headless Chromium.

These tests check what a reader actually sees: the demo report is screenshotted and the PNG is
decoded (standard library only) to make sure it is not blank, the rendered DOM is dumped and
searched for the expected content, and a hostile article is rendered to make sure nothing in it
turns into live markup or script.

Chromium is looked up on PATH (``chromium``, ``chromium-browser``, ...) or taken from
``$LAGEBILD_CHROMIUM``; without it the tests are skipped. ``scripts/setup-chromium.sh``
installs it. The demo screenshot is also copied to ``out/report-screenshot.png`` for humans.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lagebild import api
from lagebild.config import load_config

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
SCREENSHOT_COPY = ROOT / "out" / "report-screenshot.png"

TIMEOUT_S = 60
WINDOW = (1280, 2000)

# Without these flags headless Chromium tries to reach Google services and, on a machine whose
# network is blocked, can hang until the timeout.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------------------------
# Chromium helpers


def find_chromium() -> str | None:
    override = os.environ.get("LAGEBILD_CHROMIUM")
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            "no Chromium binary found (looked for chromium, chromium-browser, google-chrome; "
            "or set LAGEBILD_CHROMIUM); run `bash scripts/setup-chromium.sh` to install it"
        )
    return binary


def run_chromium(binary: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run headless Chromium with a fresh profile; kill its whole process group on timeout."""
    with tempfile.TemporaryDirectory(prefix="lagebild-chromium-") as profile:
        cmd = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own process group, so the renderer/zygote children die too
        )
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(
                f"chromium did not finish within {TIMEOUT_S}s: {' '.join(cmd)}\n"
                f"stderr tail:\n{err.decode(errors='replace')[-2000:]}"
            )
        finally:
            # The browser may leave helpers behind in its group; they are ours, end them.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def screenshot(binary: str, html: Path, png: Path) -> None:
    result = run_chromium(
        binary,
        f"--screenshot={png}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        html.resolve().as_uri(),
    )
    assert result.returncode == 0, f"chromium --screenshot failed:\n{result.stderr.decode(errors='replace')}"
    assert png.is_file(), (
        f"chromium exited 0 but wrote no screenshot:\n{result.stderr.decode(errors='replace')}"
    )


def dump_dom(binary: str, html: Path) -> str:
    result = run_chromium(binary, "--virtual-time-budget=2000", "--dump-dom", html.resolve().as_uri())
    assert result.returncode == 0, f"chromium --dump-dom failed:\n{result.stderr.decode(errors='replace')}"
    dom = result.stdout.decode("utf-8", errors="replace")
    assert dom.strip(), "chromium --dump-dom printed nothing"
    return dom


# --------------------------------------------------------------------------------------------
# A small PNG decoder (8-bit greyscale / RGB / RGBA, not interlaced), standard library only


@dataclass
class Image:
    width: int
    height: int
    channels: int
    pixels: bytes  # unfiltered scanlines, width * channels bytes per row, no filter bytes

    def rows(self) -> list[bytes]:
        stride = self.width * self.channels
        return [self.pixels[y * stride : (y + 1) * stride] for y in range(self.height)]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> Image:
    assert data[:8] == PNG_SIGNATURE, "not a PNG file (bad signature)"
    pos = 8
    header: tuple[int, ...] | None = None
    idat = bytearray()
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"PNG chunk {kind!r} has a bad CRC"
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header is not None, "PNG has no IHDR chunk"
    width, height, depth, colour_type, _compression, _filter, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    assert depth == 8 and channels is not None and interlace == 0, (
        f"unsupported PNG format for this decoder: depth={depth} colour_type={colour_type} "
        f"interlace={interlace}"
    )
    raw = zlib.decompress(bytes(idat))
    bpp = channels
    stride = width * bpp
    assert len(raw) == height * (stride + 1), "PNG image data has the wrong length"

    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 0:  # None
            pass
        elif ftype == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif ftype == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:  # Paeth
            for i in range(stride):
                if i >= bpp:
                    line[i] = (line[i] + _paeth(line[i - bpp], prev[i], prev[i - bpp])) & 0xFF
                else:
                    line[i] = (line[i] + prev[i]) & 0xFF
        else:
            raise AssertionError(f"PNG row {y} has unknown filter type {ftype}")
        out[y * stride : (y + 1) * stride] = line
        prev = line
    return Image(width, height, channels, bytes(out))


def colour_stats(image: Image) -> tuple[Counter[bytes], int]:
    """Histogram of RGB colours (alpha dropped) and the total pixel count."""
    c = image.channels
    counts: Counter[bytes] = Counter()
    for row in image.rows():
        if c == 3:
            counts.update(row[i : i + 3] for i in range(0, len(row), 3))
        elif c == 4:
            counts.update(row[i : i + 3] for i in range(0, len(row), 4))
        else:  # greyscale (+ alpha): expand to RGB for a uniform key
            counts.update(bytes((row[i],) * 3) for i in range(0, len(row), c))
    return counts, image.width * image.height


# --------------------------------------------------------------------------------------------
# DOM inspection


class DomScan(HTMLParser):
    """Collects what the XSS check needs from a serialised DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.handler_attrs: list[tuple[str, str, str]] = []
        self.script_urls: list[tuple[str, str, str]] = []
        self.title = ""  # the document's <title> (SVG <title> tooltips may show article text)
        self.text: list[str] = []
        self._in_title = False
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.handler_attrs.append((tag, name, value))
            squashed = "".join(value.split()).lower()
            if name in {"href", "src", "action", "formaction", "xlink:href"} and squashed.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.script_urls.append((tag, name, value))
        if tag == "svg":
            self._svg_depth += 1
        if tag == "title" and not self._svg_depth:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth = max(0, self._svg_depth - 1)
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data


def scan_dom(dom: str) -> DomScan:
    scan = DomScan()
    scan.feed(dom)
    scan.close()
    return scan


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("demo-report")
    cwd = os.getcwd()
    os.chdir(ROOT)  # the corpus path is relative to the repo root, as in the README
    try:
        summary = api.analyze(
            ["examples/corpus"],
            db=str(tmp_path / "demo.db"),
            config=load_config(),
            report=str(tmp_path / "report.html"),
        )
    finally:
        os.chdir(cwd)
    assert summary.added > 0, f"the demo corpus produced no articles: {summary}"
    report = tmp_path / "report.html"
    assert report.is_file() and report.stat().st_size > 0
    return report


# --------------------------------------------------------------------------------------------
# Tests


def test_demo_report_screenshot_is_not_blank(chromium: str, demo_report: Path) -> None:
    png = demo_report.with_name("report.png")
    screenshot(chromium, demo_report, png)

    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, SCREENSHOT_COPY)

    data = png.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "screenshot is not a PNG"
    # A blank 1280x2000 page compresses to a few KB; a real report is far larger. 50 MB would
    # mean something is badly wrong (e.g. a huge window size).
    assert 20_000 < len(data) < 50_000_000, f"implausible screenshot size: {len(data)} bytes"

    image = decode_png(data)
    assert (image.width, image.height) == WINDOW, f"screenshot is {image.width}x{image.height}"

    counts, total = colour_stats(image)
    distinct = len(counts)
    non_white = total - counts.get(b"\xff\xff\xff", 0)
    _dominant, dominant_count = counts.most_common(1)[0]
    not_background = total - dominant_count
    # Anti-aliased text, the header band and the bar charts give hundreds of colours.
    assert distinct > 64, f"only {distinct} distinct colours: the page looks blank or broken"
    assert non_white / total > 0.02, f"only {non_white / total:.1%} non-white pixels"
    # A page of one solid non-white colour would pass the check above; require real content.
    assert not_background / total > 0.02, (
        f"only {not_background / total:.1%} of the pixels differ from the background colour"
    )


def test_demo_report_dom_has_content(chromium: str, demo_report: Path) -> None:
    dom = dump_dom(chromium, demo_report)
    scan = scan_dom(dom)
    assert "lagebild" in scan.title.lower(), f"unexpected <title>: {scan.title!r}"
    assert "Corpus overview" in dom
    for title in (
        "Die ungleiche Umarmung",
        "The Uneven Embrace",
        "Lawrow und Wang Yi: Moskau und Peking rücken gegen neue Sanktionen zusammen",
    ):
        assert title in dom, f"article title {title!r} missing from the rendered report"
    # Quotes found in the demo corpus: the corpus index and per-article lists.
    assert "Who said what" in dom and 'class="speaker"' in dom


EVIL_TITLE = "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"
EVIL_ARTICLE = f"""# {EVIL_TITLE}

<script>alert(1)</script>

Die Regierung in Berlin hat am Montag neue Gespräche mit den Nachbarländern angekündigt, wie eine \
Erklärung des Ministeriums [klick](javascript:alert(1)) zeigt. Nach Angaben eines Sprechers sollen \
die Verhandlungen noch vor dem Sommer beginnen. Beobachter erwarten allerdings keine schnellen \
Ergebnisse, weil die Positionen der Beteiligten weit auseinanderliegen. Die Opposition kritisierte \
das Vorgehen der Regierung als zu zögerlich.

„<script>document.title='PWNED'</script> Wir liefern keine Waffen an <b onmouseover=alert(1)>niemanden</b>“, sagte der Sprecher <img src=x onerror="document.title='PWNED'"> am Montag.
"""


def test_hostile_article_is_rendered_inert(chromium: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    report = tmp_path / "report.html"
    summary = api.analyze([str(corpus)], db=str(tmp_path / "x.db"), config=load_config(), report=str(report))
    assert summary.added == 1, f"the hostile article was not analysed: {summary}"
    assert report.is_file()

    dom = dump_dom(chromium, report)
    scan = scan_dom(dom)

    assert "PWNED" not in scan.title, f"a script from the article ran: <title> is {scan.title!r}"
    assert scan.tags["script"] == 0, "the rendered report contains a <script> element"
    assert not scan.handler_attrs, f"elements with event-handler attributes: {scan.handler_attrs}"
    assert not scan.script_urls, f"elements with script URLs: {scan.script_urls}"
    # The markup must still be there, as visible text; otherwise the checks above prove nothing.
    assert EVIL_TITLE in "".join(scan.text), (
        "the hostile title is not shown at all; the XSS check would pass vacuously"
    )
    assert "Nachbarländern" in dom
    # The hostile quote reaches the quotes of the article and the "who said what" index, as text.
    assert "Who said what" in dom
    quoted = [t for t in scan.text if "Wir liefern keine Waffen" in t]
    assert quoted, "the hostile quote is not listed"
