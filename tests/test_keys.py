"""Keys mean one thing (issue 17): walks the BINDINGS of every screen (the activity registry's and
every other in neck_tui.screens) and every dialog (neck_tui.dialogs), with the App's own.

- On one screen a key does one thing. A key bound to two actions there is allowed only for a pair
  in MODE_PAIRS, which the screen's mode decides between (space pauses or resumes).
- The same action has the same keys on every screen; the deliberate exceptions are ACTION_EXCEPTIONS.
- A letter of Home's (h Heat, b Breathe...) means that activity or nothing on the screens one key
  from Home and on the sessions they start; the exceptions are HOME_LETTER_EXCEPTIONS.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from typing import Any, Callable

import pytest
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

import neck_tui.dialogs
import neck_tui.screens
from neck_tui import activities
from neck_tui.app import NeckApp
from neck_tui.content import Content
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.custom_patterns import CustomPatterns
from neck_tui.dialogs.flag_question import FlagQuestion
from neck_tui.dialogs.pain import PainCheck
from neck_tui.dialogs.patterns import PatternPicker
from neck_tui.dialogs.skin import SkinCheck
from neck_tui.dialogs.sources import SourcesDialog
from neck_tui.plans.breathing import all_plans
from neck_tui.screens.help import APP, OWN, TEXTUAL, HelpScreen
from neck_tui.screens.notice import NoticeScreen
from tests.fakes import FakeClock, wait_for
from tests.screen import screen_text

# Two actions one key may have on one screen: the screen's mode decides which one it does
# (check_action disables the other, or the first enabled one comes first in BINDINGS).
MODE_PAIRS: dict[frozenset[str], str] = {
    frozenset({"pause", "resume"}): "space: the Footer names what it will do now",
    frozenset({"stop", "leave"}): "escape: while a session runs it stops (asks first), before or after it leaves",
    frozenset({"stop", "back"}): "escape/q on heat/cold: stop while running (asks), back in setup and when done",
    frozenset({"start", "back"}): "Enter on heat/cold: start in setup, back when done",
    frozenset({"skip", "back"}): "escape on the pain check: back before a session, skip after it (nothing to go back to)",
    frozenset({"answer(False)", "leave"}): "escape on the red-flag screen: 'no, stay' while asked to go on, else Home",
    frozenset({"copy_text", "quit"}): "ctrl+c: Textual copies a selection; with none the app quits",
}

# (action, screen class): where an action has other keys than everywhere else, and why.
ACTION_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("answer(False)", "FlagQuestion"): "escape goes back to the pain rating: only n says no to a flag",
    ("back", "ThermalScreen"): "the done view: Enter and q also go back (the session is over)",
    ("close", "HelpScreen"): "? and F1 close the help they opened",
    ("close", "CustomPatterns"): "a form: its fields take letters and Enter, so escape alone closes it",
    ("skip", "PainCheck"): "escape skips the pain after a session: there is nothing to go back to",
}

# (screen class, key): a Home letter that means something else there, and why.
HOME_LETTER_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("SkinCheck", "p"): "issue 14: only o (skin OK) and p (problem) answer a skin check",
    ("Confirm", "y"): "y is yes in every question; Home asks none, so its y (History) is never a keystroke away",
    ("FlagQuestion", "y"): "y is yes in every question",
    ("RedFlagScreen", "y"): "y is yes to 'go on anyway?', asked only after g",
    ("PainCheck", "s"): "s skips, everywhere: the pain check",
    ("TriageScreen", "s"): "s skips, everywhere: the pain rating",
    ("ExerciseRunner", "s"): "s skips, everywhere: an exercise",
    ("BreaksScreen", "s"): "s skips, everywhere: a posture break",
}

# The screens to which a Home letter leads (and the sessions they start, and their dialogs); Home
# itself, and the pages that only list (History, Learn, Settings, a record), are not in a session.
NOT_IN_SESSION = {"HomeScreen", "HistoryScreen", "LearnScreen", "SettingsScreen", "RecordScreen", "HelpScreen",
                  "NoticeScreen", "SourcesDialog", "NeckScreen", "Dialog"}


def screen_classes() -> dict[str, type[Screen[Any]]]:
    """Every screen and dialog class of the app, by name."""
    found: dict[str, type[Screen[Any]]] = {}
    for package in (neck_tui.screens, neck_tui.dialogs):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                    found[cls.__name__] = cls
    return found


def registry_classes() -> list[type[Screen[Any]]]:
    out = []
    for entry in activities.ENTRIES:
        module, _, name = entry.screen.partition(":")
        out.append(getattr(importlib.import_module(f"neck_tui.screens.{module}"), name))
    return out


def action_name(action: str) -> str:
    """An action without its namespace: app.open('heat') and open('heat') both open Heat."""
    for prefix in ("app.", "screen."):
        if action.startswith(prefix):
            return action[len(prefix):]
    return action


def bindings(cls: type[Any]) -> list[Binding]:
    """A class's bindings, its bases' included, one key each."""
    return [b for group in cls._merged_bindings.key_to_bindings.values() for b in group]


def actions_by_key(cls: type[Screen[Any]]) -> dict[str, set[str]]:
    """key -> the actions it has on this screen, with the App's own that are active there (all of
    them on a screen; on a modal one, a dialog, only its priority ones: Textual stops at a modal)."""
    out: dict[str, set[str]] = defaultdict(set)
    app = [b for b in bindings(NeckApp) if b.priority or not issubclass(cls, ModalScreen)]
    for binding in (*bindings(cls), *app):
        if action_name(binding.action) != "nothing":  # a key that must do nothing there
            out[binding.key].add(action_name(binding.action))
    return out


def test_the_walk_reaches_every_screen_and_dialog() -> None:
    found = screen_classes()
    assert set(registry_classes()) <= set(found.values())
    for name in ("ExerciseRunner", "RedFlagScreen", "SuggestionScreen", "Confirm", "PainCheck", "SkinCheck",
                 "FlagQuestion", "Advice", "PatternPicker", "HelpScreen"):
        assert name in found


def test_on_each_screen_a_key_does_one_thing() -> None:
    problems, used = [], set()
    for name, cls in screen_classes().items():
        for key, actions in actions_by_key(cls).items():
            if len(actions) > 1 and frozenset(actions) not in MODE_PAIRS:
                problems.append(f"{name}: {key} -> {sorted(actions)}")
            used.add(frozenset(actions))
    assert problems == [], "\n".join(problems)
    assert set(MODE_PAIRS) <= used, "a mode pair that no longer applies: remove it"


def test_an_action_has_the_same_keys_on_every_screen() -> None:
    keys: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    for name, cls in screen_classes().items():
        mine: dict[str, set[str]] = defaultdict(set)
        for binding in bindings(cls):
            mine[action_name(binding.action)].add(binding.key)
        for action, found in mine.items():
            if action != "nothing" and cls.__dict__.get("BINDINGS"):  # its own, not only a base's
                keys[action][name] = frozenset(found)
    problems, used = [], set()
    for action, per_screen in keys.items():
        usual = {found for name, found in per_screen.items() if (action, name) not in ACTION_EXCEPTIONS}
        if len(usual) > 1:
            problems.append(f"{action}: " + "; ".join(f"{n} {sorted(k)}" for n, k in sorted(per_screen.items())))
        used |= {(action, name) for name, found in per_screen.items()
                 if (action, name) in ACTION_EXCEPTIONS and found not in usual}
    assert problems == [], "\n".join(problems)
    assert used == set(ACTION_EXCEPTIONS), "an exception that no longer applies: remove it"


def test_home_letters_mean_their_activity_or_nothing_in_a_session() -> None:
    letters = {e.key: e.name for e in activities.ENTRIES}
    problems, used = [], set()
    for name, cls in screen_classes().items():
        if name in NOT_IN_SESSION:
            continue
        for key, actions in actions_by_key(cls).items():
            if key not in letters or actions <= {f"open('{letters[key]}')", "breathe" if key == "b" else ""}:
                continue
            if (name, key) in HOME_LETTER_EXCEPTIONS:
                used.add((name, key))
            else:
                problems.append(f"{name}: {key} is {letters[key]} on Home but {sorted(actions)} here")
    assert problems == [], "\n".join(problems)
    assert used == set(HOME_LETTER_EXCEPTIONS), "an exception that no longer applies: remove it"


def test_the_conflicts_the_issue_names_are_gone() -> None:
    """h heat / it hurts, b breathe / back a rep, p posture / pattern, c cold / go on anyway."""
    found = screen_classes()
    runner = actions_by_key(found["ExerciseRunner"])
    assert "h" not in runner and "b" not in runner
    assert runner["exclamation_mark"] == {"hurts"} and runner["left"] == {"back_rep"}
    assert "p" not in actions_by_key(found["BreathingScreen"])
    red_flag = actions_by_key(found["RedFlagScreen"])
    assert "c" not in red_flag and red_flag["g"] == {"ask_continue"}
    skin = actions_by_key(found["SkinCheck"])
    assert skin["o"] == {"answer('ok')"} and skin["p"] == {"answer('problem')"}  # issue 14


# -- at run time: the Footer at 80 columns, the help ----------------------------------------------


def footer_line(app: Any) -> str:
    """The Footer's row as the terminal shows it."""
    row = app.screen.query_one(Footer).region.y
    lines = screen_text(app).splitlines()
    return lines[row] if row < len(lines) else ""  # not drawn yet (the screen has just opened)


