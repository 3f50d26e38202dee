"""`neck-tui serve`: the page answers on 127.0.0.1 and the app runs behind it, on the same data."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from neck_tui.store import Store

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 20.0
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    store = Store(data)
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "neck_tui", "serve", "--data-dir", str(data), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline().decode()
        assert f"serving on http://127.0.0.1:{port}" in first, first
        asyncio.run(_get(port, "/"))  # listening
        yield port, data
    finally:
        child.terminate()
        try:
            child.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            child.kill()


async def _get(port: int, path: str) -> tuple[int, str]:
    end = time.monotonic() + WAIT_S
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}{path}") as response:
                    return response.status, await response.text()
            except aiohttp.ClientConnectorError:
                if time.monotonic() > end:
                    raise
                await asyncio.sleep(0.1)


async def _app_output_until(port: int, wanted: bytes, send: list[str] = ()) -> bytes:  # type: ignore[assignment]
    """Open the page's websocket (what the browser does): the app starts; read its output."""
    seen = b""
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24") as ws:
            end = time.monotonic() + WAIT_S
            sent = False
            while time.monotonic() < end:
                try:
                    message = await ws.receive(timeout=1.0)
                except asyncio.TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += ANSI.sub(b"", message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
                if not sent and b"Triage" in seen:
                    for keys in send:
                        await ws.send_json(["stdin", keys])
                    sent = True
                if wanted in seen:
                    return seen
    raise AssertionError(f"{wanted!r} never came; the app wrote {seen[-600:]!r}")


def test_the_page_answers_on_localhost(server) -> None:  # type: ignore[no-untyped-def]
    port, _data = server
    status, html = asyncio.run(_get(port, "/"))
    assert status == 200 and "neck-tui" in html and "/ws" in html


def test_the_app_runs_behind_the_page_on_the_same_data(server) -> None:  # type: ignore[no-untyped-def]
    port, data = server
    seen = asyncio.run(_app_output_until(port, b"Posture breaks"))
    assert b"Heat" in seen and b"Box breathing" in seen  # Home, past the accepted first-run notice


def test_serve_without_the_extra_says_how_to_get_it(tmp_path: Path) -> None:
    code = (
        "import sys, builtins; real = builtins.__import__\n"
        "def fake(name, *a, **k):\n"
        "    if name.startswith('textual_serve'): raise ImportError(name)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = fake\n"
        "from neck_tui.cli import main; sys.exit(main(['serve', '--data-dir', sys.argv[1]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == "neck-tui: serve needs the web extra: pip install 'neck-tui[web]' (textual-serve)"
