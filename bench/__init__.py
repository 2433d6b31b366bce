"""Benchmarks, load and fault scripts, and the synthetic data they run on."""
