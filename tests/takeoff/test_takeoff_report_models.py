"""Report section 'Takeoff models compared': numbers equal direct library runs."""

from __future__ import annotations

from aiprogress.takeoff.config import load_config, shipped_configs
from aiprogress.takeoff.montecarlo import run_monte_carlo
from aiprogress.takeoff.report_models import DEFAULT_DRAWS, DRAWS, section_html


def test_models_section_tables_match_direct_runs():
    h = section_html(seed=2, draws_scale=0.05, sobol_n=32, shapley_outer=40)
    assert h.count("<figure") == 4  # curves, trajectories, Sobol bars, Shapley bars
    for k, name in enumerate(shipped_configs()):
        cfg = load_config(name)
        n = max(1000, int(DRAWS.get(cfg.model, DEFAULT_DRAWS) * 0.05))
        if cfg.model != "davidson-houlden":
            continue
        res = run_monte_carlo(cfg, n, seed=2 + k)
        r = res.compression["table"][0]
        assert f"{r['p']:.3f} ± {r['se']:.3f}" in h, name
    assert "8 software doublings" in h
    # The curve's caption states the draws each model family got (scaled: 20000 -> 1000, 2000 -> max(1000, 100)).
    assert "(n = 1000 draws per ces-sie config, 1000 per davidson-houlden config)" in h
