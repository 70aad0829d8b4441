"""Report sections: what a capability's ``report.py`` decorates with :func:`register_section`.

This is the low-level half of the report (no capability imports); the
assembler in :mod:`aiprogress.report` imports the modules that
:mod:`aiprogress.capabilities` lists and renders the registered sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd


@dataclass
class ReportContext:
    """What a section builder gets: where the data is, plus a shared table cache."""

    data_dir: Path | None = None
    catalog: Path | None = None
    seed: int = 0
    cache: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A catalog table (``models``, ``hardware``, ``benchmark_results`` ...), loaded once."""
        key = f"table:{name}"
        if key not in self.cache:
            from aiprogress.data import load_table

            self.cache[key] = load_table(name, catalog=self.catalog, data_dir=self.data_dir)
        return self.cache[key]

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per report: a section and its scorecard function share one result."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    build: Callable[[ReportContext], str]


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, title: str, order: int = 100) -> Callable[[Callable[[ReportContext], str]], Callable[[ReportContext], str]]:
    """Register ``func(ctx) -> html`` as a report section."""

    def deco(func: Callable[[ReportContext], str]) -> Callable[[ReportContext], str]:
        _SECTIONS[key] = Section(key=key, title=title, order=order, build=func)
        return func

    return deco


def registered() -> list[Section]:
    """The sections registered so far, in report order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
