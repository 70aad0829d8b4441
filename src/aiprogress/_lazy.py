"""Lazy package exports, so that importing a package (e.g. for its ``cli``) stays cheap.

A capability's ``__init__.py`` lists its public names once, by submodule::

    from aiprogress._lazy import lazy_exports

    __all__ = lazy_exports(__name__, {
        "aiprogress.ideas.estimate": ("IdeasEstimate", "estimate", "fit_model"),
        "aiprogress.ideas.sample": ("IdeasSample", "prepare_sample"),
    })

``from aiprogress.ideas import estimate`` then imports ``aiprogress.ideas.estimate``
on first use and returns its function ``estimate``. As with the eager
``from .estimate import estimate`` this replaces, an exported name wins over a
submodule of the same name (the submodule stays in ``sys.modules``), whichever
is imported first.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any, Mapping


class _LazyPackage(types.ModuleType):
    _lazy_names: dict[str, str]

    def __getattr__(self, name: str) -> Any:
        source = self.__dict__.get("_lazy_names", {}).get(name)
        if source is None:
            raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")
        value = getattr(importlib.import_module(source), name)
        types.ModuleType.__setattr__(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        # The import system binds a submodule on its package; an exported name of
        # the same name (a function ``estimate`` beside the module ``estimate``) wins.
        lazy = self.__dict__.get("_lazy_names", {})
        if name in lazy and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            return
        types.ModuleType.__setattr__(self, name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(self.__dict__) | set(self.__dict__.get("_lazy_names", {})))


def lazy_exports(package: str, exports: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Make ``package`` export ``exports`` (``{submodule: names}``) lazily; returns ``__all__``."""
    module = sys.modules[package]
    names = {name: source for source, group in exports.items() for name in group}
    module.__dict__["_lazy_names"] = names
    module.__class__ = _LazyPackage
    return sorted(names)
