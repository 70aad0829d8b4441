"""The report section 'data' lists each source with its checksum and row count."""

from __future__ import annotations

import re

from aiprogress.data.loaders import sha256_file
from aiprogress.data.report import build, models_per_year_figure
from aiprogress.report import sections
from aiprogress.reportkit import ReportContext


def test_data_section_lists_sources_with_checksums(mini):
    html = build(ReportContext(data_dir=mini.root))
    for name, path in mini.files.items():
        assert sha256_file(path)[:12] in html
        assert path.relative_to(mini.root).as_posix() in html
    assert "CC BY 4.0" in html and "Thompson, Greenewald, Lee, Manso" in html
    assert "imagenet 4" in html
    assert re.search(r"<figure [^>]*><svg ", html)  # figures are inline SVG (reportkit.figure_html)
    assert any(s.key == "data" and s.order == 10 for s in sections())


def test_models_per_year_figure_counts(mini):
    import csv

    from aiprogress.data import load_sources

    models = load_sources(mini.root).tables["models"]
    fig = models_per_year_figure(models)
    ax = fig.axes[0]
    total = sum(p.get_height() for p in ax.patches)
    # reference: dated records in the raw CSV, read with the csv module
    with mini.files["epoch_models"].open(encoding="utf-8", newline="") as fh:
        dated = sum(1 for r in csv.DictReader(fh) if r["Publication date"].strip())
    assert dated > 0 and total == dated
