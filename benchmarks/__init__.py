"""Benchmarks: python -m benchmarks prints the table (see run.py)."""
