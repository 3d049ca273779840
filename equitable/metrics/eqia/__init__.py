"""Equality Impact Assessment evidence from the council's own workforce data (pure library)."""
