"""Figures: offline choropleths from the Natural Earth polygons, RCA change, concentration, heatmap, GPT panels.

Everything is drawn with matplotlib from local data (no map tiles, no network).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from aiprogress.geography.countries import feature_iso2  # noqa: E402
from aiprogress.reportkit.figures import MAX_WIDTH_IN, fit_width  # noqa: E402

ATTRIBUTION = "Boundaries: Natural Earth (public domain)."


def _rings(geom: dict):
    if not geom:
        return
    if geom.get("type") == "Polygon":
        polys = [geom["coordinates"]]
    elif geom.get("type") == "MultiPolygon":
        polys = geom["coordinates"]
    else:
        return
    for poly in polys:
        if poly:
            yield np.asarray(poly[0], float)


def choropleth(values: dict[str, float], geojson: dict, title: str = "", label: str = "RCA", center: float | None = 1.0,
               cmap: str = "RdBu_r", ax=None):
    """Countries coloured by ``values`` (ISO alpha-2 -> number); no data in light grey."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=fit_width(10, 5.2))
    vals = np.array([v for v in values.values() if v is not None and np.isfinite(v)], float)
    if len(vals) and center is not None and vals.min() < center < vals.max():
        norm = TwoSlopeNorm(vcenter=center, vmin=vals.min(), vmax=vals.max())
    else:
        norm = plt.Normalize(vals.min() if len(vals) else 0, vals.max() if len(vals) else 1)
    cm = plt.get_cmap(cmap)
    patches, colors = [], []
    for feat in geojson.get("features", []):
        p = feat.get("properties") or {}
        code = feature_iso2(p)
        v = values.get(code)
        col = cm(norm(v)) if v is not None and np.isfinite(v) else (0.88, 0.88, 0.88, 1)
        for ring in _rings(feat.get("geometry")):
            patches.append(Polygon(ring, closed=True))
            colors.append(col)
    pc = PatchCollection(patches, facecolors=colors, edgecolors="white", linewidths=0.2)
    ax.add_collection(pc)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.axis("off")
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cm)
    plt.colorbar(sm, ax=ax, fraction=0.025, pad=0.01, label=label)
    ax.set_title(title)
    ax.text(0.0, -0.02, ATTRIBUTION, transform=ax.transAxes, fontsize=7, color="0.4")
    return fig or ax.figure


def rca_change(table: pd.DataFrame, before: str, after: str, top: int = 20, title: str = ""):
    """Dot plot of RCA before vs after for the ``top`` locations by activity (table from ``rca_table(group=period)``)."""
    w = table.pivot_table(index="location", columns="group", values=["rca", "all"], aggfunc="first")
    w = w.dropna()
    w = w.assign(total=w[("all", before)] + w[("all", after)]).sort_values("total", ascending=False).head(top)
    w = w.sort_values(("rca", after))
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * len(w) + 1.5))
    y = np.arange(len(w))
    ax.hlines(y, w[("rca", before)], w[("rca", after)], color="0.6")
    ax.scatter(w[("rca", before)], y, label=before, color="tab:blue", zorder=3)
    ax.scatter(w[("rca", after)], y, label=after, color="tab:red", zorder=3)
    ax.axvline(1, color="k", lw=0.6, ls="--")
    ax.set_yticks(y, w.index)
    ax.set_xlabel("RCA in DL")
    ax.legend(loc="lower right")
    ax.set_title(title or "Change in DL specialisation")
    return fig


def concentration_plot(df: pd.DataFrame, x: str = "year", k: int = 10, title: str = "", extra: pd.DataFrame | None = None,
                       extra_label: str = ""):
    fig, axes = plt.subplots(1, 2, figsize=fit_width(11, 3.8))
    col = f"top{k}_share"
    axes[0].plot(df[x], df[col], marker="o", label="ours")
    if f"top{k}_low" in df:
        axes[0].fill_between(df[x], df[f"top{k}_low"], df[f"top{k}_high"], alpha=0.25)
    axes[1].plot(df[x], df["hhi"], marker="o", label="ours")
    if "hhi_low" in df:
        axes[1].fill_between(df[x], df["hhi_low"], df["hhi_high"], alpha=0.25)
    if extra is not None and len(extra):
        axes[0].plot(extra["year"], extra[col], marker="s", color="tab:green", label=extra_label)
        axes[1].plot(extra["year"], extra["hhi"], marker="s", color="tab:green", label=extra_label)
    axes[0].set_ylabel(f"top-{k} share of DL activity")
    axes[1].set_ylabel("Herfindahl index")
    for a in axes:
        a.set_xlabel(x)
        a.legend(fontsize=8)
    fig.suptitle(title or "Concentration of DL activity")
    fig.tight_layout()
    return fig


def heatmap(sim: pd.DataFrame, title: str = ""):
    fig, ax = plt.subplots(figsize=(0.32 * len(sim) + 3, 0.32 * len(sim) + 2))
    im = ax.imshow(sim.to_numpy(float), cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(len(sim)), sim.columns, rotation=90, fontsize=7)
    ax.set_yticks(range(len(sim)), sim.index, fontsize=7)
    plt.colorbar(im, ax=ax, fraction=0.04, label="cosine similarity")
    ax.set_title(title or "Research relatedness (co-occurrence on papers)")
    fig.tight_layout()
    return fig


def gpt_panels(res, title: str = ""):
    fig, axes = plt.subplots(1, 3, figsize=(MAX_WIDTH_IN, 3.4))
    g = res.growth
    axes[0].plot(g["year"], g["dl_share"], marker=".")
    axes[0].set_title("growth: DL share by year")
    axes[0].set_xlabel("year")
    gen = res.generality
    if len(gen):
        periods = sorted(gen["period"].unique())
        piv = gen.pivot_table(index="field", columns="period", values="dl_share").sort_values(periods[-1])
        for p in periods:
            axes[1].scatter(piv[p], range(len(piv)), label=str(p), s=14)
        axes[1].set_yticks(range(len(piv)), piv.index, fontsize=6)
        axes[1].legend(fontsize=7)
    axes[1].set_title("generality: DL share by field")
    imp = res.impact
    if len(imp):
        sub = imp[imp["field"] != "(all)"]
        axes[2].scatter(sub["dl_share"], sub["dl_share_highly_cited"], s=14)
        m = float(np.nanmax(sub[["dl_share", "dl_share_highly_cited"]].to_numpy())) if len(sub) else 1
        axes[2].plot([0, m], [0, m], "k--", lw=0.6)
        axes[2].set_xlabel("DL share of all papers")
        axes[2].set_ylabel("DL share of highly cited")
    else:
        axes[2].text(0.5, 0.5, "no citation counts in this corpus", ha="center", transform=axes[2].transAxes)
    axes[2].set_title("impact")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
