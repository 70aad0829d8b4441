"""Section registration for the HTML report."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

# Capabilities whose ``report`` module is imported when the report is built, in order.
CAPABILITIES = ["data", "compute", "scaling", "ideas", "growth", "takeoff", "geography", "humancapital"]
# Report modules beyond ``aiprogress.<capability>.report``.
EXTRA_REPORT_MODULES = ["aiprogress.takeoff.report_estimates"]


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


def discover() -> None:
    """Import every capability's ``report`` module so its sections register."""
    names = [f"aiprogress.{cap}.report" for cap in CAPABILITIES] + EXTRA_REPORT_MODULES
    for name in names:
        package = name.rsplit(".", 1)[0]
        if importlib.util.find_spec(package) is None:
            continue
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def sections() -> list[Section]:
    discover()
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
