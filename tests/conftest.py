"""Shared fixtures: a fake clock, a private data dir, the shipped content, an app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from neck_tui.content import Content, load_content
from neck_tui.store import Store
from tests.fakes import FakeClock


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: started last, one would keep its worker busy after the other is done."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture(autouse=True, scope="session")
def quicker_textual_harness() -> Iterator[None]:
    """Three test-only speed-ups of Python's and Textual's own machinery; the app's code is untouched.

    - Pilot's press() and pause() wait for the app to go idle: Textual checks in 20 ms slices
      and stops at the first slice under 5 % busy, so while the app's own timers keep it a little
      busy (a running session ticks) a pause can go on for up to a second. Here the slices are
      5 ms, with the same 5 % mark, and a pause still lasts at least one frame (1/60 s, Textual's
      screen refresh), as the 20 ms slice guaranteed. A state that comes later than that is
      waited for by condition (tests.fakes.wait_for), never by the slice length.
    - Every App parses the same stylesheets again (styles/*.tcss and each widget's DEFAULT_CSS).
      Parsed rules depend only on the CSS text, where it came from and the theme's variables; with
      those in the key, one parse per test process serves every app.
    - Each test leaves its app behind as cyclic garbage (tens of thousands of objects that point
      at each other), which only Python's oldest-generation collection frees. With the default
      thresholds that full collection ran about every other test, at some 0.2 s each: about a
      fifth of a worker's CPU. With a larger first threshold it runs a few times per worker,
      for some 50 MB more memory per worker.
    """
    import asyncio
    import gc
    import time

    import textual.app
    import textual.pilot
    from textual import constants
    from textual.css.stylesheet import Stylesheet

    frame, slice_ = 1 / constants.MAX_FPS, 1 / 200

    async def wait_for_idle(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
        start = time.monotonic()
        while True:
            cpu = time.process_time()
            await asyncio.sleep(slice_)
            elapsed = time.monotonic() - start
            idle = time.process_time() - cpu < slice_ / 20
            if elapsed >= max_sleep or (idle and elapsed > max(min_sleep, frame)):
                return

    parsed: dict[tuple[Any, ...], Any] = {}
    themes: dict[tuple[tuple[str, str], ...], int] = {}
    parse = Stylesheet._parse_rules

    def theme(sheet: Stylesheet) -> int:
        variables = sheet._variables
        seen = sheet.__dict__.get("_tests_theme")
        if seen is None or seen[0] is not variables:
            number = themes.setdefault(tuple(variables.items()), len(themes))
            seen = sheet.__dict__["_tests_theme"] = (variables, number)
        return seen[1]

    def parse_once(
        sheet: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (theme(sheet), css, read_from, is_default_rules, tie_breaker, scope)
        if key not in parsed:
            parsed[key] = parse(sheet, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual.app, "wait_for_idle", wait_for_idle)
        patch.setattr(textual.pilot, "wait_for_idle", wait_for_idle)
        patch.setattr(Stylesheet, "_parse_rules", parse_once)
        yield
    gc.set_threshold(*thresholds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: FakeClock) -> Store:
    return Store(data_dir, now=clock.now)


@pytest.fixture
def accepted_store(store: Store) -> Store:
    """A store whose user has already accepted the first-run notice."""
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    return store


@pytest.fixture
def make_app(content: Content, store: Store, clock: FakeClock) -> Callable[..., Any]:
    """Build the app on the fake clock; the first-run notice is accepted unless accepted=False."""
    from neck_tui.app import NeckApp

    def factory(start: str | None = None, store: Store = store, accepted: bool = True, **kwargs: Any) -> NeckApp:
        if accepted and not store.state.notice_accepted:
            store.update_state(lambda state: setattr(state, "notice_accepted", True))
        return NeckApp(content=content, store=store, start=start, clock=clock, now=clock.now, **kwargs)

    return factory
