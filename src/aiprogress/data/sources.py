"""The data sources: where each file lives in the data directory, where it is
published, its licence and attribution.

Thompson et al. files are fetched from the public Computer-Progress/api
repository, where the site's database seeders keep them:
``https://raw.githubusercontent.com/Computer-Progress/api/main/app/database/seeders/<name>.csv``
(override the base with ``aiprogress data fetch --base-url``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EPOCH_LICENCE = "CC BY 4.0"
EPOCH_MODELS_ATTR = "Epoch AI, 'AI Models' database, https://epoch.ai/data/ai-models"
EPOCH_HW_ATTR = "Epoch AI, 'Machine Learning Hardware' database, https://epoch.ai/data/machine-learning-hardware"
THOMPSON_ATTR = (
    "Thompson, Greenewald, Lee, Manso, 'The Computational Limits of Deep Learning' "
    "(computerprogress.com), data from the Computer-Progress/api repository"
)
THOMPSON_LICENCE = "public (Computer-Progress/api repository; no licence file stated)"
THOMPSON_BASE_URL = "https://raw.githubusercontent.com/Computer-Progress/api/main/app/database/seeders"


@dataclass(frozen=True)
class Source:
    """One source file: ``pattern`` is a glob inside the data directory; the
    newest match (by name, so a dated snapshot ``..._2025-03.csv`` sorts by date) is used."""

    name: str
    table: str  # target table: models / hardware / benchmark_results
    folder: str
    pattern: str
    url: str
    licence: str
    attribution: str
    fetch_name: str  # file name given to a fetched copy ({date} -> YYYY-MM)

    def find(self, data_dir: Path) -> Path | None:
        matches = sorted((data_dir / self.folder).glob(self.pattern))
        return matches[-1] if matches else None

    def expected_path(self, data_dir: Path) -> Path:
        return data_dir / self.folder / self.pattern.replace("*", "")


def _thompson(name: str, table: str) -> Source:
    return Source(
        name=name,
        table=table,
        folder="thompson2020",
        pattern=f"{name}.csv",
        url=f"{THOMPSON_BASE_URL}/{name}.csv",
        licence=THOMPSON_LICENCE,
        attribution=THOMPSON_ATTR,
        fetch_name=f"{name}.csv",
    )


SOURCES: dict[str, Source] = {
    "epoch_models": Source(
        "epoch_models", "models", "epoch", "all_ai_models*.csv", "https://epoch.ai/data/all_ai_models.csv",
        EPOCH_LICENCE, EPOCH_MODELS_ATTR, "all_ai_models_{date}.csv",
    ),
    "epoch_hardware": Source(
        "epoch_hardware", "hardware", "epoch", "ml_hardware*.csv", "https://epoch.ai/data/ml_hardware.csv",
        EPOCH_LICENCE, EPOCH_HW_ATTR, "ml_hardware_{date}.csv",
    ),
    **{b: _thompson(b, "benchmark_results") for b in
       ["imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr", "wmt2014_en_de"]},
    **{p: _thompson(p, "hardware") for p in ["gpu", "cpu", "tpu"]},
}
