r"""Claims about the experiments of `ganbook.experiments.jensen_shannon`, checked at every build."""

from __future__ import annotations
