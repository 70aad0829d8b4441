"""aiprogress.app: the interactive explorer (Dash + Plotly), served by ``aiprogress app``.

The app is a view on the library: every number it shows comes from the same
functions the CLI and the report call; it holds no model logic of its own.

Modules: ``server`` (:func:`create_app`, page routing), ``state`` (page state
<-> URL query string), ``uploads`` (safe parsing of uploaded scenario files),
``models`` (takeoff models and their parameter declarations, as the library
declares them), ``jobs`` (Monte Carlo runs in a background thread with progress
and cancel), ``figures`` (Plotly figures), ``pages/*`` (one module per page,
each exposing ``page()``; registered in :mod:`aiprogress.capabilities`).
"""


def create_app(**kwargs):
    """Build the Dash app (see :func:`aiprogress.app.server.create_app`)."""
    from aiprogress.app.server import create_app as _create

    return _create(**kwargs)


__all__ = ["create_app"]
