"""The session lifecycle and the store's error policy, without any screen (neck_tui.lifecycle)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neck_tui.events import EventBus, SessionEvent
from neck_tui.lifecycle import Saver, Session, read_or_none
from neck_tui.store import Store, StoreError
from tests.fakes import FakeClock


class FlakyStore(Store):
    """A real store whose writes fail while `broken` is set (a full disk, a read-only mount)."""

    broken = False

    def _fail(self) -> None:
        if self.broken:
            raise StoreError(f"cannot write {self.data_dir}/history: No space left on device")

    def add_record(self, record: Any) -> None:
        self._fail()
        super().add_record(record)

    def update_record(self, record: Any) -> None:
        self._fail()
        super().update_record(record)

    def set_in_progress(self, checkpoint: Any, **kwargs: Any) -> None:
        self._fail()
        super().set_in_progress(checkpoint, **kwargs)

    def records(self, *args: Any, **kwargs: Any) -> Any:
        self._fail()
        return super().records(*args, **kwargs)


@pytest.fixture
def flaky(data_dir: Path, clock: FakeClock) -> FlakyStore:
    return FlakyStore(data_dir, now=clock.now)


def make(store: Store, clock: FakeClock, lines: list[str], **kwargs: Any) -> Session:
    return Session(Saver(store, lines.append), kwargs.pop("kind", "heat"), clock.now, **kwargs)


def test_a_session_is_saved_once_with_its_details(flaky: FlakyStore, clock: FakeClock) -> None:
    lines: list[str] = []
    session = make(flaky, clock, lines, pain_before=6, describe=lambda reason: {"phases_done": 2})
    session.begin()
    clock.advance(600)
    record = session.stop("stopped by user")
    assert record is not None and record.completed is False
    assert session.stop("again") is None and session.finish(True) is None  # once only
    session.set_pain_after(3)
    [saved] = Store(flaky.data_dir).records()
    assert saved.id == session.id and saved.pain_before == 6 and saved.pain_after == 3
    assert saved.details == {"phases_done": 2, "stopped": "stopped by user"}
    assert saved.duration_s == 600
    assert Store(flaky.data_dir).load().in_progress is None
    assert lines == []


def test_checkpoint_holds_what_status_and_resume_need(flaky: FlakyStore, clock: FakeClock) -> None:
    session = make(flaky, clock, [], resumable=True, state=lambda: {"elapsed": 12.0})
    session.begin()
    session.tick("HEAT", 1188.4)
    session.pause()
    checkpoint = Store(flaky.data_dir).load().in_progress
    assert checkpoint is not None
    assert checkpoint["id"] == session.id and checkpoint["kind"] == "heat"
    assert checkpoint["phase_label"] == "HEAT" and checkpoint["phase_left"] == 1188.4
    assert checkpoint["paused"] is True and checkpoint["elapsed"] == 12.0 and checkpoint["resumable"] is True


def test_a_failing_store_is_one_line_and_the_writes_wait_then_land(flaky: FlakyStore, clock: FakeClock) -> None:
    lines: list[str] = []
    session = make(flaky, clock, lines, pain_before=5)
    flaky.broken = True
    session.begin()  # the first checkpoint fails
    for _ in range(5):
        clock.advance(15)
        session.checkpoint()  # and again, silently: one line per outage
    record = session.stop("stopped by user")  # the record is made all the same, in memory
    assert record is not None and session.ended
    assert len(lines) == 1
    assert "No space left on device" in lines[0] and "goes on in memory" in lines[0]
    assert str(flaky.data_dir) in lines[0] and "\n" not in lines[0]
    assert Store(flaky.data_dir).records() == []
    flaky.broken = False
    assert session.saver.retry()  # the next save of anything retries what waits
    [saved] = Store(flaky.data_dir).records()
    assert saved.id == session.id and saved.completed is False
    assert Store(flaky.data_dir).load().in_progress is None  # the stale checkpoint is not left behind
    assert lines[-1].startswith("Saved again")


def test_pain_after_given_while_the_store_fails_is_not_lost(flaky: FlakyStore, clock: FakeClock) -> None:
    lines: list[str] = []
    session = make(flaky, clock, lines, pain_before=7)
    session.begin()
    flaky.broken = True
    session.finish(True)
    session.set_pain_after(4)
    flaky.broken = False
    session.saver.retry()
    [saved] = Store(flaky.data_dir).records()
    assert (saved.pain_before, saved.pain_after, saved.completed) == (7, 4, True)


def test_hang_up_keeps_a_resumable_checkpoint_and_saves_the_record(flaky: FlakyStore, clock: FakeClock) -> None:
    session = make(flaky, clock, [], resumable=True, state=lambda: {"elapsed": 30.0})
    session.begin()
    clock.advance(30)
    session.hang_up("SIGHUP")
    store = Store(flaky.data_dir)
    [saved] = store.records()
    assert saved.completed is False and saved.details["stopped"] == "SIGHUP"
    checkpoint = store.load().in_progress
    assert checkpoint is not None and checkpoint["id"] == session.id
    assert checkpoint["saved"] == clock.now()  # a fresh checkpoint, taken at the hang-up


def test_hang_up_of_a_session_that_cannot_resume_clears_nothing_else(flaky: FlakyStore, clock: FakeClock) -> None:
    flaky.set_in_progress({"id": "another-pane", "kind": "heat"})
    session = make(flaky, clock, [], kind="posture_break")
    session.hang_up("stdin closed")
    store = Store(flaky.data_dir)
    [saved] = store.records()
    assert saved.kind == "posture_break" and saved.details["stopped"] == "stdin closed"
    assert store.load().in_progress == {"id": "another-pane", "kind": "heat"}


def test_hang_up_with_a_failing_store_does_not_raise(flaky: FlakyStore, clock: FakeClock) -> None:
    lines: list[str] = []
    session = make(flaky, clock, lines, resumable=True)
    session.begin()
    flaky.broken = True
    session.hang_up("SIGTERM")  # no exception: the exit code must survive
    assert session.ended and len(lines) == 1


def test_reads_that_fail_are_none_and_one_line(flaky: FlakyStore) -> None:
    lines: list[str] = []
    flaky.broken = True
    assert read_or_none(Saver(flaky, lines.append), "recent pain", flaky.records) is None
    assert len(lines) == 1 and lines[0].startswith("Could not read recent pain:")


def test_events_begin_tick_and_end(flaky: FlakyStore, clock: FakeClock) -> None:
    bus = EventBus()
    seen: list[SessionEvent] = []
    bus.subscribe(seen.append)
    session = make(flaky, clock, [], events=bus)
    session.begin()
    session.tick("HEAT", 600.2)
    session.tick("HEAT", 600.0)  # the same second shown: no new tick
    session.tick("HEAT", 599.9)
    session.emit("phase_end", phase="HEAT")
    session.finish(True)
    assert [e.name for e in seen] == ["session_begin", "tick", "tick", "phase_end", "session_end"]
    assert seen[1].phase == "HEAT" and seen[1].seconds_left == 600.2
    assert seen[-1].extra["completed"] is True and all(e.session_id == session.id for e in seen)


def test_a_listener_that_raises_never_stops_the_session(flaky: FlakyStore, clock: FakeClock) -> None:
    bus = EventBus()

    def broken(event: SessionEvent) -> None:
        raise RuntimeError("hook bug")

    bus.subscribe(broken)
    session = make(flaky, clock, [], events=bus)
    session.begin()
    assert session.finish(True) is not None
    assert bus.errors and "hook bug" in bus.errors[-1]


def test_the_owner_hears_the_end_once(flaky: FlakyStore, clock: FakeClock) -> None:
    ended: list[Session] = []
    session = make(flaky, clock, [])
    session.on_end = ended.append
    session.begin()
    session.abandon("quit")
    session.hang_up("SIGHUP")
    assert ended == [session]


def test_a_session_that_cannot_resume_never_replaces_one_that_can(flaky: FlakyStore, clock: FakeClock) -> None:
    heat = make(flaky, clock, [], resumable=True, state=lambda: {"elapsed": 60.0})
    heat.begin()  # in one tmux pane
    other = Store(flaky.data_dir, now=clock.now)  # another neck-tui on the same data
    due = make(other, clock, [], kind="posture_break")
    due.begin()
    due.checkpoint()
    assert Store(flaky.data_dir).load().in_progress["id"] == heat.id
    due.finish(False)
    assert Store(flaky.data_dir).load().in_progress["id"] == heat.id
