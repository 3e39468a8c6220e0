"""``newsbrowse serve`` in a real browser: headless Chromium (selenium and Debian's
chromium-driver) opens the page, the app's first screen shows in its xterm.js terminal,
keys typed into the page reach the app, and the page shows what they open.

The page draws the terminal on a canvas (WebGL, else 2D), so its rows have no DOM text:
a script added before the page's own keeps the page's xterm.js ``Terminal`` as it is
made, and the test reads the screen from that terminal's buffer (the DOM rows, when the
DOM renderer draws them). Outside CI a machine without Chromium skips; in CI (``CI``
set) it fails, as .ci/run installs Chromium as it installs tmux.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from terminal import Place, console_script
from test_serve import free_port, page

pytestmark = pytest.mark.slow

# The fixtures' second article by date: the list cuts its title, the reader's header not.
SECOND_LISTED = "Russia insists NATO will not admit"
SECOND_TITLE_END = "proposes talks with US"
# Only the fixtures' third article says "Atlantic" (in its text and two quotes); the
# reader at the first hit shows this quote's words, which no result row shows.
QUERY = "Atlantic"
HIT_IN_READER = "Atlantic Alliance has come"
WAIT_SECONDS = 60  # CI machines are slow: Chromium's start and the app's first screen
# The page's class assigns ``this.terminal = new Terminal(...)``: a setter on
# Object.prototype sees that assignment, keeps the terminal, and makes it an own property.
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    if (value && typeof value.loadAddon === "function") { window.__nbTerminal = value; }
    Object.defineProperty(this, "terminal",
      {value, writable: true, configurable: true, enumerable: true});
  },
});
"""
SCREEN_TEXT = """
const term = window.__nbTerminal;
if (term) {
  const buffer = term.buffer.active, lines = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
const rows = document.querySelector(".xterm-rows");
return rows ? rows.textContent : "";
"""


def chromium_paths() -> tuple[str, str] | None:
    """Debian's chromium and chromedriver, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def require_chromium() -> tuple[str, str]:
    """Chromium and its driver: a skip on a developer's machine, a failure in CI."""
    found = chromium_paths()
    if found is not None:
        return found
    message = (
        "chromium and chromium-driver are not installed (apt-get install chromium "
        "chromium-driver; .ci/run does)"
    )
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    """Headless Chromium through selenium, keeping the page's terminal for the test."""
    browser_path, driver_path = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1400,900")
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium'}")
    service = Service(executable_path=driver_path, log_output=str(tmp_path / "driver.log"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_TERMINAL})
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(place: Place) -> Iterator[int]:
    """``newsbrowse serve`` on a free port of the loopback address, stopped with Ctrl-C."""
    port = free_port()
    server = subprocess.Popen(
        [str(console_script()), "serve", "--port", str(port)],
        env=place.env,
        cwd=place.cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page(port)
        yield port
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=WAIT_SECONDS)
    assert server.returncode == 0, err


def screen_until(driver, shows: Callable[[str], bool]) -> str:  # noqa: ANN001 - a WebDriver
    """The page's terminal text, once ``shows`` holds for it (a failure after the wait)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    seen = [""]

    def check(d) -> bool:  # noqa: ANN001
        seen[0] = d.execute_script(SCREEN_TEXT) or ""
        return shows(seen[0])

    try:
        WebDriverWait(driver, WAIT_SECONDS, poll_frequency=0.25).until(check)
    except TimeoutException:
        pytest.fail(f"the page never showed it; it showed:\n{seen[0]}", pytrace=False)
    return seen[0]


def test_the_served_page_runs_the_app_in_chromium(served: int, browser, tmp_path: Path) -> None:
    # served before browser: the browser closes first, so the server has no session to end.
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"http://127.0.0.1:{served}/")
    first = screen_until(browser, lambda s: "Articles (5)" in s and "Demands" in s)
    assert SECOND_LISTED in first and SECOND_TITLE_END not in first
    # The keys go where a user's go: the terminal's own text field, which has the focus.
    typing = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
    typing.send_keys("j", Keys.ENTER)  # the second article, opened in the reader
    opened = screen_until(browser, lambda s: SECOND_TITLE_END in s and "Select" in s)
    assert SECOND_LISTED in opened
    browser.save_screenshot(str(tmp_path / "reader.png"))
    typing.send_keys("/", QUERY)  # search as you type: the hits show as they come
    found = screen_until(browser, lambda s: "enter: first" in s)
    assert "match" in found and "Putin proposes negotiations" in found, found
    browser.save_screenshot(str(tmp_path / "search.png"))
    typing.send_keys(Keys.ENTER)  # the first hit, in the reader
    screen_until(browser, lambda s: HIT_IN_READER in s and SECOND_TITLE_END not in s)
    browser.save_screenshot(str(tmp_path / "hit.png"))
    print(f"screenshots in {tmp_path}: reader.png, search.png, hit.png")


@pytest.mark.parametrize("ci", ["true", ""])
def test_a_missing_chromium_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    if ci:
        monkeypatch.setenv("CI", ci)
    else:
        monkeypatch.delenv("CI", raising=False)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="chromium-driver"):
        require_chromium()
