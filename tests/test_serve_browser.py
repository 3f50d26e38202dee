"""`neck-tui serve` in a real browser: Chromium (Debian's package) driven by Playwright.

The page loads, its terminal receives the app's Home, keys typed into the page start a heat
session, and that session is the terminal's: it holds the data directory's session lock, so a
`neck-tui` in a terminal on the same data sees it running. Without Chromium or Playwright the test
is skipped with the reason, except under CI (env CI set), where `.ci/run` installs both and a
missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from neck_tui.store import Store
from neck_tui.terminal.session_lock import SessionLock
from tests.test_serve import ANSI, WAIT_S, server  # noqa: F401  (the fixture: a served app on a fresh port)

CHROMIUM_FLAGS = [  # no network beyond localhost here: keep Chromium from calling home
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"the browser test is mandatory in CI, but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _unavailable("chromium not found (Debian: apt-get install chromium)")
    return str(found)


def _until(what: str, done: Callable[[], bool], page, shown: bytes) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {WAIT_S:.0f} s; the page's terminal got {bytes(shown[-600:])!r}")
        page.wait_for_timeout(100)


def test_a_heat_session_started_in_the_browser_is_the_terminals_session(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    port, data = server
    executable = _chromium()
    shown = bytearray()  # what the app sent to the page's terminal, escape codes removed

    def received(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            shown.extend(ANSI.sub(b"", payload))

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.on("websocket", lambda ws: ws.on("framereceived", received))
            page.goto(f"http://127.0.0.1:{port}/", timeout=WAIT_S * 1000)
            # textual-serve's page marks <body> once its terminal has been written to.
            page.wait_for_selector("body.-first-byte", timeout=WAIT_S * 1000)
            _until("Home in the page's terminal", lambda: b"Posture breaks" in shown, page, shown)
            assert not SessionLock(data).held_elsewhere()

            page.locator(".xterm-screen").click()
            page.keyboard.press("h")
            _until("the heat setup", lambda: b"Heat minutes" in shown, page, shown)
            page.keyboard.press("Enter")  # start: the pain check comes first
            _until("the pain check", lambda: re.search(rb"[Pp]ain", shown[-4000:]) is not None, page, shown)
            page.keyboard.press("s")  # skip the rating
            _until("the heat countdown", lambda: re.search(rb"\d+ / \d+ min", shown) is not None
                   and SessionLock(data).held_elsewhere(), page, shown)
            picture = page.screenshot()
        finally:
            browser.close()
    assert len(picture) > 10_000  # a drawn terminal, not an empty page
    # The browser's session is on the served data directory: its checkpoint is in that state file.
    checkpoint = Store(data).state.in_progress
    assert checkpoint is not None and checkpoint.get("kind") == "heat", checkpoint
