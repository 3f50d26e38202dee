"""SessionLog: the one way an activity records a session (start, checkpoint, finish, abandon).

No Textual here. A screen makes a SessionLog when its session starts, may checkpoint it
while it runs (for resume after a dropped SSH link), and finishes it exactly once:
completed, stopped early, or abandoned by quit/SIGTERM/SIGHUP. A second finish is ignored,
so a signal arriving while the screen is already saving cannot write a duplicate.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Callable

from neck_tui.store import Record, Store


class SessionLog:
    def __init__(
        self,
        store: Store,
        kind: str,
        now: Callable[[], datetime],
        pain_before: int | None = None,
        details: dict[str, Any] | None = None,
        started: datetime | None = None,
        record_id: str | None = None,
    ) -> None:
        self.store = store
        self.kind = kind
        self.now = now
        self.id = record_id or uuid.uuid4().hex
        self.started = started or now()
        self.pain_before = pain_before
        self.details: dict[str, Any] = dict(details or {})
        self.record: Record | None = None  # set once finished
        # A session carried over from a checkpoint may already have a provisional record
        # (saved when the link dropped): finishing replaces it rather than adding another.
        self._may_exist = record_id is not None

    @property
    def finished(self) -> bool:
        return self.record is not None

    def checkpoint(self, state: dict[str, Any]) -> None:
        """Keep what is needed to resume this session in state.toml [in_progress]."""
        if self.finished:
            return
        self.store.set_in_progress(
            {
                "id": self.id,
                "kind": self.kind,
                "started": self.started,
                "saved": self.now(),
                "pain_before": self.pain_before,
                "details": self.details,
                **state,
            }
        )

    def finish(
        self, completed: bool, pain_after: int | None = None, *, keep_checkpoint: bool = False, **details: Any
    ) -> Record | None:
        """Save the record once; later calls do nothing and return None.

        keep_checkpoint leaves [in_progress] in place (a dropped link: resume is offered later)."""
        if self.finished:
            return None
        self.details.update(details)
        record = Record(
            id=self.id,
            kind=self.kind,
            started=self.started,
            ended=self.now(),
            completed=completed,
            pain_before=self.pain_before,
            pain_after=pain_after,
            details=self.details,
        )
        self.record = record
        if self._may_exist:
            self.store.update_record(record)
        else:
            self.store.add_record(record)
        in_progress = self.store.state.in_progress
        if not keep_checkpoint and in_progress and in_progress.get("id") == self.id:
            self.store.set_in_progress(None)
        return record

    def set_pain_after(self, pain_after: int | None) -> None:
        """Add the after-session pain to an already saved record."""
        if self.record is None or pain_after is None:
            return
        self.record = self.record.model_copy(update={"pain_after": pain_after})
        self.store.update_record(self.record)

    def abandon(self, reason: str) -> Record | None:
        """Save as not completed (quit, SIGTERM, SIGHUP, a closed terminal)."""
        return self.finish(False, stopped=reason)
