"""Rounding as people do it, shared by the pages (equitable/jinja2env.py) and the downloads
(equitable/workforce/catalogue.py) so that a file holds exactly the number the page shows.

Plain Python, no Django. Why not `round()`: Python rounds the binary value half to even, so
1,801 of 2,000 (90.05%) would show as 90.0%; a person, and the ONS, write 90.1%. Here a number is
rounded half away from zero from its shortest decimal form (`repr`), the digits it was printed
with.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | int, places: int) -> float | int:
    """90.05 → 90.1 (one place); 2.675 → 2.68 (two); -0.04 → 0.0 (no minus zero); 2.5 → 3 (none).

    A whole number with no places stays an int; anything else comes back as a float."""
    if isinstance(value, float) and not math.isfinite(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if places >= 0 else int(round_half_up(float(value), places))
    exponent = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)
    if places <= 0:
        return int(rounded)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0
