"""aiprogress: measure how compute, researchers and algorithms drive AI progress."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up on first use: importlib.metadata costs ~50 ms at start.
    if name != "__version__":
        raise AttributeError(f"module 'aiprogress' has no attribute '{name}'")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("aiprogress")
    except PackageNotFoundError:  # running from a source tree without install
        value = "0.0.0+unknown"
    globals()["__version__"] = value
    return value
