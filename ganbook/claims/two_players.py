r"""Claims about the experiments of `ganbook.experiments.two_players`, checked at every build."""

from __future__ import annotations
