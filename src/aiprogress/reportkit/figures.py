"""Figures and tables embedded in the report (no external files, works offline)."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import re
import warnings
from pathlib import Path
from typing import Any, Iterator

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker as mticker  # noqa: E402

from aiprogress.paths import check_plot_path  # noqa: E402,F401  (re-exported)
from aiprogress.reportkit.tables import auto_anchor  # noqa: E402

#: Widest figure the report shows at full size (px at 96 dpi); wider ones are resized (fonts kept) so
#: that text stays legible in a 700 px column and on an A4 page.
MAX_WIDTH_PX = 680
#: Smallest font (points) a figure may use; 7 pt is 9.3 px at the displayed size.
MIN_FONT_PT = 7.0


#: :data:`MAX_WIDTH_PX` in inches.
MAX_WIDTH_IN = MAX_WIDTH_PX / 96.0


def fit_width(width_in: float, height_in: float) -> tuple[float, float]:
    """A figsize no wider than the report shows (height scaled alike): a figure made at this size is laid
    out once, instead of once by its plotting function and again after the report shrinks it."""
    if width_in <= MAX_WIDTH_IN:
        return (width_in, height_in)
    return (MAX_WIDTH_IN, height_in * MAX_WIDTH_IN / width_in)


_SUPERSCRIPT = str.maketrans("-−0123456789", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_tick_text(label: str) -> str:
    """A log-axis tick label written by matplotlib as mathtext (``$\\mathdefault{2\\times10^{-3}}$``) in plain
    Unicode (``2×10⁻³``), which needs no mathtext parse; any other label is returned unchanged."""
    if len(label) < 2 or label[0] != "$" or label[-1] != "$":
        return label
    inner = label[1:-1]
    m = re.fullmatch(r"\\mathdefault\{(.*)\}", inner)
    inner = m.group(1) if m else inner
    inner = re.sub(r"\^\{([-−0-9]+)\}", lambda e: e.group(1).translate(_SUPERSCRIPT), inner)
    inner = re.sub(r"\^([0-9])", lambda e: e.group(1).translate(_SUPERSCRIPT), inner)
    inner = inner.replace("\\times", "×").replace("\\cdot", "·")
    if any(c in inner for c in "\\{}^_$"):
        return label
    return inner[0].replace("-", "−") + inner[1:] if inner else inner


class _PlainLogSci(mticker.LogFormatterSciNotation):
    def __call__(self, x, pos=None):  # noqa: ANN001 - matplotlib's signature
        return plain_tick_text(super().__call__(x, pos))


class _PlainLogMath(mticker.LogFormatterMathtext):
    def __call__(self, x, pos=None):  # noqa: ANN001
        return plain_tick_text(super().__call__(x, pos))


_PLAIN = {mticker.LogFormatterSciNotation: _PlainLogSci, mticker.LogFormatterMathtext: _PlainLogMath}


def _plain_log_labels(fig: "matplotlib.figure.Figure") -> None:
    """Log-axis tick labels as plain text: each distinct mathtext label costs a pyparsing parse (~10-30 ms)."""
    for ax in fig.axes:
        for axis in filter(None, (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None))):
            for fmt in (axis.get_major_formatter(), axis.get_minor_formatter()):
                plain = _PLAIN.get(type(fmt))
                if plain is not None:
                    fmt.__class__ = plain  # same state (base, thresholds, axis), plain-text output


@contextlib.contextmanager
def plain_log_ticks() -> Iterator[None]:
    """Within the block, new log (and symlog) axes get plain-text tick labels from the start (matplotlib's
    log scale looks its formatter class up in :mod:`matplotlib.scale`); the report builds its sections in
    this block, so no layout pass done by a plotting function parses log tick labels as mathtext."""
    import matplotlib.scale as mscale

    old = mscale.LogFormatterSciNotation
    mscale.LogFormatterSciNotation = _PlainLogSci
    try:
        yield
    finally:
        mscale.LogFormatterSciNotation = old


def _needs_bbox(fig: "matplotlib.figure.Figure") -> bool:
    """Whether the figure has parts that tight_layout does not place (figure legends, texts outside the figure,
    colorbars, insets), so that the save must crop to the drawn extent."""
    if fig.legends or fig.images or fig.subfigs:
        return True
    # tight_layout makes room for the suptitle and the super labels
    placed = {id(getattr(fig, k, None)) for k in ("_suptitle", "_supxlabel", "_supylabel")}
    for t in fig.texts:
        if id(t) in placed or not t.get_text():
            continue
        x, y = t.get_position()
        if t.get_transform() != fig.transFigure or not (0 <= x <= 1 and 0 <= y <= 1):
            return True  # a note placed outside the figure: crop to what is drawn
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None or not ax.get_in_layout():
            return True
    return False


def _draws_own_layout(fig: "matplotlib.figure.Figure") -> bool:
    """A layout engine that runs at draw time (``layout="constrained"``/``"tight"``); after a one-off
    ``fig.tight_layout()`` matplotlib leaves only a place-holder engine."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    return engine is not None and not isinstance(engine, PlaceHolderLayoutEngine)


def _laid_out(fig: "matplotlib.figure.Figure") -> bool:
    """Whether the plotting code already placed the axes (tight_layout/subplots_adjust moved them off the defaults)."""
    if fig.get_layout_engine() is not None:
        return True
    sp, rc = fig.subplotpars, matplotlib.rcParams
    return any(abs(getattr(sp, k) - rc[f"figure.subplot.{k}"]) > 1e-9 for k in ("left", "right", "bottom", "top"))


