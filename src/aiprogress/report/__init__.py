"""The report assembler: imports the report modules every capability registers
(see :mod:`aiprogress.capabilities`) and renders one self-contained ``index.html``.

Building blocks for sections (``register_section``, ``figure_html``,
``table_html``, ``ReportContext``) live in :mod:`aiprogress.reportkit`.
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.report.builder": ("ReportResult", "build_report", "sections",),
})
