"""Report section "Algorithmic progress and the returns to software".

Published-vs-ours halving times (vision, language; statuses by :mod:`aiprogress.replication`),
the Shapley decomposition, r from many sources, the meta-analysis of log r, the
acceleration tests, and the original single-series r estimate with its figure.
"""

from __future__ import annotations

import html

from aiprogress.errors import AiprogressError
from aiprogress.replication import ReplicationRow
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _returns_part(ctx: ReportContext) -> list[str]:
    from aiprogress.algorithmic import vision_r as V

    parts: list[str] = [
        _p(
            "Returns to software r measure how many times software efficiency S doubles for each doubling of cumulative "
            "research R. We estimate r as the OLS slope of log S on log R (HAC/Newey–West interval with a small-sample "
            "correction, and a seeded moving-block residual bootstrap), on ImageNet compute efficiency at fixed error "
            "against the cumulative number of notable vision models in Epoch's database. The estimator assumes research "
            "effort proportional to the input series, a constant r over the sample, no unmeasured sources of progress, "
            "and a chosen pre-sample research stock R0; the R0 sensitivity is shown below."
        )
    ]
    try:
        bench = ctx.table("benchmark_results")
        models = ctx.table("models")
        est = V.estimate_r_from_catalog("imagenet", benchmark_results=bench, models=models, n_boot=2000, seed=ctx.seed)
        cross = V.estimate_r_from_catalog("imagenet", benchmark_results=bench, models=models, software_source="scaling", n_boot=0)
        comp = V.compare_with_published(est, others={"cross-check: S from scaling trend (HAC)": cross})
        parts.append(table_html(comp, caption="Published vs estimated returns to software r (image recognition; published: Eth & Davidson 2025, Table 4)."))
        parts.extend(_p(line) for line in V.explain_difference(est))
        parts.extend(_p(note) for note in est.notes)
        parts.append(
            figure_html(
                V.plot_r_fit(est, title="ImageNet: software efficiency vs cumulative vision research"),
                caption=(
                    "log2 S against log2 R by year with the OLS fit (slope r) and, dashed, a line with the published slope "
                    "1.4 through the data's centre. Data: Thompson et al. (2020), computerprogress.com; Epoch AI 'AI Models' "
                    "(CC BY 4.0)."
                ),
            )
        )
        parts.append(table_html(est.sensitivity, caption=f"Sensitivity of r to the pre-sample research stock R0 ({est.r0_method})."))
    except (AiprogressError, FileNotFoundError) as exc:
        parts.append(_p(f"The real-data estimate of r could not be computed: {exc}"))
    return parts


def _vision(ctx: ReportContext):
    from aiprogress.algorithmic.vision import vision_halving

    return ctx.cached("algorithmic:vision", lambda: vision_halving(
        benchmark_results=ctx.table("benchmark_results"), models=ctx.table("models"), hardware=ctx.table("hardware"),
        n_boot=1000, seed=ctx.seed))


def _language(ctx: ReportContext):
    from aiprogress.algorithmic.language import language_halving

    return ctx.cached("algorithmic:language", lambda: language_halving(models=ctx.table("models"), data_dir=ctx.data_dir,
                                                                        n_boot=1000, seed=ctx.seed))


def scorecard(ctx: ReportContext) -> list[ReplicationRow]:
    """Scorecard rows: the vision and language compute halving times against Erdil & Besiroglu (2022) and Ho et al. (2024)."""
    rows = []
    for get in (_vision, _language):
        try:
            rows.append(get(ctx).replication)
        except (AiprogressError, FileNotFoundError) as exc:
            from aiprogress.replication import row

            dom = "vision" if get is _vision else "language"
            rows.append(row("algorithmic", "Erdil & Besiroglu (2022)" if dom == "vision" else "Ho et al. (2024)", "headline",
                            f"{dom}: compute halving time (months)", 9.0 if dom == "vision" else 8.0, None, reason=str(exc)))
    return rows


