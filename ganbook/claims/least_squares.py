r"""Claims about the experiments of `ganbook.experiments.least_squares`, checked at every build."""

from __future__ import annotations
