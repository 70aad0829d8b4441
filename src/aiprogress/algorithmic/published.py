"""Published estimates shipped as data with their sources (``published_r.csv``).

The r rows are those of Eth & Davidson (2025), Table 4 (citing Epoch AI), and the
hardware rows they quote from Davidson (2023). Until this capability existed the
image-recognition 1.4 was attributed in ``takeoff/published_r.csv`` to Davidson &
Houlden (2025); its source is Eth & Davidson (2025), Table 4.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from io import StringIO

import pandas as pd

__all__ = ["published_halving", "published_r"]


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    text = resources.files("aiprogress.algorithmic").joinpath(name).read_text(encoding="utf-8")
    return pd.read_csv(StringIO(text))


def published_r() -> pd.DataFrame:
    """Published returns to R&D r by domain: estimate, low, high, interval kind, software/hardware, source, note."""
    return _read("published_r.csv").copy()


def published_halving() -> pd.DataFrame:
    """Published compute halving times (months, 95% CI) for vision and language, with sources."""
    return _read("published_halving.csv").copy()
