"""Equitable."""
