"""Learned human capital of research teams (Besiroglu et al. §5).

Modules: :mod:`~aiprogress.humancapital.corpus` (AAN, Paperscape, Epoch loaders),
:mod:`~aiprogress.humancapital.features` (author histories without leakage, outcomes),
:mod:`~aiprogress.humancapital.names` (cross-source author matching),
:mod:`~aiprogress.humancapital.model` (the bottleneck network),
:mod:`~aiprogress.humancapital.evaluate` (Fig. 3 validation against the proxies and LassoCV),
:mod:`~aiprogress.humancapital.store` / :mod:`~aiprogress.humancapital.pipeline` (saved models, train-or-load),
:mod:`~aiprogress.humancapital.score` (per-model scores for the idea production function;
:mod:`aiprogress.ideas.hc_compare` shows how β, γ, f move under each measure).
Nothing heavy is imported here, so the CLI starts fast.
"""
