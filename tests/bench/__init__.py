"""Benchmarks: `python -m tests.bench [case]` (see __main__.py). Not collected by pytest."""
