"""Report section "data": the sources, how rows keep their provenance, and a figure."""

from __future__ import annotations

import html

import matplotlib.pyplot as plt
import pandas as pd

from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.reportkit.figures import fit_width

TOP_DOMAINS = 6


def sources_frame(ctx: ReportContext) -> pd.DataFrame:
    """One row per source file: path, rows, rejects, checksum, version, licence, attribution."""
    from aiprogress.data.catalog import read_catalog_table
    from aiprogress.data.loaders import load_sources

    if ctx.catalog is not None:
        frame = read_catalog_table("sources", ctx.catalog)
    else:
        key = "data:sources"
        if key not in ctx.cache:
            ctx.cache[key] = pd.DataFrame([vars(r) for r in load_sources(ctx.data_dir).sources])
        frame = ctx.cache[key]
    out = frame[["name", "path", "rows", "rejected_rows", "sha256", "version", "licence", "attribution"]].copy()
    out["sha256"] = out["sha256"].str[:12]
    return out.rename(columns={"rejected_rows": "rejects", "sha256": "sha256 (first 12)"})


def models_per_year_figure(models: pd.DataFrame) -> plt.Figure:
    """Stacked bars: Epoch models per publication year, by (first listed) domain."""
    m = models.dropna(subset=["publication_date"]).copy()
    m["year"] = m["publication_date"].dt.year
    m["domain1"] = m["domain"].fillna("Unknown").str.split(",").str[0].str.strip()
    top = m["domain1"].value_counts().index[:TOP_DOMAINS]
    m["domain1"] = m["domain1"].where(m["domain1"].isin(top), "Other")
    counts = m.groupby(["year", "domain1"]).size().unstack(fill_value=0).sort_index()
    counts = counts[counts.index >= 2000]
    fig, ax = plt.subplots(figsize=fit_width(8, 3.6))
    counts.plot(kind="bar", stacked=True, ax=ax, width=0.85, colormap="tab10")
    ax.set_xlabel("publication year")
    ax.set_ylabel("models in the Epoch database")
    ax.legend(title="domain (first listed)", fontsize=8, title_fontsize=8, ncol=2)
    labels = [str(y) if y % 5 == 0 else "" for y in counts.index]
    ax.set_xticklabels(labels, rotation=0)
    fig.tight_layout()
    return fig


@register_section("data", "Data sources and provenance", order=10)
def build(ctx: ReportContext) -> str:
    src = sources_frame(ctx)
    models = ctx.table("models")
    bench = ctx.table("benchmark_results")
    hardware = ctx.table("hardware")
    attributions = sorted(set(src["attribution"]))
    parts = [
        "<p>Every table in this report is built from the files below. Each row keeps its "
        "provenance: <code>source_file</code> (path inside the data directory), <code>source_line</code> "
        "(the physical line in that CSV where the record starts, header = line 1, so quoted "
        "multi-line fields are counted correctly) and <code>source_version</code> (the snapshot date "
        "in the file name, or the folder of an undated collection). The checksum identifies the exact "
        "file that was read.</p>",
        table_html(src.drop(columns=["attribution"]), caption="Source files (rows loaded and rows rejected by validation)."),
        "<p>Units are explicit in column names (<code>train_flop</code>, <code>peak_flop_per_s_fp32</code>, "
        "<code>train_seconds</code>); benchmark scores are converted to an <code>error_rate</code> in [0, 1] "
        "(ImageNet top-1 error; 1 &minus; box AP, F1 or BLEU/100 elsewhere). Hardware rows from the Epoch "
        f"database ({int((hardware['source'] == 'epoch').sum())} chips) are followed by the processor lists of "
        f"Thompson et al. ({int((hardware['source'] != 'epoch').sum())} rows); where both describe the same chip, "
        "the Thompson name is recorded as an alias and numbers missing from the Epoch row are filled from it, "
        "with <code>value_sources</code> saying where each number came from.</p>",
        "<p>Benchmark results per benchmark: "
        + ", ".join(f"{html.escape(k)} {v}" for k, v in bench.groupby("benchmark").size().items())
        + ".</p>",
        figure_html(
            models_per_year_figure(models),
            caption="AI models per publication year by domain (the last year is partial: the export is a snapshot). Data: " + EPOCH_CAPTION,
            n=f"{int(models['publication_date'].notna().sum())} models with a date",
        ),
        "<p class='attribution'>Attribution: " + "; ".join(html.escape(a) for a in attributions) + ".</p>",
    ]
    return "\n".join(parts)


EPOCH_CAPTION = "Epoch AI, 'AI Models' database (CC BY 4.0)."
