"""The HTML report in a real browser: Debian's headless chromium driven by its chromedriver.

Selenium (pinned in the dev extras) talks WebDriver to ``/usr/bin/chromedriver``, which
comes with Debian's ``chromium-driver`` package (``bash .ci/chromium.sh`` installs both), so
nothing is downloaded. The page must load with no console message of level SEVERE (errors,
Content-Security-Policy refusals, failed loads), request nothing but itself, and show its
charts and tables in the live DOM. The web UI (claimscope serve) is checked the same way, live.
"""

from __future__ import annotations

import json
import pathlib

import pytest

import claimscope
from claimscope.reconcile import reconcile
from claimscope.report import report_html
from conftest import missing_service

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMEDRIVER = pathlib.Path("/usr/bin/chromedriver")
STORY = pathlib.Path(claimscope.__file__).parent / "examples" / "story"

pytestmark = pytest.mark.browser

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900")


@pytest.fixture(scope="module")
def story_page(tmp_path_factory):
    """(path of the story corpus's HTML report, its contract dict)."""
    index = json.loads((STORY / "index.json").read_text())
    ledgers = [
        claimscope.extract((STORY / a["file"]).read_text(), published=a["published"], source=str(STORY / a["file"]))
        for a in index["articles"]
    ]
    analysis = reconcile(ledgers)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(report_html(analysis, {x.document.id: x for x in ledgers}), encoding="utf-8")
    return path, analysis.report()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        missing_service("needs Debian's chromium and chromium-driver (bash .ci/chromium.sh)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    # Console messages, and the DevTools network events (every request the page makes).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # Service(path): selenium uses Debian's chromedriver and never runs Selenium Manager.
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _requests(driver) -> tuple[list[str], list[dict]]:
    """URLs requested, and loads failed, since the last call (from the DevTools network events
    in the performance log), leaving out the browser's own pages (chrome://, its new tab)."""
    urls, failed, ours = [], [], set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            if not params["request"]["url"].startswith("chrome://"):
                urls.append(params["request"]["url"])
                ours.add(params["requestId"])
        elif message["method"] == "Network.loadingFailed" and params["requestId"] in ours:
            failed.append(params)
    return urls, failed


def test_report_loads_offline_without_errors(browser, story_page):
    path, data = story_page
    browser.get_log("browser")
    _requests(browser)
    browser.get(path.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    urls, failed = _requests(browser)
    assert failed == []
    assert urls == [path.as_uri()]  # the page itself, and nothing else
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    # The charts: one SVG per topic, laid out, with a mark per dated figure.
    charts = browser.execute_script("""
        return Array.from(document.querySelectorAll('svg.chart')).map(function (svg) {
          var box = svg.getBoundingClientRect();
          return {topic: svg.closest('section').id, width: box.width, height: box.height,
                  points: svg.querySelectorAll('g.pt').length,
                  drawn: Array.from(svg.querySelectorAll('g.pt')).filter(function (g) {
                    var b = g.getBBox(); return b.width > 0 && b.height > 0; }).length};
        });""")
    assert [c["topic"] for c in charts] == [f"topic-{t['id']}" for t in data["topics"]]
    dated = [sum(1 for e in t["estimates"] if len(e["said_on"] or "") >= 10) for t in data["topics"]]
    assert [c["points"] for c in charts] == dated
    assert [c["drawn"] for c in charts] == dated
    assert all(c["width"] > 300 and c["height"] > 50 for c in charts)

    # The tables: a row per figure, a row per contradiction, all visible.
    counts = browser.execute_script("""
        function visible(sel) { return Array.from(document.querySelectorAll(sel)).filter(function (el) {
          return el.getClientRects().length > 0; }).length; }
        return {claims: visible('table.claims tbody tr'), contradictions: visible('table.contradictions tbody tr'),
                marks: visible('table.claims td.sentence mark'), quoted: visible('section.doc span.claim')};""")
    assert counts["claims"] == sum(len(t["estimates"]) for t in data["topics"])
    assert counts["contradictions"] == len(data["contradictions"])
    assert counts["marks"] > 0 and counts["quoted"] > 0


def test_source_filter_and_claim_links(browser, story_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path, data = story_page
    browser.get(path.as_uri())
    browser.get_log("browser")
    # The filter is there only with the script (hidden otherwise); it hides other sources' rows and marks.
    select = browser.find_element(By.ID, "source-filter")
    assert select.is_displayed()
    source = data["topics"][0]["estimates"][0]["source"]
    Select(select).select_by_value(source)
    shown = browser.execute_script("""
        return Array.from(document.querySelectorAll('table.claims tbody tr, svg.chart g.pt'))
          .filter(function (el) { return el.getClientRects().length > 0; })
          .map(function (el) { return el.getAttribute('data-source'); });""")
    expected = sum(1 for t in data["topics"] for e in t["estimates"] if e["source"] == source)
    assert set(shown) == {source} and len(shown) >= expected
    Select(select).select_by_value("")
    assert browser.execute_script("return document.querySelectorAll('.off').length") == 0

    # A row's link lands on the claim, quoted in its article, which is then the :target.
    link = browser.find_element(By.CSS_SELECTOR, "table.claims a[href^='#claim-']")
    href = link.get_attribute("href")
    link.click()
    target = browser.execute_script("var t = document.querySelector(':target'); return t && t.id;")
    assert target == href.split("#", 1)[1]
    assert browser.execute_script("return document.querySelector(':target').closest('section.doc') !== null")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


# ------------------------------------------------------------------ the web UI (claimscope serve)


@pytest.fixture(scope="module")
def web_ui(tmp_path_factory):
    """The web UI over the story corpus, served by uvicorn on a free local port."""
    import socket
    import threading
    import time

    import uvicorn

    from claimscope.ingest import ingest
    from claimscope.store import Store
    from claimscope.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('web-ui') / 'story.db'}"
    with Store.open(url) as store:
        ingest([str(STORY)], store, progress=False)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _visit(browser, url: str) -> None:
    """Load ``url``: no console error (CSP refusals included), and no request off the server."""
    browser.get_log("browser")
    _requests(browser)
    browser.get(url)
    assert browser.execute_script("return document.readyState") == "complete"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    urls, failed = _requests(browser)
    origin = url.split("/", 3)[:3]
    # data: URLs are the browser's own (the calendar icon of a date field), not requests.
    assert failed == [] and all(u.split("/", 3)[:3] == origin for u in urls if not u.startswith("data:")), urls


def test_web_ui_pages(browser, web_ui):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _visit(browser, web_ui + "/")
    documents = browser.find_elements(By.CSS_SELECTOR, "a[href^='/documents/']")
    assert len({a.get_attribute("href") for a in documents}) == 12
    topic = browser.find_element(By.CSS_SELECTOR, "a[href^='/report?topic=']")
    topic.click()
    WebDriverWait(browser, 60).until(lambda d: "/report?topic=" in d.current_url
                                     and d.execute_script("return document.readyState") == "complete")
    assert browser.execute_script("return document.querySelectorAll('svg.chart').length") == 1
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []

    _visit(browser, web_ui + "/report")
    assert browser.execute_script("return document.querySelectorAll('svg.chart g.pt').length") > 0
    assert browser.find_element(By.ID, "source-filter").is_displayed()  # its script ran under the policy

    _visit(browser, web_ui + "/claims?entity=NED")
    rows = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert rows
    rows[0].find_element(By.CSS_SELECTOR, "a[href*='#claim-']").click()
    target = browser.execute_script("var t = document.querySelector(':target'); return t && t.id;")
    assert target and target.startswith("claim-")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_web_ui_extract_form(browser, web_ui):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _visit(browser, web_ui + "/extract")
    browser.find_element(By.NAME, "text").send_keys(
        "Ferry service resumes\n\nThe port authority said the ferry to the island would resume on Monday, "
        "after about 40 crossings were cancelled.")
    browser.find_element(By.NAME, "store").click()
    browser.find_element(By.CSS_SELECTOR, "form.extract button").click()
    # The click returns before the answer page (extraction takes a moment): wait for it.
    notice = WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))[0]
    assert "Stored as document" in notice.text
    claims = browser.find_elements(By.CSS_SELECTOR, "ol.claims > li")
    assert claims and "ferry to the island would resume" in claims[0].text
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
