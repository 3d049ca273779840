"""Workforce metrics: pure polars computations, no Django."""
