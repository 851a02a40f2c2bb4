r"""Claims about the experiments of `ganbook.experiments.optimal_discriminator`, checked at every build."""

from __future__ import annotations
