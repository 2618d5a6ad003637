"""Operaciones internas sobre ndarrays: cada una con su forward y su backward juntos."""