def _halving_part(ctx: ReportContext) -> list[str]:
    from aiprogress.algorithmic.plots import plot_halving

    parts = ["<h3>Compute-equivalent algorithmic progress</h3>", _p(
        "How fast does the training compute needed for a fixed performance fall? We fit augmented scaling laws, performance = "
        "a + b log10 compute + c date (or year effects), and convert the date effect into compute: the compute needed halves every "
        "12 log10(2) b / c months. Intervals: delta method on c / b (HC1 covariance) and a seeded pairs bootstrap over models.")]
    for get, what in ((_vision, "ImageNet (Thompson et al. data; training compute from the compute capability, else Epoch by name)"),
                      (_language, "language models (Epoch benchmark scores joined to Epoch training compute; benchmark stitching)")):
        try:
            res = get(ctx)
        except (AiprogressError, FileNotFoundError) as exc:
            parts.append(_p(f"{what}: could not be computed: {exc}"))
            continue
        rep = res.replication
        table = [{"published (months)": res.published_months, "published 95%": f"{res.published_low:g}–{res.published_high:g}",
                  "ours (months)": res.headline.halving_months, "ours 95% low": rep.low, "ours 95% high": rep.high if rep.high is not None else "unbounded",
                  "status": rep.status, "reason": rep.reason, "source": res.published_source}]
        import pandas as pd

        parts.append(table_html(pd.DataFrame(table), caption=f"{res.domain}: {what}, published vs ours.",
                                anchor=f"algorithmic-halving-{res.domain}"))
        parts.append(table_html(res.to_frame(), caption=f"{res.domain}: headline and variants ({res.headline.level:.0%} intervals)."))
        join = {k: v for k, v in res.join.items() if not isinstance(v, (list, dict))}
        parts.append(_p("Data join: " + "; ".join(f"{k}: {v:.3g}" if isinstance(v, float) else f"{k}: {v}" for k, v in join.items())))
        parts.extend(_p(n) for n in res.notes)
        parts.append(figure_html(plot_halving(res), caption=f"{res.domain}: halving times with delta-method and bootstrap intervals; "
                                 "shaded: the published 95% interval.", n=res.headline.n_obs))
    return parts


def _decomposition_part(ctx: ReportContext) -> list[str]:
    from aiprogress.algorithmic.decompose import decompose_language, decompose_vision
    from aiprogress.algorithmic.shapley import plot_decomposition

    parts = ["<h3>Compute vs algorithms: exact Shapley decomposition</h3>", _p(
        "The change of each target between the start and the end of the period is split exactly (Shapley values over all "
        "coalitions of factors of the fitted model) into compute scaling and algorithms (the date); the contributions sum to the "
        "total change. Shares carry 90% bootstrap intervals.")]
    for dom, fn in (("vision", lambda: decompose_vision(data_dir=ctx.data_dir, catalog=ctx.catalog, n_boot=300, seed=ctx.seed)),
                    ("language", lambda: decompose_language(data_dir=ctx.data_dir, catalog=ctx.catalog, n_boot=300, seed=ctx.seed))):
        try:
            dec = ctx.cached(f"algorithmic:decompose:{dom}", fn)
        except (AiprogressError, FileNotFoundError) as exc:
            parts.append(_p(f"{dom}: could not be computed: {exc}"))
            continue
        parts.append(table_html(dec.table, caption=f"{dom}: Shapley contributions {dec.start['label']} → {dec.end['label']}."))
        parts.extend(_p(n) for n in dec.notes)
        parts.append(figure_html(plot_decomposition(dec), caption=f"{dom}: stacked Shapley shares per target."))
    return parts


