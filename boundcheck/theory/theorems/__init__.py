"""Theorem modules, one per method family; importing this package registers them all."""
