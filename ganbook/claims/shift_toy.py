r"""Claims about the experiments of `ganbook.experiments.shift_toy`, checked at every build."""

from __future__ import annotations
