"""aiprogress.data: load, validate and catalogue the data sources.

Public API:
- :func:`load_table` (``models``, ``hardware``, ``benchmark_results``, ``rejects``)
- :func:`load_sources` (all tables + rejects + per-source records)
- :func:`build_catalog`, :func:`catalog_status`, :func:`read_catalog_table`
  (derived catalog tables are registered in :mod:`aiprogress.capabilities`)
- :func:`fetch_sources`
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.data.loaders": ("LoadedData", "SourceRecord", "clear_cache", "load_sources", "load_table"),
    "aiprogress.data.sources": ("SOURCES", "Source"),
    "aiprogress.data.catalog": ("build_catalog", "catalog_status", "derived_functions", "read_catalog_table"),
    "aiprogress.data.fetch": ("fetch_sources",),
})
