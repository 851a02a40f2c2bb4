r"""Claims about the experiments of `ganbook.experiments.saturation`, checked at every build."""

from __future__ import annotations
