"""One session lifecycle for every activity: begin, checkpoint, pause/resume, finish, abandon,
hang-up; and the one error policy for the store. No Textual here.

An activity makes a `Session` and hands it to the app (`NeckApp.begin_session`); from then on the
session, not the screen, is what quit, ctrl+c, SIGTERM, SIGHUP and a closed stdin act on. The
activity gives the session two small functions: `state()` (what to checkpoint now, for resume and
for `neck-tui status`) and `describe(reason)` (the record's details if it ends now). A session is
saved exactly once (a second finish is ignored), and it tells its owner when it has ended, so
nobody needs to check "is it still mine".

How a screen uses it (the same for every activity):

    session = self.neck.new_session("heat", pain_before=pain, details={...}, resumable=True,
                                    state=plan_state_now, describe=record_details_if_ended_now)
    self.neck.begin_session(session)       # the app holds it; quit/signals act on it
    session.tick("HEAT", seconds_left)     # what is shown now (title, `neck-tui status`)
    session.checkpoint()                   # at phase changes and every CHECKPOINT_EVERY_S
    session.emit("phase_end") / session.emit("skin_check_due")
    session.pause() / session.resume()
    session.stop("stopped by user")        # or finish(completed, **details): saved once
    ask_pain_after(app, "Pain after", session.set_pain_after)   # always, after any stop
    pain = self.neck.read("recent pain", lambda: insights.recent_pain(store, now))

Store errors never escape: every write goes through `Saver`, which reports one line (what failed,
that the session goes on in memory, where the data is) and keeps the write to retry on the next
save. A running timer therefore never stops because a disk is full.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Callable

from neck_tui.events import EventBus, SessionEvent
from neck_tui.store import Record, Store, StoreError

Report = Callable[[str], None]


class Saver:
    """Runs store writes; a failed one is reported once and retried later, in order."""

    def __init__(self, store: Store, report: Report) -> None:
        self.store = store
        self.report = report
        self._pending: dict[str, tuple[str, Callable[[], Any]]] = {}  # key -> (what, write)
        self.failing = False
        self._last_report = ""

    def run(self, key: str, what: str, write: Callable[[], Any]) -> bool:
        """Write now (after any earlier writes still waiting); False if it had to wait."""
        self._pending.pop(key, None)
        self._pending[key] = (what, write)
        return self.retry()

    def report_once(self, message: str) -> None:
        """Report a problem unless it is the one reported last (a broken history, read by
        every screen that opens, is said once)."""
        if message != self._last_report:
            self._last_report = message
            self.report(message)

    def retry(self) -> bool:
        """Try every waiting write, oldest first; True when none is left."""
        for key, (what, write) in list(self._pending.items()):
            try:
                write()
            except StoreError as exc:
                if not self.failing:  # one line per outage, not one per tick
                    self.report(
                        f"Could not save {what}: {exc}. All goes on in memory, saved again soon."
                        f"{_data_dir(self.store, exc)}"
                    )
                self.failing = True
                return False
            del self._pending[key]
        if self.failing:
            self.failing = False
            self.report("Saved again: everything waiting has been written.")
        return True

    @property
    def waiting(self) -> bool:
        return bool(self._pending)


def _data_dir(store: Store, exc: StoreError) -> str:
    """Where the data is, unless the error already says (a path said twice is cut in a small pane)."""
    return "" if str(store.data_dir) in str(exc) else f" Data: {store.data_dir}"


def read_or_none(saver: Saver, what: str, read: Callable[[], Any]) -> Any:
    """A read that may fail (the store's history): None and one reported line instead of a crash."""
    try:
        return read()
    except StoreError as exc:
        saver.report_once(f"Could not read {what}: {exc}. Carrying on without it.{_data_dir(saver.store, exc)}")
        return None


class Session:
    """One running session of any kind, from begin to its single saved record."""

    def __init__(
        self,
        saver: Saver,
        kind: str,
        now: Callable[[], datetime],
        *,
        pain_before: int | None = None,
        details: dict[str, Any] | None = None,
        started: datetime | None = None,
        record_id: str | None = None,
        resumable: bool = False,
        state: Callable[[], dict[str, Any]] | None = None,
        describe: Callable[[str | None], dict[str, Any]] | None = None,
        events: EventBus | None = None,
    ) -> None:
        self.saver = saver
        self.kind = kind
        self.now = now
        self.id = record_id or uuid.uuid4().hex
        self.started = started or now()
        self.pain_before = pain_before
        self.details: dict[str, Any] = dict(details or {})
        self.resumable = resumable  # its checkpoint can be carried on after a hang-up
        self.state = state or dict
        self.describe = describe or (lambda reason: {})
        self.events = events or EventBus()
        self.record: Record | None = None
        self.paused = False
        self.status: dict[str, Any] = {}  # phase_label, phase_left, ... for checkpoints and status
        self.on_end: Callable[[Session], None] | None = None  # set by the app while it holds it
        # A session carried over from a checkpoint may already have a provisional record
        # (saved when the link dropped): saving replaces it rather than adding another.
        self._may_exist = record_id is not None
        self._last_tick: tuple[Any, ...] | None = None

    @property
    def store(self) -> Store:
        return self.saver.store

    @property
    def ended(self) -> bool:
        return self.record is not None

    # -- while it runs ---------------------------------------------------------------------------
    def begin(self) -> None:
        self.emit("session_begin")
        self.checkpoint()

    def emit(self, name: str, **fields: Any) -> None:
        phase = fields.pop("phase", self.status.get("phase_label"))
        left = fields.pop("seconds_left", self.status.get("phase_left"))
        self.events.emit(
            SessionEvent(name, self.kind, self.id, phase=phase, seconds_left=left, paused=self.paused, extra=fields)
        )

    def tick(self, phase_label: str, seconds_left: float | None, **status: Any) -> None:
        """What the session shows now; emits a `tick` event when the shown second or word changes."""
        self.status = {"phase_label": phase_label, "phase_left": seconds_left, **status}
        shown = (phase_label, None if seconds_left is None else int(seconds_left), self.paused, tuple(status.items()))
        if shown != self._last_tick:
            self._last_tick = shown
            self.emit("tick")

    def checkpoint(self) -> None:
        """Keep what is needed to resume (and to show `neck-tui status`) in state.toml [in_progress]."""
        if self.ended:
            return
        checkpoint = {
            "id": self.id,
            "kind": self.kind,
            "started": self.started,
            "saved": self.now(),
            "pain_before": self.pain_before,
            "details": self.details,
            "resumable": self.resumable,
            "paused": self.paused,
            **{k: v for k, v in self.status.items() if v is not None},
            **self.state(),
        }
        # A session that cannot be resumed never replaces the checkpoint of one that can (a
        # heat session in another pane keeps its resume offer when a break comes due here).
        self.saver.run(
            "checkpoint",
            "the session's checkpoint",
            lambda: self.store.set_in_progress(checkpoint, over_resumable=self.resumable),
        )

    def pause(self) -> None:
        self.paused = True
        self.checkpoint()

    def resume(self) -> None:
        self.paused = False
        self.checkpoint()

    # -- the end ---------------------------------------------------------------------------------
    def finish(self, completed: bool, *, keep_checkpoint: bool = False, **details: Any) -> Record | None:
        """Make the record once and save it (or keep it waiting to be saved); later calls: None.

        keep_checkpoint leaves [in_progress] for the resume offer (a hang-up of a resumable session)."""
        if self.ended:
            return None
        self.details.update(details)
        record = Record(
            id=self.id,
            kind=self.kind,
            started=self.started,
            ended=self.now(),
            completed=completed,
            pain_before=self.pain_before,
            pain_after=None,
            details=self.details,
        )
        self.record = record
        self._save_record(keep_checkpoint)
        self.emit("session_end", completed=completed, stopped=self.details.get("stopped"))
        if self.on_end is not None:
            self.on_end(self)
        return record

    def stop(self, reason: str | None, completed: bool = False) -> Record | None:
        """End it now with the activity's own details (the user stopped it, or it ran out)."""
        return self.finish(completed, **{**self.describe(reason), "stopped": reason})

    def abandon(self, reason: str) -> Record | None:
        """Saved as not completed: quit, or the screen went away under it."""
        return self.stop(reason)

    def hang_up(self, reason: str) -> Record | None:
        """The terminal went away (SIGHUP, SIGTERM, stdin closed). A resumable session takes a
        fresh checkpoint and keeps it for the resume offer; every session is saved as not
        completed at once, so the history is right even if the user never comes back."""
        if self.ended:
            return None
        if self.resumable:
            self.checkpoint()
        return self.finish(False, keep_checkpoint=self.resumable, **{**self.describe(reason), "stopped": reason})

    def set_pain_after(self, pain_after: int | None) -> None:
        """Add the after-session pain to the saved record (None: skipped, nothing to add)."""
        if pain_after is not None:
            self.amend(pain_after=pain_after)

    def amend(self, pain_after: int | None = None, **details: Any) -> None:
        """Change the saved record: its pain after, or details learnt after it ended (what the
        person chose after a triage)."""
        if self.record is None:
            return
        self.details.update(details)
        update: dict[str, Any] = {"details": dict(self.details)}
        if pain_after is not None:
            update["pain_after"] = pain_after
        self.record = self.record.model_copy(update=update)
        self._save_record(keep_checkpoint=False)

    def _save_record(self, keep_checkpoint: bool) -> None:
        record = self.record
        assert record is not None
        may_exist = self._may_exist
        store = self.store

        def write() -> None:
            if may_exist:
                store.update_record(record)
            else:
                store.add_record(record)
            in_progress = store.state.in_progress
            if not keep_checkpoint and in_progress and in_progress.get("id") == record.id:
                store.set_in_progress(None)

        self._may_exist = True  # whether this write lands now or later, the next one replaces it
        self.saver.run(f"record:{record.id}", f"the {self.kind} session", write)
