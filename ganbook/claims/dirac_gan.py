r"""Claims about the experiments of `ganbook.experiments.dirac_gan`, checked at every build."""

from __future__ import annotations
