"""The takeoff report section registers and shows the closed-form and Monte Carlo numbers."""

from __future__ import annotations

import re

from aiprogress.report import sections
from aiprogress.takeoff.config import load_config, shipped_configs
from aiprogress.takeoff.montecarlo import run_monte_carlo
from aiprogress.takeoff.report import section_html


def test_takeoff_section_registered_with_order_60():
    sec = {s.key: s for s in sections()}["takeoff"]
    assert sec.order == 60
    assert sec.title == "Takeoff: compute bottlenecks and software intelligence explosion"


def test_section_contents_match_the_library():
    h = section_html(seed=4, draws=400, sobol_n=16)
    assert h.count("<figure") >= 5
    # max-speed table: the closed form 0.5**(1/-0.15) = 101.59 appears in the row of the published 102.
    row = re.search(r"<td[^>]*>102</td>\s*<td[^>]*>([0-9.]+)</td>", h)
    assert row is not None and row.group(1) == f"{0.5 ** (1 / -0.15):.2f}" == "101.59"
    assert re.search(r"<td[^>]*>1024</td>\s*<td[^>]*>1024.00</td>", h)
    # P(SIE) of each shipped config equals a direct run with the same seed.
    for k, name in enumerate(n for n in shipped_configs() if load_config(n).model == "ces-sie"):
        p = run_monte_carlo(name, 400, seed=4 + k).p_sie
        row = re.search(rf"<td[^>]*>{re.escape(name)}</td>\s*<td[^>]*>([0-9.e-]+)</td>", h)
        assert row is not None, name
        assert row.group(1) == f"{p:.3f}"  # the table prints P(SIE) with 3 decimals