def _sources_meta_part(ctx: ReportContext) -> list[str]:
    from aiprogress.algorithmic.meta import run_meta
    from aiprogress.algorithmic.plots import plot_efficiency, plot_meta
    from aiprogress.algorithmic.sources import r_from_sources

    parts = ["<h3>Returns to software r from many sources</h3>"]
    try:
        src = ctx.cached("algorithmic:sources", lambda: r_from_sources(n_boot=500, seed=ctx.seed, data_dir=ctx.data_dir, catalog=ctx.catalog))
        cols = ["domain", "input", "estimator", "r", "low", "high", "n", "years", "note"]
        parts.append(table_html(src.table[cols], caption="r by software series, research input and estimator (90% intervals)."))
        parts.append(table_html(src.spread(), caption="How r moves with the research input (point estimates)."))
        parts.extend(_p(n) for n in src.notes)
        parts.append(figure_html(plot_efficiency(src.series), caption="Compute-equivalent efficiency series used as S(t)."))
        meta, sens = ctx.cached("algorithmic:meta", lambda: run_meta(data_dir=ctx.data_dir, catalog=ctx.catalog, seed=ctx.seed))
        parts.append("<h3>Meta-analysis of log r</h3>")
        import pandas as pd

        head = pd.DataFrame([{"k": meta.k, "pooled r": meta.pooled_r, "90% low": meta.pooled_low, "90% high": meta.pooled_high,
                              "tau²": meta.tau2, "I²": meta.i2, "prediction low": meta.prediction_low, "prediction high": meta.prediction_high}])
        parts.append(table_html(head, caption="Random-effects pooled r, heterogeneity and the prediction interval for a new domain."))
        parts.append(table_html(meta.studies[["study", "r", "se_log_r", "se_from", "weight_re", "source"]], caption="Studies."))
        parts.append(table_html(sens, caption="Sensitivity to the log-se assumed for published points without an interval."))
        parts.extend(_p(n) for n in meta.notes)
        parts.append(_p(f"Takeoff configs can use this as r: {{from: \"algorithmic:meta\"}} -> {meta.distribution}."))
        parts.append(figure_html(plot_meta(meta), caption="Forest plot of r (log axis).", n=meta.k))
    except (AiprogressError, FileNotFoundError) as exc:
        parts.append(_p(f"Could not be computed: {exc}"))
    return parts


def _acceleration_part(ctx: ReportContext) -> list[str]:
    from aiprogress.algorithmic.accel_data import domain_series
    from aiprogress.algorithmic.acceleration import acceleration_test, size_and_power

    parts = ["<h3>Is algorithmic progress accelerating?</h3>", _p(
        "One-sided tests of a linear time trend (log10 compute held fixed) against a convex trend (t statistic of t²) and a "
        "continuous kink (sup t over kink dates, p-value from 999 simulated null series). Size and power are measured on 2,000 "
        "synthetic series of the same length per case.")]
    import pandas as pd

    rows, powers = [], []
    for dom in ("vision", "language"):
        try:
            t, y, ctrl, label, _ = domain_series(dom, data_dir=ctx.data_dir, catalog=ctx.catalog)
            res = acceleration_test(t, y, controls=ctrl, label=label, seed=ctx.seed)
            rows.append({"series": label, "n": res.n_obs, "convex t": res.convex_t, "convex p": res.convex_p,
                         "kink sup t": res.break_sup_t, "kink p": res.break_p, "kink at": res.break_time})
            powers.append(size_and_power(n=res.n_obs, seed=ctx.seed).assign(series=label))
        except (AiprogressError, FileNotFoundError) as exc:
            parts.append(_p(f"{dom}: could not be computed: {exc}"))
    if rows:
        parts.append(table_html(pd.DataFrame(rows), caption="Acceleration tests on the model-level progress measures."))
        parts.append(table_html(pd.concat(powers, ignore_index=True), caption="Size (null) and power (curvature 0.5) on synthetic series."))
    return parts


@register_section("algorithmic", "Algorithmic progress and the returns to software", order=45, cost=6)
def build(ctx: ReportContext) -> str:
    parts = _halving_part(ctx) + _decomposition_part(ctx) + _sources_meta_part(ctx) + _acceleration_part(ctx)
    parts.append("<h3>Returns to software r: the single-series estimate</h3>")
    parts.extend(_returns_part(ctx))
    parts.append(_p("Data: Thompson et al. (2020), computerprogress.com; Epoch AI 'AI Models' and Benchmarking Hub (CC BY 4.0); "
                    "Nesta arxiv_ai (Klinger et al.). Published: Erdil & Besiroglu (2022); Ho et al. (2024); Eth & Davidson (2025), Table 4."))
    return "\n".join(parts)
