"""Benchmarks; results are written down in docs/."""
