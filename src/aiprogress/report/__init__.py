"""The report assembler: imports the report modules every capability registers
(see :mod:`aiprogress.capabilities`) and renders one self-contained ``index.html``.

Building blocks for sections (``register_section``, ``figure_html``,
``table_html``, ``ReportContext``) live in :mod:`aiprogress.reportkit`.
"""

from aiprogress.report.builder import ReportResult, build_report, sections

__all__ = ["ReportResult", "build_report", "sections"]
