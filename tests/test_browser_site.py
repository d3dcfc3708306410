"""The site in a real browser: Debian's headless chromium driven by Selenium (chromium-driver), against the real
server process on 127.0.0.1.

- The SPARQL page: YASGUI (vendored, no CDN) runs a library query with a parameter and shows its rows; a count
  query draws as a chart; downloads appear; a page without JavaScript keeps the plain form working.
- The index: paging and a facet narrow the records.
- Every page loads with no console errors, and axe-core (vendored for the tests, tests/data/axe/) finds no serious
  or critical accessibility violation on the index, article and SPARQL pages.

Screenshots go to out/browser/ (kept by CI as artifacts).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, SEED_PMID
from tests.test_server_process import ServerProcess

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install '.[test]')")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "browser"
AXE = DATA / "axe" / "axe.min.js"
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                reason="Debian chromium and chromium-driver are not installed "
                                       "(apt-get install -y chromium chromium-driver)")


@pytest.fixture(scope="module")
def server(seed_build: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    proc = ServerProcess(seed_build[0], tmp_path_factory.mktemp("browser-site") / "server.log")
    try:
        yield proc
    finally:
        proc.stop()


def _driver(javascript: bool = True) -> webdriver.Chrome:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--disable-gpu", "--no-first-run"):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = _driver()
    try:
        yield driver
    finally:
        driver.quit()


def _console_errors(driver: webdriver.Chrome) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _shot(driver: webdriver.Chrome, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / name))


def _axe(driver: webdriver.Chrome) -> list[str]:
    """Serious and critical violations axe-core finds on the page (the rule, its impact, how many nodes)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}" for v in json.loads(result)
            if v.get("impact") in ("serious", "critical")]


def _wait(driver: webdriver.Chrome, css: str, seconds: float = 20) -> None:
    try:
        WebDriverWait(driver, seconds).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException as exc:
        _shot(driver, "timeout.png")
        raise AssertionError(f"{css} did not appear; console: {_console_errors(driver)}") from exc


def test_yasgui_runs_a_library_query_with_a_parameter(server: ServerProcess, browser: webdriver.Chrome) -> None:
    browser.get(server.url + "/sparql")
    _wait(browser, ".yasqe .CodeMirror")
    assert not browser.find_element(By.ID, "yasgui").get_attribute("hidden")
    assert not browser.find_element(By.ID, "plain-form").is_displayed()
    Select(browser.find_element(By.ID, "library-query")).select_by_value("article-card")
    field = browser.find_element(By.ID, "param-pmid")
    field.clear()
    field.send_keys(SEED_PMID)
    browser.find_element(By.CSS_SELECTOR, "#library-params button[type=submit]").click()
    _wait(browser, ".yasr table tbody tr")
    table = browser.find_element(By.CSS_SELECTOR, ".yasr table").text
    assert SEED_PMID in table and "neuroendocrine" in table.lower()
    assert browser.find_element(By.ID, "downloads").is_displayed()
    _shot(browser, "sparql-library-query.png")
    assert _console_errors(browser) == []
    assert _axe(browser) == []


def test_a_count_is_drawn_as_a_chart(server: ServerProcess, browser: webdriver.Chrome) -> None:
    browser.get(server.url + "/sparql")
    _wait(browser, ".yasqe .CodeMirror")
    query = ("SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)")
    browser.execute_script("window.Yasgui && document.querySelector('.yasqe .CodeMirror').CodeMirror.setValue("
                           "arguments[0]);", query)
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    _wait(browser, ".yasr table tbody tr")
    browser.find_element(By.CSS_SELECTOR, ".yasr .select_chart").click()
    _wait(browser, ".rdfgen-chart svg rect")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".rdfgen-chart svg rect")) > 3
    _shot(browser, "sparql-chart.png")
    assert _console_errors(browser) == []


def test_without_javascript_the_plain_form_works(server: ServerProcess) -> None:
    driver = _driver(javascript=False)
    try:
        driver.get(server.url + "/sparql")
        form = driver.find_element(By.ID, "plain-form")
        assert form.is_displayed()
        area = driver.find_element(By.ID, "plain-query")
        area.clear()
        area.send_keys("SELECT ?pmid WHERE { ?a <http://purl.org/ontology/bibo/pmid> ?pmid }")
        form.submit()
        WebDriverWait(driver, 20).until(lambda d: SEED_PMID in d.page_source)
        driver.get(server.url + "/sparql")
        area = driver.find_element(By.ID, "plain-query")
        area.clear()
        area.send_keys("SELECT ?x WHERE { ?x ")
        driver.find_element(By.ID, "plain-form").submit()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))
        assert "SELECT ?x WHERE { ?x" in driver.find_element(By.ID, "plain-query").get_attribute("value")
        _shot(driver, "sparql-no-javascript-error.png")
    finally:
        driver.quit()


def test_index_and_article_pages(server: ServerProcess, browser: webdriver.Chrome) -> None:
    browser.get(server.url + "/")
    _wait(browser, "ol li a[href^='/pubmed/']")
    assert _console_errors(browser) == []
    assert _axe(browser) == []
    _shot(browser, "index.png")
    facet = browser.find_elements(By.CSS_SELECTOR, "aside li a")
    assert facet, "the index shows facets"
    facet[0].click()
    _wait(browser, "ol li a[href^='/pubmed/']")
    assert "(remove)" in browser.page_source
    browser.get(server.url + f"/pubmed/{SEED_PMID}")
    _wait(browser, "h1")
    assert _console_errors(browser) == []
    assert _axe(browser) == []
    _shot(browser, "article.png")
    # The seed has no NLM headings; its keywords map to MeSH (Ultrasound: Ultrasonography): that page lists it.
    browser.get(server.url + "/mesh/D014463")
    _wait(browser, "h1")
    assert f'href="/pubmed/{SEED_PMID}"' in browser.page_source
    _shot(browser, "mesh.png")
