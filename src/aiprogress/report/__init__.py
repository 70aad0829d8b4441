"""Self-contained HTML report assembled from sections each capability registers.

A capability adds a section by defining ``aiprogress/<capability>/report.py``
with a function decorated by :func:`register_section`::

    from aiprogress.report import ReportContext, register_section

    @register_section("scaling", "Compute and performance scaling", order=30)
    def scaling_section(ctx: ReportContext) -> str:
        return "<p>...</p>" + figure_html(fig, caption="...")

The builder imports every ``aiprogress.<capability>.report`` module listed in
:data:`CAPABILITIES`, so registration needs nothing beyond that file.
"""

from aiprogress.report.builder import ReportResult, build_report
from aiprogress.report.figures import figure_html, save_figure, table_html
from aiprogress.report.registry import CAPABILITIES, ReportContext, Section, register_section, sections

__all__ = [
    "CAPABILITIES",
    "ReportContext",
    "ReportResult",
    "Section",
    "build_report",
    "figure_html",
    "register_section",
    "save_figure",
    "sections",
    "table_html",
]
