r"""Claims about the experiments of `ganbook.experiments.disjoint_supports`, checked at every build."""

from __future__ import annotations
