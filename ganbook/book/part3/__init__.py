"""Part III of the book: images. DCGAN on real digits, measuring a generator, StyleGAN's ideas."""
