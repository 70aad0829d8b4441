"""Report section: the geography of deep learning (Klinger, Mateos-Garcia and Stathoulopoulos)."""

from __future__ import annotations

import html

import pandas as pd

from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html

SOURCES = ("Data: arXiv metadata (CC0) via dw-dengwei/daily-arXiv-ai-enhanced; Epoch AI 'AI Models' (CC BY 4.0); ROR (CC0); "
           "Hipo university-domains-list (MIT); Natural Earth (public domain); nestauk/arxiv_ai (DL papers by country, "
           "CrunchBase by region).")


def _analyses(ctx: ReportContext):
    from aiprogress.geography.pipeline import analyse

    key = "geography:analyses"
    if key not in ctx.cache:
        ctx.cache[key] = (analyse("arxiv", ctx.data_dir, seed=ctx.seed), analyse("epoch", ctx.data_dir, seed=ctx.seed))
    return ctx.cache[key]


@register_section("geography", "Geography of deep learning", order=55, cost=10)
def geography_section(ctx: ReportContext) -> str:
    from aiprogress.geography import classify as C
    from aiprogress.geography import gpt, metrics, plots
    from aiprogress.geography import pipeline as P
    from aiprogress.geography.countries import countries_geojson
    from aiprogress.geography.panel import epoch_country_panel
    from aiprogress.geography.regression import fit_eq6
    from aiprogress.geography.replicate import concentration_trend, published_vs_ours

    ar, ep = _analyses(ctx)
    parts = []
    xs, es = P.dl_share_summary(ar, None), P.dl_share_summary(ep)
    ag = C.agreement(ar.frame["dl_corex"], ar.frame["dl_keyword"])
    cov = P.coverage(ar)
    m = ar.classified.model
    parts.append(
        f"<p>Deep-learning papers are classified with an anchored CorEx topic model ({m.n_topics} topics chosen by total "
        f"correlation, fitted on {m.n_fit_docs:,} abstracts and applied to all {xs['n_classified']:,}). DL share on the "
        f"arXiv AI listings 2025-03..2026-07: {xs['dl_share']:.1%} (keyword baseline {xs['dl_share_keyword']:.1%}; "
        f"agreement {ag['accuracy']:.1%}, Cohen's kappa {ag['kappa']:.2f}). In the Epoch models corpus, the DL share is "
        f"{es.get('dl_share_before', float('nan')):.1%} before 2012 (n = {es.get('n_before')}) and "
        f"{es.get('dl_share_after', float('nan')):.1%} from 2012. arXiv papers located through Epoch author names: "
        f"{cov['coverage']:.1%}.</p>")
    tab = metrics.rca_table(ar.activity("country_code"), draws=100, seed=ctx.seed, min_activity=5.0)
    parts.append(figure_html(plots.choropleth(dict(zip(tab["location"], tab["rca"])), countries_geojson(ctx.data_dir),
                                              "DL RCA by country, arXiv 2025-26 (authors located through Epoch)"),
                             caption="RCA > 1: specialised in DL. Grey: no located papers. " + plots.ATTRIBUTION))
    top = tab.sort_values("all", ascending=False).head(12)[["location", "dl", "all", "rca", "rca_low", "rca_high"]]
    parts.append(table_html(top, caption="RCA by country with 95% bootstrap intervals over papers (arXiv corpus)."))
    rca_p = metrics.rca_table(ep.activity("country_code", period=2012), group="period", draws=100, seed=ctx.seed)
    parts.append(figure_html(plots.rca_change(rca_p, "before 2012", "2012 on", top=15, title="DL RCA before/after 2012 (Epoch)"),
                             caption="Epoch models by country of organisation, fractional counts."))
    conc = metrics.concentration_by(ep.activity("country_code"), group="year", draws=100, seed=ctx.seed)
    conc = conc[conc["year"] >= 2009]
    parts.append(figure_html(plots.concentration_plot(conc, extra=concentration_trend(ctx.data_dir),
                                                      extra_label="authors' DL counts (nesta)"),
                             caption="Top-10 country share and HHI of DL activity by year; bands: 95% bootstrap intervals."))
    frame = ar.frame.assign(dl=ar.frame["dl_corex"])
    parts.append(figure_html(plots.heatmap(gpt.relatedness(frame, top=18), "Research relatedness, arXiv subjects"),
                             caption="Cosine similarity of subjects' paper-incidence vectors; DL included as a subject."))
    g = gpt.gpt_tests(ep.frame.assign(dl=ep.frame["dl_corex"]), "epoch")
    parts.append(figure_html(plots.gpt_panels(g, "GPT tests on the Epoch corpus"), caption="Growth, generality, impact."))
    try:
        reg = fit_eq6(epoch_country_panel(ep.frame, ep.affiliations, ctx.data_dir), label="Epoch countries")
        parts.append(table_html(reg.coefficients, caption=f"Eq. 6 with country-clustered SEs on {reg.nobs} countries "
                                "(paper: 451 regions). The real panel is far too small to test the paper's claims."))
    except Exception as exc:  # a tiny panel may be singular
        parts.append(f"<p>Eq. 6 on the real panel: not estimable ({html.escape(str(exc))}).</p>")
    rows = pd.DataFrame([r.to_dict() for r in published_vs_ours(ar, ep, ctx.data_dir)])
    parts.append(table_html(rows[["table", "quantity", "published", "ours", "status", "reason"]],
                            caption="Published vs ours (status rule: aiprogress.replication)."))
    parts.append(f"<p class='caption'>{html.escape(SOURCES)}</p>")
    return "\n".join(parts)
