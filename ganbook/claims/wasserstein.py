r"""Claims about the experiments of `ganbook.experiments.wasserstein`, checked at every build."""

from __future__ import annotations
