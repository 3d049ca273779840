"""The CELC Tackling Racial Inequality Standard: the Standard as data (`library`, no Django) and
the self-assessment app (models, services, views) built on it."""
