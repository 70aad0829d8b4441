"""Figures and tables embedded in the report (no external files, works offline)."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from aiprogress.paths import check_plot_path  # noqa: E402,F401  (re-exported)
from aiprogress.reportkit.tables import auto_anchor  # noqa: E402

#: Widest figure the report shows at full size (px at 96 dpi); wider ones are resized (fonts kept) so
#: that text stays legible in a 700 px column and on an A4 page.
MAX_WIDTH_PX = 680
#: Smallest font (points) a figure may use; 7 pt is 9.3 px at the displayed size.
MIN_FONT_PT = 7.0


def _prepare(fig: "matplotlib.figure.Figure") -> None:
    """Cap the figure width at :data:`MAX_WIDTH_PX` and raise fonts below :data:`MIN_FONT_PT`."""
    from matplotlib.text import Text

    w, h = fig.get_size_inches()
    max_in = MAX_WIDTH_PX / 96.0
    if w > max_in:
        fig.set_size_inches(max_in, h * max_in / w)
        try:
            fig.tight_layout()
        except Exception:  # noqa: BLE001 - a layout warning must not lose the figure
            pass
    for t in fig.findobj(Text):
        if t.get_text() and t.get_fontsize() < MIN_FONT_PT:
            t.set_fontsize(MIN_FONT_PT)


def _caption(caption: str, n: int | str | None) -> str:
    if n is None or f"n = {n}" in caption or f"n={n}" in caption:
        return caption
    return f"{caption.rstrip()} (n = {n})" if caption else f"n = {n}"


#: An SVG larger than this (a map, tens of thousands of marks) is embedded as a 2x PNG instead (``fmt="auto"``).
MAX_SVG_BYTES = 400_000


def figure_svg(fig: "matplotlib.figure.Figure", *, close: bool = True) -> str:
    """The figure as inline SVG (text kept as text, sized to its natural width, shrinks with the page); closes it."""
    _prepare(fig)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "aiprogress"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    if close:
        plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    m = re.search(r'<svg[^>]*?width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    if m:
        width_px = float(m.group(1)) * 96 / 72
        svg = svg.replace(m.group(0), m.group(0).replace(f'width="{m.group(1)}pt" height="{m.group(2)}pt"',
                                                         f'style="width:{width_px:.0f}px" class="mpl"'), 1)
    return svg


def figure_png(fig: "matplotlib.figure.Figure") -> str:
    """The figure as a 2x PNG <img> (for figures with too many marks for SVG); closes it."""
    _prepare(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=192, bbox_inches="tight")
    plt.close(fig)
    raw = buf.getvalue()
    width = int.from_bytes(raw[16:20], "big") // 2  # PNG IHDR width, shown at half size
    data = base64.b64encode(raw).decode("ascii")
    return f'<img class="mpl" style="width:{width}px" src="data:image/png;base64,{data}"/>'


def figure_html(fig: "matplotlib.figure.Figure", caption: str = "", alt: str = "", dpi: int | None = None, *,
                anchor: str | None = None, n: int | str | None = None, fmt: str = "svg") -> str:
    """Embed a matplotlib figure in a <figure> with an id and a caption stating ``n``; closes the figure.

    ``fmt="svg"`` (default) inlines vector SVG unless it would exceed :data:`MAX_SVG_BYTES`, then a 2x PNG
    is embedded instead; ``fmt="png"`` always embeds a 2x PNG (``dpi`` is accepted for compatibility and
    ignored: the resolution is always twice the displayed size).
    """
    if fmt not in ("svg", "png"):
        raise ValueError("fmt must be 'svg' or 'png'")
    fid = anchor or auto_anchor("fig")
    text = _caption(caption, n)
    if fmt == "svg":
        body = figure_svg(fig, close=False)
        if len(body) > MAX_SVG_BYTES:
            body, fmt = figure_png(fig), "png"
        plt.close(fig)
    else:
        body = figure_png(fig)
    label = html.escape(alt or text)
    body = body.replace("<svg", f'<svg role="img" aria-label="{label}"', 1) if fmt == "svg" else body.replace("<img", f'<img alt="{label}"', 1)
    link = f'<a class="permalink" href="#{fid}" title="link to this figure">¶</a>'
    return f'<figure class="fig" id="{fid}">{body}<figcaption>{html.escape(text)} {link}</figcaption></figure>'


def figure_grid(*figures: str) -> str:
    """Lay out several :func:`figure_html` panels side by side where the page is wide enough (one per row otherwise)."""
    return '<div class="figgrid">' + "".join(figures) + "</div>"


def plotly_html(fig: Any, caption: str = "", static_fig: "matplotlib.figure.Figure | None" = None, *,
                anchor: str | None = None, n: int | str | None = None, height: int = 460) -> str:
    """An interactive Plotly figure (hover, zoom) with a static matplotlib fallback shown when printing.

    The assembler embeds plotly.js once in the page when any section uses this (no CDN, works offline).
    Without ``static_fig`` the live chart is printed as it is.
    """
    fid = anchor or auto_anchor("fig")
    fig.update_layout(height=height, margin=dict(l=60, r=20, t=50, b=50), font=dict(size=12), template="plotly_white")
    live = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"{fid}-plotly",
                       config={"displaylogo": False, "responsive": True})
    static = f'<div class="plotly-static">{figure_svg(static_fig)}</div>' if static_fig is not None else ""
    cls = "fig plotly has-static" if static else "fig plotly"
    text = _caption(caption, n)
    link = f'<a class="permalink" href="#{fid}" title="link to this figure">¶</a>'
    hint = " Interactive: hover for values, drag to zoom, double-click to reset."
    return (f'<figure class="{cls}" id="{fid}" data-plotly="1"><div class="plotly-live">{live}</div>{static}'
            f"<figcaption>{html.escape(text + hint)} {link}</figcaption></figure>")


def save_figure(fig: "matplotlib.figure.Figure", path: str | Path) -> Path:
    """Save a figure for ``--plot FILE.png|FILE.svg``; closes the figure."""
    path = check_plot_path(path)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path
