"""Report section "Estimating ρ and r from data" (published vs estimated r, log S vs log R, σ → ρ)."""

from __future__ import annotations

import html

from aiprogress.errors import AiprogressError
from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html
from aiprogress.takeoff import estimate as E


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


@register_section("takeoff_estimates", "Estimating ρ and r from data", order=65)
def build(ctx: ReportContext) -> str:
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
        est = E.estimate_r_from_catalog("imagenet", benchmark_results=bench, models=models, n_boot=2000, seed=ctx.seed)
        cross = E.estimate_r_from_catalog(
            "imagenet", benchmark_results=bench, models=models, software_source="scaling", n_boot=0
        )
        comp = E.compare_with_published(est, others={"cross-check: S from scaling trend (HAC)": cross})
        parts.append(table_html(comp, caption="Published vs estimated returns to software r (computer vision)."))
        parts.extend(_p(line) for line in E.explain_difference(est))
        parts.extend(_p(note) for note in est.notes)
        parts.append(
            figure_html(
                E.plot_r_fit(est, title="ImageNet: software efficiency vs cumulative vision research"),
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

    parts.append(
        _p(
            "Published elasticities of substitution σ convert to the CES parameter ρ = 1 − 1/σ. The ceiling column is the "
            "most output a normalised CES with α = ½ can reach when labour grows without bound and capital stays at 1, "
            "(1−α)^{1/ρ}: it is what bounds the speed-up of research under a compute bottleneck."
        )
    )
    parts.append(table_html(E.published_sigma_conversions(), caption="σ → ρ for the published ranges (sources in published_r.csv)."))
    parts.append(
        _p(
            "From data on output, labour and capital, the command 'aiprogress takeoff estimate-rho' fits ρ by the translog (Kmenta) "
            "approximation and by nonlinear least squares on the CES itself; both are checked on synthetic data with known ρ."
        )
    )
    return "\n".join(parts)
