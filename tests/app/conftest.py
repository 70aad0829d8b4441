"""Fixtures for the explorer tests: the app, a live server on 127.0.0.1, a headless Chromium."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

SHOTS = Path(os.environ.get("AIPROGRESS_SCREENSHOTS", "out/app-screenshots"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def dash_app():
    from aiprogress.app.server import create_app

    return create_app()


@pytest.fixture(scope="session")
def live_url(dash_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture()
def shot():
    """``shot(page, name)`` saves a full-page screenshot under out/app-screenshots/."""
    return _shot


@pytest.fixture(scope="module")
def server():
    """The real ``aiprogress app`` on 127.0.0.1 and a free port: (base URL, seconds until it served '/')."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "aiprogress", "app", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(url + "/", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode()) from None
                time.sleep(0.05)
        started = time.perf_counter() - t0
        yield url, started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
