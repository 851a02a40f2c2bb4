"""ganbook: GAN losses, divergences and reference trainers behind the ganbook site.

The package is the single source of truth of the site: every formula, figure and number that the
pages show is computed here. It is not a general GAN framework; it holds what the book explains.
"""

__version__ = "0.1.0"
