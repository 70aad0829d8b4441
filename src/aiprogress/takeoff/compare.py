"""Side-by-side comparison of two takeoff scenarios (configs with a model, distributions and a seed).

Every statistic is a probability estimated from independent draws, so each has a
Monte Carlo standard error. The difference B - A is reported with
sqrt(se_A^2 + se_B^2), its standard error when the two runs are independent
(different seeds). With the same seed the two runs share their normal scores
(common random numbers, positively correlated for parameters with the same
role), and that error is then conservative. ``z`` is the difference in units of
that error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from aiprogress.results import Result, format_table, jsonable
from aiprogress.takeoff.config import MonteCarloConfig, load_config
from aiprogress.takeoff.montecarlo import MonteCarloResult, run_monte_carlo

__all__ = ["Comparison", "compare_scenarios", "statistics_rows"]


def statistics_rows(res: MonteCarloResult) -> list[dict[str, Any]]:
    """(statistic, p, se) rows of one result: SIE verdict, compression table, compression curve."""
    c = res.compression
    rows = [{"statistic": f"P(SIE: >= {res.sie_ooms:g} OOMs in < {res.sie_days:g} days)", "p": res.p_sie,
             "se": res.p_sie_se}]
    for r in c["table"]:
        rows.append({"statistic": f"P(>= {r['x_years']:g} years in <= {r['y_months']:g} months)", "p": r["p"],
                     "se": r["se"]})
    y = c["curve"]["y_months"]
    for r in c["curve"]["points"]:
        rows.append({"statistic": f"curve: P(>= {r['x_years']:g} years in <= {y:g} months)", "p": r["p"], "se": r["se"]})
    return rows


@dataclass(frozen=True)
class Comparison(Result):
    """Two scenarios' statistics side by side with the difference B - A and its Monte Carlo error."""

    a: MonteCarloResult
    b: MonteCarloResult
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        t = self.table.astype(object).where(self.table.notna(), None)
        return jsonable({
            "a": {"config": self.a.config, "model": self.a.model, "draws": self.a.draws, "seed": self.a.seed},
            "b": {"config": self.b.config, "model": self.b.model, "draws": self.b.draws, "seed": self.b.seed},
            "conversion_a": self.a.compression["conversion"],
            "conversion_b": self.b.compression["conversion"],
            "rows": t.to_dict("records"),
        })

    def summary(self) -> str:
        head = (f"A = {self.a.config} (model {self.a.model}, {self.a.draws} draws, seed {self.a.seed})\n"
                f"B = {self.b.config} (model {self.b.model}, {self.b.draws} draws, seed {self.b.seed})\n"
                f"A: {self.a.compression['conversion']}\nB: {self.b.compression['conversion']}")
        return head + "\n\n" + format_table(self.table, title="Scenario comparison (MC s.e.: Monte Carlo standard errors)")


def compare_scenarios(a: MonteCarloConfig | str | Path, b: MonteCarloConfig | str | Path, *, draws: int | None = None,
                      seed: int | None = None, scheduler=None, chunk_size: int = 10_000,
                      progress: Callable[[int], None] | None = None) -> Comparison:
    """Run both scenarios (their own ``draws``/``seed`` unless given here) and tabulate the statistics."""
    cfg_a = a if isinstance(a, MonteCarloConfig) else load_config(a)
    cfg_b = b if isinstance(b, MonteCarloConfig) else load_config(b)
    res = [run_monte_carlo(c, draws, seed, scheduler=scheduler, chunk_size=chunk_size, progress=progress)
           for c in (cfg_a, cfg_b)]
    rows_a, rows_b = statistics_rows(res[0]), statistics_rows(res[1])
    by_b = {r["statistic"]: r for r in rows_b}
    out = []
    for ra in rows_a:
        rb = by_b.get(ra["statistic"])
        if rb is None:
            continue
        diff = rb["p"] - ra["p"]
        se = math.sqrt(ra["se"] ** 2 + rb["se"] ** 2)
        out.append({"statistic": ra["statistic"], "A": ra["p"], "A s.e.": ra["se"], "B": rb["p"], "B s.e.": rb["se"],
                    "B - A": diff, "diff s.e.": se, "z": diff / se if se > 0 else math.nan})
    return Comparison(a=res[0], b=res[1], table=pd.DataFrame(out))
