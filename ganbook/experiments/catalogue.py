"""Every experiment module of the book; importing this registers them all."""

from ganbook.experiments import shift_toy  # noqa: F401
