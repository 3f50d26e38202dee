"""The app holds the one running session: quitting asks, signals hang up through the lifecycle,
and a failing store is one line on screen, whatever the kind of session."""

from __future__ import annotations

import os
import signal
from typing import Any, Callable

import pytest

from neck_tui.dialogs.confirm import Confirm
from neck_tui.store import Store, StoreError
from tests.fakes import wait_for
from tests.screen import screen_text, words


def _leaving(app: Any) -> list[int]:
    """Instead of ending the test process: note the exit code and exit the app."""
    codes: list[int] = []
    app.leave_now = lambda code: (codes.append(code), app.exit(code, return_code=code))
    return codes


async def test_ctrl_q_without_a_session_quits_at_once(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0


@pytest.mark.parametrize("kind", ["heat", "breathing", "exercise", "posture_break"])
async def test_ctrl_q_asks_while_a_session_runs(make_app: Callable[..., Any], accepted_store: Store, kind: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.new_session(kind, pain_before=4, resumable=kind == "heat")
        app.begin_session(session)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm) and "Quit neck-tui?" in words(app))
        assert "saved as not completed" in words(app)
        await pilot.press("n")  # keep going
        await wait_for(pilot, lambda: not isinstance(app.screen, Confirm))
        assert app.session is session and not session.ended
        await pilot.press("ctrl+q", "y")
        await wait_for(pilot, lambda: not app.is_running)
    store = Store(accepted_store.data_dir)
    [record] = store.records()
    assert record.kind == kind and record.completed is False and record.details["stopped"] == "quit"
    # A heat pack stays on after a quit: it is offered for resume, exactly as after a dropped link.
    assert (store.load().in_progress is not None) == (kind == "heat")


async def test_a_failing_store_is_one_line_on_screen_and_the_session_goes_on(
    make_app: Callable[..., Any], accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        session = app.new_session("breathing")

        def full(*args: Any, **kwargs: Any) -> None:
            raise StoreError("cannot write state.toml: No space left on device")

        monkeypatch.setattr(accepted_store, "set_in_progress", full)
        monkeypatch.setattr(accepted_store, "add_record", full)
        app.begin_session(session)
        session.checkpoint()
        await wait_for(pilot, lambda: "No space left on device" in words(app))
        assert "goes on in memory" in words(app) and str(accepted_store.data_dir) in words(app)
        assert app.session is session and not session.ended
        session.finish(True)  # the record waits in memory
        monkeypatch.undo()
        assert app.saver.retry()
    [record] = Store(accepted_store.data_dir).records()
    assert record.completed is True


@pytest.mark.parametrize("names_the_file", [True, False])
async def test_at_40x15_a_store_error_shows_the_data_directory_whole(
    make_app: Callable[..., Any], accepted_store: Store, monkeypatch: pytest.MonkeyPatch, names_the_file: bool
) -> None:
    app = make_app()
    data = str(accepted_store.data_dir)
    problem = f"cannot write {data}/state.toml: No space left on device" if names_the_file else "disk full"
    async with app.run_test(size=(40, 15), notifications=True) as pilot:

        def full(*args: Any, **kwargs: Any) -> None:
            raise StoreError(problem)

        monkeypatch.setattr(accepted_store, "set_in_progress", full)
        app.begin_session(app.new_session("breathing"))
        await wait_for(pilot, lambda: "goes on in memory" in words(app))
        await pilot.pause()
        # What the pane shows of the notice, its lines joined: the problem and the path.
        toast = "".join(line.split("▌", 1)[1].strip() for line in screen_text(app).splitlines() if "▌" in line)
        assert toast.startswith("Could not save"), screen_text(app)
        assert "".join(data.split()) in toast, screen_text(app)
        assert words(app).count(data) == 1  # said once: "Data: ..." only when the error does not name it
        assert toast.endswith("saved again soon.") == names_the_file


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
async def test_a_signal_keeps_its_exit_code_even_when_the_save_fails(
    make_app: Callable[..., Any], accepted_store: Store, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    app = make_app()
    codes = _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        app.begin_session(app.new_session("exercise", pain_before=3))

        def full(*args: Any, **kwargs: Any) -> None:
            raise StoreError("history is read-only")

        monkeypatch.setattr(accepted_store, "add_record", full)
        monkeypatch.setattr(accepted_store, "set_in_progress", full)
        os.kill(os.getpid(), signum)
        await wait_for(pilot, lambda: not app.is_running)
    if signum == signal.SIGHUP:
        assert codes == [128 + signum]
    assert app.return_code == 128 + signum
