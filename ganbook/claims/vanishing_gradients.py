r"""Claims about the experiments of `ganbook.experiments.vanishing_gradients`, checked at every build."""

from __future__ import annotations
