"""The violin density of the subsampling figure against matplotlib's own KDE."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import mlab

from aiprogress.ideas.plots import gaussian_kde_scott


@pytest.mark.parametrize("n", [2, 7, 5_000])
def test_gaussian_kde_scott_equals_matplotlib_gaussian_kde(n):
    x = np.random.default_rng(n).gamma(2.0, size=n)
    coords = np.linspace(x.min() - 1, x.max() + 1, 100)
    ref = mlab.GaussianKDE(x, "scott").evaluate(coords)
    np.testing.assert_allclose(gaussian_kde_scott(x, coords, block=3), ref, rtol=1e-12, atol=1e-15)


def test_gaussian_kde_scott_needs_spread():
    with pytest.raises(ValueError, match="distinct"):
        gaussian_kde_scott(np.ones(10), np.linspace(0, 2, 5))
