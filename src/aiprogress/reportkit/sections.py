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
    # ``loader(name, catalog=..., data_dir=...)``; default: the table loader named in
    # aiprogress.capabilities (the data capability's load_table), resolved by name so
    # that reportkit stays below every capability in the import graph.
    loader: Callable[..., pd.DataFrame] | None = None

    def table(self, name: str) -> pd.DataFrame:
        """A catalog table (``models``, ``hardware``, ``benchmark_results`` ...), loaded once."""
        key = f"table:{name}"
        if key not in self.cache:
            from aiprogress.capabilities import table_loader

            load = self.loader or table_loader()
            self.cache[key] = load(name, catalog=self.catalog, data_dir=self.data_dir)
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
    #: Rough build time relative to a light section (1): a parallel build starts the costly sections first.
    cost: float = 1.0
    #: Key of another section whose cached results this one reuses: a parallel build builds both in one
    #: worker process, in report order, so the work is done once (None: any worker).
    with_section: str | None = None


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, title: str, order: int = 100, *, cost: float = 1.0,
                     with_section: str | None = None) -> Callable[[Callable[[ReportContext], str]], Callable[[ReportContext], str]]:
    """Register ``func(ctx) -> html`` as a report section.

    ``cost`` is a scheduling hint only (rough build time, 1 = a light section): a parallel build hands the
    costly sections to the worker processes first, so that they do not start last. ``with_section`` names a
    section whose cached results (``ctx.cached``) this one reuses: a parallel build gives both to one worker.
    Neither ever changes the output.
    """

    def deco(func: Callable[[ReportContext], str]) -> Callable[[ReportContext], str]:
        _SECTIONS[key] = Section(key=key, title=title, order=order, build=func, cost=float(cost),
                                 with_section=with_section)
        return func

    return deco


def registered() -> list[Section]:
    """The sections registered so far, in report order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
