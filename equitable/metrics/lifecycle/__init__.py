"""The employee lifecycle figures: recruitment, movements between snapshots, casework and
development, each a rate per group with its interval and a relative likelihood against a
reference group (`comparisons`). Pure package (polars, no Django); docs/metrics.md
("Employee lifecycle") gives every formula and its source."""
