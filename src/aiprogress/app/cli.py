"""``aiprogress app``: serve the interactive explorer (Dash) on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from aiprogress.clikit import CatalogOpt, DataDirOpt, guard, stderr

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

app = typer.Typer(help="Serve the interactive explorer in the browser.")


@app.callback(invoke_without_command=True)
@guard
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to bind (default 127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8050,
    debug: Annotated[bool, typer.Option("--debug", help="Dash debug mode (tracebacks in the page, hot reload). Off by default.")] = False,
    data_dir: DataDirOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Serve the explorer at http://HOST:PORT/ (takeoff, growth, scaling, data pages)."""
    from aiprogress.errors import ParameterError

    if not host or any(c.isspace() for c in host):
        raise ParameterError("host", f"{host!r}", expected="an interface address such as 127.0.0.1")
    if host not in LOCAL_HOSTS:
        stderr.print(f"[yellow]warning:[/] binding to {host}: the explorer will be reachable from other machines "
                     "(it has no authentication)", highlight=False)
    if debug:
        stderr.print("[yellow]warning:[/] debug mode: tracebacks are shown in the browser", highlight=False)
    if catalog is not None and not catalog.is_file():
        raise ParameterError("catalog", f"{catalog} not found", expected="a catalog built by 'aiprogress data build'")
    from aiprogress.app.server import create_app

    dash_app = create_app(data_dir=data_dir, catalog=catalog, warm_up=True)
    url_host = f"[{host}]" if ":" in host else host
    stderr.print(f"aiprogress explorer: http://{url_host}:{port}/  (Ctrl+C to stop)", highlight=False)
    dash_app.run(host=host, port=port, debug=debug, use_reloader=False, dev_tools_ui=debug, dev_tools_props_check=debug)
