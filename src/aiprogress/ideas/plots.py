"""Figures in the manner of Besiroglu et al. Figures 4-7 (matplotlib, returned unsaved)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import cbook  # noqa: E402
from scipy import stats as sps  # noqa: E402

from aiprogress.ideas.estimate import IdeasEstimate  # noqa: E402
from aiprogress.ideas.robustness import SubsampleResult  # noqa: E402
from aiprogress.reportkit.figures import fit_width  # noqa: E402

ATTRIBUTION = "Data: Thompson et al. benchmark files; Epoch AI models (CC BY 4.0)."


def capital_share_figure(estimates: list[IdeasEstimate] | IdeasEstimate, published: pd.DataFrame | None = None):
    """Figure 4: implied capital shares f = beta/(beta+gamma) with bootstrap intervals."""
    ests = [estimates] if isinstance(estimates, IdeasEstimate) else list(estimates)
    models = [m for e in ests for m in e.models]
    hc = [str(e.sample.get("human_capital_source", "")) for e in ests for _ in e.models]
    mixed = len(set(hc)) > 1  # e.g. replicate's Epoch-proxy supplement: say which proxy each point uses
    fig, ax = plt.subplots(figsize=(7, 3.8))
    x = np.arange(len(models))
    f = np.array([m.capital_share for m in models])
    lo = np.array([m.capital_share_ci[0] for m in models])
    hi = np.array([m.capital_share_ci[1] for m in models])
    ax.errorbar(x, f, yerr=[np.clip(f - lo, 0, None), np.clip(hi - f, 0, None)], fmt="o", capsize=4, label="this sample")
    if published is not None and len(published):
        pub = published.set_index("model")
        pf = [float(pub.loc[m.label, "beta"] / (pub.loc[m.label, "beta"] + pub.loc[m.label, "gamma"])) if m.label in pub.index else np.nan for m in models]
        ax.plot(x + 0.15, pf, "s", color="tab:red", label="published (Tables 4-5)")
    ax.set_xticks(x, [f"{m.label}\n({m.window_months}m)" + (f"\nS: {h.replace('paper_rows', 'rows')}" if mixed else "") for m, h in zip(models, hc)],
                  fontsize=8 if mixed else None)
    ax.set_ylabel("capital share f = β/(β+γ)")
    lvl = models[0].capital_share_level if models else 0.9
    ax.set_title(f"Implied R&D capital share ({lvl:.0%} bias-corrected bootstrap intervals)")
    ax.axhline(0.2, ls=":", color="grey", lw=1)
    ax.text(x[-1] + 0.3 if len(x) else 0, 0.2, "US R&D ≤ 20%", va="bottom", ha="right", fontsize=8, color="grey")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize=8, loc="upper left")
    fig.text(0.01, -0.02, ATTRIBUTION, fontsize=7, color="grey")
    fig.tight_layout()
    return fig


def gaussian_kde_scott(data: np.ndarray, coords: np.ndarray, block: int = 4096) -> np.ndarray:
    """Gaussian KDE with Scott's bandwidth (as ``matplotlib.mlab.GaussianKDE``), evaluated at ``coords``.

    Vectorised elementwise (blocks of ``block`` data points): no BLAS call, so it
    does not suffer from BLAS threads spinning up on matplotlib's per-point tiny
    ``np.dot`` products, and it is ~100x faster on 20,000 draws.
    """
    x = np.asarray(data, dtype=float).ravel()
    coords = np.asarray(coords, dtype=float).ravel()
    n = len(x)
    h = float(np.std(x, ddof=1)) * n ** (-0.2) if n > 1 else 0.0
    if not h > 0:
        raise ValueError("the KDE needs at least two distinct values")
    out = np.zeros(len(coords))
    for s in range(0, n, block):
        z = (coords[:, None] - x[None, s : s + block]) / h
        out += np.exp(-0.5 * z * z).sum(axis=1)
    return out / (n * h * np.sqrt(2 * np.pi))


def subsample_figure(result: SubsampleResult):
    """Figure 6: violins of beta, gamma and f across drop-k subsamples."""
    params = ["beta", "gamma", "f"]
    fig, axes = plt.subplots(1, 3, figsize=fit_width(10, 3.6))
    for ax, p in zip(axes, params):
        data = []
        for m in result.models:
            v = {"beta": m.draws[:, 0], "gamma": m.draws[:, 1], "f": m.f_draws()}[p]
            v = v[np.isfinite(v)]
            if len(v) > 20_000:  # KDE on a thinned copy; quantiles use all draws
                v = v[np.linspace(0, len(v) - 1, 20_000).astype(int)]
            data.append(v)
        pos = np.arange(1, len(data) + 1)
        parts = ax.violin(cbook.violin_stats(data, gaussian_kde_scott), positions=pos, showextrema=False)
        for b in parts["bodies"]:
            b.set_alpha(0.5)
        ax.boxplot(data, positions=pos, widths=0.15, showfliers=False)
        full = [{"beta": m.beta_full, "gamma": m.gamma_full, "f": m.beta_full / (m.beta_full + m.gamma_full)}[p] for m in result.models]
        ax.plot(pos, full, "rx", label="full sample")
        ax.set_xticks(pos, [f"{m.label}\n(-{m.drop_k} of {m.nobs})" for m in result.models], fontsize=8)
        lo = min(float(np.quantile(v, 0.01)) for v in data if len(v))
        hi = max(float(np.quantile(v, 0.99)) for v in data if len(v))
        pad = 0.1 * (hi - lo + 1e-12)
        ax.set_ylim(lo - pad, hi + pad)  # each model's central 98% (ratios have long tails)
        ax.set_title({"beta": "β (compute)", "gamma": "γ (human capital)", "f": "f = β/(β+γ)"}[p])
    axes[0].legend(fontsize=8)
    fig.suptitle("Estimates after dropping random subsets of observations")
    fig.tight_layout()
    return fig


def sigma_figure(estimates: IdeasEstimate):
    """Figure 7: kernel densities of bootstrap estimates of sigma (translog)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for m in estimates.models:
        s = m.sigma_draws()
        s = s[np.isfinite(s)]
        if len(s) < 10:
            continue
        lo, hi = np.quantile(s, [0.05, 0.95])
        s = s[(s >= lo) & (s <= hi)]
        grid = np.linspace(lo, hi, 300)
        ax.plot(grid, sps.gaussian_kde(s)(grid), label=f"{m.label} (σ̂={m.sigma:.2f})")
    ax.axvline(1.0, ls=":", color="grey")
    ax.set_xlabel("elasticity of substitution σ (central 90% of draws)")
    ax.set_ylabel("density")
    ax.set_title("Bootstrap distribution of σ (translog)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
