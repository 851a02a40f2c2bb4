r"""Claims about the experiments of `ganbook.experiments.gradient_penalty`, checked at every build."""

from __future__ import annotations
