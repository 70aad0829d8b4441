"""Low-level report building blocks shared by every capability's ``report.py``.

A capability adds a section by defining a function in its ``report.py``::

    from aiprogress.reportkit import ReportContext, figure_html, register_section, table_html

    @register_section("scaling", "Compute and performance scaling", order=30)
    def scaling_section(ctx: ReportContext) -> str:
        return "<p>...</p>" + figure_html(fig, caption="...")

and by naming that module in its entry of :mod:`aiprogress.capabilities`.
Nothing here imports a capability, so imports run one way: capabilities ->
reportkit, and report (the assembler) -> capabilities.
"""

from aiprogress.reportkit.figures import check_plot_path, figure_grid, figure_html, plotly_html, save_figure
from aiprogress.reportkit.sections import ReportContext, Section, register_section, registered
from aiprogress.reportkit.tables import format_number, status_badge, table_html

__all__ = [
    "ReportContext",
    "Section",
    "check_plot_path",
    "figure_grid",
    "figure_html",
    "format_number",
    "plotly_html",
    "register_section",
    "registered",
    "save_figure",
    "status_badge",
    "table_html",
]
