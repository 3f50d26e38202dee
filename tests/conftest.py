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
def make_app(content: Content, accepted_store: Store, clock: FakeClock) -> Callable[..., Any]:
    from neck_tui.app import NeckApp

    def factory(start: str | None = None, store: Store | None = None, **kwargs: Any) -> NeckApp:
        return NeckApp(content=content, store=store or accepted_store, start=start, clock=clock, now=clock.now, **kwargs)

    return factory
