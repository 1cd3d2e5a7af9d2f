"""Measuring the news reader: scoring against gold facts, the named article sets, perturbed variants.

This package serves the tests (`tests/test_news_*`) and `benchmarks/extraction_eval.py`; it is not part
of the installed product (pytest puts `tools/` on the path, the benchmark adds it itself).
"""
