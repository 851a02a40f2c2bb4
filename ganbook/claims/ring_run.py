r"""Claims about the experiments of `ganbook.experiments.ring_run`, checked at every build."""

from __future__ import annotations
