"""β, γ, f under each human-capital measure: one row per measure and model, errors reported per measure."""

from __future__ import annotations

import pandas as pd

from aiprogress.errors import DataNotFoundError
from aiprogress.ideas.hc_compare import MEASURES, compare_measures, ideas_runner


class _Est:
    def __init__(self, beta: float, gamma: float):
        self.beta, self.gamma = beta, gamma

    def to_frame(self) -> pd.DataFrame:
        f = self.beta / (self.beta + self.gamma)
        return pd.DataFrame([{"model": "A1", "beta": self.beta, "gamma": self.gamma, "capital_share": f,
                              "capital_share_low": f - 0.1, "capital_share_high": f + 0.1, "n": 59}])


def test_rows_carry_each_measures_estimate_and_coverage():
    values = {"learned": (0.1, 0.3), "epoch": (0.2, 0.2), "paper_rows": (0.3, 0.1)}
    out = compare_measures(lambda m: (_Est(*values[m]), {"coverage": 0.5 if m != "paper_rows" else 1.0}))
    assert list(out["human_capital"]) == list(MEASURES)
    for _, r in out.iterrows():
        beta, gamma = values[r["human_capital"]]
        assert r["beta"] == beta and r["gamma"] == gamma and abs(r["f"] - beta / (beta + gamma)) < 1e-15
    assert "error" not in out.columns


def test_a_measure_that_cannot_be_built_is_reported_not_fatal():
    def tables(name: str) -> pd.DataFrame:
        raise DataNotFoundError(f"no table {name} here")

    out = compare_measures(ideas_runner(tables, n_boot=10))
    assert list(out["human_capital"]) == list(MEASURES)
    assert all("no table benchmark_results here" in e for e in out["error"])
