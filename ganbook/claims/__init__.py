r"""Every claim of the book, one module per experiment module, in the book's order.

Claims are kept apart from the experiments they check: they are not part of any cache key, so
editing a statement or a bound re-checks it on the cached results without retraining. Importing
this package registers them all (the list is explicit: nothing is discovered).
"""

import importlib

CLAIM_MODULES = (
    "ring_run",
    "two_players",
    "saturation",
    "least_squares",
    "shift_toy",
    "optimal_discriminator",
    "jensen_shannon",
    "disjoint_supports",
    "vanishing_gradients",
    "transport",
    "wasserstein",
    "gradient_penalty",
    "dirac_gan",
)
r"""The modules of this package, each holding the claims about one experiment module."""

for _name in CLAIM_MODULES:
    importlib.import_module(f"{__name__}.{_name}")
