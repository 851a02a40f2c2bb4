"""Part II of the book: divergences, distances and the Wasserstein GANs."""
