"""Shared fixtures: a fake clock, a private data dir, the shipped content, an app factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from neck_tui.content import Content, load_content
from neck_tui.store import Store
from tests.fakes import FakeClock


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
