"""Figures and tables embedded in the report (no external files, works offline)."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from aiprogress.errors import ParameterError  # noqa: E402


def figure_html(fig: "matplotlib.figure.Figure", caption: str = "", alt: str = "", dpi: int = 110) -> str:
    """Embed a matplotlib figure as a base64 PNG inside a <figure>; closes the figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img alt="{html.escape(alt or caption)}" src="data:image/png;base64,{data}"/>{cap}</figure>'


def table_html(frame: pd.DataFrame, caption: str = "", float_format: str = "{:.4g}", index: bool = False) -> str:
    """Render a DataFrame as an HTML table with an optional caption."""

    def fmt(v: object) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else float_format.format(v)
        return str(v)

    body = frame.to_html(index=index, classes="tbl", border=0, na_rep="", formatters={c: fmt for c in frame.columns}, escape=True)
    cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
    return f"<div class='tblwrap'>{body}{cap}</div>"


def check_plot_path(path: str | Path) -> Path:
    """Validate a ``--plot`` target before any work: a .png/.svg/.pdf file in a folder that can be created."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ParameterError("plot", f"unsupported file type '{path.suffix}'", expected=".png, .svg or .pdf")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("plot", f"cannot create the folder {path.parent}: {exc.strerror or exc}",
                             expected="a writable .png, .svg or .pdf path") from None
    if path.is_dir():
        raise ParameterError("plot", f"{path} is a directory", expected="a .png, .svg or .pdf file path")
    return path


def save_figure(fig: "matplotlib.figure.Figure", path: str | Path) -> Path:
    """Save a figure for ``--plot FILE.png|FILE.svg``; closes the figure."""
    path = check_plot_path(path)
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path