def footer_items(screen: Screen[Any]) -> list[str]:
    """What the Footer must show: "key label" of each binding shown there now."""
    items: dict[str, str] = {}  # the Footer shows an action once, with its first key
    for active in screen.active_bindings.values():
        if active.binding.show and active.binding.description:
            items.setdefault(active.binding.action,
                             f"{screen.app.get_key_display(active.binding)} {active.binding.description}")
    return list(items.values())


def dialogs(content: Content) -> list[Callable[[Any], Screen[Any]]]:
    """Every dialog, built as its screens build it."""
    tip = content.tips[0]
    return [
        lambda app: Confirm("Stop Heat?", "It is saved as stopped.", yes="stop", no="keep going", docked=True),
        lambda app: PainCheck("Heat: pain before you start", cancellable=True),
        lambda app: PainCheck("Heat finished: pain now"),
        lambda app: SkinCheck("Look at the skin: is it red, blistered or numb?", "HEAT, round 1"),
        lambda app: FlagQuestion(1, content.red_flags[0], 9),
        lambda app: Advice("Stopped: Chin tucks", content.exercise_info.hurts_advice, "Enter: OK."),
        lambda app: PatternPicker(all_plans(content, []), None),
        lambda app: CustomPatterns(),
        lambda app: SourcesDialog(tip, content),
        lambda app: HelpScreen(app.screen),
        lambda app: NoticeScreen(),
    ]


