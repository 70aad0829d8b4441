"""The data sources: where each file lives in the data directory, where it is
published, its licence and attribution.

Thompson et al. files are fetched from the public Computer-Progress/api
repository, where the site's database seeders keep them:
``https://raw.githubusercontent.com/Computer-Progress/api/main/app/database/seeders/<name>.csv``
(override the base with ``aiprogress data fetch --base-url``).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from aiprogress.errors import DataNotFoundError

EPOCH_LICENCE = "CC BY 4.0"
EPOCH_MODELS_ATTR = "Epoch AI, 'AI Models' database, https://epoch.ai/data/ai-models"
EPOCH_HW_ATTR = "Epoch AI, 'Machine Learning Hardware' database, https://epoch.ai/data/machine-learning-hardware"
THOMPSON_ATTR = (
    "Thompson, Greenewald, Lee, Manso, 'The Computational Limits of Deep Learning' "
    "(computerprogress.com), data from the Computer-Progress/api repository"
)
THOMPSON_LICENCE = "public (Computer-Progress/api repository; no licence file stated)"
THOMPSON_BASE_URL = "https://raw.githubusercontent.com/Computer-Progress/api/main/app/database/seeders"


_DATED = r"(?:[_-](?P<date>\d{4}-\d{2}(?:-\d{2})?))?\.csv"


@dataclass(frozen=True)
class Discovery:
    """The file picked for a source, why, and the other candidates it ignored."""

    path: Path
    reason: str
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One source file in ``folder`` of the data directory.

    ``names`` are the accepted base names in order of preference (Epoch's own
    download names, e.g. ``all_ai_models`` then the subset exports
    ``notable_ai_models`` ...). A file is ``<name>.csv`` or a dated copy
    ``<name>_YYYY-MM[-DD].csv`` (also with ``-``). Discovery picks the first
    base name that has a file and, among its files, the newest: by the date
    in the name, an undated file by its modification date.
    """

    name: str
    table: str  # target table: models / hardware / benchmark_results
    folder: str
    names: tuple[str, ...]
    url: str
    licence: str
    attribution: str
    fetch_name: str  # file name given to a fetched copy ({date} -> YYYY-MM)

    @property
    def pattern(self) -> str:
        return f"{self.names[0]}*.csv"

    def looked_for(self) -> str:
        return ", ".join(f"{n}.csv / {n}_YYYY-MM[-DD].csv" for n in self.names)

    def _listing(self, data_dir: Path) -> list[str] | None:
        """File names in the source's folder; None when the folder does not exist.
        An unreadable folder (or data directory) raises DataNotFoundError saying so."""
        for d in (data_dir, data_dir / self.folder):
            if d.exists() and not os.access(d, os.R_OK | os.X_OK):
                raise DataNotFoundError(f"{d}: the folder cannot be read (permission denied); "
                                        f"source '{self.name}' needs it (check its permissions or pass --data-dir)")
        folder = data_dir / self.folder
        try:
            return sorted(e.name for e in os.scandir(folder) if e.is_file())
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise DataNotFoundError(f"{folder}: is a file, not a folder (source '{self.name}')") from None
        except PermissionError:
            raise DataNotFoundError(f"{folder}: the folder cannot be read (permission denied); "
                                    f"source '{self.name}' needs it") from None

    def discover(self, data_dir: Path) -> Discovery | None:
        files = self._listing(data_dir)
        if not files:
            return None
        folder = data_dir / self.folder
        for rank, base in enumerate(self.names):
            rx = re.compile(re.escape(base) + _DATED + "$", re.IGNORECASE)
            hits = []
            for f in files:
                m = rx.match(f)
                if m:
                    label = m.group("date")
                    when = label or _dt.datetime.fromtimestamp((folder / f).stat().st_mtime, _dt.timezone.utc).strftime("%Y-%m-%d")
                    hits.append(((when + "-00")[:10] if label and len(label) == 7 else when, label is not None, f))
            if not hits:
                continue
            hits.sort()
            when, dated, pick = hits[-1]
            others = [h[2] for h in hits[:-1]]
            later = [f for b in self.names[rank + 1:] for f in files
                     if re.match(re.escape(b) + _DATED + "$", f, re.IGNORECASE)]
            why = (f"the newest '{base}' file ({'dated ' + when[:10] + ' in its name' if dated else 'undated; modified ' + when})"
                   if len(hits) > 1 else f"the only '{base}' file")
            if rank > 0:
                why += f"; no {' / '.join(repr(b) for b in self.names[:rank])} export found"
            if later:
                why += f"; preferred over the less complete export(s) {', '.join(later)}"
            return Discovery(folder / pick, why, tuple(others + later))
        return None

    def find(self, data_dir: Path) -> Path | None:
        d = self.discover(data_dir)
        return d.path if d is not None else None

    def expected_path(self, data_dir: Path) -> Path:
        return data_dir / self.folder / f"{self.names[0]}.csv"

    def not_found(self, data_dir: Path) -> DataNotFoundError:
        """The error for a missing source: what is there and the names looked for."""
        rel = self.expected_path(data_dir).relative_to(data_dir).as_posix()
        files = self._listing(data_dir)
        if not data_dir.exists():
            there = "the data directory does not exist"
        elif files is None:
            there = f"the folder {self.folder}/ does not exist"
        elif not files:
            there = f"{self.folder}/ is empty"
        else:
            shown = ", ".join(files[:12]) + (f" and {len(files) - 12} more" if len(files) > 12 else "")
            there = f"{self.folder}/ holds: {shown}"
        return DataNotFoundError(
            f"{rel}: source '{self.name}' not found in data directory {data_dir}; looked for {self.looked_for()}; "
            f"{there} (run 'aiprogress data fetch' or pass --data-dir)"
        )


def _thompson(name: str, table: str) -> Source:
    return Source(
        name=name,
        table=table,
        folder="thompson2020",
        names=(name,),
        url=f"{THOMPSON_BASE_URL}/{name}.csv",
        licence=THOMPSON_LICENCE,
        attribution=THOMPSON_ATTR,
        fetch_name=f"{name}.csv",
    )


SOURCES: dict[str, Source] = {
    "epoch_models": Source(
        "epoch_models", "models", "epoch",
        ("all_ai_models", "notable_ai_models", "large_scale_ai_models", "frontier_ai_models"),
        "https://epoch.ai/data/all_ai_models.csv",
        EPOCH_LICENCE, EPOCH_MODELS_ATTR, "all_ai_models_{date}.csv",
    ),
    "epoch_hardware": Source(
        "epoch_hardware", "hardware", "epoch", ("ml_hardware",), "https://epoch.ai/data/ml_hardware.csv",
        EPOCH_LICENCE, EPOCH_HW_ATTR, "ml_hardware_{date}.csv",
    ),
    **{b: _thompson(b, "benchmark_results") for b in
       ["imagenet", "ms_coco", "squad_1_1", "conll2003", "wmt2014_en_fr", "wmt2014_en_de"]},
    **{p: _thompson(p, "hardware") for p in ["gpu", "cpu", "tpu"]},
}
