"""Report section "Estimating ρ and r from data" (σ → ρ; the r estimates moved to aiprogress.algorithmic.report)."""

from __future__ import annotations

import html

from aiprogress.reportkit import ReportContext, register_section, table_html
from aiprogress.takeoff import sigma as E


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


@register_section("takeoff_estimates", "Estimating ρ and r from data", order=65)
def build(ctx: ReportContext) -> str:
    parts: list[str] = [
        _p(
            "The returns to software r are estimated in the section 'Algorithmic progress and the returns to software' "
            "(command 'aiprogress algorithmic returns'; 'aiprogress takeoff estimate-r' is an alias)."
        )
    ]
    parts.append(
        _p(
            "Published elasticities of substitution σ convert to the CES parameter ρ = 1 − 1/σ. The ceiling column is the "
            "most output a normalised CES with α = ½ can reach when labour grows without bound and capital stays at 1, "
            "(1−α)^{1/ρ}: it is what bounds the speed-up of research under a compute bottleneck."
        )
    )
    parts.append(table_html(E.published_sigma_conversions(), caption="σ → ρ for the published ranges (sources in takeoff/published_rho.csv)."))
    parts.append(
        _p(
            "From data on output, labour and capital, the command 'aiprogress takeoff estimate-rho' fits ρ by the translog (Kmenta) "
            "approximation and by nonlinear least squares on the CES itself; both are checked on synthetic data with known ρ."
        )
    )
    return "\n".join(parts)
