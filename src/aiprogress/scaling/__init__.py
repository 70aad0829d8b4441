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

from aiprogress.scaling.extrapolate import CostConversion, extrapolate, extrapolate_fit, figure4_table, published_figure4
from aiprogress.scaling.fits import FORMS, AlgorithmicProgress, ScalingFit, ScalingFits, algorithmic_progress, fit_benchmark, fit_scaling
from aiprogress.scaling.replicate import Replication, published_regressions, replicate
from aiprogress.scaling.selection import BENCHMARKS, MEASURES, PAPER_BENCHMARKS, Sample, SelectionRules, build_sample
from aiprogress.scaling.trends import ComputeTrends, DoublingTime, compute_trends, fit_doubling

__all__ = [
    "AlgorithmicProgress",
    "BENCHMARKS",
    "ComputeTrends",
    "CostConversion",
    "DoublingTime",
    "FORMS",
    "MEASURES",
    "PAPER_BENCHMARKS",
    "Replication",
    "Sample",
    "ScalingFit",
    "ScalingFits",
    "SelectionRules",
    "algorithmic_progress",
    "build_sample",
    "compute_trends",
    "extrapolate",
    "extrapolate_fit",
    "figure4_table",
    "fit_benchmark",
    "fit_doubling",
    "fit_scaling",
    "published_figure4",
    "published_regressions",
    "replicate",
]
