"""Development programmes and their outcomes: who takes part against who could have, who was
selected from those who applied, and who was promoted or left afterwards (figures.py).

Pure package (polars, no Django).
"""
