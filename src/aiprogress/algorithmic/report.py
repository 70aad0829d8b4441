"""Report section "Algorithmic progress and the returns to software" (published vs estimated r, log S vs log R)."""

from __future__ import annotations

import html

from aiprogress.errors import AiprogressError
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


@register_section("algorithmic", "Algorithmic progress and the returns to software", order=45)
def build(ctx: ReportContext) -> str:
    return "\n".join(_returns_part(ctx))
