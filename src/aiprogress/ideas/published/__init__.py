"""Published estimates of Besiroglu, Emery-Xu and Thompson (2023), stored as package data of the ideas capability
(the growth capability reads the §7 ranges from here; imports run growth -> ideas only).

``besiroglu2023_tables.csv`` holds every coefficient of the paper's idea production
function estimates, one row per (model, table, window_months):

- Tables 4 and 5 (``main == True``): the main estimates, models A1-C2, 12-month windows.
- Table 6 (A1, B1, C1) and Table 12 / Appendix K (A2, B2, C2): re-estimates with
  6-, 12- and 18-month windows.

Columns: ``model, table, main, sample, benchmark, window_months, estimator, beta,
beta_se, beta_stars, gamma, gamma_se, gamma_stars, trend, trend_se, trend_stars, n,
loglik, source``. Standard errors are in parentheses in the paper; stars are as
printed (* p<0.05, ** p<0.01, *** p<0.001). ``n`` is filled where the paper states
it (Tables 4 and 5: 96 image classification, 40 object detection, 136 pooled).
``estimator`` follows Table 11 where it is legible: GLS or OLS with robust (HC)
errors; the 12-month row of Table 11 is ambiguous in the source text, so it is left empty.
Values are transcribed as printed, including the paper's own inconsistencies
(e.g. the 12-month rows of Tables 6/12 for C1/C2 differ from Table 5).

``besiroglu2023_section7.csv`` holds the published ranges of §7 (steady-state
productivity growth by model group, theta = 1/2, gamma = 2/5, n = 1 %), the
"current region" of Figure 5 and the §6 range of implied capital shares.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from aiprogress.errors import ParameterError

TABLES_FILE = "besiroglu2023_tables.csv"
SECTION7_FILE = "besiroglu2023_section7.csv"


def _read(name: str) -> pd.DataFrame:
    with resources.files(__name__).joinpath(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, keep_default_na=True, na_values=[""], dtype={"beta_stars": str, "gamma_stars": str, "trend_stars": str})


def published_estimates(tables: list[str] | tuple[str, ...] | None = None, *, main_only: bool = False) -> pd.DataFrame:
    """The published idea-production-function estimates (one row per model/table/window).

    ``tables`` filters by table label, e.g. ``["Table 4", "Table 5"]``; ``main_only``
    keeps the headline estimates of Tables 4 and 5.
    """
    frame = _read(TABLES_FILE)
    frame["main"] = frame["main"].astype(str).str.lower().eq("true")
    frame["n"] = frame["n"].astype("Int64")
    frame["window_months"] = frame["window_months"].astype(int)
    for col in ("beta_stars", "gamma_stars", "trend_stars", "estimator"):
        frame[col] = frame[col].fillna("")
    if tables is not None:
        known = set(frame["table"])
        unknown = [t for t in tables if t not in known]
        if unknown:
            raise ParameterError("tables", f"unknown table {unknown[0]!r}", expected=", ".join(sorted(known)))
        frame = frame[frame["table"].isin(tables)]
    if main_only:
        frame = frame[frame["main"]]
    return frame.reset_index(drop=True)


def published_growth_ranges() -> pd.DataFrame:
    """Published §7 ranges of steady-state productivity growth (percent per year) and capital shares."""
    frame = _read(SECTION7_FILE)
    frame["models"] = frame["models"].fillna("")
    return frame


__all__ = ["published_estimates", "published_growth_ranges"]
