"""aiprogress: measure how compute, researchers and algorithms drive AI progress."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aiprogress")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
