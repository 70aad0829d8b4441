"""aiprogress.data: load, validate and catalogue the data sources.

Public API:
- :func:`load_table` (``models``, ``hardware``, ``benchmark_results``, ``rejects``)
- :func:`load_sources` (all tables + rejects + per-source records)
- :func:`build_catalog`, :func:`catalog_status`, :func:`register_derived`
- :func:`fetch_sources`
"""

from aiprogress.data.loaders import LoadedData, SourceRecord, clear_cache, load_sources, load_table
from aiprogress.data.sources import SOURCES, Source

__all__ = [
    "LoadedData",
    "SOURCES",
    "Source",
    "SourceRecord",
    "build_catalog",
    "catalog_status",
    "clear_cache",
    "fetch_sources",
    "load_sources",
    "load_table",
    "register_derived",
]


def __getattr__(name: str):  # lazy: keep 'import aiprogress.data' light
    if name in ("build_catalog", "catalog_status", "register_derived", "derived_functions", "read_catalog_table"):
        from aiprogress.data import catalog

        return getattr(catalog, name)
    if name == "fetch_sources":
        from aiprogress.data.fetch import fetch_sources

        return fetch_sources
    raise AttributeError(name)
