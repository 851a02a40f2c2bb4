r"""Claims about the experiments of `ganbook.experiments.transport`, checked at every build."""

from __future__ import annotations