# (where to start, keys, the screen class that then shows): the sessions and the triage results.
ROUTES = [
    ("heat", ("enter", "s"), "ThermalScreen"),
    ("breathe", ("enter", "s"), "BreathingScreen"),
    ("breathe", ("enter", "s", "space"), "BreathingScreen"),
    ("exercises", ("enter", "s"), "ExerciseRunner"),
    ("exercises", ("enter", "s", "space"), "ExerciseRunner"),
    ("massage", ("enter", "s"), "MassageScreen"),
    ("breaks", ("g",), "ExerciseRunner"),
    ("triage", ("2", "enter", "5", "enter"), "RedFlagScreen"),
    ("triage", ("2", "enter", "5", "enter", "g"), "RedFlagScreen"),
    ("triage", ("enter", "5", "enter"), "SuggestionScreen"),
]


async def check_screen(pilot: Any, app: Any, problems: list[str], where: str) -> None:
    """At 80 columns the Footer shows every key it has, uncut, and ? Help on every screen (a
    dialog's few keys are all in its Footer; the app's keys, ? included, wait under it)."""
    def missing() -> list[str]:
        if not (app.screen.is_mounted and app.screen.query(Footer)):
            return ["the screen, mounted"]
        line = footer_line(app)
        return [item for item in [*footer_items(app.screen), *([] if app.screen.is_modal else ["? Help"])]
                if item not in line]

    try:  # the Footer recomposes a frame or more after the screen's keys change: wait for it
        await wait_for(pilot, lambda: not missing(), timeout=10.0)
    except AssertionError:
        problems += [f"{where}: {item!r} not in the Footer {footer_line(app).strip()!r}" for item in missing()]


async def test_every_footer_at_80_columns_shows_its_keys_and_help(make_app: Callable[..., Any], content: Content) -> None:
    problems: list[str] = []
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await check_screen(pilot, app, problems, "Home")
        for entry in activities.ENTRIES:  # each registry screen, opened by its Home letter
            await pilot.press(entry.key)
            await wait_for(pilot, lambda: type(app.screen).__name__ != "HomeScreen")
            await check_screen(pilot, app, problems, entry.name)
            app.action_home()
            await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        for build in dialogs(content):
            dialog = build(app)
            app.push_screen(dialog)
            await wait_for(pilot, lambda: app.screen is dialog)
            await check_screen(pilot, app, problems, type(dialog).__name__)
            dialog.dismiss(None)
            await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("start", "keys", "name"), ROUTES, ids=[f"{r[0]}-{'-'.join(r[1])}" for r in ROUTES])
