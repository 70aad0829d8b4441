"""aiprogress.scaling: how performance scales with compute, how fast compute grows, what a target costs.

Public API
----------
- :class:`SelectionRules`, :func:`build_sample` - documented, switchable sample construction
- :func:`fit_scaling`, :func:`fit_benchmark` - polynomial / exponential / trend / 10% frontier fits
- :func:`algorithmic_progress` - year-trend algorithmic progress (years per 10x compute, efficiency series)
- :func:`extrapolate`, :func:`extrapolate_fit`, :func:`figure4_table`, :class:`CostConversion`
- :func:`replicate`, :func:`published_regressions` - Thompson et al. (2020) Tables 1-4
- :func:`compute_trends`, :func:`fit_doubling` - doubling times of training compute (Epoch)
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.scaling.extrapolate": (
        "CostConversion",
        "extrapolate",
        "extrapolate_fit",
        "figure4_table",
        "published_figure4",
    ),
    "aiprogress.scaling.fits": (
        "FORMS",
        "AlgorithmicProgress",
        "ScalingFit",
        "ScalingFits",
        "algorithmic_progress",
        "fit_benchmark",
        "fit_scaling",
    ),
    "aiprogress.scaling.replicate": ("Replication", "published_regressions", "replicate",),
    "aiprogress.scaling.selection": (
        "BENCHMARKS",
        "MEASURES",
        "PAPER_BENCHMARKS",
        "Sample",
        "SelectionRules",
        "build_sample",
    ),
    "aiprogress.scaling.trends": ("ComputeTrends", "DoublingTime", "compute_trends", "fit_doubling",),
})
