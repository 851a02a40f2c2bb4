"""Every experiment module of the book; importing this registers them all.

Each chapter keeps its experiments in a module of this package; every module that is not part of
the machinery below is imported, so adding a chapter needs no edit here.
"""

import importlib
import pkgutil

import ganbook.experiments as _package

MACHINERY = {"catalogue", "claims", "fingerprint", "registry", "result", "runner"}

for _module in sorted(pkgutil.iter_modules(_package.__path__), key=lambda m: m.name):
    if _module.name not in MACHINERY and not _module.name.startswith("_"):
        importlib.import_module(f"{_package.__name__}.{_module.name}")