def _prepare(fig: "matplotlib.figure.Figure") -> bool:
    """Get a figure ready to be drawn once; return whether the save must crop to the drawn extent.

    Caps the width at :data:`MAX_WIDTH_PX` and raises fonts below :data:`MIN_FONT_PT`; log-axis tick
    labels become plain text; then one layout pass (``tight_layout``) runs only if the figure was resized,
    had fonts raised, or was never laid out. Figures with parts ``tight_layout`` does not place (figure
    legends, colorbars) keep ``bbox_inches="tight"`` (one extra measuring pass at save time).
    """
    from matplotlib.text import Text

    _plain_log_labels(fig)
    changed = not _laid_out(fig)
    w, h = fig.get_size_inches()
    if w > MAX_WIDTH_IN + 1e-9:
        fig.set_size_inches(*fit_width(w, h))
        changed = True
    for t in fig.findobj(Text):
        if t.get_fontsize() < MIN_FONT_PT and t.get_text():
            t.set_fontsize(MIN_FONT_PT)
            changed = True
    needs_bbox = _needs_bbox(fig)
    if changed and not _draws_own_layout(fig):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "not compatible with tight_layout": bbox crop below
                fig.tight_layout()
        except Exception:  # noqa: BLE001 - a layout failure must not lose the figure
            needs_bbox = True
    if fig.get_layout_engine() is not None and not _draws_own_layout(fig):
        # tight_layout() leaves a place-holder engine, and savefig does one extra (measuring) draw for
        # any engine; the layout is done, so drop it.
        fig.set_layout_engine(None)
    return needs_bbox


def _caption(caption: str, n: int | str | None) -> str:
    if n is None or f"n = {n}" in caption or f"n={n}" in caption:
        return caption
    return f"{caption.rstrip()} (n = {n})" if caption else f"n = {n}"


#: An SVG larger than this (a map, tens of thousands of marks) is embedded as a 2x PNG instead (``fmt="auto"``).
MAX_SVG_BYTES = 400_000


def svg_bytes_estimate(fig: "matplotlib.figure.Figure") -> int:
    """A cheap upper-side estimate of the figure's SVG size from its marks (no drawing): ~110 bytes per
    scatter marker, ~16 per path vertex; used to pick PNG up front instead of rendering SVG, then PNG."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    total = 20_000
    for ax in fig.axes:
        for art in ax.get_children():
            if isinstance(art, Line2D):
                n = len(art.get_xdata(orig=False))
                total += 16 * n + (110 * n if art.get_marker() not in (None, "None", "", " ") else 0)
            elif isinstance(art, Collection):
                offsets = art.get_offsets()
                paths = art.get_paths()
                if len(offsets) > 1 and len(paths) <= 1:
                    total += 110 * len(offsets)
                else:
                    total += sum(16 * len(p.vertices) + 60 for p in paths)
            elif isinstance(art, Patch):
                total += 16 * len(art.get_path().vertices) + 80
    return total


def figure_svg(fig: "matplotlib.figure.Figure", *, close: bool = True, _crop: bool | None = None) -> str:
    """The figure as inline SVG (text kept as text, sized to its natural width, shrinks with the page); closes it.

    The figure is drawn once (see :func:`_prepare`); ``svg.fonttype="none"`` writes text as text, so no
    glyph outlines are built.
    """
    crop = _prepare(fig) if _crop is None else _crop
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "aiprogress"}):
        fig.savefig(buf, format="svg", bbox_inches="tight" if crop else None, metadata={"Date": None})
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


def figure_png(fig: "matplotlib.figure.Figure", *, _crop: bool | None = None) -> str:
    """The figure as a 2x PNG <img> (for figures with too many marks for SVG), drawn once; closes it."""
    crop = _prepare(fig) if _crop is None else _crop
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=192, bbox_inches="tight" if crop else None)
    plt.close(fig)
    raw = buf.getvalue()
    width = int.from_bytes(raw[16:20], "big") // 2  # PNG IHDR width, shown at half size
    data = base64.b64encode(raw).decode("ascii")
    return f'<img class="mpl" style="width:{width}px" src="data:image/png;base64,{data}"/>'


def figure_html(fig: "matplotlib.figure.Figure", caption: str = "", alt: str = "", dpi: int | None = None, *,
                anchor: str | None = None, n: int | str | None = None, fmt: str = "svg") -> str:
    """Embed a matplotlib figure in a <figure> with an id and a caption stating ``n``; closes the figure.

    ``fmt="svg"`` (default) inlines vector SVG unless it would exceed :data:`MAX_SVG_BYTES` (judged from
    the marks before drawing; a rendered SVG over the limit is still replaced), then a 2x PNG is
    embedded instead; ``fmt="png"`` always embeds a 2x PNG (``dpi`` is accepted for compatibility and
    ignored: the resolution is always twice the displayed size).
    """
    if fmt not in ("svg", "png"):
        raise ValueError("fmt must be 'svg' or 'png'")
    fid = anchor or auto_anchor("fig")
    text = _caption(caption, n)
    crop = _prepare(fig)
    if fmt == "svg" and svg_bytes_estimate(fig) > MAX_SVG_BYTES:
        fmt = "png"
    if fmt == "svg":
        body = figure_svg(fig, close=False, _crop=crop)
        if len(body) > MAX_SVG_BYTES:
            body, fmt = figure_png(fig, _crop=crop), "png"
        plt.close(fig)
    else:
        body = figure_png(fig, _crop=crop)
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
