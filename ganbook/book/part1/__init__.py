"""Part I of the book: the GAN game and its losses."""
