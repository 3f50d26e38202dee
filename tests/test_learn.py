"""Learn: tips grouped from content, citations that open to full references, `learn --list`,
the tip for a context, and the screen at 80x24 and 40x15."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.widgets import Static

from neck_tui import learn
from neck_tui.cli import main
from neck_tui.content import Content
from neck_tui.dialogs.sources import SourcesDialog
from neck_tui.screens.learn import LearnScreen, TipCard
from tests.fakes import content_error, wait_for

# -- the pure part ---------------------------------------------------------------------------------


def test_every_tip_is_under_one_heading_in_order(content: Content) -> None:
    groups = learn.grouped(content)
    assert [g.title for g in groups] == [title for _, title in learn.GROUPS]
    listed = [t.id for g in groups for t in g.tips]
    assert sorted(listed) == sorted(t.id for t in content.tips)
    about = next(g for g in groups if g.id == "about")
    assert [t.id for t in about.tips][:1] == ["what_is_a_spasm"]
    care = next(g for g in groups if g.id == "care")
    assert "physical_therapy" in [t.id for t in care.tips]


def test_every_shipped_tip_has_a_known_source(content: Content) -> None:
    source_ids = {s.id for s in content.sources}
    for tip in content.tips:
        assert tip.sources, tip.id
        assert set(tip.sources) <= source_ids


def test_citations_short_and_full(content: Content) -> None:
    by_id = {s.id: s for s in content.sources}
    assert learn.citation(by_id["hinge_neck_spasms"]) == "Hinge Health, 2023"  # no authors: the publisher
    assert learn.citation(by_id["lee_oh_2022"]) == "Lee & Oh, 2022"
    assert learn.citation(by_id["sitthipornvorakul_2019"]) == "Sitthipornvorakul et al., 2019"
    assert learn.citation(by_id["watson_2015"]) == "Watson et al., 2015"
    full = learn.reference(by_id["jeitler_2015"])
    assert any("Effectiveness of jyoti meditation" in line for line in full)
    assert any("2015" in line for line in full)
    assert "doi:10.1016/j.jpain.2014.10.009 (https://doi.org/10.1016/j.jpain.2014.10.009)" in full
    sleep = next(t for t in content.tips if t.id == "sleep")
    assert learn.citations(sleep, content) == (
        "Sources: Watson et al., 2015; Lee & Oh, 2022; Yabe et al., 2022; Scarabottolo et al., 2020"
    )


def test_warning_signs_list_the_red_flags_from_content(content: Content) -> None:
    tip = next(t for t in content.tips if t.red_flags)
    body = learn.tip_body(tip, content)
    assert len(body) == 1 + len(content.red_flags)
    urgent = next(f for f in content.red_flags if f.urgent)
    assert f"- {urgent.text} (urgent)" in body


def test_list_text_has_every_tip_and_reference(content: Content) -> None:
    text = learn.list_text(content)
    for _, title in learn.GROUPS:
        assert title.upper() in text
    flat = " ".join(text.split())
    for tip in content.tips:
        assert tip.title in text
        assert " ".join(tip.text.split()) in flat
    for source in content.sources:
        if any(source.id in t.sources for t in content.tips):
            assert source.title in flat
            if source.doi:
                assert f"doi:{source.doi}" in flat
    assert max(len(line) for line in text.splitlines()) <= learn.LIST_WIDTH


def test_tip_for_a_context_rotates_by_day(content: Content) -> None:
    day = date(2026, 11, 25)
    home = [t for t in content.tips if "home" in t.contexts]
    shown = [learn.tip_for(content, "home", day + timedelta(days=i)) for i in range(len(home))]
    assert sorted(t.id for t in shown if t) == sorted(t.id for t in home)  # each one in turn
    assert learn.tip_for(content, "home", day) == learn.tip_for(content, "home", day)  # all day the same
    after_heat = learn.tip_for(content, learn.after_context("heat"), day)
    assert after_heat is not None and after_heat.id == "pain_breaks"
    for i in range(3):
        tip = learn.tip_for(content, "posture_break", day + timedelta(days=i))
        assert tip is not None and tip.id in ("walk_more", "posture_breaks")
    assert learn.tip_for(content, "after_triage", day) is None
    assert learn.tip_line(content, "after_cold", day) == f"Tip: {after_heat.line}"
    assert learn.tip_line(content, "after_cold", day, enabled=False) == ""
    assert learn.tip_line(content, "after_triage", day) == ""


# -- bad content --------------------------------------------------------------------------------------


def _error(tmp_path: Path, text: str) -> tuple[str, Path]:
    return content_error(tmp_path, text, "mine.toml")


TIP = "[[tips]]\nid = 'mine'\ntitle = 'Mine'\ntext = 'A tip.'\n"


def test_tip_with_an_unknown_source(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, TIP + "group = 'now'\nsources = ['hinge_neck_spasms', 'nobody_2020']\n")
    assert "tips[id=mine].sources[1]" in message and "unknown source 'nobody_2020'" in message


def test_tip_with_an_unknown_group_or_context(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, TIP + "group = 'later'\n")
    assert "tips[id=mine].group" in message
    message, _ = _error(tmp_path, TIP + "group = 'now'\ncontexts = ['lunch']\nline = 'x'\n")
    assert "tips[id=mine].contexts" in message


def test_tip_with_contexts_needs_a_line(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, TIP + "group = 'now'\ncontexts = ['home']\n")
    assert "tips[id=mine]" in message and "line" in message


def test_tip_line_too_long(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, TIP + f"group = 'now'\ncontexts = ['home']\nline = '{'x' * 73}'\n")
    assert "tips[id=mine].line" in message


# -- the command line ---------------------------------------------------------------------------------


def test_learn_list_prints_plain_text_without_touching_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Content
) -> None:
    data = tmp_path / "data"
    assert main(["learn", "--list", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert out == learn.list_text(content)
    assert "\x1b" not in out  # no escape codes: plain text for a pipe or a file
    assert not data.exists()


def test_learn_list_with_bad_content_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine.toml").write_text(TIP + "group = 'now'\nsources = ['nobody']\n", encoding="utf-8")
    assert main(["learn", "--list", "--content-dir", str(tmp_path), "--data-dir", str(tmp_path / "d")]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "unknown source 'nobody'" in err


# -- the screen ---------------------------------------------------------------------------------------


def _focused_tip(app: Any) -> str:
    focused = app.screen.focused
    assert isinstance(focused, TipCard)
    return focused.tip.id


async def test_opens_from_home_with_l_and_reads_top_down(make_app: Callable[..., Any], content: Content) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LearnScreen)
        headings = [str(s.render()) for s in app.screen.query(".learn-group").results(Static)]
        assert headings == [title for _, title in learn.GROUPS]
        order = [t.id for g in learn.grouped(content) for t in g.tips]
        assert _focused_tip(app) == order[0]
        seen = [order[0]]
        for _ in range(60):  # down to the end: every tip is reached, in order
            await pilot.press("down")
            if _focused_tip(app) != seen[-1]:
                seen.append(_focused_tip(app))
        assert seen == order
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LearnScreen)


async def test_enter_opens_the_full_reference(make_app: Callable[..., Any]) -> None:
    app = make_app(start="learn")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#tip-walk_more", TipCard)
        assert "Source: Sitthipornvorakul et al., 2019" in str(card.render())
        card.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourcesDialog)
        text = " ".join(str(s.render()) for s in app.screen.query(".source-ref").results(Static))
        assert "The effects of walking intervention on preventing neck pain" in text
        assert "(2019)" in text and "doi:10.1002/1348-9585.12106" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LearnScreen) and _focused_tip(app) == "walk_more"


async def test_a_tall_tip_is_scrolled_through_at_40x15(make_app: Callable[..., Any]) -> None:
    app = make_app(start="learn")
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        screen = app.screen
        card = screen.query_one("#tip-warning_signs", TipCard)
        card.focus()
        body = screen.query_one("#learn-body")

        def scrolled_to_it() -> bool:  # focus scrolls it into view, animated
            view = body.content_region
            return view.y <= card.region.y < view.bottom and not app.animator.is_being_animated(body, "scroll_y")

        await wait_for(pilot, scrolled_to_it)
        assert card.region.height > body.content_region.height  # taller than the view
        assert card.region.y >= body.content_region.y  # its title shows first
        presses = 0
        while card.region.bottom > body.content_region.bottom:
            before = card.region
            await pilot.press("down")
            await wait_for(pilot, lambda: card.region != before or _focused_tip(app) != "warning_signs")  # scrolled
            presses += 1
            assert _focused_tip(app) == "warning_signs", "moved on before the end of the tip"
            assert presses < 10
        assert presses >= 1
        assert screen.query_one("#tip-warning_signs", TipCard).region.bottom <= body.content_region.bottom


async def test_learn_in_the_command_palette(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open Learn" in titles
        await pilot.pause()


# -- tips in context: Home, and the Settings switch --------------------------------------------------


async def test_home_shows_todays_tip_and_settings_turns_tips_off(
    make_app: Callable[..., Any], content: Content, store: Any, clock: Any
) -> None:
    from textual.widgets import Switch

    from neck_tui.store import Store

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tip = app.screen.query_one("#home-tip", Static)
        expected = learn.tip_for(content, "home", clock.now().astimezone().date())
        assert expected is not None
        assert tip.display and str(tip.render()) == f"Tip: {expected.line}"
        await pilot.press("s")
        await pilot.pause()
        switch = app.screen.query_one("#tips", Switch)
        assert switch.value is True
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#tips-state", Static).render()) == "off"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#home-tip", Static).display
    assert Store(store.data_dir).load().settings.tips is False  # kept on disk
