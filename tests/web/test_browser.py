"""`lagebild serve` in a real headless Chromium (Selenium + Debian's chromium and chromedriver).

A uvicorn server runs in a thread on a free localhost port over the test database. The tests search,
open an article, show its removed clutter, follow an actor and open the quotes index; every view is
screenshotted (the PNG is decoded and checked not to be blank) and its DOM text checked. The XSS test
visits every view that shows the hostile article and asserts that no payload ran and that no script
element, event-handler attribute or javascript: URL reached the DOM.

Set LAGEBILD_SCREENSHOT_DB=out/demo.db to also write docs/web-overview.png from that database.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.report.test_report_browser import colour_stats, decode_png, find_chromium, scan_dom
from tests.web.conftest import EVIL_ACTOR, HOSTILE_OUTLET, HOSTILE_TITLE, PUTIN, STORY_ID, XI, XSS_IMG

pytestmark = pytest.mark.browser
webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WINDOW = (1280, 1000)
A1, A4 = f"{1:020x}", f"{4:020x}"


class Server:
    """uvicorn serving ``app`` on a free 127.0.0.1 port in a daemon thread."""

    def __init__(self, app: Any) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = find_chromium()
    driver_path = os.environ.get("LAGEBILD_CHROMEDRIVER") or shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("needs chromium and chromedriver (run `bash scripts/setup-chromium.sh` as root)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(web_db: Path) -> Iterator[str]:
    from lagebild.web import create_app

    with Server(create_app(db=str(web_db))) as url:
        yield url


def check_screenshot(driver: Any, name: str, tmp_path: Path) -> Path:
    png = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(png)), f"no screenshot of {name}"
    image = decode_png(png.read_bytes())
    counts, total = colour_stats(image)
    _, dominant = counts.most_common(1)[0]
    assert len(counts) > 64, f"{name}: only {len(counts)} colours, the page looks blank"
    assert (total - dominant) / total > 0.03, f"{name}: almost every pixel is the background colour"
    return png


def wait_for_page(driver: Any, url_part: str) -> None:
    """After a form GET: wait for the new page (``find_elements`` does not wait, so counting right
    after the click can see a page that is still loading)."""
    WebDriverWait(driver, 10).until(
        lambda d: url_part in d.current_url and d.execute_script("return document.readyState") == "complete"
    )


def text_of(driver: Any, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def test_search_open_article_follow_actor(browser: Any, site: str, tmp_path: Path) -> None:
    browser.get(site + "/")
    assert "Situation picture" in text_of(browser, "main")
    assert "Wladimir Putin" in text_of(browser, "#key-actors")
    assert "Abendpost" in text_of(browser, "#outlets")
    check_screenshot(browser, "overview", tmp_path)

    # An outlet's profile, with the reuse between outlets.
    browser.find_element(By.CSS_SELECTOR, "#outlets").find_element(By.LINK_TEXT, "Abendpost").click()
    assert text_of(browser, "#outlet-name") == "Abendpost"
    assert "Pacific Observer" in text_of(browser, "#outlet-reuse")
    check_screenshot(browser, "outlet", tmp_path)

    # Search with a filter from the form.
    browser.get(site + "/search")
    browser.find_element(By.ID, "q").send_keys("Putin")
    Select(browser.find_element(By.ID, "language")).select_by_value("de")
    browser.find_element(By.ID, "search-button").click()
    wait_for_page(browser, "q=Putin")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#hits .hit-title")]
    assert "Putin empfängt Xi in Moskau" in titles and "Xi and Putin sign energy agreements" not in titles
    assert browser.find_elements(By.CSS_SELECTOR, "#hits .snippet mark"), (
        "no highlighted match in the snippets"
    )
    check_screenshot(browser, "search", tmp_path)

    # Open the article.
    browser.find_element(By.LINK_TEXT, "Putin empfängt Xi in Moskau").click()
    assert text_of(browser, "#article-title") == "Putin empfängt Xi in Moskau"
    assert {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#text a.mention")} >= {
        "Putin",
        "Xi Jinping",
    }
    assert "strategische Partner" in text_of(browser, "#text .quote")
    assert text_of(browser, "#text .timex") == "am Dienstag"
    assert "RT DE" in text_of(browser, "#provenance")
    assert "Xi and Putin sign energy agreements" in text_of(browser, "#edges")
    check_screenshot(browser, "article", tmp_path)

    # Removed clutter on demand, then back.
    browser.find_element(By.ID, "toggle-clutter").click()
    struck = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#text del.removed")]
    assert "Newsletter abonnieren!" in struck
    check_screenshot(browser, "clutter", tmp_path)
    browser.find_element(By.ID, "toggle-clutter").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "#text del.removed")

    # Follow an actor from a highlighted mention.
    browser.find_element(By.CSS_SELECTOR, "#text a.mention[title$='Xi Jinping']").click()
    assert browser.current_url.endswith(f"/actors/{XI}")
    assert text_of(browser, "#actor-name") == "Xi Jinping"
    assert "Wladimir Putin" in text_of(browser, "#co-actors")
    assert "a new era" in text_of(browser, "#actor-quotes")
    assert browser.find_elements(By.CSS_SELECTOR, "#mentions-over-time svg rect")
    check_screenshot(browser, "actor", tmp_path)

    # From the actor to a co-occurring actor, then its timeline, filtered by event type.
    browser.find_element(By.LINK_TEXT, "Wladimir Putin").click()
    assert browser.current_url.endswith(f"/actors/{PUTIN}")
    browser.find_element(By.ID, "actor-timeline").click()
    assert text_of(browser, "#timeline-count").startswith("2 events involving Wladimir Putin")
    Select(browser.find_element(By.ID, "tl-action")).select_by_value("CONSULT")
    browser.find_element(By.ID, "timeline-button").click()
    # the filter is a form GET: wait for the new page before counting (find_elements does not wait)
    WebDriverWait(browser, 10).until(
        lambda d: (
            "action=CONSULT" in d.current_url and d.execute_script("return document.readyState") == "complete"
        )
    )
    entries = browser.find_elements(By.CSS_SELECTOR, "#timeline .entry")
    assert len(entries) == 1 and "Abendpost" in entries[0].text and "Pacific Observer" in entries[0].text
    check_screenshot(browser, "timeline", tmp_path)
    # Each entry opens its evidence.
    entries[0].find_element(By.PARTIAL_LINK_TEXT, "Pacific Observer").click()
    assert text_of(browser, "#article-title") == "Xi and Putin sign energy agreements"
    # ... whose provenance chain leads to the original it translates, first published by RT DE.
    assert "first published by\nRT DE" in text_of(browser, "#chain") or "RT DE" in text_of(browser, "#chain")
    browser.find_element(By.CSS_SELECTOR, f"#chain a[href='/articles/{A1}']").click()
    assert text_of(browser, "#article-title") == "Putin empfängt Xi in Moskau"

    # The quotes index.
    browser.get(site + "/quotes")
    assert "Jones" in text_of(browser, "#speakers")
    assert "the deal favours China" in text_of(browser, "#quote-list")
    check_screenshot(browser, "quotes", tmp_path)


def xss_views() -> list[str]:
    return [
        "/",
        "/search?q=Putin",
        "/search?q=script+window",
        f"/search?outlet={quote(HOSTILE_OUTLET)}",
        f"/articles/{A4}",
        f"/articles/{A4}?clutter=true",
        f"/articles/{A1}",  # lists the hostile article as a repost
        "/actors",
        f"/actors/{PUTIN}",
        f"/actors/{quote(EVIL_ACTOR, safe='')}",
        "/quotes",
        "/timeline",
        "/timeline?action=ASSAULT",
        "/outlets",
        "/outlets/" + quote(HOSTILE_OUTLET, safe=""),
        "/outlets/Abendpost",
        "/quotes?speaker=" + quote("name:der sprecher " + XSS_IMG.lower()),
        "/stories",
        f"/stories/{STORY_ID}",
        "/no-such-page-<script>window.__xss=1</script>",
    ]


@pytest.mark.parametrize("view", xss_views())
def test_hostile_article_is_inert_in_every_view(browser: Any, site: str, view: str) -> None:
    browser.get(site + view)
    ran = browser.execute_script("return window.__xss !== undefined")
    assert not ran, f"a payload ran on {view}"
    assert browser.title != "PWNED"
    assert ("404" in browser.title) == view.startswith("/no-such-page"), f"{view}: {browser.title}"
    scan = scan_dom(browser.page_source)
    assert scan.tags["script"] == 0, f"{view}: a <script> element reached the DOM"
    assert not scan.handler_attrs, f"{view}: event-handler attributes: {scan.handler_attrs}"
    assert not scan.script_urls, f"{view}: script URLs: {scan.script_urls}"
    assert (
        "<script>" in "".join(scan.text) or "onerror" in "".join(scan.text) or view.startswith("/actors")
    ), f"{view}: the payload is not shown as text; the check would pass vacuously"


def test_hostile_title_is_shown_as_text(browser: Any, site: str) -> None:
    browser.get(f"{site}/articles/{A4}")
    assert text_of(browser, "#article-title") == HOSTILE_TITLE


@pytest.mark.skipif(
    not os.environ.get("LAGEBILD_SCREENSHOT_DB"), reason="set LAGEBILD_SCREENSHOT_DB to refresh docs/"
)
def test_docs_screenshot(browser: Any, tmp_path: Path) -> None:
    from lagebild.web import create_app

    db = os.environ["LAGEBILD_SCREENSHOT_DB"]
    with Server(create_app(db=db)) as url:
        browser.set_window_size(1280, 900)
        browser.get(url + "/")
        png = check_screenshot(browser, "docs-overview", tmp_path)
        browser.set_window_size(*WINDOW)
    target = ROOT / "docs" / "web-overview.png"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(png, target)
