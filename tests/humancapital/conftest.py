"""Quick variants for the test suite: a small Lasso path (the full one runs in the CLI, report and benchmark)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quick_lasso(monkeypatch):
    from aiprogress.humancapital import evaluate

    monkeypatch.setattr(evaluate, "LASSO_ALPHAS", 6)
    monkeypatch.setattr(evaluate, "LASSO_CV", 3)
