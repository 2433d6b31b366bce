"""Benchmarks: load and fault scripts run against a live server on 127.0.0.1."""
