"""aiprogress data fetch against a local HTTP server (no real network)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading

import pytest
from typer.testing import CliRunner

from aiprogress.cli import app
from aiprogress.data import fetch_sources, load_sources
from aiprogress.data.sources import SOURCES

runner = CliRunner()


@pytest.fixture()
def server(mini, tmp_path):
    """Serve a flat mirror of the mini data directory (file names as in the public URLs)."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name, src in SOURCES.items():
        remote = src.url.rsplit("/", 1)[-1]
        (mirror / remote).write_bytes(mini.files[name].read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(mirror))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", mirror
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def test_fetch_all_then_load(server, tmp_path):
    base, mirror = server
    dest = tmp_path / "fetched"
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(dest), "--base-url", base, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert len(out["files"]) == len(SOURCES)
    for f in out["files"]:
        served = mirror / f["url"].rsplit("/", 1)[-1]
        assert f["sha256"] == hashlib.sha256(served.read_bytes()).hexdigest()
        assert (dest / f["path"]).read_bytes() == served.read_bytes()
        assert f["bytes"] == served.stat().st_size
    assert any(p.name.startswith("all_ai_models_") for p in (dest / "epoch").iterdir())
    assert not list(dest.rglob(".*.part"))
    loaded = load_sources(dest)
    assert len(loaded.tables["models"]) == 4


def test_fetch_only_one_source(server, tmp_path):
    base, _ = server
    out = fetch_sources(tmp_path / "d", base_url=base, only=["tpu"])
    assert [f["name"] for f in out.files] == ["tpu"]
    assert (tmp_path / "d" / "thompson2020" / "tpu.csv").is_file()
    assert not (tmp_path / "d" / "epoch").exists()


def test_fetch_404_exits_2_and_keeps_existing_file(server, tmp_path):
    base, mirror = server
    dest = tmp_path / "d"
    fetch_sources(dest, base_url=base, only=["gpu"])
    good = (dest / "thompson2020" / "gpu.csv").read_bytes()
    (mirror / "gpu.csv").unlink()
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(dest), "--base-url", base, "--only", "gpu"])
    assert res.exit_code == 2
    assert "HTTP 404" in res.stderr and "gpu.csv" in res.stderr
    assert (dest / "thompson2020" / "gpu.csv").read_bytes() == good


def test_fetch_unknown_layout_is_rejected_before_replacing(server, tmp_path):
    base, mirror = server
    dest = tmp_path / "d"
    fetch_sources(dest, base_url=base, only=["tpu"])
    good = (dest / "thompson2020" / "tpu.csv").read_bytes()
    (mirror / "tpu.csv").write_text("<html>not a csv</html>\n")
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(dest), "--base-url", base, "--only", "tpu"])
    assert res.exit_code == 2
    assert "column 'TPU'" in res.stderr and "missing required column" in res.stderr
    assert (dest / "thompson2020" / "tpu.csv").read_bytes() == good
    assert not list(dest.rglob(".*.part"))


def test_fetch_unknown_source_name(tmp_path):
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(tmp_path), "--only", "mnist"])
    assert res.exit_code == 2
    assert "parameter 'only'" in res.stderr and "mnist" in res.stderr


@pytest.mark.parametrize("base_url", ["notaurl", "ftp://example.org/data", "http://"])
def test_fetch_base_url_must_be_http(tmp_path, base_url):
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(tmp_path / "d"), "--base-url", base_url, "--json"])
    assert res.exit_code == 2 and res.stdout == ""
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1 and "parameter 'base_url'" in msg and "http(s)" in msg
    assert not (tmp_path / "d").exists()


def test_fetch_into_an_uncreatable_data_dir_exits_2(server, tmp_path):
    base, _ = server
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    res = runner.invoke(app, ["data", "fetch", "--data-dir", str(blocker), "--base-url", base, "--only", "tpu"])
    assert res.exit_code == 2
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1 and "parameter 'data_dir'" in msg and "cannot create the folder" in msg
