"""aiprogress.ideas: the idea production function (Besiroglu et al. §4-6, §8).

Public API:

- :func:`prepare_sample` -- benchmark rows -> estimation sample (g~, C, S, controls)
- :func:`estimate` -- separate and pooled fits, capital share, sigma, LR test
- :func:`window_robustness`, :func:`subsample` -- robustness (Table 6/12, Figure 6)
- :func:`simulate` -- synthetic data with known beta, gamma, theta
- :func:`replicate` -- published vs reproduced estimates side by side
- :func:`innovation` -- the g~ measure
- :func:`aiprogress.ideas.epoch_join.match_epoch` -- benchmark rows -> Epoch models (rules in that module)
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.ideas.estimate": ("IdeasEstimate", "ModelEstimate", "build_design", "estimate", "fit_model",),
    "aiprogress.ideas.innovation": ("innovation",),
    "aiprogress.ideas.sample": ("IdeasSample", "prepare_sample",),
    "aiprogress.ideas.simulate": ("Simulation", "simulate",),
})