async def test_every_footer_in_a_session_at_80_columns(make_app: Callable[..., Any], start: str,
                                                       keys: tuple[str, ...], name: str) -> None:
    problems: list[str] = []
    app = make_app(start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await wait_for(pilot, lambda: type(app.screen).__name__ == name)
        await check_screen(pilot, app, problems, f"{start} {' '.join(keys)}")
    assert problems == [], "\n".join(problems)


async def open_help(pilot: Any, app: Any) -> list[str]:
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    return str(app.screen.query_one("#help-text").render()).splitlines()


def block(lines: list[str], title: str) -> list[str]:
    """The rows under one heading of the help, up to the next heading."""
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if lines[i] in (OWN, APP, TEXTUAL)), len(lines))
    return [line.strip() for line in lines[start:end] if line.strip()]


async def test_help_lists_the_screens_keys_in_order_of_use_then_the_apps_then_textuals(
    make_app: Callable[..., Any],
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "s")  # start the routine, pain check skipped
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExerciseRunner")
        lines = await open_help(pilot, app)
    assert [line for line in lines if line in (OWN, APP, TEXTUAL)] == [OWN, APP, TEXTUAL]
    own = [" ".join(row.split()) for row in block(lines, OWN)]
    assert own == ["space Pause", "! It hurts", "esc / q Stop", "n Next", "← Rep back", "s Skip"]
    assert not any("Back" in row and "esc" in row for row in lines)  # escape stops here
    everywhere = block(lines, APP)
    assert any(row.startswith("ctrl+q") for row in everywhere) and any(row.startswith("? / F1") for row in everywhere)
    assert any("Focus Next" in row for row in block(lines, TEXTUAL))
    assert not any("Focus Next" in row or "Copy" in row for row in own + everywhere)


async def test_help_on_home_keeps_home_order_and_says_back_only_where_escape_goes_back(
    make_app: Callable[..., Any],
) -> None:
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        history = block(await open_help(pilot, app), OWN)
        await pilot.press("escape")
        app.action_home()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        home = block(await open_help(pilot, app), OWN)
    assert any(row.split()[:2] == ["esc", "Back"] for row in history)
    assert [row.split()[0] for row in home][1:] == [e.key for e in activities.ENTRIES]  # after Enter Open
    assert not any(row.startswith("esc") for row in home)  # Home is the bottom: escape does nothing


async def test_the_heat_cold_footer_in_a_rest_fits_80_columns(make_app: Callable[..., Any], clock: FakeClock) -> None:
    """The longest session Footer: a rest, with + and - for its length, paused."""
    from tests.test_thermal import MIN, advance, answer_check, start

    problems: list[str] = []
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "right")  # two rounds: a rest between them
        await start(pilot)
        await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 8 * MIN)
        assert "plus" in screen.active_bindings
        await check_screen(pilot, app, problems, "cold rest")
        await pilot.press("space")
        await check_screen(pilot, app, problems, "cold rest, paused")
    assert problems == [], "\n".join(problems)


async def test_at_40_columns_a_running_heat_footer_keeps_its_keys_and_help(
        make_app: Callable[..., Any], clock: FakeClock) -> None:
    """Under 60 columns the palette hint gives way (ctrl+p stays in the help), so the session's keys
    and ? Help are not cut."""
    from tests.test_thermal import start

    problems: list[str] = []
    app = make_app(start="heat")
    async with app.run_test(size=(40, 15)) as pilot:
        await start(pilot)
        await check_screen(pilot, app, problems, "heat running at 40x15")
        assert "palette" not in footer_line(app)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("key", [entry.key for entry in activities.ENTRIES])
async def test_every_screen_opened_from_home_shows_all_its_keys_at_40_columns(
    make_app: Callable[..., NeckApp], key: str
) -> None:
    """Under 60 columns every Footer takes Textual's compact look (one rule, in the Footer), so
    Home and each screen it opens show all their keys and ? Help, uncut, in a 40-column pane."""
    app = make_app()
    problems: list[str] = []
    async with app.run_test(size=(40, 15)) as pilot:
        home = app.screen
        await check_screen(pilot, app, problems, "Home")
        await pilot.press(key)
        await wait_for(pilot, lambda: app.screen is not home)
        await check_screen(pilot, app, problems, f"{key} from Home")
    assert problems == [], "\n".join(problems)


async def test_the_footer_keeps_its_keys_when_they_do_not_change_and_redraws_when_they_do(
    make_app: Callable[..., Any],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "? Help" in footer_line(app))
        before = list(app.screen.query(FooterKey))
        app.screen.refresh_bindings()  # as a focus change does, with the same keys
        for _ in range(3):
            await pilot.pause()
        assert list(app.screen.query(FooterKey)) == before  # not rebuilt
        await pilot.press("b")  # breathing: other keys
        await wait_for(pilot, lambda: "r Pattern" in footer_line(app))
